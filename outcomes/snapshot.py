"""From the database to the engine: each family as a `FamilySnapshot`, and a digest of evidence.

`family_snapshots` loads any number of families in three queries (families, with the step-down
date outcomes are read at; memberships with people; current evidence), so the nightly run, the
family page and the what-if report cost the same number of queries for 3 families as for 3,000.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Q

from families.models import Family, Membership
from families.selectors import with_stepped_down_on
from outcomes.engine import FamilySnapshot
from outcomes.engine.evidence import evidence_from_dict, evidence_to_dict
from outcomes.engine.snapshot import Member
from outcomes.models import Evidence

EvidenceRef = tuple[str, int]


def evidence_record(row: Evidence) -> dict[str, Any]:
    """One evidence row as the engine reads it: the kind's fields plus id, kind and person."""
    return {**(row.data or {}), "kind": row.kind, "id": row.pk, "person_id": row.person_id}


def family_snapshots(family_ids: Iterable[int]) -> dict[int, FamilySnapshot]:
    """Snapshots of the families (members with dated membership, roles, dates of birth, and
        current evidence about the family or anyone who was ever a member, and the step down
    outcomes are read at), in four queries."""
    ids = sorted(set(family_ids))
    if not ids:
        return {}
    # Read "at step down" only on a step down that stands and came after attachment
    # (families.selectors.with_stepped_down_on says why).
    families = list(
        with_stepped_down_on(
            Family.objects.filter(pk__in=ids).only(
                "pk", "reference", "identified_on", "attached_on", "status", "closed_on"
            )
        )
    )
    memberships = list(
        Membership.objects.filter(family_id__in=ids)
        .select_related("person")
        .only(
            "family_id",
            "person_id",
            "role",
            "start_date",
            "end_date",
            "person__first_name",
            "person__last_name",
            "person__date_of_birth",
        )
        .order_by("family_id", "person_id", "start_date", "id")
    )
    members: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    families_of_person: dict[int, set[int]] = defaultdict(set)
    for m in memberships:
        families_of_person[m.person_id].add(m.family_id)
        member = members[m.family_id].get(m.person_id)
        if member is None:
            member = {
                "person_id": m.person_id,
                "name": m.person.full_name,
                "date_of_birth": m.person.date_of_birth,
                "memberships": [],
            }
            members[m.family_id][m.person_id] = member
        # The latest membership's role decides (a child can return to the household as an adult).
        member["role"] = m.role
        member["memberships"].append((m.start_date, m.end_date))

    person_ids = list(families_of_person)
    evidence_rows = (
        Evidence.objects.filter(is_current=True)
        .filter(Q(family_id__in=ids) | Q(person_id__in=person_ids))
        .only("pk", "kind", "person_id", "family_id", "data")
        .order_by("pk")
    )
    evidence: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    wanted = set(ids)
    for row in evidence_rows:
        targets = set(families_of_person.get(row.person_id, ())) if row.person_id else set()
        if row.family_id in wanted:
            targets.add(row.family_id)
        record = None
        for family_id in targets:
            if record is None:
                record = evidence_from_dict(row.kind, evidence_record(row))
            evidence[family_id][row.pk] = record

    snapshots = {}
    for family in families:
        # Typed records are shared between families a person belonged to (they are frozen).
        snapshots[family.pk] = FamilySnapshot(
            reference=family.reference,
            identified_on=family.identified_on,
            attached_on=family.attached_on,
            # Outcomes sustained "at case closure" are read on the closure date.
            closed_on=family.closed_on if family.status == Family.Status.CLOSED else None,
            stepped_down_on=family.stepped_down_on,
            members=tuple(
                Member(
                    person_id=m["person_id"],
                    role=m["role"],
                    date_of_birth=m["date_of_birth"],
                    memberships=tuple(m["memberships"]),
                    name=m["name"],
                )
                for m in members[family.pk].values()
            ),
            evidence=tuple(evidence[family.pk].values()),
        )
    return snapshots


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def evidence_digest(snapshot: FamilySnapshot, refs: Iterable[EvidenceRef]) -> str:
    """SHA-256 over the canonical JSON of the evidence records an evaluation used.

    The household it was read against (members, roles, dates of birth, membership dates and the
    family's identification, attachment, closure and step-down dates) is part of the digest too: a member leaving
    changes an evaluation as surely as a new record does.
    """
    used = {(kind, int(i)) for kind, i in refs}
    records = sorted(
        (evidence_to_dict(r) for r in snapshot.evidence if (r.kind, r.id) in used),
        key=lambda r: (r["kind"], r["id"]),
    )
    household = {
        "identified_on": snapshot.identified_on,
        "attached_on": snapshot.attached_on,
        "closed_on": snapshot.closed_on,
        "stepped_down_on": snapshot.stepped_down_on,
        "members": sorted(
            (
                {
                    "person_id": m.person_id,
                    "role": m.role,
                    "date_of_birth": m.date_of_birth,
                    "memberships": sorted(
                        ([start, end] for start, end in m.memberships),
                        key=lambda p: (p[0], p[1] or date.max),
                    ),
                }
                for m in snapshot.members
            ),
            key=lambda m: m["person_id"],
        ),
    }
    canonical = json.dumps(
        {"evidence": records, "household": household},
        sort_keys=True,
        separators=(",", ":"),
        default=_jsonable,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
