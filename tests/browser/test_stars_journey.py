"""A keyworker records a child's My Star (first with a score missing, then whole), sees the star
on the family page at desktop width and at 320 px; a programme manager reads the Outcome Stars
report. axe checks every page on the way."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser.pages import assert_accessible, sign_in, sign_out
from tests.factories.stars import MY_STAR, star, star_reading

pytestmark = pytest.mark.browser


def fill_date(page, name: str, value: dt.date) -> None:
    page.locator(f"#id_{name}_day").fill(str(value.day))
    page.locator(f"#id_{name}_month").fill(str(value.month))
    page.locator(f"#id_{name}_year").fill(str(value.year))


def assert_reflows_at_320(page) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width}px wide at 320px"
    assert_accessible(page)
    page.set_viewport_size({"width": 1200, "height": 900})


def test_keyworker_records_my_star_and_the_manager_reads_the_report(
    page, live_server, keyworker, programme_manager, family
):
    today = timezone.localdate()
    tom = family.memberships.get(role="child").person
    star_reading(
        family=family,
        name=MY_STAR,
        read_on=today - dt.timedelta(days=90),
        scores=2,
        person=tom,
        recorded_by=keyworker,
    )
    sign_in(page, live_server, keyworker.username)
    page.goto(f"{live_server.url}/families/{family.reference}/")
    page.get_by_role("link", name="Record a My Star reading").click()
    assert_accessible(page)

    page.get_by_label("Tom Smith").check()
    fill_date(page, "read_on", today)
    page.get_by_label("Review, to see what has changed").check()
    areas = list(star(MY_STAR).areas.all())
    for area in areas[:-1]:
        page.locator(f"input[name='score_{area.identifier}'][value='4']").check()
    page.get_by_role("button", name="Save reading").click()
    summary = page.locator(".govuk-error-summary")
    assert "Select a score for Education and learning" in summary.inner_text()
    assert_accessible(page)
    assert_reflows_at_320(page)

    page.locator(f"input[name='score_{areas[-1].identifier}'][value='3']").check()
    page.get_by_role("button", name="Save reading").click()
    assert "My Star reading recorded" in page.inner_text("body")
    section = page.locator("section", has=page.locator("#outcome-stars"))
    assert "My Star: Tom Smith" in section.inner_text()
    assert section.locator("svg[role='img'] polygon").count() >= 2
    assert_accessible(page)
    assert_reflows_at_320(page)
    sign_out(page)

    sign_in(page, live_server, programme_manager.username)
    page.goto(f"{live_server.url}/reports/")
    page.get_by_role("link", name="Outcome Stars").click()
    body = page.inner_text("main")
    assert "Children and young people with a baseline and a later reading: 1." in body
    assert "100.00%" in body  # 2.00 to 4.00 in every area but one
    assert_accessible(page)
    assert_reflows_at_320(page)
