"""The family plan's services: who may write, the rules on dates, and what each write records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casework import services
from casework.models import Action, Assessment, Goal, GoalProgress, Review
from casework.services import GoalUpdate
from families.models import Family, FamilyEvent
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
DAY = dt.timedelta(days=1)


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def close(family):
    family.status, family.closed_on, family.closure_reason = (
        Family.Status.CLOSED,
        dt.date(2016, 1, 1),
        Family.ClosureReason.MOVED_AWAY,
    )
    family.save()


# --- who may write -------------------------------------------------------------------------------


def add_goal(actor, family):
    return services.goal_add(
        actor=actor,
        family=family,
        family_problem=f.family_problem(family),
        text="Tom goes to school every day",
    )


def test_the_familys_keyworker_may_write_its_plan(keyworker, family):
    goal = add_goal(keyworker, family)
    assert goal.plan.family == family
    event = FamilyEvent.objects.get(family=family, kind=FamilyEvent.Kind.PLAN)
    assert event.summary == (
        "Goal added to the plan for school attendance: Tom goes to school every day"
    )
    assert event.actor == keyworker


def test_a_keyworker_from_another_team_may_not(family, other_team):
    stranger = f.KeyworkerFactory(username="kw_south", team=other_team)
    with pytest.raises(PermissionDenied):
        add_goal(stranger, family)
    assert not Goal.objects.exists()


def test_a_keyworker_in_the_same_team_not_on_the_family_may_not(other_keyworker, family):
    with pytest.raises(PermissionDenied):
        add_goal(other_keyworker, family)


def test_the_team_manager_may(team_manager, family):
    assert add_goal(team_manager, family).created_by == team_manager


def test_an_auditor_reads_only(auditor, family):
    with pytest.raises(PermissionDenied):
        add_goal(auditor, family)
    assert not FamilyEvent.objects.filter(kind=FamilyEvent.Kind.PLAN).exists()


def test_a_closed_family_is_refused_even_to_its_keyworker(keyworker, family):
    close(family)
    with pytest.raises(PermissionDenied, match="closed"):
        add_goal(keyworker, family)


def test_an_actor_is_required(family):
    with pytest.raises(PermissionDenied):
        add_goal(None, family)


def test_completing_an_action_on_a_closed_family_is_refused(keyworker):
    action = f.OverdueActionFactory()
    family = action.goal.plan.family
    close(family)
    with pytest.raises(PermissionDenied):
        services.action_complete(actor=family.lead_keyworker, action=action, done_on=TODAY())
    action.refresh_from_db()
    assert action.done_on is None


# --- the assessment ------------------------------------------------------------------------------


def test_a_draft_is_changed_in_place_until_completed_then_a_new_version_starts(keyworker, family):
    problem = f.family_problem(family)
    first = services.assessment_save(
        actor=keyworker, family=family, problems=[problem], strengths="Close to gran"
    )
    again = services.assessment_save(
        actor=keyworker, family=family, problems=[problem], strengths="Close to gran and aunt"
    )
    assert again.pk == first.pk and again.version == 1
    completed = services.assessment_save(
        actor=keyworker,
        family=family,
        problems=[problem],
        strengths="Close to gran and aunt",
        family_view="We want a fresh start",
        completed_on=TODAY(),
    )
    assert completed.pk == first.pk
    assert completed.completed_by == keyworker
    second = services.assessment_save(
        actor=keyworker, family=family, problems=[problem], strengths="Gran moved in"
    )
    assert second.version == 2 and second.pk != first.pk
    first.refresh_from_db()
    assert first.strengths == "Close to gran and aunt"  # the completed version is kept as it was
    summaries = list(
        FamilyEvent.objects.filter(kind=FamilyEvent.Kind.ASSESSMENT)
        .order_by("created_at")
        .values_list("summary", flat=True)
    )
    assert summaries == [
        "Early help assessment started",
        "Early help assessment updated",
        f"Early help assessment completed by {keyworker.display_name}",
        "Early help assessment version 2 started",
    ]


def test_completing_needs_strengths_the_familys_view_and_a_sensible_date(keyworker, family):
    with pytest.raises(ValidationError) as excinfo:
        services.assessment_save(
            actor=keyworker,
            family=family,
            problems=[],
            completed_on=family.identified_on - DAY,
        )
    errors = errors_of(excinfo)
    assert set(errors) == {"problems", "strengths", "family_view", "completed_on"}
    assert "when the family was identified" in errors["completed_on"][0]
    assert not Assessment.objects.exists()


def test_another_familys_problem_is_refused(keyworker, family, other_family):
    with pytest.raises(ValidationError) as excinfo:
        services.assessment_save(
            actor=keyworker, family=family, problems=[f.family_problem(other_family)]
        )
    assert "problems" in errors_of(excinfo)


# --- actions -------------------------------------------------------------------------------------


def test_an_action_is_added_for_a_family_member_and_done(keyworker, family):
    goal = add_goal(keyworker, family)
    mum = family.memberships.get(person__first_name="Jane").person
    action = services.action_add(
        actor=keyworker,
        goal=goal,
        text="Ring the school on Monday",
        due_on=TODAY() + 7 * DAY,
        assigned_person=mum,
    )
    assert action.assignee == "Jane Smith"
    done = services.action_complete(actor=keyworker, action=action, done_on=TODAY())
    assert done.done_by == keyworker and done.done_on == TODAY()
    summaries = set(
        FamilyEvent.objects.filter(kind=FamilyEvent.Kind.PLAN).values_list("summary", flat=True)
    )
    assert "Action done: Ring the school on Monday" in summaries


def test_an_action_needs_exactly_one_who_and_a_by_date(keyworker, family):
    goal = add_goal(keyworker, family)
    with pytest.raises(ValidationError) as excinfo:
        services.action_add(
            actor=keyworker,
            goal=goal,
            text="",
            due_on=None,
            assigned_user=keyworker,
            assigned_name="School",
        )
    assert set(errors_of(excinfo)) == {"text", "assignee", "due_on"}
    with pytest.raises(ValidationError) as excinfo:
        services.action_add(actor=keyworker, goal=goal, text="Ring", due_on=TODAY())
    assert set(errors_of(excinfo)) == {"assignee"}
    assert not Action.objects.exists()


def test_someone_outside_the_family_is_not_a_family_member(keyworker, family):
    goal = add_goal(keyworker, family)
    with pytest.raises(ValidationError) as excinfo:
        services.action_add(
            actor=keyworker,
            goal=goal,
            text="Ring",
            due_on=TODAY(),
            assigned_person=f.PersonFactory(),
        )
    assert errors_of(excinfo)["assignee"] == ["Select a member of this family"]


def test_an_action_is_done_once_and_not_in_the_future(keyworker):
    action = f.OverdueActionFactory()
    worker = action.goal.plan.family.lead_keyworker
    with pytest.raises(ValidationError) as excinfo:
        services.action_complete(actor=worker, action=action, done_on=TODAY() + DAY)
    assert errors_of(excinfo)["done_on"] == ["The date it was done must be today or in the past"]
    services.action_complete(actor=worker, action=action, done_on=TODAY())
    with pytest.raises(ValidationError, match="already done"):
        services.action_complete(actor=worker, action=action, done_on=TODAY())


# --- reviews -------------------------------------------------------------------------------------


def test_a_review_records_progress_sets_goal_status_and_the_next_date(keyworker, family):
    goal = add_goal(keyworker, family)
    next_on = TODAY() + 42 * DAY
    review = services.review_record(
        actor=keyworker,
        family=family,
        held_on=TODAY(),
        attended="Jane, Tom and me",
        next_review_on=next_on,
        progress={goal.pk: GoalUpdate(text="Full week at school", status=Goal.Status.ACHIEVED)},
    )
    goal.refresh_from_db()
    assert goal.status == Goal.Status.ACHIEVED
    assert review.plan.next_review_on == next_on
    assert GoalProgress.objects.get(review=review).text == "Full week at school"
    event = FamilyEvent.objects.get(kind=FamilyEvent.Kind.REVIEW)
    assert event.occurred_on == TODAY()
    assert event.summary == (
        f"Plan reviewed with Jane, Tom and me; 1 goal achieved; next review on "
        f"{next_on.day} {next_on:%B %Y}"
    )


def review(actor, family, goal, held_on, next_review_on):
    return services.review_record(
        actor=actor,
        family=family,
        held_on=held_on,
        attended="Jane",
        next_review_on=next_review_on,
        progress={goal.pk: GoalUpdate(text="", status=Goal.Status.IN_PROGRESS)},
    )


def test_the_next_review_must_be_after_the_review(keyworker, family):
    goal = add_goal(keyworker, family)
    with pytest.raises(ValidationError) as excinfo:
        review(keyworker, family, goal, TODAY(), TODAY())
    assert errors_of(excinfo)["next_review_on"] == [
        "The date of the next review must be after the date this review was held"
    ]
    assert not Review.objects.exists()
    # One day after is enough.
    assert review(keyworker, family, goal, TODAY(), TODAY() + DAY).next_review_on == TODAY() + DAY


def test_a_review_must_be_after_the_last_review(keyworker, family):
    goal = add_goal(keyworker, family)
    earlier = TODAY() - 10 * DAY
    review(keyworker, family, goal, earlier, TODAY() + DAY)
    with pytest.raises(ValidationError) as excinfo:
        review(keyworker, family, goal, earlier, TODAY() + 5 * DAY)
    assert "must be after the last review" in errors_of(excinfo)["held_on"][0]
    # The day after the last review is accepted.
    assert review(keyworker, family, goal, earlier + DAY, TODAY() + DAY).held_on == earlier + DAY


def test_a_review_cannot_be_held_in_the_future_or_before_the_family_was_identified(
    keyworker, family
):
    goal = add_goal(keyworker, family)
    with pytest.raises(ValidationError) as excinfo:
        review(keyworker, family, goal, TODAY() + DAY, TODAY() + 9 * DAY)
    assert "today or in the past" in errors_of(excinfo)["held_on"][0]
    with pytest.raises(ValidationError) as excinfo:
        review(keyworker, family, goal, family.identified_on - DAY, TODAY())
    assert "when the family was identified" in errors_of(excinfo)["held_on"][0]


def test_every_problem_with_a_review_is_reported_at_once(keyworker, family):
    goal = add_goal(keyworker, family)
    with pytest.raises(ValidationError) as excinfo:
        services.review_record(
            actor=keyworker,
            family=family,
            held_on=None,
            attended=" ",
            next_review_on=None,
            progress={goal.pk: GoalUpdate(text="", status="finished")},
        )
    assert set(errors_of(excinfo)) == {
        "held_on",
        "attended",
        "next_review_on",
        f"goal_{goal.pk}_status",
    }


def test_the_review_date_set_on_its_own_is_today_or_later(keyworker, family):
    with pytest.raises(ValidationError):
        services.plan_review_date_set(actor=keyworker, family=family, next_review_on=TODAY() - DAY)
    plan = services.plan_review_date_set(actor=keyworker, family=family, next_review_on=TODAY())
    assert plan.next_review_on == TODAY()
