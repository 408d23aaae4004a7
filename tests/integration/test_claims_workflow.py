"""The claim batch workflow: every allowed and forbidden move, who may make it, separation of
duties, and two people acting at once."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from claims import services, workflow
from claims.errors import SeparationOfDutiesError
from claims.models import Claim, ClaimBatch, ClaimBatchEvent
from claims.tariffs import ensure_national_tariffs
from claims.workflow import Status
from core.errors import InvalidTransition
from families.models import User
from families.services import system_actor
from tests import factories as f
from tests.factories import ALLOWED_MOVES

AS_OF = date(2016, 9, 30)


@pytest.fixture(autouse=True)
def tariffs(request):
    """The national tariffs (seeded by migration; put back if another test flushed the tables)."""
    if request.node.get_closest_marker("django_db") is not None:
        request.getfixturevalue("_django_db_helper")
        ensure_national_tariffs()


ALL_STATES = Status.ORDER


# --- through the services, from every state --------------------------------------------------------


@pytest.fixture
def people(programme_manager, second_programme_manager, auditor, data_officer):
    return {
        "pm": programme_manager,
        "pm2": second_programme_manager,
        "auditor": auditor,
        "do": data_officer,
    }


def batch_in(status: str, people) -> ClaimBatch:
    """A one-family batch driven through the services to the given state."""
    family = f.ClaimableFamilyFactory(evaluated_on=AS_OF)
    batch = services.claim_batch_create(actor=people["pm"], as_of=AS_OF)
    services.claim_add(actor=people["pm"], batch=batch, family=family, claim_type="results")
    path = (
        Status.ORDER[: Status.ORDER.index(status) + 1]
        if status != Status.PARTLY_REJECTED
        else Status.ORDER[:5]
    )
    for step in path[1:]:
        batch = MOVE_CALLS[step](batch, people)
    if status == Status.PARTLY_REJECTED:
        batch = MOVE_CALLS[Status.PARTLY_REJECTED](batch, people)
    assert batch.status == status
    return batch


def _verify_all(batch, people):
    for claim in batch.claims.filter(status=Claim.Status.PENDING):
        services.claim_verify(actor=people["auditor"], claim=claim)


MOVE_CALLS = {
    Status.AWAITING_AUDIT: lambda b, p: services.claim_batch_submit_for_audit(
        actor=p["pm"], batch=b
    ),
    Status.SIGNED_OFF: lambda b, p: (
        _verify_all(b, p),
        services.claim_batch_sign_off(actor=p["auditor"], batch=b),
    )[1],
    Status.APPROVED: lambda b, p: services.claim_batch_approve(actor=p["pm2"], batch=b),
    Status.SUBMITTED: lambda b, p: services.claim_batch_submit_to_government(
        actor=p["do"], batch=b
    ),
    Status.PAID: lambda b, p: services.claim_batch_record_payment(
        actor=p["pm"],
        batch=b,
        amount_received=str(b.claims.get().amount),
        paid_on=date(2016, 12, 1),
    ),
    Status.PARTLY_REJECTED: lambda b, p: services.claim_batch_record_payment(
        actor=p["pm"],
        batch=b,
        amount_received="0",
        paid_on=date(2016, 12, 1),
        rejections={b.claims.get().pk: "Not sustained"},
    ),
}
RETURN_ACTORS = {Status.AWAITING_AUDIT: "auditor", Status.SIGNED_OFF: "pm2"}


@pytest.mark.django_db
@pytest.mark.parametrize("start", ALL_STATES)
@pytest.mark.parametrize("target", [*Status.ORDER[1:], "return"])
def test_every_move_from_every_state(people, start, target):
    batch = batch_in(start, people)
    if target == "return":
        allowed = (start, Status.DRAFT) in ALLOWED_MOVES
        actor = people[RETURN_ACTORS.get(start, "pm2")]
        call = lambda: services.claim_batch_return(actor=actor, batch=batch, note="Please recheck")  # noqa: E731
        expected = Status.DRAFT
    else:
        allowed = (start, target) in ALLOWED_MOVES
        call = lambda: MOVE_CALLS[target](batch, people)  # noqa: E731
        expected = target
    events = ClaimBatchEvent.objects.filter(batch=batch).count()
    if allowed:
        assert call().status == expected
        last = ClaimBatchEvent.objects.filter(batch=batch).last()
        assert (last.from_status, last.to_status) == (start, expected)
    else:
        with pytest.raises((InvalidTransition, PermissionDenied)):
            call()
        assert ClaimBatch.objects.get(pk=batch.pk).status == start
        assert ClaimBatchEvent.objects.filter(batch=batch).count() == events


@pytest.mark.django_db
def test_forbidden_move_says_what_to_do(people):
    batch = batch_in(Status.DRAFT, people)
    with pytest.raises(InvalidTransition) as error:
        services.claim_batch_approve(actor=people["pm2"], batch=batch)
    assert (
        str(error.value)
        == "You cannot approve a claim batch that is draft. Submit it for audit first."
    )


@pytest.mark.django_db
def test_preparer_cannot_approve_their_own_batch(people):
    batch = batch_in(Status.SIGNED_OFF, people)
    with pytest.raises(SeparationOfDutiesError, match="You prepared this claim batch"):
        services.claim_batch_approve(actor=people["pm"], batch=batch)


@pytest.mark.django_db
def test_whoever_submitted_a_scheduled_draft_cannot_approve_it(people):
    f.ClaimableFamilyFactory()
    batch = services.claim_batch_draft(actor=system_actor(), as_of=AS_OF)  # the scheduled job
    services.claim_batch_submit_for_audit(actor=people["pm2"], batch=batch)
    _verify_all(batch, people)
    services.claim_batch_sign_off(actor=people["auditor"], batch=batch)
    with pytest.raises(SeparationOfDutiesError):
        services.claim_batch_approve(actor=people["pm2"], batch=batch)
    assert services.claim_batch_approve(actor=people["pm"], batch=batch).status == Status.APPROVED


@pytest.mark.django_db
def test_data_officer_who_added_a_claim_cannot_later_sign_off_as_auditor(people):
    batch = batch_in(Status.DRAFT, people)
    family = f.ClaimableFamilyFactory()
    services.claim_add(actor=people["do"], batch=batch, family=family, claim_type="attachment")
    services.claim_batch_submit_for_audit(actor=people["pm"], batch=batch)
    User.objects.filter(pk=people["do"].pk).update(role=User.Role.AUDITOR)
    moved = User.objects.get(pk=people["do"].pk)
    with pytest.raises(SeparationOfDutiesError):
        services.claim_verify(actor=moved, claim=batch.claims.first())
    with pytest.raises(SeparationOfDutiesError):
        services.claim_batch_sign_off(actor=moved, batch=batch)


@pytest.mark.django_db
def test_signing_auditor_cannot_approve_even_with_a_new_role(people):
    batch = batch_in(Status.SIGNED_OFF, people)
    User.objects.filter(pk=people["auditor"].pk).update(role=User.Role.PROGRAMME_MANAGER)
    with pytest.raises(SeparationOfDutiesError, match="You signed this claim batch off"):
        services.claim_batch_approve(actor=User.objects.get(pk=people["auditor"].pk), batch=batch)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["keyworker", "team_manager", "administrator"])
def test_other_roles_take_no_action(people, role):
    user = f.UserFactory(role=role)
    for status, call in [
        (Status.DRAFT, lambda b: services.claim_batch_submit_for_audit(actor=user, batch=b)),
        (Status.AWAITING_AUDIT, lambda b: services.claim_batch_sign_off(actor=user, batch=b)),
        (Status.SIGNED_OFF, lambda b: services.claim_batch_approve(actor=user, batch=b)),
    ]:
        with pytest.raises(PermissionDenied):
            call(batch_in(status, people))


@pytest.mark.django_db
def test_return_needs_a_reason_and_restarts_the_audit(people):
    batch = batch_in(Status.AWAITING_AUDIT, people)
    services.claim_batch_draw_sample(
        actor=people["auditor"], batch=batch, percent="100", minimum=1, seed=3
    )
    _verify_all(batch, people)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.claim_batch_return(actor=people["auditor"], batch=batch, note="")
    assert error.value.message_dict == {"note": ["Enter why the batch is going back to draft"]}
    batch = services.claim_batch_return(
        actor=people["auditor"], batch=batch, note="Evidence for F-1 is missing"
    )
    assert batch.status == Status.DRAFT and batch.sample_seed is None
    claim = batch.claims.get()
    assert (claim.status, claim.in_sample, claim.verified_by) == ("pending", False, None)
    # Submitting again takes a fresh snapshot; the old one stays.
    services.claim_batch_submit_for_audit(actor=people["pm"], batch=batch)
    assert claim.snapshots.count() == 2


# --- two people at once ------------------------------------------------------------------------------


def _race(calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            outcomes[i] = call()
        except Exception as error:  # recorded for the test to inspect
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_managers_approving_at_once_leave_one_approval(people):
    third = f.ProgrammeManagerFactory(username="pm_third")
    batch = batch_in(Status.SIGNED_OFF, people)
    outcomes = _race(
        [
            lambda: services.claim_batch_approve(actor=people["pm2"], batch=batch),
            lambda: services.claim_batch_approve(actor=third, batch=batch),
        ]
    )
    winners = [o for o in outcomes if isinstance(o, ClaimBatch)]
    losers = [o for o in outcomes if isinstance(o, InvalidTransition)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert "approved" in str(losers[0])
    assert ClaimBatchEvent.objects.filter(batch=batch, action="approve").count() == 1
    assert ClaimBatch.objects.get(pk=batch.pk).approved_by_id == winners[0].approved_by_id


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_drafts_at_once_claim_each_family_once(people):
    for _ in range(5):
        f.ClaimableFamilyFactory()
    outcomes = _race(
        [
            lambda: services.claim_batch_draft(actor=people["pm"], as_of=AS_OF),
            lambda: services.claim_batch_draft(actor=people["do"], as_of=AS_OF),
        ]
    )
    assert all(isinstance(o, ClaimBatch) for o in outcomes), outcomes
    assert sorted(o.claims.count() for o in outcomes) == [0, 10]


# --- a state machine over the workflow ---------------------------------------------------------------


ACTOR_NAMES = ["pm", "pm2", "do", "auditor", "auditor2", "keyworker"]


class BatchWorkflow(RuleBasedStateMachine):
    """Random sequences of actions by random people: the batch only ever makes allowed moves,
    the event log follows it, and nobody both prepares and signs off or approves."""

    @initialize()
    def setup(self):
        self.people = {
            "pm": f.ProgrammeManagerFactory(),
            "pm2": f.ProgrammeManagerFactory(),
            "do": f.DataOfficerFactory(),
            "auditor": f.AuditorFactory(),
            "auditor2": f.AuditorFactory(),
            "keyworker": f.KeyworkerFactory(),
        }
        f.ClaimableFamilyFactory.create_batch(2, evaluated_on=AS_OF)
        self.batch = services.claim_batch_draft(actor=self.people["pm"], as_of=AS_OF)
        self.model_status = Status.DRAFT
        self.preparers = {self.people["pm"].pk}

    def _try(self, action, who, call, to_status=None):
        actor = self.people[who]
        batch = ClaimBatch.objects.get(pk=self.batch.pk)
        expect_ok = workflow.allowed(
            action=action,
            status=self.model_status,
            user=actor,
            preparer_ids=self.preparers,
            signer_id=batch.signed_off_by_id,
            to_status=to_status,
        )
        try:
            result = call(actor, batch)
        except (InvalidTransition, SeparationOfDutiesError, PermissionDenied):
            assert not expect_ok, f"{who} could not {action} from {self.model_status}"
            return False
        except Exception as error:
            from django.core.exceptions import ValidationError

            # Business checks beyond the workflow (nothing to review, amounts) are fine.
            assert isinstance(error, ValidationError), error
            return False
        assert expect_ok, f"{who} was allowed to {action} from {self.model_status}"
        if action in workflow.PREPARING_ACTIONS:
            self.preparers.add(actor.pk)
        return result

    @rule(who=st.sampled_from(ACTOR_NAMES))
    def submit(self, who):
        if self._try(
            "submit_for_audit",
            who,
            lambda a, b: services.claim_batch_submit_for_audit(actor=a, batch=b),
            Status.AWAITING_AUDIT,
        ):
            self.model_status = Status.AWAITING_AUDIT

    @rule(who=st.sampled_from(ACTOR_NAMES))
    def review_all(self, who):
        for claim in Claim.objects.filter(batch=self.batch, status=Claim.Status.PENDING):
            self._try(
                "verify_claim", who, lambda a, b, c=claim: services.claim_verify(actor=a, claim=c)
            )

    @rule(who=st.sampled_from(ACTOR_NAMES))
    def sign_off(self, who):
        if self._try(
            "sign_off",
            who,
            lambda a, b: services.claim_batch_sign_off(actor=a, batch=b),
            Status.SIGNED_OFF,
        ):
            self.model_status = Status.SIGNED_OFF

    @rule(who=st.sampled_from(ACTOR_NAMES))
    def give_back(self, who):
        action = (
            "return_from_approval"
            if self.model_status == Status.SIGNED_OFF
            else "return_from_audit"
        )
        if self._try(
            action,
            who,
            lambda a, b: services.claim_batch_return(actor=a, batch=b, note="Recheck"),
            Status.DRAFT,
        ):
            self.model_status = Status.DRAFT

    @rule(who=st.sampled_from(ACTOR_NAMES))
    def approve(self, who):
        if self._try(
            "approve",
            who,
            lambda a, b: services.claim_batch_approve(actor=a, batch=b),
            Status.APPROVED,
        ):
            self.model_status = Status.APPROVED

    @rule(who=st.sampled_from(ACTOR_NAMES))
    def submit_to_government(self, who):
        if self._try(
            "submit_to_government",
            who,
            lambda a, b: services.claim_batch_submit_to_government(actor=a, batch=b),
            Status.SUBMITTED,
        ):
            self.model_status = Status.SUBMITTED

    @rule(who=st.sampled_from(ACTOR_NAMES))
    def pay(self, who):
        def call(actor, batch):
            due = sum(c.amount for c in batch.claims.filter(status=Claim.Status.VERIFIED))
            return services.claim_batch_record_payment(
                actor=actor, batch=batch, amount_received=str(due), paid_on=date(2016, 12, 1)
            )

        if self._try("record_payment", who, call, Status.PAID):
            self.model_status = Status.PAID

    @invariant()
    def follows_the_model_and_the_rules(self):
        if not hasattr(self, "batch"):
            return
        batch = ClaimBatch.objects.get(pk=self.batch.pk)
        assert batch.status == self.model_status
        moves = list(batch.events.exclude(to_status="").values_list("from_status", "to_status"))
        assert moves[-1][1] == batch.status
        for src, dst in moves[1:]:
            assert (src, dst) in workflow.TRANSITIONS
        if batch.signed_off_by_id:
            assert batch.signed_off_by_id not in self.preparers
        if batch.approved_by_id:
            assert batch.approved_by_id not in self.preparers
            assert batch.approved_by_id != batch.signed_off_by_id


@pytest.mark.django_db
def test_workflow_state_machine():
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(
        BatchWorkflow,
        settings=settings(
            max_examples=15,
            stateful_step_count=14,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )


@pytest.mark.django_db
def test_the_next_people_to_act_are_told(people):
    from families.models import Notification

    batch = batch_in(Status.AWAITING_AUDIT, people)
    told = Notification.objects.filter(kind=Notification.Kind.BATCH_ACTION)
    assert list(told.values_list("user__username", flat=True)) == [people["auditor"].username]
    assert "waiting for audit" in told.get().message
    _verify_all(batch, people)
    services.claim_batch_sign_off(actor=people["auditor"], batch=batch)
    approvers = set(
        told.filter(message__contains="waiting for your approval").values_list("user_id", flat=True)
    )
    assert approvers == {people["pm2"].pk}  # not the preparer
    services.claim_batch_return(actor=people["pm2"], batch=batch, note="Check F-1 again")
    returned = told.filter(message__contains="returned to draft")
    assert list(returned.values_list("user_id", flat=True)) == [people["pm"].pk]
    assert "Check F-1 again" in returned.get().message
