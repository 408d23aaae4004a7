"""Check the audit trail's hash chain: prints OK, or the first break and exits non-zero."""

from django.core.management.base import BaseCommand, CommandError

from families.services.audit_chain import audit_chain_verify


class Command(BaseCommand):
    help = "Walk the audit trail's hash chain and report the first break (exit 1 if broken)."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database: str, **options):
        report = audit_chain_verify(using=database)
        if report.broken is not None:
            raise CommandError(f"{report.broken} ({report.checked} entries before it held)")
        self.stdout.write(f"OK: {report.checked} audit trail entries verified")
