"""Family pages: parse, authorise (through selectors and permissions), call one service, render.

A family outside the user's scope is a 404 (the selectors raise it); a family the user
may read but not change gives a 403 on its form pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.http import require_http_methods

from core.confirm import confirmation, confirmed, dry_run, wants_change
from core.errors import DomainError
from core.forms import add_service_errors

from . import access, permissions, selectors, services
from .forms import (
    AttachForm,
    CaseloadFilterForm,
    CloseForm,
    ConsentForm,
    ConsentWithdrawForm,
    FamilyCreateForm,
    InterventionEndForm,
    InterventionForm,
    MemberAddForm,
    MembershipEndForm,
)
from .glance import family_glance
from .home import HOME_ROLES, home_panels
from .models import Family, Locality, Problem, Team, User
from .sections import family_page_sections

PAGE_SIZE = 25
# The most timeline entries one page shows when asked for all of them (a printed chronology).
TIMELINE_ALL = 5000

# Caseload columns, in order, with the sort key (selectors.SORTS) of those that sort.
CASELOAD_COLUMNS = [
    ("Reference", "reference"),
    ("Family", "name"),
    ("Lead keyworker", None),
    ("Locality", None),
    ("Status", "status"),
    ("Problems identified", None),
    ("Members", None),
    ("Attached", "attached"),
]


def _long_date(value) -> str:
    return dateformat.format(value, "j F Y")


def _may_create_families(user: User) -> bool:
    return permissions.can_create_family(user)


def _family_to_edit(request, reference: str) -> Family:
    family = selectors.family_get(user=request.user, reference=reference)
    if not permissions.can_edit_family(request.user, family):
        if family.status == Family.Status.CLOSED:
            raise PermissionDenied("This family's case is closed: it can no longer be changed.")
        raise PermissionDenied("Your role can read this family's record but not change it.")
    return family


def _family_to_manage(request, reference: str) -> Family:
    family = selectors.family_get(user=request.user, reference=reference)
    if not permissions.can_manage_family(request.user, family):
        raise PermissionDenied(
            "Only a team or programme manager can attach or close a family's case."
        )
    return family


def _run_service(request, form, call: Callable[[dict[str, Any]], Any]) -> Any | None:
    """On a valid POST, call the service; put its errors on the form. None when nothing was saved."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return call(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
    except DomainError as error:
        form.add_error(None, str(error))
    return None


def _done(request, family: Family, message: str, anchor: str = ""):
    messages.success(request, message)
    url = reverse("families:detail", args=[family.reference])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _form_page(request, family: Family | None, form, **context):
    context.setdefault("template", "families/form_page.html")
    return render(request, context.pop("template"), {"family": family, "form": form, **context})


# --- home ----------------------------------------------------------------------------------------

HOME_CASELOAD_ROWS = 10


@require_http_methods(["GET", "HEAD"])
def home(request):
    """Where a signed-in user lands: keyworkers and team managers see what needs doing now and
    their caseload; other roles start from the caseload, as before."""
    user = request.user
    if user.role not in HOME_ROLES:
        return redirect("families:caseload")
    families = selectors.family_list(user=user).exclude(status=Family.Status.CLOSED)
    page = Paginator(families, HOME_CASELOAD_ROWS).get_page(1)
    access.shown(request, page.object_list)
    return render(
        request,
        "families/home.html",
        {
            "panels": home_panels(request=request, user=user),
            "families": page.object_list,
            "open_count": page.paginator.count,
            "is_team_manager": user.role == User.Role.TEAM_MANAGER,
        },
    )


# --- caseload ------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def caseload(request):
    user = request.user
    form = CaseloadFilterForm(
        request.GET,
        localities=Locality.objects.all(),
        problems=Problem.objects.all(),
        keyworkers=selectors.keyworker_list(user=user),
    )
    filters = form.filters()
    families = selectors.family_list(user=user, filters=filters)
    page = Paginator(families, PAGE_SIZE).get_page(request.GET.get("page"))
    access.shown(request, page.object_list)
    filtered = any(
        (filters.q, filters.status, filters.locality, filters.problem, filters.keyworker)
    )
    columns = [
        {"key": key, "label": label, "current": key is not None and filters.sort == key}
        for label, key in CASELOAD_COLUMNS
    ]
    return render(
        request,
        "families/caseload.html",
        {
            "form": form,
            "page_obj": page,
            "families": page.object_list,
            "filtered": filtered,
            "columns": columns,
            "may_create": _may_create_families(user),
        },
    )


# --- one family ----------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def family_detail(request, reference):
    user = request.user
    family = selectors.family_get(user=user, reference=reference)
    today = timezone.localdate()
    current, former = [], []
    memberships = list(selectors.membership_list(family=family))
    for membership in memberships:
        if membership.end_date is not None and membership.end_date < today:
            former.append(membership)
        else:
            current.append({"membership": membership, "age": membership.person.age_on(today)})
    may_edit = permissions.can_edit_family(user, family)
    may_manage = permissions.can_manage_family(user, family)
    people = {m.person.pk: m.person for m in memberships}
    timeline_filters = _timeline_filters(request, members=people)
    return render(
        request,
        "families/family_detail.html",
        {
            "family": family,
            "glance": family_glance(request=request, family=family),
            "timeline_filters": timeline_filters,
            "timeline_kinds": selectors.timeline_kind_list(family=family, user=user),
            "timeline_workers": selectors.timeline_worker_list(family=family, user=user),
            "timeline_members": sorted(people.values(), key=lambda p: (p.first_name, p.last_name)),
            "members": current,
            "former_members": former,
            "problems": selectors.family_problem_list(family=family),
            "interventions": selectors.intervention_list(family=family),
            "consents": selectors.consent_list(family=family),
            "timeline": _timeline_page(request, family, timeline_filters),
            "sections": family_page_sections(request=request, family=family),
            "may_edit": may_edit,
            "may_see_access": permissions.can_view_access_history(user),
            "may_withdraw_consent": permissions.can_withdraw_consent(request.user, family),
            "may_attach": may_manage and family.status == Family.Status.IDENTIFIED,
            "may_close": may_manage and family.status != Family.Status.CLOSED,
            "today": today,
        },
    )


def _timeline_page(request, family: Family, filters: selectors.TimelineFilters):
    """A page of the timeline; ?page=all gives every entry on one page (to print a chronology)."""
    page = request.GET.get("page")
    if page == "all":
        return selectors.family_timeline_page(
            family=family, user=request.user, filters=filters, page=1, per_page=TIMELINE_ALL
        )
    return selectors.family_timeline_page(
        family=family, user=request.user, filters=filters, page=page
    )


def _timeline_filters(request, *, members: dict) -> selectors.TimelineFilters:
    """The timeline's filters from the page's GET parameters; anything unknown shows everything
    (a member filter names one of this family's members, current or former)."""
    kind = request.GET.get("type", "")
    who = request.GET.get("who", "")
    member = request.GET.get("member", "")
    return selectors.TimelineFilters(
        kind=kind if kind in selectors.TIMELINE_KINDS else "",
        actor=int(who) if who.isdigit() else None,
        member=int(member) if member.isdigit() and int(member) in members else None,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def family_create(request):
    user = request.user
    if not _may_create_families(user):
        raise PermissionDenied("Only a team or programme manager can create a family record.")
    teams = Team.objects.all()
    if user.role == User.Role.TEAM_MANAGER:
        teams = teams.filter(pk=user.team_id)
    form = FamilyCreateForm(
        request.POST or None, teams=teams, keyworkers=selectors.keyworker_list(user=user)
    )
    family = _run_service(
        request, form, lambda data: services.family_create(actor=user, **form.service_arguments())
    )
    if family is not None:
        return _done(request, family, f"{family} created")
    return _form_page(request, None, form, template="families/family_create.html")


# --- members -------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def member_add(request, reference):
    family = _family_to_edit(request, reference)
    form = MemberAddForm(request.POST or None)
    membership = _run_service(
        request, form, lambda data: services.member_add(actor=request.user, family=family, **data)
    )
    if membership is not None:
        return _done(request, family, f"{membership.person} added to the household", "members")
    return _form_page(request, family, form, heading="Add a member", submit_label="Add member")


@require_http_methods(["GET", "HEAD", "POST"])
def membership_end(request, reference, pk):
    family = _family_to_edit(request, reference)
    membership = get_object_or_404(
        family.memberships.select_related("person"), pk=pk, end_date__isnull=True
    )
    form = MembershipEndForm(request.POST or None)
    ended = _run_service(
        request,
        form,
        lambda data: services.membership_end(
            actor=request.user,
            membership=membership,
            end_date=data["end_date"],
            reason=data["reason"],
        ),
    )
    if ended is not None:
        return _done(request, family, f"{membership.person} has left the household", "members")
    return _form_page(
        request,
        family,
        form,
        heading=f"{membership.person} left the household",
        intro=f"They joined on {_long_date(membership.start_date)}.",
        submit_label="Save",
    )


# --- work with the family ------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def intervention_add(request, reference):
    family = _family_to_edit(request, reference)
    form = InterventionForm(request.POST or None)
    intervention = _run_service(
        request,
        form,
        lambda data: services.intervention_record(actor=request.user, family=family, **data),
    )
    if intervention is not None:
        return _done(
            request, family, f"{intervention.get_service_display()} recorded", "interventions"
        )
    return _form_page(
        request, family, form, heading="Record an intervention", submit_label="Save intervention"
    )


@require_http_methods(["GET", "HEAD", "POST"])
def intervention_end(request, reference, pk):
    family = _family_to_edit(request, reference)
    intervention = get_object_or_404(family.interventions, pk=pk, end_date__isnull=True)
    form = InterventionEndForm(request.POST or None)
    ended = _run_service(
        request,
        form,
        lambda data: services.intervention_end(
            actor=request.user, intervention=intervention, end_date=data["end_date"]
        ),
    )
    if ended is not None:
        return _done(request, family, f"{ended.get_service_display()} has ended", "interventions")
    return _form_page(
        request,
        family,
        form,
        heading=f"End the {intervention.get_service_display()} intervention",
        intro=f"It started on {_long_date(intervention.start_date)}.",
        submit_label="Save",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def consent_add(request, reference):
    family = _family_to_edit(request, reference)
    members = [m.person for m in selectors.membership_list(family=family) if m.end_date is None]
    form = ConsentForm(request.POST or None, members=members, initial={"person": "family"})
    consent = _run_service(
        request,
        form,
        lambda data: services.consent_record(
            actor=request.user, family=family, **form.service_arguments()
        ),
    )
    if consent is not None:
        return _done(request, family, "Consent recorded", "consent")
    return _form_page(request, family, form, heading="Record consent", submit_label="Save consent")


@require_http_methods(["GET", "HEAD", "POST"])
def consent_withdraw(request, reference, pk):
    """Record that consent was withdrawn: from then on partner files add no new evidence about
    the people it covered and the council's exports leave them out."""
    family = selectors.family_get(user=request.user, reference=reference)
    if not permissions.can_withdraw_consent(request.user, family):
        raise PermissionDenied("Your role cannot record that consent was withdrawn.")
    consent = get_object_or_404(
        selectors.consent_list(family=family), pk=pk, withdrawn_on__isnull=True
    )
    form = ConsentWithdrawForm(request.POST or None, initial={"withdrawn_by": consent.given_by})
    withdrawn = _run_service(
        request,
        form,
        lambda data: services.consent_withdraw(
            actor=request.user,
            consent=consent,
            withdrawn_on=data["withdrawn_on"],
            withdrawn_by=data["withdrawn_by"],
        ),
    )
    if withdrawn is not None:
        return _done(request, family, "Consent withdrawal recorded", "consent")
    whom = consent.person.full_name if consent.person_id else "the whole family"
    return _form_page(
        request,
        family,
        form,
        heading="Record that consent was withdrawn",
        intro=(
            f"{consent.given_by} gave consent for {whom} on {_long_date(consent.given_on)}. "
            "From the date it is withdrawn, partner files add no new evidence about the people "
            "it covered, and the council's exports leave them out."
        ),
        submit_label="Save withdrawal",
    )


# --- lifecycle -----------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def family_attach(request, reference):
    family = _family_to_manage(request, reference)
    form = AttachForm(
        request.POST or None,
        keyworkers=selectors.keyworker_list(user=request.user),
        initial={"keyworker": family.lead_keyworker_id},
        family=family,
    )
    attached = _run_service(
        request,
        form,
        lambda data: services.family_attach(
            actor=request.user,
            family=family,
            attached_on=data["attached_on"],
            keyworker=data["keyworker"],
        ),
    )
    if attached is not None:
        return _done(request, attached, f"{attached} attached to the programme")
    return _form_page(
        request,
        family,
        form,
        heading="Attach the family to the programme",
        intro="The attachment date starts the outcomes clock.",
        submit_label="Attach family",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def family_close(request, reference):
    """The closure form; a valid form shows what closing does; "Confirm" closes the case."""
    family = _family_to_manage(request, reference)
    form = CloseForm(request.POST or None, family=family)

    def close(data):
        return services.family_close(
            actor=request.user, family=family, closed_on=data["closed_on"], reason=data["reason"]
        )

    if request.method == "POST" and not wants_change(request):
        if confirmed(request):
            closed = _run_service(request, form, close)
            if closed is not None:
                return _done(request, closed, f"The {closed.name} family's case is closed")
        elif _run_service(request, form, lambda data: dry_run(lambda: close(data))) is not None:
            return render(
                request,
                "includes/confirm_page.html",
                {"confirm": _close_confirmation(request, family, form.cleaned_data)},
            )
    return _form_page(
        request,
        family,
        form,
        heading="Close the case",
        intro="Once closed, the family's record can be read but not changed.",
        submit_label="Continue",
        warning=True,
    )


def _close_confirmation(request, family: Family, data):
    reason = Family.ClosureReason(data["reason"]).label
    return confirmation(
        heading=f"Close the {family.name} family's case",
        caption=f"{family.name} family ({family.reference})",
        confirm_label="Confirm and close the case",
        cancel_url=reverse("families:detail", args=[family.reference]),
        data=request.POST,
        rows=[
            ("Closure date", _long_date(data["closed_on"])),
            ("Reason", reason),
            (
                "Lead keyworker",
                family.lead_keyworker.display_name if family.lead_keyworker else "None",
            ),
        ],
        consequences=[
            f"The case closes on {_long_date(data['closed_on'])}: {reason.lower()}.",
            "The family's record can still be read, but nobody can add notes, evidence, "
            "members, interventions or consent to it.",
            "The nightly eligibility check stops evaluating the family. Its last evaluation "
            "stays, so outcomes it has already achieved can still be claimed.",
        ],
        warning="Check the date and reason: a closed case cannot be changed.",
        danger=True,
    )
