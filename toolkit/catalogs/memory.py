"""Translation memory: what the practice translated before, offered to new and changed texts.

Exact matches (the same source text elsewhere) are filled as translated; near matches as fuzzy, with
a translator comment saying where they came from. Only whole units are matched, so a filled entry
never mixes two languages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

# A word in more than this many units says nothing about which unit is close (de, het, en, ...).
_COMMON = 400
_CANDIDATES = 12


@dataclass(frozen=True)
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
        self.words: list[list[str]] = []
        self.exact: dict[str, MemoryUnit] = {}
        self.postings: dict[str, list[int]] = {}
        for unit in units:
            if not unit.target or unit.source in self.exact:
                continue
            index = len(self.units)
            self.units.append(unit)
            words = unit.source.split()
            self.words.append(words)
            self.exact[unit.source] = unit
            for word in set(words):
                self.postings.setdefault(word.lower(), []).append(index)

    def __len__(self) -> int:
        return len(self.units)

    def lookup(self, source: str) -> Match | None:
        unit = self.exact.get(source)
        if unit is not None:
            return Match(unit, 1.0)
        return self.near(source)

    def near(self, source: str) -> Match | None:
        words = source.split()
        if not words:
            return None
        shared: Counter[int] = Counter()
        for word in {w.lower() for w in words}:
            postings = self.postings.get(word, ())
            if len(postings) <= _COMMON:
                shared.update(postings)
        best: Match | None = None
        for index, _ in shared.most_common(_CANDIDATES):
            cand = self.words[index]
            if 2 * min(len(words), len(cand)) / (len(words) + len(cand)) < self.threshold:
                continue
            score = SequenceMatcher(None, words, cand, autojunk=False).ratio()
            if score >= self.threshold and (best is None or score > best.score):
                best = Match(self.units[index], min(score, 0.99))
        return best
