"""Claims: drafting, the double-claim rules (in services and in the database), evidence
snapshots, audit sampling and payment."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from claims import selectors, services
from claims.errors import SeparationOfDutiesError
from claims.models import Claim, ClaimBatch, EvidenceSnapshot, Tariff
from claims.tariffs import ensure_national_tariffs
from claims.workflow import Status
from core.errors import InvalidTransition
from families.models import Family, FamilyWorker
from families.services import system_actor
from outcomes.models import Evidence
from outcomes.services.evidence import evidence_correct
from tests import factories as f

AS_OF = date(2016, 9, 30)


@pytest.fixture(autouse=True)
def tariffs(request):
    """The national tariffs (seeded by migration; put back if another test flushed the tables)."""
    if request.node.get_closest_marker("django_db") is not None:
        request.getfixturevalue("_django_db_helper")
        ensure_national_tariffs()


def claimable_family(**kwargs) -> Family:
    """A family whose evidence meets the Oxfordshire plan, evaluated on the claim date."""
    return f.ClaimableFamilyFactory(evaluated_on=AS_OF, **kwargs)


def to_audit(batch, preparer):
    return services.claim_batch_submit_for_audit(actor=preparer, batch=batch)


# --- tariffs --------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "attached_on, claim_type, amount, phase",
    [
        # Phase 2: £1,000 attachment fee and £800 results (Cambridgeshire strategy 3.2).
        (date(2015, 5, 1), "attachment", "1000.00", "phase_2"),
        (date(2019, 1, 1), "results", "800.00", "phase_2"),
        (date(2016, 1, 1), "continuous_employment", "800.00", "phase_2"),
        # Phase 1, year 1 (2012/13): £3,200 attachment; results £3,900 less the fee; CE £4,000 less it.
        (date(2012, 4, 1), "attachment", "3200.00", "phase_1"),
        (date(2013, 3, 31), "results", "700.00", "phase_1"),
        (date(2012, 9, 1), "continuous_employment", "800.00", "phase_1"),
        # Year 2 (2013/14): £2,400 / £1,600.
        (date(2013, 4, 1), "attachment", "2400.00", "phase_1"),
        (date(2013, 10, 1), "results", "1500.00", "phase_1"),
        (date(2014, 3, 31), "continuous_employment", "1600.00", "phase_1"),
        # Year 3 (2014/15): £1,600 / £2,400.
        (date(2014, 4, 1), "attachment", "1600.00", "phase_1"),
        (date(2015, 3, 31), "results", "2300.00", "phase_1"),
        (date(2014, 6, 1), "continuous_employment", "2400.00", "phase_1"),
        (date(2014, 6, 1), "progress_to_work", "100.00", "phase_1"),
    ],
)
def test_tariff_in_force_on_the_attachment_date(attached_on, claim_type, amount, phase):
    tariff = services.tariff_for(claim_type=claim_type, on=attached_on)
    assert tariff.amount == Decimal(amount)
    assert tariff.phase == phase


@pytest.mark.django_db
def test_phase_1_never_pays_more_than_4000_a_family():
    for year in (date(2012, 4, 1), date(2013, 4, 1), date(2014, 4, 1)):
        fee = services.tariff_for(claim_type="attachment", on=year).amount
        results = services.tariff_for(claim_type="results", on=year).amount
        ptw = services.tariff_for(claim_type="progress_to_work", on=year).amount
        employment = services.tariff_for(claim_type="continuous_employment", on=year).amount
        assert fee + results + ptw == Decimal("4000.00")
        assert fee + employment == Decimal("4000.00")


@pytest.mark.django_db
def test_no_tariff_before_the_programme_began():
    assert services.tariff_for(claim_type="attachment", on=date(2011, 1, 1)) is None
    assert Tariff.objects.count() == 15


# --- drafting -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_draft_takes_every_claimable_family_not_yet_claimed(programme_manager):
    claimable = claimable_family()
    attached_only = f.EligibleFamilyFactory()
    f.IneligibleFamilyFactory()  # not eligible: left out
    f.IdentifiedEligibleFamilyFactory()  # eligible but not attached: left out

    batch = services.claim_batch_draft(actor=programme_manager, as_of=AS_OF, note="October claim")

    got = sorted((c.family.reference, c.claim_type, c.amount) for c in batch.claims.all())
    assert got == sorted(
        [
            (claimable.reference, "attachment", Decimal("1000.00")),
            (claimable.reference, "results", Decimal("800.00")),
            (attached_only.reference, "attachment", Decimal("1000.00")),
        ]
    )
    assert batch.status == Status.DRAFT and batch.reference.startswith("CB-")
    # Drafting again finds nothing new: everyone is claimed.
    again = services.claim_batch_draft(actor=programme_manager, as_of=AS_OF)
    assert again.claims.count() == 0


@pytest.mark.django_db
def test_scheduled_draft_is_recorded_as_the_systems_and_keeps_a_log():
    family = claimable_family()
    system = system_actor()
    batch = services.claim_batch_draft(actor=system, as_of=AS_OF, note="Claim date")
    assert batch.created_by == system and system.role == "system" and not system.is_active
    assert batch.claims.filter(family=family).count() == 2
    event = batch.events.get()
    assert event.actor == system and "Drafted with 2 claims" in event.note


@pytest.mark.django_db
def test_a_service_called_without_an_actor_is_refused():
    from django.core.exceptions import PermissionDenied

    claimable_family()
    with pytest.raises(PermissionDenied):
        services.claim_batch_draft(actor=None, as_of=AS_OF)
    assert not ClaimBatch.objects.exists()


@pytest.mark.django_db
def test_employment_claim_when_only_employment_is_claimable(programme_manager):
    f.EmploymentClaimableFamilyFactory()
    batch = services.claim_batch_draft(actor=programme_manager, as_of=AS_OF)
    assert set(batch.claims.values_list("claim_type", flat=True)) == {
        "attachment",
        "continuous_employment",
    }


@pytest.mark.django_db
def test_phase_1_family_claims_at_its_attachment_year_rates(programme_manager):
    f.ClaimableFamilyFactory(
        identified_on=date(2013, 5, 1), attached_on=date(2013, 6, 1), continuous_employment=True
    )
    batch = services.claim_batch_draft(actor=programme_manager, as_of=AS_OF)
    # Both outcomes met: continuous employment (£1,600) pays more than crime/ASB + education (£1,500).
    assert sorted((c.claim_type, c.amount, c.phase) for c in batch.claims.all()) == [
        ("attachment", Decimal("2400.00"), "phase_1"),
        ("continuous_employment", Decimal("1600.00"), "phase_1"),
    ]


@pytest.mark.django_db
def test_keyworker_cannot_draft(keyworker):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.claim_batch_draft(actor=keyworker, as_of=AS_OF)


@pytest.mark.django_db
def test_claim_date_cannot_be_in_the_future(programme_manager):
    with pytest.raises(ValidationError) as error:
        services.claim_batch_draft(actor=programme_manager, as_of=date(2999, 1, 1))
    assert "as_of" in error.value.message_dict


# --- adding one claim: the service checks ---------------------------------------------------------


@pytest.mark.django_db
def test_add_claim_refuses_families_that_cannot_be_claimed(programme_manager):
    batch = services.claim_batch_create(actor=programme_manager, as_of=AS_OF)
    identified = f.IdentifiedEligibleFamilyFactory()
    progressing = f.EligibleFamilyFactory()
    never_evaluated = f.AttachedFamilyFactory()
    cases = [
        (identified, "results", "not attached"),
        (progressing, "results", "has not met the outcomes"),
        (progressing, "continuous_employment", "no adult in continuous employment"),
        (never_evaluated, "attachment", "not been evaluated"),
    ]
    for family, claim_type, message in cases:
        with pytest.raises(ValidationError) as error:
            services.claim_add(
                actor=programme_manager, batch=batch, family=family, claim_type=claim_type
            )
        assert message in error.value.message_dict["family"][0]


@pytest.mark.django_db
def test_a_family_is_claimed_for_results_once(programme_manager):
    family = f.ClaimableFamilyFactory(continuous_employment=True)
    first = services.claim_batch_create(actor=programme_manager, as_of=AS_OF)
    services.claim_add(actor=programme_manager, batch=first, family=family, claim_type="results")
    second = services.claim_batch_create(actor=programme_manager, as_of=AS_OF)
    with pytest.raises(ValidationError) as error:
        services.claim_add(
            actor=programme_manager, batch=second, family=family, claim_type="continuous_employment"
        )
    assert f"in claim batch {first.reference}" in error.value.message_dict["family"][0]
    services.claim_add(
        actor=programme_manager, batch=second, family=family, claim_type="attachment"
    )
    with pytest.raises(ValidationError):
        services.claim_add(
            actor=programme_manager, batch=first, family=family, claim_type="attachment"
        )


@pytest.mark.django_db
def test_removed_claim_returns_the_family_to_the_pool(programme_manager):
    family = claimable_family()
    batch = services.claim_batch_draft(actor=programme_manager, as_of=AS_OF)
    claim = batch.claims.get(claim_type="results")
    services.claim_remove(actor=programme_manager, claim=claim)
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.WITHDRAWN
    later = services.claim_batch_draft(actor=programme_manager, as_of=AS_OF)
    assert list(later.claims.values_list("family__reference", "claim_type")) == [
        (family.reference, "results")
    ]


# --- the database enforces the double-claim rule ---------------------------------------------------


def _bypass(batch, family, claim_type, status="pending"):
    tariff = services.tariff_for(claim_type=claim_type, on=family.attached_on)
    return Claim.objects.create(
        batch=batch,
        family=family,
        claim_type=claim_type,
        phase=tariff.phase,
        tariff=tariff,
        amount=tariff.amount,
        status=status,
        rejection_reason="x" if "rejected" in status else "",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "first, second",
    [
        ("attachment", "attachment"),
        ("results", "results"),
        ("results", "continuous_employment"),
        ("continuous_employment", "results"),
    ],
)
def test_database_refuses_a_second_claim(programme_manager, first, second):
    family = f.AttachedFamilyFactory()
    batch = services.claim_batch_create(actor=programme_manager, as_of=AS_OF)
    _bypass(batch, family, first)
    with pytest.raises(IntegrityError), transaction.atomic():
        _bypass(batch, family, second)


@pytest.mark.django_db
@pytest.mark.parametrize("released", ["rejected", "withdrawn", "government_rejected"])
def test_database_allows_a_new_claim_after_a_released_one(programme_manager, released):
    family = f.AttachedFamilyFactory()
    batch = services.claim_batch_create(actor=programme_manager, as_of=AS_OF)
    _bypass(batch, family, "results", status=released)
    _bypass(batch, family, "results")
    _bypass(batch, family, "attachment")
    assert Claim.objects.filter(family=family).count() == 3


# --- snapshots -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_submission_freezes_evaluation_and_evidence(programme_manager):
    family = f.AttachedFamilyFactory()
    child = f.ChildMembershipFactory(family=family).person
    record = f.SchoolAttendanceFactory(person=child, absent_sessions=6)
    # A stored evaluation citing that one record, so the snapshot freezes exactly one.
    f.EvaluationFactory(family=family, evidence=[record], as_of=AS_OF)
    batch = services.claim_batch_draft(actor=programme_manager, as_of=AS_OF)
    batch = to_audit(batch, programme_manager)

    claim = batch.claims.get(claim_type="results")
    snapshot = claim.snapshot
    assert snapshot.payload["claim"]["family"] == family.reference
    assert snapshot.payload["claim"]["amount"] == "800.00"
    [frozen] = snapshot.payload["evidence"]
    assert frozen["id"] == record.pk and frozen["data"]["absent_sessions"] == 6
    assert frozen["record_key"] == str(record.record_key) and frozen["version"] == 1
    assert frozen["source"] == "partner_file"
    assert snapshot.payload["evaluation"]["result"]["claimable"]["results"] is True
    assert services.snapshot_verifies(snapshot)
    assert len(snapshot.digest) == 64


@pytest.mark.django_db
def test_snapshot_cannot_be_changed_or_deleted(programme_manager):
    claimable_family()
    batch = to_audit(
        services.claim_batch_draft(actor=programme_manager, as_of=AS_OF), programme_manager
    )
    snapshot = EvidenceSnapshot.objects.filter(claim__batch=batch).first()
    with pytest.raises(IntegrityError, match="cannot be changed"), transaction.atomic():
        EvidenceSnapshot.objects.filter(pk=snapshot.pk).update(digest="0" * 64)
    with (
        pytest.raises(IntegrityError, match="cannot be changed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM claims_evidencesnapshot WHERE id = %s", [snapshot.pk])
    assert not hasattr(services, "evidence_snapshot_update")


@pytest.mark.django_db
def test_later_correction_leaves_the_snapshot_alone_and_is_flagged(programme_manager, auditor):
    family = f.ClaimableFamilyFactory(school_attendance="met")
    # The summer 2015/16 term's attendance: 6 of 120 sessions missed, cited by the evaluation.
    record = Evidence.objects.get(
        kind="school_attendance", data__academic_year="2015/16", data__term="summer"
    )
    batch = to_audit(
        services.claim_batch_draft(actor=programme_manager, as_of=AS_OF), programme_manager
    )
    claim = batch.claims.get(claim_type="results")
    before = claim.snapshot.payload

    # A correction: a new version of the record, and the family no longer claimable.
    evidence_correct(
        actor=family.lead_keyworker,
        evidence=record,
        data={**record.data, "absent_sessions": 40},
        reason="The school sent the wrong child's figures",
    )
    f.evaluate(family, as_of=AS_OF)

    snapshot = EvidenceSnapshot.objects.get(pk=claim.snapshot_id)
    assert snapshot.payload == before
    review = selectors.snapshot_review(claim=Claim.objects.get(pk=claim.pk))
    assert review.digest_verified
    text = " ".join(review.differences)
    assert f"record #{record.pk} (version 1) was corrected" in text
    assert "Claimable for results: yes in the snapshot, no now." in text


@pytest.mark.django_db
def test_tampered_snapshot_fails_its_digest(programme_manager):
    claimable_family()
    batch = to_audit(
        services.claim_batch_draft(actor=programme_manager, as_of=AS_OF), programme_manager
    )
    claim = batch.claims.get(claim_type="results")
    with connection.cursor() as cursor:  # only a superuser switching triggers off can do this
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE claims_evidencesnapshot SET payload = jsonb_set(payload, '{claim,amount}', '\"8000.00\"') WHERE id = %s",
            [claim.snapshot_id],
        )
        cursor.execute("SET LOCAL session_replication_role = origin")
    review = selectors.snapshot_review(claim=claim)
    assert review.digest_verified is False


# --- sampling ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sample_is_drawn_once_and_every_sampled_claim_reviewed(programme_manager, auditor):
    for _ in range(6):
        claimable_family()
    batch = to_audit(
        services.claim_batch_draft(actor=programme_manager, as_of=AS_OF), programme_manager
    )
    chosen = services.claim_batch_draw_sample(
        actor=auditor, batch=batch, percent="25", minimum=2, seed=7
    )
    assert len(chosen) == 3  # 25% of 12 claims
    assert chosen == services.draw_sample(
        batch.claims.values_list("pk", flat=True), percent=Decimal(25), minimum=2, seed=7
    )
    with pytest.raises(InvalidTransition, match="already been drawn"):
        services.claim_batch_draw_sample(
            actor=auditor, batch=batch, percent="50", minimum=2, seed=8
        )
    with pytest.raises(ValidationError, match="3 still to verify"):
        services.claim_batch_sign_off(actor=auditor, batch=batch)
    claims = Claim.objects.filter(pk__in=chosen)
    services.claim_reject(
        actor=auditor, claim=claims[0], reason="Attendance figures are for the wrong child"
    )
    for claim in claims[1:]:
        services.claim_verify(actor=auditor, claim=claim)
    batch = services.claim_batch_sign_off(actor=auditor, batch=batch)
    assert batch.status == Status.SIGNED_OFF
    statuses = dict(Claim.objects.filter(batch=batch).values_list("pk", "status"))
    assert statuses[claims[0].pk] == "rejected"
    assert sum(1 for s in statuses.values() if s == "verified") == 11
    assert Claim.objects.filter(batch=batch, accepted_on_sample=True).count() == 9
    # The rejected family is back in the pool.
    later = services.claim_batch_draft(actor=programme_manager, as_of=AS_OF)
    assert list(later.claims.values_list("family_id", "claim_type")) == [
        (claims[0].family_id, claims[0].claim_type)
    ]


@pytest.mark.django_db
def test_sample_input_is_checked(programme_manager, auditor):
    claimable_family()
    batch = to_audit(
        services.claim_batch_draft(actor=programme_manager, as_of=AS_OF), programme_manager
    )
    with pytest.raises(ValidationError) as error:
        services.claim_batch_draw_sample(actor=auditor, batch=batch, percent="0", minimum=-1)
    assert set(error.value.message_dict) == {"percent", "minimum"}


@pytest.mark.django_db
def test_reject_needs_a_reason(programme_manager, auditor):
    claimable_family()
    batch = to_audit(
        services.claim_batch_draft(actor=programme_manager, as_of=AS_OF), programme_manager
    )
    with pytest.raises(ValidationError) as error:
        services.claim_reject(actor=auditor, claim=batch.claims.first(), reason="  ")
    assert error.value.message_dict == {"reason": ["Enter why the claim is rejected"]}


# --- an auditor does not verify a family they worked with ----------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["lead", "named", "intervention"])
def test_auditor_cannot_review_a_family_they_worked_with(programme_manager, auditor, how):
    family = claimable_family()
    if how == "lead":
        Family.objects.filter(pk=family.pk).update(lead_keyworker=auditor)
    elif how == "named":
        FamilyWorker.objects.create(family=family, user=auditor)
    else:
        f_intervention = family.interventions.model(
            family=family,
            service="other_partner",
            worker=auditor,
            start_date=date(2015, 6, 1),
            recorded_by=programme_manager,
        )
        f_intervention.save()
    batch = to_audit(
        services.claim_batch_draft(actor=programme_manager, as_of=AS_OF), programme_manager
    )
    claim = batch.claims.first()
    with pytest.raises(SeparationOfDutiesError, match="another auditor must review"):
        services.claim_verify(actor=auditor, claim=claim)
    with pytest.raises(SeparationOfDutiesError):
        services.claim_reject(actor=auditor, claim=claim, reason="No")
    # Nor may they sign it off unseen on a sample.
    services.claim_batch_draw_sample(actor=auditor, batch=batch, percent="1", minimum=0, seed=1)
    sampled = Claim.objects.filter(batch=batch, in_sample=True)
    assert sampled.count() == 1
    with pytest.raises(SeparationOfDutiesError, match="another auditor must verify"):
        # Another auditor verifies the sampled one; the unsampled one is still the conflict.
        services.claim_verify(actor=f.AuditorFactory(), claim=sampled.get())
        services.claim_batch_sign_off(actor=auditor, batch=batch)


# --- payment ---------------------------------------------------------------------------------------


def _approved_and_submitted(programme_manager, second_programme_manager, auditor, families=2):
    return f.SubmittedClaimBatchFactory(
        claimable=families,
        as_of=AS_OF,
        preparer=programme_manager,
        auditor=auditor,
        approver=second_programme_manager,
    )


@pytest.mark.django_db
def test_paid_results_claim_closes_the_family(programme_manager, second_programme_manager, auditor):
    batch = _approved_and_submitted(programme_manager, second_programme_manager, auditor)
    with pytest.raises(ValidationError) as error:
        services.claim_batch_record_payment(
            actor=programme_manager, batch=batch, amount_received="3000", paid_on=date(2016, 12, 1)
        )
    assert "does not match the £3,600.00 due" in error.value.message_dict["amount_received"][0]
    batch = services.claim_batch_record_payment(
        actor=programme_manager, batch=batch, amount_received="3600.00", paid_on=date(2016, 12, 1)
    )
    assert batch.status == Status.PAID and batch.amount_received == Decimal("3600.00")
    assert set(batch.claims.values_list("status", flat=True)) == {"paid"}
    for family in Family.objects.filter(claims__batch=batch).distinct():
        assert family.status == Family.Status.CLOSED
        assert family.closure_reason == Family.ClosureReason.OUTCOMES_ACHIEVED
        assert family.closed_on == date(2016, 12, 1)
    income = selectors.dashboard(user=programme_manager)["income"]
    assert {i["claim_type"]: i["amount"] for i in income} == {
        "attachment": Decimal("2000.00"),
        "results": Decimal("1600.00"),
        "continuous_employment": Decimal("0.00"),
    }


@pytest.mark.django_db
def test_partly_rejected_payment_reconciles_and_keeps_rejected_family_open(
    programme_manager, second_programme_manager, auditor
):
    batch = _approved_and_submitted(programme_manager, second_programme_manager, auditor)
    rejected = batch.claims.filter(claim_type="results").first()
    with pytest.raises(ValidationError, match="reason"):
        services.claim_batch_record_payment(
            actor=programme_manager,
            batch=batch,
            amount_received="2800",
            paid_on=date(2016, 12, 1),
            rejections={rejected.pk: ""},
        )
    batch = services.claim_batch_record_payment(
        actor=programme_manager,
        batch=batch,
        amount_received="2800.00",
        paid_on=date(2016, 12, 1),
        rejections={rejected.pk: "Spot check: attendance not sustained"},
    )
    assert batch.status == Status.PARTLY_REJECTED
    rejected.refresh_from_db()
    assert rejected.status == Claim.Status.GOVERNMENT_REJECTED
    assert rejected.family.status == Family.Status.ATTACHED
    closed = (
        Family.objects.filter(claims__batch=batch, status=Family.Status.CLOSED).distinct().count()
    )
    assert closed == 1


@pytest.mark.django_db
def test_amount_must_be_pounds_and_pence(programme_manager, second_programme_manager, auditor):
    batch = _approved_and_submitted(
        programme_manager, second_programme_manager, auditor, families=1
    )
    for bad in ("lots", "-5", "1800.001"):
        with pytest.raises(ValidationError) as error:
            services.claim_batch_record_payment(
                actor=programme_manager, batch=batch, amount_received=bad, paid_on=date(2016, 12, 1)
            )
        assert "pounds and pence" in error.value.message_dict["amount_received"][0]
    assert ClaimBatch.objects.get(pk=batch.pk).status == Status.SUBMITTED
