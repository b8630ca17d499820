"""What a contents page lists, and running heads that fit on one line.

A contents page is a map, not a copy of every heading: at most two levels (an article that writes
some of its sections' headings in capitals uses them as chapters, the others below them), a
heading repeated later in the article listed once, and no more entries than two pages hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from toolkit.render.views import SectionView

MAX_ENTRIES = 56  # two A5 pages at the contents' compact spacing (about 30 a page, less the title)


@dataclass(frozen=True)
class ContentsEntry:
    id: str
    title: Markup
    level: int  # 1 or 2
    caps: bool  # written in capitals: set smaller and letter-spaced


def is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 3 and all(c.isupper() for c in letters)


def contents_entries(
    sections: Sequence[SectionView], max_entries: int = MAX_ENTRIES
) -> tuple[ContentsEntry, ...]:
    titled = [s for s in sections if s.heading is not None and s.title is not None]
    caps = {s.id: is_caps(s.heading.text) for s in titled if s.heading}
    two_levels = 0 < sum(caps.values()) < len(titled)
    seen: set[str] = set()
    entries: list[ContentsEntry] = []
    for s in titled:
        assert s.heading is not None and s.title is not None
        key = " ".join(s.heading.text.casefold().split())
        if key in seen:
            continue  # the same heading again later: the first one is where it starts
        seen.add(key)
        level = 2 if two_levels and not caps[s.id] else 1
        entries.append(ContentsEntry(s.id, s.title, level, caps[s.id]))
    if len(entries) > max_entries and two_levels:
        entries = [e for e in entries if e.level == 1]
    return tuple(entries[:max_entries])


def shorten(text: str, limit: int) -> str:
    """A title cut at a word to at most `limit` characters, with "…"; a colon or dash before the
    cut ends the title there instead when that keeps most of it."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    for mark in (": ", " – ", " — ", " ("):
        at = cut.find(mark)
        if at >= limit // 2:
            return text[:at]
    space = cut.rfind(" ")
    cut = cut[:space] if space > limit // 3 else cut
    return cut.rstrip(" ,;:–—-(") + "…"
