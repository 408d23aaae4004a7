"""Checks every service makes on what people type, collected so a form shows them all at once.

Services build a dict of field → message with these helpers and raise one ValidationError at
the end, so a user sees every problem with what they entered in one go (the GOV.UK error
summary lists them all), not one per attempt. Forms use the same limits (`EARLIEST_DATE`,
`TEXT_LIMITS`) so the error appears beside the field before the service is even called.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

# No record in the service is about anything before 1900: an earlier date is a typing slip
# ("1016" for "2016").
EARLIEST_DATE = date(1900, 1, 1)

# The longest text each kind of free-text field takes.
NAME = 100
SHORT_TEXT = 200
NOTE = 2000
LONG_NOTE = 10000


class Errors(dict):
    """Field → message, keeping the first message for each field. Raise them with `raise_if_any`."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def check_date(
    errors: Errors,
    field: str,
    value: date | None,
    label: str,
    *,
    future: bool = False,
) -> None:
    """A date someone could mean: not before 1900 and (unless `future`) not after today."""
    if value is None:
        return
    if value < EARLIEST_DATE:
        errors.add(field, f"{label} must be in 1900 or later: check the year")
    elif not future and value > timezone.localdate():
        errors.add(field, f"{label} must be today or in the past")


def check_text(errors: Errors, field: str, value: str | None, label: str, limit: int) -> None:
    """Text no longer than `limit` characters (after trimming)."""
    if value and len(value.strip()) > limit:
        errors.add(field, f"{label} must be {limit:,} characters or fewer")
