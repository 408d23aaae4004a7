"""Every query parameter the API takes is checked: a value it cannot use is a 400 naming the
parameter, and the schema declares it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.test import APIClient

from tests import factories as f

BAD = [
    ("/api/v1/claim-batches/?status=nonsense", "status"),
    ("/api/v1/claims/?batch=CB%2F..%2F1", "batch"),
    ("/api/v1/families/?status=lost", "status"),
    ("/api/v1/families/?identified_on_after=yesterday", "identified_on"),
    ("/api/v1/members/?current=perhaps", "current"),
    ("/api/v1/notes/?occurred_on_before=31-02-2024", "occurred_on"),
    ("/api/v1/families/{ref}/evaluation/?as_of=2024-02-31", "as_of"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "field"), BAD, ids=[p for p, _ in BAD])
def test_a_value_the_api_cannot_use_is_a_400_naming_the_parameter(
    path, field, programme_manager, family
):
    client = APIClient()
    client.force_authenticate(programme_manager)
    response = client.get(path.format(ref=family.reference))
    assert response.status_code == 400, response.content
    assert any(key.startswith(field) for key in response.json()), response.json()


@pytest.mark.django_db
def test_good_values_still_filter(programme_manager):
    batch = f.ClaimBatchFactory()
    client = APIClient()
    client.force_authenticate(programme_manager)
    listed = client.get("/api/v1/claim-batches/?status=draft").json()["results"]
    assert [b["reference"] for b in listed] == [batch.reference]
    assert client.get("/api/v1/claim-batches/?status=paid").json()["results"] == []
    assert client.get(f"/api/v1/claims/?batch={batch.reference}").status_code == 200


def test_the_schema_declares_the_claim_filters(tmp_path):
    import yaml

    GENERATOR_STATS.reset()
    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(path))
    paths = yaml.safe_load(path.read_text())["paths"]
    batches = {p["name"] for p in paths["/api/v1/claim-batches/"]["get"]["parameters"]}
    claims = {p["name"] for p in paths["/api/v1/claims/"]["get"]["parameters"]}
    assert {"status", "page", "page_size"} <= batches
    assert {"batch", "page", "page_size"} <= claims
