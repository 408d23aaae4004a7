"""Evidence snapshots as data: what a claim's snapshot freezes and the digest that proves it.

Pure functions over plain values (no database): the canonical JSON a payload digests to, the
evidence records an evaluation's result names, and the payload of a claim, its evaluation and
the evidence it rests on. A snapshot verifies when its stored payload still hashes to its
stored digest, so anyone can check years later that nothing changed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


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


def snapshot_verifies(snapshot) -> bool:
    """Whether the snapshot's stored payload still hashes to its stored digest."""
    return digest_of(snapshot.payload) == snapshot.digest
