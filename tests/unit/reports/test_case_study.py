"""A family's case study from constructed evidence: the first family in Oxfordshire's 2015 annex.

Annex (Oxfordshire County Council, May 2015, Case Studies):
    Education  School attendance       79.5%  93.5%  15.6% Increase
               Fixed term exclusions   9      0      100% Decrease
    Offending  Youth offending         5      1      80% Decrease
               Reported DV             0      1      100% Increase
    Work       In employment           No     Yes

The product states each impact's rule: attendance in percentage points (79.5% → 93.5% is up 14.0
points: the annex's "15.6%" is neither the points nor the relative change, 17.6%), counts as a
percentage of the before figure, and "up from none" where there were none before (the annex's
"100% increase" of nothing).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from reports.case_study import Fact, case_study, count_impact, months_before

ATTACHED = date(2014, 1, 15)
AS_OF = date(2015, 5, 1)


def term(year: str, name: str, start: date, possible: int, absent: int, person: int = 1) -> Fact:
    return Fact(
        "school_attendance",
        person,
        {
            "academic_year": year,
            "term": name,
            "possible_sessions": possible,
            "absent_sessions": absent,
        },
        start,
        start + timedelta(days=80),
    )


def events(kind: str, first: date, count: int) -> list[Fact]:
    return [Fact(kind, 1, {}, first + timedelta(days=7 * i)) for i in range(count)]


def oxfordshire_family() -> list[Fact]:
    return [
        term("2013/14", "autumn", date(2013, 9, 4), 100, 30),  # before attachment, not the latest
        # Two children in the term under way at attachment: 159 of 200 sessions, 79.5%.
        term("2013/14", "spring", date(2014, 1, 6), 120, 25, person=2),
        term("2013/14", "spring", date(2014, 1, 6), 80, 16, person=3),
        term("2014/15", "spring", date(2015, 1, 5), 200, 13),  # latest: 93.5%
        *events("exclusions", date(2013, 3, 1), 9),
        *events("exclusions", date(2012, 12, 1), 1),  # more than 12 months before: not counted
        *events("offences", date(2013, 6, 1), 5),
        Fact("offences", 1, {}, date(2015, 2, 1)),
        Fact("domestic_abuse_callouts", None, {}, date(2015, 3, 1)),
        Fact("employment_spells", 4, {}, date(2014, 9, 1), None),
        Fact("employment_spells", 4, {}, date(2012, 1, 1), date(2013, 5, 1)),  # ended before
    ]


def rows():
    study = case_study(facts=oxfordshire_family(), attached_on=ATTACHED, as_of=AS_OF)
    return {r.criterion: (r.heading, r.before, r.current, r.impact) for r in study.rows}


def test_attendance_before_current_and_impact_in_percentage_points():
    assert rows()["School attendance"] == (
        "Education",
        "79.5% (spring term 2013/14)",
        "93.5% (spring term 2014/15)",
        "Up 14.0 percentage points",
    )


@pytest.mark.parametrize(
    ("criterion", "expected"),
    [
        ("Exclusions", ("Education", "9", "0", "100% decrease")),
        ("Offences", ("Offending", "5", "1", "80% decrease")),
        ("Anti-social behaviour incidents", ("Offending", "0", "0", "No change")),
        ("Domestic abuse call-outs reported", ("Domestic abuse", "0", "1", "Up from none")),
        ("In employment", ("Work", "No", "Yes", "Into work")),
    ],
)
def test_counts_and_employment(criterion, expected):
    assert rows()[criterion] == expected


def test_windows_are_the_12_months_before_attachment_and_the_latest_12_months():
    study = case_study(facts=[], attached_on=ATTACHED, as_of=AS_OF)
    assert study.before_window == "15 January 2013 to 14 January 2014"
    assert study.current_window == "2 May 2014 to 1 May 2015"


def test_a_recent_attachment_counts_current_events_from_attachment_only():
    facts = events("offences", date(2015, 1, 10), 2)  # 5 days before attachment
    study = case_study(facts=facts, attached_on=date(2015, 1, 20), as_of=date(2015, 5, 1))
    offences = next(r for r in study.rows if r.criterion == "Offences")
    assert (offences.before, offences.current, offences.impact) == ("2", "0", "100% decrease")
    assert study.current_window == "20 January 2015 to 1 May 2015"


def test_boundaries_of_the_before_window():
    day_before = ATTACHED - timedelta(days=1)
    facts = [
        Fact("offences", 1, {}, months_before(ATTACHED, 12)),  # first day: in
        Fact("offences", 1, {}, months_before(ATTACHED, 12) - timedelta(days=1)),  # out
        Fact("offences", 1, {}, day_before),  # last day: in
        Fact("offences", 1, {}, ATTACHED),  # attachment day: current, not before
    ]
    study = case_study(facts=facts, attached_on=ATTACHED, as_of=date(2014, 6, 1))
    offences = next(r for r in study.rows if r.criterion == "Offences")
    assert (offences.before, offences.current) == ("2", "1")


def test_attendance_falls_back_to_the_first_term_when_none_had_started_at_attachment():
    facts = [
        term("2014/15", "autumn", date(2014, 9, 3), 100, 20),
        term("2014/15", "spring", date(2015, 1, 5), 100, 10),
    ]
    study = case_study(facts=facts, attached_on=date(2014, 6, 1), as_of=AS_OF)
    assert study.rows[0].before == "80.0% (autumn term 2014/15)"
    assert study.rows[0].impact == "Up 10.0 percentage points"


def test_a_single_term_has_no_impact_yet():
    facts = [term("2014/15", "autumn", date(2014, 9, 3), 100, 20)]
    study = case_study(facts=facts, attached_on=date(2014, 10, 1), as_of=AS_OF)
    assert study.rows[0].impact == "No later term recorded"


def test_left_work_and_no_family_evidence():
    facts = [Fact("employment_spells", 4, {}, date(2013, 9, 1), date(2014, 9, 1))]
    study = case_study(facts=facts, attached_on=ATTACHED, as_of=AS_OF)
    work = study.rows[-1]
    assert (work.before, work.current, work.impact) == ("Yes", "No", "Left work")
    assert case_study(facts=[], attached_on=ATTACHED, as_of=AS_OF).rows[0].before == "None recorded"


@pytest.mark.parametrize(
    ("before", "current", "words"),
    [(9, 0, "100% decrease"), (5, 1, "80% decrease"), (3, 4, "33.3% increase"),
     (2, 4, "100% increase"), (0, 0, "No change"), (0, 1, "Up from none"), (1, 0, "100% decrease")],
)  # fmt: skip
def test_count_impact(before, current, words):
    assert count_impact(before, current) == words


def test_months_before_keeps_the_last_day_of_a_short_month():
    assert months_before(date(2016, 3, 31), 1) == date(2016, 2, 29)
    assert months_before(date(2015, 1, 15), 12) == date(2014, 1, 15)


def test_a_family_not_attached_has_no_before():
    study = case_study(facts=oxfordshire_family(), attached_on=None, as_of=AS_OF)
    assert {r.before for r in study.rows} == {"Not attached"}
    assert {r.impact for r in study.rows} == {""}
    assert study.rows[0].current == "93.5% (spring term 2014/15)"
