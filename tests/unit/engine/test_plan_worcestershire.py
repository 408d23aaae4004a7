"""Worcestershire Stronger Families outcomes plan 2015/16: every cell, both sides of every boundary.

Families are attached on 1 June 2015 unless stated: the baseline is 2 June 2014 - 1 June 2015
(6 months: 2 December 2014 - 1 June 2015) and the terms summer 2013/14, autumn and spring 2014/15;
summer 2014/15 is under way on the attachment day, so autumn 2015/16 is the first measured term.
"In the last 6 months" (note 5) can first be met on 1 December 2015. A results claim also needs the
lead worker's judgement, recorded once the outcomes are met.
"""

from __future__ import annotations

import pytest

from outcomes.engine import evaluate, load_shipped_plan

from .builders import D, adult, attendance, child, criterion, ev, family, judged

PLAN = load_shipped_plan("worcestershire-2015-16")
ATTACHED = "2015-06-01"


def fam(*records, members=None, attached=ATTACHED, **kw):
    return family(*records, members=members, attached=attached, identified="2015-05-01", **kw)


def outcome(snapshot, as_of, code):
    return evaluate(PLAN, snapshot, D(as_of)).problem(code)


def status(snapshot, as_of, code, criterion_id=None):
    problem = outcome(snapshot, as_of, code)
    if criterion_id is None or not problem.identified:
        return problem.outcome
    return criterion(evaluate(PLAN, snapshot, D(as_of)), code, criterion_id).status


def offence(person, on, proven=False, serious=False):
    return ev("offences", person, offence_date=on, proven=proven, serious=serious)


# Section 1: crime and anti-social behaviour ------------------------------------------------------

JAY = child(2, born="1999-01-01", name="Jay")
JAY_FAMILY = [adult(1), JAY]
JAY_BASE = [offence(2, d, proven=True) for d in ("2014-08-01", "2014-12-01", "2015-03-01")]


@pytest.mark.parametrize(
    ("records", "members", "youth", "adult_row"),
    [
        (JAY_BASE, JAY_FAMILY, True, False),
        ([offence(2, "2015-03-01")], JAY_FAMILY, False, False),  # not proven
        # Proven at 17, 18 by attachment: a young person's offence (age on the offence date).
        ([offence(2, "2015-03-09", True)], [adult(1), child(2, born="1997-03-10")], True, False),
        ([offence(2, "2015-03-10", True)], [adult(1), child(2, born="1997-03-10")], False, True),
        ([offence(1, "2014-06-01", True)], None, False, False),  # before the 12 months
        ([offence(1, "2014-06-02", True)], None, False, True),
    ],
)
def test_proven_offences_identify_young_people_and_adults(records, members, youth, adult_row):
    problem = outcome(fam(*records, members=members), "2015-07-01", "crime_asb")
    met = {c.id for c in problem.identification if c.status == "met"}
    assert ("youth-proven-offences" in met, "adult-proven-offences" in met) == (youth, adult_row)


@pytest.mark.parametrize(
    ("later", "as_of", "expected"),
    [
        # 3 proven = 1.5 per 6 months; at least 33% fewer allows 1 offence in the last 6 months.
        ([], "2015-11-30", "progressing"),
        ([], "2015-12-01", "met"),
        ([offence(2, "2016-01-10")], "2016-03-31", "met"),
        ([offence(2, "2016-01-10"), offence(2, "2016-02-10")], "2016-03-31", "progressing"),
        ([offence(2, "2016-01-10", serious=True)], "2016-03-31", "progressing"),  # serious crime
    ],
)
def test_youth_offending_33_percent_fewer_and_no_serious_crime(later, as_of, expected):
    # "progressing" while not met: the keyworker's judgement on seriousness could still be recorded.
    assert status(fam(*JAY_BASE, *later, members=JAY_FAMILY), as_of, "crime_asb") == expected


def test_youth_baseline_counts_proven_offences_only():
    # 2 proven and 2 unproven before: 1 proven per 6 months, so none may follow; counting all 4
    # (2 per 6 months) would have allowed one.
    base = [offence(2, "2014-08-01", True), offence(2, "2014-12-01", True)]
    base += [offence(2, "2015-01-05"), offence(2, "2015-02-05")]
    later = offence(2, "2016-01-10")
    reduced = "youth-offences-reduced-33"
    assert status(fam(*base, later, members=JAY_FAMILY), "2016-03-31", "crime_asb", reduced) == (
        "not_met"
    )


@pytest.mark.parametrize(
    ("later", "expected"),
    [
        ([], "met"),
        # A sibling with no offences before offends after: not a reduction among under 18s.
        ([offence(3, "2016-01-10"), offence(3, "2016-02-10")], "not_met"),
        # Jay turns 18 on 1 October 2015 and offends twice: still measured as a young person.
        ([offence(2, "2016-01-10"), offence(2, "2016-02-10")], "not_met"),
    ],
)
def test_each_young_person_is_measured(later, expected):
    jay = child(2, born="1997-10-01")
    members = [adult(1), jay, child(3, born="2002-01-01")]
    snapshot = fam(*JAY_BASE, *later, members=members)
    assert status(snapshot, "2016-03-31", "crime_asb", "youth-offences-reduced-33") == expected


@pytest.mark.parametrize(
    ("recorded", "as_of", "expected"),
    [
        ("2015-11-30", "2016-01-31", "progressing"),  # before 6 months of the work had passed
        ("2015-12-01", "2016-01-31", "met"),
        ("2015-12-01", "2016-05-31", "met"),
        ("2015-12-01", "2016-06-01", "progressing"),  # older than the last 6 months
    ],
)
def test_seriousness_of_crime_reduced_in_the_last_6_months(recorded, as_of, expected):
    serious = offence(2, "2015-11-10", serious=True)
    judgement = judged("youth_offending_seriousness_reduced", on=recorded)
    snapshot = fam(*JAY_BASE, serious, judgement, members=JAY_FAMILY)
    assert status(snapshot, as_of, "crime_asb", "youth-seriousness-reduced") == expected


ADULT_BASE = [offence(1, d, proven=True) for d in ("2014-09-01", "2015-02-01")]


@pytest.mark.parametrize(
    ("later", "reduced", "not_serious"),
    [
        ([], "met", "met"),  # 1 per 6 months; 33% fewer allows none
        ([offence(1, "2015-11-01")], "not_met", "met"),
        ([offence(1, "2015-11-01", serious=True)], "not_met", "not_met"),
    ],
)
def test_adult_offending_per_family(later, reduced, not_serious):
    result = evaluate(PLAN, fam(*ADULT_BASE, *later), D("2015-12-01"))
    assert criterion(result, "crime_asb", "adult-offences-reduced-33").status == reduced
    assert criterion(result, "crime_asb", "adult-no-serious-crime").status == not_serious


def asb(on, sanction="", person=None):
    return ev("asb_incidents", person, incident_date=on, sanction=sanction)


@pytest.mark.parametrize(
    ("incident", "identified"), [("2014-12-01", False), ("2014-12-02", True), ("2015-06-02", False)]
)
def test_asb_incidents_in_the_6_months_before_identify(incident, identified):
    assert outcome(fam(asb(incident)), "2015-07-01", "crime_asb").identified is identified


ASB_BASE = [asb(d, "ASB warning letter") for d in ("2015-01-05", "2015-03-05", "2015-05-05")]


@pytest.mark.parametrize(
    ("later", "expected"),
    [
        # 3 in the 6 months before; a 66% reduction allows 3 x 0.34 = 1.02, so 1.
        ([asb("2015-10-01")], "met"),
        ([asb("2015-10-01"), asb("2015-11-01")], "not_met"),
        # Frequency and severity: a sanction above the warning letters before is an escalation.
        ([asb("2015-10-01", "Acceptable behaviour contract")], "not_met"),
        ([asb("2015-10-01", "warning letter")], "met"),
        ([asb("2015-10-01", "a word from the warden")], "not_met"),  # not on the scale
    ],
)
def test_asb_frequency_and_severity_reduced(later, expected):
    snapshot = fam(asb("2014-10-01"), *ASB_BASE, *later)  # 1 October 2014: outside the 6 months
    assert status(snapshot, "2015-12-31", "crime_asb") == expected


# Section 2: school -----------------------------------------------------------------------------


def terms(person, pairs, pct, possible=200):
    return [attendance(person, y, t, pct, possible=possible) for y, t in pairs]


BASELINE_TERMS = [("2013/14", "summer"), ("2014/15", "autumn"), ("2014/15", "spring")]
AFTER_TERMS = [("2015/16", "autumn"), ("2015/16", "spring"), ("2015/16", "summer")]


def exclusions(person, *dates):
    return [ev("exclusions", person, start_date=d, exclusion_type="fixed_term") for d in dates]


@pytest.mark.parametrize(
    ("records", "identified"),
    [
        (exclusions(2, "2014-06-10", "2014-11-01", "2015-02-01"), True),
        (exclusions(2, "2014-11-01", "2015-02-01"), False),
        (terms(2, BASELINE_TERMS, 85), True),  # 15% absence: at the 15% threshold
        (terms(2, BASELINE_TERMS, 85.5), False),  # 14.5%: one session a term fewer
        (terms(2, BASELINE_TERMS[1:], 70), False),  # a term missing: not shown over 3 terms
        (
            [ev("exclusions", 2, start_date="2015-02-01", exclusion_type="permanent")],
            True,
        ),
    ],
)
def test_school_identifiers_over_the_last_3_terms_before_attachment(records, identified):
    assert outcome(fam(*records), "2015-07-01", "school_attendance").identified is identified


@pytest.mark.parametrize(("pct", "identified"), [(90, True), (90.5, False)])
def test_identification_uses_the_threshold_in_force_at_attachment(pct, identified):
    # Attached in June 2016, the persistent absence threshold is 10%.
    later_terms = [("2014/15", "summer"), ("2015/16", "autumn"), ("2015/16", "spring")]
    snapshot = fam(*terms(2, later_terms, pct), attached="2016-06-01")
    assert outcome(snapshot, "2016-07-01", "school_attendance").identified is identified


# An early starter attached on 4 January 2015, the first day of spring term: spring, summer and
# autumn 2015 and spring 2016 are measured, so a claim can fall either side of April 2016.
EARLY = "2015-01-04"
EARLY_BASE = [("2013/14", "spring"), ("2013/14", "summer"), ("2014/15", "autumn")]
EARLY_AFTER = [("2014/15", "summer"), ("2015/16", "autumn"), ("2015/16", "spring")]


@pytest.mark.parametrize(
    ("absence", "as_of", "expected"),
    [
        (12, "2016-03-31", "met"),  # claims before April 2016: less than 15%
        (12, "2016-04-01", "not_met"),  # from April 2016: less than 10%
        (9.5, "2016-04-01", "met"),
        (10, "2016-04-01", "not_met"),  # exactly 10% is not less than 10%
        (15, "2016-03-31", "not_met"),  # exactly 15% is not less than 15%
        (14.5, "2016-03-31", "met"),
    ],
)
def test_absence_threshold_15_then_10_percent_for_claims_from_april_2016(absence, as_of, expected):
    records = [*terms(2, EARLY_BASE, 80), *terms(2, EARLY_AFTER, 100 - absence)]
    snapshot = fam(*records, attached=EARLY)
    assert status(snapshot, as_of, "school_attendance", "each-child-absence-below-threshold") == (
        expected
    )


KIDS = [adult(1), child(2, born="2006-01-01"), child(3, born="2008-01-01")]
BASE_EXCLUSIONS = exclusions(2, "2014-06-10", "2014-11-01", "2015-02-01")
GOOD = [*terms(2, AFTER_TERMS, 95), *terms(3, AFTER_TERMS, 95)]


@pytest.mark.parametrize(
    ("extra", "as_of", "expected"),
    [
        ([], "2016-07-21", "progressing"),  # summer 2016 has not ended
        ([], "2016-07-22", "met"),
        (exclusions(3, "2015-10-01", "2015-11-01"), "2016-07-22", "met"),  # a sibling: 2
        (exclusions(3, "2015-10-01", "2015-11-01", "2016-01-10"), "2016-07-22", "not_met"),  # 3
        (exclusions(2, "2016-09-10", "2016-10-01", "2016-11-01"), "2016-11-15", "not_met"),
    ],
)
def test_each_child_fewer_than_3_fixed_term_exclusions(extra, as_of, expected):
    snapshot = fam(*BASE_EXCLUSIONS, *GOOD, *extra, members=KIDS)
    assert outcome(snapshot, as_of, "school_attendance").outcome == expected


@pytest.mark.parametrize(
    ("born", "measured"),
    [
        ("2010-06-01", True),  # 5 on the attachment day
        ("2010-06-02", False),  # 4
        ("1999-06-02", True),  # 15
        ("1999-06-01", False),  # 16
    ],
)
def test_each_child_of_school_age_at_attachment_is_measured(born, measured):
    # The sibling has no school record: measured, that blocks the claim; not measured, it does not.
    members = [adult(1), child(2, born="2006-01-01"), child(3, born=born)]
    snapshot = fam(*BASE_EXCLUSIONS, *terms(2, AFTER_TERMS, 95), members=members)
    met = outcome(snapshot, "2016-07-22", "school_attendance").outcome == "met"
    assert met is not measured


# Section 3: children who need help -----------------------------------------------------------------


def plan(kind, start, end=None, person=2):
    return ev(
        "child_plans", person, plan=kind, category="emotional_abuse", start_date=start, end_date=end
    )


CP = plan("CP", "2015-01-01", "2015-09-30")
CIN = plan("CIN", "2015-10-01")


@pytest.mark.parametrize(
    ("records", "as_of", "expected"),
    [
        ([CP, CIN], "2016-03-30", "progressing"),
        ([CP, CIN], "2016-03-31", "met"),  # stepped down, held 6 months
        ([CP, CIN, plan("CP", "2016-02-01")], "2016-03-31", "progressing"),
        ([plan("CIN", "2015-01-01", "2015-06-01")], "2015-12-01", "met"),  # closed: early help
    ],
)
def test_appropriate_step_down_sustained_for_at_least_6_months(records, as_of, expected):
    assert outcome(fam(*records), as_of, "children_need_help").outcome == expected


@pytest.mark.parametrize(
    ("records", "as_of", "expected"),
    [
        ([], "2015-12-31", "progressing"),
        ([], "2016-01-01", "met"),  # the confirmation held 6 months
        # De-escalation confirmed, but the child went on to a CP plan meanwhile: not sustained.
        ([plan("CP", "2015-10-01", "2015-11-30")], "2016-01-01", "progressing"),
        ([plan("CP", "2015-10-01", "2015-11-30")], "2016-05-31", "met"),
    ],
)
def test_social_worker_confirms_de_escalation_and_no_re_escalation(records, as_of, expected):
    confirmed = judged("social_worker_deescalation", on="2015-07-01")
    snapshot = fam(plan("CIN", "2015-01-01"), confirmed, *records)
    assert outcome(snapshot, as_of, "children_need_help").outcome == expected


@pytest.mark.parametrize(
    ("judgements", "as_of", "expected"),
    [
        ([("significant", "2015-05-20"), ("moderate", "2015-11-01")], "2016-04-30", "progressing"),
        ([("significant", "2015-05-20"), ("moderate", "2015-11-01")], "2016-05-01", "met"),
        (
            [
                ("significant", "2015-05-20"),
                ("moderate", "2015-11-01"),
                ("significant", "2016-03-01"),
            ],
            "2016-05-01",
            "not_met",
        ),
        ([("moderate", "2015-05-20"), ("moderate", "2015-11-01")], "2016-05-01", "not_met"),
        ([("moderate", "2015-05-20"), ("minor", "2015-11-01")], "2016-05-01", "met"),
    ],
)
def test_early_help_assessment_impact_reduced_no_re_escalation_6_months(
    judgements, as_of, expected
):
    records = [judged("eha_impact", v, d) for v, d in judgements]
    assert outcome(fam(*records), as_of, "children_need_help").outcome == expected


# Section 4: worklessness and financial exclusion --------------------------------------------------

ABLE = judged("dwp_assessed_able_to_work", on="2015-06-05", person_id=1)


def benefit(kind, end=None, start="2014-01-01"):
    return ev("benefit_spells", 1, benefit=kind, start_date=start, end_date=end)


def job(start="2015-07-01", end=None, earnings=None):
    fields = {"start_date": start, "end_date": end}
    if earnings is not None:
        fields["monthly_earnings"] = earnings
    return ev("employment_spells", 1, **fields)


@pytest.mark.parametrize(
    ("records", "identified"),
    [
        ([benefit("ESA"), ABLE], True),
        ([benefit("ESA")], False),  # not assessed as able to work by DWP
        ([benefit("ESA", end="2015-05-31"), ABLE], False),  # not claiming at the start
        ([benefit("ESA", end="2015-06-01"), ABLE], True),
    ],
)
def test_out_of_work_benefit_at_the_start_and_assessed_able_to_work(records, identified):
    assert outcome(fam(*records), "2015-07-01", "worklessness").identified is identified


@pytest.mark.parametrize(
    ("records", "as_of", "expected"),
    [
        # JSA: 26 of the last 30 weeks, from work starting 1 July 2015.
        ([benefit("JSA", "2015-06-30"), job()], "2015-12-28", "progressing"),
        ([benefit("JSA", "2015-06-30"), job()], "2015-12-29", "met"),
        (
            [benefit("JSA", "2015-06-30"), job(end="2015-10-31"), job("2015-11-15")],
            "2016-02-01",
            "met",
        ),
        # Other out-of-work benefits: 14 consecutive weeks (98 days) to 6 October 2015.
        ([benefit("IS", "2015-06-30"), job()], "2015-10-05", "progressing"),
        ([benefit("IS", "2015-06-30"), job()], "2015-10-06", "met"),
        ([benefit("IS", "2015-06-30"), job("2015-05-01")], "2015-12-01", "not_met"),  # before
    ],
)
def test_moves_off_out_of_work_benefits_into_work(records, as_of, expected):
    result = evaluate(PLAN, fam(*records, ABLE), D(as_of))
    assert result.continuous_employment.status == expected
    assert criterion(result, "worklessness", "sustained-employment").status == expected


@pytest.mark.parametrize(
    ("earnings", "members", "as_of", "expected"),
    [
        # If claiming UC, the earnings threshold is satisfied: 450.67 a month to 30 September 2015,
        # 464.54 from 1 October 2015 (our figure; see the plan's parameters).
        (464.54, None, "2015-10-06", "met"),
        (464.53, None, "2015-10-06", "not_met"),  # a penny short once the threshold rises
        (450.66, None, "2015-10-06", "not_met"),
        (None, None, "2015-10-06", "not_met"),  # earnings unknown
        (929.07, [adult(1), adult(3), child(2)], "2015-10-06", "not_met"),  # a couple
        (929.08, [adult(1), adult(3), child(2)], "2015-10-06", "met"),
    ],
)
def test_universal_credit_claimant_satisfies_the_earnings_threshold(
    earnings, members, as_of, expected
):
    snapshot = fam(benefit("UC"), job(earnings=earnings), ABLE, members=members)
    assert evaluate(PLAN, snapshot, D(as_of)).continuous_employment.status == expected


@pytest.mark.parametrize(
    ("activity", "as_of", "expected"),
    [
        ("training", "2015-09-28", "progressing"),
        ("training", "2015-09-29", "met"),  # 13 consecutive weeks from 1 July 2015
        ("volunteering", "2015-09-29", "met"),
        ("permitted_work", "2015-09-29", "not_met"),  # not a placement or training
    ],
)
def test_placement_or_training_attended_for_13_consecutive_weeks(activity, as_of, expected):
    records = [
        benefit("ESA"),
        ABLE,
        ev("work_activity", 1, activity=activity, start_date="2015-07-01"),
    ]
    assert status(fam(*records), as_of, "worklessness", "progress-to-work-placement") == expected


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (["dwp_five_stages_improved"], "progressing"),
        (["dwp_five_stages_improved", "employment_skills_engagement_planned"], "met"),
    ],
)
def test_rag_rating_improved_and_plans_in_place_for_continued_engagement(codes, expected):
    records = [benefit("ESA"), ABLE, *(judged(c, on="2015-09-01") for c in codes)]
    assert outcome(fam(*records), "2015-10-01", "worklessness").outcome == expected


DEBT = judged("debt_or_financial_exclusion", on="2015-06-05")
PROGRESS = judged("financial_progress", on="2016-01-15")


@pytest.mark.parametrize(
    ("records", "closed", "stepped_down", "as_of", "expected"),
    [
        ([DEBT, PROGRESS], None, None, "2016-06-01", "progressing"),  # the case is still open
        ([DEBT, PROGRESS], "2016-02-01", None, "2016-01-31", "progressing"),
        ([DEBT, PROGRESS], "2016-02-01", None, "2016-02-01", "met"),
        ([DEBT, PROGRESS], None, "2016-01-20", "2016-02-01", "met"),  # stepped down
        ([DEBT, PROGRESS], "2016-01-14", None, "2016-02-01", "not_met"),  # shown after closure
    ],
)
def test_reduced_debt_at_case_closure_or_step_down(records, closed, stepped_down, as_of, expected):
    snapshot = fam(*records, closed=closed, stepped_down=stepped_down)
    assert outcome(snapshot, as_of, "worklessness").outcome == expected


# Section 5: domestic abuse ----------------------------------------------------------------------


def callout(on, **kw):
    return ev("domestic_abuse_callouts", None, callout_date=on, **kw)


@pytest.mark.parametrize(("on", "identified"), [("2014-06-01", False), ("2014-06-02", True)])
def test_call_outs_in_the_12_months_before_identify(on, identified):
    assert outcome(fam(callout(on)), "2015-07-01", "domestic_abuse").identified is identified


DA_BASE = callout("2015-03-01", child_present=True)
DONE = judged("da_intervention_completed", on="2015-11-01")
RISK = judged("da_risk_reduced", on="2015-11-01")
NO_RISK_TOOL = judged("da_risk_reduced", "not_applicable", on="2015-11-01")


@pytest.mark.parametrize(
    ("records", "closed", "as_of", "expected"),
    [
        ([DONE, NO_RISK_TOOL], None, "2015-11-30", "progressing"),  # 6 months not over
        ([DONE, NO_RISK_TOOL], None, "2015-12-01", "met"),
        ([NO_RISK_TOOL], None, "2015-12-01", "progressing"),  # interventions not completed
        ([DONE, RISK], None, "2015-12-01", "progressing"),  # shown at closure or step-down
        ([DONE, RISK], "2015-11-20", "2015-12-01", "met"),
        (
            [DONE, NO_RISK_TOOL, callout("2015-09-01", civil_injunction_support=True)],
            None,
            "2015-12-01",
            "met",
        ),
        ([DONE, NO_RISK_TOOL, callout("2015-09-01")], None, "2016-02-29", "not_met"),
        ([DONE, NO_RISK_TOOL, callout("2015-09-01")], None, "2016-03-01", "met"),
    ],
)
def test_domestic_abuse_rows(records, closed, as_of, expected):
    assert (
        outcome(fam(DA_BASE, *records, closed=closed), as_of, "domestic_abuse").outcome == expected
    )


# Section 6: health ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("concern", "progress"),
    [
        ("mental_health_concern", "mental_health_improved"),
        ("alcohol_misuse", "alcohol_misuse_reduced"),
        ("drug_misuse", "drug_misuse_reduced"),
        ("health_condition", "health_condition_managed"),
    ],
)
@pytest.mark.parametrize(
    ("closed", "as_of", "expected"),
    [
        (None, "2016-06-01", "progressing"),  # "at case closure or step down"
        ("2016-02-01", "2016-01-31", "progressing"),
        ("2016-02-01", "2016-02-01", "met"),
    ],
)
def test_health_rows_at_case_closure_or_step_down(concern, progress, closed, as_of, expected):
    records = [
        judged(concern, on="2015-06-10", person_id=1),
        judged(progress, on="2016-01-10", person_id=1),
    ]
    assert outcome(fam(*records, closed=closed), as_of, "health").outcome == expected


def test_alcohol_treatment_completed_counts_when_read_at_closure():
    concern = judged("alcohol_misuse", on="2015-06-10", person_id=1)
    done = ev(
        "treatment",
        1,
        substance="alcohol",
        start_date="2015-07-01",
        end_date="2015-12-01",
        outcome="completed",
    )
    assert outcome(fam(concern, done), "2016-02-01", "health").outcome == "progressing"
    assert outcome(fam(concern, done, closed="2016-01-15"), "2016-02-01", "health").outcome == "met"


# A results claim -------------------------------------------------------------------------------

DA_MET = [DA_BASE, DONE, NO_RISK_TOOL]  # met from 1 December 2015
HEALTH = [
    judged("mental_health_concern", on="2015-06-10", person_id=1),
    judged("mental_health_improved", on="2015-11-10", person_id=1),
]  # met at closure, 15 January 2016


@pytest.mark.parametrize(
    ("confirmed_on", "as_of", "claimable"),
    [
        (None, "2016-02-01", False),
        ("2016-01-14", "2016-02-01", False),  # before every problem was met (15 January)
        ("2016-01-15", "2016-02-01", True),
        ("2016-01-15", "2016-01-14", False),
    ],
)
def test_results_claim_needs_the_lead_worker_judgement_once_the_outcomes_are_met(
    confirmed_on, as_of, claimable
):
    records = [*DA_MET, *HEALTH]
    if confirmed_on:
        records.append(judged("lead_worker_progress_confirmed", on=confirmed_on))
    result = evaluate(PLAN, fam(*records, closed="2016-01-15"), D(as_of))
    assert result.eligible
    assert result.claimable_results is claimable
    if not claimable and as_of >= "2016-01-15":
        assert [b.criterion for b in result.blocking] == ["lead-worker-judgement"]


def test_a_household_without_a_child_under_18_is_not_a_programme_family():
    records = [*DA_MET, *HEALTH, judged("lead_worker_progress_confirmed", on="2016-01-20")]
    grown_up = [adult(1), child(2, born="1997-05-31")]  # 18 on the attachment date
    result = evaluate(PLAN, fam(*records, members=grown_up, closed="2016-01-15"), D("2016-02-01"))
    assert not result.eligible and not result.claimable_results
