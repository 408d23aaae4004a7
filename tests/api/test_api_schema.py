"""The OpenAPI schema partners build clients from: valid, free of warnings, and documenting the API."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.test import APIClient


@pytest.fixture
def schema_file(tmp_path):
    GENERATOR_STATS.reset()
    path = tmp_path / "schema.yaml"
    # Raises when the schema is invalid OpenAPI or generating it warns (an untyped field, say).
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_the_schema_is_valid_and_generates_without_warnings(schema_file):
    assert schema_file["openapi"].startswith("3.")


def test_the_schema_documents_family_records_and_their_filters(schema_file):
    paths = schema_file["paths"]
    for path in [
        "/api/v1/families/",
        "/api/v1/families/{reference}/",
        "/api/v1/families/{reference}/attach/",
        "/api/v1/families/{reference}/close/",
        "/api/v1/families/{reference}/members/",
        "/api/v1/families/{reference}/notes/",
        "/api/v1/members/",
        "/api/v1/members/{id}/end/",
        "/api/v1/interventions/{id}/end/",
        "/api/v1/notes/",
        "/api/v1/consents/",
        "/api/v1/auth/token/",
    ]:
        assert path in paths, path
    family_filters = {p["name"] for p in paths["/api/v1/families/"]["get"]["parameters"]}
    assert {
        "q",
        "status",
        "locality",
        "problem",
        "keyworker",
        "postcode",
        "ordering",
    } <= family_filters
    assert {
        "identified_on_after",
        "identified_on_before",
        "attached_on_after",
        "attached_on_before",
    } <= family_filters
    # Notes are never edited: the schema offers no way to.
    assert set(paths["/api/v1/notes/{id}/"]) == {"get"}
    # Writes take the input shape, not the record shape.
    create = paths["/api/v1/members/"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/MemberCreate"
    )


def test_the_schema_and_docs_are_served(keyworker):
    client = APIClient()
    # The docs page is a browser page: signed in by session (config/middleware.py).
    client.force_login(keyworker)

    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/")

    assert schema.status_code == 200
    assert b"/api/v1/families/" in schema.content
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()
