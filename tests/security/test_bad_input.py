"""Bad input never gives a 500: a NUL byte, another control character or a lone surrogate in
any path, query string or form/JSON body is a 400 (config.request_checks.BadInputMiddleware)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.security.urlwalk import routes

ROUTES = routes()
SIGNED_IN_ROUTES = [r for r in ROUTES if not r.template.startswith("/admin/")]
ADMIN_ROUTES = [r for r in ROUTES if r.template.startswith("/admin/")]


def _nul_paths(route):
    """The route with a NUL in each of its parameters, and with ?x=%00 added."""
    for name in route.params:
        yield route.path(**{"reference": "F-000001", name: "a%00b"})
    yield route.path(reference="F-000001") + "?x=%00"
    yield route.path(reference="F-000001") + "?q=ok&%01=1"


@pytest.fixture
def superuser(db):
    from tests import factories as f

    return f.UserFactory(role="administrator", is_staff=True, is_superuser=True)


def _check(client, route):
    for path in _nul_paths(route):
        response = client.get(path)
        assert response.status_code == 400, (path, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("route", SIGNED_IN_ROUTES, ids=lambda r: r.template)
def test_a_nul_anywhere_in_an_address_is_a_bad_request(route, programme_manager):
    client = Client()
    client.force_login(programme_manager)
    _check(client, route)


@pytest.mark.django_db
def test_a_nul_in_any_administration_address_is_a_bad_request(superuser):
    client = Client()
    client.force_login(superuser)
    for route in ADMIN_ROUTES:
        _check(client, route)


@pytest.mark.django_db
def test_the_bad_request_page_is_the_services_own_and_says_nothing_more():
    response = Client().get("/sign-in/?next=%00")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Sorry, there is a problem with the page you asked for" in html
    assert "Traceback" not in html and "\x00" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    ["Visit\x00", "bell\x07", "escape\x1b[31m"],
    ids=["nul", "bell", "escape"],
)
def test_a_form_with_a_control_character_is_refused_and_nothing_is_saved(text, keyworker, family):
    client = Client()
    client.force_login(keyworker)
    count = family.notes.count()
    response = client.post(f"/families/{family.reference}/notes/add/", {"text": text})
    assert response.status_code == 400
    assert family.notes.count() == count


@pytest.mark.django_db
def test_a_textarea_may_still_hold_several_lines(keyworker, family):
    client = Client()
    client.force_login(keyworker)
    note = {"kind": "letter", "occurred_on_day": "3", "occurred_on_month": "2"}
    note |= {"occurred_on_year": "2016", "text": "Line one\r\n\tLine two"}
    response = client.post(f"/families/{family.reference}/notes/add/", note)
    assert response.status_code == 302
    assert family.notes.filter(text__contains="Line two").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    ['{"family": "F-000001", "text": "a\\u0000b"}', '{"family": "F-000001", "text": "\\ud800"}'],
    ids=["nul", "lone-surrogate"],
)
def test_a_json_body_with_a_nul_or_lone_surrogate_is_a_400_with_a_reason(body, keyworker):
    client = Client()
    client.force_login(keyworker)
    response = client.post("/api/v1/notes/", body, content_type="application/json")
    assert response.status_code == 400
    assert "not allowed" in response.json()["detail"]


@pytest.mark.django_db
def test_good_json_still_reaches_the_api(keyworker, family):
    client = Client()
    client.force_login(keyworker)
    body = json.dumps({"family": family.reference, "text": "Visited – all well\nBack Tuesday"})
    response = client.post("/api/v1/notes/", body, content_type="application/json")
    assert response.status_code == 201, response.content


def test_line_breaks_in_a_form_sent_by_get_are_allowed_but_other_controls_are_not(
    client_for, programme_manager
):
    client = client_for(programme_manager)
    lines = "2012-09 39\r\n2012-12 122\n\t2013-03 266"
    page = client.get("/reports/projections/", {"source": "entered", "new_cases": lines})
    assert page.status_code == 200
    assert b"2013-03" in page.content
    assert client.get("/reports/projections/", {"new_cases": "2012-09 39\x0b"}).status_code == 400
    assert client.get("/reports/projections/", {"new\ncases": "1"}).status_code == 400
