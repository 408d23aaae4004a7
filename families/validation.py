"""Rules about a household member that both the member form and the services check, so a user
sees every problem at once and the service refuses the same things whatever calls it."""

from __future__ import annotations

from datetime import date

from core.validation import NAME, Errors, check_text

from .models import Membership

# A "child" member is at most this old when they join the household (the programme counts
# young people up to 25, e.g. care leavers; anyone older is an adult of the household).
CHILD_MAX_AGE = 25
RELATIONSHIP = 80


def age_on(date_of_birth: date, on: date) -> int:
    return (
        on.year
        - date_of_birth.year
        - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    )


def check_member_names(errors: Errors, first_name: str, last_name: str) -> None:
    check_text(errors, "first_name", first_name, "First name", NAME)
    check_text(errors, "last_name", last_name, "Last name", NAME)


def check_membership(
    errors: Errors,
    *,
    role: str | None,
    date_of_birth: date | None,
    start_date: date | None,
    end_date: date | None = None,
    relationship: str = "",
) -> None:
    """Joining on or after birth; a child no older than 25 when they join; dates in order."""
    if date_of_birth and start_date and start_date < date_of_birth:
        errors.add("start_date", "The date they joined must be on or after their date of birth")
    if (
        role == Membership.Role.CHILD
        and date_of_birth
        and start_date
        and start_date >= date_of_birth
        and age_on(date_of_birth, start_date) > CHILD_MAX_AGE
    ):
        errors.add(
            "role",
            f"A child must be {CHILD_MAX_AGE} or younger when they join the household: by their "
            f"date of birth they were {age_on(date_of_birth, start_date)}. Check the date of "
            "birth, or add them as an adult",
        )
    if start_date and end_date and end_date < start_date:
        errors.add("end_date", "The date they left must be on or after the date they joined")
    check_text(errors, "relationship", relationship, "Relationship", RELATIONSHIP)
