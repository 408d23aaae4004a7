"""Celery tasks for the nightly eligibility check. Thin: they take ids and dates and call
`outcomes.services.eligibility`.

nightly_eligibility (beat, every night) → a chord of evaluate_chunk, one per chunk of open
families → finish_run.
"""

from __future__ import annotations

from datetime import date

import pghistory
from celery import chord, shared_task
from django.utils import timezone

from families.services import system_actor

from .services import eligibility


@shared_task(name="outcomes.tasks.nightly_eligibility")
def nightly_eligibility(as_of: str | None = None, trigger: str = "schedule") -> int | None:
    """Start tonight's run (or skip if one is running) and fan out one task per chunk."""
    on = date.fromisoformat(as_of) if as_of else timezone.localdate()
    ids = eligibility.open_family_ids()
    actor = system_actor()
    with pghistory.context(user=actor.pk, task="nightly_eligibility"):
        run = eligibility.eligibility_run_start(
            actor=actor, as_of=on, trigger=trigger, total=len(ids)
        )
    if run is None:
        return None
    chunks = eligibility.chunks_of(ids)
    if not chunks:
        eligibility.eligibility_run_chunks_sent(run_id=run.pk)
        eligibility.eligibility_run_finish(run_id=run.pk, chunk_results=[])
        return run.pk
    chord(evaluate_chunk.s(run.pk, chunk) for chunk in chunks)(finish_run.s(run.pk))
    eligibility.eligibility_run_chunks_sent(run_id=run.pk)
    return run.pk


@shared_task(name="outcomes.tasks.evaluate_chunk", acks_late=True, reject_on_worker_lost=True)
def evaluate_chunk(run_id: int, family_ids: list[int]) -> dict:
    with pghistory.context(user=system_actor().pk, task="evaluate_chunk", run=run_id):
        return eligibility.eligibility_run_chunk(run_id=run_id, family_ids=family_ids)


@shared_task(name="outcomes.tasks.finish_run")
def finish_run(chunk_results: list[dict], run_id: int) -> int:
    # The finishing steps (drafting a claim date's batch) are recorded as the system's.
    with pghistory.context(user=system_actor().pk, task="finish_run", run=run_id):
        eligibility.eligibility_run_finish(run_id=run_id, chunk_results=chunk_results)
    return run_id
