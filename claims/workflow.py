"""The claim batch workflow: its states, the moves between them, who may make each move, and
the separation-of-duties rules, declared in one place.

    draft ──submit_for_audit──▶ awaiting_audit ──sign_off──▶ signed_off ──approve──▶ approved
      ▲                           │                            │                       │
      └──────return_to_draft──────┘◀─────return_to_draft───────┘          submit_to_government
                                                                                    ▼
                                               paid ◀──record_payment── submitted_to_government
                                      partly_rejected ◀──record_payment──┘

Besides the moves, some actions work on a batch while it stays in one state (adding and
removing claims in draft; drawing a sample and verifying or rejecting claims while it awaits
audit). Services call `check_action` before they write; pages and the API call
`available_actions` to show only what the user may do. Nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from claims.errors import SeparationOfDutiesError
from core.errors import InvalidTransition
from families.models import User


class Status:
    DRAFT = "draft"
    AWAITING_AUDIT = "awaiting_audit"
    SIGNED_OFF = "signed_off"
    APPROVED = "approved"
    SUBMITTED = "submitted"
    PAID = "paid"
    PARTLY_REJECTED = "partly_rejected"

    CHOICES = [
        (DRAFT, "Draft"),
        (AWAITING_AUDIT, "Awaiting audit"),
        (SIGNED_OFF, "Signed off by audit"),
        (APPROVED, "Approved"),
        (SUBMITTED, "Submitted to government"),
        (PAID, "Paid"),
        (PARTLY_REJECTED, "Paid in part"),
    ]
    LABELS = dict(CHOICES)
    ORDER = [code for code, _ in CHOICES]
    # States in which the return and evidence pack may be downloaded.
    EXPORTABLE = {APPROVED, SUBMITTED, PAID, PARTLY_REJECTED}
    # States after which claims are frozen (nothing added, removed or re-audited).
    FINISHED = {PAID, PARTLY_REJECTED}


PM = User.Role.PROGRAMME_MANAGER
DO = User.Role.DATA_OFFICER
AUDITOR = User.Role.AUDITOR
SYSTEM = User.Role.SYSTEM  # the scheduled drafting on a claim date


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    from_states: frozenset[str]
    # None: the batch stays where it is. record_payment may end in either of two states.
    to_states: frozenset[str] | None
    roles: frozenset[str]
    # Separation of duties: who prepared the batch may not take this action.
    not_by_preparer: bool = False
    # Separation of duties: who signed the batch off may not take this action.
    not_by_signer: bool = False
    # The action must carry a note saying why (a return sends work back to someone).
    needs_note: bool = False

    @property
    def is_move(self) -> bool:
        return self.to_states is not None


def _a(name, label, from_states, to_states, roles, **kw) -> Action:
    return Action(
        name=name,
        label=label,
        from_states=frozenset(from_states),
        to_states=None if to_states is None else frozenset(to_states),
        roles=frozenset(roles),
        **kw,
    )


S = Status
ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        # Preparing: a programme manager or data officer.
        _a("create", "Draft a claim batch", [], None, [PM, DO, SYSTEM]),
        _a("add_claim", "Add a claim", [S.DRAFT], None, [PM, DO]),
        _a("remove_claim", "Remove a claim", [S.DRAFT], None, [PM, DO]),
        _a("submit_for_audit", "Submit for audit", [S.DRAFT], [S.AWAITING_AUDIT], [PM, DO]),
        # Audit: an auditor who did not prepare the batch.
        _a(
            "draw_sample",
            "Draw an audit sample",
            [S.AWAITING_AUDIT],
            None,
            [AUDITOR],
            not_by_preparer=True,
        ),
        _a(
            "verify_claim",
            "Verify a claim",
            [S.AWAITING_AUDIT],
            None,
            [AUDITOR],
            not_by_preparer=True,
        ),
        _a(
            "reject_claim",
            "Reject a claim",
            [S.AWAITING_AUDIT],
            None,
            [AUDITOR],
            not_by_preparer=True,
        ),
        _a(
            "sign_off",
            "Sign off",
            [S.AWAITING_AUDIT],
            [S.SIGNED_OFF],
            [AUDITOR],
            not_by_preparer=True,
        ),
        _a(
            "return_from_audit",
            "Return to draft",
            [S.AWAITING_AUDIT],
            [S.DRAFT],
            [AUDITOR],
            not_by_preparer=True,
            needs_note=True,
        ),
        # Approval: a programme manager who neither prepared nor signed off the batch.
        _a(
            "approve",
            "Approve",
            [S.SIGNED_OFF],
            [S.APPROVED],
            [PM],
            not_by_preparer=True,
            not_by_signer=True,
        ),
        _a(
            "return_from_approval",
            "Return to draft",
            [S.SIGNED_OFF],
            [S.DRAFT],
            [PM],
            not_by_preparer=True,
            not_by_signer=True,
            needs_note=True,
        ),
        # Submission and payment.
        _a(
            "submit_to_government",
            "Mark as submitted to government",
            [S.APPROVED],
            [S.SUBMITTED],
            [PM, DO],
        ),
        _a(
            "record_payment", "Record the payment", [S.SUBMITTED], [S.PAID, S.PARTLY_REJECTED], [PM]
        ),
    ]
}

# Every move (from, to) the workflow allows, derived from the actions above.
TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    (src, dst)
    for a in ACTIONS.values()
    if a.is_move
    for src in a.from_states
    for dst in a.to_states
)
# Actions that make the actor one of the batch's preparers.
PREPARING_ACTIONS = frozenset({"create", "add_claim", "remove_claim", "submit_for_audit"})

ROLE_LABELS = {PM: "a programme manager", DO: "a data officer", AUDITOR: "an auditor"}


def _roles_phrase(roles: Iterable[str]) -> str:
    names = [ROLE_LABELS[r] for r in sorted(roles) if r in ROLE_LABELS]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def check_action(
    *,
    action: str,
    status: str | None,
    user: User,
    preparer_ids: Iterable[int | None] = (),
    signer_id: int | None = None,
    to_status: str | None = None,
) -> None:
    """Raise if the action is not allowed: wrong state (InvalidTransition), wrong role
    (PermissionDenied) or a separation-of-duties breach (SeparationOfDutiesError).

    The system user (the scheduled drafting job) may create a batch and nothing else.
    """
    from django.core.exceptions import PermissionDenied

    spec = ACTIONS[action]
    if status is not None and status not in spec.from_states:
        state = Status.LABELS.get(status, status).lower()
        raise InvalidTransition(
            f"You cannot {spec.label.lower()} a claim batch that is {state}." + _state_hint(status)
        )
    if to_status is not None and (spec.to_states is None or to_status not in spec.to_states):
        raise InvalidTransition(
            f"A claim batch cannot move to {Status.LABELS.get(to_status, to_status).lower()} by {spec.label.lower()}."
        )
    if user is None:
        raise PermissionDenied("Say who is acting: automated work passes system_actor().")
    if user.role not in spec.roles:
        raise PermissionDenied(f"Only {_roles_phrase(spec.roles)} can {spec.label.lower()}.")
    if spec.not_by_preparer and user.pk in set(preparer_ids):
        raise SeparationOfDutiesError(
            f"You prepared this claim batch, so someone else must {spec.label.lower()}."
        )
    if spec.not_by_signer and signer_id is not None and user.pk == signer_id:
        raise SeparationOfDutiesError(
            f"You signed this claim batch off for audit, so another programme manager must {spec.label.lower()}."
        )


def _state_hint(status: str) -> str:
    hints = {
        Status.DRAFT: " Submit it for audit first.",
        Status.AWAITING_AUDIT: " It is waiting for an auditor.",
        Status.SIGNED_OFF: " It is waiting for a programme manager's approval.",
        Status.APPROVED: " It has been approved: mark it as submitted to government next.",
        Status.SUBMITTED: " It has been submitted to government: record the payment next.",
        Status.PAID: " It has been paid and is closed.",
        Status.PARTLY_REJECTED: " It has been paid in part and is closed.",
    }
    return hints.get(status, "")


def allowed(**kwargs) -> bool:
    """Whether `check_action` would pass."""
    from django.core.exceptions import PermissionDenied

    try:
        check_action(**kwargs)
    except (InvalidTransition, SeparationOfDutiesError, PermissionDenied):
        return False
    return True


def available_actions(
    *, status: str, user: User, preparer_ids: Iterable[int | None], signer_id: int | None
) -> set[str]:
    """The names of the actions this user may take on a batch in this state."""
    preparer_ids = set(preparer_ids)
    return {
        name
        for name in ACTIONS
        if name != "create"
        and allowed(
            action=name, status=status, user=user, preparer_ids=preparer_ids, signer_id=signer_id
        )
    }
