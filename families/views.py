"""Family pages: parse, authorise (through selectors), call one service, render."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import selectors, services
from .models import AccessLog


@login_required
def caseload(request):
    families = selectors.family_list(user=request.user)[:25]
    return render(request, "families/caseload.html", {"families": families})


@login_required
def family_detail(request, reference):
    family = selectors.family_get(user=request.user, reference=reference)
    services.access_log_record(
        user=request.user, families=[family], via=AccessLog.Via.PAGE, action="viewed family page", path=request.path
    )
    return render(request, "families/family_detail.html", {"family": family})
