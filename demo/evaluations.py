"""Claimable families in bulk, evaluated for real: what the claims benchmark drafts from.

`claimable_families` writes attached families (an adult and a child) whose partner data meets the Oxfordshire phase 2
plan (a domestic abuse call-out with a child present two months before attachment and none
since; three anti-social behaviour incidents in the six months before attachment and none
since), then evaluates them with the real engine through `families_evaluate`. Each family ends
with a current evaluation that is claimable for a results payment and cites the evidence records
it rests on, as the nightly check leaves it, so drafting and snapshots work on real results.

Like `generate_synthetic`, it writes the families, people and evidence in bulk: no row history
and no timeline events. It is for volume, not for showing a family's story.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from families.models import Family, Membership, Person
from families.services import system_actor
from outcomes.models import Evidence
from outcomes.selectors.plans import plan_in_force, term_calendar
from outcomes.services.evaluations import families_evaluate
from outcomes.services.evidence import evidence_prepare
from outcomes.services.plans import plan_activate, plans_load_shipped

from .evidence import PLAN_SLUG, SOURCES

IDENTIFIED_ON = date(2015, 4, 1)
ATTACHED_ON = date(2015, 5, 1)
ADULT_BORN = date(1982, 5, 1)
CHILD_BORN = date(2008, 9, 1)  # a family has a child under 18 at attachment
LIVED_TOGETHER_FROM = date(2010, 1, 1)


def _evidence(kind: str, data: dict, *, person_id=None, family_id=None) -> Evidence:
    prepared = evidence_prepare(
        kind=kind, data=data, person_id=person_id, family_id=family_id, terms=term_calendar()
    )
    return Evidence(
        kind=kind,
        person_id=person_id,
        family_id=family_id,
        data=prepared.data,
        event_date=prepared.event_date,
        end_date=prepared.end_date,
        natural_key=prepared.natural_key,
        content_digest=prepared.content_digest,
        source=Evidence.Source.PARTNER_FILE,
        source_name=SOURCES[kind],
    )


def _ensure_plan() -> None:
    """Put the Oxfordshire plan in force from a year before the families were identified, if no
    plan is in force then (the phase a family is paid at is the one in force at attachment)."""
    effective_from = date(IDENTIFIED_ON.year - 1, IDENTIFIED_ON.month, 1)
    if plan_in_force(on=effective_from) is not None:
        return
    system = system_actor()
    version = next(v for v in plans_load_shipped(actor=system) if v.slug == PLAN_SLUG)
    plan_activate(actor=system, plan_version=version, effective_from=effective_from)


def claimable_families(
    *, count: int, as_of: date, prefix: str = "F-B", start: int = 0, batch_size: int = 1000
) -> list[Family]:
    """`count` attached families, references `prefix` + a 7-digit number from `start`, whose
    evidence meets the Oxfordshire phase 2 plan, evaluated on `as_of` (the plan is put in force
    first if no plan is). Returns the families."""
    _ensure_plan()
    plan = plan_in_force(on=as_of)
    if plan is None or plan.slug != PLAN_SLUG:
        raise ValueError(f"The families are written for {PLAN_SLUG}, but {plan} is in force")
    families: list[Family] = []
    for first in range(start, start + count, batch_size):
        numbers = range(first, min(start + count, first + batch_size))
        with transaction.atomic():
            chunk = Family.objects.bulk_create(
                [
                    Family(
                        reference=f"{prefix}{n:07d}",
                        name="Bench",
                        status=Family.Status.ATTACHED,
                        identified_on=IDENTIFIED_ON,
                        attached_on=ATTACHED_ON,
                    )
                    for n in numbers
                ]
            )
            adults = Person.objects.bulk_create(
                [
                    Person(
                        reference=f"P{prefix[1:]}{n:07d}",
                        first_name="Alex",
                        last_name="Bench",
                        date_of_birth=ADULT_BORN,
                    )
                    for n in numbers
                ]
            )
            children = Person.objects.bulk_create(
                [
                    Person(
                        reference=f"C{prefix[1:]}{n:07d}",
                        first_name="Sam",
                        last_name="Bench",
                        date_of_birth=CHILD_BORN,
                    )
                    for n in numbers
                ]
            )
            Membership.objects.bulk_create(
                [
                    Membership(family=family, person=person, role=role, start_date=start)
                    for family, adult, child in zip(chunk, adults, children, strict=True)
                    for person, role, start in (
                        (adult, Membership.Role.ADULT, LIVED_TOGETHER_FROM),
                        (child, Membership.Role.CHILD, CHILD_BORN),
                    )
                ]
            )
            records = []
            for family, adult in zip(chunk, adults, strict=True):
                callout = ATTACHED_ON - timedelta(days=60)
                records.append(
                    _evidence(
                        "domestic_abuse_callouts",
                        {"callout_date": callout.isoformat(), "child_present": True},
                        family_id=family.pk,
                    )
                )
                for days in (30, 90, 150):
                    incident = ATTACHED_ON - timedelta(days=days)
                    records.append(
                        _evidence(
                            "asb_incidents",
                            {"incident_date": incident.isoformat()},
                            person_id=adult.pk,
                        )
                    )
            Evidence.objects.bulk_create(records)
        families.extend(chunk)
    families_evaluate(actor=system_actor(), family_ids=[f.pk for f in families], as_of=as_of)
    return families
