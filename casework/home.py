"""The home page's panel of plan work due (settings.HOME_PAGE_PANELS): reviews due within a
week or overdue, and overdue actions, on the user's families (a keyworker's own, a team
manager's team's). Four queries, whatever the number of families."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from families.home import PANEL_ROWS, HomePanel
from families.models import Family, User
from families.selectors import family_scope

from .models import FamilyPlan
from .selectors import open_actions

# A review is "due" from a week before its date.
REVIEW_DUE_WITHIN = timedelta(days=7)


def plan_panel(*, request, user: User) -> HomePanel:
    today = timezone.localdate()
    families = family_scope(user=user).exclude(status=Family.Status.CLOSED)
    reviews = (
        FamilyPlan.objects.filter(
            family__in=families, next_review_on__lte=today + REVIEW_DUE_WITHIN
        )
        .select_related("family")
        .order_by("next_review_on", "family__reference")
    )
    actions = (
        open_actions()
        .filter(goal__plan__family__in=families, due_on__lt=today)
        .select_related("goal__plan__family")
        .order_by("due_on", "goal__plan__family__reference", "id")
    )
    review_rows = list(reviews[:PANEL_ROWS])
    action_rows = list(actions[:PANEL_ROWS])
    for plan in review_rows:
        plan.days_overdue = (today - plan.next_review_on).days
    for action in action_rows:
        action.days_overdue = (today - action.due_on).days
    review_count = reviews.count() if len(review_rows) == PANEL_ROWS else len(review_rows)
    action_count = actions.count() if len(action_rows) == PANEL_ROWS else len(action_rows)
    return HomePanel(
        key="plan",
        title="Reviews due and actions overdue",
        template="casework/home/_plan.html",
        count=review_count + action_count,
        empty="No reviews are due this week and no actions are overdue.",
        context={
            "reviews": review_rows,
            "review_count": review_count,
            "actions": action_rows,
            "action_count": action_count,
            "today": today,
        },
        shown=len(review_rows) + len(action_rows),
    )
