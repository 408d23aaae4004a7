"""The demo families, written through `families.services` with the relevant manager or keyworker
as actor, each step on the day it happened, so row history and timeline events exist just as if
people had typed them in over the months of the work; then the evidence, plan, the nightly
check's history and the claims that build on them."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from families import services
from families.models import (
    CaseNote,
    ConsentRecord,
    Family,
    FamilyProblem,
    Intervention,
    Locality,
    Membership,
    User,
)

from . import access as demo_access
from . import evidence as demo_evidence
from . import history
from . import plans as demo_plans
from . import report_costs as demo_report_costs
from . import reports as demo_reports
from . import stars as demo_stars
from . import team as demo_team
from .clock import DemoClock
from .council import DEMO_SEED, LOCALITIES, Council
from .households import TURKISH_NAMES, DemoIdentifiers, FamilySpec, Names, family_spec

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
# Names the demo always shows, whatever the seed draws: `keyworker`'s first two attached families
# are a household with a daughter called Zoë and the Şahin household (names with letters beyond
# A to Z must read correctly on every page, in print and in the evidence pack).
DEMO_NAMES = {2: Names(group=0, daughter="Zoë"), 3: Names(group=TURKISH_NAMES, surname="Şahin")}
TEAM_MANAGERS = {
    Locality.Area.CENTRAL: "teammanager",
    Locality.Area.NORTH: "teammanager_north",
    Locality.Area.SOUTH: "teammanager_south",
}


def demo_reference(number: int) -> str:
    return f"F-{number:06d}"


def demo_family_specs(
    seed: int = DEMO_SEED, today: date | None = None
) -> list[tuple[FamilySpec, str | None, str]]:
    """The demo's families as (spec, lead keyworker username, area), the same for a seed and a
    day (`today`, default today): another day gives the same families, dated from that day."""
    today = today or timezone.localdate()
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
                rng,
                reference=demo_reference(number),
                locality=locality,
                status=status,
                ids=ids,
                today=today,
                names=DEMO_NAMES.get(number),
            )
            specs.append((spec, keyworker, area))
    return specs


def _write_family(
    spec: FamilySpec,
    council: Council,
    users: dict[str, User],
    keyworker: User | None,
    manager: User,
    clock: DemoClock,
) -> Family:
    """Write one family through the services, each step on the day it happened (`demo.clock`),
    so the family's history and timeline read in the order the work was done."""
    worker = keyworker or manager
    with clock.at(spec.identified_on, 10):
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
        with clock.at(spec.attached_on, 11):
            family = services.family_attach(
                actor=manager, family=family, attached_on=spec.attached_on, keyworker=keyworker
            )
        if spec.consent:
            given_by, share_with, given_on, withdrawn_on = spec.consent
            with clock.at(given_on, 14):
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
                with clock.at(withdrawn_on, 14):
                    services.consent_withdraw(
                        actor=worker, consent=consent, withdrawn_on=withdrawn_on
                    )
        for item in spec.interventions:
            # Recorded when the service started; its end recorded when it finished.
            with clock.at(item.start_date, 12):
                intervention = services.intervention_record(
                    actor=worker,
                    family=family,
                    service=item.service,
                    start_date=item.start_date,
                    worker=keyworker if item.by_keyworker else None,
                    worker_name=item.worker_name,
                    notes=item.notes,
                )
            if item.end_date is not None:
                with clock.at(item.end_date, 12):
                    services.intervention_end(
                        actor=worker, intervention=intervention, end_date=item.end_date
                    )
        for member in spec.members:
            if member.joined_later:
                with clock.at(member.start_date, 13):
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
                with clock.at(member.end_date, 13):
                    services.membership_end(
                        actor=worker,
                        membership=memberships[id(member)],
                        end_date=member.end_date,
                        reason=member.end_reason,
                    )
        for occurred_on, text in spec.notes:
            with clock.at(occurred_on, 16):
                services.case_note_add(
                    actor=worker, family=family, text=text, occurred_on=occurred_on
                )
    if spec.closed_on is not None:
        with clock.at(spec.closed_on, 15):
            family = services.family_close(
                actor=manager, family=family, closed_on=spec.closed_on, reason=spec.closure_reason
            )
    return family


def seed_demo_families(
    council: Council, users: dict[str, User], seed: int = DEMO_SEED, today: date | None = None
) -> tuple[list[Family], list[str]]:
    """Create the demo families that do not exist yet, dated from `today` (default today).
    Returns (created, all demo references)."""
    today = today or timezone.localdate()
    specs = demo_family_specs(seed, today)
    references = [spec.reference for spec, _, _ in specs]
    existing = set(
        Family.objects.filter(reference__in=references).values_list("reference", flat=True)
    )
    created = []
    clock = DemoClock(today)
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
                    clock,
                )
            )
    return created, references


# --- extensions -------------------------------------------------------------------------------


def build_on_families(
    *, families: list[Family], seed: int, synthetic: bool, stdout, today: date | None = None
) -> list[str]:
    """Add what builds on the families: their evidence and the plan in force (`demo.evidence`),
    then the history of the nightly check, its notifications and the claim batches
    (`demo.history`), then their assessments, family plans and reviews (`demo.plans`), all
    dated from `today` (default today).

    Each step is called with the families, an `rng`, `synthetic` and `stdout`; the families'
    own dates (identified, attached, closed) are where a step reads when the work happened.
    Each step draws from its own `random.Random`, seeded from the command's seed and the step's
    name, so one step's draws do not shift another's. Steps are idempotent: they add only to
    the families given (none on a re-run of `seed_demo`) and create council-wide rows with
    get_or_create. Returns the names of the steps, for the command's summary.
    """
    today = today or timezone.localdate()
    steps = [
        # First, so what follows reads the families as they are after it (one reopened).
        ("families.team", partial(demo_team.extend_demo, today=today)),
        ("outcomes.demo", partial(demo_evidence.extend_demo, today=today)),
        ("claims.demo", partial(history.extend_demo, today=today)),
        ("casework.demo", partial(demo_plans.extend_demo, today=today)),
        ("reports.demo", partial(demo_reports.extend_demo, today=today)),
        ("reports.costs", demo_report_costs.extend_demo),
        ("casework.stars", partial(demo_stars.extend_demo, today=today)),
        ("families.access", partial(demo_access.extend_demo, today=today)),
    ]
    for name, step in steps:
        # The seed names are the ones these steps have always drawn from: same seed, same data.
        step(
            families=families,
            rng=random.Random(f"{seed}:{name}"),
            synthetic=synthetic,
            stdout=stdout,
        )
        if name == "families.team":
            for family in families:
                family.refresh_from_db()
    if synthetic:
        return [
            "evidence and the plan in force",
            "the nightly check on the last claim date and today",
            "identification targets for each programme year",
        ]
    return [
        "the team around the family: named workers, partner professionals, a step down, "
        "a reopened case, typed and sensitive notes with a letter attached",
        "evidence and the plan in force",
        "the nightly check's history, notifications and claim batches",
        "early help assessments, family plans and reviews",
        "identification targets for each programme year",
        "the unit cost table for the cost savings report",
        "Outcomes Stars at baseline and review",
        "who read Sarah Whitfield's families' records over the last fortnight",
    ]


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
    # `make run` (config.settings.dev) allows it; anything else must say --force.
    if not getattr(settings, "DEMO_DATA_ALLOWED", False) and not force:
        return (
            "This does not look like a demo or development environment: demo data was not "
            "loaded. Run again with --force if this really is a demo or test environment."
        )
    return None
