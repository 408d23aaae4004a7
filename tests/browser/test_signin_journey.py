"""Setting up two-factor authentication, as a new user does: scan or type the secret, enter the
code, save the recovery codes; next time, the code alone. Each page passes axe."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import TOTP

from tests.browser.pages import assert_accessible, sign_out
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def code_for(secret: str, step: int = 0) -> str:
    """What an authenticator app shows for the typed secret (spaces and all)."""
    raw = secret.replace(" ", "")
    key = base64.b32decode(raw + "=" * (-len(raw) % 8))
    totp = TOTP(key)
    totp.time += step * 30
    return f"{totp.token():06d}"


def password_step(page, live_server, username):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_a_new_user_sets_up_two_factor_authentication(page, live_server, keyworker):
    password_step(page, live_server, keyworker.username)
    assert page.get_by_role("heading", level=1).inner_text() == "Set up two-factor authentication"
    assert page.locator("figure[role=img] svg").count() == 1
    assert_accessible(page)

    # A wrong code first: the error summary and the field say so.
    secret = page.locator("#totp-secret").inner_text()
    wrong = f"{(int(code_for(secret)) + 1) % 1_000_000:06d}"
    page.get_by_label("Security code").fill(wrong)
    page.get_by_role("button", name="Continue").click()
    assert page.locator(".govuk-error-summary").inner_text().count("The code is not right") == 1
    assert_accessible(page)

    page.wait_for_timeout(1100)  # django-otp's back-off after a wrong code
    page.get_by_label("Security code").fill(code_for(secret))
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Save your recovery codes"
    assert page.locator("#recovery-codes li").count() == 10
    assert_accessible(page)
    page.get_by_role("link", name="I have saved my codes, continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "What needs doing now"

    page.goto(f"{live_server.url}/account/api-access/")
    assert "You do not have an API token" in page.locator("main").inner_text()
    assert_accessible(page)

    # Next time: the password, then the code (the next one: each code works once).
    sign_out(page)
    password_step(page, live_server, keyworker.username)
    assert page.get_by_role("heading", level=1).inner_text() == "Enter your security code"
    assert_accessible(page)
    page.get_by_label("Security code").fill(code_for(secret, step=1))
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "What needs doing now"
