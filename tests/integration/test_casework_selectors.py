"""What is due on families' plans: next reviews, open and overdue actions, per user's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import Goal
from casework.selectors import (
    FamilyDue,
    due_for_families,
    family_plan_summary,
    overdue_list,
)
from families.models import Family
from tests import factories as f

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def test_due_for_families_counts_open_and_overdue_actions(keyworker, family):
    today = timezone.localdate()
    plan = f.FamilyPlanFactory(family=family, next_review_on=today)
    goal = f.GoalFactory(plan=plan)
    f.ActionFactory(goal=goal, due_on=today)  # due today: open, not overdue
    f.OverdueActionFactory(goal=goal)
    f.DoneActionFactory(goal=goal)  # done: neither
    finished = f.AchievedGoalFactory(plan=plan)
    f.OverdueActionFactory(goal=finished)  # under an achieved goal: not waited for
    due = due_for_families(user=keyworker, family_ids=[family.pk], today=today)
    assert due == {
        family.pk: FamilyDue(
            next_review_on=today, review_overdue=False, open_actions=2, overdue_actions=1
        )
    }
    tomorrow = due_for_families(user=keyworker, family_ids=[family.pk], today=today + DAY)
    assert tomorrow[family.pk].review_overdue is True
    assert tomorrow[family.pk].overdue_actions == 2


def test_a_family_with_no_plan_has_nothing_due_and_others_are_left_out(
    keyworker, family, other_family
):
    due = due_for_families(user=keyworker, family_ids=[family.pk, other_family.pk])
    assert due == {
        family.pk: FamilyDue(
            next_review_on=None, review_overdue=False, open_actions=0, overdue_actions=0
        )
    }


def test_nothing_is_due_on_a_closed_family(keyworker, family):
    f.OverdueActionFactory(goal=f.GoalFactory(plan=f.OverdueReviewPlanFactory(family=family)))
    Family.objects.filter(pk=family.pk).update(
        status="closed", closed_on=dt.date(2016, 1, 1), closure_reason="moved_away"
    )
    due = due_for_families(user=keyworker, family_ids=[family.pk])
    assert due[family.pk].review_overdue is False
    assert due[family.pk].overdue_actions == 0


def test_due_for_families_is_one_query_however_many_families(keyworker):
    families = [f.AttachedFamilyFactory(lead_keyworker=keyworker) for _ in range(6)]
    for family in families:
        goal = f.GoalFactory(plan=f.OverdueReviewPlanFactory(family=family))
        f.OverdueActionFactory(goal=goal)
        f.ActionFactory(goal=goal)
    with CaptureQueriesContext(connection) as few:
        due_for_families(user=keyworker, family_ids=[families[0].pk])
    with CaptureQueriesContext(connection) as many:
        due = due_for_families(user=keyworker, family_ids=[x.pk for x in families])
    assert len(few) == len(many) == 1
    assert all(d.review_overdue and d.open_actions == 2 for d in due.values())


def test_the_plan_summary_gives_the_assessment_state(keyworker, family):
    summary = family_plan_summary(user=keyworker, family=family)
    assert summary.assessment_state == "not started"
    f.AssessmentFactory(family=family)
    assert family_plan_summary(user=keyworker, family=family).assessment_state == "draft"
    done = f.CompletedAssessmentFactory(family=family, version=2)
    summary = family_plan_summary(user=keyworker, family=family)
    assert (summary.assessment_state, summary.assessment_version) == ("completed", 2)
    assert summary.assessment_completed_on == done.completed_on


def test_the_plan_summary_of_a_family_outside_the_users_scope_is_not_found(other_keyworker, family):
    with pytest.raises(Http404):
        family_plan_summary(user=other_keyworker, family=family)


@pytest.fixture
def overdue_work(keyworker, other_keyworker, other_team):
    """Overdue items on a family of each North keyworker and one in the South team."""
    mine = f.AttachedFamilyFactory(reference="F-910001", lead_keyworker=keyworker)
    theirs = f.AttachedFamilyFactory(reference="F-910002", lead_keyworker=other_keyworker)
    south = f.AttachedFamilyFactory(
        reference="F-910003",
        lead_keyworker=f.KeyworkerFactory(username="kw_south", team=other_team),
    )
    for family in (mine, theirs, south):
        goal = f.GoalFactory(plan=f.OverdueReviewPlanFactory(family=family))
        f.OverdueActionFactory(goal=goal)
        f.ActionFactory(goal=goal)  # not yet due
    f.OverdueActionFactory(
        goal=f.GoalFactory(plan=mine.plan, status=Goal.Status.NO_LONGER_NEEDED)
    )  # not waited for
    return mine, theirs, south


def references(work):
    return sorted({p.family.reference for p in work.reviews}), sorted(
        {a.goal.plan.family.reference for a in work.actions}
    )


def test_overdue_work_follows_the_job(
    overdue_work, keyworker, team_manager, programme_manager, other_team
):
    assert references(overdue_list(user=keyworker)) == (["F-910001"], ["F-910001"])
    assert references(overdue_list(user=team_manager)) == (
        ["F-910001", "F-910002"],
        ["F-910001", "F-910002"],
    )
    everyone = overdue_list(user=programme_manager)
    assert everyone.review_count == 3 and everyone.action_count == 3
    south = overdue_list(user=programme_manager, team_id=other_team.pk)
    assert references(south) == (["F-910003"], ["F-910003"])
    assert south.team == other_team
    # A team manager cannot pick another team.
    assert references(overdue_list(user=team_manager, team_id=other_team.pk))[0] == [
        "F-910001",
        "F-910002",
    ]
