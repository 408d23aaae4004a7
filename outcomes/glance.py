"""Each problem's outcome and progress for the family at a glance (`settings.FAMILY_GLANCE_ITEMS`).

The rows read the engine's own result, evaluated now as the outcomes panel below does (same date,
same plan), and say it in the engine's words: its status, its "met since" / "met on ... if it
holds" dates, the explanation of the measure still to meet and what is missing. The one thing
added here is the progress bar: the time from the attachment date to the date the engine says the
outcome is met if things hold, and how much of it has passed. No rule is worked out again.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from families.glance import GlanceItem, Progress, long_date
from families.models import Family
from outcomes.engine import EvidenceError
from outcomes.selectors.evaluations import LiveEvaluation, default_as_of, family_evaluation_live

OUTCOME_WORDS = {
    "met": ("Met", "good"),
    "progressing": ("Progressing", "working"),
    "not_met": ("Not met", "problem"),
    "not_applicable": ("Not needed", "neutral"),
    "not_identified": ("Not identified", "neutral"),
}

_MEMO = "glance_live_evaluation"


def page_as_of(request, family: Family) -> date:
    """The page's ?as_of= date (as the outcomes panel reads it), else the family's own date."""
    raw = request.GET.get("as_of", "") if request is not None else ""
    try:
        return date.fromisoformat(raw) if raw else default_as_of(family=family)
    except ValueError:
        return default_as_of(family=family)


def live_evaluation_for_page(request, family: Family) -> LiveEvaluation | None | EvidenceError:
    """The family's live evaluation for this page, worked out once per request (the claim state
    reads it too). An unreadable record gives the error, which the panel below explains."""
    memo = getattr(request, _MEMO, None) if request is not None else None
    if memo is not None and memo[0] == family.pk:
        return memo[1]
    try:
        live: Any = family_evaluation_live(family=family, as_of=page_as_of(request, family))
    except (EvidenceError, ValueError) as error:
        live = EvidenceError(str(error))
    if request is not None:
        setattr(request, _MEMO, (family.pk, live))
    return live


def months_between(start: date, end: date) -> int:
    """Whole calendar months from start to end (0 if end is before start)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(0, months)


def _progress(attached_on: date | None, as_of: date, met_on: date | None) -> Progress | None:
    """Time from attachment to the day the outcome is met if it holds, and how much has passed."""
    if attached_on is None or met_on is None or met_on <= attached_on or met_on <= as_of:
        # No span to show, or the date has passed without the outcome being met (a record the
        # engine needs is missing): a full bar would say the wait is over when it is not.
        return None
    total = months_between(attached_on, met_on)
    if (met_on.day != attached_on.day) or total == 0:
        total += 1  # a part month counts as one, so the bar never reads "6 of 5"
    done = min(months_between(attached_on, as_of), total)
    unit = "month" if total == 1 else "months"
    return Progress(value=done, maximum=total, label=f"{done} of {total} {unit} since attachment")


def _iso(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _problem_item(p: dict[str, Any], attached_on: date | None, as_of: date) -> GlanceItem:
    words, tone = OUTCOME_WORDS.get(p["outcome"], (p["outcome"].replace("_", " "), "neutral"))
    href = f"#outcome-{p['code']}"
    if p["outcome"] == "met":
        since = _iso(p.get("met_since"))
        return GlanceItem(
            key=f"problem-{p['code']}",
            label=p.get("title", p["code"]),
            tag=words,
            tone=tone,
            text=f"Met since {long_date(since)}" if since else "Met",
            href=href,
            href_text="Outcome details",
        )
    # The measures still to meet, in the engine's words ("explanation; met on ... if it holds").
    open_criteria = [
        c
        for c in p["criteria"]
        if c["status"] in ("progressing", "not_met") and not c.get("not_needed")
    ]
    waiting = [c.get("text") or c["explanation"] for c in open_criteria]
    met_on = _iso(p.get("earliest_met_on"))
    if met_on is not None:
        text = f"Met on {long_date(met_on)} if it holds"
        # The headline gives the date: a measure met on the same day is its explanation alone.
        lines = tuple(
            dict.fromkeys(
                c["explanation"]
                if c.get("earliest_met_on") == p.get("earliest_met_on")
                else (c.get("text") or c["explanation"])
                for c in open_criteria
            )
        )
    else:
        # Not yet evidenced: nothing on record lets the engine give a date; say what is missing.
        text = "Not yet evidenced"
        lines = tuple(dict.fromkeys(p.get("missing") or waiting))
    progress = _progress(attached_on, as_of, met_on)
    if progress is not None:
        text = f"{progress.label}; {text[:1].lower()}{text[1:]}"
    return GlanceItem(
        key=f"problem-{p['code']}",
        label=p.get("title", p["code"]),
        tag=words,
        tone=tone,
        text=text,
        lines=lines,
        progress=progress,
        href=href,
        href_text="Outcome details",
    )


def problem_items(*, request, family: Family) -> list[GlanceItem]:
    """One row per identified (or indicated) problem: its outcome and progress toward it."""
    live = live_evaluation_for_page(request, family)
    if isinstance(live, EvidenceError):
        return [
            GlanceItem(
                key="problems",
                label="Problems",
                tag="Cannot be worked out",
                tone="problem",
                text="A record cannot be read: see the outcomes section to correct it.",
                href="#outcomes",
                href_text="Outcomes",
            )
        ]
    if live is None:
        return [
            GlanceItem(
                key="problems",
                label="Problems",
                text=f"No outcomes plan is in force on {long_date(page_as_of(request, family))}.",
            )
        ]
    result = live.to_dict()
    attached_on = _iso(result.get("attached_on")) or family.attached_on
    shown = [p for p in result["problems"] if p["identified"] or p.get("indicated")]
    if not shown:
        return [
            GlanceItem(
                key="problems",
                label="Problems",
                text="No problems in the plan are identified from the evidence recorded.",
                href="#outcomes",
                href_text="Outcomes",
            )
        ]
    return [_problem_item(p, attached_on, live.as_of) for p in shown]
