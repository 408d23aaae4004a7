"""Outcomes in the browser: a keyworker records a term's attendance and sees the family's outcome
change on its page; managers and administrators use the near-miss, plans and what-if pages."""

from __future__ import annotations

from datetime import date

import pytest

from families.services import system_actor
from outcomes.services.evaluations import families_evaluate
from tests.browser.pages import assert_accessible, sign_in
from tests.factories import (
    activate,
    attendance,
    household,
    record,
    supporting_families_family,
)

pytestmark = pytest.mark.browser


def test_keyworker_records_attendance_and_the_outcome_changes(page, live_server, keyworker):
    activate("oxfordshire-phase-2", "2015-04-01")
    family, adult, child = household("F-000123", keyworker=keyworker)
    attendance(child, 2014, [20, 20, 20, 5, 5])  # the summer 2016 term is not in yet
    record("domestic_abuse_callouts", family=family, callout_date="2015-06-01", child_present=True)
    panel_url = f"{live_server.url}/families/F-000123/?as_of=2016-09-30"

    sign_in(page, live_server, keyworker.username)
    page.goto(panel_url)
    card = page.locator("#outcome-school_attendance")
    assert "Progressing" in card.inner_text()
    assert "Not claimable yet" in page.locator("#outcomes-claimable").inner_text()
    assert_accessible(page)

    page.get_by_role("button", name="Add evidence").click()
    assert_accessible(page)
    page.get_by_role("link", name="School attendance for a term").click()
    assert_accessible(page)
    page.get_by_label(child.full_name).check()
    page.get_by_label("Academic year").fill("2015/16")
    page.get_by_label("Summer").check()
    page.get_by_label("Possible sessions").fill("100")
    page.get_by_label("Sessions missed").fill("5")
    page.locator("form button.govuk-button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/families/F-000123/" in page.url

    page.goto(panel_url)
    card = page.locator("#outcome-school_attendance")
    assert "Met" in card.inner_text()
    assert "Met since 22 July 2016" in card.inner_text()
    assert "Claimable" in page.locator("#outcomes-claimable").inner_text()
    assert_accessible(page)


def test_near_misses_plans_and_what_if_pages_are_accessible(
    page, live_server, keyworker, administrator
):
    activate("supporting-families-2022-example", "2022-04-01")
    near = supporting_families_family("F-000401", keyworker=keyworker)
    families_evaluate(actor=system_actor(), family_ids=[near.pk], as_of=date(2023, 9, 30))

    sign_in(page, live_server, keyworker.username)
    page.get_by_role("link", name="Near misses").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Near misses"
    assert "F-000401" in page.locator("table").inner_text()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, live_server, administrator.username)
    page.goto(f"{live_server.url}/outcomes/plans/")
    assert_accessible(page)
    page.get_by_role("link", name="Supporting Families 2022-25 outcomes framework").first.click()
    assert page.locator("#plan-table").count() == 1
    assert_accessible(page)
    page.get_by_role("link", name="Compare it with the plan in force").click()
    page.get_by_role("button", name="Compare plans").click()
    assert page.locator(".govuk-error-summary").count() == 1  # the plan to compare is the same one
    assert_accessible(page)
    page.goto(f"{live_server.url}/outcomes/plans/upload/")
    page.get_by_label("Or paste the plan (optional)").fill("slug: x\nproblems: [\n")
    page.get_by_role("button", name="Upload plan").click()
    assert "line" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
