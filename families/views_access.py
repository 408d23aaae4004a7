"""The auditor's page: who saw and who changed a family's records (families.access_history).

Auditors and programme managers; another role that sees the family gets a 403, one that does
not a 404 (the family does not exist for them). The page's own read is logged like any other.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from . import access_history, permissions, selectors


@require_http_methods(["GET", "HEAD"])
def family_access(request, reference):
    family = selectors.family_get(user=request.user, reference=reference)
    if not permissions.can_view_access_history(request.user):
        raise PermissionDenied(
            "Who saw and changed a family's record is for auditors and programme managers."
        )
    people = access_history.access_people(family=family)
    who = request.GET.get("who", "")
    kind = request.GET.get("kind", "")
    filters = access_history.AccessFilters(
        who=int(who) if who.isdigit() and int(who) in {p.pk for p in people} else None,
        kind=kind if kind in access_history.KINDS else "",
    )
    page = access_history.family_access_page(
        family=family, filters=filters, page=request.GET.get("page")
    )
    return render(
        request,
        "families/access_history.html",
        {
            "family": family,
            "page_obj": page,
            "entries": page.object_list,
            "people": people,
            "kinds": access_history.KINDS,
            "filters": filters,
        },
    )
