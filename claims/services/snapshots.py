"""Freezing each claim's evidence when its batch goes to audit (the payload and digest are
`claims.digests`)."""

from __future__ import annotations

from django.db import connection

from families.models import User
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
