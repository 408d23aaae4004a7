"""Recording and correcting evidence: typed, versioned, never edited in place, never deleted.

A record is validated through the engine's own dataclasses (`evidence_from_dict`), so what
is stored is exactly what the rules can read. Each record has a per-kind *natural key*, the
identity of the fact across partner files and corrections, and a SHA-256 *digest* of its
canonical JSON, so recording the same fact twice changes nothing:

- same natural key, same digest → the current record, "unchanged";
- same natural key, different digest → a new version superseding the old one, "corrected";
- otherwise → a new record, "created".

Natural keys (subject is ``p<person id>`` or ``f<family id>``):

======================== ============================================================
kind                     natural key
======================== ============================================================
school_attendance        subject, academic year, term
exclusions               subject, start date, exclusion type
offences                 subject, offence date, description (case and spaces ignored)
asb_incidents            subject, incident date, source
domestic_abuse_callouts  subject, call-out date
benefit_spells           subject, benefit, start date
employment_spells        subject, start date
work_activity            subject, activity, start date
neet_status              subject, status, start date
child_plans              subject, plan, start date
treatment                subject, substance, start date
member_flags             subject, flag, start date
judgement                subject, code, date recorded
======================== ============================================================

`evidence_prepare` computes all of this without touching the database, so bulk loaders
(the demo data) store exactly what the service would.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from families.models import Family, FamilyEvent, Person, User
from families.permissions import EDIT_ROLES, can_edit_family, is_system
from families.services import NewEvent, family_events_record
from outcomes.engine.evidence import (  # coerce_value: the engine's own idea of a bool, a date, a number
    EVIDENCE_KINDS,
    EvidenceError,
    coerce_value,
    evidence_fields,
    evidence_from_dict,
)
from outcomes.engine.terms import TERM_NAMES, TermCalendar, parse_academic_year
from outcomes.models import Evidence, TermDate

UNCHANGED = "unchanged"
CORRECTED = "corrected"
CREATED = "created"

# Roles that apply partner data files (the command runs with no actor).
IMPORT_ROLES = {User.Role.DATA_OFFICER, User.Role.ADMINISTRATOR}

# Values a field may take, where the partner file formats (spec/interfaces.md §1) fix them.
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


def judgement_codes() -> dict[str, tuple[str, ...]]:
    """The judgements a keyworker may record: the standard ones and every one a stored or shipped plan reads."""
    from outcomes.engine import plan_judgements, shipped_plans
    from outcomes.models import PlanVersion
    from outcomes.selectors.plans import engine_plan

    codes = {code: list(values) for code, values in JUDGEMENT_CODES.items()}
    plans = list(shipped_plans().values()) + [engine_plan(pv) for pv in PlanVersion.objects.all()]
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


# --- validation -----------------------------------------------------------------------------------


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
    start, end = getattr(record, "start_date", None), getattr(record, "end_date", None)
    if start and end and end < start and "end_date" not in errors:
        errors["end_date"] = "The end date must be the same as or after the start date"
    if kind == "school_attendance":
        if record.possible_sessions <= 0:
            errors.setdefault("possible_sessions", "The possible sessions must be more than 0")
        if record.absent_sessions < 0:
            errors.setdefault("absent_sessions", "The absent sessions must be 0 or more")
        elif (
            record.absent_sessions > record.possible_sessions and "possible_sessions" not in errors
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
    if kind == "judgement":
        codes = judgement_codes()
        allowed = codes.get(record.code)
        if allowed is None:
            errors.setdefault("code", f"Enter the judgement as one of: {', '.join(codes)}")
        elif record.value.lower() not in allowed:
            errors.setdefault("value", f"Enter the value as one of: {', '.join(allowed)}")


# --- natural keys, digests and dates --------------------------------------------------------------

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


# --- permissions -----------------------------------------------------------------------------------


def _check_may_record(
    actor: User, source: str, person: Person | None, family: Family | None
) -> list[Family]:
    """The families a keyworker's record is about (for their timelines); raise if not allowed."""
    if actor is None:
        raise PermissionDenied("Say who is acting: automated work passes system_actor().")
    if source == Evidence.Source.PARTNER_FILE:
        if not is_system(actor) and actor.role not in IMPORT_ROLES:
            raise PermissionDenied(
                "Only a data officer or an administrator can apply partner data files."
            )
        return []
    if source == Evidence.Source.SYSTEM:
        if not is_system(actor):
            raise PermissionDenied("Only the system records generated evidence.")
        return []
    if actor.role not in EDIT_ROLES:
        raise PermissionDenied("Your role can read evidence but not record it.")
    from families.selectors import family_scope

    scope = family_scope(user=actor)
    if family is not None:
        families = list(scope.filter(pk=family.pk))
    else:
        families = list(scope.filter(memberships__person=person).distinct())
    families = [f for f in families if can_edit_family(actor, f)]
    if not families:
        raise PermissionDenied(
            "You can only record evidence for families you work with whose case is open."
        )
    return families


# --- services ---------------------------------------------------------------------------------------


@transaction.atomic
def evidence_record(
    *,
    actor: User,
    kind: str,
    data: dict[str, Any],
    person: Person | None = None,
    family: Family | None = None,
    source: str,
    source_name: str = "",
    source_file: str = "",
    import_file_id: int | None = None,
    import_row: int | None = None,
) -> tuple[Evidence, str]:
    """Record a fact once: returns (record, "created" | "corrected" | "unchanged")."""
    if (person is None) == (family is None):
        raise ValidationError(
            {"person": "Select the member the evidence is about, or the whole family"}
        )
    if source not in Evidence.Source.values:
        raise ValidationError({"source": f"Unknown source {source!r}"})
    families = _check_may_record(actor, source, person, family)
    prepared = evidence_prepare(
        kind=kind,
        data=data,
        person_id=person.pk if person else None,
        family_id=family.pk if family else None,
        terms=term_calendar(),
    )
    current = (
        Evidence.objects.select_for_update()
        .filter(kind=kind, natural_key=prepared.natural_key, is_current=True)
        .first()
    )
    if current is not None and current.content_digest == prepared.content_digest:
        return current, UNCHANGED
    if current is None:
        # The same fact as received before and corrected since: the correction stands.
        earlier = (
            Evidence.objects.filter(
                kind=kind,
                natural_key=prepared.natural_key,
                content_digest=prepared.content_digest,
                is_current=False,
            )
            .values_list("record_key", flat=True)
            .first()
        )
        if earlier is not None:
            latest = Evidence.objects.filter(record_key=earlier, is_current=True).first()
            if latest is not None:
                return latest, UNCHANGED
    fields = {
        "source": source,
        "source_name": source_name[:200],
        "source_file": source_file[:255],
        "import_file_id": import_file_id,
        "import_row": import_row,
    }
    if current is not None:
        reason = (
            f"Updated by a later partner file{f' from {source_name}' if source_name else ''}"
            if source == Evidence.Source.PARTNER_FILE
            else "Recorded again with different values"
        )
        record = _new_version(
            actor=actor, previous=current, prepared=prepared, reason=reason, **fields
        )
        outcome = CORRECTED
    else:
        record = Evidence.objects.create(
            kind=kind,
            person=person,
            family=family,
            data=prepared.data,
            event_date=prepared.event_date,
            end_date=prepared.end_date,
            natural_key=prepared.natural_key,
            content_digest=prepared.content_digest,
            recorded_by=actor,
            **fields,
        )
        outcome = CREATED
    if source == Evidence.Source.KEYWORKER:
        verb = "corrected" if outcome == CORRECTED else "recorded"
        _timeline(families, record, actor, f"{evidence_summary(record)} {verb}")
    return record, outcome


@transaction.atomic
def evidence_correct(
    *, actor: User, evidence: Evidence, data: dict[str, Any], reason: str
) -> Evidence:
    """Correct a record: a new version with the corrected values and the reason; the old one is kept."""
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the record is being corrected"})
    current = (
        Evidence.objects.select_for_update(of=("self",))
        .select_related("person", "family")
        .get(pk=evidence.pk)
    )
    if not current.is_current:
        raise ValidationError(
            {"evidence": "This version has already been corrected: correct the latest version"}
        )
    families = _check_may_record(actor, Evidence.Source.KEYWORKER, current.person, current.family)
    prepared = evidence_prepare(
        kind=current.kind,
        data=data,
        person_id=current.person_id,
        family_id=current.family_id,
        terms=term_calendar(),
    )
    if prepared.content_digest == current.content_digest:
        raise ValidationError(
            {
                "evidence": "The corrected values are the same as the current ones: change at least one"
            }
        )
    clash = Evidence.objects.filter(
        kind=current.kind, natural_key=prepared.natural_key, is_current=True
    ).exclude(record_key=current.record_key)
    if clash.exists():
        raise ValidationError(
            {"evidence": "Another record already holds this fact: correct that record instead"}
        )
    record = _new_version(
        actor=actor,
        previous=current,
        prepared=prepared,
        reason=reason.strip(),
        source=Evidence.Source.KEYWORKER,
        source_name="",
        source_file="",
        import_file_id=None,
        import_row=None,
    )
    _timeline(families, record, actor, f"{evidence_summary(record)} corrected: {reason.strip()}")
    return record


def _new_version(
    *, actor, previous: Evidence, prepared: PreparedEvidence, reason: str, **fields
) -> Evidence:
    # The constraint allows one current version per record and per natural key: retire the
    # old version first, then point it at its successor (the only in-place change).
    now = timezone.now()
    Evidence.objects.filter(pk=previous.pk).update(is_current=False, superseded_at=now)
    try:
        with transaction.atomic():
            record = Evidence.objects.create(
                record_key=previous.record_key,
                version=previous.version + 1,
                kind=previous.kind,
                person_id=previous.person_id,
                family_id=previous.family_id,
                data=prepared.data,
                event_date=prepared.event_date,
                end_date=prepared.end_date,
                natural_key=prepared.natural_key,
                content_digest=prepared.content_digest,
                recorded_by=actor,
                correction_reason=reason,
                **fields,
            )
    except IntegrityError:
        raise ValidationError(
            {"evidence": "Someone else corrected this record at the same time: try again"}
        ) from None
    Evidence.objects.filter(pk=previous.pk).update(superseded_by=record)
    return record


def _timeline(families: list[Family], record: Evidence, actor: User, summary: str) -> None:
    occurred_on = min(record.event_date or today(), today())
    family_events_record(
        actor=actor,
        events=[
            NewEvent(
                family_id=f.pk,
                kind=FamilyEvent.Kind.EVIDENCE_RECORDED,
                occurred_on=occurred_on,
                summary=summary,
            )
            for f in families
        ],
    )


# --- describing records -------------------------------------------------------------------------------

KIND_LABELS = dict(Evidence.Kind.choices)


def evidence_summary(record: Evidence) -> str:
    """One line a person can read: "Offence on 3 March 2015 (Tom Smith)"."""
    label = KIND_LABELS.get(record.kind, record.kind)
    data = record.data
    if record.kind == "school_attendance":
        possible = data.get("possible_sessions") or 0
        pct = 100 * (possible - data.get("absent_sessions", 0)) / possible if possible else 0
        text = f"School attendance {data.get('term')} term {data.get('academic_year')}: {pct:.1f}%"
    elif record.kind == "judgement":
        text = f"Judgement {data.get('code', '').replace('_', ' ')}: {data.get('value')}"
    elif record.event_date:
        text = (
            f"{label} from {_long(record.event_date)}"
            if EVIDENCE_KINDS[record.kind].is_spell
            else f"{label} on {_long(record.event_date)}"
        )
    else:
        text = label
    who = record.person.full_name if record.person_id and record.person else ""
    return f"{text} ({who})" if who else text


def _long(value: date) -> str:
    return f"{value.day} {value:%B %Y}"
