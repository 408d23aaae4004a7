"""The retention schedule as pure rules over dates: when each kind of record expires.

No database here; `privacy.services` gathers the dates and applies what these say. The years
come from `settings.PRIVACY_RETENTION` (docs/security.md, "Retention"). A record expires ON its
expiry date: on that day the nightly job anonymises it; the day before, it is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date


def add_years(on: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a year without one."""
    try:
        return on.replace(year=on.year + years)
    except ValueError:
        return on.replace(year=on.year + years, day=28)


@dataclass(frozen=True)
class FamilyExpiry:
    expires_on: date | None  # None: kept (an open case)
    rule: str


def family_expiry(
    *,
    rules: Mapping[str, int],
    closed_on: date | None,
    attached_on: date | None,
    child_dates_of_birth: Iterable[date | None] = (),
    claim_dates: Iterable[date] = (),
) -> FamilyExpiry:
    """When a family's case records expire, and the rule that decides it.

    - open (not closed): never;
    - closed, never attached (a referral that did not proceed): `never_attached_years` after
      closure;
    - closed after attachment: `closed_case_years` after closure, or the youngest child
      member's `child_until_age` birthday if that is later;
    - either way, not before every claim's audit period (`claim_audit_years` from the date
      its batch was paid, or approved, or the claim made) has ended.
    """
    if closed_on is None:
        return FamilyExpiry(None, "The case is open")
    if attached_on is None:
        years = rules["never_attached_years"]
        candidates = [
            (add_years(closed_on, years), f"{years} years after a case closed unattached")
        ]
    else:
        years = rules["closed_case_years"]
        candidates = [(add_years(closed_on, years), f"{years} years after the case closed")]
        age = rules.get("child_until_age") or 0
        births = [d for d in child_dates_of_birth if d is not None]
        if age and births:
            candidates.append(
                (add_years(max(births), age), f"the youngest child's {age}th birthday")
            )
    audit = rules["claim_audit_years"]
    claims = list(claim_dates)
    if claims:
        candidates.append(
            (
                add_years(max(claims), audit),
                f"the end of the last claim's {audit}-year audit period",
            )
        )
    expires_on, rule = max(candidates, key=lambda c: c[0])
    return FamilyExpiry(expires_on, rule)


def is_expired(expiry: FamilyExpiry, today: date) -> bool:
    return expiry.expires_on is not None and expiry.expires_on <= today


def expired_up_to(today: date, years: int) -> date:
    """For records dated by day (access log entries, partner rows): the last date that has
    expired today. A record dated on or before it is removed; one dated after it is kept."""
    return add_years(today, -years)
