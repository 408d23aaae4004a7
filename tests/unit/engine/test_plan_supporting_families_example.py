"""The example Supporting Families 2022-25 encoding: three needs to be eligible, every need met to
claim. Families are attached on 1 May 2022; 6 months are clear of attachment on 1 November 2022."""

from __future__ import annotations

import pytest

from outcomes.engine import evaluate, load_shipped_plan

from .builders import D, adult, attendance, child, ev, family, judged

PLAN = load_shipped_plan("supporting-families-2022-example")


def fam(*records, members=None):
    return family(*records, members=members, attached="2022-05-01", identified="2022-04-01")


def needs(*codes):
    return [judged(c, on="2022-05-01") for c in codes]


THREE = needs("housing_risk", "family_relationships_concern", "early_years_development_concern")


@pytest.mark.parametrize(("records", "eligible"), [(THREE[:2], False), (THREE, True)])
def test_three_needs_make_a_family_eligible(records, eligible):
    assert evaluate(PLAN, fam(*records), D("2022-06-01")).eligible is eligible


PROGRESS = [
    judged(c, on="2022-08-01")
    for c in ("housing_secure", "family_relationships_improved", "early_years_development_on_track")
]


@pytest.mark.parametrize(("as_of", "claimable"), [("2023-01-31", False), ("2023-02-01", True)])
def test_claim_needs_every_identified_need_met_and_held_for_6_months(as_of, claimable):
    result = evaluate(PLAN, fam(*THREE, *PROGRESS), D(as_of))
    assert result.claimable_results is claimable
    if claimable:
        assert result.results_earliest_on == D("2023-02-01")


@pytest.mark.parametrize(
    ("earnings", "as_of", "expected"),
    [
        # Universal Credit: 26 of the last 30 weeks with earnings at the administrative earnings
        # threshold, 355 a month to 25 September 2022 and 494 from 26 September (example figures).
        (494, "2022-11-12", "progressing"),
        (494, "2022-11-13", "met"),  # 26 weeks from 16 May 2022
        (493.99, "2022-11-13", "not_met"),  # short once the threshold rises
        (354.99, "2023-03-01", "not_met"),
    ],
)
def test_universal_credit_earnings_threshold(earnings, as_of, expected):
    records = [
        ev("benefit_spells", 1, benefit="UC", start_date="2021-01-01"),
        ev("employment_spells", 1, start_date="2022-05-16", monthly_earnings=earnings),
    ]
    snapshot = fam(*records, members=[adult(1), child(2, born="2012-01-01")])
    assert evaluate(PLAN, snapshot, D(as_of)).continuous_employment.status == expected


@pytest.mark.parametrize(("absence", "expected"), [(9.5, "met"), (10, "not_met")])
def test_absence_below_10_percent_in_each_of_3_terms(absence, expected):
    base = [
        attendance(2, y, t, 80)
        for y, t in (("2021/22", "autumn"), ("2021/22", "spring"), ("2020/21", "summer"))
    ]
    after = [
        attendance(2, y, t, 100 - absence)
        for y, t in (("2022/23", "autumn"), ("2022/23", "spring"), ("2022/23", "summer"))
    ]
    snapshot = fam(*base, *after, members=[adult(1), child(2, born="2012-01-01")])
    assert (
        evaluate(PLAN, snapshot, D("2023-07-22")).problem("school_attendance").outcome == expected
    )
