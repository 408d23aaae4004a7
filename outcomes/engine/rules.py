"""The rule kinds: pure functions from (criterion, context) to per-subject results.

Conventions every rule follows (docs/outcomes-plans.md explains them for plan authors):

* The baseline is the window ending on the attachment date: ``(attached_on - N months,
  attached_on]`` or the last N school terms that ended on or before it. A family not yet attached
  is judged on the window ending on ``as_of``.
* Outcome windows are "the last N months" up to the review date: ``(as_of - N months, as_of]``
  (Worcestershire plan, note 5). Both ends are inclusive days, so an event on the last day
  counts. A window must lie wholly after the attachment date.
* Only evidence dated on or before ``as_of`` is used, and only while the person was a household
  member (spells are cut to the membership dates; a term's date is its end date).
* ``earliest_met_on`` assumes things hold from ``as_of``: no new events, open spells stay open,
  closed ones stay closed, future school terms meet the threshold.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from functools import lru_cache
from typing import Any

from .dates import ONE_DAY, english, first_day_clear_of, overlaps, window_start
from .evidence import (
    ChildPlan,
    Evidence,
    Exclusion,
    Judgement,
    SchoolAttendance,
    Treatment,
)
from .plan import (
    COMPARISON_WORDS,
    EVIDENCE_NOUNS,
    PLAN_LEVELS,
    ActivityHeld,
    Applicability,
    ChildPlanLevel,
    ContinuousEmployment,
    CountReduction,
    Criterion,
    EmploymentRequirement,
    EventCount,
    Filter,
    JudgementCriterion,
    NoEvents,
    Plan,
    SpellActive,
    TermThreshold,
    Threshold,
    TreatmentCompleted,
    Window,
)
from .results import MET, NOT_MET, PROGRESSING, Part
from .snapshot import FamilySnapshot, Member
from .terms import Term, TermCalendar

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
def _fraction(value: Any) -> Fraction:
    return Fraction(value)


@lru_cache(maxsize=1 << 14)
def _attendance_value(measure: str, absent: int, possible: int) -> Fraction:
    absence = Fraction(100 * absent, possible)
    return absence if measure == "absence" else 100 - absence


class Context:
    def __init__(self, plan: Plan, snapshot: FamilySnapshot, as_of: date, terms: TermCalendar):
        self.plan = plan
        self.snapshot = snapshot
        self.as_of = as_of
        self.terms = terms
        self.attached = snapshot.attached_on is not None and snapshot.attached_on <= as_of
        self.ref: date = snapshot.attached_on if self.attached else as_of  # type: ignore[assignment]
        self.members = {m.person_id: m for m in snapshot.members}
        self.events: dict[str, list[Evidence]] = defaultdict(list)
        self.spans: dict[str, list[Span]] = defaultdict(list)
        self.attendance: dict[int, dict[int, list[SchoolAttendance]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for record in sorted(snapshot.evidence, key=lambda r: (r.kind, r.id)):
            self._add(record)
        for records in self.events.values():
            records.sort(key=lambda r: (r.event_date, r.id))
        for spans in self.spans.values():
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

    def threshold(self, threshold: Threshold, on: date) -> Fraction:
        if threshold.parameter:
            return _fraction(self.plan.parameter(threshold.parameter).value_on(on))
        return _fraction(threshold.value)  # type: ignore[arg-type]

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

    def matching_events(
        self,
        kind: str,
        where: tuple[Filter, ...],
        unless: tuple[Filter, ...],
        app: Applicability,
        person_id: int | None,
        *,
        family: bool,
    ) -> list[Evidence]:
        out = []
        records = self.events.get(kind, ()) if family else self.events_of.get((kind, person_id), ())
        for r in records:
            if not all(f.matches(r) for f in where) or any(f.matches(r) for f in unless):
                continue
            if family:
                if r.person_id is None:
                    if not app.is_everyone:
                        continue  # family-level evidence cannot show a role or age
                else:
                    member = self.members[r.person_id]
                    if not self.applicable(member, app, r.event_date):  # type: ignore[arg-type]
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

    def baseline_members(self, app: Applicability, flag_window: tuple[date, date]) -> list[Member]:
        return [m for m in self.sorted_members if self.applicable(m, app, self.ref, flag_window)]


def pct(value: Fraction) -> str:
    return f"{float(value):.1f}%"


def num(value: Fraction) -> str:
    return str(int(value)) if value.denominator == 1 else f"{float(value):.1f}"


def plural(n: int, word: str, plural_word: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural_word or word + 's')}"


def event_noun(kind: str, n: int) -> str:
    noun = EVIDENCE_NOUNS[kind]
    if n == 1:
        noun = {"offences": "offence", "exclusions": "exclusion"}.get(
            noun, noun[:-1] if noun.endswith("s") else noun
        )
    return f"{n} {noun}"


def refs(records: Iterable[Evidence]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted({r.ref() for r in records}))


# --------------------------------------------------------------------------------------------
# Time helpers: "held since" and "earliest met" over windows whose state changes at known days


def held_since(as_of: date, points: Iterable[date], holds: Callable[[date], bool]) -> date | None:
    """Earliest day from which ``holds`` was true on every day up to ``as_of``.

    ``points`` are the days on which the state can change; between them it is constant. The
    caller includes a point before which ``holds`` is false (e.g. the day the window clears the
    attachment date), so the walk ends.
    """
    if not holds(as_of):
        return None
    cands = sorted({p for p in points if p <= as_of}, reverse=True)
    since = as_of
    for p in cands:
        if p > since:
            continue
        since = p
        if not holds(p - ONE_DAY):
            return p
    return since


def first_holding(
    start: date, points: Iterable[date], holds: Callable[[date], bool]
) -> date | None:
    """Earliest day on or after ``start`` when ``holds`` is true, given the days state can change."""
    if holds(start):
        return start
    for p in sorted({p for p in points if p > start and p < FAR_FUTURE}):
        if holds(p):
            return p
    return None


# --------------------------------------------------------------------------------------------
# Indicators (baseline before attachment)


def indicator_event_count(c: EventCount, ctx: Context) -> list[Part]:
    lo, hi = ctx.baseline_span(c.window)
    span_text = f"{english(lo)} to {english(hi)}"
    if c.scope == "family":
        records = [
            r
            for r in ctx.matching_events(
                c.evidence, c.where, c.unless, c.applies_to, None, family=True
            )
            if lo <= r.event_date <= hi
        ]  # type: ignore[operator]
        n = len(records)
        status = MET if n >= c.at_least else NOT_MET
        who = " ".join(
            sorted(
                {ctx.members[r.person_id].display_name for r in records if r.person_id is not None}
            )
        )
        return [
            Part(
                status,
                f"{event_noun(c.evidence, n)} across the family ({span_text}); at least {c.at_least} needed"
                + (f"; involving {who}" if who and status == MET else ""),
                refs(records),
            )
        ]
    parts = []
    for m in ctx.baseline_members(c.applies_to, (lo, hi)):
        records = [
            r
            for r in ctx.matching_events(
                c.evidence, c.where, c.unless, Applicability(), m.person_id, family=False
            )
            if lo <= r.event_date <= hi
        ]  # type: ignore[operator]
        if not records:
            continue
        n = len(records)
        status = MET if n >= c.at_least else NOT_MET
        parts.append(
            Part(
                status,
                f"{m.display_name}: {event_noun(c.evidence, n)} ({span_text}); at least {c.at_least} needed",
                refs(records),
                person_id=m.person_id,
            )
        )
    return parts


def indicator_spell_active(c: SpellActive, ctx: Context) -> list[Part]:
    # Without a window, "subject to a plan" / "on benefits" means open on the attachment date.
    lo, hi = ctx.baseline_span(c.window) if c.window else (ctx.ref, ctx.ref)
    spans = [
        s
        for s in ctx.matching_spans(c.evidence, c.where, c.unless, None, family=True)
        if overlaps(s.start, s.end, lo, hi)
    ]
    if c.scope == "family":
        status = MET if spans else NOT_MET
        return [Part(status, _spell_summary(c, spans, lo, hi), refs(s.record for s in spans))]
    parts = []
    for m in ctx.baseline_members(c.applies_to, (lo, hi)):
        mine = [s for s in spans if s.record.person_id == m.person_id]
        if mine:
            parts.append(
                Part(
                    MET,
                    f"{m.display_name}: {_spell_summary(c, mine, lo, hi)}",
                    refs(s.record for s in mine),
                    person_id=m.person_id,
                )
            )
    return parts


def _spell_label(record: Evidence) -> str:
    for attr in ("benefit", "plan", "flag", "status", "activity", "substance"):
        if hasattr(record, attr):
            value = getattr(record, attr)
            extra = (
                f" ({record.category})" if isinstance(record, ChildPlan) and record.category else ""
            )
            return f"{value.upper() if attr == 'status' else value}{extra}"
    return record.kind


def _spell_summary(c: SpellActive, spans: list[Span], lo: date, hi: date) -> str:
    if not spans:
        return f"no matching {EVIDENCE_NOUNS[c.evidence]} " + (
            f"open on {english(hi)}" if lo == hi else f"between {english(lo)} and {english(hi)}"
        )
    bits = [
        f"{_spell_label(s.record)} from {english(s.start)}"
        + (f" to {english(s.end)}" if s.end else "")
        for s in spans
    ]
    when = f"open on {english(hi)}" if lo == hi else f"baseline {english(lo)} to {english(hi)}"
    return f"{'; '.join(bits)} ({when})"


def judgement_records(
    ctx: Context, code: str, person_id: int | None, family: bool
) -> list[Judgement]:
    records = (
        ctx.events.get("judgement", ())
        if family
        else ctx.events_of.get(("judgement", person_id), ())
    )
    return [j for j in records if j.code == code]  # type: ignore[misc, attr-defined]


def indicator_judgement(c: JudgementCriterion, ctx: Context) -> list[Part]:
    # Assessments are recorded at or after attachment, so judgements up to as_of count (documented).
    accepted = set(c.values)
    if c.scope == "family":
        found = [j for j in judgement_records(ctx, c.code, None, True) if j.value in accepted]
        if found:
            j = found[0]
            return [
                Part(
                    MET,
                    f"Keyworker recorded {c.code.replace('_', ' ')} as {j.value} on {english(j.recorded_on)}",
                    refs(found),
                )
            ]
        return [
            Part(
                NOT_MET,
                f"No keyworker judgement {c.code.replace('_', ' ')} recorded as {' or '.join(c.values)}",
            )
        ]
    parts = []
    for m in ctx.baseline_members(c.applies_to, (ctx.ref, ctx.as_of)):
        found = [
            j for j in judgement_records(ctx, c.code, m.person_id, False) if j.value in accepted
        ]
        if found:
            j = found[0]
            parts.append(
                Part(
                    MET,
                    f"{m.display_name}: keyworker recorded {c.code.replace('_', ' ')} as {j.value} on {english(j.recorded_on)}",
                    refs(found),
                    person_id=m.person_id,
                )
            )
    return parts


# --------------------------------------------------------------------------------------------
# School terms. Each term has a statistic: (possible, absent) sessions for attendance measures
# (None without a record), or a count of exclusions. An exclusion in a holiday belongs to the next
# term, so counts over consecutive terms include every day from the first term's start.

Stat = tuple[int, int] | int | None


def term_stat(
    ctx: Context, c: TermThreshold, person_id: int, index: int
) -> tuple[Stat, list[Evidence]]:
    if c.measure in ("attendance", "absence"):
        records = ctx.attendance.get(person_id, {}).get(index, [])
        if not records:
            return None, []
        return (
            sum(r.possible_sessions for r in records),
            sum(r.absent_sessions for r in records),
        ), list(records)
    wanted = "fixed_term" if c.measure == "fixed_term_exclusions" else "permanent"
    found = [
        r
        for r in ctx.events_of.get(("exclusions", person_id), ())
        if isinstance(r, Exclusion)
        and r.exclusion_type == wanted
        and ctx.term_of(r.start_date) == index
    ]
    return len(found), found


def combine_stats(c: TermThreshold, stats: list[Stat]) -> Fraction | None:
    if c.measure in ("attendance", "absence"):
        if not stats or any(s is None for s in stats):
            return None
        possible = sum(s[0] for s in stats)  # type: ignore[index]
        absent = sum(s[1] for s in stats)  # type: ignore[index]
        return _attendance_value(c.measure, absent, possible)
    return _fraction(sum(stats))  # type: ignore[arg-type]


def compare(value: Fraction, comparison: str, threshold: Fraction) -> bool:
    # Boundaries are exact: 90% is not "above 90%"; 3 exclusions is not "below 3".
    if comparison == "above":
        return value > threshold
    if comparison == "below":
        return value < threshold
    if comparison == "at_least":
        return value >= threshold
    return value <= threshold


def fmt_measure(c: TermThreshold, value: Fraction | None) -> str:
    if value is None:
        return "no record"
    if c.measure in ("attendance", "absence"):
        return pct(value)
    return plural(int(value), "exclusion")


def indicator_term_threshold(c: TermThreshold, ctx: Context) -> list[Part]:
    terms = ctx.baseline_terms(c.terms)
    lo, hi = terms[0].start, terms[-1].end
    threshold = ctx.threshold(c.threshold, ctx.ref)
    noun = _measure_noun(c, threshold)
    parts = []
    for m in ctx.baseline_members(c.applies_to, (lo, hi)):
        data = [term_stat(ctx, c, m.person_id, t.index) for t in terms]
        records = [r for _, rs in data for r in rs]
        if c.over == "overall":
            known = [s for s, _ in data if s is not None]
            value = combine_stats(c, known)
            if value is None or (not records and not compare(value, c.comparison, threshold)):
                continue
            ok = compare(value, c.comparison, threshold)
            detail = f"{fmt_measure(c, value)} over {', '.join(t.label for t, (s, _) in zip(terms, data, strict=True) if s is not None)}"
        else:
            if not records:
                continue
            values = [combine_stats(c, [s]) for s, _ in data]
            ok = all(v is not None and compare(v, c.comparison, threshold) for v in values)
            detail = ", ".join(
                f"{t.label} {fmt_measure(c, v)}" for t, v in zip(terms, values, strict=True)
            )
        verdict = noun if ok else f"not {noun[0].lower()}{noun[1:]}"
        parts.append(
            Part(
                MET if ok else NOT_MET,
                f"{m.display_name}: {detail} ({verdict}{' in each term' if c.over == 'each' else ''})",
                refs(records),
                person_id=m.person_id,
            )
        )
    return parts


def outcome_term_threshold(c: TermThreshold, ctx: Context, m: Member) -> Part:
    threshold = ctx.threshold(c.threshold, ctx.as_of)
    noun = _measure_noun(c, threshold)
    first = ctx.terms.last_ended_by(ctx.ref).index + 1  # the first term ending after attachment
    last = ctx.terms.last_ended_by(ctx.as_of).index
    n = c.terms
    name = m.display_name
    label = ctx.terms.by_index
    data = {i: term_stat(ctx, c, m.person_id, i) for i in range(first, last + 1)}
    window = [i for i in range(max(first, last - n + 1), last + 1)]
    used = refs(r for i in window for r in data[i][1])

    def value(indexes: list[int], projected: Stat = None) -> Fraction | None:
        stats = [
            data[i][0]
            if i <= last and data[i][0] is not None
            else (projected if i > last or projected is not None else None)
            for i in indexes
        ]
        return combine_stats(c, stats)

    def passes(v: Fraction | None) -> bool:
        return v is not None and compare(v, c.comparison, threshold)

    if c.over == "each":
        ok = {i: passes(value([i])) for i in data}
        known = {i: data[i][0] is not None for i in data}
        shown = (
            ", ".join(f"{label(i).label} {fmt_measure(c, value([i]))}" for i in window)
            or "no term has ended since attachment"
        )
        run = 0
        for i in range(last, first - 1, -1):
            if not ok[i]:
                break
            run += 1
        if run >= n:
            since = label(last - run + n).end
            return Part(
                MET,
                f"{name}: {noun} in each of {n} consecutive terms ({shown}); met since {english(since)}",
                used,
                met_since=since,
                earliest_met_on=since,
                person_id=m.person_id,
            )
        failed = [i for i in data if known[i] and not ok[i]]
        earliest = label(max(failed, default=first - 1) + n).end
        missing = tuple(
            f"{name}: {c.measure} record for {label(i).label}" for i in window if not known[i]
        )
        bad = [i for i in window if known[i] and not ok[i]]
        if bad:
            text = f"{name}: {noun} needed in each of {n} consecutive terms, not met in {', '.join(label(i).label for i in bad)} ({shown}); can be met on {english(earliest)} if the next terms meet it"
            return Part(
                NOT_MET,
                text,
                used,
                earliest_met_on=earliest,
                missing=missing + (f"{name}: {noun} in each of {n} consecutive terms",),
                person_id=m.person_id,
            )
        text = f"{name}: {noun} in {run} of {n} consecutive terms ({shown}); met on {english(earliest)} if it holds"
        more = n - run
        return Part(
            PROGRESSING,
            text,
            used,
            earliest_met_on=earliest,
            missing=missing
            + (f"{name}: {noun} in {more} more consecutive term{'s' if more != 1 else ''}",),
            person_id=m.person_id,
        )

    # Overall across the last N terms after attachment.
    def window_at(e: int) -> list[int]:
        return list(range(e - n + 1, e + 1))

    current = value(window) if len(window) == n else None
    labels = ", ".join(label(i).label for i in window)
    if passes(current):
        e = last
        while e - n >= first and passes(value(window_at(e - 1))):
            e -= 1
        since = label(e).end
        return Part(
            MET,
            f"{name}: {noun} over the last {n} terms ({labels}: {fmt_measure(c, current)}); met since {english(since)}",
            used,
            met_since=since,
            earliest_met_on=since,
            person_id=m.person_id,
        )
    # Project: no more exclusions; attendance as in the latest term with a record.
    if c.measure in ("attendance", "absence"):
        projected = next(
            (data[i][0] for i in range(last, first - 1, -1) if data[i][0] is not None), None
        )
    else:
        projected = 0
    earliest = None
    if projected is not None:
        for e in range(max(first + n - 1, last), last + n + 1):
            if passes(value(window_at(e), projected)):
                earliest = label(e).end
                break
    so_far = value(window)
    counts_only_grow = c.measure.endswith("exclusions") and c.comparison in ("below", "at_most")
    failing = so_far is not None and not passes(so_far) and (len(window) == n or counts_only_grow)
    so_far_text = (
        f"{fmt_measure(c, so_far)} over {labels}"
        if window
        else "no term has ended since attachment"
    )
    when = f"; can be met on {english(earliest)} if it holds" if earliest else ""
    text = f"{name}: {noun} needed over {n} consecutive terms after attachment; {so_far_text}{when}"
    return Part(
        NOT_MET if failing else PROGRESSING,
        text,
        used,
        earliest_met_on=earliest,
        missing=(f"{name}: {noun} over {n} consecutive terms",),
        person_id=m.person_id,
    )


def _measure_noun(c: TermThreshold, threshold: Fraction) -> str:
    return _measure_words(c.measure, c.comparison, threshold)


@lru_cache(maxsize=1024)  # a plan has a handful of measures and thresholds
def _measure_words(measure: str, comparison: str, threshold: Fraction) -> str:
    if measure in ("attendance", "absence"):
        return f"{measure.capitalize()} {COMPARISON_WORDS[comparison]} {num(threshold)}%"
    noun = "fixed-term exclusions" if measure == "fixed_term_exclusions" else "permanent exclusions"
    if comparison == "below":
        return f"Fewer than {num(threshold)} {noun}"
    return f"{noun.capitalize()} {COMPARISON_WORDS[comparison]} {num(threshold)}"


# --------------------------------------------------------------------------------------------
# Event windows: reductions and "no further events"


def _window_rule(
    ctx: Context,
    months: int | None,
    weeks: int | None,
    dates: list[date],
    bad_spans: list[tuple[date, date]],
    allowed: int,
) -> tuple[bool, date | None, date | None, int]:
    """(holds now, held since, earliest, count now) for "at most ``allowed`` events in the last window".

    ``dates`` are event days (sorted); ``bad_spans`` are [start, last day] periods that must not
    overlap the window at all.
    """

    def first_of(d: date) -> date:  # the window's first day
        return window_start(d, months) if months is not None else d - timedelta(days=7 * weeks - 1)  # type: ignore[operator]

    def clear_day(x: date) -> date:  # first d whose window starts after x
        if x >= FAR_FUTURE - timedelta(days=400):
            return FAR_FUTURE
        return (
            first_day_clear_of(x, months) if months is not None else x + timedelta(days=7 * weeks)
        )  # type: ignore[operator]

    def count(d: date) -> int:
        return bisect_right(dates, d) - bisect_left(dates, first_of(d))

    def holds(d: date) -> bool:
        first = first_of(d)
        if first <= ctx.ref:
            return False
        if any(b_start <= d and b_end >= first for b_start, b_end in bad_spans):
            return False
        return count(d) <= allowed

    points = {clear_day(ctx.ref)}
    for d in dates:
        points.update((d, clear_day(d)))
    for b_start, b_end in bad_spans:
        points.update((b_start, clear_day(b_end)))
    now = holds(ctx.as_of)
    since = held_since(ctx.as_of, points, holds) if now else None
    earliest = since if now else first_holding(ctx.as_of + ONE_DAY, points, holds)
    return now, since, earliest, count(ctx.as_of)


def _window_text(months: int | None, weeks: int | None, as_of: date) -> tuple[str, str]:
    if months is not None:
        lo = window_start(as_of, months)
        label = f"the last {plural(months, 'month')}"
    else:
        lo = as_of - timedelta(days=7 * weeks - 1)  # type: ignore[operator]
        label = f"the last {plural(weeks, 'week')}"  # type: ignore[arg-type]
    return label, f"{english(lo)} to {english(as_of)}"


def outcome_no_events(c: NoEvents, ctx: Context, m: Member | None) -> Part:
    family = m is None
    records = ctx.matching_events(
        c.evidence, c.where, c.unless, c.applies_to, m.person_id if m else None, family=family
    )
    after = [r for r in records if r.event_date > ctx.ref]  # type: ignore[operator]
    dates = sorted(r.event_date for r in after)  # type: ignore[type-var]
    now, since, earliest, n = _window_rule(ctx, c.window.months, c.window.weeks, dates, [], 0)  # type: ignore[arg-type]
    who = "the family" if family else m.display_name  # type: ignore[union-attr]
    label, span = _window_text(c.window.months, c.window.weeks, ctx.as_of)
    noun = EVIDENCE_NOUNS[c.evidence]
    in_window = (
        [r for r in after if r.event_date >= window_start(ctx.as_of, c.window.months)]
        if c.window.months
        else [r for r in after if r.event_date > ctx.as_of - timedelta(days=7 * c.window.weeks)]
    )  # type: ignore[operator]
    used = refs(in_window)
    prefix = f"{who}: " if not family else ""
    if now:
        return Part(
            MET,
            f"{prefix}no {noun} in {label} ({span}); met since {english(since)}",
            used,
            met_since=since,
            earliest_met_on=since,
            person_id=m.person_id if m else None,
        )
    if n:
        last = max(r.event_date for r in in_window)  # type: ignore[type-var]
        when = f"; can be met on {english(earliest)} if there are no more" if earliest else ""
        return Part(
            NOT_MET,
            f"{prefix}{event_noun(c.evidence, n)} in {label} ({span}), the latest on {english(last)}{when}",
            used,
            earliest_met_on=earliest,
            missing=(f"{'No' if family else who + ': no'} {noun} for {c.window.describe()}",),
            person_id=m.person_id if m else None,
        )
    return Part(
        PROGRESSING,
        f"{prefix}no {noun} since attachment on {english(ctx.ref)}; {c.window.describe()} completes on {english(earliest)}",
        used,
        earliest_met_on=earliest,
        missing=(f"{prefix}{c.window.describe()} with no {noun} (to {english(earliest)})",),
        person_id=m.person_id if m else None,
    )


def outcome_count_reduction(c: CountReduction, ctx: Context, m: Member | None) -> Part:
    family = m is None
    records = ctx.matching_events(
        c.evidence, c.where, c.unless, c.applies_to, m.person_id if m else None, family=family
    )
    base_window = c.baseline or Window(months=ctx.plan.baseline.months)
    b_lo, b_hi = ctx.baseline_span(base_window)
    baseline = [r for r in records if b_lo <= r.event_date <= b_hi]  # type: ignore[operator]
    after = [r for r in records if r.event_date > ctx.ref]  # type: ignore[operator]
    b = len(baseline)
    ratio = _length(c.window) / _length(base_window)
    expected = (
        Fraction(b) * ratio
    )  # the baseline rate over a window as long as the comparison window
    allowed_frac = expected * (1 - Fraction(c.reduction) / 100)
    allowed = int(allowed_frac)  # whole events: at most floor(allowed)
    dates = sorted(r.event_date for r in after)  # type: ignore[type-var]
    now, since, earliest, n = _window_rule(ctx, c.window.months, c.window.weeks, dates, [], allowed)
    label, span = _window_text(c.window.months, c.window.weeks, ctx.as_of)
    who = "across the family" if family else f"for {m.display_name}"  # type: ignore[union-attr]
    noun = EVIDENCE_NOUNS[c.evidence]
    w_lo = (
        window_start(ctx.as_of, c.window.months)
        if c.window.months
        else ctx.as_of - timedelta(days=7 * c.window.weeks - 1)
    )  # type: ignore[operator]
    in_window = [r for r in after if r.event_date >= w_lo]  # type: ignore[operator]
    achieved = (
        (1 - Fraction(n) / expected) * 100
        if expected
        else (Fraction(100) if n == 0 else Fraction(0))
    )
    base_text = f"{b} in the {base_window.describe()} before attachment ({english(b_lo)} to {english(b_hi)}; {num(expected)} per {c.window.describe()})"
    figures = f"{noun.capitalize()} {who}: {base_text}; {n} in {label} ({span}), a {pct(max(achieved, Fraction(-999)))} reduction; at least {num(Fraction(c.reduction))}% needed (at most {allowed})"
    used = refs([*baseline, *in_window])
    pid = m.person_id if m else None
    if now:
        return Part(
            MET,
            f"{figures}; met since {english(since)}",
            used,
            met_since=since,
            earliest_met_on=since,
            person_id=pid,
        )
    when = f"; can be met on {english(earliest)} if there are no more" if earliest else ""
    status = NOT_MET if n > allowed else PROGRESSING
    return Part(
        status,
        f"{figures}{when}",
        used,
        earliest_met_on=earliest,
        missing=(
            f"A {num(Fraction(c.reduction))}% reduction in {noun} {who} held for {c.window.describe()}",
        ),
        person_id=pid,
    )


def _length(w: Window) -> Fraction:
    if w.months is not None:
        return Fraction(w.months) * Fraction(36525, 1200)  # average days per month
    return Fraction(7 * (w.weeks or 0))


# --------------------------------------------------------------------------------------------
# Children's social care plans


def outcome_child_plan_level(c: ChildPlanLevel, ctx: Context, m: Member) -> Part | None:
    spans = ctx.matching_spans("child_plans", (), (), m.person_id, family=False)
    at_ref = [s for s in spans if overlaps(s.start, s.end, ctx.ref, ctx.ref)]
    lo, hi = ctx.baseline_span(None)
    in_base = at_ref or [s for s in spans if overlaps(s.start, s.end, lo, hi)]
    if not in_base:
        return None  # no plan at the baseline: the rule does not apply to this child
    level = max(PLAN_LEVELS.index(s.record.plan) for s in in_base if s.record.plan in PLAN_LEVELS)  # type: ignore[attr-defined]
    base_name = PLAN_LEVELS[level]
    if c.mode == "not_escalated":
        bad = [
            s
            for s in spans
            if s.record.plan in PLAN_LEVELS and PLAN_LEVELS.index(s.record.plan) > level
        ]  # type: ignore[attr-defined]
    else:
        bad = [
            s
            for s in spans
            if s.record.plan in PLAN_LEVELS and PLAN_LEVELS.index(s.record.plan) >= level
        ]  # type: ignore[attr-defined]
    bad_periods = [(s.start, s.last_day) for s in bad]
    now, since, earliest, _ = _window_rule(ctx, c.window.months, c.window.weeks, [], bad_periods, 0)
    used = refs(s.record for s in spans if s.last_day >= lo)
    name = m.display_name
    open_bad = [s for s in bad if s.end is None]
    if now:
        what = (
            f"not escalated beyond {base_name}"
            if c.mode == "not_escalated"
            else f"stepped down from {base_name}"
        )
        return Part(
            MET,
            f"{name}: {what} for {c.window.describe()}; met since {english(since)}",
            used,
            met_since=since,
            earliest_met_on=since,
            person_id=m.person_id,
        )
    if c.mode == "not_escalated":
        escalated = [s for s in bad if s.last_day > ctx.ref]
        if escalated:
            s = escalated[-1]
            when = f"; can be met on {english(earliest)} if it holds" if earliest else ""
            return Part(
                NOT_MET,
                f"{name}: escalated from {base_name} to {s.record.plan} on {english(s.start)}{' (still open)' if s.end is None else ''}{when}",
                used,
                earliest_met_on=earliest,
                missing=(f"{name}: {c.window.describe()} without escalation",),
                person_id=m.person_id,
            )  # type: ignore[attr-defined]
        return Part(
            PROGRESSING,
            f"{name}: on {base_name} at attachment, not escalated so far; {c.window.describe()} completes on {english(earliest)}",
            used,
            earliest_met_on=earliest,
            missing=(f"{name}: {c.window.describe()} without escalation (to {english(earliest)})",),
            person_id=m.person_id,
        )
    if open_bad:
        s = open_bad[-1]
        return Part(
            PROGRESSING,
            f"{name}: still on a {s.record.plan} plan (from {english(s.start)}); not yet stepped down",
            used,
            missing=(
                f"{name}: step down from the {s.record.plan} plan, then {c.window.describe()} without returning",
            ),
            person_id=m.person_id,
        )  # type: ignore[attr-defined]
    last_end = max(s.last_day for s in bad)
    return Part(
        PROGRESSING,
        f"{name}: stepped down from {base_name} on {english(last_end + ONE_DAY)}; held for {c.window.describe()} on {english(earliest)} if it holds",
        used,
        earliest_met_on=earliest,
        missing=(f"{name}: step-down held to {english(earliest)}",),
        person_id=m.person_id,
    )


# --------------------------------------------------------------------------------------------
# Work


def baseline_benefit(ctx: Context, m: Member) -> Span | None:
    lo, hi = ctx.baseline_span(None)
    spans = [
        s
        for s in ctx.matching_spans(
            "benefit_spells", (Filter("out_of_work", (True,)),), (), m.person_id, family=False
        )
        if overlaps(s.start, s.end, lo, hi)
    ]
    if not spans:
        return None
    return max(spans, key=lambda s: (s.start, s.record.id))


def requirement_for(c: ContinuousEmployment, benefit: str) -> EmploymentRequirement:
    for r in c.requirements:
        if benefit in r.benefits:
            return r
    for r in c.requirements:
        if "other" in r.benefits:
            return r
    return c.requirements[-1]


# Continuous employment works on days counted from the attachment date ("day 1" is the day after
# it). A day qualifies when the person is in work and on no out-of-work benefit. Rather than
# marking days one by one (thousands of them for a family attached years ago), the qualifying
# days are kept as a few merged runs and every question below is answered from the runs' ends.


def _day_runs(spans: list[Span], origin: date, last: int) -> list[tuple[int, int]]:
    """The days ``spans`` cover, as sorted ranges [a, b] clipped to [1, last]; touching ranges merged."""
    ranges = sorted(
        (max((s.start - origin).days, 1), min((s.last_day - origin).days, last)) for s in spans
    )
    merged: list[tuple[int, int]] = []
    for a, b in ranges:
        if a > b:
            continue
        if merged and a <= merged[-1][1] + 1:
            if b > merged[-1][1]:
                merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def _without(keep: list[tuple[int, int]], remove: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The days of ``keep`` outside ``remove`` (both merged ranges); the result stays merged."""
    out = []
    for a, b in keep:
        cur = a
        for c, d in remove:
            if d < cur or c > b:
                continue
            if c > cur:
                out.append((cur, c - 1))
            cur = max(cur, d + 1)
            if cur > b:
                break
        if cur <= b:
            out.append((cur, b))
    return out


def _weeks_in(week_ends: list[tuple[int, int]], d: int, count: int) -> int:
    """How many of the ``count`` weeks ending on day ``d`` (days d-7k+1 .. d-7k+7, k = 1..count)
    were worked in full. ``week_ends`` are the ranges of days on which a full week of work ends."""
    got = 0
    for lo, hi in week_ends:
        # week k ends on d - 7j (j = k - 1); count the j in [0, count) with lo <= d - 7j <= hi
        j_lo = max(0, -((hi - d) // 7))
        j_hi = min(count - 1, (d - lo) // 7)
        if j_hi >= j_lo:
            got += j_hi - j_lo + 1
    return got


def _nearest_day(
    week_ends: list[tuple[int, int]],
    count: int,
    weeks: int,
    first: int,
    last: int,
    *,
    holding: bool,
    downward: bool,
) -> int | None:
    """The day in [first, last] nearest ``last`` (downward) or ``first`` (upward) on which
    "``weeks`` of the last ``count`` weeks" holds (``holding``) or fails (not ``holding``).

    Days one week apart see the same weeks shifted by one, so each of the seven days of the week
    is searched on its own: along it the number of full weeks is a sum of clipped ranges, linear
    between a few turning points. Between neighbouring turning points the answer can only change
    once, so checking the turning points and bisecting the one segment where it changes finds
    the same day a day-by-day walk would.
    """
    if first > last:
        return None
    found: int | None = None
    for r in range(7):
        t_first, t_last = -((r - first) // 7), (last - r) // 7  # days r + 7t in [first, last]
        if t_first > t_last:
            continue
        points = {t_first, t_last}
        for lo, hi in week_ends:
            s_lo, s_hi = -((r - lo) // 7), (hi - r) // 7  # weeks of this run ending on r + 7s
            if s_lo > s_hi:
                continue
            for t in (s_lo - 1, s_hi, s_lo + count - 1, s_hi + count):
                if t_first < t < t_last:
                    points.add(t)
        order = sorted(points, reverse=downward)

        def ok(t: int, r: int = r) -> bool:
            return (_weeks_in(week_ends, r + 7 * t, count) >= weeks) == holding

        hit = None
        prev = order[0]
        if ok(prev):
            hit = prev
        else:
            for t in order[1:]:
                if ok(t):
                    # not ok at prev, ok at t, one change between: bisect for the first ok
                    bad, good = prev, t
                    while abs(good - bad) > 1:
                        mid = (bad + good) // 2
                        if ok(mid):
                            good = mid
                        else:
                            bad = mid
                    hit = good
                    break
                prev = t
        if hit is not None:
            day = r + 7 * hit
            if found is None or (day > found if downward else day < found):
                found = day
    return found


def outcome_continuous_employment(c: ContinuousEmployment, ctx: Context, m: Member) -> Part | None:
    base = baseline_benefit(ctx, m)
    if base is None:
        return None  # not on out-of-work benefits before attachment: the measure does not apply
    benefit = base.record.benefit  # type: ignore[attr-defined]
    req = requirement_for(c, benefit)
    span_weeks = req.of_last_weeks or req.weeks
    horizon = 7 * span_weeks + 7
    origin = ctx.ref
    now_i = (ctx.as_of - origin).days
    last = now_i + horizon  # the furthest day looked at when projecting forward
    jobs = ctx.matching_spans("employment_spells", (), (), m.person_id, family=False)
    benefits = ctx.matching_spans(
        "benefit_spells", (Filter("out_of_work", (True,)),), (), m.person_id, family=False
    )
    work = _without(_day_runs(jobs, origin, last), _day_runs(benefits, origin, last))
    current = next(((a, b) for a, b in work if a <= now_i <= b), None)  # the run today is in
    n_days = 7 * req.weeks
    if req.of_last_weeks:
        week_ends = [(a + 6, b) for a, b in work if b - a >= 6]
        have = _weeks_in(week_ends, now_i, span_weeks)
        holds_now = have >= req.weeks
    else:
        have = (now_i - current[0] + 1) // 7 if current else 0
        holds_now = current is not None and now_i - current[0] + 1 >= n_days
    name = m.display_name
    need = req.describe().split(" ", 1)[1]
    used = refs([base.record, *(s.record for s in jobs), *(s.record for s in benefits)])
    lead = (
        f"{name} (on {benefit} before attachment) needs {need} in work and off out-of-work benefits"
    )
    if holds_now:
        if req.of_last_weeks:
            # met since the day after the last day before today on which it did not hold
            failed = _nearest_day(
                week_ends,
                span_weeks,
                req.weeks,
                1,
                now_i - 1,
                holding=False,
                downward=True,
            )
            i = (failed or 0) + 1
        else:  # consecutive weeks: met N weeks after the start of the current run of work
            i = current[0] + n_days - 1  # type: ignore[index]
        since = origin + timedelta(days=i)
        return Part(
            MET,
            f"{lead}: {have} {'of the last ' + str(span_weeks) if req.of_last_weeks else 'consecutive'} weeks; met since {english(since)}",
            used,
            met_since=since,
            earliest_met_on=since,
            person_id=m.person_id,
        )
    earliest = None
    if current is not None:  # in work off benefits today: when would the weeks be reached?
        if req.of_last_weeks:
            i = _nearest_day(
                week_ends,
                span_weeks,
                req.weeks,
                now_i + 1,
                last,
                holding=True,
                downward=False,
            )
        else:
            i = next(
                (
                    max(now_i + 1, a + n_days - 1)
                    for a, b in work
                    if max(now_i + 1, a + n_days - 1) <= b
                ),
                None,
            )
        if i is not None:
            earliest = origin + timedelta(days=i)
    if earliest:
        return Part(
            PROGRESSING,
            f"{lead}: {have} so far; met on {english(earliest)} if it holds",
            used,
            earliest_met_on=earliest,
            missing=(f"{name}: {need} in continuous employment (to {english(earliest)})",),
            person_id=m.person_id,
        )
    return Part(
        NOT_MET,
        f"{lead}: {have} so far and not in work off benefits on {english(ctx.as_of)}",
        used,
        missing=(f"{name}: {need} in continuous employment",),
        person_id=m.person_id,
    )


def outcome_activity_held(c: ActivityHeld, ctx: Context, m: Member) -> Part:
    spans: list[Span] = []
    if "work_activity" in c.sources:
        spans += [
            s
            for s in ctx.matching_spans("work_activity", (), (), m.person_id, family=False)
            if not c.activities or s.record.activity in c.activities
        ]  # type: ignore[attr-defined]
    if "eet" in c.sources:
        spans += ctx.matching_spans(
            "neet_status", (Filter("status", ("eet",)),), (), m.person_id, family=False
        )
    if "employment" in c.sources:
        spans += ctx.matching_spans("employment_spells", (), (), m.person_id, family=False)
    first_day = ctx.ref + ONE_DAY
    periods = sorted(
        (max(s.start, first_day), s.last_day, s.record) for s in spans if s.last_day >= first_day
    )
    runs: list[list] = []
    for start, end, record in periods:
        if runs and (runs[-1][1] >= FAR_FUTURE or start <= runs[-1][1] + ONE_DAY):
            runs[-1][1] = max(runs[-1][1], end)
            runs[-1][2].append(record)
        else:
            runs.append([start, end, [record]])
    days_needed = 7 * c.weeks
    name = m.display_name
    used = refs(s.record for s in spans)
    kinds = " or ".join(
        {
            "work_activity": "work-related activity",
            "eet": "education, employment or training",
            "employment": "work",
        }[s]
        for s in c.sources
    )
    for start, end, _records in runs:
        done_on = start + timedelta(days=days_needed - 1)
        if done_on <= min(end, ctx.as_of):
            return Part(
                MET,
                f"{name}: {kinds} from {english(start)} for {c.weeks} weeks; met on {english(done_on)}",
                used,
                met_since=done_on,
                earliest_met_on=done_on,
                person_id=m.person_id,
            )
    current = [r for r in runs if r[1] >= FAR_FUTURE]
    if current:
        start = current[-1][0]
        weeks_so_far = ((ctx.as_of - start).days + 1) // 7
        done_on = start + timedelta(days=days_needed - 1)
        return Part(
            PROGRESSING,
            f"{name}: {kinds} since {english(start)}, {plural(weeks_so_far, 'week')} so far; {c.weeks} weeks reached on {english(done_on)} if it holds",
            used,
            earliest_met_on=done_on,
            missing=(f"{name}: {c.weeks} weeks of {kinds} (to {english(done_on)})",),
            person_id=m.person_id,
        )
    if runs:
        longest = max(((min(e, ctx.as_of) - s).days + 1) // 7 for s, e, _ in runs)
        return Part(
            NOT_MET,
            f"{name}: {kinds} after attachment lasted at most {plural(longest, 'week')}, and none is current; {c.weeks} weeks needed",
            used,
            missing=(f"{name}: {c.weeks} weeks of {kinds}",),
            person_id=m.person_id,
        )
    return Part(
        NOT_MET,
        f"{name}: no {kinds} recorded since attachment; {c.weeks} weeks needed",
        used,
        missing=(f"{name}: {c.weeks} weeks of {kinds}",),
        person_id=m.person_id,
    )


# --------------------------------------------------------------------------------------------
# Treatment and professional judgement


def outcome_treatment_completed(c: TreatmentCompleted, ctx: Context, m: Member) -> Part | None:
    spans = [
        s
        for s in ctx.matching_spans("treatment", (), (), m.person_id, family=False)
        if not c.substances or s.record.substance in c.substances
    ]  # type: ignore[attr-defined]
    name = m.display_name
    if not spans:
        return Part(
            NOT_MET,
            f"{name}: no treatment recorded",
            missing=(f"{name}: successful completion of treatment",),
            person_id=m.person_id,
        )
    used = refs(s.record for s in spans)
    latest_start = max(s.start for s in spans)
    completed = [
        s
        for s in spans
        if isinstance(s.record, Treatment)
        and s.record.outcome == "completed"
        and s.end is not None
        and s.end > ctx.ref
        and s.end == s.record.end_date
        and latest_start <= s.end
    ]
    if completed:
        s = max(completed, key=lambda s: (s.end, s.record.id))
        assert s.end is not None
        done = (
            first_day_clear_of(s.end, c.sustain.months)
            if c.sustain and c.sustain.months
            else s.end + timedelta(days=7 * (c.sustain.weeks if c.sustain else 0))
        )
        held = f", with no new episode for {c.sustain.describe()}" if c.sustain else ""
        if done <= ctx.as_of:
            return Part(
                MET,
                f"{name}: {s.record.substance} treatment completed on {english(s.end)}{held}; met since {english(done)}",
                used,
                met_since=done,
                earliest_met_on=done,
                person_id=m.person_id,
            )  # type: ignore[attr-defined]
        return Part(
            PROGRESSING,
            f"{name}: {s.record.substance} treatment completed on {english(s.end)}; sustained on {english(done)} if there is no new episode",
            used,
            earliest_met_on=done,
            missing=(
                f"{name}: {c.sustain.describe() if c.sustain else ''} since completing treatment (to {english(done)})",
            ),
            person_id=m.person_id,
        )  # type: ignore[attr-defined]
    ongoing = [s for s in spans if s.end is None]
    if ongoing:
        s = ongoing[-1]
        return Part(
            PROGRESSING,
            f"{name}: in {s.record.substance} treatment since {english(s.start)}",
            used,
            missing=(f"{name}: successful completion of treatment",),
            person_id=m.person_id,
        )  # type: ignore[attr-defined]
    s = max(spans, key=lambda s: (s.start, s.record.id))
    outcome = getattr(s.record, "outcome", "")
    return Part(
        NOT_MET,
        f"{name}: latest {s.record.substance} treatment ({english(s.start)}) {outcome.replace('_', ' ')}; no completion since attachment",
        used,
        missing=(f"{name}: successful completion of treatment",),
        person_id=m.person_id,
    )  # type: ignore[attr-defined]


def outcome_judgement(c: JudgementCriterion, ctx: Context, m: Member | None) -> Part:
    family = m is None or c.scope == "family"
    records = judgement_records(ctx, c.code, m.person_id if m else None, family)
    who = "" if m is None else f"{m.display_name}: "
    pid = m.person_id if m else None
    label = c.code.replace("_", " ")
    baseline_index = None
    if c.scale:
        scored = [j for j in records if j.value in c.scale]
        if scored:
            baseline_index = c.scale.index(scored[0].value)

    def qualifies(j: Judgement) -> bool:
        if c.values and j.value in c.values:
            return True
        if c.scale and c.improve_by and baseline_index is not None and j.value in c.scale:
            return c.scale.index(j.value) >= baseline_index + c.improve_by
        return False

    after = [
        j
        for j in records
        if j.recorded_on >= ctx.ref and (not c.scale or j is not records[0] or c.values)
    ]
    used = refs(records)
    need = (
        f"{label} recorded as {' or '.join(c.values)}"
        if c.values
        else f"{label} improved by {c.improve_by} from {c.scale[baseline_index] if baseline_index is not None else 'the first assessment'}"
    )
    if not after:
        return Part(
            PROGRESSING,
            f"{who}no keyworker judgement of {label} recorded since attachment",
            used,
            missing=(f"{who}keyworker's judgement: {need}",),
            person_id=pid,
        )
    latest = after[-1]
    if not qualifies(latest):
        return Part(
            NOT_MET,
            f"{who}keyworker recorded {label} as {latest.value} on {english(latest.recorded_on)}; needs {need}",
            used,
            missing=(f"{who}keyworker's judgement: {need}",),
            person_id=pid,
        )
    run_start = latest
    for j in reversed(after):
        if not qualifies(j):
            break
        run_start = j
    if c.sustain:
        done = (
            first_day_clear_of(run_start.recorded_on, c.sustain.months)
            if c.sustain.months
            else run_start.recorded_on + timedelta(days=7 * (c.sustain.weeks or 0))
        )
    else:
        done = run_start.recorded_on
    text = f"{who}keyworker recorded {label} as {latest.value} on {english(latest.recorded_on)}"
    if c.sustain:
        text += f" (since {english(run_start.recorded_on)}, held for {c.sustain.describe()}"
        text += f" on {english(done)})" if done > ctx.as_of else ")"
    if done <= ctx.as_of:
        return Part(
            MET,
            f"{text}; met since {english(done)}",
            used,
            met_since=done,
            earliest_met_on=done,
            person_id=pid,
        )
    return Part(
        PROGRESSING,
        f"{text}; met on {english(done)} if it holds",
        used,
        earliest_met_on=done,
        missing=(f"{who}{label} held to {english(done)}",),
        person_id=pid,
    )


# --------------------------------------------------------------------------------------------
# Dispatch

INDICATOR_RULES: dict[type[Criterion], Callable[..., list[Part]]] = {
    EventCount: indicator_event_count,
    SpellActive: indicator_spell_active,
    TermThreshold: indicator_term_threshold,
    JudgementCriterion: indicator_judgement,
}

# Person-level outcome rules take (criterion, ctx, member); family-level ones accept member None.
OUTCOME_RULES: dict[type[Criterion], Callable[..., Part | None]] = {
    TermThreshold: outcome_term_threshold,
    NoEvents: outcome_no_events,
    CountReduction: outcome_count_reduction,
    ChildPlanLevel: outcome_child_plan_level,
    ContinuousEmployment: outcome_continuous_employment,
    ActivityHeld: outcome_activity_held,
    TreatmentCompleted: outcome_treatment_completed,
    JudgementCriterion: outcome_judgement,
}

FAMILY_CAPABLE = (NoEvents, CountReduction, JudgementCriterion)


def not_attached_part() -> Part:
    return Part(
        NOT_MET,
        "Work with the family has not started (no attachment date), so no outcome can be measured yet",
        missing=("Attachment to the programme",),
    )
