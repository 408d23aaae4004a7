"""python manage.py import_partner_data KIND FILE [--source NAME] [--partial]

Applies a partner data file (docs/interfaces.md §1). Prints a summary and every row and
column problem. Exit status 0 when the file was applied (wholly, or its valid rows with
--partial), 1 when it was rejected.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from families.services import system_actor
from referrals.importing import DATASETS
from referrals.models import ImportFile
from referrals.selectors import import_error_lines, import_summary
from referrals.services import import_file_apply


class Command(BaseCommand):
    help = "Import a partner data file (CSV or XLSX): all or nothing unless --partial."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=DATASETS, help="The kind of data in the file")
        parser.add_argument("file", help="Path to a .csv or .xlsx file")
        parser.add_argument(
            "--source", default="", help="Who sent the file, e.g. 'Thames Valley Police'"
        )
        parser.add_argument(
            "--partial",
            action="store_true",
            help="Apply the valid rows and keep the rejected ones for correction",
        )

    def handle(self, *args, kind, file, source, partial, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {path}: check the path")
        try:
            stored = import_file_apply(
                actor=system_actor(),
                kind=kind,
                filename=path.name,
                content=path.read_bytes(),
                source_name=source,
                partial=partial,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"{path.name} ({kind}): {stored.get_status_display().lower()}")
        for label, count in import_summary(stored):
            self.stdout.write(f"  {label}: {count}")
        errors = import_error_lines(stored)
        if errors:
            self.stdout.write("Problems:")
            for line in errors:
                self.stdout.write(f"  {line}")
        if stored.status == ImportFile.Status.REJECTED:
            raise CommandError(
                "The file was rejected and nothing was applied: correct the rows above and import it "
                "again, or use --partial to apply the valid rows",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS("Applied."))
