"""Identifiers partners use for people: Unique Pupil Number and National Insurance number.

Pure functions, used by forms, services and the partner-data importer alike.
"""

from __future__ import annotations

import re

# DfE: the check letter is the weighted sum of characters 2-13 (weights 2..13) mod 23,
# mapped onto the alphabet without I, O and S.
UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
UPN_RE = re.compile(r"^[A-Z][0-9]{12}$")

# HMRC: two prefix letters (D, F, I, Q, U, V never used; O never second; some pairs never
# issued), six digits, suffix A-D.
NI_RE = re.compile(r"^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]$")


def normalise_upn(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def upn_check_letter(digits: str) -> str:
    """The check letter for the 12 characters that follow it."""
    total = sum(int(char) * weight for weight, char in enumerate(digits, start=2))
    return UPN_CHECK_LETTERS[total % 23]


def upn_problem(value: str) -> str | None:
    """Why a UPN is invalid, in words a user can act on, or None when it is valid."""
    upn = normalise_upn(value)
    if not UPN_RE.match(upn):
        return "Enter a UPN as a letter followed by 12 digits, like V801200115001"
    if upn_check_letter(upn[1:]) != upn[0]:
        return "Enter a UPN with the right check letter: check it against the school's record"
    return None


def normalise_ni_number(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def ni_number_problem(value: str) -> str | None:
    """Why a National Insurance number is invalid, or None when it is valid."""
    ni = normalise_ni_number(value)
    if not NI_RE.match(ni):
        return "Enter a National Insurance number in the right format, like AB 12 34 56 C"
    return None


POSTCODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


def normalise_postcode(value: str) -> str:
    compact = re.sub(r"\s+", "", value or "").upper()
    if len(compact) > 3:
        return f"{compact[:-3]} {compact[-3:]}"
    return compact


def postcode_problem(value: str) -> str | None:
    if not POSTCODE_RE.match(normalise_postcode(value)):
        return "Enter a real postcode, like OX4 1AB"
    return None
