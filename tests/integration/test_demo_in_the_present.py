"""The demo is set in the present: loaded on any day, every page reads true on that day.

The demo is loaded as of two days a year apart, `DAYS` (the day is passed to the builders and
the command, no clock is patched): here through the builders, as of the first; and by
`seed_demo --today` as of the second in `test_demo_data.SeedDemoTests`, which runs these checks
too. Each is read the way its pages read it: the family page's live evaluation
(`family_evaluation_live`) and the stored evaluations behind the near-miss list and claims.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import TestCase
from django.utils import timezone

from claims.models import OUTCOME_CLAIM_TYPES, Claim, ClaimBatch, ClaimDate, ClaimType
from demo import council, dates, households, seeding, synthetic
from families.models import (
    CaseNote,
    ConsentRecord,
    Family,
    FamilyEvent,
    Intervention,
    Membership,
    Notification,
    Person,
    User,
)
from outcomes.models import EligibilityRun, Evaluation, Evidence, PlanActivation
from outcomes.selectors.evaluations import family_evaluation_live, near_miss_list
from outcomes.selectors.plans import term_calendar

DAYS = (date(2024, 11, 13), date(2025, 11, 13))
KEYWORKERS = ("keyworker", "keyworker2", "keyworker_north", "keyworker_south")
MONTHS = (
    "January February March April May June July August September October November December"
).split()
TERM_LABEL = re.compile(r"\b(autumn|spring|summer) (\d{4}/\d{2})\b")
ENGLISH_DATE = re.compile(rf"\b(\d{{1,2}}) ({'|'.join(MONTHS)}) (\d{{4}})\b")
# Words that make a later date a forecast ("met on 3 March if it holds"), not a fact.
FORECAST = (
    " if ",
    "completes on",
    "reached on",
    "(to ",
    "held to ",
    "can be met on",
    "No claim before",  # the plan's rule for when a claim may first be made
)
IN_PROGRESS = ("so far", "in progress", "under way")


def untrue_periods(text: str, today: date, terms) -> list[str]:
    """What a sentence says about a time after `today` as if it had happened: a school term
    that has not ended ("autumn 2026/27 no record" before 20 December 2026), or a later date
    that is not a forecast."""
    found = []
    for clause in re.split(r"[;|]", text):
        for match in TERM_LABEL.finditer(clause):
            term = terms.term(match[2], match[1])
            if term.end > today and not any(word in clause for word in IN_PROGRESS):
                found.append(f"{match[0]} (ends {term.end}) in: {clause.strip()}")
        for match in ENGLISH_DATE.finditer(clause):
            day = date(int(match[3]), MONTHS.index(match[2]) + 1, int(match[1]))
            if day > today and not any(word in clause for word in FORECAST):
                found.append(f"{match[0]} in: {clause.strip()}")
    return found


def sentences(result: Any):
    """Every sentence in an evaluation result (explanations, reasons, what is missing)."""
    if isinstance(result, dict):
        for key, value in result.items():
            if key in ("explanation", "text", "when", "why") and isinstance(value, str):
                yield value
            elif key in ("missing", "why") and isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
            else:
                yield from sentences(value)
    elif isinstance(result, list):
        for value in result:
            yield from sentences(value)


def met_since_dates(result: Any):
    if isinstance(result, dict):
        for key, value in result.items():
            if key == "met_since" and value:
                yield date.fromisoformat(value)
            else:
                yield from met_since_dates(value)
    elif isinstance(result, list):
        for value in result:
            yield from met_since_dates(value)


def problems_of(result: dict) -> dict[str, dict]:
    return {p["code"]: p for p in result["problems"] if p["identified"]}


def load_demo(today: date) -> str:
    """The demo as `seed_demo` loads it, as of `today` (the builders take the day)."""
    out = io.StringIO()
    the_council = council.ensure_council()
    users = council.ensure_demo_users(the_council)
    created, _ = seeding.seed_demo_families(the_council, users, today=today)
    seeding.build_on_families(
        families=created, seed=council.DEMO_SEED, synthetic=False, stdout=out, today=today
    )
    return out.getvalue()


class DemoOnADay:
    """Checks of a demo loaded as of `today` (subclasses name the day and load it)."""

    today: date

    def families(self):
        return Family.objects.filter(
            reference__in=[spec.reference for spec, _, _ in seeding.demo_family_specs()]
        )

    def test_no_outcome_explanation_names_a_period_after_today(self):
        terms = term_calendar()
        checked = 0
        for family in self.families().order_by("reference"):
            live = family_evaluation_live(family=family, as_of=self.today)
            assert live is not None, f"no plan in force on {self.today}"
            result = live.to_dict()
            untrue = [p for s in sentences(result) for p in untrue_periods(s, self.today, terms)]
            assert untrue == [], (family.reference, untrue)
            assert all(d <= self.today for d in met_since_dates(result)), family.reference
            checked += 1
        stored = Evaluation.objects.filter(family__in=self.families())
        assert stored.exists()
        for evaluation in stored:
            assert evaluation.as_of <= self.today
            untrue = [
                p
                for s in sentences(evaluation.result)
                for p in untrue_periods(s, evaluation.as_of, terms)
            ]
            assert untrue == [], (evaluation.family.reference, evaluation.as_of, untrue)
            assert all(d <= evaluation.as_of for d in met_since_dates(evaluation.result))
        assert checked == council.DEMO_FAMILY_COUNT

    def test_the_checker_catches_a_term_or_a_date_after_today(self):
        terms = term_calendar()
        later = self.today + timedelta(days=200)
        term = terms.by_index(terms.last_ended_by(later).index)
        assert term.end > self.today
        said = f"Ella Smith: 0 of 3 terms ({term.label} no record)"
        assert untrue_periods(said, self.today, terms) != []
        fact = f"no call-outs since {later.day} {MONTHS[later.month - 1]} {later.year}"
        assert untrue_periods(fact, self.today, terms) != []
        forecast = f"met on {later.day} {MONTHS[later.month - 1]} {later.year} if it holds"
        assert untrue_periods(forecast, self.today, terms) == []

    def test_no_claim_date_is_before_the_outcome_was_met(self):
        claims = Claim.objects.filter(
            family__in=self.families(), claim_type__in=OUTCOME_CLAIM_TYPES
        ).select_related("batch", "evaluation", "family")
        assert claims.filter(claim_type=ClaimType.RESULTS).exists()
        for claim in claims:
            on = claim.batch.as_of
            # The claim rests on the evaluation for its claim date, which was claimable then ...
            assert claim.evaluation.as_of == on, claim
            stored = claim.evaluation.result
            live = family_evaluation_live(family=claim.family, as_of=self.today).to_dict()
            if claim.claim_type == ClaimType.RESULTS:
                assert stored["claimable"]["results"], claim
                for code, problem in problems_of(stored).items():
                    assert problem["outcome"] == "met", (claim, code)
                    assert date.fromisoformat(problem["met_since"]) <= on, (claim, code)
                # ... and what the family page says today agrees: met since before the claim.
                assert live["claimable"]["results"], claim
                for code, problem in problems_of(live).items():
                    assert problem["outcome"] == "met", (claim, code)
                    assert date.fromisoformat(problem["met_since"]) <= on, (claim, code)
            else:
                for result in (stored, live):
                    employment = result["continuous_employment"]
                    assert result["claimable"]["continuous_employment"], claim
                    assert date.fromisoformat(employment["met_since"]) <= on, claim

    def test_every_date_is_on_or_before_today(self):
        families = self.families()
        today = self.today
        assert not families.filter(identified_on__gt=today).exists()
        assert not families.filter(attached_on__gt=today).exists()
        assert not families.filter(closed_on__gt=today).exists()
        memberships = Membership.objects.filter(family__in=families)
        assert not memberships.filter(start_date__gt=today).exists()
        assert not memberships.filter(end_date__gt=today).exists()
        assert not Person.objects.filter(
            memberships__family__in=families, date_of_birth__gt=today
        ).exists()
        assert not CaseNote.objects.filter(family__in=families, occurred_on__gt=today).exists()
        assert not Intervention.objects.filter(family__in=families, start_date__gt=today).exists()
        assert not Intervention.objects.filter(family__in=families, end_date__gt=today).exists()
        assert not ConsentRecord.objects.filter(family__in=families, given_on__gt=today).exists()
        assert not FamilyEvent.objects.filter(family__in=families, occurred_on__gt=today).exists()
        evidence = Evidence.objects.all()
        assert evidence.exists()
        assert not evidence.filter(event_date__gt=today).exists()
        assert not evidence.filter(end_date__gt=today).exists()
        assert not EligibilityRun.objects.filter(as_of__gt=today).exists()
        assert not ClaimBatch.objects.filter(as_of__gt=today).exists()
        assert not ClaimBatch.objects.filter(paid_on__gt=today).exists()
        end_of_today = dates.moment_on(today + timedelta(days=1), 0)
        for stamp in [
            *EligibilityRun.objects.values_list("started_at", flat=True),
            *Notification.objects.values_list("created_at", flat=True),
            *Evidence.objects.values_list("recorded_at", flat=True),
        ]:
            assert stamp < end_of_today

    def test_families_were_attached_two_to_twenty_months_ago(self):
        attached = self.families().exclude(attached_on=None)
        earliest = dates.add_months(self.today, -20) - timedelta(days=1)
        latest = dates.add_months(self.today, -2) + timedelta(days=1)
        for on in attached.values_list("attached_on", flat=True):
            assert earliest <= on <= latest, on
        waiting = self.families().filter(status=Family.Status.IDENTIFIED)
        for on in waiting.values_list("identified_on", flat=True):
            assert self.today - timedelta(days=90) <= on <= self.today

    def test_school_terms_are_this_and_last_academic_year_and_have_ended(self):
        terms = term_calendar()
        this_year = terms.by_index(terms.last_ended_by(self.today).index + 1).academic_year
        start = int(this_year[:4])
        records = Evidence.objects.filter(kind="school_attendance")
        years = {record.data["academic_year"] for record in records}
        assert f"{start - 1}/{start % 100:02d}" in years
        for record in records:
            term = terms.term(record.data["academic_year"], record.data["term"])
            assert term.end <= self.today
            assert int(record.data["academic_year"][:4]) >= start - 3

    def test_the_plan_is_in_force_from_before_everything_the_demo_evaluates(self):
        activation = PlanActivation.objects.get()
        assert activation.effective_from == dates.plan_start(self.today)
        first = min(
            self.families().order_by("identified_on").first().identified_on,
            EligibilityRun.objects.order_by("as_of").first().as_of,
        )
        assert activation.effective_from < first - timedelta(days=365)

    def test_the_nightly_check_has_a_history_ending_with_today(self):
        runs = EligibilityRun.objects.order_by("as_of")
        assert runs.count() >= 5
        assert runs.last().as_of == self.today
        assert all(run.status == EligibilityRun.Status.FINISHED for run in runs)
        assert all(run.families_evaluated == run.families_total > 0 for run in runs)
        assert all(run.triggered_by.role == User.Role.SYSTEM for run in runs)
        # Each run started on its night, at the nightly check's time.
        for run in runs:
            started = timezone.localtime(run.started_at)
            assert started.date() == run.as_of
            assert run.finished_at >= run.started_at
        # The runs on past claim dates, and a run every night of the last week.
        past = [d for d in dates.quarter_days_before(self.today, 4)]
        assert set(past) <= set(runs.values_list("as_of", flat=True))
        assert {self.today - timedelta(days=n) for n in range(7)} <= set(
            runs.values_list("as_of", flat=True)
        )
        # Today's run is what the families' current evaluations are, for every open family.
        open_families = self.families().exclude(status=Family.Status.CLOSED)
        current = Evaluation.objects.filter(family__in=open_families, is_current=True)
        assert current.count() == open_families.count()
        assert set(current.values_list("as_of", flat=True)) == {self.today}

    def test_each_keyworker_has_near_misses_notifications_and_claimable_families(self):
        for username in KEYWORKERS:
            keyworker = User.objects.get(username=username)
            near_misses = near_miss_list(user=keyworker)
            assert near_misses, f"{username} has no near miss"
            for row in near_misses:
                assert row.family.lead_keyworker_id == keyworker.pk
                assert row.earliest_met_on is None or row.earliest_met_on > self.today
            notifications = Notification.objects.filter(user=keyworker)
            assert notifications.filter(kind=Notification.Kind.BECAME_CLAIMABLE).exists(), username
            assert all(
                n.family.lead_keyworker_id == keyworker.pk
                for n in notifications.select_related("family")
            )
            claimable = Evaluation.objects.filter(
                family__lead_keyworker=keyworker,
                family__status=Family.Status.ATTACHED,
                is_current=True,
                claimable_results=True,
            )
            assert claimable.exists(), f"{username} has no claimable family"
        # Old notifications have been read; the newest are waiting.
        last_claim_date = dates.quarter_days_before(self.today, 1)[0]
        before = Notification.objects.filter(created_at__lt=dates.moment_on(last_claim_date, 0))
        assert not before.filter(read_at=None).exists()
        assert all(n.read_at > n.created_at for n in before)

    def test_batches_are_on_recent_claim_dates_at_each_stage(self):
        quarters = dates.quarter_days_before(self.today, 3)
        batches = {b.status: b for b in ClaimBatch.objects.all()}
        assert set(batches) == {"paid", "awaiting_audit", "draft"}
        assert [batches[s].as_of for s in ("paid", "awaiting_audit", "draft")] == quarters
        paid = batches["paid"]
        assert paid.paid_on == paid.as_of + timedelta(weeks=8)
        assert paid.created_at < paid.submitted_for_audit_at < paid.signed_off_at
        assert paid.signed_off_at < paid.approved_at < paid.submitted_at
        assert timezone.localtime(paid.submitted_at).date() < paid.paid_on
        # The families paid for results were closed on the day, as outcomes achieved.
        results = paid.claims.filter(claim_type=ClaimType.RESULTS)
        assert results.exists()
        for claim in results.select_related("family"):
            assert claim.family.status == Family.Status.CLOSED
            assert claim.family.closure_reason == Family.ClosureReason.OUTCOMES_ACHIEVED
            assert claim.family.closed_on == paid.paid_on
        # Evidence was frozen after it was recorded.
        for claim in paid.claims.select_related("snapshot"):
            assert claim.snapshot.taken_at < paid.signed_off_at
        # Claims were only made for families attached by the claim date.
        for claim in Claim.objects.select_related("batch", "family"):
            assert claim.family.attached_on <= claim.batch.as_of
        expected = set(dates.claim_dates(self.today))
        assert expected <= set(ClaimDate.objects.values_list("date", flat=True))
        assert any(on > self.today for on in ClaimDate.objects.values_list("date", flat=True))

    def test_names_with_letters_beyond_a_to_z_are_in_the_demo(self):
        people = Person.objects.filter(memberships__family__in=self.families())
        assert people.filter(first_name="Zoë").exists()
        assert people.filter(last_name="Şahin").exists()
        keyworker = User.objects.get(username="keyworker")
        mine = self.families().filter(lead_keyworker=keyworker)
        assert mine.filter(memberships__person__first_name="Zoë").exists()
        sahin = mine.get(name="Şahin")
        turkish = households.NAME_GROUPS[households.TURKISH_NAMES]
        first_names = {name for names in turkish[2:] for name in names}
        members = Person.objects.filter(memberships__family=sahin)
        assert set(members.values_list("first_name", flat=True)) <= first_names


class DemoLoadedAYearBeforeTests(DemoOnADay, TestCase):
    """The demo loaded through the builders as of the first day (the second: SeedDemoTests)."""

    today = DAYS[0]

    @classmethod
    def setUpTestData(cls):
        cls.output = load_demo(cls.today)

    def test_the_seed_reports_what_it_built(self):
        assert "Eligibility checks: " in self.output
        assert "paid" in self.output and "awaiting audit" in self.output


def test_the_same_families_on_another_day_are_moved_to_that_day():
    one, other = date(2024, 6, 5), date(2025, 6, 5)
    first = seeding.demo_family_specs(today=one)
    again = seeding.demo_family_specs(today=one)
    later = seeding.demo_family_specs(today=other)
    assert [s.reference for s, _, _ in first] == [s.reference for s, _, _ in later]
    assert [(s.name, s.identified_on, s.attached_on) for s, _, _ in first] == [
        (s.name, s.identified_on, s.attached_on) for s, _, _ in again
    ]
    shift = other - one
    for (a, _, _), (b, _, _) in zip(first, later, strict=True):
        assert b.identified_on - a.identified_on == shift
        assert [m.first_name for m in a.members] == [m.first_name for m in b.members]


@pytest.mark.django_db
def test_generate_synthetic_dates_families_from_the_day_it_runs():
    day, next_year = date(2025, 2, 10), date(2026, 2, 10)
    families = Family.objects.filter(reference__startswith="S007-")
    synthetic.generate_synthetic(count=60, seed=7, today=day)
    fingerprint = synthetic.digest(families)
    attached = families.exclude(attached_on=None)
    assert attached.exists()
    for on in attached.values_list("attached_on", flat=True):
        assert dates.add_months(day, -20) - timedelta(days=1) <= on <= dates.add_months(day, -2)
    assert not families.filter(identified_on__gt=day).exists()
    assert not families.filter(closed_on__gt=day).exists()
    assert not CaseNote.objects.filter(family__in=families, occurred_on__gt=day).exists()
    # Same seed, same day: the same families. Another day: the same families, on that day.
    synthetic.generate_synthetic(count=60, seed=7, today=day, replace=True)
    assert synthetic.digest(families) == fingerprint
    names = sorted(families.values_list("reference", "name", "attached_on"))
    synthetic.generate_synthetic(count=60, seed=7, today=next_year, replace=True)
    assert synthetic.digest(families) != fingerprint
    moved = sorted(families.values_list("reference", "name", "attached_on"))
    assert [(r, n) for r, n, _ in moved] == [(r, n) for r, n, _ in names]
    for (_, _, before), (_, _, after) in zip(names, moved, strict=True):
        assert (before is None) == (after is None)
        if before is not None:
            assert (after - before).days in (365, 366)


@pytest.mark.django_db
def test_generate_synthetic_runs_the_check_and_tells_the_synthetic_keyworkers():
    day = date(2025, 9, 17)
    result = synthetic.generate_synthetic(count=50, seed=8, today=day)
    seeding.build_on_families(
        families=result.created, seed=8, synthetic=True, stdout=None, today=day
    )
    families = Family.objects.filter(reference__startswith="S008-")
    runs = EligibilityRun.objects.order_by("as_of")
    assert list(runs.values_list("as_of", flat=True)) == [
        dates.quarter_days_before(day, 1)[0],
        day,
    ]
    open_families = families.exclude(status=Family.Status.CLOSED)
    assert runs.last().families_evaluated == open_families.count()
    current = Evaluation.objects.filter(family__in=open_families, is_current=True)
    assert set(current.values_list("as_of", flat=True)) == {day}
    keyworkers = User.objects.filter(username__startswith="synthetic_kw_")
    assert keyworkers.count() == 2
    for keyworker in keyworkers:
        assert near_miss_list(user=keyworker), keyworker.username
        assert Notification.objects.filter(
            user=keyworker, kind=Notification.Kind.BECAME_CLAIMABLE
        ).exists(), keyworker.username
    for stamp in Evidence.objects.values_list("recorded_at", flat=True):
        assert timezone.localtime(stamp).date() <= day
