"""The generator of demo and synthetic families: names, places, household shapes, problems,
the services that worked with them, notes and consent. Pure: everything follows from a seed and
the day the families are generated on (`today`): the same seed on the same day gives the same
families, and the same seed on another day gives the same families moved to that day.

Dates, relative to `today`: families waiting to be attached were identified in the last three
months; attached families were attached 2 to 20 months ago, a week to ten weeks after they were
identified; closed cases were worked for four months or more, or were declined within two months
of identification. Nothing is dated after `today`."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from families import identifiers
from families.models import (
    Family,
    FamilyProblem,
    Intervention,
)

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
        "Jodie Leanne Samantha Charlotte Kirsty Michelle Zoe Katie Rebecca Jade Louise Vicky "
        "Siobhán Niamh",
        "James Daniel Lee Craig Wayne Darren Jason Mark Paul Stuart Ryan Carl Dean Scott Gary Kevin "
        "Ashley Adam Jamie Liam Matthew Shaun Seán",
        "Olivia Amelia Lily Ella Grace Evie Ruby Chloe Sophie Jessica Mia Isla Poppy Freya Millie "
        "Holly Megan Ellie Maisie Leah Kayla Tia Lauren Courtney Zoë Chloé Aoife",
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
        4,
        "Yılmaz Kaya Demir Şahin Çelik Öztürk Aydın Arslan Doğan Koç",
        "Ayşe Elif Zeynep Fatma Emine Özlem Gül Derya",
        "Mehmet Mustafa Ahmet Emre Burak Hakan Serkan Murat",
        "Elif Zeynep Defne Eylül Ecrin Azra Nisa",
        "Yusuf Emir Ömer Mert Efe Aras Kerem",
        "Hatice Fadime Şükran Nuray",
        "Hüseyin İbrahim Hasan Ali",
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


@dataclass(frozen=True)
class Names:
    """Names a family must have, whatever the draw: the demo always includes names written with
    letters beyond A to Z (a "Zoë", a "Şahin" household), so every page shows them."""

    group: int | None = None  # an index into NAME_GROUPS
    surname: str = ""
    daughter: str = ""  # the first child is a girl with this name


TURKISH_NAMES = next(i for i, group in enumerate(NAME_GROUPS) if "Şahin" in group[1])


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


def _household(
    rng: random.Random, identified_on: date, ids: IdentifierSource, names: Names | None = None
) -> tuple[list[MemberSpec], tuple]:
    """A household of a plausible shape, oldest first, and the names it was drawn from."""
    names = names or Names()
    group = rng.choices(NAME_GROUPS, cum_weights=NAME_GROUP_CUM)[0]
    if names.group is not None:
        group = NAME_GROUPS[names.group]
    _, surnames, women, men, girls, boys, grandmothers, grandfathers = group
    surname = names.surname or rng.choice(surnames)
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
        if names.daughter and not any(m.role == "child" for m in members):
            sex, first = "female", names.daughter
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
        return members, group
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
    return members, group


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
        "Police attended {n} domestic incidents at the address in {this_year}, children present",
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
        "this_year": str(before.year),
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
    today: date,
    names: Names | None = None,
) -> FamilySpec:
    """One family, all its dates and records, drawn from `rng` (no database access); every
    date is on or before `today`."""
    # When the work started (and, for closed cases, how it ended), counted back from today.
    declined = status == Family.Status.CLOSED and rng.random() < 0.12
    attached_on = None
    if status == Family.Status.IDENTIFIED:
        identified_on = today - timedelta(days=rng.randint(5, 90))
    elif declined:
        identified_on = today - timedelta(days=rng.randint(80, 600))
    else:
        # Attached 2 to 20 months ago; a closed case was worked for at least four months.
        earliest = 150 if status == Family.Status.CLOSED else 61
        attached_on = today - timedelta(days=rng.randint(earliest, 608))
        identified_on = attached_on - timedelta(days=rng.randint(7, 70))
    members, name_group = _household(rng, identified_on, ids, names)
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

    spec.attached_on = attached_on
    work_until = today
    if status == Family.Status.CLOSED:
        if declined:
            spec.closed_on = min(identified_on + timedelta(days=rng.randint(20, 60)), today)
            spec.closure_reason = rng.choice(
                [Family.ClosureReason.DISENGAGED, Family.ClosureReason.MOVED_AWAY]
            )
        else:
            spec.closed_on = min(
                attached_on + timedelta(days=rng.randint(120, 420)),
                today - timedelta(days=rng.randint(0, 30)),
            )
            spec.closed_on = max(spec.closed_on, attached_on + timedelta(days=30))
            reasons = [r for r, _ in CLOSURE_REASONS]
            spec.closure_reason = rng.choices(reasons, cum_weights=CLOSURE_CUM)[0]
        work_until = spec.closed_on
    if spec.attached_on is None:
        return spec
    start = spec.attached_on

    # Household changes after attachment: a baby or a child coming home; a partner leaving.
    if rng.random() < 0.18 and work_until > start + timedelta(days=45):
        joined = _day(rng, start + timedelta(days=30), work_until - timedelta(days=14))
        _, _, _, _, girls, boys, _, _ = name_group
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
            ends = begins + timedelta(days=rng.randint(90, 240))
            ends = ends if ends < today else None  # still going
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
    # Written as the work happened: the first visit in the first week, the plan a week later,
    # the problems in the weeks after, the six-week review, and the closing visit on the day.
    when = {"opening": (0, 6), "plan": (7, 14), "review": (42, 49)}
    note_words = dict(words, adult2=adults[-1].first_name)
    for index, key in enumerate(keys):
        if key == "crime_asb" and not words["teen"]:
            key = "crime_asb_adult"
        texts = NOTES[key]
        if len(adults) < 2:  # "with Natalie and Natalie": only the notes about one adult
            texts = [text for text in texts if "{adult2}" not in text] or texts
        if key == "closing":
            on = work_until
        else:
            low, high = when.get(key, (15 + 7 * index, 21 + 7 * index))
            on = min(start + timedelta(days=rng.randint(low, high)), work_until)
        spec.notes.append((on, rng.choice(texts).format(**note_words)))

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
