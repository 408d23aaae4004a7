"""Outcomes factories: shipped plans put in force, evidence, evaluations, and families in named
states under a shipped plan.

Everything with a history goes through `outcomes.services`: plans are stored by
`plans_load_shipped` and put in force by `plan_activate`; evidence is recorded by
`evidence_record` (as a partner file's row, unless a test says otherwise); families are evaluated
by the real engine through `families_evaluate`. `EvaluationFactory` is the one exception: a
stored evaluation written directly, for tests that only need one to exist.

Whether a family can be claimed for is the engine's answer, so the named states
(`ClaimableFamilyFactory`, `EligibleFamilyFactory`, ...) hold evidence that meets, or plainly does
not meet, the Oxfordshire phase 2 plan under any careful reading of it: domestic abuse call-outs
with a child present before attachment and none after, anti-social behaviour incidents in the
six months before attachment and none after, and, for continuous employment, an out-of-work
benefit (not JSA) open on the attachment date that ends the day before a job starts, after
attachment, with hours and earnings recorded.

The worked families for each shipped plan (`oxfordshire_family`, `worcestershire_family`, ...)
are the households the evaluation tests read, built from plain family rows as before.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from io import StringIO
from typing import Any

import factory
from django.core.management import call_command
from factory.django import DjangoModelFactory

from families.models import Family, Person
from families.services import system_actor
from outcomes.models import Evaluation, Evidence, PlanActivation, PlanVersion
from outcomes.selectors.plans import plan_in_force, term_calendar
from outcomes.services.evaluations import families_evaluate
from outcomes.services.evidence import evidence_record
from outcomes.services.plans import plan_activate, plans_load_shipped

from .families import (
    AttachedFamilyFactory,
    AttachedFamilyWithHistoryFactory,
    ChildFactory,
    ChildMembershipFactory,
    MembershipFactory,
    PersonFactory,
)

D = date.fromisoformat
TERMS = ("autumn", "spring", "summer")

# The plan the named states are written against, the day it comes into force, and the day the
# named states are evaluated on unless a test says otherwise (the claim date the claims tests use).
PLAN = "oxfordshire-phase-2"
PLAN_FROM = date(2015, 4, 1)
EVALUATED_ON = date(2016, 9, 30)


def _iso(value: date | str | None) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


# --- plans ----------------------------------------------------------------------------------------


class ShippedPlanFactory(DjangoModelFactory):
    """A plan version shipped in outcomes/plans/, stored by `plans_load_shipped` (once)."""

    class Meta:
        model = PlanVersion

    slug = PLAN

    @classmethod
    def _create(cls, model_class, *, slug):
        versions = {v.slug: v for v in plans_load_shipped(actor=system_actor())}
        return versions[slug]


class PlanActivationFactory(DjangoModelFactory):
    """A shipped plan put in force from a date by `plan_activate`."""

    class Meta:
        model = PlanActivation

    plan_version = factory.SubFactory(ShippedPlanFactory)
    effective_from = PLAN_FROM
    activated_by = factory.LazyFunction(system_actor)
    note = ""

    @classmethod
    def _create(cls, model_class, *, plan_version, effective_from, activated_by, note):
        return plan_activate(
            actor=activated_by, plan_version=plan_version, effective_from=effective_from, note=note
        )


def activate(slug: str, effective_from: str = "2012-04-01") -> PlanVersion:
    """Put a shipped plan in force from a date (ISO); returns the stored version."""
    return PlanActivationFactory(
        plan_version__slug=slug, effective_from=D(effective_from)
    ).plan_version


def plan_in_force_on(as_of: date, slug: str = PLAN) -> PlanVersion:
    """Make sure the shipped plan is the one in force on the date, activating it if no plan is."""
    version = plan_in_force(on=as_of)
    if version is None:
        version = PlanActivationFactory(
            plan_version__slug=slug, effective_from=min(PLAN_FROM, as_of)
        ).plan_version
    if version.slug != slug:
        raise ValueError(
            f"{version} is in force on {as_of}: the named families are written against {slug}"
        )
    return version


# --- evidence ---------------------------------------------------------------------------------------


class EvidenceFactory(DjangoModelFactory):
    """One evidence record recorded by `evidence_record`, by default as a partner file's row
    applied by the system. Subclasses give each kind its fields as parameters."""

    class Meta:
        model = Evidence

    kind = Evidence.Kind.SCHOOL_ATTENDANCE
    person = None
    family = None
    data = factory.Dict({})
    source = Evidence.Source.PARTNER_FILE
    source_name = "Partner data"
    actor = factory.LazyFunction(system_actor)

    @classmethod
    def _create(cls, model_class, *, actor, **fields):
        record, _ = evidence_record(actor=actor, **fields)
        return record


class SchoolAttendanceFactory(EvidenceFactory):
    """A term's attendance for a child: 95% (6 of 120 sessions missed) in summer 2015/16 unless given."""

    class Params:
        academic_year = "2015/16"
        term = "summer"
        possible_sessions = 120
        absent_sessions = 6

    kind = Evidence.Kind.SCHOOL_ATTENDANCE
    person = factory.SubFactory(ChildFactory)
    source_name = "Oxfordshire schools attendance return"
    data = factory.LazyAttribute(
        lambda o: {
            "academic_year": o.academic_year,
            "term": o.term,
            "possible_sessions": o.possible_sessions,
            "absent_sessions": o.absent_sessions,
        }
    )


class AsbIncidentFactory(EvidenceFactory):
    """An anti-social behaviour incident involving a person."""

    class Params:
        incident_date = date(2015, 3, 1)

    kind = Evidence.Kind.ASB_INCIDENTS
    person = factory.SubFactory(PersonFactory)
    source_name = "Thames Valley Police"
    data = factory.LazyAttribute(lambda o: {"incident_date": _iso(o.incident_date)})


class DomesticAbuseCalloutFactory(EvidenceFactory):
    """A police call-out to the family's home for domestic abuse, with a child present unless given."""

    class Params:
        callout_date = date(2015, 3, 1)
        child_present = True

    kind = Evidence.Kind.DOMESTIC_ABUSE_CALLOUTS
    family = factory.SubFactory(AttachedFamilyFactory)
    source_name = "Thames Valley Police"
    data = factory.LazyAttribute(
        lambda o: {"callout_date": _iso(o.callout_date), "child_present": o.child_present}
    )


class BenefitSpellFactory(EvidenceFactory):
    """A spell on an out-of-work benefit (ESA unless given), open unless it has an end date."""

    class Params:
        benefit = "ESA"
        start_date = date(2014, 10, 13)
        end_date = None
        out_of_work = True

    kind = Evidence.Kind.BENEFIT_SPELLS
    person = factory.SubFactory(PersonFactory)
    source_name = "DWP data share"
    data = factory.LazyAttribute(
        lambda o: {
            "benefit": o.benefit,
            "start_date": _iso(o.start_date),
            "end_date": _iso(o.end_date),
            "out_of_work": o.out_of_work,
        }
    )


class EmploymentSpellFactory(EvidenceFactory):
    """A job, with its hours and earnings, open unless it has an end date."""

    class Params:
        start_date = date(2015, 5, 29)
        end_date = None
        hours_per_week = 30
        monthly_earnings = 1400

    kind = Evidence.Kind.EMPLOYMENT_SPELLS
    person = factory.SubFactory(PersonFactory)
    source_name = "DWP data share"
    data = factory.LazyAttribute(
        lambda o: {
            "start_date": _iso(o.start_date),
            "end_date": _iso(o.end_date),
            "hours_per_week": o.hours_per_week,
            "monthly_earnings": o.monthly_earnings,
        }
    )


def record(kind: str, *, person=None, family=None, **data) -> Evidence:
    """Any kind of evidence with the fields given, recorded by the system (source "system")."""
    return evidence_record(
        actor=system_actor(), kind=kind, data=data, person=person, family=family, source="system"
    )[0]


def judgement(family, code: str, value: str, recorded_on: str) -> Evidence:
    """A keyworker's recorded judgement, stored directly: the evidence form offers a fixed list
    of judgement codes that does not include every code the shipped plans use."""
    return Evidence.objects.create(
        kind="judgement",
        family=family,
        data={"code": code, "value": value, "recorded_on": recorded_on},
        event_date=D(recorded_on),
        content_digest=f"{family.pk}:{code}:{value}:{recorded_on}",
        source=Evidence.Source.KEYWORKER,
    )


def attendance(child, first_year: int, absent: list[int], possible: int = 100) -> None:
    """Terms from autumn of first_year on, with the sessions missed in each (of 100)."""
    for i, missed in enumerate(absent):
        year = first_year + i // 3
        record(
            "school_attendance",
            person=child,
            academic_year=f"{year}/{(year + 1) % 100:02d}",
            term=TERMS[i % 3],
            possible_sessions=possible,
            absent_sessions=missed,
        )


# --- evaluating -------------------------------------------------------------------------------------


def evaluate(*families: Family, as_of: date = EVALUATED_ON, actor=None) -> dict[str, Any]:
    """Evaluate the families with the real engine under the plan in force (the nightly check's way)."""
    return families_evaluate(
        actor=actor or system_actor(), family_ids=[family.pk for family in families], as_of=as_of
    )


def run_json(*args: str) -> dict:
    """`run_eligibility --json` with the arguments given, read back."""
    out = StringIO()
    call_command("run_eligibility", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def _stored_result(family: Family, plan_version: PlanVersion, o) -> dict[str, Any]:
    """A result in the shape of docs/interfaces.md section 2, citing the evidence records given."""
    refs = [{"kind": e.kind, "id": e.pk} for e in o.evidence]
    outcome = "met" if o.claimable_results else "progressing"
    met_since = (o.as_of - timedelta(days=200)).isoformat() if o.claimable_results else None
    return {
        "family": family.reference,
        "as_of": o.as_of.isoformat(),
        "plan": {"slug": plan_version.slug, "version": plan_version.version},
        "eligible": o.eligible,
        "problems": [
            {
                "code": "school_attendance",
                "title": "Children who have not been attending school regularly",
                "identified": True,
                "outcome": outcome,
                "met_since": met_since,
                "criteria": [
                    {
                        "id": "attendance-above-90",
                        "status": outcome,
                        "explanation": "Attendance above 90% in each of 3 consecutive terms",
                        "evidence": refs,
                    }
                ],
                "missing": [] if o.claimable_results else ["Another term above 90%"],
            },
        ],
        "claimable": {
            "results": o.claimable_results,
            "continuous_employment": o.claimable_employment,
        },
        "blocking": [],
    }


class EvaluationFactory(DjangoModelFactory):
    """A stored evaluation written directly, made the family's current one: the result in the
    interface's shape (a school attendance problem met, citing one summer term's attendance of a
    child in the family), under the shipped Oxfordshire plan.

    Not what the engine would say about the family: use it only where a test needs a stored
    evaluation to exist. Whether a family can be claimed for comes from the named states below.
    """

    class Meta:
        model = Evaluation

    class Params:
        child = factory.LazyAttribute(
            lambda o: ChildMembershipFactory(family=o.family, start_date=date(2010, 1, 1)).person
        )
        evidence = factory.LazyAttribute(lambda o: [SchoolAttendanceFactory(person=o.child)])

    family = factory.SubFactory(AttachedFamilyFactory)
    plan_version = factory.SubFactory(ShippedPlanFactory)
    as_of = EVALUATED_ON
    eligible = True
    claimable_results = True
    claimable_employment = False
    result = factory.LazyAttribute(lambda o: _stored_result(o.family, o.plan_version, o))
    evidence_digest = factory.LazyAttribute(
        lambda o: hashlib.sha256(json.dumps(o.result, sort_keys=True).encode()).hexdigest()
    )
    problems_identified = 1
    problems_met = factory.LazyAttribute(lambda o: 1 if o.claimable_results else 0)
    is_current = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # One current evaluation per family: the new one takes over.
        model_class.objects.filter(family=kwargs["family"], is_current=True).update(
            is_current=False
        )
        return super()._create(model_class, *args, **kwargs)


# --- families in named states under the Oxfordshire phase 2 plan ------------------------------------


def _household(family: Family) -> tuple[Person, Person]:
    """An adult and a child who have lived together since 2010 (plain rows: the household is
    not the state the factory names)."""
    adult = PersonFactory(first_name="Kerry", last_name=family.name, date_of_birth=date(1982, 5, 1))
    child = ChildFactory(first_name="Liam", last_name=family.name, date_of_birth=date(2006, 9, 2))
    MembershipFactory(family=family, person=adult, start_date=date(2010, 1, 1))
    ChildMembershipFactory(family=family, person=child, start_date=date(2010, 1, 1))
    return adult, child


class PlanFamilyFactory(AttachedFamilyWithHistoryFactory):
    """An attached family (through `families.services`) with an adult and a child, whose partner
    data is written against the Oxfordshire phase 2 plan and evaluated by the real engine on
    `evaluated_on` (None: not evaluated). The evidence is dated from the attachment date (the
    identification date for a family not attached yet), so it reads the same for any family.

    What the evidence shows, per problem of the plan:
    - `domestic_abuse`: "met" (a call-out with a child present two months before attachment,
      none since), "not_met" (and another a month before `evaluated_on`), or None;
    - `crime_asb`: "met" (three incidents in the six months before attachment, none since) or None;
    - `school_attendance`: "met" (75% in the three terms before attachment, 95% in every term
      since) or None;
    - `continuous_employment`: True for ESA from before attachment until the day before a job
      starts four weeks after attachment (30 hours a week, £1,400 a month), still in it.

    The named states below choose these; a test may add `school_attendance="met"` or
    `continuous_employment=True` to any of them.
    """

    domestic_abuse = "met"
    crime_asb = "met"
    school_attendance = None
    continuous_employment = False
    evaluated_on = EVALUATED_ON

    @classmethod
    def _create(
        cls,
        model_class,
        *,
        domestic_abuse,
        crime_asb,
        school_attendance,
        continuous_employment,
        evaluated_on,
        **kwargs,
    ):
        family = super()._create(model_class, **kwargs)
        adult, child = _household(family)
        start = family.attached_on or family.identified_on
        system = system_actor()  # partner files are applied by the system, whoever made the family
        if domestic_abuse:
            DomesticAbuseCalloutFactory(
                family=family, callout_date=start - timedelta(days=60), actor=system
            )
        if domestic_abuse == "not_met":
            DomesticAbuseCalloutFactory(
                family=family,
                callout_date=(evaluated_on or EVALUATED_ON) - timedelta(days=30),
                actor=system,
            )
        if crime_asb:
            for days in (30, 90, 150):
                AsbIncidentFactory(
                    person=adult, incident_date=start - timedelta(days=days), actor=system
                )
        if school_attendance:
            _attendance_that_improves(child, start, evaluated_on or EVALUATED_ON, system)
        if continuous_employment:
            job_starts = start + timedelta(days=28)
            BenefitSpellFactory(
                person=adult,
                start_date=start - timedelta(days=200),
                end_date=job_starts - timedelta(days=1),
                actor=system,
            )
            EmploymentSpellFactory(person=adult, start_date=job_starts, actor=system)
        if evaluated_on is not None:
            plan_in_force_on(evaluated_on)
            evaluate(family, as_of=evaluated_on, actor=system)
        return family

    @classmethod
    def create_batch(cls, size, **kwargs):
        """Several families, evaluated together in one run (as the nightly check would)."""
        evaluated_on = kwargs.pop("evaluated_on", cls._meta.declarations["evaluated_on"])
        families = super().create_batch(size, evaluated_on=None, **kwargs)
        if evaluated_on is not None and families:
            plan_in_force_on(evaluated_on)
            evaluate(*families, as_of=evaluated_on)
        return families


def _attendance_that_improves(child: Person, start: date, until: date, actor) -> None:
    """75% attendance (30 of 120 missed) in the three terms that ended by `start`, then 95% (6 of
    120) in every term after them that has ended by `until`, including one running over `start`."""
    terms = term_calendar()
    last_before = terms.last_ended_by(start).index
    last = terms.last_ended_by(until).index
    for index in range(last_before - 2, last + 1):
        term = terms.by_index(index)
        SchoolAttendanceFactory(
            person=child,
            academic_year=term.academic_year,
            term=term.name,
            absent_sessions=30 if index <= last_before else 6,
            actor=actor,
        )


class ClaimableFamilyFactory(PlanFamilyFactory):
    """Claimable for a results payment: domestic abuse and anti-social behaviour, both met."""


class EligibleFamilyFactory(PlanFamilyFactory):
    """Eligible but not claimable: anti-social behaviour met, domestic abuse not (a call-out a month
    before the evaluation). Can be claimed for its attachment fee only."""

    domestic_abuse = "not_met"


class EmploymentClaimableFamilyFactory(PlanFamilyFactory):
    """Claimable for continuous employment only: the adult moved off ESA into work, domestic abuse
    is not met, so no results payment."""

    domestic_abuse = "not_met"
    continuous_employment = True


class IneligibleFamilyFactory(PlanFamilyFactory):
    """Not eligible: one problem (anti-social behaviour, met) where the plan needs two."""

    domestic_abuse = None


class IdentifiedEligibleFamilyFactory(PlanFamilyFactory):
    """Identified, not attached: eligible (domestic abuse and anti-social behaviour in the year
    before the evaluation) but not claimable, as work with the family has not started."""

    status = Family.Status.IDENTIFIED
    identified_on = date(2016, 6, 1)
    attached_on = None


# --- worked families, one per shipped plan (the evaluation tests' households) ---------------------


def household(
    reference: str, *, attached: str = "2015-09-01", child_born: str = "2006-09-02", keyworker=None
):
    """An attached family with an adult and a child who have lived together since 2010."""
    kwargs = {"lead_keyworker": keyworker} if keyworker is not None else {}
    family = AttachedFamilyFactory(
        reference=reference, identified_on=D(attached), attached_on=D(attached), **kwargs
    )
    adult = PersonFactory(date_of_birth=D("1982-05-01"))
    child = ChildFactory(date_of_birth=D(child_born))
    MembershipFactory(family=family, person=adult, start_date=D("2010-01-01"))
    ChildMembershipFactory(family=family, person=child, start_date=D("2010-01-01"))
    return family, adult, child


def oxfordshire_family(reference: str = "F-000123", **kw):
    """Oxfordshire phase 2: attendance 80% in the three terms before attachment (identified:
    below 90%), then 95% in each term of 2015/16 (met: above 90% in each of 3 consecutive terms,
    known when the summer term ends on 22 July 2016); a police call-out with a child present in
    June 2015 (identified) and none since (met: no further reports in the last 6 months)."""
    family, adult, child = household(reference, **kw)
    attendance(child, 2014, [20, 20, 20, 5, 5, 5])
    record("domestic_abuse_callouts", family=family, callout_date="2015-06-01", child_present=True)
    return family


def worcestershire_family(
    reference: str = "F-000201", *, absence_after: int = 8, lead_worker_judgement: bool = True, **kw
):
    """Worcestershire 2015/16: 20% absence before attachment (identified: at or above 15%), then
    `absence_after`% in each term of 2015/16 (met when below the threshold: 15%, 10% for claims
    from April 2016); three ASB incidents in the 6 months before attachment and none since (met:
    a reduction of at least 66%); and the lead worker's judgement that progress will last, which
    every Worcestershire results claim needs."""
    family, adult, child = household(reference, **kw)
    attendance(child, 2014, [20, 20, 20, absence_after, absence_after, absence_after])
    for day in ("2015-04-10", "2015-06-10", "2015-08-10"):
        record("asb_incidents", person=adult, incident_date=day)
    if lead_worker_judgement:
        # Worcestershire's claim condition: the lead worker judges the progress sustainable.
        judgement(family, "lead_worker_progress_confirmed", "yes", "2016-09-01")
    return family


def national_family(reference: str = "F-000301", **kw):
    """National phase 1: ASB before attachment and none since (crime met), 20% absence before and
    10% since (education met: below 15%), an adult on JSA throughout (worklessness identified, not
    met). A results claim needs crime and education only (results_require), so it is claimable."""
    family, adult, child = household(reference, **kw)
    attendance(child, 2014, [20, 20, 20, 10, 10, 10])
    for day in ("2015-02-10", "2015-07-10"):
        record("asb_incidents", person=adult, incident_date=day)
    record("benefit_spells", person=adult, benefit="JSA", start_date="2014-01-06", out_of_work=True)
    return family


def supporting_families_family(reference: str = "F-000401", **kw):
    """Supporting Families example, 2022-23: absence 20% before attachment and 5% since (met: below
    10% in each term), ASB before and none since (met: 60% reduction), an adult on JSA throughout
    (worklessness identified, not met). Every identified problem must be met: not claimable, and
    worklessness is the one thing blocking a results claim."""
    family, adult, child = household(
        reference, attached="2022-09-01", child_born="2012-09-02", **kw
    )
    attendance(child, 2021, [20, 20, 20, 5, 5, 5])
    for day in ("2022-03-10", "2022-06-10"):
        record("asb_incidents", person=adult, incident_date=day)
    record("benefit_spells", person=adult, benefit="JSA", start_date="2021-01-04", out_of_work=True)
    return family
