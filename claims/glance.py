"""The family's claim state for the family at a glance (`settings.FAMILY_GLANCE_ITEMS`).

In order: a results or continuous employment claim that still counts (paid, or in a claim batch);
otherwise what the outcomes engine says now ("Claimable: results", or the date it is claimable if
everything holds). The attachment fee, when claimed, is a line of its own.
"""

from __future__ import annotations

from datetime import date

from families.glance import GlanceItem, long_date
from families.models import Family
from outcomes.engine import EvidenceError
from outcomes.glance import live_evaluation_for_page

from .models import OUTCOME_CLAIM_TYPES, Claim, ClaimType
from .selectors import family_claims
from .workflow import Status


def _claim_words(claim: Claim) -> tuple[str, str, str]:
    """(tag, tone, sentence) for a claim that counts."""
    batch = claim.batch
    kind = claim.get_claim_type_display()
    if claim.status == Claim.Status.PAID:
        paid = f" on {long_date(batch.paid_on)}" if batch.paid_on else ""
        return "Paid", "good", f"{kind} claim paid{paid} (claim batch {batch.reference})"
    if batch.status in Status.FINISHED:
        return "Paid", "good", f"{kind} claim in claim batch {batch.reference}, paid"
    return (
        "In claim batch",
        "working",
        f"{kind} claim in claim batch {batch.reference}: {batch.status_label.lower()}",
    )


def claim_items(*, request, family: Family) -> list[GlanceItem]:
    """The claim state row (one query for the family's claims; the evaluation is the page's)."""
    claims = list(family_claims(family=family))
    counting = [c for c in claims if c.counts]
    outcome = next((c for c in counting if c.claim_type in OUTCOME_CLAIM_TYPES), None)
    attachment = next((c for c in counting if c.claim_type == ClaimType.ATTACHMENT), None)
    released = [c for c in claims if not c.counts and c.claim_type in OUTCOME_CLAIM_TYPES]
    lines: list[str] = []
    if outcome is not None:
        tag, tone, text = _claim_words(outcome)
    else:
        tag, tone, text = _claimable_now(request, family)
        if released:
            last = released[0]
            lines.append(
                f"An earlier {last.get_claim_type_display().lower()} claim in claim batch "
                f"{last.batch.reference} was {last.get_status_display().lower()}"
                + (f": {last.rejection_reason}" if last.rejection_reason else "")
            )
    if attachment is not None:
        lines.append(_claim_words(attachment)[2])
    return [
        GlanceItem(
            key="claim",
            label="Claim",
            tag=tag,
            tone=tone,
            text=text,
            lines=tuple(lines),
            href="#outcomes",
            href_text="Outcomes",
        )
    ]


def _claimable_now(request, family: Family) -> tuple[str, str, str]:
    live = live_evaluation_for_page(request, family)
    if live is None or isinstance(live, EvidenceError):
        return "Not known", "neutral", "The claim state cannot be worked out now"
    result = live.to_dict()
    claimable = result.get("claimable", {})
    if claimable.get("results"):
        return (
            "Claimable: results",
            "good",
            "The plan allows a results claim now; a claim batch checks it again as of its "
            "claim date",
        )
    if claimable.get("continuous_employment"):
        return (
            "Claimable: continuous employment",
            "good",
            "The plan allows a continuous employment claim now; a claim batch checks it again "
            "as of its claim date",
        )
    if family.status == Family.Status.CLOSED:
        return "Not claimable", "neutral", "The case closed without a results claim"
    earliest = result.get("results_earliest_on")
    if earliest:
        return (
            "Not claimable yet",
            "neutral",
            f"Claimable on {long_date(date.fromisoformat(earliest))} if everything holds",
        )
    # Otherwise the engine's first reason, in its words.
    blocking = [b["explanation"] for b in result.get("blocking", ()) if b.get("explanation")]
    if not result.get("eligible"):
        reason = blocking[0] if blocking else "not eligible for the programme"
        return "Not claimable yet", "neutral", f"Not eligible: {reason[:1].lower()}{reason[1:]}"
    if blocking:
        return "Not claimable yet", "neutral", f"Still needed: {blocking[0]}"
    return "Not claimable yet", "neutral", "No date yet: the outcomes are not evidenced"
