"""Reads of evidence for a family's pages, in a fixed number of queries whatever the amount.

Evidence about a person belongs to every family they are, or were, a member of (the rules
use the dated memberships to decide what counts); family-level evidence (a keyworker's
judgement about the whole family) has the family set.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from families.models import Family, Membership, User
from families.permissions import can_edit_family
from outcomes import wording
from outcomes.models import Evidence


def _about_family(family: Family) -> Q:
    people = Membership.objects.filter(family=family).values("person_id")
    return Q(family=family) | Q(person_id__in=people)


def family_evidence_list(*, family: Family) -> QuerySet[Evidence]:
    """The family's current evidence (its members' and its own), oldest first."""
    return (
        Evidence.objects.filter(_about_family(family), is_current=True)
        .select_related("person", "recorded_by")
        .order_by("kind", "event_date", "id")
    )


def evidence_get(*, family: Family, pk: int) -> Evidence:
    """One version of a record about this family (already scoped by `family_get`), or Http404."""
    try:
        return Evidence.objects.select_related("person", "family", "recorded_by").get(
            _about_family(family), pk=pk
        )
    except Evidence.DoesNotExist:
        raise Http404("No evidence with that number for this family") from None


def evidence_versions(*, evidence: Evidence) -> list[Evidence]:
    """Every version of the record, newest first, with who recorded each."""
    return list(
        Evidence.objects.filter(record_key=evidence.record_key)
        .select_related("recorded_by", "person")
        .order_by("-version")
    )


# --- describing evidence for people (the words live in outcomes.wording) -----------------------


def evidence_details(record: Evidence) -> str:
    """The record's values in a line: "140 possible sessions, 24 missed (82.9% attendance)"."""
    return wording.evidence_details(record.kind, record.data)


def evidence_when(record: Evidence) -> str:
    return wording.evidence_when(record.kind, record.data, record.event_date, record.end_date)


@dataclass(frozen=True)
class EvidenceRow:
    record: Evidence
    kind_label: str
    details: str
    when: str
    source: str


@dataclass(frozen=True)
class EvidenceGroup:
    heading: str
    rows: list[EvidenceRow]


def evidence_source(record: Evidence) -> str:
    if record.source == Evidence.Source.PARTNER_FILE:
        filename = record.source_file
        where = (
            f"{filename}, row {record.import_row}" if filename and record.import_row else filename
        )
        who = record.source_name if record.source_name and record.source_name != filename else ""
        return ", ".join(p for p in (f"Partner file {where}".strip(), who) if p) or "Partner file"
    if record.source == Evidence.Source.KEYWORKER:
        return (
            f"Recorded by {record.recorded_by.display_name}"
            if record.recorded_by
            else "Recorded by a worker"
        )
    return "Generated"


def family_evidence_groups(*, family: Family) -> list[EvidenceGroup]:
    """The family's current evidence grouped by member (whole family first), then by kind."""
    records = list(family_evidence_list(family=family))
    kind_order = {kind: i for i, kind in enumerate(Evidence.Kind.values)}
    records.sort(
        key=lambda r: (
            r.person_id is not None,
            r.person.full_name if r.person else "",
            kind_order.get(r.kind, 99),
            r.event_date or r.recorded_at.date(),
        )
    )
    groups: OrderedDict[str, list[EvidenceRow]] = OrderedDict()
    for record in records:
        heading = record.person.full_name if record.person else "The whole family"
        groups.setdefault(heading, []).append(
            EvidenceRow(
                record=record,
                kind_label=wording.kind_label(record.kind, record.data),
                details=evidence_details(record),
                when=evidence_when(record),
                source=evidence_source(record),
            )
        )
    return [EvidenceGroup(heading, rows) for heading, rows in groups.items()]


def family_evidence_context(*, family: Family, user: User) -> dict[str, Any]:
    """What `templates/outcomes/_family_evidence.html` needs: include it with this context."""
    may_edit = can_edit_family(user, family)
    return {
        "family": family,
        # The family page's panel shows evidence to those who may change it only.
        "evidence_groups": family_evidence_groups(family=family) if may_edit else [],
        "may_edit_evidence": may_edit,
    }
