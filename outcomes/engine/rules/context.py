"""The evaluation context: the snapshot cut to what was known on the date and to household membership."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from functools import lru_cache
from typing import Any

from ..dates import ONE_DAY, overlaps, window_start
from ..evidence import (
    Evidence,
    SchoolAttendance,
)
from ..model import (
    Applicability,
    Filter,
    Judged,
    Plan,
    Threshold,
    Window,
)
from ..snapshot import FamilySnapshot, Member
from ..terms import Term, TermCalendar

FAR_FUTURE = date(9999, 12, 31)


# --------------------------------------------------------------------------------------------
# Context: the snapshot cut to what was known on as_of and to household membership


@dataclass(frozen=True)
class Span:
    """A spell cut to membership and to as_of: [start, end], end None while open."""

    record: Evidence
    start: date
    end: date | None

    @property
    def last_day(self) -> date:
        return self.end if self.end is not None else FAR_FUTURE


# Exact fractions are slow to build, and rules build the same few again and again (thresholds,
# absence rates of a term's sessions): keep them. Fractions are immutable, so sharing is safe.
@lru_cache(maxsize=1024)
def fraction(value: Any) -> Fraction:
    return Fraction(value)


@lru_cache(maxsize=1 << 14)
def attendance_value(measure: str, absent: int, possible: int) -> Fraction:
    absence = Fraction(100 * absent, possible)
    return absence if measure == "absence" else 100 - absence


EVERYONE = Applicability()


class Context:
    """What the rules may read about a family on ``as_of``: evidence dated on or before it, while
    the person was a household member (a child's social care plans are kept whole, see
    ``plan_spans``), the attachment date as known then, and closure or step-down dates up to it."""

    def __init__(self, plan: Plan, snapshot: FamilySnapshot, as_of: date, terms: TermCalendar):
        self.plan = plan
        self.snapshot = snapshot
        self.as_of = as_of
        self.terms = terms
        self.attached = snapshot.attached_on is not None and snapshot.attached_on <= as_of
        self.ref: date = snapshot.attached_on if self.attached else as_of  # type: ignore[assignment]
        # Known on as_of only: a closure recorded for a later date has not happened yet.
        self.closed_on = (
            snapshot.closed_on
            if snapshot.closed_on is not None and snapshot.closed_on <= as_of
            else None
        )
        self.stepped_down_on = (
            snapshot.stepped_down_on
            if snapshot.stepped_down_on is not None and snapshot.stepped_down_on <= as_of
            else None
        )
        self.members = {m.person_id: m for m in snapshot.members}
        self.events: dict[str, list[Evidence]] = defaultdict(list)
        self.spans: dict[str, list[Span]] = defaultdict(list)
        # A child's social care plans whatever the household membership: a child taken into care
        # is often recorded as leaving the household, and "does not become Looked After" must
        # still see the Looked After episode.
        self.plan_spans_of: dict[int, list[Span]] = defaultdict(list)
        self._sub: dict[date, Context] = {}
        self.attendance: dict[int, dict[int, list[SchoolAttendance]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for record in sorted(snapshot.evidence, key=lambda r: (r.kind, r.id)):
            self._add(record)
        for records in self.events.values():
            records.sort(key=lambda r: (r.event_date, r.id))
        for spans in self.spans.values():
            spans.sort(key=lambda s: (s.start, s.record.id))
        for spans in self.plan_spans_of.values():
            spans.sort(key=lambda s: (s.start, s.record.id))
        # Person-level rules ask for one person's records of one kind many times per evaluation:
        # index them once, keeping the order of the lists above.
        self.events_of: dict[tuple[str, int | None], list[Evidence]] = defaultdict(list)
        for kind, records in self.events.items():
            for r in records:
                self.events_of[(kind, r.person_id)].append(r)
        self.spans_of: dict[tuple[str, int | None], list[Span]] = defaultdict(list)
        for kind, spans in self.spans.items():
            for s in spans:
                self.spans_of[(kind, s.record.person_id)].append(s)
        self.sorted_members = sorted(self.members.values(), key=lambda m: m.person_id)
        self._term_cache: dict[date, int] = {}

    def _add(self, record: Evidence) -> None:
        member = self.members.get(record.person_id) if record.person_id is not None else None
        if record.person_id is not None and member is None:
            return  # evidence about someone who is not in this family
        if isinstance(record, SchoolAttendance):
            if member is None:
                return
            try:
                term = self.terms.term(record.academic_year, record.term)
            except ValueError:
                return
            if (
                term.end <= self.as_of
                and member.is_member_on(term.end)
                and record.possible_sessions > 0
            ):
                self.attendance[member.person_id][term.index].append(record)
            return
        if record.is_spell:
            start = record.start_date  # type: ignore[attr-defined]
            end = record.end_date  # type: ignore[attr-defined]
            if start > self.as_of:
                return
            if end is not None and end > self.as_of:
                end = None  # an end after as_of was not known yet: still open
            if record.kind == "child_plans" and member is not None:
                self.plan_spans_of[member.person_id].append(Span(record, start, end))
            periods = member.member_periods() if member else ((None, None),)
            for p_start, p_end in periods:
                s = max(start, p_start) if p_start else start
                if p_end is not None and p_end <= self.as_of:
                    e = p_end if end is None else min(end, p_end)
                else:
                    e = end
                if e is not None and e < s:
                    continue
                if s > self.as_of:
                    continue
                self.spans[record.kind].append(Span(record, s, e))
            return
        when = record.event_date
        if when is None or when > self.as_of:
            return
        if member is not None and not member.is_member_on(when):
            return
        self.events[record.kind].append(record)

    # -- helpers used by the rules ------------------------------------------------------------
    def baseline_span(self, window: Window | None) -> tuple[date, date]:
        """The baseline as dates: (from, to) inclusive, ending on the reference date."""
        window = window or Window(months=self.plan.baseline.months)
        if window.terms is not None:
            terms = self.baseline_terms(window.terms)
            return terms[0].start, terms[-1].end
        if window.weeks is not None:
            return self.ref - timedelta(days=7 * window.weeks - 1), self.ref
        return window_start(self.ref, window.months or self.plan.baseline.months), self.ref

    def term_of(self, on: date) -> int:
        """Index of the term a date belongs to: the first term ending on or after it (holidays go forward)."""
        cached = self._term_cache.get(on)
        if cached is None:
            cached = self.terms.last_ended_by(on - ONE_DAY).index + 1
            self._term_cache[on] = cached
        return cached

    def baseline_terms(self, count: int) -> list[Term]:
        last = self.terms.last_ended_by(self.ref).index
        return [self.terms.by_index(i) for i in range(last - count + 1, last + 1)]

    def first_outcome_term(self, count_term_in_progress: bool = False) -> int:
        """Index of the first term measured after attachment: the first term starting on or after
        the attachment date, or (``count_term_in_progress``) the term in progress on it."""
        index = self.terms.last_ended_by(self.ref).index + 1
        if not count_term_in_progress and self.terms.by_index(index).start < self.ref:
            index += 1
        return index

    def threshold(self, threshold: Threshold, on: date) -> Fraction:
        if threshold.parameter:
            return fraction(self.plan.parameter(threshold.parameter).value_on(on))
        return fraction(threshold.value)  # type: ignore[arg-type]

    def applicable(
        self,
        member: Member,
        app: Applicability,
        on: date,
        flag_window: tuple[date, date] | None = None,
    ) -> bool:
        if app.role and member.role != app.role:
            return False
        age = member.age_on(on)
        # Unknown date of birth: the role decides (documented).
        if age is not None:
            if app.min_age is not None and age < app.min_age:
                return False
            if app.max_age is not None and age > app.max_age:
                return False
        if app.flags:
            lo, hi = flag_window or (on, on)
            if not any(
                s.record.flag in app.flags  # type: ignore[attr-defined]
                and overlaps(s.start, s.end, lo, hi)
                for s in self.spans_of.get(("member_flags", member.person_id), ())
            ):
                return False
        return True

    def fits(self, member: Member, app: Applicability, on: date, age_at: str) -> bool:
        """Whether the member is in the band for an event on ``on``: their age on that day
        (``event``), on the attachment date (``attachment``), or on either (``either``)."""
        if age_at == "attachment":
            return self.applicable(member, app, self.ref)
        if age_at == "either":
            return self.applicable(member, app, on) or self.applicable(member, app, self.ref)
        return self.applicable(member, app, on)

    def matching_events(
        self,
        kind: str,
        where: tuple[Filter, ...],
        unless: tuple[Filter, ...],
        app: Applicability,
        person_id: int | None,
        *,
        family: bool,
        age_at: str = "event",
        followers: frozenset[int] = frozenset(),
    ) -> list[Evidence]:
        """Events of a kind matching the filters: the whole family's (members in the band by
        ``age_at``, or among ``followers``, plus evidence about the household when everyone
        counts), or one person's (whatever their age)."""
        out = []
        records = self.events.get(kind, ()) if family else self.events_of.get((kind, person_id), ())
        check = family and not app.is_everyone
        for r in records:
            if where and not all(f.matches(r) for f in where):
                continue
            if unless and any(f.matches(r) for f in unless):
                continue
            if check:
                if r.person_id is None:
                    continue  # family-level evidence cannot show a role or age
                if r.person_id not in followers and not self.fits(
                    self.members[r.person_id],
                    app,
                    r.event_date,  # type: ignore[arg-type]
                    age_at,
                ):
                    continue
            out.append(r)
        return out

    def matching_spans(
        self,
        kind: str,
        where: tuple[Filter, ...],
        unless: tuple[Filter, ...],
        person_id: int | None,
        *,
        family: bool,
    ) -> list[Span]:
        spans = self.spans.get(kind, ()) if family else self.spans_of.get((kind, person_id), ())
        if not where and not unless:
            return list(spans)
        return [
            s
            for s in spans
            if all(f.matches(s.record) for f in where)
            and not any(f.matches(s.record) for f in unless)
        ]

    def current_members(self, app: Applicability) -> list[Member]:
        return [
            m
            for m in self.sorted_members
            # In the household on as_of; age band judged at attachment, so a child who turns 16
            # during the measured terms is still measured.
            if m.is_member_on(self.as_of) and self.applicable(m, app, self.ref)
        ]

    def baseline_members(
        self, app: Applicability, flag_window: tuple[date, date], age_at: str = "attachment"
    ) -> list[Member]:
        """Members a person-level indicator looks at: in the band on the attachment date, or,
        when ages are judged per event, everyone of the role (their events are then filtered)."""
        if age_at != "attachment":
            app = Applicability(role=app.role, flags=app.flags)
        return [m for m in self.sorted_members if self.applicable(m, app, self.ref, flag_window)]

    def sustain_dates(self, when: str) -> list[date]:
        """The closure and step-down dates known on as_of that an outcome "sustained at" ``when``
        is read on, earliest first."""
        found = []
        if when in ("closure_or_step_down", "step_down") and self.stepped_down_on is not None:
            found.append(self.stepped_down_on)
        if when in ("closure_or_step_down", "closure") and self.closed_on is not None:
            found.append(self.closed_on)
        return sorted(set(found))

    def at(self, on: date) -> Context:
        """The same family as known on an earlier date (for outcomes read at closure)."""
        sub = self._sub.get(on)
        if sub is None:
            sub = self._sub[on] = Context(self.plan, self.snapshot, on, self.terms)
        return sub

    def latest_judgement(self, person_id: int | None, code: str) -> Evidence | None:
        """A member's latest judgement with this code (None: none recorded)."""
        found = [
            j
            for j in self.events_of.get(("judgement", person_id), ())
            if j.code == code  # type: ignore[attr-defined]
        ]
        return found[-1] if found else None

    def judged(self, person_id: int | None, judged: Judged | None) -> bool:
        if judged is None:
            return True
        latest = self.latest_judgement(person_id, judged.code)
        return latest is not None and latest.value in judged.values  # type: ignore[attr-defined]
