"""The plan on the family at a glance and on the home page: the assessment's state, the next
review and the actions, and the reviews due and actions overdue a keyworker sees on landing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests import factories as f
from tests.integration.test_family_glance import glance, glance_row, text_of

pytestmark = pytest.mark.django_db


def home(client) -> str:
    return text_of(client.get("/").content.decode())


def test_a_family_with_no_assessment_or_plan_says_so(client_for, keyworker, family):
    box = glance(client_for(keyworker), family)
    assert "No early help assessment has been written yet" in text_of(glance_row(box, "assessment"))
    assert "No review date set" in text_of(glance_row(box, "next_review"))
    assert "No open actions" in text_of(glance_row(box, "actions"))


def test_the_glance_shows_the_completed_assessment_next_review_and_overdue_actions(
    client_for, keyworker, family
):
    today = timezone.localdate()
    f.CompletedAssessmentFactory(family=family)
    plan = f.FamilyPlanFactory(family=family, next_review_on=today + dt.timedelta(days=14))
    goal = f.GoalFactory(plan=plan)
    f.ActionFactory(goal=goal)
    f.OverdueActionFactory(goal=goal)
    f.DoneActionFactory(goal=goal)
    box = glance(client_for(keyworker), family)
    assessment = text_of(glance_row(box, "assessment"))
    assert "Completed" in assessment and "Version 1" in assessment
    review = text_of(glance_row(box, "next_review"))
    assert f"{plan.next_review_on:%-d %B %Y}" in review and "Overdue" not in review
    assert "Last review" not in review
    held = f.ReviewFactory(plan=plan, held_on=today - dt.timedelta(days=20))
    f.ReviewFactory(plan=plan, held_on=today - dt.timedelta(days=60))
    review = text_of(glance_row(glance(client_for(keyworker), family), "next_review"))
    assert f"Last review held on {held.held_on:%-d %B %Y}" in review
    assert "2 open, 1 overdue" in text_of(glance_row(box, "actions"))


def test_a_review_date_passed_reads_overdue_but_today_does_not(client_for, keyworker, family):
    today = timezone.localdate()
    plan = f.FamilyPlanFactory(family=family, next_review_on=today)
    client = client_for(keyworker)
    assert "Overdue" not in text_of(glance_row(glance(client, family), "next_review"))
    plan.next_review_on = today - dt.timedelta(days=1)
    plan.save()
    assert "Overdue" in text_of(glance_row(glance(client, family), "next_review"))


def test_the_home_page_lists_reviews_due_within_a_week_and_overdue_actions(
    client_for, keyworker, family
):
    today = timezone.localdate()
    plan = f.FamilyPlanFactory(family=family, next_review_on=today + dt.timedelta(days=7))
    goal = f.GoalFactory(plan=plan)
    f.OverdueActionFactory(goal=goal, text="Book the housing officer")
    f.ActionFactory(goal=goal, text="Not yet due")
    client = client_for(keyworker)
    page = home(client)
    assert "Reviews due and actions overdue" in page
    assert f"review due on {plan.next_review_on:%-d %B %Y}" in page
    assert "Book the housing officer" in page and "3 days overdue" in page
    assert "Not yet due" not in page

    plan.next_review_on = today + dt.timedelta(days=8)  # beyond the week: not due yet
    plan.save()
    page = home(client)
    assert "review due on" not in page
    assert "Book the housing officer" in page


def test_nothing_due_on_a_closed_family_or_another_keyworkers(
    client_for, keyworker, other_keyworker, family
):
    plan = f.OverdueReviewPlanFactory(family=family)
    f.OverdueActionFactory(goal=f.GoalFactory(plan=plan), text="Call the school")
    assert "Call the school" not in home(client_for(other_keyworker))
    assert "No reviews are due this week and no actions are overdue" in home(
        client_for(other_keyworker)
    )
    family.status, family.closed_on, family.closure_reason = "closed", timezone.localdate(), "other"
    family.save()
    assert "Call the school" not in home(client_for(keyworker))


def test_the_team_manager_sees_the_teams_overdue_work(client_for, team_manager, keyworker, family):
    plan = f.OverdueReviewPlanFactory(family=family)
    f.OverdueActionFactory(goal=f.GoalFactory(plan=plan), text="Call the school")
    page = home(client_for(team_manager))
    assert "Call the school" in page and "days overdue" in page


def test_the_glance_shows_the_step_and_the_team_around_the_family(client_for, keyworker, family):
    client = client_for(keyworker)
    box = glance(client, family)
    assert "Early help" in text_of(glance_row(box, "step"))
    assert "Social care" not in text_of(glance_row(box, "step"))

    f.StepChangeFactory(family=family, occurred_on=dt.date(2015, 9, 1))
    worker = f.NamedWorkerFactory(family=family, user__first_name="Ola", user__last_name="Ade")
    f.PartnerProfessionalFactory(
        family=family, name="Priya Shah", organisation="Cherwell School", is_lead_professional=True
    )
    f.PartnerProfessionalFactory(family=family, name="Left Already", to_date=dt.date(2015, 12, 1))
    box = glance(client, family)
    step = text_of(glance_row(box, "step"))
    assert "Children's social care (stepped up)" in step and "Since 1 September 2015" in step
    lead = text_of(glance_row(box, "lead"))
    assert f"Also working with the family: {worker.user.display_name}" in lead
    assert "Lead professional: Priya Shah (Cherwell School)" in lead
    assert "Left Already" not in lead
