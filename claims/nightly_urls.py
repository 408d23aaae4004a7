"""URLs for eligibility runs and notifications (included in the claims namespace)."""

from django.urls import path

from . import nightly_views

urlpatterns: list = [
    path("eligibility-runs/", nightly_views.eligibility_runs, name="eligibility_runs"),
    path("notifications/", nightly_views.notifications, name="notifications"),
    path(
        "notifications/read/", nightly_views.notifications_mark_read, name="notifications_mark_read"
    ),
]
