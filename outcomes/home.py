"""Families within a month of a claim, for the home page (`settings.HOME_PAGE_PANELS`).

From the families' current stored evaluations (the nightly check): open families in the user's
scope that are not claimable yet and that the engine says are claimable, if everything holds, on
a date within the next month. Two queries whatever the number of families.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import DateField
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from families.home import PANEL_ROWS, HomePanel
from families.models import Family, User
from families.selectors import family_scope
from outcomes.models import Evaluation

# "Within a month of a claim": the claim date the engine gives is at most this far ahead.
NEAR_CLAIM_DAYS = 31


def near_claim_list(*, user: User):
    """Current evaluations of the user's open families claimable within the month, soonest first."""
    today = timezone.localdate()
    families = family_scope(user=user).exclude(status=Family.Status.CLOSED)
    return (
        Evaluation.objects.filter(
            is_current=True, eligible=True, claimable_results=False, family__in=families
        )
        .annotate(claimable_on=Cast(KT("result__results_earliest_on"), DateField()))
        .filter(claimable_on__gte=today, claimable_on__lte=today + timedelta(days=NEAR_CLAIM_DAYS))
        .select_related("family", "family__lead_keyworker")
        .order_by("claimable_on", "family__reference")
    )


def near_claim_panel(*, request, user: User) -> HomePanel:
    evaluations = near_claim_list(user=user)
    rows = []
    for evaluation in evaluations[:PANEL_ROWS]:
        blocking = evaluation.result.get("blocking") or []
        rows.append(
            {
                "family": evaluation.family,
                "claimable_on": evaluation.claimable_on,
                "needed": list(dict.fromkeys(b["explanation"] for b in blocking))[:1],
            }
        )
    team = user.role == User.Role.TEAM_MANAGER
    return HomePanel(
        key="near_claim",
        title="Your team's families within a month of a claim"
        if team
        else "Families within a month of a claim",
        template="outcomes/home/_near_claim.html",
        count=evaluations.count(),
        empty="None of your families is due to become claimable in the next month.",
        context={"rows": rows},
        shown=len(rows),
    )
