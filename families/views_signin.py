"""Signing in (docs/security.md): the password page, the second step (set up an authenticator
app, or give its code or a recovery code), the recovery codes shown once, the lockout page, and
the "API access" page where a user sees and revokes their API token."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import LoginView, redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

from . import security


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=40,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def __init__(self, *args, recovery_allowed: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.recovery_allowed = recovery_allowed
        if recovery_allowed:
            self.fields[
                "code"
            ].help_text = (
                "The 6-digit code your authenticator app shows now, or one of your recovery codes"
            )
            self.fields["code"].error_messages["required"] = (
                "Enter the 6-digit code from your authenticator app, or a recovery code"
            )
        else:
            self.fields["code"].help_text = "The 6-digit code your authenticator app shows now"

    def clean_code(self) -> str:
        code = security.normalise_code(self.cleaned_data["code"])
        if code.isdigit() and len(code) != 6:
            raise forms.ValidationError("Enter a code with 6 digits")
        if not code.isdigit() and not self.recovery_allowed:
            raise forms.ValidationError("Enter a code with 6 digits, like 123456")
        return code


WRONG_CODE = "The code is not right. Check your authenticator app and try again"


def _next_url(request) -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"


def _needs_second_factor(request) -> bool:
    return security.second_factor_required() and not security.is_verified(request.user)


class SignInView(LoginView):
    """The password step; then the second step, unless the demo lets its own users skip it."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_skips_second_factor"] = bool(settings.TWO_FACTOR_SKIP_CALLABLE)
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        if _needs_second_factor(self.request) and not security.second_factor_skip(self.request):
            return redirect(_with_next("two_factor", self.get_success_url()))
        return response


def _signed_in_or_redirect(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    return None


@require_http_methods(["GET", "POST"])
def two_factor(request):
    """ "Enter the code from your authenticator app" (or a recovery code)."""
    if response := _signed_in_or_redirect(request):
        return response
    next_url = _next_url(request)
    if security.is_verified(request.user):
        return redirect(next_url)
    if not security.has_second_factor(request.user):
        return redirect(_with_next("two_factor_setup", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if security.second_factor_verify(request, form.cleaned_data["code"]):
            left = security.recovery_codes_left(request.user)
            if left < 3:
                messages.warning(
                    request,
                    f"You have {left} recovery code{'s' if left != 1 else ''} left. "
                    "Make new ones on the API access and security page.",
                )
            return redirect(next_url)
        form.add_error("code", WRONG_CODE)
    return render(request, "registration/two_factor.html", {"form": form, "next": next_url})


def qr_code_svg(url: str) -> str:
    """The QR code as inline SVG markup (no style attributes, so the CSP allows it)."""
    return segno.make(url, error="m").svg_inline(
        scale=5, border=4, dark="#0b0c0c", light="#ffffff", svgclass="app-qr-code", omitsize=False
    )


@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """ "Set up two-factor authentication": scan the QR code or type the secret, then a code."""
    if response := _signed_in_or_redirect(request):
        return response
    next_url = _next_url(request)
    if security.has_second_factor(request.user):
        return redirect(_with_next("two_factor", next_url))
    device = security.authenticator_for_setup(request.user)
    form = CodeForm(request.POST or None, recovery_allowed=False)
    if request.method == "POST" and form.is_valid():
        codes = security.authenticator_confirm(request, device, form.cleaned_data["code"])
        if codes is not None:
            request.session[security.RECOVERY_CODES_SESSION_KEY] = codes
            return redirect(_with_next("recovery_codes", next_url))
        form.add_error("code", WRONG_CODE)
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_svg": qr_code_svg(device.config_url),
            "secret": security.secret_in_groups(device),
        },
    )


@require_http_methods(["GET", "HEAD"])
def recovery_codes(request):
    """The new recovery codes, shown once: print or download them."""
    if response := _signed_in_or_redirect(request):
        return response
    next_url = _next_url(request)
    codes = request.session.pop(security.RECOVERY_CODES_SESSION_KEY, None)
    if not codes:
        return redirect(next_url)
    text = "Family keywork recovery codes for {}\n\n{}\n".format(
        request.user.get_username(), "\n".join(codes)
    )
    return render(
        request,
        "registration/recovery_codes.html",
        {
            "codes": codes,
            "next": next_url,
            "download_href": "data:text/plain;charset=utf-8," + quote(text),
        },
    )


@require_http_methods(["POST"])
def recovery_codes_new(request):
    """Replace the user's recovery codes (the old ones stop working) and show the new ones."""
    codes = security.recovery_codes_issue(request, request.user)
    request.session[security.RECOVERY_CODES_SESSION_KEY] = codes
    return redirect(_with_next("recovery_codes", reverse("api_access")))


@require_http_methods(["GET", "HEAD", "POST"])
def api_access(request):
    """ "API access and security": the user's API token (when issued, when it expires) and a
    button to revoke it; how many recovery codes are left."""
    if request.method == "POST":
        if security.token_revoke(request.user, request=request, detail="Revoked by its user"):
            messages.success(request, "Your API token has been revoked. It no longer works.")
        return redirect("api_access")
    token = Token.objects.filter(user=request.user).first()
    return render(
        request,
        "registration/api_access.html",
        {
            "token": token,
            "expires_at": security.token_expires_at(token) if token else None,
            "expired": security.token_has_expired(token) if token else False,
            "lifetime_days": settings.API_TOKEN_LIFETIME.days,
            "recovery_left": security.recovery_codes_left(request.user),
        },
    )


LOCKED_OUT_MESSAGE = (
    "You have tried to sign in too many times. Wait {minutes} minutes, then try again. If you "
    "have forgotten your password, contact your team manager or the system administrator."
)


def locked_out(request, original_response=None, credentials=None):
    """Axes' lockout response: the same words whether or not the username exists."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = LOCKED_OUT_MESSAGE.format(minutes=minutes)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "registration/locked_out.html", {"message": message}, status=429)
