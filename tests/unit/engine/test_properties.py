"""Properties that hold for any family under any shipped plan: a later incident never helps, no
claim comes before attachment plus the plan's shortest sustain period, an evaluation as of a date
never reads evidence dated after it, and evaluation is deterministic."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from outcomes.engine import (
    FamilySnapshot,
    Member,
    evaluate,
    load_shipped_plan,
    plan_judgements,
    shipped_plans,
)

from .builders import D, attendance, ev, family, judged
from .test_rules import ATTENDANCE_PLAN, BASELINE_TERMS, NO_OFFENCES_PLAN, OFFENCE_BEFORE

FAST = settings(max_examples=60, deadline=None)
PLANS = shipped_plans()
ATTACHED = D("2015-09-01")

# The shortest sustain period each shipped plan names, read from the plans' own text (not from
# the engine): 13 weeks of work-related activity in each of them.
SHORTEST_SUSTAIN = {
    "oxfordshire-phase-2": timedelta(weeks=13),  # "13 weeks" (work related activity)
    "worcestershire-2015-16": timedelta(weeks=13),  # "13 consecutive weeks" (placement)
    "national-phase-1": timedelta(weeks=13),  # "for at least 13 weeks" (paragraph 6)
    "supporting-families-2022-example": timedelta(weeks=13),
}

days_after_attachment = st.integers(min_value=1, max_value=500).map(
    lambda n: ATTACHED + timedelta(days=n)
)
any_day = st.integers(min_value=-400, max_value=600).map(lambda n: ATTACHED + timedelta(days=n))


def _no_offences(dates: list[date], as_of: date):
    snapshot = family(OFFENCE_BEFORE, *(ev("offences", 1, offence_date=d) for d in dates))
    return evaluate(NO_OFFENCES_PLAN, snapshot, as_of).problem("crime_asb").criteria[0]


@FAST
@given(st.lists(days_after_attachment, max_size=4), days_after_attachment, days_after_attachment)
def test_another_offence_never_turns_no_further_offences_into_met(dates, extra, as_of):
    before = _no_offences(dates, as_of)
    after = _no_offences([*dates, extra], as_of)
    if before.status != "met":
        assert after.status != "met"
    if after.status == "met":
        assert before.status == "met" and before.met_since <= after.met_since
    if before.earliest_met_on and after.earliest_met_on:
        assert after.earliest_met_on >= before.earliest_met_on


TERMS = [
    ("2015/16", "autumn"),
    ("2015/16", "spring"),
    ("2015/16", "summer"),
    ("2016/17", "autumn"),
    ("2016/17", "spring"),
]
term_pct = st.one_of(st.none(), st.sampled_from([85, 89.9, 90, 90.1, 93.5, 99]))


def _attendance(pcts, as_of):
    records = [
        attendance(2, y, t, p) for (y, t), p in zip(TERMS, pcts, strict=True) if p is not None
    ]
    return (
        evaluate(ATTENDANCE_PLAN, family(*BASELINE_TERMS, *records), as_of)
        .problem("crime_asb")
        .criteria[0]
    )


@FAST
@given(
    st.lists(term_pct, min_size=5, max_size=5),
    st.integers(min_value=0, max_value=4),
    st.sampled_from([80, 89, 90]),
    st.sampled_from(
        [D("2016-03-31"), D("2016-07-22"), D("2016-12-20"), D("2017-03-31"), D("2017-06-01")]
    ),
)
def test_a_term_below_threshold_never_makes_attendance_met_earlier(pcts, slot, low, as_of):
    before = _attendance(pcts, as_of)
    worse = list(pcts)
    worse[slot] = low  # a record below (or exactly at) 90% for that term
    after = _attendance(worse, as_of)
    if after.status == "met":
        assert before.status == "met" or pcts[slot] is None
        if before.status == "met":
            assert after.met_since >= before.met_since
    if before.earliest_met_on and after.earliest_met_on and pcts[slot] is not None:
        assert after.earliest_met_on >= before.earliest_met_on


# Families of every kind the shipped plans read ----------------------------------------------------

SANCTIONS = [
    "",
    "ASB warning letter",
    "Acceptable behaviour contract",
    "ASB injunction",
    "ASBO",
    "a word",
]
JUDGEMENTS = sorted(
    {
        (code, value)
        for plan in PLANS.values()
        for code, values in plan_judgements(plan).items()
        for value in values
    }
)
ALL_TERMS = [
    (y, t) for y in ("2014/15", "2015/16", "2016/17") for t in ("autumn", "spring", "summer")
]
people = st.sampled_from([1, 2, 3])
maybe_end = st.one_of(st.none(), any_day)


@st.composite
def records(draw):
    out = []
    for _ in range(draw(st.integers(0, 4))):
        out.append(
            ev(
                "offences",
                draw(people),
                offence_date=draw(any_day),
                proven=draw(st.booleans()),
                serious=draw(st.booleans()),
            )
        )
    for _ in range(draw(st.integers(0, 4))):
        out.append(
            ev(
                "asb_incidents",
                draw(st.sampled_from([1, 2, None])),
                incident_date=draw(any_day),
                sanction=draw(st.sampled_from(SANCTIONS)),
            )
        )
    for _ in range(draw(st.integers(0, 2))):
        out.append(
            ev(
                "domestic_abuse_callouts",
                None,
                callout_date=draw(any_day),
                child_present=draw(st.booleans()),
                civil_injunction_support=draw(st.booleans()),
            )
        )
    for y, t in ALL_TERMS:
        if draw(st.booleans()):
            out.append(attendance(2, y, t, draw(st.sampled_from([80, 85, 89.5, 90, 95]))))
    for _ in range(draw(st.integers(0, 3))):
        out.append(
            ev(
                "exclusions",
                2,
                start_date=draw(any_day),
                exclusion_type=draw(st.sampled_from(["fixed_term", "permanent"])),
            )
        )
    if draw(st.booleans()):
        out.append(
            ev(
                "benefit_spells",
                1,
                benefit=draw(st.sampled_from(["JSA", "ESA", "UC", "IS"])),
                start_date="2014-01-01",
                end_date=draw(maybe_end),
            )
        )
        out.append(
            ev(
                "employment_spells",
                1,
                start_date=draw(any_day),
                end_date=draw(maybe_end),
                monthly_earnings=draw(st.sampled_from([0, 300, 470, 1000, 2000])),
            )
        )
    if draw(st.booleans()):
        out.append(ev("work_activity", 1, activity="volunteering", start_date=draw(any_day)))
    if draw(st.booleans()):
        out.append(
            ev(
                "child_plans",
                2,
                plan=draw(st.sampled_from(["CIN", "CP", "LAC"])),
                category="neglect",
                start_date=draw(any_day),
                end_date=draw(maybe_end),
            )
        )
    if draw(st.booleans()):
        out.append(
            ev(
                "treatment",
                1,
                substance=draw(st.sampled_from(["drug", "alcohol"])),
                start_date=draw(any_day),
                end_date=draw(maybe_end),
                outcome=draw(st.sampled_from(["completed", "dropped_out", "ongoing"])),
            )
        )
    if draw(st.booleans()):
        out.append(
            ev(
                "member_flags",
                2,
                flag=draw(st.sampled_from(["ehcp", "young_carer", "high_cost"])),
                start_date="2014-01-01",
            )
        )
    for _ in range(draw(st.integers(0, 8))):
        code, value = draw(st.sampled_from(JUDGEMENTS))
        out.append(
            judged(code, value, draw(any_day).isoformat(), draw(st.sampled_from([None, 1, 2])))
        )
    return out


@st.composite
def snapshots(draw):
    evidence = draw(records())
    members = (
        Member(
            person_id=1,
            role="adult",
            date_of_birth=D("1980-01-01"),
            memberships=((D("2010-01-01"), None),),
        ),
        Member(
            person_id=2,
            role="child",
            date_of_birth=draw(st.sampled_from([D("2005-03-01"), D("1998-01-01")])),
            memberships=((D("2010-01-01"), None),),
        ),
        Member(
            person_id=3,
            role="adult",
            date_of_birth=D("1982-01-01"),
            memberships=((D("2010-01-01"), draw(maybe_end)),),
        ),
    )
    closed = draw(st.one_of(st.none(), days_after_attachment))
    stepped = draw(st.one_of(st.none(), days_after_attachment))
    return FamilySnapshot(
        reference="F-PROP",
        identified_on=D("2015-08-01"),
        attached_on=ATTACHED,
        members=members,
        evidence=tuple(evidence),
        closed_on=closed,
        stepped_down_on=stepped,
    )


plan_slugs = st.sampled_from(sorted(PLANS))


# Families whose outcomes can be met soon after attachment: problems shown at a closure or step-down
# within weeks (Worcestershire), a lead worker's judgement, and an adult off benefits straight
# into work. Without the shortest sustain period, some of these would be claimable in days.
QUICK_PAIRS = [
    ("mental_health_concern", "mental_health_improved"),
    ("alcohol_misuse", "alcohol_misuse_reduced"),
    ("drug_misuse", "drug_misuse_reduced"),
    ("health_condition", "health_condition_managed"),
    ("debt_or_financial_exclusion", "financial_progress"),
    ("housing_risk", "housing_secure"),
]


@st.composite
def quick_snapshots(draw):
    # Debt and one or more health rows, shown at a step-down or closure within weeks.
    pairs = [
        QUICK_PAIRS[4],
        *draw(st.lists(st.sampled_from(QUICK_PAIRS[:4]), min_size=1, max_size=3, unique=True)),
    ]
    if draw(st.booleans()):
        pairs.append(QUICK_PAIRS[5])
    shown = draw(st.integers(min_value=1, max_value=60))
    evidence = []
    for concern, progress in pairs:
        evidence.append(judged(concern, on="2015-08-20"))
        progress_day = draw(st.integers(min_value=1, max_value=shown))
        evidence.append(judged(progress, on=(ATTACHED + timedelta(days=progress_day)).isoformat()))
    confirmed = ATTACHED + timedelta(days=shown + draw(st.integers(min_value=0, max_value=30)))
    evidence.append(judged("lead_worker_progress_confirmed", on=confirmed.isoformat()))
    if draw(st.booleans()):
        evidence.append(
            ev(
                "benefit_spells",
                1,
                benefit=draw(st.sampled_from(["JSA", "ESA", "UC"])),
                start_date="2014-01-01",
                end_date=ATTACHED,
            )
        )
        evidence.append(
            ev(
                "employment_spells",
                1,
                start_date=ATTACHED + timedelta(days=1),
                monthly_earnings=2000,
            )
        )
        evidence.append(judged("dwp_assessed_able_to_work", on="2015-08-20", person_id=1))
    day = (ATTACHED + timedelta(days=shown)).isoformat()
    how = draw(st.sampled_from(["closed", "stepped_down"]))
    return family(*evidence, **{how: day})


@settings(max_examples=80, deadline=None)
@given(st.one_of(snapshots(), quick_snapshots()), plan_slugs, days_after_attachment, st.data())
def test_a_later_incident_never_turns_not_met_into_met(snapshot, slug, as_of, data):
    plan = PLANS[slug]
    when = data.draw(
        st.integers(1, (as_of - ATTACHED).days).map(lambda n: ATTACHED + timedelta(days=n))
    )
    kind = data.draw(st.sampled_from(["offences", "asb_incidents", "domestic_abuse_callouts"]))
    fields = {
        "offences": {
            "offence_date": when,
            "proven": data.draw(st.booleans()),
            "serious": data.draw(st.booleans()),
        },
        "asb_incidents": {"incident_date": when, "sanction": data.draw(st.sampled_from(SANCTIONS))},
        "domestic_abuse_callouts": {
            "callout_date": when,
            "child_present": data.draw(st.booleans()),
        },
    }[kind]
    person = (
        data.draw(st.sampled_from([None, 1, 2, 3])) if kind != "domestic_abuse_callouts" else None
    )
    worse = replace(snapshot, evidence=(*snapshot.evidence, ev(kind, person, **fields)))
    before = evaluate(plan, snapshot, as_of)
    after = evaluate(plan, worse, as_of)
    for b, a in zip(before.problems, after.problems, strict=True):
        assert b.identified == a.identified  # an incident after attachment identifies nothing
        if b.outcome != "met":
            assert a.outcome != "met", (slug, b.code)
    if not before.claimable_results:
        assert not after.claimable_results
    if not before.claimable_continuous_employment:
        assert not after.claimable_continuous_employment


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(snapshots(), quick_snapshots()), plan_slugs, st.integers(min_value=0, max_value=200)
)
def test_never_claimable_before_attachment_plus_the_shortest_sustain_period(snapshot, slug, days):
    as_of = ATTACHED + timedelta(days=days)
    result = evaluate(PLANS[slug], snapshot, as_of)
    if result.claimable_results or result.claimable_continuous_employment:
        assert as_of >= ATTACHED + SHORTEST_SUSTAIN[slug]


def test_the_shortest_sustain_period_is_what_stops_a_quick_claim():
    # Worcestershire: health and debt shown at a step-down a week after attachment, lead worker's
    # judgement recorded then. Everything is met at once; the claim waits for 13 weeks.
    plan = PLANS["worcestershire-2015-16"]
    records = [
        judged("mental_health_concern", on="2015-08-20"),
        judged("mental_health_improved", on="2015-09-05"),
        judged("debt_or_financial_exclusion", on="2015-08-20"),
        judged("financial_progress", on="2015-09-05"),
        judged("lead_worker_progress_confirmed", on="2015-09-08"),
    ]
    snapshot = family(*records, stepped_down="2015-09-08")
    assert evaluate(plan, snapshot, D("2015-09-10")).problem("health").outcome == "met"
    assert not evaluate(plan, snapshot, D("2015-11-30")).claimable_results
    assert evaluate(plan, snapshot, D("2015-12-01")).claimable_results  # 1 September + 91 days


def _record_on(kind: str, d: date, judgement: tuple[str, str]):
    if kind == "offences":
        return ev("offences", 2, offence_date=d, proven=True)
    if kind == "asb_incidents":
        return ev("asb_incidents", 1, incident_date=d, sanction="ASBO")
    if kind == "domestic_abuse_callouts":
        return ev("domestic_abuse_callouts", None, callout_date=d)
    if kind == "exclusions":
        return ev("exclusions", 2, start_date=d, exclusion_type="fixed_term")
    if kind == "judgement":
        return judged(*judgement, d.isoformat())
    if kind == "benefit_spells":
        return ev("benefit_spells", 1, benefit="JSA", start_date=d)
    if kind == "employment_spells":
        return ev("employment_spells", 1, start_date=d, monthly_earnings=2000)
    if kind == "child_plans":
        return ev("child_plans", 2, plan="LAC", start_date=d)
    return ev("treatment", 1, substance="drug", start_date=d)


LATER_KINDS = [
    "offences",
    "asb_incidents",
    "domestic_abuse_callouts",
    "exclusions",
    "judgement",
    "benefit_spells",
    "employment_spells",
    "child_plans",
    "treatment",
]


@st.composite
def after_the_date(draw, as_of: date):
    """Evidence dated after ``as_of`` only, and a later day for ends, closure and leaving."""
    later = st.integers(1, 400).map(lambda n: as_of + timedelta(days=n))
    out = [
        _record_on(
            draw(st.sampled_from(LATER_KINDS)), draw(later), draw(st.sampled_from(JUDGEMENTS))
        )
        for _ in range(draw(st.integers(1, 6)))
    ]
    return out, draw(later)


@settings(max_examples=80, deadline=None)
@given(snapshots(), plan_slugs, days_after_attachment, st.data())
def test_an_evaluation_as_of_a_date_never_reads_evidence_dated_after_it(
    snapshot, slug, as_of, data
):
    plan = PLANS[slug]
    extra, later_day = data.draw(after_the_date(as_of))

    # Spells still open on the date may end at any later day; closure, step-down and a member
    # leaving may happen later; records dated later may arrive.
    def later_end(record):
        if (
            getattr(record, "is_spell", False)
            and (record.end_date is None or record.end_date > as_of)
            and record.start_date <= as_of
        ):
            return replace(record, end_date=later_day)
        return record

    members = tuple(
        replace(m, memberships=((m.memberships[0][0], later_day),))
        if m.memberships and (m.memberships[0][1] is None or m.memberships[0][1] > as_of)
        else m
        for m in snapshot.members
    )
    changed = replace(
        snapshot,
        evidence=(*(later_end(r) for r in snapshot.evidence), *extra),
        members=members,
        closed_on=snapshot.closed_on
        if snapshot.closed_on and snapshot.closed_on <= as_of
        else later_day,
        stepped_down_on=snapshot.stepped_down_on
        if snapshot.stepped_down_on and snapshot.stepped_down_on <= as_of
        else later_day,
    )
    first = evaluate(plan, snapshot, as_of).to_dict()
    second = evaluate(plan, changed, as_of).to_dict()
    for result in (first, second):
        result.pop("closed_on"), result.pop("stepped_down_on")  # both None: not known yet
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


@settings(max_examples=30, deadline=None)
@given(snapshots(), plan_slugs, days_after_attachment, st.randoms())
def test_evaluate_is_deterministic_whatever_the_evidence_order(snapshot, slug, as_of, rnd):
    plan = PLANS[slug]
    shuffled = list(snapshot.evidence)
    rnd.shuffle(shuffled)
    other = replace(snapshot, evidence=tuple(shuffled), members=tuple(reversed(snapshot.members)))
    first = evaluate(plan, snapshot, as_of)
    assert json.dumps(first.to_dict()) == json.dumps(evaluate(plan, snapshot, as_of).to_dict())
    assert json.dumps(first.to_dict()) == json.dumps(evaluate(plan, other, as_of).to_dict())
    for problem in first.problems:
        if problem.outcome == "met":
            assert problem.met_since is not None and problem.met_since <= as_of
        if problem.outcome in ("met", "progressing", "not_met"):
            assert problem.identified or problem.indicated
        if problem.indicated:
            assert not problem.identified
    # Every problem identified or indicated is one a results claim rests on (where the plan counts
    # it), and must be met for the claim.
    results = [p for p in first.problems if p.code in first.results_problems]
    assert {p.code for p in first.problems if p.identified or p.indicated} >= set(
        first.results_problems
    )
    if not PLANS[slug].results_require:
        assert {p.code for p in first.problems if p.identified or p.indicated} == set(
            first.results_problems
        )
    if first.claimable_results:
        assert first.eligible and results and all(p.outcome == "met" for p in results)
    assert len(first.identified_problems) == sum(p.identified for p in first.problems)


def test_the_oxfordshire_plan_loads_for_the_properties():
    assert load_shipped_plan("oxfordshire-phase-2") == PLANS["oxfordshire-phase-2"]


BASELINE_YEAR = [("2014/15", t) for t in ("autumn", "spring", "summer")]
AFTER_YEAR = [("2015/16", t) for t in ("autumn", "spring", "summer")]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.sampled_from([70, 85, 89.5, 90, 95]), min_size=3, max_size=3),
    st.lists(st.sampled_from([85, 90, 90.5, 95]), min_size=3, max_size=3),
    st.integers(0, 2),
    plan_slugs,
)
def test_a_missing_baseline_record_never_drops_a_problem_from_a_claim(base, after, gone, slug):
    # Other problems met (crime and ASB, domestic abuse): whether a claim can be made turns on
    # school. Losing one baseline term's record must not make the claim easier.
    records = [ev("asb_incidents", 1, incident_date=f"2015-0{m}-15") for m in (1, 2, 3, 4, 5)]
    records.append(
        ev("domestic_abuse_callouts", None, callout_date="2015-05-01", child_present=True)
    )
    records += [attendance(2, y, t, p) for (y, t), p in zip(AFTER_YEAR, after, strict=True)]
    full = [attendance(2, y, t, p) for (y, t), p in zip(BASELINE_YEAR, base, strict=True)]
    partial = [r for i, r in enumerate(full) if i != gone]
    as_of = D("2016-09-30")
    with_all = evaluate(PLANS[slug], family(*records, *full), as_of)
    with_fewer = evaluate(PLANS[slug], family(*records, *partial), as_of)
    if with_fewer.claimable_results:
        assert with_all.claimable_results
