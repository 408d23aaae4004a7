"""The family at a glance: the box at the top of the family page (and of its printed summary).

`settings.FAMILY_GLANCE_ITEMS` names functions ``(*, request, family) -> list[GlanceItem] | None``,
called in order; the box shows their items as rows. Apps above families add their own
(``outcomes.glance.problem_items``: each problem's outcome and progress; ``claims.glance.claim_items``:
the claim state) without the families app importing them, as with `FAMILY_PAGE_SECTIONS`.

This module gives the family's own rows: status, lead keyworker and team
(`family_items`), and last contact and consent (`contact_items`). Step up/down and the plan's next
review and open actions come from other apps when they are wired in (docs/family-page.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Max
from django.utils import dateformat, timezone
from django.utils.module_loading import import_string

from . import permissions
from .models import CaseNote, ConsentRecord, Family, Intervention, StepChange
from .selectors import current_step, named_worker_list, partner_professional_list, step_label

# GOV.UK tag colours, by what the words mean.
TAG_COLOURS = {
    "good": "govuk-tag--green",
    "working": "govuk-tag--blue",
    "attention": "govuk-tag--yellow",
    "problem": "govuk-tag--red",
    "neutral": "govuk-tag--grey",
}


@dataclass(frozen=True)
class Progress:
    """How far along something is, for a GOV.UK-style progress bar: ``value`` of ``maximum``."""

    value: int
    maximum: int
    label: str  # the bar in words, read out instead of the bar: "4 of 6 months since attachment"

    @property
    def percent(self) -> int:
        if self.maximum <= 0:
            return 0
        return max(0, min(100, round(100 * self.value / self.maximum)))


@dataclass(frozen=True)
class GlanceItem:
    """One row of the family at a glance.

    ``label`` heads the row; ``text`` is its sentence; ``tag`` (with ``tone``: good, working,
    attention, problem or neutral) is a short status shown before it; ``lines`` are further
    sentences; ``href`` links to where the detail is (usually a section of the same page).
    """

    key: str
    label: str
    text: str = ""
    tag: str = ""
    tone: str = "neutral"
    lines: tuple[str, ...] = ()
    progress: Progress | None = None
    href: str = ""
    href_text: str = ""

    @property
    def tag_class(self) -> str:
        return TAG_COLOURS.get(self.tone, TAG_COLOURS["neutral"])


def family_glance(*, request, family: Family) -> list[GlanceItem]:
    """Every app's rows for the family at a glance, in the order the settings list them."""
    items: list[GlanceItem] = []
    for path in getattr(settings, "FAMILY_GLANCE_ITEMS", ()):
        found = import_string(path)(request=request, family=family)
        if found:
            items.extend(found)
    return items


def long_date(value: date | None) -> str:
    return dateformat.format(value, "j F Y") if value else ""


STATUS_TONES = {
    Family.Status.IDENTIFIED: "working",
    Family.Status.ATTACHED: "good",
    Family.Status.CLOSED: "neutral",
}


def family_items(*, request, family: Family) -> list[GlanceItem]:
    """Status (with the date it began), step, lead keyworker, team and the team around the
    family (three queries: the latest step change, named workers, partner professionals)."""
    if family.status == Family.Status.CLOSED:
        since = f"Closed on {long_date(family.closed_on)}: {family.get_closure_reason_display()}"
    elif family.status == Family.Status.ATTACHED:
        since = f"Attached to the programme on {long_date(family.attached_on)}"
    else:
        since = f"Identified on {long_date(family.identified_on)}; not yet attached"
    lead = family.lead_keyworker
    step = current_step(family=family)
    workers = [w.user.display_name for w in named_worker_list(family=family)]
    partners = [p for p in partner_professional_list(family=family) if p.to_date is None]
    team = [f"Team: {family.team.name}" if family.team else "Team: not recorded"]
    if workers:
        team.append(f"Also working with the family: {', '.join(workers)}")
    for partner in partners:
        role = "Lead professional" if partner.is_lead_professional else "Partner professional"
        team.append(f"{role}: {partner.name} ({partner.organisation})")
    return [
        GlanceItem(
            key="status",
            label="Status",
            tag=family.get_status_display(),
            tone=STATUS_TONES.get(family.status, "neutral"),
            text=since,
        ),
        GlanceItem(
            key="step",
            label="Step",
            text=step_label(step),
            tag="Social care" if step and step.direction == StepChange.Direction.UP else "",
            tone="attention",
            lines=(f"Since {long_date(step.occurred_on)}",) if step else (),
            href="#team-around-the-family",
            href_text="Team around the family",
        ),
        GlanceItem(
            key="lead",
            label="Lead keyworker",
            text=lead.display_name if lead else "Not allocated",
            tag="" if lead else "Not allocated",
            tone="attention",
            lines=tuple(team),
        ),
    ]


def how_long_ago(day: date, today: date) -> str:
    """ "today", "3 days ago", "5 weeks ago", "4 months ago", "2 years ago"."""
    days = (today - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 61:
        return f"{days // 7} weeks ago"
    months = (today.year - day.year) * 12 + today.month - day.month - (today.day < day.day)
    if months < 24:
        return f"{months} months ago"
    return f"{months // 12} years ago"


def last_contact_on(*, family: Family, today: date, with_notes: bool = True) -> date | None:
    """The latest day someone worked with the family: a case note, or an intervention starting
    or ending (two queries). Without notes (a role that reads none), interventions only."""
    note = (
        CaseNote.objects.filter(family=family, occurred_on__lte=today).aggregate(
            on=Max("occurred_on")
        )["on"]
        if with_notes
        else None
    )
    work = Intervention.objects.filter(family=family, start_date__lte=today).aggregate(
        started=Max("start_date"), ended=Max("end_date")
    )
    dates = [d for d in (note, work["started"], work["ended"]) if d is not None and d <= today]
    return max(dates) if dates else None


def _consent_item(family: Family, today: date) -> GlanceItem:
    consents = list(
        ConsentRecord.objects.filter(family=family).select_related("person").order_by("-given_on")
    )
    in_force = [c for c in consents if c.withdrawn_on is None or c.withdrawn_on > today]
    href = "#consent"
    if not consents:
        return GlanceItem(
            key="consent",
            label="Consent",
            tag="None recorded",
            tone="attention",
            text="No consent to share information has been recorded.",
            href=href,
            href_text="Consent",
        )
    if not in_force:
        last = max(c.withdrawn_on for c in consents if c.withdrawn_on)
        return GlanceItem(
            key="consent",
            label="Consent",
            tag="Withdrawn",
            tone="problem",
            text=f"Consent was withdrawn on {long_date(last)}.",
            href=href,
            href_text="Consent",
        )
    lines = []
    for c in in_force:
        who = c.person.full_name if c.person_id else "the whole family"
        lines.append(
            f"Given by {c.given_by} on {long_date(c.given_on)} for {who}: "
            f"{', '.join(c.share_with_labels()) or 'no one named'}"
        )
    return GlanceItem(
        key="consent",
        label="Consent",
        tag="Given",
        tone="good",
        text=lines[0],
        lines=tuple(lines[1:]),
        href=href,
        href_text="Consent",
    )


def contact_items(*, request, family: Family) -> list[GlanceItem]:
    """Last contact and consent (three queries)."""
    today = timezone.localdate()
    last = last_contact_on(
        family=family, today=today, with_notes=permissions.can_read_case_notes(request.user)
    )
    if last is None:
        contact = GlanceItem(
            key="last_contact",
            label="Last contact",
            text="No case note or intervention recorded yet",
            tag="None",
            tone="attention",
        )
    else:
        ago = how_long_ago(last, today)
        contact = GlanceItem(
            key="last_contact",
            label="Last contact",
            text=f"{long_date(last)} ({ago})",
            href="#timeline",
            href_text="Timeline",
        )
    return [contact, _consent_item(family, today)]
