"""The demo council and synthetic families: `seed_demo` and `generate_synthetic`.

Both commands build families from the same generator (`family_spec`), so the demo and the
benchmark data look alike: British names, Oxfordshire postcodes, households of different
shapes, valid UPNs and National Insurance numbers, problems with evidence, the services that
worked with the family, case notes and consent. Everything follows from a seed, so the same
seed gives the same families.

- `seed_demo_families` writes about 60 families through `families.services` with the
  relevant manager or keyworker as actor, so row history and timeline events exist, just as
  if people had typed them in.
- `generate_synthetic` writes with `bulk_create` in batches for speed. It BYPASSES per-row
  history (simple-history) and per-step events: each family gets one `FamilyEvent` saying it
  was generated. Use it for benchmarks and volume testing, not to show a timeline.

Extension hooks
---------------
Other apps add their own demo data (evidence, plans, claims) after the families exist. Each
module named in `DEMO_EXTENSIONS` is imported if it exists (if the module itself cannot be
found it is skipped silently; any other error, including an ImportError raised inside it,
propagates) and its function is called as::

    extend_demo(*, families: list[Family], rng: random.Random, synthetic: bool, stdout) -> None

- `families`: the families created by this run, in reference order. `seed_demo` is
  idempotent, so on a re-run this list is empty: an extension that only adds to the
  families it is given stays idempotent for free. Anything council-wide (a plan, a tariff)
  must be created idempotently (get_or_create), since the hook runs on every start.
- `rng`: a `random.Random` seeded from the command's seed and the module's name, so one
  extension's draws do not shift another's and the output is deterministic.
- `synthetic`: False for `seed_demo` (write through your services: history matters in the
  demo); True for `generate_synthetic` (thousands of families: prefer bulk writes).
- `stdout`: the command's output stream (an OutputWrapper) for a line of summary.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import json
import random
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from itertools import accumulate
from operator import itemgetter

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import connection, connections, models, transaction
from django.db.models import Count
from django.utils import timezone

from . import identifiers, services
from .models import (
    CaseNote,
    ConsentRecord,
    Family,
    FamilyEvent,
    FamilyProblem,
    Intervention,
    Locality,
    Membership,
    Person,
    Team,
    User,
)

DEMO_EXTENSIONS = ["outcomes.demo", "claims.demo"]

DEMO_SEED = 2015
DEMO_PASSWORD = "demo-password-2015"  # noqa: S105 - printed for demo sign-in; refused with DEBUG off
DEMO_FAMILY_COUNT = 60
# The demo's "now": every date in the demo is on or before it, whatever today is.
DEMO_HORIZON = date(2017, 3, 31)
PHASE_2_START = date(2015, 4, 1)

# Oxfordshire's Early Intervention Hub localities and the CEF areas they roll up to. This is
# our reading of the table in paragraph 8 of the 2015 Thriving Families report: the area
# totals add up only this way (North 277 = Banbury 106 + Bicester 68 + West Oxon 103;
# Central 297 = East Oxford 134 + Littlemore 163; South 242 = South East Oxon 118 + South
# West Oxon 124). The counts are the families in each locality, used as weights.
LOCALITIES = {
    "Banbury": (Locality.Area.NORTH, 106),
    "Bicester": (Locality.Area.NORTH, 68),
    "West Oxon": (Locality.Area.NORTH, 103),
    "East Oxford": (Locality.Area.CENTRAL, 134),
    "Littlemore": (Locality.Area.CENTRAL, 163),
    "South East Oxon": (Locality.Area.SOUTH, 118),
    "South West Oxon": (Locality.Area.SOUTH, 124),
}
# One keywork team per area, based at the area's largest hub.
AREA_TEAMS = {
    Locality.Area.NORTH: ("North keywork team", "Banbury"),
    Locality.Area.CENTRAL: ("Central keywork team", "Littlemore"),
    Locality.Area.SOUTH: ("South keywork team", "South West Oxon"),
}


# --- the council, its teams and its people ------------------------------------------------------


@dataclass
class Council:
    localities: dict[str, Locality]
    teams: dict[str, Team]  # by area

    def team_for(self, locality_name: str) -> Team:
        return self.teams[LOCALITIES[locality_name][0]]


def ensure_council() -> Council:
    """The demo council's localities and area teams (created if missing, never duplicated)."""
    localities = {}
    for name, (area, _) in LOCALITIES.items():
        locality, _ = Locality.objects.get_or_create(name=name, defaults={"area": area})
        if locality.area != area:
            locality.area = area
            locality.save(update_fields=["area"])
        localities[name] = locality
    teams = {}
    for area, (team_name, base) in AREA_TEAMS.items():
        team, _ = Team.objects.get_or_create(
            name=team_name, defaults={"locality": localities[base]}
        )
        teams[area] = team
    return Council(localities, teams)


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    area: str | None = None
    superuser: bool = False


R = User.Role
A = Locality.Area
DEMO_USERS = [
    DemoUser("keyworker", "Sarah", "Whitfield", R.KEYWORKER, A.CENTRAL),
    DemoUser("keyworker2", "Daniel", "Osei", R.KEYWORKER, A.CENTRAL),
    DemoUser("keyworker_north", "Rachel", "Hartley", R.KEYWORKER, A.NORTH),
    DemoUser("keyworker_south", "Tom", "Brennan", R.KEYWORKER, A.SOUTH),
    DemoUser("teammanager", "Priya", "Sharma", R.TEAM_MANAGER, A.CENTRAL),
    DemoUser("teammanager_north", "Gareth", "Lloyd", R.TEAM_MANAGER, A.NORTH),
    DemoUser("teammanager_south", "Helen", "Ashworth", R.TEAM_MANAGER, A.SOUTH),
    DemoUser("programmemanager", "Jo", "Fenwick", R.PROGRAMME_MANAGER),
    DemoUser("programmemanager2", "Anil", "Mistry", R.PROGRAMME_MANAGER),
    DemoUser("auditor", "Fiona", "Calder", R.AUDITOR),
    DemoUser("dataofficer", "Marek", "Nowicki", R.DATA_OFFICER),
    DemoUser("admin", "Chris", "Doyle", R.ADMINISTRATOR, superuser=True),
]
del R, A


def ensure_demo_users(council: Council, password: str = DEMO_PASSWORD) -> dict[str, User]:
    """A user for every role, all with the demo password. Re-running changes nothing."""
    users = {}
    for spec in DEMO_USERS:
        team = council.teams[spec.area] if spec.area else None
        user, _ = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@demo.council.example",
                "role": spec.role,
                "team": team,
                "is_active": True,
                "is_staff": spec.superuser,
                "is_superuser": spec.superuser,
            },
        )
        if not user.check_password(password):
            validate_password(password, user)
            user.set_password(password)
            user.save(update_fields=["password"])
        users[spec.username] = user
    return users


def login_table(users: dict[str, User], password: str = DEMO_PASSWORD) -> str:
    """The demo sign-ins as a plain-text table."""
    rows = [("Username", "Role", "Team", "Password")]
    for user in users.values():
        rows.append(
            (user.username, user.get_role_display(), user.team.name if user.team else "-", password)
        )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


# --- names, places, households ------------------------------------------------------------------

# (weight, surnames, women, men, girls, boys, grandmothers, grandfathers)
NAME_GROUPS = [
    (
        72,
        "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
        "Walker White Roberts Green Hall Wood Jackson Clarke Harris Lewis Cooper King Baker Carter "
        "Morgan Hughes Edwards Turner Parker Collins Bennett Price Hayes Mills Barnes Wells Payne "
        "Pearce Dawson Fletcher Howard Hicks Webb Lambert Kelly Murphy Doyle O'Neill McDonald Fraser",
        "Sarah Emma Laura Gemma Kelly Claire Lisa Nicola Rachel Hayley Danielle Stacey Natalie Amy "
        "Jodie Leanne Samantha Charlotte Kirsty Michelle Zoe Katie Rebecca Jade Louise Vicky",
        "James Daniel Lee Craig Wayne Darren Jason Mark Paul Stuart Ryan Carl Dean Scott Gary Kevin "
        "Ashley Adam Jamie Liam Matthew Shaun",
        "Olivia Amelia Lily Ella Grace Evie Ruby Chloe Sophie Jessica Mia Isla Poppy Freya Millie "
        "Holly Megan Ellie Maisie Leah Kayla Tia Lauren Courtney",
        "Jack Harry Oliver Charlie Alfie Thomas Joshua Riley George Jacob Noah Leo Mason Tyler Kian "
        "Ethan Callum Kai Lewis Connor Brandon Jayden Archie Dylan",
        "Susan Linda Carol Christine Janet Patricia Margaret Sandra Brenda Jean Pauline",
        "David Michael John Peter Stephen Robert Keith Brian Tony Graham Roy",
    ),
    (
        11,
        "Khan Hussain Ali Ahmed Akhtar Iqbal Shah Patel Mahmood Rashid Chaudhry Malik",
        "Aisha Fatima Nadia Shazia Samina Rubina Ayesha Sana Farah",
        "Imran Tariq Kamran Asif Zahid Faisal Adnan Shahid Naveed",
        "Aaliyah Zara Maryam Inaya Hafsa Amira Eman Sofia",
        "Ayaan Yusuf Ibrahim Zayn Rayyan Hamza Musa Adam",
        "Parveen Nasreen Shamim Rukhsana",
        "Mohammed Abdul Nazir Rafiq",
    ),
    (
        7,
        "Nowak Mazur Krawczyk Wójcik Kaczmarek Zając Lewandowski Dąbrowski",
        "Agnieszka Joanna Katarzyna Magdalena Monika Ewa Anna",
        "Piotr Tomasz Marcin Paweł Krzysztof Łukasz",
        "Hania Zofia Julia Lena Maja Natalia",
        "Bartosz Jakub Filip Szymon Oliwer Kacper",
        "Danuta Halina Grażyna",
        "Zbigniew Jan Andrzej",
    ),
    (
        10,
        "Campbell Francis Grant Okafor Mensah Adeyemi Osei Boateng Thomas Reid Bailey Clarke",
        "Marcia Chantelle Abena Simone Nkechi Tanisha Shanice",
        "Delroy Marcus Kwame Emeka Jermaine Tunde Andre",
        "Tia Kayla Amara Adaeze Nia Imani Ruby",
        "Jayden Kofi Reuben Tobi Elijah Malachi Joshua",
        "Gloria Beverley Comfort Yvonne",
        "Winston Clement Samuel Errol",
    ),
]
NAME_GROUPS = [(w, *(names.split() for names in lists)) for w, *lists in NAME_GROUPS]
NAME_GROUP_CUM = list(accumulate(group[0] for group in NAME_GROUPS))
SHAPES = ["single_mother", "single_father", "two_parents", "step_family", "grandparents"]
SHAPE_CUM = list(accumulate([45, 6, 24, 15, 10]))

# Per locality: (town, postcode district, sectors) and streets. All real Oxfordshire
# districts in OX1-OX29; inward codes are made up but valid in form.
PLACES = {
    "Banbury": (
        [("Banbury", "OX16", "012349"), ("Banbury", "OX15", "456"), ("Banbury", "OX17", "123")],
        [
            "Bretch Hill",
            "Warwick Road",
            "Ruscote Avenue",
            "Hardwick Hill",
            "Orchard Way",
            "Edmunds Road",
            "Grimsbury Green",
            "Cherwell Street",
        ],
    ),
    "Bicester": (
        [("Bicester", "OX26", "123456"), ("Bicester", "OX25", "234"), ("Bicester", "OX27", "78")],
        [
            "Bucknell Road",
            "Kings End",
            "Launton Road",
            "Bure Place",
            "Churchill Road",
            "Shakespeare Drive",
            "Keble Road",
            "Barry Avenue",
        ],
    ),
    "West Oxon": (
        [
            ("Witney", "OX28", "123456"),
            ("Carterton", "OX18", "13"),
            ("Chipping Norton", "OX7", "5"),
            ("Eynsham", "OX29", "4"),
            ("Woodstock", "OX20", "1"),
        ],
        [
            "Burford Road",
            "Corn Street",
            "Windrush Place",
            "Black Bourton Road",
            "Albion Street",
            "Station Lane",
            "Newland",
        ],
    ),
    "East Oxford": (
        [("Oxford", "OX4", "123"), ("Oxford", "OX3", "079")],
        [
            "Cowley Road",
            "Iffley Road",
            "Magdalen Road",
            "Divinity Road",
            "Hollow Way",
            "Barton Village Road",
            "Northway",
            "Wood Farm Road",
        ],
    ),
    "Littlemore": (
        [("Oxford", "OX4", "4567")],
        [
            "Blackbird Leys Road",
            "Field Avenue",
            "Sandy Lane",
            "Kenville Road",
            "Herschel Crescent",
            "Pegasus Road",
            "Cuddesdon Way",
            "Nightingale Avenue",
        ],
    ),
    "South East Oxon": (
        [
            ("Thame", "OX9", "23"),
            ("Wallingford", "OX10", "089"),
            ("Berinsfield", "OX10", "7"),
            ("Didcot", "OX11", "6789"),
        ],
        [
            "Park Street",
            "Wantage Road",
            "Broadway",
            "Fane Drive",
            "Queensway",
            "Lydalls Road",
            "Wessex Road",
        ],
    ),
    "South West Oxon": (
        [
            ("Abingdon", "OX14", "1235"),
            ("Wantage", "OX12", "789"),
            ("Grove", "OX12", "0"),
            ("Kennington", "OX1", "5"),
        ],
        [
            "Ock Street",
            "Saxton Road",
            "Peachcroft Road",
            "Charlton Road",
            "Stockham Way",
            "Bath Street",
            "Drayton Road",
        ],
    ),
}
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
DISTRICT_COUNCILS = {
    "Banbury": "Cherwell District Council",
    "Bicester": "Cherwell District Council",
    "West Oxon": "West Oxfordshire District Council",
    "East Oxford": "Oxford City Council",
    "Littlemore": "Oxford City Council",
    "South East Oxon": "South Oxfordshire District Council",
    "South West Oxon": "Vale of White Horse District Council",
}
SCHOOL_KINDS = [
    "Community Primary School",
    "Academy",
    "Church of England Primary School",
    "Community College",
    "Primary School",
]

PROBLEM_WEIGHTS = {
    "crime_asb": 30,
    "school_attendance": 45,
    "children_need_help": 40,
    "worklessness": 55,
    "domestic_abuse": 30,
    "health": 45,
}

# Which council services worked with the families: the county column of the 2015 report's
# "who worked with the families?" table, as weights (TF = Thriving Families team,
# EI = Early Intervention team, SC = social care, YOS = Youth Offending Service).
TF, EI, SC, YOS = (
    Intervention.Service.THRIVING_FAMILIES,
    Intervention.Service.EARLY_INTERVENTION,
    Intervention.Service.SOCIAL_CARE,
    Intervention.Service.YOUTH_OFFENDING,
)
SERVICE_MIX = [
    ((TF,), 104),
    ((EI,), 124),
    ((SC,), 208),
    ((YOS,), 35),
    ((TF, EI), 8),
    ((TF, SC), 33),
    ((TF, YOS), 8),
    ((EI, YOS), 8),
    ((EI, SC), 85),
    ((SC, YOS), 13),
    ((TF, EI, YOS), 3),
    ((TF, SC, YOS), 4),
    ((EI, SC, YOS), 16),
    ((TF, EI, SC, YOS), 6),
]
SERVICE_COMBOS = [combo for combo, _ in SERVICE_MIX]
SERVICE_CUM = list(accumulate(weight for _, weight in SERVICE_MIX))

CLOSURE_REASONS = [
    (Family.ClosureReason.OUTCOMES_ACHIEVED, 40),
    (Family.ClosureReason.STEPPED_DOWN, 20),
    (Family.ClosureReason.MOVED_AWAY, 12),
    (Family.ClosureReason.DISENGAGED, 12),
    (Family.ClosureReason.ESCALATED, 10),
    (Family.ClosureReason.OTHER, 6),
]
CLOSURE_CUM = list(accumulate(weight for _, weight in CLOSURE_REASONS))


@dataclass
class MemberSpec:
    first_name: str
    last_name: str
    date_of_birth: date
    sex: str
    role: str
    relationship: str
    start_date: date
    end_date: date | None = None
    end_reason: str = ""
    upn: str = ""
    ni_number: str = ""
    joined_later: bool = False

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass
class InterventionSpec:
    service: str
    worker_name: str
    start_date: date
    end_date: date | None
    notes: str
    by_keyworker: bool = False  # the lead keyworker's own service


@dataclass
class FamilySpec:
    reference: str
    name: str
    locality: str
    address: str
    postcode: str
    status: str
    identified_on: date
    attached_on: date | None
    closed_on: date | None
    closure_reason: str
    members: list[MemberSpec] = field(default_factory=list)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # code, source, evidence
    interventions: list[InterventionSpec] = field(default_factory=list)
    notes: list[tuple[date, str]] = field(default_factory=list)
    consent: tuple[str, list[str], date, date | None] | None = (
        None  # given by, share with, given on, withdrawn on
    )


def _day(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _age_on(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _dob_for_age(rng: random.Random, age: int, on: date) -> date:
    latest = date(on.year - age, on.month, min(on.day, 28))
    return latest - timedelta(days=rng.randint(0, 364))


def is_school_age(dob: date, on: date) -> bool:
    return 4 <= _age_on(dob, on) <= 16


def random_postcode(rng: random.Random, locality: str) -> tuple[str, str]:
    """A valid Oxfordshire postcode and its town for the locality."""
    town, district, sectors = rng.choice(PLACES[locality][0])
    postcode = (
        f"{district} {rng.choice(sectors)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
    )
    return postcode, town


class IdentifierSource:
    """Hands out UPNs and NI numbers; the demo and each synthetic seed draw from separate blocks."""

    def upn(self, slot: int) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def ni_number(self, slot: int) -> str:  # pragma: no cover - interface
        raise NotImplementedError


def make_upn(digits: str) -> str:
    return identifiers.upn_check_letter(digits) + digits


# NI prefixes the validator accepts, in a fixed order, each with the four suffixes: 373 x 4
# blocks of a million numbers. Synthetic seed S uses block S (0-999); the demo uses blocks
# from 1000 on, so they never collide.
NI_PREFIXES = [
    a + b
    for a in "ABCEGHJKLMNOPRSTWXYZ"
    for b in "ABCEGHJKLMNPRSTWXYZ"
    if identifiers.NI_RE.match(f"{a}{b}000000A")
]
NI_BLOCKS = [(prefix, suffix) for prefix in NI_PREFIXES for suffix in "ABCD"]
SYNTHETIC_MAX_SEED = 999


class DemoIdentifiers(IdentifierSource):
    """Random-looking identifiers, unique within the demo: UPNs use Oxfordshire's LA code 931."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def _unique(self, make) -> str:
        while True:
            value = make()
            if value not in self.used:
                self.used.add(value)
                return value

    def upn(self, slot: int) -> str:
        # LA code, DfE establishment number, year of allocation, serial.
        return self._unique(
            lambda: make_upn(
                f"931{self.rng.randint(2000, 4999):04d}{self.rng.randint(3, 15):02d}{self.rng.randint(1, 999):03d}"
            )
        )

    def ni_number(self, slot: int) -> str:
        def make():
            prefix, suffix = self.rng.choice(NI_BLOCKS[SYNTHETIC_MAX_SEED + 1 :])
            return f"{prefix}{self.rng.randint(0, 999_999):06d}{suffix}"

        return self._unique(make)


class SyntheticIdentifiers(IdentifierSource):
    """Identifiers that are a function of (seed, family number, slot), so never collide.

    UPN: '0' (no real LA code starts with 0) + the seed + 8 digits from the person's serial,
    scrambled by a bijection so neighbours don't look sequential. NI number: block `seed`,
    6 digits from the adult's serial; families past the 499,999th in a seed get none.
    """

    def __init__(self, seed: int, number: int):
        self.seed = seed
        self.number = number

    def upn(self, slot: int) -> str:
        serial = (self.number * 10 + slot) * 37_139_713 % 100_000_000
        return make_upn(f"0{self.seed:03d}{serial:08d}")

    def ni_number(self, slot: int) -> str:
        serial = self.number * 2 + slot  # adults take slots 0 and 1
        if slot > 1 or serial >= 1_000_000:
            return ""
        prefix, suffix = NI_BLOCKS[self.seed]
        return f"{prefix}{serial * 737_351 % 1_000_000:06d}{suffix}"


def _household(rng: random.Random, identified_on: date, ids: IdentifierSource) -> list[MemberSpec]:
    """A household of a plausible shape, oldest first."""
    _, surnames, women, men, girls, boys, grandmothers, grandfathers = rng.choices(
        NAME_GROUPS, cum_weights=NAME_GROUP_CUM
    )[0]
    surname = rng.choice(surnames)
    shape = rng.choices(SHAPES, cum_weights=SHAPE_CUM)[0]
    members: list[MemberSpec] = []
    slot = 0
    # The household was together well before it was identified: partner data from the
    # baseline terms and months before attachment counts only for people who were members then.
    together_since = identified_on - timedelta(days=rng.randint(3 * 365, 8 * 365))

    def adult(first, last, age, sex, relationship):
        nonlocal slot
        dob = _dob_for_age(rng, age, identified_on)
        ni = ids.ni_number(slot) if rng.random() < 0.85 else ""
        slot += 1
        members.append(
            MemberSpec(first, last, dob, sex, "adult", relationship, together_since, ni_number=ni)
        )

    def child(last, age, relationship_of):
        nonlocal slot
        sex = rng.choice(["female", "male"])
        first = rng.choice(girls if sex == "female" else boys)
        while any(m.first_name == first for m in members):
            first = rng.choice(girls if sex == "female" else boys)
        dob = _dob_for_age(rng, age, identified_on)
        upn = ids.upn(slot) if is_school_age(dob, identified_on) else ""
        slot += 1
        rel = {
            "female": {"parent": "Daughter", "grandparent": "Granddaughter"},
            "male": {"parent": "Son", "grandparent": "Grandson"},
        }[sex][relationship_of]
        members.append(
            MemberSpec(first, last, dob, sex, "child", rel, max(dob, together_since), upn=upn)
        )

    n_children = rng.choices((1, 2, 3, 4), cum_weights=(30, 65, 87, 100))[0]
    if shape == "grandparents":
        gm_age = rng.randint(52, 68)
        adult(rng.choice(grandmothers), surname, gm_age, "female", "Grandmother")
        if rng.random() < 0.5:
            adult(
                rng.choice(grandfathers),
                surname,
                gm_age + rng.randint(-2, 5),
                "male",
                "Grandfather",
            )
        for _ in range(min(n_children, 3)):
            child(surname, rng.randint(2, 16), "grandparent")
        return members
    parent_age = rng.randint(22, 45)
    if shape == "single_father":
        adult(rng.choice(men), surname, parent_age, "male", "Father")
    else:
        adult(rng.choice(women), surname, parent_age, "female", "Mother")
    if shape == "two_parents":
        adult(rng.choice(men), surname, parent_age + rng.randint(-3, 6), "male", "Father")
    elif shape == "step_family":
        partner_surname = rng.choice(NAME_GROUPS[0][1])
        adult(
            rng.choice(men),
            partner_surname,
            parent_age + rng.randint(-4, 8),
            "male",
            "Mother's partner",
        )
    oldest = max(0, min(17, parent_age - 17))
    for _ in range(n_children):
        child(surname, rng.randint(0, oldest), "parent")
    members.sort(key=lambda m: (m.role != "adult", m.date_of_birth))
    return members


EVIDENCE = {
    "crime_asb": [
        "{teen} received a youth caution for shoplifting in {month} (Thames Valley Police data)",
        "Three anti-social behaviour incidents recorded at the address in the six months before identification ({council})",
        "{teen} was given a referral order for criminal damage; Youth Offending Service supervising",
        "Acceptable behaviour contract signed by {teen} after repeated ASB reports from neighbours",
    ],
    # When no child in the household is 10 or over, the offending is an adult's.
    "crime_asb_adult": [
        "{adult} was convicted of a public order offence in {month} (Thames Valley Police data)",
        "Three anti-social behaviour incidents recorded at the address in the six months before identification ({council})",
        "{adult} is subject to a community order; probation supervising",
    ],
    "school_attendance": [
        "{pupil} attended {pct}% of possible sessions over the last three terms (school attendance return)",
        "{pupil} had two fixed-term exclusions in the autumn term and attendance of {pct}%",
        "{pupil} is persistently absent: {pct}% attendance in the spring term, penalty notice warning issued",
        "Referred by the attendance and inclusion officer: {pupil} at {pct}% attendance",
    ],
    "children_need_help": [
        "{child} is on a child in need plan following a social care assessment in {month}",
        "Health visitor referral for early help: concerns about {child}'s development and home conditions",
        "School raised concerns about {child}'s wellbeing; early help assessment completed in {month}",
        "Family stepped down from a child protection plan to child in need in {month}",
    ],
    "worklessness": [
        "{adult} has claimed Employment and Support Allowance since {year} (DWP data match)",
        "{adult} has claimed Jobseeker's Allowance for over a year; rent arrears of £{arrears}",
        "{adult} is on Income Support as a lone parent; no one in the household in work",
        "{adult} is claiming Universal Credit and is in priority debt (council tax and rent arrears)",
    ],
    "domestic_abuse": [
        "Police attended {n} domestic incidents at the address in {year}, children present",
        "MARAC referral for {victim} in {month}; previous partner subject to a non-molestation order",
        "{victim} disclosed domestic abuse to the health visitor; referred to the domestic abuse service",
    ],
    "health": [
        "{adult} is under the community mental health team for depression and anxiety",
        "{child} is on the CAMHS waiting list after a referral from the GP",
        "{adult} is in treatment with the substance misuse service",
        "GP reports {adult} has missed repeated appointments for a long-term condition",
    ],
}
SOURCES = [
    (FamilyProblem.Source.PARTNER_DATA, 45),
    (FamilyProblem.Source.REFERRAL, 30),
    (FamilyProblem.Source.KEYWORKER, 25),
]
SOURCE_CUM = list(accumulate(weight for _, weight in SOURCES))
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _pick_problems(rng: random.Random, members: list[MemberSpec], identified_on: date) -> list[str]:
    pupils = [m for m in members if m.upn]
    weights = dict(PROBLEM_WEIGHTS)
    if not pupils:
        weights.pop("school_attendance")
    count = rng.choices((2, 3, 4), cum_weights=(40, 80, 100))[0]
    chosen: list[str] = []
    while len(chosen) < count:
        codes = [c for c in weights if c not in chosen]
        chosen.append(rng.choices(codes, [weights[c] for c in codes])[0])
    return sorted(chosen, key=list(PROBLEM_WEIGHTS).index)


def _words(
    rng: random.Random, members: list[MemberSpec], identified_on: date, locality: str
) -> dict[str, str]:
    adults = [m for m in members if m.role == "adult"]
    children = [m for m in members if m.role == "child"]
    pupils = [m for m in children if m.upn] or children
    teens = [m for m in children if _age_on(m.date_of_birth, identified_on) >= 10]
    women = [m for m in adults if m.sex == "female"] or adults
    before = identified_on - timedelta(days=rng.randint(30, 240))
    return {
        "adult": adults[0].first_name,
        "adult2": adults[-1].first_name,
        "child": rng.choice(children).first_name if children else adults[0].first_name,
        "pupil": rng.choice(pupils).first_name if pupils else adults[0].first_name,
        "teen": rng.choice(teens).first_name if teens else "",
        "victim": women[0].first_name,
        "month": f"{MONTHS[before.month - 1]} {before.year}",
        "year": str(before.year - rng.randint(0, 2)),
        "pct": f"{rng.randint(62, 88)}.{rng.randint(0, 9)}",
        "arrears": f"{rng.randint(3, 28) * 50:,}",
        "n": str(rng.randint(2, 5)),
        "council": DISTRICT_COUNCILS[locality],
        "school": f"{PLACES[locality][0][0][0]} {rng.choice(SCHOOL_KINDS)}",
    }


NOTES = {
    "opening": [
        "First home visit. Met {adult} and {child} at home. We talked about what the programme offers and what {adult} would like to change. {adult} was wary at first but agreed to a second visit next week to start the family plan.",
        "Introductory visit with {adult}. Explained my role as the family's keyworker and that I will coordinate the other services involved. {adult} said they are tired of telling their story to lots of different people, so we agreed I will be the main contact.",
    ],
    "plan": [
        "Family plan agreed with {adult}. Priorities in the family's own words: getting the children to school every day, sorting out the money worries, and having fewer arguments at home. We will review in six weeks.",
        "Worked through the whole-family assessment with {adult} and {adult2}. Both want things to be calmer at home. Agreed actions are written in the plan and everyone has a copy.",
    ],
    "school_attendance": [
        "Team around the family meeting at {school}. {pupil}'s attendance this half term is up to 91%. School will keep the morning check-in with the learning mentor and I will do the school run with {adult} on Mondays for the next month.",
        "Phoned {school} attendance officer: {pupil} has had a full week in school for the first time this term. Passed on the good news to {adult}, who was pleased.",
    ],
    "worklessness": [
        "Went with {adult} to meet the family employment adviser at the Jobcentre. Talked about a work trial and a CV workshop. {adult} has booked onto the next course.",
        "{adult} brought in the latest letters about the rent arrears. We rang the housing office together and agreed a repayment plan of £5 a week. Referred to Citizens Advice for a benefits check.",
    ],
    "crime_asb": [
        "Joint visit with the YOS case manager. {teen} has completed the reparation hours and is attending the boxing club twice a week. No new police call-outs to the address this month.",
        "Neighbourhood officer called: no further ASB reports about the family since the acceptable behaviour contract. Shared this with {adult} and {teen}.",
    ],
    "crime_asb_adult": [
        "Met {adult} after the probation appointment. {adult} is keeping to the conditions of the order and has been attending every session.",
        "Neighbourhood officer called: no further ASB reports about the address this month. Shared this with {adult}, who was relieved.",
    ],
    "domestic_abuse": [
        "Safety planning session with {adult}. Went through the plan and checked the phone numbers are saved. {adult} has started the Freedom Programme and says the group is helping.",
        "Checked in with {adult} after the MARAC. The non-molestation order is in place. Agreed to keep weekly contact for now.",
    ],
    "health": [
        "Went with {adult} to the GP appointment about their low mood. The GP has referred {adult} to talking therapies; {adult} asked me to help with the self-referral form, which we did together.",
        "{child} had the first CAMHS appointment today. {adult} said it went well and {child} wants to go back.",
    ],
    "children_need_help": [
        "Attended the child in need review. Everyone agreed things are improving: the house is in better order and {child} is attending nursery regularly.",
        "Home visit: {adult} has been using the bedtime routine from the parenting course and says {child} is settling much better.",
    ],
    "review": [
        "Six-week review of the family plan with {adult}. Good progress on two of the three priorities. We updated the plan and set new goals for the next six weeks.",
        "Review meeting with {adult}. Some setbacks this month but {adult} has kept going with every appointment. We talked about what has helped and what gets in the way.",
    ],
    "closing": [
        "Closing visit. Looked back over the family plan with {adult}: the children are going to school, the debts are on a repayment plan and things are calmer at home. {adult} knows how to get in touch with the Early Intervention hub if they need help again.",
        "Final visit. {adult} said the thing that helped most was having one person to talk to. We agreed the case can close; school and the health visitor will carry on as usual.",
    ],
}


def family_spec(
    rng: random.Random,
    *,
    reference: str,
    locality: str,
    status: str,
    ids: IdentifierSource,
    horizon: date = DEMO_HORIZON,
) -> FamilySpec:
    """One family, all its dates and records, drawn from `rng` (no database access)."""
    latest_identification = min(date(2016, 10, 31), horizon - timedelta(days=60))
    identified_on = _day(rng, PHASE_2_START, latest_identification)
    members = _household(rng, identified_on, ids)
    lead = members[0]
    postcode, town = random_postcode(rng, locality)
    street = rng.choice(PLACES[locality][1])
    number = rng.randint(1, 140)
    line = (
        f"Flat {rng.randint(1, 12)}, {number} {street}"
        if rng.random() < 0.2
        else f"{number} {street}"
    )
    spec = FamilySpec(
        reference=reference,
        name=lead.last_name,
        locality=locality,
        address=f"{line}\n{town}",
        postcode=postcode,
        status=status,
        identified_on=identified_on,
        attached_on=None,
        closed_on=None,
        closure_reason="",
        members=members,
    )
    words = _words(rng, members, identified_on, locality)
    codes = _pick_problems(rng, members, identified_on)
    sources = [s for s, _ in SOURCES]
    for code in codes:
        texts = EVIDENCE["crime_asb_adult" if code == "crime_asb" and not words["teen"] else code]
        evidence = rng.choice(texts).format(**words)
        spec.problems.append((code, rng.choices(sources, cum_weights=SOURCE_CUM)[0], evidence))

    declined = status == Family.Status.CLOSED and rng.random() < 0.12
    if status != Family.Status.IDENTIFIED and not declined:
        spec.attached_on = min(
            identified_on + timedelta(days=rng.randint(7, 70)), date(2016, 12, 30), horizon
        )
    work_until = horizon
    if status == Family.Status.CLOSED:
        if declined:
            spec.closed_on = identified_on + timedelta(days=rng.randint(20, 60))
            spec.closure_reason = rng.choice(
                [Family.ClosureReason.DISENGAGED, Family.ClosureReason.MOVED_AWAY]
            )
        else:
            spec.closed_on = min(
                spec.attached_on + timedelta(days=rng.randint(120, 420)),
                horizon - timedelta(days=rng.randint(0, 90)),
            )
            spec.closed_on = max(spec.closed_on, spec.attached_on + timedelta(days=30))
            reasons = [r for r, _ in CLOSURE_REASONS]
            spec.closure_reason = rng.choices(reasons, cum_weights=CLOSURE_CUM)[0]
        work_until = spec.closed_on
    if spec.attached_on is None:
        return spec
    start = spec.attached_on

    # Household changes after attachment: a baby or a child coming home; a partner leaving.
    if rng.random() < 0.18 and work_until > start + timedelta(days=45):
        joined = _day(rng, start + timedelta(days=30), work_until - timedelta(days=14))
        _, _, _, _, girls, boys, _, _ = NAME_GROUPS[0]
        sex = rng.choice(["female", "male"])
        if rng.random() < 0.6:
            dob, relationship = (
                joined,
                ("Daughter" if sex == "female" else "Son") + " (born during the work)",
            )
        else:
            dob = _dob_for_age(rng, rng.randint(6, 14), joined)
            relationship = "Daughter" if sex == "female" else "Son"
        upn = ids.upn(9) if is_school_age(dob, joined) else ""
        first = rng.choice(girls if sex == "female" else boys)
        if any(m.first_name == first for m in members):
            first = rng.choice(girls if sex == "female" else boys)
        members.append(
            MemberSpec(
                first,
                lead.last_name,
                dob,
                sex,
                "child",
                relationship,
                joined,
                upn=upn,
                joined_later=True,
            )
        )
    adults = [m for m in members if m.role == "adult"]
    if len(adults) > 1 and rng.random() < 0.3 and work_until > start + timedelta(days=45):
        leaver = adults[1]
        leaver.end_date = _day(rng, start + timedelta(days=30), work_until - timedelta(days=7))
        leaver.end_reason = rng.choice(
            [
                "Moved out of the family home",
                "Separated; moved to a flat in town",
                "Moved to live with relatives",
            ]
        )

    combo = list(rng.choices(SERVICE_COMBOS, cum_weights=SERVICE_CUM)[0])
    has_teen = any(m.role == "child" and _age_on(m.date_of_birth, start) >= 10 for m in members)
    if YOS in combo and not has_teen:
        combo.remove(YOS)
    if not combo:
        combo = [TF]
    hub = f"{locality} Early Intervention Hub"
    names = {
        TF: ("", "Lead keyworker: whole-family assessment and family plan"),
        EI: (f"Family support worker, {hub}", "Parenting support and help with routines"),
        SC: ("Social worker, Children's Social Care assessment team", "Child in need plan"),
        YOS: ("Case manager, Youth Offending Service", "Referral order supervision and reparation"),
    }
    for service in combo:
        worker_name, notes = names[service]
        begins = _day(
            rng, start - timedelta(days=20 if service != TF else 0), start + timedelta(days=30)
        )
        begins = max(begins, identified_on) if service != TF else start
        ends = None
        if status == Family.Status.CLOSED:
            ends = max(begins, work_until - timedelta(days=rng.randint(0, 30)))
        elif rng.random() < 0.25 and service != TF:
            ends = min(horizon, begins + timedelta(days=rng.randint(90, 240)))
        spec.interventions.append(
            InterventionSpec(service, worker_name, begins, ends, notes, by_keyworker=service == TF)
        )
    pupils = any(m.upn for m in members)
    partners = []
    if pupils and rng.random() < 0.5:
        partners.append(
            (
                Intervention.Service.SCHOOL,
                f"Attendance and inclusion officer, {words['school']}",
                "Attendance support and a morning check-in",
            )
        )
    if "worklessness" in codes and rng.random() < 0.6:
        partners.append(
            (
                Intervention.Service.JOBCENTRE_PLUS,
                "Family employment adviser (seconded to the Thriving Families team)",
                "Work search, CV and work trial",
            )
        )
    if rng.random() < 0.2:
        partners.append(
            (
                Intervention.Service.HOUSING,
                f"Tenancy sustainment officer, {DISTRICT_COUNCILS[locality]}",
                "Rent arrears repayment plan",
            )
        )
    if "health" in codes and rng.random() < 0.4:
        partners.append(
            (
                Intervention.Service.HEALTH,
                rng.choice(["Health visitor", "School nurse", "Community mental health team"]),
                "",
            )
        )
    if {"crime_asb", "domestic_abuse"} & set(codes) and rng.random() < 0.25:
        partners.append(
            (Intervention.Service.POLICE, "Neighbourhood policing team, Thames Valley Police", "")
        )
    for service, worker_name, notes in partners:
        begins = _day(rng, start, start + timedelta(days=60))
        ends = (
            max(begins, work_until - timedelta(days=rng.randint(0, 30)))
            if status == Family.Status.CLOSED
            else None
        )
        spec.interventions.append(InterventionSpec(service, worker_name, begins, ends, notes))

    # Case notes: opening, plan, one or two about the problems, a review, a closing note.
    keys = (
        ["opening", "plan"]
        + rng.sample([c for c in codes if c in NOTES], k=min(2, len(codes)))
        + ["review"]
    )
    keys = keys[: rng.randint(2, len(keys))]
    if status == Family.Status.CLOSED:
        keys.append("closing")
    span = max((work_until - start).days, len(keys))
    note_words = dict(words, adult2=adults[-1].first_name)
    for index, key in enumerate(keys):
        if key == "crime_asb" and not words["teen"]:
            key = "crime_asb_adult"
        if key == "closing":
            on = work_until
        else:
            on = start + timedelta(days=span * index // len(keys) + rng.randint(0, 6))
            on = min(on, work_until)
        spec.notes.append((on, rng.choice(NOTES[key]).format(**note_words)))

    share = ["health"]
    if pupils:
        share.insert(0, "schools")
    extra = {
        "crime_asb": ["police", "youth_offending"] if words["teen"] else ["police"],
        "domestic_abuse": ["police"],
        "worklessness": ["dwp"],
        "children_need_help": ["social_care"],
    }
    for code in codes:
        for party in extra.get(code, []):
            if party not in share:
                share.append(party)
    if rng.random() < 0.3:
        share.append("housing")
    withdrawn = None
    if rng.random() < 0.06 and work_until > start + timedelta(days=60):
        withdrawn = _day(rng, start + timedelta(days=30), work_until)
    spec.consent = (lead.name, share, start, withdrawn)
    return spec


# --- the demo families --------------------------------------------------------------------------

# Who leads the demo families and their status, by area: (keyworker, [statuses...]).
# `keyworker` leads 12 and `keyworker2` 10 in the same team; a few identified families
# are not yet allocated to anyone.
ID, AT, C = Family.Status.IDENTIFIED, Family.Status.ATTACHED, Family.Status.CLOSED
DEMO_CASELOADS = [
    (Locality.Area.CENTRAL, "keyworker", [ID, AT, AT, AT, AT, AT, AT, AT, AT, C, C, C]),
    (Locality.Area.CENTRAL, "keyworker2", [ID, AT, AT, AT, AT, AT, AT, C, C, C]),
    (Locality.Area.CENTRAL, None, [ID, ID]),
    (
        Locality.Area.NORTH,
        "keyworker_north",
        [ID, AT, AT, AT, AT, AT, AT, AT, AT, AT, AT, C, C, C, C],
    ),
    (Locality.Area.NORTH, None, [ID, ID, ID]),
    (
        Locality.Area.SOUTH,
        "keyworker_south",
        [ID, AT, AT, AT, AT, AT, AT, AT, AT, AT, AT, C, C, C, C],
    ),
    (Locality.Area.SOUTH, None, [ID, ID, ID]),
]
del ID, AT, C
TEAM_MANAGERS = {
    Locality.Area.CENTRAL: "teammanager",
    Locality.Area.NORTH: "teammanager_north",
    Locality.Area.SOUTH: "teammanager_south",
}


def demo_reference(number: int) -> str:
    return f"F-{number:06d}"


def demo_family_specs(seed: int = DEMO_SEED) -> list[tuple[FamilySpec, str | None, str]]:
    """The demo's families as (spec, lead keyworker username, area), the same for a seed."""
    rng = random.Random(seed)
    ids = DemoIdentifiers(random.Random(seed + 1))
    specs = []
    number = 0
    for area, keyworker, statuses in DEMO_CASELOADS:
        localities = [name for name, (a, _) in LOCALITIES.items() if a == area]
        weights = [LOCALITIES[name][1] for name in localities]
        for status in statuses:
            number += 1
            locality = rng.choices(localities, weights)[0]
            spec = family_spec(
                rng, reference=demo_reference(number), locality=locality, status=status, ids=ids
            )
            specs.append((spec, keyworker, area))
    return specs


def _write_family(
    spec: FamilySpec,
    council: Council,
    users: dict[str, User],
    keyworker: User | None,
    manager: User,
) -> Family:
    """Write one family through the services, in the order the work happened."""
    worker = keyworker or manager
    family = services.family_create(
        actor=manager,
        name=spec.name,
        identified_on=spec.identified_on,
        address=spec.address,
        postcode=spec.postcode,
        locality=council.localities[spec.locality],
        team=council.team_for(spec.locality),
        lead_keyworker=keyworker,
        reference=spec.reference,
    )
    for code, source, evidence in spec.problems:
        services.family_problem_identify(
            actor=manager,
            family=family,
            problem_code=code,
            identified_on=spec.identified_on,
            evidence=evidence,
            source=source,
        )
    memberships = {}
    lead_person = None
    for member in spec.members:
        if member.joined_later:
            continue
        membership = services.member_add(
            actor=worker,
            family=family,
            first_name=member.first_name,
            last_name=member.last_name,
            role=member.role,
            start_date=member.start_date,
            date_of_birth=member.date_of_birth,
            sex=member.sex,
            upn=member.upn,
            ni_number=member.ni_number,
            relationship=member.relationship,
        )
        memberships[id(member)] = membership
        lead_person = lead_person or membership.person
    if spec.attached_on is not None:
        family = services.family_attach(
            actor=manager, family=family, attached_on=spec.attached_on, keyworker=keyworker
        )
        if spec.consent:
            given_by, share_with, given_on, withdrawn_on = spec.consent
            consent = services.consent_record(
                actor=worker,
                family=family,
                given_by=given_by,
                share_with=share_with,
                given_on=given_on,
                person=lead_person,
                notes="Signed the consent form at the first home visit.",
            )
            if withdrawn_on:
                services.consent_withdraw(actor=worker, consent=consent, withdrawn_on=withdrawn_on)
        for item in spec.interventions:
            services.intervention_record(
                actor=worker,
                family=family,
                service=item.service,
                start_date=item.start_date,
                end_date=item.end_date,
                worker=keyworker if item.by_keyworker else None,
                worker_name=item.worker_name,
                notes=item.notes,
            )
        for member in spec.members:
            if member.joined_later:
                services.member_add(
                    actor=worker,
                    family=family,
                    first_name=member.first_name,
                    last_name=member.last_name,
                    role=member.role,
                    start_date=member.start_date,
                    date_of_birth=member.date_of_birth,
                    sex=member.sex,
                    upn=member.upn,
                    relationship=member.relationship,
                )
            elif member.end_date:
                services.membership_end(
                    actor=worker,
                    membership=memberships[id(member)],
                    end_date=member.end_date,
                    reason=member.end_reason,
                )
        for occurred_on, text in spec.notes:
            services.case_note_add(actor=worker, family=family, text=text, occurred_on=occurred_on)
    if spec.closed_on is not None:
        family = services.family_close(
            actor=manager, family=family, closed_on=spec.closed_on, reason=spec.closure_reason
        )
    return family


def seed_demo_families(
    council: Council, users: dict[str, User], seed: int = DEMO_SEED
) -> tuple[list[Family], list[str]]:
    """Create the demo families that do not exist yet. Returns (created, all demo references)."""
    specs = demo_family_specs(seed)
    references = [spec.reference for spec, _, _ in specs]
    existing = set(
        Family.objects.filter(reference__in=references).values_list("reference", flat=True)
    )
    created = []
    for spec, keyworker, area in specs:
        if spec.reference in existing:
            continue
        with transaction.atomic():
            created.append(
                _write_family(
                    spec,
                    council,
                    users,
                    users[keyworker] if keyworker else None,
                    users[TEAM_MANAGERS[area]],
                )
            )
    return created, references


# --- extensions -------------------------------------------------------------------------------


def run_extensions(
    *, families: list[Family], seed: int, synthetic: bool, stdout, modules: list[str] | None = None
) -> list[str]:
    """Call `extend_demo` in each extension module that exists; return the names that ran."""
    ran = []
    for name in DEMO_EXTENSIONS if modules is None else modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            # Only a missing extension (or its package) is skipped; a broken import inside it is not.
            if error.name is not None and (name == error.name or name.startswith(error.name + ".")):
                continue
            raise
        module.extend_demo(
            families=families,
            rng=random.Random(f"{seed}:{name}"),
            synthetic=synthetic,
            stdout=stdout,
        )
        ran.append(name)
    return ran


# --- summary ------------------------------------------------------------------------------------


def summarise(families) -> dict:
    """Counts for the closing summary of either command."""
    by_status = Counter(
        {
            row["status"]: row["n"]
            for row in families.order_by().values("status").annotate(n=Count("pk"))
        }
    )
    return {
        "families": sum(by_status.values()),
        "by_status": {status: by_status.get(status, 0) for status in Family.Status.values},
        "members": Membership.objects.filter(family__in=families).count(),
        "current_members": Membership.objects.filter(
            family__in=families, end_date__isnull=True
        ).count(),
        "problems": FamilyProblem.objects.filter(family__in=families).count(),
        "interventions": Intervention.objects.filter(family__in=families).count(),
        "notes": CaseNote.objects.filter(family__in=families).count(),
        "consents": ConsentRecord.objects.filter(family__in=families).count(),
    }


def summary_text(summary: dict, seconds: float) -> str:
    statuses = ", ".join(
        f"{Family.Status(s).label.lower()} {n}" for s, n in summary["by_status"].items()
    )
    return (
        f"Families: {summary['families']} ({statuses})\n"
        f"Members: {summary['members']} ({summary['current_members']} current)\n"
        f"Problems: {summary['problems']}  Interventions: {summary['interventions']}  "
        f"Case notes: {summary['notes']}  Consent records: {summary['consents']}\n"
        f"Time taken: {seconds:.1f}s"
    )


def refuse_in_production(force: bool) -> str | None:
    """Why a demo command should not run here, or None."""
    if not settings.DEBUG and not force:
        return (
            "DEBUG is off, so this looks like a live service: demo data was not loaded. "
            "Run again with --force if this really is a demo or test environment."
        )
    return None


# --- synthetic families at scale ----------------------------------------------------------------

SYNTHETIC_CASELOAD = 25  # families per synthetic keyworker
SYNTHETIC_STATUSES = (
    [Family.Status.IDENTIFIED, Family.Status.ATTACHED, Family.Status.CLOSED],
    [20, 55, 25],
)
SYNTHETIC_STATUS_CUM = list(accumulate(SYNTHETIC_STATUSES[1]))
LOCALITY_NAMES = list(LOCALITIES)


def synthetic_prefix(seed: int) -> str:
    return f"S{seed:03d}-"


def synthetic_reference(seed: int, number: int) -> str:
    """Family references that cannot collide with the demo's (F-) or the sequence's."""
    return f"{synthetic_prefix(seed)}{number:07d}"


def synthetic_spec(seed: int, number: int) -> FamilySpec:
    """Family `number` (1-based) of a seed: depends only on (seed, number), not on N."""
    rng = random.Random(seed * 100_000_007 + number)
    keyworker_index = (number - 1) // SYNTHETIC_CASELOAD
    locality = LOCALITY_NAMES[keyworker_index % len(LOCALITY_NAMES)]
    status = rng.choices(SYNTHETIC_STATUSES[0], cum_weights=SYNTHETIC_STATUS_CUM)[0]
    return family_spec(
        rng,
        reference=synthetic_reference(seed, number),
        locality=locality,
        status=status,
        ids=SyntheticIdentifiers(seed, number),
    )


def ensure_synthetic_keyworkers(council: Council, count: int) -> list[User]:
    """Keyworkers synthetic_kw_001... in per-locality synthetic teams, with unusable passwords."""
    teams = {}
    for name in LOCALITY_NAMES:
        teams[name], _ = Team.objects.get_or_create(
            name=f"{name} synthetic team", defaults={"locality": council.localities[name]}
        )
    usernames = [f"synthetic_kw_{index + 1:03d}" for index in range(count)]
    existing = {u.username: u for u in User.objects.filter(username__in=usernames)}
    missing = []
    for index, username in enumerate(usernames):
        if username not in existing:
            missing.append(
                User(
                    username=username,
                    first_name="Synthetic",
                    last_name=f"Keyworker {index + 1:03d}",
                    role=User.Role.KEYWORKER,
                    team=teams[LOCALITY_NAMES[index % len(LOCALITY_NAMES)]],
                    password=make_password(None),
                )
            )
    User.objects.bulk_create(missing, batch_size=1000)
    existing.update(
        {u.username: u for u in User.objects.filter(username__in=[u.username for u in missing])}
    )
    return [existing[username] for username in usernames]


@dataclass
class SyntheticResult:
    created: list[Family]
    skipped: int
    deleted: int
    seconds: float


def _purge(queryset, path: tuple = ()) -> None:
    """Delete rows and, first, every row that refers to them, even through PROTECT.

    Only for regenerable synthetic data: other apps' demo extensions add evidence, evaluations
    and claims that protect the families they refer to.
    """
    model = queryset.model
    for relation in model._meta.related_objects:
        if getattr(relation, "on_delete", None) in (
            models.PROTECT,
            models.RESTRICT,
            models.CASCADE,
        ):
            related = relation.related_model
            if related in path or related is model:
                continue
            _purge(
                related._base_manager.filter(**{f"{relation.field.name}__in": queryset}),
                (*path, model),
            )
    queryset.delete()


def delete_synthetic(seed: int) -> int:
    """Remove one seed's synthetic families, their people and whatever refers to them."""
    families = Family.objects.filter(reference__startswith=synthetic_prefix(seed))
    people = Person.objects.filter(reference__startswith=synthetic_prefix(seed))
    with transaction.atomic():
        count = families.count()
        if count:
            _purge(families)
        _purge(people)
    return count


def generate_synthetic(
    *, count: int, seed: int, batch_size: int = 1000, replace: bool = False, stdout=None
) -> SyntheticResult:
    """Write `count` synthetic families for `seed` in bulk batches; existing ones are skipped.

    Bypasses services and per-row history for speed; records one FamilyEvent per family.
    """
    if not 0 <= seed <= SYNTHETIC_MAX_SEED:
        raise ValueError(f"The seed must be between 0 and {SYNTHETIC_MAX_SEED}")
    started = time.perf_counter()
    deleted = delete_synthetic(seed) if replace else 0
    council = ensure_council()
    keyworkers = ensure_synthetic_keyworkers(
        council, (count + SYNTHETIC_CASELOAD - 1) // SYNTHETIC_CASELOAD
    )
    prefix = synthetic_prefix(seed)
    existing = set(
        Family.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    )
    created: list[Family] = []
    skipped = 0
    numbers = []
    for number in range(1, count + 1):
        if synthetic_reference(seed, number) in existing:
            skipped += 1
        else:
            numbers.append(number)
    batches = [
        numbers[offset : offset + batch_size] for offset in range(0, len(numbers), batch_size)
    ]
    written = 0
    # A worker thread prepares the next batch (draws the families, reserves ids on its own
    # connection, builds the COPY data) while PostgreSQL loads this one in its own process:
    # the two overlap on the machine's two cores. Sequences are not transactional, so the
    # worker's connection needs to see nothing of ours.
    with ThreadPoolExecutor(max_workers=1) as pool:
        try:
            prepare = partial(
                _prepare_synthetic_batch, seed, council=council, keyworkers=keyworkers
            )
            upcoming = pool.submit(prepare, batches[0]) if batches else None
            for index, batch in enumerate(batches):
                families, statements = upcoming.result()
                upcoming = (
                    pool.submit(prepare, batches[index + 1]) if index + 1 < len(batches) else None
                )
                with transaction.atomic(), connection.cursor() as cursor:
                    # Regenerable data: not waiting for the WAL flush at each commit is safe here.
                    cursor.execute("SET LOCAL synchronous_commit = off")
                    for statement, data in statements:
                        cursor.copy_expert(statement, data)
                created.extend(families)
                written += len(batch)
                if stdout is not None and len(batches) > 1:
                    stdout.write(f"  {written:,} of {len(numbers):,} families written")
        finally:
            if upcoming is not None:
                upcoming.cancel()
            pool.submit(connections.close_all).result()
    return SyntheticResult(created, skipped, deleted, time.perf_counter() - started)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """One value in PostgreSQL COPY text format."""
    kind = type(value)
    if kind is str:
        return value.translate(_COPY_ESCAPES)
    if value is None:
        return "\\N"
    if kind is int:
        return str(value)
    if kind is date or kind is datetime:
        return value.isoformat()
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):  # choices enums
        return str.__str__(value).translate(_COPY_ESCAPES)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        items = ",".join(
            '"' + str(item).replace("\\", "\\\\").replace('"', '\\"') + '"' for item in value
        )
        return ("{" + items + "}").translate(_COPY_ESCAPES)
    if isinstance(value, dict):
        return json.dumps(value).translate(_COPY_ESCAPES)
    return str(value).translate(_COPY_ESCAPES)


def copy_rows(cursor, model, rows: list[dict], now: datetime) -> None:
    """COPY rows (dicts of attname -> value) into the model's table.

    The fast path for bulk synthetic data (other apps' demo extensions use it too). Columns a
    row leaves out take the model field's default (timestamps `now`), so a field added later
    with a default needs no change here; one without a default fails loudly. Skips save(),
    signals and history: use it only for regenerable data.
    """
    if rows:
        cursor.copy_expert(*copy_statement(model, rows, now))


def copy_statement(model, rows: list[dict], now: datetime) -> tuple[str, io.StringIO]:
    """The COPY statement and its data for `copy_rows` (pure Python, no database)."""
    given = rows[0].keys()
    keys, columns, defaults, default_columns = [], [], [], []
    for model_field in model._meta.concrete_fields:
        if model_field.attname in given:
            keys.append(model_field.attname)
            columns.append(model_field.column)
        elif model_field.primary_key:
            continue
        elif getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
            defaults.append(_copy_text(now))
            default_columns.append(model_field.column)
        else:
            # What the model itself would store: its default, "" for text, NULL if nullable.
            default = model_field.get_default()
            if default is None and not model_field.null:
                raise ValueError(
                    f"{model.__name__}.{model_field.name} has no default: give it in the rows"
                )
            defaults.append(_copy_text(default))
            default_columns.append(model_field.column)
    columns += default_columns
    suffix = "".join("\t" + text for text in defaults) + "\n"
    values = itemgetter(*keys) if len(keys) > 1 else (lambda row, key=keys[0]: (row[key],))
    buffer = io.StringIO()
    write = buffer.write
    for row in rows:
        write("\t".join(map(_copy_text, values(row))) + suffix)
    buffer.seek(0)
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(column) for column in columns)
    return f"COPY {table} ({cols}) FROM STDIN", buffer


_copy_rows = copy_rows  # the name other apps' demo modules first imported


def reserve_ids(cursor, model, count: int) -> list[int]:
    """`count` primary keys from the model's sequence, to link rows before COPYing them."""
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [model._meta.db_table, model._meta.pk.column, count],
    )
    return [row[0] for row in cursor.fetchall()]


def _prepare_synthetic_batch(
    seed: int, numbers: list[int], *, council: Council, keyworkers: list[User]
) -> tuple[list[Family], list[tuple[str, io.StringIO]]]:
    """One batch's families and the COPY statements that write them (runs in the worker thread)."""
    specs = [synthetic_spec(seed, number) for number in numbers]
    now = timezone.now()
    families, people, memberships, problems, interventions, notes, consents, events = (
        [],
        [],
        [],
        [],
        [],
        [],
        [],
        [],
    )
    summary = f"Synthetic family generated in bulk (seed {seed}); no per-step history"
    with connection.cursor() as cursor:
        family_ids = reserve_ids(cursor, Family, len(specs))
        person_ids = iter(reserve_ids(cursor, Person, sum(len(spec.members) for spec in specs)))
    for family_id, number, spec in zip(family_ids, numbers, specs, strict=True):
        keyworker = keyworkers[(number - 1) // SYNTHETIC_CASELOAD]
        family = Family(
            id=family_id,
            reference=spec.reference,
            name=spec.name,
            address=spec.address,
            postcode=spec.postcode,
            locality_id=council.localities[spec.locality].pk,
            team_id=keyworker.team_id,
            lead_keyworker_id=keyworker.pk,
            status=spec.status,
            identified_on=spec.identified_on,
            attached_on=spec.attached_on,
            closed_on=spec.closed_on,
            closure_reason=spec.closure_reason,
            created_at=now,
            updated_at=now,
        )
        families.append(family)
        for slot, member in enumerate(spec.members, start=1):
            person_id = next(person_ids)
            people.append(
                {
                    "id": person_id,
                    "reference": f"{spec.reference}-{slot}",
                    "first_name": member.first_name,
                    "last_name": member.last_name,
                    "date_of_birth": member.date_of_birth,
                    "sex": member.sex,
                    "upn": member.upn,
                    "ni_number": member.ni_number,
                }
            )
            memberships.append(
                {
                    "family_id": family_id,
                    "person_id": person_id,
                    "role": member.role,
                    "relationship": member.relationship,
                    "start_date": member.start_date,
                    "end_date": member.end_date,
                    "end_reason": member.end_reason,
                }
            )
        for code, source, evidence in spec.problems:
            problems.append(
                {
                    "family_id": family_id,
                    "problem_id": code,
                    "identified_on": spec.identified_on,
                    "source": source,
                    "evidence": evidence,
                    "recorded_by_id": None,
                }
            )
        for item in spec.interventions:
            interventions.append(
                {
                    "family_id": family_id,
                    "service": item.service,
                    "worker_name": item.worker_name or keyworker.display_name,
                    "worker_id": keyworker.pk if item.by_keyworker else None,
                    "start_date": item.start_date,
                    "end_date": item.end_date,
                    "notes": item.notes,
                    "recorded_by_id": keyworker.pk,
                }
            )
        for occurred_on, text in spec.notes:
            notes.append(
                {
                    "family_id": family_id,
                    "author_id": keyworker.pk,
                    "occurred_on": occurred_on,
                    "text": text,
                }
            )
        if spec.consent:
            given_by, share_with, given_on, withdrawn_on = spec.consent
            consents.append(
                {
                    "family_id": family_id,
                    "person_id": None,
                    "given_by": given_by,
                    "share_with": share_with,
                    "given_on": given_on,
                    "withdrawn_on": withdrawn_on,
                    "notes": "",
                    "recorded_by_id": keyworker.pk,
                }
            )
        events.append(
            {
                "family_id": family_id,
                "kind": FamilyEvent.Kind.CREATED.value,
                "occurred_on": spec.identified_on,
                "summary": summary,
                "actor_id": None,
            }
        )
    family_rows = [
        {f.attname: getattr(family, f.attname) for f in Family._meta.concrete_fields}
        for family in families
    ]
    tables = [
        (Family, family_rows),
        (Person, people),
        (Membership, memberships),
        (FamilyProblem, problems),
        (Intervention, interventions),
        (CaseNote, notes),
        (ConsentRecord, consents),
        (FamilyEvent, events),
    ]
    statements = [copy_statement(model, rows, now) for model, rows in tables if rows]
    return families, statements


def digest(families) -> str:
    """A stable fingerprint of families' references, names, dates and members (for tests)."""
    h = hashlib.sha256()
    rows = (
        Membership.objects.filter(family__in=families)
        .order_by("family__reference", "person__reference")
        .values_list(
            "family__reference",
            "family__name",
            "family__status",
            "family__identified_on",
            "family__attached_on",
            "person__reference",
            "person__first_name",
            "person__last_name",
            "person__date_of_birth",
            "person__upn",
            "person__ni_number",
        )
    )
    for row in rows:
        h.update(repr(row).encode())
    return h.hexdigest()
