"""Only what must be open is open: every route the URL resolver knows, requested by someone
not signed in, sends them to sign in (pages, admin, API docs) or is refused (API), except the
few pages a person needs before signing in."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.security.urlwalk import routes

# Readable without signing in, and why (config/middleware.py OPEN_PREFIXES).
OPEN = {
    "/sign-in/": "signing in",
    "/admin/login/": "the administration's own sign-in page",
    "/healthz": "the load balancer's health check",
    "/accessibility/": "linked from the sign-in page; the law requires it be public",
    "/privacy/": "linked from the sign-in page; people are told before they sign in",
    "/feedback/": "linked from the sign-in page",
    "/signed-out/": "shown once a session has ended",
}
# Answer a GET with 405 whoever asks (they only take POST); nothing is shown. The token
# address is the API's sign-in: a username and password in, a token out.
POST_ONLY_WHEN_ANONYMOUS = {"/sign-out/", "/admin/logout/", "/api/v1/auth/token/"}

ROUTES = routes()


def test_the_walk_finds_every_part_of_the_service():
    templates = {route.template for route in ROUTES}
    assert len(templates) > 250
    for expected in ("/families/{reference}/", "/api/v1/families/", "/api/docs/", "/admin/"):
        assert expected in templates
    assert set(OPEN) | POST_ONLY_WHEN_ANONYMOUS <= templates


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.template)
def test_someone_not_signed_in_is_sent_to_sign_in_or_refused(route):
    response = Client().get(route.path(reference="F-000001"))
    status = response.status_code
    if route.template in OPEN:
        assert status == 200
        return
    if route.template in POST_ONLY_WHEN_ANONYMOUS:
        assert status in (302, 405)
        return
    if route.template.startswith(("/api/v1/", "/api/schema/")):
        assert status in (401, 403), status
        return
    assert status == 302, status
    sign_in = "/admin/login/" if route.template.startswith("/admin/") else "/sign-in/"
    assert response["Location"].startswith(sign_in)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_the_api_schema_and_its_docs_need_a_signed_in_user(path, programme_manager):
    from rest_framework.authtoken.models import Token

    assert Client().get(path).status_code in (302, 401, 403)
    token = Token.objects.create(user=programme_manager)
    by_token = Client(HTTP_AUTHORIZATION=f"Token {token.key}").get(path)
    assert by_token.status_code == 200
    session = Client()
    session.force_login(programme_manager)
    assert session.get(path).status_code == 200
