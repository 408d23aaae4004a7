"""A keyworker's plan: the early help assessment, a goal with an action, the action done, a
review that sets the next date; then their team manager sees what is overdue across the team."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from casework.models import Action, Review
from tests import factories as f
from tests.browser.pages import assert_accessible, sign_in, sign_out

pytestmark = pytest.mark.browser


def fill_date(page, name: str, value: dt.date) -> None:
    page.locator(f"#id_{name}_day").fill(str(value.day))
    page.locator(f"#id_{name}_month").fill(str(value.month))
    page.locator(f"#id_{name}_year").fill(str(value.year))


def long(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def assert_reflows_at_320(page) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width}px wide at 320px"
    assert_accessible(page)
    page.set_viewport_size({"width": 1200, "height": 900})


def plan_section(page):
    return page.locator("section", has=page.locator("#plan"))


def test_keyworker_plans_and_reviews_then_the_manager_sees_overdue_work(
    page, live_server, keyworker, team_manager, family
):
    today = timezone.localdate()
    f.family_problem(family, "school_attendance")
    # Another of the keyworker's families, with an action a week overdue.
    late = f.AttachedFamilyFactory(reference="F-900003", name="Nowak", lead_keyworker=keyworker)
    f.OverdueActionFactory(
        goal=f.GoalFactory(plan=f.FamilyPlanFactory(family=late)),
        text="Take Kasia to the dentist",
        due_on=today - dt.timedelta(days=7),
    )

    sign_in(page, live_server, keyworker.username)
    page.goto(f"{live_server.url}/families/{family.reference}/")
    section = plan_section(page)
    assert "No early help assessment yet" in section.inner_text()
    assert_accessible(page)

    # The assessment, completed today.
    section.get_by_role("link", name="Start the early help assessment").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Early help assessment"
    assert_accessible(page)
    page.get_by_label("The family's strengths").fill(
        "Jane is determined; gran does the school run."
    )
    page.get_by_label("The family's view, in their own words").fill(
        "“We want Tom to like school again.”"
    )
    page.get_by_label("Worries").fill("Tom missed 20 days last term.")
    page.get_by_label("Who contributed").fill("Jane, Tom, the school's family support worker")
    fill_date(page, "completed_on", today)
    assert_reflows_at_320(page)
    page.get_by_role("button", name="Save assessment").click()
    assert (
        "Early help assessment completed" in page.locator(".govuk-notification-banner").inner_text()
    )
    assert f"Completed on {long(today)}" in plan_section(page).inner_text()

    # A goal for the school attendance problem.
    plan_section(page).get_by_role("link", name="Add a goal").click()
    assert_accessible(page)
    page.get_by_role("button", name="Add goal").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Select the problem this goal is about" in summary and "Enter the goal" in summary
    assert_accessible(page)
    page.locator("#id_family_problem_0").check()
    page.get_by_label("The goal, in plain words").fill("Tom goes to school every day")
    page.get_by_role("button", name="Add goal").click()
    assert "Tom goes to school every day" in plan_section(page).inner_text()

    # An action under it, for the keyworker, by next week.
    plan_section(page).get_by_role("link", name="Add an action").click()
    assert_accessible(page)
    page.get_by_label("What needs to be done?").fill("Meet the head teacher with Jane")
    page.get_by_label("Who will do it?").select_option(label=keyworker.display_name)
    fill_date(page, "due_on", today + dt.timedelta(days=7))
    page.get_by_role("button", name="Add action").click()
    section = plan_section(page)
    assert "Meet the head teacher with Jane" in section.inner_text()
    assert_accessible(page)

    # Done today.
    section.get_by_role("link", name="Mark as done").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Mark the action as done"
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    assert f"Done on {long(today)}" in plan_section(page).inner_text()
    assert Action.objects.get(goal__plan__family=family).done_by == keyworker

    # The review: the next date must come after it.
    plan_section(page).get_by_role("button", name="Record a review").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Record a review of the plan"
    assert_accessible(page)
    page.get_by_label("Who attended?").fill("Jane, Tom and me")
    page.get_by_label("Progress on ‘Tom goes to school every day’").fill("A full week at school")
    page.get_by_label("In progress").check()
    fill_date(page, "next_review_on", today)
    page.get_by_role("button", name="Save review").click()
    assert (
        "The date of the next review must be after the date this review was held"
        in page.locator(".govuk-error-summary").inner_text()
    )
    assert_accessible(page)
    assert not Review.objects.exists()
    next_review = today + dt.timedelta(days=42)
    fill_date(page, "next_review_on", next_review)
    assert_reflows_at_320(page)
    page.get_by_role("button", name="Save review").click()
    assert (
        f"The next review is on {long(next_review)}"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    section = plan_section(page)
    assert f"Review on {long(today)}" in section.inner_text()
    assert "In progress" in section.inner_text()
    assert_reflows_at_320(page)
    timeline = page.locator("section", has=page.locator("#timeline")).inner_text()
    assert "Plan reviewed with Jane, Tom and me" in timeline
    sign_out(page)

    # The team manager sees the other family's overdue action across the team.
    sign_in(page, live_server, team_manager.username)
    page.goto(f"{live_server.url}/")  # the home page lists what is due, and links to it all
    page.get_by_role("link", name="See all overdue work").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Overdue reviews and actions"
    row = page.locator("tr", has_text="Take Kasia to the dentist")
    assert row.count() == 1
    assert "Nowak family (F-900003)" in row.inner_text()
    assert "7" in row.locator("td").last.inner_text()
    assert "Meet the head teacher" not in page.locator("main").inner_text()  # done: not overdue
    assert_accessible(page)
    assert_reflows_at_320(page)
