"""The nightly eligibility check on a real Celery worker, with Redis and PostgreSQL.

These start `celery worker` processes against the test database. They need Redis
(`REDIS_URL`); CI provides it. Without it they are skipped, and the run says so.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from claims.models import ClaimDate
from claims.tariffs import ensure_national_tariffs
from config.celery_app import app
from families.models import Family
from families.reference_data import ensure_problems
from families.services import system_actor
from outcomes.models import EligibilityRun, Evaluation

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "")
AS_OF = dt.date(2016, 9, 30)

pytestmark = [
    pytest.mark.celery_worker,
    # Committed data the worker processes can read; the problems reference data is restored after.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
    # This process keeps eager settings; the results it reads come from the real workers.
    pytest.mark.filterwarnings("ignore:Results are not stored in backend:RuntimeWarning"),
    pytest.mark.skipif(
        not REDIS_URL, reason="needs Redis: set REDIS_URL (CI runs these with a real worker)"
    ),
]


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """A `celery worker` process on the test database; killed at the end of the test."""

    def __init__(self, *, pool: str = "prefork", concurrency: int = 2, chunk_size: int = 50):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url(),
            "REDIS_URL": REDIS_URL,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "ELIGIBILITY_CHUNK_SIZE": str(chunk_size),
            # A chunk whose worker was killed comes back quickly in the test.
            "CELERY_VISIBILITY_TIMEOUT": "4",
        }
        handle, name = tempfile.mkstemp(prefix="celery-worker-", suffix=".log")
        os.close(handle)
        self.log = Path(name)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                pool,
                "--concurrency",
                str(concurrency),
                "--loglevel",
                "INFO",
                "-n",
                f"test-{uuid.uuid4().hex[:8]}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def workers():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # no messages or locks left from earlier runs
    started: list[Worker] = []

    def start(**kwargs) -> Worker:
        worker = Worker(**kwargs)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def wait_for(condition, *, timeout: float, what: str, logs=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    tails = "\n".join(w.log.read_text()[-3000:] for w in logs)
    raise AssertionError(f"Timed out after {timeout}s waiting for {what}\n{tails}")


def families_evaluated_on(as_of) -> int:
    return Evaluation.objects.filter(as_of=as_of).values("family").distinct().count()


def open_families_evaluated_on(as_of) -> int:
    return (
        Evaluation.objects.filter(as_of=as_of)
        .exclude(family__status=Family.Status.CLOSED)
        .values("family")
        .distinct()
        .count()
    )


def finished_runs() -> int:
    return EligibilityRun.objects.filter(status=EligibilityRun.Status.FINISHED).count()


@pytest.fixture
def cohort():
    """Synthetic families with evidence, and the Oxfordshire plan in force."""
    # Reference data the migrations seed; an earlier transactional test's flush removes it.
    ensure_problems()
    ensure_national_tariffs()
    call_command(
        "generate_synthetic", families=240, seed=7, force=True, stdout=open(os.devnull, "w")
    )
    call_command(
        "activate_plan",
        "oxfordshire-phase-2",
        effective_from="2015-01-01",
        stdout=open(os.devnull, "w"),
    )
    # The generator also runs the check on its own dates, as a council would see on day one;
    # these tests start from a council whose nightly check has never run.
    Evaluation.objects.all().delete()
    EligibilityRun.objects.all().delete()
    ClaimDate.objects.update_or_create(date=AS_OF, defaults={"drafted_at": None})  # a claim date
    assert not EligibilityRun.objects.exists()
    return Family.objects.exclude(status=Family.Status.CLOSED).count()


def test_nightly_run_evaluates_every_open_family_and_a_second_run_changes_nothing(cohort, workers):
    from claims.models import ClaimBatch

    worker = workers(concurrency=2, chunk_size=40)
    app.send_task("outcomes.tasks.nightly_eligibility", kwargs={"as_of": AS_OF.isoformat()})
    wait_for(lambda: finished_runs() == 1, timeout=120, what="the first run", logs=[worker])
    # The run's date is a claim date: its finishing step drafts the date's batch, evaluating the
    # claimable closed families as of the claim date too.
    wait_for(lambda: ClaimBatch.objects.exists(), timeout=120, what="the batch", logs=[worker])

    first = EligibilityRun.objects.get()
    assert first.families_evaluated == cohort
    assert open_families_evaluated_on(AS_OF) == cohort
    stored = Evaluation.objects.filter(as_of=AS_OF).count()

    app.send_task("outcomes.tasks.nightly_eligibility", kwargs={"as_of": AS_OF.isoformat()})
    wait_for(lambda: finished_runs() == 2, timeout=120, what="the second run", logs=[worker])
    second = EligibilityRun.objects.order_by("-started_at").first()
    assert second.families_evaluated == cohort
    assert second.changes == 0
    assert Evaluation.objects.filter(as_of=AS_OF).count() == stored  # nothing stored twice
    assert ClaimBatch.objects.count() == 1  # the claim date drafts once


def test_a_run_started_while_another_holds_the_lock_does_nothing(cohort, workers):
    from outcomes.services import eligibility

    worker = workers(concurrency=1)
    holding = eligibility.eligibility_run_start(
        actor=system_actor(), as_of=AS_OF, trigger="command"
    )  # another run is in progress
    assert holding is not None
    result = app.send_task(
        "outcomes.tasks.nightly_eligibility", kwargs={"as_of": AS_OF.isoformat()}
    )
    assert result.get(timeout=60) is None, worker.log.read_text()[-2000:]
    assert EligibilityRun.objects.count() == 1
    assert not Evaluation.objects.filter(as_of=AS_OF).exists()


def test_a_worker_killed_mid_run_leaves_a_run_that_completes_without_duplicates(cohort, workers):
    first = workers(pool="solo", concurrency=1, chunk_size=10)
    app.send_task("outcomes.tasks.nightly_eligibility", kwargs={"as_of": AS_OF.isoformat()})
    wait_for(
        lambda: Evaluation.objects.filter(as_of=AS_OF).exists(),
        timeout=60,
        what="the first evaluations",
        logs=[first],
    )
    first.kill()
    evaluated_before = Evaluation.objects.filter(as_of=AS_OF).count()
    assert evaluated_before < cohort, "the run finished before the worker could be killed"

    second = workers(pool="solo", concurrency=1, chunk_size=10)
    wait_for(
        lambda: finished_runs() == 1, timeout=180, what="the run to complete", logs=[first, second]
    )
    # Each open family once (the claim date's drafting evaluates closed candidates as well).
    open_rows = Evaluation.objects.filter(as_of=AS_OF).exclude(family__status=Family.Status.CLOSED)
    assert open_rows.count() == cohort
    assert open_families_evaluated_on(AS_OF) == cohort
    assert EligibilityRun.objects.get().families_evaluated == cohort
