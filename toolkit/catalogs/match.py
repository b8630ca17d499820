"""Fuzzy matching: which earlier text is closest to a new one, by words.

One matcher for both uses: merge (a changed text finds its previous translation) and the memory
(a new text finds what the practice translated before). The similarity of two texts is
2·LCS/(n+m) over their words, RapidFuzz's Indel similarity: at least difflib's ratio for the
same pair, since difflib's matching blocks are one common subsequence, not the longest. RapidFuzz
scores in C++ and, given the threshold as a cutoff, stops early on what cannot reach it.

Words are compared with punctuation split off: "uit," and "uit." are both the word "uit", so "Adem
rustig in en uit, heel langzaam." is close to "Adem rustig in en uit." (as a CAT tool sees it). The
marks themselves are left out: a shared full stop would make any two short sentences look alike.

Each distinct word becomes one character, so RapidFuzz compares plain strings: that is the same
longest common subsequence over words, without converting a list of words on every comparison.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

# One code per word; the surrogate range is skipped so every code is an ordinary character.
_SURROGATES = range(0xD800, 0xE000)
_CODES = 0x110000 - len(_SURROGATES)
# RapidFuzz (3.14) drops scores at or just above its cutoff (0.6 against a cutoff of 0.6; measured
# up to ~3e-8 above): ask for a little less than the threshold, then decide exactly with integers.
_SLACK = 1e-6
# A word is a run of letters and digits (punctuation, marks and spaces separate words).
_WORDS = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The words of `text`, punctuation split off; a text of marks alone is its marks, split at
    spaces (so "—" still matches "—")."""
    return _WORDS.findall(text) or text.split()


@cache
def _rapidfuzz() -> tuple[
    Callable[..., Any], Callable[..., Any], Callable[..., float], Callable[..., int]
]:
    """Imported on the first match: RapidFuzz takes ~0.1 s to import, and `status`, `check` and
    an update without changed texts never match anything."""
    from rapidfuzz.distance import Indel
    from rapidfuzz.process import extract, extractOne

    return extractOne, extract, Indel.normalized_similarity, Indel.similarity


@dataclass(frozen=True)
class Found:
    index: int  # of the candidate, in the order given
    score: float  # 2·LCS/(n+m) over words, in (0, 1]


class Matcher:
    """Candidate texts, to find the one closest to a query.

    The best score wins; among equal scores the earlier candidate. A text without words matches
    nothing.
    """

    def __init__(self, texts: Iterable[str]) -> None:
        # Codes are given in order of first use, while each text is coded (one pass).
        codes: dict[str, int] = {}
        coded = [[codes.setdefault(w, len(codes)) for w in words(t)] for t in texts]
        self._codes = codes
        # Beyond a million distinct words, fall back to lists of codes: slower, same scores.
        self._compact = len(codes) < _CODES
        self._choices: list[str | list[int] | None] = [  # None: a text without words, skipped
            self._chars(c) if c else None for c in coded
        ]

    def _encode(self, ws: list[str]) -> str | list[int]:
        # A word no candidate has gets one shared code that no candidate uses: it can only mismatch.
        unknown = len(self._codes)
        get = self._codes.get
        return self._chars([get(w, unknown) for w in ws])

    def _chars(self, codes: list[int]) -> str | list[int]:
        if not self._compact:
            return codes
        if len(self._codes) < _SURROGATES.start:  # no code reaches the surrogates (the usual case)
            return "".join(map(chr, codes))
        return "".join(chr(c + len(_SURROGATES) if c >= _SURROGATES.start else c) for c in codes)

    def best(self, text: str, threshold: float) -> Found | None:
        """The closest candidate scoring at least `threshold`, or None."""
        ws = words(text)
        if not ws or not self._choices:
            return None
        query = self._encode(ws)
        extract_one, extract, scorer, similarity = _rapidfuzz()
        hit = extract_one(
            query, self._choices, scorer=scorer, score_cutoff=max(threshold - _SLACK, 0.0)
        )
        if hit is None:
            return None
        _, score, index = hit
        # extractOne raises its cutoff to the best score so far, so by the drop above it could miss
        # a later candidate scoring a hair higher. Two different scores of at least the threshold
        # differ by threshold²/(2n²) or more (n: the query's words; 2L/T with T <= 2n/threshold):
        # only for a long query can that be within the slack, and then we look again.
        if score < 1.0 and threshold * threshold / (2 * len(query) ** 2) <= _SLACK:
            hits = extract(
                query,
                self._choices,
                scorer=scorer,
                score_cutoff=max(score - _SLACK, 0.0),
                limit=None,
            )
            # Exact doubles of 1 - d/(n+m): they rank as the fractions do; ties to the earlier.
            _, _, index = min(hits, key=lambda hit: (-hit[1], hit[2]))
        choice = self._choices[index]
        assert choice is not None
        # Decide with integers, the way difflib's ratio is computed: 2·LCS / (n+m).
        total = len(query) + len(choice)
        score = similarity(query, choice) / total
        return Found(index, score) if score >= threshold else None

    def top(self, text: str, threshold: float, limit: int) -> list[Found]:
        """Up to `limit` candidates scoring at least `threshold`, best first (ties: earlier first);
        for an editor that offers several suggestions, where `best` is for filling one in."""
        ws = words(text)
        if not ws or not self._choices or limit <= 0:
            return []
        query = self._encode(ws)
        _, extract, scorer, similarity = _rapidfuzz()
        hits = extract(
            query,
            self._choices,
            scorer=scorer,
            score_cutoff=max(threshold - _SLACK, 0.0),
            limit=None,
        )
        found = []
        for _, _, index in hits:
            choice = self._choices[index]
            assert choice is not None
            score = similarity(query, choice) / (len(query) + len(choice))
            if score >= threshold:
                found.append(Found(index, score))
        found.sort(key=lambda f: (-f.score, f.index))
        return found[:limit]
