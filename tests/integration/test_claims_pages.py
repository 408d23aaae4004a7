"""Claims pages: who may open each, what buttons they see, that forbidden actions are refused
with a clear message, and that page query counts do not grow with the batch."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.models import Claim, ClaimBatch
from claims.tariffs import ensure_national_tariffs
from claims.workflow import Status
from families.models import AccessLog, FamilyWorker
from tests import factories as f

AS_OF = date(2016, 9, 30)


@pytest.fixture(autouse=True)
def tariffs(db):
    ensure_national_tariffs()


def claimable(n=1):
    """Families whose evidence meets the Oxfordshire plan, evaluated on the claim date."""
    return f.ClaimableFamilyFactory.create_batch(n, evaluated_on=AS_OF)


@pytest.fixture
def awaiting(programme_manager):
    """Two families' claims, submitted for audit by the programme manager who drafted them."""
    return f.AwaitingAuditClaimBatchFactory(claimable=2, as_of=AS_OF, preparer=programme_manager)


@pytest.fixture
def approved(programme_manager, auditor, second_programme_manager):
    """The same, verified and signed off by the auditor and approved by another manager."""
    return f.ApprovedClaimBatchFactory(
        claimable=2,
        as_of=AS_OF,
        preparer=programme_manager,
        auditor=auditor,
        approver=second_programme_manager,
    )


ROLES = [
    "keyworker",
    "team_manager",
    "programme_manager",
    "auditor",
    "data_officer",
    "administrator",
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, dashboard, batch, evidence, download, audit_queue",
    [
        ("keyworker", 403, 403, 403, 403, 403),
        ("team_manager", 200, 200, 403, 403, 403),
        ("programme_manager", 200, 200, 200, 200, 403),
        ("auditor", 200, 200, 200, 200, 200),
        ("data_officer", 200, 200, 200, 200, 403),
        ("administrator", 200, 200, 200, 200, 403),
    ],
)
def test_role_by_page(
    request, client_for, approved, role, dashboard, batch, evidence, download, audit_queue
):
    user = request.getfixturevalue(role)
    client = client_for(user)
    claim = approved.claims.first()
    assert client.get(reverse("claims:dashboard")).status_code == dashboard
    assert (
        client.get(reverse("claims:batch_detail", args=[approved.reference])).status_code == batch
    )
    assert client.get(reverse("claims:claim_evidence", args=[claim.pk])).status_code == evidence
    assert (
        client.get(reverse("claims:batch_return_csv", args=[approved.reference])).status_code
        == download
    )
    assert (
        client.get(reverse("claims:batch_return_xlsx", args=[approved.reference])).status_code
        == download
    )
    assert (
        client.get(reverse("claims:batch_evidence_pack", args=[approved.reference])).status_code
        == download
    )
    assert client.get(reverse("claims:audit_queue")).status_code == audit_queue


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["keyworker", "team_manager", "auditor", "administrator"])
def test_only_preparers_may_draft(request, client_for, role):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("claims:batch_new")).status_code == 403
    assert (
        client.post(
            reverse("claims:batch_new"),
            {"as_of_day": "30", "as_of_month": "9", "as_of_year": "2016", "contents": "claimable"},
        ).status_code
        == 403
    )
    assert not ClaimBatch.objects.exists()


@pytest.mark.django_db
def test_manager_drafts_from_the_page(client_for, programme_manager):
    claimable(3)
    client = client_for(programme_manager)
    response = client.post(
        reverse("claims:batch_new"),
        {
            "as_of_day": "30",
            "as_of_month": "9",
            "as_of_year": "2016",
            "contents": "claimable",
            "note": "October claim",
        },
        follow=True,
    )
    assert response.status_code == 200
    batch = ClaimBatch.objects.get()
    assert f"Batch {batch.reference} drafted with 6 claims" in response.content.decode()
    assert batch.claims.count() == 6


@pytest.mark.django_db
def test_draft_form_errors_show_a_summary(client_for, programme_manager):
    response = client_for(programme_manager).post(
        reverse("claims:batch_new"), {"contents": "claimable"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and "Enter the claim date" in html
    assert response.context["form"].errors


@pytest.mark.django_db
def test_buttons_only_for_who_may_use_them(
    client_for, awaiting, programme_manager, auditor, second_programme_manager
):
    url = reverse("claims:batch_detail", args=[awaiting.reference])
    as_auditor = client_for(auditor).get(url).content.decode()
    assert "Sign off the batch" in as_auditor and "Draw an audit sample" in as_auditor
    assert "Approve the batch" not in as_auditor
    as_preparer = client_for(programme_manager).get(url).content.decode()
    assert "Sign off the batch" not in as_preparer and "Return to draft" not in as_preparer
    as_other_pm = client_for(second_programme_manager).get(url).content.decode()
    assert "Sign off the batch" not in as_other_pm


@pytest.mark.django_db
def test_forbidden_post_shows_the_reason(client_for, awaiting, programme_manager):
    response = client_for(programme_manager).post(
        reverse("claims:batch_action", args=[awaiting.reference, "sign_off"])
    )
    assert response.status_code == 400
    assert "Only an auditor can sign off." in response.content.decode()
    assert ClaimBatch.objects.get(pk=awaiting.pk).status == Status.AWAITING_AUDIT


@pytest.mark.django_db
def test_sign_off_before_review_says_what_is_left(client_for, awaiting, auditor):
    response = client_for(auditor).post(
        reverse("claims:batch_action", args=[awaiting.reference, "sign_off"])
    )
    assert response.status_code == 400
    assert (
        "Review every claim before signing off: 4 still to verify or reject"
        in response.content.decode()
    )


@pytest.mark.django_db
def test_return_needs_a_reason_on_the_page(client_for, awaiting, auditor):
    response = client_for(auditor).post(
        reverse("claims:batch_action", args=[awaiting.reference, "return"]), {"note": ""}
    )
    assert response.status_code == 400
    assert "Enter why the batch is going back to draft" in response.content.decode()


@pytest.mark.django_db
def test_auditor_reviews_on_the_evidence_page(client_for, awaiting, auditor):
    client = client_for(auditor)
    claim = awaiting.claims.order_by("pk").first()
    url = reverse("claims:claim_evidence", args=[claim.pk])
    page = client.get(url)
    html = page.content.decode()
    assert "Digest verified" in html and claim.snapshot.digest in html
    assert "Nothing has changed since the snapshot" in html
    assert AccessLog.objects.filter(user=auditor, family=claim.family, via="page").exists()
    refused = client.post(url, {"decision": "reject", "reason": ""})
    assert (
        refused.status_code == 400 and "Enter why the claim is rejected" in refused.content.decode()
    )
    done = client.post(
        url, {"decision": "reject", "reason": "No attendance data for the youngest child"}
    )
    assert done.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Claim.Status.REJECTED


@pytest.mark.django_db
def test_evidence_page_flags_changes_since_the_snapshot(client_for, awaiting, auditor):
    claim = awaiting.claims.filter(claim_type="results").first()
    # A further call-out with a child present: domestic abuse is no longer met.
    f.DomesticAbuseCalloutFactory(family=claim.family, callout_date=date(2016, 8, 31))
    f.evaluate(claim.family, as_of=AS_OF)
    html = (
        client_for(auditor).get(reverse("claims:claim_evidence", args=[claim.pk])).content.decode()
    )
    assert "Evidence changed since snapshot" in html
    assert "Claimable for results: yes in the snapshot, no now." in html


@pytest.mark.django_db
def test_auditor_who_worked_with_the_family_gets_no_review_form(client_for, awaiting, auditor):
    claim = awaiting.claims.first()
    FamilyWorker.objects.create(family=claim.family, user=auditor)
    client = client_for(auditor)
    url = reverse("claims:claim_evidence", args=[claim.pk])
    html = client.get(url).content.decode()
    assert "another auditor must review this claim" in html and "Your review" not in html
    response = client.post(url, {"decision": "verify"})
    assert response.status_code == 400
    assert "so another auditor must review this claim" in response.content.decode()


@pytest.mark.django_db
def test_sample_page(client_for, awaiting, auditor):
    client = client_for(auditor)
    url = reverse("claims:batch_sample", args=[awaiting.reference])
    bad = client.post(url, {"percent": "abc", "minimum": ""})
    assert bad.status_code == 400
    assert "like 10" in bad.content.decode()
    response = client.post(url, {"percent": "50", "minimum": "1", "seed": "99"})
    assert response.status_code == 302
    batch = ClaimBatch.objects.get(pk=awaiting.pk)
    assert batch.sample_seed == 99 and batch.claims.filter(in_sample=True).count() == 2


@pytest.mark.django_db
def test_payment_page_reconciles(client_for, approved, programme_manager, data_officer):
    services.claim_batch_submit_to_government(actor=data_officer, batch=approved)
    client = client_for(programme_manager)
    url = reverse("claims:batch_payment", args=[approved.reference])
    claim = approved.claims.filter(claim_type="results").first()
    form = {
        "amount_received": "2800.00",
        "paid_on_day": "1",
        "paid_on_month": "12",
        "paid_on_year": "2016",
        "rejections": "nonsense",
    }
    bad = client.post(url, form)
    assert bad.status_code == 400 and "Line 1 of claims government rejected" in bad.content.decode()
    wrong = client.post(url, {**form, "rejections": ""})
    assert "does not match the £3,600.00 due" in wrong.content.decode()
    good = {**form, "rejections": f"{claim.pk}: not sustained"}
    # A valid form shows what recording it will do, and changes nothing yet.
    check = client.post(url, good)
    assert check.status_code == 200
    page = check.content.decode()
    assert "Confirm and record the payment" in page and "not sustained" in page
    assert "leave the programme: their cases close, outcomes achieved" in page
    assert ClaimBatch.objects.get(pk=approved.pk).status == Status.SUBMITTED
    # "Change" goes back to the form, filled in.
    change = client.post(url, {**good, "change": "yes"})
    assert 'value="2800.00"' in change.content.decode()
    ok = client.post(url, {**good, "confirm": "yes"})
    assert ok.status_code == 302
    assert ClaimBatch.objects.get(pk=approved.pk).status == Status.PARTLY_REJECTED


@pytest.mark.django_db
def test_team_manager_sees_only_their_teams_claims(
    client_for, team_manager, keyworker, programme_manager
):
    mine = f.ClaimableFamilyFactory(lead_keyworker=keyworker, team=keyworker.team)
    theirs = claimable(1)[0]
    batch = services.claim_batch_draft(actor=programme_manager, as_of=AS_OF)
    html = (
        client_for(team_manager)
        .get(reverse("claims:batch_detail", args=[batch.reference]))
        .content.decode()
    )
    assert mine.reference in html and theirs.reference not in html


@pytest.mark.django_db
def test_add_and_remove_claims_on_the_page(client_for, programme_manager):
    family = f.ClaimableFamilyFactory(continuous_employment=True)
    batch = services.claim_batch_create(actor=programme_manager, as_of=AS_OF)
    client = client_for(programme_manager)
    url = reverse("claims:claim_add", args=[batch.reference])
    missing = client.post(url, {"family_reference": "F-999999", "claim_type": "results"})
    assert (
        missing.status_code == 400
        and "There is no family with that reference" in missing.content.decode()
    )
    assert (
        client.post(
            url, {"family_reference": family.reference.lower(), "claim_type": "results"}
        ).status_code
        == 302
    )
    twice = client.post(
        url, {"family_reference": family.reference, "claim_type": "continuous_employment"}
    )
    assert "already has a significant and sustained progress claim" in twice.content.decode()
    claim = batch.claims.get()
    assert (
        client.post(reverse("claims:claim_remove", args=[batch.reference, claim.pk])).status_code
        == 302
    )
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.WITHDRAWN


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_batch(client_for, programme_manager, auditor):
    claimable(2)
    small = services.claim_batch_draft(actor=programme_manager, as_of=AS_OF)
    services.claim_batch_submit_for_audit(actor=programme_manager, batch=small)
    claimable(30)
    large = services.claim_batch_draft(actor=programme_manager, as_of=AS_OF)
    services.claim_batch_submit_for_audit(actor=programme_manager, batch=large)
    assert large.claims.count() == 60
    for user in (programme_manager, auditor):
        client = client_for(user)
        assert _count_queries(
            client, reverse("claims:batch_detail", args=[small.reference])
        ) == _count_queries(client, reverse("claims:batch_detail", args=[large.reference]))
        dashboard = _count_queries(client, reverse("claims:dashboard"))
        claimable(5)
        services.claim_batch_draft(actor=programme_manager, as_of=AS_OF)
        assert _count_queries(client, reverse("claims:dashboard")) == dashboard
    audit = client_for(auditor)
    assert _count_queries(audit, reverse("claims:audit_queue")) <= 12
