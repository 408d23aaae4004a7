"""Actions that cannot be undone ask first: a page says what will happen and offers "Confirm";
nothing changes, and nobody is told anything, until the user confirms."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from django.urls import reverse

from claims import services
from claims.models import ClaimBatch
from claims.tariffs import ensure_national_tariffs
from claims.workflow import Status
from families.models import AccessLog, Family, FamilyEvent, Notification
from tests import factories as f

pytestmark = pytest.mark.django_db
AS_OF = date(2016, 9, 30)


def text(response) -> str:
    body = response.content.decode().split('id="main-content"', 1)[1]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


@pytest.fixture
def claimable(keyworker):
    """A family led by `keyworker` that the Oxfordshire plan says can be claimed for."""
    return f.ClaimableFamilyFactory(reference="F-900010", name="Smith", lead_keyworker=keyworker)


@pytest.fixture
def draft(programme_manager, claimable):
    ensure_national_tariffs()
    return services.claim_batch_draft(actor=programme_manager, as_of=AS_OF)


def move_url(batch, action):
    return reverse("claims:batch_action", args=[batch.reference, action])


def test_submitting_for_audit_asks_first_then_acts_on_post(client_for, draft, programme_manager):
    client = client_for(programme_manager)
    page = client.get(move_url(draft, "submit_for_audit"))
    assert page.status_code == 200
    words = text(page)
    assert f"Submit claim batch {draft.reference} for audit" in words
    assert "What will happen" in words and "is frozen, with a digest" in words
    assert "You cannot undo this." in words
    assert 'name="confirm" value="yes"' in page.content.decode()
    assert "Confirm and submit for audit" in words
    assert ClaimBatch.objects.get(pk=draft.pk).status == Status.DRAFT
    done = client.post(move_url(draft, "submit_for_audit"), {"confirm": "yes"})
    assert done.status_code == 302
    assert ClaimBatch.objects.get(pk=draft.pk).status == Status.AWAITING_AUDIT


def test_sign_off_and_approval_each_have_a_confirmation_page(
    client_for, draft, programme_manager, auditor, second_programme_manager
):
    services.claim_batch_submit_for_audit(actor=programme_manager, batch=draft)
    services.claim_batch_draw_sample(actor=auditor, batch=draft, percent="50", minimum=1, seed=3)
    sampled = draft.claims.filter(in_sample=True)
    for claim in sampled:
        services.claim_verify(actor=auditor, claim=claim)
    page = client_for(auditor).get(move_url(draft, "sign_off"))
    words = text(page)
    assert f"Sign off claim batch {draft.reference}" in words
    outside = draft.claims.filter(in_sample=False).count()
    assert f"{outside} claim{'s' if outside != 1 else ''} outside the audit sample" in words
    assert "Sign-off note" in words
    assert ClaimBatch.objects.get(pk=draft.pk).status == Status.AWAITING_AUDIT
    client_for(auditor).post(move_url(draft, "sign_off"), {"confirm": "yes", "note": "Clean"})
    assert ClaimBatch.objects.get(pk=draft.pk).status == Status.SIGNED_OFF

    approve = text(client_for(second_programme_manager).get(move_url(draft, "approve")))
    assert "approved for submission to government" in approve and "Confirm and approve" in approve
    # Someone who may not approve is refused the page, with the reason, not a button that fails.
    refused = client_for(programme_manager).get(move_url(draft, "approve"))
    assert refused.status_code == 403
    assert "prepared" in text(refused)


def test_a_refused_confirmation_says_why_on_the_same_page(client_for, draft, programme_manager):
    services.claim_batch_submit_for_audit(actor=programme_manager, batch=draft)
    response = client_for(programme_manager).post(move_url(draft, "sign_off"), {"confirm": "yes"})
    assert response.status_code == 400
    assert "There is a problem" in text(response) and "Only an auditor can sign off." in text(
        response
    )


def test_checking_a_payment_changes_nothing_and_tells_nobody(
    client_for, draft, programme_manager, auditor, second_programme_manager, data_officer, claimable
):
    family = claimable
    services.claim_batch_submit_for_audit(actor=programme_manager, batch=draft)
    for claim in draft.claims.all():
        services.claim_verify(actor=auditor, claim=claim)
    services.claim_batch_sign_off(actor=auditor, batch=draft)
    services.claim_batch_approve(actor=second_programme_manager, batch=draft)
    services.claim_batch_submit_to_government(actor=data_officer, batch=draft)
    due = sum(c.amount for c in draft.claims.all())
    form = {
        "amount_received": f"{due:.2f}",
        "paid_on_day": "1",
        "paid_on_month": "12",
        "paid_on_year": "2016",
        "rejections": "",
    }
    url = reverse("claims:batch_payment", args=[draft.reference])
    before = Notification.objects.count(), FamilyEvent.objects.count()
    check = client_for(programme_manager).post(url, form)
    words = text(check)
    assert "1 family paid for results or continuous employment leave the programme" in words
    assert "Smith family (F-900010)" in words
    assert "Their keyworkers are told" in words
    # The confirmation names the family: that read is in the access log.
    assert AccessLog.objects.filter(
        user=programme_manager, family=family, action="previewed a payment"
    ).exists()
    assert (Notification.objects.count(), FamilyEvent.objects.count()) == before
    assert Family.objects.get(pk=family.pk).status == Family.Status.ATTACHED
    assert ClaimBatch.objects.get(pk=draft.pk).status == Status.SUBMITTED
    client_for(programme_manager).post(url, {**form, "confirm": "yes"})
    assert Family.objects.get(pk=family.pk).status == Family.Status.CLOSED
    assert Notification.objects.filter(family=family, user=family.lead_keyworker).exists()


def test_an_invalid_payment_is_refused_before_the_confirmation(
    client_for, draft, programme_manager, auditor, second_programme_manager, data_officer
):
    services.claim_batch_submit_for_audit(actor=programme_manager, batch=draft)
    for claim in draft.claims.all():
        services.claim_verify(actor=auditor, claim=claim)
    services.claim_batch_sign_off(actor=auditor, batch=draft)
    services.claim_batch_approve(actor=second_programme_manager, batch=draft)
    services.claim_batch_submit_to_government(actor=data_officer, batch=draft)
    response = client_for(programme_manager).post(
        reverse("claims:batch_payment", args=[draft.reference]),
        {
            "amount_received": "1.00",
            "paid_on_day": "1",
            "paid_on_month": "12",
            "paid_on_year": "2016",
        },
    )
    assert response.status_code == 400
    assert "does not match" in text(response) and "Confirm and record" not in text(response)


def test_closing_a_case_asks_first(client_for, team_manager, family):
    client = client_for(team_manager)
    form = {
        "reason": "stepped_down",
        "closed_on_day": "3",
        "closed_on_month": "2",
        "closed_on_year": "2016",
    }
    check = client.post(f"/families/{family.reference}/close/", form)
    words = text(check)
    assert "Close the Smith family's case" in words
    assert "The case closes on 3 February 2016: stepped down to universal services." in words
    assert "Confirm and close the case" in words
    assert not FamilyEvent.objects.filter(family=family, kind=FamilyEvent.Kind.CLOSED).exists()
    # "Change" goes back to the form with what was typed.
    change = client.post(f"/families/{family.reference}/close/", {**form, "change": "yes"})
    assert 'value="3"' in change.content.decode() and "Close the case" in text(change)
    client.post(f"/families/{family.reference}/close/", {**form, "confirm": "yes"})
    assert Family.objects.get(pk=family.pk).status == Family.Status.CLOSED


def test_a_sign_off_that_cannot_happen_yet_says_so_and_offers_no_confirm(
    client_for, draft, programme_manager, auditor
):
    services.claim_batch_submit_for_audit(actor=programme_manager, batch=draft)
    page = client_for(auditor).get(move_url(draft, "sign_off"))
    words = text(page)
    count = draft.claims.count()
    assert (
        f"You cannot sign off yet: {count} claim{'s' if count != 1 else ''} still to review"
        in words
    )
    assert "Confirm and sign off" not in words and 'name="confirm"' not in page.content.decode()
    assert "See the claims to review" in words
