"""The plan's pages as a keyworker uses them: the family page's plan section, the forms (every
error at once, nothing half-saved) and the overdue page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from casework.models import Action, Assessment, Goal, Review
from tests import factories as f

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def date_fields(name: str, value: dt.date | None) -> dict[str, str]:
    if value is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {
        f"{name}_day": str(value.day),
        f"{name}_month": str(value.month),
        f"{name}_year": str(value.year),
    }


def long(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def test_a_keyworker_writes_the_plan_through_its_pages(client_for, keyworker, family):
    client = client_for(keyworker)
    today = timezone.localdate()
    problem = f.family_problem(family)
    base = f"/casework/families/{family.reference}"

    response = client.post(
        f"{base}/assessment/",
        {
            "problems": [problem.pk],
            "strengths": "Gran helps every morning",
            "family_view": "We want Tom happy at school",
            **date_fields("completed_on", today),
        },
    )
    assert response.status_code == 302
    assert Assessment.objects.get(family=family).completed_by == keyworker

    client.post(f"{base}/goals/add/", {"family_problem": problem.pk, "text": "Tom at school"})
    goal = Goal.objects.get(plan__family=family)
    client.post(
        f"{base}/goals/{goal.pk}/actions/add/",
        {
            "text": "Meet the head",
            "assignee": "other",
            "assigned_name": "School",
            **date_fields("due_on", today + 3 * DAY),
        },
    )
    action = Action.objects.get(goal=goal)
    assert action.assignee == "School"
    client.post(f"{base}/actions/{action.pk}/done/", date_fields("done_on", today))
    response = client.post(
        f"{base}/reviews/add/",
        {
            **date_fields("held_on", today),
            "attended": "Jane and Tom",
            f"goal_{goal.pk}_text": "Every day this week",
            f"goal_{goal.pk}_status": "achieved",
            **date_fields("next_review_on", today + 28 * DAY),
        },
    )
    assert response.status_code == 302

    page = client.get(f"/families/{family.reference}/").content.decode()
    assert "Family plan" in page
    assert f"Completed on {long(today)}" in page
    assert "Tom at school" in page and "Achieved" in page
    assert f"Done</strong> on {long(today)}" in page
    assert f"Review on {long(today)}" in page
    assert long(today + 28 * DAY) in page


def test_the_review_form_shows_every_problem_at_once(client_for, keyworker, family):
    goal = f.GoalFactory(plan=f.FamilyPlanFactory(family=family))
    today = timezone.localdate()
    response = client_for(keyworker).post(
        f"/casework/families/{family.reference}/reviews/add/",
        {
            **date_fields("held_on", today),
            "attended": "",
            f"goal_{goal.pk}_status": "",
            **date_fields("next_review_on", today),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    summary = page[
        page.index("govuk-error-summary") : page.index("</ul>", page.index("govuk-error-summary"))
    ]
    assert "Enter who attended the review" in summary
    assert "The date of the next review must be after the date this review was held" in summary
    assert "Tom goes to school every day" in summary  # the goal whose status is missing
    assert not Review.objects.exists()


def test_the_action_form_asks_who_when_someone_else_is_chosen(client_for, keyworker, family):
    goal = f.GoalFactory(plan=f.FamilyPlanFactory(family=family))
    response = client_for(keyworker).post(
        f"/casework/families/{family.reference}/goals/{goal.pk}/actions/add/",
        {"text": "", "assignee": "other", "assigned_name": "", **date_fields("due_on", None)},
    )
    page = response.content.decode()
    for message in (
        "Enter what needs to be done",
        "Enter who will do it",
        "Enter the date it should be done by",
    ):
        assert message in page
    assert not Action.objects.exists()


def test_an_auditor_sees_the_plan_without_the_links_to_change_it(client_for, auditor, family):
    f.OverdueActionFactory(goal=f.GoalFactory(plan=f.FamilyPlanFactory(family=family)))
    page = client_for(auditor).get(f"/families/{family.reference}/").content.decode()
    assert "Meet the school&#x27;s attendance officer with mum" in page
    assert "Overdue" in page
    assert "Mark as done" not in page and "Add a goal" not in page


def test_the_overdue_page_lists_the_teams_overdue_work(client_for, team_manager, family):
    plan = f.OverdueReviewPlanFactory(family=family)
    f.OverdueActionFactory(goal=f.GoalFactory(plan=plan), text="Book the GP appointment")
    page = client_for(team_manager).get("/casework/overdue/").content.decode()
    assert "Reviews (1)" in page and "Actions (1)" in page
    assert "Book the GP appointment" in page
    assert "Smith family (F-900001)" in page
