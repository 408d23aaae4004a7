"""Whether a family can be claimed for: decided here, and only here.

``decide_claimability`` is what ``evaluate`` uses. ``claimability_of`` answers the same question
from a stored evaluation (the ``Evaluation.to_dict()`` shape) for services, claim drafting and
commands, so none of them restates the rule. A stored result only supports a claim when it was
worked out by these rules (``rules_version``), as of the claim date when one is given, and when
its own figures still add up to "claimable".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .dates import english

# Raised whenever the rules change what a stored result means. Results stored by earlier rules do
# not support a claim: evaluate the family again.
RULES_VERSION = 2

RESULTS = "results"
CONTINUOUS_EMPLOYMENT = "continuous_employment"
CLAIM_TYPES = (RESULTS, CONTINUOUS_EMPLOYMENT)


@dataclass(frozen=True)
class Claimability:
    """Which outcome claims the family supports, and in plain words why not."""

    results: bool
    continuous_employment: bool
    results_refusal: str | None = None
    continuous_employment_refusal: str | None = None

    @property
    def any(self) -> bool:
        return self.results or self.continuous_employment

    def refusal(self, claim_type: str) -> str | None:
        """Why a claim of this type cannot be made (None when it can)."""
        if claim_type == RESULTS:
            return self.results_refusal
        if claim_type == CONTINUOUS_EMPLOYMENT:
            return self.continuous_employment_refusal
        return f"{claim_type.replace('_', ' ').capitalize()} is not an outcome claim the plan pays."

    def to_dict(self) -> dict[str, Any]:
        return {
            "results": self.results,
            "continuous_employment": self.continuous_employment,
            "results_refusal": self.results_refusal,
            "continuous_employment_refusal": self.continuous_employment_refusal,
        }


def decide_claimability(
    *,
    as_of: date,
    eligible: bool,
    attached: bool,
    results_outcomes: Mapping[str, str],
    claim_conditions: Sequence[tuple[str, str]] = (),
    continuous_employment: str | None = None,
    not_before: date | None = None,
    problem_titles: Mapping[str, str] | None = None,
) -> Claimability:
    """The one decision.

    ``results_outcomes`` maps each problem a results claim rests on (identified, and counted by
    the plan) to its outcome status; ``claim_conditions`` are (id, status) of the plan's
    family-level conditions; ``continuous_employment`` is the status of the plan's continuous
    employment measure (None when the plan has none); ``not_before`` is attachment plus the plan's
    shortest sustain period: no claim of either kind before it.
    """
    titles = problem_titles or {}
    common = None
    if not eligible:
        common = "The family is not eligible under the outcomes plan."
    elif not attached:
        common = "The family is not attached to the programme."
    elif not_before is not None and as_of < not_before:
        common = (
            f"No claim before {english(not_before)}: the plan's shortest sustain period after "
            "attachment ends then."
        )

    results_refusal = common
    if results_refusal is None:
        unmet = [code for code, status in results_outcomes.items() if status != "met"]
        conditions = [cid for cid, status in claim_conditions if status != "met"]
        if not results_outcomes:
            results_refusal = "No identified problem counts towards a results claim."
        elif unmet:
            names = ", ".join(titles.get(code, code.replace("_", " ")) for code in unmet)
            results_refusal = f"Not every problem the family was identified with is met: {names}."
        elif conditions:
            results_refusal = (
                f"A condition every results claim needs is not met: {', '.join(conditions)}."
            )

    ce_refusal = common
    if ce_refusal is None:
        if continuous_employment is None:
            ce_refusal = "The plan has no continuous employment claim."
        elif continuous_employment != "met":
            ce_refusal = "No adult has moved into continuous employment as the plan requires."

    return Claimability(
        results=results_refusal is None,
        continuous_employment=ce_refusal is None,
        results_refusal=results_refusal,
        continuous_employment_refusal=ce_refusal,
    )


def claimability_of(result: Mapping[str, Any], *, claim_date: date | None = None) -> Claimability:
    """Claimability from a stored evaluation (``Evaluation.to_dict()``, as read back from JSON).

    Worked out again from the result's own figures with ``decide_claimability``, and claimable
    only if the stored ``claimable`` flags agree (so a result edited or stored by other rules never
    supports a claim). With ``claim_date``, the result must be as of that date: a claim rests on
    the family's outcomes on the claim date, not on a later or earlier evaluation.
    """

    def refuse(reason: str) -> Claimability:
        return Claimability(False, False, reason, reason)

    if result.get("rules_version") != RULES_VERSION:
        return refuse(
            "This result was worked out by an earlier version of the outcomes rules: evaluate "
            "the family again."
        )
    try:
        as_of = date.fromisoformat(str(result["as_of"]))
    except (KeyError, ValueError):
        return refuse("This result has no evaluation date: evaluate the family again.")
    if claim_date is not None and as_of != claim_date:
        return refuse(
            f"This result is as of {english(as_of)}, not the claim date {english(claim_date)}: "
            "evaluate the family as of the claim date."
        )
    attached_on = result.get("attached_on")
    attached = bool(attached_on) and date.fromisoformat(str(attached_on)) <= as_of
    not_before = result.get("results_not_before")
    problems = {p.get("code"): p for p in result.get("problems", ())}
    wanted = result.get("results_problems", ())
    decided = decide_claimability(
        as_of=as_of,
        eligible=bool(result.get("eligible")),
        attached=attached,
        results_outcomes={
            code: problems.get(code, {}).get("outcome", "not_identified") for code in wanted
        },
        claim_conditions=[
            (c.get("id", "?"), c.get("status", "")) for c in result.get("claim_conditions", ())
        ],
        continuous_employment=(result.get("continuous_employment") or {}).get("status"),
        not_before=date.fromisoformat(str(not_before)) if not_before else None,
        problem_titles={code: p.get("title", code) for code, p in problems.items()},
    )
    stored = result.get("claimable") or {}
    disagree = "The stored result does not add up: evaluate the family again."
    results = decided.results and stored.get("results") is True
    employment = decided.continuous_employment and stored.get("continuous_employment") is True
    return Claimability(
        results=results,
        continuous_employment=employment,
        results_refusal=None if results else (decided.results_refusal or disagree),
        continuous_employment_refusal=None
        if employment
        else (decided.continuous_employment_refusal or disagree),
    )
