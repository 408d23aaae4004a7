"""Pages for the team around the family, case movement, case notes and their files, and the
team page (keyworkers' caseloads, the unallocated queue). Parse, authorise, call one service or
selector, render; a family outside the user's scope is a 404, a role that may not act a 403."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.http import require_http_methods

from core.confirm import confirmation, confirmed, dry_run, wants_change

from . import access, permissions, selectors, services
from .forms_team import (
    CaseNoteForm,
    NamedWorkerForm,
    PartnerEndForm,
    PartnerForm,
    ReallocateForm,
    ReasonForm,
    StepChangeForm,
    TransferForm,
)
from .models import Family, Team, User
from .views import _family_to_edit, _form_page, _run_service

TEAM_PAGE_SIZE = 50


def _long_date(value) -> str:
    return dateformat.format(value, "j F Y")


def _family_to_manage(request, reference: str, doing: str) -> Family:
    family = selectors.family_get(user=request.user, reference=reference)
    if not permissions.can_manage_family(request.user, family):
        raise PermissionDenied(
            f"Only the family's team manager or a programme manager can {doing}."
        )
    return family


def _back_to_team(request, family: Family, message: str):
    messages.success(request, message)
    return redirect("families:team_around", family.reference)


def _log(request, family: Family, action: str) -> None:
    access.shown(request, [family], action=action)


# --- the team around the family ------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def team_around(request, reference):
    user = request.user
    family = selectors.family_get(user=user, reference=reference)
    may_manage = permissions.can_manage_family(user, family)
    is_open = family.status != Family.Status.CLOSED
    step = selectors.current_step(family=family)
    return render(
        request,
        "families/team_around.html",
        {
            "family": family,
            "step": step,
            "step_label": selectors.step_label(step),
            "steps": selectors.step_change_list(family=family),
            "named_workers": selectors.named_worker_list(family=family),
            "partners": selectors.partner_professional_list(family=family),
            "may_manage": may_manage and is_open,
            "may_edit": permissions.can_edit_family(user, family),
            "may_reopen": may_manage and not is_open,
            "may_see_team": permissions.can_see_team(user, family.team_id),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def reallocate(request, reference):
    family = _family_to_manage(request, reference, "change the lead keyworker")
    if family.status == Family.Status.CLOSED:
        raise PermissionDenied("This family's case is closed: reopen it first.")
    allocating = family.lead_keyworker_id is None
    keyworkers = selectors.worker_choices(user=request.user, family=family)
    if family.lead_keyworker_id:
        keyworkers = keyworkers.exclude(pk=family.lead_keyworker_id)
    form = ReallocateForm(request.POST or None, keyworkers=keyworkers, allocating=allocating)
    done = _run_service(
        request,
        form,
        lambda data: services.family_reallocate(
            actor=request.user, family=family, keyworker=data["keyworker"], reason=data["reason"]
        ),
    )
    if done is not None:
        messages.success(
            request, f"{done.lead_keyworker} is now the lead keyworker for the {done.name} family"
        )
        if request.GET.get("from") == "team":
            return redirect(f"{reverse('families:team')}?team={done.team_id}")
        return redirect("families:detail", done.reference)
    current = family.lead_keyworker.display_name if family.lead_keyworker else None
    return _form_page(
        request,
        family,
        form,
        heading="Allocate a lead keyworker" if allocating else "Change the lead keyworker",
        intro=(
            f"The family is waiting in {family.team or 'no team'}'s unallocated queue."
            if allocating
            else f"{current} is the lead keyworker now. The family will leave their caseload."
        ),
        submit_label="Allocate" if allocating else "Change lead keyworker",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def worker_add(request, reference):
    family = _family_to_manage(request, reference, "name workers on a family")
    if family.status == Family.Status.CLOSED:
        raise PermissionDenied("This family's case is closed: reopen it first.")
    keyworkers = selectors.keyworker_list(user=request.user).select_related("team")
    if family.lead_keyworker_id:
        keyworkers = keyworkers.exclude(pk=family.lead_keyworker_id)
    keyworkers = keyworkers.exclude(named_on__family=family)
    form = NamedWorkerForm(request.POST or None, keyworkers=keyworkers)
    worker = _run_service(
        request,
        form,
        lambda data: services.family_worker_add(
            actor=request.user, family=family, user=data["user"]
        ),
    )
    if worker is not None:
        return _back_to_team(request, family, f"{worker.user} is named on the family")
    return _form_page(
        request,
        family,
        form,
        heading="Name a worker on the family",
        intro="Named workers see the family in their caseload and can record notes and evidence.",
        submit_label="Name worker",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def worker_remove(request, reference, user_id):
    family = _family_to_manage(request, reference, "change who is named on a family")
    named = get_object_or_404(selectors.named_worker_list(family=family), user_id=user_id)
    if confirmed(request):
        services.family_worker_remove(actor=request.user, family=family, user=named.user)
        return _back_to_team(request, family, f"{named.user} is no longer named on the family")
    cancel = reverse("families:team_around", args=[family.reference])
    return render(
        request,
        "includes/confirm_page.html",
        {
            "confirm": confirmation(
                heading=f"Remove {named.user} from the {family.name} family",
                caption=f"{family.name} family ({family.reference})",
                confirm_label="Remove worker",
                cancel_url=cancel,
                rows=[("Named since", _long_date(named.added_on))],
                consequences=[
                    f"The family leaves {named.user}'s caseload.",
                    "The family's timeline keeps a record that they were named and removed.",
                ],
            )
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def partner_add(request, reference):
    family = _family_to_edit(request, reference)
    form = PartnerForm(request.POST or None, initial={"from_date": timezone.localdate()})
    partner = _run_service(
        request,
        form,
        lambda data: services.partner_professional_add(actor=request.user, family=family, **data),
    )
    if partner is not None:
        return _back_to_team(request, family, f"{partner.name} added to the team around the family")
    return _form_page(
        request,
        family,
        form,
        heading="Add a professional from another agency",
        intro="A school, health, police, housing or probation worker working with the family.",
        submit_label="Add professional",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def partner_end(request, reference, pk):
    family = _family_to_edit(request, reference)
    partner = get_object_or_404(family.partners, pk=pk, to_date__isnull=True)
    form = PartnerEndForm(request.POST or None, initial={"to_date": timezone.localdate()})
    ended = _run_service(
        request,
        form,
        lambda data: services.partner_professional_end(
            actor=request.user, partner=partner, to_date=data["to_date"]
        ),
    )
    if ended is not None:
        return _back_to_team(request, family, f"{ended.name} has left the team around the family")
    return _form_page(
        request,
        family,
        form,
        heading=f"{partner.name} left the team around the family",
        intro=f"They joined on {_long_date(partner.from_date)}.",
        submit_label="Save",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def step_change(request, reference):
    family = _family_to_manage(request, reference, "step a family up or down")
    if family.status == Family.Status.CLOSED:
        raise PermissionDenied("This family's case is closed: reopen it first.")
    step = selectors.current_step(family=family)
    initial = {"occurred_on": timezone.localdate()}
    if step is not None:
        initial["direction"] = "down" if step.direction == "up" else "up"
    form = StepChangeForm(request.POST or None, initial=initial)
    recorded = _run_service(
        request,
        form,
        lambda data: services.family_step_change(actor=request.user, family=family, **data),
    )
    if recorded is not None:
        return _back_to_team(request, family, recorded.get_direction_display())
    return _form_page(
        request,
        family,
        form,
        heading="Step up or step down",
        intro=f"The family's current step: {selectors.step_label(step).lower()}.",
        submit_label="Save step change",
    )


# --- reopen and transfer (confirmed first) -------------------------------------------------------


def _confirmed_action(request, family, form, act, confirm_page, done, **page):
    """A form whose valid post shows a confirmation page; "Confirm" does it (core.confirm)."""
    if request.method == "POST" and not wants_change(request):
        if confirmed(request):
            result = _run_service(request, form, act)
            if result is not None:
                return done(result)
        elif _run_service(request, form, lambda data: dry_run(lambda: act(data))) is not None:
            return render(
                request, "includes/confirm_page.html", {"confirm": confirm_page(form.cleaned_data)}
            )
    return _form_page(request, family, form, **page)


@require_http_methods(["GET", "HEAD", "POST"])
def family_reopen(request, reference):
    family = _family_to_manage(request, reference, "reopen a family's case")
    if family.status != Family.Status.CLOSED:
        raise PermissionDenied("Only a closed case can be reopened.")
    form = ReasonForm(
        request.POST or None,
        label="Why is the case reopening?",
        required_message="Enter why the case is reopening",
    )
    to = services.reopen_status(family)
    back_to = Family.Status(to).label.lower()

    def page(data):
        return confirmation(
            heading=f"Reopen the {family.name} family's case",
            caption=f"{family.name} family ({family.reference})",
            confirm_label="Confirm and reopen the case",
            cancel_url=reverse("families:detail", args=[family.reference]),
            data=request.POST,
            rows=[
                (
                    "Closed",
                    f"{_long_date(family.closed_on)}: {family.get_closure_reason_display()}",
                ),
                ("Reason for reopening", data["reason"]),
                ("Status after reopening", Family.Status(to).label),
            ],
            consequences=[
                f"The family becomes {back_to} again and its record can be changed.",
                "The closure date and reason are cleared from the family's summary; the "
                "timeline and history keep them.",
                "The nightly eligibility check evaluates the family again.",
            ],
            warning="Only reopen a case the programme is working with again.",
        )

    return _confirmed_action(
        request,
        family,
        form,
        lambda data: services.family_reopen(
            actor=request.user, family=family, reason=data["reason"]
        ),
        page,
        lambda reopened: _done(request, reopened, f"The {reopened.name} family's case is reopened"),
        heading="Reopen the case",
        intro=f"Closed on {_long_date(family.closed_on)}: {family.get_closure_reason_display().lower()}.",
        submit_label="Continue",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def family_transfer(request, reference):
    family = _family_to_manage(request, reference, "move a family to another team")
    if family.status == Family.Status.CLOSED:
        raise PermissionDenied("This family's case is closed: reopen it first.")
    teams = Team.objects.exclude(pk=family.team_id) if family.team_id else Team.objects.all()
    form = TransferForm(request.POST or None, teams=teams)

    def page(data):
        team = data["team"]
        keyworker = family.lead_keyworker
        stays = keyworker is not None and keyworker.team_id == team.pk
        return confirmation(
            heading=f"Move the {family.name} family to {team}",
            caption=f"{family.name} family ({family.reference})",
            confirm_label="Confirm and move the family",
            cancel_url=reverse("families:detail", args=[family.reference]),
            data=request.POST,
            rows=[
                ("From", str(family.team or "No team")),
                ("To", str(team)),
                ("Lead keyworker", keyworker.display_name if keyworker else "Not allocated"),
                ("Reason", data["reason"]),
            ],
            consequences=[
                f"{keyworker} stays the lead keyworker."
                if stays
                else "The family waits in the new team's unallocated queue for a lead keyworker"
                + (f"; it leaves {keyworker}'s caseload." if keyworker else "."),
                "The managers of both teams are told.",
                f"{family.team}'s manager will no longer see the family."
                if family.team
                else "The new team's manager will see the family.",
            ],
            warning="Check the team: only the new team's manager or a programme manager can "
            "move it again.",
        )

    return _confirmed_action(
        request,
        family,
        form,
        lambda data: services.family_transfer(
            actor=request.user, family=family, team=data["team"], reason=data["reason"]
        ),
        page,
        lambda moved: _moved(request, moved),
        heading="Move the family to another team",
        intro=f"The family is in {family.team or 'no team'} now.",
        submit_label="Continue",
    )


def _done(request, family: Family, message: str):
    messages.success(request, message)
    return redirect("families:detail", family.reference)


def _moved(request, family: Family):
    messages.success(request, f"The {family.name} family has moved to {family.team}")
    if selectors.family_scope(user=request.user).filter(pk=family.pk).exists():
        return redirect("families:detail", family.reference)
    return redirect("families:caseload")


# --- case notes ----------------------------------------------------------------------------------


def _current_members(family: Family):
    today = timezone.localdate()
    return [
        m.person
        for m in selectors.membership_list(family=family)
        if m.end_date is None or m.end_date >= today
    ]


@require_http_methods(["GET", "HEAD", "POST"])
def note_add(request, reference):
    family = _family_to_edit(request, reference)
    form = CaseNoteForm(
        request.POST or None,
        request.FILES or None,
        members=_current_members(family),
        initial={"occurred_on": timezone.localdate(), "kind": "visit"},
    )
    note = _run_service(
        request,
        form,
        lambda data: services.case_note_add(
            actor=request.user, family=family, **form.service_arguments()
        ),
    )
    if note is not None:
        messages.success(request, "Case note added")
        return redirect(reverse("families:detail", args=[family.reference]) + "#timeline")
    return _form_page(
        request,
        family,
        form,
        template="families/note_form.html",
        heading="Write a case note",
        intro="Notes cannot be changed once saved. To correct a note, write another one.",
        submit_label="Save note",
    )


@require_http_methods(["GET", "HEAD"])
def note_list(request, reference):
    user = request.user
    family = selectors.family_get(user=user, reference=reference)
    if not permissions.can_read_case_notes(user):
        raise PermissionDenied("Your role does not include case notes.")
    return render(
        request,
        "families/note_list.html",
        {
            "family": family,
            "notes": selectors.case_note_list(user=user, family=family),
            "may_edit": permissions.can_edit_family(user, family),
        },
    )


@require_http_methods(["GET", "HEAD"])
def note_file(request, reference, note_id, file_id):
    """A note's file, as a download, to someone who may see the family (and the note); logged."""
    user = request.user
    family = selectors.family_get(user=user, reference=reference)
    stored = selectors.case_note_file_get(
        user=user, family=family, note_id=note_id, file_id=file_id
    )
    _log(request, family, f"downloaded case note file {stored.pk}")
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.name,
        content_type=stored.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- the team page -------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def team_page(request):
    user = request.user
    teams = selectors.team_list(user=user)
    if user.role == User.Role.TEAM_MANAGER:
        team_id = user.team_id
    elif user.role in permissions.SEE_ALL_ROLES:
        try:
            team_id = int(request.GET.get("team", ""))
        except ValueError:
            team_id = None
    else:
        raise PermissionDenied("The team page is for team and programme managers.")
    if team_id is None:
        return render(request, "families/team.html", {"teams": teams, "overview": None})
    team = selectors.team_get(user=user, team_id=team_id)
    overview = selectors.team_overview(user=user, team=team)
    page = Paginator(overview.families, TEAM_PAGE_SIZE).get_page(request.GET.get("page"))
    access.shown(request, page.object_list)
    may_allocate = user.role in permissions.MANAGE_ROLES
    return render(
        request,
        "families/team.html",
        {
            "teams": teams,
            "overview": overview,
            "team": team,
            "page_obj": page,
            "families": page.object_list,
            "may_allocate": may_allocate,
            "may_pick": user.role in permissions.SEE_ALL_ROLES,
        },
    )
