"""People and their dated membership of a family's household."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.validation import SHORT_TEXT, Errors, check_text

from .. import identifiers
from ..models import Family, FamilyEvent, Membership, Person, User
from ..permissions import can_record_people
from ..validation import check_member_names, check_membership
from .common import check_not_future, next_reference, record_event, require_edit, save_with_history


def _clean_identifiers(upn: str, ni_number: str, errors: Errors | None = None) -> tuple[str, str]:
    found = Errors() if errors is None else errors
    upn = identifiers.normalise_upn(upn)
    ni_number = identifiers.normalise_ni_number(ni_number)
    if upn and (problem := identifiers.upn_problem(upn)):
        found.add("upn", problem)
    if ni_number and (problem := identifiers.ni_number_problem(ni_number)):
        found.add("ni_number", problem)
    if errors is None:
        found.raise_if_any()
    return upn, ni_number


def _check_person(
    errors: Errors,
    *,
    first_name: str,
    last_name: str,
    date_of_birth: date | None,
    upn: str,
    ni_number: str,
) -> tuple[str, str]:
    """Everything wrong with a new person's details, collected; their cleaned identifiers."""
    upn, ni_number = _clean_identifiers(upn, ni_number, errors)
    check_member_names(errors, first_name, last_name)
    check_not_future("date_of_birth", date_of_birth, "Date of birth", errors)
    if upn and "upn" not in errors and Person.objects.filter(upn=upn).exists():
        errors.add(
            "upn", "Another person already has this UPN: search for them and add them instead"
        )
    if (
        ni_number
        and "ni_number" not in errors
        and Person.objects.filter(ni_number=ni_number).exists()
    ):
        errors.add("ni_number", "Another person already has this National Insurance number")
    return upn, ni_number


@transaction.atomic
def person_create(
    *,
    actor: User,
    first_name: str,
    last_name: str,
    date_of_birth: date | None = None,
    sex: str = Person.Sex.UNKNOWN,
    upn: str = "",
    ni_number: str = "",
    reference: str | None = None,
) -> Person:
    """Create a person, validating their UPN and National Insurance number."""
    if not can_record_people(actor):
        raise PermissionDenied("Your role can read people's records but not add people.")
    errors = Errors()
    upn, ni_number = _check_person(
        errors,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        upn=upn,
        ni_number=ni_number,
    )
    errors.raise_if_any()
    person = Person(
        reference=reference or next_reference("families_person_reference_seq", "P-", Person),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        sex=sex,
        upn=upn,
        ni_number=ni_number,
    )
    save_with_history(person, actor)
    return person


@transaction.atomic
def membership_add(
    *,
    actor: User,
    family: Family,
    person: Person,
    role: str,
    start_date: date,
    relationship: str = "",
    end_date: date | None = None,
) -> Membership:
    """Add a person to a family's household from a date (and, for history, until a date)."""
    require_edit(actor, family)
    errors = Errors()
    check_not_future("start_date", start_date, "The date they joined", errors)
    check_not_future("end_date", end_date, "The date they left", errors)
    if role not in Membership.Role.values:
        errors.add("role", "Select whether they are an adult or a child")
    check_membership(
        errors,
        role=role,
        date_of_birth=person.date_of_birth,
        start_date=start_date,
        end_date=end_date,
        relationship=relationship,
    )
    errors.raise_if_any()
    overlapping = Membership.objects.filter(
        family=family, person=person, start_date__lte=end_date or date.max
    ).exclude(end_date__lt=start_date)
    if overlapping.exists():
        raise ValidationError(
            {"start_date": f"{person} is already a member of this family at that date"}
        )
    membership = Membership(
        family=family,
        person=person,
        role=role,
        relationship=relationship.strip(),
        start_date=start_date,
        end_date=end_date,
    )
    save_with_history(membership, actor)
    record_event(
        family,
        FamilyEvent.Kind.MEMBER_ADDED,
        start_date,
        f"{person} joined the household ({membership.get_role_display().lower()})",
        actor,
    )
    if end_date is not None:
        record_event(
            family, FamilyEvent.Kind.MEMBER_LEFT, end_date, f"{person} left the household", actor
        )
    return membership


@transaction.atomic
def member_add(
    *,
    actor: User,
    family: Family,
    first_name: str,
    last_name: str,
    role: str,
    start_date: date,
    date_of_birth: date | None = None,
    sex: str = Person.Sex.UNKNOWN,
    upn: str = "",
    ni_number: str = "",
    relationship: str = "",
) -> Membership:
    """Create a new person and add them to the family's household in one step."""
    require_edit(actor, family)
    # Every problem with the person and their membership at once, before anything is written.
    errors = Errors()
    _check_person(
        errors,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        upn=upn,
        ni_number=ni_number,
    )
    check_not_future("start_date", start_date, "The date they joined", errors)
    if role not in Membership.Role.values:
        errors.add("role", "Select whether they are an adult or a child")
    check_membership(
        errors,
        role=role,
        date_of_birth=date_of_birth,
        start_date=start_date,
        relationship=relationship,
    )
    errors.raise_if_any()
    person = person_create(
        actor=actor,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        sex=sex,
        upn=upn,
        ni_number=ni_number,
    )
    return membership_add(
        actor=actor,
        family=family,
        person=person,
        role=role,
        start_date=start_date,
        relationship=relationship,
    )


@transaction.atomic
def membership_end(
    *, actor: User, membership: Membership, end_date: date, reason: str = ""
) -> Membership:
    """Record that a person left the household on a date."""
    membership = (
        Membership.objects.select_for_update()
        .select_related("person", "family")
        .get(pk=membership.pk)
    )
    require_edit(actor, membership.family)
    if membership.end_date is not None:
        raise ValidationError({"end_date": f"{membership.person} already left the household"})
    errors = Errors()
    check_not_future("end_date", end_date, "The date they left", errors)
    if end_date < membership.start_date:
        errors.add("end_date", "The date they left must be on or after the date they joined")
    check_text(errors, "reason", reason, "Why they left", SHORT_TEXT)
    errors.raise_if_any()
    membership.end_date = end_date
    membership.end_reason = reason.strip()
    save_with_history(membership, actor)
    record_event(
        membership.family,
        FamilyEvent.Kind.MEMBER_LEFT,
        end_date,
        f"{membership.person} left the household",
        actor,
    )
    return membership
