"""Translation memory: what the practice translated before, offered to new and changed texts.

Exact matches (the same source text elsewhere) are filled as translated; near matches as fuzzy, with
a translator comment saying where they came from. Only whole units are matched, so a filled entry
never mixes two languages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

from toolkit.catalogs.match import Matcher


@dataclass(frozen=True, slots=True)
class MemoryUnit:
    source: str
    target: str
    origin: str  # where it came from: a catalog path or a TMX file


@dataclass(frozen=True)
class Match:
    unit: MemoryUnit
    score: float  # 1.0 for an exact match

    @property
    def exact(self) -> bool:
        return self.score >= 1.0

    def comment(self) -> str:
        if self.exact:
            return f"memory: exact match from {self.unit.origin}"
        return f"memory: {self.score:.0%} match from {self.unit.origin}, review it"


class Memory:
    def __init__(self, units: Iterable[MemoryUnit], threshold: float) -> None:
        self.threshold = threshold
        self.units: list[MemoryUnit] = []
        self.exact: dict[str, MemoryUnit] = {}
        for unit in units:
            if not unit.target or unit.source in self.exact:
                continue
            self.units.append(unit)
            self.exact[unit.source] = unit

    @cached_property
    def matcher(self) -> Matcher:
        """Built on the first near lookup: most runs find what they need exactly, or not at all."""
        return Matcher(u.source for u in self.units)

    def __len__(self) -> int:
        return len(self.units)

    def lookup(self, source: str) -> Match | None:
        return self.same(source) or self.near(source)

    def same(self, source: str) -> Match | None:
        """The unit with this very text, as an exact match."""
        unit = self.exact.get(source)
        return Match(unit, 1.0) if unit is not None else None

    def near(self, source: str) -> Match | None:
        found = self.matcher.best(source, self.threshold)
        if found is None:
            return None
        # Only the very same text is exact; the same words spaced otherwise are a near match.
        return Match(self.units[found.index], min(found.score, 0.99))

    def suggestions(self, source: str, limit: int = 3, *, skip: str = "") -> list[Match]:
        """The best `limit` matches for `source`, exact first, leaving out units from the origin
        `skip` with this very source (an entry must not be offered its own translation)."""
        out: list[Match] = []
        unit = self.exact.get(source)
        if unit is not None and unit.origin != skip:
            out.append(Match(unit, 1.0))
        for found in self.matcher.top(source, self.threshold, limit + 1):
            unit = self.units[found.index]
            if unit.source == source:
                continue  # the exact match, offered above (or skipped)
            out.append(Match(unit, min(found.score, 0.99)))
        return out[:limit]


class Lookup(Protocol):
    """What merge asks of a memory: the same text, then (if nothing else fits) a near one."""

    def same(self, source: str) -> Match | None: ...

    def near(self, source: str) -> Match | None: ...
