"""National phase 1 criteria (Oxfordshire Bulletin 1, 2012): three problems plus the local criterion."""

from __future__ import annotations

from outcomes.engine import evaluate, load_shipped_plan

from .builders import D, adult, attendance, child, ev, family

PLAN = load_shipped_plan("national-phase-1")
MEMBERS = [adult(1), child(2, born="2000-02-01"), child(3, born="2006-02-01")]

# Worked family: attached 1 September 2015.
# 1) crime/ASB: Sam (15) has a proven offence on 1 March 2015 (in the last 12 months).
# 2) education: Mia (9) had 20% absence over 2014/15 (persistent absentee, 15% or more).
# 3) work: the parent is on ESA at attachment.
CRIME = ev("offences", 2, offence_date="2015-03-01", proven=True)
EDUCATION = [attendance(3, "2014/15", t, 80) for t in ("autumn", "spring", "summer")]
WORK = ev("benefit_spells", 1, benefit="ESA", start_date="2014-01-01")
HIGH_COST = ev("member_flags", None, flag="high_cost", start_date="2015-01-01")


def test_all_three_national_criteria_make_a_family_eligible():
    result = evaluate(PLAN, family(CRIME, *EDUCATION, WORK, members=MEMBERS), D("2015-10-01"))
    assert result.identified_problems == ("crime_asb", "school_attendance", "worklessness")
    assert result.eligible


def test_two_criteria_need_the_local_high_cost_criterion():
    two = evaluate(PLAN, family(CRIME, WORK, members=MEMBERS), D("2015-10-01"))
    assert not two.eligible
    with_local = evaluate(PLAN, family(CRIME, WORK, HIGH_COST, members=MEMBERS), D("2015-10-01"))
    assert with_local.eligible and with_local.local_criteria.status == "met"
    judged = ev("judgement", None, code="high_cost", value="yes", recorded_on="2015-09-05")
    assert evaluate(PLAN, family(CRIME, WORK, judged, members=MEMBERS), D("2015-10-01")).eligible
    one = evaluate(PLAN, family(CRIME, HIGH_COST, members=MEMBERS), D("2015-10-01"))
    assert not one.eligible


def test_row_crime_youth_offending_reduced_33_percent():
    # 1 offence in the baseline year = 0.5 per 6 months; 33% fewer allows 0.335 -> none in the
    # last 6 months. No offences since attachment -> met on 1 March 2016.
    result = evaluate(PLAN, family(CRIME, *EDUCATION, WORK, members=MEMBERS), D("2016-03-01"))
    assert result.problem("crime_asb").outcome == "met"


def test_row_education_each_child_under_15_percent_absence_and_fewer_than_3_exclusions():
    # After attachment both school-age children need absence below 15% and fewer than 3 exclusions
    # over autumn, spring, summer 2015/16. Sam (15 on 1 September 2015) is of school age too.
    after = [
        attendance(p, "2015/16", t, 90) for p in (2, 3) for t in ("autumn", "spring", "summer")
    ]
    result = evaluate(
        PLAN, family(CRIME, *EDUCATION, WORK, *after, members=MEMBERS), D("2016-07-22")
    )
    assert result.problem("school_attendance").outcome == "met"
    # Sam misses 40% of summer: (10% + 10% + 40%) / 3 = 20% over the three terms -> not met.
    sams_poor_term = [attendance(2, "2015/16", "summer", 60)]
    worse = [r for r in after if not (r.person_id == 2 and r.term == "summer")] + sams_poor_term
    assert (
        evaluate(PLAN, family(CRIME, *EDUCATION, WORK, *worse, members=MEMBERS), D("2016-07-22"))
        .problem("school_attendance")
        .outcome
        == "not_met"
    )


def test_results_claim_is_crime_and_education_only_work_is_separate():
    # Both results problems met, the parent still on benefits: the results payment is claimable;
    # the worklessness problem is "progress to work", paid separately.
    after = [
        attendance(p, "2015/16", t, 95) for p in (2, 3) for t in ("autumn", "spring", "summer")
    ]
    result = evaluate(
        PLAN, family(CRIME, *EDUCATION, WORK, *after, members=MEMBERS), D("2016-07-22")
    )
    assert result.problem("worklessness").outcome == "not_met"
    assert result.claimable_results
    assert not result.claimable_continuous_employment


def test_row_work_progress_to_work_or_continuous_employment():
    # Volunteering for 13 weeks from 1 October 2015 -> progress to work on 30 December 2015.
    volunteering = ev("work_activity", 1, activity="volunteering", start_date="2015-10-01")
    result = evaluate(
        PLAN, family(CRIME, *EDUCATION, WORK, volunteering, members=MEMBERS), D("2015-12-30")
    )
    assert result.problem("worklessness").outcome == "met"
    # Off ESA into work on 1 October 2015: 13 weeks -> continuous employment on 30 December 2015.
    off = ev("benefit_spells", 1, benefit="ESA", start_date="2014-01-01", end_date="2015-09-30")
    job = ev("employment_spells", 1, start_date="2015-10-01")
    result = evaluate(PLAN, family(CRIME, *EDUCATION, off, job, members=MEMBERS), D("2015-12-30"))
    assert result.claimable_continuous_employment
