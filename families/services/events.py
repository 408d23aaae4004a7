"""The family's event log (its timeline) and the access log: append-only, written here only.

Other apps record what happened to a family through `family_event_record` and
`family_events_record` (a claim rejected or paid, evidence recorded, an outcome that changed),
never by writing `FamilyEvent` rows themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ..models import AccessLog, Family, FamilyEvent, User


@dataclass(frozen=True)
class NewEvent:
    """One entry for a family's timeline."""

    family_id: int
    kind: str
    occurred_on: date
    summary: str


def _require_actor(actor: User | None) -> None:
    if actor is None:
        raise PermissionDenied("Say who is acting: automated work passes system_actor().")


@transaction.atomic
def family_events_record(*, actor: User, events: Iterable[NewEvent]) -> int:
    """Add entries to families' timelines, recorded against the actor (one insert)."""
    _require_actor(actor)
    rows = [
        FamilyEvent(
            family_id=e.family_id,
            kind=e.kind,
            occurred_on=e.occurred_on,
            summary=e.summary[:300],
            actor=actor,
        )
        for e in events
    ]
    if rows:
        FamilyEvent.objects.bulk_create(rows)
    return len(rows)


def family_event_record(
    *, actor: User, family: Family, kind: str, occurred_on: date, summary: str
) -> None:
    """Add one entry to a family's timeline."""
    family_events_record(
        actor=actor,
        events=[NewEvent(family_id=family.pk, kind=kind, occurred_on=occurred_on, summary=summary)],
    )


def access_log_record(
    *,
    user: User,
    families: Iterable[Family],
    via: str,
    action: str,
    path: str = "",
    at: datetime | None = None,
) -> None:
    """Record that the user read these family records (one insert, whatever the number), now
    (`at` is for the demo's past reads: the log is append-only, so a time is never changed)."""
    at = at or timezone.now()
    AccessLog.objects.bulk_create(
        [
            AccessLog(user=user, family=family, via=via, action=action, path=path[:300], at=at)
            for family in families
        ]
    )
