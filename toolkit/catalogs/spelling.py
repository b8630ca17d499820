"""Known misspellings per language: `locales/<lang>/spelling.txt`, one `wrong = right` a line.

A short list of slips seen in this project's texts, not a dictionary: every word on it is wrong
wherever it occurs, so the check never doubts a correct word (a spell checker would, for every
anatomy term and name). Matching ignores case; the suggestion keeps the found word's case.

    # comments and blank lines are ignored
    klacthen = klachten
    oa. = o.a.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import ToolkitError

SPELLING_FILE = "spelling.txt"


@dataclass(frozen=True)
class Misspelling:
    found: str  # as written in the text
    right: str  # the correction, in the found word's case


@dataclass(frozen=True)
class Spelling:
    pairs: tuple[tuple[str, str], ...] = ()  # (wrong, right), wrong in lower case

    @property
    def _pattern(self) -> re.Pattern[str] | None:
        if not self.pairs:
            return None
        words = sorted((re.escape(w) for w, _ in self.pairs), key=len, reverse=True)
        return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)", re.IGNORECASE)

    def find(self, text: str) -> list[Misspelling]:
        pattern = self._pattern
        if pattern is None:
            return []
        right = dict(self.pairs)
        return [
            Misspelling(m.group(), _same_case(m.group(), right[m.group().lower()]))
            for m in pattern.finditer(text)
        ]


def _same_case(found: str, right: str) -> str:
    if found.isupper() and len(found) > 1:
        return right.upper()
    if found[:1].isupper():
        return right[:1].upper() + right[1:]
    return right


NO_SPELLING = Spelling()


def parse_spelling(text: str, path: str) -> Spelling:
    pairs: list[tuple[str, str]] = []
    for number, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        wrong, sep, right = (part.strip() for part in line.partition("="))
        if not sep or not wrong or not right:
            raise ToolkitError(
                f"not a 'wrong = right' line: {line!r}",
                path=path,
                line=number,
                hint="one misspelling a line, e.g. 'klacthen = klachten'; '#' starts a comment",
            )
        pairs.append((wrong.lower(), right))
    return Spelling(tuple(pairs))


def read_spelling(locales: Path, lang: str, rel_locales: str) -> Spelling:
    path = locales / lang / SPELLING_FILE
    rel = f"{rel_locales}/{lang}/{SPELLING_FILE}"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return NO_SPELLING
    except UnicodeDecodeError as exc:
        raise ToolkitError(
            "spelling list is not valid UTF-8", path=rel, hint="save it as UTF-8"
        ) from exc
    return parse_spelling(text, rel)
