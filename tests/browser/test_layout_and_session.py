"""The pages as people see them: every main page reflows at 320 CSS pixels without scrolling
sideways, the header fits one line at 1280 pixels for every role, a printed family record is
clean, the footer's statement and notice open for anyone, and the session-timeout warning lets
a user stay signed in."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.sessions.models import Session

from config import context_processors
from tests import factories as f
from tests.browser.pages import assert_accessible, sign_in

pytestmark = pytest.mark.browser

AS_OF = date(2016, 9, 30)


@pytest.fixture
def batch(programme_manager):
    """A claimable family's claims, waiting for audit (the Oxfordshire plan in force)."""
    return f.AwaitingAuditClaimBatchFactory(claimable=1, as_of=AS_OF, preparer=programme_manager)


@pytest.fixture
def plan_in_force(batch):
    """The claimable families' plan is in force: the batch's factory activated it."""


def assert_reflows(page) -> None:
    """No sideways scrolling at the page's width; wide tables scroll inside their own box."""
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width}px wide at 320px"


MAIN_PAGES = [
    # (who, page)
    ("keyworker", "/"),
    ("keyworker", "/families/"),
    ("keyworker", "/families/F-900001/"),
    ("keyworker", "/outcomes/families/F-900001/evidence/"),
    ("keyworker", "/outcomes/families/F-900001/evidence/add/"),
    ("keyworker", "/outcomes/near-misses/"),
    ("keyworker", "/notifications/"),
    ("programme_manager", "/claims/"),
    ("programme_manager", "/claims/batches/{batch}/"),
    ("programme_manager", "/outcomes/plans/"),
    ("programme_manager", "/outcomes/eligibility-runs/"),
    ("auditor", "/claims/audit/"),
    ("auditor", "/claims/batches/{batch}/sign_off/"),
    ("auditor", "/claims/claims/{claim}/"),
    ("auditor", "/families/F-900001/access/"),
]


def test_every_main_page_reflows_at_320_pixels(
    browser,
    live_server,
    request,
    batch,
    plan_in_force,
    family,
    keyworker,
    programme_manager,
    auditor,
):
    claim = batch.claims.first()
    for role in ("keyworker", "programme_manager", "auditor"):
        user = request.getfixturevalue(role)
        context = browser.new_context(viewport={"width": 320, "height": 640}, locale="en-GB")
        context.set_default_timeout(10_000)
        page = context.new_page()
        sign_in(page, live_server, user.username)
        for who, path in MAIN_PAGES:
            if who != role:
                continue
            url = live_server.url + path.format(batch=batch.reference, claim=claim.pk)
            response = page.goto(url)
            assert response.status == 200, url
            assert_reflows(page)
            assert_accessible(page)
        context.close()


def test_a_wide_table_scrolls_inside_a_region_a_keyboard_can_reach(
    page, live_server, keyworker, family
):
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, live_server, keyworker.username)
    page.goto(f"{live_server.url}/families/")
    region = page.get_by_role("region", name="Families")
    assert region.get_attribute("tabindex") == "0"
    inside = region.evaluate("el => el.scrollWidth > el.clientWidth")
    assert inside, "the caseload table should scroll inside its region at 320px"
    assert_reflows(page)


ROLES = [
    "keyworker",
    "team_manager",
    "programme_manager",
    "auditor",
    "data_officer",
    "administrator",
]


def _navigation_lines(page) -> int:
    tops = page.locator(".govuk-service-navigation__item").evaluate_all(
        "items => items.map(i => Math.round(i.getBoundingClientRect().top))"
    )
    return len(set(tops))


@pytest.mark.parametrize("extra", [0, 1], ids=["as-is", "with-one-more-section"])
def test_the_header_fits_one_line_at_1280_for_every_role(
    browser, live_server, request, monkeypatch, extra
):
    if extra:
        # Room for one more section for everyone.
        monkeypatch.setattr(
            context_processors,
            "NAVIGATION",
            [*context_processors.NAVIGATION, ("My team", "notifications:list", None)],
        )
    for role in ROLES:
        user = request.getfixturevalue(role)
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
        page = context.new_page()
        sign_in(page, live_server, user.username)
        count = page.locator(".govuk-service-navigation__item").count()
        assert count >= 3 + extra, role
        assert _navigation_lines(page) == 1, f"{role}'s sections wrap at 1280px"
        height = page.locator(".govuk-service-navigation").bounding_box()["height"]
        assert height <= 61, f"{role}'s service navigation is {height}px high"
        brand = page.locator(".app-header__brand").bounding_box()
        account = page.locator(".app-account").bounding_box()
        assert account["y"] < brand["y"] + brand["height"], f"{role}'s name drops below the header"
        context.close()


def test_a_printed_family_record_has_no_navigation_or_buttons(page, live_server, keyworker, family):
    sign_in(page, live_server, keyworker.username)
    page.goto(f"{live_server.url}/families/{family.reference}/")
    page.emulate_media(media="print")
    for selector in (
        ".govuk-service-navigation",
        ".govuk-template__header",
        ".govuk-phase-banner",
        ".govuk-back-link",
        ".govuk-button",
        "form",
        ".govuk-footer__inline-list",
    ):
        shown = page.locator(selector).evaluate_all(
            "els => els.filter(e => getComputedStyle(e).display !== 'none').length"
        )
        assert shown == 0, f"{selector} is printed"
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.locator("#timeline").is_visible()
    printed = page.locator(".app-print-only")
    assert printed.is_visible() and keyworker.get_full_name() in printed.inner_text()
    # A link to another record is written out; links to forms are not printed at all.
    written = page.evaluate(
        """() => [...document.querySelectorAll('main a[href^="/"]')]
              .filter(a => getComputedStyle(a).display !== 'none')
              .map(a => getComputedStyle(a, '::after').content)"""
    )
    assert all(content.startswith('" (/') or content == "none" for content in written)
    adds = page.evaluate(
        """() => [...document.querySelectorAll('main a[href*="/add/"]')]
              .filter(a => getComputedStyle(a).display !== 'none').length"""
    )
    assert adds == 0


def test_the_footer_links_open_for_anyone(page, live_server):
    page.goto(f"{live_server.url}/sign-in/")
    banner = page.locator(".govuk-phase-banner")
    assert "Beta" in banner.inner_text() and "give your feedback" in banner.inner_text()
    page.get_by_role("link", name="Accessibility statement").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Accessibility statement")
    assert "Non-accessible content" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Privacy notice").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Privacy notice")
    assert "Information Commissioner" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="give your feedback").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Give feedback")
    assert_accessible(page)


def warning_opens(settings) -> int:
    """Milliseconds after the page loads until the warning opens, plus two seconds."""
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60 and settings.SESSION_TIMEOUT_WARNING == 120
    return (settings.SESSION_IDLE_TIMEOUT - settings.SESSION_TIMEOUT_WARNING) * 1000 + 2000


def _session_expiry(page):
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    return Session.objects.get(session_key=key).expire_date


def test_the_timeout_warning_lets_a_user_stay_signed_in(
    page, live_server, keyworker, family, settings
):
    page.clock.install()
    sign_in(page, live_server, keyworker.username)
    page.goto(f"{live_server.url}/families/")
    dialog = page.locator("#timeout-warning")
    assert not dialog.is_visible()
    signed_in_until = _session_expiry(page)

    # Two minutes before the idle session ends, the warning opens, says so and takes the focus.
    page.clock.fast_forward(warning_opens(settings))
    dialog.wait_for(state="visible")
    assert "You’re about to be signed out" in dialog.inner_text()
    assert "minutes" in dialog.inner_text()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Stay signed in"
    assert_accessible(page)

    page.clock.fast_forward(60 * 1000)  # the user comes back and stays
    page.get_by_role("button", name="Stay signed in").click()
    dialog.wait_for(state="hidden")
    assert _session_expiry(page) > signed_in_until  # the server keeps them signed in longer
    assert "/families/" in page.url


def test_the_timeout_signs_the_user_out_when_time_runs_out(page, live_server, keyworker, settings):
    page.clock.install()
    sign_in(page, live_server, keyworker.username)
    page.goto(f"{live_server.url}/notifications/")
    page.clock.fast_forward(warning_opens(settings))
    page.locator("#timeout-warning").wait_for(state="visible")
    page.clock.fast_forward(settings.SESSION_TIMEOUT_WARNING * 1000)
    page.wait_for_url("**/signed-out/**")
    assert page.get_by_role("heading", level=1).inner_text() == "You have been signed out"
    assert_accessible(page)
    page.get_by_role("link", name="Sign in again").click()
    assert "/sign-in/" in page.url and "next=/notifications/" in page.url


def test_without_javascript_there_is_no_warning_and_the_page_still_works(
    browser, live_server, keyworker, family
):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    sign_in(page, live_server, keyworker.username)
    page.goto(f"{live_server.url}/families/{family.reference}/")
    assert not page.locator("#timeout-warning").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "Smith family"
    context.close()


def test_the_session_ends_on_the_server_after_its_age(client_for, keyworker, settings):
    """Progressive enhancement: the server ends the session whatever the page does."""
    pytest.importorskip("django")
    from django.utils import timezone

    client = client_for(keyworker)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/families/")
    assert response.status_code == 302 and "/sign-in/" in response.url
