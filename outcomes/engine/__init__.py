"""The outcomes rules engine: pure Python, no Django.

Plans are data (YAML, see docs/outcomes-plans.md); a family is a ``FamilySnapshot`` of members
and typed evidence; ``evaluate`` returns an ``Evaluation`` whose ``to_dict()`` is the API shape in
spec/interfaces.md section 2. Whether a family can be claimed for is decided once
(``decide_claimability``, used by ``evaluate``) and read back from a stored result with
``claimability_of``. See docs/outcomes.md for the interface.
"""

from .claimability import (
    CLAIM_TYPES,
    RULES_VERSION,
    Claimability,
    claimability_of,
    decide_claimability,
)
from .evaluate import evaluate, shortest_sustain_end
from .evidence import (
    EVIDENCE_KINDS,
    Evidence,
    EvidenceError,
    evidence_from_dict,
    evidence_to_dict,
)
from .loader import load_plan, load_shipped_plan, shipped_plan_paths, shipped_plans
from .model import Plan, PlanError, plan_judgements
from .results import (
    MET,
    NOT_APPLICABLE,
    NOT_IDENTIFIED,
    NOT_MET,
    PROGRESSING,
    Blocking,
    CriterionResult,
    Evaluation,
    ProblemEvaluation,
)
from .snapshot import FamilySnapshot, Member
from .terms import DEFAULT_TERMS, Term, TermCalendar
from .wording import PlanTableRow, plan_table

__all__ = [
    "CLAIM_TYPES",
    "DEFAULT_TERMS",
    "EVIDENCE_KINDS",
    "MET",
    "NOT_APPLICABLE",
    "NOT_IDENTIFIED",
    "NOT_MET",
    "PROGRESSING",
    "RULES_VERSION",
    "Blocking",
    "Claimability",
    "CriterionResult",
    "Evaluation",
    "Evidence",
    "EvidenceError",
    "FamilySnapshot",
    "Member",
    "Plan",
    "PlanError",
    "PlanTableRow",
    "ProblemEvaluation",
    "Term",
    "TermCalendar",
    "claimability_of",
    "decide_claimability",
    "evaluate",
    "evidence_from_dict",
    "evidence_to_dict",
    "load_plan",
    "load_shipped_plan",
    "plan_judgements",
    "plan_table",
    "shipped_plan_paths",
    "shipped_plans",
    "shortest_sustain_end",
]
