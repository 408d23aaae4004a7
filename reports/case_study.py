"""A family's case study: before, current and impact, as in Oxfordshire's 2015 annex.

Pure Python over plain facts (`Fact`), so the figures can be tested from tables of cases. The
rules (docs/reports.md, "Case study"):

- Attendance: the household's children's sessions attended in a term, as a percentage of the
  sessions possible. Before is the term under way at attachment (the latest term that started on
  or before the attachment date), or the earliest term recorded if none had started by then;
  current is the latest term recorded. Impact is the difference in percentage points.
- Exclusions, offences, anti-social behaviour incidents and domestic abuse call-outs: how many
  happened in the 12 months before attachment (before) and in the latest 12 months up to today,
  starting no earlier than attachment (current). Impact is the change as a percentage of the
  before figure; from none to some it is "up from none", since a percentage of nothing means
  nothing (Oxfordshire's annex writes this as "100% increase").
- Employment: whether any member was in work on the attachment date (before) and today
  (current): "into work", "left work" or no change.
"""

from __future__ import annotations

from calendar import monthrange
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Fact:
    """One evidence record as the case study needs it."""

    kind: str
    person_id: int | None
    data: dict[str, Any]
    event_date: date | None  # the event's date, a spell's or a term's start
    end_date: date | None = None  # a spell's or a term's end


@dataclass(frozen=True)
class CaseStudyRow:
    heading: str
    criterion: str
    before: str
    current: str
    impact: str


@dataclass(frozen=True)
class CaseStudy:
    attached_on: date | None
    as_of: date
    before_window: str
    current_window: str
    rows: list[CaseStudyRow]


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day where it is shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _one_dp(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


# --- attendance -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TermAttendance:
    academic_year: str
    term: str
    start: date
    possible: int
    absent: int

    @property
    def rate(self) -> Decimal | None:
        if not self.possible:
            return None
        return _one_dp(Decimal(100) * (self.possible - self.absent) / self.possible)

    @property
    def label(self) -> str:
        return f"{self.term} term {self.academic_year}"


def attendance_terms(facts: list[Fact], as_of: date) -> list[TermAttendance]:
    """Each term's attendance for the household's children together, oldest first."""
    terms: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for fact in facts:
        if fact.kind == "school_attendance" and fact.event_date and fact.event_date <= as_of:
            terms[(fact.data["academic_year"], fact.data["term"])].append(fact)
    result = [
        TermAttendance(
            academic_year=year,
            term=term,
            start=min(f.event_date for f in records),  # type: ignore[type-var]
            possible=sum(int(f.data.get("possible_sessions") or 0) for f in records),
            absent=sum(int(f.data.get("absent_sessions") or 0) for f in records),
        )
        for (year, term), records in terms.items()
    ]
    return sorted(result, key=lambda t: t.start)


def _percent(rate: Decimal | None) -> str:
    return "Not known" if rate is None else f"{rate}%"


def _term_words(term: TermAttendance) -> str:
    return f"{_percent(term.rate)} ({term.label})"


def attendance_row(facts: list[Fact], attached_on: date | None, as_of: date) -> CaseStudyRow:
    terms = [t for t in attendance_terms(facts, as_of) if t.rate is not None]
    if not terms:
        return CaseStudyRow("Education", "School attendance", "None recorded", "None recorded", "")
    current = terms[-1]
    if attached_on is None:
        return CaseStudyRow(
            "Education", "School attendance", "Not attached", _term_words(current), ""
        )
    started = [t for t in terms if t.start <= attached_on]
    before = started[-1] if started else terms[0]
    if current == before:
        impact = "No later term recorded"
    else:
        change = current.rate - before.rate  # type: ignore[operator]
        points = "percentage point" if abs(change) == 1 else "percentage points"
        if change > 0:
            impact = f"Up {change} {points}"
        elif change < 0:
            impact = f"Down {-change} {points}"
        else:
            impact = "No change"
    return CaseStudyRow(
        "Education", "School attendance", _term_words(before), _term_words(current), impact
    )


# --- counts of events -------------------------------------------------------------------------

COUNTED = [
    # (heading, criterion, evidence kind counted)
    ("Education", "Exclusions", "exclusions"),
    ("Offending", "Offences", "offences"),
    ("Offending", "Anti-social behaviour incidents", "asb_incidents"),
    ("Domestic abuse", "Domestic abuse call-outs reported", "domestic_abuse_callouts"),
]


def count_impact(before: int, current: int) -> str:
    """The change in a count as a percentage of its before figure, in words."""
    if before == current:
        return "No change"
    if before == 0:
        return "Up from none"
    change = _one_dp(Decimal(100) * (current - before) / before).normalize()
    change = change.quantize(Decimal(1)) if change == change.to_integral() else change
    return f"{abs(change)}% {'increase' if change > 0 else 'decrease'}"


def _count(facts: list[Fact], kind: str, start: date, end: date) -> int:
    return sum(1 for f in facts if f.kind == kind and f.event_date and start <= f.event_date <= end)


# --- employment -------------------------------------------------------------------------------


def in_work_on(facts: list[Fact], day: date) -> bool:
    return any(
        f.kind == "employment_spells"
        and f.event_date
        and f.event_date <= day
        and (f.end_date is None or f.end_date >= day)
        for f in facts
    )


def employment_row(facts: list[Fact], attached_on: date | None, as_of: date) -> CaseStudyRow:
    before = in_work_on(facts, attached_on) if attached_on else None
    current = in_work_on(facts, as_of)
    words = {True: "Yes", False: "No", None: "Not attached"}
    if before is None or before == current:
        impact = "No change" if before is not None else ""
    else:
        impact = "Into work" if current else "Left work"
    return CaseStudyRow("Work", "In employment", words[before], words[current], impact)


# --- the case study ---------------------------------------------------------------------------


def case_study(*, facts: list[Fact], attached_on: date | None, as_of: date) -> CaseStudy:
    """Before, current and impact for each criterion of the Oxfordshire annex."""
    rows = [attendance_row(facts, attached_on, as_of)]
    current_start = months_before(as_of, 12) + timedelta(days=1)
    if attached_on and attached_on > current_start:
        current_start = attached_on
    if attached_on:
        before_start = months_before(attached_on, 12)
        before_end = attached_on - timedelta(days=1)
        before_window = f"{long_date(before_start)} to {long_date(before_end)}"
    else:
        before_window = "Not attached to the programme"
    current_window = f"{long_date(current_start)} to {long_date(as_of)}"
    for heading, criterion, kind in COUNTED:
        current = _count(facts, kind, current_start, as_of)
        if attached_on:
            before = _count(facts, kind, before_start, before_end)
            rows.append(
                CaseStudyRow(
                    heading, criterion, str(before), str(current), count_impact(before, current)
                )
            )
        else:
            rows.append(CaseStudyRow(heading, criterion, "Not attached", str(current), ""))
    rows.append(employment_row(facts, attached_on, as_of))
    order = ["Education", "Offending", "Domestic abuse", "Work"]
    rows.sort(key=lambda r: order.index(r.heading))
    return CaseStudy(
        attached_on=attached_on,
        as_of=as_of,
        before_window=before_window,
        current_window=current_window,
        rows=rows,
    )


def facts_from_evidence(records) -> list[Fact]:
    """Plain facts from evidence records (anything with kind, person_id, data and dates)."""
    return [
        Fact(
            kind=r.kind,
            person_id=r.person_id,
            data=r.data,
            event_date=r.event_date,
            end_date=r.end_date,
        )
        for r in records
    ]
