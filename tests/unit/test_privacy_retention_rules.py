"""The retention schedule's rules as a table: inputs, day, kept or expired (both sides of each)."""

from __future__ import annotations

from datetime import date

import pytest

from privacy.retention import add_years, expired_up_to, family_expiry, is_expired

RULES = {
    "closed_case_years": 7,
    "child_until_age": 25,
    "never_attached_years": 1,
    "claim_audit_years": 7,
}
ATTACHED = date(2015, 5, 1)
CLOSED = date(2016, 12, 1)


@pytest.mark.parametrize(
    ("case", "attached_on", "children", "claims", "today", "expired"),
    [
        ("closed case, day before 7 years", ATTACHED, [], [], date(2023, 11, 30), False),
        ("closed case, 7 years on", ATTACHED, [], [], date(2023, 12, 1), True),
        ("never attached, day before 1 year", None, [], [], date(2017, 11, 30), False),
        ("never attached, 1 year on", None, [], [], date(2017, 12, 1), True),
        # The youngest child (born 2000) turns 25 after the 7 years: that decides.
        (
            "child not yet 25",
            ATTACHED,
            [date(1998, 1, 1), date(2000, 3, 10)],
            [],
            date(2025, 3, 9),
            False,
        ),
        (
            "child turns 25",
            ATTACHED,
            [date(1998, 1, 1), date(2000, 3, 10)],
            [],
            date(2025, 3, 10),
            True,
        ),
        # A child who turned 25 before the 7 years ends does not shorten them.
        ("older child, 7 years rule", ATTACHED, [date(1990, 1, 1)], [], date(2023, 11, 30), False),
        # A claim paid later than closure keeps the family to the end of its audit period.
        ("claim in audit period", ATTACHED, [], [date(2018, 6, 1)], date(2025, 5, 31), False),
        ("claim audit period ended", ATTACHED, [], [date(2018, 6, 1)], date(2025, 6, 1), True),
    ],
)
def test_family_expiry(case, attached_on, children, claims, today, expired):
    expiry = family_expiry(
        rules=RULES,
        closed_on=CLOSED,
        attached_on=attached_on,
        child_dates_of_birth=children,
        claim_dates=claims,
    )
    assert is_expired(expiry, today) is expired, case


def test_an_open_case_never_expires():
    expiry = family_expiry(rules=RULES, closed_on=None, attached_on=ATTACHED)
    assert expiry.expires_on is None
    assert not is_expired(expiry, date(2100, 1, 1))


def test_the_rule_that_decides_is_named():
    expiry = family_expiry(
        rules=RULES,
        closed_on=CLOSED,
        attached_on=ATTACHED,
        child_dates_of_birth=[date(2000, 3, 10)],
    )
    assert expiry.rule == "the youngest child's 25th birthday"


def test_leap_day_and_dated_records():
    assert add_years(date(2016, 2, 29), 1) == date(2017, 2, 28)
    # An access log entry dated 4 December 2024 has expired on 4 December 2026; the 5th has not.
    assert expired_up_to(date(2026, 12, 4), 2) == date(2024, 12, 4)
