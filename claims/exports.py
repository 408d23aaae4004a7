"""The claim return (CSV and XLSX) and the evidence pack (PDF) for a batch.

Every export is logged in AccessLog (via=export) for each family in it. Cells that a
spreadsheet would run as a formula (starting = + - @ tab or carriage return) get a leading
apostrophe, so a family name or reason cannot smuggle a formula into the council's Excel.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone
from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.styles import Font

from families.models import AccessLog, Family, Membership, Problem, User
from families.services import access_log_record
from outcomes.wording import long_date

from . import presenting
from .digests import snapshot_verifies
from .models import Claim, ClaimBatch, ClaimType, EvidenceSnapshot

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 1000


def safe_cell(value: Any) -> Any:
    """A cell value a spreadsheet will show as text, never run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _problem_columns() -> list[tuple[str, str]]:
    return list(Problem.objects.order_by("number").values_list("code", "short_title"))


def return_claims(batch: ClaimBatch):
    """The claims that go in the return: those still in the batch (not rejected or removed)."""
    return (
        Claim.objects.filter(batch=batch)
        .exclude(status__in=Claim.RELEASED)
        .select_related("family", "snapshot")
        .order_by("family__reference", "claim_type", "pk")
    )


def _problem_cells(claim: Claim, codes: list[str]) -> list[str]:
    """For each problem: the date met, 'identified' when not (yet) met, blank when not identified."""
    result = (
        (claim.snapshot.payload.get("evaluation") or {}).get("result", {})
        if claim.snapshot_id
        else {}
    )
    problems = {p.get("code"): p for p in result.get("problems", [])}
    cells = []
    for code in codes:
        p = problems.get(code)
        if not p or not p.get("identified"):
            cells.append("")
        elif p.get("outcome") == "met" and p.get("met_since"):
            cells.append(f"met {p['met_since']}")
        else:
            cells.append("identified, not met")
    return cells


def return_rows(batch: ClaimBatch) -> tuple[list[str], Iterator[list[Any]], dict[str, Any]]:
    """Header, rows and totals of the claim return."""
    problems = _problem_columns()
    codes = [code for code, _ in problems]
    header = [
        "Family reference",
        "Claim type",
        "Programme phase",
        "Attached on",
        *[f"{title} (problem)" for _, title in problems],
        "Amount (£)",
        "Status",
    ]
    claims = list(return_claims(batch))
    totals: dict[str, Any] = {
        "claims": len(claims),
        "amount": sum((c.amount for c in claims), Decimal("0.00")),
    }
    by_type: dict[str, list] = {}
    for c in claims:
        entry = by_type.setdefault(c.claim_type, [0, Decimal("0.00")])
        entry[0] += 1
        entry[1] += c.amount
    totals["by_type"] = {
        label: by_type[code] for code, label in ClaimType.choices if code in by_type
    }

    def rows():
        for c in claims:
            yield [
                c.family.reference,
                c.get_claim_type_display(),
                c.get_phase_display(),
                c.family.attached_on.isoformat() if c.family.attached_on else "",
                *_problem_cells(c, codes),
                c.amount,
                c.get_status_display(),
            ]

    return header, rows(), {**totals, "families": [c.family for c in claims]}


def _log(user: User, families: list[Family], action: str, batch: ClaimBatch) -> None:
    unique = list({f.pk: f for f in families}.values())
    access_log_record(
        user=user,
        families=unique,
        via=AccessLog.Via.EXPORT,
        action=action,
        path=f"claims/{batch.reference}",
    )


def return_csv(*, user: User, batch: ClaimBatch) -> bytes:
    """The claim return as CSV (UTF-8 with BOM so Excel reads the pound sign)."""
    header, rows, totals = return_rows(batch)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([f"Claim return {batch.reference}", f"Claim date {batch.as_of.isoformat()}"])
    writer.writerow(header)
    pad = len(header) - 3
    for row in rows:
        writer.writerow([safe_cell(v if not isinstance(v, Decimal) else f"{v:.2f}") for v in row])
    for label, (count, amount) in totals["by_type"].items():
        writer.writerow([f"Total: {label}", f"{count} claims", *[""] * pad, f"{amount:.2f}"])
    writer.writerow(["Total", f"{totals['claims']} claims", *[""] * pad, f"{totals['amount']:.2f}"])
    _log(user, totals["families"], "Downloaded claim return (CSV)", batch)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def return_xlsx(*, user: User, batch: ClaimBatch) -> bytes:
    """The claim return as an Excel workbook: amounts as numbers in pounds and pence."""
    header, rows, totals = return_rows(batch)
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = "Claim return"
    ws.append([f"Claim return {batch.reference}", f"Claim date {batch.as_of.isoformat()}"])
    ws.append(header)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    amount_col = len(header) - 1
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    pad = len(header) - 3
    for label, (count, amount) in totals["by_type"].items():
        ws.append([f"Total: {label}", f"{count} claims", *[None] * pad, amount])
    ws.append(["Total", f"{totals['claims']} claims", *[None] * pad, totals["amount"]])
    for row in ws.iter_rows(min_row=3, min_col=amount_col, max_col=amount_col):
        for cell in row:
            cell.number_format = "£#,##0.00"
    ws.freeze_panes = "A3"
    buffer = io.BytesIO()
    wb.save(buffer)
    _log(user, totals["families"], "Downloaded claim return (Excel)", batch)
    return buffer.getvalue()


# --- the evidence pack ---------------------------------------------------------------------------

# DejaVu Sans, shipped with the app (fonts/LICENSE): a Unicode font, so every name prints as
# written ("Zoë Nowak", "Şahin"); the PDF core fonts know Latin-1 only.
FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"


def _when(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "astimezone"):
        return timezone.localtime(value).strftime("%-d %B %Y at %H:%M")
    if isinstance(value, date):
        return value.strftime("%-d %B %Y")
    return long_date(str(value))


class SensitivePdf(FPDF):
    """An A4 document in DejaVu Sans, its title and protective marking on every page and its
    page number at the foot: the evidence pack here, the subject access export in privacy."""

    marking = "Official – sensitive"

    def __init__(self, title: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.pack_title = title
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title(title)
        self.set_creator("Family keywork")

    def header(self):
        self.set_font(FONT, "", 8)
        self.cell(0, 5, f"{self.pack_title} – {self.marking}", new_x="LMARGIN", new_y="NEXT")

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.cell(0, 5, f"Page {self.page_no()}", align="C")

    def heading(self, text: str, size: int = 14):
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, str(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def line_text(self, text: str, bold: bool = False, size: int = 10, indent: float = 0):
        self.set_font(FONT, "B" if bold else "", size)
        if indent:
            self.set_x(self.l_margin + indent)
        self.multi_cell(0, size * 0.5, str(text), new_x="LMARGIN", new_y="NEXT")


def _record_lines(pdf: SensitivePdf, record: presenting.FrozenRecord) -> None:
    pdf.line_text(
        f"{record.number}. {record.label} – {record.member}"
        + (f" – {record.when}" if record.when else ""),
        bold=True,
        size=9,
        indent=2,
    )
    values = "; ".join(f"{label}: {value}" for label, value in record.fields)
    source = record.source + (f", recorded {record.recorded}" if record.recorded else "")
    version = f" (version {record.version})" if record.version > 1 else ""
    pdf.line_text(f"{values}. {source}{version}.", size=8, indent=6)


def evidence_pack_pdf(*, user: User, batch: ClaimBatch) -> bytes:
    """One page per family: its members, claims, problems, criteria, the frozen evidence in
    words, who verified it and when, and the snapshot digests (re-verified as the pack is made)."""
    pdf = SensitivePdf(f"Evidence pack for claim batch {batch.reference}")
    pdf.add_page()
    pdf.heading(f"Evidence pack: claim batch {batch.reference}", 18)
    pdf.line_text(f"Claim date: {_when(batch.as_of)}")
    pdf.line_text(f"Status: {batch.status_label}")
    if batch.signed_off_by_id:
        pdf.line_text(
            f"Signed off by audit: {batch.signed_off_by.display_name} on {_when(batch.signed_off_at)}"
        )
    if batch.approved_by_id:
        pdf.line_text(f"Approved by {batch.approved_by.display_name} on {_when(batch.approved_at)}")
    if batch.sample_drawn:
        pdf.line_text(
            f"Audit sample: {batch.sample_percent:g}% (at least {batch.sample_minimum}), seed {batch.sample_seed}, "
            f"drawn by {batch.sample_drawn_by.display_name} on {_when(batch.sample_drawn_at)}"
        )
    pdf.line_text(f"Produced for {user.display_name} on {_when(timezone.now())}")

    claims = list(
        return_claims(batch).select_related(
            "verified_by", "family__lead_keyworker", "batch__signed_off_by"
        )
    )
    by_family: dict[int, list[Claim]] = {}
    for claim in claims:
        by_family.setdefault(claim.family_id, []).append(claim)
    snapshot_ids = [c.snapshot_id for c in claims if c.snapshot_id]
    snapshots = EvidenceSnapshot.objects.in_bulk(snapshot_ids) if snapshot_ids else {}
    # Everyone named in the pack, in three queries whatever its size.
    all_evidence = [e for s in snapshots.values() for e in (s.payload.get("evidence") or [])]
    people, users = presenting.names_for(all_evidence)
    members: dict[int, list[str]] = {}
    for m in (
        Membership.objects.filter(family_id__in=by_family)
        .select_related("person")
        .order_by("family_id", "start_date", "person__last_name", "person__first_name")
    ):
        members.setdefault(m.family_id, []).append(
            f"{m.person.full_name} ({m.get_role_display().lower()}"
            + (f", born {_when(m.person.date_of_birth)}" if m.person.date_of_birth else "")
            + (f", left {_when(m.end_date)}" if m.end_date else "")
            + ")"
        )
    total = sum((c.amount for c in claims), Decimal("0.00"))
    pdf.line_text(
        f"Claims: {len(claims)} for {len(by_family)} families, total £{total:,.2f}", bold=True
    )

    for family_claims in by_family.values():
        family = family_claims[0].family
        pdf.add_page()
        pdf.heading(f"{family.name} family ({family.reference})")
        keyworker = family.lead_keyworker.display_name if family.lead_keyworker else "none"
        pdf.line_text(f"Attached on {_when(family.attached_on)}; lead keyworker {keyworker}")
        if members.get(family.pk):
            pdf.line_text("Members: " + "; ".join(members[family.pk]), size=9)
        for claim in family_claims:
            pdf.ln(2)
            pdf.line_text(
                f"{claim.get_claim_type_display()} claim {claim.pk}: £{claim.amount:,.2f} ({claim.get_phase_display()})",
                bold=True,
                size=11,
            )
            if claim.verified_by_id:
                pdf.line_text(
                    f"Verified by {claim.verified_by.display_name} on {_when(claim.verified_at)}"
                )
            elif claim.accepted_on_sample:
                signer = batch.signed_off_by.display_name if batch.signed_off_by_id else ""
                pdf.line_text(
                    f"Not in the audit sample: accepted with the batch sign-off by {signer} on {_when(batch.signed_off_at)}"
                )
            else:
                pdf.line_text(f"Status: {claim.get_status_display()}")
            snapshot = snapshots.get(claim.snapshot_id)
            if snapshot is None:
                pdf.line_text("No evidence snapshot (the batch has not been submitted for audit).")
                continue
            check = "digest verified" if snapshot_verifies(snapshot) else "DIGEST DOES NOT MATCH"
            pdf.line_text(
                f"Evidence frozen on {_when(snapshot.taken_at)}; SHA-256 {snapshot.digest} ({check})",
                size=8,
            )
            evaluation = snapshot.payload.get("evaluation") or {}
            result = evaluation.get("result") or {}
            plan = result.get("plan") or {}
            records = presenting.frozen_records(
                snapshot.payload.get("evidence") or [], people, users
            )
            if evaluation:
                pdf.line_text(
                    f"Evaluated as of {_when(evaluation.get('as_of'))} under the plan "
                    f"{plan.get('slug', '')} version {plan.get('version', '')}; "
                    f"eligible: {presenting.yes_no(result.get('eligible')).lower()}",
                    size=9,
                )
            for problem in presenting.frozen_problems(result, records):
                met = f" since {problem.met_since}" if problem.met_since else ""
                pdf.line_text(f"{problem.title}: {problem.outcome.lower()}{met}", bold=True, size=9)
                for criterion in problem.criteria:
                    used = ", ".join(str(r.number) for r in criterion.records)
                    word = "record" if len(criterion.records) == 1 else "records"
                    refs = "; ".join(
                        filter(None, [f"{word} {used}" if used else "", *criterion.unknown_refs])
                    )
                    pdf.line_text(
                        f"– {criterion.label} ({criterion.status.lower()}). {criterion.explanation}"
                        + (f" Evidence: {refs}." if refs else ""),
                        size=8,
                        indent=2,
                    )
            if records:
                pdf.line_text("Evidence records as frozen:", bold=True, size=9)
                for record in records:
                    _record_lines(pdf, record)
    _log(user, [c.family for c in claims], "Downloaded evidence pack (PDF)", batch)
    return bytes(pdf.output())
