"""Small builders for engine tests: families from a few lines, plans from one criterion."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from outcomes.engine import FamilySnapshot, Member, evidence_from_dict, load_plan

_ids = itertools.count(1000)

D = date.fromisoformat


def ev(kind: str, person_id: int | None = None, **fields: Any):
    """One evidence record; dates may be ISO strings. An id is assigned unless given."""
    fields.setdefault("id", next(_ids))
    return evidence_from_dict(kind, {"person_id": person_id, **fields})


def attendance(
    person_id: int, year: str, term: str, attended_pct: float, possible: int = 1000, **kw
):
    absent = round(possible * (100 - attended_pct) / 100)
    return ev(
        "school_attendance",
        person_id,
        academic_year=year,
        term=term,
        possible_sessions=possible,
        absent_sessions=absent,
        **kw,
    )


def adult(person_id: int = 1, born: str = "1980-01-01", memberships=(), name: str = "") -> Member:
    return Member(
        person_id=person_id,
        role="adult",
        date_of_birth=D(born),
        memberships=tuple(memberships),
        name=name,
    )


def child(person_id: int = 2, born: str = "2005-03-01", memberships=(), name: str = "") -> Member:
    return Member(
        person_id=person_id,
        role="child",
        date_of_birth=D(born),
        memberships=tuple(memberships),
        name=name,
    )


def family(
    *evidence,
    members=None,
    attached: str | None = "2015-09-01",
    identified: str = "2015-08-01",
    ref: str = "F-TEST",
    closed: str | None = None,
    stepped_down: str | None = None,
) -> FamilySnapshot:
    return FamilySnapshot(
        reference=ref,
        identified_on=D(identified),
        attached_on=D(attached) if attached else None,
        members=tuple(members if members is not None else (adult(1), child(2))),
        evidence=tuple(evidence),
        closed_on=D(closed) if closed else None,
        stepped_down_on=D(stepped_down) if stepped_down else None,
    )


def judged(code: str, value: str = "yes", on: str = "2015-09-10", person_id: int | None = None):
    """A keyworker's judgement."""
    return ev("judgement", person_id, code=code, value=value, recorded_on=on)


def criterion(evaluation, code: str, criterion_id: str):
    """One outcome criterion's result (or an indicator's, if no outcome has that id)."""
    problem = evaluation.problem(code)
    for c in (*problem.criteria, *problem.identification):
        if c.id == criterion_id:
            return c
    raise KeyError(criterion_id)


def one_problem_plan(
    indicator: dict[str, Any],
    outcome: dict[str, Any],
    *,
    parameters: dict | None = None,
    baseline: dict | None = None,
    extra: dict | None = None,
):
    """A plan with one problem, one indicator and one outcome criterion; min_problems 1."""
    data: dict[str, Any] = {
        "slug": "test-plan",
        "version": "1",
        "title": "Test plan",
        "council": "Test council",
        "min_problems": 1,
        "problems": [
            {
                "code": "crime_asb",
                "title": "Test problem",
                "indicators": {"combine": "any", "criteria": [{"id": "ind", **indicator}]},
                "outcome": {"combine": "all", "criteria": [{"id": "out", **outcome}]},
            }
        ],
    }
    if parameters:
        data["parameters"] = parameters
    if baseline:
        data["baseline"] = baseline
    if extra:
        data.update(extra)
    return load_plan(data)


def status_of(evaluation, code: str = "crime_asb", criterion: str = "out") -> str:
    problem = evaluation.problem(code)
    if not problem.identified:
        return "not_identified"
    return next(c.status for c in problem.criteria if c.id == criterion)
