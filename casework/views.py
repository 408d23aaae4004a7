"""The assessment, plan and review pages: parse, authorise (through selectors and permissions),
call one service, render. A family outside the user's scope is a 404; one they may read but not
change gives a 403 on these form pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from core.forms import add_service_errors
from families.access import shown
from families.models import Family, Membership, User
from families.selectors import family_get, family_problem_list, membership_list

from . import selectors, services
from .forms import (
    ActionDoneForm,
    ActionForm,
    AssessmentForm,
    GoalForm,
    ReviewDateForm,
    ReviewForm,
    StarReadingForm,
)
from .models import Goal
from .permissions import can_write_plan

FORM_PAGE = "families/form_page.html"


def _long_date(value) -> str:
    return dateformat.format(value, "j F Y")


def _family_to_write(request, reference: str) -> Family:
    family = family_get(user=request.user, reference=reference)
    if not can_write_plan(request.user, family):
        if family.status == Family.Status.CLOSED:
            raise PermissionDenied(
                "This family's case is closed: its plan can no longer be changed."
            )
        raise PermissionDenied("Your role can read this family's plan but not change it.")
    return family


def _run_service(request, form, call: Callable[[], Any]) -> Any | None:
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return call()
    except ValidationError as error:
        add_service_errors(form, error)
    except (DomainError, PermissionDenied) as error:
        form.add_error(None, str(error))
    return None


def _done(request, family: Family, message: str):
    messages.success(request, message)
    return redirect(reverse("families:detail", args=[family.reference]) + "#plan")


def _page(request, family, form, **context):
    template = context.pop("template", FORM_PAGE)
    return render(request, template, {"family": family, "form": form, **context})


@require_http_methods(["GET", "HEAD", "POST"])
def assessment_edit(request, reference):
    family = _family_to_write(request, reference)
    problems = list(family_problem_list(family=family))
    current = services.assessment_current(family)
    initial = {}
    if current is not None:
        # A draft is carried on; after a completed one, the next version starts from it.
        initial = {
            "problems": [fp.pk for fp in current.problems.all()],
            "strengths": current.strengths,
            "family_view": current.family_view,
            "worries": current.worries,
            "contributors": current.contributors,
        }
    else:
        initial = {"problems": [fp.pk for fp in problems]}
    form = AssessmentForm(request.POST or None, family_problems=problems, initial=initial)
    saved = _run_service(
        request,
        form,
        lambda: services.assessment_save(
            actor=request.user, family=family, **form.service_arguments()
        ),
    )
    if saved is not None:
        done = "completed" if saved.is_completed else "saved as a draft"
        return _done(request, family, f"Early help assessment {done}")
    if current is None:
        heading, intro = "Early help assessment", ""
    elif current.is_completed:
        heading = "Start a new early help assessment"
        intro = (
            f"The last assessment was completed on {_long_date(current.completed_on)}. "
            "It stays as it is; this one starts from what it said."
        )
    else:
        heading = "Continue the early help assessment"
        intro = "This draft can be changed until it is completed."
    if not problems:
        intro = "Record the problems the family was identified with before assessing them."
    return _page(
        request, family, form, heading=heading, intro=intro, submit_label="Save assessment"
    )


@require_http_methods(["GET", "HEAD", "POST"])
def goal_add(request, reference):
    family = _family_to_write(request, reference)
    problems = list(family_problem_list(family=family))
    form = GoalForm(request.POST or None, family_problems=problems)
    goal = _run_service(
        request,
        form,
        lambda: services.goal_add(actor=request.user, family=family, **form.service_arguments()),
    )
    if goal is not None:
        return _done(request, family, "Goal added to the plan")
    intro = "" if problems else "Record the family's problems before adding goals to the plan."
    return _page(
        request,
        family,
        form,
        heading="Add a goal to the plan",
        intro=intro,
        submit_label="Add goal",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def action_add(request, reference, goal_pk):
    family = _family_to_write(request, reference)
    goal = selectors.goal_get(family=family, pk=goal_pk)
    members = [m.person for m in membership_list(family=family) if m.end_date is None]
    form = ActionForm(
        request.POST or None,
        workers=selectors.action_worker_list(user=request.user, family=family),
        members=members,
        initial={"assignee": f"user:{request.user.pk}"},
    )
    action = _run_service(
        request,
        form,
        lambda: services.action_add(actor=request.user, goal=goal, **form.service_arguments()),
    )
    if action is not None:
        return _done(request, family, "Action added to the plan")
    return _page(
        request,
        family,
        form,
        heading="Add an action",
        intro=f"Goal: {goal.text}",
        submit_label="Add action",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def action_done(request, reference, pk):
    family = _family_to_write(request, reference)
    action = selectors.action_get(family=family, pk=pk)
    form = ActionDoneForm(request.POST or None, initial={"done_on": timezone.localdate()})
    done = _run_service(
        request,
        form,
        lambda: services.action_complete(
            actor=request.user, action=action, done_on=form.cleaned_data["done_on"]
        ),
    )
    if done is not None:
        return _done(request, family, f"Action done: {done.text}")
    return _page(
        request,
        family,
        form,
        heading="Mark the action as done",
        intro=f"{action.text} ({action.assignee}, by {_long_date(action.due_on)})",
        submit_label="Save",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def review_date(request, reference):
    family = _family_to_write(request, reference)
    plan = selectors.family_plan_get(user=request.user, family=family).plan
    form = ReviewDateForm(
        request.POST or None, initial={"next_review_on": plan.next_review_on if plan else None}
    )
    saved = _run_service(
        request,
        form,
        lambda: services.plan_review_date_set(
            actor=request.user, family=family, next_review_on=form.cleaned_data["next_review_on"]
        ),
    )
    if saved is not None:
        return _done(request, family, f"Next review set for {_long_date(saved.next_review_on)}")
    return _page(
        request, family, form, heading="Set the date of the next review", submit_label="Save"
    )


@require_http_methods(["GET", "HEAD", "POST"])
def review_add(request, reference):
    family = _family_to_write(request, reference)
    view = selectors.family_plan_get(user=request.user, family=family)
    if view.plan is None or not view.goals:
        raise PermissionDenied("Add a goal to the family's plan before recording a review.")
    form = ReviewForm(
        request.POST or None, goals=view.goals, initial={"held_on": timezone.localdate()}
    )
    review = _run_service(
        request,
        form,
        lambda: services.review_record(
            actor=request.user, family=family, **form.service_arguments()
        ),
    )
    if review is not None:
        return _done(
            request,
            family,
            f"Review recorded. The next review is on {_long_date(review.next_review_on)}",
        )
    last = view.reviews[0] if view.reviews else None
    intro = f"The last review was on {_long_date(last.held_on)}." if last else ""
    return _page(
        request,
        family,
        form,
        template="casework/review_form.html",
        heading="Record a review of the plan",
        intro=intro,
        submit_label="Save review",
    )


@require_http_methods(["GET", "HEAD"])
def overdue(request):
    user = request.user
    if user.role not in selectors.OVERDUE_ROLES:
        raise PermissionDenied("Overdue reviews and actions are for keyworkers and their managers.")
    try:
        team_id = int(request.GET.get("team") or 0) or None
    except ValueError:
        team_id = None
    work = selectors.overdue_list(user=user, team_id=team_id)
    shown(
        request,
        [Family(pk=plan.family_id) for plan in work.reviews]
        + [Family(pk=action.goal.plan.family_id) for action in work.actions],
    )
    if user.role == User.Role.KEYWORKER:
        scope = "Your families"
    elif user.role == User.Role.TEAM_MANAGER:
        scope = str(user.team) if user.team else "Your team"
    else:
        scope = str(work.team) if work.team else "All teams"
    return render(
        request,
        "casework/overdue.html",
        {"work": work, "scope": scope, "today": timezone.localdate(), "goal_status": Goal.Status},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def star_reading_add(request, reference, definition_pk):
    family = _family_to_write(request, reference)
    definition = selectors.star_definition_get(pk=definition_pk)
    people = [
        m.person
        for m in membership_list(family=family)
        if m.role == Membership.Role.CHILD and m.end_date is None
    ]
    form = StarReadingForm(
        request.POST or None,
        definition=definition,
        people=people,
        initial={"read_on": timezone.localdate()},
    )
    reading = _run_service(
        request,
        form,
        lambda: services.star_reading_record(
            actor=request.user, family=family, definition=definition, **form.service_arguments()
        ),
    )
    if reading is not None:
        messages.success(request, f"{definition.name} reading recorded")
        return redirect(reverse("families:detail", args=[family.reference]) + "#outcome-stars")
    intro = (
        f"Score each area from {definition.scale_min} to {definition.scale_max}, as the family "
        "scored it with you on the Star."
    )
    if definition.subject == definition.Subject.PERSON and not people:
        intro = "Add the child or young person to the household before recording their Star."
    return _page(
        request,
        family,
        form,
        template="casework/star_reading_form.html",
        heading=f"Record a {definition.name} reading",
        intro=intro,
        submit_label="Save reading",
    )
