"""The application's PostgreSQL role cannot rewrite history: connected as that role (after
`setup_database_roles` granted it its privileges on the test database), UPDATE, DELETE and
TRUNCATE on a history table and on the access log fail with a permission error, while INSERT
and SELECT work, and ordinary tables stay writable."""

from __future__ import annotations

import os

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg2 import errors

from families.models import AccessLog, Family
from families.services import access_log_record
from families.services.audit_chain import audit_chain_verify
from tests import factories as f

# Committed data and grants: the second connection must see them.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROLE = os.environ.get("APP_DATABASE_ROLE", "keywork_app_test")
PASSWORD = os.environ.get("APP_DATABASE_PASSWORD", "app-role-test-password")


@pytest.fixture
def as_app_role(auditor):
    family = f.FamilyFactory()
    access_log_record(user=auditor, families=[family], via="page", action="view family")
    call_command("setup_database_roles", role=ROLE, password=PASSWORD)
    db = connection.settings_dict
    app = psycopg2.connect(
        dbname=db["NAME"],
        user=ROLE,
        password=PASSWORD,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
    )
    app.autocommit = True
    yield app, family, auditor
    app.close()


APPEND_ONLY = ["families_accesslog", "families_familychange", "families_historicalfamily"]


def test_the_application_role_only_reads_and_adds_to_history_and_the_access_log(as_app_role):
    app, family, user = as_app_role
    with app.cursor() as cursor:
        for table in APPEND_ONLY:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
            assert cursor.fetchone()[0] >= 1, table
            column = "path" if table == "families_accesslog" else "name"
            for statement in (
                f"UPDATE {table} SET {column} = 'x'",  # noqa: S608
                f"DELETE FROM {table}",  # noqa: S608
                f"TRUNCATE {table}",
            ):
                with pytest.raises(errors.InsufficientPrivilege):
                    cursor.execute(statement)

    # What it may do: add to the access log, edit case records (history follows).
    with app.cursor() as cursor:
        cursor.execute(
            "INSERT INTO families_accesslog (user_id, family_id, via, action, path, at) "
            "VALUES (%s, %s, 'page', 'view family', '', now())",
            [user.pk, family.pk],
        )
        # An ordinary table stays writable, and the change lands in the history tables.
        cursor.execute("UPDATE families_family SET name = 'Renamed' WHERE id = %s", [family.pk])
        cursor.execute(
            "SELECT count(*) FROM families_familychange WHERE pgh_obj_id = %s AND name = 'Renamed'",
            [family.pk],
        )
        assert cursor.fetchone()[0] == 1
        with pytest.raises(errors.InsufficientPrivilege):
            cursor.execute("DELETE FROM families_auditchainlink")
    assert AccessLog.objects.filter(family=family).count() == 2
    assert Family.objects.get(pk=family.pk).name == "Renamed"
    # Setting the roles up again (after every migrate) changes nothing.
    call_command("setup_database_roles", role=ROLE, password=PASSWORD)
    with app.cursor() as cursor, pytest.raises(errors.InsufficientPrivilege):
        cursor.execute("DELETE FROM families_accesslog")
    # What the application's role wrote is chained like the rest.
    assert audit_chain_verify().ok
