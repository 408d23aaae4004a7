"""Families evaluated per second against the Oxfordshire phase 2 plan, on synthetic snapshots.

Usage: python bench/engine_throughput.py [--families 10000] [--seed 1] [--plan SLUG] [--as-of DATE]
Builds every snapshot in memory first (deterministic for a seed), then times evaluate() alone.
A later --as-of (e.g. 2019-03-31) measures families attached years before the review date, and
--plan national-phase-1 a plan whose employment measure counts "26 of the last 30 weeks".
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from outcomes.engine import FamilySnapshot, Member, evaluate, evidence_from_dict, load_shipped_plan  # noqa: E402

TERMS = [(y, t) for y in ("2014/15", "2015/16", "2016/17") for t in ("autumn", "spring", "summer")]


def synthetic_family(n: int, rng: random.Random) -> FamilySnapshot:
    attached = date(2015, 4, 1) + timedelta(days=rng.randrange(0, 365))
    ids = iter(range(n * 100, n * 100 + 100))
    members = [
        Member(
            person_id=n * 10 + 1,
            role="adult",
            date_of_birth=date(1975 + rng.randrange(15), 1 + rng.randrange(12), 1),
        )
    ]
    for k in range(rng.randrange(1, 4)):
        members.append(
            Member(
                person_id=n * 10 + 2 + k,
                role="child",
                date_of_birth=date(2000 + rng.randrange(12), 1 + rng.randrange(12), 1),
            )
        )
    adult, children = members[0].person_id, [m.person_id for m in members[1:]]
    evidence = []

    def add(kind: str, person: int | None, **fields):
        evidence.append(evidence_from_dict(kind, {"id": next(ids), "person_id": person, **fields}))

    def some_day(lo: int, hi: int) -> date:
        return attached + timedelta(days=rng.randrange(lo, hi))

    for _ in range(rng.randrange(0, 5)):
        add("asb_incidents", rng.choice([adult, None]), incident_date=some_day(-360, 500))
    for _ in range(rng.randrange(0, 3)):
        add(
            "offences",
            rng.choice(children),
            offence_date=some_day(-360, 500),
            proven=rng.random() < 0.7,
        )
    for child in children:
        for year, term in TERMS:
            add(
                "school_attendance",
                child,
                academic_year=year,
                term=term,
                possible_sessions=120,
                absent_sessions=rng.randrange(0, 30),
            )
        for _ in range(rng.randrange(0, 3)):
            add("exclusions", child, start_date=some_day(-360, 500), exclusion_type="fixed_term")
    if rng.random() < 0.6:
        off = some_day(0, 400) if rng.random() < 0.5 else None
        add(
            "benefit_spells",
            adult,
            benefit=rng.choice(["JSA", "ESA", "IS", "UC"]),
            start_date=date(2013, 1, 1),
            end_date=off,
        )
        if off:
            add("employment_spells", adult, start_date=off + timedelta(days=1))
    if rng.random() < 0.2:
        add(
            "child_plans",
            children[0],
            plan=rng.choice(["CIN", "CP"]),
            category="neglect",
            start_date=attached - timedelta(days=100),
            end_date=some_day(30, 400) if rng.random() < 0.6 else None,
        )
    if rng.random() < 0.2:
        add("domestic_abuse_callouts", None, callout_date=some_day(-300, 0), child_present=True)
    return FamilySnapshot(
        reference=f"F-{n:06d}",
        identified_on=attached - timedelta(days=30),
        attached_on=attached,
        members=tuple(members),
        evidence=tuple(evidence),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as-of", default="2016-09-30")
    parser.add_argument("--plan", default="oxfordshire-phase-2", help="a shipped plan's slug")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    plan = load_shipped_plan(args.plan)
    snapshots = [synthetic_family(n, rng) for n in range(args.families)]
    as_of = date.fromisoformat(args.as_of)
    started = time.perf_counter()
    claimable = sum(evaluate(plan, s, as_of).claimable_results for s in snapshots)
    elapsed = time.perf_counter() - started
    evidence = sum(len(s.evidence) for s in snapshots)
    print(
        f"{args.families} families ({evidence} evidence records) evaluated against {plan.slug} {plan.version} in {elapsed:.2f}s"
    )
    print(
        f"{args.families / elapsed:.0f} families per second; {claimable} claimable for results on {as_of.isoformat()}"
    )


if __name__ == "__main__":
    main()
