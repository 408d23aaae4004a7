"""The Celery application. Schedules live here, in one place."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("family_keywork")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # The nightly eligibility check over every open family (outcomes/services/eligibility.py).
    "nightly-eligibility": {
        "task": "outcomes.tasks.nightly_eligibility",
        "schedule": crontab(hour=2, minute=15),
    },
    # Anonymise what the retention schedule says has expired (privacy/services.py).
    "nightly-retention": {
        "task": "privacy.tasks.nightly_retention",
        "schedule": crontab(hour=3, minute=30),
    },
    # The audit trail's hash chain, checked end to end; administrators hear of a break.
    "nightly-audit-chain": {
        "task": "families.tasks.verify_audit_chain",
        "schedule": crontab(hour=4, minute=30),
    },
}
