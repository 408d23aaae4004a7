"""Typed evidence records: one frozen dataclass per kind of partner data or keyworker record.

Each record carries ``id`` (the evidence row in the database, so an evaluation can cite it),
``kind`` and ``person_id`` (None for evidence about the whole family). Field names follow the
partner data files in spec/interfaces.md section 1.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, ClassVar


class EvidenceError(ValueError):
    """A record could not be built from the values given."""


@dataclass(frozen=True, kw_only=True)
class Evidence:
    id: int
    person_id: int | None = None
    kind: str = field(default="", init=False)

    #: The field holding the date an event happened (events only).
    date_field: ClassVar[str | None] = None
    #: Spells run from ``start_date`` to ``end_date`` (None while open).
    is_spell: ClassVar[bool] = False

    @property
    def event_date(self) -> date | None:
        return getattr(self, self.date_field) if self.date_field else None

    def ref(self) -> tuple[str, int]:
        return (self.kind, self.id)


def _kind(name: str):
    """Register a kind; its ``kind`` field defaults to the kind's name and is not an argument."""

    def decorate(cls):
        cls.__annotations__["kind"] = "str"
        cls.kind = field(default=name, init=False)
        cls = dataclass(frozen=True, kw_only=True)(cls)
        EVIDENCE_KINDS[name] = cls
        return cls

    return decorate


EVIDENCE_KINDS: dict[str, type[Evidence]] = {}


@_kind("school_attendance")
class SchoolAttendance(Evidence):
    academic_year: str  # "2015/16"
    term: str  # autumn / spring / summer
    possible_sessions: int
    absent_sessions: int
    school: str = ""


@_kind("exclusions")
class Exclusion(Evidence):
    start_date: date
    exclusion_type: str  # fixed_term / permanent
    sessions: int | None = None
    date_field: ClassVar[str | None] = "start_date"


@_kind("offences")
class Offence(Evidence):
    offence_date: date
    proven: bool = True
    serious: bool = False
    description: str = ""
    date_field: ClassVar[str | None] = "offence_date"


@_kind("asb_incidents")
class AsbIncident(Evidence):
    incident_date: date
    source: str = "police"
    sanction: str = ""
    date_field: ClassVar[str | None] = "incident_date"


@_kind("domestic_abuse_callouts")
class DomesticAbuseCallout(Evidence):
    callout_date: date
    child_present: bool = False
    civil_injunction_support: bool = False
    date_field: ClassVar[str | None] = "callout_date"


@_kind("benefit_spells")
class BenefitSpell(Evidence):
    benefit: str  # JSA, ESA, IS, IB, UC, other
    start_date: date
    end_date: date | None = None
    out_of_work: bool = True
    is_spell: ClassVar[bool] = True


@_kind("employment_spells")
class EmploymentSpell(Evidence):
    start_date: date
    end_date: date | None = None
    hours_per_week: float | None = None
    monthly_earnings: float | None = None
    is_spell: ClassVar[bool] = True


@_kind("work_activity")
class WorkActivity(Evidence):
    activity: (
        str  # apprenticeship, work_experience, volunteering, permitted_work, work_choice, training
    )
    start_date: date
    end_date: date | None = None
    is_spell: ClassVar[bool] = True


@_kind("neet_status")
class NeetStatus(Evidence):
    status: str  # neet / eet
    start_date: date
    end_date: date | None = None
    is_spell: ClassVar[bool] = True


@_kind("child_plans")
class ChildPlan(Evidence):
    plan: str  # CIN / CP / LAC
    start_date: date
    end_date: date | None = None
    category: str = ""
    is_spell: ClassVar[bool] = True


@_kind("treatment")
class Treatment(Evidence):
    substance: str  # drug / alcohol
    start_date: date
    end_date: date | None = None
    outcome: str = "ongoing"  # completed / dropped_out / ongoing
    is_spell: ClassVar[bool] = True


@_kind("member_flags")
class MemberFlag(Evidence):
    flag: str  # ehcp, young_carer, high_cost, ...
    start_date: date
    end_date: date | None = None
    is_spell: ClassVar[bool] = True


@_kind("judgement")
class Judgement(Evidence):
    """A keyworker's recorded professional judgement, e.g. code "eha_impact", value "moderate"."""

    code: str
    value: str
    recorded_on: date
    date_field: ClassVar[str | None] = "recorded_on"


EVENT_KINDS = frozenset(k for k, c in EVIDENCE_KINDS.items() if c.date_field and k != "judgement")
SPELL_KINDS = frozenset(k for k, c in EVIDENCE_KINDS.items() if c.is_spell)


def evidence_fields(kind: str) -> dict[str, Any]:
    """The fields of a kind (name -> type annotation string), without id/kind/person_id."""
    cls = EVIDENCE_KINDS[kind]
    return {
        f.name: f.type for f in dataclasses.fields(cls) if f.name not in ("id", "kind", "person_id")
    }


@cache  # a dozen annotation strings in all
def _category(annotation: str) -> str:
    """Which coercion an annotation asks for: date, bool, int, float or str (first match wins)."""
    for category in ("date", "bool", "int", "float"):
        if annotation.startswith(category):
            return category
    return "str"


def _coerce(kind: str, name: str, annotation: str, value: Any) -> Any:
    if value is None:
        if "None" in annotation:
            return None
        raise EvidenceError(f"{kind}.{name}: a value is required")
    category = _category(annotation)
    if category == "date":
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise EvidenceError(f"{kind}.{name}: expected a date, got {value!r}")
    if category == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in {
            "true",
            "yes",
            "y",
            "1",
            "false",
            "no",
            "n",
            "0",
        }:
            return value.strip().lower() in {"true", "yes", "y", "1"}
        if value in (0, 1):
            return bool(value)
        raise EvidenceError(f"{kind}.{name}: expected true or false, got {value!r}")
    if category == "int":
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise EvidenceError(f"{kind}.{name}: expected a whole number, got {value!r}")
        try:
            return int(value)
        except ValueError:
            raise EvidenceError(f"{kind}.{name}: expected a whole number, got {value!r}") from None
    if category == "float":
        try:
            return float(value)
        except (TypeError, ValueError):
            raise EvidenceError(f"{kind}.{name}: expected a number, got {value!r}") from None
    return str(value)


def coerce_value(kind: str, name: str, annotation: str, value: Any) -> Any:
    """Coerce one raw value the way the engine reads it (a bool, a date, a number); public for importers."""
    return _coerce(kind, name, annotation, value)


def evidence_from_dict(kind: str, values: dict[str, Any]) -> Evidence:
    """Build a typed record from a plain dict (dates as ``date`` objects or ISO strings).

    Keys the kind does not know (``school``, ``description`` ...) are ignored unless they are fields.
    ``id`` is required; ``person_id`` is None for family-level evidence.
    """
    cls = EVIDENCE_KINDS.get(kind)
    if cls is None:
        raise EvidenceError(
            f"unknown evidence kind {kind!r}; expected one of {', '.join(sorted(EVIDENCE_KINDS))}"
        )
    if "id" not in values:
        raise EvidenceError(f"{kind}: id is required")
    kwargs: dict[str, Any] = {
        "id": _coerce(kind, "id", "int", values["id"]),
        "person_id": _coerce(kind, "person_id", "int | None", values.get("person_id")),
    }
    for name, annotation, has_default in _init_fields(cls):
        if name in values:
            kwargs[name] = _coerce(kind, name, annotation, values[name])
        elif not has_default:
            raise EvidenceError(f"{kind}.{name}: a value is required")
    return cls(**kwargs)


@cache  # one entry per evidence kind
def _init_fields(cls: type[Evidence]) -> tuple[tuple[str, str, bool], ...]:
    """(name, annotation, has a default) of the fields a record is built from, besides id and
    person: worked out once per kind, as every imported or loaded record needs them."""
    return tuple(
        (f.name, str(f.type), f.default is not dataclasses.MISSING)
        for f in dataclasses.fields(cls)
        if f.name not in ("id", "kind", "person_id") and f.init
    )


def evidence_to_dict(record: Evidence) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in _field_names(type(record)):
        value = getattr(record, name)
        out[name] = value.isoformat() if isinstance(value, date) else value
    return out


@cache  # one entry per evidence kind
def _field_names(cls: type[Evidence]) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))
