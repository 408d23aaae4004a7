"""evaluate(plan, snapshot, as_of): which problems identify the family, and whether each is met.

The rules (``rules/``) decide each criterion for each subject; this module combines them by the
plan's groups, decides claimability once (``claimability.decide_claimability``) and asks
``wording`` to say it in English.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from . import wording
from .claimability import decide_claimability
from .dates import english, first_day_clear_of
from .model import (
    SUSTAINED_AT_WORDS,
    Criterion,
    Group,
    JudgementCriterion,
    Plan,
    Problem,
)
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
from .rules.judgements import judgement_records
from .snapshot import FamilySnapshot
from .terms import DEFAULT_TERMS, TermCalendar


def _result(
    crit: Criterion,
    parts: list[Part],
    status: str,
    since: date | None,
    earliest: date | None,
    *,
    evidence=(),
    missing=(),
    members=(),
) -> CriterionResult:
    return CriterionResult(
        crit.id,
        crit.kind,
        crit.describe(),
        status,
        wording.explanation(parts, status, since, earliest),
        tuple(evidence),
        since,
        earliest,
        tuple(missing),
        tuple(members),
        when=wording.when(status, since, earliest),
    )


def _combine_parts(
    crit: Criterion, parts: list[Part], quantifier: str, *, members: tuple[int, ...]
) -> CriterionResult:
    if not parts:
        return CriterionResult(
            crit.id,
            crit.kind,
            crit.describe(),
            NOT_APPLICABLE,
            "No family member is covered by this measure",
            members=members,
        )
    evidence = sorted_refs(r for p in parts for r in p.evidence)
    missing = tuple(dict.fromkeys(m for p in parts if p.status != MET for m in p.missing))
    statuses = [p.status for p in parts]
    if quantifier == "each":
        if all(s == MET for s in statuses):
            since = max(p.met_since for p in parts)  # type: ignore[type-var]
            return _result(crit, parts, MET, since, since, evidence=evidence, members=members)
        status = NOT_MET if NOT_MET in statuses else PROGRESSING
        dates = [p.earliest_met_on for p in parts]
        earliest = None if any(d is None for d in dates) else max(dates)  # type: ignore[type-var]
        return _result(
            crit, parts, status, None, earliest, evidence=evidence, missing=missing, members=members
        )
    met = [p for p in parts if p.status == MET]
    if met:
        since = min(p.met_since for p in met)  # type: ignore[type-var]
        return _result(crit, parts, MET, since, since, evidence=evidence, members=members)
    status = PROGRESSING if PROGRESSING in statuses else NOT_MET
    dates = [p.earliest_met_on for p in parts if p.earliest_met_on is not None]
    return _result(
        crit,
        parts,
        status,
        None,
        min(dates) if dates else None,
        evidence=evidence,
        missing=missing,
        members=members,
    )


def _indicator(crit: Criterion, ctx: Context) -> tuple[CriterionResult, str]:
    """An indicator's result, and its facts without the label (for "why it was identified")."""
    parts = INDICATOR_RULES[type(crit)](crit, ctx)
    met = [p for p in parts if p.status == MET]
    label = crit.describe()
    if met:
        identified = {p.person_id for p in met if p.person_id is not None}
        identified.update(pid for p in met for pid in p.members)
        facts = "; ".join(dict.fromkeys(wording.part_line(p) for p in met))
        return (
            CriterionResult(
                crit.id,
                crit.kind,
                label,
                MET,
                wording.indicator_explanation(label, met),
                sorted_refs(r for p in met for r in p.evidence),
                members=tuple(sorted(identified)),
            ),
            facts,
        )
    text = (
        wording.indicator_explanation(label, parts)
        if parts
        else f"{label}: no matching evidence in the baseline"
    )
    indicated = [p for p in parts if p.indicated]
    members: set[int] = set()
    if indicated:
        members = {p.person_id for p in indicated if p.person_id is not None}
        members.update(pid for p in indicated for pid in p.members)
    return (
        CriterionResult(
            crit.id,
            crit.kind,
            label,
            NOT_MET,
            text,
            sorted_refs(r for p in parts for r in p.evidence),
            members=tuple(sorted(members)),
            indicated=bool(indicated),
        ),
        "; ".join(dict.fromkeys(wording.part_line(p) for p in indicated)),
    )


def evaluate_indicator(crit: Criterion, ctx: Context) -> CriterionResult:
    return _indicator(crit, ctx)[0]


def evaluate_outcome(
    crit: Criterion,
    ctx: Context,
    identified: dict[str, CriterionResult],
    *,
    not_before: date | None = None,
) -> CriterionResult:
    """One outcome criterion. ``identified`` maps this problem's indicator ids to their results;
    ``not_before`` is for claim conditions that wait for every outcome to be met."""
    label = crit.describe()
    if crit.when_identified_by and not any(
        identified.get(i) and identified[i].status == MET for i in crit.when_identified_by
    ):
        names = [identified[i].label if i in identified else i for i in crit.when_identified_by]
        return CriterionResult(
            crit.id,
            crit.kind,
            label,
            NOT_APPLICABLE,
            "Not needed: the family was not identified by " + wording.join_words(names, "or"),
        )
    if not ctx.attached:
        p = not_attached_part()
        return _result(crit, [p], p.status, None, None, missing=p.missing)
    if crit.sustained_at:
        return _sustained_at(crit, ctx, identified, not_before=not_before)
    rule = OUTCOME_RULES[type(crit)]
    extra: dict[str, Any] = (
        {"not_before": not_before} if isinstance(crit, JudgementCriterion) else {}
    )
    if crit.scope == "family" and isinstance(crit, FAMILY_CAPABLE):
        part = rule(crit, ctx, None, **extra)
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
        if crit.subjects == "all":
            # Every applicable member, and everyone the indicators picked out who is still in
            # the household (an offender of 17 who is 18 by attachment is still measured).
            chosen = {m.person_id for m in subjects}
            subjects += [
                ctx.members[pid]
                for pid in subject_ids
                if pid not in chosen and ctx.members[pid].is_member_on(ctx.as_of)
            ]
            subjects.sort(key=lambda m: m.person_id)
    parts = [p for p in (rule(crit, ctx, m, **extra) for m in subjects) if p is not None]
    return _combine_parts(
        crit, parts, crit.quantifier, members=tuple(m.person_id for m in subjects)
    )


def _sustained_at(
    crit: Criterion,
    ctx: Context,
    identified: dict[str, CriterionResult],
    *,
    not_before: date | None,
) -> CriterionResult:
    """An outcome sustained "at case closure or step down to less intensive support": read on
    that date (Worcestershire sections 4, 5 and 6). Until the family is closed or stepped down it
    cannot be met; met if it was met on either date."""
    words = SUSTAINED_AT_WORDS[crit.sustained_at or ""]
    dates = ctx.sustain_dates(crit.sustained_at or "")
    inner = replace(crit, sustained_at=None)
    label = crit.describe()
    if not dates:
        return CriterionResult(
            crit.id,
            crit.kind,
            label,
            PROGRESSING,
            f"Shown at {words}, which has not happened yet",
            missing=(f"{wording.capitalised(words)}, with this shown then",),
        )
    tried = []
    for on in dates:
        result = evaluate_outcome(inner, ctx.at(on), identified, not_before=not_before)
        if result.status == MET:
            return replace(
                result,
                explanation=f"At {words} on {english(on)}: {result.explanation[:1].lower()}{result.explanation[1:]}",
                met_since=on,
                earliest_met_on=on,
                when=wording.when(MET, on, on),
            )
        tried.append((on, result))
    on, result = tried[-1]
    return replace(
        result,
        status=NOT_MET,
        explanation=f"Not shown at {words} on {english(on)}: {result.explanation[:1].lower()}{result.explanation[1:]}",
        earliest_met_on=None,
        missing=result.missing or (label,),
        when="",
    )


def _evolve(result: CriterionResult, **changes: Any) -> CriterionResult:
    """A copy of a result with some fields changed (results are frozen; this is what
    dataclasses.replace does, without its cost on the path every family takes)."""
    new = object.__new__(CriterionResult)
    new.__dict__.update(result.__dict__)
    new.__dict__.update(changes)
    return new


def _group_status(
    group: Group, results: dict[str, CriterionResult], memo: dict[int, tuple] | None = None
) -> tuple[str, object, object]:
    """(status, met_since, earliest_met_on) of a group; not_applicable items are ignored.
    ``memo`` keeps each group's answer for one evaluation, as several passes ask again."""
    if memo is not None:
        known = memo.get(id(group))
        if known is not None:
            return known
        memo[id(group)] = answer = _group_status(group, results)
        return answer
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


def _item_status(
    item: Criterion | Group, results: dict[str, CriterionResult], memo: dict[int, tuple]
) -> str:
    if isinstance(item, Group):
        return _group_status(item, results, memo)[0]
    return results[item.id].status


def _item_label(item: Criterion | Group, results: dict[str, CriterionResult]) -> str:
    if isinstance(item, Group):
        joiner = "and" if item.combine == "all" else "or"
        labels = [_item_label(i, results) for i in item.criteria]
        return wording.join_words(labels, joiner)
    return results[item.id].label


def _group_missing(
    group: Group, results: dict[str, CriterionResult], memo: dict[int, tuple]
) -> list[str]:
    chunks: list[list[str]] = []
    for item in group.criteria:
        status = _item_status(item, results, memo)
        if status in (MET, NOT_APPLICABLE):
            continue
        if isinstance(item, Group):
            lines = _group_missing(item, results, memo)
        else:
            r = results[item.id]
            lines = list(r.missing) or [r.label]
        if lines:
            chunks.append(lines)
    if group.combine == "any":
        return wording.one_of(chunks)
    return list(dict.fromkeys(line for chunk in chunks for line in chunk))


def _tree(
    group: Group, results: dict[str, CriterionResult], memo: dict[int, tuple]
) -> dict[str, Any]:
    return {
        "combine": group.combine,
        "status": _group_status(group, results, memo)[0],
        "items": [
            _tree(item, results, memo) if isinstance(item, Group) else item.id
            for item in group.criteria
        ],
    }


def evaluate_problem(problem: Problem, ctx: Context) -> ProblemEvaluation:
    evaluated = {c.id: _indicator(c, ctx) for c in problem.indicators.leaves()}
    indicator_results = {k: v[0] for k, v in evaluated.items()}
    identified_status = _group_status(problem.indicators, indicator_results)[0]
    identification = tuple(indicator_results[c.id] for c in problem.indicators.leaves())
    # Indicated on incomplete evidence counts as identified for what a claim must show (the
    # paired outcome applies), never for eligibility.
    if any(r.indicated for r in identification):
        view = {
            k: _evolve(r, status=MET) if r.indicated else r for k, r in indicator_results.items()
        }
        indicated_status = _group_status(problem.indicators, view)[0]
    else:
        view, indicated_status = indicator_results, identified_status
    if identified_status != MET and indicated_status != MET:
        return ProblemEvaluation(
            problem.code, problem.title, False, NOT_IDENTIFIED, None, None, (), (), identification
        )
    shown = [r for r in identification if r.status == MET]
    why = wording.why_lines(
        shown or [r for r in identification if r.indicated],
        {k: v[1] for k, v in evaluated.items()},
    )
    outcome_results = {c.id: evaluate_outcome(c, ctx, view) for c in problem.outcome.leaves()}
    memo: dict[int, tuple] = {}
    for leaf_id, others, items in problem.outcome.alternative_sets:
        r = outcome_results[leaf_id]
        met_labels = tuple(
            _item_label(o, outcome_results)
            for o in items
            if _item_status(o, outcome_results, memo) == MET
        )
        if met_labels and r.status not in (MET, NOT_APPLICABLE):
            r = _evolve(
                r,
                not_needed=True,
                explanation=f"{r.explanation}; {wording.not_needed_note(met_labels)}",
            )
        outcome_results[leaf_id] = _evolve(r, alternatives=others)
    status, since, earliest = _group_status(problem.outcome, outcome_results, memo)
    missing = _group_missing(problem.outcome, outcome_results, memo)
    if status == NOT_APPLICABLE:
        status, missing = (
            NOT_MET,
            ["No outcome measure in the plan applies to how this family was identified"],
        )
    return ProblemEvaluation(
        code=problem.code,
        title=problem.title,
        identified=identified_status == MET,
        outcome=status,
        met_since=since if status == MET else None,  # type: ignore[arg-type]
        earliest_met_on=earliest,  # type: ignore[arg-type]
        criteria=tuple(outcome_results[c.id] for c in problem.outcome.leaves()),
        missing=tuple(dict.fromkeys(missing)),
        identification=identification,
        why=why,
        outcome_groups=_tree(problem.outcome, outcome_results, memo),
        indicated=identified_status != MET,
    )


def shortest_sustain_end(plan: Plan, attached_on: date, terms: TermCalendar) -> date | None:
    """Attachment plus the shortest sustain period the plan names: no claim before this day.

    Months end when a window of that many months lies wholly after attachment; weeks are counted
    from the day after attachment; terms end with the last of that many terms, counting from the
    term in progress at attachment (the earliest any measure could count from)."""
    ends = []
    for w in plan.sustain_periods():
        if w.months:
            ends.append(first_day_clear_of(attached_on, w.months))
        elif w.weeks:
            ends.append(attached_on + timedelta(days=7 * w.weeks))
        elif w.terms:
            first = terms.last_ended_by(attached_on).index + 1
            ends.append(terms.by_index(first + w.terms - 1).end)
    return min(ends) if ends else None


def _family_definition(plan: Plan, ctx: Context) -> CriterionResult | None:
    """ "'Family' denotes a group of individuals ... including at least one child or young person
    under 18" (Worcestershire, note 1; the programme's definition): checked on the attachment
    date (the evaluation date before attachment)."""
    fd = plan.family_definition
    if fd is None:
        return None
    label = f"At least one child or young person under {fd.child_under} in the household"
    children = []
    for m in ctx.sorted_members:
        if not m.is_member_on(ctx.ref):
            continue
        age = m.age_on(ctx.ref)
        if (age is not None and age < fd.child_under) or (age is None and m.role == "child"):
            children.append(m)
    if children:
        names = wording.join_words([m.display_name for m in children])
        return CriterionResult(
            "family-definition",
            "family_definition",
            label,
            MET,
            f"{names} under {fd.child_under} on {english(ctx.ref)}",
            members=tuple(m.person_id for m in children),
        )
    if fd.or_judgement is not None:
        records = judgement_records(ctx, fd.or_judgement.code, None, True)
        if records and records[-1].value in fd.or_judgement.values:
            j = records[-1]
            return CriterionResult(
                "family-definition",
                "family_definition",
                label,
                MET,
                f"No member under {fd.child_under}; keyworker recorded "
                f"{fd.or_judgement.code.replace('_', ' ')} as {j.value} on {english(j.recorded_on)}",
                sorted_refs([j.ref()]),
            )
    alt = f", and no {fd.or_judgement.describe()}" if fd.or_judgement else ""
    return CriterionResult(
        "family-definition",
        "family_definition",
        label,
        NOT_MET,
        f"No member of the household was under {fd.child_under} on {english(ctx.ref)}{alt}, so "
        "the household is not a programme family",
        missing=(label,),
    )


def evaluate(
    plan: Plan, snapshot: FamilySnapshot, as_of: date, terms: TermCalendar | None = None
) -> Evaluation:
    """Evaluate a family against a plan on a date. Pure and deterministic: same inputs, same output."""
    calendar = terms or DEFAULT_TERMS
    ctx = Context(plan, snapshot, as_of, calendar)
    problems = tuple(evaluate_problem(p, ctx) for p in plan.problems)
    identified = [p for p in problems if p.identified]
    eligible = len(identified) >= plan.min_problems
    local = None
    if plan.local_criteria is not None:
        results = {c.id: _indicator(c, ctx)[0] for c in plan.local_criteria.indicators.leaves()}
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
    family_ok = _family_definition(plan, ctx)
    if family_ok is not None and family_ok.status != MET:
        eligible = False

    # A results claim rests on every problem identified, and every problem indicated on
    # incomplete evidence: dropping one because a record is missing would make a claim easier.
    results_problems = [
        p
        for p in problems
        if (p.identified or p.indicated)
        and (not plan.results_require or p.code in plan.results_require)
    ]
    # Claim conditions that wait for the outcomes ("judges that progress has been made") accept
    # only judgements recorded once every problem the claim rests on was met.
    all_met_on = (
        max((p.met_since for p in results_problems), default=None)  # type: ignore[type-var]
        if results_problems and all(p.outcome == MET for p in results_problems)
        else None
    )
    ce = None
    if plan.continuous_employment is not None:
        ce = evaluate_outcome(plan.continuous_employment, ctx, {})
    conditions = tuple(
        evaluate_outcome(c, ctx, {}, not_before=all_met_on) for c in plan.claim_conditions
    )
    not_before = shortest_sustain_end(plan, ctx.ref, calendar) if ctx.attached else None

    claimability = decide_claimability(
        as_of=as_of,
        eligible=eligible,
        attached=ctx.attached,
        results_outcomes={p.code: p.outcome for p in results_problems},
        claim_conditions=[(c.id, c.status) for c in conditions],
        continuous_employment=ce.status if ce is not None else None,
        not_before=not_before,
        problem_titles={p.code: p.title for p in problems},
    )

    blocking: list[Blocking] = []
    if family_ok is not None and family_ok.status != MET:
        blocking.append(Blocking(None, "family-definition", NOT_MET, family_ok.explanation))
    if not eligible and (family_ok is None or family_ok.status == MET):
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
            if c.status in (NOT_MET, PROGRESSING) and not c.not_needed:
                blocking.append(Blocking(p.code, c.id, c.status, c.text, c.earliest_met_on))
        if not any(b.problem == p.code for b in blocking):
            blocking.append(
                Blocking(p.code, "outcome", p.outcome, "; ".join(p.missing), p.earliest_met_on)
            )
    for c in conditions:
        if c.status != MET:
            blocking.append(Blocking(None, c.id, c.status, c.text, c.earliest_met_on))
    if not_before is not None and as_of < not_before:
        blocking.append(
            Blocking(
                None,
                "minimum-sustain",
                PROGRESSING,
                f"No claim before {english(not_before)}, when the plan's shortest sustain "
                "period after attachment ends",
                not_before,
            )
        )

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
        results_earliest = max([*earliest_dates, *([not_before] if not_before else [])])  # type: ignore[type-var]

    return Evaluation(
        family=snapshot.reference,
        as_of=as_of,
        plan_slug=plan.slug,
        plan_version=plan.version,
        eligible=eligible,
        problems=problems,
        claimable_results=claimability.results,
        claimable_continuous_employment=claimability.continuous_employment,
        blocking=tuple(blocking),
        attached_on=snapshot.attached_on,
        min_problems=plan.min_problems,
        local_criteria=local,
        continuous_employment=ce,
        claim_conditions=conditions,
        results_earliest_on=results_earliest,
        results_problems=tuple(p.code for p in results_problems),
        results_not_before=not_before,
        closed_on=ctx.closed_on,
        stepped_down_on=ctx.stepped_down_on,
        family_definition=family_ok,
        claimability=claimability,
    )
