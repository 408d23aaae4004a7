"""Demo evidence: each demo family's partner data and keyworker judgements, and the plan in force.

Called by `seed_demo` and `generate_synthetic` after the families exist (`demo.seeding`), with
the day the demo is loaded as of (`today`); every record is dated on or before it, and school
terms follow the council's term dates (`outcomes.selectors.plans.term_calendar`: the engine's
defaults or the `TermDate` rows). For each problem a family was identified with, it writes the
*baseline* that identifies it under the Oxfordshire phase 2 plan (attendance below 90% over the
three terms before attachment, ASB incidents, offences, domestic abuse call-outs with a child
present, an out-of-work benefit open on the attachment date, a Child in Need or Child
Protection plan for neglect, drug or alcohol treatment), and, for families attached to the
programme, what happened after attachment, following a scenario drawn for the family:

- ``claimable``: every problem's outcome met, as early as the plan allows (three school terms
  above 90% starting after attachment, six months with no further incidents, a job that started
  after attachment held 13 or 26 weeks off benefits, a step-down or a completed treatment held
  six months), so a family attached long enough ago was claimable on earlier claim dates too;
- ``near_miss``: every problem met but one, which is one step short today (two good terms of
  three, an incident that drops out of the six months within weeks, ten to twelve weeks of a
  thirteen-week job, treatment completed five months ago);
- ``progressing``: some problems met, the others moving the right way;
- ``not_met``: at least one problem clearly not met (attendance still low, further call-outs,
  treatment dropped, a child escalated to a Child Protection plan).

A scenario is drawn only where the family's dates allow it (a family attached three months ago
cannot have held anything for six months), and each keyworker's open caseload gets a near miss
and at least two claimable families where its families' dates allow, so every keyworker has
something to see. Judgements are recorded after the attachment date, never on it.

Rows are computed once (`evidence_prepare`, the service's own natural keys and digests) and
written through `evidence_record` for the demo (so the timeline shows keyworker judgements) or
with PostgreSQL COPY for synthetic volumes; either way each is stamped as recorded a few days
after the last date it holds, as partner data arrives (`demo.clock`).
"""

from __future__ import annotations

import random
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from families.models import Family, FamilyProblem, Membership, Person, User
from families.services import system_actor
from outcomes.engine.terms import Term, TermCalendar
from outcomes.models import Evidence
from outcomes.selectors.plans import plan_in_force, term_calendar
from outcomes.services.evidence import evidence_prepare, evidence_record
from outcomes.services.plans import plan_activate, plans_load_shipped

from .clock import DemoClock
from .dates import add_months, plan_start

PLAN_SLUG = "oxfordshire-phase-2"
SCENARIOS = (("claimable", 30), ("near_miss", 20), ("progressing", 25), ("not_met", 25))
# A scenario's last milestone must be this long before today, so "met" is not a matter of hours.
MARGIN = timedelta(days=7)
# Partner data arrives a few days after the last date it holds; keyworkers record on the day.
PARTNER_DATA_LAG = timedelta(days=3)

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
    known_on: date | None = None  # when the fact was known (a term's end), if not in its data

    def last_date(self) -> date | None:
        dates = [self.known_on] if self.known_on else []
        for value in self.data.values():
            if isinstance(value, str) and len(value) == 10 and value[4] == "-":
                dates.append(date.fromisoformat(value))
        return max(dates) if dates else None


@dataclass
class Member:
    person_id: int
    first_name: str
    role: str
    date_of_birth: date | None
    ni_number: str
    upn: str
    start: date
    end: date | None


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
    today: date
    terms: TermCalendar
    texts: dict[str, str] = field(default_factory=dict)  # why each problem was identified

    @property
    def ref(self) -> date:
        """The date the baseline ends on: attachment, or today for a family not attached yet."""
        return self.attached_on or self.today


def _age(dob: date | None, on: date) -> int:
    if dob is None:
        return 30
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _day(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _days_before(rng: random.Random, today: date, most: int, least: int) -> date:
    """A day between `most` and `least` days before today."""
    return today - timedelta(days=rng.randint(least, most))


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


# --- what the problem's own words say (FamilyProblem.evidence, from `demo.households.EVIDENCE`) ---
# The evidence follows what the keyworker's record says about why a problem was identified: the
# member it names, the benefit, the plan and the month or year it gives, so the family page
# reads as one story.

MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()


def _named_first(fam: FamilyFacts, code: str, candidates: list[Member]) -> list[Member]:
    """The candidates, those the problem's words name first."""
    text = fam.texts.get(code, "")
    named = [
        m for m in candidates if m.first_name and re.search(rf"\b{re.escape(m.first_name)}\b", text)
    ]
    return named + [m for m in candidates if m not in named]


def _month_named(fam: FamilyFacts, code: str) -> tuple[date, date] | None:
    """The month the problem's words give ("in June 2025"), as its first and last day."""
    match = re.search(rf"in ({'|'.join(MONTH_NAMES)}) (\d{{4}})", fam.texts.get(code, ""))
    if not match:
        return None
    first = date(int(match[2]), MONTH_NAMES.index(match[1]) + 1, 1)
    return first, add_months(first, 1) - timedelta(days=1)


def _year_named(fam: FamilyFacts, code: str) -> int | None:
    match = re.search(r"(?:since|in) (\d{4})\b", fam.texts.get(code, ""))
    return int(match[1]) if match else None


def _within(rng: random.Random, start: date, end: date, month: tuple[date, date] | None) -> date:
    """A day in [start, end], in the month given if the two overlap."""
    if month is not None and month[0] <= end and month[1] >= start:
        return _day(rng, max(start, month[0]), min(end, month[1]))
    return _day(rng, start, end)


# --- school terms ---------------------------------------------------------------------------------


def terms_ended_by(terms: TermCalendar, on: date, count: int) -> list[Term]:
    """The `count` latest terms that ended on or before `on`, oldest first."""
    last = terms.last_ended_by(on).index
    return [terms.by_index(i) for i in range(last - count + 1, last + 1)]


def term_under_way(terms: TermCalendar, on: date) -> Term | None:
    """The term that had started before `on` and ends after it, if `on` is in term time."""
    term = terms.by_index(terms.last_ended_by(on).index + 1)
    return term if term.start < on < term.end else None


def outcome_terms(terms: TermCalendar, attached_on: date, until: date) -> list[Term]:
    """The terms that started on or after attachment and ended by `until`: the terms the
    outcome is measured in (a term under way at attachment is mostly before the work)."""
    out = []
    index = terms.last_ended_by(attached_on).index + 1
    while (term := terms.by_index(index)).end <= until:
        if term.start >= attached_on:
            out.append(term)
        index += 1
    return out


def nth_outcome_term(terms: TermCalendar, attached_on: date, n: int) -> Term:
    """The `n`th term starting on or after attachment (1-based)."""
    index = terms.last_ended_by(attached_on).index + 1
    found = 0
    while True:
        term = terms.by_index(index)
        if term.start >= attached_on:
            found += 1
            if found == n:
                return term
        index += 1


def _attendance(rng, person_id, term: Term, pct: float, school: str) -> Item:
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
        known_on=term.end,
    )


SCHOOLS = [
    "Cherwell School",
    "The Warriner School",
    "Larkrise Primary",
    "Bicester Learning Academy",
    "Oxford Spires Academy",
    "Wood Farm Primary",
]


# --- who each problem's evidence is about ----------------------------------------------------------


def _pupils(fam: FamilyFacts) -> list[Member]:
    return [m for m in fam.members if m.upn and 5 <= _age(m.date_of_birth, fam.ref) <= 15]


def _teens(fam: FamilyFacts) -> list[Member]:
    return [
        m for m in fam.members if m.role == "child" and 10 <= _age(m.date_of_birth, fam.ref) <= 17
    ]


def _adults(fam: FamilyFacts) -> list[Member]:
    return [m for m in fam.members if m.role == "adult"]


def _working_age(fam: FamilyFacts) -> list[Member]:
    return [m for m in _adults(fam) if 18 <= _age(m.date_of_birth, fam.ref) < 64]


def _children(fam: FamilyFacts) -> list[Member]:
    return [m for m in fam.members if m.role == "child" and _age(m.date_of_birth, fam.ref) < 17]


SUBJECTS = {
    "school_attendance": _pupils,
    "crime_asb": lambda fam: _teens(fam) or _adults(fam),
    "domestic_abuse": _adults,
    "worklessness": _working_age,
    "children_need_help": _children,
    "health": _adults,
}


# --- when a scenario is possible -------------------------------------------------------------------


def met_by(code: str, fam: FamilyFacts) -> date:
    """The latest day the problem's outcome is met when everything goes well from attachment
    (the "met" evidence below), so a scenario that needs it met is drawn only if it is."""
    attached = fam.attached_on
    assert attached is not None
    if not SUBJECTS[code](fam):
        return attached  # no evidence is written, so the plan does not identify the problem
    if code == "school_attendance":
        return nth_outcome_term(fam.terms, attached, 3).end
    if code in ("crime_asb", "domestic_abuse"):
        return add_months(attached, 6) + timedelta(days=2)
    if code == "worklessness":  # a job from 30-45 days after attachment, held 26 weeks at most
        return attached + timedelta(days=45 + 26 * 7 + 2)
    # children_need_help, health: a step-down or completion up to 60 days in (a treatment lasts
    # two months at least), held six months
    return add_months(attached + timedelta(days=60), 6) + timedelta(days=2)


def almost_possible(code: str, fam: FamilyFacts) -> bool:
    """Whether the problem can be one step short today (its "almost" evidence below)."""
    attached, today = fam.attached_on, fam.today
    assert attached is not None
    if not SUBJECTS[code](fam):
        return False
    if code == "school_attendance":
        return len(outcome_terms(fam.terms, attached, today)) >= 2
    if code in ("crime_asb", "domestic_abuse"):
        return attached < today - timedelta(days=185)
    if code == "worklessness":
        return attached + timedelta(days=14) <= today - timedelta(weeks=26)
    if code == "health":
        return attached < today - timedelta(days=240)
    return False  # children_need_help: a Child in Need plan is either escalated or not


def claimable_possible(fam: FamilyFacts) -> bool:
    return all(met_by(code, fam) <= fam.today - MARGIN for code in fam.problems)


def near_miss_codes(fam: FamilyFacts) -> list[str]:
    """The problems that can be the one still to meet, with every other problem met by today.
    An adult in work off benefits makes the family claimable for continuous employment, which
    is not a near miss: with worklessness, only worklessness can be the one to meet."""
    codes = fam.problems
    if "worklessness" in codes and SUBJECTS["worklessness"](fam):
        codes = ["worklessness"]
    return [
        code
        for code in codes
        if almost_possible(code, fam)
        and all(met_by(other, fam) <= fam.today - MARGIN for other in fam.problems if other != code)
    ]


# --- per problem: baseline and what happened after attachment -------------------------------------


def _school_attendance(rng, fam, result) -> list[Item]:
    pupils = _named_first(fam, "school_attendance", _pupils(fam))
    if not pupils:
        return []
    said = re.search(r"(\d+\.\d)%", fam.texts.get("school_attendance", ""))
    items = []
    for index, pupil in enumerate(pupils[: rng.randint(1, 2)]):
        school = rng.choice(SCHOOLS)
        low, high = 74.0, 88.5
        if said and index == 0:  # the attendance the problem's words give
            low, high = max(60.0, float(said[1]) - 2), min(89.0, float(said[1]) + 2)
        # The three terms before attachment identify the family; one more for a family waiting
        # to be attached, so it was already identified a term ago.
        for term in terms_ended_by(fam.terms, fam.ref, 3 if fam.attached_on else 4):
            items.append(_attendance(rng, pupil.person_id, term, rng.uniform(low, high), school))
        if fam.attached_on is None:
            continue
        under_way = term_under_way(fam.terms, fam.attached_on)
        if under_way is not None and under_way.end <= fam.today:
            # The term the work started in: mostly before the work, and still poor.
            items.append(
                _attendance(rng, pupil.person_id, under_way, rng.uniform(78, 88.5), school)
            )
        after = outcome_terms(fam.terms, fam.attached_on, fam.today)
        for i, term in enumerate(after):
            if result == "met":
                pct = rng.uniform(91.5, 98)
            elif result == "almost":  # only the last two terms above 90%: one more to go
                pct = rng.uniform(91.5, 96) if i >= len(after) - 2 else rng.uniform(86, 89.5)
            elif result == "partial":  # the latest term above 90% at last
                pct = rng.uniform(91.5, 95) if i == len(after) - 1 else rng.uniform(82, 89.5)
            else:
                pct = rng.uniform(72, 87)
            items.append(_attendance(rng, pupil.person_id, term, pct, school))
    return items


def _events_window(fam) -> tuple[date, date]:
    """When baseline incidents happen: in the months before identification (within the
    plan's twelve-month baseline), while the household was together."""
    end = fam.identified_on - timedelta(days=1)
    start = max(fam.ref - timedelta(days=330), end - timedelta(days=300))
    return start, end


def _recently(rng, fam, most: int, least: int) -> date:
    """A day between `most` and `least` days ago, after the attachment date."""
    return max(_days_before(rng, fam.today, most, least), fam.attached_on + timedelta(days=1))


def _crime_asb(rng, fam, result) -> list[Item]:
    start, end = _events_window(fam)
    teens = _named_first(fam, "crime_asb", _teens(fam))
    adults = _named_first(fam, "crime_asb", _adults(fam))
    words = fam.texts.get("crime_asb", "")
    month = _month_named(fam, "crime_asb")
    items = []
    if teens:
        teen = teens[0] if teens[0].first_name in words else rng.choice(teens)
        baseline = rng.randint(3, 5)
        incidents_from = start
        if "six months before identification" in words:  # "Three ... incidents ..."
            baseline, incidents_from = 3, max(start, fam.identified_on - timedelta(days=180))
        for _ in range(baseline):
            items.append(
                Item(
                    "asb_incidents",
                    teen.person_id,
                    {
                        "incident_date": _iso(_day(rng, incidents_from, end)),
                        "source": rng.choice(["police", "housing"]),
                        "sanction": rng.choice(
                            ["", "", "ASB warning letter", "Acceptable behaviour contract"]
                        ),
                    },
                )
            )
        description = rng.choice(["Criminal damage", "Theft from a shop", "Possession of cannabis"])
        if "shoplifting" in words:
            description = "Theft from a shop"
        elif "criminal damage" in words:
            description = "Criminal damage"
        items.append(
            Item(
                "offences",
                teen.person_id,
                {
                    "offence_date": _iso(_within(rng, start, end, month)),
                    "proven": True,
                    "serious": False,
                    "description": description,
                },
            )
        )
        subject = teen
        # The plan allows 40% of the baseline rate over six months (of a twelve-month baseline).
        allowed = int(baseline / 2 * 0.4)
    elif adults and "anti-social behaviour incidents" in words:
        # "Three anti-social behaviour incidents recorded at the address", no child 10 or over.
        subject = rng.choice(adults)
        baseline, allowed = 3, 0
        for _ in range(baseline):
            on = _day(rng, max(start, fam.identified_on - timedelta(days=180)), end)
            items.append(
                Item(
                    "asb_incidents",
                    subject.person_id,
                    {"incident_date": _iso(on), "source": "housing", "sanction": ""},
                )
            )
    elif adults:
        subject = adults[0] if adults[0].first_name in words else rng.choice(adults)
        description = rng.choice(["Public order offence", "Common assault", "Drink driving"])
        if "public order" in words:
            description = "Public order offence"
        items.append(
            Item(
                "offences",
                subject.person_id,
                {
                    "offence_date": _iso(_within(rng, start, end, month)),
                    "proven": True,
                    "serious": rng.random() < 0.2,
                    "description": description,
                },
            )
        )
        allowed = None  # no further offences at all
    else:
        return []
    if fam.attached_on is None or result == "met":
        return items
    recent_six_months = fam.attached_on < fam.today - timedelta(days=185)
    incidents: list[date] = []
    offences: list[date] = []
    if result == "almost":  # drops out of the six months within weeks, if there are no more
        if allowed is None:
            offences.append(_recently(rng, fam, 175, 140))
        else:
            incidents += [_recently(rng, fam, 175, 140) for _ in range(allowed + 1)]
    elif result == "partial":  # a recent incident, or the six months still running
        if recent_six_months and allowed is None:
            offences.append(_recently(rng, fam, 120, 20))
        elif recent_six_months:
            incidents += [_recently(rng, fam, 120, 20) for _ in range(allowed + 1)]
    else:  # not met: back to the old pattern, and a new offence
        if allowed is not None:
            incidents += [_recently(rng, fam, 170, 3) for _ in range(max(baseline, allowed + 1))]
        offences.append(_recently(rng, fam, 120, 5))
    for on in incidents:
        items.append(
            Item(
                "asb_incidents",
                subject.person_id,
                {"incident_date": _iso(on), "source": "police", "sanction": ""},
            )
        )
    for on in offences:
        items.append(
            Item(
                "offences",
                subject.person_id,
                {
                    "offence_date": _iso(on),
                    "proven": True,
                    "serious": False,
                    "description": "Theft from a shop",
                },
            )
        )
    return items


def _domestic_abuse(rng, fam, result) -> list[Item]:
    adults = _named_first(fam, "domestic_abuse", _adults(fam))
    if not adults:
        return []
    victim = adults[0]
    start, end = _events_window(fam)
    words = fam.texts.get("domestic_abuse", "")
    count = rng.randint(1, 3)
    said = re.search(r"attended (\d) domestic incidents", words)
    count = int(said[1]) if said else count
    year = _year_named(fam, "domestic_abuse")
    period = (date(year, 1, 1), date(year, 12, 31)) if year else _month_named(fam, "domestic_abuse")
    items = [
        Item(
            "domestic_abuse_callouts",
            victim.person_id,
            {
                "callout_date": _iso(_within(rng, start, end, period)),
                "child_present": True,
                "civil_injunction_support": rng.random() < 0.3,
            },
        )
        for _ in range(count)
    ]
    if fam.attached_on is None or result == "met":
        return items
    when = None
    if result == "almost":  # clear of the six months within weeks, if there are no more
        when = _recently(rng, fam, 175, 140)
    elif result == "partial" and fam.attached_on < fam.today - timedelta(days=185):
        when = _recently(rng, fam, 120, 20)
    elif result == "not_met":
        when = _recently(rng, fam, 90, 3)
    if when is not None:
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
    adults = _named_first(fam, "worklessness", _working_age(fam))
    if not adults:
        return []
    adult = adults[0]
    words = fam.texts.get("worklessness", "")
    benefit = rng.choices(["ESA", "IS", "JSA", "UC"], [35, 30, 25, 10])[0]
    for name, code in (
        ("Employment and Support Allowance", "ESA"),
        ("Jobseeker's Allowance", "JSA"),
        ("Income Support", "IS"),
        ("Universal Credit", "UC"),
    ):
        if name in words:
            benefit = code
    weeks = 26 if benefit == "JSA" else 13
    # On the benefit well before identification (since the year the words give, or for over a
    # year), and still on it the day the work started.
    claim_start = fam.identified_on - timedelta(days=rng.randint(400, 1400))
    year = _year_named(fam, "worklessness")
    if year:
        latest = min(date(year, 12, 31), fam.identified_on - timedelta(days=30))
        claim_start = _day(rng, min(date(year, 1, 1), latest), latest)

    def benefit_spell(start: date, end: date | None) -> Item:
        data = {"benefit": benefit, "start_date": _iso(start), "end_date": _iso(end)}
        return Item("benefit_spells", adult.person_id, {**data, "out_of_work": True})

    if fam.attached_on is None or result == "not_met":
        return [benefit_spell(claim_start, None)]
    if result == "met":  # a job from a month or so after attachment, still held
        job_start = fam.attached_on + timedelta(days=rng.randint(30, 45))
    elif result == "almost":  # a few weeks short of the weeks the benefit needs
        job_start = fam.today - timedelta(weeks=weeks - rng.randint(1, 3))
    else:  # partial: a job started in the last two months
        job_start = _recently(rng, fam, 60, 14)
    job_start = max(job_start, fam.attached_on + timedelta(days=14))
    if job_start > fam.today - timedelta(days=7):
        return [benefit_spell(claim_start, None)]
    return [
        benefit_spell(claim_start, job_start - timedelta(days=1)),
        Item(
            "employment_spells",
            adult.person_id,
            {
                "start_date": _iso(job_start),
                "end_date": None,
                "hours_per_week": float(rng.choice([16, 20, 25, 30, 37.5])),
                "monthly_earnings": float(rng.choice([690, 850, 1100, 1450])),
            },
        ),
    ]


def _child_plan(child: Member, plan: str, start: date, end: date | None) -> Item:
    return Item(
        "child_plans",
        child.person_id,
        {"plan": plan, "category": "neglect", "start_date": _iso(start), "end_date": _iso(end)},
    )


def _children_need_help(rng, fam, result) -> list[Item]:
    children = _named_first(fam, "children_need_help", _children(fam))
    if not children:
        return []
    words = fam.texts.get("children_need_help", "")
    child = children[0] if children[0].first_name in words else rng.choice(children)
    plan = "CP" if rng.random() < 0.3 else "CIN"
    began = fam.identified_on - timedelta(days=rng.randint(30, 300))
    month = _month_named(fam, "children_need_help")
    earlier: list[Item] = []
    if "child in need plan following" in words or "stepped down" in words:
        plan = "CIN"
        if month is not None and month[0] < fam.identified_on:
            began = _day(rng, month[0], min(month[1], fam.identified_on - timedelta(days=1)))
        if "stepped down" in words:  # a Child Protection plan until the day before
            cp_began = began - timedelta(days=rng.randint(150, 400))
            earlier = [_child_plan(child, "CP", cp_began, began - timedelta(days=1))]
    if fam.attached_on is None:
        return [*earlier, _child_plan(child, plan, began, None)]
    early = fam.attached_on + timedelta(days=rng.randint(40, 55))
    if plan == "CP":
        if result == "met":  # stepped down to Child in Need early in the work
            change = early
        elif result == "almost":  # stepped down five months ago: six months not yet held
            change = _recently(rng, fam, 175, 140)
        elif result == "partial":
            change = _recently(rng, fam, 100, 20)
        else:
            return [_child_plan(child, "CP", began, None)]  # still on the plan
        if change > fam.today - timedelta(days=7):
            return [_child_plan(child, "CP", began, None)]
        return [
            _child_plan(child, "CP", began, change),
            _child_plan(child, "CIN", change + timedelta(days=1), None),
        ]
    if result == "not_met":  # escalated to a Child Protection plan
        change = _day(rng, fam.attached_on + timedelta(days=10), fam.today - timedelta(days=5))
        return [
            *earlier,
            _child_plan(child, "CIN", began, change),
            _child_plan(child, "CP", change + timedelta(days=1), None),
        ]
    # Not escalated: the plan carries on, or ends early in the work when things are going well.
    ended = early if result == "met" and rng.random() < 0.5 and early < fam.today else None
    return [*earlier, _child_plan(child, "CIN", began, ended)]


def _health(rng, fam, result) -> list[Item]:
    adults = _named_first(fam, "health", _adults(fam))
    if not adults:
        return []
    adult = adults[0] if adults[0].first_name in fam.texts.get("health", "") else rng.choice(adults)
    substance = rng.choice(["alcohol", "drug"])
    began = _day(rng, fam.identified_on - timedelta(days=120), fam.ref - timedelta(days=1))

    def treatment(end: date | None, outcome: str) -> Item:
        data = {"substance": substance, "start_date": _iso(began), "end_date": _iso(end)}
        return Item("treatment", adult.person_id, {**data, "outcome": outcome})

    if fam.attached_on is None or result == "partial":
        return [treatment(None, "ongoing")]
    if result == "met":  # completed a month or so into the work
        ended = fam.attached_on + timedelta(days=rng.randint(30, 55))
    elif result == "almost":  # completed about five months ago: six months not yet sustained
        ended = _recently(rng, fam, 175, 140)
    else:
        ended = _day(rng, fam.attached_on + timedelta(days=14), fam.today - timedelta(days=10))
    ended = max(ended, began + timedelta(days=60))
    if ended > fam.today - timedelta(days=7):
        return [treatment(None, "ongoing")]
    return [treatment(ended, "completed" if result in ("met", "almost") else "dropped_out")]


GENERATORS = {
    "school_attendance": _school_attendance,
    "crime_asb": _crime_asb,
    "domestic_abuse": _domestic_abuse,
    "worklessness": _worklessness,
    "children_need_help": _children_need_help,
    "health": _health,
}


# --- scenarios ------------------------------------------------------------------------------------


def scenario_for(rng: random.Random, fam: FamilyFacts) -> str:
    """The family's scenario, drawn among those its dates allow."""
    if fam.attached_on is None:
        return "baseline"
    allowed = {
        "claimable": claimable_possible(fam),
        "near_miss": bool(near_miss_codes(fam)),
        "progressing": True,
        "not_met": True,
    }
    names = [name for name, _ in SCENARIOS]
    weights = [weight if allowed[name] else 0 for name, weight in SCENARIOS]
    return rng.choices(names, weights)[0]


def ensure_every_keyworker_sees_each(facts: list[FamilyFacts], scenarios: dict[int, str]) -> None:
    """Two claimable families and a near miss in each keyworker's open caseload, where the
    families' dates allow: the longest-attached that can be claimable become claimable, and the
    family attached most recently that can be a near miss becomes one."""
    caseloads: dict[int, list[FamilyFacts]] = defaultdict(list)
    for fam in facts:
        if fam.keyworker_id and fam.status == Family.Status.ATTACHED and fam.attached_on:
            caseloads[fam.keyworker_id].append(fam)

    def count(caseload, scenario: str) -> int:
        return sum(scenarios[f.family_id] == scenario for f in caseload)

    def make_claimable(caseload, *, instead_of: tuple[str, ...]) -> None:
        for fam in caseload:
            if scenarios[fam.family_id] in instead_of and claimable_possible(fam):
                scenarios[fam.family_id] = "claimable"
                return

    for caseload in caseloads.values():
        caseload.sort(key=lambda f: (f.attached_on, f.reference))
        others = ("progressing", "not_met")
        if not count(caseload, "claimable"):
            make_claimable(caseload, instead_of=others)
        if not count(caseload, "claimable"):
            make_claimable(caseload, instead_of=("near_miss",))
        if not count(caseload, "near_miss"):
            for fam in reversed(caseload):
                if near_miss_codes(fam) and (
                    scenarios[fam.family_id] != "claimable" or count(caseload, "claimable") > 1
                ):
                    scenarios[fam.family_id] = "near_miss"
                    break
        if count(caseload, "claimable") < 2:
            make_claimable(caseload, instead_of=others)


def results_for(rng: random.Random, scenario: str, fam: FamilyFacts) -> dict[str, str]:
    """Each problem's result ("met", "almost", "partial", "not_met") for the family's scenario."""
    problems = fam.problems
    if scenario == "baseline":
        return {code: "baseline" for code in problems}
    results = {code: "met" for code in problems}
    if not problems or scenario == "claimable":
        return results
    if scenario == "near_miss":
        results[rng.choice(near_miss_codes(fam))] = "almost"
        return results
    pick = rng.choice(problems)
    for code in problems:
        results[code] = rng.choice(["met", "partial"])
    results[pick] = "partial" if scenario == "progressing" else "not_met"
    return results


def family_items(rng: random.Random, fam: FamilyFacts, scenario: str) -> list[Item]:
    """Every evidence row the family gets in its scenario (no database access)."""
    results = results_for(rng, scenario, fam)
    items: list[Item] = []
    for code in fam.problems:
        generator = GENERATORS.get(code)
        if generator is not None:
            items.extend(generator(rng, fam, results[code]))
    if fam.attached_on is not None and fam.keyworker_id:
        # The keyworker's Early Help Assessment impact judgement about the whole family,
        # recorded a few months into the work (after the attachment day, never on it).
        value = {
            "claimable": "significant",
            "near_miss": "moderate",
            "progressing": "moderate",
        }.get(scenario, "minor")
        on = min(fam.today, fam.attached_on + timedelta(days=rng.randint(90, 200)))
        if on > fam.attached_on:
            items.append(
                Item(
                    "judgement",
                    None,
                    {"code": "eha_impact", "value": value, "recorded_on": _iso(on)},
                    family_id=fam.family_id,
                )
            )
    return [item for item in items if _dated_ok(item, fam.today)]


def _dated_ok(item: Item, today: date) -> bool:
    """Nothing after today; spells end on or after they start."""
    last = item.last_date()
    if last is not None and last > today:
        return False
    start, end = item.data.get("start_date"), item.data.get("end_date")
    return not (start and end and end < start)


def recorded_on(item: Item, today: date) -> date:
    """When the record reached the service: a keyworker's judgement on its day, partner data a
    few days after the last date it holds."""
    last = item.last_date() or today
    if item.kind == "judgement":
        return min(last, today)
    return min(last + PARTNER_DATA_LAG, today)


# --- loading the families' facts and writing ------------------------------------------------------


def _facts(families: list[Family], today: date, terms: TermCalendar) -> list[FamilyFacts]:
    ids = [f.pk for f in families]
    members: dict[int, list[Member]] = defaultdict(list)
    rows = Membership.objects.filter(family_id__in=ids).values_list(
        "family_id",
        "person_id",
        "person__first_name",
        "role",
        "person__date_of_birth",
        "person__ni_number",
        "person__upn",
        "start_date",
        "end_date",
    )
    for family_id, person_id, first_name, role, dob, ni, upn, start, end in rows:
        members[family_id].append(Member(person_id, first_name, role, dob, ni, upn, start, end))
    problems: dict[int, list[str]] = defaultdict(list)
    texts: dict[int, dict[str, str]] = defaultdict(dict)
    for family_id, code, text in FamilyProblem.objects.filter(family_id__in=ids).values_list(
        "family_id", "problem_id", "evidence"
    ):
        problems[family_id].append(code)
        texts[family_id][code] = text
    facts = []
    for family in Family.objects.filter(pk__in=ids).order_by("reference"):
        # Evidence is about the people there when the family was identified and still there.
        present = [
            m
            for m in members[family.pk]
            if m.start <= family.identified_on and (m.end is None or m.end >= today)
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
                today,
                terms,
                texts[family.pk],
            )
        )
    return facts


def _write_with_services(
    facts: list[FamilyFacts], plan: list[tuple[FamilyFacts, list[Item]]], clock: DemoClock
) -> int:
    keyworkers = {
        u.pk: u
        for u in User.objects.filter(pk__in={f.keyworker_id for f in facts if f.keyworker_id})
    }
    families = {f.pk: f for f in Family.objects.filter(pk__in=[f.family_id for f in facts])}
    written = 0
    for fam, items in plan:
        with transaction.atomic():
            for item in items:
                day = recorded_on(item, clock.today)
                if item.kind == "judgement":
                    family = families[fam.family_id]
                    keyworker = keyworkers.get(fam.keyworker_id)
                    with clock.at(day, 15, 30):
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
                    with clock.at(day, 7, 30):  # the overnight partner data load
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


def _write_bulk(
    plan: list[tuple[FamilyFacts, list[Item]]], clock: DemoClock, terms: TermCalendar
) -> int:
    """COPY the rows with the natural keys and digests the service computes (no per-row events)."""
    import io
    import json
    import uuid

    @cache
    def stamp(day: date, by_keyworker: bool) -> str:
        moment: datetime = clock.moment(day, 15, 30) if by_keyworker else clock.moment(day, 7, 30)
        return moment.isoformat()

    lines = []
    seen: set[tuple[str, str]] = set()
    for fam, items in plan:
        for item in items:
            prepared = evidence_prepare(
                kind=item.kind,
                data=item.data,
                person_id=item.person_id,
                family_id=item.family_id,
                terms=terms,
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
                stamp(recorded_on(item, clock.today), by_keyworker),
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


def extend_demo(
    *,
    families: list[Family],
    rng: random.Random,
    synthetic: bool,
    stdout,
    today: date | None = None,
) -> None:
    """Give the families evidence consistent with their problems, dated on or before `today`
    (default today), and put the plan in force. The nightly check's history evaluates them
    (`demo.history`)."""
    today = today or timezone.localdate()
    clock = DemoClock(today)
    _ensure_plan(stdout, clock)
    if not families:
        return
    started = time.perf_counter()
    terms = term_calendar()
    facts = _facts(families, today, terms)
    family_rngs = {fam.family_id: random.Random(f"{rng.random()}:{fam.reference}") for fam in facts}
    scenarios = {fam.family_id: scenario_for(family_rngs[fam.family_id], fam) for fam in facts}
    ensure_every_keyworker_sees_each(facts, scenarios)
    plan = []
    counts: dict[str, int] = defaultdict(int)
    for fam in facts:
        scenario = scenarios[fam.family_id]
        counts[scenario] += 1
        plan.append((fam, family_items(family_rngs[fam.family_id], fam, scenario)))
    if synthetic:
        with transaction.atomic():
            written = _write_bulk(plan, clock, terms)
    else:
        written = _write_with_services(facts, plan, clock)
    took = time.perf_counter() - started
    summary = ", ".join(
        f"{name.replace('_', ' ')} {count}" for name, count in sorted(counts.items())
    )
    if stdout is not None:
        stdout.write(
            f"Evidence: {written:,} records for {len(facts):,} families ({summary}) in {took:.1f}s"
        )


def _ensure_plan(stdout, clock: DemoClock) -> None:
    """Load the shipped plans and put Oxfordshire phase 2 in force from before anything the demo
    evaluates, if no plan is in force then (once). Both read as done in the weeks before."""
    effective_from = plan_start(clock.today)
    with clock.at(effective_from - timedelta(days=14), 10):
        versions = plans_load_shipped(actor=system_actor())
        if plan_in_force(on=effective_from) is not None:
            return
        version = next((v for v in versions if v.slug == PLAN_SLUG), None)
        if version is None:
            from outcomes.models import PlanVersion

            version = PlanVersion.objects.filter(slug=PLAN_SLUG).order_by("-created_at").first()
        if version is not None:
            plan_activate(
                actor=system_actor(),
                plan_version=version,
                effective_from=effective_from,
                note="Demo council: Oxfordshire phase 2 plan",
            )
            if stdout is not None:
                stdout.write(f"Plan in force from {effective_from:%-d %B %Y}: {version}")
