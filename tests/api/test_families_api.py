"""The family record API as its users see it: lists, filters, writes, bad input, access logging."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from families import identifiers
from families.models import (
    AccessLog,
    CaseNote,
    ConsentRecord,
    Family,
    Intervention,
    Person,
)
from tests import factories as f

API = "/api/v1"
VALID_UPN = identifiers.upn_check_letter("801200115001") + "801200115001"
TOMORROW = (timezone.localdate() + dt.timedelta(days=1)).isoformat()


def refs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["reference"] for row in response.json()["results"]]


# --- reading families ---------------------------------------------------------------------------


def test_a_keyworker_lists_their_caseload_only(keyworker, family, other_family, api_for):
    assert refs(api_for(keyworker).get(f"{API}/families/")) == [family.reference]


def test_a_family_shows_its_lead_keyworker_problems_and_household(keyworker, family, api_for):
    f.FamilyProblemFactory(family=family)

    body = api_for(keyworker).get(f"{API}/families/{family.reference}/").json()

    assert body["reference"] == "F-900001"
    assert body["status"] == "attached"
    assert body["lead_keyworker"]["username"] == "kw_alice"
    assert [p["code"] for p in body["problems"]] == ["school_attendance"]
    assert body["member_count"] == 2
    assert sorted(m["person"]["first_name"] for m in body["memberships"]) == ["Jane", "Tom"]


@pytest.fixture
def caseload(programme_manager):
    """Three families a programme manager sees, differing in every filterable way."""
    north, south = f.LocalityFactory(name="Banbury"), f.LocalityFactory(name="Littlemore")
    alice = f.KeyworkerFactory(username="kw_alice")
    bob = f.KeyworkerFactory(username="kw_bob")
    a = f.FamilyFactory(
        reference="F-910001",
        name="Archer",
        postcode="OX4 1AB",
        locality=north,
        lead_keyworker=alice,
        identified_on=dt.date(2015, 1, 10),
    )
    b = f.AttachedFamilyFactory(
        reference="F-910002",
        name="Baker",
        postcode="OX16 5QT",
        locality=south,
        lead_keyworker=bob,
        identified_on=dt.date(2015, 6, 1),
        attached_on=dt.date(2015, 7, 1),
    )
    c = f.AttachedFamilyFactory(
        reference="F-910003",
        name="Carter",
        postcode="OX44 9ZZ",
        locality=north,
        lead_keyworker=alice,
        identified_on=dt.date(2016, 2, 1),
        attached_on=dt.date(2016, 3, 1),
    )
    f.FamilyProblemFactory(family=b, problem=f.problem("crime_asb"))
    f.MembershipFactory(
        family=c,
        person=f.PersonFactory(reference="P-920001", first_name="Zebedee", last_name="Quill"),
    )
    return {"a": a, "b": b, "c": c, "north": north}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=identified", ["F-910001"]),
        ("status=attached", ["F-910002", "F-910003"]),
        ("problem=crime_asb", ["F-910002"]),
        ("keyworker=kw_alice", ["F-910001", "F-910003"]),
        ("keyworker=nobody", []),
        ("postcode=ox4 1ab", ["F-910001"]),
        ("postcode=OX4", ["F-910001"]),  # the district, not OX44
        ("postcode=OX16", ["F-910002"]),
        ("q=bak", ["F-910002"]),
        ("q=f-910003", ["F-910003"]),
        ("q=OX161AB", []),
        ("q=OX165QT", ["F-910002"]),
        ("q=zebedee", ["F-910003"]),
        ("q=p-920001", ["F-910003"]),
        ("identified_on_after=2015-06-01", ["F-910002", "F-910003"]),
        ("identified_on_before=2015-06-01", ["F-910001", "F-910002"]),
        ("attached_on_after=2015-01-01&attached_on_before=2015-12-31", ["F-910002"]),
        ("ordering=-name", ["F-910003", "F-910002", "F-910001"]),
        ("ordering=-identified_on&status=attached", ["F-910003", "F-910002"]),
    ],
)
def test_families_filter_and_order(programme_manager, caseload, api_for, query, expected):
    assert refs(api_for(programme_manager).get(f"{API}/families/?{query}")) == expected


def test_families_filter_by_locality(programme_manager, caseload, api_for):
    response = api_for(programme_manager).get(f"{API}/families/?locality={caseload['north'].pk}")

    assert refs(response) == ["F-910001", "F-910003"]


def test_filters_never_widen_scope(keyworker, family, other_family, api_for):
    response = api_for(keyworker).get(f"{API}/families/?keyworker=kw_bob")

    assert refs(response) == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("identified_on_after=31-12-2015", "identified_on"),
        ("attached_on_before=2015-02-30", "attached_on"),
        ("status=open", "status"),
        ("locality=banbury", "locality"),
        ("problem=poverty", "problem"),
        ("page=abc", None),
    ],
)
def test_bad_filter_values_are_a_400_or_404_not_a_500(
    programme_manager, caseload, api_for, query, field
):
    response = api_for(programme_manager).get(f"{API}/families/?{query}")

    if field is None:
        assert response.status_code == 404  # DRF's answer for a page that does not exist
        return
    assert response.status_code == 400
    assert field in response.json()


def test_a_page_can_be_smaller(programme_manager, caseload, api_for):
    body = api_for(programme_manager).get(f"{API}/families/?page_size=2").json()

    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]


# --- creating families and their lifecycle ------------------------------------------------------


def test_a_team_manager_creates_a_family_with_its_problems(team_manager, keyworker, api_for):
    response = api_for(team_manager).post(
        f"{API}/families/",
        {
            "name": "Evans",
            "identified_on": "2016-01-12",
            "postcode": "ox4 1ab",
            "lead_keyworker": "kw_alice",
            "problems": [
                {"code": "crime_asb", "evidence": "Two ASB incidents"},
                {"code": "health"},
            ],
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"].startswith("F-")
    assert body["status"] == "identified"
    assert body["postcode"] == "OX4 1AB"
    assert body["lead_keyworker"]["username"] == "kw_alice"
    assert [p["code"] for p in body["problems"]] == ["crime_asb", "health"]
    family = Family.objects.get(reference=body["reference"])
    assert family.team == keyworker.team
    assert family.history.first().history_user == team_manager


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"identified_on": "2016-01-12"}, "name"),
        ({"name": "Evans"}, "identified_on"),
        ({"name": "Evans", "identified_on": "12/01/2016"}, "identified_on"),
        ({"name": "Evans", "identified_on": "2016-02-31"}, "identified_on"),
        ({"name": "Evans", "identified_on": TOMORROW}, "identified_on"),
        (
            {"name": "Evans", "identified_on": "2016-01-12", "postcode": "NOT A POSTCODE"},
            "postcode",
        ),
        (
            {"name": "Evans", "identified_on": "2016-01-12", "problems": [{"code": "poverty"}]},
            "problems",
        ),
        ({"name": "Evans", "identified_on": "2016-01-12", "problems": "crime_asb"}, "problems"),
        (
            {
                "name": "Evans",
                "identified_on": "2016-01-12",
                "problems": [{"code": "health"}, {"code": "health"}],
            },
            "problems",
        ),
        (
            {"name": "Evans", "identified_on": "2016-01-12", "lead_keyworker": "nobody"},
            "lead_keyworker",
        ),
        ({"name": "Evans", "identified_on": "2016-01-12", "locality": "Banbury"}, "locality"),
    ],
)
def test_bad_family_input_is_a_400_naming_the_field_and_saves_nothing(
    programme_manager, api_for, payload, field
):
    response = api_for(programme_manager).post(f"{API}/families/", payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Family.objects.exists()


def test_a_team_manager_cannot_allocate_another_teams_keyworker(team_manager, other_team, api_for):
    f.KeyworkerFactory(username="kw_south", team=other_team)

    response = api_for(team_manager).post(
        f"{API}/families/",
        {"name": "Evans", "identified_on": "2016-01-12", "lead_keyworker": "kw_south"},
        format="json",
    )

    assert response.status_code == 400
    assert "lead_keyworker" in response.json()


def test_an_auditor_cannot_create_a_family(auditor, api_for):
    response = api_for(auditor).post(f"{API}/families/", {"name": "Evans"}, format="json")

    assert response.status_code == 403
    assert not Family.objects.exists()


def test_a_manager_attaches_an_identified_family(team_manager, keyworker, api_for):
    family = f.FamilyFactory(lead_keyworker=keyworker, identified_on=dt.date(2015, 4, 1))

    response = api_for(team_manager).post(
        f"{API}/families/{family.reference}/attach/",
        {"attached_on": "2015-05-04", "keyworker": "kw_alice"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "attached"
    assert response.json()["attached_on"] == "2015-05-04"
    family.refresh_from_db()
    assert family.status == Family.Status.ATTACHED


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "attached_on"),
        ({"attached_on": "yesterday"}, "attached_on"),
        ({"attached_on": TOMORROW}, "attached_on"),
        ({"attached_on": "2015-03-31"}, "attached_on"),  # before the family was identified
        ({"attached_on": "2015-05-04", "keyworker": "tm_north"}, "keyworker"),  # not a keyworker
    ],
)
def test_bad_attachment_is_a_400(team_manager, keyworker, api_for, payload, field):
    family = f.FamilyFactory(lead_keyworker=keyworker, identified_on=dt.date(2015, 4, 1))

    response = api_for(team_manager).post(
        f"{API}/families/{family.reference}/attach/", payload, format="json"
    )

    assert response.status_code == 400, response.content
    assert field in response.json()
    family.refresh_from_db()
    assert family.status == Family.Status.IDENTIFIED


def test_attaching_an_attached_family_is_refused_with_a_reason(team_manager, family, api_for):
    response = api_for(team_manager).post(
        f"{API}/families/{family.reference}/attach/", {"attached_on": "2015-06-01"}, format="json"
    )

    assert response.status_code == 400
    assert "cannot be attached" in response.json()["non_field_errors"][0]


def test_a_keyworker_may_not_attach_even_with_bad_input(keyworker, api_for):
    family = f.FamilyFactory(lead_keyworker=keyworker)

    response = api_for(keyworker).post(
        f"{API}/families/{family.reference}/attach/", {}, format="json"
    )

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"closed_on": "2016-03-31", "closure_reason": "bored"}, "closure_reason"),
        ({"closed_on": "2016-03-31"}, "closure_reason"),
        (
            {"closed_on": "2015-04-30", "closure_reason": "moved_away"},
            "closed_on",
        ),  # before attachment
        ({"closed_on": TOMORROW, "closure_reason": "moved_away"}, "closed_on"),
    ],
)
def test_bad_closure_is_a_400(team_manager, family, api_for, payload, field):
    response = api_for(team_manager).post(
        f"{API}/families/{family.reference}/close/", payload, format="json"
    )

    assert response.status_code == 400, response.content
    assert field in response.json()
    family.refresh_from_db()
    assert family.status == Family.Status.ATTACHED


# --- members ------------------------------------------------------------------------------------


def member_payload(for_family, **overrides):
    payload = {
        "family": for_family.reference,
        "first_name": "Kayden",
        "last_name": "Smith",
        "role": "child",
        "start_date": "2015-09-01",
        "date_of_birth": "2009-05-20",
        "sex": "male",
        "upn": VALID_UPN,
        "relationship": "Son",
    }
    payload.update(overrides)
    return {key: value for key, value in payload.items() if value is not None}


def test_a_keyworker_adds_a_member_to_the_household(keyworker, family, api_for):
    response = api_for(keyworker).post(f"{API}/members/", member_payload(family), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["family"] == family.reference
    assert body["person"]["upn"] == VALID_UPN
    assert body["person"]["reference"].startswith("P-")
    assert body["end_date"] is None
    assert family.memberships.filter(end_date__isnull=True).count() == 3


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"upn": "A123"}, "upn"),
        ({"upn": "Z801200115001"}, "upn"),  # wrong check letter
        ({"ni_number": "QQ12345"}, "ni_number"),
        ({"role": "grandparent"}, "role"),
        ({"sex": "x"}, "sex"),
        ({"start_date": "2015-13-01"}, "start_date"),
        ({"start_date": TOMORROW}, "start_date"),
        ({"start_date": "2008-01-01"}, "start_date"),  # before they were born
        ({"date_of_birth": TOMORROW, "start_date": None}, "start_date"),
        ({"date_of_birth": "not a date"}, "date_of_birth"),
        ({"first_name": None}, "first_name"),
        ({"family": None}, "family"),
        ({"family": "F-999999"}, "family"),
    ],
)
def test_bad_member_input_is_a_400_and_saves_no_one(keyworker, family, api_for, overrides, field):
    people = Person.objects.count()

    response = api_for(keyworker).post(
        f"{API}/members/", member_payload(family, **overrides), format="json"
    )

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Person.objects.count() == people
    assert family.memberships.count() == 2


def test_a_upn_already_held_by_someone_is_refused(keyworker, family, api_for):
    f.PersonFactory(upn=VALID_UPN)

    response = api_for(keyworker).post(f"{API}/members/", member_payload(family), format="json")

    assert response.status_code == 400
    assert "upn" in response.json()


def test_members_list_by_family(keyworker, family, api_for):
    other = f.AttachedFamilyFactory(lead_keyworker=keyworker)
    f.MembershipFactory(family=other)

    body = api_for(keyworker).get(f"{API}/members/?family={family.reference}").json()

    assert body["count"] == 2
    assert {row["family"] for row in body["results"]} == {family.reference}
    assert {row["person"]["first_name"] for row in body["results"]} == {"Jane", "Tom"}


def test_a_member_leaves_the_household(keyworker, family, api_for):
    membership = family.memberships.get(person__first_name="Jane")
    client = api_for(keyworker)

    response = client.post(
        f"{API}/members/{membership.pk}/end/",
        {"end_date": "2016-02-01", "reason": "Moved in with her sister"},
        format="json",
    )
    again = client.post(
        f"{API}/members/{membership.pk}/end/", {"end_date": "2016-02-02"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["end_date"] == "2016-02-01"
    assert again.status_code == 400
    assert "end_date" in again.json()
    assert client.get(f"{API}/members/?family={family.reference}&current=true").json()["count"] == 1


@pytest.mark.parametrize("end_date", ["2016/02/01", TOMORROW, "2015-01-01", None])
def test_a_bad_leaving_date_is_a_400(keyworker, family, api_for, end_date):
    membership = family.memberships.first()
    payload = {} if end_date is None else {"end_date": end_date}

    response = api_for(keyworker).post(
        f"{API}/members/{membership.pk}/end/", payload, format="json"
    )

    assert response.status_code == 400
    assert "end_date" in response.json()
    membership.refresh_from_db()
    assert membership.end_date is None


def test_an_auditor_may_not_end_a_membership(auditor, family, api_for):
    membership = family.memberships.first()

    response = api_for(auditor).post(
        f"{API}/members/{membership.pk}/end/", {"end_date": "2016-02-01"}, format="json"
    )

    assert response.status_code == 403


def test_members_cannot_be_edited_or_deleted_directly(keyworker, family, api_for):
    membership = family.memberships.first()
    client = api_for(keyworker)

    assert (
        client.patch(
            f"{API}/members/{membership.pk}/", {"role": "child"}, format="json"
        ).status_code
        == 405
    )
    assert client.delete(f"{API}/members/{membership.pk}/").status_code == 405


# --- interventions ------------------------------------------------------------------------------


def test_a_keyworker_records_and_ends_an_intervention(keyworker, family, api_for):
    client = api_for(keyworker)

    created = client.post(
        f"{API}/interventions/",
        {
            "family": family.reference,
            "service": "housing",
            "start_date": "2015-06-01",
            "worker_name": "Pat Lee",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["recorded_by"]["username"] == "kw_alice"

    ended = client.post(
        f"{API}/interventions/{created.json()['id']}/end/",
        {"end_date": "2015-12-01"},
        format="json",
    )

    assert ended.status_code == 200, ended.content
    assert ended.json()["end_date"] == "2015-12-01"
    listed = client.get(f"{API}/interventions/?family={family.reference}&current=false").json()
    assert [row["service"] for row in listed["results"]] == ["housing"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"service": "magic"}, "service"),
        ({"start_date": "June 2015"}, "start_date"),
        ({"start_date": TOMORROW}, "start_date"),
        ({"end_date": "2015-05-01"}, "end_date"),  # before it started
        ({"worker": "nobody"}, "worker"),
    ],
)
def test_bad_intervention_input_is_a_400(keyworker, family, api_for, overrides, field):
    payload = {
        "family": family.reference,
        "service": "housing",
        "start_date": "2015-06-01",
        **overrides,
    }

    response = api_for(keyworker).post(f"{API}/interventions/", payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Intervention.objects.exists()


def test_an_intervention_on_someone_elses_family_cannot_be_ended(other_keyworker, family, api_for):
    intervention = f.InterventionFactory(family=family)

    response = api_for(other_keyworker).post(
        f"{API}/interventions/{intervention.pk}/end/", {"end_date": "2015-12-01"}, format="json"
    )

    assert response.status_code == 404


# --- case notes ---------------------------------------------------------------------------------


def test_a_keyworker_adds_a_note_that_is_dated_today_by_default(keyworker, family, api_for):
    response = api_for(keyworker).post(
        f"{API}/notes/",
        {"family": family.reference, "text": "  Met mum at school.  "},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["text"] == "Met mum at school."
    assert body["occurred_on"] == timezone.localdate().isoformat()
    assert body["author"]["username"] == "kw_alice"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({}, "text"),
        ({"text": "Visit", "occurred_on": TOMORROW}, "occurred_on"),
        ({"text": "Visit", "occurred_on": "01/02/2016"}, "occurred_on"),
    ],
)
def test_bad_note_input_is_a_400(keyworker, family, api_for, payload, field):
    response = api_for(keyworker).post(
        f"{API}/notes/", {"family": family.reference, **payload}, format="json"
    )

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not CaseNote.objects.exists()


def test_notes_are_never_edited_or_deleted(keyworker, family, api_for):
    note = f.CaseNoteFactory(family=family)
    client = api_for(keyworker)

    assert (
        client.put(f"{API}/notes/{note.pk}/", {"text": "changed"}, format="json").status_code == 405
    )
    assert (
        client.patch(f"{API}/notes/{note.pk}/", {"text": "changed"}, format="json").status_code
        == 405
    )
    assert client.delete(f"{API}/notes/{note.pk}/").status_code == 405
    note.refresh_from_db()
    assert note.text.startswith("Home visit")


def test_a_familys_notes_come_newest_first(keyworker, family, api_for):
    f.CaseNoteFactory(family=family, occurred_on=dt.date(2015, 6, 1), text="First")
    f.CaseNoteFactory(family=family, occurred_on=dt.date(2015, 7, 1), text="Second")

    body = api_for(keyworker).get(f"{API}/families/{family.reference}/notes/").json()

    assert [row["text"] for row in body["results"]] == ["Second", "First"]


# --- consent ------------------------------------------------------------------------------------


def test_a_keyworker_records_consent_for_a_member(keyworker, family, api_for):
    jane = family.memberships.get(person__first_name="Jane").person

    response = api_for(keyworker).post(
        f"{API}/consents/",
        {
            "family": family.reference,
            "person": jane.reference,
            "given_by": "Jane Smith",
            "share_with": ["schools", "health"],
            "given_on": "2015-05-02",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["person"] == jane.reference
    assert response.json()["share_with"] == ["schools", "health"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"share_with": []}, "share_with"),
        ({"share_with": ["the press"]}, "share_with"),
        ({"share_with": "schools"}, "share_with"),
        ({"given_by": ""}, "given_by"),
        ({"given_on": TOMORROW}, "given_on"),
        ({"given_on": "2015-02-29"}, "given_on"),
        ({"person": "P-999999"}, "person"),
    ],
)
def test_bad_consent_input_is_a_400(keyworker, family, api_for, overrides, field):
    payload = {
        "family": family.reference,
        "given_by": "Jane Smith",
        "share_with": ["schools"],
        "given_on": "2015-05-02",
        **overrides,
    }

    response = api_for(keyworker).post(f"{API}/consents/", payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not ConsentRecord.objects.exists()


def test_consent_cannot_name_a_person_outside_your_families(
    keyworker, family, other_family, api_for
):
    stranger = f.MembershipFactory(family=other_family).person

    response = api_for(keyworker).post(
        f"{API}/consents/",
        {
            "family": family.reference,
            "person": stranger.reference,
            "given_by": "X",
            "share_with": ["schools"],
            "given_on": "2015-05-02",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "person" in response.json()


# --- the access log -----------------------------------------------------------------------------


def test_reading_a_family_is_logged_once(keyworker, family, api_for):
    api_for(keyworker).get(f"{API}/families/{family.reference}/")

    log = AccessLog.objects.get()
    assert (log.user, log.family, log.via, log.action) == (
        keyworker,
        family,
        "api",
        "viewed family",
    )
    assert log.path == f"{API}/families/{family.reference}/"


def test_listing_families_logs_each_family_on_the_page_in_one_insert(programme_manager, api_for):
    families = [f.AttachedFamilyFactory() for _ in range(3)]
    client = api_for(programme_manager)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{API}/families/?page_size=2&ordering=reference")

    assert response.status_code == 200
    logged = AccessLog.objects.filter(via="api", action="listed families", user=programme_manager)
    assert sorted(log.family_id for log in logged) == sorted(f_.pk for f_ in families[:2])
    inserts = [
        q
        for q in queries.captured_queries
        if q["sql"].startswith('INSERT INTO "families_accesslog"')
    ]
    assert len(inserts) == 1


def test_listing_members_logs_each_family_once(keyworker, family, api_for):
    second = f.AttachedFamilyFactory(lead_keyworker=keyworker)
    f.MembershipFactory(family=second)

    api_for(keyworker).get(f"{API}/members/")

    assert sorted(AccessLog.objects.values_list("family__reference", flat=True)) == sorted(
        [family.reference, second.reference]
    )


@pytest.mark.parametrize("nested", ["members", "notes", "interventions", "consents"])
def test_reading_a_familys_records_logs_the_family(keyworker, family, api_for, nested):
    response = api_for(keyworker).get(f"{API}/families/{family.reference}/{nested}/")

    assert response.status_code == 200
    log = AccessLog.objects.get()
    assert log.family == family
    assert log.action == f"listed family {'consent records' if nested == 'consents' else nested}"


def test_a_refused_read_is_not_logged_as_a_read(other_keyworker, family, api_for):
    api_for(other_keyworker).get(f"{API}/families/{family.reference}/")
    api_for(other_keyworker).get(f"{API}/families/{family.reference}/members/")

    assert not AccessLog.objects.exists()


# --- query counts -------------------------------------------------------------------------------


def _populate(n: int, keyworker) -> None:
    for _ in range(n):
        family = f.AttachedFamilyFactory(lead_keyworker=keyworker)
        f.MembershipFactory(family=family)
        f.ChildMembershipFactory(family=family)
        f.FamilyProblemFactory(family=family)
        f.FamilyProblemFactory(family=family, problem=f.problem("health"))
        f.InterventionFactory(family=family, worker=keyworker, recorded_by=keyworker)
        f.CaseNoteFactory(family=family)
        ConsentRecord.objects.create(
            family=family,
            person=family.memberships.first().person,
            given_by="Parent",
            share_with=["schools"],
            given_on=dt.date(2015, 5, 1),
            recorded_by=keyworker,
        )


LIST_ENDPOINTS = [
    "/families/",
    "/families/?status=attached&problem=health&q=a&ordering=-name",
    "/members/",
    "/interventions/",
    "/notes/",
    "/consents/",
]


def _count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{API}{path}")
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize("path", LIST_ENDPOINTS)
def test_list_query_counts_do_not_grow_with_the_data(keyworker, api_for, path):
    client = api_for(keyworker)
    _populate(3, keyworker)
    few = _count_queries(client, path)

    _populate(27, keyworker)
    many = _count_queries(client, path)

    assert few == many, f"{path}: {few} queries for 3 families, {many} for 30"


def test_family_detail_and_nested_lists_do_not_grow_with_the_household(keyworker, api_for):
    family = f.AttachedFamilyFactory(lead_keyworker=keyworker)
    f.MembershipFactory(family=family)
    client = api_for(keyworker)
    paths = [f"/families/{family.reference}/", f"/families/{family.reference}/members/"]
    small = [_count_queries(client, path) for path in paths]

    for _ in range(10):
        f.ChildMembershipFactory(family=family)
        f.CaseNoteFactory(family=family)
    large = [_count_queries(client, path) for path in paths]

    assert small == large


# --- authentication -----------------------------------------------------------------------------


def test_a_token_from_username_and_password_reads_the_api(keyworker, family):
    anonymous = APIClient()

    token_response = anonymous.post(
        f"{API}/auth/token/", {"username": "kw_alice", "password": f.PASSWORD}, format="json"
    )
    assert token_response.status_code == 200, token_response.content
    token = token_response.json()["token"]
    assert Token.objects.get(user=keyworker).key == token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get(f"{API}/families/")

    assert refs(response) == [family.reference]
    assert AccessLog.objects.get().user == keyworker


def test_a_wrong_password_gets_no_token(keyworker):
    response = APIClient().post(
        f"{API}/auth/token/", {"username": "kw_alice", "password": "wrong"}, format="json"
    )

    assert response.status_code == 400
    assert not Token.objects.exists()


def test_a_made_up_token_is_refused(family):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    response = client.get(f"{API}/families/")

    assert response.status_code in (401, 403)
    assert family.reference not in response.content.decode()


def test_a_signed_in_browser_session_reads_the_api(keyworker, family):
    client = APIClient()
    assert client.login(username="kw_alice", password=f.PASSWORD)

    assert refs(client.get(f"{API}/families/")) == [family.reference]


def test_an_inactive_users_token_stops_working(keyworker, family):
    token = Token.objects.create(user=keyworker)
    keyworker.is_active = False
    keyworker.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    assert client.get(f"{API}/families/").status_code in (401, 403)


def test_membership_end_rejects_a_membership_id_that_is_not_a_number(keyworker, api_for):
    response = api_for(keyworker).post(
        f"{API}/members/abc/end/", {"end_date": "2016-01-01"}, format="json"
    )

    assert response.status_code == 404


def test_json_that_is_not_json_is_a_400(keyworker, family, api_for):
    response = api_for(keyworker).post(
        f"{API}/notes/", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert "detail" in response.json()
    assert not CaseNote.objects.exists()
