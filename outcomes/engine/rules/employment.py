"""Work: continuous employment off out-of-work benefits, and work-related activity held for N weeks."""

from __future__ import annotations

from datetime import date, timedelta

from ..dates import ONE_DAY, english, overlaps
from ..model import (
    ActivityHeld,
    ContinuousEmployment,
    EmploymentRequirement,
    Filter,
)
from ..results import MET, NOT_MET, PROGRESSING, Part
from ..snapshot import Member
from .context import FAR_FUTURE, Context, Span
from .helpers import (
    plural,
    refs,
)


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
