"""The factories' named states are what they say: the engine agrees about each family, each batch
is where its name puts it with the services' trail behind it, and each import file's rows say
what became of them. The other tests rely on these states, so a change to the engine's reading
or to a service that moves a state shows up here first, named."""

from __future__ import annotations

import pytest

from casework.selectors import due_for_families
from claims.models import Claim, ClaimBatchEvent, EvidenceSnapshot
from claims.services import evidence_refs, snapshot_verifies
from claims.workflow import Status
from families.models import Family, FamilyEvent
from outcomes.models import Evaluation, Evidence
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "factory, extra, eligible, results, employment",
    [
        # One row per named state: what the engine makes of its evidence on the claim date.
        (f.ClaimableFamilyFactory, {}, True, True, False),
        (f.ClaimableFamilyFactory, {"continuous_employment": True}, True, True, True),
        (f.ClaimableFamilyFactory, {"school_attendance": "met"}, True, True, False),
        (f.EligibleFamilyFactory, {}, True, False, False),
        (f.EmploymentClaimableFamilyFactory, {}, True, False, True),
        (f.IneligibleFamilyFactory, {}, False, False, False),
        (f.IdentifiedEligibleFamilyFactory, {}, True, False, False),
    ],
)
def test_each_family_state_is_the_engines_answer(factory, extra, eligible, results, employment):
    family = factory(**extra)
    evaluation = Evaluation.objects.get(family=family, is_current=True)
    assert (evaluation.plan_version.slug, evaluation.as_of) == (f.PLAN, f.EVALUATED_ON)
    assert (evaluation.eligible, evaluation.claimable_results, evaluation.claimable_employment) == (
        eligible,
        results,
        employment,
    )
    # The evaluation cites real evidence rows about the family's members or the family.
    cited = {pk for _, pk in evidence_refs(evaluation.result)}
    members = family.memberships.values_list("person_id", flat=True)
    assert cited and cited <= set(
        Evidence.objects.filter(is_current=True).values_list("pk", flat=True)
    )
    for row in Evidence.objects.filter(pk__in=cited):
        assert row.family_id == family.pk or row.person_id in set(members)


def test_an_evaluation_made_again_on_the_same_evidence_changes_nothing():
    family = f.ClaimableFamilyFactory()
    summary = f.evaluate(family)
    assert (summary["evaluated"], summary["changed"]) == (1, 0)


def test_families_with_history_went_through_the_services():
    attached = f.ClaimableFamilyFactory()
    closed = f.ClosedFamilyWithHistoryFactory()
    assert set(attached.events.values_list("kind", flat=True)) >= {
        FamilyEvent.Kind.CREATED,
        FamilyEvent.Kind.ATTACHED,
        FamilyEvent.Kind.OUTCOME_CHANGED,  # written by the evaluation service
    }
    assert attached.history.count() == 2  # created, then attached
    assert closed.status == Family.Status.CLOSED
    assert closed.events.filter(kind=FamilyEvent.Kind.CLOSED).exists()


def test_a_stored_evaluation_cites_a_real_attendance_record():
    evaluation = f.EvaluationFactory()
    [ref] = evaluation.result["problems"][0]["criteria"][0]["evidence"]
    record = Evidence.objects.get(pk=ref["id"])
    assert (record.kind, record.data["absent_sessions"], record.source) == (
        "school_attendance",
        6,
        "partner_file",
    )
    assert Evaluation.objects.get(family=evaluation.family, is_current=True) == evaluation


@pytest.mark.parametrize(
    "factory, status, moves",
    [
        (f.ClaimBatchFactory, Status.DRAFT, []),
        (f.AwaitingAuditClaimBatchFactory, Status.AWAITING_AUDIT, ["awaiting_audit"]),
        (f.SignedOffClaimBatchFactory, Status.SIGNED_OFF, ["awaiting_audit", "signed_off"]),
        (
            f.ApprovedClaimBatchFactory,
            Status.APPROVED,
            ["awaiting_audit", "signed_off", "approved"],
        ),
        (
            f.SubmittedClaimBatchFactory,
            Status.SUBMITTED,
            ["awaiting_audit", "signed_off", "approved", "submitted"],
        ),
        (
            f.PaidClaimBatchFactory,
            Status.PAID,
            ["awaiting_audit", "signed_off", "approved", "submitted", "paid"],
        ),
    ],
)
def test_each_batch_state_was_reached_through_the_services(factory, status, moves):
    batch = factory()
    assert batch.status == status
    assert batch.claims.count() == 4  # two families: an attachment fee and a results claim each
    events = ClaimBatchEvent.objects.filter(batch=batch).exclude(to_status="")
    assert list(events.values_list("to_status", flat=True)) == ["draft", *moves]
    snapshots = EvidenceSnapshot.objects.filter(claim__batch=batch)
    if status == Status.DRAFT:
        assert not snapshots.exists()
    else:
        assert snapshots.count() == 4 and all(snapshot_verifies(s) for s in snapshots)
    if status == Status.PAID:
        assert set(batch.claims.values_list("status", flat=True)) == {Claim.Status.PAID}
        assert {c.family.status for c in batch.claims.all()} == {Family.Status.CLOSED}


def test_a_claim_and_its_snapshot_are_made_by_the_services():
    snapshot = f.EvidenceSnapshotFactory()
    claim = Claim.objects.get(pk=snapshot.claim_id)
    assert (claim.claim_type, claim.snapshot_id, claim.batch.status) == (
        "results",
        snapshot.pk,
        Status.AWAITING_AUDIT,
    )
    assert claim.batch.events.filter(action="add_claim", claim=claim).exists()
    assert snapshot.payload["evidence"] and snapshot_verifies(snapshot)


@pytest.mark.parametrize(
    "factory, status, rows",
    [
        (f.ImportFileFactory, "applied", ["applied"]),
        (f.RejectedImportFileFactory, "rejected", ["not_applied", "rejected", "rejected"]),
        (f.PartlyAppliedImportFileFactory, "partly_applied", ["applied", "rejected", "rejected"]),
    ],
)
def test_each_import_file_state_keeps_its_rows(factory, status, rows):
    stored = factory()
    assert stored.status == status
    assert list(stored.rows.order_by("row_number").values_list("status", flat=True)) == rows
    for row in stored.rows.filter(status="rejected"):
        assert row.errors and all(error["column"] for error in row.errors)


@pytest.mark.parametrize(
    "factory, open_actions, overdue_actions",
    [
        # One row per named action state: what the family's plan counts as due.
        (f.ActionFactory, 1, 0),
        (f.OverdueActionFactory, 1, 1),
        (f.DoneActionFactory, 0, 0),
    ],
)
def test_each_action_state_is_what_the_plan_counts(factory, open_actions, overdue_actions):
    action = factory()
    family = action.goal.plan.family
    due = due_for_families(user=family.lead_keyworker, family_ids=[family.pk])[family.pk]
    assert (due.open_actions, due.overdue_actions) == (open_actions, overdue_actions)
    assert due.review_overdue is False
    overdue_plan = f.OverdueReviewPlanFactory()
    family = overdue_plan.family
    assert due_for_families(user=family.lead_keyworker, family_ids=[family.pk])[
        family.pk
    ].review_overdue
