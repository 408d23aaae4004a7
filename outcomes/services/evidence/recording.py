"""Recording and correcting evidence: who may, versions that never overwrite, and the
family timeline; one line a person can read for each record."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from families.models import Family, FamilyEvent, Person, User
from families.permissions import EDIT_ROLES, can_edit_family, is_system
from families.services import NewEvent, family_events_record
from outcomes import wording
from outcomes.engine.evidence import (  # coerce_value: the engine's own idea of a bool, a date, a number
    EVIDENCE_KINDS,
)
from outcomes.models import Evidence

from .cleaning import CORRECTED, CREATED, IMPORT_ROLES, UNCHANGED, today
from .identity import PreparedEvidence, evidence_prepare, term_calendar


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
    if len(reason.strip()) > CORRECTION_REASON:
        raise ValidationError(
            {
                "reason": f"Why you are correcting it must be {CORRECTION_REASON:,} characters or fewer"
            }
        )
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


KIND_LABELS = dict(Evidence.Kind.choices)
CORRECTION_REASON = 1000


def evidence_summary(record: Evidence) -> str:
    """One line a person can read: "Offence on 3 March 2015 (Tom Smith)"."""
    data = record.data
    label = wording.kind_label(record.kind, data)
    if record.kind == "school_attendance":
        possible = data.get("possible_sessions") or 0
        pct = 100 * (possible - data.get("absent_sessions", 0)) / possible if possible else 0
        text = f"School attendance {data.get('term')} term {data.get('academic_year')}: {pct:.1f}%"
    elif record.kind == "judgement":
        code = str(data.get("code", ""))
        text = (
            f"Judgement that {wording.lower_first(wording.judgement_words(code).label)}: "
            f"{wording.judgement_value_words(code, data.get('value', '')).lower()}"
        )
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
