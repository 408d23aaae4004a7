"""Exactly once: a claim date's batch and its marker are written together, so a failure while
drafting leaves the date to draft again and no half-made batch; a nightly run that recorded
its start but died before sending its chunks does not hold the lock: the next attempt takes
over."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from claims.models import Claim, ClaimBatch, ClaimDate
from claims.services import drafting
from families.services import system_actor
from outcomes.models import EligibilityRun
from outcomes.services import eligibility
from outcomes.tasks import nightly_eligibility
from tests import factories as f

pytestmark = pytest.mark.django_db

CLAIM_DATE = date(2016, 9, 30)  # the worked Oxfordshire family is claimable by then


@pytest.fixture(autouse=True)
def no_lock_left_over():
    cache.delete(eligibility.LOCK_KEY)
    yield
    cache.delete(eligibility.LOCK_KEY)


@pytest.fixture
def claimable(keyworker):
    f.activate("oxfordshire-phase-2", "2015-01-01")
    return f.oxfordshire_family("F-000123", keyworker=keyworker)


def test_a_failure_while_drafting_leaves_the_claim_date_to_draft_and_no_half_made_batch(
    claimable, monkeypatch
):
    f.ClaimDateFactory(date=CLAIM_DATE, note="Autumn claim")

    def fail(*args, **kwargs):  # after the batch and its claims are written, before its log
        assert Claim.objects.exists()
        raise RuntimeError("the database went away")

    monkeypatch.setattr(drafting, "_event", fail)
    with pytest.raises(RuntimeError):
        eligibility.eligibility_run(actor=system_actor(), as_of=CLAIM_DATE)
    assert ClaimDate.objects.get().drafted_at is None
    assert not ClaimBatch.objects.exists()
    assert not Claim.objects.exists()

    monkeypatch.undo()
    eligibility.eligibility_run(actor=system_actor(), as_of=CLAIM_DATE)
    eligibility.eligibility_run(actor=system_actor(), as_of=CLAIM_DATE)
    batch = ClaimBatch.objects.get()
    assert set(batch.claims.values_list("family_id", flat=True)) == {claimable.pk}
    assert ClaimDate.objects.get().drafted_at is not None


def started(minutes_ago: int, *, chunks_sent: bool = False) -> EligibilityRun:
    run = eligibility.eligibility_run_start(actor=system_actor(), as_of=CLAIM_DATE)
    EligibilityRun.objects.filter(pk=run.pk).update(
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
        chunks_sent_at=timezone.now() if chunks_sent else None,
    )
    return run


def test_a_run_that_died_before_sending_its_chunks_is_taken_over_by_the_next(claimable, settings):
    settings.ELIGIBILITY_START_GRACE = 5 * 60
    dead = started(minutes_ago=6)
    run_id = nightly_eligibility(as_of=CLAIM_DATE.isoformat())
    assert run_id is not None and run_id != dead.pk
    run = EligibilityRun.objects.get(pk=run_id)
    assert (run.status, run.families_evaluated) == (EligibilityRun.Status.FINISHED, 1)
    dead.refresh_from_db()
    assert dead.status == EligibilityRun.Status.FAILED
    assert f"run {run_id} took over" in dead.error
    assert cache.get(eligibility.LOCK_KEY) is None


def test_a_run_still_starting_or_whose_chunks_are_out_keeps_the_lock(claimable, settings):
    settings.ELIGIBILITY_START_GRACE = 5 * 60
    starting = started(minutes_ago=4)
    assert nightly_eligibility(as_of=CLAIM_DATE.isoformat()) is None

    EligibilityRun.objects.filter(pk=starting.pk).update(
        started_at=timezone.now() - timedelta(minutes=30), chunks_sent_at=timezone.now()
    )
    assert nightly_eligibility(as_of=CLAIM_DATE.isoformat()) is None
    starting.refresh_from_db()
    assert starting.status == EligibilityRun.Status.RUNNING
    assert EligibilityRun.objects.count() == 1
