"""Evaluating families against the plan in force and storing the results.

An evaluation is stored once per family, plan version, date and evidence digest: repeating it
with the same evidence and plan adds no rows and changes nothing. A family's latest evaluation
(by date) is its current one. A change of status (eligibility, either claim, or any problem's
outcome) is written to the family's timeline, and `families_evaluate` reports the families whose
claimable status changed in either direction, so their keyworkers can be told.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from core.errors import DomainError
from families.models import Family, FamilyEvent, User
from families.services import NewEvent, family_events_record
from outcomes.engine import claimability_of, evaluate
from outcomes.models import EligibilityRun, Evaluation, PlanVersion
from outcomes.selectors.plans import engine_plan, plan_in_force, term_calendar
from outcomes.snapshot import evidence_digest, family_snapshots

CHUNK_SIZE = 500
# Namespace for the per-family advisory locks that keep two runs from storing at once.
LOCK_NAMESPACE = 0x0E7A1


class NoPlanInForce(DomainError):
    """No outcomes plan is active on the date asked about."""


OUTCOME_WORDS = {
    "met": "met",
    "progressing": "progressing",
    "not_met": "not met",
    "not_identified": "not identified",
}


def status_of(result: dict[str, Any]) -> dict[str, Any]:
    """What counts as the family's status: eligibility, both claims and each problem's outcome.

    Whether it can be claimed for is the engine's one decision (`claimability_of`), never read
    from the result's flags alone."""
    claimability = claimability_of(result)
    return {
        "eligible": bool(result.get("eligible")),
        "results": claimability.results,
        "continuous_employment": claimability.continuous_employment,
        "problems": {p["code"]: p["outcome"] for p in result.get("problems", ())},
    }


def blocker_count(result: dict[str, Any]) -> int:
    """How many things stand between the family and a results claim.

    The engine lists each unmet alternative of an "any of" group as its own blocking entry, so
    entries are counted per problem by what the problem still needs (its ``missing`` items, where
    alternatives are one item), plus each family-level condition (eligibility, attachment, a
    lead worker's judgement). One means the family is one measure away: a near miss.
    """
    problems = {p["code"]: p for p in result.get("problems", ())}
    count, seen = 0, set()
    for entry in result.get("blocking", ()):
        code = entry.get("problem")
        if code is None:
            count += 1
        elif code not in seen:
            seen.add(code)
            count += max(1, len(problems.get(code, {}).get("missing", ())))
    return count


def is_claimable(result: dict[str, Any]) -> bool:
    """Whether the stored result supports a claim of either kind (the engine decides)."""
    return claimability_of(result).any


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    """The result as it reads back from a JSON column, so stored and new compare equal."""
    return json.loads(json.dumps(data, default=str))


def _lock_families(family_ids: list[int]) -> None:
    """Serialise evaluations of the same families (runs that overlap store nothing twice)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, f) FROM (SELECT unnest(%s::int[]) AS f ORDER BY 1) AS ids",
            [LOCK_NAMESPACE, sorted(family_ids)],
        )


@dataclass
class _Outcome:
    evaluation: Evaluation
    changed: bool
    claimable_before: bool
    claimable_now: bool


def _change_summary(
    before: dict[str, Any] | None, after: dict[str, Any], titles: dict[str, str]
) -> str:
    new, old = status_of(after), status_of(before) if before else None
    bits = []
    if old is None or new["results"] != old["results"]:
        if new["results"]:
            bits.append("Claimable for a results payment")
        elif old is not None:
            bits.append("No longer claimable for a results payment")
    if old is None or new["continuous_employment"] != old["continuous_employment"]:
        if new["continuous_employment"]:
            bits.append("Claimable for continuous employment")
        elif old is not None:
            bits.append("No longer claimable for continuous employment")
    if old is not None and new["eligible"] != old["eligible"]:
        bits.append(
            "Eligible for the programme"
            if new["eligible"]
            else "No longer eligible for the programme"
        )
    for code, outcome in new["problems"].items():
        before_outcome = old["problems"].get(code) if old else None
        if before_outcome != outcome and (old is not None or outcome == "met"):
            bits.append(f"{titles.get(code, code)}: {OUTCOME_WORDS.get(outcome, outcome)}")
    return "; ".join(bits)


def _store(
    *,
    plan_version: PlanVersion,
    as_of: date,
    results: dict[int, tuple[dict[str, Any], str]],
    run: EligibilityRun | None,
    actor: User,
) -> dict[int, _Outcome]:
    """Store each family's result (dict, digest) in a constant number of queries."""
    if not results:
        return {}
    ids = list(results)
    current = {
        e.family_id: e for e in Evaluation.objects.filter(family_id__in=ids, is_current=True)
    }
    # Rows already stored under the same key: the current ones are loaded above (their results
    # are decoded once); only non-current ones (evidence changed back) need loading.
    existing = {
        (e.family_id, e.evidence_digest): e
        for e in current.values()
        if e.plan_version_id == plan_version.pk and e.as_of == as_of
    }
    existing.update(
        {
            (e.family_id, e.evidence_digest): e
            for e in Evaluation.objects.filter(
                family_id__in=ids,
                plan_version=plan_version,
                as_of=as_of,
                is_current=False,
                evidence_digest__in={digest for _, digest in results.values()},
            )
        }
    )
    to_create: list[Evaluation] = []
    to_update: list[Evaluation] = []
    unset: list[int] = []
    events: list[NewEvent] = []
    outcomes: dict[int, _Outcome] = {}
    titles = {
        p["code"]: p.get("title", p["code"])
        for r, _ in results.values()
        for p in r.get("problems", ())
    }

    for family_id, (result, digest) in results.items():
        cur = current.get(family_id)
        row = existing.get((family_id, digest))
        before = cur.result if cur is not None else None
        becomes_current = cur is None or as_of >= cur.as_of
        claimability = claimability_of(result)
        fields = {
            "result": result,
            "eligible": bool(result["eligible"]),
            "claimable_results": claimability.results,
            "claimable_employment": claimability.continuous_employment,
            "problems_identified": sum(1 for p in result["problems"] if p["identified"]),
            "problems_met": sum(
                1 for p in result["problems"] if p["identified"] and p["outcome"] == "met"
            ),
            "blocking_count": blocker_count(result),
        }
        if row is None:
            row = Evaluation(
                family_id=family_id,
                plan_version=plan_version,
                as_of=as_of,
                evidence_digest=digest,
                run=run,
                is_current=becomes_current,
                **fields,
            )
            to_create.append(row)
        else:
            dirty = row.result != result
            if dirty:
                # Same evidence, different answer: the term calendar or the engine changed.
                for name, value in fields.items():
                    setattr(row, name, value)
                row.evaluated_at = timezone.now()
                row.run = run or row.run
            if becomes_current and not row.is_current:
                row.is_current = True
                dirty = True
            if dirty:
                to_update.append(row)
        if becomes_current and cur is not None and cur.pk != row.pk:
            unset.append(cur.pk)
        changed = becomes_current and (before is None or status_of(before) != status_of(result))
        claimable_before = is_claimable(before) if before is not None else False
        claimable_now = is_claimable(result) if becomes_current else claimable_before
        outcomes[family_id] = _Outcome(row, changed, claimable_before, claimable_now)
        if changed:
            summary = _change_summary(before, result, titles)
            if summary:
                events.append(
                    NewEvent(
                        family_id=family_id,
                        kind=FamilyEvent.Kind.OUTCOME_CHANGED,
                        occurred_on=as_of,
                        summary=summary,
                    )
                )

    # Unset the old current rows first: at most one current evaluation per family.
    if unset:
        Evaluation.objects.filter(pk__in=unset).update(is_current=False)
    if to_update:
        Evaluation.objects.bulk_update(
            to_update,
            [
                "result",
                "eligible",
                "claimable_results",
                "claimable_employment",
                "problems_identified",
                "problems_met",
                "blocking_count",
                "evaluated_at",
                "run",
                "is_current",
            ],
        )
    if to_create:
        Evaluation.objects.bulk_create(to_create)
    family_events_record(actor=actor, events=events)
    return outcomes


def _evaluate_snapshot(plan, snapshot, as_of: date, terms) -> tuple[dict[str, Any], str]:
    evaluation = evaluate(plan, snapshot, as_of, terms=terms)
    return _plain(evaluation.to_dict()), evidence_digest(snapshot, evaluation.evidence_refs())


def plan_for(as_of: date, plan_version: PlanVersion | None) -> PlanVersion:
    plan_version = plan_version or plan_in_force(on=as_of)
    if plan_version is None:
        raise NoPlanInForce(
            f"No outcomes plan is in force on {as_of:%-d %B %Y}. Activate a plan from that date first."
        )
    return plan_version


@transaction.atomic
def family_evaluate(
    *,
    actor: User,
    family: Family,
    as_of: date,
    plan_version: PlanVersion | None = None,
    run: EligibilityRun | None = None,
) -> tuple[Evaluation, bool]:
    """Evaluate one family on a date and store it; True when its stored status changed."""
    plan_version = plan_for(as_of, plan_version)
    plan = engine_plan(plan_version)
    _lock_families([family.pk])
    snapshot = family_snapshots([family.pk])[family.pk]
    try:
        result = _evaluate_snapshot(plan, snapshot, as_of, term_calendar())
    except ValueError as error:  # EvidenceError and friends: a record the engine cannot read
        raise DomainError(
            f"The evidence for {family.reference} could not be evaluated: {error}"
        ) from error
    outcome = _store(
        plan_version=plan_version,
        as_of=as_of,
        results={family.pk: result},
        run=run,
        actor=actor,
    )[family.pk]
    return outcome.evaluation, outcome.changed


def families_evaluate(
    *,
    actor: User,
    family_ids: Iterable[int],
    as_of: date,
    run: EligibilityRun | None = None,
    include_results: bool = False,
) -> dict[str, Any]:
    """Evaluate many families against the plan in force on the date, in chunks; safe to repeat.

    Returns counts (``evaluated``, ``changed``, ``failed``), ``failures`` ({family id: reason}),
    ``changed_ids``, and the families whose claimable status changed: ``became_claimable`` and
    ``no_longer_claimable`` (ids), and both together as ``claimable_changed``: a list of
    (family id, claimable now) pairs, which `eligibility_notify_changes` takes, and
    ``evaluations``: each family's stored evaluation for the date ({family id: evaluation id}).
    With ``include_results``, ``results`` maps each family id to the engine's result dict.
    """
    plan_version = plan_for(
        as_of, run.plan_version if run is not None and run.plan_version_id else None
    )
    plan = engine_plan(plan_version)
    terms = term_calendar()
    ids = sorted(set(family_ids))
    summary: dict[str, Any] = {
        "plan_version": plan_version.pk,
        "plan": {"slug": plan_version.slug, "version": plan_version.version},
        "as_of": as_of.isoformat(),
        "evaluated": 0,
        "changed": 0,
        "failed": 0,
        "failures": {},
        "changed_ids": [],
        "became_claimable": [],
        "no_longer_claimable": [],
        "claimable_changed": [],
        "evaluations": {},
    }
    if include_results:
        summary["results"] = {}
    for start in range(0, len(ids), CHUNK_SIZE):
        chunk = ids[start : start + CHUNK_SIZE]
        with transaction.atomic():
            _lock_families(chunk)
            snapshots = family_snapshots(chunk)
            results = {}
            for family_id in chunk:
                snapshot = snapshots.get(family_id)
                if snapshot is None:
                    continue  # not a family (any more)
                try:
                    results[family_id] = _evaluate_snapshot(plan, snapshot, as_of, terms)
                except Exception as error:  # one family's bad record must not stop the run
                    summary["failed"] += 1
                    summary["failures"][family_id] = f"{type(error).__name__}: {error}"
            outcomes = _store(
                plan_version=plan_version, as_of=as_of, results=results, run=run, actor=actor
            )
        if include_results:
            summary["results"].update(
                {family_id: result for family_id, (result, _) in results.items()}
            )
        for family_id, outcome in outcomes.items():
            summary["evaluated"] += 1
            summary["evaluations"][family_id] = outcome.evaluation.pk
            if outcome.changed:
                summary["changed"] += 1
                summary["changed_ids"].append(family_id)
            if outcome.claimable_now != outcome.claimable_before:
                summary["claimable_changed"].append((family_id, outcome.claimable_now))
                key = "became_claimable" if outcome.claimable_now else "no_longer_claimable"
                summary[key].append(family_id)
    return summary
