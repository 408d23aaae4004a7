"""What a journey does on a page, as a user would: sign in and out, and check the page with axe.

Journeys import these (`from tests.browser.pages import assert_accessible, sign_in`); the
browser, the page and the database live in `conftest.py` as fixtures.
"""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD

# WCAG 2.0, 2.1 and 2.2 at levels A and AA: what the service promises.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


# The authenticator secret a test user's app holds when sign_in gives them one (factory users
# have none): the RFC 6238 test secret, in the hex django-otp stores.
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"


def authenticator_for(username: str):
    """The user's confirmed authenticator, created with TEST_TOTP_KEY if they have none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from families.models import User

    user = User.objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name="Authenticator app", key=TEST_TOTP_KEY, confirmed=True
        )
    return device


def totp_code(device) -> str:
    """The 6-digit code the user's app shows now (as django_otp's TOTPDevice computes it). A
    code is accepted once per 30 seconds, so a journey that signs in twice inside one window
    forgets the last one used (as if the user waited for the next)."""
    from django_otp.oath import TOTP

    type(device).objects.filter(pk=device.pk).update(last_t=-1)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def sign_in(page, live_server, username: str, password: str = PASSWORD) -> None:
    """Sign in through the sign-in page and the two-factor step, as a user would (typing the
    code their authenticator app shows); fails if either step is refused."""
    device = authenticator_for(username)
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/sign-in/two-factor/" in page.url, f"Sign-in as {username} was refused"
    page.get_by_label("Security code").fill(totp_code(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert "/sign-in/" not in page.url, f"The security code for {username} was refused"


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
