"""Every URL pattern the service answers, as a sample address to request (tests/security)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_REGEX_PARAM = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^()]*(?:\([^()]*\)[^()]*)*)\)")
_REGEX_LEFTOVER = re.compile(r"[\\()\[\]*+?|^$]")


@dataclass(frozen=True)
class Route:
    template: str  # "/families/{reference}/notes/{note_id}/"
    params: tuple[str, ...]

    def path(self, **values: str) -> str:
        return self.template.format(**{name: values.get(name, "1") for name in self.params})


def _piece(pattern) -> tuple[str, list[str]] | None:
    if isinstance(pattern, RoutePattern):
        text = str(pattern)
        names = [m["name"] for m in _ROUTE_PARAM.finditer(text)]
        if "format" in names:
            return None  # DRF's .json/.api suffix copies of the same views
        return _ROUTE_PARAM.sub(lambda m: "{" + m["name"] + "}", text), names
    if isinstance(pattern, RegexPattern):
        text = pattern.regex.pattern.removeprefix("^").removesuffix("$").removesuffix("\\Z")
        if "(?P<format>" in text:
            return None  # DRF's .json/.api suffix copies of the same views
        names = [m["name"] for m in _REGEX_PARAM.finditer(text)]
        text = _REGEX_PARAM.sub(lambda m: "{" + m["name"] + "}", text)
        text = text.replace("\\.", ".").replace("/?", "/")
        if _REGEX_LEFTOVER.search(text):
            return None  # an alternation or other pattern with no single sample address
        return text, names
    return None


def routes() -> list[Route]:
    found: dict[str, Route] = {}

    def walk(patterns, prefix: str, params: list[str]):
        for entry in patterns:
            piece = _piece(entry.pattern)
            if piece is None:
                continue
            text, names = piece
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + text, params + names)
            elif isinstance(entry, URLPattern):
                template = "/" + prefix + text
                found.setdefault(template, Route(template, tuple(params + names)))

    walk(get_resolver().url_patterns, "", [])
    return sorted(found.values(), key=lambda r: r.template)
