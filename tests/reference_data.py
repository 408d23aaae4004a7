"""The migrations' reference data (the problems, the national tariffs, the Outcome Stars), kept
as the test database was made, so a test after a transactional one can have it back.

A transactional test ends by emptying every table. Django puts the contents back only through
the connection that made the database; Playwright runs the browser journeys in a context of
their own, where Django opens another connection without them. So they are kept here too.
"""

from __future__ import annotations

from io import StringIO

REMADE_BY_FLUSH = {"contenttypes.ContentType", "auth.Permission"}
_kept: dict[str, str] = {}


def keep() -> None:
    from django.db import connection

    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        _kept["default"] = contents


def restore_if_emptied() -> None:
    """Load the kept contents if a flush has emptied the tables (idempotent: rows are saved by
    primary key)."""
    from django.core import serializers
    from django.db import connection, transaction

    from families.models import Problem

    contents = getattr(connection, "_test_serialized_contents", None) or _kept.get("default")
    if not contents or Problem.objects.exists():
        return
    # The flush has made the content types and permissions again, under new numbers; the rest
    # goes back as it was (as `deserialize_db_from_string` does, less those two).
    tables = set()
    with transaction.atomic():
        with connection.constraint_checks_disabled():
            for obj in serializers.deserialize("json", StringIO(contents)):
                if obj.object._meta.label in REMADE_BY_FLUSH:
                    continue
                obj.save()
                tables.add(obj.object._meta.db_table)
        connection.check_constraints(table_names=tables)
