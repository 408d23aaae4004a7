"""Celery tasks for the nightly eligibility check. Thin: they take ids and dates and call
`outcomes.services.eligibility`.

nightly_eligibility (beat, every night) → a chord of evaluate_chunk, one per chunk of open
families → finish_run.
"""

from __future__ import annotations

from datetime import date

from celery import chord, shared_task
from django.utils import timezone

from families.services import system_actor

from .services import eligibility


@shared_task(name="outcomes.tasks.nightly_eligibility")
def nightly_eligibility(as_of: str | None = None, trigger: str = "schedule") -> int | None:
    """Start tonight's run (or skip if one is running) and fan out one task per chunk."""
    on = date.fromisoformat(as_of) if as_of else timezone.localdate()
    ids = eligibility.open_family_ids()
    run = eligibility.eligibility_run_start(
        actor=system_actor(), as_of=on, trigger=trigger, total=len(ids)
    )
    if run is None:
        return None
    chunks = eligibility.chunks_of(ids)
    if not chunks:
        eligibility.eligibility_run_finish(run_id=run.pk, chunk_results=[])
        return run.pk
    chord(evaluate_chunk.s(run.pk, chunk) for chunk in chunks)(finish_run.s(run.pk))
    return run.pk


@shared_task(name="outcomes.tasks.evaluate_chunk", acks_late=True, reject_on_worker_lost=True)
def evaluate_chunk(run_id: int, family_ids: list[int]) -> dict:
    return eligibility.eligibility_run_chunk(run_id=run_id, family_ids=family_ids)


@shared_task(name="outcomes.tasks.finish_run")
def finish_run(chunk_results: list[dict], run_id: int) -> int:
    eligibility.eligibility_run_finish(run_id=run_id, chunk_results=chunk_results)
    return run_id
