"""The outcomes panel on the family page, and small helpers for the outcomes templates.

`{% family_outcomes_panel %}` evaluates the family now (as of today, or the page's ``?as_of=``)
against the plan in force, without storing anything, and renders each problem's status, why,
the evidence used, what is missing and when it would be met if things hold. It costs a constant
number of queries: the plan in force, the term dates, three for the family's snapshot and one
for the last stored evaluation.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.utils import timezone

from outcomes import wording
from outcomes.engine import EvidenceError
from outcomes.engine.dates import english
from outcomes.models import Evidence
from outcomes.selectors.evaluations import (
    current_evaluation,
    default_as_of,
    family_evaluation_live,
)

register = template.Library()

# (GOV.UK tag colour, words) for each status.
STATUS_TAGS = {
    "met": ("govuk-tag--green", "Met"),
    "progressing": ("govuk-tag--blue", "Progressing"),
    "not_met": ("govuk-tag--red", "Not met"),
    "not_identified": ("govuk-tag--grey", "Not identified"),
    "not_applicable": ("govuk-tag--grey", "Not needed"),
}

KIND_LABELS = dict(Evidence.Kind.choices)


@register.inclusion_tag("outcomes/_status.html")
def outcome_tag(status: str) -> dict[str, str]:
    css, text = STATUS_TAGS.get(status, ("govuk-tag--grey", status.replace("_", " ").capitalize()))
    return {"css": css, "text": text}


def _as_of(request, family) -> date:
    """The page's ?as_of= date, or the family's own date: today, or its closure date if closed."""
    raw = request.GET.get("as_of", "") if request is not None else ""
    try:
        return date.fromisoformat(raw) if raw else default_as_of(family=family)
    except ValueError:
        return default_as_of(family=family)


def _iso_to_english(value: str | None) -> str:
    return english(date.fromisoformat(value)) if value else ""


def describe_evidence(record, names: dict[int, str]) -> str:
    """One evidence record in words: who, what and when."""
    who = names.get(record.person_id, "") if record.person_id else "Family"
    label = KIND_LABELS.get(record.kind, record.kind.replace("_", " "))
    kind = record.kind
    if kind == "school_attendance":
        possible = record.possible_sessions or 0
        pct = (
            f"{100 * (possible - record.absent_sessions) / possible:.1f}%"
            if possible
            else "no sessions"
        )
        what = f"attendance {pct} in {record.term} {record.academic_year} ({record.absent_sessions} of {possible} sessions missed)"
    elif kind == "judgement":
        statement = wording.judgement_words(record.code).label
        value = wording.judgement_value_words(record.code, record.value).lower()
        what = f"judgement that {wording.lower_first(statement)}: {value}, recorded {english(record.recorded_on)}"
    elif getattr(record, "is_spell", False):
        detail = next(
            (
                wording.value_words(f, getattr(record, f))
                for f in ("benefit", "activity", "status", "plan", "substance", "flag")
                if hasattr(record, f)
            ),
            "",
        )
        end = english(record.end_date) if record.end_date else "ongoing"
        what = f"{label.lower()}{f' ({detail})' if detail else ''} from {english(record.start_date)} to {end}"
        if kind == "treatment":
            what += f", {wording.value_words('outcome', record.outcome).lower()}"
    else:
        what = f"{label.lower()} on {english(record.event_date)}"
    return f"{who}: {what}"


def _unique(lines) -> list[str]:
    """The lines in order, each once."""
    return list(dict.fromkeys(lines))


def panel_context(family, as_of: date) -> dict[str, Any]:
    context: dict[str, Any] = {"family": family, "as_of": as_of, "today": timezone.localdate()}
    try:
        live = family_evaluation_live(family=family, as_of=as_of)
    except (EvidenceError, ValueError) as error:
        context["error"] = (
            f"The outcomes could not be worked out: a record cannot be read ({error}). Correct the record."
        )
        return context
    context["stored"] = current_evaluation(family=family)
    if live is None:
        context["no_plan"] = True
        return context
    result = live.to_dict()
    names = {m.person_id: m.display_name for m in live.snapshot.members}
    records = {(r.kind, r.id): r for r in live.snapshot.evidence}

    def evidence_list(refs) -> list[str]:
        return [
            describe_evidence(records[(e["kind"], e["id"])], names)
            for e in refs
            if (e["kind"], e["id"]) in records
        ]

    labels = {c["id"]: c.get("label") or c["id"] for p in result["problems"] for c in p["criteria"]}
    problems = []
    for p in result["problems"]:
        criteria = []
        for c in p["criteria"]:
            if c["status"] == "not_applicable" and not c.get("not_needed"):
                continue  # a measure for another way of being identified
            alternatives = [labels.get(a, a) for a in c.get("alternatives", ())]
            criteria.append(
                {
                    "label": c.get("label") or c["id"],
                    "status": "not_applicable" if c.get("not_needed") else c["status"],
                    # The engine's wording, said once: what it found, and when it is met.
                    "explanation": c.get("text") or c["explanation"],
                    "evidence": evidence_list(c["evidence"]),
                    "missing": c.get("missing", []),
                    "alternatives": alternatives if c["status"] != "met" else [],
                }
            )
        identification = p.get("identification", {})
        when = ""
        if p["outcome"] == "met" and p.get("met_since"):
            when = f"Met since {_iso_to_english(p['met_since'])}"
        elif (p["identified"] or p.get("indicated")) and p.get("earliest_met_on"):
            when = f"Met on {_iso_to_english(p['earliest_met_on'])} if it holds"
        problems.append(
            {
                "code": p["code"],
                "title": p.get("title", p["code"]),
                "identified": p["identified"],
                "indicated": bool(p.get("indicated")),
                "outcome": p["outcome"],
                "why": _unique(identification.get("why", ())),
                "identified_by": evidence_list(identification.get("evidence", [])),
                "criteria": criteria,
                "missing": p["missing"],
                "when": when,
            }
        )
    context.update(
        {
            "plan_version": live.plan_version,
            "result": result,
            "identified": [p for p in problems if p["identified"]],
            # Indicated on incomplete records: not counted towards eligibility, but a results
            # claim must still show them met.
            "indicated": [p for p in problems if p["indicated"] and not p["identified"]],
            "not_identified": [p for p in problems if not p["identified"] and not p["indicated"]],
            # One line per distinct reason: several criteria can be blocked by the same thing.
            "blocking": _unique(b["explanation"] for b in result.get("blocking", [])),
            "results_earliest_on": _iso_to_english(result.get("results_earliest_on")),
            "custom_date": as_of != timezone.localdate(),
        }
    )
    return context


@register.inclusion_tag("outcomes/_panel.html", takes_context=True)
def family_outcomes_panel(context) -> dict[str, Any]:
    """The outcomes panel for the family in the page's context."""
    family = context["family"]
    return panel_context(family, _as_of(context.get("request"), family))


@register.inclusion_tag("outcomes/_family_evidence.html", takes_context=True)
def family_evidence_list(context) -> dict[str, Any]:
    """The family's evidence list (the evidence pages' partial), with the context it needs."""
    family, user = context["family"], context.get("user")
    try:
        from outcomes.selectors.evidence import family_evidence_context
    except ImportError:  # the evidence pages are not installed in this build
        return {"family": family, "may_edit_evidence": False}
    data = (
        family_evidence_context(family=family, user=user)
        if user is not None
        else {"family": family}
    )
    data.update(
        {"request": context.get("request"), "user": user, "csrf_token": context.get("csrf_token")}
    )
    return data
