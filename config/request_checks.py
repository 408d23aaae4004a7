"""Checks every request and response passes through (docs/security.md).

- BadInputMiddleware: a NUL byte, another control character or a lone surrogate in the path,
  the query string or a form/JSON body is a 400, before any view (or the database) sees it;
  a body bigger than REQUEST_MAX_BYTES is a 413, before it is read.
- NoStoreMiddleware: nothing a view answers is kept by a browser or proxy cache.
- HealthCheckMiddleware: /healthz answers "ok" to the container's own health check, which
  calls http://127.0.0.1:8000 (not an allowed host, not HTTPS).
"""

from __future__ import annotations

import json
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.defaults import bad_request


class HealthCheckMiddleware:
    """First in MIDDLEWARE: the answer is a constant, so it skips the host check and the HTTPS
    redirect that would otherwise refuse docker-compose's health check."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path_info == "/healthz"
            and request.method in ("GET", "HEAD")
            and not request.META.get("QUERY_STRING")
        ):
            return HttpResponse("ok", content_type="text/plain")
        return self.get_response(request)


class NoStoreMiddleware:
    """Cache-Control: no-store on every response a view gives (pages, API, downloads)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        return response


# C0 controls and DEL. A path or a parameter's name has no business with any of them; a value
# (a form sent by GET or POST, a JSON body) may carry a tab, a newline or a carriage return (a
# text box's lines).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_BODY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class BadInput(SuspiciousOperation):
    """A request carrying characters no page or API field accepts."""


def _bad_text(value: str, pattern: re.Pattern) -> bool:
    return bool(pattern.search(value) or _SURROGATE.search(value))


def _json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.too_big(request):
            response = self.refuse(request, "The request is too big. Send smaller files.")
            response.status_code = 413
            return response
        problem = self.problem(request)
        if problem:
            return self.refuse(request, problem)
        return self.get_response(request)

    @staticmethod
    def too_big(request) -> bool:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False
        return length > settings.REQUEST_MAX_BYTES

    @staticmethod
    def problem(request) -> str | None:
        if _bad_text(request.path, _CONTROL):
            return "The address contains characters that are not allowed."
        for key, values in request.GET.lists():
            # A form sent by GET may carry a text box's line breaks and tabs in its values.
            if _bad_text(key, _CONTROL) or any(_bad_text(v, _BODY_CONTROL) for v in values):
                return "The address contains characters that are not allowed."
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        content_type = request.content_type or ""
        try:
            if content_type in FORM_TYPES:
                for key, values in request.POST.lists():
                    if any(_bad_text(text, _BODY_CONTROL) for text in (key, *values)):
                        return "The form contains characters that are not allowed."
                for upload in request.FILES.values():
                    if _bad_text(upload.name or "", _CONTROL):
                        return "A file name contains characters that are not allowed."
            elif content_type == "application/json" or content_type.endswith("+json"):
                body = request.body
                if b"\x00" in body:
                    return "The request contains characters that are not allowed."
                try:
                    data = json.loads(body) if body.strip() else None
                except ValueError:
                    return None  # the API's own parser reports malformed JSON
                if any(_bad_text(text, _BODY_CONTROL) for text in _json_strings(data)):
                    return "The request contains characters that are not allowed."
        except (RequestDataTooBig, SuspiciousOperation) as exc:
            return str(exc) or "The request could not be read."
        return None

    @staticmethod
    def refuse(request, problem: str):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": problem}, status=400)
        return bad_request(request, BadInput(problem))
