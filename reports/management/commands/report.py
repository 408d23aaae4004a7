"""`manage.py report projections FILE.json` and `manage.py report cost-savings FILE.json`.

Read the API's input from the file (or `-` for standard input) and print exactly the API's JSON
answer. Invalid input prints the API's field errors on standard error and exits with status 1.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from reports.api.cost_savings import cost_savings_payload
from reports.api.projections import projection_payload

REPORTS = {"projections": projection_payload, "cost-savings": cost_savings_payload}


class Command(BaseCommand):
    help = "Print a report's figures as the reports API would answer, from a JSON file."

    def add_arguments(self, parser):
        parser.add_argument("report", choices=sorted(REPORTS))
        parser.add_argument("file", help="The API's JSON input, or - for standard input")

    def handle(self, *args, report: str, file: str, **options):
        try:
            if file == "-":
                data = json.load(sys.stdin)
            else:
                with open(file, encoding="utf-8") as handle:
                    data = json.load(handle)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        except json.JSONDecodeError as error:
            raise CommandError(f"{file} is not valid JSON: {error}") from None
        try:
            payload = REPORTS[report](data)
        except serializers.ValidationError as error:
            raise CommandError(
                "The input is not valid:\n" + json.dumps(error.detail, indent=2, ensure_ascii=False)
            ) from None
        # The API's own renderer, so the bytes match the API's response body.
        self.stdout.write(JSONRenderer().render(payload).decode("utf-8"))
