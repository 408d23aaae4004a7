"""Celery tasks for the families app. Thin: they call `families.services`."""

from __future__ import annotations

import pghistory
from celery import shared_task

from .services import system_actor
from .services.audit_chain import audit_chain_check_and_notify


@shared_task(name="families.tasks.verify_audit_chain")
def verify_audit_chain() -> dict:
    """The nightly check of the audit trail's hash chain; administrators hear of a break."""
    actor = system_actor()
    with pghistory.context(user=actor.pk, task="verify_audit_chain"):
        report = audit_chain_check_and_notify(actor=actor)
    return {"checked": report.checked, "broken": str(report.broken) if report.broken else None}
