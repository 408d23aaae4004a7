"""Checking a record before it is stored: every field the engine needs, of the right type, with
messages that name the field and say what to enter."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from functools import cache
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from core.validation import EARLIEST_DATE
from families.models import User
from outcomes.engine.evidence import (  # coerce_value: the engine's own idea of a bool, a date, a number
    EVIDENCE_KINDS,
    EvidenceError,
    coerce_value,
    evidence_fields,
    evidence_from_dict,
)
from outcomes.engine.terms import TERM_NAMES, parse_academic_year

# The longest free text a record's field takes (a description, a sanction, a school's name).
TEXT_LIMIT = 500

UNCHANGED = "unchanged"
CORRECTED = "corrected"
CREATED = "created"

# Roles that apply partner data files (the command runs with no actor).
IMPORT_ROLES = {User.Role.DATA_OFFICER, User.Role.ADMINISTRATOR}

# Values a field may take, where the partner file formats (docs/interfaces.md §1) fix them.
CHOICES: dict[str, dict[str, tuple[str, ...]]] = {
    "school_attendance": {"term": TERM_NAMES},
    "exclusions": {"exclusion_type": ("fixed_term", "permanent")},
    "work_activity": {
        "activity": (
            "apprenticeship",
            "work_experience",
            "volunteering",
            "permitted_work",
            "work_choice",
            "training",
        )
    },
    "neet_status": {"status": ("neet", "eet")},
    "child_plans": {"plan": ("CIN", "CP", "LAC")},
    "treatment": {
        "substance": ("drug", "alcohol"),
        "outcome": ("completed", "dropped_out", "ongoing"),
    },
}
# Values that are suggested but not the only ones allowed (the file formats say "other").
SUGGESTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "benefit_spells": {"benefit": ("JSA", "ESA", "IS", "IB", "UC")},
    "asb_incidents": {"source": ("police", "housing")},
    "member_flags": {"flag": ("ehcp", "young_carer")},
    "child_plans": {"category": ("neglect", "physical_abuse", "emotional_abuse", "sexual_abuse")},
}
# Professional judgements a keyworker records, and the values each takes.
JUDGEMENT_CODES: dict[str, tuple[str, ...]] = {
    "victim_programme_completed": ("yes", "no"),
    "eha_impact": ("significant", "moderate", "minor"),
    # The Oxfordshire plan identifies health by this judgement (adult-drug-alcohol-judgement).
    "substance_misuse": ("yes", "no"),
    "health_needs_addressed": ("yes", "no"),
    "financial_exclusion_reduced": ("yes", "no"),
}


@cache
def _shipped_plans() -> tuple:
    """The plans shipped in the repository, parsed once per process (the files do not change)."""
    from outcomes.engine import shipped_plans

    return tuple(shipped_plans().values())


def judgement_codes() -> dict[str, tuple[str, ...]]:
    """The judgements a keyworker may record: the standard ones and every one a stored or shipped plan reads."""
    from outcomes.engine import PlanError, plan_judgements
    from outcomes.models import PlanVersion
    from outcomes.selectors.plans import engine_plan

    codes = {code: list(values) for code, values in JUDGEMENT_CODES.items()}
    plans = list(_shipped_plans())
    # A stored version without text (a stand-in for tests and the demo) is no plan to read.
    for plan_version in PlanVersion.objects.exclude(yaml_text=""):
        try:
            plans.append(engine_plan(plan_version))
        except PlanError:
            continue
    for plan in plans:
        for code, values in plan_judgements(plan).items():
            known = codes.setdefault(code, [])
            known.extend(v for v in (values or ("yes", "no")) if v not in known)
    return {code: tuple(values) for code, values in sorted(codes.items())}


# Fields whose values are matched case-insensitively to the canonical spelling.
_CANONICAL_CASE = {("child_plans", "plan"): str.upper, ("benefit_spells", "benefit"): str.upper}

# Human names for fields, used in messages (forms and import reports add their own).
FIELD_NAMES = {
    "academic_year": "academic year",
    "possible_sessions": "possible sessions",
    "absent_sessions": "absent sessions",
    "exclusion_type": "exclusion type",
    "offence_date": "offence date",
    "incident_date": "incident date",
    "callout_date": "call-out date",
    "proven": "whether the offence was proven",
    "serious": "whether the offence was serious",
    "child_present": "whether a child was present",
    "civil_injunction_support": "whether civil injunction support was given",
    "out_of_work": "whether it is an out-of-work benefit",
    "hours_per_week": "hours per week",
    "monthly_earnings": "monthly earnings",
    "start_date": "start date",
    "end_date": "end date",
    "recorded_on": "date of the judgement",
}


def field_name(name: str) -> str:
    return FIELD_NAMES.get(name, name.replace("_", " "))


def today() -> date:
    return timezone.localdate()


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def evidence_clean(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """Check and coerce a record's values; the stored form (dates as ISO strings).

    Raises ValidationError with a message per field, saying what to do.
    """
    if kind not in EVIDENCE_KINDS:
        raise ValidationError(
            {"kind": f"Select a kind of evidence: {', '.join(sorted(EVIDENCE_KINDS))}"}
        )
    fields = evidence_fields(kind)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name, annotation in fields.items():
        annotation = str(annotation)
        raw = data.get(name)
        if isinstance(raw, str):
            raw = raw.strip()
        if _is_blank(raw):
            if evidence_field_required(kind, name):
                errors[name] = _required_message(kind, name, annotation)
            continue
        try:
            values[name] = coerce_value(kind, name, annotation, raw)
        except EvidenceError:
            errors[name] = _type_message(annotation, field_name(name))
            continue
        if annotation.startswith("str"):
            values[name] = _choice(kind, name, values[name], errors)
        if name == "academic_year":
            try:
                parse_academic_year(values[name])
            except ValueError:
                errors[name] = "Enter the academic year like 2015/16"
    record = None
    if not errors:
        try:
            record = evidence_from_dict(kind, {"id": 0, **values})
        except EvidenceError as error:  # pragma: no cover - the checks above cover the engine's
            raise ValidationError({"kind": str(error)}) from None
    if record is not None:
        _check_rules(kind, record, errors)
    else:
        # The values that were given still get their own checks, so every problem shows at once.
        _check_rules(kind, SimpleNamespace(**{name: values.get(name) for name in fields}), errors)
    if errors:
        raise ValidationError(errors)
    return {
        name: (value.isoformat() if isinstance(value, date) else value)
        for name, value in _as_dict(record).items()
    }


def evidence_field_required(kind: str, name: str) -> bool:
    """Whether records of this kind must give this field (it has no default)."""
    for f in dataclasses.fields(EVIDENCE_KINDS[kind]):
        if f.name == name:
            return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    return False


def _type_message(annotation: str, label: str) -> str:
    if annotation.startswith("date"):
        return f"Enter the {label} as a real date in the format YYYY-MM-DD, like 2015-09-30"
    if annotation.startswith("bool"):
        return f"Enter {label} as yes or no (or true/false, y/n, 1/0)"
    if annotation.startswith("int"):
        return f"Enter the {label} as a whole number, like 120"
    if annotation.startswith("float"):
        return f"Enter the {label} as a number, like 16 or 1250.50"
    return f"Enter the {label}"


def _required_message(kind: str, name: str, annotation: str) -> str:
    label = field_name(name)
    if annotation.startswith("date"):
        return f"Enter the {label}"
    if annotation.startswith("bool"):
        return f"Enter {label}"
    options = _options(kind, name)
    if options:
        return f"Enter the {label}: {', '.join(options)}"
    return f"Enter the {label}"


def _options(kind: str, name: str) -> tuple[str, ...]:
    if kind == "judgement" and name == "code":
        return tuple(judgement_codes())
    return CHOICES.get(kind, {}).get(name, ())


def _choice(kind: str, name: str, value: str, errors: dict[str, str]) -> str:
    value = re.sub(r"\s+", " ", value).strip()
    fix = _CANONICAL_CASE.get((kind, name))
    if fix is not None:
        return fix(value)
    options = _options(kind, name)
    if not options:
        return value
    canonical = {option.lower().replace("-", "_").replace(" ", "_"): option for option in options}
    key = value.lower().replace("-", "_").replace(" ", "_")
    if key not in canonical:
        errors[name] = f"Enter the {field_name(name)} as one of: {', '.join(options)}"
        return value
    return canonical[key]


def _as_dict(record) -> dict[str, Any]:
    if isinstance(record, SimpleNamespace):
        return dict(vars(record))
    return {
        f.name: getattr(record, f.name)
        for f in dataclasses.fields(record)
        if f.name not in ("id", "kind", "person_id")
    }


def _check_rules(kind: str, record, errors: dict[str, str]) -> None:
    """Checks a single record can make on itself (ranges, order of dates, known codes)."""
    now = today()
    for name, value in _as_dict(record).items():
        if isinstance(value, date) and value > now and name not in errors:
            errors[name] = f"The {field_name(name)} must be today or in the past"
        elif isinstance(value, date) and value < EARLIEST_DATE and name not in errors:
            errors[name] = f"The {field_name(name)} must be in 1900 or later: check the year"
        elif isinstance(value, str) and len(value) > TEXT_LIMIT and name not in errors:
            errors[name] = f"The {field_name(name)} must be {TEXT_LIMIT} characters or fewer"
    start, end = getattr(record, "start_date", None), getattr(record, "end_date", None)
    if start and end and end < start and "end_date" not in errors:
        errors["end_date"] = "The end date must be the same as or after the start date"
    if kind == "school_attendance":
        possible, absent = record.possible_sessions, record.absent_sessions
        if possible is not None and possible <= 0:
            errors.setdefault("possible_sessions", "The possible sessions must be more than 0")
        if absent is not None and absent < 0:
            errors.setdefault("absent_sessions", "The absent sessions must be 0 or more")
        elif (
            absent is not None
            and possible is not None
            and absent > possible
            and "possible_sessions" not in errors
        ):
            errors.setdefault(
                "absent_sessions", "The absent sessions must be no more than the possible sessions"
            )
    if kind == "exclusions" and record.sessions is not None and record.sessions < 0:
        errors.setdefault("sessions", "The sessions must be 0 or more")
    if kind == "employment_spells":
        if record.hours_per_week is not None and not 0 <= record.hours_per_week <= 100:
            errors.setdefault("hours_per_week", "The hours per week must be between 0 and 100")
        if record.monthly_earnings is not None and record.monthly_earnings < 0:
            errors.setdefault("monthly_earnings", "The monthly earnings must be 0 or more")
    if kind == "judgement" and record.code is not None:
        codes = judgement_codes()
        allowed = codes.get(record.code)
        if allowed is None:
            errors.setdefault("code", f"Enter the judgement as one of: {', '.join(codes)}")
        elif record.value is not None and record.value.lower() not in allowed:
            errors.setdefault("value", f"Enter the value as one of: {', '.join(allowed)}")
