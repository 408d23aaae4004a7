"""After audit: approval, submission to government, and reconciling the payment."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from core.validation import NOTE, Errors, check_date, check_text
from families.models import Family, FamilyEvent, FamilyWorker, Notification, User
from families.services import (
    NewEvent,
    Notice,
    family_close,
    family_events_record,
    notifications_send,
)

from ..models import (
    OUTCOME_CLAIM_TYPES,
    Claim,
    ClaimBatch,
)
from ..workflow import Status
from .common import CHUNK_SIZE, PENNY, _check, _check_note, _locked, _move, pounds


@transaction.atomic
def claim_batch_approve(*, actor: User, batch: ClaimBatch, note: str = "") -> ClaimBatch:
    """A programme manager who neither prepared nor signed off the batch approves it for submission."""
    _check_note(note)
    batch = _locked(batch)
    _check(batch, "approve", actor, Status.APPROVED)
    batch.approved_by = actor
    batch.approved_at = timezone.now()
    return _move(
        batch, "approve", actor, Status.APPROVED, note.strip(), ["approved_by", "approved_at"]
    )


@transaction.atomic
def claim_batch_submit_to_government(
    *, actor: User, batch: ClaimBatch, note: str = ""
) -> ClaimBatch:
    """Record that the approved return went to government."""
    _check_note(note)
    batch = _locked(batch)
    _check(batch, "submit_to_government", actor, Status.SUBMITTED)
    batch.submitted_at = timezone.now()
    return _move(
        batch, "submit_to_government", actor, Status.SUBMITTED, note.strip(), ["submitted_at"]
    )


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).replace("£", "").replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {field: "Enter the amount in pounds and pence, like 80000.00"}
        ) from None
    if (
        not amount.is_finite()
        or amount < 0
        or amount != amount.quantize(PENNY, rounding=ROUND_HALF_UP)
    ):
        raise ValidationError({field: "Enter the amount in pounds and pence, like 80000.00"})
    return amount.quantize(PENNY)


def _tell_keyworkers_of_closures(
    *, actor: User, batch: ClaimBatch, closed: list[tuple[Family, Claim]]
) -> None:
    """Tell each family's lead keyworker and named workers that its case closed with the payment."""
    if not closed:
        return
    from django.urls import reverse

    ids = [family.pk for family, _ in closed]
    workers: dict[int, set[int]] = {}
    for family_id, user_id in FamilyWorker.objects.filter(family_id__in=ids).values_list(
        "family_id", "user_id"
    ):
        workers.setdefault(family_id, set()).add(user_id)
    for family, _ in closed:
        if family.lead_keyworker_id:
            workers.setdefault(family.pk, set()).add(family.lead_keyworker_id)
    people = User.objects.in_bulk({pk for pks in workers.values() for pk in pks})
    notices = []
    for family, claim in closed:
        message = (
            f"The {family.name} family ({family.reference}) was paid for "
            f"{claim.get_claim_type_display().lower()} in claim batch {batch.reference}: "
            "their case is now closed, outcomes achieved."
        )
        for user_id in sorted(workers.get(family.pk, ())):
            person = people.get(user_id)
            if person is None or not person.is_active:
                continue
            notices.append(
                Notice(
                    user=person,
                    kind=Notification.Kind.OTHER,
                    message=message,
                    url=reverse("families:detail", args=[family.reference]),
                    family_id=family.pk,
                    dedupe_key=f"family:{family.pk}:closed-on-payment:{batch.pk}",
                    # Email carries no personal details: the reference only.
                    email_subject=f"Case {family.reference} closed after a results payment",
                    email_body=(
                        f"Family {family.reference} was paid for in claim batch {batch.reference} "
                        "and its case is now closed. Sign in to see the family's record."
                    ),
                )
            )
    notifications_send(actor=actor, notices=notices)


@transaction.atomic
def claim_batch_record_payment(
    *,
    actor: User,
    batch: ClaimBatch,
    amount_received: Decimal | str,
    paid_on: date,
    rejections: Mapping[int, str] | None = None,
    note: str = "",
) -> ClaimBatch:
    """Reconcile the government's payment: the amount must equal the claims it accepted; claims
    it rejected are named with reasons. Families paid a results or employment claim leave the
    programme (closed: outcomes achieved), and their keyworkers are told."""
    batch = _locked(batch)
    rejections = {int(k): (v or "").strip() for k, v in (rejections or {}).items()}
    to_status = Status.PARTLY_REJECTED if rejections else Status.PAID
    _check(batch, "record_payment", actor, to_status)
    # Every problem with what was entered, together.
    errors = Errors()
    try:
        amount = _money(amount_received, "amount_received")
    except ValidationError as error:
        errors.add("amount_received", error.message_dict["amount_received"][0])
        amount = None
    if paid_on is None:
        errors.add("paid_on", "Enter the date the payment was received")
    else:
        check_date(errors, "paid_on", paid_on, "The payment date")
    check_text(errors, "note", note, "The note", NOTE)
    claims = list(batch.claims.filter(status=Claim.Status.VERIFIED).select_related("family"))
    by_id = {c.pk: c for c in claims}
    unknown = [i for i in rejections if i not in by_id]
    if unknown:
        errors.add(
            "rejections", "Government can only reject claims that were submitted in this batch"
        )
    if any(not reason for reason in rejections.values()):
        errors.add("rejections", "Enter the reason government gave for each rejected claim")
    if any(len(reason) > NOTE for reason in rejections.values()):
        errors.add(
            "rejections", f"Each reason government gave must be {NOTE:,} characters or fewer"
        )
    expected = sum((c.amount for c in claims if c.pk not in rejections), Decimal("0.00"))
    if amount is not None and not unknown and amount != expected:
        errors.add(
            "amount_received",
            f"The amount received ({pounds(amount)}) does not match the {pounds(expected)} "
            "due for the claims government accepted. Check the remittance, or record which claims government rejected.",
        )
    errors.raise_if_any()
    now = timezone.now()
    events = []
    for claim in claims:
        if claim.pk in rejections:
            claim.status = Claim.Status.GOVERNMENT_REJECTED
            claim.rejection_reason = rejections[claim.pk]
            claim.rejected_at = now
            summary = f"{claim.get_claim_type_display()} claim rejected by government: {claim.rejection_reason}"
        else:
            claim.status = Claim.Status.PAID
            summary = f"{claim.get_claim_type_display()} claim paid ({pounds(claim.amount)}) in batch {batch.reference}"
        events.append(
            NewEvent(
                family_id=claim.family_id,
                kind=FamilyEvent.Kind.CLAIM,
                occurred_on=paid_on,
                summary=summary,
            )
        )
    bulk_update_with_history(
        claims,
        Claim,
        ["status", "rejection_reason", "rejected_at"],
        batch_size=CHUNK_SIZE,
        default_user=actor,
    )
    family_events_record(actor=actor, events=events)
    # A family is claimed for results once; after a successful claim it leaves the programme.
    closed: list[tuple[Family, Claim]] = []
    for claim in claims:
        if claim.status == Claim.Status.PAID and claim.claim_type in OUTCOME_CLAIM_TYPES:
            if claim.family.status != Family.Status.CLOSED:
                family = family_close(
                    actor=actor,
                    family=claim.family,
                    closed_on=max(paid_on, claim.family.attached_on),
                    reason=Family.ClosureReason.OUTCOMES_ACHIEVED,
                )
                closed.append((family, claim))
    _tell_keyworkers_of_closures(actor=actor, batch=batch, closed=closed)
    batch.amount_received = amount
    batch.paid_on = paid_on
    summary = f"{pounds(amount)} received on {paid_on:%-d %B %Y}"
    if rejections:
        summary += (
            f"; {len(rejections)} claim{'s' if len(rejections) != 1 else ''} rejected by government"
        )
    if note.strip():
        summary += f". {note.strip()}"
    return _move(batch, "record_payment", actor, to_status, summary, ["amount_received", "paid_on"])
