"""Evaluations and evidence made directly, for tests, the benchmark and the demo when no
outcomes plan has evaluated a family yet.

These write through the models, not the outcomes services: they stand in for the nightly
eligibility check, so claims can be exercised on their own. The result JSON has the shape of
spec/interfaces.md section 2, with evidence references to real Evidence rows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from families.models import Family
from outcomes.models import Evaluation, Evidence, PlanVersion

SAMPLE_PLAN_SLUG = "claims-sample-plan"


def sample_plan_version() -> PlanVersion:
    """A stand-in plan version (not a plan the engine can run)."""
    plan, _ = PlanVersion.objects.get_or_create(
        slug=SAMPLE_PLAN_SLUG,
        version="1",
        defaults={
            "title": "Sample plan for claims",
            "yaml_text": "",
            "definition": {},
            "digest": hashlib.sha256(b"claims-sample-plan").hexdigest(),
            "source": PlanVersion.Source.SHIPPED,
            "example": True,
        },
    )
    return plan


def attendance_evidence(
    family: Family, *, term: str = "summer", year: str = "2015/16", absent: int = 6
) -> Evidence:
    """A term's school attendance about the family (enough for a criterion to cite)."""
    data = {
        "academic_year": year,
        "term": term,
        "possible_sessions": 120,
        "absent_sessions": absent,
    }
    return Evidence.objects.create(
        kind=Evidence.Kind.SCHOOL_ATTENDANCE,
        family=family,
        data=data,
        event_date=date(2016, 4, 18),
        content_digest=hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest(),
        source=Evidence.Source.PARTNER_FILE,
        source_name="Schools census",
    )


def result_json(
    family: Family,
    *,
    as_of: date,
    evidence: Iterable[Evidence] = (),
    eligible: bool = True,
    results: bool = True,
    employment: bool = False,
    met_since: date | None = None,
) -> dict[str, Any]:
    refs = [{"kind": e.kind, "id": e.pk} for e in evidence]
    met_since = met_since or (as_of - timedelta(days=200))
    outcome = "met" if results else "progressing"
    return {
        "family": family.reference,
        "as_of": as_of.isoformat(),
        "plan": {"slug": SAMPLE_PLAN_SLUG, "version": "1"},
        "eligible": eligible,
        "problems": [
            {
                "code": "school_attendance",
                "title": "Children who have not been attending school regularly",
                "identified": True,
                "outcome": outcome,
                "met_since": met_since.isoformat() if results else None,
                "criteria": [
                    {
                        "id": "attendance-above-90",
                        "status": outcome,
                        "explanation": "Attendance above 90% in each of 3 consecutive terms",
                        "evidence": refs,
                    }
                ],
                "missing": [] if results else ["Another term above 90%"],
            },
            {
                "code": "crime_asb",
                "title": "Parents and children involved in crime or anti-social behaviour",
                "identified": True,
                "outcome": outcome,
                "met_since": (met_since + timedelta(days=30)).isoformat() if results else None,
                "criteria": [
                    {
                        "id": "asb-reduced-60",
                        "status": outcome,
                        "explanation": "60% fewer incidents",
                        "evidence": [],
                    }
                ],
                "missing": [],
            },
        ],
        "claimable": {"results": results, "continuous_employment": employment},
        "blocking": [],
    }


def evaluation_for(
    family: Family,
    *,
    as_of: date = date(2016, 9, 30),
    evidence: Iterable[Evidence] | None = None,
    eligible: bool = True,
    results: bool = True,
    employment: bool = False,
) -> Evaluation:
    """Make this the family's current evaluation (the previous one stops being current)."""
    evidence = list(evidence) if evidence is not None else [attendance_evidence(family)]
    result = result_json(
        family,
        as_of=as_of,
        evidence=evidence,
        eligible=eligible,
        results=results,
        employment=employment,
    )
    Evaluation.objects.filter(family=family, is_current=True).update(is_current=False)
    return Evaluation.objects.create(
        family=family,
        plan_version=sample_plan_version(),
        as_of=as_of,
        result=result,
        evidence_digest=hashlib.sha256(json.dumps(result, sort_keys=True).encode()).hexdigest(),
        eligible=eligible,
        claimable_results=results,
        claimable_employment=employment,
        problems_identified=2,
        problems_met=2 if results else 0,
        is_current=True,
    )


def bulk_evaluations(
    families: list[Family], *, as_of: date = date(2016, 9, 30), results: bool = True
) -> int:
    """Current claimable evaluations for many families, each citing one evidence record, in bulk."""
    plan = sample_plan_version()
    Evaluation.objects.filter(family__in=families, is_current=True).update(is_current=False)
    evidence = Evidence.objects.bulk_create(
        [
            Evidence(
                kind=Evidence.Kind.SCHOOL_ATTENDANCE,
                family=f,
                data={
                    "academic_year": "2015/16",
                    "term": "summer",
                    "possible_sessions": 120,
                    "absent_sessions": 6,
                },
                event_date=date(2016, 4, 18),
                content_digest="0" * 64,
                source=Evidence.Source.SYSTEM,
                source_name="Benchmark",
            )
            for f in families
        ],
        batch_size=1000,
    )
    rows = []
    for family, record in zip(families, evidence, strict=True):
        result = result_json(family, as_of=as_of, evidence=[record], results=results)
        rows.append(
            Evaluation(
                family=family,
                plan_version=plan,
                as_of=as_of,
                result=result,
                evidence_digest=hashlib.sha256(str(record.pk).encode()).hexdigest(),
                eligible=True,
                claimable_results=results,
                claimable_employment=False,
                problems_identified=2,
                problems_met=2 if results else 0,
                is_current=True,
            )
        )
    Evaluation.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
