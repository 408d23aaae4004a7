"""Each rule kind from a table of cases: inputs, as_of, expected status. Boundaries are exact."""

from __future__ import annotations

import pytest

from outcomes.engine import evaluate

from .builders import D, adult, attendance, child, ev, family, one_problem_plan, status_of

# Every family here is attached on 1 September 2015, so a 6-month window is clear of attachment
# from 1 March 2016: the window (as_of - 6 months, as_of] must start after the attachment date.

OFFENCE_BEFORE = ev("offences", 1, offence_date="2015-06-01", proven=True)

NO_OFFENCES_PLAN = one_problem_plan(
    {"kind": "event_count", "evidence": "offences", "scope": "family"},
    {"kind": "no_events", "evidence": "offences", "scope": "family", "window": {"months": 6}},
)


@pytest.mark.parametrize(
    ("later", "as_of", "expected", "met_since"),
    [
        ([], "2016-02-29", "progressing", None),  # window still reaches back before attachment
        ([], "2016-03-01", "met", "2016-03-01"),
        (["2016-01-15"], "2016-07-14", "not_met", None),  # offence on the window's first day counts
        (["2016-01-15"], "2016-07-15", "met", "2016-07-15"),
        (["2016-06-30"], "2016-06-30", "not_met", None),  # offence on the last day counts
        (["2016-07-01"], "2016-06-30", "met", "2016-03-01"),  # not known yet on as_of
        (["2015-10-01", "2016-02-01"], "2016-08-01", "met", "2016-08-01"),
    ],
)
def test_no_further_offences(later, as_of, expected, met_since):
    snapshot = family(OFFENCE_BEFORE, *(ev("offences", 1, offence_date=d) for d in later))
    result = evaluate(NO_OFFENCES_PLAN, snapshot, D(as_of))
    criterion = result.problem("crime_asb").criteria[0]
    assert criterion.status == expected
    assert criterion.met_since == (D(met_since) if met_since else None)


def test_no_events_earliest_met_on_is_six_months_after_the_last_event():
    snapshot = family(OFFENCE_BEFORE, ev("offences", 1, offence_date="2016-01-15"))
    criterion = (
        evaluate(NO_OFFENCES_PLAN, snapshot, D("2016-04-01")).problem("crime_asb").criteria[0]
    )
    assert criterion.status == "not_met"
    assert criterion.earliest_met_on == D("2016-07-15")
    assert "15 January 2016" in criterion.explanation


DA_PLAN = one_problem_plan(
    {
        "kind": "event_count",
        "evidence": "domestic_abuse_callouts",
        "scope": "family",
        "where": {"child_present": True},
    },
    {
        "kind": "no_events",
        "evidence": "domestic_abuse_callouts",
        "scope": "family",
        "window": {"months": 6},
        "unless": {"civil_injunction_support": True},
    },
)


@pytest.mark.parametrize(
    ("callout", "as_of", "expected"),
    [
        ({"callout_date": "2016-05-01", "civil_injunction_support": True}, "2016-06-01", "met"),
        (
            {"callout_date": "2016-05-01", "civil_injunction_support": False},
            "2016-06-01",
            "not_met",
        ),
        ({"callout_date": "2016-05-01", "child_present": False}, "2016-06-01", "not_met"),
        (None, "2016-06-01", "met"),
    ],
)
def test_no_domestic_abuse_callouts_except_civil_injunction_support(callout, as_of, expected):
    records = [ev("domestic_abuse_callouts", None, callout_date="2015-07-01", child_present=True)]
    if callout:
        records.append(ev("domestic_abuse_callouts", None, **callout))
    assert status_of(evaluate(DA_PLAN, family(*records), D(as_of))) == expected


def test_identification_needs_a_child_present_callout():
    records = [ev("domestic_abuse_callouts", None, callout_date="2015-07-01", child_present=False)]
    assert status_of(evaluate(DA_PLAN, family(*records), D("2016-06-01"))) == "not_identified"


ASB_PLAN = one_problem_plan(
    {"kind": "event_count", "evidence": "asb_incidents", "scope": "family"},
    {
        "kind": "count_reduction",
        "evidence": "asb_incidents",
        "scope": "family",
        "reduction": 60,
        "window": {"months": 6},
    },
)


def _asb(before: int, after: list[str]):
    base = [ev("asb_incidents", 1, incident_date=f"2015-0{m}-10") for m in range(1, before + 1)]
    return family(*base, *(ev("asb_incidents", 1, incident_date=d) for d in after))


@pytest.mark.parametrize(
    ("before", "after", "as_of", "expected"),
    [
        # 5 in the 12 months before = 2.5 per 6 months; a 60% reduction allows 1.0: one is exactly 60%.
        (5, ["2016-04-01"], "2016-06-30", "met"),
        (5, ["2016-04-01", "2016-05-01"], "2016-06-30", "not_met"),
        (5, [], "2016-02-29", "progressing"),  # the 6 months after attachment are not over
        (5, [], "2016-03-01", "met"),
        # 4 before = 2 per 6 months; 60% fewer allows 0.8, so a single incident is too many.
        (4, ["2016-04-01"], "2016-06-30", "not_met"),
        (4, ["2016-04-01"], "2016-10-01", "met"),  # the incident has left the window
        (1, ["2016-06-30"], "2016-06-30", "not_met"),  # an incident on the last day counts
    ],
)
def test_asb_reduction_against_the_baseline_rate(before, after, as_of, expected):
    assert status_of(evaluate(ASB_PLAN, _asb(before, after), D(as_of))) == expected


def test_reduction_explanation_gives_the_figures():
    c = (
        evaluate(ASB_PLAN, _asb(5, ["2016-04-01"]), D("2016-06-30"))
        .problem("crime_asb")
        .criteria[0]
    )
    assert "5 in the 12 months before attachment" in c.explanation
    assert "2.5 per 6 months" in c.explanation
    assert "1 in the last 6 months" in c.explanation
    assert "60.0% reduction" in c.explanation


YOUTH_PLAN = one_problem_plan(
    {
        "kind": "event_count",
        "evidence": "offences",
        "scope": "person",
        "applies_to": {"max_age": 17},
    },
    {
        "kind": "count_reduction",
        "evidence": "offences",
        "scope": "person",
        "reduction": 33,
        "window": {"months": 6},
    },
)


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (3, 1, "met"),  # 1.5 per 6 months, 33% fewer allows 1.005: one offence is a 33.3% reduction
        (3, 2, "not_met"),
        (2, 1, "not_met"),  # 1 per 6 months: one offence is no reduction at all
        (2, 0, "met"),
    ],
)
def test_youth_offending_reduction_per_young_person(before, after, expected):
    teen = child(2, born="2000-01-01")
    records = [ev("offences", 2, offence_date=f"2015-0{m}-05") for m in range(1, before + 1)]
    records += [ev("offences", 2, offence_date=f"2016-0{m}-05") for m in range(4, 4 + after)]
    snapshot = family(*records, members=[adult(1), teen])
    assert status_of(evaluate(YOUTH_PLAN, snapshot, D("2016-08-01"))) == expected


def test_adult_offences_do_not_identify_a_youth_offending_problem():
    records = [ev("offences", 1, offence_date="2015-05-05")]
    assert status_of(evaluate(YOUTH_PLAN, family(*records), D("2016-08-01"))) == "not_identified"


# School terms -------------------------------------------------------------------------------

ATTENDANCE_PLAN = one_problem_plan(
    {
        "kind": "term_threshold",
        "measure": "attendance",
        "comparison": "below",
        "threshold": 90,
        "terms": 3,
        "over": "overall",
        "applies_to": {"role": "child"},
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

BASELINE_TERMS = [attendance(2, "2014/15", t, 80) for t in ("autumn", "spring", "summer")]


@pytest.mark.parametrize(
    ("after", "as_of", "expected", "earliest"),
    [
        (
            [93.5, 91, 95],
            "2016-07-22",
            "met",
            "2016-07-22",
        ),  # a term's result is known on its end date
        ([93.5, 91, 95], "2016-07-21", "progressing", "2016-07-22"),
        ([93.5, 91], "2016-07-22", "progressing", "2016-07-22"),  # summer record not in yet
        ([93.5, 90, 95], "2016-07-22", "not_met", "2017-03-31"),  # exactly 90% is not above 90%
        ([93.5, 90.5, 95], "2016-07-22", "met", "2016-07-22"),
        ([89, 95, 95, 95], "2016-12-20", "met", "2016-12-20"),  # the run restarts after a bad term
    ],
)
def test_attendance_above_90_in_each_of_3_consecutive_terms(after, as_of, expected, earliest):
    terms = [
        ("2015/16", "autumn"),
        ("2015/16", "spring"),
        ("2015/16", "summer"),
        ("2016/17", "autumn"),
    ]
    records = [attendance(2, y, t, pct) for (y, t), pct in zip(terms, after, strict=False)]
    result = evaluate(ATTENDANCE_PLAN, family(*BASELINE_TERMS, *records), D(as_of))
    criterion = result.problem("crime_asb").criteria[0]
    assert criterion.status == expected
    assert criterion.earliest_met_on == D(earliest)


def test_attendance_explanation_lists_terms_with_figures():
    records = [
        attendance(2, "2015/16", "autumn", 93.5, possible=200),
        attendance(2, "2015/16", "spring", 91, possible=200),
    ]
    c = (
        evaluate(ATTENDANCE_PLAN, family(*BASELINE_TERMS, *records), D("2016-05-01"))
        .problem("crime_asb")
        .criteria[0]
    )
    # The figures once, and the date once, apart: a page showing "explanation; when" says each once.
    assert c.explanation == (
        "Member 2: Attendance above 90% in 2 of 3 consecutive terms "
        "(autumn 2015/16 93.5%, spring 2015/16 91.0%)"
    )
    assert c.when == "met on 22 July 2016 if it holds"
    assert c.text == f"{c.explanation}; {c.when}"
    assert "22 July 2016" not in c.explanation


@pytest.mark.parametrize(("baseline_pct", "identified"), [(89.9, True), (90, False), (95, False)])
def test_attendance_identification_boundary(baseline_pct, identified):
    records = [
        attendance(2, "2014/15", t, baseline_pct, possible=1000)
        for t in ("autumn", "spring", "summer")
    ]
    result = evaluate(ATTENDANCE_PLAN, family(*records), D("2016-01-01"))
    assert result.problem("crime_asb").identified is identified


EXCLUSIONS_PLAN = one_problem_plan(
    {
        "kind": "term_threshold",
        "measure": "fixed_term_exclusions",
        "comparison": "at_least",
        "threshold": 3,
        "terms": 3,
        "over": "overall",
    },
    {
        "kind": "term_threshold",
        "measure": "fixed_term_exclusions",
        "comparison": "below",
        "threshold": 3,
        "terms": 3,
        "over": "overall",
    },
)
BASELINE_EXCLUSIONS = [
    ev("exclusions", 2, start_date=d, exclusion_type="fixed_term")
    for d in ("2014-10-01", "2015-02-01", "2015-05-01")
]


@pytest.mark.parametrize(
    ("after", "as_of", "expected"),
    [
        ([], "2016-07-22", "met"),
        (["2015-10-01", "2016-02-01"], "2016-07-22", "met"),  # 2 is fewer than 3
        (
            ["2015-10-01", "2016-02-01", "2016-07-22"],
            "2016-07-22",
            "not_met",
        ),  # 3 is not; last day counts
        (
            ["2015-10-01", "2016-02-01", "2016-07-22"],
            "2016-12-20",
            "met",
        ),  # autumn 2015 left the window
        (
            ["2015-10-01", "2016-02-01", "2016-02-02"],
            "2016-05-01",
            "not_met",
        ),  # already 3: cannot recover yet
        ([], "2016-05-01", "progressing"),
    ],
)
def test_fewer_than_3_fixed_term_exclusions_over_3_terms(after, as_of, expected):
    records = [ev("exclusions", 2, start_date=d, exclusion_type="fixed_term") for d in after]
    assert (
        status_of(evaluate(EXCLUSIONS_PLAN, family(*BASELINE_EXCLUSIONS, *records), D(as_of)))
        == expected
    )


def test_two_exclusions_do_not_identify_and_permanent_ones_are_not_fixed_term():
    records = [
        ev("exclusions", 2, start_date="2014-10-01", exclusion_type="fixed_term"),
        ev("exclusions", 2, start_date="2015-02-01", exclusion_type="fixed_term"),
        ev("exclusions", 2, start_date="2015-05-01", exclusion_type="permanent"),
    ]
    assert (
        status_of(evaluate(EXCLUSIONS_PLAN, family(*records), D("2016-01-01"))) == "not_identified"
    )


# Children's social care plans ---------------------------------------------------------------

CP_PLAN = one_problem_plan(
    {
        "kind": "spell_active",
        "evidence": "child_plans",
        "where": {"plan": "CP", "category": "neglect"},
        "applies_to": {"role": "child"},
    },
    {"kind": "child_plan_level", "mode": "stepped_down", "window": {"months": 6}},
)
CIN_PLAN = one_problem_plan(
    {
        "kind": "spell_active",
        "evidence": "child_plans",
        "where": {"plan": "CIN", "category": "neglect"},
        "applies_to": {"role": "child"},
    },
    {"kind": "child_plan_level", "mode": "not_escalated", "window": {"months": 6}},
)


def _plan(kind, start, end=None, category="neglect"):
    return ev("child_plans", 2, plan=kind, category=category, start_date=start, end_date=end)


@pytest.mark.parametrize(
    ("plans", "as_of", "expected"),
    [
        ([("CP", "2015-05-01", None)], "2016-06-30", "progressing"),  # still on the CP plan
        (
            [("CP", "2015-05-01", "2015-12-31"), ("CIN", "2016-01-01", None)],
            "2016-06-29",
            "progressing",
        ),
        ([("CP", "2015-05-01", "2015-12-31"), ("CIN", "2016-01-01", None)], "2016-06-30", "met"),
        (
            [("CP", "2015-05-01", "2015-12-31"), ("CP", "2016-04-01", None)],
            "2016-08-01",
            "progressing",
        ),
        (
            [("CP", "2015-05-01", "2015-12-31"), ("LAC", "2016-04-01", "2016-05-01")],
            "2016-08-01",
            "progressing",
        ),
        (
            [("CP", "2015-05-01", "2015-12-31"), ("LAC", "2016-04-01", "2016-05-01")],
            "2016-11-01",
            "met",
        ),
    ],
)
def test_child_protection_plan_stepped_down_and_held_6_months(plans, as_of, expected):
    records = [_plan(k, s, e) for k, s, e in plans]
    assert status_of(evaluate(CP_PLAN, family(*records), D(as_of))) == expected


@pytest.mark.parametrize(
    ("plans", "as_of", "expected"),
    [
        ([("CIN", "2015-07-01", None)], "2016-02-29", "progressing"),
        ([("CIN", "2015-07-01", None)], "2016-03-01", "met"),
        (
            [("CIN", "2015-07-01", "2016-01-09"), ("CP", "2016-01-10", None)],
            "2016-08-01",
            "not_met",
        ),
        (
            [("CIN", "2015-07-01", None), ("LAC", "2016-05-01", "2016-05-20")],
            "2016-08-01",
            "not_met",
        ),
        ([("CIN", "2015-07-01", "2016-01-31")], "2016-03-01", "met"),  # plan closed: no escalation
    ],
)
def test_child_in_need_not_escalated(plans, as_of, expected):
    records = [_plan(k, s, e) for k, s, e in plans]
    assert status_of(evaluate(CIN_PLAN, family(*records), D(as_of))) == expected


def test_a_plan_for_another_reason_does_not_identify():
    records = [_plan("CP", "2015-05-01", None, category="physical_abuse")]
    assert status_of(evaluate(CP_PLAN, family(*records), D("2016-01-01"))) == "not_identified"


# Work ---------------------------------------------------------------------------------------

EMPLOYMENT_PLAN = one_problem_plan(
    {
        "kind": "spell_active",
        "evidence": "benefit_spells",
        "where": {"out_of_work": True},
        "applies_to": {"role": "adult"},
    },
    {
        "kind": "continuous_employment",
        "requirements": [{"benefits": ["JSA"], "weeks": 26}, {"benefits": ["other"], "weeks": 13}],
    },
)
WORCS_EMPLOYMENT_PLAN = one_problem_plan(
    {
        "kind": "spell_active",
        "evidence": "benefit_spells",
        "where": {"out_of_work": True},
        "applies_to": {"role": "adult"},
    },
    {
        "kind": "continuous_employment",
        "requirements": [
            {"benefits": ["JSA"], "weeks": 26, "of_last_weeks": 30},
            {"benefits": ["other"], "weeks": 14},
        ],
    },
)


def _work(benefit, jobs, benefit_end="2015-09-30"):
    records = [
        ev("benefit_spells", 1, benefit=benefit, start_date="2014-01-01", end_date=benefit_end)
    ]
    records += [ev("employment_spells", 1, start_date=s, end_date=e) for s, e in jobs]
    return family(*records)


@pytest.mark.parametrize(
    ("plan", "benefit", "jobs", "as_of", "expected"),
    [
        # ESA: 13 consecutive weeks (91 days) from 1 October 2015 end on 30 December 2015.
        (EMPLOYMENT_PLAN, "ESA", [("2015-10-01", None)], "2015-12-29", "progressing"),
        (EMPLOYMENT_PLAN, "ESA", [("2015-10-01", None)], "2015-12-30", "met"),
        # JSA: 26 weeks (182 days) from 1 October 2015 end on 30 March 2016.
        (EMPLOYMENT_PLAN, "JSA", [("2015-10-01", None)], "2016-03-29", "progressing"),
        (EMPLOYMENT_PLAN, "JSA", [("2015-10-01", None)], "2016-03-30", "met"),
        (EMPLOYMENT_PLAN, "JSA", [("2015-10-01", "2016-01-31")], "2016-06-01", "not_met"),
        # Worcestershire JSA: 26 of the last 30 weeks, so a two-week gap is allowed once enough weeks pass.
        (
            WORCS_EMPLOYMENT_PLAN,
            "JSA",
            [("2015-10-01", "2016-01-10"), ("2016-01-25", None)],
            "2016-03-30",
            "progressing",
        ),
        (
            WORCS_EMPLOYMENT_PLAN,
            "JSA",
            [("2015-10-01", "2016-01-10"), ("2016-01-25", None)],
            "2016-04-30",
            "met",
        ),
        # Worcestershire others: 14 consecutive weeks (98 days) from 1 October 2015 end on 6 January 2016.
        (WORCS_EMPLOYMENT_PLAN, "IS", [("2015-10-01", None)], "2016-01-05", "progressing"),
        (WORCS_EMPLOYMENT_PLAN, "IS", [("2015-10-01", None)], "2016-01-06", "met"),
    ],
)
def test_continuous_employment(plan, benefit, jobs, as_of, expected):
    assert status_of(evaluate(plan, _work(benefit, jobs), D(as_of))) == expected


def test_work_while_still_on_out_of_work_benefit_does_not_count():
    snapshot = _work("ESA", [("2015-10-01", None)], benefit_end=None)
    assert status_of(evaluate(EMPLOYMENT_PLAN, snapshot, D("2016-06-01"))) == "not_met"
    snapshot = _work("ESA", [("2015-10-01", None)], benefit_end="2015-12-31")
    result = evaluate(EMPLOYMENT_PLAN, snapshot, D("2016-03-31"))
    criterion = result.problem("crime_asb").criteria[0]
    assert criterion.status == "met"
    assert criterion.met_since == D("2016-03-31")  # 91 days from 1 January 2016


ACTIVITY_PLAN = one_problem_plan(
    {
        "kind": "spell_active",
        "evidence": "benefit_spells",
        "where": {"out_of_work": True},
        "applies_to": {"role": "adult"},
    },
    {"kind": "activity_held", "sources": ["work_activity"], "weeks": 13, "quantifier": "any"},
)


@pytest.mark.parametrize(
    ("spells", "as_of", "expected"),
    [
        ([("volunteering", "2015-10-01", None)], "2015-12-29", "progressing"),
        ([("volunteering", "2015-10-01", None)], "2015-12-30", "met"),
        (
            [("volunteering", "2015-10-01", "2015-11-15"), ("work_experience", "2015-11-16", None)],
            "2015-12-30",
            "met",
        ),
        ([("volunteering", "2015-10-01", "2015-12-01")], "2016-03-01", "not_met"),
        (
            [("volunteering", "2015-10-01", "2015-12-30")],
            "2016-03-01",
            "met",
        ),  # held exactly 13 weeks
        ([], "2016-03-01", "not_met"),
    ],
)
def test_work_related_activity_held_13_weeks(spells, as_of, expected):
    records = [ev("benefit_spells", 1, benefit="ESA", start_date="2014-01-01")]
    records += [ev("work_activity", 1, activity=a, start_date=s, end_date=e) for a, s, e in spells]
    assert status_of(evaluate(ACTIVITY_PLAN, family(*records), D(as_of))) == expected


# Treatment and judgement -------------------------------------------------------------------

TREATMENT_PLAN = one_problem_plan(
    {
        "kind": "spell_active",
        "evidence": "treatment",
        "window": {"months": 12},
        "applies_to": {"role": "adult"},
    },
    {"kind": "treatment_completed", "sustain": {"months": 6}},
)


@pytest.mark.parametrize(
    ("episodes", "as_of", "expected"),
    [
        ([("2015-06-01", "2016-01-31", "completed")], "2016-07-30", "progressing"),
        ([("2015-06-01", "2016-01-31", "completed")], "2016-07-31", "met"),
        ([("2015-06-01", "2016-01-31", "dropped_out")], "2016-08-31", "not_met"),
        ([("2015-06-01", None, "ongoing")], "2016-08-31", "progressing"),
        (
            [("2015-06-01", "2016-01-31", "completed"), ("2016-03-01", None, "ongoing")],
            "2016-08-31",
            "progressing",
        ),
        (
            [("2015-06-01", "2015-08-31", "completed")],
            "2016-08-31",
            "not_met",
        ),  # completed before attachment
    ],
)
def test_treatment_completed_and_sustained(episodes, as_of, expected):
    records = [
        ev("treatment", 1, substance="alcohol", start_date=s, end_date=e, outcome=o)
        for s, e, o in episodes
    ]
    assert status_of(evaluate(TREATMENT_PLAN, family(*records), D(as_of))) == expected


JUDGEMENT_PLAN = one_problem_plan(
    {"kind": "judgement", "code": "eha_impact", "values": ["significant", "moderate"]},
    {
        "kind": "judgement",
        "code": "eha_impact",
        "scale": ["significant", "moderate", "minor", "none"],
        "improve_by": 1,
        "sustain": {"months": 6},
    },
)


@pytest.mark.parametrize(
    ("judgements", "as_of", "expected"),
    [
        ([("significant", "2015-09-01")], "2016-06-01", "progressing"),
        ([("significant", "2015-09-01"), ("moderate", "2016-01-10")], "2016-07-09", "progressing"),
        ([("significant", "2015-09-01"), ("moderate", "2016-01-10")], "2016-07-10", "met"),
        ([("moderate", "2015-09-01"), ("moderate", "2016-01-10")], "2016-08-01", "not_met"),
        (
            [("significant", "2015-09-01"), ("minor", "2016-01-10"), ("significant", "2016-05-01")],
            "2016-08-01",
            "not_met",
        ),
        ([("minor", "2015-09-01")], "2016-08-01", "not_identified"),
    ],
)
def test_professional_judgement_improved_and_held(judgements, as_of, expected):
    records = [
        ev("judgement", None, code="eha_impact", value=v, recorded_on=d) for v, d in judgements
    ]
    assert status_of(evaluate(JUDGEMENT_PLAN, family(*records), D(as_of))) == expected


def test_judgement_with_a_value():
    plan = one_problem_plan(
        {"kind": "judgement", "code": "domestic_abuse_disclosed", "values": ["yes"]},
        {"kind": "judgement", "code": "victim_programme_completed", "values": ["yes"]},
    )
    disclosed = ev(
        "judgement", None, code="domestic_abuse_disclosed", value="yes", recorded_on="2015-09-10"
    )
    done = ev(
        "judgement", 1, code="victim_programme_completed", value="yes", recorded_on="2016-02-01"
    )
    assert status_of(evaluate(plan, family(disclosed), D("2016-03-01"))) == "progressing"
    result = evaluate(plan, family(disclosed, done), D("2016-03-01"))
    assert status_of(result) == "met"
    assert result.problem("crime_asb").met_since == D("2016-02-01")


# Combinations --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("combine", "offence_after", "expected"),
    [("all", True, "not_met"), ("any", True, "met"), ("all", False, "met"), ("any", False, "met")],
)
def test_all_and_any_combinations(combine, offence_after, expected):
    from outcomes.engine import load_plan

    plan = load_plan(
        {
            "slug": "combo",
            "version": "1",
            "title": "t",
            "council": "c",
            "min_problems": 1,
            "problems": [
                {
                    "code": "crime_asb",
                    "title": "Crime",
                    "indicators": [
                        {
                            "id": "ind",
                            "kind": "event_count",
                            "evidence": "offences",
                            "scope": "family",
                        }
                    ],
                    "outcome": {
                        "combine": combine,
                        "criteria": [
                            {
                                "id": "no-offences",
                                "kind": "no_events",
                                "evidence": "offences",
                                "scope": "family",
                                "window": {"months": 6},
                            },
                            {
                                "id": "judged",
                                "kind": "judgement",
                                "code": "offending_seriousness_reduced",
                                "values": ["yes"],
                            },
                        ],
                    },
                }
            ],
        }
    )
    records = [
        OFFENCE_BEFORE,
        ev(
            "judgement",
            None,
            code="offending_seriousness_reduced",
            value="yes",
            recorded_on="2016-01-05",
        ),
    ]
    if offence_after:
        records.append(ev("offences", 1, offence_date="2016-05-01"))
    assert (
        evaluate(plan, family(*records), D("2016-06-01")).problem("crime_asb").outcome == expected
    )


def test_family_not_yet_attached_is_identified_but_cannot_be_met():
    result = evaluate(NO_OFFENCES_PLAN, family(OFFENCE_BEFORE, attached=None), D("2016-05-01"))
    problem = result.problem("crime_asb")
    assert problem.identified
    assert problem.outcome == "not_met"
    assert "Attachment to the programme" in problem.missing
    assert not result.claimable_results
