"""A claim's frozen evidence in words, for the auditor's page and the evidence pack.

The snapshot payload holds codes, ids and ISO dates (its digest covers exactly those). What an
auditor reads is made here from it: each record named by member ("Zoë Nowak", "The whole
family"), dated "3 February 2016", its values in words (`outcomes.wording`), and each problem
and criterion with its status in words and the records it rests on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from families.models import Person, User
from outcomes import wording

STATUS_WORDS = {
    "met": "Met",
    "progressing": "Progressing",
    "not_met": "Not met",
    "not_identified": "Not identified",
    "not_applicable": "Not needed",
}
SOURCE_WORDS = {
    "partner_file": "Partner data file",
    "keyworker": "Recorded by a worker",
    "system": "Generated",
}


def status_words(status: Any) -> str:
    return STATUS_WORDS.get(str(status), str(status or "").replace("_", " ").capitalize())


def yes_no(value: Any) -> str:
    return "Yes" if value else "No"


@dataclass(frozen=True)
class FrozenRecord:
    """One evidence record as frozen: numbered so the evaluation can point at it."""

    number: int
    kind: str
    id: int
    version: int
    label: str
    member: str
    details: str
    when: str
    fields: list[tuple[str, str]]
    source: str
    recorded: str

    @property
    def short(self) -> str:
        """ "Record 3: Offence, Tom Smith, 3 March 2015"."""
        parts = [self.label, self.member, self.when]
        return f"Record {self.number}: " + ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class FrozenCriterion:
    label: str
    status: str
    explanation: str
    records: list[FrozenRecord] = field(default_factory=list)
    unknown_refs: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FrozenProblem:
    title: str
    outcome: str
    met_since: str
    criteria: list[FrozenCriterion]


def _from_id(criterion_id: str) -> str:
    text = criterion_id.replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def names_for(evidence: Iterable[dict[str, Any]]) -> tuple[dict[int, str], dict[str, str]]:
    """The people the records are about, and the workers who recorded them (two queries)."""
    evidence = list(evidence)
    person_ids = {e["person_id"] for e in evidence if e.get("person_id")}
    usernames = {e["recorded_by"] for e in evidence if e.get("recorded_by")}
    people = {
        p.pk: p.full_name
        for p in Person.objects.filter(pk__in=person_ids).only("first_name", "last_name")
    }
    users = {
        u.username: u.display_name
        for u in User.objects.filter(username__in=usernames).only(
            "username", "first_name", "last_name"
        )
    }
    return people, users


def frozen_records(
    evidence: Iterable[dict[str, Any]], people: dict[int, str], users: dict[str, str]
) -> list[FrozenRecord]:
    records = []
    for number, e in enumerate(evidence, start=1):
        data = e.get("data") or {}
        kind = e.get("kind", "")
        person_id = e.get("person_id")
        member = people.get(person_id, "A former member") if person_id else "The whole family"
        source = e.get("source_name") or SOURCE_WORDS.get(e.get("source", ""), "")
        recorded = wording.long_date(e.get("recorded_at"))
        if e.get("recorded_by"):
            recorded += f" by {users.get(e['recorded_by'], e['recorded_by'])}"
        records.append(
            FrozenRecord(
                number=number,
                kind=kind,
                id=e.get("id"),
                version=e.get("version") or 1,
                label=wording.kind_label(kind, data),
                member=member,
                details=wording.evidence_details(kind, data),
                when=wording.evidence_when(kind, data, e.get("event_date"), e.get("end_date")),
                fields=wording.field_rows(kind, data),
                source=source,
                recorded=recorded,
            )
        )
    return records


def frozen_problems(result: dict[str, Any], records: list[FrozenRecord]) -> list[FrozenProblem]:
    """The problems the family was identified with, each criterion with the records it used."""
    by_ref = {(r.kind, r.id): r for r in records}
    problems = []
    for p in result.get("problems", []):
        if not p.get("identified"):
            continue
        criteria = []
        for c in p.get("criteria", []):
            if c.get("status") == "not_applicable":
                continue  # a measure for another way of being identified
            used, unknown = [], []
            for ref in c.get("evidence", []):
                record = by_ref.get((ref.get("kind"), ref.get("id")))
                if record is None:
                    unknown.append(f"{wording.kind_label(ref.get('kind', ''))} (not frozen)")
                else:
                    used.append(record)
            criteria.append(
                FrozenCriterion(
                    label=c.get("label") or _from_id(c.get("id", "")),
                    status=status_words(c.get("status")),
                    explanation=c.get("explanation", ""),
                    records=used,
                    unknown_refs=unknown,
                )
            )
        problems.append(
            FrozenProblem(
                title=p.get("title") or p.get("code", ""),
                outcome=status_words(p.get("outcome")),
                met_since=wording.long_date(p.get("met_since")),
                criteria=criteria,
            )
        )
    return problems


def present(
    evidence: list[dict[str, Any]], result: dict[str, Any]
) -> tuple[list[FrozenRecord], list[FrozenProblem]]:
    """A snapshot's evidence and evaluation in words (two queries for the names)."""
    people, users = names_for(evidence)
    records = frozen_records(evidence, people, users)
    return records, frozen_problems(result, records)
