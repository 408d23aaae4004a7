"""Signing in (docs/security.md): the second factor for every role, lockout after repeated
failures, the password rules, session limits, disabling a user, API tokens that expire and can
be revoked, and the security event log that records each of these."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from core.views import ACTIVE_AT_KEY, SIGNED_IN_AT_KEY
from families import security
from families.models import SecurityEvent
from tests import factories as f

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
K = SecurityEvent.Kind


def password_only_client() -> Client:
    """A client that signs in with the password alone (no second factor)."""
    client = Client()
    client.password_only = True
    return client


def sign_in_with_password(client, username, password=f.PASSWORD, **extra):
    return client.post("/sign-in/", {"username": username, "password": password}, **extra)


def authenticator(user, confirmed=True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=confirmed)


def code_now(device: TOTPDevice) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def events(kind, user=None, **filters):
    qs = SecurityEvent.objects.filter(kind=kind, **filters)
    return qs.filter(user=user) if user is not None else qs


# --- the second factor --------------------------------------------------------------------------

GUARDED_PAGES = [
    "/",
    "/families/",
    "/families/F-900001/",
    "/outcomes/near-misses/",
    "/claims/",
    "/reports/",
    "/notifications/",
    "/account/api-access/",
    "/admin/",
    "/admin/families/securityevent/",
]


def test_a_password_only_session_is_sent_to_the_second_step_from_every_kind_of_page(
    keyworker, administrator, family
):
    authenticator(keyworker)
    client = password_only_client()
    response = sign_in_with_password(client, keyworker.username)
    assert response.status_code == 302 and response.url.startswith("/sign-in/two-factor/")
    for path in GUARDED_PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith("/sign-in/two-factor/?next="), path
    # The "stay signed in" endpoint too, and the API refuses the session.
    assert client.post("/session/extend/").status_code == 302
    assert client.get("/api/v1/families/").status_code == 401
    # What stays open: the two-factor page itself, the footer pages, the health check.
    assert client.get("/sign-in/two-factor/").status_code == 200
    for path in ("/accessibility/", "/privacy/", "/healthz"):
        assert client.get(path).status_code == 200, path

    # The administrator signing in at the admin's own page is asked too.
    authenticator(administrator)
    admin = password_only_client()
    admin.post(
        "/admin/login/?next=/admin/",
        {"username": administrator.username, "password": f.PASSWORD, "next": "/admin/"},
    )
    response = admin.get("/admin/")
    assert response.status_code == 302 and response.url.startswith("/sign-in/two-factor/")


def test_the_right_code_lets_the_user_in_with_a_new_session_key_and_is_logged(keyworker, family):
    device = authenticator(keyworker)
    client = password_only_client()
    before = client.session.session_key
    sign_in_with_password(client, keyworker.username)
    after_password = client.cookies["sessionid"].value
    assert after_password != before  # a new session key at sign-in
    response = client.post("/sign-in/two-factor/", {"code": code_now(device), "next": "/families/"})
    assert response.status_code == 302 and response.url == "/families/"
    assert client.cookies["sessionid"].value != after_password  # and again after the code
    assert client.get("/families/").status_code == 200
    assert events(K.SIGNED_IN, keyworker).count() == 1
    assert events(K.SECOND_FACTOR_PASSED, keyworker).count() == 1


def test_a_wrong_code_is_refused_with_an_error_summary_and_logged(keyworker):
    device = authenticator(keyworker)
    client = password_only_client()
    sign_in_with_password(client, keyworker.username)
    wrong = f"{(int(code_now(device)) + 1) % 1_000_000:06d}"
    response = client.post("/sign-in/two-factor/", {"code": wrong})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "The code is not right" in html
    assert client.get("/families/").status_code == 302
    assert events(K.SECOND_FACTOR_FAILED, keyworker).count() == 1
    # An empty or short code gets its own message, and is not checked against the device.
    html = client.post("/sign-in/two-factor/", {"code": "12345"}).content.decode()
    assert "Enter a code with 6 digits" in html
    html = client.post("/sign-in/two-factor/", {"code": ""}).content.decode()
    assert "Enter the 6-digit code from your authenticator app" in html


def test_a_recovery_code_works_once(keyworker):
    authenticator(keyworker)
    codes = security.recovery_codes_issue(None, keyworker)
    assert len(codes) == 10 and len(set(codes)) == 10

    client = password_only_client()
    sign_in_with_password(client, keyworker.username)
    response = client.post("/sign-in/two-factor/", {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get("/families/").status_code == 200
    assert events(K.RECOVERY_CODE_USED, keyworker, detail="9 left").count() == 1

    again = password_only_client()
    sign_in_with_password(again, keyworker.username)
    response = again.post("/sign-in/two-factor/", {"code": codes[0]})
    assert response.status_code == 200 and "The code is not right" in response.content.decode()
    assert again.get("/families/").status_code == 302
    assert StaticToken.objects.filter(device__user=keyworker).count() == 9


def test_enrolment_shows_a_qr_code_and_the_secret_then_ten_recovery_codes_once(keyworker):
    client = password_only_client()
    response = sign_in_with_password(client, keyworker.username)
    response = client.get(response.url)
    assert response.status_code == 302 and response.url.startswith("/sign-in/two-factor/set-up/")

    page = client.get(response.url)
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=keyworker, confirmed=False)
    assert "Set up two-factor authentication" in html
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert "style=" not in svg and not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert security.secret_in_groups(device) in html
    # Visiting again shows the same secret (the same unconfirmed device).
    assert security.secret_in_groups(device) in client.get(response.url).content.decode()

    response = client.post(response.url, {"code": code_now(device)})
    assert response.status_code == 302 and "/sign-in/two-factor/recovery-codes/" in response.url
    codes_page = client.get(response.url)
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", codes_page.content.decode())
    assert len(codes) == 10
    assert "data:text/plain" in codes_page.content.decode()
    assert client.get(response.url).status_code == 302  # shown once
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/families/").status_code == 200
    assert events(K.TWO_FACTOR_ENROLLED, keyworker).count() == 1
    assert events(K.RECOVERY_CODES_ISSUED, keyworker).count() == 1


def test_a_wrong_code_at_enrolment_is_refused(keyworker):
    client = password_only_client()
    sign_in_with_password(client, keyworker.username)
    client.get("/sign-in/two-factor/set-up/")
    device = TOTPDevice.objects.get(user=keyworker)
    wrong = f"{(int(code_now(device)) + 1) % 1_000_000:06d}"
    response = client.post("/sign-in/two-factor/set-up/", {"code": wrong})
    assert response.status_code == 200 and "The code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_force_login_in_tests_gives_a_verified_second_factor(client_for, keyworker):
    """The conftest fixture: force_login'd clients pass the second step as django_otp.login."""
    assert client_for(keyworker).get("/families/").status_code == 200
    assert TOTPDevice.objects.filter(user=keyworker, confirmed=True).count() == 1


ROLES = [
    "keyworker",
    "team_manager",
    "programme_manager",
    "auditor",
    "data_officer",
    "administrator",
]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_is_asked_for_the_second_factor_and_may_open_api_access(request, role):
    user = request.getfixturevalue(role)
    authenticator(user)
    client = password_only_client()
    assert sign_in_with_password(client, user.username).url.startswith("/sign-in/two-factor/")
    assert client.get("/account/api-access/").status_code == 302
    verified = Client()
    verified.force_login(user)
    assert verified.get("/account/api-access/").status_code == 200


def test_api_access_needs_a_signed_in_user():
    response = Client().get("/account/api-access/")
    assert response.status_code == 302 and response.url.startswith("/sign-in/")
    assert Client().get("/sign-in/two-factor/").url.startswith("/sign-in/")


def test_production_settings_force_the_second_factor_whatever_the_environment():
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.TWO_FACTOR_REQUIRED, settings.TWO_FACTOR_SKIP_CALLABLE)"
    )
    dropped = {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="x" * 60,
        TWO_FACTOR_REQUIRED="false",
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == ["True", "None"], result.stdout + result.stderr


def test_the_demo_lets_only_its_own_users_skip_the_second_step(settings, team):
    from demo.council import ensure_demo_authenticator

    settings.TWO_FACTOR_SKIP_CALLABLE = "demo.council.skips_second_factor"
    assert "demo users sign in without a second step" in Client().get("/sign-in/").content.decode()
    demo_user = f.KeyworkerFactory(username="keyworker", team=team)
    ensure_demo_authenticator(demo_user)
    client = password_only_client()
    assert sign_in_with_password(client, "keyworker").url == "/"
    assert client.get("/families/").status_code == 200
    assert events(K.SECOND_FACTOR_SKIPPED, demo_user).count() == 1

    # Not a demo username, or a demo username with another secret: asked as usual.
    other = f.KeyworkerFactory(username="kw_real", team=team)
    authenticator(other)
    assert sign_in_with_password(password_only_client(), "kw_real").url.startswith(
        "/sign-in/two-factor/"
    )
    TOTPDevice.objects.filter(user=demo_user).update(key="00" * 20)
    assert sign_in_with_password(password_only_client(), "keyworker").url.startswith(
        "/sign-in/two-factor/"
    )

    settings.TWO_FACTOR_SKIP_CALLABLE = None
    assert "without a second step" not in Client().get("/sign-in/").content.decode()


def test_demo_secrets_are_stable_and_in_the_readme():
    from demo.council import DEMO_USERS, demo_totp_secret

    readme = (ROOT / "README.md").read_text()
    assert demo_totp_secret("keyworker") == "NZXJ2PWBPTV572RCV56SGLYU236D6DQZ"
    for spec in DEMO_USERS:
        secret = demo_totp_secret(spec.username)
        assert re.fullmatch(r"[A-Z2-7]{32}", secret)
        assert f"| `{spec.username}` |" in readme and f"`{secret}`" in readme


# --- lockout ------------------------------------------------------------------------------------

LOCKED = "You have tried to sign in too many times"


def test_five_failures_on_the_sign_in_page_lock_that_username_out(keyworker, other_keyworker):
    client = password_only_client()
    for attempt in range(4):
        response = sign_in_with_password(client, keyworker.username, "wrong-password")
        assert response.status_code == 200, attempt
        assert "Enter a correct username and password" in response.content.decode()
    response = sign_in_with_password(client, keyworker.username, "wrong-password")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    # Now even the right password is refused, with the same words.
    response = sign_in_with_password(client, keyworker.username)
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another username from the same address is not locked out.
    assert sign_in_with_password(Client(), other_keyworker.username).status_code == 302
    assert events(K.LOCKED_OUT, username=keyworker.username).exists()
    assert events(K.SIGN_IN_FAILED, username=keyworker.username).count() >= 5


def test_the_lockout_says_the_same_for_a_username_that_does_not_exist(keyworker):
    client = Client()
    for _ in range(5):
        response = sign_in_with_password(client, "nobody_here", "wrong-password")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "nobody_here" not in response.content.decode()
    assert events(K.SIGN_IN_FAILED, username="nobody_here", user=None).count() == 5


def test_five_failures_on_the_admin_login_lock_it_out(administrator):
    client = Client()
    data = {"username": administrator.username, "password": "wrong-password", "next": "/admin/"}
    for _ in range(4):
        assert client.post("/admin/login/", data).status_code == 200
    response = client.post("/admin/login/", data)
    assert response.status_code == 429 and LOCKED in response.content.decode()
    response = client.post("/admin/login/", {**data, "password": f.PASSWORD})
    assert response.status_code == 429
    assert events(K.LOCKED_OUT, username=administrator.username).exists()


def test_five_failures_at_the_api_token_endpoint_lock_it_out(keyworker):
    client = Client()
    bad = {"username": keyworker.username, "password": "wrong-password"}
    for _ in range(4):
        assert client.post("/api/v1/auth/token/", bad).status_code == 400
    response = client.post("/api/v1/auth/token/", bad)
    assert response.status_code == 429 and LOCKED in response.json()["detail"]
    good = {"username": keyworker.username, "password": f.PASSWORD}
    response = client.post("/api/v1/auth/token/", good)
    assert response.status_code == 429 and "token" not in response.json()
    assert not Token.objects.filter(user=keyworker).exists()
    assert events(K.LOCKED_OUT, username=keyworker.username).exists()


# --- passwords ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("new_password", "accepted"),
    [
        ("qwerty123456", False),  # common
        ("738204619375", False),  # all digits
        ("Tr0ub4dor&3x"[:11], False),  # 11 characters
        ("Tr0ub4dor&3x", True),  # 12 characters
        ("kw_alice_smith", False),  # too like the username
    ],
)
def test_the_password_rules(keyworker, new_password, accepted):
    keyworker.first_name, keyworker.last_name = "Alice", "Smith"
    form = PasswordChangeForm(
        keyworker,
        {
            "old_password": f.PASSWORD,
            "new_password1": new_password,
            "new_password2": new_password,
        },
    )
    assert form.is_valid() is accepted, form.errors


# --- sessions -----------------------------------------------------------------------------------


def _set_session(client, **values):
    session = client.session
    session.update(values)
    session.save()


@pytest.mark.parametrize(
    ("idle_seconds", "signed_in_seconds_ago", "signed_in"),
    [
        (30 * 60 - 90, 60 * 60, True),  # idle just under 30 minutes
        (30 * 60 + 1, 60 * 60, False),  # idle just over
        (10, 10 * 3600 - 90, True),  # just under 10 hours since signing in
        (10, 10 * 3600 + 1, False),  # just over, though active
    ],
)
def test_sessions_end_after_30_idle_minutes_and_10_hours(
    client_for, keyworker, idle_seconds, signed_in_seconds_ago, signed_in
):
    client = client_for(keyworker)
    now = int(time.time())
    _set_session(
        client, **{ACTIVE_AT_KEY: now - idle_seconds, SIGNED_IN_AT_KEY: now - signed_in_seconds_ago}
    )
    response = client.get("/families/")
    if signed_in:
        assert response.status_code == 200
        assert not events(K.SESSION_EXPIRED, keyworker).exists()
    else:
        assert response.status_code == 302 and response.url.startswith("/sign-in/")
        assert events(K.SESSION_EXPIRED, keyworker).count() == 1
        page = client.get(response.url).content.decode()
        assert "You were signed out because" in page


def test_stay_signed_in_restarts_the_idle_time_but_not_the_ten_hours(client_for, keyworker):
    client = client_for(keyworker)
    now = int(time.time())
    _set_session(client, **{ACTIVE_AT_KEY: now - 25 * 60, SIGNED_IN_AT_KEY: now - 3600})
    seconds = client.post("/session/extend/").json()["seconds_left"]
    assert 30 * 60 - 5 <= seconds <= 30 * 60
    _set_session(client, **{SIGNED_IN_AT_KEY: now - 10 * 3600 + 300})
    seconds = client.post("/session/extend/").json()["seconds_left"]
    assert 290 <= seconds <= 300


def test_pages_warn_two_minutes_before_the_idle_timeout(client_for, keyworker):
    html = client_for(keyworker).get("/families/").content.decode()
    left = int(re.search(r'data-seconds-left="(\d+)"', html).group(1))
    assert 30 * 60 - 5 <= left <= 30 * 60
    assert 'data-warn-seconds="120"' in html


# --- disabling a user, API tokens ---------------------------------------------------------------


def _token_for(client, user) -> str:
    response = client.post(
        "/api/v1/auth/token/", {"username": user.username, "password": f.PASSWORD}
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def test_disabling_a_user_ends_their_sessions_and_revokes_their_api_token(client_for, keyworker):
    browser_one, browser_two = client_for(keyworker), client_for(keyworker)
    key = _token_for(Client(), keyworker)
    user_sessions = [
        s
        for s in Session.objects.all()
        if s.get_decoded().get("_auth_user_id") == str(keyworker.pk)
    ]
    assert len(user_sessions) == 2

    keyworker.is_active = False
    keyworker.save()
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(keyworker.pk) for s in Session.objects.all()
    )
    assert not Token.objects.filter(key=key).exists()
    assert browser_one.get("/families/").status_code == 302
    assert browser_two.get("/families/").status_code == 302
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/families/").status_code == 401
    event = events(K.ACCOUNT_DISABLED, keyworker).get()
    assert event.detail == "2 session(s) ended, 1 API token(s) revoked"
    # Saving the disabled user again does nothing more.
    keyworker.save()
    assert events(K.ACCOUNT_DISABLED, keyworker).count() == 1


def test_disabling_a_user_in_the_admin_ends_their_sessions(client_for, administrator, keyworker):
    victim_session = client_for(keyworker)
    admin = client_for(administrator)
    joined = timezone.localtime(keyworker.date_joined)
    data = {
        "username": keyworker.username,
        "first_name": keyworker.first_name,
        "last_name": keyworker.last_name,
        "email": keyworker.email,
        # is_active left out: the box is unticked
        "date_joined_0": joined.strftime("%d/%m/%Y"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        "role": keyworker.role,
        "team": keyworker.team_id,
    }
    response = admin.post(f"/admin/families/user/{keyworker.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    keyworker.refresh_from_db()
    assert not keyworker.is_active
    assert victim_session.get("/families/").status_code == 302
    assert events(K.ACCOUNT_DISABLED, keyworker).count() == 1


def test_an_api_token_is_issued_works_and_expires_after_its_lifetime(keyworker, settings):
    key = _token_for(Client(), keyworker)
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/families/").status_code == 200
    assert events(K.TOKEN_ISSUED, keyworker).count() == 1
    # Asking again before it expires gives the same token.
    assert _token_for(Client(), keyworker) == key

    lifetime = settings.API_TOKEN_LIFETIME
    assert lifetime == timedelta(days=30)
    Token.objects.filter(key=key).update(created=timezone.now() - lifetime + timedelta(minutes=1))
    assert api.get("/api/v1/families/").status_code == 200
    Token.objects.filter(key=key).update(created=timezone.now() - lifetime - timedelta(seconds=1))
    response = api.get("/api/v1/families/")
    assert response.status_code == 401 and "expired" in response.json()["detail"]
    assert events(K.TOKEN_EXPIRED, keyworker).count() == 1

    # A new request gives a new token; the old one is gone.
    new_key = _token_for(Client(), keyworker)
    assert new_key != key and not Token.objects.filter(key=key).exists()
    assert Client(HTTP_AUTHORIZATION=f"Token {new_key}").get("/api/v1/families/").status_code == 200
    assert events(K.TOKEN_REVOKED, keyworker, detail="Expired; replaced").count() == 1


def test_a_user_revokes_their_api_token_on_the_api_access_page(client_for, keyworker):
    key = _token_for(Client(), keyworker)
    client = client_for(keyworker)
    page = client.get("/account/api-access/").content.decode()
    assert "Revoke your API token" in page and "Expires" in page
    response = client.post("/account/api-access/", follow=True)
    assert "Your API token has been revoked" in response.content.decode()
    assert "You do not have an API token" in response.content.decode()
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/families/").status_code == 401
    assert events(K.TOKEN_REVOKED, keyworker, detail="Revoked by its user").count() == 1


def test_an_administrator_revokes_a_token_in_the_admin(client_for, administrator, keyworker):
    key = _token_for(Client(), keyworker)
    admin = client_for(administrator)
    page = admin.get("/admin/authtoken/tokenproxy/")
    assert page.status_code == 200 and "Expires" in page.content.decode()
    response = admin.post(f"/admin/authtoken/tokenproxy/{keyworker.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Token.objects.filter(key=key).exists()
    assert events(K.TOKEN_REVOKED, keyworker, detail="Revoked by an administrator").count() == 1


def test_new_recovery_codes_replace_the_old_ones(client_for, keyworker):
    old = security.recovery_codes_issue(None, keyworker)
    client = client_for(keyworker)
    assert "10 recovery codes left" in client.get("/account/api-access/").content.decode()
    response = client.post("/account/recovery-codes/new/", follow=True)
    new = re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert not StaticToken.objects.filter(token__in=old).exists()


def test_the_token_endpoint_is_in_the_api_schema(client_for, keyworker):
    schema = client_for(keyworker).get("/api/schema/").content.decode()
    assert "/api/v1/auth/token/" in schema and "expires_at" in schema


# --- the security event log ---------------------------------------------------------------------


def test_sign_in_and_sign_out_are_logged_with_the_address(keyworker):
    authenticator(keyworker)
    client = password_only_client()
    sign_in_with_password(client, keyworker.username, REMOTE_ADDR="192.0.2.7")
    sign_in_with_password(Client(), keyworker.username, "wrong", REMOTE_ADDR="192.0.2.8")
    client.post("/sign-out/")
    signed_in = events(K.SIGNED_IN, keyworker).get()
    assert signed_in.ip_address == "192.0.2.7"
    failed = events(K.SIGN_IN_FAILED, username=keyworker.username).get()
    assert failed.ip_address == "192.0.2.8" and failed.user is None
    assert events(K.SIGNED_OUT, keyworker).count() == 1


def test_administrators_read_the_security_event_log_and_cannot_change_it(
    client_for, administrator, keyworker
):
    security.security_event_record(K.SIGN_IN_FAILED, username="someone")
    admin = client_for(administrator)
    page = admin.get("/admin/families/securityevent/")
    assert page.status_code == 200 and "Sign-in refused" in page.content.decode()
    assert admin.get("/admin/families/securityevent/add/").status_code == 403
    event = SecurityEvent.objects.first()
    assert admin.post(f"/admin/families/securityevent/{event.pk}/delete/").status_code == 403
    assert client_for(keyworker).get("/admin/families/securityevent/").status_code == 302
    event.detail = "changed"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    assert SecurityEvent.objects.get(pk=event.pk).detail == ""


def test_administrators_never_see_an_authenticators_secret(client_for, administrator, keyworker):
    device = authenticator(keyworker)
    page = client_for(administrator).get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    assert security.secret_base32(device) not in page.content.decode()
