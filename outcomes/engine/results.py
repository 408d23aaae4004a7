"""Result objects: what the engine says about each criterion, problem and family."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .dates import iso

MET = "met"
PROGRESSING = "progressing"
NOT_MET = "not_met"
NOT_APPLICABLE = "not_applicable"
NOT_IDENTIFIED = "not_identified"

EvidenceRef = tuple[str, int]


def refs_to_list(refs: tuple[EvidenceRef, ...]) -> list[dict[str, Any]]:
    return [{"kind": k, "id": i} for k, i in refs]


def sorted_refs(refs) -> tuple[EvidenceRef, ...]:
    return tuple(sorted(set(refs)))


@dataclass(frozen=True)
class Part:
    """One subject's result for one criterion (a member, or the family for family-level rules)."""

    status: str
    explanation: str
    evidence: tuple[EvidenceRef, ...] = ()
    met_since: date | None = None
    earliest_met_on: date | None = None
    missing: tuple[str, ...] = ()
    person_id: int | None = None


@dataclass(frozen=True)
class CriterionResult:
    id: str
    kind: str
    label: str
    status: str
    explanation: str
    evidence: tuple[EvidenceRef, ...] = ()
    met_since: date | None = None
    earliest_met_on: date | None = None
    missing: tuple[str, ...] = ()
    members: tuple[int, ...] = field(
        default=()
    )  # indicators: members identified; outcomes: subjects

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "explanation": self.explanation,
            "evidence": refs_to_list(self.evidence),
            "kind": self.kind,
            "label": self.label,
            "met_since": iso(self.met_since),
            "earliest_met_on": iso(self.earliest_met_on),
            "missing": list(self.missing),
            "members": list(self.members),
        }


@dataclass(frozen=True)
class ProblemEvaluation:
    code: str
    title: str
    identified: bool
    outcome: str
    met_since: date | None
    earliest_met_on: date | None
    criteria: tuple[CriterionResult, ...]
    missing: tuple[str, ...]
    identification: tuple[CriterionResult, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "identified": self.identified,
            "outcome": self.outcome,
            "met_since": iso(self.met_since),
            "criteria": [c.to_dict() for c in self.criteria],
            "missing": list(self.missing),
            "title": self.title,
            "earliest_met_on": iso(self.earliest_met_on),
            "identification": {
                "indicators": [c.to_dict() for c in self.identification],
                "evidence": refs_to_list(
                    sorted_refs(
                        r for c in self.identification if c.status == MET for r in c.evidence
                    )
                ),
            },
        }


@dataclass(frozen=True)
class Blocking:
    problem: str | None  # None: about the family (eligibility, attachment, claim conditions)
    criterion: str
    status: str
    explanation: str
    earliest_met_on: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "problem": self.problem,
            "criterion": self.criterion,
            "status": self.status,
            "explanation": self.explanation,
            "earliest_met_on": iso(self.earliest_met_on),
        }


@dataclass(frozen=True)
class Evaluation:
    family: str
    as_of: date
    plan_slug: str
    plan_version: str
    eligible: bool
    problems: tuple[ProblemEvaluation, ...]
    claimable_results: bool
    claimable_continuous_employment: bool
    blocking: tuple[Blocking, ...]
    attached_on: date | None = None
    min_problems: int = 0
    local_criteria: CriterionResult | None = None
    continuous_employment: CriterionResult | None = None
    claim_conditions: tuple[CriterionResult, ...] = ()
    results_earliest_on: date | None = None

    def problem(self, code: str) -> ProblemEvaluation:
        for p in self.problems:
            if p.code == code:
                return p
        raise KeyError(code)

    @property
    def identified_problems(self) -> tuple[str, ...]:
        return tuple(p.code for p in self.problems if p.identified)

    def evidence_refs(self) -> tuple[EvidenceRef, ...]:
        """Every (kind, id) the evaluation used, sorted, so the caller can digest the evidence."""
        refs: list[EvidenceRef] = []
        for p in self.problems:
            for c in (*p.identification, *p.criteria):
                refs.extend(c.evidence)
        for c in (self.local_criteria, self.continuous_employment, *self.claim_conditions):
            if c is not None:
                refs.extend(c.evidence)
        return sorted_refs(refs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "family": self.family,
            "as_of": self.as_of.isoformat(),
            "plan": {"slug": self.plan_slug, "version": self.plan_version},
            "eligible": self.eligible,
            "problems": [p.to_dict() for p in self.problems],
            "claimable": {
                "results": self.claimable_results,
                "continuous_employment": self.claimable_continuous_employment,
            },
            "blocking": [b.to_dict() for b in self.blocking],
            "attached_on": iso(self.attached_on),
            "min_problems": self.min_problems,
            "identified_problems": list(self.identified_problems),
            "local_criteria": self.local_criteria.to_dict() if self.local_criteria else None,
            "continuous_employment": self.continuous_employment.to_dict()
            if self.continuous_employment
            else None,
            "claim_conditions": [c.to_dict() for c in self.claim_conditions],
            "results_earliest_on": iso(self.results_earliest_on),
        }
