"""Every change to claims and claim batches: checked against the workflow, written atomically
with history and a batch event, under a row lock on the batch so two people acting at once
leave one result.

Services are keyword-only, take the acting user (the system actor for the scheduled drafting
job), and raise ValidationError (naming the field), InvalidTransition, SeparationOfDutiesError
or PermissionDenied with a message that says what to do. By subject:

- `drafting`: draft a batch of every claimable family, or add and remove claims one by one
- `eligibility`: whether a family can be claimed for, and for which outcome
- `pricing`: which tariff pays for a claim
- `snapshots`: freezing each claim's evidence when the batch goes to audit
- `audit`: the sample, verifying and rejecting claims, sign-off, returning to draft
- `payment`: approval, submission to government and the payment
"""

from ..digests import canonical_json, digest_of, evidence_refs, snapshot_verifies
from ..selectors import preparer_ids, worked_with
from .audit import (
    claim_batch_draw_sample,
    claim_batch_return,
    claim_batch_sign_off,
    claim_batch_submit_for_audit,
    claim_reject,
    claim_verify,
    draw_sample,
    sample_size,
)
from .common import pounds
from .drafting import (
    claim_add,
    claim_batch_create,
    claim_batch_draft,
    claim_batch_draft_on_claim_date,
    claim_remove,
    claimable_candidates,
)
from .eligibility import claim_refusal
from .payment import (
    claim_batch_approve,
    claim_batch_record_payment,
    claim_batch_submit_to_government,
)
from .pricing import tariff_for

__all__ = [
    "canonical_json",
    "claim_add",
    "claim_batch_approve",
    "claim_batch_create",
    "claim_batch_draft",
    "claim_batch_draft_on_claim_date",
    "claim_batch_draw_sample",
    "claim_batch_record_payment",
    "claim_batch_return",
    "claim_batch_sign_off",
    "claim_batch_submit_for_audit",
    "claim_batch_submit_to_government",
    "claim_refusal",
    "claim_reject",
    "claim_remove",
    "claim_verify",
    "claimable_candidates",
    "digest_of",
    "draw_sample",
    "evidence_refs",
    "pounds",
    "preparer_ids",
    "sample_size",
    "snapshot_verifies",
    "tariff_for",
    "worked_with",
]
