"""Loading plans from YAML (or a dict) with path-named errors, and writing them back as plain data."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .evidence import EVENT_KINDS, SPELL_KINDS, evidence_fields
from .model import (
    ACTIVITY_SOURCES,
    AGE_AT,
    BENEFIT_HELD,
    COMPARISONS,
    CRITERION_KINDS,
    MEASURES,
    PLAN_LEVELS,
    QUANTIFIERS,
    SCOPES,
    SUBJECTS,
    SUSTAINED_AT,
    WORK_STARTS,
    ActivityHeld,
    Applicability,
    Baseline,
    ChildPlanLevel,
    ContinuousEmployment,
    CountReduction,
    Criterion,
    EarningsRule,
    EmploymentRequirement,
    FamilyDefinition,
    Filter,
    Group,
    Judged,
    JudgementCriterion,
    LocalCriteria,
    NoEscalation,
    NoEvents,
    Parameter,
    ParameterValue,
    Plan,
    PlanError,
    Problem,
    Scale,
    ScaleLevel,
    SpellActive,
    TermThreshold,
    Threshold,
    TreatmentCompleted,
    Window,
    _num,
    normalised,
)

PLANS_DIR = Path(__file__).resolve().parent.parent / "plans"


# --------------------------------------------------------------------------------------------
# Loading and validation


def _quote(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, date):
        return value.isoformat()
    try:
        return json.dumps(value, default=str)
    except (TypeError, ValueError):
        return repr(value)


class _Invalid(Exception):
    pass


class _Loader:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.parameter_names: set[str] = set()
        self.parameter_refs: list[tuple[str, str]] = []
        self.scales: dict[str, Scale] = {}
        self.scale_refs: list[tuple[str, str]] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    # -- scalars ------------------------------------------------------------------------------
    def mapping(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.error(path, f"expected a mapping, got {_quote(value)}")
            raise _Invalid
        return value

    def seq(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list | tuple):
            self.error(path, f"expected a list, got {_quote(value)}")
            raise _Invalid
        return list(value)

    def text(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.error(path, f"expected text, got {_quote(value)}")
            raise _Invalid
        return value.strip()

    def integer(self, value: Any, path: str, minimum: int = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path, f"expected a whole number, got {_quote(value)}")
            raise _Invalid
        if value < minimum:
            self.error(path, f"expected a whole number of at least {minimum}, got {value}")
            raise _Invalid
        return value

    def number(self, value: Any, path: str) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            self.error(path, f"expected a number, got {_quote(value)}")
            raise _Invalid
        try:
            return Decimal(str(value))
        except InvalidOperation:
            self.error(path, f"expected a number, got {_quote(value)}")
            raise _Invalid from None

    def boolean(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            self.error(path, f"expected true or false, got {_quote(value)}")
            raise _Invalid
        return value

    def choice(self, value: Any, path: str, options: tuple[str, ...]) -> str:
        if value not in options:
            self.error(path, f"expected one of {', '.join(options)}, got {_quote(value)}")
            raise _Invalid
        return value

    def a_date(self, value: Any, path: str) -> date:
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.error(path, f"expected a date (YYYY-MM-DD), got {_quote(value)}")
        raise _Invalid

    def strings(self, value: Any, path: str) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        items = self.seq(value, path)
        return tuple(self.text(v, f"{path}[{i}]") for i, v in enumerate(items))

    def known_keys(self, data: dict[str, Any], path: str, allowed: set[str]) -> None:
        for key in data:
            if key not in allowed:
                self.error(
                    f"{path}.{key}" if path else str(key),
                    f"unknown field; expected one of {', '.join(sorted(allowed))}",
                )

    # -- composite ----------------------------------------------------------------------------
    def window(self, value: Any, path: str) -> Window:
        data = self.mapping(value, path)
        self.known_keys(data, path, {"months", "terms", "weeks"})
        set_keys = [k for k in ("months", "terms", "weeks") if k in data]
        if len(set_keys) != 1:
            self.error(path, "give exactly one of months, terms or weeks")
            raise _Invalid
        key = set_keys[0]
        return Window(**{key: self.integer(data[key], f"{path}.{key}", minimum=1)})

    def applicability(self, value: Any, path: str) -> Applicability:
        data = self.mapping(value, path)
        self.known_keys(data, path, {"role", "min_age", "max_age", "flags"})
        role = (
            self.choice(data["role"], f"{path}.role", ("adult", "child"))
            if "role" in data
            else None
        )
        min_age = self.integer(data["min_age"], f"{path}.min_age") if "min_age" in data else None
        max_age = self.integer(data["max_age"], f"{path}.max_age") if "max_age" in data else None
        if min_age is not None and max_age is not None and min_age > max_age:
            self.error(path, f"min_age {min_age} is above max_age {max_age}")
        flags = self.strings(data["flags"], f"{path}.flags") if "flags" in data else ()
        return Applicability(role=role, min_age=min_age, max_age=max_age, flags=flags)

    def threshold(self, value: Any, path: str) -> Threshold:
        if isinstance(value, dict):
            self.known_keys(value, path, {"parameter"})
            if "parameter" not in value:
                self.error(path, "expected a number or {parameter: name}")
                raise _Invalid
            name = self.text(value["parameter"], f"{path}.parameter")
            self.parameter_refs.append((f"{path}.parameter", name))
            return Threshold(parameter=name)
        return Threshold(value=self.number(value, path))

    def filters(self, value: Any, path: str, evidence: str | None) -> tuple[Filter, ...]:
        data = self.mapping(value, path)
        fields = evidence_fields(evidence) if evidence else {}
        out = []
        for name, raw in sorted(data.items()):
            if evidence and name not in fields:
                self.error(
                    f"{path}.{name}",
                    f"{evidence} records have no field {_quote(name)}; expected one of {', '.join(sorted(fields))}",
                )
                continue
            if isinstance(raw, dict):
                scaled = self.scaled_filter(name, raw, f"{path}.{name}")
                if scaled is not None:
                    out.append(scaled)
                continue
            values = tuple(raw) if isinstance(raw, list) else (raw,)
            for i, v in enumerate(values):
                if not isinstance(v, str | int | bool):
                    self.error(
                        f"{path}.{name}" + (f"[{i}]" if isinstance(raw, list) else ""),
                        f"expected text, a number or true/false, got {_quote(v)}",
                    )
            out.append(Filter(name, values))
        return tuple(out)

    def scaled_filter(self, name: str, raw: dict[str, Any], path: str) -> Filter | None:
        """``{scale: asb_sanction, at_least: injunction}``: every value at that level or above."""
        self.known_keys(raw, path, {"scale", "at_least"})
        try:
            scale_name = self.text(raw.get("scale"), f"{path}.scale")
            level = self.text(raw.get("at_least"), f"{path}.at_least")
        except _Invalid:
            return None
        scale = self.scales.get(scale_name)
        if scale is None:
            self.error(
                f"{path}.scale", f"no scale named {_quote(scale_name)}; define it under scales"
            )
            return None
        if level not in scale.level_names():
            self.error(
                f"{path}.at_least",
                f"{_quote(level)} is not a level of {scale_name}; expected one of {', '.join(scale.level_names())}",
            )
            return None
        start = scale.index_of_level(level)
        values = tuple(v for lv in scale.levels[start:] for v in lv.values)
        return Filter(name, values, scale=(scale_name, level))

    def judged(self, value: Any, path: str) -> Judged:
        data = self.mapping(value, path)
        self.known_keys(data, path, {"code", "values"})
        code = self.text(data.get("code"), f"{path}.code")
        values = self.strings(data.get("values", ["yes"]), f"{path}.values")
        if not values:
            self.error(f"{path}.values", "give at least one value")
            raise _Invalid
        return Judged(code=code, values=values)

    def earnings(self, value: Any, path: str) -> EarningsRule:
        data = self.mapping(value, path)
        self.known_keys(data, path, {"benefits", "single", "couple"})
        benefits = self.strings(data.get("benefits", ["UC"]), f"{path}.benefits")
        if "single" not in data:
            self.error(f"{path}.single", "is required")
            raise _Invalid
        single = self.threshold(data["single"], f"{path}.single")
        couple = self.threshold(data["couple"], f"{path}.couple") if "couple" in data else None
        return EarningsRule(benefits=benefits, single=single, couple=couple)

    def scales_section(self, value: Any, path: str) -> tuple[Scale, ...]:
        data = self.mapping(value, path)
        out = []
        for name, raw in sorted(data.items()):
            p = f"{path}.{name}"
            try:
                entry = self.mapping(raw, p)
                self.known_keys(entry, p, {"description", "levels"})
                items = self.seq(entry.get("levels"), f"{p}.levels")
                if len(items) < 2:
                    self.error(f"{p}.levels", "give at least two levels, least severe first")
                    continue
                levels = []
                seen: dict[Any, str] = {}
                for i, item in enumerate(items):
                    ip = f"{p}.levels[{i}]"
                    try:
                        lv = self.mapping(item, ip)
                        self.known_keys(lv, ip, {"level", "values"})
                        level = self.text(lv.get("level"), f"{ip}.level")
                        values = tuple(
                            str(v) for v in self.seq(lv.get("values", []), f"{ip}.values")
                        )
                    except _Invalid:
                        continue
                    for v in values:
                        key = normalised(v)
                        if key in seen:
                            self.error(
                                f"{ip}.values",
                                f"{_quote(v)} is already on level {_quote(seen[key])}",
                            )
                        seen[key] = level
                    levels.append(ScaleLevel(level, values))
                names = [lv.level for lv in levels]
                for dup in sorted({n for n in names if names.count(n) > 1}):
                    self.error(f"{p}.levels", f"level {_quote(dup)} is used twice")
                scale = Scale(str(name), tuple(levels), str(entry.get("description", "")).strip())
                self.scales[scale.name] = scale
                out.append(scale)
            except _Invalid:
                continue
        return tuple(out)

    def family_definition(self, value: Any, path: str) -> FamilyDefinition:
        data = self.mapping(value, path)
        self.known_keys(data, path, {"child_under", "or_judgement"})
        child_under = self.integer(data.get("child_under", 18), f"{path}.child_under", 1)
        judged = (
            self.judged(data["or_judgement"], f"{path}.or_judgement")
            if data.get("or_judgement") is not None
            else None
        )
        return FamilyDefinition(child_under=child_under, or_judgement=judged)

    def requirements(self, value: Any, path: str) -> tuple[EmploymentRequirement, ...]:
        items = self.seq(value, path)
        if not items:
            self.error(path, "give at least one requirement")
        out = []
        for i, raw in enumerate(items):
            p = f"{path}[{i}]"
            try:
                data = self.mapping(raw, p)
                self.known_keys(data, p, {"benefits", "weeks", "of_last_weeks"})
                benefits = self.strings(data.get("benefits", ["other"]), f"{p}.benefits")
                weeks = self.integer(data.get("weeks"), f"{p}.weeks", minimum=1)
                of_last = (
                    self.integer(data["of_last_weeks"], f"{p}.of_last_weeks", minimum=1)
                    if "of_last_weeks" in data
                    else None
                )
                if of_last is not None and of_last < weeks:
                    self.error(
                        f"{p}.of_last_weeks", f"must be at least weeks ({weeks}), got {of_last}"
                    )
                out.append(
                    EmploymentRequirement(benefits=benefits, weeks=weeks, of_last_weeks=of_last)
                )
            except _Invalid:
                continue
        return tuple(out)

    # -- criteria -----------------------------------------------------------------------------
    def criterion(self, value: Any, path: str, *, role: str) -> Criterion:
        data = self.mapping(value, path)
        kind = self.choice(data.get("kind"), f"{path}.kind", tuple(CRITERION_KINDS))
        cls = CRITERION_KINDS[kind]
        if role == "indicator" and not cls.indicator_ok:
            self.error(
                f"{path}.kind",
                f"{kind} cannot identify a family; use one of {', '.join(k for k, c in CRITERION_KINDS.items() if c.indicator_ok)}",
            )
            raise _Invalid
        if role in ("outcome", "condition") and not cls.outcome_ok:
            self.error(
                f"{path}.kind",
                f"{kind} cannot measure an outcome; use one of {', '.join(k for k, c in CRITERION_KINDS.items() if c.outcome_ok)}",
            )
            raise _Invalid
        fields = {f.name: f for f in dataclasses.fields(cls)}
        self.known_keys(data, path, set(fields) | {"kind"})
        evidence = None
        if "evidence" in fields:
            allowed = (
                tuple(sorted(SPELL_KINDS)) if cls is SpellActive else tuple(sorted(EVENT_KINDS))
            )
            try:
                evidence = self.choice(data.get("evidence"), f"{path}.evidence", allowed)
            except _Invalid:
                evidence = None
        kwargs: dict[str, Any] = {}
        ok = True
        for name, f in fields.items():
            p = f"{path}.{name}"
            if name == "evidence":
                continue
            if name not in data:
                if f.default is dataclasses.MISSING and name != "evidence":
                    self.error(p, "is required")
                    ok = False
                continue
            raw = data[name]
            try:
                kwargs[name] = self.field_value(name, raw, p, evidence=evidence, kind=kind)
            except _Invalid:
                ok = False
        if "evidence" in fields:
            if evidence is None:
                ok = False
            kwargs["evidence"] = evidence
        if not ok:
            raise _Invalid
        crit = cls(**kwargs)
        if role == "indicator" and crit.sustained_at:
            self.error(
                f"{path}.sustained_at", "only outcome criteria are read at closure or step-down"
            )
        if role != "condition" and getattr(crit, "after_outcomes_met", False):
            self.error(f"{path}.after_outcomes_met", "only claim conditions can wait for outcomes")
        self.check_criterion(crit, path)
        return crit

    def field_value(
        self, name: str, raw: Any, path: str, *, evidence: str | None, kind: str
    ) -> Any:
        if name in ("id", "label", "code"):
            return self.text(raw, path) if name != "label" else str(raw).strip()
        if name == "scope":
            return self.choice(raw, path, SCOPES)
        if name == "subjects":
            return self.choice(raw, path, SUBJECTS)
        if name == "quantifier":
            return self.choice(raw, path, QUANTIFIERS)
        if name == "applies_to":
            return self.applicability(raw, path)
        if name in ("when_identified_by", "values", "substances", "activities") or (
            name == "scale" and kind == "judgement"
        ):
            return self.strings(raw, path)
        if name == "sources":
            items = self.strings(raw, path)
            for i, s in enumerate(items):
                self.choice(s, f"{path}[{i}]", ACTIVITY_SOURCES)
            return items
        if name in ("where", "unless"):
            return self.filters(raw, path, evidence)
        if name in ("window", "baseline", "sustain"):
            return self.window(raw, path)
        if name in ("at_least", "terms", "weeks"):
            return self.integer(raw, path, minimum=1)
        if name == "improve_by":
            return self.integer(raw, path)
        if name == "reduction":
            value = self.number(raw, path)
            if not 0 < value <= 100:
                self.error(path, f"expected a percentage above 0 and up to 100, got {_quote(raw)}")
                raise _Invalid
            return value
        if name == "threshold":
            return self.threshold(raw, path)
        if name == "measure":
            return self.choice(raw, path, MEASURES)
        if name == "comparison":
            return self.choice(raw, path, COMPARISONS)
        if name == "over":
            return self.choice(raw, path, ("each", "overall"))
        if name == "mode":
            return self.choice(raw, path, ("not_escalated", "stepped_down"))
        if name == "requirements":
            return self.requirements(raw, path)
        if name == "age_at":
            return self.choice(raw, path, AGE_AT)
        if name == "sustained_at":
            return self.choice(raw, path, SUSTAINED_AT)
        if name == "judged":
            return self.judged(raw, path)
        if name in ("count_term_in_progress", "after_outcomes_met"):
            return self.boolean(raw, path)
        if name == "covers":
            return self.window(raw, path)
        if name == "baseline_where":
            return self.filters(raw, path, evidence)
        if name == "field":
            value = self.text(raw, path)
            if evidence and value not in evidence_fields(evidence):
                self.error(
                    path,
                    f"{evidence} records have no field {_quote(value)}; expected one of {', '.join(sorted(evidence_fields(evidence)))}",
                )
                raise _Invalid
            return value
        if name == "scale" and kind == "no_escalation":
            value = self.text(raw, path)
            self.scale_refs.append((path, value))
            return value
        if name == "step_down_to":
            items = self.strings(raw, path)
            for i, level in enumerate(items):
                self.choice(level, f"{path}[{i}]", PLAN_LEVELS)
            return items
        if name == "benefit_held":
            return self.choice(raw, path, BENEFIT_HELD)
        if name == "work_starts":
            return self.choice(raw, path, WORK_STARTS)
        if name == "earnings":
            return self.earnings(raw, path)
        raise AssertionError(f"no parser for {kind}.{name}")  # pragma: no cover

    def check_criterion(self, crit: Criterion, path: str) -> None:
        if isinstance(crit, CountReduction | NoEvents) and crit.window.terms is not None:
            self.error(f"{path}.window", "use months or weeks for event windows")
        if isinstance(crit, CountReduction) and crit.baseline and crit.baseline.terms is not None:
            self.error(f"{path}.baseline", "use months or weeks for event windows")
        if isinstance(crit, JudgementCriterion):
            if not crit.values and not (crit.scale and crit.improve_by):
                self.error(path, "give values, or a scale with improve_by")
            if crit.sustain and crit.sustain.terms is not None:
                self.error(f"{path}.sustain", "use months or weeks")
            if crit.covers and crit.covers.terms is not None:
                self.error(f"{path}.covers", "use months or weeks")
            if crit.covers and crit.sustain:
                self.error(path, "give sustain or covers, not both")
        if isinstance(crit, NoEscalation):
            if crit.window.terms is not None:
                self.error(f"{path}.window", "use months or weeks for event windows")
            if crit.baseline and crit.baseline.terms is not None:
                self.error(f"{path}.baseline", "use months or weeks for event windows")
        if isinstance(crit, ChildPlanLevel) and crit.step_down_to and crit.mode != "stepped_down":
            self.error(f"{path}.step_down_to", "only a stepped_down measure has a level to step to")
        if (
            crit.age_at is not None
            and crit.applies_to.min_age is None
            and crit.applies_to.max_age is None
        ):
            self.error(f"{path}.age_at", "give an age band under applies_to first")
        if (
            isinstance(
                crit, ChildPlanLevel | TreatmentCompleted | ActivityHeld | ContinuousEmployment
            )
            and crit.scope != "person"
        ):
            self.error(f"{path}.scope", f"{crit.kind} applies to each person; remove scope: family")
        if isinstance(crit, TermThreshold) and crit.scope != "person":
            self.error(f"{path}.scope", "school terms are measured per child; remove scope: family")

    def group(self, value: Any, path: str, *, role: str) -> Group:
        if isinstance(value, list) and role == "indicator":
            value = {"combine": "any", "criteria": value}
        data = self.mapping(value, path)
        self.known_keys(data, path, {"combine", "criteria"})
        combine = self.choice(
            data.get("combine", "all" if role == "outcome" else "any"),
            f"{path}.combine",
            ("all", "any"),
        )
        items = self.seq(data.get("criteria"), f"{path}.criteria")
        if not items:
            self.error(f"{path}.criteria", "give at least one criterion")
        out: list[Criterion | Group] = []
        for i, raw in enumerate(items):
            p = f"{path}.criteria[{i}]"
            try:
                if isinstance(raw, dict) and "kind" not in raw and "criteria" in raw:
                    out.append(self.group(raw, p, role=role))
                else:
                    out.append(self.criterion(raw, p, role=role))
            except _Invalid:
                continue
        return Group(combine=combine, criteria=tuple(out))

    def problem(self, value: Any, path: str) -> Problem:
        data = self.mapping(value, path)
        self.known_keys(data, path, {"code", "title", "description", "indicators", "outcome"})
        code = title = None
        try:
            code = self.text(data.get("code"), f"{path}.code")
        except _Invalid:
            pass
        try:
            title = self.text(data.get("title"), f"{path}.title")
        except _Invalid:
            pass
        indicators = outcome = None
        errors_before = len(self.errors)
        try:
            indicators = self.group(data.get("indicators"), f"{path}.indicators", role="indicator")
        except _Invalid:
            pass
        indicators_clean = len(self.errors) == errors_before
        try:
            outcome = self.group(data.get("outcome"), f"{path}.outcome", role="outcome")
        except _Invalid:
            pass
        if None in (code, title, indicators, outcome):
            raise _Invalid
        assert indicators is not None and outcome is not None
        ids: dict[str, str] = {}
        for where, group in (("indicators", indicators), ("outcome", outcome)):
            for crit in group.leaves():
                if crit.id in ids:
                    self.error(
                        f"{path}.{where}",
                        f"criterion id {_quote(crit.id)} is used twice in this problem",
                    )
                ids[crit.id] = where
        indicator_ids = {c.id for c in indicators.leaves()}
        for crit in outcome.leaves() if indicators_clean else ():
            for ref in crit.when_identified_by:
                if ref not in indicator_ids:
                    self.error(
                        f"{path}.outcome",
                        f"{crit.id}.when_identified_by names {_quote(ref)}, which is not an indicator of this problem",
                    )
        return Problem(
            code=code,
            title=title,
            indicators=indicators,
            outcome=outcome,
            description=str(data.get("description", "")).strip(),
        )

    def parameters(self, value: Any, path: str) -> tuple[Parameter, ...]:
        data = self.mapping(value, path)
        out = []
        for name, raw in sorted(data.items()):
            p = f"{path}.{name}"
            description = ""
            if isinstance(raw, dict):
                self.known_keys(raw, p, {"description", "values"})
                description = str(raw.get("description", ""))
                raw = raw.get("values")
                p = f"{p}.values"
            try:
                items = self.seq(raw, p)
            except _Invalid:
                continue
            if not items:
                self.error(p, "give at least one {from: date, value: number}")
                continue
            values = []
            for i, item in enumerate(items):
                ip = f"{p}[{i}]"
                try:
                    entry = self.mapping(item, ip)
                    self.known_keys(entry, ip, {"from", "value"})
                    values.append(
                        ParameterValue(
                            self.a_date(entry.get("from"), f"{ip}.from"),
                            self.number(entry.get("value"), f"{ip}.value"),
                        )
                    )
                except _Invalid:
                    continue
            dates = [v.effective_from for v in values]
            if len(set(dates)) != len(dates):
                self.error(p, "two values take effect on the same date")
            if values:
                self.parameter_names.add(str(name))
                out.append(
                    Parameter(
                        name=str(name),
                        values=tuple(sorted(values, key=lambda v: v.effective_from)),
                        description=description,
                    )
                )
        return tuple(out)

    def plan(self, data: Any) -> Plan:
        data = self.mapping(data, "(plan)")
        allowed = {
            "slug",
            "version",
            "title",
            "council",
            "example",
            "source",
            "min_problems",
            "baseline",
            "parameters",
            "problems",
            "continuous_employment",
            "local_criteria",
            "results_require",
            "claim_conditions",
            "scales",
            "family_definition",
            "minimum_sustain",
        }
        self.known_keys(data, "", allowed)
        fields: dict[str, Any] = {}

        def take(key: str, parse, *args, required: bool = True, default: Any = None) -> None:
            if key not in data:
                if required:
                    self.error(key, "is required")
                else:
                    fields[key] = default
                return
            try:
                fields[key] = parse(data[key], key, *args)
            except _Invalid:
                pass

        take("slug", self.text)
        take("version", lambda v, p: self.text(str(v) if isinstance(v, int | float) else v, p))
        take("title", self.text)
        take("council", self.text)
        take("example", self.boolean, required=False, default=False)
        take("source", lambda v, p: str(v).strip(), required=False, default="")
        take("min_problems", lambda v, p: self.integer(v, p, 1))
        take("parameters", self.parameters, required=False, default=())
        take("scales", self.scales_section, required=False, default=())
        take("family_definition", self.family_definition, required=False, default=None)
        take("minimum_sustain", self.window, required=False, default=None)
        if "baseline" in data:
            try:
                b = self.mapping(data["baseline"], "baseline")
                self.known_keys(b, "baseline", {"months", "terms"})
                fields["baseline"] = Baseline(
                    months=self.integer(b.get("months", 12), "baseline.months", 1),
                    terms=self.integer(b.get("terms", 3), "baseline.terms", 1),
                )
            except _Invalid:
                pass
        problems = []
        try:
            raw_problems = self.seq(data.get("problems"), "problems")
            if not raw_problems:
                self.error("problems", "give at least one problem")
            for i, raw in enumerate(raw_problems):
                try:
                    problems.append(self.problem(raw, f"problems[{i}]"))
                except _Invalid:
                    continue
        except _Invalid:
            pass
        codes = [p.code for p in problems]
        for code in sorted({c for c in codes if codes.count(c) > 1}):
            self.error("problems", f"problem code {_quote(code)} is used twice")
        fields["problems"] = tuple(problems)
        if data.get("continuous_employment") is not None:
            try:
                raw = dict(self.mapping(data["continuous_employment"], "continuous_employment"))
                raw.setdefault("kind", "continuous_employment")
                raw.setdefault("id", "continuous-employment")
                crit = self.criterion(raw, "continuous_employment", role="outcome")
                if not isinstance(crit, ContinuousEmployment):
                    self.error("continuous_employment.kind", "must be continuous_employment")
                else:
                    fields["continuous_employment"] = crit
            except _Invalid:
                pass
        if data.get("local_criteria") is not None:
            try:
                raw = self.mapping(data["local_criteria"], "local_criteria")
                self.known_keys(raw, "local_criteria", {"min_problems", "indicators", "title"})
                fields["local_criteria"] = LocalCriteria(
                    min_problems=self.integer(
                        raw.get("min_problems"), "local_criteria.min_problems", 0
                    ),
                    indicators=self.group(
                        raw.get("indicators"), "local_criteria.indicators", role="indicator"
                    ),
                    title=str(raw.get("title", "Local criterion")),
                )
            except _Invalid:
                pass
        if "results_require" in data:
            try:
                req = self.strings(data["results_require"], "results_require")
                for i, code in enumerate(req):
                    if code not in codes:
                        self.error(
                            f"results_require[{i}]",
                            f"{_quote(code)} is not a problem code in this plan",
                        )
                fields["results_require"] = req
            except _Invalid:
                pass
        if "claim_conditions" in data:
            conds = []
            try:
                for i, raw in enumerate(self.seq(data["claim_conditions"], "claim_conditions")):
                    try:
                        c = self.criterion(raw, f"claim_conditions[{i}]", role="condition")
                        if c.when_identified_by:
                            self.error(
                                f"claim_conditions[{i}].when_identified_by",
                                "claim conditions apply to the whole family",
                            )
                        conds.append(c)
                    except _Invalid:
                        continue
            except _Invalid:
                pass
            fields["claim_conditions"] = tuple(conds)
        for path, name in self.scale_refs:
            if name not in self.scales:
                self.error(path, f"no scale named {_quote(name)}; define it under scales")
        for path, name in self.parameter_refs:
            if name not in self.parameter_names:
                self.error(path, f"no parameter named {_quote(name)}; define it under parameters")
        if self.errors:
            raise PlanError(self.errors)
        if fields.get("min_problems", 0) > len(problems):
            self.error(
                "min_problems",
                f"{fields['min_problems']} is more than the {len(problems)} problems in the plan",
            )
            raise PlanError(self.errors)
        return Plan(**{k: v for k, v in fields.items() if v is not None})


def load_plan(text_or_dict: str | bytes | dict[str, Any]) -> Plan:
    """Load and validate a plan from YAML text (or an already-parsed dict).

    Raises ``PlanError`` listing every problem found, each prefixed by its path in the file.
    """
    data: Any = text_or_dict
    if isinstance(text_or_dict, str | bytes):
        try:
            data = yaml.safe_load(text_or_dict)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
            raise PlanError([f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})"]) from None
    return _Loader().plan(data)


def shipped_plan_paths() -> list[Path]:
    return sorted(PLANS_DIR.glob("*.yaml"))


def load_shipped_plan(slug: str) -> Plan:
    """A plan shipped in outcomes/plans/, by slug (its file name without .yaml)."""
    path = PLANS_DIR / f"{slug}.yaml"
    if not path.is_file():
        raise KeyError(
            f"no shipped plan {slug!r}; have {', '.join(p.stem for p in shipped_plan_paths())}"
        )
    return load_plan(path.read_text(encoding="utf-8"))


def shipped_plans() -> dict[str, Plan]:
    return {p.stem: load_plan(p.read_text(encoding="utf-8")) for p in shipped_plan_paths()}


# --------------------------------------------------------------------------------------------
# Serialising back to plain data (round-trips through load_plan)


def _value_to_data(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _num(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Window):
        return {k: v for k, v in dataclasses.asdict(value).items() if v is not None}
    if isinstance(value, Applicability):
        out = {k: v for k, v in dataclasses.asdict(value).items() if v not in (None, ())}
        if "flags" in out:
            out["flags"] = list(out["flags"])
        return out
    if isinstance(value, Threshold):
        return {"parameter": value.parameter} if value.parameter else _num(value.value)
    if isinstance(value, EmploymentRequirement):
        out = {"benefits": list(value.benefits), "weeks": value.weeks}
        if value.of_last_weeks is not None:
            out["of_last_weeks"] = value.of_last_weeks
        return out
    if isinstance(value, tuple) and value and isinstance(value[0], Filter):
        return {
            f.field: (
                {"scale": f.scale[0], "at_least": f.scale[1]}
                if f.scale
                else (f.values[0] if len(f.values) == 1 else list(f.values))
            )
            for f in value
        }
    if isinstance(value, Judged):
        return {"code": value.code, "values": list(value.values)}
    if isinstance(value, EarningsRule):
        out = {"benefits": list(value.benefits), "single": _value_to_data(value.single)}
        if value.couple is not None:
            out["couple"] = _value_to_data(value.couple)
        return out
    if isinstance(value, tuple):
        return [_value_to_data(v) for v in value]
    return value


def criterion_to_dict(crit: Criterion) -> dict[str, Any]:
    out: dict[str, Any] = {"id": crit.id, "kind": crit.kind}
    for f in dataclasses.fields(crit):
        if f.name == "id":
            continue
        value = getattr(crit, f.name)
        if f.default is not dataclasses.MISSING and value == f.default:
            continue
        out[f.name] = _value_to_data(value)
    return out


def group_to_dict(group: Group) -> dict[str, Any]:
    return {
        "combine": group.combine,
        "criteria": [
            group_to_dict(c) if isinstance(c, Group) else criterion_to_dict(c)
            for c in group.criteria
        ],
    }


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    out: dict[str, Any] = {
        "slug": plan.slug,
        "version": plan.version,
        "title": plan.title,
        "council": plan.council,
        "example": plan.example,
        "source": plan.source,
        "min_problems": plan.min_problems,
        "baseline": {"months": plan.baseline.months, "terms": plan.baseline.terms},
        "parameters": {
            p.name: {
                "description": p.description,
                "values": [
                    {"from": v.effective_from.isoformat(), "value": _num(v.value)} for v in p.values
                ],
            }
            for p in plan.parameters
        },
        "problems": [
            {
                "code": p.code,
                "title": p.title,
                "description": p.description,
                "indicators": group_to_dict(p.indicators),
                "outcome": group_to_dict(p.outcome),
            }
            for p in plan.problems
        ],
    }
    if plan.continuous_employment is not None:
        out["continuous_employment"] = criterion_to_dict(plan.continuous_employment)
    if plan.local_criteria is not None:
        out["local_criteria"] = {
            "title": plan.local_criteria.title,
            "min_problems": plan.local_criteria.min_problems,
            "indicators": group_to_dict(plan.local_criteria.indicators),
        }
    if plan.results_require:
        out["results_require"] = list(plan.results_require)
    if plan.claim_conditions:
        out["claim_conditions"] = [criterion_to_dict(c) for c in plan.claim_conditions]
    if plan.scales:
        out["scales"] = {
            sc.name: {
                "description": sc.description,
                "levels": [{"level": lv.level, "values": list(lv.values)} for lv in sc.levels],
            }
            for sc in plan.scales
        }
    if plan.family_definition is not None:
        fd: dict[str, Any] = {"child_under": plan.family_definition.child_under}
        if plan.family_definition.or_judgement is not None:
            fd["or_judgement"] = _value_to_data(plan.family_definition.or_judgement)
        out["family_definition"] = fd
    if plan.minimum_sustain is not None:
        out["minimum_sustain"] = _value_to_data(plan.minimum_sustain)
    return out
