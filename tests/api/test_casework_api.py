"""A family's plan through the API: each role against `GET /api/v1/families/{ref}/plan/`."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from families.models import AccessLog
from tests import factories as f

pytestmark = pytest.mark.django_db

MATRIX = {
    "keyworker": 200,
    "other_keyworker": 404,
    "team_manager": 200,
    "other_team_manager": 404,
    "programme_manager": 200,
    "auditor": 200,
    "data_officer": 200,
    "administrator": 200,
    "anonymous": 403,
}


@pytest.fixture
def planned(family):
    f.CompletedAssessmentFactory(family=family)
    goal = f.GoalFactory(plan=f.OverdueReviewPlanFactory(family=family))
    f.OverdueActionFactory(goal=goal)
    f.DoneActionFactory(goal=goal)
    return family


@pytest.mark.parametrize(("role", "expected"), MATRIX.items(), ids=list(MATRIX))
def test_role_against_the_plan_endpoint(request, api_for, planned, role, expected):
    client = APIClient() if role == "anonymous" else api_for(request.getfixturevalue(role))
    response = client.get(f"/api/v1/families/{planned.reference}/plan/")
    assert response.status_code == expected
    if expected == 404:
        assert planned.reference not in response.content.decode()


def test_the_plan_reads_as_the_family_page_does(api_for, keyworker, planned):
    response = api_for(keyworker).get(f"/api/v1/families/{planned.reference}/plan/")
    body = response.json()
    assert body["review_overdue"] is True
    assert (body["open_actions"], body["overdue_actions"]) == (1, 1)
    assert body["assessment"]["problems"] == ["school_attendance"]
    assert body["assessment"]["completed_by"] == keyworker.display_name
    [goal] = body["goals"]
    assert goal["status"] == "in_progress"
    assert sorted(a["overdue"] for a in goal["actions"]) == [False, True]
    assert AccessLog.objects.filter(family=planned, via="api", action="family plan").exists()


def test_the_schema_documents_the_plan(api_for, keyworker):
    response = api_for(keyworker).get("/api/schema/", {"format": "json"})
    assert "/api/v1/families/{family_reference}/plan/" in response.json()["paths"]
