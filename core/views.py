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
SIGNED_IN_AT_KEY = "signed_in_at"
ACTIVE_AT_KEY = "active_at"
# Activity is recorded to the nearest minute (config.middleware.SessionLimitsMiddleware).
ACTIVITY_RESOLUTION = 60


def _council_context() -> dict:
    return {
        "feedback_email": settings.FEEDBACK_EMAIL,
        "privacy_email": settings.DATA_PROTECTION_EMAIL,
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        "idle_minutes": settings.SESSION_IDLE_TIMEOUT // 60,
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
    """When the signed-in user's session ends, in seconds since 1970 (None if not recorded):
    SESSION_IDLE_TIMEOUT after the last activity, and never later than SESSION_COOKIE_AGE after
    signing in."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    signed_in_at = session.get(SIGNED_IN_AT_KEY)
    active_at = session.get(ACTIVE_AT_KEY)
    if signed_in_at is None or active_at is None:
        return None
    return min(
        active_at + settings.SESSION_IDLE_TIMEOUT, signed_in_at + settings.SESSION_COOKIE_AGE
    )


def session_limit_reached(request) -> str | None:
    """Why the session must end now ("idle" or "absolute"), or None while it may go on. A
    signed-in session without its timestamps is treated as over."""
    session = request.session
    now = time.time()
    signed_in_at = session.get(SIGNED_IN_AT_KEY)
    active_at = session.get(ACTIVE_AT_KEY)
    if signed_in_at is None or now >= signed_in_at + settings.SESSION_COOKIE_AGE:
        return "absolute"
    if active_at is None or now >= active_at + settings.SESSION_IDLE_TIMEOUT:
        return "idle"
    return None


def mark_session_start(session) -> None:
    """Record when the user signed in, which is also their latest activity."""
    now = int(time.time())
    session[SIGNED_IN_AT_KEY] = now
    session[ACTIVE_AT_KEY] = now


def mark_session_activity(session, *, every: int = ACTIVITY_RESOLUTION) -> None:
    """Record activity now; saved at most once a minute, so most pages write nothing."""
    now = int(time.time())
    if now - session.get(ACTIVE_AT_KEY, 0) >= every:
        session[ACTIVE_AT_KEY] = now


def session_extend(request):
    """ "Stay signed in": record activity now, so the session lasts another
    SESSION_IDLE_TIMEOUT (never past SESSION_COOKIE_AGE after signing in)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    mark_session_activity(request.session, every=0)
    request.session.modified = True
    seconds_left = max(0, int(session_expires_at(request) - time.time()))
    return JsonResponse({"signed_in": True, "seconds_left": seconds_left})
