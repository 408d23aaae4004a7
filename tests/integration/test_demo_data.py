"""The demo council (`seed_demo`) and synthetic families at scale (`generate_synthetic`)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.http import Http404
from django.test import TestCase

from demo import council, dates, households, seeding, synthetic
from families import identifiers, selectors
from families.models import (
    CaseNote,
    CaseNoteFile,
    ConsentRecord,
    Family,
    FamilyEvent,
    FamilyProblem,
    Intervention,
    Locality,
    Membership,
    PartnerProfessional,
    Person,
    StepChange,
    Team,
    User,
)

from .test_demo_in_the_present import DAYS, DemoOnADay

DAY = DAYS[1]  # the day the demo is loaded as of here (a year after the other test's)


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--force", "--today", DAY.isoformat(), *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    models = [
        Family,
        Person,
        Membership,
        FamilyProblem,
        Intervention,
        CaseNote,
        ConsentRecord,
        FamilyEvent,
        User,
        Team,
        Locality,
    ]
    counts = {model.__name__: model.objects.count() for model in models}
    counts.update(
        {
            f"history {model.__name__}": model.history.count()
            for model in [Family, Person, Membership, CaseNote]
        }
    )
    return counts


def identifier_problems(people) -> list[str]:
    problems = []
    for person in people:
        if person.upn and identifiers.upn_problem(person.upn):
            problems.append(f"{person.reference} UPN {person.upn}")
        if person.ni_number and identifiers.ni_number_problem(person.ni_number):
            problems.append(f"{person.reference} NI {person.ni_number}")
    return problems


class SeedDemoTests(DemoOnADay, TestCase):
    """Seeded once for the class, as of DAY (a minute or so: every write goes through the
    services); each test runs in its own savepoint. The checks that the demo reads true on its
    day come from DemoOnADay."""

    today = DAY

    @classmethod
    def setUpTestData(cls):
        cls.output = seed()

    def demo_families(self):
        return Family.objects.filter(
            reference__in=[spec.reference for spec, _, _ in seeding.demo_family_specs()]
        )

    def test_every_role_can_sign_in_with_the_printed_password(self):
        roles = set()
        for spec in council.DEMO_USERS:
            line = next(
                line for line in self.output.splitlines() if line.split()[:1] == [spec.username]
            )
            assert council.DEMO_PASSWORD in line
            user = User.objects.get(username=spec.username)
            assert user.get_role_display() in line
            assert self.client.login(username=spec.username, password=council.DEMO_PASSWORD), (
                spec.username
            )
            self.client.logout()
            roles.add(user.role)
        # Every role a person holds; the system user (automated work) cannot sign in.
        assert roles == set(User.Role.values) - {User.Role.SYSTEM}
        assert User.objects.get(username="admin").is_superuser
        kw, kw2 = User.objects.get(username="keyworker"), User.objects.get(username="keyworker2")
        assert kw.team_id == kw2.team_id == User.objects.get(username="teammanager").team_id

    def test_about_sixty_families_spread_across_statuses_places_and_services(self):
        families = self.demo_families()
        assert families.count() == council.DEMO_FAMILY_COUNT
        by_status = {s: families.filter(status=s).count() for s in Family.Status.values}
        assert all(n >= 8 for n in by_status.values()), by_status
        assert not families.filter(status=Family.Status.CLOSED, closure_reason="").exists()
        attached = families.exclude(attached_on=None)
        # Attached 2 to 20 months before the day the demo was loaded, spread over that time.
        on = sorted(attached.values_list("attached_on", flat=True))
        assert dates.add_months(DAY, -20) - timedelta(days=1) <= on[0]
        assert on[-1] <= dates.add_months(DAY, -2)
        assert on[0] < dates.add_months(DAY, -14) and on[-1] > dates.add_months(DAY, -6)
        assert set(families.values_list("locality__name", flat=True)) == set(council.LOCALITIES)
        assert all(
            identifiers.postcode_problem(p) is None and p.startswith("OX")
            for p in families.values_list("postcode", flat=True)
        )
        for family in families.prefetch_related("problems"):
            assert 2 <= len(family.problems.all()) <= 4, family.reference
            assert all(p.evidence for p in family.problems.all())
        services = set(
            Intervention.objects.filter(family__in=families).values_list("service", flat=True)
        )
        assert {
            "thriving_families",
            "early_intervention",
            "social_care",
            "school",
            "jobcentre_plus",
        } <= services
        # Households change: someone joined after attachment, someone left.
        memberships = Membership.objects.filter(family__in=attached)
        assert any(
            m.start_date > m.family.attached_on for m in memberships.select_related("family")
        )
        assert memberships.exclude(end_date=None).exists()
        assert not attached.filter(notes__isnull=True).exists()
        assert ConsentRecord.objects.filter(family__in=families).count() == attached.count()

    def test_demo_writes_went_through_services_with_history_and_events(self):
        family = (
            self.demo_families()
            .filter(status=Family.Status.CLOSED)
            .exclude(attached_on=None)
            .first()
        )
        manager = User.objects.get(username=seeding.TEAM_MANAGERS[family.locality.area])
        assert family.history.earliest().history_user == manager
        kinds = set(family.events.values_list("kind", flat=True))
        assert {"created", "problem_identified", "attached", "member_added", "closed"} <= kinds
        assert {note.author for note in family.notes.all()} == {family.lead_keyworker}

    def test_the_demo_shows_the_team_around_the_family_and_case_movement(self):
        families = self.demo_families()
        worker = User.objects.get(username="familyworker")
        assert selectors.family_list(user=worker).count() == 2  # named, not lead
        partners = PartnerProfessional.objects.filter(family__in=families)
        assert partners.count() == 4 and partners.filter(is_lead_professional=True).count() == 1
        step_downs = StepChange.objects.filter(family__in=families, direction="down")
        assert step_downs.count() == 1 and step_downs.get().occurred_on <= self.today
        assert FamilyEvent.objects.filter(family__in=families, kind="reopened").count() == 1
        # The families created with no keyworker wait in their teams' unallocated queues.
        manager = User.objects.get(username="teammanager")
        assert selectors.team_overview(user=manager, team=manager.team).unallocated
        notes = CaseNote.objects.filter(family__in=families)
        assert {"visit", "call", "letter", "meeting"} <= set(notes.values_list("kind", flat=True))
        sensitive = notes.get(sensitive=True)
        assert sensitive.author == sensitive.family.lead_keyworker
        letter = CaseNoteFile.objects.get(note__family__in=families)
        assert letter.name.endswith(".txt") and b"attendance" in letter.file.read()
        assert not notes.filter(occurred_on__gt=self.today).exists()

    def test_an_auditor_sees_who_read_a_demo_family_in_the_last_fortnight(self):
        family = selectors.family_list(user=User.objects.get(username="keyworker")).first()
        self.client.force_login(User.objects.get(username="auditor"))
        page = self.client.get(f"/families/{family.reference}/access/").content.decode()
        for name in ("Sarah Whitfield", "Priya Sharma", "Marek Nowicki", "Fiona Calder"):
            assert name in page, name
        assert "viewed team around the family" in page and "Changed the record" in page

    def test_keyworkers_see_only_their_own_caseload(self):
        kw, kw2 = User.objects.get(username="keyworker"), User.objects.get(username="keyworker2")
        mine = selectors.family_list(user=kw)
        assert mine.count() == 12 and all(f.lead_keyworker_id == kw.pk for f in mine)
        theirs = selectors.family_list(user=kw2)
        assert theirs.count() == 10
        with pytest.raises(Http404):
            selectors.family_get(user=kw, reference=theirs.first().reference)
        self.client.force_login(kw)
        assert self.client.get(f"/families/{theirs.first().reference}/").status_code == 404
        manager = User.objects.get(username="teammanager")
        assert selectors.family_list(user=manager).count() == 24
        assert selectors.family_list(user=User.objects.get(username="auditor")).count() == 60

    def test_running_again_changes_nothing(self):
        before = row_counts()
        fingerprint = synthetic.digest(self.demo_families())
        output = seed()
        assert "already loaded" in output
        assert row_counts() == before
        assert synthetic.digest(self.demo_families()) == fingerprint

    def test_generated_identifiers_are_valid(self):
        people = Person.objects.filter(memberships__family__in=self.demo_families()).distinct()
        assert identifier_problems(people) == []
        children = [
            m.person
            for m in Membership.objects.filter(
                family__in=self.demo_families(), role="child"
            ).select_related("family", "person")
        ]
        school_age = [p for p in children if households.is_school_age(p.date_of_birth, DAY)]
        assert sum(bool(p.upn) for p in school_age) >= 0.8 * len(school_age)
        adults = people.filter(memberships__role="adult")
        assert adults.exclude(ni_number="").count() >= 0.7 * adults.count()

    def test_synthetic_families_live_beside_the_demo(self):
        synthesise("--families", "30", "--seed", "0", "--today", DAY.isoformat())
        assert Family.objects.count() == council.DEMO_FAMILY_COUNT + 30
        assert identifier_problems(Person.objects.all()) == []
        assert selectors.family_list(user=User.objects.get(username="keyworker")).count() == 12


@pytest.mark.django_db
def test_seed_demo_refuses_when_debug_is_off_without_force():
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not Family.objects.exists()


def synthesise(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_synthetic", "--force", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_generate_synthetic_is_deterministic_for_a_seed():
    day = DAY.isoformat()
    output = synthesise("--families", "200", "--seed", "5", "--batch-size", "64", "--today", day)
    assert "Created 200 synthetic families for seed 5" in output
    families = Family.objects.filter(reference__startswith="S005-")
    assert families.count() == 200
    assert not families.filter(memberships__isnull=True).exists()
    assert (
        FamilyEvent.objects.filter(family__in=families, kind=FamilyEvent.Kind.CREATED).count()
        == 200
    )
    assert set(families.values_list("status", flat=True)) == set(Family.Status.values)
    assert families.values("lead_keyworker").distinct().count() == 8  # 25 families each
    first = synthetic.digest(families)
    assert identifier_problems(Person.objects.filter(reference__startswith="S005-")) == []

    # Same seed again: nothing duplicated. (The functions below skip the demo extensions.)
    assert synthetic.generate_synthetic(count=200, seed=5, today=DAY).skipped == 200
    assert families.count() == 200

    # Fresh state, same seed: the same families, whatever the batch size.
    synthetic.delete_synthetic(5)
    assert (
        not families.exists() and not Person.objects.filter(reference__startswith="S005-").exists()
    )
    synthetic.generate_synthetic(count=200, seed=5, batch_size=1000, today=DAY)
    assert synthetic.digest(families) == first
    again = synthetic.generate_synthetic(count=200, seed=5, replace=True, today=DAY)
    assert len(again.created) == 200
    assert synthetic.digest(families) == first

    # Another seed: different families, no clash of references or identifiers.
    synthetic.generate_synthetic(count=50, seed=6, today=DAY)
    other = Family.objects.filter(reference__startswith="S006-")
    assert other.count() == 50 and synthetic.digest(other) != first
    assert identifier_problems(Person.objects.all()) == []


@pytest.mark.django_db
def test_the_claims_benchmark_families_are_claimable_under_the_engine():
    from claims.services import claimable_candidates, evidence_refs
    from demo.evaluations import claimable_families
    from outcomes.models import Evaluation, Evidence

    families = claimable_families(count=3, as_of=date(2016, 9, 30))
    current = Evaluation.objects.filter(family__in=families, is_current=True)
    assert current.count() == 3
    assert all(e.eligible and e.claimable_results for e in current)
    assert {e.plan_version.slug for e in current} == {"oxfordshire-phase-2"}
    for evaluation in current:
        cited = [pk for _, pk in evidence_refs(evaluation.result)]
        assert Evidence.objects.filter(pk__in=cited).count() == 4  # a call-out, three incidents
    assert {row["family_id"] for row in claimable_candidates()} == {f.pk for f in families}
