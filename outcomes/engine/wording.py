"""English wording, said once: evaluations rendered from the rules' structured results, and the
plan as a table like the councils' documents.

The rules decide and record facts (status, dates, figures, who); nothing below changes a status.
The rules never write the date a criterion is (or can be) met into its facts: ``when`` says it
here, once, so a page that shows "explanation; when" never says it twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .dates import english
from .model import Group, Plan
from .results import MET, NOT_APPLICABLE, NOT_MET, PROGRESSING, CriterionResult, Part


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def when(status: str, met_since: date | None, earliest: date | None) -> str:
    """The date sentence: "met since 1 March 2016", "met on 1 March 2016 if it holds", or ""."""
    if status == MET and met_since is not None:
        return f"met since {english(met_since)}"
    if status in (PROGRESSING, NOT_MET) and earliest is not None:
        return f"met on {english(earliest)} if it holds"
    return ""


def part_line(part: Part) -> str:
    return f"{part.subject}: {part.facts}" if part.subject else part.facts


def explanation(
    parts: Sequence[Part], status: str, since: date | None, earliest: date | None
) -> str:
    """A criterion's facts, each subject once. With several subjects, a subject's own date is
    added only where it differs from the criterion's (which ``when`` gives)."""
    if len(parts) == 1:  # the common case: one subject, nothing to merge
        return capitalised(part_line(parts[0]))
    own = when(status, since, earliest)
    lines = []
    for p in parts:
        line = part_line(p)
        if len(parts) > 1:
            mine = when(p.status, p.met_since, p.earliest_met_on)
            if mine and mine != own:
                line += f" ({mine})"
        lines.append(line)
    return capitalised("; ".join(dict.fromkeys(lines)))


def full_text(explanation_text: str, when_text: str) -> str:
    return f"{explanation_text}; {when_text}" if when_text else explanation_text


def indicator_explanation(label: str, parts: Sequence[Part]) -> str:
    """An indicator's explanation names the indicator, so two indicators met by the same evidence
    never read as the same line."""
    if len(parts) == 1:
        return f"{label}: {part_line(parts[0])}"
    facts = "; ".join(dict.fromkeys(part_line(p) for p in parts))
    return f"{label}: {facts}" if facts else label


def why_lines(met: Iterable[CriterionResult], facts_of: dict[str, str]) -> tuple[str, ...]:
    """Why a problem was identified: one line per distinct fact, naming every indicator it meets."""
    by_facts: dict[str, list[str]] = {}
    for r in met:
        by_facts.setdefault(facts_of.get(r.id, r.explanation), []).append(r.label)
    return tuple(
        f"{join_words(labels)}: {facts}" if facts else join_words(labels)
        for facts, labels in by_facts.items()
    )


def join_words(items: Sequence[str], last: str = "and") -> str:
    items = list(dict.fromkeys(items))
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def one_of(chunks: Sequence[Sequence[str]]) -> list[str]:
    """What is missing from an "any of" group: each distinct alternative once, and a word that
    one of them is enough."""
    distinct = list(dict.fromkeys(tuple(dict.fromkeys(c)) for c in chunks if c))
    if not distinct:
        return []
    if len(distinct) == 1:
        return list(distinct[0])
    return ["One of these is enough: " + "; or ".join("; ".join(c) for c in distinct)]


def not_needed_note(met_labels: Sequence[str]) -> str:
    return f"not needed: {join_words(met_labels, 'or')} is met, and one of these alternatives is enough"


def status_words(status: str) -> str:
    return {
        MET: "met",
        PROGRESSING: "progressing",
        NOT_MET: "not met",
        NOT_APPLICABLE: "not needed",
    }.get(status, status.replace("_", " "))


# --------------------------------------------------------------------------------------------
# The plan as a table, like the councils' documents


@dataclass(frozen=True)
class PlanTableRow:
    problem: str
    identifiers: tuple[str, ...]
    outcome_measures: tuple[str, ...]
    periods: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "problem": self.problem,
            "identifiers": list(self.identifiers),
            "outcome_measures": list(self.outcome_measures),
            "periods": list(self.periods),
        }


def _group_lines(group: Group) -> list[str]:
    lines = []
    for item in group.criteria:
        if isinstance(item, Group):
            joiner = " and " if item.combine == "all" else " or "
            lines.append(joiner.join(_group_lines(item)))
        else:
            lines.append(item.describe())
    return lines


def _periods(group: Group) -> list[str]:
    seen: list[str] = []
    for crit in group.leaves():
        period = crit.period()
        if period and period not in seen:
            seen.append(period)
    return seen


def plan_table(plan: Plan) -> list[PlanTableRow]:
    """Rows of (problem, identifiers, outcome measures, periods) in readable English."""
    rows = [
        PlanTableRow(
            problem=p.title,
            identifiers=tuple(_group_lines(p.indicators)),
            outcome_measures=tuple(_group_lines(p.outcome)),
            periods=tuple(_periods(p.outcome)),
        )
        for p in plan.problems
    ]
    if plan.continuous_employment is not None:
        ce = plan.continuous_employment
        rows.append(
            PlanTableRow(
                problem="Continuous employment (an alternative results claim)",
                identifiers=("Adult on out-of-work benefits before attachment",),
                outcome_measures=(ce.describe(),),
                periods=(ce.period(),),
            )
        )
    return rows
