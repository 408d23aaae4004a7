"""The claim batch workflow as declared: its moves, who may take each action, from which states,
and the separation-of-duties rules (no database: `claims.workflow` is pure)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from claims import workflow
from claims.errors import SeparationOfDutiesError
from claims.workflow import Status
from core.errors import InvalidTransition
from families.models import User
from tests.factories import ALLOWED_MOVES

ALL_STATES = Status.ORDER


def test_declared_transitions_are_exactly_the_programme_moves():
    assert workflow.TRANSITIONS == ALLOWED_MOVES


def test_paid_batches_are_final():
    assert not any(src in Status.FINISHED for src, _ in workflow.TRANSITIONS)


# Who may take each action (role), from the brief.
ROLE_TABLE = {
    "add_claim": {"programme_manager", "data_officer"},
    "remove_claim": {"programme_manager", "data_officer"},
    "submit_for_audit": {"programme_manager", "data_officer"},
    "draw_sample": {"auditor"},
    "verify_claim": {"auditor"},
    "reject_claim": {"auditor"},
    "sign_off": {"auditor"},
    "return_from_audit": {"auditor"},
    "approve": {"programme_manager"},
    "return_from_approval": {"programme_manager"},
    "submit_to_government": {"programme_manager", "data_officer"},
    "record_payment": {"programme_manager"},
}


@pytest.mark.parametrize("action", sorted(ROLE_TABLE))
@pytest.mark.parametrize("role", User.Role.values)
def test_roles_per_action(action, role):
    spec = workflow.ACTIONS[action]
    status = next(iter(spec.from_states))
    user = User(pk=10_000, role=role)
    if role in ROLE_TABLE[action]:
        workflow.check_action(
            action=action, status=status, user=user, preparer_ids={1}, signer_id=2
        )
    else:
        with pytest.raises(PermissionDenied, match="Only"):
            workflow.check_action(
                action=action, status=status, user=user, preparer_ids={1}, signer_id=2
            )


@pytest.mark.parametrize("action", sorted(ROLE_TABLE))
@pytest.mark.parametrize("status", ALL_STATES)
def test_actions_only_from_their_states(action, status):
    role = next(iter(ROLE_TABLE[action]))
    user = User(pk=10_000, role=role)
    if status in workflow.ACTIONS[action].from_states:
        workflow.check_action(action=action, status=status, user=user)
    else:
        with pytest.raises(InvalidTransition, match="You cannot"):
            workflow.check_action(action=action, status=status, user=user)


@pytest.mark.parametrize(
    "action, role, preparer, signer, allowed",
    [
        # Whoever prepared a batch cannot sign it off, audit it or approve it.
        ("sign_off", "auditor", True, False, False),
        ("draw_sample", "auditor", True, False, False),
        ("verify_claim", "auditor", True, False, False),
        ("reject_claim", "auditor", True, False, False),
        ("return_from_audit", "auditor", True, False, False),
        ("approve", "programme_manager", True, False, False),
        ("return_from_approval", "programme_manager", True, False, False),
        # The approver is not the auditor who signed off.
        ("approve", "programme_manager", False, True, False),
        ("return_from_approval", "programme_manager", False, True, False),
        # Someone else may.
        ("sign_off", "auditor", False, False, True),
        ("approve", "programme_manager", False, False, True),
        # Preparing and submitting are not restricted by who prepared.
        ("submit_for_audit", "programme_manager", True, False, True),
        ("submit_to_government", "programme_manager", True, False, True),
        ("record_payment", "programme_manager", True, False, True),
    ],
)
def test_separation_of_duties_table(action, role, preparer, signer, allowed):
    user = User(pk=7, role=role)
    status = next(iter(workflow.ACTIONS[action].from_states))
    kwargs = dict(
        action=action,
        status=status,
        user=user,
        preparer_ids={7} if preparer else {3},
        signer_id=7 if signer else 4,
    )
    if allowed:
        workflow.check_action(**kwargs)
    else:
        with pytest.raises(SeparationOfDutiesError):
            workflow.check_action(**kwargs)


def test_system_may_only_draft_and_no_one_acts_unnamed():
    system = User(username="system", role=User.Role.SYSTEM)
    workflow.check_action(action="create", status=None, user=system)
    with pytest.raises(PermissionDenied):
        workflow.check_action(action="approve", status=Status.SIGNED_OFF, user=system)
    with pytest.raises(PermissionDenied):
        workflow.check_action(action="create", status=None, user=None)
