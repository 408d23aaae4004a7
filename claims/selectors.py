"""Reads of claims and claim batches, scoped to what the user may see.

Keyworkers see no claims; team managers see the batches and their own team's families'
claims; programme managers, auditors, data officers and administrators see every claim.
Lists cost a constant number of queries, whatever the size of a batch.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404

from families.models import Family, FamilyWorker, Intervention, User
from families.selectors import family_scope
from outcomes.models import Evaluation, Evidence, PlanVersion
from outcomes.wording import kind_label, long_date

from . import permissions, workflow
from .digests import evidence_refs, snapshot_verifies
from .models import Claim, ClaimBatch, ClaimBatchEvent, ClaimType, EvidenceSnapshot
from .workflow import Status

logger = logging.getLogger(__name__)

ZERO = Decimal("0.00")
ACTIVE = ~Q(claims__status__in=Claim.RELEASED)


def _require_view(user: User) -> None:
    if not permissions.can_view_claims(user):
        raise PermissionDenied("Your role does not include claims.")


def claim_batch_list(*, user: User, status: str | None = None) -> QuerySet[ClaimBatch]:
    """Batches with their claim count and total (claims still in the batch)."""
    _require_view(user)
    batches = ClaimBatch.objects.select_related(
        "created_by", "signed_off_by", "approved_by"
    ).annotate(
        claim_count=Count("claims", filter=ACTIVE),
        total=Sum("claims__amount", filter=ACTIVE, default=ZERO),
    )
    if status:
        batches = batches.filter(status=status)
    return batches.order_by("-created_at", "-id")


def claim_batch_get(*, user: User, reference: str) -> ClaimBatch:
    """One batch, annotated like the list; Http404 when there is none."""
    batch = claim_batch_list(user=user).filter(reference=reference).first()
    if batch is None:
        raise Http404("No claim batch with that reference")
    return batch


def claim_list(
    *, user: User, batch: ClaimBatch | None = None, include_released: bool = True
) -> QuerySet[Claim]:
    """Claims the user may see (team managers: their team's families), with what lists show."""
    _require_view(user)
    claims = Claim.objects.select_related(
        "family", "batch", "verified_by", "rejected_by", "snapshot"
    )
    if user.role == User.Role.TEAM_MANAGER:
        claims = claims.filter(family__in=family_scope(user=user))
    if batch is not None:
        claims = claims.filter(batch=batch)
    if not include_released:
        claims = claims.exclude(status__in=Claim.RELEASED)
    return claims.defer("snapshot__payload").order_by("family__reference", "claim_type", "pk")


def claim_get(*, user: User, pk: int) -> Claim:
    claim = claim_list(user=user).filter(pk=pk).first()
    if claim is None:
        raise Http404("No claim with that number")
    return claim


def batch_totals(*, batch: ClaimBatch) -> dict[str, Any]:
    """Counts and amounts by claim type of the claims in the batch, and the rejected ones (one query)."""
    rows = (
        Claim.objects.filter(batch=batch)
        .values("claim_type", "status")
        .annotate(claims=Count("pk"), amount=Sum("amount"))
    )
    labels = dict(ClaimType.choices)
    by_type: dict[str, dict[str, Any]] = {}
    rejected = withdrawn = 0
    for row in rows:
        if row["status"] in (Claim.Status.REJECTED, Claim.Status.GOVERNMENT_REJECTED):
            rejected += row["claims"]
            continue
        if row["status"] == Claim.Status.WITHDRAWN:
            withdrawn += row["claims"]
            continue
        entry = by_type.setdefault(
            row["claim_type"],
            {
                "claim_type": row["claim_type"],
                "label": labels[row["claim_type"]],
                "claims": 0,
                "amount": ZERO,
            },
        )
        entry["claims"] += row["claims"]
        entry["amount"] += row["amount"]
    types = [by_type[t] for t in ClaimType.values if t in by_type]
    return {
        "by_type": types,
        "claims": sum(t["claims"] for t in types),
        "amount": sum((t["amount"] for t in types), ZERO),
        "rejected": rejected,
        "withdrawn": withdrawn,
    }


def dashboard(*, user: User) -> dict[str, Any]:
    """Batches by state with their totals, and income to date by claim type (three queries)."""
    _require_view(user)
    state_rows = {
        row["status"]: row
        for row in ClaimBatch.objects.values("status").annotate(
            batches=Count("pk", distinct=True),
        )
    }
    amounts = {
        row["batch__status"]: row
        for row in Claim.objects.exclude(status__in=Claim.RELEASED)
        .values("batch__status")
        .annotate(claims=Count("pk"), amount=Sum("amount"))
    }
    by_state = [
        {
            "status": status,
            "label": Status.LABELS[status],
            "batches": state_rows.get(status, {}).get("batches", 0),
            "claims": amounts.get(status, {}).get("claims", 0),
            "amount": amounts.get(status, {}).get("amount") or ZERO,
        }
        for status in Status.ORDER
    ]
    labels = dict(ClaimType.choices)
    income_rows = {
        row["claim_type"]: row
        for row in Claim.objects.filter(status=Claim.Status.PAID)
        .values("claim_type")
        .annotate(claims=Count("pk"), amount=Sum("amount"))
    }
    income = [
        {
            "claim_type": t,
            "label": labels[t],
            "claims": income_rows.get(t, {}).get("claims", 0),
            "amount": income_rows.get(t, {}).get("amount") or ZERO,
        }
        for t in (ClaimType.ATTACHMENT, ClaimType.RESULTS, ClaimType.CONTINUOUS_EMPLOYMENT)
    ]
    return {
        "by_state": by_state,
        "income": income,
        "income_total": sum((i["amount"] for i in income), ZERO),
        "income_claims": sum(i["claims"] for i in income),
    }


def audit_queue(*, user: User) -> list[ClaimBatch]:
    """Batches awaiting audit, with how many claims are still to review (sampled ones once a
    sample is drawn) and how many the auditor may not review because they worked with the family."""
    _require_view(user)
    pending = Q(claims__status=Claim.Status.PENDING)
    in_sample = Q(claims__in_sample=True)
    return list(
        ClaimBatch.objects.filter(status=Status.AWAITING_AUDIT)
        .select_related("created_by")
        .annotate(
            claim_count=Count("claims", filter=ACTIVE),
            total=Sum("claims__amount", filter=ACTIVE, default=ZERO),
            to_review=Count("claims", filter=pending),
            sampled_to_review=Count("claims", filter=pending & in_sample),
        )
        .order_by("submitted_for_audit_at", "pk")
    )


def claims_to_review(*, user: User, batch: ClaimBatch) -> QuerySet[Claim]:
    """The claims an auditor still has to review in a batch: all pending, or the sampled ones."""
    claims = claim_list(user=user, batch=batch).filter(status=Claim.Status.PENDING)
    if batch.sample_drawn:
        claims = claims.filter(in_sample=True)
    return claims


def batch_events(*, user: User, batch: ClaimBatch) -> QuerySet[ClaimBatchEvent]:
    """The batch's event log as the user may see it: a team manager sees the batch's own moves
    and the events of their team's families' claims, not those of other teams' families."""
    _require_view(user)
    events = batch.events.select_related("actor", "claim__family")
    if user.role == User.Role.TEAM_MANAGER:
        events = events.filter(Q(claim__isnull=True) | Q(claim__family__in=family_scope(user=user)))
    return events.order_by("at", "pk")


def batch_actions(*, user: User, batch: ClaimBatch) -> set[str]:
    """What this user may do to the batch now (so pages show only those buttons)."""
    return workflow.available_actions(
        status=batch.status,
        user=user,
        preparer_ids=preparer_ids(batch),
        signer_id=batch.signed_off_by_id,
    )


def batch_review_counts(*, batch: ClaimBatch) -> dict[str, int]:
    """How the batch's claims stand in audit, for the sign-off confirmation (one query)."""
    counts = {"verified": 0, "rejected": 0, "to_review": 0, "accepted_with_sample": 0}
    rows = (
        Claim.objects.filter(batch=batch)
        .exclude(status=Claim.Status.WITHDRAWN)
        .values("status", "in_sample")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        if row["status"] == Claim.Status.VERIFIED:
            counts["verified"] += row["n"]
        elif row["status"] in (Claim.Status.REJECTED, Claim.Status.GOVERNMENT_REJECTED):
            counts["rejected"] += row["n"]
        elif row["status"] == Claim.Status.PENDING:
            if batch.sample_drawn and not row["in_sample"]:
                counts["accepted_with_sample"] += row["n"]
            else:
                counts["to_review"] += row["n"]
    return counts


# --- evidence review ----------------------------------------------------------------------------


@dataclass
class SnapshotReview:
    """What the auditor's evidence page shows about a claim's frozen evidence."""

    snapshot: EvidenceSnapshot | None
    digest_verified: bool = False
    differences: list[str] = field(default_factory=list)
    compared_with: str = ""
    problems: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    result: dict[str, Any] = field(default_factory=dict)


def _fresh_result(snapshot: EvidenceSnapshot) -> tuple[dict[str, Any] | None, str]:
    """Today's evidence evaluated on the snapshot's date under the snapshot's plan version, so a
    difference means the evidence changed. Falls back to the family's current stored evaluation."""
    frozen = snapshot.payload.get("evaluation") or {}
    family_id = snapshot.claim.family_id
    try:
        from datetime import date

        from outcomes.engine import evaluate
        from outcomes.selectors.plans import engine_plan, term_calendar
        from outcomes.snapshot import family_snapshots

        plan_version = PlanVersion.objects.get(pk=frozen["plan_version_id"])
        family_snapshot = family_snapshots([family_id])[family_id]
        result = evaluate(
            engine_plan(plan_version),
            family_snapshot,
            date.fromisoformat(frozen["as_of"]),
            terms=term_calendar(),
        )
        return json.loads(
            json.dumps(result.to_dict(), default=str)
        ), "a fresh evaluation of today's evidence on the same date"
    except Exception:  # a plan or record the engine cannot read: compare with what is stored
        logger.info(
            "Fresh evaluation failed for snapshot %s; using the current evaluation",
            snapshot.pk,
            exc_info=True,
        )
    current = Evaluation.objects.filter(family_id=family_id, is_current=True).first()
    if current is None:
        return None, ""
    return current.result, f"the family's current evaluation (as of {current.as_of:%-d %B %Y})"


def _yes(value) -> str:
    return "yes" if value else "no"


OUTCOME_WORDS = {
    "met": "met",
    "progressing": "progressing",
    "not_met": "not met",
    "not_identified": "not identified",
}


def compare_results(frozen: dict[str, Any], fresh: dict[str, Any]) -> list[str]:
    """Plain-English differences between a frozen evaluation result and a fresh one."""
    out: list[str] = []
    if bool(frozen.get("eligible")) != bool(fresh.get("eligible")):
        out.append(
            f"Eligible: {_yes(frozen.get('eligible'))} in the snapshot, {_yes(fresh.get('eligible'))} now."
        )
    for key, label in (
        ("results", "Claimable for results"),
        ("continuous_employment", "Claimable for continuous employment"),
    ):
        before = bool((frozen.get("claimable") or {}).get(key))
        after = bool((fresh.get("claimable") or {}).get(key))
        if before != after:
            out.append(f"{label}: {_yes(before)} in the snapshot, {_yes(after)} now.")
    fresh_problems = {p.get("code"): p for p in fresh.get("problems", [])}
    for problem in frozen.get("problems", []):
        now = fresh_problems.get(problem.get("code"))
        if now is None:
            continue
        title = problem.get("title") or problem.get("code")
        if problem.get("outcome") != now.get("outcome"):
            out.append(
                f"{title}: {OUTCOME_WORDS.get(problem.get('outcome'), problem.get('outcome'))} in the snapshot, "
                f"{OUTCOME_WORDS.get(now.get('outcome'), now.get('outcome'))} now."
            )
        elif problem.get("met_since") != now.get("met_since"):
            out.append(
                f"{title}: met since {long_date(problem.get('met_since'))} in the snapshot, "
                f"since {long_date(now.get('met_since'))} now."
            )
    before_refs = set(evidence_refs(frozen))
    after_refs = set(evidence_refs(fresh))
    added = sorted(after_refs - before_refs)
    removed = sorted(before_refs - after_refs)
    if added:
        out.append(
            "Evidence used now that the snapshot does not hold: "
            + ", ".join(f"{kind_label(k).lower()} record #{i}" for k, i in added)
            + "."
        )
    if removed:
        out.append(
            "Evidence in the snapshot no longer used: "
            + ", ".join(f"{kind_label(k).lower()} record #{i}" for k, i in removed)
            + "."
        )
    return out


def _superseded(evidence: list[dict[str, Any]]) -> list[str]:
    """Frozen evidence records that have been corrected since (one query)."""
    ids = [e["id"] for e in evidence]
    if not ids:
        return []
    rows = Evidence.objects.filter(pk__in=ids, is_current=False).select_related("superseded_by")
    labels = dict(Evidence.Kind.choices)
    out = []
    for row in rows:
        newer = row.superseded_by
        when = f" on {row.superseded_at:%-d %B %Y}" if row.superseded_at else ""
        out.append(
            f"{labels.get(row.kind, row.kind)} record #{row.pk} (version {row.version}) was corrected{when}"
            + (f": version {newer.version} (#{newer.pk}) is now current." if newer else ".")
        )
    return out


def snapshot_review(*, claim: Claim) -> SnapshotReview:
    """The claim's latest snapshot, whether its digest still verifies, and what has changed since."""
    snapshot = (
        EvidenceSnapshot.objects.select_related("claim", "taken_by")
        .filter(pk=claim.snapshot_id)
        .first()
        if claim.snapshot_id
        else None
    )
    if snapshot is None:
        return SnapshotReview(snapshot=None)
    frozen = (snapshot.payload.get("evaluation") or {}).get("result") or {}
    evidence = snapshot.payload.get("evidence") or []
    differences = _superseded(evidence)
    fresh, compared_with = _fresh_result(snapshot)
    if fresh is not None:
        differences += compare_results(frozen, fresh)
    return SnapshotReview(
        snapshot=snapshot,
        digest_verified=snapshot_verifies(snapshot),
        differences=differences,
        compared_with=compared_with,
        problems=frozen.get("problems", []),
        evidence=evidence,
        result=frozen,
    )


def family_claims(*, family: Family) -> QuerySet[Claim]:
    """A family's claims, newest first (for its record page)."""
    return family.claims.select_related("batch").order_by("-created_at")


# --- who prepared a batch, who worked with a family (separation of duties) -----------------


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


# --- counts for the programme reports -------------------------------------------------------------


def counted_claims(*, families: QuerySet[Family]) -> QuerySet[Claim]:
    """The claims for these families that still count (not rejected or removed), for the reports
    to aggregate by type and claim date; no one's details are read."""
    return Claim.objects.filter(family__in=families).exclude(status__in=Claim.RELEASED).order_by()
