"""Every change to a family's assessment, plan and reviews: checked, written atomically with
history, and told on the family's timeline (`families.services.family_event_record`).

Services are keyword-only and take the acting user; they refuse, with `PermissionDenied`, anyone
who may not change the family's record or cannot see the family, and a closed family; they
collect every problem with what was entered and raise them together as one `ValidationError`
keyed by field, so a form shows them all at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import dateformat, timezone
from simple_history.utils import bulk_create_with_history

from core.validation import LONG_NOTE, NOTE, Errors, check_date, check_text
from families.models import Family, FamilyEvent, FamilyProblem, Membership, Person, User
from families.permissions import is_system
from families.services import family_event_record

from .models import (
    Action,
    Assessment,
    FamilyPlan,
    Goal,
    GoalProgress,
    Review,
    StarArea,
    StarDefinition,
    StarReading,
    StarScore,
)
from .permissions import can_write_plan
from .stars import score_problems, score_value, star_from

GOAL_TEXT = 500
ACTION_TEXT = 300
ASSIGNED_NAME = 120


def _long_date(value: date) -> str:
    return dateformat.format(value, "j F Y")


def _require_write(actor: User | None, family: Family) -> None:
    if actor is None:
        raise PermissionDenied("Say who is acting: automated work passes system_actor().")
    if can_write_plan(actor, family):
        return
    if family.status == Family.Status.CLOSED:
        raise PermissionDenied("This family's case is closed: its plan can no longer be changed.")
    raise PermissionDenied("You cannot change this family's plan.")


def _check_day(
    errors: Errors, field: str, value: date | None, label: str, family: Family, *, future=False
) -> None:
    """Not before 1900, not before the family's records began, and (unless `future`) not after today."""
    before = len(errors)
    check_date(errors, field, value, label, future=future)
    if value is not None and len(errors) == before and value < family.identified_on:
        errors.add(
            field,
            f"{label} must be on or after {_long_date(family.identified_on)}, "
            "when the family was identified",
        )


def _save(instance, actor: User) -> None:
    instance._history_user = actor
    instance.full_clean()
    instance.save()


def _event(actor: User, family: Family, kind: str, summary: str, on: date | None = None) -> None:
    family_event_record(
        actor=actor,
        family=family,
        kind=kind,
        occurred_on=on or timezone.localdate(),
        summary=summary,
    )


# --- the early help assessment -------------------------------------------------------------------


def assessment_current(family: Family) -> Assessment | None:
    return family.assessments.order_by("-version").first()


@transaction.atomic
def assessment_save(
    *,
    actor: User,
    family: Family,
    problems: Iterable[FamilyProblem],
    strengths: str = "",
    family_view: str = "",
    worries: str = "",
    contributors: str = "",
    completed_on: date | None = None,
) -> Assessment:
    """Write the family's assessment: change the draft, or start the next version after a
    completed one; with `completed_on`, complete it (after which it is never changed)."""
    _require_write(actor, family)
    Family.objects.select_for_update().filter(pk=family.pk).first()
    problems = list(problems)
    errors = Errors()
    if any(p.family_id != family.pk for p in problems):
        errors.add("problems", "Select problems identified for this family")
    elif not problems:
        errors.add("problems", "Select the problems the assessment is about")
    check_text(errors, "strengths", strengths, "The family's strengths", LONG_NOTE)
    check_text(errors, "family_view", family_view, "The family's view", LONG_NOTE)
    check_text(errors, "worries", worries, "Worries", LONG_NOTE)
    check_text(errors, "contributors", contributors, "Who contributed", NOTE)
    if completed_on is not None:
        if not strengths.strip():
            errors.add("strengths", "Enter the family's strengths before completing the assessment")
        if not family_view.strip():
            errors.add("family_view", "Enter the family's view before completing the assessment")
        _check_day(errors, "completed_on", completed_on, "The date completed", family)
    errors.raise_if_any()

    current = assessment_current(family)
    started = current is None or current.is_completed
    if started:
        assessment = Assessment(
            family=family, version=(current.version + 1) if current else 1, created_by=actor
        )
    else:
        assessment = current
    assessment.strengths = strengths.strip()
    assessment.family_view = family_view.strip()
    assessment.worries = worries.strip()
    assessment.contributors = contributors.strip()
    if completed_on is not None:
        assessment.completed_on = completed_on
        assessment.completed_by = actor
    _save(assessment, actor)
    assessment.problems.set(problems)

    version = f"version {assessment.version}" if assessment.version > 1 else ""
    name = f"Early help assessment {version}".strip()
    if completed_on is not None:
        summary = f"{name} completed by {actor.display_name}"
        on = completed_on
    elif started:
        summary = f"{name} started"
        on = None
    else:
        summary = f"{name} updated"
        on = None
    _event(actor, family, FamilyEvent.Kind.ASSESSMENT, summary, on)
    return assessment


# --- the plan: goals, actions and the review date ------------------------------------------------


def _plan_for(family: Family, actor: User) -> FamilyPlan:
    plan = FamilyPlan.objects.select_for_update().filter(family=family).first()
    if plan is None:
        plan = FamilyPlan(family=family, created_by=actor)
        _save(plan, actor)
    return plan


@transaction.atomic
def goal_add(
    *,
    actor: User,
    family: Family,
    family_problem: FamilyProblem | None,
    text: str,
    status: str = Goal.Status.NOT_STARTED,
) -> Goal:
    """Add a goal for one of the family's identified problems (starting the plan if need be)."""
    _require_write(actor, family)
    errors = Errors()
    if family_problem is None or family_problem.family_id != family.pk:
        errors.add("family_problem", "Select the problem this goal is about")
    if not text.strip():
        errors.add("text", "Enter the goal")
    check_text(errors, "text", text, "The goal", GOAL_TEXT)
    if status not in Goal.Status.values:
        errors.add("status", "Select where the goal has got to")
    errors.raise_if_any()
    plan = _plan_for(family, actor)
    goal = Goal(
        plan=plan, family_problem=family_problem, text=text.strip(), status=status, created_by=actor
    )
    _save(goal, actor)
    _event(
        actor,
        family,
        FamilyEvent.Kind.PLAN,
        f"Goal added to the plan for {family_problem.problem.short_title.lower()}: {goal.text}",
    )
    return goal


@transaction.atomic
def action_add(
    *,
    actor: User,
    goal: Goal,
    text: str,
    due_on: date | None,
    assigned_user: User | None = None,
    assigned_person: Person | None = None,
    assigned_name: str = "",
) -> Action:
    """Add an action under a goal: what, who (a worker, a family member or someone named) and by when."""
    family = goal.plan.family
    _require_write(actor, family)
    errors = Errors()
    if not text.strip():
        errors.add("text", "Enter what needs to be done")
    check_text(errors, "text", text, "What needs to be done", ACTION_TEXT)
    assigned_name = assigned_name.strip()
    given = sum(1 for who in (assigned_user, assigned_person, assigned_name) if who)
    if given != 1:
        errors.add("assignee", "Select who will do it: a worker, a family member or someone else")
    if assigned_user is not None and (
        not assigned_user.is_active
        or assigned_user.role
        not in (User.Role.KEYWORKER, User.Role.TEAM_MANAGER, User.Role.PROGRAMME_MANAGER)
    ):
        errors.add("assignee", "Select a worker who works with families")
    if (
        assigned_person is not None
        and not Membership.objects.filter(family=family, person=assigned_person).exists()
    ):
        errors.add("assignee", "Select a member of this family")
    check_text(errors, "assigned_name", assigned_name, "Who will do it", ASSIGNED_NAME)
    if due_on is None:
        errors.add("due_on", "Enter the date it should be done by")
    _check_day(errors, "due_on", due_on, "The date it should be done by", family, future=True)
    if not goal.is_active:
        errors.add(
            NON_FIELD_ERRORS,
            f"This goal is {goal.get_status_display().lower()}: add a new goal instead",
        )
    errors.raise_if_any()
    action = Action(
        goal=goal,
        text=text.strip(),
        assigned_user=assigned_user,
        assigned_person=assigned_person,
        assigned_name=assigned_name,
        due_on=due_on,
        created_by=actor,
    )
    _save(action, actor)
    _event(
        actor,
        family,
        FamilyEvent.Kind.PLAN,
        f"Action added: {action.text}, for {action.assignee} by {_long_date(due_on)}",
    )
    return action


@transaction.atomic
def action_complete(*, actor: User, action: Action, done_on: date | None) -> Action:
    """Record that an action was done, on a day, by the actor."""
    action = (
        Action.objects.select_for_update().select_related("goal__plan__family").get(pk=action.pk)
    )
    family = action.goal.plan.family
    _require_write(actor, family)
    errors = Errors()
    if action.is_done:
        errors.add(
            NON_FIELD_ERRORS, f"This action was already done on {_long_date(action.done_on)}"
        )
    if done_on is None:
        errors.add("done_on", "Enter the date it was done")
    _check_day(errors, "done_on", done_on, "The date it was done", family)
    errors.raise_if_any()
    action.done_on = done_on
    action.done_by = actor
    _save(action, actor)
    _event(actor, family, FamilyEvent.Kind.PLAN, f"Action done: {action.text}", done_on)
    return action


@transaction.atomic
def plan_review_date_set(*, actor: User, family: Family, next_review_on: date | None) -> FamilyPlan:
    """Set when the plan is next reviewed (today or later; after the last review)."""
    _require_write(actor, family)
    errors = Errors()
    today = timezone.localdate()
    if next_review_on is None:
        errors.add("next_review_on", "Enter the date of the next review")
    elif next_review_on < today:
        errors.add("next_review_on", "The date of the next review must be today or in the future")
    else:
        check_date(
            errors, "next_review_on", next_review_on, "The date of the next review", future=True
        )
    errors.raise_if_any()
    plan = _plan_for(family, actor)
    plan.next_review_on = next_review_on
    _save(plan, actor)
    _event(
        actor,
        family,
        FamilyEvent.Kind.PLAN,
        f"Next review of the plan set for {_long_date(next_review_on)}",
    )
    return plan


# --- reviews -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalUpdate:
    """What a review says about one goal: progress in words, and the goal's status now."""

    text: str
    status: str


@transaction.atomic
def review_record(
    *,
    actor: User,
    family: Family,
    held_on: date | None,
    attended: str,
    next_review_on: date | None,
    progress: Mapping[int, GoalUpdate],
    notes: str = "",
) -> Review:
    """Record a review of the plan: progress on each goal (setting its status) and the next date."""
    _require_write(actor, family)
    plan = FamilyPlan.objects.select_for_update().filter(family=family).first()
    if plan is None:
        raise PermissionDenied("Add a goal to the family's plan before recording a review.")
    goals = {goal.pk: goal for goal in plan.goals.all()}
    errors = Errors()
    if held_on is None:
        errors.add("held_on", "Enter the date the review was held")
    _check_day(errors, "held_on", held_on, "The date the review was held", family)
    last = plan.reviews.order_by("-held_on").first()
    if held_on is not None and last is not None and held_on <= last.held_on:
        errors.add(
            "held_on",
            "The date the review was held must be after the last review, on "
            f"{_long_date(last.held_on)}",
        )
    if not attended.strip():
        errors.add("attended", "Enter who attended the review")
    check_text(errors, "attended", attended, "Who attended", NOTE)
    check_text(errors, "notes", notes, "Notes", NOTE)
    if next_review_on is None:
        errors.add("next_review_on", "Enter the date of the next review")
    else:
        check_date(
            errors, "next_review_on", next_review_on, "The date of the next review", future=True
        )
        if held_on is not None and next_review_on <= held_on:
            errors.add(
                "next_review_on",
                "The date of the next review must be after the date this review was held",
            )
    for goal_id, update in progress.items():
        field = f"goal_{goal_id}"
        if goal_id not in goals:
            errors.add(field, "That goal is not in this family's plan")
            continue
        if update.status not in Goal.Status.values:
            errors.add(f"{field}_status", "Select where the goal has got to")
        check_text(errors, f"{field}_text", update.text, "Progress", NOTE)
    errors.raise_if_any()

    review = Review(
        plan=plan,
        held_on=held_on,
        attended=attended.strip(),
        next_review_on=next_review_on,
        notes=notes.strip(),
        recorded_by=actor,
    )
    _save(review, actor)
    rows = []
    for goal_id, update in progress.items():
        goal = goals[goal_id]
        rows.append(
            GoalProgress(review=review, goal=goal, text=update.text.strip(), status=update.status)
        )
        if goal.status != update.status:
            goal.status = update.status
            _save(goal, actor)
    GoalProgress.objects.bulk_create(rows)
    plan.next_review_on = next_review_on
    _save(plan, actor)
    achieved = sum(1 for u in progress.values() if u.status == Goal.Status.ACHIEVED)
    summary = f"Plan reviewed with {review.attended}"
    if achieved:
        summary += f"; {achieved} goal{'s' if achieved != 1 else ''} achieved"
    summary += f"; next review on {_long_date(next_review_on)}"
    _event(actor, family, FamilyEvent.Kind.REVIEW, summary, held_on)
    return review


# --- Outcomes Stars ------------------------------------------------------------------------------

STAR_CREATED = "created"
STAR_CORRECTED = "corrected"
STAR_UNCHANGED = "unchanged"


def star_score_field(identifier: str) -> str:
    """The form field (and error key) of one area's score."""
    return f"score_{identifier}"


@transaction.atomic
def star_reading_record(
    *,
    actor: User,
    family: Family,
    definition,
    read_on: date | None,
    kind: str,
    scores: Mapping[str, object],
    person: Person | None = None,
    replace: bool = False,
    import_file_id: int | None = None,
):
    """Record a Star reading (baseline or review) with a score for every area; return
    (reading, created | corrected | unchanged). With `replace`, a reading already recorded on
    that day has its scores replaced (a partner file's correction); without, it is refused.
    A partner file (the system, with `import_file_id`) may bring readings of a closed case
    across too: a programme's past Stars count in its report."""
    if not (is_system(actor) and import_file_id is not None):
        _require_write(actor, family)
    areas = list(StarArea.objects.filter(definition=definition).order_by("position", "id"))
    star = star_from(definition, areas)
    errors = Errors()
    if not definition.active and not replace:
        errors.add("definition", f"{definition.name} is no longer in use: choose another Star")
    if kind not in StarReading.Kind.values:
        errors.add("kind", "Select whether this is a baseline or a review")
    if read_on is None:
        errors.add("read_on", "Enter the date the Star was completed")
    check_date(errors, "read_on", read_on, "The date the Star was completed")
    if definition.subject == StarDefinition.Subject.PERSON:
        if person is None:
            errors.add("person", "Select the child or young person the Star is about")
        elif not Membership.objects.filter(family=family, person=person).exists():
            errors.add("person", "Select a member of this family")
    else:
        person = None
    for identifier, message in score_problems(star, scores).items():
        errors.add(star_score_field(identifier), message)
    errors.raise_if_any()

    Family.objects.select_for_update().filter(pk=family.pk).first()
    clean = {a.identifier: score_value(scores[a.identifier]) for a in areas}
    who = f" for {person.full_name}" if person else ""
    existing = StarReading.objects.filter(
        definition=definition, family=family, person=person, read_on=read_on
    ).first()
    if existing is not None:
        if not replace:
            raise ValidationError(
                {
                    "read_on": f"A {definition.name} reading{who} is already recorded on "
                    f"{_long_date(read_on)}: enter another date"
                }
            )
        current = {s.area_id: s for s in existing.scores.all()}
        changed = existing.kind != kind
        for area in areas:
            score = current.get(area.pk)
            if score is None:
                score = StarScore(reading=existing, area=area, score=clean[area.identifier])
            elif score.score == clean[area.identifier]:
                continue
            score.score = clean[area.identifier]
            _save(score, actor)
            changed = True
        if not changed:
            return existing, STAR_UNCHANGED
        existing.kind = kind
        _save(existing, actor)
        _event(
            actor,
            family,
            FamilyEvent.Kind.ASSESSMENT,
            f"{definition.name} {existing.get_kind_display().lower()}{who} corrected",
            read_on,
        )
        return existing, STAR_CORRECTED

    reading = StarReading(
        definition=definition,
        family=family,
        person=person,
        read_on=read_on,
        kind=kind,
        recorded_by=actor,
        import_file_id=import_file_id,
    )
    _save(reading, actor)
    bulk_create_with_history(
        [StarScore(reading=reading, area=a, score=clean[a.identifier]) for a in areas],
        StarScore,
        default_user=actor,
    )
    _event(
        actor,
        family,
        FamilyEvent.Kind.ASSESSMENT,
        f"{definition.name} {reading.get_kind_display().lower()}{who} recorded",
        read_on,
    )
    return reading, STAR_CREATED
