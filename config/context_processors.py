"""Service name, council name and the navigation each role sees."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from families import security

# (label, url name, roles that see it; None = every signed-in user)
NAVIGATION = [
    ("My caseload", "families:caseload", None),
    # Programme managers reach any team's page from a family's team around the family.
    ("My team", "families:team", {"team_manager"}),
    ("Near misses", "outcomes:near_miss", {"keyworker", "team_manager", "programme_manager"}),
    (
        "Claims",
        "claims:dashboard",
        {"programme_manager", "team_manager", "auditor", "data_officer"},
    ),
    (
        "Reports",
        "reports:index",
        {"programme_manager", "team_manager", "data_officer", "auditor"},
    ),
    ("Audit queue", "claims:audit_queue", {"auditor"}),
    (
        "Eligibility checks",
        "outcomes:eligibility_runs",
        {"team_manager", "programme_manager", "data_officer", "administrator"},
    ),
    ("Notifications", "notifications:list", None),
    ("Outcomes plans", "outcomes:plan_list", {"administrator", "programme_manager", "auditor"}),
    ("Administration", "admin:index", {"administrator"}),
]


def service(request):
    user = getattr(request, "user", None)
    items = []
    # No sections until the second factor is given: they would only lead back to it.
    if (
        user is not None
        and user.is_authenticated
        and not (security.second_factor_required() and not security.is_verified(user))
    ):
        role = getattr(user, "role", None)
        for label, name, roles in NAVIGATION:
            if (
                roles is not None
                and role not in roles
                and not (name == "admin:index" and user.is_superuser)
            ):
                continue
            try:
                url = reverse(name)
            except NoReverseMatch:  # a section not installed in this build
                continue
            items.append({"label": label, "url": url, "active": request.path.startswith(url)})
    # A deeper section's page is not also the section above it (the team page is not "My caseload").
    active = [item for item in items if item["active"]]
    for item in active:
        if any(o is not item and o["url"].startswith(item["url"]) for o in active):
            item["active"] = False
    return {
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        "SERVICE_NAME": settings.SERVICE_NAME,
        "nav_items": items,
    }
