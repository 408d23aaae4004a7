"""Every page needs a signed-in user who has given the second factor; sessions end after
SESSION_IDLE_TIMEOUT without activity and SESSION_COOKIE_AGE after signing in; the API
authenticates itself (a verified session or an unexpired token: config.api)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from core.views import mark_session_activity, session_limit_reached
from families import security
from families.models import SecurityEvent

# /api/v1/ and /api/schema/ answer 401/403 themselves (session or token); the API docs page
# needs a signed-in session, or a token in the Authorization header (API_DOCS_PREFIXES).
OPEN_PREFIXES = (
    "/sign-in/",
    "/sign-out/",
    "/static/",
    "/api/v1/",
    "/api/schema/",
    "/admin/",
    "/healthz",
    # Linked from every page's footer, the sign-in page's included.
    "/accessibility/",
    "/privacy/",
    "/feedback/",
    "/signed-out/",
)
# What a user who has given their password but not yet the second factor may open: the
# sign-in and two-factor pages (under /sign-in/), signing out, the admin's own sign-in, the
# open footer pages. The API refuses such a session itself (config.api).
SECOND_FACTOR_OPEN_PREFIXES = (
    "/sign-in/",
    "/sign-out/",
    "/static/",
    "/api/",
    "/admin/login/",
    "/admin/logout/",
    "/healthz",
    "/accessibility/",
    "/privacy/",
    "/feedback/",
    "/signed-out/",
)

ENDED = {
    "idle": "You were signed out because you had not used the service for {minutes} minutes.",
    "absolute": "You were signed out because you signed in {hours} hours ago.",
}


class SessionLimitsMiddleware:
    """End a signed-in session after SESSION_IDLE_TIMEOUT without a request (any page, or
    "stay signed in") and SESSION_COOKIE_AGE after signing in, whatever the page's script does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            reason = session_limit_reached(request)
            if reason:
                security.security_event_record(
                    SecurityEvent.Kind.SESSION_EXPIRED,
                    request=request,
                    user=user,
                    detail="No activity" if reason == "idle" else "Time since sign-in",
                )
                logout(request)
                messages.info(
                    request,
                    ENDED[reason].format(
                        minutes=settings.SESSION_IDLE_TIMEOUT // 60,
                        hours=settings.SESSION_COOKIE_AGE // 3600,
                    ),
                )
            else:
                mark_session_activity(request.session)
        return self.get_response(request)


API_DOCS_PREFIXES = ("/api/docs/", "/api/redoc/")


def is_open(request) -> bool:
    """May someone not signed in (by session) open this address?"""
    if request.path.startswith(OPEN_PREFIXES):
        return True
    return request.path.startswith(API_DOCS_PREFIXES) and "HTTP_AUTHORIZATION" in request.META


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        user = request.user
        if not user.is_authenticated:
            if not is_open(request):
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        elif (
            security.second_factor_required()
            and not path.startswith(SECOND_FACTOR_OPEN_PREFIXES)
            and not security.is_verified(user)
        ):
            query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
            return redirect(f"{reverse('two_factor')}?{query}")
        return self.get_response(request)
