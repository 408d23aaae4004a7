"""The rule options that keep a claim to what a plan allows, each from a table of cases.

Every family is attached on 1 September 2015 unless a case says otherwise; a 6-month window is
clear of attachment from 1 March 2016, 13 weeks counted from the day after attachment end on
1 December 2015.
"""

from __future__ import annotations

import pytest

from outcomes.engine import evaluate

from .builders import (
    D,
    adult,
    attendance,
    child,
    ev,
    family,
    judged,
    one_problem_plan,
    status_of,
)

# Continuous employment ------------------------------------------------------------------------

OUT_OF_WORK_LAST_YEAR = {
    "kind": "spell_active",
    "evidence": "benefit_spells",
    "where": {"out_of_work": True},
    "applies_to": {"role": "adult"},
    "window": {"months": 12},
}
REQUIREMENTS = [{"benefits": ["JSA"], "weeks": 26}, {"benefits": ["other"], "weeks": 13}]
EARNINGS = {
    "benefits": ["UC"],
    "single": {"parameter": "uc_single"},
    "couple": {"parameter": "uc_couple"},
}
THRESHOLDS = {
    "uc_single": [{"from": "2015-04-01", "value": 400}],
    "uc_couple": [{"from": "2015-04-01", "value": 800}],
}


def employment_plan(**options):
    return one_problem_plan(
        OUT_OF_WORK_LAST_YEAR,
        {"kind": "continuous_employment", "requirements": REQUIREMENTS, **options},
        parameters=THRESHOLDS,
    )


def _benefit(benefit="ESA", end="2015-09-30", start="2014-01-01"):
    return ev("benefit_spells", 1, benefit=benefit, start_date=start, end_date=end)


def _job(start="2015-10-01", end=None, earnings=None):
    fields = {"start_date": start, "end_date": end}
    if earnings is not None:
        fields["monthly_earnings"] = earnings
    return ev("employment_spells", 1, **fields)


@pytest.mark.parametrize(
    ("options", "records", "as_of", "expected"),
    [
        # The benefit must be held on the attachment date ("at the start of the intervention").
        ({}, [_benefit(end="2015-09-01"), _job("2015-09-02")], "2015-11-30", "progressing"),
        ({}, [_benefit(end="2015-09-01"), _job("2015-09-02")], "2015-12-01", "met"),
        ({}, [_benefit(end="2015-08-31"), _job("2015-09-02")], "2015-12-01", "not_applicable"),
        (
            {"benefit_held": "baseline"},
            [_benefit(end="2015-08-31"), _job("2015-09-02")],
            "2015-12-01",
            "met",
        ),
        # The move into work comes after attachment: a job begun by then does not count.
        ({}, [_benefit(), _job("2015-08-01")], "2016-01-31", "not_met"),
        ({}, [_benefit(), _job("2015-09-01")], "2016-01-31", "not_met"),  # attachment day
        ({}, [_benefit(), _job("2015-09-02")], "2015-12-30", "met"),
        ({"work_starts": "any"}, [_benefit(), _job("2015-08-01")], "2015-12-30", "met"),
        # Two benefits held at attachment: each one's requirement must be met (JSA: 26 weeks).
        (
            {},
            [_benefit("ESA"), _benefit("JSA"), _job()],
            "2015-12-30",
            "progressing",
        ),
        ({}, [_benefit("ESA"), _benefit("JSA"), _job()], "2016-03-30", "met"),
    ],
)
def test_continuous_employment_starts_from_the_benefit_held_at_attachment(
    options, records, as_of, expected
):
    assert status_of(evaluate(employment_plan(**options), family(*records), D(as_of))) == expected


TWO_ADULTS = [adult(1), adult(3, born="1982-05-05"), child(2)]
PARTNER_LEFT = [adult(1), adult(3, memberships=[(D("2010-01-01"), D("2015-09-30"))]), child(2)]
UC = _benefit("UC", end=None)


@pytest.mark.parametrize(
    ("records", "members", "as_of", "expected"),
    [
        # On Universal Credit the claim goes on in work: the earnings threshold shows the move.
        ([UC, _job(earnings=400)], None, "2015-12-29", "progressing"),
        ([UC, _job(earnings=400)], None, "2015-12-30", "met"),
        ([UC, _job(earnings=399.99)], None, "2016-02-01", "not_met"),  # a penny short
        ([UC, _job()], None, "2016-02-01", "not_met"),  # earnings unknown: not satisfied
        ([UC, _job(earnings=200), _job(earnings=200)], None, "2015-12-30", "met"),  # jobs add up
        # Another adult in the household: the couple threshold, against the member's own pay.
        ([UC, _job(earnings=799)], TWO_ADULTS, "2016-02-01", "not_met"),
        ([UC, _job(earnings=800)], TWO_ADULTS, "2015-12-30", "met"),
        ([UC, _job(earnings=400)], PARTNER_LEFT, "2015-12-30", "met"),
        # Another out-of-work benefit still stops the count.
        ([UC, _benefit("ESA", end=None), _job(earnings=900)], None, "2016-02-01", "not_met"),
    ],
)
def test_universal_credit_earnings_threshold(records, members, as_of, expected):
    plan = employment_plan(earnings=EARNINGS)
    assert status_of(evaluate(plan, family(*records, members=members), D(as_of))) == expected


def test_earnings_threshold_is_the_one_in_force_on_each_day():
    # 450 a month clears 400, but not the 500 in force from 1 November 2015: 31 days of work.
    plan = one_problem_plan(
        OUT_OF_WORK_LAST_YEAR,
        {"kind": "continuous_employment", "requirements": REQUIREMENTS, "earnings": EARNINGS},
        parameters={
            "uc_single": [
                {"from": "2015-04-01", "value": 400},
                {"from": "2015-11-01", "value": 500},
            ],
            "uc_couple": [{"from": "2015-04-01", "value": 800}],
        },
    )
    assert status_of(evaluate(plan, family(UC, _job(earnings=450)), D("2016-02-01"))) == "not_met"
    assert status_of(evaluate(plan, family(UC, _job(earnings=500)), D("2015-12-30"))) == "met"


ABLE = {"code": "dwp_assessed_able_to_work", "values": ["yes"]}


@pytest.mark.parametrize(
    ("judgements", "expected"),
    [
        ([], "not_met"),
        ([("yes", "2015-09-05")], "met"),
        ([("yes", "2015-09-05"), ("no", "2015-11-01")], "not_met"),  # the latest counts
    ],
)
def test_continuous_employment_for_someone_assessed_as_able_to_work(judgements, expected):
    records = [_benefit(), _job(), *(judged(ABLE["code"], v, d, 1) for v, d in judgements)]
    plan = employment_plan(judged=ABLE)
    assert status_of(evaluate(plan, family(*records), D("2015-12-30"))) == expected


@pytest.mark.parametrize(
    ("judgements", "identified"),
    [([], False), ([("yes", "2015-09-05")], True), ([("yes", "2015-09-05", 3)], False)],
)
def test_benefit_indicator_with_the_same_members_judgement(judgements, identified):
    plan = one_problem_plan(
        {
            "kind": "spell_active",
            "evidence": "benefit_spells",
            "where": {"out_of_work": True},
            "judged": ABLE,
        },
        {"kind": "continuous_employment", "requirements": REQUIREMENTS},
    )
    records = [_benefit(end=None)]
    records += [judged(ABLE["code"], j[0], j[1], j[2] if len(j) > 2 else 1) for j in judgements]
    members = [adult(1), adult(3), child(2)]
    result = evaluate(plan, family(*records, members=members), D("2015-10-01"))
    assert result.problem("crime_asb").identified is identified


# Judgements ------------------------------------------------------------------------------------

DONE_PLAN = one_problem_plan(
    {"kind": "judgement", "code": "domestic_abuse_disclosed", "values": ["yes"]},
    {"kind": "judgement", "code": "victim_programme_completed", "values": ["yes"]},
)


@pytest.mark.parametrize(
    ("recorded", "expected"),
    [("2015-09-01", "progressing"), ("2015-09-02", "met"), ("2015-08-31", "progressing")],
)
def test_an_outcome_judgement_must_be_recorded_after_the_attachment_day(recorded, expected):
    records = [
        judged("domestic_abuse_disclosed", on="2015-08-20"),
        judged("victim_programme_completed", on=recorded),
    ]
    assert status_of(evaluate(DONE_PLAN, family(*records), D("2015-10-01"))) == expected


SCALE_PLAN = one_problem_plan(
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
    ("judgements", "expected"),
    [
        # The level to improve on is the latest recorded by attachment (here significant).
        (
            [("moderate", "2015-06-01"), ("significant", "2015-08-20"), ("moderate", "2016-01-10")],
            "met",
        ),
        # Recorded on the attachment day, the assessment is the baseline, not progress.
        ([("significant", "2015-09-01"), ("moderate", "2016-01-10")], "met"),
        ([("moderate", "2015-09-01"), ("moderate", "2016-01-10")], "not_met"),
        # No assessment by attachment: the first one after it is the baseline.
        ([("significant", "2015-09-20"), ("moderate", "2016-01-10")], "met"),
    ],
)
def test_scale_judgement_improves_on_the_assessment_at_the_start(judgements, expected):
    records = [judged("eha_impact", v, d) for v, d in judgements]
    assert status_of(evaluate(SCALE_PLAN, family(*records), D("2016-07-10"))) == expected


COVERS_PLAN = one_problem_plan(
    {"kind": "event_count", "evidence": "offences", "scope": "family"},
    {
        "kind": "judgement",
        "code": "seriousness_reduced",
        "values": ["yes"],
        "covers": {"months": 6},
    },
)
OFFENCE = ev("offences", 1, offence_date="2015-06-01", proven=True)


@pytest.mark.parametrize(
    ("recorded", "as_of", "expected"),
    [
        # "In the last 6 months": only once 6 months of the work have passed (1 March 2016) ...
        ("2016-02-29", "2016-04-01", "progressing"),
        ("2016-03-01", "2016-03-01", "met"),
        # ... and only while the judgement is no older than 6 months.
        ("2016-03-01", "2016-08-31", "met"),
        ("2016-03-01", "2016-09-01", "progressing"),
    ],
)
def test_a_judgement_over_the_last_6_months(recorded, as_of, expected):
    records = [OFFENCE, judged("seriousness_reduced", on=recorded)]
    assert status_of(evaluate(COVERS_PLAN, family(*records), D(as_of))) == expected


def _condition_plan(after_outcomes_met: bool):
    condition = {
        "id": "lead-worker",
        "kind": "judgement",
        "code": "lead_worker_progress_confirmed",
        "values": ["yes"],
    }
    if after_outcomes_met:
        condition["after_outcomes_met"] = True
    return one_problem_plan(
        {"kind": "event_count", "evidence": "offences", "scope": "family"},
        {"kind": "no_events", "evidence": "offences", "scope": "family", "window": {"months": 6}},
        extra={"claim_conditions": [condition]},
    )


@pytest.mark.parametrize(
    ("after_outcomes_met", "recorded", "claimable"),
    [
        (True, "2016-02-29", False),  # before the outcome was met (1 March 2016)
        (True, "2016-03-01", True),
        (False, "2015-09-10", True),  # without the option any judgement after attachment does
    ],
)
def test_lead_worker_judgement_after_the_outcomes_are_met(after_outcomes_met, recorded, claimable):
    records = [OFFENCE, judged("lead_worker_progress_confirmed", on=recorded)]
    result = evaluate(_condition_plan(after_outcomes_met), family(*records), D("2016-04-01"))
    assert result.claimable_results is claimable


# At case closure or step down ------------------------------------------------------------------

CLOSURE_PLAN = one_problem_plan(
    {"kind": "judgement", "code": "debt_or_financial_exclusion", "values": ["yes"]},
    {
        "kind": "judgement",
        "code": "financial_progress",
        "values": ["yes"],
        "sustained_at": "closure_or_step_down",
    },
)
DEBT = judged("debt_or_financial_exclusion", on="2015-08-20")


@pytest.mark.parametrize(
    ("progress", "closed", "stepped_down", "as_of", "expected", "met_since"),
    [
        ([("yes", "2016-01-10")], None, None, "2016-06-01", "progressing", None),
        ([("yes", "2016-01-10")], "2016-03-01", None, "2016-06-01", "met", "2016-03-01"),
        ([("yes", "2016-01-10")], "2016-03-01", None, "2016-02-29", "progressing", None),
        ([("yes", "2016-03-01")], "2016-03-01", None, "2016-06-01", "met", "2016-03-01"),
        ([("yes", "2016-03-02")], "2016-03-01", None, "2016-06-01", "not_met", None),
        ([("yes", "2016-01-10")], None, "2016-02-01", "2016-06-01", "met", "2016-02-01"),
        (
            [("yes", "2016-01-10"), ("no", "2016-02-15")],
            "2016-03-01",
            None,
            "2016-06-01",
            "not_met",
            None,
        ),
        (
            [("yes", "2016-01-10"), ("no", "2016-02-15")],
            "2016-03-01",
            "2016-02-01",
            "2016-06-01",
            "met",
            "2016-02-01",
        ),
    ],
)
def test_outcome_read_at_case_closure_or_step_down(
    progress, closed, stepped_down, as_of, expected, met_since
):
    records = [DEBT, *(judged("financial_progress", v, d) for v, d in progress)]
    snapshot = family(*records, closed=closed, stepped_down=stepped_down)
    c = evaluate(CLOSURE_PLAN, snapshot, D(as_of)).problem("crime_asb").criteria[0]
    assert (c.status, c.met_since) == (expected, D(met_since) if met_since else None)


# Children's plans -------------------------------------------------------------------------------

STEP_TO_CIN = one_problem_plan(
    {
        "kind": "spell_active",
        "evidence": "child_plans",
        "where": {"plan": "CP"},
        "applies_to": {"role": "child"},
    },
    {
        "kind": "child_plan_level",
        "mode": "stepped_down",
        "step_down_to": ["CIN"],
        "window": {"months": 6},
    },
)


def _plan(kind, start, end=None, person=2):
    return ev("child_plans", person, plan=kind, category="neglect", start_date=start, end_date=end)


@pytest.mark.parametrize(
    ("plans", "as_of", "expected"),
    [
        (
            [("CP", "2015-05-01", "2015-12-31"), ("CIN", "2016-01-01", None)],
            "2016-06-29",
            "progressing",
        ),
        ([("CP", "2015-05-01", "2015-12-31"), ("CIN", "2016-01-01", None)], "2016-06-30", "met"),
        ([("CP", "2015-05-01", "2015-12-31")], "2016-08-01", "not_met"),  # no CIN plan at all
        (
            [("CP", "2015-05-01", "2015-12-31"), ("CIN", "2016-01-02", None)],
            "2016-08-01",
            "not_met",
        ),
    ],
)
def test_stepped_down_to_a_child_in_need_plan(plans, as_of, expected):
    records = [_plan(k, s, e) for k, s, e in plans]
    assert status_of(evaluate(STEP_TO_CIN, family(*records), D(as_of))) == expected


NOT_ESCALATED = one_problem_plan(
    {
        "kind": "spell_active",
        "evidence": "child_plans",
        "where": {"plan": "CIN"},
        "applies_to": {"role": "child"},
    },
    {"kind": "child_plan_level", "mode": "not_escalated", "window": {"months": 6}},
)


@pytest.mark.parametrize(
    ("later", "expected"),
    [
        ([], "met"),
        ([("LAC", "2016-02-01", None)], "not_met"),  # taken into care after leaving home
        ([("CP", "2016-03-01", "2016-04-01")], "not_met"),
    ],
)
def test_a_child_who_left_the_household_is_still_seen_becoming_looked_after(later, expected):
    leaver = child(2, memberships=[(D("2010-01-01"), D("2016-01-31"))])
    records = [_plan("CIN", "2015-07-01"), *(_plan(k, s, e) for k, s, e in later)]
    snapshot = family(*records, members=[adult(1), leaver, child(3, born="2007-01-01")])
    assert status_of(evaluate(NOT_ESCALATED, snapshot, D("2016-08-01"))) == expected


# School terms -----------------------------------------------------------------------------------


def _attendance_plan(**outcome_options):
    return one_problem_plan(
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
            **outcome_options,
        },
    )


BASELINE_80 = [attendance(2, "2014/15", t, 80) for t in ("autumn", "spring", "summer")]
GOOD_2015_16 = [attendance(2, "2015/16", t, 95) for t in ("autumn", "spring", "summer")]


@pytest.mark.parametrize(
    ("attached", "options", "as_of", "expected"),
    [
        ("2015-09-01", {}, "2016-07-22", "met"),  # autumn starts on the attachment day
        ("2015-09-02", {}, "2016-07-22", "progressing"),  # autumn was under way: not counted
        ("2015-09-02", {}, "2016-12-20", "met"),
        ("2015-09-02", {"count_term_in_progress": True}, "2016-07-22", "met"),
    ],
)
def test_the_term_in_progress_at_attachment_is_not_a_measured_term(
    attached, options, as_of, expected
):
    records = [*BASELINE_80, *GOOD_2015_16, attendance(2, "2016/17", "autumn", 95)]
    result = evaluate(_attendance_plan(**options), family(*records, attached=attached), D(as_of))
    assert status_of(result) == expected


@pytest.mark.parametrize(
    ("terms", "identified"),
    [(("autumn", "spring", "summer"), True), (("spring", "summer"), False)],
)
def test_below_90_percent_over_3_terms_needs_all_3_terms(terms, identified):
    records = [attendance(2, "2014/15", t, 80) for t in terms]
    result = evaluate(_attendance_plan(), family(*records), D("2015-10-01"))
    assert result.problem("crime_asb").identified is identified


FEWER_THAN_3 = one_problem_plan(
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
BASE_EXCLUSIONS = [
    ev("exclusions", 2, start_date=d, exclusion_type="fixed_term")
    for d in ("2014-10-01", "2015-02-01", "2015-05-01")
]


@pytest.mark.parametrize(
    ("this_term", "expected"),
    [
        ([], "met"),
        (["2016-09-10", "2016-10-01"], "met"),  # 2 so far in autumn 2016/17
        (["2016-09-10", "2016-10-01", "2016-11-01"], "not_met"),  # 3 already this term
    ],
)
def test_exclusions_in_the_current_unfinished_term_count(this_term, expected):
    records = [ev("exclusions", 2, start_date=d, exclusion_type="fixed_term") for d in this_term]
    snapshot = family(*BASE_EXCLUSIONS, *records)
    assert status_of(evaluate(FEWER_THAN_3, snapshot, D("2016-11-15"))) == expected


# Ages --------------------------------------------------------------------------------------------


def _youth_plan(age_at: str | None):
    indicator = {
        "kind": "event_count",
        "evidence": "offences",
        "scope": "person",
        "applies_to": {"max_age": 17},
    }
    if age_at:
        indicator["age_at"] = age_at
    return one_problem_plan(
        indicator,
        {"kind": "no_events", "evidence": "offences", "scope": "person", "window": {"months": 6}},
    )


TURNS_18 = child(2, born="1997-06-01")  # 18 on 1 June 2015, before attachment


@pytest.mark.parametrize(
    ("age_at", "offence", "identified"),
    [
        (None, "2015-05-31", False),  # person rules judge the band at attachment by default
        ("attachment", "2015-05-31", False),
        ("event", "2015-05-31", True),  # 17 on the day of the offence
        ("event", "2015-06-01", False),  # the 18th birthday
        ("either", "2015-05-31", True),
    ],
)
def test_age_judged_at_the_event_or_at_attachment(age_at, offence, identified):
    snapshot = family(ev("offences", 2, offence_date=offence), members=[adult(1), TURNS_18])
    result = evaluate(_youth_plan(age_at), snapshot, D("2015-10-01"))
    assert result.problem("crime_asb").identified is identified


YOUTH_REDUCTION = one_problem_plan(
    {
        "kind": "event_count",
        "evidence": "offences",
        "scope": "family",
        "applies_to": {"max_age": 17},
    },
    {
        "kind": "count_reduction",
        "evidence": "offences",
        "scope": "family",
        "applies_to": {"max_age": 17},
        "reduction": 33,
        "window": {"months": 6},
    },
)


@pytest.mark.parametrize(
    ("later", "expected"),
    [
        # 3 offences at 17 = 1.5 per 6 months; 33% fewer allows 1.
        ([("2016-05-01", 2)], "met"),
        # The young offender turns 18 on 1 January 2016 and offends twice more: still counted.
        ([("2016-05-01", 2), ("2016-06-01", 2)], "not_met"),
        # An adult who was never in the baseline is not part of the young people's measure.
        ([("2016-05-01", 2), ("2016-06-01", 1)], "met"),
    ],
)
def test_a_young_person_who_turns_18_stays_in_the_youth_measure(later, expected):
    youth = child(2, born="1998-01-01")
    records = [
        ev("offences", 2, offence_date=d) for d in ("2015-01-10", "2015-03-10", "2015-07-10")
    ]
    records += [ev("offences", p, offence_date=d) for d, p in later]
    snapshot = family(*records, members=[adult(1), youth])
    assert status_of(evaluate(YOUTH_REDUCTION, snapshot, D("2016-08-31"))) == expected


def test_a_baseline_of_proven_offences_counts_proven_offences_only():
    # 2 proven and 2 unproven offences before: the baseline is 2 (1 per 6 months, 33% fewer
    # allows 0), not 4 (2 per 6 months, which would allow 1).
    plan = one_problem_plan(
        {
            "kind": "event_count",
            "evidence": "offences",
            "scope": "family",
            "where": {"proven": True},
        },
        {
            "kind": "count_reduction",
            "evidence": "offences",
            "scope": "family",
            "reduction": 33,
            "window": {"months": 6},
            "baseline_where": {"proven": True},
        },
    )
    before = [
        ev("offences", 1, offence_date=d, proven=p)
        for d, p in (
            ("2015-01-10", True),
            ("2015-03-10", True),
            ("2015-04-10", False),
            ("2015-05-10", False),
        )
    ]
    later = ev("offences", 1, offence_date="2016-05-01", proven=False)
    assert status_of(evaluate(plan, family(*before, later), D("2016-08-31"))) == "not_met"
    assert status_of(evaluate(plan, family(*before), D("2016-08-31"))) == "met"


# Sanctions: scales in filters and "no escalation" --------------------------------------------------

SCALE = {
    "asb_sanction": {
        "levels": [
            {"level": "none", "values": [""]},
            {"level": "warning", "values": ["ASB warning letter", "warning letter"]},
            {"level": "agreement", "values": ["Acceptable behaviour contract"]},
            {"level": "injunction", "values": ["ASB injunction"]},
            {"level": "order", "values": ["ASBO"]},
        ]
    }
}


@pytest.mark.parametrize(
    ("sanction", "identified"),
    [
        ("ASB injunction", True),
        ("  asb   INJUNCTION ", True),  # free text: case and spacing do not matter
        ("ASBO", True),
        ("Acceptable behaviour contract", False),
        ("a stern word", False),  # not on the scale
        ("", False),
    ],
)
def test_identify_by_a_sanction_at_or_above_a_level(sanction, identified):
    plan = one_problem_plan(
        {
            "kind": "event_count",
            "evidence": "asb_incidents",
            "scope": "family",
            "where": {"sanction": {"scale": "asb_sanction", "at_least": "injunction"}},
        },
        {
            "kind": "no_events",
            "evidence": "asb_incidents",
            "scope": "family",
            "window": {"months": 6},
        },
        extra={"scales": SCALE},
    )
    snapshot = family(ev("asb_incidents", 1, incident_date="2015-05-01", sanction=sanction))
    assert evaluate(plan, snapshot, D("2015-10-01")).problem("crime_asb").identified is identified


NO_ESCALATION = one_problem_plan(
    {
        "kind": "event_count",
        "evidence": "asb_incidents",
        "scope": "family",
        "window": {"months": 6},
    },
    {
        "kind": "no_escalation",
        "evidence": "asb_incidents",
        "field": "sanction",
        "scale": "asb_sanction",
        "scope": "family",
        "baseline": {"months": 6},
        "window": {"months": 6},
    },
    extra={"scales": SCALE},
)


@pytest.mark.parametrize(
    ("before", "after", "as_of", "expected"),
    [
        ("ASB warning letter", [], "2016-02-29", "progressing"),
        ("ASB warning letter", [], "2016-03-01", "met"),
        ("ASB warning letter", ["warning letter"], "2016-03-01", "met"),  # the same level
        ("ASB warning letter", ["Acceptable behaviour contract"], "2016-06-01", "not_met"),
        (
            "ASB warning letter",
            ["Acceptable behaviour contract"],
            "2016-07-10",
            "met",
        ),  # left the window
        (
            "ASB warning letter",
            ["a stern word"],
            "2016-06-01",
            "not_met",
        ),  # unknown after: escalation
        ("a stern word", ["warning letter"], "2016-06-01", "not_met"),  # unknown before: none
        ("ASBO", ["ASB injunction"], "2016-06-01", "met"),
    ],
)
def test_no_escalation_in_sanctions(before, after, as_of, expected):
    records = [ev("asb_incidents", 1, incident_date="2015-05-01", sanction=before)]
    records += [ev("asb_incidents", 1, incident_date="2016-01-09", sanction=s) for s in after]
    assert status_of(evaluate(NO_ESCALATION, family(*records), D(as_of))) == expected


# Who is a programme family -------------------------------------------------------------------------

FAMILY_PLAN = one_problem_plan(
    {"kind": "event_count", "evidence": "offences", "scope": "family"},
    {"kind": "no_events", "evidence": "offences", "scope": "family", "window": {"months": 6}},
    extra={
        "family_definition": {
            "child_under": 18,
            "or_judgement": {"code": "expectant_parent", "values": ["yes"]},
        }
    },
)


@pytest.mark.parametrize(
    ("members", "extra", "eligible"),
    [
        ([adult(1), child(2)], [], True),
        ([adult(1), adult(3)], [], False),
        ([adult(1), child(2, born="1997-09-01")], [], False),  # 18 on the attachment day
        ([adult(1), child(2, born="1997-09-02")], [], True),  # 17 on it
        ([adult(1)], [judged("expectant_parent")], True),
        ([adult(1), child(2, memberships=[(D("2015-09-02"), None)])], [], False),  # joined after
    ],
)
def test_a_programme_family_includes_a_child_under_18(members, extra, eligible):
    snapshot = family(OFFENCE, *extra, members=members)
    result = evaluate(FAMILY_PLAN, snapshot, D("2016-04-01"))
    assert result.eligible is eligible
    assert result.claimable_results is eligible
    if not eligible:
        assert result.blocking[0].criterion == "family-definition"


# The shortest sustain period -----------------------------------------------------------------------

QUICK_PLAN = one_problem_plan(
    {"kind": "judgement", "code": "concern", "values": ["yes"]},
    {"kind": "judgement", "code": "resolved", "values": ["yes"]},
    extra={"minimum_sustain": {"weeks": 13}},
)


@pytest.mark.parametrize(("as_of", "claimable"), [("2015-11-30", False), ("2015-12-01", True)])
def test_no_claim_before_attachment_plus_the_shortest_sustain_period(as_of, claimable):
    snapshot = family(judged("concern", on="2015-08-20"), judged("resolved", on="2015-09-10"))
    result = evaluate(QUICK_PLAN, snapshot, D(as_of))
    assert result.problem("crime_asb").outcome == "met"
    assert result.claimable_results is claimable
    assert result.results_not_before == D("2015-12-01")


# Indicated on incomplete evidence ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("records", "identified", "indicated"),
    [
        ([_benefit(end=None), judged(ABLE["code"], "yes", "2015-09-05", 1)], True, False),
        ([_benefit(end=None)], False, True),  # the assessment is not recorded yet
        ([_benefit(end=None), judged(ABLE["code"], "no", "2015-09-05", 1)], False, False),
    ],
)
def test_a_judgement_not_yet_recorded_leaves_the_problem_indicated(records, identified, indicated):
    plan = one_problem_plan(
        {
            "kind": "spell_active",
            "evidence": "benefit_spells",
            "where": {"out_of_work": True},
            "judged": ABLE,
        },
        {"kind": "continuous_employment", "requirements": REQUIREMENTS},
    )
    problem = evaluate(plan, family(*records), D("2015-10-01")).problem("crime_asb")
    assert (problem.identified, problem.indicated) == (identified, indicated)


@pytest.mark.parametrize(
    ("age_at", "identified", "indicated"),
    [("event", True, False), ("attachment", False, True), ("either", True, False)],
)
def test_an_age_band_met_on_the_other_date_leaves_the_problem_indicated(
    age_at, identified, indicated
):
    snapshot = family(ev("offences", 2, offence_date="2015-05-31"), members=[adult(1), TURNS_18])
    problem = evaluate(_youth_plan(age_at), snapshot, D("2015-10-01")).problem("crime_asb")
    assert (problem.identified, problem.indicated) == (identified, indicated)
