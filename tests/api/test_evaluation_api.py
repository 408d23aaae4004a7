"""GET /api/v1/families/{reference}/evaluation/: the interface's JSON, scoped, logged, never a 500."""

from __future__ import annotations

import pytest

from families.models import AccessLog
from outcomes.models import Evaluation
from tests.factories import (
    activate,
    oxfordshire_family,
    run_json,
    worcestershire_family,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/families/{}/evaluation/"


@pytest.fixture
def oxford_family(keyworker):
    activate("oxfordshire-phase-2", "2015-04-01")
    return oxfordshire_family("F-000123", keyworker=keyworker)


def test_returns_the_interface_shape_and_matches_run_eligibility(api_for, keyworker, oxford_family):
    response = api_for(keyworker).get(URL.format("F-000123"), {"as_of": "2016-09-30"})
    assert response.status_code == 200
    data = response.json()
    assert list(data) == [
        "family",
        "as_of",
        "plan",
        "eligible",
        "problems",
        "claimable",
        "blocking",
    ]
    assert data["family"] == "F-000123" and data["as_of"] == "2016-09-30"
    assert data["plan"] == {"slug": "oxfordshire-phase-2", "version": "2015-1"}
    school = next(p for p in data["problems"] if p["code"] == "school_attendance")
    assert list(school) == ["code", "identified", "outcome", "met_since", "criteria", "missing"]
    assert (school["outcome"], school["met_since"]) == ("met", "2016-07-22")
    assert list(school["criteria"][0]) == ["id", "status", "explanation", "evidence"]
    assert data["claimable"] == {"results": True, "continuous_employment": False}
    # The command and the API give the same answer; the API stores nothing.
    assert not Evaluation.objects.exists()
    assert run_json("--as-of", "2016-09-30", "--family", "F-000123") == data


def test_worcestershire_family_through_the_api(api_for, programme_manager):
    activate("worcestershire-2015-16", "2015-04-01")
    worcestershire_family("F-000201")
    data = api_for(programme_manager).get(URL.format("F-000201"), {"as_of": "2016-09-30"}).json()
    assert data["plan"]["slug"] == "worcestershire-2015-16"
    assert data["claimable"]["results"] is True


def test_each_read_is_logged(api_for, keyworker, oxford_family):
    api_for(keyworker).get(URL.format("F-000123"), {"as_of": "2016-09-30"})
    log = AccessLog.objects.get(family=oxford_family)
    assert (log.user, log.via, log.action) == (keyworker, "api", "evaluation")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("keyworker", 200),
        ("other_keyworker", 404),
        ("team_manager", 200),
        ("other_team_manager", 404),
        ("programme_manager", 200),
        ("auditor", 200),
        ("data_officer", 200),
        ("administrator", 200),
    ],
)
def test_scoped_to_what_the_role_may_see(api_for, oxford_family, role, status, request):
    user = request.getfixturevalue(role)
    response = api_for(user).get(URL.format("F-000123"), {"as_of": "2016-09-30"})
    assert response.status_code == status


@pytest.mark.parametrize(
    "as_of", ["30/09/2016", "2016-02-30", "yesterday", "0001-01-01", "2016-09-30T00:00"]
)
def test_a_bad_date_is_a_400_naming_as_of(api_for, keyworker, oxford_family, as_of):
    response = api_for(keyworker).get(URL.format("F-000123"), {"as_of": as_of})
    assert response.status_code == 400
    assert "as_of" in response.json()


def test_a_date_no_plan_covers_is_a_400(api_for, keyworker, oxford_family):
    response = api_for(keyworker).get(URL.format("F-000123"), {"as_of": "2014-01-01"})
    assert response.status_code == 400
    assert "No outcomes plan" in response.json()["as_of"][0]


def test_unknown_family_is_a_404_and_signed_out_is_refused(
    api_for, keyworker, oxford_family, client
):
    assert api_for(keyworker).get(URL.format("F-999999")).status_code == 404
    assert client.get(URL.format("F-000123")).status_code in (401, 403)
