"""The nightly retention job (scheduled in config/celery_app.py). Thin: it calls the service,
which anonymises each expired family in its own transaction and is safe to run twice. It runs as
the owner of the tables: the worker's own role may not rewrite the row history."""

from __future__ import annotations

from celery import shared_task
from django.db import DEFAULT_DB_ALIAS

from core.database import as_owner
from families.services import system_actor

from .services import retention_apply


@shared_task(name="privacy.tasks.nightly_retention")
def nightly_retention() -> dict:
    with as_owner(DEFAULT_DB_ALIAS):
        report = retention_apply(actor=system_actor())
    return {
        "families": len(report.families),
        "people": report.people,
        "unmatched_rows": report.unmatched_rows,
        "failed": report.failed,
    }
