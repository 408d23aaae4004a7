"""Claims factories: tariffs, claim dates, claim batches at each step of their workflow, claims and
evidence snapshots.

Tariffs and claim dates are configuration rows, written through the models. Batches, claims and
snapshots have a history and an event log, so they are made by `claims.services` as people make
them: a programme manager drafts the batch from the families that can be claimed for and submits
it for audit (the service takes the evidence snapshots), an auditor verifies every claim and signs
off, another programme manager approves, and the preparer submits the return and records the
payment. The families are `ClaimableFamilyFactory` families, evaluated by the real engine.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from claims import services
from claims.models import Claim, ClaimBatch, ClaimDate, ClaimType, EvidenceSnapshot, Phase, Tariff
from claims.tariffs import ensure_national_tariffs
from claims.workflow import Status

from .families import AuditorFactory, ProgrammeManagerFactory
from .outcomes import EVALUATED_ON, ClaimableFamilyFactory

# The claim date the batches are drafted for, and the day the government's payment arrives.
CLAIM_DATE = EVALUATED_ON
PAID_ON = date(2016, 12, 1)


class TariffFactory(DjangoModelFactory):
    """A tariff row (the national ones are seeded by migration: see `ensure_national_tariffs`)."""

    class Meta:
        model = Tariff
        django_get_or_create = ("phase", "claim_type", "effective_from")

    phase = Phase.PHASE_2
    claim_type = ClaimType.RESULTS
    effective_from = date(2015, 4, 1)
    effective_to = None
    amount = Decimal("800.00")
    description = "Phase 2 significant and sustained progress"


class ClaimDateFactory(DjangoModelFactory):
    """One of the council's claim dates; `drafted=True` for one whose batch was drafted already."""

    class Meta:
        model = ClaimDate
        django_get_or_create = ("date",)

    class Params:
        drafted = factory.Trait(drafted_at=factory.LazyFunction(timezone.now))

    date = CLAIM_DATE
    note = "Autumn claim"


# The moves the programme's claims process allows (brief: draft → audit → sign-off → approval →
# submission → payment, with returns to draft), written out independently of claims.workflow:
# the workflow tests hold the declared transitions and the services to it.
ALLOWED_MOVES = {
    (Status.DRAFT, Status.AWAITING_AUDIT),
    (Status.AWAITING_AUDIT, Status.SIGNED_OFF),
    (Status.AWAITING_AUDIT, Status.DRAFT),
    (Status.SIGNED_OFF, Status.APPROVED),
    (Status.SIGNED_OFF, Status.DRAFT),
    (Status.APPROVED, Status.SUBMITTED),
    (Status.SUBMITTED, Status.PAID),
    (Status.SUBMITTED, Status.PARTLY_REJECTED),
}


# The steps after drafting, in order, and who takes each.
def _submit_for_audit(batch, people):
    return services.claim_batch_submit_for_audit(actor=people["preparer"], batch=batch)


def _sign_off(batch, people):
    for claim in batch.claims.filter(status=Claim.Status.PENDING):
        services.claim_verify(actor=people["auditor"], claim=claim)
    return services.claim_batch_sign_off(actor=people["auditor"], batch=batch)


def _approve(batch, people):
    return services.claim_batch_approve(actor=people["approver"], batch=batch)


def _submit_to_government(batch, people):
    return services.claim_batch_submit_to_government(actor=people["preparer"], batch=batch)


def _record_payment(batch, people):
    due = sum(
        (c.amount for c in batch.claims.filter(status=Claim.Status.VERIFIED)), Decimal("0.00")
    )
    return services.claim_batch_record_payment(
        actor=people["preparer"], batch=batch, amount_received=due, paid_on=people["paid_on"]
    )


STEPS = [
    (Status.AWAITING_AUDIT, _submit_for_audit),
    (Status.SIGNED_OFF, _sign_off),
    (Status.APPROVED, _approve),
    (Status.SUBMITTED, _submit_to_government),
    (Status.PAID, _record_payment),
]


class ClaimBatchFactory(DjangoModelFactory):
    """A draft claim batch, drafted by `claim_batch_draft` for `preparer` (a new programme manager
    unless given) after making `claimable` families that can be claimed for: two claims each, an
    attachment fee and a results payment. Drafting takes every family that can be claimed for and
    is not yet, so families a test made before are in it too. `claimable=0` starts an empty draft
    instead (`claim_batch_create`).

    The subclasses take the batch on through the workflow; `auditor` (who verifies every claim and
    signs off) and `approver` are made when a step needs them and none is given.
    """

    class Meta:
        model = ClaimBatch

    as_of = CLAIM_DATE
    note = ""
    preparer = factory.SubFactory(ProgrammeManagerFactory)
    auditor = None
    approver = None
    claimable = 2
    status = Status.DRAFT
    paid_on = PAID_ON

    @classmethod
    def _create(
        cls, model_class, *, as_of, note, preparer, auditor, approver, claimable, status, paid_on
    ):
        ensure_national_tariffs()
        if claimable:
            ClaimableFamilyFactory.create_batch(claimable, evaluated_on=as_of)
            batch = services.claim_batch_draft(actor=preparer, as_of=as_of, note=note)
        else:
            batch = services.claim_batch_create(actor=preparer, as_of=as_of, note=note)
        people = {
            "preparer": preparer,
            "auditor": auditor,
            "approver": approver,
            "paid_on": paid_on,
        }
        order = [step for step, _ in STEPS]
        if status != Status.DRAFT and status not in order:
            raise ValueError(f"No factory step reaches a {status} batch")
        for step, take in STEPS[: order.index(status) + 1] if status in order else []:
            if step == Status.SIGNED_OFF and people["auditor"] is None:
                people["auditor"] = AuditorFactory()
            if step == Status.APPROVED and people["approver"] is None:
                people["approver"] = ProgrammeManagerFactory()
            batch = take(batch, people)
        return ClaimBatch.objects.get(pk=batch.pk)


class AwaitingAuditClaimBatchFactory(ClaimBatchFactory):
    """Submitted for audit: every claim's evaluation and evidence frozen in a snapshot."""

    status = Status.AWAITING_AUDIT


class SignedOffClaimBatchFactory(ClaimBatchFactory):
    """Every claim verified by an auditor who did not prepare it, and the batch signed off."""

    status = Status.SIGNED_OFF


class ApprovedClaimBatchFactory(ClaimBatchFactory):
    """Signed off, then approved by a programme manager who neither prepared nor signed it off."""

    status = Status.APPROVED


class SubmittedClaimBatchFactory(ClaimBatchFactory):
    """Approved, and the return submitted to government by the preparer."""

    status = Status.SUBMITTED


class PaidClaimBatchFactory(ClaimBatchFactory):
    """Submitted, and the government's payment of every claim recorded: the families paid a
    results claim are closed (outcomes achieved)."""

    status = Status.PAID


class ClaimFactory(DjangoModelFactory):
    """One family's claim (results unless given) added to a draft batch by `claim_add`, by whoever
    started the batch; the family is one that can be claimed for, and the batch an empty draft,
    unless given."""

    class Meta:
        model = Claim

    batch = factory.SubFactory(ClaimBatchFactory, claimable=0)
    family = factory.SubFactory(
        ClaimableFamilyFactory, evaluated_on=factory.SelfAttribute("..batch.as_of")
    )
    claim_type = ClaimType.RESULTS
    actor = factory.LazyAttribute(lambda o: o.batch.created_by)

    @classmethod
    def _create(cls, model_class, *, batch, family, claim_type, actor):
        return services.claim_add(actor=actor, batch=batch, family=family, claim_type=claim_type)


class EvidenceSnapshotFactory(DjangoModelFactory):
    """A claim's evidence snapshot, taken by `claim_batch_submit_for_audit` when whoever started
    its batch submits the batch for audit."""

    class Meta:
        model = EvidenceSnapshot

    claim = factory.SubFactory(ClaimFactory)

    @classmethod
    def _create(cls, model_class, *, claim):
        batch = claim.batch
        services.claim_batch_submit_for_audit(actor=batch.created_by, batch=batch)
        return model_class.objects.filter(claim=claim).first()
