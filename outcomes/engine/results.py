"""Result objects: what the engine says about each criterion, problem and family.

The rules fill in the facts (statuses, dates, evidence, what the figures were); ``wording`` turns
them into English once. ``to_dict()`` is the stored and API shape (spec/interfaces.md section 2):
keys are only ever added, never renamed or removed.
"""

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
    """One subject's result for one criterion (a member, or the family for family-level rules).

    ``facts`` says what the evidence shows, in words, without the status or the date it was (or
    can be) met: the wording adds those once. ``subject`` is the member's name ("" for the
    family). ``members`` are the people whose evidence made a family-level indicator true.
    """

    status: str
    facts: str
    evidence: tuple[EvidenceRef, ...] = ()
    met_since: date | None = None
    earliest_met_on: date | None = None
    missing: tuple[str, ...] = ()
    person_id: int | None = None
    subject: str = ""
    members: tuple[int, ...] = ()
    # Indicators: not shown on the evidence as the plan reads it, but the evidence on record
    # points to it (a term's record missing, an age band met on the other date, a judgement not
    # yet recorded). Such an indicator does not make a family eligible, but if the family is
    # eligible its problem must still be met for a results claim.
    indicated: bool = False


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
    # The date sentence for this criterion ("met since 1 March 2016"), never part of explanation.
    when: str = ""
    # Ids of the other items of the "any of" group this criterion is in (one of them is enough).
    alternatives: tuple[str, ...] = ()
    # In an "any of" group where another alternative is met: this one is not needed.
    not_needed: bool = False
    # Indicators: indicated on incomplete evidence (see Part.indicated).
    indicated: bool = False

    @property
    def text(self) -> str:
        """The explanation and its date in one sentence, for places that show one line."""
        return f"{self.explanation}; {self.when}" if self.when else self.explanation

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
            "when": self.when,
            "text": self.text,
            "alternatives": list(self.alternatives),
            "not_needed": self.not_needed,
            "indicated": self.indicated,
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
    # Why the problem was identified: one line per distinct fact, naming every indicator it meets.
    why: tuple[str, ...] = ()
    # The outcome's groups as a tree: {"combine", "status", "items": [criterion id | subtree]}.
    outcome_groups: dict[str, Any] | None = None
    # Not identified, but indicated on incomplete evidence: it does not count towards
    # eligibility, and it must be met for a results claim (its outcome is evaluated).
    indicated: bool = False

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
                "why": list(self.why),
            },
            "outcome_groups": self.outcome_groups,
            "indicated": self.indicated,
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
    # Added with the claimability decision (rules version 2):
    results_problems: tuple[str, ...] = ()  # the problems a results claim rests on
    results_not_before: date | None = None  # attachment plus the plan's shortest sustain period
    closed_on: date | None = None
    stepped_down_on: date | None = None
    family_definition: CriterionResult | None = None
    claimability: Any = None  # claimability.Claimability

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
        for c in (
            self.local_criteria,
            self.continuous_employment,
            self.family_definition,
            *self.claim_conditions,
        ):
            if c is not None:
                refs.extend(c.evidence)
        return sorted_refs(refs)

    def to_dict(self) -> dict[str, Any]:
        from .claimability import RULES_VERSION

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
            "rules_version": RULES_VERSION,
            "results_problems": list(self.results_problems),
            "results_not_before": iso(self.results_not_before),
            "closed_on": iso(self.closed_on),
            "stepped_down_on": iso(self.stepped_down_on),
            "family_definition": self.family_definition.to_dict()
            if self.family_definition
            else None,
            "claimability": self.claimability.to_dict() if self.claimability else None,
        }
