"""Reads of evaluations, scoped to the families the user may see.

`family_evaluation_live` evaluates a family now, without storing anything, so the family page and
the API always reflect the evidence just recorded; stored evaluations (from the nightly run or
`run_eligibility`) drive the near-miss list and claims.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from families.models import Family, User
from families.selectors import family_scope
from outcomes.engine import FamilySnapshot, evaluate
from outcomes.models import Evaluation, PlanVersion
from outcomes.selectors.plans import engine_plan, plan_in_force, term_calendar
from outcomes.services.evaluations import CHUNK_SIZE, status_of
from outcomes.snapshot import family_snapshots


def current_evaluation(*, family: Family) -> Evaluation | None:
    """The family's current stored evaluation (latest date), or None before its first."""
    return (
        Evaluation.objects.filter(family=family, is_current=True)
        .select_related("plan_version")
        .first()
    )


@dataclass(frozen=True)
class LiveEvaluation:
    """An evaluation computed now and not stored: the engine's result and what it read."""

    plan_version: PlanVersion
    as_of: date
    snapshot: FamilySnapshot
    evaluation: Any  # outcomes.engine Evaluation

    def to_dict(self) -> dict[str, Any]:
        return self.evaluation.to_dict()


def default_as_of(*, family: Family) -> date:
    """The date a family is read as of when none is asked for: today, or for a closed family its
    closure date (what it achieved while the case was open)."""
    today = timezone.localdate()
    if family.status == Family.Status.CLOSED and family.closed_on is not None:
        return min(family.closed_on, today)
    return today


def family_evaluation_live(*, family: Family, as_of: date) -> LiveEvaluation | None:
    """Evaluate the family on a date against the plan in force then; None when no plan is.

    A constant number of queries (plan in force, term dates, three for the snapshot).
    """
    plan_version = plan_in_force(on=as_of)
    if plan_version is None:
        return None
    snapshot = family_snapshots([family.pk])[family.pk]
    result = evaluate(engine_plan(plan_version), snapshot, as_of, terms=term_calendar())
    return LiveEvaluation(
        plan_version=plan_version, as_of=as_of, snapshot=snapshot, evaluation=result
    )


# --- near misses ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NearMiss:
    family: Family
    evaluation: Evaluation
    problem: str | None  # the problem still to meet; None for a family-level condition
    problem_title: str
    needed: tuple[str, ...]  # the blocking criteria's explanations (alternatives when several)
    earliest_met_on: date | None


def near_miss_queryset(
    *, user: User, keyworker: int | None = None, team: int | None = None
) -> QuerySet[Evaluation]:
    families = family_scope(user=user).exclude(status=Family.Status.CLOSED)
    if keyworker:
        families = families.filter(lead_keyworker_id=keyworker)
    if team:
        families = families.filter(team_id=team)
    return (
        Evaluation.objects.filter(
            is_current=True,
            eligible=True,
            claimable_results=False,
            claimable_employment=False,
            blocking_count=1,
            family__in=families,
        )
        .select_related("family", "family__lead_keyworker", "family__team", "plan_version")
        .order_by("family__reference")
    )


def near_miss_list(
    *, user: User, keyworker: int | None = None, team: int | None = None
) -> list[NearMiss]:
    """Open families one criterion away from a results claim, with that criterion (one query)."""
    return near_miss_rows(near_miss_queryset(user=user, keyworker=keyworker, team=team))


def near_miss_rows(evaluations) -> list[NearMiss]:
    """Near-miss rows for current evaluations (a page of `near_miss_queryset`)."""
    rows = []
    for evaluation in evaluations:
        blocking = evaluation.result.get("blocking") or []
        titles = {
            p["code"]: p.get("title", p["code"]) for p in evaluation.result.get("problems", ())
        }
        problem = blocking[0].get("problem") if blocking else None
        earliest = sorted(b["earliest_met_on"] for b in blocking if b.get("earliest_met_on"))
        rows.append(
            NearMiss(
                family=evaluation.family,
                evaluation=evaluation,
                problem=problem,
                problem_title=titles.get(problem or "", ""),
                needed=tuple(b["explanation"] for b in blocking),
                earliest_met_on=date.fromisoformat(earliest[0]) if earliest else None,
            )
        )
    return rows


# --- what if ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WhatIfRow:
    family: Family
    before: dict[str, Any]  # status_of() under plan A
    after: dict[str, Any]  # status_of() under plan B
    changes: tuple[str, ...]


@dataclass
class WhatIf:
    plan_a: PlanVersion
    plan_b: PlanVersion
    as_of: date
    cohort: int = 0
    claimable_a: int = 0
    claimable_b: int = 0
    eligible_a: int = 0
    eligible_b: int = 0
    failed: int = 0
    rows: list[WhatIfRow] = field(default_factory=list)


OUTCOME_WORDS = {
    "met": "met",
    "progressing": "progressing",
    "not_met": "not met",
    "not_identified": "not identified",
}


def _differences(a: dict[str, Any], b: dict[str, Any], titles: dict[str, str]) -> tuple[str, ...]:
    out = []
    labels = {
        "results": "Results claim",
        "continuous_employment": "Continuous employment claim",
        "eligible": "Eligible",
    }
    for key, label in labels.items():
        if a[key] != b[key]:
            out.append(f"{label}: {'yes' if a[key] else 'no'} → {'yes' if b[key] else 'no'}")
    for code in sorted(set(a["problems"]) | set(b["problems"])):
        before, after = (
            a["problems"].get(code, "not_identified"),
            b["problems"].get(code, "not_identified"),
        )
        if before != after:
            out.append(
                f"{titles.get(code, code)}: {OUTCOME_WORDS.get(before, before)} → {OUTCOME_WORDS.get(after, after)}"
            )
    return tuple(out)


def what_if(*, user: User, plan_a: PlanVersion, plan_b: PlanVersion, as_of: date) -> WhatIf:
    """Evaluate the user's open families under two plan versions; list those whose status differs.

    Nothing is stored. Queries grow with the number of 500-family chunks, not with families.
    """
    engine_a, engine_b = engine_plan(plan_a), engine_plan(plan_b)
    terms = term_calendar()
    ids = list(
        family_scope(user=user)
        .exclude(status=Family.Status.CLOSED)
        .order_by("reference")
        .values_list("pk", flat=True)
    )
    report = WhatIf(plan_a=plan_a, plan_b=plan_b, as_of=as_of, cohort=len(ids))
    families = {}
    changed: list[tuple[int, dict, dict, tuple[str, ...]]] = []
    for start in range(0, len(ids), CHUNK_SIZE):
        chunk = ids[start : start + CHUNK_SIZE]
        for family_id, snapshot in family_snapshots(chunk).items():
            try:
                a = evaluate(engine_a, snapshot, as_of, terms=terms).to_dict()
                b = evaluate(engine_b, snapshot, as_of, terms=terms).to_dict()
            except Exception:  # a record the engine cannot read: counted, not fatal
                report.failed += 1
                continue
            sa, sb = status_of(a), status_of(b)
            report.claimable_a += sa["results"] or sa["continuous_employment"]
            report.claimable_b += sb["results"] or sb["continuous_employment"]
            report.eligible_a += sa["eligible"]
            report.eligible_b += sb["eligible"]
            if sa != sb:
                titles = {
                    p["code"]: p.get("title", p["code"]) for p in (*a["problems"], *b["problems"])
                }
                changed.append((family_id, sa, sb, _differences(sa, sb, titles)))
    if changed:
        families = Family.objects.select_related("lead_keyworker").in_bulk([c[0] for c in changed])
    report.rows = sorted(
        (
            WhatIfRow(families[fid], sa, sb, diffs)
            for fid, sa, sb, diffs in changed
            if fid in families
        ),
        key=lambda r: r.family.reference,
    )
    return report


# --- counts for the programme reports -------------------------------------------------------------
# The reports count families (`reports.dashboard`, `reports.returns`); each read is one query,
# whatever the number of families.


def near_miss_count(*, families: QuerySet[Family]) -> int:
    """How many of these families are open and one criterion away from a results claim (one query)."""
    return (
        Evaluation.objects.filter(
            is_current=True,
            eligible=True,
            claimable_results=False,
            claimable_employment=False,
            blocking_count=1,
            family__in=families.exclude(status=Family.Status.CLOSED),
        )
        .order_by()
        .count()
    )


def outcomes_met_count(*, families: QuerySet[Family], problems: list[str]) -> dict[str, int]:
    """For each problem code, how many of these families' current evaluations show the problem
    identified and its outcome met; "continuous_employment" counts those with an adult in
    continuous employment (two queries).

    The problems are read from each result in one pass (`jsonb_array_elements`): testing the
    result once per problem would unpack every result six times."""
    from django.db import connection

    family_sql, params = families.order_by().values("pk").query.sql_with_params()
    table = Evaluation._meta.db_table
    # Only the table's name and the ORM's own compiled subquery are put into the text; every
    # value is a parameter.
    sql = (
        f"SELECT problem.value ->> 'code', COUNT(DISTINCT e.family_id) FROM {table} e "  # noqa: S608  # nosec B608
        "CROSS JOIN LATERAL jsonb_array_elements(e.result -> 'problems') AS problem "
        f"WHERE e.is_current AND e.family_id IN ({family_sql}) "
        "AND problem.value -> 'identified' = 'true'::jsonb "
        "AND problem.value ->> 'outcome' = 'met' "
        "GROUP BY 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        met = dict(cursor.fetchall())
    found = {code: met.get(code, 0) for code in problems}
    found["continuous_employment"] = (
        Evaluation.objects.filter(is_current=True, claimable_employment=True, family__in=families)
        .order_by()
        .count()
    )
    return found


def with_outcomes_first_met_on(families: QuerySet[Family]) -> QuerySet[Family]:
    """The families annotated with `outcomes_met_on`: the first date a stored evaluation found a
    results or continuous employment claim could be made (None while none has)."""
    from django.db.models import OuterRef, Q, Subquery

    first = (
        Evaluation.objects.filter(family=OuterRef("pk"))
        .filter(Q(claimable_results=True) | Q(claimable_employment=True))
        .order_by("as_of")
        .values("as_of")[:1]
    )
    return families.annotate(outcomes_met_on=Subquery(first))
