"""The eligibility check: open families evaluated against the plan in force, in chunks.

One path serves the nightly Celery run (`outcomes.tasks`), the `run_eligibility` command and the
embedded default (tasks in-process):

1. `eligibility_run_start` takes the single-flight lock (an atomic cache add in Redis, which
   every chunk refreshes, so two runs at once leave one doing the work and a run whose worker
   died frees the lock once it stops making progress) and records the run against the plan in
   force on its date.
2. `eligibility_run_chunk` evaluates and stores one chunk of families and tells the keyworkers
   of those that became claimable or fell back, in one transaction (email after commit).
   Evaluations are stored once per family, plan version, date and evidence digest and
   notifications once per change, so a chunk delivered twice (late acknowledgement) changes
   nothing twice.
3. `eligibility_run_finish` records the totals and releases the lock; then the steps other
   apps plug in run, each in its own transaction: the functions named in
   `settings.ELIGIBILITY_RUN_FINISHED` (config wires claims' drafting on a claim date there, so
   this app never imports claims).

A run for named families (`run_eligibility --family`) takes the same path without the lock,
and the finishing steps do not run for it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import pghistory
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from families.models import Family, Notification, User
from families.services import Notice, notifications_send
from outcomes.models import EligibilityRun, Evaluation

from .evaluations import families_evaluate, plan_for

logger = logging.getLogger(__name__)

LOCK_KEY = "eligibility-run-lock"


def lock_ttl() -> int:
    """Seconds a run keeps the lock without progress before another run may take over."""
    return int(getattr(settings, "ELIGIBILITY_LOCK_TTL", 15 * 60))


def chunk_size() -> int:
    return int(getattr(settings, "ELIGIBILITY_CHUNK_SIZE", 500))


def open_family_ids() -> list[int]:
    """Every open family, by id (one query)."""
    return list(
        Family.objects.exclude(status=Family.Status.CLOSED)
        .order_by("id")
        .values_list("id", flat=True)
    )


def chunks_of(family_ids: Iterable[int], size: int | None = None) -> list[list[int]]:
    ids = sorted(set(family_ids))
    size = size or chunk_size()
    return [ids[i : i + size] for i in range(0, len(ids), size)]


# --- the run --------------------------------------------------------------------------------------


def eligibility_run_start(
    *,
    actor: User,
    as_of: date,
    trigger: str = "schedule",
    total: int = 0,
    single_flight: bool = True,
) -> EligibilityRun | None:
    """Record that a run started, against the plan in force on its date; None when another run
    holds the lock (a whole run is single-flight)."""
    plan_version = plan_for(as_of, None)  # no plan in force: say so before taking the lock
    if single_flight and not cache.add(LOCK_KEY, "starting", timeout=lock_ttl()):
        if not _take_over_dead_start():
            logger.info("Eligibility run for %s skipped: another run holds the lock", as_of)
            return None
    run = EligibilityRun.objects.create(
        as_of=as_of,
        trigger=trigger,
        triggered_by=actor,
        plan_version=plan_version,
        families_total=total,
    )
    if single_flight:
        cache.set(LOCK_KEY, str(run.pk), timeout=lock_ttl())
        _fail_dead_starts(taken_over_by=run)
    return run


def start_grace() -> int:
    """Seconds a run may take between recording its start and sending its chunks."""
    return int(getattr(settings, "ELIGIBILITY_START_GRACE", 5 * 60))


def _dead_starts():
    # Runs that recorded their start long enough ago but never sent their chunks: the worker
    # died in between, so no chunk will ever refresh or release their lock.
    return EligibilityRun.objects.filter(
        status=EligibilityRun.Status.RUNNING,
        chunks_sent_at__isnull=True,
        started_at__lt=timezone.now() - timedelta(seconds=start_grace()),
    )


def _take_over_dead_start() -> bool:
    """Whether the lock is held by a run that died before sending its chunks (or by one that
    ended without releasing it); if so, the lock passes to the caller."""
    holder = cache.get(LOCK_KEY)
    if holder is None or not str(holder).isdigit():
        return False  # a start in progress, or the lock has just gone: leave it to expiry
    run = EligibilityRun.objects.filter(pk=int(holder)).first()
    dead = (
        run is None
        or run.status != EligibilityRun.Status.RUNNING
        or _dead_starts().filter(pk=run.pk).exists()
    )
    if not dead:
        return False
    logger.warning("Eligibility run %s never sent its chunks: the next run takes over", holder)
    cache.set(LOCK_KEY, "starting", timeout=lock_ttl())
    return True


def _fail_dead_starts(*, taken_over_by: EligibilityRun) -> None:
    _dead_starts().exclude(pk=taken_over_by.pk).update(
        status=EligibilityRun.Status.FAILED,
        finished_at=timezone.now(),
        error=f"Stopped before its chunks were sent; run {taken_over_by.pk} took over.",
    )


def eligibility_run_chunks_sent(*, run_id: int) -> None:
    """Record that the run's chunks are with the workers (from then on the chunks keep the
    lock, and a run whose chunks stop arriving frees it by expiry)."""
    EligibilityRun.objects.filter(pk=run_id, chunks_sent_at__isnull=True).update(
        chunks_sent_at=timezone.now()
    )


def _refresh_lock(run_id: int) -> None:
    # Keep the lock while the run makes progress; a dead run's lock expires by itself.
    if cache.get(LOCK_KEY) in (None, str(run_id)):
        cache.set(LOCK_KEY, str(run_id), timeout=lock_ttl())


def _release_lock(run_id: int) -> None:
    if cache.get(LOCK_KEY) == str(run_id):
        cache.delete(LOCK_KEY)


@transaction.atomic
def eligibility_run_chunk(
    *, run_id: int, family_ids: list[int], include_results: bool = False
) -> dict[str, Any]:
    """Evaluate and store one chunk of families, and tell keyworkers what changed; safe to
    run twice. Returns the chunk's counts (and, if asked, each family's result)."""
    run = EligibilityRun.objects.select_related("plan_version", "triggered_by").get(pk=run_id)
    actor = run.triggered_by
    summary = families_evaluate(
        actor=actor,
        family_ids=family_ids,
        as_of=run.as_of,
        run=run,
        include_results=include_results,
    )
    eligibility_notify_changes(actor=actor, changes=summary["claimable_changed"], as_of=run.as_of)
    _refresh_lock(run_id)
    out: dict[str, Any] = {
        key: summary[key]
        for key in ("evaluated", "changed", "failed", "failures", "changed_ids", "plan")
    }
    out["became_claimable"] = len(summary["became_claimable"])
    out["no_longer_claimable"] = len(summary["no_longer_claimable"])
    out["failures"] = {str(k): v for k, v in summary["failures"].items()}
    if include_results:
        out["results"] = summary["results"]
    return out


COUNTS = ("evaluated", "changed", "failed", "became_claimable", "no_longer_claimable")


def eligibility_run_finish(
    *,
    run_id: int,
    chunk_results: list[dict[str, Any]],
    started: float | None = None,
    finishing_steps: bool = True,
) -> EligibilityRun:
    """Record the totals and release the lock; then run the steps other apps plug in."""
    with transaction.atomic():
        run = EligibilityRun.objects.select_for_update().get(pk=run_id)
        run.families_evaluated = sum(int(r.get("evaluated", 0)) for r in chunk_results)
        run.changes = sum(int(r.get("changed", 0)) for r in chunk_results)
        run.failures = sum(int(r.get("failed", 0)) for r in chunk_results)
        run.finished_at = timezone.now()
        run.duration_seconds = (
            (time.monotonic() - started)
            if started is not None
            else (run.finished_at - run.started_at).total_seconds()
        )
        run.status = EligibilityRun.Status.FINISHED
        run.save()
    _release_lock(run_id)
    if finishing_steps:
        for path in getattr(settings, "ELIGIBILITY_RUN_FINISHED", ()):
            import_string(path)(run=run)
    return run


def eligibility_run_fail(*, run_id: int, error: str) -> None:
    """Record that a run stopped with an error, and release the lock."""
    EligibilityRun.objects.filter(pk=run_id).update(
        status=EligibilityRun.Status.FAILED, finished_at=timezone.now(), error=error[:5000]
    )
    _release_lock(run_id)


def eligibility_run(
    *,
    actor: User,
    as_of: date,
    trigger: str = "command",
    family_ids: Iterable[int] | None = None,
    include_results: bool = False,
) -> tuple[EligibilityRun | None, dict[str, Any]]:
    """A whole run in this process (the command, tests, the embedded default): every open family,
    or the families named. Returns the run (None when another run holds the lock) and the
    totals: the counts, ``failures`` and ``changed_ids`` (and ``results`` if asked)."""
    with pghistory.context(user=actor.pk, task="eligibility_run"):
        return _eligibility_run(
            actor=actor,
            as_of=as_of,
            trigger=trigger,
            family_ids=family_ids,
            include_results=include_results,
        )


def _eligibility_run(
    *,
    actor: User,
    as_of: date,
    trigger: str,
    family_ids: Iterable[int] | None,
    include_results: bool,
) -> tuple[EligibilityRun | None, dict[str, Any]]:
    started = time.monotonic()
    whole = family_ids is None
    ids = open_family_ids() if whole else sorted(set(family_ids))
    run = eligibility_run_start(
        actor=actor, as_of=as_of, trigger=trigger, total=len(ids), single_flight=whole
    )
    totals: dict[str, Any] = {key: 0 for key in COUNTS}
    totals.update(failures={}, changed_ids=[], plan=None)
    if include_results:
        totals["results"] = {}
    if run is None:
        return None, totals
    chunk_results = []
    eligibility_run_chunks_sent(run_id=run.pk)
    try:
        for chunk in chunks_of(ids):
            result = eligibility_run_chunk(
                run_id=run.pk, family_ids=chunk, include_results=include_results
            )
            chunk_results.append(result)
            for key in COUNTS:
                totals[key] += int(result.get(key, 0))
            totals["failures"].update(result["failures"])
            totals["changed_ids"].extend(result["changed_ids"])
            totals["plan"] = result["plan"]
            if include_results:
                totals["results"].update(result["results"])
    except Exception as error:
        eligibility_run_fail(run_id=run.pk, error=repr(error))
        raise
    run = eligibility_run_finish(
        run_id=run.pk, chunk_results=chunk_results, started=started, finishing_steps=whole
    )
    return run, totals


# --- telling keyworkers ---------------------------------------------------------------------------


def _claim_words(evaluation: Evaluation | None) -> str:
    """What a claimable family can be claimed for, as its current evaluation says."""
    if evaluation is None or evaluation.claimable_results:
        return "results: every problem it was identified with is met"
    return "continuous employment: an adult has moved off benefits into continuous work"


def eligibility_notify_changes(*, actor: User, changes, as_of: date) -> int:
    """Tell each family's lead keyworker when it became claimable or fell back (once per change)."""
    pairs = [(int(c[0]), bool(c[1])) for c in changes]
    if not pairs:
        return 0
    families = Family.objects.select_related("lead_keyworker").in_bulk([fid for fid, _ in pairs])
    # Which claim each newly claimable family supports: a family in work off benefits can be
    # claimed for continuous employment while its problems are not all met (one query).
    evaluations = {
        e.family_id: e
        for e in Evaluation.objects.filter(
            family_id__in=[fid for fid, claimable in pairs if claimable], is_current=True
        ).only("family_id", "claimable_results", "claimable_employment")
    }
    notices = []
    for family_id, claimable in pairs:
        family = families.get(family_id)
        if family is None or family.lead_keyworker is None:
            continue
        kind = Notification.Kind.BECAME_CLAIMABLE if claimable else Notification.Kind.FELL_BACK
        message = (
            f"{family} can now be claimed for {_claim_words(evaluations.get(family_id))}."
            if claimable
            else f"{family} is no longer claimable: a measure its claim needed is no longer met."
        )
        notices.append(
            Notice(
                user=family.lead_keyworker,
                family_id=family.pk,
                kind=kind,
                message=message,
                url=reverse("families:detail", args=[family.reference]),
                dedupe_key=f"{kind}:{family.pk}:{as_of.isoformat()}",
                email_subject="Family keywork: a family's claim status changed",
                # No personal details in email: the message names the family reference only.
                email_body=f"{Notification.Kind(kind).label}: family {family.reference}. Sign in to see why.",
            )
        )
    return notifications_send(actor=actor, notices=notices)
