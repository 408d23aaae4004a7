"""Connecting as the owner of the tables (settings.MIGRATION_DATABASE) for a block of work:
`migrate`, `setup_database_roles` and the retention schedule, which rewrites the history tables
the application's role may only add to (docs/operations.md, "Database roles")."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

OWNER_KEYS = ("NAME", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS")


@contextlib.contextmanager
def as_owner(alias: str = DEFAULT_DB_ALIAS):
    """Connect ``alias`` as the owner (settings.MIGRATION_DATABASE) for the block; yields the
    owner's user name. Without MIGRATION_DATABASE the connection is left as it is; inside a
    transaction it cannot switch (RuntimeError) unless it is connected as the owner already."""
    owner = getattr(settings, "MIGRATION_DATABASE", None) if alias == DEFAULT_DB_ALIAS else None
    connection = connections[alias]
    if not owner:
        yield connection.settings_dict.get("USER")
        return
    if connection.in_atomic_block:
        # Reconnecting would drop the open transaction's work: only an owner already connected
        # (the same user, as in tests) may be used inside one.
        if owner.get("USER") != connection.settings_dict.get("USER"):
            raise RuntimeError("Connect as the owner before the transaction starts, not inside it")
        yield connection.settings_dict.get("USER")
        return
    saved = {key: connection.settings_dict.get(key) for key in OWNER_KEYS}
    connection.close()
    connection.settings_dict.update({key: owner[key] for key in OWNER_KEYS if key in owner})
    try:
        yield connection.settings_dict.get("USER")
    finally:
        connection.close()
        connection.settings_dict.update(saved)
