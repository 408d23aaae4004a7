"""python manage.py apply_retention [--dry-run] [--as-of YYYY-MM-DD]

Applies the retention schedule (docs/security.md, "Retention"), as the nightly job does:
anonymises each closed family whose records have expired (each in its own transaction, row
history included) and removes the details of partner rows that never matched. It connects as the
owner of the tables (MIGRATION_DATABASE_URL): the application's role may not rewrite history.
--dry-run lists what it would do and changes nothing.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from core.database import as_owner
from families.services import system_actor
from privacy.services import retention_apply


class Command(BaseCommand):
    help = "Anonymise the records the retention schedule says have expired."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be done; change nothing"
        )
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, dry_run=False, as_of=None, **options):
        on = None
        if as_of:
            try:
                on = date.fromisoformat(as_of)
            except ValueError:
                raise CommandError(f"--as-of must be a date as YYYY-MM-DD, got {as_of!r}") from None
        with as_owner(DEFAULT_DB_ALIAS):
            report = retention_apply(actor=system_actor(), today=on, dry_run=dry_run)
        verb = "Would anonymise" if dry_run else "Anonymised"
        self.stdout.write(f"Retention schedule as of {report.today.isoformat()}")
        self.stdout.write(f"{verb} {len(report.families)} families:")
        for family in report.families:
            self.stdout.write(
                f"  {family.reference}: expired {family.expires_on.isoformat()} ({family.rule})"
            )
        if not dry_run:
            self.stdout.write(f"Anonymised {report.people} people with them")
        if report.kept_for_claims:
            self.stdout.write(
                f"Kept for a claim's audit period: {', '.join(report.kept_for_claims)}"
            )
        if report.failed:
            self.stderr.write(
                f"Not anonymised after an error (nothing changed for them): {', '.join(report.failed)}"
            )
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(f"{verb} the details of {report.unmatched_rows} unmatched partner rows")
