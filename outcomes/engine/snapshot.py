"""The family as the rules see it on a date: members with dated membership, and typed evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .dates import age_on
from .evidence import Evidence, EvidenceError, evidence_from_dict

ROLES = ("adult", "child")


@dataclass(frozen=True, kw_only=True)
class Member:
    """A person in the household. ``memberships`` are (start, end-or-None) ranges; empty means always."""

    person_id: int
    role: str  # adult / child
    date_of_birth: date | None = None
    memberships: tuple[tuple[date, date | None], ...] = ()
    name: str = ""

    def is_member_on(self, on: date) -> bool:
        if not self.memberships:
            return True
        return any(start <= on and (end is None or on <= end) for start, end in self.memberships)

    def member_periods(self) -> tuple[tuple[date | None, date | None], ...]:
        """Membership ranges; (None, None) when membership is not dated."""
        if not self.memberships:
            return ((None, None),)
        return tuple(sorted(self.memberships, key=lambda p: p[0]))

    def age_on(self, on: date) -> int | None:
        return age_on(self.date_of_birth, on)

    @property
    def display_name(self) -> str:
        return self.name or f"Member {self.person_id}"


@dataclass(frozen=True, kw_only=True)
class FamilySnapshot:
    """A family as the rules see it.

    ``closed_on`` is the date the family's case was closed, and ``stepped_down_on`` the date it
    was stepped down to less intensive support (the latest step-down, if more than one); outcomes
    that are sustained "at case closure or step down" are read on these dates. Both are optional:
    None means it has not happened (or is not known), so such outcomes stay unmet.
    """

    reference: str
    identified_on: date | None = None
    attached_on: date | None = None
    members: tuple[Member, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    closed_on: date | None = None
    stepped_down_on: date | None = None

    def member(self, person_id: int) -> Member | None:
        for m in self.members:
            if m.person_id == person_id:
                return m
        return None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FamilySnapshot:
        """Build a snapshot from plain data.

        ``{"reference": "F-1", "identified_on": date, "attached_on": date | None,
        "closed_on": date | None, "stepped_down_on": date | None,
        "members": [{"person_id": 1, "role": "child", "date_of_birth": date,
        "memberships": [(start, end | None)], "name": "..."}],
        "evidence": [{"kind": "offences", "id": 7, "person_id": 1, "offence_date": date, ...}]}``
        """
        members = []
        for raw in data.get("members", ()):
            role = raw["role"]
            if role not in ROLES:
                raise EvidenceError(
                    f"member {raw.get('person_id')}: role must be adult or child, got {role!r}"
                )
            memberships = tuple(
                (_as_date(p[0]), _as_date(p[1]) if p[1] is not None else None)
                if not isinstance(p, dict)
                else (_as_date(p["start"]), _as_date(p["end"]) if p.get("end") else None)
                for p in raw.get("memberships", ())
            )
            members.append(
                Member(
                    person_id=int(raw["person_id"]),
                    role=role,
                    date_of_birth=_as_date(raw["date_of_birth"])
                    if raw.get("date_of_birth")
                    else None,
                    memberships=memberships,
                    name=raw.get("name", ""),
                )
            )
        evidence = tuple(
            evidence_from_dict(raw["kind"], {k: v for k, v in raw.items() if k != "kind"})
            for raw in data.get("evidence", ())
        )
        return cls(
            reference=str(data["reference"]),
            identified_on=_as_date(data["identified_on"]) if data.get("identified_on") else None,
            attached_on=_as_date(data["attached_on"]) if data.get("attached_on") else None,
            members=tuple(members),
            evidence=evidence,
            closed_on=_as_date(data["closed_on"]) if data.get("closed_on") else None,
            stepped_down_on=_as_date(data["stepped_down_on"])
            if data.get("stepped_down_on")
            else None,
        )


def _as_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
