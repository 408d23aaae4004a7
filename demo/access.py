"""The demo's access log: who read Sarah Whitfield's families' records over the last fortnight,
so an auditor's "Who saw and changed this family's record" page has something to show the day
the demo is loaded. Rows are written through `families.services.access_log_record` with the
time each read happened (the log is append-only: nothing is dated back after it is written);
only the families given get them, so a re-run adds none."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from families.models import AccessLog, Family, User
from families.services import access_log_record

# (who, days ago, hour, how, what), for each of the keyworker's families
READS = [
    ("keyworker", 13, 9, AccessLog.Via.PAGE, "listed families"),
    ("keyworker", 13, 9, AccessLog.Via.PAGE, "viewed family page"),
    ("teammanager", 9, 14, AccessLog.Via.PAGE, "viewed team around the family"),
    ("keyworker", 6, 11, AccessLog.Via.PAGE, "viewed case notes"),
    ("dataofficer", 4, 10, AccessLog.Via.API, "viewed family"),
    ("auditor", 2, 15, AccessLog.Via.PAGE, "viewed family page"),
]


def extend_demo(
    *, families: list[Family], rng: random.Random, synthetic: bool, stdout, today: date
) -> None:
    if synthetic:
        return
    users = {u.username: u for u in User.objects.filter(username__in={r[0] for r in READS})}
    if len(users) < len({r[0] for r in READS}):
        return  # the demo's users are not there (a test building only some families)
    keyworker = users["keyworker"]
    theirs = [f for f in families if f.lead_keyworker_id == keyworker.pk]
    if not theirs:
        return
    for who, days, hour, via, action in READS:
        minute = rng.randrange(60)
        at = timezone.make_aware(datetime.combine(today - timedelta(days=days), time(hour, minute)))
        access_log_record(user=users[who], families=theirs, via=via, action=action, at=at)
