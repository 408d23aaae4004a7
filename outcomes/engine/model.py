"""The outcomes plan model: frozen dataclasses for plans, problems, criteria (rule kinds) and groups.

A plan says, for each family problem, which indicators identify a family (on the baseline before
attachment) and which outcome criteria count as significant and sustained progress. Plans are
built from YAML by ``loader.load_plan``; the format is documented in docs/outcomes-plans.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any, ClassVar

PROBLEM_CODE_EXAMPLES = (
    "crime_asb",
    "school_attendance",
    "children_need_help",
    "worklessness",
    "domestic_abuse",
    "health",
)


class PlanError(ValueError):
    """A plan file is invalid. ``errors`` lists every problem as "path: message"."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__(
            "; ".join(self.errors)
            if len(errors) < 2
            else "\n".join(["invalid plan:", *self.errors])
        )


# --------------------------------------------------------------------------------------------
# Building blocks


@dataclass(frozen=True)
class Window:
    """A period: calendar ``months``, school ``terms`` or ``weeks`` (exactly one is set)."""

    months: int | None = None
    terms: int | None = None
    weeks: int | None = None

    def describe(self) -> str:
        if self.months is not None:
            return f"{self.months} month{'s' if self.months != 1 else ''}"
        if self.terms is not None:
            return f"{self.terms} consecutive term{'s' if self.terms != 1 else ''}"
        return f"{self.weeks} week{'s' if self.weeks != 1 else ''}"


@dataclass(frozen=True)
class Applicability:
    """Which members a rule applies to: role, age band on the date that matters, and member flags."""

    role: str | None = None
    min_age: int | None = None
    max_age: int | None = None
    flags: tuple[str, ...] = ()

    @property
    def is_everyone(self) -> bool:
        # the same test as ``self == Applicability()``, without building one each time
        return (self.role, self.min_age, self.max_age, self.flags) == (None, None, None, ())

    def describe(self) -> str:
        parts = []
        if self.role:
            parts.append({"adult": "adults", "child": "children"}[self.role])
        if self.min_age is not None and self.max_age is not None:
            parts.append(f"aged {self.min_age} to {self.max_age}")
        elif self.min_age is not None:
            parts.append(f"aged {self.min_age} or over")
        elif self.max_age is not None:
            parts.append(f"aged under {self.max_age + 1}")
        if self.flags:
            parts.append("with " + " or ".join(f.replace("_", " ") for f in self.flags))
        return " ".join(parts) if parts else "everyone"


@dataclass(frozen=True)
class Threshold:
    """A fixed number, or the name of a plan parameter whose value depends on the date."""

    value: Decimal | None = None
    parameter: str | None = None

    def describe(self) -> str:
        if self.parameter:
            return f"the {self.parameter.replace('_', ' ')}"
        return str(_num(self.value))


@dataclass(frozen=True)
class ParameterValue:
    effective_from: date
    value: Decimal


@dataclass(frozen=True)
class Parameter:
    name: str
    values: tuple[ParameterValue, ...]  # sorted by date
    description: str = ""

    def value_on(self, on: date) -> Decimal:
        """The value in force on a date; before the first ``from`` date the first value applies."""
        current = self.values[0].value
        for v in self.values:
            if v.effective_from <= on:
                current = v.value
        return current


def normalised(value: Any) -> Any:
    """Text compared the way people type it: case and runs of spaces ignored (free-text fields
    such as an ASB sanction arrive as "Acceptable behaviour contract" or "acceptable  Behaviour
    contract"). Other values are compared as they are."""
    if isinstance(value, str):
        return " ".join(value.split()).casefold()
    return value


@dataclass(frozen=True)
class ScaleLevel:
    level: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Scale:
    """An ordered scale of levels, least severe first, each naming the free-text values that mean
    it (e.g. ASB sanctions: warning letter < acceptable behaviour contract < injunction < order).

    Text matches without regard to case or spacing. Text that is on no level is *unknown*: rules
    that read a scale say how they treat it, always in the way that cannot make a claim valid."""

    name: str
    levels: tuple[ScaleLevel, ...]
    description: str = ""

    def level_names(self) -> tuple[str, ...]:
        return tuple(lv.level for lv in self.levels)

    def index_of_level(self, level: str) -> int:
        return self.level_names().index(level)

    def level_of(self, value: Any) -> int | None:
        """The index of the value's level (0 = least severe), or None when the text is unknown."""
        return self._lookup.get(normalised("" if value is None else value))

    @cached_property
    def _lookup(self) -> dict[Any, int]:
        out: dict[Any, int] = {}
        for i, lv in enumerate(self.levels):
            for v in lv.values:
                out.setdefault(normalised(v), i)
        return out


@dataclass(frozen=True)
class Filter:
    """Records whose ``field`` is one of ``values`` (text compared without regard to case or
    spacing). With ``scale`` = (scale name, level), the values are every value the plan's scale
    puts at that level or above (filled in by the loader)."""

    field: str
    values: tuple[Any, ...]
    scale: tuple[str, str] | None = None

    def matches(self, record: Any) -> bool:
        value = getattr(record, self.field)
        if isinstance(value, str):
            value = normalised(value)
        return value in self._wanted

    @cached_property
    def _wanted(self) -> frozenset:
        return frozenset(normalised(v) for v in self.values)


@dataclass(frozen=True)
class Judged:
    """The same member's latest keyworker judgement ``code`` (recorded on or before the evaluation
    date) must be one of ``values``: e.g. "assessed as able to work by DWP"."""

    code: str
    values: tuple[str, ...]

    def describe(self) -> str:
        return f"keyworker recorded {self.code.replace('_', ' ')} as {' or '.join(self.values)}"


# --------------------------------------------------------------------------------------------
# Criteria (rule kinds). Shared fields first; each kind adds its own.

SCOPES = ("person", "family")
SUBJECTS = ("identified", "all")
QUANTIFIERS = ("each", "any")
# The date a member's age is judged on: the event's date, the attachment date, or either (the
# member counts if the band fits on either date).
AGE_AT = ("event", "attachment", "either")
# "At case closure or step down to less intensive support" (Worcestershire, sections 4 and 6):
# the outcome is read on the family's closure or step-down date.
SUSTAINED_AT = ("closure_or_step_down", "closure", "step_down")
SUSTAINED_AT_WORDS = {
    "closure_or_step_down": "case closure or step down to less intensive support",
    "closure": "case closure",
    "step_down": "step down to less intensive support",
}


@dataclass(frozen=True, kw_only=True)
class Criterion:
    kind: ClassVar[str] = ""
    indicator_ok: ClassVar[bool] = False  # can identify a family (baseline)
    outcome_ok: ClassVar[bool] = False  # can measure an outcome

    id: str
    label: str = ""
    scope: str = "person"
    applies_to: Applicability = Applicability()
    subjects: str = "identified"
    quantifier: str = "each"
    when_identified_by: tuple[str, ...] = ()
    age_at: str | None = None  # None: the kind's default (see docs/outcomes-plans.md)
    sustained_at: str | None = None  # outcomes: read at closure / step-down (SUSTAINED_AT)

    def period(self) -> str:
        return ""

    def periods(self) -> tuple[Window, ...]:
        """The sustain periods this criterion names (for the plan's shortest sustain period)."""
        return ()

    def describe(self) -> str:
        return self.label or self.kind.replace("_", " ")

    def who(self) -> str:
        if self.scope == "family":
            return (
                "across the family"
                if self.applies_to.is_everyone
                else f"across the family ({self.applies_to.describe()})"
            )
        if self.applies_to.is_everyone:
            return "for each person" if self.quantifier == "each" else "for anyone in the family"
        return f"for {'each' if self.quantifier == 'each' else 'any'} of the {self.applies_to.describe()}"


def _filters_text(filters: tuple[Filter, ...]) -> str:
    bits = []
    for f in filters:
        if len(f.values) == 1 and isinstance(f.values[0], bool):
            bits.append(f"{'' if f.values[0] else 'not '}{f.field.replace('_', ' ')}")
        else:
            bits.append(f"{f.field.replace('_', ' ')} {' or '.join(str(v) for v in f.values)}")
    return ", ".join(bits)


EVIDENCE_NOUNS = {
    "offences": "offences",
    "asb_incidents": "anti-social behaviour incidents",
    "domestic_abuse_callouts": "domestic abuse call-outs",
    "exclusions": "exclusions",
    "benefit_spells": "benefit spells",
    "employment_spells": "employment",
    "work_activity": "work-related activity",
    "neet_status": "NEET status",
    "child_plans": "child plans",
    "treatment": "treatment",
    "member_flags": "flags",
}


@dataclass(frozen=True, kw_only=True)
class EventCount(Criterion):
    """Indicator: at least ``at_least`` matching events in the baseline window."""

    kind: ClassVar[str] = "event_count"
    indicator_ok: ClassVar[bool] = True
    evidence: str
    where: tuple[Filter, ...] = ()
    unless: tuple[Filter, ...] = ()
    at_least: int = 1
    window: Window | None = None  # None: the plan's baseline (months)

    def describe(self) -> str:
        if self.label:
            return self.label
        noun = EVIDENCE_NOUNS[self.evidence]
        extra = f" ({_filters_text(self.where)})" if self.where else ""
        return f"At least {self.at_least} {noun}{extra} {self.who()}"


@dataclass(frozen=True, kw_only=True)
class SpellActive(Criterion):
    """Indicator: a matching spell (benefit, plan, flag, treatment ...) open in the baseline window."""

    kind: ClassVar[str] = "spell_active"
    indicator_ok: ClassVar[bool] = True
    evidence: str
    where: tuple[Filter, ...] = ()
    unless: tuple[Filter, ...] = ()
    window: Window | None = None  # None: open on the attachment date
    judged: Judged | None = None  # the same member's judgement must also say so

    def describe(self) -> str:
        if self.label:
            return self.label
        extra = f" ({_filters_text(self.where)})" if self.where else ""
        when = (
            f"in the {self.window.describe()} before attachment" if self.window else "at attachment"
        )
        return f"{EVIDENCE_NOUNS[self.evidence].capitalize()}{extra} {when} {self.who()}"


MEASURES = ("attendance", "absence", "fixed_term_exclusions", "permanent_exclusions")
COMPARISONS = ("above", "below", "at_least", "at_most")
COMPARISON_WORDS = {
    "above": "above",
    "below": "below",
    "at_least": "at least",
    "at_most": "at most",
}


@dataclass(frozen=True, kw_only=True)
class TermThreshold(Criterion):
    """A school measure against a threshold in each of N consecutive terms, or over them overall."""

    kind: ClassVar[str] = "term_threshold"
    indicator_ok: ClassVar[bool] = True
    outcome_ok: ClassVar[bool] = True
    measure: str
    comparison: str
    threshold: Threshold
    terms: int = 3
    over: str = "each"  # each term, or overall across the terms
    # Outcomes: whether the term in progress on the attachment date counts as the first measured
    # term. By default it does not (most of it can fall before the work started).
    count_term_in_progress: bool = False

    def period(self) -> str:
        return f"{self.terms} consecutive terms"

    def periods(self) -> tuple[Window, ...]:
        return (Window(terms=self.terms),)

    def describe(self) -> str:
        if self.label:
            return self.label
        return f"{_measure_phrase(self.measure, self.comparison, self.threshold.describe())} {'in each of' if self.over == 'each' else 'over'} {self.terms} consecutive terms"


def _measure_phrase(measure: str, comparison: str, threshold: str) -> str:
    word = COMPARISON_WORDS[comparison]
    if measure in ("attendance", "absence"):
        unit = "" if threshold.startswith("the ") else "%"
        return f"{measure.capitalize()} {word} {threshold}{unit}"
    noun = "fixed-term exclusions" if measure == "fixed_term_exclusions" else "permanent exclusions"
    if comparison == "below":
        return f"Fewer than {threshold} {noun}"
    return f"{noun.capitalize()} {word} {threshold}"


@dataclass(frozen=True, kw_only=True)
class JudgementCriterion(Criterion):
    """A keyworker's recorded professional judgement: a value in ``values``, or an improvement on ``scale``."""

    kind: ClassVar[str] = "judgement"
    indicator_ok: ClassVar[bool] = True
    outcome_ok: ClassVar[bool] = True
    code: str
    values: tuple[str, ...] = ()
    scale: tuple[str, ...] = ()  # worst first
    improve_by: int = 0
    sustain: Window | None = None
    # The judgement speaks for "the last N months": it counts only once N months of the work have
    # passed, and only while it is no older than N months.
    covers: Window | None = None
    # Claim conditions: the judgement counts only if recorded on or after the day every problem the
    # claim rests on was met ("judges that progress has been made").
    after_outcomes_met: bool = False
    scope: str = "family"

    def period(self) -> str:
        if self.sustain:
            return self.sustain.describe()
        if self.covers:
            return f"the last {self.covers.describe()}"
        return SUSTAINED_AT_WORDS.get(self.sustained_at or "", "")

    def periods(self) -> tuple[Window, ...]:
        return tuple(w for w in (self.sustain, self.covers) if w is not None)

    def describe(self) -> str:
        if self.label:
            return self.label
        if self.scale and self.improve_by:
            return f"Keyworker judgement '{self.code}' improved by {self.improve_by} step{'s' if self.improve_by > 1 else ''} on {' / '.join(self.scale)}"
        return f"Keyworker judgement '{self.code}' recorded as {' or '.join(self.values)}"


@dataclass(frozen=True, kw_only=True)
class CountReduction(Criterion):
    """Outcome: matching events in the last ``window`` fell by ``reduction``% against the baseline rate."""

    kind: ClassVar[str] = "count_reduction"
    outcome_ok: ClassVar[bool] = True
    evidence: str
    reduction: Decimal  # percent, inclusive ("at least a 33% reduction")
    window: Window
    baseline: Window | None = None  # None: the plan's baseline (months)
    where: tuple[Filter, ...] = ()
    unless: tuple[Filter, ...] = ()
    baseline_where: tuple[Filter, ...] = ()  # only the baseline count must also match these

    def period(self) -> str:
        return self.window.describe()

    def periods(self) -> tuple[Window, ...]:
        return (self.window,)

    def describe(self) -> str:
        if self.label:
            return self.label
        return f"{_num(self.reduction)}% reduction in {EVIDENCE_NOUNS[self.evidence]} {self.who()}"


@dataclass(frozen=True, kw_only=True)
class NoEscalation(Criterion):
    """Outcome: no matching event in the last ``window`` at a level of ``scale`` (read from the
    record's ``field``) above the highest level in the baseline: "no escalation in sanctions"."""

    kind: ClassVar[str] = "no_escalation"
    outcome_ok: ClassVar[bool] = True
    evidence: str
    field: str
    scale: str  # the name of a scale under the plan's scales
    window: Window
    baseline: Window | None = None  # None: the plan's baseline (months)
    where: tuple[Filter, ...] = ()
    unless: tuple[Filter, ...] = ()

    def period(self) -> str:
        return self.window.describe()

    def periods(self) -> tuple[Window, ...]:
        return (self.window,)

    def describe(self) -> str:
        if self.label:
            return self.label
        return f"No escalation in {self.field.replace('_', ' ')} of {EVIDENCE_NOUNS[self.evidence]} {self.who()}"


@dataclass(frozen=True, kw_only=True)
class NoEvents(Criterion):
    """Outcome: no matching events in the last ``window`` (after attachment)."""

    kind: ClassVar[str] = "no_events"
    outcome_ok: ClassVar[bool] = True
    evidence: str
    window: Window
    where: tuple[Filter, ...] = ()
    unless: tuple[Filter, ...] = ()

    def period(self) -> str:
        return self.window.describe()

    def periods(self) -> tuple[Window, ...]:
        return (self.window,)

    def describe(self) -> str:
        if self.label:
            return self.label
        extra = f" ({_filters_text(self.where)})" if self.where else ""
        unless = f", except {_filters_text(self.unless)}" if self.unless else ""
        return f"No further {EVIDENCE_NOUNS[self.evidence]}{extra}{unless} {self.who()}"


PLAN_LEVELS = ("CIN", "CP", "LAC")


@dataclass(frozen=True, kw_only=True)
class ChildPlanLevel(Criterion):
    """Outcome: a child's plan not escalated (CIN -> CP -> LAC), or stepped down, and held for ``window``."""

    kind: ClassVar[str] = "child_plan_level"
    outcome_ok: ClassVar[bool] = True
    mode: str  # not_escalated / stepped_down
    window: Window
    # stepped_down: the levels the child must be stepped down to (e.g. [CIN] for "stepped down to
    # a Child in Need Plan"); empty: any level below the one at attachment, or no plan.
    step_down_to: tuple[str, ...] = ()

    def period(self) -> str:
        return self.window.describe()

    def periods(self) -> tuple[Window, ...]:
        return (self.window,)

    def describe(self) -> str:
        if self.label:
            return self.label
        if self.mode == "not_escalated":
            return "Child's plan not escalated (CIN to CP, or to Looked After)"
        return "Child stepped down from their plan (CP to CIN or below)"


@dataclass(frozen=True)
class EmploymentRequirement:
    """Weeks of work needed for an adult whose baseline out-of-work benefit is one of ``benefits``.

    ``benefits`` of ("other",) matches any benefit not named by an earlier requirement.
    ``of_last_weeks`` None means the weeks must be consecutive (the most recent ones).
    """

    benefits: tuple[str, ...]
    weeks: int
    of_last_weeks: int | None = None

    def describe(self) -> str:
        who = "others" if self.benefits == ("other",) else "/".join(self.benefits)
        if self.of_last_weeks:
            return f"{who} {self.weeks} of the last {self.of_last_weeks} weeks"
        return f"{who} {self.weeks} consecutive weeks"


@dataclass(frozen=True)
class EarningsRule:
    """For claimants of ``benefits`` (e.g. Universal Credit, which goes on while a person works), a
    week counts only if the person's own monthly earnings reach the threshold on every day of it.
    ``couple`` (optional) is the threshold used while another adult lives in the household."""

    benefits: tuple[str, ...]
    single: Threshold
    couple: Threshold | None = None


BENEFIT_HELD = ("attachment", "baseline")
WORK_STARTS = ("after_attachment", "any")


@dataclass(frozen=True, kw_only=True)
class ContinuousEmployment(Criterion):
    """Outcome: an adult on an out-of-work benefit at attachment moved off it into continuous work
    that started after attachment."""

    kind: ClassVar[str] = "continuous_employment"
    outcome_ok: ClassVar[bool] = True
    requirements: tuple[EmploymentRequirement, ...]
    quantifier: str = "any"
    applies_to: Applicability = Applicability(role="adult")
    benefit_held: str = "attachment"  # or "baseline": open at any time in the baseline months
    work_starts: str = "after_attachment"  # or "any": work that began before attachment counts
    earnings: EarningsRule | None = None
    judged: Judged | None = None  # e.g. "assessed as able to work by DWP"

    def period(self) -> str:
        return "; ".join(r.describe() for r in self.requirements)

    def periods(self) -> tuple[Window, ...]:
        return tuple(Window(weeks=r.weeks) for r in self.requirements)

    def describe(self) -> str:
        return self.label or "Adult moved off out-of-work benefits and into continuous employment"


ACTIVITY_SOURCES = ("work_activity", "eet", "employment")


@dataclass(frozen=True, kw_only=True)
class ActivityHeld(Criterion):
    """Outcome: work-related activity, education/training or work held for ``weeks`` weeks after attachment."""

    kind: ClassVar[str] = "activity_held"
    outcome_ok: ClassVar[bool] = True
    weeks: int
    sources: tuple[str, ...] = ("work_activity",)
    activities: tuple[str, ...] = ()  # work_activity types that count; empty: all

    def period(self) -> str:
        return f"{self.weeks} weeks"

    def periods(self) -> tuple[Window, ...]:
        return (Window(weeks=self.weeks),)

    def describe(self) -> str:
        return (
            self.label
            or f"Engaged in {' or '.join(s.replace('_', ' ') for s in self.sources)} for {self.weeks} weeks"
        )


@dataclass(frozen=True, kw_only=True)
class TreatmentCompleted(Criterion):
    """Outcome: treatment completed after attachment and, with ``sustain``, no new episode since."""

    kind: ClassVar[str] = "treatment_completed"
    outcome_ok: ClassVar[bool] = True
    substances: tuple[str, ...] = ()
    sustain: Window | None = None

    def period(self) -> str:
        if self.sustain:
            return self.sustain.describe()
        return SUSTAINED_AT_WORDS.get(self.sustained_at or "", "")

    def periods(self) -> tuple[Window, ...]:
        return (self.sustain,) if self.sustain else ()

    def describe(self) -> str:
        return self.label or "Successful completion of treatment"


CRITERION_KINDS: dict[str, type[Criterion]] = {
    c.kind: c
    for c in (
        EventCount,
        SpellActive,
        TermThreshold,
        JudgementCriterion,
        CountReduction,
        NoEvents,
        NoEscalation,
        ChildPlanLevel,
        ContinuousEmployment,
        ActivityHeld,
        TreatmentCompleted,
    )
}


@dataclass(frozen=True)
class Group:
    """Criteria combined with ``all`` or ``any``; items are criteria or nested groups."""

    combine: str
    criteria: tuple[Criterion | Group, ...]

    def leaves(self) -> tuple[Criterion, ...]:
        return self._leaves

    @cached_property
    def _leaves(self) -> tuple[Criterion, ...]:
        # Worked out once per plan (groups are frozen), not for every family evaluated.
        out: list[Criterion] = []
        for item in self.criteria:
            out.extend(item.leaves() if isinstance(item, Group) else (item,))
        return tuple(out)

    @cached_property
    def alternative_sets(
        self,
    ) -> tuple[tuple[str, tuple[str, ...], tuple[Criterion | Group, ...]], ...]:
        """For each leaf in an "any of" group (the nearest one): (leaf id, the ids of the other
        alternatives' leaves, the other alternatives). Worked out once per plan."""
        found: dict[str, tuple[str, tuple[str, ...], tuple[Criterion | Group, ...]]] = {}

        def ids(item: Criterion | Group) -> tuple[str, ...]:
            return tuple(c.id for c in item.leaves()) if isinstance(item, Group) else (item.id,)

        def walk(g: Group) -> None:
            for item in g.criteria:
                if isinstance(item, Group):
                    walk(item)
            if g.combine != "any" or len(g.criteria) < 2:
                return
            for item in g.criteria:
                others = tuple(o for o in g.criteria if o is not item)
                other_ids = tuple(i for o in others for i in ids(o))
                for leaf in ids(item):
                    found.setdefault(leaf, (leaf, other_ids, others))

        walk(self)
        return tuple(found.values())


@dataclass(frozen=True)
class Problem:
    code: str
    title: str
    indicators: Group
    outcome: Group
    description: str = ""


@dataclass(frozen=True)
class Baseline:
    """The window before attachment that indicators look at (and reductions compare against)."""

    months: int = 12
    terms: int = 3


@dataclass(frozen=True)
class LocalCriteria:
    """A local criterion (e.g. high cost to services) that lets a family in with fewer problems."""

    min_problems: int
    indicators: Group
    title: str = "Local criterion"


@dataclass(frozen=True)
class FamilyDefinition:
    """Who counts as a programme family: at least one member under ``child_under`` on the
    attachment date (the role decides when a date of birth is unknown), or, with ``or_judgement``,
    a keyworker's judgement such as an expectant parent."""

    child_under: int = 18
    or_judgement: Judged | None = None


@dataclass(frozen=True)
class Plan:
    slug: str
    version: str
    title: str
    council: str
    min_problems: int
    problems: tuple[Problem, ...]
    example: bool = False
    source: str = ""
    baseline: Baseline = Baseline()
    parameters: tuple[Parameter, ...] = ()
    continuous_employment: ContinuousEmployment | None = None
    local_criteria: LocalCriteria | None = None
    results_require: tuple[
        str, ...
    ] = ()  # problem codes a results claim needs; empty: every problem
    claim_conditions: tuple[Criterion, ...] = ()
    scales: tuple[Scale, ...] = ()
    family_definition: FamilyDefinition | None = None
    # The shortest sustain period: no claim before attachment plus this. None: the shortest
    # period any outcome criterion names (see ``sustain_periods``).
    minimum_sustain: Window | None = None

    def scale(self, name: str) -> Scale:
        for s in self.scales:
            if s.name == name:
                return s
        raise KeyError(name)

    def outcome_criteria(self) -> tuple[Criterion, ...]:
        """Every criterion that measures an outcome or conditions a claim."""
        return self._outcome_criteria

    @cached_property
    def _outcome_criteria(self) -> tuple[Criterion, ...]:
        out: list[Criterion] = [leaf for p in self.problems for leaf in p.outcome.leaves()]
        out.extend(self.claim_conditions)
        if self.continuous_employment is not None:
            out.append(self.continuous_employment)
        return tuple(out)

    def sustain_periods(self) -> tuple[Window, ...]:
        """The sustain periods the plan names: ``minimum_sustain`` if given, else every period its
        outcome criteria name (months, weeks or school terms), distinct, in a fixed order."""
        return self._sustain_periods

    @cached_property
    def _sustain_periods(self) -> tuple[Window, ...]:
        if self.minimum_sustain is not None:
            return (self.minimum_sustain,)
        found = {w for c in self.outcome_criteria() for w in c.periods()}
        return tuple(sorted(found, key=lambda w: (w.months or 0, w.weeks or 0, w.terms or 0)))

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise KeyError(name)

    def problem(self, code: str) -> Problem:
        for p in self.problems:
            if p.code == code:
                return p
        raise KeyError(code)

    def to_dict(self) -> dict[str, Any]:
        from .loader import plan_to_dict  # the loader writes what it reads

        return plan_to_dict(self)


def plan_judgements(plan: Plan) -> dict[str, tuple[str, ...]]:
    """Every keyworker judgement the plan reads, with the values it recognises (for recording forms)."""
    groups: list[Group] = []
    for problem in plan.problems:
        groups.extend((problem.indicators, problem.outcome))
    if plan.local_criteria is not None:
        groups.append(plan.local_criteria.indicators)
    leaves: list[Criterion] = [leaf for group in groups for leaf in group.leaves()]
    leaves.extend(plan.claim_conditions)
    if plan.continuous_employment is not None:
        leaves.append(plan.continuous_employment)
    found: dict[str, list[str]] = {}

    def add(code: str, values: tuple[str, ...]) -> None:
        known = found.setdefault(code, [])
        for value in values:
            if value not in known:
                known.append(value)

    for leaf in leaves:
        if isinstance(leaf, JudgementCriterion):
            add(leaf.code, (*leaf.values, *leaf.scale))
        judged = getattr(leaf, "judged", None)
        if judged is not None:
            add(judged.code, judged.values)
    if plan.family_definition is not None and plan.family_definition.or_judgement is not None:
        add(plan.family_definition.or_judgement.code, plan.family_definition.or_judgement.values)
    return {code: tuple(values) for code, values in sorted(found.items())}


def _num(value: Decimal | None) -> Any:
    """A Decimal as the plain number a plan file would hold (3, not Decimal("3"))."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
