"""Claims for the demo council: tariffs, claim dates, and claim batches at each stage of the
workflow (paid, awaiting audit, draft), so the demo shows the whole of it.

The batches are made by `demo.history` on the council's claim dates as it replays the past
year, right after that date's nightly check, so every claim rests on the evaluation for its
claim date. Writes go through `claims.services` with the demo's people as actors, so the batch
event log and row history read as if people did the work: the data officer prepares, the auditor
audits, the second programme manager approves, and the programme manager records the payment
(which closes the families paid for results, as outcomes achieved).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from claims import services
from claims.models import ClaimBatch, ClaimDate, ClaimType
from claims.tariffs import ensure_national_tariffs
from families.models import Family, User

from .clock import DemoClock
from .dates import claim_dates


def ensure_claim_dates(today: date) -> int:
    """The national tariffs and the council's claim dates (the quarter days of the past year and
    the next one); returns how many tariffs were missing."""
    created = ensure_national_tariffs()
    for on in claim_dates(today):
        ClaimDate.objects.get_or_create(date=on, defaults={"note": "Quarterly claim"})
    return created


def _person(username: str, role: str) -> User | None:
    return (
        User.objects.filter(username=username, role=role).first()
        or User.objects.filter(role=role).order_by("pk").first()
    )


@dataclass
class People:
    preparer: User
    manager: User
    approver: User
    auditor: User


def demo_people() -> People | None:
    """Who does the claims work: None when the demo's people are missing."""
    preparer = _person("dataofficer", User.Role.DATA_OFFICER)
    manager = _person("programmemanager", User.Role.PROGRAMME_MANAGER)
    approver = (
        User.objects.filter(role=User.Role.PROGRAMME_MANAGER)
        .exclude(pk=getattr(manager, "pk", None))
        .order_by("pk")
        .first()
    )
    auditor = _person("auditor", User.Role.AUDITOR)
    if not (preparer and manager and approver and auditor):
        return None
    return People(preparer, manager, approver, auditor)


@dataclass
class BatchPlan:
    """The claims to put in one batch: family id -> (attachment fee?, outcome claim type)."""

    claim_date: date
    stage: str  # "paid", "awaiting audit" or "draft"
    claims: dict[int, tuple[bool, str | None]] = field(default_factory=dict)


def draft(plan: BatchPlan, people: People, clock: DemoClock) -> ClaimBatch | None:
    """Draft the batch on its claim date, after the night's check: the data officer prepares the
    paid and audited batches, the programme manager the latest one."""
    if not plan.claims:
        return None
    actor = people.manager if plan.stage == "draft" else people.preparer
    quarter = f"{plan.claim_date:%B %Y}"
    with clock.at(plan.claim_date, 9, 30):
        batch = services.claim_batch_create(
            actor=actor, as_of=plan.claim_date, note=f"Claim for the quarter to {quarter}"
        )
        families = Family.objects.in_bulk(list(plan.claims))
        for family_id, (attachment, outcome) in sorted(plan.claims.items()):
            family = families[family_id]
            if attachment:
                services.claim_add(
                    actor=actor, batch=batch, family=family, claim_type=ClaimType.ATTACHMENT
                )
            if outcome:
                services.claim_add(actor=actor, batch=batch, family=family, claim_type=outcome)
    return batch


def submit_for_audit(batch: ClaimBatch, people: People, clock: DemoClock) -> ClaimBatch:
    """A few days after the claim date the evidence is frozen and the batch goes to audit."""
    with clock.at(batch.as_of + timedelta(days=3), 11):
        return services.claim_batch_submit_for_audit(actor=people.preparer, batch=batch)


def audit_approve_and_pay(batch: ClaimBatch, people: People, clock: DemoClock) -> date:
    """Every claim checked and signed off within a fortnight, approved, sent to government, and
    paid eight weeks after the claim date; returns the day it was paid."""
    with clock.at(batch.as_of + timedelta(days=8), 10):
        for claim in batch.claims.all():
            services.claim_verify(actor=people.auditor, claim=claim)
    with clock.at(batch.as_of + timedelta(days=10), 16):
        services.claim_batch_sign_off(
            actor=people.auditor,
            batch=batch,
            note="All claims checked against the frozen evidence",
        )
    with clock.at(batch.as_of + timedelta(days=12), 10):
        services.claim_batch_approve(actor=people.approver, batch=batch)
    with clock.at(batch.as_of + timedelta(days=13), 12):
        services.claim_batch_submit_to_government(actor=people.preparer, batch=batch)
    paid_on = batch.as_of + timedelta(weeks=8)
    with clock.at(paid_on, 14):
        due = sum(c.amount for c in batch.claims.all())
        services.claim_batch_record_payment(
            actor=people.manager,
            batch=batch,
            amount_received=due,
            paid_on=paid_on,
            note="Remittance from government for the quarter's claims",
        )
    return paid_on


OUTCOME_TYPES = {
    "results": ClaimType.RESULTS,
    "continuous_employment": ClaimType.CONTINUOUS_EMPLOYMENT,
}
