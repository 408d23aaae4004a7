"""Outcomes pages: near misses, the plans (list, review, upload, activate) and the what-if report.

Views parse, authorise, call one service or selector and render. Plans are council
configuration: administrators, programme managers and auditors read them; administrators
upload; administrators and programme managers activate and compare them.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.confirm import confirmation, confirmed, dry_run, wants_change
from core.errors import DomainError
from core.forms import add_service_errors
from families.access import shown
from families.models import Team, User
from families.permissions import SEE_ALL_ROLES
from families.selectors import keyworker_list
from outcomes.engine import plan_table

from .forms import NearMissFilterForm, PlanActivateForm, PlanUploadForm, WhatIfForm
from .models import PlanVersion
from .selectors import eligibility as eligibility_selectors
from .selectors import evaluations as evaluation_selectors
from .selectors import plans as plan_selectors
from .services import plans as plan_services

PLAN_READ_ROLES = {User.Role.ADMINISTRATOR, User.Role.PROGRAMME_MANAGER, User.Role.AUDITOR}
NEAR_MISS_PAGE_SIZE = 50
NEAR_MISS_ROLES = {User.Role.KEYWORKER, User.Role.TEAM_MANAGER, User.Role.PROGRAMME_MANAGER}


def _require(user: User, roles: set[str], what: str) -> None:
    if user.role not in roles:
        raise PermissionDenied(what)


def _version_or_404(slug: str, version: str) -> PlanVersion:
    try:
        return plan_selectors.plan_version_get(slug=slug, version=version)
    except PlanVersion.DoesNotExist:
        raise Http404("No plan with that name and version") from None


# --- eligibility checks ----------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def eligibility_runs(request):
    runs = Paginator(eligibility_selectors.eligibility_run_list(user=request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "outcomes/eligibility_runs.html", {"runs": runs})


# --- near misses ----------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def near_miss(request):
    user = request.user
    _require(user, NEAR_MISS_ROLES, "Near misses are for keyworkers and their managers.")
    if user.role in SEE_ALL_ROLES:
        teams = Team.objects.all()
    else:
        teams = Team.objects.filter(pk=user.team_id) if user.team_id else Team.objects.none()
    form = NearMissFilterForm(
        request.GET or None, keyworkers=keyworker_list(user=user), teams=teams
    )
    filters = form.filters()
    page = Paginator(
        evaluation_selectors.near_miss_queryset(user=user, **filters), NEAR_MISS_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = evaluation_selectors.near_miss_rows(page.object_list)
    shown(request, [r.family for r in rows], action="near-miss list")
    return render(
        request,
        "outcomes/near_miss.html",
        {"form": form, "rows": rows, "page_obj": page, "filtered": any(filters.values())},
    )


# --- plans ----------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def plan_list(request):
    user = request.user
    _require(
        user,
        PLAN_READ_ROLES,
        "Outcomes plans are for administrators, programme managers and auditors.",
    )
    today = timezone.localdate()
    in_force = plan_selectors.plan_in_force(on=today)
    timeline = plan_selectors.activation_timeline()
    versions = list(plan_selectors.plan_version_list())
    return render(
        request,
        "outcomes/plan_list.html",
        {
            "versions": versions,
            "timeline": timeline,
            "in_force": in_force,
            "today": today,
            "may_upload": user.role in plan_services.UPLOAD_ROLES,
            "may_activate": user.role in plan_services.ACTIVATE_ROLES,
        },
    )


@require_http_methods(["GET", "HEAD"])
def plan_detail(request, slug: str, version: str):
    user = request.user
    _require(
        user,
        PLAN_READ_ROLES,
        "Outcomes plans are for administrators, programme managers and auditors.",
    )
    plan_version = _version_or_404(slug, version)
    plan = plan_selectors.engine_plan(plan_version)
    periods = [
        p for p in plan_selectors.activation_timeline() if p.plan_version.pk == plan_version.pk
    ]
    return render(
        request,
        "outcomes/plan_detail.html",
        {
            "plan_version": plan_version,
            "plan": plan,
            "rows": plan_table(plan),
            "periods": periods,
            "activations": list(plan_version.activations.select_related("activated_by")),
            "may_activate": user.role in plan_services.ACTIVATE_ROLES,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def plan_upload(request):
    user = request.user
    _require(user, plan_services.UPLOAD_ROLES, "Only an administrator can upload an outcomes plan.")
    form = (
        PlanUploadForm(request.POST, request.FILES)
        if request.method == "POST"
        else PlanUploadForm()
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = plan_services.plan_upload(
                actor=user, yaml_text=form.cleaned_data["yaml_text"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"{version.title} version {version.version} uploaded. Review it before activating it.",
            )
            return redirect("outcomes:plan_detail", slug=version.slug, version=version.version)
    return render(request, "outcomes/plan_upload.html", {"form": form})


def _activation_confirmation(request, plan_version, effective_from, replaced):
    when = f"{effective_from.day} {effective_from:%B %Y}"
    same = replaced is not None and replaced.pk == plan_version.pk
    consequences = [
        f"Every evaluation on or after {when} uses {plan_version.title} (version {plan_version.version})"
        + (
            f", in place of {replaced.title} (version {replaced.version})."
            if replaced and not same
            else "."
        ),
        "The next eligibility check evaluates every open family under it: families may become "
        "claimable or stop being claimable, and their keyworkers are told.",
        "Claims already submitted for audit keep the evidence and evaluation frozen with them.",
        "The activation stays in the plans' history with your name. To go back, activate the "
        "earlier plan again.",
    ]
    if effective_from < timezone.localdate():
        consequences.insert(
            1, f"The date is in the past: evaluations back to {when} change when they are next run."
        )
    return confirmation(
        heading=f"Activate {plan_version.title}",
        caption=f"Version {plan_version.version}",
        confirm_label="Confirm and activate the plan",
        cancel_url=reverse("outcomes:plan_detail", args=[plan_version.slug, plan_version.version]),
        data=request.POST,
        rows=[
            ("Plan", f"{plan_version.title} (version {plan_version.version})"),
            ("In force from", when),
            (
                "Plan in force on that date now",
                f"{replaced.title} (version {replaced.version})" if replaced else "None",
            ),
        ],
        consequences=consequences,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def plan_activate(request, slug: str, version: str):
    user = request.user
    _require(
        user,
        plan_services.ACTIVATE_ROLES,
        "Only an administrator or a programme manager can change the plan in force.",
    )
    plan_version = _version_or_404(slug, version)
    form = PlanActivateForm(request.POST) if request.method == "POST" else PlanActivateForm()
    if request.method == "POST" and not wants_change(request) and form.is_valid():
        effective_from = form.cleaned_data["effective_from"]
        note = form.cleaned_data.get("note") or ""

        def activate():
            return plan_services.plan_activate(
                actor=user, plan_version=plan_version, effective_from=effective_from, note=note
            )

        try:
            if not confirmed(request):
                # The service's own checks decide, before the user is asked to confirm.
                replaced = plan_selectors.plan_in_force(on=effective_from)
                dry_run(activate)
                return render(
                    request,
                    "includes/confirm_page.html",
                    {
                        "confirm": _activation_confirmation(
                            request, plan_version, effective_from, replaced
                        )
                    },
                )
            activation = activate()
        except ValidationError as error:
            add_service_errors(form, error)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"{plan_version.title} version {plan_version.version} is in force from "
                f"{activation.effective_from:%-d %B %Y}.",
            )
            return redirect("outcomes:plan_list")
    in_force = plan_selectors.plan_in_force(on=timezone.localdate())
    what_if_url = None
    if in_force and in_force.pk != plan_version.pk:
        what_if_url = f"{reverse('outcomes:what_if')}?plan_a={in_force.pk}&plan_b={plan_version.pk}"
    return render(
        request,
        "outcomes/plan_activate.html",
        {
            "form": form,
            "plan_version": plan_version,
            "in_force": in_force,
            "what_if_url": what_if_url,
        },
    )


@require_http_methods(["GET", "HEAD"])
def what_if(request):
    user = request.user
    _require(
        user,
        plan_services.ACTIVATE_ROLES,
        "Only an administrator or a programme manager can compare plans.",
    )
    versions = list(plan_selectors.plan_version_list())
    today = timezone.localdate()
    submitted = "as_of_day" in request.GET or "as_of_year" in request.GET
    data = request.GET.copy() if submitted else None
    initial = {"as_of": today}
    in_force = plan_selectors.plan_in_force(on=today)
    if in_force:
        initial["plan_a"] = in_force.pk
    if "plan_b" in request.GET:
        initial["plan_b"] = request.GET.get("plan_b")
    if "plan_a" in request.GET:
        initial["plan_a"] = request.GET.get("plan_a")
    form = WhatIfForm(data, initial=initial, versions=versions)
    report = None
    if submitted and form.is_valid():
        by_pk = {v.pk: v for v in versions}
        plan_a, plan_b = (
            by_pk.get(form.cleaned_data["plan_a"]),
            by_pk.get(form.cleaned_data["plan_b"]),
        )
        report = evaluation_selectors.what_if(
            user=user, plan_a=plan_a, plan_b=plan_b, as_of=form.cleaned_data["as_of"]
        )
        shown(request, [r.family for r in report.rows], action="what-if report")
    return render(request, "outcomes/what_if.html", {"form": form, "report": report})
