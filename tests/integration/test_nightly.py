"""The nightly eligibility check, in-process: every open family once, single-flight, notifications
once per change, a batch drafted on a claim date, and the pages managers and keyworkers read."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache

from claims.models import ClaimBatch, ClaimDate
from families.models import Family, Notification
from families.services import system_actor
from outcomes.models import EligibilityRun, Evaluation
from outcomes.services import eligibility
from outcomes.tasks import nightly_eligibility
from tests import factories as f

pytestmark = pytest.mark.django_db

CLAIMABLE_ON = date(2016, 9, 30)  # the worked Oxfordshire family is met on every problem by then
BEFORE = date(2016, 3, 31)  # summer term not yet over: attendance still progressing


@pytest.fixture(autouse=True)
def no_lock_left_over():
    cache.delete(eligibility.LOCK_KEY)
    yield
    cache.delete(eligibility.LOCK_KEY)


@pytest.fixture
def cohort(keyworker):
    f.activate("oxfordshire-phase-2", "2015-01-01")
    claimable = f.oxfordshire_family("F-000123", keyworker=keyworker)
    others = [f.household(f"F-00020{i}", keyworker=keyworker)[0] for i in range(3)]
    closed = f.FamilyFactory(
        reference="F-000299",
        status=Family.Status.CLOSED,
        identified_on=date(2015, 1, 5),
        closed_on=date(2015, 6, 1),
        closure_reason="moved_away",
    )
    return claimable, others, closed


def test_a_run_evaluates_every_open_family_once_and_a_repeat_changes_nothing(cohort):
    claimable, others, closed = cohort
    run = eligibility.eligibility_run(actor=system_actor(), as_of=CLAIMABLE_ON)[0]
    assert run.status == EligibilityRun.Status.FINISHED
    assert run.families_evaluated == 4
    assert run.plan_version.slug == "oxfordshire-phase-2"
    assert not Evaluation.objects.filter(family=closed).exists()
    assert Evaluation.objects.get(family=claimable, is_current=True).claimable_results

    stored = Evaluation.objects.count()
    again = eligibility.eligibility_run(actor=system_actor(), as_of=CLAIMABLE_ON)[0]
    assert again.families_evaluated == 4
    assert again.changes == 0
    assert Evaluation.objects.count() == stored


def test_a_run_started_while_another_holds_the_lock_is_skipped(cohort):
    holding = eligibility.eligibility_run_start(actor=system_actor(), as_of=CLAIMABLE_ON)
    assert holding is not None
    assert eligibility.eligibility_run_start(actor=system_actor(), as_of=CLAIMABLE_ON) is None
    assert eligibility.eligibility_run(actor=system_actor(), as_of=CLAIMABLE_ON)[0] is None
    assert EligibilityRun.objects.count() == 1
    assert Evaluation.objects.count() == 0


def test_a_run_whose_worker_died_frees_the_lock_when_it_expires(cohort, settings):
    settings.ELIGIBILITY_LOCK_TTL = 1
    eligibility.eligibility_run_start(actor=system_actor(), as_of=CLAIMABLE_ON)
    cache.delete(eligibility.LOCK_KEY)  # what expiry does once the dead run stops refreshing it
    assert (
        eligibility.eligibility_run(actor=system_actor(), as_of=CLAIMABLE_ON)[0].status
        == EligibilityRun.Status.FINISHED
    )


def test_the_keyworker_is_told_once_when_a_family_becomes_claimable_and_when_it_falls_back(
    cohort, keyworker
):
    claimable, *_ = cohort
    eligibility.eligibility_run(actor=system_actor(), as_of=BEFORE)[0]
    assert not Notification.objects.filter(family=claimable).exists()

    eligibility.eligibility_run(actor=system_actor(), as_of=CLAIMABLE_ON)[0]
    eligibility.eligibility_run(actor=system_actor(), as_of=CLAIMABLE_ON)[0]
    told = Notification.objects.get(family=claimable)
    assert told.user == keyworker
    assert told.kind == Notification.Kind.BECAME_CLAIMABLE
    assert claimable.reference in told.message
    assert told.url == f"/families/{claimable.reference}/"

    # A further domestic abuse call-out with a child present: no longer met.
    f.record(
        "domestic_abuse_callouts", family=claimable, callout_date="2016-10-20", child_present=True
    )
    eligibility.eligibility_run(actor=system_actor(), as_of=date(2016, 10, 31))
    fell_back = Notification.objects.get(family=claimable, kind=Notification.Kind.FELL_BACK)
    assert "no longer claimable" in fell_back.message


def test_a_family_claimable_for_employment_only_is_not_said_to_have_met_every_problem(
    keyworker,
):
    f.activate("oxfordshire-phase-2", "2015-01-01")
    family, adult, child = f.household("F-000401", keyworker=keyworker)
    f.attendance(child, 2014, [20, 20, 20, 20, 20, 20])  # still below 90%: not met
    f.record(
        "benefit_spells",
        person=adult,
        benefit="ESA",
        start_date="2014-01-06",
        end_date="2015-09-30",
        out_of_work=True,
    )
    f.record(
        "employment_spells",
        person=adult,
        start_date="2015-10-01",
        hours_per_week=30,
        monthly_earnings=1200,
    )
    eligibility.eligibility_run(actor=system_actor(), as_of=CLAIMABLE_ON)
    current = Evaluation.objects.get(family=family, is_current=True)
    assert current.claimable_employment and not current.claimable_results
    notice = Notification.objects.get(family=family, kind=Notification.Kind.BECAME_CLAIMABLE)
    assert "can now be claimed for continuous employment" in notice.message
    assert "results" not in notice.message and "every problem" not in notice.message


def test_a_batch_is_drafted_once_on_a_claim_date(cohort):
    claimable, *_ = cohort
    f.ClaimDateFactory(date=CLAIMABLE_ON, note="Autumn claim")
    eligibility.eligibility_run(actor=system_actor(), as_of=CLAIMABLE_ON)[0]
    eligibility.eligibility_run(actor=system_actor(), as_of=CLAIMABLE_ON)[0]
    batch = ClaimBatch.objects.get()
    assert claimable.pk in set(batch.claims.values_list("family_id", flat=True))
    assert ClaimDate.objects.get().drafted_at is not None


def test_the_celery_task_runs_the_whole_check(cohort):
    run_id = nightly_eligibility.delay(as_of=CLAIMABLE_ON.isoformat()).get()
    run = EligibilityRun.objects.get(pk=run_id)
    assert run.status == EligibilityRun.Status.FINISHED
    assert run.families_evaluated == 4


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("team_manager", 200),
        ("programme_manager", 200),
        ("data_officer", 200),
        ("administrator", 200),
        ("keyworker", 403),
        ("auditor", 403),
    ],
)
def test_managers_see_the_runs(request, client_for, cohort, role, status):
    eligibility.eligibility_run(actor=system_actor(), as_of=CLAIMABLE_ON)[0]
    response = client_for(request.getfixturevalue(role)).get("/outcomes/eligibility-runs/")
    assert response.status_code == status
    if status == 200:
        assert "Finished" in response.content.decode()


def test_each_user_sees_only_their_own_notifications_and_can_mark_them_read(
    cohort, keyworker, other_keyworker, client_for
):
    eligibility.eligibility_run(actor=system_actor(), as_of=CLAIMABLE_ON)[0]
    mine = client_for(keyworker).get("/notifications/").content.decode()
    assert "can now be claimed for results" in mine
    theirs = client_for(other_keyworker).get("/notifications/").content.decode()
    assert "can now be claimed" not in theirs
    client_for(keyworker).post("/notifications/read/", {"all": "1"})
    assert not Notification.objects.filter(user=keyworker, read_at__isnull=True).exists()
