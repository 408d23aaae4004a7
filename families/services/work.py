"""The work done with a family: interventions, case notes and consent."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from core.validation import LONG_NOTE, NOTE, Errors, check_text

from ..models import (
    CaseNote,
    ConsentRecord,
    Family,
    FamilyEvent,
    Intervention,
    Membership,
    Person,
    User,
)
from .common import check_not_future, record_event, require_edit, save_with_history, today

WORKER_NAME = 120
CONSENT_GIVEN_BY = 120


@transaction.atomic
def intervention_record(
    *,
    actor: User,
    family: Family,
    service: str,
    start_date: date,
    worker_name: str = "",
    worker: User | None = None,
    end_date: date | None = None,
    notes: str = "",
) -> Intervention:
    """Record a service that worked with the family."""
    require_edit(actor, family)
    errors = Errors()
    check_not_future("start_date", start_date, "The start date", errors)
    check_not_future("end_date", end_date, "The end date", errors)
    if end_date is not None and end_date < start_date:
        errors.add("end_date", "The end date must be on or after the start date")
    if service not in Intervention.Service.values:
        errors.add("service", "Select the service that worked with the family")
    check_text(errors, "worker_name", worker_name, "Worker's name", WORKER_NAME)
    check_text(errors, "notes", notes, "Notes", NOTE)
    errors.raise_if_any()
    intervention = Intervention(
        family=family,
        service=service,
        worker_name=worker_name.strip() or (worker.display_name if worker else ""),
        worker=worker,
        start_date=start_date,
        end_date=end_date,
        notes=notes.strip(),
        recorded_by=actor,
    )
    save_with_history(intervention, actor)
    record_event(
        family,
        FamilyEvent.Kind.INTERVENTION_STARTED,
        start_date,
        f"{intervention.get_service_display()} started working with the family",
        actor,
    )
    if end_date is not None:
        record_event(
            family,
            FamilyEvent.Kind.INTERVENTION_ENDED,
            end_date,
            f"{intervention.get_service_display()} finished working with the family",
            actor,
        )
    return intervention


@transaction.atomic
def intervention_end(*, actor: User, intervention: Intervention, end_date: date) -> Intervention:
    """Record the date a service stopped working with the family."""
    intervention = (
        Intervention.objects.select_for_update().select_related("family").get(pk=intervention.pk)
    )
    require_edit(actor, intervention.family)
    if intervention.end_date is not None:
        raise ValidationError({"end_date": "This intervention has already ended"})
    errors = Errors()
    check_not_future("end_date", end_date, "The end date", errors)
    if end_date < intervention.start_date:
        errors.add("end_date", "The end date must be on or after the start date")
    errors.raise_if_any()
    intervention.end_date = end_date
    save_with_history(intervention, actor)
    record_event(
        intervention.family,
        FamilyEvent.Kind.INTERVENTION_ENDED,
        end_date,
        f"{intervention.get_service_display()} finished working with the family",
        actor,
    )
    return intervention


@transaction.atomic
def case_note_add(
    *, actor: User, family: Family, text: str, occurred_on: date | None = None
) -> CaseNote:
    """Add a progress note to the family's timeline."""
    require_edit(actor, family)
    occurred_on = occurred_on or today()
    errors = Errors()
    if not text.strip():
        errors.add("text", "Enter the note")
    check_text(errors, "text", text, "The note", LONG_NOTE)
    check_not_future("occurred_on", occurred_on, "The date of the note", errors)
    errors.raise_if_any()
    note = CaseNote(family=family, author=actor, occurred_on=occurred_on, text=text.strip())
    save_with_history(note, actor)
    return note


@transaction.atomic
def consent_record(
    *,
    actor: User,
    family: Family,
    given_by: str,
    share_with: list[str],
    given_on: date,
    person: Person | None = None,
    notes: str = "",
) -> ConsentRecord:
    """Record what the family agreed to share, with whom, and when."""
    require_edit(actor, family)
    errors = Errors()
    if not share_with:
        errors.add("share_with", "Select who the family agreed to share information with")
    unknown = set(share_with) - set(ConsentRecord.Party.values)
    if unknown:
        errors.add("share_with", f"Unknown choice: {', '.join(sorted(unknown))}")
    if not given_by.strip():
        errors.add("given_by", "Enter who gave consent")
    check_text(errors, "given_by", given_by, "Who gave consent", CONSENT_GIVEN_BY)
    check_text(errors, "notes", notes, "Notes", NOTE)
    if person is not None and not Membership.objects.filter(family=family, person=person).exists():
        errors.add("person", "Select a member of this family, or the whole family")
    check_not_future("given_on", given_on, "The date consent was given", errors)
    errors.raise_if_any()
    consent = ConsentRecord(
        family=family,
        person=person,
        given_by=given_by.strip(),
        share_with=list(share_with),
        given_on=given_on,
        notes=notes.strip(),
        recorded_by=actor,
    )
    save_with_history(consent, actor)
    record_event(
        family,
        FamilyEvent.Kind.CONSENT_RECORDED,
        given_on,
        f"{consent.given_by} agreed to share with {', '.join(consent.share_with_labels()).lower()}",
        actor,
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, consent: ConsentRecord, withdrawn_on: date) -> ConsentRecord:
    """Record that consent was withdrawn on a date."""
    require_edit(actor, consent.family)
    errors = Errors()
    check_not_future("withdrawn_on", withdrawn_on, "The date consent was withdrawn", errors)
    if withdrawn_on < consent.given_on:
        errors.add(
            "withdrawn_on",
            "The date consent was withdrawn must be on or after the date it was given",
        )
    errors.raise_if_any()
    consent.withdrawn_on = withdrawn_on
    save_with_history(consent, actor)
    record_event(
        consent.family,
        FamilyEvent.Kind.CONSENT_RECORDED,
        withdrawn_on,
        f"{consent.given_by} withdrew consent",
        actor,
    )
    return consent
