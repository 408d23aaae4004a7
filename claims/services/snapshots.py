"""Freezing each claim's evidence when its batch goes to audit: the family's evaluation as of the
batch's claim date and the records it rests on (the payload and digest are `claims.digests`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection

from families.models import Family, User
from outcomes.models import Evaluation, Evidence

from ..digests import (
    CLAIM_FIELDS,
    EVALUATION_FIELDS,
    EVIDENCE_FIELDS,
    digest_of,
    evidence_payload,
    evidence_refs,
    snapshot_payload,
)
from ..models import (
    Claim,
    ClaimBatch,
    EvidenceSnapshot,
)
from .common import CHUNK_SIZE, _active_claims
from .eligibility import PhaseLookup, claim_refusal, evaluations_on_claim_date


def _refusals_on_claim_date(batch: ClaimBatch, claims: list[dict], evaluations) -> list[str]:
    """Why each claim (of those given) is no longer supported on the batch's claim date."""
    families = Family.objects.in_bulk({c["family_id"] for c in claims})
    phases = PhaseLookup()
    refusals = []
    for claim in claims:
        family = families[claim["family_id"]]
        refusal = claim_refusal(
            family=family,
            claim_type=claim["claim_type"],
            evaluation=evaluations.get(claim["family_id"]),
            claim_date=batch.as_of,
        )
        if refusal is None and family.attached_on is not None:
            refusal = phases.of_claim(
                attached_on=family.attached_on,
                claim_date=batch.as_of,
                reference=family.reference,
            ).refusal
        if refusal:
            refusals.append(refusal)
    return refusals


def _take_snapshots(batch: ClaimBatch, actor: User) -> int:
    """Evaluate each claim's family again as of the batch's claim date, from the evidence held
    now, and freeze that evaluation and the evidence records it rests on. If the evaluation no
    longer supports a claim (evidence corrected since the draft), nothing is frozen and the
    batch stays in draft: the error names every such family. Reads plain rows and writes in
    bulk: a constant number of queries per chunk.

    Pointing a claim at its new snapshot is not kept in the claim's row history: the snapshot
    itself is the append-only record (who took it, when), and the batch event log says so.
    """
    ids = list(_active_claims(batch).order_by("pk").values_list("pk", flat=True))
    refusals: list[str] = []
    chunks = []
    for start in range(0, len(ids), CHUNK_SIZE):
        chunk = list(
            Claim.objects.filter(pk__in=ids[start : start + CHUNK_SIZE])
            .order_by("pk")
            .values(*CLAIM_FIELDS)
        )
        on_claim_date = evaluations_on_claim_date(
            actor=actor, family_ids={c["family_id"] for c in chunk}, claim_date=batch.as_of
        )
        refusals += _refusals_on_claim_date(batch, chunk, on_claim_date)
        chunks.append((chunk, {fid: e.pk for fid, e in on_claim_date.items()}))
    if refusals:
        listed = refusals[:5] + ([f"and {len(refusals) - 5} more"] if len(refusals) > 5 else [])
        raise ValidationError(
            {
                "batch": "Some claims are no longer supported on the claim date: remove them "
                "from the draft, or correct the evidence, then submit again. " + " ".join(listed)
            }
        )
    for chunk, evaluation_ids in chunks:
        evaluations = {
            e["family_id"]: e
            for e in Evaluation.objects.filter(pk__in=list(evaluation_ids.values())).values(
                *EVALUATION_FIELDS
            )
        }
        refs = {c["pk"]: evidence_refs(evaluations[c["family_id"]]["result"]) for c in chunk}
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
            evaluation = evaluations[claim["family_id"]]
            evidence = [evidence_payload(rows[i]) for _, i in refs[claim["pk"]] if i in rows]
            payload = snapshot_payload(claim, batch.reference, evaluation, evidence)
            snapshots.append(
                EvidenceSnapshot(
                    claim_id=claim["pk"],
                    evaluation_id=evaluation["pk"],
                    payload=payload,
                    digest=digest_of(payload),
                    taken_by=actor,
                )
            )
        EvidenceSnapshot.objects.bulk_create(snapshots)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE claims_claim c SET snapshot_id = s.id, evaluation_id = s.evaluation_id "
                "FROM claims_evidencesnapshot s WHERE s.id = ANY(%s) AND s.claim_id = c.id",
                [[snapshot.pk for snapshot in snapshots]],
            )
    return len(ids)
