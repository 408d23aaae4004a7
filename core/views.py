"""Pages every service has: the accessibility statement, the privacy notice, how to give
feedback, the signed-out page, and the endpoint that keeps a session alive.

The statement, notice and feedback pages are open without signing in (they are linked from the
sign-in page's footer); the council's details come from the settings (docs/operations.md).
"""

from __future__ import annotations

import time
from datetime import date

from django.conf import settings
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

# When the accessibility statement was last reviewed against the service (update on review).
STATEMENT_PREPARED = date(2026, 12, 3)
SESSION_EXPIRES_KEY = "session_expires_at"


def _council_context() -> dict:
    return {
        "feedback_email": settings.FEEDBACK_EMAIL,
        "privacy_email": settings.DATA_PROTECTION_EMAIL,
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
    }


@require_http_methods(["GET", "HEAD"])
def accessibility(request):
    return render(
        request,
        "core/accessibility.html",
        {**_council_context(), "prepared": STATEMENT_PREPARED},
    )


@require_http_methods(["GET", "HEAD"])
def privacy(request):
    return render(request, "core/privacy.html", _council_context())


@require_http_methods(["GET", "HEAD"])
def feedback(request):
    return render(request, "core/feedback.html", _council_context())


@require_http_methods(["GET", "HEAD"])
def signed_out(request):
    """Where the timeout warning sends someone it signed out."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    return render(request, "core/signed_out.html", {**_council_context(), "next": next_url})


def session_expires_at(request) -> int | None:
    """When the signed-in user's session ends, in seconds since 1970 (None if not recorded)."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    return session.get(SESSION_EXPIRES_KEY)


def mark_session_start(session) -> None:
    """Record when the session will end: saving it now starts SESSION_COOKIE_AGE again."""
    session[SESSION_EXPIRES_KEY] = int(time.time()) + settings.SESSION_COOKIE_AGE


def session_extend(request):
    """ "Stay signed in": save the session again, so it lasts another SESSION_COOKIE_AGE."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    mark_session_start(request.session)
    return JsonResponse({"signed_in": True, "seconds_left": settings.SESSION_COOKIE_AGE})
