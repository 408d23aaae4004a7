"""The demo's team around the family and case movement, dated from the day the demo is loaded:
a family support worker named on two of Sarah Whitfield's families, professionals from other
agencies (one of them a family's lead professional), a family stepped up to children's social
care and down again, a closed case reopened, typed case notes (one of them sensitive, one with a
short letter attached). The families created with no keyworker stay in their teams' unallocated
queues. Everything goes through `families.services`, with the demo clock set to the day it
happened."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from families import services
from families.models import CaseNote, Family, Notification, User

from .clock import DemoClock

FAMILY_WORKER = "familyworker"

PARTNERS = [
    # (name, role, organisation, agency, phone, email, lead professional)
    (
        "Priya Chaudhry",
        "Designated safeguarding lead",
        "Cherwell School",
        "school",
        "01865 558719",
        "safeguarding@cherwell.example.org",
        True,
    ),
    (
        "Kate Morris",
        "Health visitor",
        "Oxford Health NHS Foundation Trust",
        "health",
        "01865 904000",
        "",
        False,
    ),
    (
        "PC Lewis Grant",
        "Neighbourhood officer",
        "Thames Valley Police",
        "police",
        "101",
        "",
        False,
    ),
    (
        "Joanne Price",
        "Tenancy support officer",
        "Oxford City Council Housing",
        "housing",
        "01865 249811",
        "tenancy.support@oxford.example.gov.uk",
        False,
    ),
]

LETTER = (
    "Cherwell School\n\nDear parent or carer,\n\nWe are writing about your child's attendance "
    "this half term. Please come in to talk about the support we can offer together.\n\n"
    "Yours faithfully,\nAttendance team\n"
)


def _after(on: date, days: int, today: date) -> date:
    return min(on + timedelta(days=days), today)


def extend_demo(
    *,
    families: list[Family],
    rng: random.Random,
    synthetic: bool,
    stdout,
    today: date | None = None,
) -> None:
    """Add the team around the family to the demo families (none on a re-run)."""
    if synthetic or not families:
        return
    today = today or timezone.localdate()
    clock = DemoClock(today)
    users = {u.username: u for u in User.objects.filter(username__in=["keyworker", FAMILY_WORKER])}
    managers = {u.team_id: u for u in User.objects.filter(role=User.Role.TEAM_MANAGER)}
    keyworker = users.get("keyworker")
    attached = [
        f
        for f in families
        if f.status == Family.Status.ATTACHED and f.lead_keyworker_id is not None
    ]
    mine = [f for f in attached if keyworker and f.lead_keyworker_id == keyworker.pk]
    if not mine:
        return
    manager = managers[mine[0].team_id]

    # A family support worker named on two of Sarah's families.
    worker = users.get(FAMILY_WORKER)
    if worker is not None:
        for family in mine[:2]:
            named_on = _after(family.attached_on, 21, today)
            with clock.at(named_on, 10):
                services.family_worker_add(actor=manager, family=family, user=worker)
            # She read that she had been named the next day (the demo's past is read).
            with clock.at(named_on + timedelta(days=1), 9):
                services.notification_mark_read(
                    user=worker,
                    notification_ids=Notification.objects.filter(
                        user=worker, family=family
                    ).values_list("pk", flat=True),
                )

    # Professionals from other agencies on the first four of Sarah's families.
    for family, (name, role, organisation, agency, phone, email, lead) in zip(
        mine, PARTNERS, strict=False
    ):
        joined = _after(family.attached_on, 14, today)
        with clock.at(joined, 11):
            services.partner_professional_add(
                actor=family.lead_keyworker,
                family=family,
                name=name,
                role=role,
                organisation=organisation,
                agency=agency,
                phone=phone,
                email=email,
                is_lead_professional=lead,
                from_date=joined,
            )

    # Typed notes on Sarah's first family: a visit with who was there, a call, a letter with
    # the letter attached, and a sensitive note only she and managers can read.
    family = mine[0]
    people = [m.person for m in family.memberships.filter(end_date=None).select_related("person")]
    written = _after(family.attached_on, 30, today)
    notes = [
        (CaseNote.Kind.VISIT, 0, "Home visit: talked through the morning routine with mum.", False),
        (CaseNote.Kind.CALL, 7, "Phone call with the school about attendance this week.", False),
        (CaseNote.Kind.LETTER, 12, "Letter from the school about attendance, attached.", False),
        (
            CaseNote.Kind.MEETING,
            20,
            "Mum told me about worries at home she does not want shared with the school.",
            True,
        ),
    ]
    for kind, days, text, sensitive in notes:
        on = _after(written, days, today)
        files = []
        if kind == CaseNote.Kind.LETTER:
            files = [SimpleUploadedFile("school-attendance-letter.txt", LETTER.encode())]
        with clock.at(on, 16):
            services.case_note_add(
                actor=family.lead_keyworker,
                family=family,
                kind=kind,
                occurred_on=on,
                text=text,
                present=people[:2] if kind == CaseNote.Kind.VISIT else [],
                present_others="Priya Chaudhry, Cherwell School"
                if kind == CaseNote.Kind.MEETING
                else "",
                sensitive=sensitive,
                files=files,
            )

    # One family stepped up to children's social care and, three months later, down again.
    stepped = next(
        (f for f in attached[::-1] if f.attached_on <= today - timedelta(days=150)), None
    )
    if stepped is not None:
        boss = managers[stepped.team_id]
        up = stepped.attached_on + timedelta(days=40)
        down = up + timedelta(days=90)
        with clock.at(up, 15):
            services.family_step_change(
                actor=boss,
                family=stepped,
                direction="up",
                occurred_on=up,
                reason="A strategy meeting agreed a child protection enquiry.",
            )
        with clock.at(down, 15):
            services.family_step_change(
                actor=boss,
                family=stepped,
                direction="down",
                occurred_on=down,
                reason="The child protection plan ended; early help continues with the keyworker.",
            )

    # One attached family's closed case reopened when the family asked for help again
    # (one that had moved away, where there is one).
    closed = sorted(
        (
            f
            for f in families
            if f.status == Family.Status.CLOSED
            and f.attached_on is not None
            and f.closed_on <= today - timedelta(days=30)
        ),
        key=lambda f: (f.closure_reason != Family.ClosureReason.MOVED_AWAY, f.reference),
    )
    if closed:
        family = closed[0]
        why = (
            "The family moved back into the area and asked for help again."
            if family.closure_reason == Family.ClosureReason.MOVED_AWAY
            else "The family asked for help again."
        )
        with clock.at(_after(family.closed_on, 21, today), 9):
            services.family_reopen(actor=managers[family.team_id], family=family, reason=why)
    if stdout is not None:
        stdout.write("Team around the family: named workers, partners, step changes, a reopening")
