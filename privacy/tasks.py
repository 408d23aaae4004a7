"""The nightly retention job (scheduled in config/celery_app.py). Thin: it calls the service,
which anonymises each expired family in its own transaction and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from families.services import system_actor

from .services import retention_apply


@shared_task(name="privacy.tasks.nightly_retention")
def nightly_retention() -> dict:
    report = retention_apply(actor=system_actor())
    return {
        "families": len(report.families),
        "people": report.people,
        "access_log_entries": report.access_log_entries,
        "unmatched_rows": report.unmatched_rows,
        "failed": report.failed,
    }
