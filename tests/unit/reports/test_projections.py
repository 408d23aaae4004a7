"""Hertfordshire's 2013 projection table, row by row, from its own inputs.

Hertfordshire County Council, Health and Wellbeing Board, 13 November 2013, "Projected Thriving
families caseload and outcome schedule": new cases per quarter, an average 9-month
intervention, a 6-month sustained outcome, and a peak case holding of 700 (490 council cases and
210 partner cases).

The printed table leaves some cells blank. Each blank is one of three things, and the test says
which: a zero (no new cases, no claims yet, nobody left in intervention); the cumulative count
once new cases stop (the report stops printing it at 1,350); or the net case holding before the
first families finish their intervention (the report starts printing it in June 2013, when the
first 39 finish; until then it is everyone started so far).
"""

from __future__ import annotations

import pytest

from reports.projections import ProjectionInput, QuarterCases, project, quarters_for

QUARTERS = [
    "2012-09", "2012-12", "2013-03", "2013-06", "2013-09", "2013-12",
    "2014-03", "2014-06", "2014-09", "2014-12", "2015-03", "2015-05",
]  # fmt: skip
NEW = [39, 122, 266, 100, 123, 220, 252, 228, 0, 0, 0, 0]

# The table as printed; None where the report leaves the cell blank.
PRINTED = {
    "cumulative_cases": [39, 161, 427, 527, 650, 870, 1122, 1350, None, None, None, None],
    "new_cases": [39, 122, 266, 100, 123, 220, 252, 228, None, None, None, None],
    "potential_claims": [None, None, None, None, None, 39, 122, 266, 100, 123, 220, 252],
    "cumulative_claims": [None, None, None, None, None, 39, 161, 427, 527, 650, 870, 1122],
    "net_case_holding": [None, None, None, 488, 489, 443, 595, 700, 480, 228, None, None],
}
# What each blank stands for under the rule (see the module docstring).
BLANKS = {
    "cumulative_cases": [1350, 1350, 1350, 1350],  # new cases have stopped
    "new_cases": [0, 0, 0, 0],
    "potential_claims": [0, 0, 0, 0, 0],
    "cumulative_claims": [0, 0, 0, 0, 0],
    "net_case_holding": [39, 161, 427, 0, 0],  # before anyone finishes; then nobody left
}


def hertfordshire():
    return project(
        ProjectionInput(
            quarters=[QuarterCases(q, n) for q, n in zip(QUARTERS, NEW, strict=True)],
            intervention_months=9,
            sustain_months=6,
            capacity=700,
        )
    )


@pytest.mark.parametrize("index", range(12), ids=QUARTERS)
def test_each_quarter_reproduces_the_printed_table(index):
    row = hertfordshire().rows[index]
    assert row.quarter == QUARTERS[index]
    for field, printed in PRINTED.items():
        if printed[index] is not None:
            assert getattr(row, field) == printed[index], field


@pytest.mark.parametrize("field", sorted(PRINTED))
def test_the_blank_cells_are_what_the_rule_says(field):
    rows = hertfordshire().rows[:12]
    blanks = [getattr(r, field) for r, p in zip(rows, PRINTED[field], strict=True) if p is None]
    assert blanks == BLANKS[field]


def test_peak_holding_is_the_700_capacity_in_june_2014_and_never_over_it():
    projection = hertfordshire()
    assert projection.peak_case_holding == 700
    assert projection.peak_quarter == "2014-06"
    assert projection.over_capacity_quarters == []
    # June 2014's 228 families are claimable after May 2015, past the table's last column: the
    # rows run on one quarter, with no new cases, to that last potential claim.
    assert projection.claims_after_last_quarter == 228
    last = projection.rows[-1]
    assert len(projection.rows) == 13
    assert (last.quarter, last.new_cases, last.potential_claims, last.cumulative_claims) == (
        "2015-08",
        0,
        228,
        1350,
    )


def test_the_rows_run_to_the_last_potential_claim_and_no_further():
    def rows(cases, months=(9, 6)):
        data = ProjectionInput(
            quarters=[QuarterCases(q, n) for q, n in cases],
            intervention_months=months[0],
            sustain_months=months[1],
        )
        return project(data).rows

    # One family in December 2019, claimable five quarters on (March 2021): six rows.
    one = rows([("2019-12", 1)])
    assert [r.quarter for r in one] == [
        "2019-12", "2020-03", "2020-06", "2020-09", "2020-12", "2021-03",
    ]  # fmt: skip
    assert one[-1].potential_claims == 1 and one[-2].potential_claims == 0
    # Quarters given past the last claim are all kept; none added. No capacity: none over it.
    given = [("2019-12", 1), *((f"{y}-{m:02d}", 0) for y in (2020, 2021) for m in (3, 6, 9, 12))]
    assert len(rows(given)) == 9
    assert project(ProjectionInput([QuarterCases("2019-12", 9)], 3, 3)).over_capacity_quarters == []


def test_one_family_over_capacity_is_reported():
    data = ProjectionInput(
        quarters=[QuarterCases(q, n) for q, n in zip(QUARTERS, NEW, strict=True)],
        intervention_months=9,
        sustain_months=6,
        capacity=699,
    )
    assert project(data).over_capacity_quarters == ["2014-06"]


@pytest.mark.parametrize(
    ("months", "quarters"), [(1, 1), (3, 1), (4, 2), (9, 3), (10, 4), (15, 5), (60, 20)]
)
def test_months_reach_into_whole_quarters(months, quarters):
    assert quarters_for(months) == quarters


def test_a_longer_intervention_holds_families_longer_and_claims_later():
    data = ProjectionInput(
        quarters=[QuarterCases(f"2020-{m:02d}", n) for m, n in [(3, 10), (6, 0), (9, 0), (12, 0)]],
        intervention_months=4,
        sustain_months=2,
        capacity=5,
    )
    rows = project(data).rows
    assert [r.net_case_holding for r in rows] == [10, 10, 0, 0]
    assert [r.potential_claims for r in rows] == [0, 0, 10, 0]
    assert project(data).over_capacity_quarters == ["2020-03", "2020-06"]


def test_as_dict_is_the_api_shape():
    payload = hertfordshire().as_dict()
    assert payload["rows"][5] == {
        "quarter": "2013-12",
        "new_cases": 220,
        "cumulative_cases": 870,
        "potential_claims": 39,
        "cumulative_claims": 39,
        "net_case_holding": 443,
    }
    assert payload["peak_case_holding"] == 700
