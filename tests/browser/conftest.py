"""Browser journeys: a real Chromium (Debian's, no download) against pytest-django's live server.

How to write a journey (any app):

    import pytest
    from tests.browser.pages import assert_accessible, sign_in

    pytestmark = pytest.mark.browser

    def test_something(page, live_server, keyworker):
        sign_in(page, live_server, keyworker.username)
        page.goto(live_server.url + "/families/")
        assert_accessible(page)

- What a journey does on a page (sign in, sign out, check it with axe) is in `pages.py`;
  this file holds the fixtures only, and no test imports from it.
- Use the `page` fixture (a fresh browser context per test, so no cookies carry over)
  and `live_server`; the shared user fixtures in tests/conftest.py work as usual
  (their password is `tests.factories.PASSWORD`).
- Do not add a `django_db` marker: every test here runs with a transactional database
  whose migration data (the six problems, shipped plans, ...) is restored before each
  test (`django_db_serialized_rollback`), because the live server reads committed rows.
- The whole folder is skipped, saying why, when Chromium is not installed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told it is safe (the ORM use here is synchronous).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

BROWSER_DIR = Path(__file__).parent


def _chromium_missing_reason() -> str | None:
    if not (Path(CHROMIUM_PATH).is_file() and os.access(CHROMIUM_PATH, os.X_OK)):
        found = shutil.which("chromium")
        hint = f" (there is one at {found}: set CHROMIUM_PATH)" if found else ""
        return (
            f"Browser tests need Chromium at {CHROMIUM_PATH}{hint}; install Debian's chromium "
            "package or set CHROMIUM_PATH"
        )
    try:
        import axe_playwright_python  # noqa: F401
        import playwright  # noqa: F401
    except ImportError as error:
        return f"Browser tests need the dev dependencies (pip install -e '.[dev]'): {error}"
    return None


def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder `browser`; skip them all, with the reason, without Chromium."""
    reason = _chromium_missing_reason()
    for item in items:
        if BROWSER_DIR not in Path(str(item.path)).parents:
            continue
        item.add_marker(pytest.mark.browser)
        # Committed rows, and the migrations' reference data put back before each journey.
        item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session", autouse=True)
def _keep_reference_data(django_db_setup, django_db_blocker):
    """Before Playwright starts (and Django opens connections in its context), keep what the
    migrations wrote (tests/reference_data.py)."""
    from tests.reference_data import keep

    with django_db_blocker.unblock():
        keep()


@pytest.fixture(autouse=True)
def _committed_database(django_db_serialized_rollback, transactional_db):
    """The live server's thread sees only committed rows: run each journey transactionally,
    with the reference data the migrations seed (an earlier flush may have removed it: the
    problems, the national tariffs, the Outcome Stars)."""
    from claims.tariffs import ensure_national_tariffs
    from families.reference_data import ensure_problems
    from tests.reference_data import restore_if_emptied

    restore_if_emptied()
    ensure_problems()
    ensure_national_tariffs()


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page in its own context (no cookies from other tests), failing fast on a hang."""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    new_page = context.new_page()
    yield new_page
    context.close()
