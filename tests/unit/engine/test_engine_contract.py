"""The engine's promises to the rest of the product: no Django, API shape, validation, determinism."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest
import yaml

from outcomes.engine import (
    FamilySnapshot,
    PlanError,
    TermCalendar,
    claimability_of,
    decide_claimability,
    evaluate,
    evidence_from_dict,
    load_plan,
    load_shipped_plan,
    plan_table,
    shipped_plans,
)
from outcomes.engine.evidence import EvidenceError

from .builders import D, adult, attendance, child, ev, family, one_problem_plan, status_of

ENGINE = Path(__file__).resolve().parents[3] / "outcomes" / "engine"


def test_engine_imports_nothing_from_django():
    """Every module under outcomes/engine/, at any depth, imports only the standard library,
    PyYAML and the engine itself: council analysts run it offline without Django."""
    allowed_third_party = {"yaml"}
    offenders = []
    files = sorted(ENGINE.rglob("*.py"))
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: the engine itself
                    continue
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if name.startswith("outcomes.engine"):
                    continue
                if top in sys.stdlib_module_names or top in allowed_third_party:
                    continue
                offenders.append(f"{path.relative_to(ENGINE)}: {name}")
    assert offenders == []
    assert len(files) >= 15 and any(p.parent.name == "rules" for p in files)


def _oxfordshire_family():
    return FamilySnapshot.from_dict(
        {
            "reference": "F-000123",
            "identified_on": "2015-08-01",
            "attached_on": "2015-09-01",
            "members": [
                {"person_id": 1, "role": "adult", "date_of_birth": "1980-01-01"},
                {"person_id": 2, "role": "child", "date_of_birth": "2005-03-01", "name": "Alex"},
            ],
            "evidence": [
                *(
                    {
                        "kind": "school_attendance",
                        "id": 800 + i,
                        "person_id": 2,
                        "academic_year": y,
                        "term": t,
                        "possible_sessions": 200,
                        "absent_sessions": a,
                    }
                    for i, (y, t, a) in enumerate(
                        [
                            ("2014/15", "autumn", 41),
                            ("2014/15", "spring", 30),
                            ("2014/15", "summer", 25),
                            ("2015/16", "autumn", 13),
                            ("2015/16", "spring", 18),
                            ("2015/16", "summer", 10),
                        ]
                    )
                ),
                {
                    "kind": "asb_incidents",
                    "id": 900,
                    "person_id": 1,
                    "incident_date": "2015-03-01",
                    "source": "police",
                },
                {
                    "kind": "asb_incidents",
                    "id": 901,
                    "person_id": None,
                    "incident_date": "2015-06-01",
                    "source": "housing",
                },
            ],
        }
    )


def test_to_dict_has_the_interface_shape():
    result = evaluate(
        load_shipped_plan("oxfordshire-phase-2"), _oxfordshire_family(), D("2016-09-30")
    ).to_dict()
    assert {"family", "as_of", "plan", "eligible", "problems", "claimable", "blocking"} <= set(
        result
    )
    assert result["family"] == "F-000123"
    assert result["as_of"] == "2016-09-30"
    assert result["plan"] == {"slug": "oxfordshire-phase-2", "version": "2015-2"}
    assert result["eligible"] is True
    assert result["claimable"] == {"results": True, "continuous_employment": False}
    assert result["blocking"] == []
    school = next(p for p in result["problems"] if p["code"] == "school_attendance")
    assert {"code", "identified", "outcome", "met_since", "criteria", "missing"} <= set(school)
    assert school["outcome"] == "met"
    assert school["met_since"] == "2016-07-22"
    criterion = school["criteria"][0]
    assert criterion["id"] == "attendance-above-90"
    assert criterion["status"] == "met"
    assert criterion["evidence"] == [
        {"kind": "school_attendance", "id": 803},
        {"kind": "school_attendance", "id": 804},
        {"kind": "school_attendance", "id": 805},
    ]
    assert "Attendance above 90% in each of 3 consecutive terms" in criterion["explanation"]
    assert [p["outcome"] for p in result["problems"]] == [
        "met",
        "met",
        "not_identified",
        "not_identified",
        "not_identified",
        "not_identified",
    ]
    json.dumps(result)  # plain JSON types only


def test_evidence_refs_are_sorted_and_cover_identification_and_outcomes():
    result = evaluate(
        load_shipped_plan("oxfordshire-phase-2"), _oxfordshire_family(), D("2016-09-30")
    )
    refs = result.evidence_refs()
    assert refs == tuple(sorted(refs))
    assert (
        ("asb_incidents", 900) in refs
        and ("school_attendance", 800) in refs
        and ("school_attendance", 805) in refs
    )


def test_evaluation_is_deterministic():
    plan = load_shipped_plan("oxfordshire-phase-2")
    snapshot = _oxfordshire_family()
    reversed_snapshot = FamilySnapshot(
        reference=snapshot.reference,
        identified_on=snapshot.identified_on,
        attached_on=snapshot.attached_on,
        members=tuple(reversed(snapshot.members)),
        evidence=tuple(reversed(snapshot.evidence)),
    )
    first = json.dumps(evaluate(plan, snapshot, D("2016-09-30")).to_dict(), sort_keys=True)
    assert first == json.dumps(evaluate(plan, snapshot, D("2016-09-30")).to_dict(), sort_keys=True)
    assert first == json.dumps(
        evaluate(plan, reversed_snapshot, D("2016-09-30")).to_dict(), sort_keys=True
    )


def test_blocking_lists_the_near_misses():
    plan = load_shipped_plan("oxfordshire-phase-2")
    result = evaluate(plan, _oxfordshire_family(), D("2016-05-01"))
    assert not result.claimable_results
    assert [(b.problem, b.criterion, b.status) for b in result.blocking] == [
        ("school_attendance", "attendance-above-90", "progressing")
    ]
    assert result.blocking[0].earliest_met_on == D("2016-07-22")
    assert result.results_earliest_on == D("2016-07-22")


# Snapshot and evidence from dicts -----------------------------------------------------------------


def test_evidence_from_dict_types_and_errors():
    record = evidence_from_dict(
        "offences",
        {
            "id": 7,
            "person_id": 3,
            "offence_date": D("2016-01-02"),
            "proven": "yes",
            "serious": False,
        },
    )
    assert (record.kind, record.id, record.person_id, record.proven) == ("offences", 7, 3, True)
    callout = evidence_from_dict(
        "domestic_abuse_callouts", {"id": 1, "callout_date": "2016-01-02", "child_present": True}
    )
    assert callout.person_id is None and callout.civil_injunction_support is False
    with pytest.raises(EvidenceError, match="offences.offence_date: a value is required"):
        evidence_from_dict("offences", {"id": 1})
    with pytest.raises(EvidenceError, match="unknown evidence kind"):
        evidence_from_dict("parking_tickets", {"id": 1})
    with pytest.raises(EvidenceError, match="expected a date"):
        evidence_from_dict(
            "exclusions", {"id": 1, "start_date": "yesterday", "exclusion_type": "fixed_term"}
        )


def test_every_evidence_kind_builds_from_a_dict():
    samples = {
        "school_attendance": {
            "academic_year": "2015/16",
            "term": "autumn",
            "possible_sessions": 100,
            "absent_sessions": 5,
        },
        "exclusions": {
            "start_date": D("2016-01-01"),
            "exclusion_type": "fixed_term",
            "sessions": 2,
        },
        "offences": {"offence_date": D("2016-01-01"), "proven": True, "serious": False},
        "asb_incidents": {"incident_date": D("2016-01-01"), "source": "police"},
        "domestic_abuse_callouts": {
            "callout_date": D("2016-01-01"),
            "child_present": True,
            "civil_injunction_support": False,
        },
        "benefit_spells": {
            "benefit": "JSA",
            "start_date": D("2016-01-01"),
            "end_date": None,
            "out_of_work": True,
        },
        "employment_spells": {
            "start_date": D("2016-01-01"),
            "end_date": None,
            "hours_per_week": 16,
        },
        "work_activity": {
            "activity": "volunteering",
            "start_date": D("2016-01-01"),
            "end_date": None,
        },
        "neet_status": {"status": "neet", "start_date": D("2016-01-01"), "end_date": None},
        "child_plans": {
            "plan": "CIN",
            "category": "neglect",
            "start_date": D("2016-01-01"),
            "end_date": None,
        },
        "treatment": {
            "substance": "drug",
            "start_date": D("2016-01-01"),
            "end_date": None,
            "outcome": "ongoing",
        },
        "member_flags": {"flag": "ehcp", "start_date": D("2016-01-01"), "end_date": None},
        "judgement": {"code": "eha_impact", "value": "moderate", "recorded_on": D("2016-01-01")},
    }
    for i, (kind, values) in enumerate(sorted(samples.items())):
        record = evidence_from_dict(kind, {"id": i, "person_id": 1, **values})
        assert record.kind == kind and record.id == i


# Term calendar ------------------------------------------------------------------------------------


def test_default_terms_and_overrides():
    calendar = TermCalendar()
    summer = calendar.term("2015/16", "summer")
    assert (summer.start, summer.end) == (D("2016-04-14"), D("2016-07-22"))
    assert calendar.term("2030/31", "autumn").end == D("2030-12-20")
    assert calendar.last_ended_by(D("2016-07-21")).label == "spring 2015/16"
    custom = TermCalendar({"2015/16": {"summer": (D("2016-04-11"), D("2016-07-20"))}})
    assert custom.term("2015/16", "summer").end == D("2016-07-20")
    with pytest.raises(ValueError, match="2015/16"):
        TermCalendar({"2015-16": {"summer": (D("2016-04-11"), D("2016-07-20"))}})


def test_overridden_term_dates_move_the_met_date():
    plan = one_problem_plan(
        {
            "kind": "term_threshold",
            "measure": "attendance",
            "comparison": "below",
            "threshold": 90,
            "terms": 3,
            "over": "overall",
        },
        {
            "kind": "term_threshold",
            "measure": "attendance",
            "comparison": "above",
            "threshold": 90,
            "terms": 3,
            "over": "each",
        },
    )
    records = [attendance(2, "2014/15", t, 80) for t in ("autumn", "spring", "summer")]
    records += [attendance(2, "2015/16", t, 95) for t in ("autumn", "spring", "summer")]
    calendar = TermCalendar({"2015/16": {"summer": (D("2016-04-11"), D("2016-07-20"))}})
    assert status_of(evaluate(plan, family(*records), D("2016-07-20"))) == "progressing"
    assert status_of(evaluate(plan, family(*records), D("2016-07-20"), terms=calendar)) == "met"


# Membership ----------------------------------------------------------------------------------------

JOINER_PLAN = one_problem_plan(
    {
        "kind": "event_count",
        "evidence": "offences",
        "scope": "family",
        "applies_to": {"max_age": 17},
    },
    {"kind": "no_events", "evidence": "offences", "scope": "family", "window": {"months": 6}},
)


@pytest.mark.parametrize(
    ("offence", "expected"),
    [
        ("2015-12-01", "met"),  # before the child joined the household: not the family's evidence
        ("2016-02-01", "not_met"),  # after joining: counts
    ],
)
def test_child_who_joined_after_attachment(offence, expected):
    joiner = child(3, born="2001-01-01", memberships=[(D("2016-01-01"), None)])
    records = [
        ev("offences", 2, offence_date="2015-05-01"),
        ev("offences", 3, offence_date=offence),
    ]
    snapshot = family(*records, members=[adult(1), child(2, born="2001-06-01"), joiner])
    assert status_of(evaluate(JOINER_PLAN, snapshot, D("2016-06-01"))) == expected


def test_joiners_baseline_offences_do_not_identify_the_family():
    joiner = child(3, born="2001-01-01", memberships=[(D("2016-01-01"), None)])
    snapshot = family(ev("offences", 3, offence_date="2015-05-01"), members=[adult(1), joiner])
    assert status_of(evaluate(JOINER_PLAN, snapshot, D("2016-06-01"))) == "not_identified"


def test_adult_who_left_does_not_bring_continuous_employment():
    plan = load_shipped_plan("oxfordshire-phase-2")
    leaver = adult(1, memberships=[(D("2010-01-01"), D("2015-11-30"))])
    records = [
        ev("benefit_spells", 1, benefit="ESA", start_date="2014-01-01", end_date="2015-09-30"),
        ev("employment_spells", 1, start_date="2015-10-01"),
    ]
    stayed = evaluate(plan, family(*records, members=[adult(1), child(2)]), D("2016-03-01"))
    left = evaluate(plan, family(*records, members=[leaver, child(2)]), D("2016-03-01"))
    assert stayed.continuous_employment.status == "met"
    assert (
        left.continuous_employment.status == "not_applicable"
    )  # no adult in the household to measure
    assert not left.claimable_continuous_employment


# Validation -----------------------------------------------------------------------------------------


def _plan_data():
    return yaml.safe_load(
        (ENGINE.parent / "plans" / "oxfordshire-phase-2.yaml").read_text(encoding="utf-8")
    )


def test_errors_name_the_path_in_the_file_and_are_all_collected():
    data = _plan_data()
    data["problems"][1]["outcome"]["criteria"][0]["threshold"] = "ninety"
    data["problems"][0]["indicators"]["criteria"][0]["kind"] = "vibes"
    data["problems"][2]["outcome"]["criteria"][0]["window"] = {"months": 0}
    del data["title"]
    with pytest.raises(PlanError) as caught:
        load_plan(data)
    assert caught.value.errors == [
        "title: is required",
        'problems[0].indicators.criteria[0].kind: expected one of event_count, spell_active, term_threshold, judgement, count_reduction, no_events, no_escalation, child_plan_level, continuous_employment, activity_held, treatment_completed, got "vibes"',
        'problems[1].outcome.criteria[0].threshold: expected a number, got "ninety"',
        "problems[2].outcome.criteria[0].window.months: expected a whole number of at least 1, got 0",
    ]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["problems"][0]["outcome"]["criteria"][0].update(evidence="parking"),
            "problems[0].outcome.criteria[0].evidence: expected one of",
        ),
        (
            lambda d: d["problems"][0]["outcome"]["criteria"][0].update(where={"colour": "red"}),
            "problems[0].outcome.criteria[0].where.colour: asb_incidents records have no field",
        ),
        (
            lambda d: d["problems"][1]["outcome"]["criteria"][0].update(
                threshold={"parameter": "nope"}
            ),
            'problems[1].outcome.criteria[0].threshold.parameter: no parameter named "nope"',
        ),
        (
            lambda d: d["problems"][0]["outcome"]["criteria"][0].update(
                when_identified_by=["ghost"]
            ),
            'when_identified_by names "ghost"',
        ),
        (
            lambda d: d["problems"][4]["indicators"]["criteria"][0].update(kind="no_events"),
            "problems[4].indicators.criteria[0].kind: no_events cannot identify a family",
        ),
        (
            lambda d: d.update(min_problems="two"),
            'min_problems: expected a whole number, got "two"',
        ),
        (
            lambda d: d["problems"][1].update(code="crime_asb"),
            'problems: problem code "crime_asb" is used twice',
        ),
        (
            lambda d: d["problems"][0]["outcome"]["criteria"][0].update(reduction=160),
            "reduction: expected a percentage above 0 and up to 100",
        ),
        (
            lambda d: d["problems"][0]["outcome"]["criteria"][0].update(colour="red"),
            "problems[0].outcome.criteria[0].colour: unknown field",
        ),
        (
            lambda d: d["problems"][0]["outcome"]["criteria"][0].pop("window"),
            "problems[0].outcome.criteria[0].window: is required",
        ),
    ],
)
def test_validation_messages(mutate, message):
    data = _plan_data()
    mutate(data)
    with pytest.raises(PlanError) as caught:
        load_plan(data)
    assert any(message in e for e in caught.value.errors), caught.value.errors


def test_yaml_syntax_errors_name_the_line():
    with pytest.raises(PlanError, match="line 2"):
        load_plan("slug: x\n  version: [1\n")


def test_parameter_values_need_dates():
    data = _plan_data()
    data["parameters"] = {"absence_threshold": [{"from": "April 2016", "value": 10}]}
    with pytest.raises(PlanError, match=r"parameters.absence_threshold\[0\].from: expected a date"):
        load_plan(data)


# Shipped plans ---------------------------------------------------------------------------------------


def test_shipped_plans_load_and_round_trip():
    plans = shipped_plans()
    assert {slug: (p.slug, p.version, p.example) for slug, p in plans.items()} == {
        "oxfordshire-phase-2": ("oxfordshire-phase-2", "2015-2", False),
        "worcestershire-2015-16": ("worcestershire-2015-16", "2015-16-2", False),
        "national-phase-1": ("national-phase-1", "2012-2", False),
        "supporting-families-2022-example": (
            "supporting-families-2022-example",
            "2022-example-2",
            True,
        ),
    }
    for plan in plans.values():
        assert load_plan(plan.to_dict()) == plan
        assert load_plan(yaml.safe_dump(plan.to_dict())) == plan


def test_phase_2_plans_use_the_six_problem_codes():
    codes = [
        "crime_asb",
        "school_attendance",
        "children_need_help",
        "worklessness",
        "domestic_abuse",
        "health",
    ]
    for slug in ("oxfordshire-phase-2", "worcestershire-2015-16"):
        plan = load_shipped_plan(slug)
        assert [p.code for p in plan.problems] == codes
        assert plan.min_problems == 2


def test_supporting_families_example_has_ten_outcomes_and_says_it_is_an_example():
    plan = load_shipped_plan("supporting-families-2022-example")
    assert len(plan.problems) == 10 and plan.min_problems == 3
    assert plan.example and "example" in plan.title.lower()


def test_plan_table_reads_like_the_oxfordshire_document():
    rows = plan_table(load_shipped_plan("oxfordshire-phase-2"))
    first = rows[0]
    assert first.problem == "Parents and young people involved in crime or anti-social behaviour"
    assert first.identifiers == (
        "Anti-social behaviour incidents",
        "Young people offending",
        "Adults found guilty of an offence",
    )
    assert first.outcome_measures[0] == "60% reduction in incidents"
    assert first.periods == ("6 months",)
    assert rows[1].periods == ("3 consecutive terms",)
    assert rows[3].periods == ("JSA 26 consecutive weeks; others 13 consecutive weeks", "13 weeks")


# The stable interface --------------------------------------------------------------------------------

# Every name outcomes.engine exported before claimability moved into the engine: analysts' offline
# scripts import them.
EXPORTED_BEFORE = {
    "DEFAULT_TERMS",
    "EVIDENCE_KINDS",
    "MET",
    "NOT_APPLICABLE",
    "NOT_IDENTIFIED",
    "NOT_MET",
    "PROGRESSING",
    "Blocking",
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
    "evaluate",
    "evidence_from_dict",
    "evidence_to_dict",
    "load_plan",
    "load_shipped_plan",
    "plan_judgements",
    "plan_table",
    "shipped_plan_paths",
    "shipped_plans",
}
RESULT_KEYS_BEFORE = {
    "family",
    "as_of",
    "plan",
    "eligible",
    "problems",
    "claimable",
    "blocking",
    "attached_on",
    "min_problems",
    "identified_problems",
    "local_criteria",
    "continuous_employment",
    "claim_conditions",
    "results_earliest_on",
}
PROBLEM_KEYS_BEFORE = {
    "code",
    "identified",
    "outcome",
    "met_since",
    "criteria",
    "missing",
    "title",
    "earliest_met_on",
    "identification",
}
CRITERION_KEYS_BEFORE = {
    "id",
    "status",
    "explanation",
    "evidence",
    "kind",
    "label",
    "met_since",
    "earliest_met_on",
    "missing",
    "members",
}


def test_engine_exports_what_it_always_has_with_the_same_signatures():
    import inspect

    import outcomes.engine as engine

    assert EXPORTED_BEFORE <= set(engine.__all__)
    assert {"decide_claimability", "claimability_of", "Claimability"} <= set(engine.__all__)
    assert list(inspect.signature(engine.evaluate).parameters) == [
        "plan",
        "snapshot",
        "as_of",
        "terms",
    ]
    assert list(inspect.signature(engine.load_plan).parameters) == ["text_or_dict"]
    assert list(inspect.signature(engine.load_shipped_plan).parameters) == ["slug"]
    assert list(inspect.signature(engine.evidence_from_dict).parameters) == ["kind", "values"]
    # The snapshot's new fields are optional, so existing callers build it as before.
    old_style = FamilySnapshot(reference="F-1", attached_on=D("2015-09-01"))
    assert (old_style.closed_on, old_style.stepped_down_on) == (None, None)


def test_result_keeps_every_key_and_adds_the_new_ones():
    result = evaluate(
        load_shipped_plan("oxfordshire-phase-2"), _oxfordshire_family(), D("2016-09-30")
    ).to_dict()
    assert RESULT_KEYS_BEFORE <= set(result)
    assert {"rules_version", "results_problems", "results_not_before", "claimability"} <= set(
        result
    )
    problem = result["problems"][0]
    assert PROBLEM_KEYS_BEFORE <= set(problem)
    assert {"why"} <= set(problem["identification"]) and "outcome_groups" in problem
    assert CRITERION_KEYS_BEFORE <= set(problem["criteria"][0])
    assert {"when", "text", "alternatives", "not_needed"} <= set(problem["criteria"][0])


def test_snapshot_from_dict_reads_closure_and_step_down():
    snapshot = FamilySnapshot.from_dict(
        {
            "reference": "F-1",
            "attached_on": "2015-09-01",
            "closed_on": "2016-03-01",
            "stepped_down_on": "2016-02-01",
        }
    )
    assert (snapshot.closed_on, snapshot.stepped_down_on) == (D("2016-03-01"), D("2016-02-01"))
    result = evaluate(load_shipped_plan("worcestershire-2015-16"), snapshot, D("2016-06-01"))
    assert (result.closed_on, result.stepped_down_on) == (D("2016-03-01"), D("2016-02-01"))
    # Not known yet on an earlier date.
    early = evaluate(load_shipped_plan("worcestershire-2015-16"), snapshot, D("2016-01-31"))
    assert (early.closed_on, early.stepped_down_on) == (None, None)


# Claimability in one place ------------------------------------------------------------------------


def _stored(as_of="2016-09-30"):
    """A claimable Oxfordshire result as it reads back from a JSON column."""
    evaluation = evaluate(load_shipped_plan("oxfordshire-phase-2"), _oxfordshire_family(), D(as_of))
    return evaluation, json.loads(json.dumps(evaluation.to_dict()))


def test_claimability_from_a_stored_result_matches_the_evaluation():
    evaluation, stored = _stored()
    assert evaluation.claimable_results
    assert claimability_of(stored) == evaluation.claimability
    assert claimability_of(stored, claim_date=D("2016-09-30")).results
    _, not_yet = _stored("2016-05-01")
    assert not claimability_of(not_yet).results
    assert claimability_of(not_yet).refusal("results") == (
        "Not every problem the family was identified with is met: Children who have not been "
        "attending school regularly."
    )


@pytest.mark.parametrize(
    ("change", "claim_date", "reason"),
    [
        (lambda r: r.pop("rules_version"), None, "earlier version of the outcomes rules"),
        (lambda r: r.update(rules_version=1), None, "earlier version of the outcomes rules"),
        (None, "2016-09-29", "not the claim date 29 September 2016"),
        (None, "2016-10-01", "not the claim date 1 October 2016"),
        (lambda r: r["problems"][0].update(outcome="progressing"), None, "is met: Parents"),
        (lambda r: r.update(eligible=False), None, "not eligible"),
        (lambda r: r.update(attached_on=None), None, "not attached"),
        (lambda r: r.update(attached_on="2016-10-01"), None, "not attached"),
        (lambda r: r.update(results_not_before="2016-10-01"), None, "No claim before 1 October"),
        (lambda r: r["claimable"].update(results=False), None, "does not add up"),
    ],
)
def test_a_stored_result_supports_a_claim_only_when_it_adds_up(change, claim_date, reason):
    _, stored = _stored()
    if change:
        change(stored)
    answer = claimability_of(stored, claim_date=D(claim_date) if claim_date else None)
    assert not answer.results
    assert reason in answer.refusal("results")


@pytest.mark.parametrize(
    ("kwargs", "results", "employment"),
    [
        ({}, True, False),
        ({"eligible": False}, False, False),
        ({"attached": False}, False, False),
        ({"not_before": D("2016-01-02")}, False, False),
        ({"not_before": D("2016-01-01")}, True, False),
        ({"results_outcomes": {"crime_asb": "met", "health": "progressing"}}, False, False),
        ({"results_outcomes": {}}, False, False),
        ({"claim_conditions": [("lead-worker", "progressing")]}, False, False),
        ({"continuous_employment": "met"}, True, True),
        ({"continuous_employment": "met", "results_outcomes": {"health": "not_met"}}, False, True),
    ],
)
def test_decide_claimability_table(kwargs, results, employment):
    args = {
        "as_of": D("2016-01-01"),
        "eligible": True,
        "attached": True,
        "results_outcomes": {"crime_asb": "met"},
        **kwargs,
    }
    decided = decide_claimability(**args)
    assert (decided.results, decided.continuous_employment) == (results, employment)
    assert (decided.results_refusal is None) is results
