"""API fuzzing: Schemathesis sends every operation in the OpenAPI schema requests built from
it (valid and not), signed in as a programme manager; none may give a server error (5xx)."""

from __future__ import annotations

import json

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase
from rest_framework.authtoken.models import Token


def _schema() -> dict:
    """The schema /api/schema/ serves (generated here: loading it needs no signed-in user)."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


schema = schemathesis.openapi.from_dict(_schema())
APP = get_wsgi_application()


@pytest.fixture
def token(programme_manager, family):
    return Token.objects.create(user=programme_manager).key


@pytest.fixture(autouse=True)
def keep_the_test_database_connection():
    """As Django's test client does: the WSGI app must not close the test's connection."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@hypothesis.settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_api_operation_gives_a_server_error(case, token):
    response = case.call(app=APP, headers={"Authorization": f"Token {token}"})
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} {case.query} {case.body!r} -> "
        f"{response.status_code} {response.text[:300]}"
    )
