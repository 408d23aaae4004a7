"""The system actor: who automated work acts as.

Every service takes the acting user and decides whether they may act. Work that no person does
at the moment it happens (the nightly eligibility check, a claim batch drafted on a claim date,
a partner file or plan loaded from the command line, the demo data) passes `system_actor()`, so
history records it by name as the system's, and a caller that forgets the actor is refused
rather than let through. The system user cannot sign in.
"""

from __future__ import annotations

from ..models import User

SYSTEM_USERNAME = "system"


def system_actor() -> User:
    """The user automated work is recorded against (created on first use; it cannot sign in)."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={
            "role": User.Role.SYSTEM,
            "first_name": "Family keywork",
            "last_name": "(automatic)",
            "is_active": False,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
