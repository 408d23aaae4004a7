"""`make run` shows the service's own error pages, and so does every other setting: a missing
page, a refused one, a broken one and an expired form each say what happened in plain words."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[2]

# What Django's technical (debug) pages say, which a user must never see.
TECHNICAL = ("Using the URLconf", "Traceback", "CSRF verification failed", "DEBUG = True")


def _as_make_run(code: str) -> subprocess.CompletedProcess:
    """Run code under the settings `make run` uses (manage.py's default), as `make run` does."""
    dropped = {"DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    env["DEBUG"] = ""  # what the Makefile passes on when DEBUG is not set
    # The settings manage.py (so `make run`) uses when none are named.
    default = re.search(
        r'setdefault\("DJANGO_SETTINGS_MODULE", "([^"]+)"\)', (ROOT / "manage.py").read_text()
    )[1]
    env["DJANGO_SETTINGS_MODULE"] = default
    script = textwrap.dedent(
        """
        import django
        django.setup()
        from django.conf import settings
        from django.test import Client
        """
    )
    return subprocess.run(
        [sys.executable, "-c", script + textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_make_run_shows_the_services_own_page_for_a_missing_page():
    result = _as_make_run(
        """
        print("settings", settings.SETTINGS_MODULE, "debug", settings.DEBUG)
        response = Client(HTTP_HOST="127.0.0.1").get("/accessibility/no-such-page/")
        print("status", response.status_code)
        print(response.content.decode())
        """
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "settings config.settings.dev debug False" in out
    assert "status 404" in out
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in out
    assert "/static/css/app.css" in out  # styled, with the static files WhiteNoise serves
    for text in TECHNICAL:
        assert text not in out


def test_make_run_serves_the_stylesheet_with_debug_off():
    result = _as_make_run(
        """
        response = Client(HTTP_HOST="127.0.0.1").get("/static/css/app.css")
        print("status", response.status_code, response.get("Content-Type"))
        """
    )
    assert result.returncode == 0, result.stderr
    assert "status 200 text/css" in result.stdout


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_refused_page_says_why(client_for, keyworker):
    response = client_for(keyworker).get("/claims/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You do not have access to this page" in html
    assert "Your role does not include claims." in html


@pytest.mark.django_db
def test_an_expired_form_gets_a_page_that_says_what_to_do(keyworker, family):
    client = Client(enforce_csrf_checks=True)
    client.force_login(keyworker)
    response = client.post(f"/families/{family.reference}/notes/add/", {"text": "Visit"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your form could not be sent" in html and "Nothing has been saved" in html
    for text in TECHNICAL:
        assert text not in html


@pytest.mark.django_db
@override_settings(DEBUG=False, ALLOWED_HOSTS=["127.0.0.1"])
def test_a_bad_request_gets_the_services_page():
    response = Client(HTTP_HOST="evil.example").get("/sign-in/")
    assert response.status_code == 400
    assert "Sorry, there is a problem with the page you asked for" in response.content.decode()


def test_the_server_error_page_stands_alone():
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "Sorry, there is a problem with the service" in html
    assert "{%" not in html
