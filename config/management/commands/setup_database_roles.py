"""Create the application's PostgreSQL role and grant it its privileges (docs/operations.md).

Runs as the owner (MIGRATION_DATABASE_URL, else DATABASE_URL); `migrate` runs it afterwards
when the application connects as a role of its own. Safe to run again.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from config.database_roles import append_only_tables, database_roles_setup
from core.database import as_owner


class Command(BaseCommand):
    help = "Create the application's database role; history and access log tables append-only."

    def add_arguments(self, parser):
        parser.add_argument("--role", help="the application's role (default: DATABASE_URL's user)")
        parser.add_argument(
            "--password", help="its password (default: DATABASE_URL's password, if any)"
        )

    def handle(self, *args, role=None, password=None, **options):
        app = settings.DATABASES["default"]
        role = role or app.get("USER")
        password = password if password is not None else (app.get("PASSWORD") or None)
        with as_owner("default") as owner:
            if not role or role == owner:
                raise CommandError(
                    "The application connects as the owner: give it a role of its own in "
                    "DATABASE_URL (and the owner in MIGRATION_DATABASE_URL), or pass --role."
                )
            with transaction.atomic():
                counts = database_roles_setup(
                    using="default", role=role, password=password, append_only=append_only_tables()
                )
        self.stdout.write(
            f"Role {role}: {counts['tables']} tables, {counts['append_only']} of them append-only"
        )
