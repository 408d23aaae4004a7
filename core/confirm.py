"""Confirmation pages for actions that cannot be undone: say what will happen, then do it.

A form-based action (close a case, record a payment, activate a plan) posts its form; when the
form is valid the view shows a confirmation page built from `confirmation(...)` and rendered
with `templates/includes/confirm_page.html`, which posts the same fields again with
``confirm=yes``; only then does the view call the service. A plain action (submit a batch for
audit, sign off, approve) shows the same page on GET and acts on POST. Every step works without
JavaScript.

`dry_run` lets a view ask the service itself whether the action would succeed, and what it
would change, without keeping anything: the service's own checks (and their messages) decide,
not a copy of them in the view.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction

T = TypeVar("T")

# Fields of the posted form never echoed into the confirmation page's hidden inputs.
_NOT_ECHOED = {"csrfmiddlewaretoken", "confirm", "change"}


def dry_run(call: Callable[[], T], *, inspect: Callable[[T], Any] | None = None) -> tuple[T, Any]:
    """Run `call` (a service), read what it did with `inspect`, then roll everything back.

    Errors the service raises propagate as usual. Work queued with `transaction.on_commit`
    (emails, tasks) is discarded with the rollback, so nobody is told about an action that
    has not happened.
    """
    with transaction.atomic():
        result = call()
        seen = inspect(result) if inspect is not None else None
        transaction.set_rollback(True)
    return result, seen


def confirmed(request) -> bool:
    """Whether this POST is the confirmation page's "Confirm" (not the form's first post)."""
    return request.method == "POST" and request.POST.get("confirm") == "yes"


def wants_change(request) -> bool:
    """Whether the user pressed "Change" on the confirmation page (show the form again)."""
    return request.method == "POST" and request.POST.get("change") == "yes"


def echoed_fields(data) -> list[tuple[str, str]]:
    """The posted form's fields as (name, value) pairs, to post again from the confirmation."""
    return [
        (name, value)
        for name, values in data.lists()
        if name not in _NOT_ECHOED
        for value in values
    ]


@dataclass
class Confirmation:
    """What the confirmation page says: a heading, facts, consequences and the buttons."""

    heading: str
    confirm_label: str
    cancel_url: str
    caption: str = ""
    rows: list[dict[str, Any]] = field(default_factory=list)
    consequences: list[str] = field(default_factory=list)
    warning: str = ""
    action: str = ""
    hidden: list[tuple[str, str]] = field(default_factory=list)
    may_change: bool = False
    danger: bool = False
    form: Any = None  # fields asked for on the confirmation page itself (a sign-off note)
    # Why the action cannot be taken yet, and where to go to put that right (no Confirm button).
    blocked: str = ""
    blocked_link: tuple[str, str] | None = None


def confirmation(
    *,
    heading: str,
    confirm_label: str,
    cancel_url: str,
    data=None,
    rows: Iterable[tuple[str, Any]] = (),
    consequences: Iterable[str] = (),
    **options: Any,
) -> Confirmation:
    """A confirmation page's contents; `data` (request.POST) is echoed as hidden fields."""
    return Confirmation(
        heading=heading,
        confirm_label=confirm_label,
        cancel_url=cancel_url,
        rows=[{"key": key, "value": value} for key, value in rows],
        consequences=list(consequences),
        hidden=echoed_fields(data) if data is not None else [],
        may_change=data is not None,
        **options,
    )
