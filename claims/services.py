"""Every change to claims and claim batches: checked against the workflow, written atomically
with history and a batch event, under a row lock on the batch so two people acting at once
leave one result.

Services are keyword-only, take the acting user (the system actor for the scheduled drafting
job), and raise ValidationError (naming the field), InvalidTransition, SeparationOfDutiesError or
PermissionDenied with a message that says what to do.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import secrets
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from claims.errors import SeparationOfDutiesError
from core.errors import InvalidTransition
from families.models import Family, FamilyEvent, FamilyWorker, Intervention, Notification, User
from families.services import (
    NewEvent,
    Notice,
    family_close,
    family_event_record,
    family_events_record,
    notifications_send,
)
from outcomes.models import Evaluation, Evidence

from . import workflow
from .models import (
    OUTCOME_CLAIM_TYPES,
    Claim,
    ClaimBatch,
    ClaimBatchEvent,
    ClaimDate,
    ClaimType,
    EvidenceSnapshot,
    Tariff,
)
from .workflow import Status

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


# --- helpers ------------------------------------------------------------------------------------


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


def preparer_ids(batch: ClaimBatch) -> set[int | None]:
    """Everyone who prepared the batch: created it, added or removed claims, submitted it."""
    ids = set(
        ClaimBatchEvent.objects.filter(
            batch=batch, action__in=workflow.PREPARING_ACTIONS
        ).values_list("actor_id", flat=True)
    )
    ids.add(batch.created_by_id)
    ids.discard(None)
    return ids


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


def _require_note(note: str, message: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": message})
    return note


def _active_claims(batch: ClaimBatch):
    return batch.claims.exclude(status__in=Claim.RELEASED)


# --- tariffs ------------------------------------------------------------------------------------


def tariff_for(
    *, claim_type: str, on: date, tariffs: Iterable[Tariff] | None = None
) -> Tariff | None:
    """The tariff in force for a claim type on a date (the family's attachment date)."""
    rows = tariffs if tariffs is not None else Tariff.objects.filter(claim_type=claim_type)
    for tariff in rows:
        if (
            tariff.claim_type == claim_type
            and tariff.effective_from <= on
            and (tariff.effective_to is None or on < tariff.effective_to)
        ):
            return tariff
    return None


def _outcome_claim_type(
    evaluation: Evaluation, attached_on: date, tariffs: list[Tariff]
) -> str | None:
    """Results or continuous employment: whichever the evaluation supports; if both, the one
    the tariff pays more for (phase 1: continuous employment), results on a tie."""
    options = []
    if evaluation.claimable_results:
        options.append(ClaimType.RESULTS)
    if evaluation.claimable_employment:
        options.append(ClaimType.CONTINUOUS_EMPLOYMENT)
    priced = [(t, tariff_for(claim_type=t, on=attached_on, tariffs=tariffs)) for t in options]
    priced = [(t, tariff) for t, tariff in priced if tariff is not None]
    if not priced:
        return None
    best = max(priced, key=lambda pair: (pair[1].amount, pair[0] == ClaimType.RESULTS))
    return best[0]


# --- who may claim for a family -----------------------------------------------------------------


def claim_refusal(*, family: Family, claim_type: str, evaluation: Evaluation | None) -> str | None:
    """Why this family cannot be claimed for (None when it can): it must be attached (or closed
    after attachment), and its current evaluation must show it eligible and, for an outcome
    claim, claimable for that outcome."""
    if family.status not in CLAIMABLE_FAMILY_STATUSES or family.attached_on is None:
        return f"{family.reference} is not attached to the programme: only attached families can be claimed for."
    if evaluation is None:
        return f"{family.reference} has not been evaluated against the outcomes plan yet: run the eligibility check first."
    if not evaluation.eligible:
        return f"{family.reference} is not eligible under the outcomes plan, so it cannot be claimed for."
    if claim_type == ClaimType.RESULTS and not evaluation.claimable_results:
        return (
            f"{family.reference} has not met the outcomes for every problem it was identified with."
        )
    if claim_type == ClaimType.CONTINUOUS_EMPLOYMENT and not evaluation.claimable_employment:
        return f"{family.reference} has no adult in continuous employment under the outcomes plan."
    if claim_type == ClaimType.PROGRESS_TO_WORK:
        return "Progress to work claims are not made through this service."
    return None


def worked_with(*, user: User, family_ids: Iterable[int]) -> set[int]:
    """The families (of those given) the user has worked with: as lead keyworker, as a named
    worker, or as the worker on an intervention."""
    ids = list(set(family_ids))
    if not ids or user is None:
        return set()
    named = FamilyWorker.objects.filter(family_id=OuterRef("pk"), user=user)
    intervened = Intervention.objects.filter(family_id=OuterRef("pk"), worker=user)
    return set(
        Family.objects.filter(pk__in=ids)
        .filter(Q(lead_keyworker=user) | Exists(named) | Exists(intervened))
        .values_list("pk", flat=True)
    )


# --- drafting -----------------------------------------------------------------------------------


def _new_batch(*, actor: User, as_of: date, note: str) -> ClaimBatch:
    workflow.check_action(action="create", status=None, user=actor)
    if as_of > today():
        raise ValidationError({"as_of": "The claim date must be today or in the past"})
    batch = ClaimBatch(
        reference=_next_reference(), as_of=as_of, note=note.strip(), created_by=actor
    )
    _save(batch, actor)
    return batch


def claimable_candidates() -> list[dict[str, Any]]:
    """Families that can be claimed for now and are not yet: attached families without an
    attachment claim, and families whose current evaluation is claimable without an outcome
    claim. One query, whatever the number."""
    active = ~Q(status__in=Claim.RELEASED)
    has_attachment = Claim.objects.filter(
        active, family_id=OuterRef("family_id"), claim_type=ClaimType.ATTACHMENT
    )
    has_outcome = Claim.objects.filter(
        active, family_id=OuterRef("family_id"), claim_type__in=OUTCOME_CLAIM_TYPES
    )
    rows = (
        Evaluation.objects.filter(
            is_current=True,
            eligible=True,
            family__status__in=CLAIMABLE_FAMILY_STATUSES,
            family__attached_on__isnull=False,
        )
        .annotate(has_attachment=Exists(has_attachment), has_outcome=Exists(has_outcome))
        .filter(
            Q(has_attachment=False)
            | (Q(has_outcome=False) & (Q(claimable_results=True) | Q(claimable_employment=True)))
        )
        .order_by("family_id")
        .values(
            "id",
            "family_id",
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
    """Draft a batch of every family that can be claimed for and is not yet (scheduled or by hand)."""
    _lock_claim_creation()
    batch = _new_batch(actor=actor, as_of=as_of, note=note)
    tariffs = list(Tariff.objects.all())
    claims: list[Claim] = []
    skipped = 0
    for row in claimable_candidates():
        attached_on = row["family__attached_on"]
        wanted = []
        if not row["has_attachment"]:
            wanted.append(ClaimType.ATTACHMENT)
        if not row["has_outcome"] and (row["claimable_results"] or row["claimable_employment"]):
            evaluation = Evaluation(
                claimable_results=row["claimable_results"],
                claimable_employment=row["claimable_employment"],
            )
            outcome_type = _outcome_claim_type(evaluation, attached_on, tariffs)
            if outcome_type:
                wanted.append(outcome_type)
        for claim_type in wanted:
            tariff = tariff_for(claim_type=claim_type, on=attached_on, tariffs=tariffs)
            if tariff is None:
                skipped += 1  # attached before any tariff we know of
                continue
            claims.append(
                Claim(
                    batch=batch,
                    family_id=row["family_id"],
                    claim_type=claim_type,
                    phase=tariff.phase,
                    tariff=tariff,
                    amount=tariff.amount,
                    evaluation_id=row["id"],
                    created_by=actor,
                )
            )
    bulk_create_with_history(claims, Claim, batch_size=CHUNK_SIZE, default_user=actor)
    summary = f"Drafted with {len(claims)} claim{'s' if len(claims) != 1 else ''}"
    if skipped:
        summary += f"; {skipped} left out because no tariff covers the family's attachment date"
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
    evaluation = Evaluation.objects.filter(family=family, is_current=True).first()
    refusal = claim_refusal(family=family, claim_type=claim_type, evaluation=evaluation)
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
    tariff = tariff_for(claim_type=claim_type, on=family.attached_on)
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


# --- evidence snapshots -------------------------------------------------------------------------


def canonical_json(value: Any) -> str:
    """The one text a payload digests to: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def digest_of(payload: Any) -> str:
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def evidence_refs(result: Any) -> list[tuple[str, int]]:
    """Every evidence record an evaluation's result names (in any criterion's evidence list)."""
    refs: set[tuple[str, int]] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "evidence" and isinstance(value, list):
                    for item in value:
                        if isinstance(item, dict) and "kind" in item and "id" in item:
                            refs.add((str(item["kind"]), int(item["id"])))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(result)
    return sorted(refs)


EVIDENCE_FIELDS = (
    "pk",
    "kind",
    "record_key",
    "version",
    "data",
    "event_date",
    "end_date",
    "person_id",
    "family_id",
    "source",
    "source_name",
    "recorded_by__username",
    "recorded_at",
    "is_current",
)


def evidence_payload(row: dict[str, Any]) -> dict[str, Any]:
    """An evidence record (a `.values(*EVIDENCE_FIELDS)` row) as it was when frozen."""
    return {
        "kind": row["kind"],
        "id": row["pk"],
        "record_key": str(row["record_key"]),
        "version": row["version"],
        "data": row["data"],
        "event_date": row["event_date"].isoformat() if row["event_date"] else None,
        "end_date": row["end_date"].isoformat() if row["end_date"] else None,
        "person_id": row["person_id"],
        "family_id": row["family_id"],
        "source": row["source"],
        "source_name": row["source_name"],
        "recorded_by": row["recorded_by__username"],
        "recorded_at": row["recorded_at"].isoformat() if row["recorded_at"] else None,
        "is_current": row["is_current"],
    }


CLAIM_FIELDS = (
    "pk",
    "claim_type",
    "phase",
    "amount",
    "family_id",
    "family__reference",
    "family__attached_on",
    "evaluation_id",
)
EVALUATION_FIELDS = ("pk", "family_id", "as_of", "plan_version_id", "evidence_digest", "result")


def snapshot_payload(
    claim: dict[str, Any],
    batch_reference: str,
    evaluation: dict[str, Any] | None,
    evidence: list[dict[str, Any]],
) -> dict[str, Any]:
    """What a snapshot freezes and its digest covers: the claim, its evaluation, the evidence."""
    return {
        "claim": {
            "id": claim["pk"],
            "batch": batch_reference,
            "family": claim["family__reference"],
            "claim_type": claim["claim_type"],
            "phase": claim["phase"],
            "amount": str(claim["amount"]),
            "attached_on": claim["family__attached_on"].isoformat()
            if claim["family__attached_on"]
            else None,
        },
        "evaluation": None
        if evaluation is None
        else {
            "id": evaluation["pk"],
            "as_of": evaluation["as_of"].isoformat(),
            "plan_version_id": evaluation["plan_version_id"],
            "evidence_digest": evaluation["evidence_digest"],
            "result": evaluation["result"],
        },
        "evidence": evidence,
    }


def _take_snapshots(batch: ClaimBatch, actor: User) -> int:
    """Freeze each claim's evaluation (the family's current one) and the evidence records it
    rests on. Reads plain rows and writes in bulk: a constant number of queries per chunk.

    Pointing a claim at its new snapshot is not kept in the claim's row history: the snapshot
    itself is the append-only record (who took it, when), and the batch event log says so.
    """
    ids = list(_active_claims(batch).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK_SIZE):
        chunk = list(
            Claim.objects.filter(pk__in=ids[start : start + CHUNK_SIZE])
            .order_by("pk")
            .values(*CLAIM_FIELDS)
        )
        family_ids = {c["family_id"] for c in chunk}
        current = {
            e["family_id"]: e
            for e in Evaluation.objects.filter(family_id__in=family_ids, is_current=True).values(
                *EVALUATION_FIELDS
            )
        }
        fallback_ids = [
            c["evaluation_id"]
            for c in chunk
            if c["family_id"] not in current and c["evaluation_id"]
        ]
        fallback = (
            {
                e["pk"]: e
                for e in Evaluation.objects.filter(pk__in=fallback_ids).values(*EVALUATION_FIELDS)
            }
            if fallback_ids
            else {}
        )
        evaluations = {
            c["pk"]: current.get(c["family_id"]) or fallback.get(c["evaluation_id"]) for c in chunk
        }
        refs = {pk: evidence_refs(e["result"]) if e else [] for pk, e in evaluations.items()}
        evidence_ids = {i for claim_refs in refs.values() for _, i in claim_refs}
        rows = (
            {
                row["pk"]: row
                for row in Evidence.objects.filter(pk__in=evidence_ids).values(*EVIDENCE_FIELDS)
            }
            if evidence_ids
            else {}
        )
        snapshots = []
        for claim in chunk:
            evaluation = evaluations[claim["pk"]]
            evidence = [evidence_payload(rows[i]) for _, i in refs[claim["pk"]] if i in rows]
            payload = snapshot_payload(claim, batch.reference, evaluation, evidence)
            snapshots.append(
                EvidenceSnapshot(
                    claim_id=claim["pk"],
                    evaluation_id=evaluation["pk"] if evaluation else None,
                    payload=payload,
                    digest=digest_of(payload),
                    taken_by=actor,
                )
            )
        EvidenceSnapshot.objects.bulk_create(snapshots)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE claims_claim c SET snapshot_id = s.id, evaluation_id = COALESCE(s.evaluation_id, c.evaluation_id) "
                "FROM claims_evidencesnapshot s WHERE s.id = ANY(%s) AND s.claim_id = c.id",
                [[snapshot.pk for snapshot in snapshots]],
            )
    return len(ids)


def snapshot_verifies(snapshot: EvidenceSnapshot) -> bool:
    """Whether the snapshot's stored payload still hashes to its stored digest."""
    return digest_of(snapshot.payload) == snapshot.digest


# --- the workflow -------------------------------------------------------------------------------


@transaction.atomic
def claim_batch_submit_for_audit(*, actor: User, batch: ClaimBatch, note: str = "") -> ClaimBatch:
    """Send a draft batch to audit, freezing each claim's evidence."""
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


@transaction.atomic
def claim_batch_approve(*, actor: User, batch: ClaimBatch, note: str = "") -> ClaimBatch:
    """A programme manager who neither prepared nor signed off the batch approves it for submission."""
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
    programme (closed: outcomes achieved)."""
    batch = _locked(batch)
    rejections = {int(k): (v or "").strip() for k, v in (rejections or {}).items()}
    to_status = Status.PARTLY_REJECTED if rejections else Status.PAID
    _check(batch, "record_payment", actor, to_status)
    amount = _money(amount_received, "amount_received")
    if paid_on is None:
        raise ValidationError({"paid_on": "Enter the date the payment was received"})
    if paid_on > today():
        raise ValidationError({"paid_on": "The payment date must be today or in the past"})
    claims = list(batch.claims.filter(status=Claim.Status.VERIFIED).select_related("family"))
    by_id = {c.pk: c for c in claims}
    unknown = [i for i in rejections if i not in by_id]
    if unknown:
        raise ValidationError(
            {"rejections": "Government can only reject claims that were submitted in this batch"}
        )
    if any(not reason for reason in rejections.values()):
        raise ValidationError(
            {"rejections": "Enter the reason government gave for each rejected claim"}
        )
    expected = sum((c.amount for c in claims if c.pk not in rejections), Decimal("0.00"))
    if amount != expected:
        raise ValidationError(
            {
                "amount_received": f"The amount received ({pounds(amount)}) does not match the {pounds(expected)} "
                "due for the claims government accepted. Check the remittance, or record which claims government rejected."
            }
        )
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
    for claim in claims:
        if claim.status == Claim.Status.PAID and claim.claim_type in OUTCOME_CLAIM_TYPES:
            if claim.family.status != Family.Status.CLOSED:
                family_close(
                    actor=actor,
                    family=claim.family,
                    closed_on=max(paid_on, claim.family.attached_on),
                    reason=Family.ClosureReason.OUTCOMES_ACHIEVED,
                )
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
