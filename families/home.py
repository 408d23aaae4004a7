"""A keyworker's (and team manager's) home page: what needs doing now, then the caseload.

`settings.HOME_PAGE_PANELS` names functions ``(*, request, user) -> HomePanel | None``, shown in
order above the caseload; apps above families add theirs without the families app importing
them (``outcomes.home.near_claim_panel``: families within a month of a claim). This module gives
new notifications and, for team managers, the team's families with no lead keyworker. Each panel
costs a constant number of queries, whatever the number of families.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from .models import Family, User
from .selectors import family_scope, notification_list

# Who has a home page of panels; everyone else lands on the page their work starts from.
HOME_ROLES = {User.Role.KEYWORKER, User.Role.TEAM_MANAGER}
PANEL_ROWS = 5


@dataclass(frozen=True)
class HomePanel:
    """One panel: a heading, how many things it counts (0 shows its ``empty`` sentence), its
    template (given ``panel`` and the page's context) and the template's own context."""

    key: str
    title: str
    template: str
    count: int
    empty: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    shown: int = 0  # how many of ``count`` the panel lists

    @property
    def more(self) -> int:
        return max(0, self.count - self.shown)


def home_panels(*, request, user: User) -> list[HomePanel]:
    panels = []
    for path in getattr(settings, "HOME_PAGE_PANELS", ()):
        panel = import_string(path)(request=request, user=user)
        if panel is not None:
            panels.append(panel)
    return panels


def notifications_panel(*, request, user: User) -> HomePanel:
    """The user's unread notifications, newest first (two queries)."""
    unread = notification_list(user=user).filter(read_at__isnull=True)
    return HomePanel(
        key="notifications",
        title="New notifications",
        template="families/home/_notifications.html",
        count=unread.count(),
        empty="You have no new notifications.",
        context={"notifications": (rows := list(unread[:PANEL_ROWS]))},
        shown=len(rows),
    )


def unallocated_panel(*, request, user: User) -> HomePanel | None:
    """Team managers: the team's open families with no lead keyworker (two queries)."""
    if user.role != User.Role.TEAM_MANAGER:
        return None
    families = (
        family_scope(user=user)
        .filter(lead_keyworker__isnull=True)
        .exclude(status=Family.Status.CLOSED)
        .order_by("identified_on", "reference")
    )
    return HomePanel(
        key="unallocated",
        title="Families with no lead keyworker",
        template="families/home/_unallocated.html",
        count=families.count(),
        empty="Every open family in your team has a lead keyworker.",
        context={"families": (rows := list(families[:PANEL_ROWS]))},
        shown=len(rows),
    )
