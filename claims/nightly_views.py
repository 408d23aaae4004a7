"""Pages for the nightly eligibility runs (managers) and each user's notifications."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from families.models import Notification, User
from outcomes.models import EligibilityRun

from . import nightly

RUN_VIEWERS = {
    User.Role.TEAM_MANAGER,
    User.Role.PROGRAMME_MANAGER,
    User.Role.DATA_OFFICER,
    User.Role.ADMINISTRATOR,
}


def eligibility_runs(request):
    if request.user.role not in RUN_VIEWERS:
        raise PermissionDenied("Eligibility runs are for managers.")
    runs = Paginator(
        EligibilityRun.objects.select_related("plan_version", "triggered_by"), 30
    ).get_page(request.GET.get("page"))
    return render(request, "claims/nightly/runs.html", {"runs": runs})


def notifications(request):
    items = Paginator(
        Notification.objects.filter(user=request.user).select_related("family"), 30
    ).get_page(request.GET.get("page"))
    unread = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
    return render(
        request, "claims/nightly/notifications.html", {"notifications": items, "unread": unread}
    )


@require_POST
def notifications_mark_read(request):
    ids = [int(i) for i in request.POST.getlist("notification") if i.isdigit()]
    if request.POST.get("all"):
        ids = list(
            Notification.objects.filter(user=request.user, read_at__isnull=True).values_list(
                "id", flat=True
            )
        )
    count = nightly.notification_mark_read(user=request.user, notification_ids=ids)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read")
    return redirect("claims:notifications")
