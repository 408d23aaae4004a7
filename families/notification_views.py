"""Each user's notifications: what the service told them, newest first, and marking them read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from . import access, selectors, services


@require_http_methods(["GET", "HEAD"])
def notification_list(request):
    every = selectors.notification_list(user=request.user)
    items = Paginator(every, 30).get_page(request.GET.get("page"))
    unread = every.filter(read_at__isnull=True).count()
    access.shown(request, [n.family for n in items if n.family_id])
    return render(
        request, "families/notifications.html", {"notifications": items, "unread": unread}
    )


@require_POST
def notifications_mark_read(request):
    if request.POST.get("all"):
        ids = list(
            selectors.notification_list(user=request.user)
            .filter(read_at__isnull=True)
            .values_list("id", flat=True)
        )
    else:
        ids = [int(i) for i in request.POST.getlist("notification") if i.isdigit()]
    count = services.notification_mark_read(user=request.user, notification_ids=ids)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read")
    return redirect("notifications:list")
