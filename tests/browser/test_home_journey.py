"""A keyworker's morning: the home page lists what is due (a new notification, a family near a
claim), they open a family, read it at a glance, and filter its timeline. Axe on every page, at
1280 and at 320 pixels; screenshots of the home page and the family at a glance are saved when
GLANCE_SHOTS names a folder."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from families.models import Notification
from outcomes.engine.dates import add_months
from tests import factories as f
from tests.browser.pages import assert_accessible, sign_in

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("GLANCE_SHOTS", "")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def assert_reflows(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


@pytest.fixture
def morning(keyworker, team):
    """Under the Oxfordshire plan: the Şahin family, attached four months ago after a police
    call-out to domestic abuse and two anti-social behaviour incidents, with Zoë Nowak in the
    household; a stored evaluation says it is claimable within the month; a new notification."""
    f.activate("oxfordshire-phase-2", "2015-04-01")
    today = timezone.localdate()
    attached = add_months(today, -4)
    family, adult, _ = f.household("F-000777", attached=attached.isoformat(), keyworker=keyworker)
    family.name = "Şahin"
    family.team = team
    family.save()
    adult.first_name, adult.last_name = "Zoë", "Nowak"
    adult.save()
    f.record(
        "domestic_abuse_callouts",
        family=family,
        callout_date=(attached - dt.timedelta(days=30)).isoformat(),
        child_present=True,
    )
    for days in (40, 100):
        f.record(
            "asb_incidents",
            person=adult,
            incident_date=(attached - dt.timedelta(days=days)).isoformat(),
        )
    f.CaseNoteFactory(
        family=family,
        author=keyworker,
        occurred_on=today - dt.timedelta(days=6),
        text="Home visit with Zoë.",
    )
    soon = today + dt.timedelta(days=12)
    f.EvaluationFactory(
        family=family,
        claimable_results=False,
        result={
            "results_earliest_on": soon.isoformat(),
            "blocking": [{"explanation": "No police call-outs to domestic abuse for 6 months"}],
        },
    )
    Notification.objects.create(
        user=keyworker,
        family=family,
        kind=Notification.Kind.OTHER,
        message="The Şahin family's school sent this term's attendance",
        url=f"/families/{family.reference}/",
        dedupe_key="journey",
    )
    return family, soon


def test_home_page_lists_what_is_due_then_the_family_at_a_glance(
    page, live_server, keyworker, morning
):
    family, soon = morning
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, keyworker.username)
    assert page.get_by_role("heading", level=1).inner_text() == "What needs doing now"
    notifications = page.locator("#home-notifications")
    assert "The Şahin family's school sent this term's attendance" in notifications.inner_text()
    near = page.locator("#home-near_claim")
    assert f"claimable on {soon:%-d %B %Y} if everything holds" in near.inner_text()
    assert_accessible(page)
    shot(page, "home-1280")

    near.get_by_role("link", name="Şahin family (F-000777)").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Şahin family"
    box = page.locator("#glance-box")
    assert box.get_by_role("heading", name="At a glance").is_visible()
    assert "Attached to the programme on" in box.inner_text()
    abuse = box.locator("#glance-problem-domestic_abuse")
    assert "4 of 6 months since attachment" in abuse.inner_text()
    assert abuse.get_by_role("progressbar").get_attribute("value") == "4"
    assert box.locator("#glance-claim").is_visible()
    assert_accessible(page)
    shot(page, "family-1280")
    if SHOTS:
        box.screenshot(path=str(Path(SHOTS) / "glance-1280.png"))

    # Filter the timeline to case notes: the filter is a plain GET form.
    page.get_by_label("Type").select_option(label="Case note")
    page.get_by_role("button", name="Filter the timeline").click()
    assert "type=note" in page.url
    timeline = page.locator(".app-timeline")
    assert "Home visit with Zoë." in timeline.inner_text()
    assert "Attached to the programme" not in timeline.locator(".app-timeline__list").inner_text()
    assert_accessible(page)

    # The same pages at 320 pixels: no sideways scrolling, nothing axe finds.
    page.set_viewport_size({"width": 320, "height": 640})
    for path, name in (("/", "home-320"), (f"/families/{family.reference}/", "family-320")):
        page.goto(live_server.url + path)
        assert_reflows(page)
        assert_accessible(page)
        shot(page, name)
        if name == "family-320" and SHOTS:
            page.locator("#glance-box").screenshot(path=str(Path(SHOTS) / "glance-320.png"))

    # On paper: the glance box and the timeline, no filters.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="print")
    assert page.locator("#glance-box").is_visible()
    assert not page.locator(".app-timeline__filters").is_visible()
    assert page.locator("#timeline").is_visible()
