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


def add_home_work(user, keyworker, count: int, start: int) -> None:
    """Families near a claim, unread notifications and unallocated families."""
    from django.utils import timezone

    from families.models import Notification

    soon = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    for number in range(start, start + count):
        family = f.AttachedFamilyFactory(
            reference=f"F-96{number:04d}", lead_keyworker=keyworker, team=keyworker.team
        )
        f.FamilyProblemFactory(family=family)
        f.EvaluationFactory(
            family=family,
            claimable_results=False,
            result={"results_earliest_on": soon, "blocking": [{"explanation": "One more term"}]},
        )
        f.FamilyFactory(reference=f"F-97{number:04d}", team=keyworker.team, lead_keyworker=None)
        Notification.objects.create(
            user=user,
            family=family,
            kind="other",
            message=f"Message {number}",
            dedupe_key=str(number),
        )


@pytest.mark.parametrize("role", ["keyworker", "team_manager"])
def test_home_page_queries_do_not_grow_with_families(request, client_for, keyworker, role):
    user = request.getfixturevalue(role)
    client = client_for(user)
    add_home_work(user, keyworker, 2, 0)
    client.get("/")  # warm the session
    few = queries_for(client, "/")
    add_home_work(user, keyworker, 18, 2)
    many = queries_for(client, "/")
    print(f"home page queries ({role}): 2 of each {few}, 20 of each {many}")
    assert few == many


def test_family_page_timeline_filters_and_pages_cost_the_same(client_for, keyworker, family):
    client = client_for(keyworker)
    url = f"/families/{family.reference}/"
    add_records(family, keyworker, 2)
    client.get(url)
    few = queries_for(client, url)
    add_records(family, keyworker, 30)
    page_two = queries_for(client, f"{url}?page=2")
    filtered = queries_for(client, f"{url}?type=note&who={keyworker.pk}&page=2")
    print(f"family page queries: {few}, page 2 {page_two}, filtered page 2 {filtered}")
    assert few == page_two == filtered


def add_plan_records(family, count: int) -> None:
    """Goals with open, overdue and done actions, and reviews with progress on each goal."""
    plan = f.OverdueReviewPlanFactory(family=family)
    if not family.assessments.exists():
        f.CompletedAssessmentFactory(family=family)
        f.AssessmentFactory(family=family, version=2)
    today = dt.date.today()
    start = plan.reviews.count()
    for number in range(count):
        goal = f.GoalFactory(plan=plan, text=f"Goal {number}")
        f.ActionFactory(goal=goal)
        f.OverdueActionFactory(goal=goal, assigned_user=None, assigned_name="School")
        f.DoneActionFactory(goal=goal)
        review = f.ReviewFactory(plan=plan, held_on=today - dt.timedelta(days=400 - start - number))
        review.progress.create(goal=goal, text="Going well", status="in_progress")


def test_family_page_plan_section_queries_do_not_grow(client_for, keyworker, family):
    client = client_for(keyworker)
    url = f"/families/{family.reference}/"
    add_plan_records(family, 2)
    client.get(url)  # warm the session
    few = queries_for(client, url)
    add_plan_records(family, 20)
    many = queries_for(client, url)
    print(f"family page queries with a plan: 2 goals {few}, 22 goals {many}")
    assert few == many


@pytest.mark.parametrize("role", ["keyworker", "team_manager", "programme_manager"])
def test_overdue_page_queries_do_not_grow(request, client_for, keyworker, role):
    client = client_for(request.getfixturevalue(role))
    add_families(keyworker, 2, 0)
    for family in keyworker.led_families.all():
        add_plan_records(family, 1)
    client.get("/casework/overdue/")  # warm the session
    few = queries_for(client, "/casework/overdue/")
    add_families(keyworker, 10, 2)
    for family in keyworker.led_families.filter(plan__isnull=True):
        add_plan_records(family, 3)
    many = queries_for(client, "/casework/overdue/")
    print(f"overdue page queries ({role}): 2 families {few}, 12 families {many}")
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
