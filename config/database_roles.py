"""Two PostgreSQL roles: the owner, which migrations run as, and the application's role, which
the web app, the worker and beat connect as (docs/operations.md).

The application's role may read and write the application's tables but only read and add to
the history tables, the access log and the audit chain (`append_only_tables`): PostgreSQL
refuses it UPDATE, DELETE and TRUNCATE there, whatever the code does.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import connections
from psycopg2 import sql


def append_only_tables() -> set[str]:
    """Row history (pghistory events and simple_history tables) and the models named in
    settings.APPEND_ONLY_MODELS (the access log, the audit chain, any security event log)."""
    from pghistory.models import Event
    from simple_history.models import HistoricalChanges

    tables = set()
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        if issubclass(model, Event | HistoricalChanges):
            tables.add(model._meta.db_table)
    for label in getattr(settings, "APPEND_ONLY_MODELS", ()):
        try:
            tables.add(apps.get_model(label)._meta.db_table)
        except LookupError:
            continue
    return tables


def database_roles_setup(
    *, using: str, role: str, password: str | None, append_only: set[str]
) -> dict[str, int]:
    """Create the application's role if missing and grant it what it needs; safe to repeat.
    Runs as the owner of the tables (the migration connection)."""
    ident = sql.Identifier(role)
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT current_user, current_database()")
        owner, database = cursor.fetchone()
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            cursor.execute(
                sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE").format(ident)
            )
        if password:
            cursor.execute(sql.SQL("ALTER ROLE {} PASSWORD %s").format(ident), [password])
        cursor.execute(
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), ident)
        )
        cursor.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(ident))
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [row[0] for row in cursor.fetchall()]
        for table in tables:
            name = sql.Identifier(table)
            cursor.execute(sql.SQL("REVOKE ALL ON TABLE {} FROM {}").format(name, ident))
            privileges = (
                "SELECT, INSERT" if table in append_only else "SELECT, INSERT, UPDATE, DELETE"
            )
            cursor.execute(
                sql.SQL("GRANT " + privileges + " ON TABLE {} TO {}").format(name, ident)  # noqa: S608
            )
        cursor.execute(
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(ident)
        )
        # Tables a later migration adds: read and write until the next run of this (after
        # every migrate) makes the history ones append-only.
        cursor.execute(
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public "
                "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}"
            ).format(sql.Identifier(owner), ident)
        )
        cursor.execute(
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public "
                "GRANT USAGE, SELECT ON SEQUENCES TO {}"
            ).format(sql.Identifier(owner), ident)
        )
    return {"tables": len(tables), "append_only": len(append_only & set(tables))}
