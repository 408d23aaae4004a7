"""Drafting claim batches: every claimable family at once (by hand or on a claim date), or one
family's claim at a time; taking a claim out of a draft."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.errors import InvalidTransition
from core.validation import NOTE, Errors, check_date, check_text
from families.models import Family, User
from outcomes.engine import claimability_of
from outcomes.models import Evaluation

from .. import workflow
from ..models import (
    OUTCOME_CLAIM_TYPES,
    Claim,
    ClaimBatch,
    ClaimDate,
    ClaimType,
    Tariff,
)
from ..workflow import Status
from .common import (
    CHUNK_SIZE,
    CLAIMABLE_FAMILY_STATUSES,
    _check,
    _check_note,
    _event,
    _lock_claim_creation,
    _locked,
    _next_reference,
    _save,
)
from .eligibility import PhaseLookup, claim_refusal, evaluations_on_claim_date
from .pricing import outcome_claim_type, tariff_for


def _new_batch(*, actor: User, as_of: date, note: str) -> ClaimBatch:
    workflow.check_action(action="create", status=None, user=actor)
    errors = Errors()
    check_date(errors, "as_of", as_of, "The claim date")
    check_text(errors, "note", note, "The note", NOTE)
    errors.raise_if_any()
    batch = ClaimBatch(
        reference=_next_reference(), as_of=as_of, note=note.strip(), created_by=actor
    )
    _save(batch, actor)
    return batch


def claimable_candidates(*, as_of: date | None = None) -> list[dict[str, Any]]:
    """Families that may be claimed for and are not yet: attached (by ``as_of``, when given)
    families without an attachment claim, and families whose latest evaluation is claimable
    without an outcome claim. One query, whatever the number. A first sift only: drafting then
    evaluates each of them as of the claim date, which decides."""
    active = ~Q(status__in=Claim.RELEASED)
    has_attachment = Claim.objects.filter(
        active, family_id=OuterRef("family_id"), claim_type=ClaimType.ATTACHMENT
    )
    has_outcome = Claim.objects.filter(
        active, family_id=OuterRef("family_id"), claim_type__in=OUTCOME_CLAIM_TYPES
    )
    rows = Evaluation.objects.filter(
        is_current=True,
        eligible=True,
        family__status__in=CLAIMABLE_FAMILY_STATUSES,
        family__attached_on__isnull=False,
    )
    if as_of is not None:
        rows = rows.filter(family__attached_on__lte=as_of)
    rows = (
        rows.annotate(has_attachment=Exists(has_attachment), has_outcome=Exists(has_outcome))
        .filter(
            Q(has_attachment=False)
            | (Q(has_outcome=False) & (Q(claimable_results=True) | Q(claimable_employment=True)))
        )
        .order_by("family_id")
        .values(
            "id",
            "family_id",
            "family__reference",
            "family__attached_on",
            "claimable_results",
            "claimable_employment",
            "has_attachment",
            "has_outcome",
        )
    )
    return list(rows)


@transaction.atomic
def claim_batch_draft(*, actor: User, as_of: date, note: str = "") -> ClaimBatch:
    """Draft a batch of every family that can be claimed for on the claim date and is not yet
    (scheduled or by hand). Each candidate is evaluated as of the claim date; only what that
    evaluation supports is claimed."""
    _lock_claim_creation()
    batch = _new_batch(actor=actor, as_of=as_of, note=note)
    tariffs = list(Tariff.objects.all())
    candidates = claimable_candidates(as_of=as_of)
    evaluations = evaluations_on_claim_date(
        actor=actor, family_ids=[row["family_id"] for row in candidates], claim_date=as_of
    )
    phases = PhaseLookup()
    claims: list[Claim] = []
    left_out: Counter[str] = Counter()
    for row in candidates:
        attached_on = row["family__attached_on"]
        evaluation = evaluations.get(row["family_id"])
        phase = phases.of_claim(
            attached_on=attached_on, claim_date=as_of, reference=row["family__reference"]
        )
        if evaluation is None or phase.refusal:
            left_out["could not be evaluated" if evaluation is None else "phase"] += 1
            continue
        family = Family(
            pk=row["family_id"],
            reference=row["family__reference"],
            attached_on=attached_on,
            status=Family.Status.ATTACHED,
        )
        wanted = []
        if not row["has_attachment"]:
            if claim_refusal(
                family=family,
                claim_type=ClaimType.ATTACHMENT,
                evaluation=evaluation,
                claim_date=as_of,
            ):
                left_out["not eligible on the claim date"] += 1
            else:
                wanted.append(ClaimType.ATTACHMENT)
        if not row["has_outcome"] and (row["claimable_results"] or row["claimable_employment"]):
            claimability = claimability_of(evaluation.result, claim_date=as_of)
            outcome_type = outcome_claim_type(
                claimability, attached_on=attached_on, phase=phase.phase, tariffs=tariffs
            )
            if outcome_type:
                wanted.append(outcome_type)
            elif not claimability.any:
                left_out["not claimable on the claim date"] += 1
        for claim_type in wanted:
            tariff = tariff_for(
                claim_type=claim_type, on=attached_on, phase=phase.phase, tariffs=tariffs
            )
            if tariff is None:
                left_out["no tariff"] += 1
                continue
            claims.append(
                Claim(
                    batch=batch,
                    family_id=row["family_id"],
                    claim_type=claim_type,
                    phase=tariff.phase,
                    tariff=tariff,
                    amount=tariff.amount,
                    evaluation_id=evaluation.pk,
                    created_by=actor,
                )
            )
    bulk_create_with_history(claims, Claim, batch_size=CHUNK_SIZE, default_user=actor)
    summary = f"Drafted with {len(claims)} claim{'s' if len(claims) != 1 else ''}"
    reasons = {
        "not claimable on the claim date": "claimable on their latest evaluation but not as of the claim date",
        "not eligible on the claim date": "not eligible as of the claim date",
        "no tariff": "no tariff covers the family's attachment date",
        "phase": "attached under another programme phase, or when no plan was in force",
        "could not be evaluated": "their records could not be evaluated",
    }
    for key, words in reasons.items():
        if left_out[key]:
            summary += f"; {left_out[key]} left out: {words}"
    _event(batch, "create", actor, note=f"{summary}. {batch.note}".strip(), to_status=Status.DRAFT)
    return batch


@transaction.atomic
def claim_batch_draft_on_claim_date(*, run) -> ClaimBatch | None:
    """After a whole eligibility check on one of the council's claim dates, draft that date's
    batch for a manager, once: the date's marker and the batch are written together."""
    claim_date = ClaimDate.objects.select_for_update().filter(date=run.as_of).first()
    if claim_date is None or claim_date.drafted_at is not None:
        return None
    claim_date.drafted_at = timezone.now()
    claim_date.save(update_fields=["drafted_at"])
    return claim_batch_draft(
        actor=run.triggered_by,
        as_of=run.as_of,
        note=f"Drafted by the nightly check for the claim date {run.as_of:%-d %B %Y}",
    )


@transaction.atomic
def claim_batch_create(*, actor: User, as_of: date, note: str = "") -> ClaimBatch:
    """Start an empty draft batch to add claims to one by one."""
    batch = _new_batch(actor=actor, as_of=as_of, note=note)
    _event(batch, "create", actor, note=batch.note, to_status=Status.DRAFT)
    return batch


@transaction.atomic
def claim_add(*, actor: User, batch: ClaimBatch, family: Family, claim_type: str) -> Claim:
    """Add one family's claim to a draft batch, if the family can be claimed for."""
    batch = _locked(batch)
    _check(batch, "add_claim", actor)
    if claim_type not in (ClaimType.ATTACHMENT, *OUTCOME_CLAIM_TYPES):
        raise ValidationError(
            {"claim_type": "Select an attachment fee, results or continuous employment claim"}
        )
    _lock_claim_creation()
    family = Family.objects.get(pk=family.pk)
    phase = PhaseLookup().of_claim(
        attached_on=family.attached_on or batch.as_of,
        claim_date=batch.as_of,
        reference=family.reference,
    )
    evaluation = evaluations_on_claim_date(
        actor=actor, family_ids=[family.pk], claim_date=batch.as_of
    ).get(family.pk)
    refusal = claim_refusal(
        family=family, claim_type=claim_type, evaluation=evaluation, claim_date=batch.as_of
    ) or (phase.refusal if family.attached_on else None)
    if refusal:
        raise ValidationError({"family": refusal})
    types = (
        [ClaimType.ATTACHMENT] if claim_type == ClaimType.ATTACHMENT else list(OUTCOME_CLAIM_TYPES)
    )
    existing = (
        Claim.objects.filter(family=family, claim_type__in=types)
        .exclude(status__in=Claim.RELEASED)
        .select_related("batch")
        .first()
    )
    if existing is not None:
        raise ValidationError(
            {
                "family": f"{family.reference} already has a {existing.get_claim_type_display().lower()} claim "
                f"in claim batch {existing.batch.reference}."
            }
        )
    tariff = tariff_for(claim_type=claim_type, on=family.attached_on, phase=phase.phase)
    if tariff is None:
        raise ValidationError(
            {
                "family": f"No tariff covers {family.reference}'s attachment date ({family.attached_on:%-d %B %Y})."
            }
        )
    claim = Claim(
        batch=batch,
        family=family,
        claim_type=claim_type,
        phase=tariff.phase,
        tariff=tariff,
        amount=tariff.amount,
        evaluation=evaluation,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            _save(claim, actor)
    except IntegrityError as error:  # another claim slipped in: the constraint is the last word
        raise ValidationError(
            {"family": f"{family.reference} has already been claimed for."}
        ) from error
    _event(
        batch,
        "add_claim",
        actor,
        claim=claim,
        note=f"Added {claim.get_claim_type_display().lower()} for {family.reference}",
    )
    return claim


@transaction.atomic
def claim_remove(*, actor: User, claim: Claim, note: str = "") -> Claim:
    """Take a claim out of a draft batch; the family can be claimed for again."""
    _check_note(note)
    batch = _locked(claim.batch)
    _check(batch, "remove_claim", actor)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if not claim.counts:
        raise InvalidTransition("This claim is no longer in the batch.")
    claim.status = Claim.Status.WITHDRAWN
    _save(claim, actor, ["status"])
    _event(
        batch,
        "remove_claim",
        actor,
        claim=claim,
        note=note.strip() or f"Removed {claim.family.reference}",
    )
    return claim
