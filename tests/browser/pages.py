"""What a journey does on a page, as a user would: sign in and out, and check the page with axe.

Journeys import these (`from tests.browser.pages import assert_accessible, sign_in`); the
browser, the page and the database live in `conftest.py` as fixtures.
"""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD

# WCAG 2.0, 2.1 and 2.2 at levels A and AA: what the service promises.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def sign_in(page, live_server, username: str, password: str = PASSWORD) -> None:
    """Sign in through the sign-in page, as a user would; fails if the sign-in is refused."""
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/sign-in/" not in page.url, f"Sign-in as {username} was refused"


def sign_out(page) -> None:
    """Sign out with the header's button."""
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def assert_accessible(page, *, context: str | dict | None = None) -> None:
    """Fail, listing each violation, if axe finds WCAG 2.2 A/AA problems on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    # Check the page the user sees, not one half-way through loading after a click.
    page.wait_for_load_state()
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, context=context, options=options)
    violations = results.response["violations"]
    if violations:
        lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"][:5]:
                lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}")
        pytest.fail("\n".join(lines), pytrace=False)
