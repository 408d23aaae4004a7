"""Work: continuous employment off out-of-work benefits, and work-related activity held for N weeks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction

from ..dates import ONE_DAY, english, overlaps
from ..model import (
    ActivityHeld,
    ContinuousEmployment,
    EarningsRule,
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


def benefits_held(ctx: Context, c: ContinuousEmployment, m: Member) -> list[Span]:
    """The member's out-of-work benefit spells the measure starts from: open on the attachment date
    ("claiming an out of work benefit at the start of the intervention", Worcestershire section
    4), or with ``benefit_held: baseline`` open at any time in the plan's baseline months."""
    lo, hi = (ctx.ref, ctx.ref) if c.benefit_held == "attachment" else ctx.baseline_span(None)
    return [
        s
        for s in ctx.matching_spans("benefit_spells", OUT_OF_WORK, (), m.person_id, family=False)
        if overlaps(s.start, s.end, lo, hi)
    ]


OUT_OF_WORK = (Filter("out_of_work", (True,)),)


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


def _earning_runs(
    ctx: Context,
    rule: EarningsRule,
    m: Member,
    jobs: list[Span],
    origin: date,
    last: int,
) -> list[tuple[int, int]]:
    """Days on which the member's own monthly earnings (all their jobs together; a job with no
    earnings recorded counts as none) reach the threshold in force that day: the couple
    threshold while another adult lives in the household, when the plan gives one."""
    points = {1, last + 1}
    spans = []
    for s in jobs:
        a = max((s.start - origin).days, 1)
        b = min((s.last_day - origin).days, last)
        if a <= b:
            spans.append((a, b, Fraction(str(s.record.monthly_earnings or 0))))  # type: ignore[attr-defined]
            points.update((a, b + 1))
    others = [o for o in ctx.sorted_members if o.person_id != m.person_id and o.role == "adult"]
    if rule.couple is not None:
        for o in others:
            for start, end in o.memberships:
                points.add((start - origin).days)
                if end is not None:
                    points.add((end - origin).days + 1)
    for threshold in (rule.single, rule.couple):
        if threshold is not None and threshold.parameter:
            for v in ctx.plan.parameter(threshold.parameter).values:
                points.add((v.effective_from - origin).days)
    cuts = sorted(p for p in points if 1 <= p <= last + 1)
    runs: list[tuple[int, int]] = []
    for p, q in zip(cuts, cuts[1:], strict=False):
        earned = sum((e for a, b, e in spans if a <= p <= b), Fraction(0))
        if not earned:
            continue
        day = origin + timedelta(days=p)
        couple = rule.couple is not None and any(o.is_member_on(day) for o in others)
        threshold = ctx.threshold(rule.couple if couple else rule.single, day)  # type: ignore[arg-type]
        if earned >= threshold:
            if runs and runs[-1][1] == p - 1:
                runs[-1] = (runs[-1][0], q - 1)
            else:
                runs.append((p, q - 1))
    return runs


def outcome_continuous_employment(c: ContinuousEmployment, ctx: Context, m: Member) -> Part | None:
    held = benefits_held(ctx, c, m)
    if not held:
        return None  # not on an out-of-work benefit at attachment: the measure does not apply
    name = m.display_name
    if c.judged is not None and not ctx.judged(m.person_id, c.judged):
        return Part(
            NOT_MET,
            f"on {held[-1].record.benefit} at attachment, but no record that the {c.judged.describe()}",  # type: ignore[attr-defined]
            refs(s.record for s in held),
            missing=(f"{name}: {c.judged.describe()}",),
            person_id=m.person_id,
            subject=name,
        )
    # Every benefit held at attachment brings its own requirement, and all must be met.
    wanted: dict[EmploymentRequirement, str] = {}
    for s in sorted(held, key=lambda s: (s.start, s.record.id)):
        benefit = s.record.benefit  # type: ignore[attr-defined]
        wanted.setdefault(requirement_for(c, benefit), benefit)
    parts = [_employment_part(c, ctx, m, req, benefit, held) for req, benefit in wanted.items()]
    if len(parts) == 1:
        return parts[0]
    if all(p.status == MET for p in parts):
        since = max(p.met_since for p in parts)  # type: ignore[type-var]
        return replace(
            parts[0],
            facts="; ".join(p.facts for p in parts),
            met_since=since,
            earliest_met_on=since,
        )
    worst = next((p for p in parts if p.status == NOT_MET), None) or next(
        p for p in parts if p.status != MET
    )
    dates = [p.earliest_met_on for p in parts]
    earliest = None if any(d is None for d in dates) else max(dates)  # type: ignore[type-var]
    return replace(
        worst,
        facts="; ".join(p.facts for p in parts),
        earliest_met_on=earliest,
        missing=tuple(dict.fromkeys(x for p in parts for x in p.missing)),
    )


def _employment_part(
    c: ContinuousEmployment,
    ctx: Context,
    m: Member,
    req: EmploymentRequirement,
    benefit: str,
    held: list[Span],
) -> Part:
    span_weeks = req.of_last_weeks or req.weeks
    horizon = 7 * span_weeks + 7
    origin = ctx.ref
    now_i = (ctx.as_of - origin).days
    last = now_i + horizon  # the furthest day looked at when projecting forward
    all_jobs = ctx.matching_spans("employment_spells", (), (), m.person_id, family=False)
    # "Moves off benefits ... into work": the move comes after attachment, so work that had
    # already begun by the attachment date does not count (work_starts: any lets it).
    jobs = (
        [s for s in all_jobs if s.record.start_date > ctx.ref]  # type: ignore[attr-defined]
        if c.work_starts == "after_attachment"
        else all_jobs
    )
    earnings = c.earnings if c.earnings and benefit in c.earnings.benefits else None
    benefits = ctx.matching_spans("benefit_spells", OUT_OF_WORK, (), m.person_id, family=False)
    if earnings is not None:
        # Universal Credit goes on while a person works: the earnings threshold, not leaving
        # the benefit, shows the move into work. Other out-of-work benefits still stop the count.
        benefits = [s for s in benefits if s.record.benefit not in earnings.benefits]  # type: ignore[attr-defined]
        work_days = _earning_runs(ctx, earnings, m, jobs, origin, last)
    else:
        work_days = _day_runs(jobs, origin, last)
    work = _without(work_days, _day_runs(benefits, origin, last))
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
    used = refs(
        [*(s.record for s in held), *(s.record for s in all_jobs), *(s.record for s in benefits)]
    )
    earning = ", earning at least the threshold each month," if earnings is not None else ""
    lead = (
        f"on {benefit} at attachment; needs {need} in work that started after attachment"
        f"{earning} and off out-of-work benefits"
    )
    got = (
        f"{plural(have, 'week')} of the last {span_weeks}"
        if req.of_last_weeks
        else f"{plural(have, 'consecutive week')}"
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
            f"{lead}: {got}",
            used,
            met_since=since,
            earliest_met_on=since,
            person_id=m.person_id,
            subject=name,
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
            f"{lead}: {got} so far",
            used,
            earliest_met_on=earliest,
            missing=(f"{name}: {need} in continuous employment (to {english(earliest)})",),
            person_id=m.person_id,
            subject=name,
        )
    return Part(
        NOT_MET,
        f"{lead}: {got} so far, and not in such work on {english(ctx.as_of)}",
        used,
        missing=(f"{name}: {need} in continuous employment",),
        person_id=m.person_id,
        subject=name,
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
                f"{kinds} from {english(start)} for {c.weeks} weeks",
                used,
                met_since=done_on,
                earliest_met_on=done_on,
                person_id=m.person_id,
                subject=name,
            )
    current = [r for r in runs if r[1] >= FAR_FUTURE]
    if current:
        start = current[-1][0]
        weeks_so_far = ((ctx.as_of - start).days + 1) // 7
        done_on = start + timedelta(days=days_needed - 1)
        return Part(
            PROGRESSING,
            f"{kinds} since {english(start)}, {plural(weeks_so_far, 'week')} so far; {c.weeks} weeks needed",
            used,
            earliest_met_on=done_on,
            missing=(f"{name}: {c.weeks} weeks of {kinds} (to {english(done_on)})",),
            person_id=m.person_id,
            subject=name,
        )
    if runs:
        longest = max(((min(e, ctx.as_of) - s).days + 1) // 7 for s, e, _ in runs)
        return Part(
            NOT_MET,
            f"{kinds} after attachment lasted at most {plural(longest, 'week')}, and none is current; {c.weeks} weeks needed",
            used,
            missing=(f"{name}: {c.weeks} weeks of {kinds}",),
            person_id=m.person_id,
            subject=name,
        )
    return Part(
        NOT_MET,
        f"no {kinds} recorded since attachment; {c.weeks} weeks needed",
        used,
        missing=(f"{name}: {c.weeks} weeks of {kinds}",),
        person_id=m.person_id,
        subject=name,
    )
