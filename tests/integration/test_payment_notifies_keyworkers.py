"""Recording a payment closes the families paid for results, and tells their keyworkers."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.test import override_settings

from claims import services
from claims.tariffs import ensure_national_tariffs
from families.models import Family, FamilyWorker, Notification
from tests import factories as f

pytestmark = pytest.mark.django_db
AS_OF = date(2016, 9, 30)


@pytest.fixture
def submitted(
    programme_manager, second_programme_manager, auditor, data_officer, keyworker, other_keyworker
):
    ensure_national_tariffs()
    paid = f.ClaimableFamilyFactory(name="Nowak", reference="F-800001", lead_keyworker=keyworker)
    refused = f.ClaimableFamilyFactory(
        name="Jones", reference="F-800002", lead_keyworker=other_keyworker
    )
    FamilyWorker.objects.create(family=paid, user=other_keyworker)
    batch = services.claim_batch_draft(actor=programme_manager, as_of=AS_OF)
    services.claim_batch_submit_for_audit(actor=programme_manager, batch=batch)
    for claim in batch.claims.all():
        services.claim_verify(actor=auditor, claim=claim)
    services.claim_batch_sign_off(actor=auditor, batch=batch)
    services.claim_batch_approve(actor=second_programme_manager, batch=batch)
    services.claim_batch_submit_to_government(actor=data_officer, batch=batch)
    return batch, paid, refused


@override_settings(NOTIFY_BY_EMAIL=True)
def test_keyworkers_hear_that_their_family_closed_with_the_payment(
    submitted, programme_manager, keyworker, other_keyworker, django_capture_on_commit_callbacks
):
    batch, paid, refused = submitted
    keyworker.email = "alice@example.org"
    keyworker.save()
    refused_claims = {c.pk: "not sustained" for c in batch.claims.filter(family=refused)}
    due = sum(c.amount for c in batch.claims.filter(family=paid))
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_batch_record_payment(
            actor=programme_manager,
            batch=batch,
            amount_received=due,
            paid_on=date(2016, 12, 1),
            rejections=refused_claims,
        )
    assert Family.objects.get(pk=paid.pk).status == Family.Status.CLOSED
    assert Family.objects.get(pk=refused.pk).status == Family.Status.ATTACHED

    told = Notification.objects.filter(family=paid)
    assert {n.user for n in told} == {keyworker, other_keyworker}  # lead and named worker
    message = told.get(user=keyworker).message
    assert "Nowak family (F-800001)" in message and batch.reference in message
    assert "case is now closed" in message
    assert told.get(user=keyworker).url == f"/families/{paid.reference}/"
    # Nobody hears about the family whose claim government rejected: it stays open.
    assert not Notification.objects.filter(family=refused).exists()
    # The email names the reference only, never the family.
    (email,) = [m for m in mail.outbox if "alice@example.org" in m.to]
    assert "F-800001" in email.subject and "Nowak" not in email.subject + email.body


def test_recording_nothing_closed_tells_nobody(submitted, programme_manager):
    batch, paid, refused = submitted
    rejections = {c.pk: "not sustained" for c in batch.claims.all()}
    services.claim_batch_record_payment(
        actor=programme_manager,
        batch=batch,
        amount_received="0.00",
        paid_on=date(2016, 12, 1),
        rejections=rejections,
    )
    assert not Notification.objects.filter(family__in=[paid, refused]).exists()
