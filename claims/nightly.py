"""The nightly eligibility check: every open family evaluated in chunks, once per night.

Single-flight: a run holds a lock (an atomic cache add in Redis) that every chunk refreshes,
so two runs at once leave one doing the work, and a run whose worker died frees the lock
once it stops making progress. Idempotent: evaluations are stored once per family, plan
version, date and evidence digest, so repeating a run or a chunk changes nothing. Late
acknowledgement (settings) means a chunk whose worker was killed is delivered again.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from families.models import Family, Notification
from outcomes.models import EligibilityRun

logger = logging.getLogger(__name__)

LOCK_KEY = "eligibility-run-lock"


def lock_ttl() -> int:
    """Seconds a run keeps the lock without progress before another run may take over."""
    return int(getattr(settings, "ELIGIBILITY_LOCK_TTL", 15 * 60))


def chunk_size() -> int:
    return int(getattr(settings, "ELIGIBILITY_CHUNK_SIZE", 500))


@dataclass(frozen=True)
class Chunk:
    first_id: int
    last_id: int


def open_family_chunks(size: int | None = None) -> list[Chunk]:
    """Id ranges covering every open family, `size` families each (one query)."""
    size = size or chunk_size()
    ids = list(
        Family.objects.exclude(status=Family.Status.CLOSED)
        .order_by("id")
        .values_list("id", flat=True)
    )
    return [Chunk(ids[i], ids[min(i + size, len(ids)) - 1]) for i in range(0, len(ids), size)]


def run_start(*, as_of: date, trigger: str = "schedule", actor=None) -> EligibilityRun | None:
    """Open a run if no other run holds the lock; None when one is already running."""
    if not cache.add(LOCK_KEY, "starting", timeout=lock_ttl()):
        logger.info("Eligibility run for %s skipped: another run holds the lock", as_of)
        return None
    from outcomes.services.evaluations import eligibility_run_start

    run = eligibility_run_start(as_of=as_of, trigger=trigger, actor=actor)
    cache.set(LOCK_KEY, str(run.pk), timeout=lock_ttl())
    return run


def _refresh_lock(run_id: int) -> None:
    # Keep the lock while the run makes progress; a dead run's lock expires by itself.
    if cache.get(LOCK_KEY) in (None, str(run_id)):
        cache.set(LOCK_KEY, str(run_id), timeout=lock_ttl())


def run_chunk(*, run_id: int, as_of: date, first_id: int, last_id: int) -> dict:
    """Evaluate the open families in one id range; safe to run twice."""
    from outcomes.services.evaluations import families_evaluate

    run = EligibilityRun.objects.get(pk=run_id)
    family_ids = list(
        Family.objects.exclude(status=Family.Status.CLOSED)
        .filter(id__gte=first_id, id__lte=last_id)
        .order_by("id")
        .values_list("id", flat=True)
    )
    result = families_evaluate(family_ids=family_ids, as_of=as_of, run=run)
    _refresh_lock(run_id)
    notify_claimable_changes(result.get("claimable_changed", []), as_of=as_of)
    return {
        "evaluated": int(result.get("evaluated", 0)),
        "changed": int(result.get("changed", 0)),
        "failed": int(result.get("failed", 0)),
    }


def run_finish(
    *, run_id: int, chunk_results: list[dict], started: float | None = None
) -> EligibilityRun:
    """Record the totals, release the lock, and draft a claim batch on a claim date."""
    from outcomes.services.evaluations import eligibility_run_finish

    summary = {
        key: sum(int(r.get(key, 0)) for r in chunk_results)
        for key in ("evaluated", "changed", "failed")
    }
    run = eligibility_run_finish(
        run=EligibilityRun.objects.get(pk=run_id), summary=summary, started=started
    )
    if cache.get(LOCK_KEY) == str(run_id):
        cache.delete(LOCK_KEY)
    draft_batch_on_claim_date(as_of=run.as_of)
    return run


def run_fail(*, run_id: int, error: str) -> None:
    EligibilityRun.objects.filter(pk=run_id).update(
        status=EligibilityRun.Status.FAILED, finished_at=timezone.now(), error=error[:2000]
    )
    if cache.get(LOCK_KEY) == str(run_id):
        cache.delete(LOCK_KEY)


def run_inline(*, as_of: date, trigger: str = "command", actor=None) -> EligibilityRun | None:
    """The whole run in this process (commands, tests, the embedded default)."""
    started = time.monotonic()
    run = run_start(as_of=as_of, trigger=trigger, actor=actor)
    if run is None:
        return None
    chunks = open_family_chunks()
    EligibilityRun.objects.filter(pk=run.pk).update(families_total=sum(_count(c) for c in chunks))
    try:
        results = [
            run_chunk(run_id=run.pk, as_of=as_of, first_id=c.first_id, last_id=c.last_id)
            for c in chunks
        ]
    except Exception as error:
        run_fail(run_id=run.pk, error=repr(error))
        raise
    return run_finish(run_id=run.pk, chunk_results=results, started=started)


def _count(chunk: Chunk) -> int:
    return (
        Family.objects.exclude(status=Family.Status.CLOSED)
        .filter(id__gte=chunk.first_id, id__lte=chunk.last_id)
        .count()
    )


def notify_claimable_changes(changes, *, as_of: date) -> int:
    """Tell each family's lead keyworker when it became claimable or fell back (once per change)."""
    created = 0
    pairs = [(int(c[0]), bool(c[1])) for c in changes]
    if not pairs:
        return 0
    families = Family.objects.select_related("lead_keyworker").in_bulk([fid for fid, _ in pairs])
    for family_id, claimable in pairs:
        family = families.get(family_id)
        if family is None or family.lead_keyworker is None:
            continue
        kind = Notification.Kind.BECAME_CLAIMABLE if claimable else Notification.Kind.FELL_BACK
        message = (
            f"{family} can now be claimed for results: every problem it was identified with is met."
            if claimable
            else f"{family} is no longer claimable for results: a problem it was identified with is no longer met."
        )
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    user=family.lead_keyworker,
                    family=family,
                    kind=kind,
                    message=message,
                    url=reverse("families:detail", args=[family.reference]),
                    dedupe_key=f"{kind}:{family.pk}:{as_of.isoformat()}",
                )
        except IntegrityError:
            continue  # already notified for this change
        created += 1
        if family.lead_keyworker.email and getattr(settings, "NOTIFY_BY_EMAIL", False):
            send_mail(
                subject="Family keywork: a family's claim status changed",
                # No personal details in email: the message names the family reference only.
                message=f"{kind.label}: family {family.reference}. Sign in to see why.",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[family.lead_keyworker.email],
                fail_silently=True,
            )
            Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return created


def draft_batch_on_claim_date(*, as_of: date) -> object | None:
    """On a council-configured claim date, draft a batch of claimable families for a manager."""
    try:
        from claims.models import ClaimDate
        from claims.services import claim_batch_draft
    except ImportError:
        return None
    claim_date = ClaimDate.objects.filter(date=as_of).first()
    if claim_date is None:
        return None
    # Drafting twice for one claim date would double-count: the marker makes it once only.
    updated = ClaimDate.objects.filter(pk=claim_date.pk, drafted_at__isnull=True).update(
        drafted_at=timezone.now()
    )
    if not updated:
        return None
    return claim_batch_draft(
        actor=None,
        as_of=as_of,
        note=f"Drafted by the nightly check for the claim date {as_of:%-d %B %Y}",
    )


def notification_mark_read(*, user, notification_ids) -> int:
    """Mark the user's own notifications as read."""
    return Notification.objects.filter(
        user=user, pk__in=notification_ids, read_at__isnull=True
    ).update(read_at=timezone.now())
