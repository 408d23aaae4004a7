"""Demo evidence: each demo family's partner data and keyworker judgements, then an evaluation.

Called by `seed_demo` and `generate_synthetic` after the families exist (`demo.seeding`). For each problem a family was identified with, it writes
the *baseline* that identifies it under the Oxfordshire phase 2 plan (attendance below 90%
over three terms, ASB incidents, offences, domestic abuse call-outs with a child present,
out-of-work benefit spells, a Child in Need or Child Protection plan for neglect, drug or
alcohol treatment), and, for families attached to the programme, what happened after
attachment, following a scenario drawn for the family:

- ``claimable``: every problem's outcome met (attendance above 90% for three terms, no
  further incidents, continuous employment, treatment completed and sustained...);
- ``near_miss``: every problem met but one, which is one step short (two good terms of
  three, eleven weeks of a thirteen-week job, treatment completed too recently);
- ``progressing``: some problems met, the others moving the right way;
- ``not_met``: at least one problem clearly not met (attendance still low, further call-outs,
  treatment dropped, a child escalated to a Child Protection plan).

Rows are computed once (`evidence_prepare`, the service's own natural keys and digests) and
written through `evidence_record` for the demo (so the timeline shows keyworker judgements)
or with PostgreSQL COPY for synthetic volumes.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from families.models import Family, FamilyProblem, Membership
from families.services import system_actor
from outcomes.engine.terms import TermCalendar
from outcomes.models import Evidence
from outcomes.selectors.plans import plan_in_force
from outcomes.services.evaluations import families_evaluate
from outcomes.services.evidence import evidence_prepare, evidence_record
from outcomes.services.plans import plan_activate, plans_load_shipped

from .council import DEMO_HORIZON

HORIZON = DEMO_HORIZON
PLAN_SLUG = "oxfordshire-phase-2"
PLAN_FROM = date(2015, 1, 1)
SCENARIOS = (("claimable", 30), ("near_miss", 20), ("progressing", 25), ("not_met", 25))
TERMS = TermCalendar()

SOURCES = {
    "school_attendance": "Oxfordshire schools attendance return",
    "exclusions": "Oxfordshire schools exclusions return",
    "offences": "Thames Valley Police",
    "asb_incidents": "Thames Valley Police",
    "domestic_abuse_callouts": "Thames Valley Police",
    "benefit_spells": "DWP data share",
    "employment_spells": "DWP data share",
    "work_activity": "Jobcentre Plus",
    "neet_status": "Oxfordshire youth support",
    "child_plans": "Children's Social Care",
    "treatment": "Turning Point substance misuse service",
}


@dataclass
class Item:
    kind: str
    person_id: int | None
    data: dict
    family_id: int | None = None


@dataclass
class Member:
    person_id: int
    role: str
    date_of_birth: date | None
    ni_number: str
    upn: str
    start: date
    end: date | None


def _age(dob: date | None, on: date) -> int:
    if dob is None:
        return 30
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _day(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _terms_before(on: date, count: int):
    last = TERMS.last_ended_by(on).index
    return [TERMS.by_index(i) for i in range(last - count + 1, last + 1)]


def _terms_after(start: date, until: date):
    first = TERMS.last_ended_by(start).index + 1
    terms = []
    index = first
    while True:
        term = TERMS.by_index(index)
        if term.end > until:
            return terms
        if term.start >= start - timedelta(days=20):
            terms.append(term)
        index += 1


def _attendance(rng, person_id, term, pct: float, school: str) -> Item:
    possible = rng.choice([116, 124, 130, 136, 140])
    absent = max(0, min(possible, round(possible * (100 - pct) / 100)))
    return Item(
        "school_attendance",
        person_id,
        {
            "academic_year": term.academic_year,
            "term": term.name,
            "possible_sessions": possible,
            "absent_sessions": absent,
            "school": school,
        },
    )


SCHOOLS = [
    "Cherwell School",
    "The Warriner School",
    "Larkrise Primary",
    "Bicester Learning Academy",
    "Oxford Spires Academy",
    "Wood Farm Primary",
]


# --- per problem: baseline and what happened after attachment ---------------------------------------------


def _school_attendance(rng, fam, result) -> list[Item]:
    pupils = [m for m in fam.members if m.upn and 5 <= _age(m.date_of_birth, fam.ref) <= 15]
    if not pupils:
        return []
    items = []
    for pupil in pupils[: rng.randint(1, 2)]:
        school = rng.choice(SCHOOLS)
        for term in _terms_before(fam.ref, 3):
            items.append(_attendance(rng, pupil.person_id, term, rng.uniform(74, 88.5), school))
        if fam.attached_on is None:
            continue
        after = _terms_after(fam.attached_on, HORIZON)
        for i, term in enumerate(after):
            if result == "met":
                pct = rng.uniform(91.5, 98)
            elif result == "almost":  # the latest term dips below: two of three
                pct = rng.uniform(86, 89) if i == len(after) - 1 else rng.uniform(91.5, 96)
            elif result == "partial":
                pct = min(95.0, 85 + 3 * i + rng.uniform(0, 2))
            else:
                pct = rng.uniform(72, 87)
            items.append(_attendance(rng, pupil.person_id, term, pct, school))
    return items


def _events_window(fam) -> tuple[date, date]:
    """When baseline incidents happen: in the months before attachment, while the household was together."""
    end = (fam.attached_on or HORIZON) - timedelta(days=1)
    start = max(fam.identified_on, end - timedelta(days=170))
    return start, end


def _crime_asb(rng, fam, result) -> list[Item]:
    start, end = _events_window(fam)
    teens = [
        m for m in fam.members if m.role == "child" and 10 <= _age(m.date_of_birth, fam.ref) <= 17
    ]
    adults = [m for m in fam.members if m.role == "adult"]
    items = []
    if teens:
        teen = rng.choice(teens)
        baseline = rng.randint(3, 5)
        for _ in range(baseline):
            items.append(
                Item(
                    "asb_incidents",
                    teen.person_id,
                    {
                        "incident_date": _iso(_day(rng, start, end)),
                        "source": rng.choice(["police", "housing"]),
                        "sanction": rng.choice(
                            ["", "", "ASB warning letter", "Acceptable behaviour contract"]
                        ),
                    },
                )
            )
        items.append(
            Item(
                "offences",
                teen.person_id,
                {
                    "offence_date": _iso(_day(rng, start, end)),
                    "proven": True,
                    "serious": False,
                    "description": rng.choice(
                        ["Criminal damage", "Theft from a shop", "Possession of cannabis"]
                    ),
                },
            )
        )
        after = {"met": 0, "almost": baseline * 2 // 5 + 1, "partial": 1, "not_met": baseline}.get(
            result, 0
        )
        after = min(after, baseline)
        offences_after = 1 if result == "not_met" else 0
    elif adults:
        adult = rng.choice(adults)
        items.append(
            Item(
                "offences",
                adult.person_id,
                {
                    "offence_date": _iso(_day(rng, start, end)),
                    "proven": True,
                    "serious": rng.random() < 0.2,
                    "description": rng.choice(
                        ["Public order offence", "Common assault", "Drink driving"]
                    ),
                },
            )
        )
        teen, after = adult, 0
        offences_after = 1 if result in ("not_met", "almost") else 0
    else:
        return []
    if fam.attached_on is None:
        return items
    window_end = min(HORIZON, fam.attached_on + timedelta(days=180))
    for _ in range(after):
        items.append(
            Item(
                "asb_incidents",
                teen.person_id,
                {
                    "incident_date": _iso(_day(rng, fam.attached_on, window_end)),
                    "source": "police",
                    "sanction": "",
                },
            )
        )
    for _ in range(offences_after):
        # Late in the work: "no further offences for 6 months" is not yet met.
        when = _day(
            rng, max(fam.attached_on, HORIZON - timedelta(days=120)), HORIZON - timedelta(days=5)
        )
        items.append(
            Item(
                "offences",
                teen.person_id,
                {
                    "offence_date": _iso(when),
                    "proven": True,
                    "serious": False,
                    "description": "Theft from a shop",
                },
            )
        )
    return items


def _domestic_abuse(rng, fam, result) -> list[Item]:
    adults = [m for m in fam.members if m.role == "adult"]
    if not adults:
        return []
    victim = adults[0]
    start, end = _events_window(fam)
    items = [
        Item(
            "domestic_abuse_callouts",
            victim.person_id,
            {
                "callout_date": _iso(_day(rng, start, end)),
                "child_present": True,
                "civil_injunction_support": rng.random() < 0.3,
            },
        )
        for _ in range(rng.randint(1, 3))
    ]
    if fam.attached_on is not None and result in ("not_met", "almost", "partial"):
        # A further report: recently for "not met", earlier (now nearly clear) for the others.
        if result == "not_met":
            when = _day(
                rng, max(fam.attached_on, HORIZON - timedelta(days=90)), HORIZON - timedelta(days=3)
            )
        else:
            when = _day(
                rng,
                max(fam.attached_on, HORIZON - timedelta(days=200)),
                HORIZON - timedelta(days=150),
            )
        if when >= fam.attached_on:
            items.append(
                Item(
                    "domestic_abuse_callouts",
                    victim.person_id,
                    {
                        "callout_date": _iso(when),
                        "child_present": rng.random() < 0.5,
                        "civil_injunction_support": False,
                    },
                )
            )
    return items


def _worklessness(rng, fam, result) -> list[Item]:
    adults = [
        m for m in fam.members if m.role == "adult" and 18 <= _age(m.date_of_birth, fam.ref) < 64
    ]
    if not adults:
        return []
    adult = adults[0]
    benefit = rng.choices(["ESA", "IS", "JSA", "UC"], [35, 30, 25, 10])[0]
    claim_start = fam.identified_on - timedelta(days=rng.randint(200, 1400))
    items = []
    if fam.attached_on is None or result in ("not_met", "partial"):
        items.append(
            Item(
                "benefit_spells",
                adult.person_id,
                {
                    "benefit": benefit,
                    "start_date": _iso(claim_start),
                    "end_date": None,
                    "out_of_work": True,
                },
            )
        )
        if fam.attached_on is not None and result == "partial" and benefit != "JSA":
            begins = _day(rng, fam.attached_on + timedelta(days=14), HORIZON - timedelta(days=60))
            items.append(
                Item(
                    "work_activity",
                    adult.person_id,
                    {
                        "activity": rng.choice(["volunteering", "training"]),
                        "start_date": _iso(begins),
                        "end_date": None,
                    },
                )
            )
        return items
    weeks = 26 if benefit == "JSA" else 13
    latest_start = HORIZON - timedelta(weeks=weeks + 4)
    job_start = _day(
        rng,
        fam.attached_on + timedelta(days=30),
        max(fam.attached_on + timedelta(days=30), latest_start),
    )
    if job_start > latest_start and result == "met":
        # Too late in the demo for a sustained job: work-related activity instead.
        items.append(
            Item(
                "benefit_spells",
                adult.person_id,
                {
                    "benefit": benefit if benefit != "JSA" else "ESA",
                    "start_date": _iso(claim_start),
                    "end_date": None,
                    "out_of_work": True,
                },
            )
        )
        items.append(
            Item(
                "work_activity",
                adult.person_id,
                {
                    "activity": "volunteering",
                    "start_date": _iso(fam.attached_on + timedelta(days=7)),
                    "end_date": None,
                },
            )
        )
        return items
    items.append(
        Item(
            "benefit_spells",
            adult.person_id,
            {
                "benefit": benefit,
                "start_date": _iso(claim_start),
                "end_date": _iso(job_start - timedelta(days=1)),
                "out_of_work": True,
            },
        )
    )
    job_end = None
    if result == "almost":  # the job lasted a few weeks short of the sustain period
        job_end = min(HORIZON, job_start + timedelta(weeks=weeks - 2))
    items.append(
        Item(
            "employment_spells",
            adult.person_id,
            {
                "start_date": _iso(job_start),
                "end_date": _iso(job_end),
                "hours_per_week": float(rng.choice([16, 20, 25, 30, 37.5])),
                "monthly_earnings": float(rng.choice([690, 850, 1100, 1450])),
            },
        )
    )
    if job_end is not None and job_end < HORIZON:
        items.append(
            Item(
                "benefit_spells",
                adult.person_id,
                {
                    "benefit": benefit,
                    "start_date": _iso(job_end + timedelta(days=1)),
                    "end_date": None,
                    "out_of_work": True,
                },
            )
        )
    return items


def _children_need_help(rng, fam, result) -> list[Item]:
    children = [m for m in fam.members if m.role == "child" and _age(m.date_of_birth, fam.ref) < 17]
    if not children:
        return []
    child = rng.choice(children)
    plan = "CP" if rng.random() < 0.3 else "CIN"
    began = fam.identified_on - timedelta(days=rng.randint(30, 300))
    items = []
    if fam.attached_on is None:
        return [
            Item(
                "child_plans",
                child.person_id,
                {"plan": plan, "category": "neglect", "start_date": _iso(began), "end_date": None},
            )
        ]
    change = _day(
        rng,
        fam.attached_on + timedelta(days=40),
        max(fam.attached_on + timedelta(days=40), HORIZON - timedelta(days=200)),
    )
    if plan == "CP":
        if result in ("met", "partial"):
            items.append(
                Item(
                    "child_plans",
                    child.person_id,
                    {
                        "plan": "CP",
                        "category": "neglect",
                        "start_date": _iso(began),
                        "end_date": _iso(change),
                    },
                )
            )
            items.append(
                Item(
                    "child_plans",
                    child.person_id,
                    {
                        "plan": "CIN",
                        "category": "neglect",
                        "start_date": _iso(change + timedelta(days=1)),
                        "end_date": None,
                    },
                )
            )
        elif result == "almost":  # stepped down recently: not yet held for six months
            recent = _day(
                rng,
                max(fam.attached_on, HORIZON - timedelta(days=100)),
                HORIZON - timedelta(days=10),
            )
            items.append(
                Item(
                    "child_plans",
                    child.person_id,
                    {
                        "plan": "CP",
                        "category": "neglect",
                        "start_date": _iso(began),
                        "end_date": _iso(recent),
                    },
                )
            )
            items.append(
                Item(
                    "child_plans",
                    child.person_id,
                    {
                        "plan": "CIN",
                        "category": "neglect",
                        "start_date": _iso(recent + timedelta(days=1)),
                        "end_date": None,
                    },
                )
            )
        else:
            items.append(
                Item(
                    "child_plans",
                    child.person_id,
                    {
                        "plan": "CP",
                        "category": "neglect",
                        "start_date": _iso(began),
                        "end_date": None,
                    },
                )
            )
        return items
    if result == "not_met":  # escalated to a Child Protection plan
        items.append(
            Item(
                "child_plans",
                child.person_id,
                {
                    "plan": "CIN",
                    "category": "neglect",
                    "start_date": _iso(began),
                    "end_date": _iso(change),
                },
            )
        )
        items.append(
            Item(
                "child_plans",
                child.person_id,
                {
                    "plan": "CP",
                    "category": "neglect",
                    "start_date": _iso(change + timedelta(days=1)),
                    "end_date": None,
                },
            )
        )
    else:
        ended = change if result == "met" and rng.random() < 0.5 else None
        items.append(
            Item(
                "child_plans",
                child.person_id,
                {
                    "plan": "CIN",
                    "category": "neglect",
                    "start_date": _iso(began),
                    "end_date": _iso(ended),
                },
            )
        )
    return items


def _health(rng, fam, result) -> list[Item]:
    adults = [m for m in fam.members if m.role == "adult"]
    if not adults:
        return []
    adult = rng.choice(adults)
    substance = rng.choice(["alcohol", "drug"])
    began = _day(
        rng,
        fam.identified_on - timedelta(days=120),
        (fam.attached_on or HORIZON) - timedelta(days=1),
    )
    items = []
    if fam.attached_on is None:
        return [
            Item(
                "treatment",
                adult.person_id,
                {
                    "substance": substance,
                    "start_date": _iso(began),
                    "end_date": None,
                    "outcome": "ongoing",
                },
            )
        ]
    if result == "met":
        ended = _day(
            rng,
            max(began + timedelta(days=60), fam.attached_on + timedelta(days=30)),
            max(began + timedelta(days=60), HORIZON - timedelta(days=200)),
        )
        outcome = "completed"
    elif result == "almost":  # completed, but the six months have not passed yet
        ended = _day(
            rng, max(fam.attached_on, HORIZON - timedelta(days=120)), HORIZON - timedelta(days=10)
        )
        outcome = "completed"
    elif result == "partial":
        ended, outcome = None, "ongoing"
    else:
        ended = _day(
            rng,
            fam.attached_on + timedelta(days=14),
            max(fam.attached_on + timedelta(days=14), HORIZON - timedelta(days=30)),
        )
        outcome = "dropped_out"
    ended = max(ended, began) if ended else None
    items.append(
        Item(
            "treatment",
            adult.person_id,
            {
                "substance": substance,
                "start_date": _iso(began),
                "end_date": _iso(ended),
                "outcome": outcome,
            },
        )
    )
    return items


GENERATORS = {
    "school_attendance": _school_attendance,
    "crime_asb": _crime_asb,
    "domestic_abuse": _domestic_abuse,
    "worklessness": _worklessness,
    "children_need_help": _children_need_help,
    "health": _health,
}


@dataclass
class FamilyFacts:
    family_id: int
    reference: str
    status: str
    identified_on: date
    attached_on: date | None
    keyworker_id: int | None
    members: list[Member]
    problems: list[str]

    @property
    def ref(self) -> date:
        return self.attached_on or min(HORIZON, self.identified_on + timedelta(days=30))


def scenario_for(rng: random.Random, fam: FamilyFacts) -> str:
    if fam.attached_on is None:
        return "baseline"
    return rng.choices([s for s, _ in SCENARIOS], [w for _, w in SCENARIOS])[0]


def results_for(rng: random.Random, scenario: str, problems: list[str]) -> dict[str, str]:
    """Each problem's result ("met", "almost", "partial", "not_met") for the family's scenario."""
    if scenario == "baseline":
        return {code: "baseline" for code in problems}
    results = {code: "met" for code in problems}
    if not problems or scenario == "claimable":
        return results
    pick = rng.choice(problems)
    if scenario == "near_miss":
        results[pick] = "almost"
    elif scenario == "progressing":
        for code in problems:
            results[code] = rng.choice(["met", "partial"])
        results[pick] = "partial"
    else:
        for code in problems:
            results[code] = rng.choice(["met", "partial"])
        results[pick] = "not_met"
    return results


def family_items(rng: random.Random, fam: FamilyFacts) -> tuple[str, list[Item]]:
    """The family's scenario and every evidence row it gets (no database access)."""
    scenario = scenario_for(rng, fam)
    results = results_for(rng, scenario, fam.problems)
    items: list[Item] = []
    for code in fam.problems:
        generator = GENERATORS.get(code)
        if generator is not None:
            items.extend(generator(rng, fam, results[code]))
    if fam.attached_on is not None and fam.keyworker_id:
        # The keyworker's Early Help Assessment impact judgement about the whole family.
        value = {
            "claimable": "significant",
            "near_miss": "moderate",
            "progressing": "moderate",
        }.get(scenario, "minor")
        on = min(HORIZON, fam.attached_on + timedelta(days=rng.randint(90, 200)))
        items.append(
            Item(
                "judgement",
                None,
                {"code": "eha_impact", "value": value, "recorded_on": _iso(on)},
                family_id=fam.family_id,
            )
        )
    return scenario, [item for item in items if _dated_ok(item)]


def _dated_ok(item: Item) -> bool:
    """Nothing after the demo's "now"; spells end on or after they start."""
    for value in item.data.values():
        if (
            isinstance(value, str)
            and len(value) == 10
            and value[4] == "-"
            and value > HORIZON.isoformat()
        ):
            return False
    start, end = item.data.get("start_date"), item.data.get("end_date")
    return not (start and end and end < start)


# --- loading the families' facts and writing --------------------------------------------------------------


def _facts(families: list[Family]) -> list[FamilyFacts]:
    ids = [f.pk for f in families]
    members: dict[int, list[Member]] = defaultdict(list)
    rows = Membership.objects.filter(family_id__in=ids).values_list(
        "family_id",
        "person_id",
        "role",
        "person__date_of_birth",
        "person__ni_number",
        "person__upn",
        "start_date",
        "end_date",
    )
    for family_id, person_id, role, dob, ni, upn, start, end in rows:
        members[family_id].append(Member(person_id, role, dob, ni, upn, start, end))
    problems: dict[int, list[str]] = defaultdict(list)
    for family_id, code in FamilyProblem.objects.filter(family_id__in=ids).values_list(
        "family_id", "problem_id"
    ):
        problems[family_id].append(code)
    facts = []
    for family in Family.objects.filter(pk__in=ids).order_by("reference"):
        present = [
            m
            for m in members[family.pk]
            if m.start <= family.identified_on and (m.end is None or m.end >= HORIZON)
        ]
        facts.append(
            FamilyFacts(
                family.pk,
                family.reference,
                family.status,
                family.identified_on,
                family.attached_on,
                family.lead_keyworker_id,
                present or members[family.pk],
                sorted(problems[family.pk]),
            )
        )
    return facts


def _write_with_services(
    facts: list[FamilyFacts], plan: list[tuple[FamilyFacts, list[Item]]]
) -> int:
    from families.models import User

    keyworkers = {
        u.pk: u
        for u in User.objects.filter(pk__in={f.keyworker_id for f in facts if f.keyworker_id})
    }
    families = {f.pk: f for f in Family.objects.filter(pk__in=[f.family_id for f in facts])}
    written = 0
    for fam, items in plan:
        with transaction.atomic():
            for item in items:
                if item.kind == "judgement":
                    family = families[fam.family_id]
                    keyworker = keyworkers.get(fam.keyworker_id)
                    if family.status == Family.Status.CLOSED or keyworker is None:
                        evidence_record(
                            actor=system_actor(),
                            kind="judgement",
                            data=item.data,
                            family=family,
                            source=Evidence.Source.SYSTEM,
                            source_name="Demo data",
                        )
                    else:
                        evidence_record(
                            actor=keyworker,
                            kind="judgement",
                            data=item.data,
                            family=family,
                            source=Evidence.Source.KEYWORKER,
                        )
                else:
                    from families.models import Person

                    evidence_record(
                        actor=system_actor(),
                        kind=item.kind,
                        data=item.data,
                        person=Person(pk=item.person_id),
                        source=Evidence.Source.PARTNER_FILE,
                        source_name=SOURCES.get(item.kind, "Partner data"),
                    )
                written += 1
    return written


def _write_bulk(plan: list[tuple[FamilyFacts, list[Item]]]) -> int:
    """COPY the rows with the natural keys and digests the service computes (no per-row events)."""
    import io
    import json
    import uuid

    now = timezone.now().isoformat()
    lines = []
    seen: set[tuple[str, str]] = set()
    for fam, items in plan:
        for item in items:
            prepared = evidence_prepare(
                kind=item.kind,
                data=item.data,
                person_id=item.person_id,
                family_id=item.family_id,
                terms=TERMS,
                clean=False,
            )
            key = (item.kind, prepared.natural_key)
            if key in seen:
                continue
            seen.add(key)
            by_keyworker = item.kind == "judgement"
            values = (
                str(uuid.uuid4()),
                "1",
                item.kind,
                _n(item.person_id),
                _n(item.family_id),
                _escape(json.dumps(prepared.data)),
                _n(prepared.event_date),
                _n(prepared.end_date),
                _escape(prepared.natural_key),
                prepared.content_digest,
                Evidence.Source.KEYWORKER if by_keyworker else Evidence.Source.PARTNER_FILE,
                "" if by_keyworker else _escape(SOURCES.get(item.kind, "Partner data")),
                _n(fam.keyworker_id if by_keyworker else None),
                now,
                "t",
                "",
                item.kind,
            )
            lines.append("\t".join(values))
    if not lines:
        return 0
    # Only these families' people can already hold evidence (a re-run): look them up by subject.
    person_ids = {item.person_id for _, items in plan for item in items if item.person_id}
    family_ids = {fam.family_id for fam, _ in plan}
    existing = set(
        Evidence.objects.filter(
            Q(person_id__in=person_ids) | Q(family_id__in=family_ids), is_current=True
        ).values_list("kind", "natural_key")
    )
    if existing:
        lines = [
            line
            for line in lines
            if (line.rsplit("\t", 1)[1], _unescape(line.split("\t")[8])) not in existing
        ]
        if not lines:
            return 0
    buffer = io.StringIO("\n".join(line.rsplit("\t", 1)[0] for line in lines) + "\n")
    columns = (
        "record_key",
        "version",
        "kind",
        "person_id",
        "family_id",
        "data",
        "event_date",
        "end_date",
        "natural_key",
        "content_digest",
        "source",
        "source_name",
        "recorded_by_id",
        "recorded_at",
        "is_current",
        "correction_reason",
    )
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {Evidence._meta.db_table} ({', '.join(columns)}) FROM STDIN", buffer
        )
    return len(lines)


def _n(value) -> str:
    if value is None:
        return "\\N"
    return value.isoformat() if isinstance(value, date) else str(value)


def _escape(text: str) -> str:
    """Text in PostgreSQL COPY format."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def _unescape(text: str) -> str:
    return text.replace("\\t", "\t").replace("\\n", "\n").replace("\\r", "\r").replace("\\\\", "\\")


def extend_demo(*, families: list[Family], rng: random.Random, synthetic: bool, stdout) -> None:
    """Give the families evidence consistent with their problems, then evaluate them."""
    if not families:
        _ensure_plan(stdout)
        return
    started = time.perf_counter()
    facts = _facts(families)
    plan = []
    scenarios: dict[str, int] = defaultdict(int)
    for fam in facts:
        family_rng = random.Random(f"{rng.random()}:{fam.reference}")
        scenario, items = family_items(family_rng, fam)
        scenarios[scenario] += 1
        plan.append((fam, items))
    if synthetic:
        with transaction.atomic():
            written = _write_bulk(plan)
    else:
        written = _write_with_services(facts, plan)
    took = time.perf_counter() - started
    summary = ", ".join(
        f"{name.replace('_', ' ')} {count}" for name, count in sorted(scenarios.items())
    )
    if stdout is not None:
        stdout.write(
            f"Evidence: {written:,} records for {len(facts):,} families ({summary}) in {took:.1f}s"
        )
    _ensure_plan(stdout)
    _evaluate([f.family_id for f in facts], stdout)


def _ensure_plan(stdout) -> None:
    """Load the shipped plans and put Oxfordshire phase 2 in force if nothing is (once)."""
    versions = plans_load_shipped(actor=system_actor())
    if plan_in_force(on=PLAN_FROM) is None and plan_in_force(on=HORIZON) is None:
        version = next((v for v in versions if v.slug == PLAN_SLUG), None)
        if version is None:
            from outcomes.models import PlanVersion

            version = PlanVersion.objects.filter(slug=PLAN_SLUG).order_by("-created_at").first()
        if version is not None:
            plan_activate(
                actor=system_actor(),
                plan_version=version,
                effective_from=PLAN_FROM,
                note="Demo council: Oxfordshire phase 2 plan",
            )
            if stdout is not None:
                stdout.write(f"Plan in force from {PLAN_FROM:%-d %B %Y}: {version}")


def _evaluate(family_ids: list[int], stdout) -> None:
    as_of = min(HORIZON, timezone.localdate())
    started = time.perf_counter()
    summary = families_evaluate(actor=system_actor(), family_ids=family_ids, as_of=as_of)
    if stdout is not None:
        stdout.write(
            f"Evaluated {summary['evaluated']:,} families as of {as_of:%-d %B %Y} "
            f"({len(summary.get('became_claimable', []))} claimable) in {time.perf_counter() - started:.1f}s"
        )
