"""A record's identity and content: its natural key across files and corrections, its digest,
its dates, and `evidence_prepare`, which computes all of it without the database."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from outcomes.engine.evidence import (  # coerce_value: the engine's own idea of a bool, a date, a number
    EVIDENCE_KINDS,
)
from outcomes.engine.terms import TermCalendar
from outcomes.models import TermDate

from .cleaning import evidence_clean

# Which fields (after the subject) identify the fact, per kind (see the module docstring).
NATURAL_KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "school_attendance": ("academic_year", "term"),
    "exclusions": ("start_date", "exclusion_type"),
    "offences": ("offence_date", "description"),
    "asb_incidents": ("incident_date", "source"),
    "domestic_abuse_callouts": ("callout_date",),
    "benefit_spells": ("benefit", "start_date"),
    "employment_spells": ("start_date",),
    "work_activity": ("activity", "start_date"),
    "neet_status": ("status", "start_date"),
    "child_plans": ("plan", "start_date"),
    "treatment": ("substance", "start_date"),
    "member_flags": ("flag", "start_date"),
    "judgement": ("code", "recorded_on"),
}


def subject_key(*, person_id: int | None, family_id: int | None) -> str:
    return f"p{person_id}" if person_id is not None else f"f{family_id}"


def natural_key(kind: str, subject: str, data: dict[str, Any]) -> str:
    parts = [subject]
    for name in NATURAL_KEY_FIELDS[kind]:
        value = data.get(name)
        parts.append(re.sub(r"\s+", " ", str(value or "")).strip().lower())
    return "|".join(parts)[:300]


def content_digest(kind: str, subject: str, data: dict[str, Any]) -> str:
    canonical = json.dumps(
        {"kind": kind, "subject": subject, "data": data}, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


_DEFAULT_TERMS = TermCalendar()


def term_calendar() -> TermCalendar:
    """Term dates: the engine's English defaults, overridden by the council's TermDate rows."""
    overrides: dict[str, dict[str, tuple[date, date]]] = {}
    for term in TermDate.objects.all():
        overrides.setdefault(term.academic_year, {})[term.term] = (term.start_date, term.end_date)
    return TermCalendar(overrides) if overrides else _DEFAULT_TERMS


def evidence_dates(
    kind: str, data: dict[str, Any], terms: TermCalendar | None = None
) -> tuple[date | None, date | None]:
    """The date a record is about (event date or spell start; a term's start) and its end."""
    cls = EVIDENCE_KINDS[kind]
    if kind == "school_attendance":
        term = (terms or _DEFAULT_TERMS).term(data["academic_year"], data["term"])
        return term.start, term.end
    if cls.is_spell:
        end = data.get("end_date")
        return date.fromisoformat(data["start_date"]), date.fromisoformat(end) if end else None
    if cls.date_field:
        return date.fromisoformat(data[cls.date_field]), None
    return None, None


@dataclass(frozen=True)
class PreparedEvidence:
    kind: str
    data: dict[str, Any]
    subject: str
    natural_key: str
    content_digest: str
    event_date: date | None
    end_date: date | None


def evidence_prepare(
    *,
    kind: str,
    data: dict[str, Any],
    person_id: int | None = None,
    family_id: int | None = None,
    terms: TermCalendar | None = None,
    clean: bool = True,
) -> PreparedEvidence:
    """Everything stored with a record, computed without the database (bulk loaders share it)."""
    values = evidence_clean(kind, data) if clean else data
    subject = subject_key(person_id=person_id, family_id=family_id)
    event_date, end_date = evidence_dates(kind, values, terms)
    return PreparedEvidence(
        kind=kind,
        data=values,
        subject=subject,
        natural_key=natural_key(kind, subject, values),
        content_digest=content_digest(kind, subject, values),
        event_date=event_date,
        end_date=end_date,
    )
