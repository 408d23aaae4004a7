"""English school terms, so rules can count "consecutive terms".

Defaults (documented in docs/outcomes-plans.md): autumn 1 September - 20 December, spring
4 January - 31 March, summer 14 April - 22 July. A council overrides any academic year with
``TermCalendar({"2015/16": {"spring": (date(2016, 1, 5), date(2016, 3, 24))}})``. A term's result
is known on its end date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

TERM_NAMES = ("autumn", "spring", "summer")


@dataclass(frozen=True, order=True)
class Term:
    index: int  # start year * 3 + position: consecutive terms have consecutive indexes
    academic_year: str = field(compare=False)
    name: str = field(compare=False)
    start: date = field(compare=False)
    end: date = field(compare=False)

    @property
    def label(self) -> str:
        return f"{self.name} {self.academic_year}"


def academic_year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def parse_academic_year(label: str) -> int:
    """'2015/16' -> 2015. Raises ValueError for anything else."""
    first, _, second = label.partition("/")
    if not (first.isdigit() and second.isdigit()):
        raise ValueError(f"academic year must look like 2015/16, got {label!r}")
    start = int(first)
    if len(first) != 4 or len(second) != 2 or int(second) != (start + 1) % 100:
        raise ValueError(f"academic year must look like 2015/16, got {label!r}")
    return start


def _default_dates(start_year: int, name: str) -> tuple[date, date]:
    if name == "autumn":
        return date(start_year, 9, 1), date(start_year, 12, 20)
    if name == "spring":
        return date(start_year + 1, 1, 4), date(start_year + 1, 3, 31)
    return date(start_year + 1, 4, 14), date(start_year + 1, 7, 22)


@dataclass(frozen=True)
class TermCalendar:
    """Term dates for any academic year, with per-year overrides from council configuration."""

    overrides: tuple[tuple[str, str, date, date], ...] = ()

    def __init__(self, overrides: dict[str, dict[str, tuple[date, date]]] | None = None):
        flat = []
        for year, terms in sorted((overrides or {}).items()):
            parse_academic_year(year)
            for name, (start, end) in sorted(terms.items()):
                if name not in TERM_NAMES:
                    raise ValueError(
                        f"{year}: unknown term {name!r}; expected autumn, spring or summer"
                    )
                if end < start:
                    raise ValueError(f"{year} {name}: the term ends before it starts")
                flat.append((year, name, start, end))
        object.__setattr__(self, "overrides", tuple(flat))
        # Terms are looked up for every attendance record of every family, so answers are kept.
        # Calendars with the same overrides share one cache: a calendar is often rebuilt from the
        # same council settings (one per evaluation), and its answers never change.
        object.__setattr__(self, "_cache", _shared_cache(self.overrides))

    def term(self, academic_year: str | int, name: str) -> Term:
        cache = self._cache  # type: ignore[attr-defined]
        key = ("term", academic_year, name)
        term = cache.get(key)
        if term is None:
            start_year = (
                academic_year
                if isinstance(academic_year, int)
                else parse_academic_year(academic_year)
            )
            term = self.by_index(start_year * 3 + TERM_NAMES.index(name))
            cache[key] = term  # only found terms are kept: a bad label raises every time
        return term

    def by_index(self, index: int) -> Term:
        cache = self._cache  # type: ignore[attr-defined]
        term = cache.get(index)  # int keys: terms by index
        if term is None:
            start_year, position = divmod(index, 3)
            name = TERM_NAMES[position]
            label = academic_year_label(start_year)
            start, end = _default_dates(start_year, name)
            for year, o_name, o_start, o_end in self.overrides:
                if year == label and o_name == name:
                    start, end = o_start, o_end
            term = Term(index, label, name, start, end)
            cache[index] = term
        return term

    def last_ended_by(self, on: date) -> Term:
        """The latest term whose end date is on or before ``on``."""
        cache = self._cache  # type: ignore[attr-defined]
        key = ("ended", on)
        term = cache.get(key)
        if term is None:
            index = (
                on.year - 1
            ) * 3 + 2  # summer of the previous academic year ends before any date in on.year+
            while self.by_index(index + 1).end <= on:
                index += 1
            while self.by_index(index).end > on:
                index -= 1
            term = cache[key] = self.by_index(index)
        return term

    def to_dict(self) -> dict[str, dict[str, list[str]]]:
        out: dict[str, dict[str, list[str]]] = {}
        for year, name, start, end in self.overrides:
            out.setdefault(year, {})[name] = [start.isoformat(), end.isoformat()]
        return out


_CACHES: dict[tuple[tuple[str, str, date, date], ...], dict] = {}
_MAX_CACHES = 32


def _shared_cache(overrides: tuple[tuple[str, str, date, date], ...]) -> dict:
    """The answer cache for calendars with these overrides (terms by index, by label, and the last
    term ended by a date). Few distinct calendars exist; if councils edit their term dates often
    enough to pile up more, old caches are simply dropped."""
    cache = _CACHES.get(overrides)
    if cache is None:
        if len(_CACHES) >= _MAX_CACHES:
            _CACHES.clear()
        cache = _CACHES[overrides] = {}
    return cache


DEFAULT_TERMS = TermCalendar()
