"""Celery tasks for the nightly eligibility check. Thin: they take ids and dates and call services.

nightly_eligibility (beat, every night) → a chord of evaluate_chunk over id ranges → finish_run.
"""

from __future__ import annotations

from datetime import date

from celery import chord, shared_task
from django.utils import timezone

from . import nightly


@shared_task(name="claims.tasks.nightly_eligibility")
def nightly_eligibility(as_of: str | None = None, trigger: str = "schedule") -> int | None:
    """Start tonight's run (or skip if one is running) and fan out one task per chunk."""
    on = date.fromisoformat(as_of) if as_of else timezone.localdate()
    run = nightly.run_start(as_of=on, trigger=trigger)
    if run is None:
        return None
    chunks = nightly.open_family_chunks()
    if not chunks:
        nightly.run_finish(run_id=run.pk, chunk_results=[])
        return run.pk
    header = [evaluate_chunk.s(run.pk, on.isoformat(), c.first_id, c.last_id) for c in chunks]
    chord(header)(finish_run.s(run.pk))
    return run.pk


@shared_task(name="claims.tasks.evaluate_chunk", acks_late=True, reject_on_worker_lost=True)
def evaluate_chunk(run_id: int, as_of: str, first_id: int, last_id: int) -> dict:
    return nightly.run_chunk(
        run_id=run_id, as_of=date.fromisoformat(as_of), first_id=first_id, last_id=last_id
    )


@shared_task(name="claims.tasks.finish_run")
def finish_run(chunk_results: list[dict], run_id: int) -> int:
    nightly.run_finish(run_id=run_id, chunk_results=chunk_results)
    return run_id
