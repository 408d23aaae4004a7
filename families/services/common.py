"""What the family services share: today's date, saving with history, the timeline event, and
the checks on dates and on who may change a record. Used inside `families.services` only."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from core.validation import Errors, check_date

from .. import identifiers
from ..models import Family, FamilyEvent, User
from ..permissions import can_edit_family


def today() -> date:
    return timezone.localdate()


def check_not_future(
    field: str, value: date | None, label: str, errors: Errors | None = None
) -> None:
    """A date someone could mean: not after today and not before 1900. With `errors`, the
    problem is collected (the service raises them all together); without, it is raised."""
    found = Errors()
    check_date(found, field, value, label)
    if errors is not None:
        for name, message in found.items():
            errors.add(name, message)
    else:
        found.raise_if_any()


def next_reference(sequence: str, prefix: str, model) -> str:
    """The next free reference from a database sequence (imported references may sit in the range)."""
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT nextval(%s)", [sequence])
            reference = f"{prefix}{cursor.fetchone()[0]:06d}"
            if not model.objects.filter(reference=reference).exists():
                return reference


def record_event(
    family: Family, kind: str, occurred_on: date, summary: str, actor: User
) -> FamilyEvent:
    return FamilyEvent.objects.create(
        family=family, kind=kind, occurred_on=occurred_on, summary=summary[:300], actor=actor
    )


def save_with_history(instance, actor: User) -> None:
    """Save with the acting user recorded in the row's history."""
    instance._history_user = actor
    instance.full_clean()
    instance.save()


def clean_postcode(postcode: str) -> str:
    """A valid postcode in its standard form (blank allowed), or a ValidationError saying what to fix."""
    if not postcode:
        return ""
    if problem := identifiers.postcode_problem(postcode):
        raise ValidationError({"postcode": problem})
    return identifiers.normalise_postcode(postcode)


def require_edit(actor: User, family: Family) -> None:
    if not can_edit_family(actor, family):
        if family.status == Family.Status.CLOSED:
            raise PermissionDenied("This family's case is closed: it can no longer be changed.")
        raise PermissionDenied("Your role can read this family's record but not change it.")
