"""Spells open at attachment (benefits, plans, flags, treatment, NEET status): the spell_active
indicator, optionally with the same member's keyworker judgement ("and is assessed as able to
work by DWP", Worcestershire section 4)."""

from __future__ import annotations

from datetime import date

from ..dates import english, overlaps
from ..evidence import ChildPlan, Evidence
from ..model import EVIDENCE_NOUNS, SpellActive
from ..results import MET, NOT_MET, Part
from .context import Context, Span
from .helpers import refs


def indicator_spell_active(c: SpellActive, ctx: Context) -> list[Part]:
    # Without a window, "subject to a plan" / "on benefits" means open on the attachment date.
    lo, hi = ctx.baseline_span(c.window) if c.window else (ctx.ref, ctx.ref)
    spans = [
        s
        for s in ctx.matching_spans(c.evidence, c.where, c.unless, None, family=True)
        if overlaps(s.start, s.end, lo, hi)
    ]
    judged_note = f"; {c.judged.describe()}" if c.judged else ""
    unjudged: list[Span] = []
    if c.judged is not None:
        # No judgement recorded yet (as opposed to one saying otherwise): indicated, not shown.
        unjudged = [
            s for s in spans if ctx.latest_judgement(s.record.person_id, c.judged.code) is None
        ]
        spans = [s for s in spans if ctx.judged(s.record.person_id, c.judged)]
    awaiting = f"; {c.judged.code.replace('_', ' ')} not recorded yet" if c.judged else ""
    if c.scope == "family":
        status = MET if spans else NOT_MET
        people = tuple(sorted({s.record.person_id for s in spans if s.record.person_id}))
        if not spans and unjudged:
            return [
                Part(
                    NOT_MET,
                    _spell_summary(c, unjudged, lo, hi) + awaiting,
                    refs(s.record for s in unjudged),
                    members=tuple(
                        sorted({s.record.person_id for s in unjudged if s.record.person_id})
                    ),
                    indicated=True,
                )
            ]
        return [
            Part(
                status,
                _spell_summary(c, spans, lo, hi) + (judged_note if spans else ""),
                refs(s.record for s in spans),
                members=people,
            )
        ]
    parts = []
    for m in ctx.baseline_members(c.applies_to, (lo, hi)):
        mine = [s for s in spans if s.record.person_id == m.person_id]
        waiting = [s for s in unjudged if s.record.person_id == m.person_id]
        if mine:
            parts.append(
                Part(
                    MET,
                    _spell_summary(c, mine, lo, hi) + judged_note,
                    refs(s.record for s in mine),
                    person_id=m.person_id,
                    subject=m.display_name,
                )
            )
        elif waiting:
            parts.append(
                Part(
                    NOT_MET,
                    _spell_summary(c, waiting, lo, hi) + awaiting,
                    refs(s.record for s in waiting),
                    person_id=m.person_id,
                    subject=m.display_name,
                    indicated=True,
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
