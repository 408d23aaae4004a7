"""How the API knows who is calling (REST_FRAMEWORK's DEFAULT_AUTHENTICATION_CLASSES): a browser
session whose user gave the second factor, or an API token that has not expired or been revoked."""

from django.contrib.auth import SESSION_KEY
from drf_spectacular.authentication import SessionScheme
from rest_framework import exceptions
from rest_framework.authentication import (
    SessionAuthentication,
    TokenAuthentication,
    get_authorization_header,
)

from core.history import NamesUserInHistory
from families import security
from families.models import SecurityEvent


class VerifiedSessionAuthentication(SessionAuthentication):
    """A browser session counts for the API only once its user has given the second factor."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        if security.second_factor_required() and not security.is_verified(result[0]):
            return None
        return result

    def authenticate_header(self, request):
        """401 (not 403) when the caller sent a token that was refused (expired, revoked or
        unknown), or a session still waiting for its second factor, so a program knows to ask
        for a new token or the person to finish signing in. Without credentials: 403, as before."""
        if get_authorization_header(request).split()[:1] == [b"Token"]:
            return 'Token realm="api"'
        session = getattr(request._request, "session", None)
        if session is not None and session.get(SESSION_KEY):
            return 'Token realm="api"'
        return None


class ExpiringTokenAuthentication(NamesUserInHistory, TokenAuthentication):
    """An API token stops working API_TOKEN_LIFETIME after it was issued (401), and when it is
    revoked (deleted) by its user, an administrator or disabling the account. The user it signs
    in is named in the database history of what the request changes (core/history.py)."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if security.token_has_expired(token):
            security.security_event_record(SecurityEvent.Kind.TOKEN_EXPIRED, user=user)
            raise exceptions.AuthenticationFailed(
                "Your API token has expired. Ask for a new one at /api/v1/auth/token/."
            )
        return user, token


class VerifiedSessionScheme(SessionScheme):
    """The OpenAPI schema describes the verified session as the cookie session it is."""

    target_class = VerifiedSessionAuthentication
