"""A team manager moves work around their team: reallocates a family (both keyworkers see the
change) and allocates a new family from the team's unallocated queue."""

from __future__ import annotations

import pytest

from families.models import Family
from tests.browser.pages import assert_accessible, sign_in, sign_out

pytestmark = pytest.mark.browser


def assert_reflows_at_320(page) -> None:
    """The page as it is now, at 320 CSS pixels: no sideways scrolling, and still accessible."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width}px wide at 320px"
    assert_accessible(page)
    page.set_viewport_size(size)


def caseload_references(page, live_server) -> list[str]:
    page.goto(f"{live_server.url}/families/")
    assert_accessible(page)
    return page.locator("table tbody th, table tbody td").all_inner_texts()


def test_a_team_manager_reallocates_a_family_and_both_keyworkers_see_it(
    page, live_server, team_manager, keyworker, other_keyworker, family
):
    # Before: the family is in Alice's caseload, not Bob's.
    sign_in(page, live_server, keyworker.username)
    assert "F-900001" in caseload_references(page, live_server)
    sign_out(page)

    sign_in(page, live_server, team_manager.username)
    page.goto(f"{live_server.url}/families/F-900001/")
    assert_accessible(page)
    page.get_by_role("link", name="See the team around the family").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Team around the family"
    assert_accessible(page)
    assert_reflows_at_320(page)
    page.get_by_role("link", name="Change the lead keyworker").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Change the lead keyworker"
    assert_accessible(page)

    # Every mistake at once.
    page.get_by_role("button", name="Change lead keyworker").click()
    summary = page.locator(".govuk-error-summary")
    assert "Select the new lead keyworker" in summary.inner_text()
    assert "Enter why the lead keyworker is changing" in summary.inner_text()
    assert_accessible(page)
    assert_reflows_at_320(page)

    page.get_by_label("New lead keyworker").select_option(
        label=f"{other_keyworker.display_name} (North keywork team)"
    )
    page.get_by_label("Why is the lead keyworker changing?").fill("Caseload balancing")
    page.get_by_role("button", name="Change lead keyworker").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Smith family"
    banner = page.locator(".govuk-notification-banner--success").inner_text()
    assert f"{other_keyworker.display_name} is now the lead keyworker" in banner
    assert_accessible(page)
    timeline = page.locator("section", has=page.locator("#timeline"))
    assert (
        timeline.locator(
            "li", has_text=f"changed the lead keyworker from {keyworker.display_name}"
        ).count()
        == 1
    )
    sign_out(page)

    # The old keyworker has lost it, and is told.
    sign_in(page, live_server, keyworker.username)
    assert "F-900001" not in caseload_references(page, live_server)
    page.goto(f"{live_server.url}/notifications/")
    assert "has a new lead keyworker" in page.locator("main").inner_text()
    assert_accessible(page)
    assert page.goto(f"{live_server.url}/families/F-900001/").status == 404
    sign_out(page)

    # The new keyworker has it, with a notification.
    sign_in(page, live_server, other_keyworker.username)
    assert "F-900001" in caseload_references(page, live_server)
    page.goto(f"{live_server.url}/notifications/")
    assert (
        "You are now the lead keyworker for the Smith family" in page.locator("main").inner_text()
    )
    assert_accessible(page)


def test_a_family_created_with_no_keyworker_waits_in_the_unallocated_queue_then_is_allocated(
    page, live_server, team_manager, keyworker
):
    sign_in(page, live_server, team_manager.username)
    page.goto(f"{live_server.url}/families/create/")
    assert_accessible(page)
    page.get_by_label("Family name").fill("Nowak")
    page.get_by_label("Day").fill("6")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Create family").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Nowak family"
    assert_accessible(page)
    reference = Family.objects.get(name="Nowak").reference

    page.get_by_role("link", name="My team").click()
    assert page.get_by_role("heading", level=1).inner_text() == "North keywork team"
    assert_accessible(page)
    assert_reflows_at_320(page)
    queue = page.locator("#unallocated-list")
    assert f"Nowak family ({reference})" in queue.inner_text()
    queue.get_by_role("link", name="Allocate the Nowak family").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Allocate a lead keyworker"
    assert_accessible(page)
    page.get_by_label("Lead keyworker").select_option(
        label=f"{keyworker.display_name} (North keywork team)"
    )
    page.get_by_role("button", name="Allocate").click()

    assert page.get_by_role("heading", level=1).inner_text() == "North keywork team"
    assert "No families are waiting for a lead keyworker" in page.locator("main").inner_text()
    assert_accessible(page)
    sign_out(page)

    sign_in(page, live_server, keyworker.username)
    assert reference in caseload_references(page, live_server)
