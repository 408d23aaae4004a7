"""The audit: submitting a batch, drawing a reproducible sample, verifying or rejecting claims,
signing off, and returning a batch to draft."""

from __future__ import annotations

import math
import random
import secrets
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from claims.errors import SeparationOfDutiesError
from core.errors import InvalidTransition
from families.models import FamilyEvent, User
from families.services import (
    family_event_record,
)

from ..models import (
    Claim,
    ClaimBatch,
)
from ..selectors import preparer_ids, worked_with
from ..workflow import Status
from .common import (
    CHUNK_SIZE,
    PENNY,
    _active_claims,
    _check,
    _check_note,
    _event,
    _locked,
    _move,
    _notify,
    _require_note,
    _save,
    today,
)
from .snapshots import _take_snapshots


@transaction.atomic
def claim_batch_submit_for_audit(*, actor: User, batch: ClaimBatch, note: str = "") -> ClaimBatch:
    """Send a draft batch to audit, freezing each claim's evidence."""
    _check_note(note)
    batch = _locked(batch)
    _check(batch, "submit_for_audit", actor, Status.AWAITING_AUDIT)
    if not _active_claims(batch).exists():
        raise ValidationError(
            {"batch": "This batch has no claims: add a claim before submitting it for audit"}
        )
    count = _take_snapshots(batch, actor)
    batch.submitted_for_audit_at = timezone.now()
    note = note.strip() or f"Evidence frozen for {count} claim{'s' if count != 1 else ''}"
    batch = _move(
        batch, "submit_for_audit", actor, Status.AWAITING_AUDIT, note, ["submitted_for_audit_at"]
    )
    _notify(
        batch,
        batch.last_event,
        roles=[User.Role.AUDITOR],
        exclude=preparer_ids(batch),
        message=f"Claim batch {batch.reference} ({count} claims) is waiting for audit.",
    )
    return batch


def sample_size(total: int, percent: Decimal, minimum: int) -> int:
    """How many claims a sample of `percent` (at least `minimum`) takes from `total`."""
    return min(total, max(minimum, math.ceil(Decimal(total) * Decimal(percent) / 100)))


def draw_sample(
    claim_ids: Iterable[int], *, percent: Decimal, minimum: int, seed: int
) -> list[int]:
    """A reproducible random sample: the same claims and seed always give the same sample."""
    ids = sorted(claim_ids)
    return sorted(random.Random(seed).sample(ids, sample_size(len(ids), percent, minimum)))


@transaction.atomic
def claim_batch_draw_sample(
    *, actor: User, batch: ClaimBatch, percent: Decimal | str, minimum: int, seed: int | None = None
) -> list[int]:
    """Draw the audit sample (once per audit round); the seed is recorded so anyone can redraw it."""
    batch = _locked(batch)
    _check(batch, "draw_sample", actor)
    if batch.sample_drawn:
        raise InvalidTransition(
            f"A sample has already been drawn for this batch (seed {batch.sample_seed}): review the sampled claims."
        )
    try:
        percent = Decimal(str(percent))
    except InvalidOperation:
        raise ValidationError(
            {"percent": "Enter the percentage of claims to sample as a number, like 10"}
        ) from None
    errors = {}
    if not (Decimal("0") < percent <= Decimal("100")):
        errors["percent"] = "Enter a percentage between 0.01 and 100"
    if minimum is None or minimum < 0:
        errors["minimum"] = "Enter the minimum number of claims to sample, 0 or more"
    if seed is not None and not (0 <= seed < 2**63):
        errors["seed"] = "Enter a seed that is a whole number of 0 or more"
    if errors:
        raise ValidationError(errors)
    seed = secrets.randbelow(2**31) if seed is None else seed
    ids = list(_active_claims(batch).values_list("pk", flat=True))
    chosen = draw_sample(ids, percent=percent, minimum=minimum, seed=seed)
    Claim.objects.filter(batch=batch).update(in_sample=False)
    Claim.objects.filter(pk__in=chosen).update(in_sample=True)
    batch.sample_percent = percent.quantize(PENNY)
    batch.sample_minimum = minimum
    batch.sample_seed = seed
    batch.sample_drawn_by = actor
    batch.sample_drawn_at = timezone.now()
    _save(
        batch,
        actor,
        ["sample_percent", "sample_minimum", "sample_seed", "sample_drawn_by", "sample_drawn_at"],
    )
    _event(
        batch,
        "draw_sample",
        actor,
        note=f"Sampled {percent.normalize():f}% (at least {minimum}): {len(chosen)} of {len(ids)} claims, seed {seed}",
    )
    return chosen


def _claim_for_audit(actor: User, claim: Claim, action: str) -> tuple[ClaimBatch, Claim]:
    batch = _locked(claim.batch)
    _check(batch, action, actor)
    claim = Claim.objects.select_for_update().select_related("family").get(pk=claim.pk)
    if claim.status != Claim.Status.PENDING:
        raise InvalidTransition(
            f"This claim has already been {claim.get_status_display().lower()}."
        )
    if claim.family_id in worked_with(user=actor, family_ids=[claim.family_id]):
        raise SeparationOfDutiesError(
            f"You have worked with the {claim.family.name} family ({claim.family.reference}), "
            "so another auditor must review this claim."
        )
    return batch, claim


@transaction.atomic
def claim_verify(*, actor: User, claim: Claim, note: str = "") -> Claim:
    """An auditor confirms the claim's frozen evidence supports it."""
    _check_note(note, "reason")
    batch, claim = _claim_for_audit(actor, claim, "verify_claim")
    claim.status = Claim.Status.VERIFIED
    claim.verified_by = actor
    claim.verified_at = timezone.now()
    _save(claim, actor, ["status", "verified_by", "verified_at"])
    _event(
        batch,
        "verify_claim",
        actor,
        claim=claim,
        note=note.strip() or f"Verified {claim.family.reference}",
    )
    return claim


@transaction.atomic
def claim_reject(*, actor: User, claim: Claim, reason: str) -> Claim:
    """An auditor rejects a claim with a reason: it leaves the batch and the family can be claimed again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the claim is rejected"})
    _check_note(reason, "reason", "The reason")
    batch, claim = _claim_for_audit(actor, claim, "reject_claim")
    claim.status = Claim.Status.REJECTED
    claim.rejected_by = actor
    claim.rejected_at = timezone.now()
    claim.rejection_reason = reason
    _save(claim, actor, ["status", "rejected_by", "rejected_at", "rejection_reason"])
    _event(
        batch,
        "reject_claim",
        actor,
        claim=claim,
        note=f"Rejected {claim.family.reference}: {reason}",
    )
    family_event_record(
        actor=actor,
        family=claim.family,
        kind=FamilyEvent.Kind.CLAIM,
        occurred_on=today(),
        summary=f"{claim.get_claim_type_display()} claim rejected by audit: {reason}",
    )
    return claim


@transaction.atomic
def claim_batch_sign_off(*, actor: User, batch: ClaimBatch, note: str = "") -> ClaimBatch:
    """An auditor signs the batch off once every claim (or every sampled claim) is reviewed."""
    _check_note(note)
    batch = _locked(batch)
    _check(batch, "sign_off", actor, Status.SIGNED_OFF)
    active = _active_claims(batch)
    to_review = active.filter(status=Claim.Status.PENDING)
    if batch.sample_drawn:
        to_review = to_review.filter(in_sample=True)
    waiting = to_review.count()
    if waiting:
        what = "sampled claim" if batch.sample_drawn else "claim"
        raise ValidationError(
            {
                "batch": f"Review every {what} before signing off: {waiting} still to verify or reject"
            }
        )
    if not active.exists():
        raise ValidationError(
            {"batch": "Every claim in this batch was rejected: return it to draft instead"}
        )
    accepted = list(active.filter(status=Claim.Status.PENDING).select_related("family"))
    conflicts = worked_with(user=actor, family_ids=[c.family_id for c in accepted])
    if conflicts:
        refs = sorted(c.family.reference for c in accepted if c.family_id in conflicts)
        raise SeparationOfDutiesError(
            f"You have worked with {', '.join(refs[:5])}{' and others' if len(refs) > 5 else ''}: "
            "another auditor must verify their claims before you sign the batch off."
        )
    for claim in accepted:
        claim.status = Claim.Status.VERIFIED
        claim.accepted_on_sample = True
    bulk_update_with_history(
        accepted, Claim, ["status", "accepted_on_sample"], batch_size=CHUNK_SIZE, default_user=actor
    )
    batch.signed_off_by = actor
    batch.signed_off_at = timezone.now()
    summary = note.strip()
    if accepted:
        summary = (
            summary + " " if summary else ""
        ) + f"{len(accepted)} claims outside the sample accepted with the sample."
    batch = _move(
        batch, "sign_off", actor, Status.SIGNED_OFF, summary, ["signed_off_by", "signed_off_at"]
    )
    _notify(
        batch,
        batch.last_event,
        roles=[User.Role.PROGRAMME_MANAGER],
        exclude={*preparer_ids(batch), actor.pk},
        message=f"Claim batch {batch.reference} was signed off by audit and is waiting for your approval.",
    )
    return batch


@transaction.atomic
def claim_batch_return(*, actor: User, batch: ClaimBatch, note: str) -> ClaimBatch:
    """Send a batch back to draft from audit or approval, saying why; the audit starts again."""
    batch = _locked(batch)
    action = "return_from_approval" if batch.status == Status.SIGNED_OFF else "return_from_audit"
    _check(batch, action, actor, Status.DRAFT)
    note = _require_note(note, "Enter why the batch is going back to draft")
    _check_note(note)
    claims = list(_active_claims(batch))
    for claim in claims:
        claim.status = Claim.Status.PENDING
        claim.in_sample = False
        claim.verified_by = None
        claim.verified_at = None
        claim.accepted_on_sample = False
    bulk_update_with_history(
        claims,
        Claim,
        ["status", "in_sample", "verified_by", "verified_at", "accepted_on_sample"],
        batch_size=CHUNK_SIZE,
        default_user=actor,
    )
    for field in (
        "sample_percent",
        "sample_minimum",
        "sample_seed",
        "sample_drawn_by",
        "sample_drawn_at",
        "signed_off_by",
        "signed_off_at",
        "submitted_for_audit_at",
    ):
        setattr(batch, field, None)
    preparers = preparer_ids(batch)
    batch = _move(
        batch,
        action,
        actor,
        Status.DRAFT,
        note,
        [
            "sample_percent",
            "sample_minimum",
            "sample_seed",
            "sample_drawn_by",
            "sample_drawn_at",
            "signed_off_by",
            "signed_off_at",
            "submitted_for_audit_at",
        ],
    )
    _notify(
        batch,
        batch.last_event,
        users=User.objects.filter(pk__in=preparers),
        exclude={actor.pk},
        message=f"Claim batch {batch.reference} was returned to draft by {actor}: {note}",
    )
    return batch
