"""Access logging in one place: a view says which families it showed; one middleware writes.

Pages and API views call `shown(request, families)` for what they listed (a caseload page, a
search, an API list). Routes that show one family by its reference in the URL need not call
anything: the registry in `config.access_log` names them and the middleware finds the family.
After a successful read (GET or HEAD, 2xx) `config.access_log.AccessLogMiddleware` writes one
AccessLog row per family, in one insert; a refused or failed request writes none.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import Family

_SHOWN = "_families_shown"


def shown(request, families: Iterable[Family], *, action: str = "") -> None:
    """Note that this request showed these families (written once the response succeeds).

    ``action`` overrides the registry's words for the route (e.g. "listed case notes")."""
    request = getattr(request, "_request", request)  # a DRF Request wraps Django's
    noted = request.__dict__.setdefault(_SHOWN, [])
    noted.append((action, list(families)))


def shown_on(request) -> list[tuple[str, list[Family]]]:
    """What the views noted on this request: (action, families) pairs."""
    return list(getattr(request, "__dict__", {}).get(_SHOWN, []))
