"""Who may do what with a family's record through the API: each role against each endpoint.

The family is the `family` fixture: attached, led by keyworker kw_alice in the North team.
Outside a user's scope the family, its members and its notes do not exist (404); naming it in a
new note is the same "Unknown family" 400 a made-up reference gets.
A data officer sees the family and its members but no case notes (403).
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from families.models import CaseNote, Family
from tests import factories as f

ENDPOINTS = ("family", "in list", "members", "notes", "member", "note", "add note", "close")

# role fixture          family in list members notes member note  add note close
MATRIX = {
    "keyworker":          (200, True,  200,    200,  200,   200,  201,     403),
    "other_keyworker":    (404, False, 404,    404,  404,   404,  400,     404),
    "team_manager":       (200, True,  200,    200,  200,   200,  201,     200),
    "other_team_manager": (404, False, 404,    404,  404,   404,  400,     404),
    "programme_manager":  (200, True,  200,    200,  200,   200,  201,     200),
    "auditor":            (200, True,  200,    200,  200,   200,  403,     403),
    "data_officer":       (200, True,  200,    403,  200,   403,  403,     403),
    "administrator":      (200, True,  200,    200,  200,   200,  403,     403),
    "anonymous":          (403, False, 403,    403,  403,   403,  403,     403),
}  # fmt: skip

CASES = [
    pytest.param(role, endpoint, expected, id=f"{role}-{endpoint}")
    for role, row in MATRIX.items()
    for endpoint, expected in zip(ENDPOINTS, row, strict=True)
]


@pytest.fixture
def note(family):
    return f.CaseNoteFactory(family=family)


def _request(client: APIClient, endpoint: str, family: Family, note: CaseNote):
    base = "/api/v1"
    membership = family.memberships.first()
    if endpoint == "family":
        return client.get(f"{base}/families/{family.reference}/")
    if endpoint == "in list":
        return client.get(f"{base}/families/")
    if endpoint == "members":
        return client.get(f"{base}/families/{family.reference}/members/")
    if endpoint == "notes":
        return client.get(f"{base}/families/{family.reference}/notes/")
    if endpoint == "member":
        return client.get(f"{base}/members/{membership.pk}/")
    if endpoint == "note":
        return client.get(f"{base}/notes/{note.pk}/")
    if endpoint == "add note":
        return client.post(
            f"{base}/notes/",
            {
                "family": family.reference,
                "text": "Phoned mum about the school meeting",
                "occurred_on": "2016-01-04",
            },
            format="json",
        )
    if endpoint == "close":
        return client.post(
            f"{base}/families/{family.reference}/close/",
            {"closed_on": "2016-03-31", "closure_reason": "outcomes_achieved"},
            format="json",
        )
    raise AssertionError(endpoint)


@pytest.mark.parametrize(("role", "endpoint", "expected"), CASES)
def test_role_against_endpoint(
    request, role, endpoint, expected, family, other_family, note, api_for
):
    client = APIClient() if role == "anonymous" else api_for(request.getfixturevalue(role))
    notes_before = CaseNote.objects.count()

    response = _request(client, endpoint, family, note)

    if endpoint == "in list":
        if role == "anonymous":
            assert response.status_code == 403
            return
        assert response.status_code == 200
        references = {row["reference"] for row in response.json()["results"]}
        assert (family.reference in references) is expected
        return
    assert response.status_code == expected, response.content
    family.refresh_from_db()
    if endpoint == "add note":
        assert CaseNote.objects.count() == notes_before + (1 if expected == 201 else 0)
        if expected == 400:
            # The same answer as for a reference that does not exist: existence is not revealed.
            assert response.json() == {"family": [_unknown_family_message()]}
    if endpoint == "close":
        assert family.status == (
            Family.Status.CLOSED if expected == 200 else Family.Status.ATTACHED
        )
    if expected == 404:
        assert family.reference not in response.content.decode()


def _unknown_family_message() -> str:
    from families.api.serializers import UNKNOWN_FAMILY

    return UNKNOWN_FAMILY


def test_a_made_up_family_reference_gets_the_same_answer_as_one_outside_scope(
    other_keyworker, family, api_for
):
    client = api_for(other_keyworker)
    payload = {"text": "Visited", "occurred_on": "2016-01-04"}

    outside = client.post("/api/v1/notes/", {**payload, "family": family.reference}, format="json")
    made_up = client.post("/api/v1/notes/", {**payload, "family": "F-999999"}, format="json")

    assert outside.status_code == made_up.status_code == 400
    assert outside.json() == made_up.json()


def test_a_keyworker_named_on_a_family_sees_it(other_keyworker, family, api_for):
    from families.models import FamilyWorker

    FamilyWorker.objects.create(family=family, user=other_keyworker)

    response = api_for(other_keyworker).get(f"/api/v1/families/{family.reference}/")

    assert response.status_code == 200


def test_the_role_message_says_why_a_write_is_refused(auditor, family, api_for):
    response = api_for(auditor).post(
        "/api/v1/notes/", {"family": family.reference, "text": "Visited"}, format="json"
    )

    assert response.status_code == 403
    assert "can read family records but not change them" in response.json()["detail"]


def test_nobody_may_change_a_closed_familys_record(team_manager, keyworker, family, api_for):
    closed = api_for(team_manager).post(
        f"/api/v1/families/{family.reference}/close/",
        {"closed_on": "2016-03-31", "closure_reason": "moved_away"},
        format="json",
    )
    assert closed.status_code == 200

    response = api_for(keyworker).post(
        "/api/v1/notes/", {"family": family.reference, "text": "Visited"}, format="json"
    )

    assert response.status_code == 403
    assert "closed" in response.json()["detail"]
    assert not CaseNote.objects.filter(family=family).exists()
