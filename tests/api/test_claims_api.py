"""Claims API: each role × endpoint, the actions with the workflow's rules (400/403 with clear
messages, never 500), and the access log."""

from __future__ import annotations

from datetime import date

import pytest

from claims import services
from claims.models import Claim, ClaimBatch
from claims.tariffs import ensure_national_tariffs
from claims.workflow import Status
from families.models import AccessLog
from tests import factories as f

AS_OF = date(2016, 9, 30)
BATCHES = "/api/v1/claim-batches/"
CLAIMS = "/api/v1/claims/"


@pytest.fixture(autouse=True)
def tariffs(db):
    ensure_national_tariffs()


@pytest.fixture
def awaiting(programme_manager):
    """Two families' claims, submitted for audit by the programme manager who drafted them."""
    return f.AwaitingAuditClaimBatchFactory(claimable=2, as_of=AS_OF, preparer=programme_manager)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, reads, evidence",
    [
        ("keyworker", 403, 403),
        ("team_manager", 200, 403),
        ("programme_manager", 200, 200),
        ("auditor", 200, 200),
        ("data_officer", 200, 200),
        ("administrator", 200, 200),
    ],
)
def test_role_by_read_endpoint(request, api_for, awaiting, role, reads, evidence):
    api = api_for(request.getfixturevalue(role))
    claim = awaiting.claims.first()
    assert api.get(BATCHES).status_code == reads
    assert api.get(f"{BATCHES}{awaiting.reference}/").status_code == reads
    assert api.get(f"{BATCHES}{awaiting.reference}/events/").status_code == reads
    assert api.get(f"{CLAIMS}?batch={awaiting.reference}").status_code == reads
    # Team managers see only their team's families' claims: this family is not theirs.
    expected_detail = 404 if role == "team_manager" else reads
    assert api.get(f"{CLAIMS}{claim.pk}/").status_code == expected_detail
    expected_evidence = 403 if evidence == 403 else evidence
    assert api.get(f"{CLAIMS}{claim.pk}/evidence/").status_code == expected_evidence


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, endpoint, expected",
    [
        ("keyworker", "sign-off", 403),
        ("team_manager", "sign-off", 403),
        ("programme_manager", "sign-off", 403),  # not an auditor
        ("data_officer", "approve", 400),  # wrong state first: awaiting audit
        ("auditor", "approve", 400),
        ("auditor", "submit-to-government", 400),
        ("administrator", "return-to-draft", 403),
    ],
)
def test_role_by_action_endpoint(request, api_for, awaiting, role, endpoint, expected):
    response = api_for(request.getfixturevalue(role)).post(
        f"{BATCHES}{awaiting.reference}/{endpoint}/", {"note": "x"}, format="json"
    )
    assert response.status_code == expected, response.content
    assert ClaimBatch.objects.get(pk=awaiting.pk).status == Status.AWAITING_AUDIT


@pytest.mark.django_db
def test_full_workflow_through_the_api(
    api_for, programme_manager, second_programme_manager, auditor, data_officer
):
    f.ClaimableFamilyFactory.create_batch(3, evaluated_on=AS_OF)
    pm = api_for(programme_manager)
    created = pm.post(BATCHES, {"as_of": "2016-09-30", "note": "October"}, format="json")
    assert created.status_code == 201, created.content
    ref = created.json()["reference"]
    assert created.json()["claim_count"] == 6 and created.json()["total"] == "5400.00"
    assert "submit_for_audit" in created.json()["actions"]
    assert pm.post(f"{BATCHES}{ref}/submit-for-audit/", {}, format="json").status_code == 200

    audit = api_for(auditor)
    bad_sample = audit.post(
        f"{BATCHES}{ref}/draw-sample/", {"percent": "500", "minimum": -1}, format="json"
    )
    assert bad_sample.status_code == 400 and set(bad_sample.json()) == {"percent", "minimum"}
    assert (
        audit.post(
            f"{BATCHES}{ref}/draw-sample/",
            {"percent": "50", "minimum": 2, "seed": 11},
            format="json",
        ).json()["sample_seed"]
        == 11
    )
    again = audit.post(
        f"{BATCHES}{ref}/draw-sample/", {"percent": "50", "minimum": 2}, format="json"
    )
    assert again.status_code == 400 and "already been drawn" in again.json()["non_field_errors"][0]
    early = audit.post(f"{BATCHES}{ref}/sign-off/", {}, format="json")
    assert early.status_code == 400 and "still to verify or reject" in str(early.json())
    sampled = Claim.objects.filter(batch__reference=ref, in_sample=True)
    first, *rest = list(sampled)
    no_reason = audit.post(f"{CLAIMS}{first.pk}/reject/", {}, format="json")
    assert no_reason.status_code == 400 and no_reason.json() == {
        "reason": ["Enter why the claim is rejected"]
    }
    assert (
        audit.post(f"{CLAIMS}{first.pk}/reject/", {"reason": "Wrong child"}, format="json").json()[
            "status"
        ]
        == "rejected"
    )
    for claim in rest:
        assert audit.post(f"{CLAIMS}{claim.pk}/verify/", {}, format="json").status_code == 200
    assert (
        audit.post(f"{BATCHES}{ref}/sign-off/", {}, format="json").json()["status"] == "signed_off"
    )

    own = pm.post(f"{BATCHES}{ref}/approve/", {}, format="json")
    assert own.status_code == 403
    assert own.json() == {
        "non_field_errors": ["You prepared this claim batch, so someone else must approve."]
    }
    approved = api_for(second_programme_manager).post(f"{BATCHES}{ref}/approve/", {}, format="json")
    assert (
        approved.status_code == 200
        and approved.json()["approved_by"] == second_programme_manager.username
    )
    assert (
        api_for(data_officer)
        .post(f"{BATCHES}{ref}/submit-to-government/", {}, format="json")
        .status_code
        == 200
    )
    due = sum(c.amount for c in Claim.objects.filter(batch__reference=ref, status="verified"))
    wrong = pm.post(
        f"{BATCHES}{ref}/record-payment/",
        {"amount_received": "1.00", "paid_on": "2016-12-01"},
        format="json",
    )
    assert wrong.status_code == 400 and "does not match" in wrong.json()["amount_received"][0]
    paid = pm.post(
        f"{BATCHES}{ref}/record-payment/",
        {"amount_received": str(due), "paid_on": "2016-12-01"},
        format="json",
    )
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    events = pm.get(f"{BATCHES}{ref}/events/").json()
    assert [e["to_status"] for e in events if e["to_status"]][-1] == "paid"


@pytest.mark.django_db
def test_bad_input_is_400_never_500(api_for, awaiting, programme_manager, auditor):
    pm = api_for(programme_manager)
    assert pm.post(BATCHES, {"as_of": "not a date"}, format="json").status_code == 400
    assert pm.post(BATCHES, {"as_of": "2999-01-01"}, format="json").json() == {
        "as_of": ["The claim date must be today or in the past"]
    }
    assert pm.get(f"{BATCHES}CB-9999/").status_code == 404
    assert pm.get(f"{CLAIMS}abc/").status_code == 404
    assert (
        api_for(auditor)
        .post(f"{BATCHES}{awaiting.reference}/return-to-draft/", {}, format="json")
        .status_code
        == 400
    )
    draft = services.claim_batch_create(actor=programme_manager, as_of=AS_OF)
    missing = pm.post(
        f"{BATCHES}{draft.reference}/add-claim/",
        {"family": "F-000000", "claim_type": "results"},
        format="json",
    )
    assert missing.status_code == 400 and missing.json() == {
        "family": ["There is no family with that reference"]
    }
    empty = pm.post(f"{BATCHES}{draft.reference}/submit-for-audit/", {}, format="json")
    assert empty.status_code == 400 and "no claims" in str(empty.json())
    rejections = pm.post(
        f"{BATCHES}{awaiting.reference}/record-payment/",
        {"amount_received": "1", "paid_on": "2016-12-01", "rejections": {"x": "y"}},
        format="json",
    )
    assert rejections.status_code == 400


@pytest.mark.django_db
def test_evidence_endpoint_and_access_log(api_for, awaiting, auditor):
    claim = awaiting.claims.filter(claim_type="results").first()
    body = api_for(auditor).get(f"{CLAIMS}{claim.pk}/evidence/").json()
    assert body["digest_verified"] is True
    assert body["snapshot"]["digest"] == claim.snapshot.digest
    assert body["snapshot"]["payload"]["claim"]["family"] == claim.family.reference
    assert body["differences"] == []
    assert AccessLog.objects.filter(user=auditor, family=claim.family, via="api").exists()
    api_for(auditor).get(f"{CLAIMS}?batch={awaiting.reference}")
    logged = set(
        AccessLog.objects.filter(user=auditor, action="Listed claims").values_list(
            "family_id", flat=True
        )
    )
    assert logged == set(awaiting.claims.values_list("family_id", flat=True))


@pytest.mark.django_db
def test_auditor_conflict_is_403_through_the_api(api_for, awaiting, auditor):
    from families.models import FamilyWorker

    claim = awaiting.claims.first()
    FamilyWorker.objects.create(family=claim.family, user=auditor)
    response = api_for(auditor).post(f"{CLAIMS}{claim.pk}/verify/", {}, format="json")
    assert response.status_code == 403
    assert "another auditor must review this claim" in response.json()["non_field_errors"][0]
