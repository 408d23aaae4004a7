"""Every change to family records: checked, written atomically with history, and logged.

Services are keyword-only, take the acting user, and raise `ValidationError` (with the
field it concerns) or a `DomainError` that views turn into a clear message.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from . import identifiers
from .errors import InvalidTransition
from .models import (
    AccessLog,
    CaseNote,
    ConsentRecord,
    Family,
    FamilyEvent,
    FamilyProblem,
    FamilyWorker,
    Intervention,
    Locality,
    Membership,
    Person,
    Problem,
    Team,
    User,
)
from .permissions import can_create_family, can_edit_family, can_manage_family


def today() -> date:
    return timezone.localdate()


def _check_not_future(field: str, value: date | None, label: str) -> None:
    if value is not None and value > today():
        raise ValidationError({field: f"{label} must be today or in the past"})


def _next_reference(sequence: str, prefix: str, model) -> str:
    """The next free reference from a database sequence (imported references may sit in the range)."""
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT nextval(%s)", [sequence])
            reference = f"{prefix}{cursor.fetchone()[0]:06d}"
            if not model.objects.filter(reference=reference).exists():
                return reference


def _event(
    family: Family, kind: str, occurred_on: date, summary: str, actor: User | None
) -> FamilyEvent:
    return FamilyEvent.objects.create(
        family=family, kind=kind, occurred_on=occurred_on, summary=summary[:300], actor=actor
    )


def _save(instance, actor: User | None) -> None:
    """Save with the acting user recorded in the row's history."""
    instance._history_user = actor
    instance.full_clean()
    instance.save()


def _clean_postcode(postcode: str) -> str:
    """A valid postcode in its standard form (blank allowed), or a ValidationError saying what to fix."""
    if not postcode:
        return ""
    if problem := identifiers.postcode_problem(postcode):
        raise ValidationError({"postcode": problem})
    return identifiers.normalise_postcode(postcode)


def _require_edit(actor: User, family: Family) -> None:
    if not can_edit_family(actor, family):
        if family.status == Family.Status.CLOSED:
            raise PermissionDenied("This family's case is closed: it can no longer be changed.")
        raise PermissionDenied("Your role can read this family's record but not change it.")


# --- families -----------------------------------------------------------------------------------


@transaction.atomic
def family_create(
    *,
    actor: User | None,
    name: str,
    identified_on: date,
    address: str = "",
    postcode: str = "",
    locality: Locality | None = None,
    team: Team | None = None,
    lead_keyworker: User | None = None,
    reference: str | None = None,
    problems: Iterable[tuple[str, str]] = (),
) -> Family:
    """Create a family at the identified step, with the problems it was identified with."""
    if actor is not None and not can_create_family(actor):
        raise PermissionDenied("Your role cannot create family records.")
    _check_not_future("identified_on", identified_on, "The date identified")
    postcode = _clean_postcode(postcode)
    if lead_keyworker is not None and team is None:
        team = lead_keyworker.team
    if (
        actor is not None
        and actor.role == User.Role.TEAM_MANAGER
        and team is not None
        and team != actor.team
    ):
        raise ValidationError({"team": "You can only create families for your own team"})
    family = Family(
        reference=reference or _next_reference("families_family_reference_seq", "F-", Family),
        name=name.strip(),
        address=address.strip(),
        postcode=postcode,
        locality=locality,
        team=team,
        lead_keyworker=lead_keyworker,
        identified_on=identified_on,
    )
    _save(family, actor)
    _event(
        family,
        FamilyEvent.Kind.CREATED,
        identified_on,
        f"{family} identified for the programme",
        actor,
    )
    for code, evidence in problems:
        family_problem_identify(
            actor=actor,
            family=family,
            problem_code=code,
            identified_on=identified_on,
            evidence=evidence,
        )
    return family


@transaction.atomic
def family_update(*, actor: User | None, family: Family, **fields) -> Family:
    """Change a family's name, address, postcode, locality or team (actor None: a partner file)."""
    if actor is not None:
        _require_edit(actor, family)
    allowed = {"name", "address", "postcode", "locality", "team"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))} here")
    if "postcode" in fields:
        fields["postcode"] = _clean_postcode(fields["postcode"])
    for key, value in fields.items():
        setattr(family, key, value)
    _save(family, actor)
    return family


def _transition(family: Family, to: str) -> None:
    if to not in Family.TRANSITIONS[family.status]:
        raise InvalidTransition(
            f"A family that is {family.get_status_display().lower()} cannot be "
            f"{Family.Status(to).label.lower()}."
        )


@transaction.atomic
def family_attach(
    *, actor: User | None, family: Family, attached_on: date, keyworker: User | None = None
) -> Family:
    """Attach an identified family to the programme: work starts, the outcomes clock starts."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    if actor is not None and not can_manage_family(actor, family):
        raise PermissionDenied("Only a team or programme manager can attach a family.")
    _transition(family, Family.Status.ATTACHED)
    _check_not_future("attached_on", attached_on, "The attachment date")
    if attached_on < family.identified_on:
        raise ValidationError(
            {"attached_on": "The attachment date must be on or after the date identified"}
        )
    family.status = Family.Status.ATTACHED
    family.attached_on = attached_on
    if keyworker is not None:
        family.lead_keyworker = keyworker
        family.team = keyworker.team or family.team
    _save(family, actor)
    who = f" with {family.lead_keyworker} as lead keyworker" if family.lead_keyworker else ""
    _event(family, FamilyEvent.Kind.ATTACHED, attached_on, f"Attached to the programme{who}", actor)
    return family


@transaction.atomic
def family_close(*, actor: User | None, family: Family, closed_on: date, reason: str) -> Family:
    """Close a family's case with a reason."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    if actor is not None and not can_manage_family(actor, family):
        raise PermissionDenied("Only a team or programme manager can close a family's case.")
    _transition(family, Family.Status.CLOSED)
    if reason not in Family.ClosureReason.values:
        raise ValidationError({"reason": "Select why the case is closing"})
    _check_not_future("closed_on", closed_on, "The closure date")
    earliest = family.attached_on or family.identified_on
    if closed_on < earliest:
        raise ValidationError(
            {"closed_on": "The closure date must be on or after the attachment date"}
        )
    family.status = Family.Status.CLOSED
    family.closed_on = closed_on
    family.closure_reason = reason
    _save(family, actor)
    _event(
        family,
        FamilyEvent.Kind.CLOSED,
        closed_on,
        f"Case closed: {family.get_closure_reason_display()}",
        actor,
    )
    return family


@transaction.atomic
def family_assign_keyworker(*, actor: User | None, family: Family, keyworker: User) -> Family:
    """Make a keyworker the family's lead keyworker (actor None: a partner file)."""
    if actor is not None and not can_manage_family(actor, family):
        raise PermissionDenied("Only a team or programme manager can change the lead keyworker.")
    if keyworker.role != User.Role.KEYWORKER:
        raise ValidationError({"keyworker": "Select a keyworker"})
    family.lead_keyworker = keyworker
    if keyworker.team_id:
        family.team_id = keyworker.team_id
    _save(family, actor)
    _event(
        family,
        FamilyEvent.Kind.KEYWORKER_CHANGED,
        today(),
        f"{keyworker} is now the lead keyworker",
        actor,
    )
    return family


@transaction.atomic
def family_worker_add(*, actor: User, family: Family, user: User) -> FamilyWorker:
    """Name another worker on a family, so it appears in their caseload."""
    if not can_manage_family(actor, family):
        raise PermissionDenied("Only a team or programme manager can name workers on a family.")
    worker, _ = FamilyWorker.objects.get_or_create(family=family, user=user)
    return worker


@transaction.atomic
def family_problem_identify(
    *,
    actor: User | None,
    family: Family,
    problem_code: str,
    identified_on: date,
    evidence: str = "",
    source: str = FamilyProblem.Source.KEYWORKER,
) -> FamilyProblem:
    """Record that a family has one of the programme's problems, when and on what evidence."""
    if actor is not None:
        _require_edit(actor, family)
    try:
        problem = Problem.objects.get(code=problem_code)
    except Problem.DoesNotExist:
        raise ValidationError({"problem": f"Unknown problem code {problem_code!r}"}) from None
    _check_not_future("identified_on", identified_on, "The date identified")
    if FamilyProblem.objects.filter(family=family, problem=problem).exists():
        raise ValidationError(
            {"problem": f"The family is already identified with {problem.short_title.lower()}"}
        )
    family_problem = FamilyProblem(
        family=family,
        problem=problem,
        identified_on=identified_on,
        evidence=evidence,
        source=source,
        recorded_by=actor,
    )
    _save(family_problem, actor)
    _event(
        family,
        FamilyEvent.Kind.PROBLEM_IDENTIFIED,
        identified_on,
        f"Identified: {problem.title}",
        actor,
    )
    return family_problem


# --- people and membership ----------------------------------------------------------------------


def _clean_identifiers(upn: str, ni_number: str) -> tuple[str, str]:
    errors = {}
    upn = identifiers.normalise_upn(upn)
    ni_number = identifiers.normalise_ni_number(ni_number)
    if upn and (problem := identifiers.upn_problem(upn)):
        errors["upn"] = problem
    if ni_number and (problem := identifiers.ni_number_problem(ni_number)):
        errors["ni_number"] = problem
    if errors:
        raise ValidationError(errors)
    return upn, ni_number


@transaction.atomic
def person_create(
    *,
    actor: User | None,
    first_name: str,
    last_name: str,
    date_of_birth: date | None = None,
    sex: str = Person.Sex.UNKNOWN,
    upn: str = "",
    ni_number: str = "",
    reference: str | None = None,
) -> Person:
    """Create a person, validating their UPN and National Insurance number."""
    upn, ni_number = _clean_identifiers(upn, ni_number)
    _check_not_future("date_of_birth", date_of_birth, "Date of birth")
    errors = {}
    if upn and Person.objects.filter(upn=upn).exists():
        errors["upn"] = "Another person already has this UPN: search for them and add them instead"
    if ni_number and Person.objects.filter(ni_number=ni_number).exists():
        errors["ni_number"] = "Another person already has this National Insurance number"
    if errors:
        raise ValidationError(errors)
    person = Person(
        reference=reference or _next_reference("families_person_reference_seq", "P-", Person),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        sex=sex,
        upn=upn,
        ni_number=ni_number,
    )
    _save(person, actor)
    return person


@transaction.atomic
def membership_add(
    *,
    actor: User | None,
    family: Family,
    person: Person,
    role: str,
    start_date: date,
    relationship: str = "",
    end_date: date | None = None,
) -> Membership:
    """Add a person to a family's household from a date (and, for history, until a date)."""
    if actor is not None:
        _require_edit(actor, family)
    _check_not_future("start_date", start_date, "The date they joined")
    if person.date_of_birth and start_date < person.date_of_birth:
        raise ValidationError(
            {"start_date": "The date they joined must be on or after their date of birth"}
        )
    if end_date is not None and end_date < start_date:
        raise ValidationError(
            {"end_date": "The date they left must be on or after the date they joined"}
        )
    if role not in Membership.Role.values:
        raise ValidationError({"role": "Select whether they are an adult or a child"})
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
    _save(membership, actor)
    _event(
        family,
        FamilyEvent.Kind.MEMBER_ADDED,
        start_date,
        f"{person} joined the household ({membership.get_role_display().lower()})",
        actor,
    )
    if end_date is not None:
        _event(
            family, FamilyEvent.Kind.MEMBER_LEFT, end_date, f"{person} left the household", actor
        )
    return membership


@transaction.atomic
def member_add(
    *,
    actor: User | None,
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
    if actor is not None:
        _require_edit(actor, family)
    if date_of_birth and start_date < date_of_birth:
        raise ValidationError(
            {"start_date": "The date they joined must be on or after their date of birth"}
        )
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
    *, actor: User | None, membership: Membership, end_date: date, reason: str = ""
) -> Membership:
    """Record that a person left the household on a date."""
    membership = (
        Membership.objects.select_for_update()
        .select_related("person", "family")
        .get(pk=membership.pk)
    )
    if actor is not None:
        _require_edit(actor, membership.family)
    if membership.end_date is not None:
        raise ValidationError({"end_date": f"{membership.person} already left the household"})
    _check_not_future("end_date", end_date, "The date they left")
    if end_date < membership.start_date:
        raise ValidationError(
            {"end_date": "The date they left must be on or after the date they joined"}
        )
    membership.end_date = end_date
    membership.end_reason = reason.strip()
    _save(membership, actor)
    _event(
        membership.family,
        FamilyEvent.Kind.MEMBER_LEFT,
        end_date,
        f"{membership.person} left the household",
        actor,
    )
    return membership


# --- work with the family -----------------------------------------------------------------------


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
    _require_edit(actor, family)
    _check_not_future("start_date", start_date, "The start date")
    _check_not_future("end_date", end_date, "The end date")
    if end_date is not None and end_date < start_date:
        raise ValidationError({"end_date": "The end date must be on or after the start date"})
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
    _save(intervention, actor)
    _event(
        family,
        FamilyEvent.Kind.INTERVENTION_STARTED,
        start_date,
        f"{intervention.get_service_display()} started working with the family",
        actor,
    )
    if end_date is not None:
        _event(
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
    _require_edit(actor, intervention.family)
    if intervention.end_date is not None:
        raise ValidationError({"end_date": "This intervention has already ended"})
    _check_not_future("end_date", end_date, "The end date")
    if end_date < intervention.start_date:
        raise ValidationError({"end_date": "The end date must be on or after the start date"})
    intervention.end_date = end_date
    _save(intervention, actor)
    _event(
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
    _require_edit(actor, family)
    occurred_on = occurred_on or today()
    if not text.strip():
        raise ValidationError({"text": "Enter the note"})
    _check_not_future("occurred_on", occurred_on, "The date of the note")
    note = CaseNote(family=family, author=actor, occurred_on=occurred_on, text=text.strip())
    _save(note, actor)
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
    _require_edit(actor, family)
    if not share_with:
        raise ValidationError(
            {"share_with": "Select who the family agreed to share information with"}
        )
    unknown = set(share_with) - set(ConsentRecord.Party.values)
    if unknown:
        raise ValidationError({"share_with": f"Unknown choice: {', '.join(sorted(unknown))}"})
    if not given_by.strip():
        raise ValidationError({"given_by": "Enter who gave consent"})
    if person is not None and not Membership.objects.filter(family=family, person=person).exists():
        raise ValidationError({"person": "Select a member of this family, or the whole family"})
    _check_not_future("given_on", given_on, "The date consent was given")
    consent = ConsentRecord(
        family=family,
        person=person,
        given_by=given_by.strip(),
        share_with=list(share_with),
        given_on=given_on,
        notes=notes.strip(),
        recorded_by=actor,
    )
    _save(consent, actor)
    _event(
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
    _require_edit(actor, consent.family)
    _check_not_future("withdrawn_on", withdrawn_on, "The date consent was withdrawn")
    if withdrawn_on < consent.given_on:
        raise ValidationError(
            {
                "withdrawn_on": "The date consent was withdrawn must be on or after the date it was given"
            }
        )
    consent.withdrawn_on = withdrawn_on
    _save(consent, actor)
    _event(
        consent.family,
        FamilyEvent.Kind.CONSENT_RECORDED,
        withdrawn_on,
        f"{consent.given_by} withdrew consent",
        actor,
    )
    return consent


# --- access log ---------------------------------------------------------------------------------


def access_log_record(
    *, user: User, families: Iterable[Family], via: str, action: str, path: str = ""
) -> None:
    """Record that the user read these family records (one insert, whatever the number)."""
    AccessLog.objects.bulk_create(
        [
            AccessLog(user=user, family=family, via=via, action=action, path=path[:300])
            for family in families
        ]
    )
