"""National returns (docs/reports.md, "National returns").

- The identifier extract for the national impact study: the people in every family attached to
  the programme (name, date of birth, sex, address, National Insurance number), as CSV. Only the
  roles that prepare returns may export it (`reports.permissions.can_export_national_extract`);
  the user says why, and each export is written to the access log for every family in it, with
  that purpose.
- The quarterly progress return: families attached, families whose outcomes were met, and
  claims, for each quarter of the programme year (April to June, ...).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncQuarter

from claims.exports import safe_cell
from claims.models import OUTCOME_CLAIM_TYPES, ClaimType
from claims.selectors import counted_claims
from families.models import AccessLog, Family, Membership, User
from families.selectors import people_with_consent_withdrawn
from families.services import access_log_record
from outcomes.selectors.evaluations import with_outcomes_first_met_on

from .permissions import can_export_national_extract
from .selectors import ReportFilters, programme_year_of, quarter_label, report_families
from .tables import Table

ZERO = Decimal("0.00")
EXTRACT_ACTION = "Exported identifiers for the national impact study"
EXTRACT_COLUMNS = [
    "Family reference",
    "First name",
    "Last name",
    "Date of birth",
    "Sex",
    "Address",
    "Postcode",
    "National Insurance number",
]


def extract_memberships(*, user: User) -> list[Membership]:
    """Everyone who has been in the household of a family attached to the programme since its
    attachment, less anyone who has withdrawn consent to share (one query)."""
    if not can_export_national_extract(user):
        raise PermissionDenied("Only a programme manager or a data officer can export identifiers.")
    return list(
        Membership.objects.filter(family__attached_on__isnull=False)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=F("family__attached_on")))
        .exclude(person__in=people_with_consent_withdrawn().values("pk"))
        .select_related("family", "person")
        .order_by("family__reference", "person__last_name", "person__first_name", "pk")
    )


def national_extract_csv(*, user: User, purpose: str) -> bytes:
    """The identifier extract as CSV (UTF-8 with a byte-order mark), logged for each family in it
    with its purpose."""
    memberships = extract_memberships(user=user)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXTRACT_COLUMNS)
    families: dict[int, Family] = {}
    for m in memberships:
        person, family = m.person, m.family
        families[family.pk] = family
        writer.writerow(
            [
                safe_cell(value)
                for value in (
                    family.reference,
                    person.first_name,
                    person.last_name,
                    person.date_of_birth.isoformat() if person.date_of_birth else "",
                    person.get_sex_display(),
                    " ".join(family.address.split()),
                    family.postcode,
                    person.ni_number,
                )
            ]
        )
    # The purpose goes in the log entry's path (the access log has no field of its own for it):
    # "Purpose: ..." is what an auditor reads beside the action.
    access_log_record(
        user=user,
        families=families.values(),
        via=AccessLog.Via.EXPORT,
        action=EXTRACT_ACTION,
        path=f"Purpose: {purpose}",
    )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def quarterly_return(*, user: User, filters: ReportFilters | None = None) -> Table:
    """Families attached, outcomes met and claims, by quarter (four queries)."""
    filters = filters or ReportFilters()
    families = report_families(
        user=user, filters=ReportFilters(team=filters.team, locality=filters.locality)
    )
    attached = {
        r["quarter"]: r["n"]
        for r in families.filter(attached_on__isnull=False)
        .annotate(quarter=TruncQuarter("attached_on"))
        .values("quarter")
        .annotate(n=Count("pk"))
    }
    met = {
        r["quarter"]: r["n"]
        for r in with_outcomes_first_met_on(families)
        .filter(outcomes_met_on__isnull=False)
        .annotate(quarter=TruncQuarter("outcomes_met_on"))
        .values("quarter")
        .annotate(n=Count("pk"))
    }
    claims: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    amounts: dict[date, Decimal] = defaultdict(lambda: ZERO)
    for r in (
        counted_claims(families=families)
        .annotate(quarter=TruncQuarter("batch__as_of"))
        .values("quarter", "claim_type")
        .annotate(n=Count("pk"), claimed=Sum("amount", default=ZERO))
    ):
        claims[r["quarter"]][r["claim_type"]] += r["n"]
        amounts[r["quarter"]] += r["claimed"]
    quarters = sorted({*attached, *met, *claims} - {None})
    if filters.year:
        quarters = [q for q in quarters if programme_year_of(q) == filters.year]
    rows = []
    for q in quarters:
        outcome_claims = sum(claims[q].get(t, 0) for t in OUTCOME_CLAIM_TYPES)
        rows.append(
            [
                quarter_label(q),
                attached.get(q, 0),
                met.get(q, 0),
                claims[q].get(ClaimType.ATTACHMENT, 0),
                outcome_claims,
                amounts[q] if q in amounts else ZERO,
            ]
        )
    return Table(
        slug="quarterly-progress-return",
        title="Quarterly progress return",
        columns=[
            "Quarter",
            "Families attached",
            "Families whose outcomes were met",
            "Attachment fee claims",
            "Results and continuous employment claims",
            "Amount claimed (£)",
        ],
        rows=rows,
        totals=[
            "Total",
            *(sum(r[i] for r in rows) for i in range(1, 5)),
            sum((r[5] for r in rows), ZERO),
        ]
        if rows
        else None,
        numeric={1, 2, 3, 4, 5},
        note="Outcomes met: the first eligibility check that found a results or continuous "
        "employment claim could be made for the family. Claims by their batch's claim date; "
        "claims rejected or removed from a batch are left out.",
    )
