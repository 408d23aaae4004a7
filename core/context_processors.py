"""What the session-timeout warning in base.html needs: when the session ends, and how long
before that to warn (templates/includes/timeout_warning.html)."""

import time

from django.conf import settings

from .views import session_expires_at


def session_timeout(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    expires_at = session_expires_at(request)
    if expires_at is None:
        return {}
    # Seconds left rather than a time of day, so a computer whose clock is wrong still warns
    # at the right moment.
    return {
        "session_seconds_left": max(0, int(expires_at - time.time())),
        "session_warning_seconds": settings.SESSION_TIMEOUT_WARNING,
    }
