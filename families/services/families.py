"""A family's lifecycle: created at the identified step, attached, closed; its problems."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.errors import InvalidTransition
from core.validation import NOTE, Errors, check_text

from ..models import Family, FamilyEvent, FamilyProblem, Locality, Problem, Team, User
from ..permissions import can_create_family, can_manage_family
from .common import (
    check_not_future,
    clean_postcode,
    next_reference,
    record_event,
    require_edit,
    save_with_history,
)

FAMILY_NAME = 120
ADDRESS = 500


@transaction.atomic
def family_create(
    *,
    actor: User,
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
    if not can_create_family(actor):
        raise PermissionDenied("Your role cannot create family records.")
    errors = Errors()
    check_not_future("identified_on", identified_on, "The date identified", errors)
    check_text(errors, "name", name, "Family name", FAMILY_NAME)
    check_text(errors, "address", address, "Address", ADDRESS)
    problems = list(problems)
    for code, evidence in problems:
        check_text(errors, f"evidence_{code}", evidence, "The evidence", NOTE)
    try:
        postcode = clean_postcode(postcode)
    except ValidationError as error:
        errors.add("postcode", error.message_dict["postcode"][0])
    if lead_keyworker is not None and team is None:
        team = lead_keyworker.team
    if team is None and actor.role == User.Role.TEAM_MANAGER:
        # A family created with no keyworker waits in its creator's team's unallocated queue,
        # so the team manager who created it still sees it.
        team = actor.team
    if actor.role == User.Role.TEAM_MANAGER and team is not None and team != actor.team:
        errors.add("team", "You can only create families for your own team")
    errors.raise_if_any()
    family = Family(
        reference=reference or next_reference("families_family_reference_seq", "F-", Family),
        name=name.strip(),
        address=address.strip(),
        postcode=postcode,
        locality=locality,
        team=team,
        lead_keyworker=lead_keyworker,
        identified_on=identified_on,
    )
    save_with_history(family, actor)
    record_event(
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


def _transition(family: Family, to: str, moves=Family.TRANSITIONS) -> None:
    if to not in moves.get(family.status, set()):
        raise InvalidTransition(
            f"A family that is {family.get_status_display().lower()} cannot be "
            f"{Family.Status(to).label.lower()}."
        )


@transaction.atomic
def family_attach(
    *, actor: User, family: Family, attached_on: date, keyworker: User | None = None
) -> Family:
    """Attach an identified family to the programme: work starts, the outcomes clock starts."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    if not can_manage_family(actor, family):
        raise PermissionDenied("Only a team or programme manager can attach a family.")
    _transition(family, Family.Status.ATTACHED)
    errors = Errors()
    check_not_future("attached_on", attached_on, "The attachment date", errors)
    if attached_on < family.identified_on:
        errors.add("attached_on", "The attachment date must be on or after the date identified")
    errors.raise_if_any()
    family.status = Family.Status.ATTACHED
    family.attached_on = attached_on
    if keyworker is not None:
        family.lead_keyworker = keyworker
        family.team = keyworker.team or family.team
    save_with_history(family, actor)
    who = f" with {family.lead_keyworker} as lead keyworker" if family.lead_keyworker else ""
    record_event(
        family, FamilyEvent.Kind.ATTACHED, attached_on, f"Attached to the programme{who}", actor
    )
    return family


@transaction.atomic
def family_close(*, actor: User, family: Family, closed_on: date, reason: str) -> Family:
    """Close a family's case with a reason."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    if not can_manage_family(actor, family):
        raise PermissionDenied("Only a team or programme manager can close a family's case.")
    _transition(family, Family.Status.CLOSED)
    errors = Errors()
    if reason not in Family.ClosureReason.values:
        errors.add("reason", "Select why the case is closing")
    check_not_future("closed_on", closed_on, "The closure date", errors)
    earliest = family.attached_on or family.identified_on
    if closed_on < earliest:
        errors.add("closed_on", "The closure date must be on or after the attachment date")
    errors.raise_if_any()
    family.status = Family.Status.CLOSED
    family.closed_on = closed_on
    family.closure_reason = reason
    save_with_history(family, actor)
    record_event(
        family,
        FamilyEvent.Kind.CLOSED,
        closed_on,
        f"Case closed: {family.get_closure_reason_display()}",
        actor,
    )
    return family


@transaction.atomic
def family_problem_identify(
    *,
    actor: User,
    family: Family,
    problem_code: str,
    identified_on: date,
    evidence: str = "",
    source: str = FamilyProblem.Source.KEYWORKER,
) -> FamilyProblem:
    """Record that a family has one of the programme's problems, when and on what evidence."""
    require_edit(actor, family)
    try:
        problem = Problem.objects.get(code=problem_code)
    except Problem.DoesNotExist:
        raise ValidationError({"problem": f"Unknown problem code {problem_code!r}"}) from None
    errors = Errors()
    check_not_future("identified_on", identified_on, "The date identified", errors)
    check_text(errors, "evidence", evidence, "The evidence", NOTE)
    errors.raise_if_any()
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
    save_with_history(family_problem, actor)
    record_event(
        family,
        FamilyEvent.Kind.PROBLEM_IDENTIFIED,
        identified_on,
        f"Identified: {problem.title}",
        actor,
    )
    return family_problem
