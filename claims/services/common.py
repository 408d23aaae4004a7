"""What the claims services share: locks, the batch's row lock, the workflow check, the batch
event log, saving with history, and telling the people who act next."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from core.validation import NOTE, Errors, check_text
from families.models import Family, Notification, User
from families.services import (
    Notice,
    notifications_send,
)

from .. import workflow
from ..models import (
    Claim,
    ClaimBatch,
    ClaimBatchEvent,
)
from ..selectors import preparer_ids

CHUNK_SIZE = 1000
# Advisory lock taken by every service that creates claims, so two drafts never race to the
# unique constraints (the constraints stay the last line of defence).
CLAIM_CREATE_LOCK = 0x0C1A1
PENNY = Decimal("0.01")
CLAIMABLE_FAMILY_STATUSES = (Family.Status.ATTACHED, Family.Status.CLOSED)


def today() -> date:
    return timezone.localdate()


def pounds(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def _lock_claim_creation() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CLAIM_CREATE_LOCK])


def _next_reference() -> str:
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT nextval('claims_batch_reference_seq')")
            reference = f"CB-{cursor.fetchone()[0]:04d}"
            if not ClaimBatch.objects.filter(reference=reference).exists():
                return reference


def _locked(batch: ClaimBatch) -> ClaimBatch:
    """The batch, re-read under a row lock: the second of two people acting at once waits here
    and then sees the first one's result."""
    return ClaimBatch.objects.select_for_update().get(pk=batch.pk)


def _check(batch: ClaimBatch, action: str, actor: User, to_status: str | None = None) -> None:
    workflow.check_action(
        action=action,
        status=batch.status,
        user=actor,
        preparer_ids=preparer_ids(batch),
        signer_id=batch.signed_off_by_id,
        to_status=to_status,
    )


def _event(
    batch: ClaimBatch,
    action: str,
    actor: User,
    *,
    note: str = "",
    claim: Claim | None = None,
    from_status: str = "",
    to_status: str = "",
) -> ClaimBatchEvent:
    return ClaimBatchEvent.objects.create(
        batch=batch,
        claim=claim,
        action=action,
        actor=actor,
        note=note,
        from_status=from_status,
        to_status=to_status,
    )


def _save(instance, actor: User, fields: list[str] | None = None) -> None:
    instance._history_user = actor
    instance.save(update_fields=fields)


def _move(
    batch: ClaimBatch, action: str, actor: User, to_status: str, note: str = "", fields=()
) -> ClaimBatch:
    from_status = batch.status
    batch.status = to_status
    _save(batch, actor, ["status", *fields])
    batch.last_event = _event(
        batch, action, actor, note=note, from_status=from_status, to_status=to_status
    )
    return batch


def _notify(
    batch: ClaimBatch, event: ClaimBatchEvent, *, roles=(), users=(), exclude=(), message: str
) -> None:
    """Tell the people who act next, in the app (once per event and person)."""
    from django.urls import reverse

    people = set(users)
    if roles:
        people |= set(User.objects.filter(role__in=roles, is_active=True))
    excluded = {pk for pk in exclude if pk is not None}
    url = reverse("claims:batch_detail", args=[batch.reference])
    notifications_send(
        actor=event.actor,
        notices=[
            Notice(
                user=person,
                kind=Notification.Kind.BATCH_ACTION,
                message=message,
                url=url,
                dedupe_key=f"claim-batch:{batch.pk}:event:{event.pk}",
            )
            for person in people
            if person.pk not in excluded
        ],
    )


def _check_note(note: str | None, field: str = "note", label: str = "The note") -> None:
    """What a user writes with an action is at most a long paragraph (NOTE characters)."""
    errors = Errors()
    check_text(errors, field, note, label, NOTE)
    errors.raise_if_any()


def _require_note(note: str, message: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": message})
    return note


def _active_claims(batch: ClaimBatch):
    return batch.claims.exclude(status__in=Claim.RELEASED)
