"""Signing in (docs/security.md): the security event log, the second factor (an authenticator
app, or a recovery code that works once), ending a disabled user's sessions and API tokens,
and API tokens that expire. Every write about sign-in goes through here."""

from __future__ import annotations

import base64
from datetime import datetime

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from .models import SecurityEvent, User

AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
RECOVERY_CODES_SESSION_KEY = "recovery_codes_to_show"


# --- the security event log ---------------------------------------------------------------------


def client_address(request) -> str | None:
    if request is None:
        return None
    meta = getattr(request, "META", {})
    return meta.get("REMOTE_ADDR") or None


def security_event_record(
    kind: str,
    *,
    request=None,
    user: User | None = None,
    username: str = "",
    detail: str = "",
) -> SecurityEvent:
    """Write one security event: who (the user, or the username typed), from where, what."""
    meta = getattr(request, "META", {}) if request is not None else {}
    if user is not None and not username:
        username = user.get_username()
    return SecurityEvent.objects.create(
        kind=kind,
        user=user if user is not None and user.pk else None,
        username=(username or "")[:150],
        ip_address=client_address(request),
        user_agent=meta.get("HTTP_USER_AGENT", "")[:300],
        detail=detail[:300],
    )


# --- the second factor --------------------------------------------------------------------------


def second_factor_required() -> bool:
    return bool(settings.TWO_FACTOR_REQUIRED)


def is_verified(user) -> bool:
    """Whether this request's user gave a second factor (OTPMiddleware's is_verified)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def confirmed_authenticator(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def authenticator_for_setup(user: User) -> TOTPDevice:
    """The unconfirmed authenticator a user is setting up (the same one until confirmed, so
    the QR code does not change on every visit)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def secret_base32(device: TOTPDevice) -> str:
    """The secret as typed into an authenticator app: base32, without padding."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def secret_in_groups(device: TOTPDevice) -> str:
    secret = secret_base32(device)
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _mark_verified(request, device) -> None:
    otp_login(request, device)
    # A new session key now the user has proved both factors.
    request.session.cycle_key()


@transaction.atomic
def authenticator_confirm(request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm a new authenticator with a code from it: the user is then verified and gets
    RECOVERY_CODE_COUNT new recovery codes (returned, to show once). None if the code is wrong."""
    code = normalise_code(code)
    if not (code.isdigit() and device.verify_token(code)):
        security_event_record(
            SecurityEvent.Kind.SECOND_FACTOR_FAILED,
            request=request,
            user=request.user,
            detail="Setting up an authenticator app",
        )
        return None
    user = request.user
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_issue(request, user)
    security_event_record(SecurityEvent.Kind.TWO_FACTOR_ENROLLED, request=request, user=user)
    _mark_verified(request, device)
    return codes


@transaction.atomic
def recovery_codes_issue(request, user: User) -> list[str]:
    """New recovery codes, replacing any the user had; each works once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    security_event_record(
        SecurityEvent.Kind.RECOVERY_CODES_ISSUED,
        request=request,
        user=user,
        detail=f"{len(codes)} codes",
    )
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def second_factor_verify(request, code: str) -> bool:
    """Check a 6-digit authenticator code or a recovery code (which then stops working)."""
    user = request.user
    code = normalise_code(code)
    device = None
    if code.isdigit():
        candidate = confirmed_authenticator(user)
        if candidate is not None and candidate.verify_token(code):
            device = candidate
    elif code:
        for candidate in StaticDevice.objects.filter(user=user, confirmed=True):
            if candidate.verify_token(code):
                device = candidate
                break
    if device is None:
        security_event_record(SecurityEvent.Kind.SECOND_FACTOR_FAILED, request=request, user=user)
        return False
    if isinstance(device, StaticDevice):
        security_event_record(
            SecurityEvent.Kind.RECOVERY_CODE_USED,
            request=request,
            user=user,
            detail=f"{recovery_codes_left(user)} left",
        )
    else:
        security_event_record(SecurityEvent.Kind.SECOND_FACTOR_PASSED, request=request, user=user)
    _mark_verified(request, device)
    return True


def may_skip_second_factor(user: User) -> bool:
    """Only where TWO_FACTOR_SKIP_CALLABLE is set (the embedded demo, for its own users)."""
    path = settings.TWO_FACTOR_SKIP_CALLABLE
    return bool(path) and bool(import_string(path)(user))


def second_factor_skip(request) -> bool:
    """Mark a demo user verified with their own authenticator, saying so in the log."""
    user = request.user
    device = confirmed_authenticator(user)
    if device is None or not may_skip_second_factor(user):
        return False
    security_event_record(SecurityEvent.Kind.SECOND_FACTOR_SKIPPED, request=request, user=user)
    _mark_verified(request, device)
    return True


# --- ending sessions and tokens -----------------------------------------------------------------


def sessions_end_for(user: User) -> int:
    """Delete every live session signed in as `user`; how many there were."""
    keys = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(session_key__in=keys).delete()
    return len(keys)


@transaction.atomic
def user_disabled(user: User) -> None:
    """A user's account was disabled: end their sessions and revoke their API tokens."""
    sessions = sessions_end_for(user)
    tokens = token_revoke(user, detail="Account disabled")
    security_event_record(
        SecurityEvent.Kind.ACCOUNT_DISABLED,
        user=user,
        detail=f"{sessions} session(s) ended, {tokens} API token(s) revoked",
    )


def token_expires_at(token: Token) -> datetime:
    return token.created + settings.API_TOKEN_LIFETIME


def token_has_expired(token: Token) -> bool:
    return timezone.now() >= token_expires_at(token)


@transaction.atomic
def token_issue(request, user: User) -> Token:
    """The user's API token: their current one, or a new one if they had none or it expired."""
    token = Token.objects.filter(user=user).first()
    if token is not None and token_has_expired(token):
        token_revoke(user, request=request, detail="Expired; replaced")
        token = None
    if token is None:
        token = Token.objects.create(user=user)
        security_event_record(SecurityEvent.Kind.TOKEN_ISSUED, request=request, user=user)
    return token


@transaction.atomic
def token_revoke(user: User, *, request=None, detail: str = "") -> int:
    """Delete the user's API token; how many were deleted (0 or 1)."""
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        security_event_record(
            SecurityEvent.Kind.TOKEN_REVOKED, request=request, user=user, detail=detail
        )
    return deleted


# --- signal receivers (connected in families.apps) ----------------------------------------------


def on_signed_in(sender, request, user, **kwargs) -> None:
    security_event_record(SecurityEvent.Kind.SIGNED_IN, request=request, user=user)


def on_sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", "") or "")
    security_event_record(SecurityEvent.Kind.SIGN_IN_FAILED, request=request, username=username)


def on_signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        security_event_record(SecurityEvent.Kind.SIGNED_OUT, request=request, user=user)


def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    security_event_record(
        SecurityEvent.Kind.LOCKED_OUT,
        request=request,
        username=str(username or ""),
        detail=f"{settings.AXES_FAILURE_LIMIT} failed sign-ins",
    )


def on_user_saving(sender, instance: User, **kwargs) -> None:
    """Note whether an account is being disabled (it was active and now is not)."""
    instance._being_disabled = bool(
        instance.pk
        and not instance.is_active
        and User.objects.filter(pk=instance.pk, is_active=True).exists()
    )


def on_user_saved(sender, instance: User, created: bool, **kwargs) -> None:
    if getattr(instance, "_being_disabled", False):
        instance._being_disabled = False
        user_disabled(instance)
