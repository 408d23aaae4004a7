"""The caseload and family pages run the same number of queries however much data they show."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from families.models import ConsentRecord
from tests import factories as f

pytestmark = pytest.mark.django_db


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_families(keyworker, count: int, start: int) -> None:
    for number in range(start, start + count):
        family = f.AttachedFamilyFactory(reference=f"F-95{number:04d}", lead_keyworker=keyworker)
        f.MembershipFactory(family=family)
        f.FamilyProblemFactory(family=family)
        f.FamilyProblemFactory(family=family, problem=f.problem("health"))


@pytest.mark.parametrize("role", ["keyworker", "team_manager", "programme_manager"])
def test_caseload_queries_do_not_grow_with_families(request, client_for, keyworker, role):
    client = client_for(request.getfixturevalue(role))
    add_families(keyworker, 3, 0)
    client.get("/families/")  # warm the session
    few = queries_for(client, "/families/")
    add_families(keyworker, 27, 3)
    many = queries_for(client, "/families/")
    filtered = queries_for(client, "/families/?status=attached&problem=health&sort=name&page=2")
    print(
        f"caseload queries ({role}): 3 families {few}, 30 families {many}, filtered page 2 {filtered}"
    )
    assert few == many == filtered


def add_records(family, keyworker, count: int) -> None:
    for number in range(count):
        f.MembershipFactory(family=family, person=f.PersonFactory())
        f.MembershipFactory(
            family=family,
            person=f.PersonFactory(),
            start_date=dt.date(2015, 4, 1),
            end_date=dt.date(2015, 9, 1),
        )
        f.InterventionFactory(family=family)
        f.CaseNoteFactory(family=family, text=f"Note {number}")
        ConsentRecord.objects.create(
            family=family,
            given_by="Jane",
            share_with=["schools"],
            given_on=dt.date(2015, 5, 2),
            recorded_by=keyworker,
        )


def test_family_page_queries_do_not_grow_with_its_records(client_for, keyworker, family):
    client = client_for(keyworker)
    url = f"/families/{family.reference}/"
    add_records(family, keyworker, 2)
    client.get(url)  # warm the session
    few = queries_for(client, url)
    add_records(family, keyworker, 38)
    many = queries_for(client, url)
    print(f"family page queries: 2 of each record {few}, 40 of each {many}")
    assert few == many


def add_team_work(team, count: int, start: int) -> None:
    """Keyworkers with families, named workers and unallocated families in the team."""
    for number in range(start, start + count):
        worker = f.KeyworkerFactory(team=team)
        led = f.AttachedFamilyFactory(reference=f"F-96{number:04d}", lead_keyworker=worker)
        f.NamedWorkerFactory(family=led, user=f.KeyworkerFactory(team=team))
        f.FamilyFactory(reference=f"F-97{number:04d}", lead_keyworker=None, team=team)


@pytest.mark.parametrize("role", ["team_manager", "programme_manager"])
def test_team_page_queries_do_not_grow_with_the_team(request, client_for, team, role):
    client = client_for(request.getfixturevalue(role))
    url = f"/families/team/?team={team.pk}"
    add_team_work(team, 2, 0)
    client.get(url)  # warm the session
    few = queries_for(client, url)
    add_team_work(team, 20, 2)
    many = queries_for(client, url)
    print(f"team page queries ({role}): 2 keyworkers {few}, 22 keyworkers {many}")
    assert few == many


def add_team_around(family, keyworker, count: int) -> None:
    for number in range(count):
        f.PartnerProfessionalFactory(family=family, name=f"Partner {number}")
        f.NamedWorkerFactory(family=family)
        f.StepChangeFactory(family=family, recorded_by=keyworker)
        note = f.SensitiveCaseNoteFactory(family=family, text=f"Note {number}")
        note.present.add(family.memberships.first().person)


@pytest.mark.parametrize("page", ["team/", "notes/", ""])
def test_team_around_and_notes_pages_do_not_grow_with_their_records(
    client_for, keyworker, family, page
):
    client = client_for(keyworker)
    url = f"/families/{family.reference}/{page}"
    add_team_around(family, keyworker, 2)
    client.get(url)  # warm the session
    few = queries_for(client, url)
    add_team_around(family, keyworker, 20)
    many = queries_for(client, url)
    print(f"/{page} queries: 2 of each record {few}, 22 of each {many}")
    assert few == many
