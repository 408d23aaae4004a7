"""The work done with a family: interventions, case notes and consent."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from core.validation import LONG_NOTE, NOTE, Errors, check_text

from ..models import (
    CaseNote,
    CaseNoteFile,
    ConsentRecord,
    Family,
    FamilyEvent,
    Intervention,
    Membership,
    Person,
    User,
)
from ..permissions import can_withdraw_consent
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


# Files a note may carry (letters, assessments): by extension, each with the first bytes its
# format starts with, so a renamed program is refused as well as a wrong extension.
CASE_FILE_TYPES = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    "doc": ("application/msword", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    "odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "txt": ("text/plain", ()),
}
CASE_FILE_WORDS = "PDF, Word (DOCX or DOC), OpenDocument text (ODT), JPG, PNG or TXT"
PRESENT_OTHERS = 300


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}MB"


def case_file_problem(upload) -> str | None:
    """What is wrong with an uploaded file, in words for the form, or None if it may be kept."""
    name = upload.name or "The file"
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    limit = settings.CASE_FILE_MAX_BYTES
    if upload.size == 0:
        return f"{name} is empty: choose another file"
    if upload.size > limit:
        return f"{name} must be smaller than {_megabytes(limit)}"
    if extension not in CASE_FILE_TYPES:
        return f"{name} must be a {CASE_FILE_WORDS} file"
    _, starts = CASE_FILE_TYPES[extension]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if starts and not head.startswith(starts):
        return f"{name} is not a real {extension.upper()} file: choose another file"
    if not starts and b"\x00" in head:
        return f"{name} is not a text file: choose another file"
    return None


@transaction.atomic
def case_note_add(
    *,
    actor: User,
    family: Family,
    text: str,
    occurred_on: date | None = None,
    kind: str = CaseNote.Kind.OTHER,
    sensitive: bool = False,
    present: Iterable[Person] = (),
    present_others: str = "",
    files: Iterable = (),
) -> CaseNote:
    """Add a progress note (its type, who was there, files) to the family's timeline."""
    require_edit(actor, family)
    occurred_on = occurred_on or today()
    present, files = list(present), list(files)
    errors = Errors()
    if not text.strip():
        errors.add("text", "Enter the note")
    check_text(errors, "text", text, "The note", LONG_NOTE)
    check_not_future("occurred_on", occurred_on, "The date of the note", errors)
    if kind not in CaseNote.Kind.values:
        errors.add("kind", "Select the type of note")
    check_text(errors, "present_others", present_others, "Others who were there", PRESENT_OTHERS)
    if present:
        current = set(
            Membership.objects.filter(
                family=family, start_date__lte=occurred_on, person__in=present
            )
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=occurred_on))
            .values_list("person_id", flat=True)
        )
        if any(person.pk not in current for person in present):
            errors.add("present", "Select people who were members of the household on that date")
    # Every file's problem is reported (one message per file), with the note's own errors.
    file_problems = [p for p in (case_file_problem(upload) for upload in files) if p]
    if errors or file_problems:
        raise ValidationError({**errors, **({"files": file_problems} if file_problems else {})})
    note = CaseNote(
        family=family,
        author=actor,
        occurred_on=occurred_on,
        text=text.strip(),
        kind=kind,
        sensitive=sensitive,
        present_others=present_others.strip(),
    )
    save_with_history(note, actor)
    if present:
        note.present.set(present)
    for upload in files:
        extension = upload.name.rsplit(".", 1)[-1].lower()
        stored = CaseNoteFile(
            note=note,
            name=upload.name[:200],
            content_type=CASE_FILE_TYPES[extension][0],
            size=upload.size,
            uploaded_by=actor,
        )
        stored.file.save(upload.name, upload, save=False)
        stored.save()
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
def consent_withdraw(
    *,
    actor: User,
    consent: ConsentRecord,
    withdrawn_on: date,
    withdrawn_by: str = "",
) -> ConsentRecord:
    """Record that consent was withdrawn on a date, by whom (as they named themselves)."""
    if not can_withdraw_consent(actor, consent.family):
        raise PermissionDenied("Your role cannot record that consent was withdrawn.")
    consent = ConsentRecord.objects.select_for_update().get(pk=consent.pk)
    errors = Errors()
    if consent.withdrawn_on is not None:
        errors.add(
            "withdrawn_on",
            f"This consent was already withdrawn on {consent.withdrawn_on:%-d %B %Y}",
        )
    check_not_future("withdrawn_on", withdrawn_on, "The date consent was withdrawn", errors)
    if withdrawn_on is not None and withdrawn_on < consent.given_on:
        errors.add(
            "withdrawn_on",
            "The date consent was withdrawn must be on or after the date it was given",
        )
    withdrawn_by = (withdrawn_by or "").strip() or consent.given_by
    check_text(errors, "withdrawn_by", withdrawn_by, "Who withdrew consent", CONSENT_GIVEN_BY)
    errors.raise_if_any()
    consent.withdrawn_on = withdrawn_on
    consent.withdrawn_by = withdrawn_by
    consent.withdrawal_recorded_by = actor
    save_with_history(consent, actor)
    whom = consent.person.full_name if consent.person_id else "the whole family"
    record_event(
        consent.family,
        FamilyEvent.Kind.CONSENT_WITHDRAWN,
        withdrawn_on,
        f"{withdrawn_by} withdrew consent to share information about {whom}",
        actor,
    )
    return consent
