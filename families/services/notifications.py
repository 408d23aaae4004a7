"""Notifications: messages to people in the app, and by email where the council turns it on.

Every app tells people things through `notifications_send` (a family became claimable, a claim
batch waits for audit, a batch came back): each message is stored once per person and
`dedupe_key`, so the same event never notifies twice, and email goes only after the work that
caused it has committed. Email carries no personal details: the family reference at most.

Lifecycle of a notification: unread → read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from ..models import Notification, User


@dataclass(frozen=True)
class Notice:
    """A message for one person. ``email_subject``/``email_body`` are sent when email is on."""

    user: User
    kind: str
    message: str
    dedupe_key: str
    url: str = ""
    family_id: int | None = None
    email_subject: str = ""
    email_body: str = ""


@transaction.atomic
def notifications_send(*, actor: User, notices: Iterable[Notice]) -> int:
    """Store each notice once per person and key; email the new ones after commit. Returns how
    many were new."""
    if actor is None:
        raise PermissionDenied("Say who is acting: automated work passes system_actor().")
    wanted: dict[tuple[int, str], Notice] = {}
    for notice in notices:
        wanted.setdefault((notice.user.pk, notice.dedupe_key), notice)
    if not wanted:
        return 0
    already = set(
        Notification.objects.filter(
            user_id__in={user_id for user_id, _ in wanted},
            dedupe_key__in={key for _, key in wanted},
        ).values_list("user_id", "dedupe_key")
    )
    fresh = [n for key, n in wanted.items() if key not in already]
    Notification.objects.bulk_create(
        [
            Notification(
                user=n.user,
                family_id=n.family_id,
                kind=n.kind,
                message=n.message[:400],
                url=n.url,
                dedupe_key=n.dedupe_key,
            )
            for n in fresh
        ],
        ignore_conflicts=True,  # one sent at the same moment by a parallel run: keep theirs
    )
    to_email = [n for n in fresh if n.email_subject and n.user.email]
    if to_email and getattr(settings, "NOTIFY_BY_EMAIL", False):
        transaction.on_commit(lambda: _email(to_email))
    return len(fresh)


def _email(notices: list[Notice]) -> None:
    for n in notices:
        send_mail(
            subject=n.email_subject,
            message=n.email_body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[n.user.email],
            fail_silently=True,
        )
        Notification.objects.filter(user=n.user, dedupe_key=n.dedupe_key).update(
            emailed_at=timezone.now()
        )


def notification_mark_read(*, user: User, notification_ids: Iterable[int]) -> int:
    """Mark the user's own notifications as read (other people's are left alone)."""
    return Notification.objects.filter(
        user=user, pk__in=list(notification_ids), read_at__isnull=True
    ).update(read_at=timezone.now())
