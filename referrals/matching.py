"""Matching a partner's row to a person the product holds.

In order, the first that finds someone wins (docs/interfaces.md §1):

1. ``person_ref``: the product's own person reference;
2. ``upn``: Unique Pupil Number;
3. ``ni_number``: National Insurance number;
4. exact normalised name (case and spaces ignored) + date of birth + postcode, where the
   postcode is that of a family the person is (or was) a member of. Two or more people
   matching here is no match: it needs a person to decide.

A row that matches nobody is kept as unmatched and retried when people are added. Scored
fuzzy candidates for a person to confirm come later (the review queue).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Value
from django.db.models.functions import Lower, Replace

from families.models import Person

from .importing import Identity

BY_REFERENCE = "person_ref"
BY_UPN = "upn"
BY_NI_NUMBER = "ni_number"
BY_NAME_DOB_POSTCODE = "name_dob_postcode"


@dataclass(frozen=True)
class Match:
    person: Person | None
    matched_by: str = ""


def _compact(text: str) -> str:
    return "".join(text.split()).lower()


def match_person(identity: Identity) -> Match:
    """The person a row is about, and which identifier found them; Match(None) when nobody."""
    if identity.person_ref:
        person = Person.objects.filter(reference__iexact=identity.person_ref).first()
        if person is not None:
            return Match(person, BY_REFERENCE)
    if identity.upn:
        person = Person.objects.filter(upn=identity.upn).first()
        if person is not None:
            return Match(person, BY_UPN)
    if identity.ni_number:
        person = Person.objects.filter(ni_number=identity.ni_number).first()
        if person is not None:
            return Match(person, BY_NI_NUMBER)
    if identity.first_name and identity.last_name and identity.date_of_birth and identity.postcode:
        candidates = list(
            Person.objects.annotate(
                first=Lower(Replace(F("first_name"), Value(" "), Value(""))),
                last=Lower(Replace(F("last_name"), Value(" "), Value(""))),
            )
            .filter(
                first=_compact(identity.first_name),
                last=_compact(identity.last_name),
                date_of_birth=identity.date_of_birth,
                memberships__family__postcode=identity.postcode,
            )
            .distinct()[:2]
        )
        if len(candidates) == 1:
            return Match(candidates[0], BY_NAME_DOB_POSTCODE)
    return Match(None)
