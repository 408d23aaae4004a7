"""`migrate` as the owner of the tables (MIGRATION_DATABASE_URL), then the application's role
set up again (`setup_database_roles`) when the application connects as a role of its own."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import DEFAULT_DB_ALIAS, connections

from core.database import as_owner


class Command(MigrateCommand):
    def execute(self, *args, **options):
        # The system checks run before handle() and may connect (Django 5.2 checks models'
        # constraints against the database), so the whole command runs as the owner: the
        # application's role may not exist yet.
        alias = options.get("database") or DEFAULT_DB_ALIAS
        app_user = connections[alias].settings_dict.get("USER")
        with as_owner(alias) as owner:
            output = super().execute(*args, **options)
        if alias == DEFAULT_DB_ALIAS and app_user and owner and app_user != owner:
            call_command("setup_database_roles", verbosity=options.get("verbosity", 1))
        return output
