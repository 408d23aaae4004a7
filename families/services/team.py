"""The team around the family and case movement: the lead keyworker (allocate, reallocate),
named workers, partner professionals from other agencies, stepping up to children's social care
and down again, reopening a closed case, and moving a family to another team."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse

from core.validation import NOTE, Errors, check_text

from ..models import (
    Family,
    FamilyEvent,
    FamilyWorker,
    Notification,
    PartnerProfessional,
    StepChange,
    Team,
    User,
)
from ..permissions import can_manage_family
from .common import check_not_future, record_event, require_edit, save_with_history, today
from .families import _transition
from .notifications import Notice, notifications_send

REASON = 500
PARTNER_NAME = 120
ORGANISATION = 200
PARTNER_ROLE = 120
PHONE = 40


def _family_url(family: Family) -> str:
    return reverse("families:detail", args=[family.reference])


def _locked(family: Family) -> Family:
    return (
        Family.objects.select_for_update(of=("self",))
        .select_related("team", "lead_keyworker")
        .get(pk=family.pk)
    )


def _require_manager(actor: User, family: Family, doing: str) -> None:
    if actor is None:
        raise PermissionDenied("Say who is acting: automated work passes system_actor().")
    if not can_manage_family(actor, family):
        raise PermissionDenied(
            f"Only the family's team manager or a programme manager can {doing}."
        )


def _require_open(family: Family) -> None:
    if family.status == Family.Status.CLOSED:
        raise PermissionDenied("This family's case is closed: reopen it first.")


def _check_reason(errors: Errors, reason: str, label: str, *, required: bool = True) -> None:
    if required and not (reason or "").strip():
        errors.add("reason", f"Enter {label}")
    check_text(errors, "reason", reason, "The reason", REASON)


def _active_keyworker(user: User | None) -> bool:
    return user is not None and user.is_active and user.role == User.Role.KEYWORKER


# --- the lead keyworker --------------------------------------------------------------------------


@transaction.atomic
def family_reallocate(*, actor: User, family: Family, keyworker: User, reason: str = "") -> Family:
    """Make a keyworker in the family's team its lead keyworker (allocating an unallocated
    family, or reallocating one); the old and new keyworker are told."""
    family = _locked(family)
    _require_manager(actor, family, "change the lead keyworker")
    _require_open(family)
    old = family.lead_keyworker
    errors = Errors()
    if not _active_keyworker(keyworker):
        errors.add("keyworker", "Select a keyworker")
    elif old is not None and keyworker.pk == old.pk:
        errors.add("keyworker", f"{keyworker} is already the lead keyworker: choose someone else")
    elif family.team_id is not None and keyworker.team_id != family.team_id:
        errors.add(
            "keyworker",
            f"Choose a keyworker in {family.team}, or move the family to their team first",
        )
    # Taking a family from its keyworker needs a reason; allocating an unallocated one does not.
    _check_reason(errors, reason, "why the lead keyworker is changing", required=old is not None)
    errors.raise_if_any()
    family.lead_keyworker = keyworker
    family.team = family.team or keyworker.team
    save_with_history(family, actor)
    # The lead keyworker is not also a named worker.
    FamilyWorker.objects.filter(family=family, user=keyworker).delete()
    why = f" {reason.strip()}" if reason.strip() else ""
    if why and not why.endswith((".", "!", "?")):
        why += "."
    if old is None:
        summary = f"{actor} allocated the family to {keyworker} as lead keyworker.{why}"
    else:
        summary = f"{actor} changed the lead keyworker from {old} to {keyworker}.{why}"
    event = record_event(family, FamilyEvent.Kind.KEYWORKER_CHANGED, today(), summary, actor)
    url = _family_url(family)
    notices = [
        Notice(
            user=keyworker,
            kind=Notification.Kind.CASE_MOVED,
            message=f"You are now the lead keyworker for the {family.name} family ({family.reference}).",
            dedupe_key=f"lead-keyworker:{event.pk}:new",
            url=url,
            family_id=family.pk,
            email_subject=f"You are now the lead keyworker for family {family.reference}",
            email_body=f"You are now the lead keyworker for family {family.reference}.",
        )
    ]
    if old is not None:
        notices.append(
            Notice(
                user=old,
                kind=Notification.Kind.CASE_MOVED,
                message=f"The {family.name} family ({family.reference}) has a new lead "
                f"keyworker: {keyworker}. It has left your caseload.",
                dedupe_key=f"lead-keyworker:{event.pk}:old",
                family_id=family.pk,
                email_subject=f"Family {family.reference} has a new lead keyworker",
                email_body=f"Family {family.reference} has a new lead keyworker.",
            )
        )
    notifications_send(actor=actor, notices=notices)
    return family


# --- named workers -------------------------------------------------------------------------------


@transaction.atomic
def family_worker_add(*, actor: User, family: Family, user: User) -> FamilyWorker:
    """Name another worker on a family, so it appears in their caseload."""
    family = _locked(family)
    _require_manager(actor, family, "name workers on a family")
    _require_open(family)
    errors = Errors()
    if not _active_keyworker(user):
        errors.add("user", "Select a keyworker")
    elif user.pk == family.lead_keyworker_id:
        errors.add("user", f"{user} is the lead keyworker already")
    elif actor.role == User.Role.TEAM_MANAGER and user.team_id != actor.team_id:
        errors.add("user", "Choose a keyworker in your team")
    elif FamilyWorker.objects.filter(family=family, user=user).exists():
        errors.add("user", f"{user} is already named on the family")
    errors.raise_if_any()
    worker = FamilyWorker.objects.create(family=family, user=user, added_on=today(), added_by=actor)
    record_event(
        family,
        FamilyEvent.Kind.WORKER_NAMED,
        today(),
        f"{actor} named {user} as a worker on the family.",
        actor,
    )
    notifications_send(
        actor=actor,
        notices=[
            Notice(
                user=user,
                kind=Notification.Kind.CASE_MOVED,
                message=f"You have been named as a worker on the {family.name} family "
                f"({family.reference}). It is in your caseload.",
                dedupe_key=f"named-worker:{worker.pk}",
                url=_family_url(family),
                family_id=family.pk,
            )
        ],
    )
    return worker


@transaction.atomic
def family_worker_remove(*, actor: User, family: Family, user: User) -> None:
    """Stop naming a worker on a family: it leaves their caseload (the timeline keeps the record)."""
    family = _locked(family)
    _require_manager(actor, family, "change who is named on a family")
    deleted, _ = FamilyWorker.objects.filter(family=family, user=user).delete()
    if not deleted:
        raise ValidationError({"user": f"{user} is not named on the family"})
    record_event(
        family,
        FamilyEvent.Kind.WORKER_REMOVED,
        today(),
        f"{actor} removed {user} from the workers named on the family.",
        actor,
    )


# --- partner professionals -----------------------------------------------------------------------


@transaction.atomic
def partner_professional_add(
    *,
    actor: User,
    family: Family,
    name: str,
    organisation: str,
    agency: str,
    from_date: date,
    role: str = "",
    phone: str = "",
    email: str = "",
    is_lead_professional: bool = False,
) -> PartnerProfessional:
    """Add a professional from another agency to the team around the family."""
    family = _locked(family)
    require_edit(actor, family)
    errors = Errors()
    if not (name or "").strip():
        errors.add("name", "Enter the professional's name")
    if not (organisation or "").strip():
        errors.add("organisation", "Enter the organisation they work for")
    if agency not in PartnerProfessional.Agency.values:
        errors.add("agency", "Select the kind of agency")
    check_text(errors, "name", name, "Name", PARTNER_NAME)
    check_text(errors, "organisation", organisation, "Organisation", ORGANISATION)
    check_text(errors, "role", role, "Role or job title", PARTNER_ROLE)
    check_text(errors, "phone", phone, "Phone number", PHONE)
    if phone and not all(c.isdigit() or c in " +()-" for c in phone):
        errors.add("phone", "Enter a phone number, like 01865 792422 or 07700 900982")
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.add(
                "email", "Enter an email address in the correct format, like name@example.com"
            )
    check_not_future("from_date", from_date, "The date they joined", errors)
    if from_date and from_date < family.identified_on:
        errors.add(
            "from_date", "The date they joined must be on or after the family was identified"
        )
    if is_lead_professional:
        lead = PartnerProfessional.objects.filter(
            family=family, is_lead_professional=True, to_date__isnull=True
        ).first()
        if lead is not None:
            errors.add(
                "is_lead_professional",
                f"{lead.name} is the lead professional: record that they have left first",
            )
    errors.raise_if_any()
    partner = PartnerProfessional(
        family=family,
        name=name.strip(),
        organisation=organisation.strip(),
        agency=agency,
        role=role.strip(),
        phone=phone.strip(),
        email=email,
        is_lead_professional=is_lead_professional,
        from_date=from_date,
        recorded_by=actor,
    )
    save_with_history(partner, actor)
    lead_words = " as lead professional" if is_lead_professional else ""
    role_words = f", {partner.role}" if partner.role else ""
    record_event(
        family,
        FamilyEvent.Kind.PARTNER_JOINED,
        from_date,
        f"{partner.name}{role_words} ({partner.organisation}) joined the team around the "
        f"family{lead_words}.",
        actor,
    )
    return partner


@transaction.atomic
def partner_professional_end(
    *, actor: User, partner: PartnerProfessional, to_date: date
) -> PartnerProfessional:
    """Record the date a partner professional stopped working with the family."""
    partner = (
        PartnerProfessional.objects.select_for_update().select_related("family").get(pk=partner.pk)
    )
    require_edit(actor, partner.family)
    errors = Errors()
    if partner.to_date is not None:
        errors.add("to_date", f"{partner.name} has already left the team around the family")
    check_not_future("to_date", to_date, "The date they left", errors)
    if to_date and to_date < partner.from_date:
        errors.add("to_date", "The date they left must be on or after the date they joined")
    errors.raise_if_any()
    partner.to_date = to_date
    save_with_history(partner, actor)
    record_event(
        partner.family,
        FamilyEvent.Kind.PARTNER_LEFT,
        to_date,
        f"{partner.name} ({partner.organisation}) left the team around the family.",
        actor,
    )
    return partner


# --- stepping up and down ------------------------------------------------------------------------


@transaction.atomic
def family_step_change(
    *, actor: User, family: Family, direction: str, occurred_on: date, reason: str
) -> StepChange:
    """Record that the family was stepped up to children's social care, or stepped down from it."""
    family = _locked(family)
    _require_manager(actor, family, "step a family up or down")
    _require_open(family)
    latest = StepChange.objects.filter(family=family).first()
    errors = Errors()
    if direction not in StepChange.Direction.values:
        errors.add("direction", "Select whether the family is stepping up or down")
    elif latest is not None and latest.direction == direction:
        already = "stepped up to" if direction == StepChange.Direction.UP else "stepped down from"
        errors.add(
            "direction",
            f"The family was already {already} children's social care on "
            f"{latest.occurred_on:%-d %B %Y}",
        )
    check_not_future("occurred_on", occurred_on, "The date", errors)
    if occurred_on and occurred_on < family.identified_on:
        errors.add("occurred_on", "The date must be on or after the family was identified")
    elif occurred_on and latest is not None and occurred_on < latest.occurred_on:
        errors.add(
            "occurred_on",
            f"The date must be on or after the last step change, {latest.occurred_on:%-d %B %Y}",
        )
    _check_reason(errors, reason, "why the family is stepping up or down")
    check_text(errors, "reason", reason, "The reason", NOTE)
    errors.raise_if_any()
    step = StepChange(
        family=family,
        direction=direction,
        occurred_on=occurred_on,
        reason=reason.strip(),
        recorded_by=actor,
    )
    save_with_history(step, actor)
    up = direction == StepChange.Direction.UP
    record_event(
        family,
        FamilyEvent.Kind.STEPPED_UP if up else FamilyEvent.Kind.STEPPED_DOWN,
        occurred_on,
        (
            "Stepped up to children's social care: "
            if up
            else "Stepped down from children's social care to early help: "
        )
        + step.reason,
        actor,
    )
    return step


# --- reopening a closed case ---------------------------------------------------------------------


def reopen_status(family: Family) -> str:
    """The status a closed family goes back to: attached if it had been attached."""
    return Family.Status.ATTACHED if family.attached_on is not None else Family.Status.IDENTIFIED


@transaction.atomic
def family_reopen(*, actor: User, family: Family, reason: str) -> Family:
    """Reopen a closed case with a reason; the closure stays in the timeline and history."""
    family = _locked(family)
    _require_manager(actor, family, "reopen a family's case")
    if FamilyEvent.objects.filter(family=family, kind=FamilyEvent.Kind.ANONYMISED).exists():
        # The retention schedule has anonymised it: there is no record left to work from.
        raise PermissionDenied(
            "This family's record was anonymised under the retention schedule, so the case "
            "cannot be reopened: create a new family instead."
        )
    to = reopen_status(family)
    _transition(family, to, Family.REOPENS)
    errors = Errors()
    _check_reason(errors, reason, "why the case is reopening")
    errors.raise_if_any()
    closed_on, closure = family.closed_on, family.get_closure_reason_display()
    family.status = to
    family.closed_on = None
    family.closure_reason = ""
    save_with_history(family, actor)
    back_to = (
        "attached to the programme" if to == Family.Status.ATTACHED else "identified (not attached)"
    )
    record_event(
        family,
        FamilyEvent.Kind.REOPENED,
        today(),
        f"{actor} reopened the case, closed on {closed_on:%-d %B %Y} ({closure.lower()}): "
        f"{reason.strip()} The family is {back_to} again.",
        actor,
    )
    return family


# --- moving to another team ----------------------------------------------------------------------


@transaction.atomic
def family_transfer(*, actor: User, family: Family, team: Team, reason: str) -> Family:
    """Move a family to another team. A lead keyworker outside the new team gives it up, and it
    waits in the new team's unallocated queue; both teams' managers are told."""
    family = _locked(family)
    _require_manager(actor, family, "move a family to another team")
    _require_open(family)
    old_team = family.team
    errors = Errors()
    if team is None:
        errors.add("team", "Select the team the family is moving to")
    elif old_team is not None and team.pk == old_team.pk:
        errors.add("team", f"The family is already in {team}: choose another team")
    _check_reason(errors, reason, "why the family is moving team")
    errors.raise_if_any()
    old_keyworker = family.lead_keyworker
    family.team = team
    if old_keyworker is not None and old_keyworker.team_id != team.pk:
        family.lead_keyworker = None
    save_with_history(family, actor)
    from_words = f" from {old_team}" if old_team else ""
    unallocated = family.lead_keyworker is None
    after = (
        " It waits in the team's unallocated queue for a lead keyworker."
        if unallocated
        else f" {family.lead_keyworker} stays the lead keyworker."
    )
    event = record_event(
        family,
        FamilyEvent.Kind.TRANSFERRED,
        today(),
        f"{actor} moved the family{from_words} to {team}: {reason.strip()}{after}",
        actor,
    )
    team_ids = [t.pk for t in (old_team, team) if t is not None]
    managers = User.objects.filter(
        role=User.Role.TEAM_MANAGER, team_id__in=team_ids, is_active=True
    )
    url = _family_url(family)
    notices = []
    for manager in managers:
        if manager.team_id == team.pk:
            message = (
                f"The {family.name} family ({family.reference}) has moved to your team{from_words}."
            )
            if unallocated:
                message += " It needs a lead keyworker."
        else:
            message = f"The {family.name} family ({family.reference}) has moved to {team}."
        notices.append(
            Notice(
                user=manager,
                kind=Notification.Kind.CASE_MOVED,
                message=message,
                dedupe_key=f"transfer:{event.pk}",
                url=url if manager.team_id == team.pk else "",
                family_id=family.pk,
            )
        )
    if old_keyworker is not None and unallocated:
        notices.append(
            Notice(
                user=old_keyworker,
                kind=Notification.Kind.CASE_MOVED,
                message=f"The {family.name} family ({family.reference}) has moved to {team}. "
                "It has left your caseload.",
                dedupe_key=f"transfer:{event.pk}",
                family_id=family.pk,
            )
        )
    notifications_send(actor=actor, notices=notices)
    return family
