"""The example Supporting Families 2022-25 encoding: three needs to be eligible, every need met to claim."""

from __future__ import annotations

from outcomes.engine import evaluate, load_shipped_plan

from .builders import D, ev, family

PLAN = load_shipped_plan("supporting-families-2022-example")


def _needs(*codes):
    return [ev("judgement", None, code=c, value="yes", recorded_on="2022-05-01") for c in codes]


def test_three_needs_make_a_family_eligible_and_two_do_not():
    two = family(
        *_needs("housing_risk", "family_relationships_concern"),
        attached="2022-05-01",
        identified="2022-04-01",
    )
    three = family(
        *_needs("housing_risk", "family_relationships_concern", "early_years_development_concern"),
        attached="2022-05-01",
        identified="2022-04-01",
    )
    assert not evaluate(PLAN, two, D("2022-06-01")).eligible
    assert evaluate(PLAN, three, D("2022-06-01")).eligible


def test_claim_needs_every_identified_need_met_and_sustained():
    # Each judgement-based outcome must hold for 6 months: recorded 1 August 2022 -> met 1 February 2023.
    needs = _needs(
        "housing_risk", "family_relationships_concern", "early_years_development_concern"
    )
    progress = [
        ev("judgement", None, code=c, value="yes", recorded_on="2022-08-01")
        for c in (
            "housing_secure",
            "family_relationships_improved",
            "early_years_development_on_track",
        )
    ]
    snapshot = family(*needs, *progress, attached="2022-05-01", identified="2022-04-01")
    assert not evaluate(PLAN, snapshot, D("2023-01-31")).claimable_results
    result = evaluate(PLAN, snapshot, D("2023-02-01"))
    assert result.claimable_results
    assert result.results_earliest_on == D("2023-02-01")
