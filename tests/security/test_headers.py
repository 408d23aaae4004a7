"""Every page carries a strict Content-Security-Policy and is never cached; static files keep
their caching; the error pages say nothing about the service's insides."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

REQUIRED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    parts = (item.strip().split(" ", 1) for item in header.split(";") if item.strip())
    return {name: value for name, value in parts}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/families/", "/families/{ref}/", "/claims/", "/admin/", "/api/docs/"]
)
def test_pages_carry_a_strict_policy_and_are_not_stored(path, programme_manager, family):
    programme_manager.is_staff = programme_manager.is_superuser = True
    programme_manager.save()
    client = Client()
    client.force_login(programme_manager)
    response = client.get(path.format(ref=family.reference), follow=True)
    assert response.status_code == 200
    directives = policy(response)
    for name, value in REQUIRED.items():
        assert directives[name] == value, name
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_api_responses_and_the_sign_in_page_are_not_stored(programme_manager):
    client = Client()
    client.force_login(programme_manager)
    assert "no-store" in client.get("/api/v1/families/")["Cache-Control"]
    assert "no-store" in Client().get("/api/v1/families/")["Cache-Control"]
    assert "no-store" in Client().get("/sign-in/")["Cache-Control"]


@override_settings(DEBUG=False)
def test_static_files_keep_their_caching():
    response = Client().get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_the_api_docs_load_their_scripts_from_this_server(programme_manager):
    client = Client()
    client.force_login(programme_manager)
    html = client.get("/api/docs/").content.decode()
    assert "<script>" not in html and "<style" not in html and "cdn." not in html
    assert "/static/drf_spectacular_sidecar/" in html
    assert client.get("/api/redoc/")["Location"] == "/api/docs/"
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


# --- generic error pages --------------------------------------------------------------------------

SECRET_NAME = "Zebedee-Okonkwo"


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_missing_family_page_names_nothing_and_shows_no_stack(keyworker, other_family):
    other_family.name = SECRET_NAME
    other_family.save()
    client = Client()
    client.force_login(keyworker)
    response = client.get(f"/families/{other_family.reference}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    for text in (SECRET_NAME, other_family.reference, "Traceback", "Using the URLconf"):
        assert text not in html


@pytest.mark.django_db
def test_a_server_error_shows_the_plain_page(keyworker):
    client = Client(raise_request_exception=False)
    client.force_login(keyworker)
    with override_settings(DEBUG=False, ROOT_URLCONF="tests.security.broken_urls"):
        response = client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert SECRET_NAME not in html and "Traceback" not in html and "RuntimeError" not in html
