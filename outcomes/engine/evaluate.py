"""evaluate(plan, snapshot, as_of): which problems identify the family, and whether each is met."""

from __future__ import annotations

from datetime import date

from .plan import Criterion, Group, Plan, Problem
from .results import (
    MET,
    NOT_APPLICABLE,
    NOT_IDENTIFIED,
    NOT_MET,
    PROGRESSING,
    Blocking,
    CriterionResult,
    Evaluation,
    Part,
    ProblemEvaluation,
    sorted_refs,
)
from .rules import FAMILY_CAPABLE, INDICATOR_RULES, OUTCOME_RULES, Context, not_attached_part
from .snapshot import FamilySnapshot
from .terms import DEFAULT_TERMS, TermCalendar


def _combine_parts(
    crit: Criterion, parts: list[Part], quantifier: str, *, members: tuple[int, ...]
) -> CriterionResult:
    label = crit.describe()
    if not parts:
        return CriterionResult(
            crit.id,
            crit.kind,
            label,
            NOT_APPLICABLE,
            "No family member is covered by this measure",
            members=members,
        )
    evidence = sorted_refs(r for p in parts for r in p.evidence)
    explanation = "; ".join(p.explanation for p in parts)
    missing = tuple(dict.fromkeys(m for p in parts if p.status != MET for m in p.missing))
    statuses = [p.status for p in parts]
    if quantifier == "each":
        if all(s == MET for s in statuses):
            since = max(p.met_since for p in parts)  # type: ignore[type-var]
            return CriterionResult(
                crit.id, crit.kind, label, MET, explanation, evidence, since, since, (), members
            )
        status = NOT_MET if NOT_MET in statuses else PROGRESSING
        dates = [p.earliest_met_on for p in parts]
        earliest = None if any(d is None for d in dates) else max(dates)  # type: ignore[type-var]
        return CriterionResult(
            crit.id,
            crit.kind,
            label,
            status,
            explanation,
            evidence,
            None,
            earliest,
            missing,
            members,
        )
    met = [p for p in parts if p.status == MET]
    if met:
        since = min(p.met_since for p in met)  # type: ignore[type-var]
        return CriterionResult(
            crit.id, crit.kind, label, MET, explanation, evidence, since, since, (), members
        )
    status = PROGRESSING if PROGRESSING in statuses else NOT_MET
    dates = [p.earliest_met_on for p in parts if p.earliest_met_on is not None]
    return CriterionResult(
        crit.id,
        crit.kind,
        label,
        status,
        explanation,
        evidence,
        None,
        min(dates) if dates else None,
        missing,
        members,
    )


def evaluate_indicator(crit: Criterion, ctx: Context) -> CriterionResult:
    parts = INDICATOR_RULES[type(crit)](crit, ctx)
    identified = tuple(
        sorted({p.person_id for p in parts if p.status == MET and p.person_id is not None})
    )
    met = [p for p in parts if p.status == MET]
    label = crit.describe()
    if met:
        return CriterionResult(
            crit.id,
            crit.kind,
            label,
            MET,
            "; ".join(p.explanation for p in met),
            sorted_refs(r for p in met for r in p.evidence),
            members=identified,
        )
    text = (
        "; ".join(p.explanation for p in parts) if parts else "No matching evidence in the baseline"
    )
    return CriterionResult(
        crit.id, crit.kind, label, NOT_MET, text, sorted_refs(r for p in parts for r in p.evidence)
    )


def evaluate_outcome(
    crit: Criterion, ctx: Context, identified: dict[str, CriterionResult]
) -> CriterionResult:
    """One outcome criterion. ``identified`` maps this problem's indicator ids to their results."""
    label = crit.describe()
    if crit.when_identified_by and not any(
        identified.get(i) and identified[i].status == MET for i in crit.when_identified_by
    ):
        return CriterionResult(
            crit.id,
            crit.kind,
            label,
            NOT_APPLICABLE,
            "Not needed: the family was not identified by " + " or ".join(crit.when_identified_by),
        )
    if not ctx.attached:
        p = not_attached_part()
        return CriterionResult(
            crit.id, crit.kind, label, p.status, p.explanation, missing=p.missing
        )
    rule = OUTCOME_RULES[type(crit)]
    if crit.scope == "family" and isinstance(crit, FAMILY_CAPABLE):
        part = rule(crit, ctx, None)
        return _combine_parts(crit, [part] if part else [], "each", members=())
    sources = [
        identified[i]
        for i in (crit.when_identified_by or tuple(identified))
        if i in identified and identified[i].status == MET
    ]
    subject_ids = sorted({pid for r in sources for pid in r.members})
    if crit.subjects == "identified" and subject_ids:
        subjects = [ctx.members[pid] for pid in subject_ids]
    else:
        subjects = ctx.current_members(crit.applies_to)
    parts = [p for p in (rule(crit, ctx, m) for m in subjects) if p is not None]
    return _combine_parts(
        crit, parts, crit.quantifier, members=tuple(m.person_id for m in subjects)
    )


def _group_status(group: Group, results: dict[str, CriterionResult]) -> tuple[str, object, object]:
    """(status, met_since, earliest_met_on) of a group; not_applicable items are ignored."""
    items = []
    for item in group.criteria:
        if isinstance(item, Group):
            items.append(_group_status(item, results))
        else:
            r = results[item.id]
            items.append((r.status, r.met_since, r.earliest_met_on))
    items = [i for i in items if i[0] != NOT_APPLICABLE]
    if not items:
        return NOT_APPLICABLE, None, None
    statuses = [s for s, _, _ in items]
    if group.combine == "all":
        if all(s == MET for s in statuses):
            dates = [i[1] for i in items if i[1] is not None]  # indicators carry no dates
            since = max(dates) if dates else None
            return MET, since, since
        dates = [i[2] for i in items]
        earliest = None if any(d is None for d in dates) else max(dates)
        return (NOT_MET if NOT_MET in statuses else PROGRESSING), None, earliest
    met = [i for i in items if i[0] == MET]
    if met:
        dates = [i[1] for i in met if i[1] is not None]
        since = min(dates) if dates else None
        return MET, since, since
    dates = [i[2] for i in items if i[2] is not None]
    return (
        (PROGRESSING if PROGRESSING in statuses else NOT_MET),
        None,
        (min(dates) if dates else None),
    )


def _group_missing(group: Group, results: dict[str, CriterionResult]) -> list[str]:
    chunks: list[list[str]] = []
    for item in group.criteria:
        if isinstance(item, Group):
            status = _group_status(item, results)[0]
            lines = _group_missing(item, results) if status not in (MET, NOT_APPLICABLE) else []
        else:
            r = results[item.id]
            lines = list(r.missing) if r.status not in (MET, NOT_APPLICABLE) else []
            if r.status not in (MET, NOT_APPLICABLE) and not lines:
                lines = [r.label]
        if lines:
            chunks.append(lines)
    if group.combine == "any" and len(chunks) > 1:
        return ["One of: " + " | or | ".join("; ".join(c) for c in chunks)]
    return [line for chunk in chunks for line in chunk]


def evaluate_problem(problem: Problem, ctx: Context) -> ProblemEvaluation:
    indicator_results = {c.id: evaluate_indicator(c, ctx) for c in problem.indicators.leaves()}
    identified_status = _group_status(problem.indicators, indicator_results)[0]
    identification = tuple(indicator_results[c.id] for c in problem.indicators.leaves())
    if identified_status != MET:
        return ProblemEvaluation(
            problem.code, problem.title, False, NOT_IDENTIFIED, None, None, (), (), identification
        )
    outcome_results = {
        c.id: evaluate_outcome(c, ctx, indicator_results) for c in problem.outcome.leaves()
    }
    status, since, earliest = _group_status(problem.outcome, outcome_results)
    missing = _group_missing(problem.outcome, outcome_results)
    if status == NOT_APPLICABLE:
        status, missing = (
            NOT_MET,
            ["No outcome measure in the plan applies to how this family was identified"],
        )
    return ProblemEvaluation(
        code=problem.code,
        title=problem.title,
        identified=True,
        outcome=status,
        met_since=since if status == MET else None,  # type: ignore[arg-type]
        earliest_met_on=earliest,  # type: ignore[arg-type]
        criteria=tuple(outcome_results[c.id] for c in problem.outcome.leaves()),
        missing=tuple(dict.fromkeys(missing)),
        identification=identification,
    )


def evaluate(
    plan: Plan, snapshot: FamilySnapshot, as_of: date, terms: TermCalendar | None = None
) -> Evaluation:
    """Evaluate a family against a plan on a date. Pure and deterministic: same inputs, same output."""
    ctx = Context(plan, snapshot, as_of, terms or DEFAULT_TERMS)
    problems = tuple(evaluate_problem(p, ctx) for p in plan.problems)
    identified = [p for p in problems if p.identified]
    eligible = len(identified) >= plan.min_problems
    local = None
    if plan.local_criteria is not None:
        results = {
            c.id: evaluate_indicator(c, ctx) for c in plan.local_criteria.indicators.leaves()
        }
        status = _group_status(plan.local_criteria.indicators, results)[0]
        met_results = [r for r in results.values() if r.status == MET] or list(results.values())
        local = CriterionResult(
            "local-criteria",
            "local_criteria",
            plan.local_criteria.title,
            MET if status == MET else NOT_MET,
            "; ".join(r.explanation for r in met_results),
            sorted_refs(ref for r in met_results for ref in r.evidence),
        )
        if status == MET and len(identified) >= plan.local_criteria.min_problems:
            eligible = True

    ce = None
    if plan.continuous_employment is not None:
        ce = evaluate_outcome(plan.continuous_employment, ctx, {})
    conditions = tuple(evaluate_outcome(c, ctx, {}) for c in plan.claim_conditions)

    results_problems = [
        p for p in identified if not plan.results_require or p.code in plan.results_require
    ]
    blocking: list[Blocking] = []
    if not eligible:
        needed = f"at least {plan.min_problems}"
        if plan.local_criteria is not None:
            needed += f" (or {plan.local_criteria.min_problems} with the local criterion)"
        blocking.append(
            Blocking(
                None,
                "eligibility",
                NOT_MET,
                f"Identified with {len(identified)} problem{'s' if len(identified) != 1 else ''}; {needed} are needed",
            )
        )
    if not ctx.attached:
        blocking.append(
            Blocking(
                None, "attachment", NOT_MET, "The family has not been attached to the programme"
            )
        )
    if not results_problems:
        blocking.append(
            Blocking(
                None, "results", NOT_MET, "No identified problem counts towards a results claim"
            )
        )
    for p in results_problems:
        if p.outcome == MET:
            continue
        for c in p.criteria:
            if c.status in (NOT_MET, PROGRESSING):
                blocking.append(Blocking(p.code, c.id, c.status, c.explanation, c.earliest_met_on))
        if p.outcome != MET and not any(b.problem == p.code for b in blocking):
            blocking.append(
                Blocking(p.code, "outcome", p.outcome, "; ".join(p.missing), p.earliest_met_on)
            )
    for c in conditions:
        if c.status != MET:
            blocking.append(Blocking(None, c.id, c.status, c.explanation, c.earliest_met_on))

    claimable_results = (
        eligible
        and ctx.attached
        and bool(results_problems)
        and all(p.outcome == MET for p in results_problems)
        and all(c.status == MET for c in conditions)
    )
    claimable_ce = bool(eligible and ctx.attached and ce is not None and ce.status == MET)
    earliest_dates = [
        p.met_since if p.outcome == MET else p.earliest_met_on for p in results_problems
    ]
    earliest_dates += [c.met_since if c.status == MET else c.earliest_met_on for c in conditions]
    results_earliest = None
    if (
        eligible
        and ctx.attached
        and results_problems
        and all(d is not None for d in earliest_dates)
    ):
        results_earliest = max(earliest_dates)  # type: ignore[type-var]

    return Evaluation(
        family=snapshot.reference,
        as_of=as_of,
        plan_slug=plan.slug,
        plan_version=plan.version,
        eligible=eligible,
        problems=problems,
        claimable_results=claimable_results,
        claimable_continuous_employment=claimable_ce,
        blocking=tuple(blocking),
        attached_on=snapshot.attached_on,
        min_problems=plan.min_problems,
        local_criteria=local,
        continuous_employment=ce,
        claim_conditions=conditions,
        results_earliest_on=results_earliest,
    )
