"""Slide points: which texts go on the slides of each section, and how they split across slides.

Points are taken from the *translated* article (never translated a second time): a section's list
items, else the first sentence of each of its paragraphs, with its sub-headings as bold lead-ins.
An author can choose the points of a section by hand in front matter::

    slides:
      "Maar... wat is psoas eigenlijk?":
        - De psoas verbindt de wervelkolom met heupen en benen
        - Hij laat ons rechtop staan

Keys are the H2 heading text as written in the source. The points are translation units of their
own (msgctxt "slides"), so every language gets the author's choice.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from toolkit.sources.model import Block, Heading, ListBlock, Paragraph, Quote, Video

MAX_POINTS = 6  # points per slide
MAX_LINES = 9  # estimated text lines per slide (with a one-line title)
CHARS_PER_LINE = 70  # a careful estimate: a slide line at 19pt holds about 78 characters
TITLE_CHARS_PER_LINE = 48  # a longer title wraps and takes a line from the points
MAX_POINT_CHARS = 190  # a longer sentence is cut at a word boundary and ends in "…"


@dataclass(frozen=True)
class Point:
    text: str  # inline Markdown, as in the translated article
    line: int  # source line of the unit it came from
    unit_text: str  # the whole unit's output text (to ask Translated.fallback_lang)
    lead: bool = False  # a sub-heading shown as a bold lead-in


@dataclass(frozen=True)
class Slide:
    title: str
    title_line: int
    points: tuple[Point, ...]
    part: int = 1  # 1-based: the n-th slide of this section
    parts: int = 1


@dataclass(frozen=True)
class Section:
    """An H2 heading (or None for the text before it) and the blocks up to the next H2."""

    heading: Heading | None
    blocks: tuple[Block, ...]


def split_sections(
    blocks: Sequence[Block], level: int = 2
) -> tuple[tuple[Block, ...], list[Section]]:
    """(intro blocks before the first heading of `level`, sections)."""
    intro: list[Block] = []
    sections: list[Section] = []
    current: list[Block] = intro
    heading: Heading | None = None
    for block in blocks:
        if isinstance(block, Heading) and block.level <= level:
            if heading is not None:
                sections.append(Section(heading, tuple(current)))
            heading, current = block, []
            continue
        current.append(block)
    if heading is not None:
        sections.append(Section(heading, tuple(current)))
    return tuple(intro), sections


# --- sentences ---------------------------------------------------------------------------------

_ABBREVIATIONS = {
    "nl": {
        "bijv",
        "bv",
        "o.a",
        "m.a.w",
        "d.w.z",
        "enz",
        "evt",
        "ca",
        "dhr",
        "mevr",
        "nr",
        "zgn",
        "vnl",
    },
    "en": {"e.g", "i.e", "etc", "mr", "mrs", "ms", "dr", "vs", "approx", "no", "cf", "st"},
    "de": {"z.b", "d.h", "bzw", "usw", "ca", "dr", "nr", "vgl", "u.a", "s.o", "z.t", "evtl", "ggf"},
}
_END = re.compile(r"([.!?…]+[\"»”’)]*)\s+(?=[\"„“«‘(\[*_]*[A-ZÀ-ÖØ-Þ0-9])")


def _balanced(prefix: str) -> bool:
    """True if no inline Markdown span (strong, emphasis, code, link) is open at the end of prefix."""
    if prefix.count("`") % 2:
        return False
    if prefix.count("[") != prefix.count("]") or prefix.count("(") < prefix.count("]("):
        return False
    bold = prefix.count("**") + prefix.count("__")
    if bold % 2:
        return False
    single = prefix.replace("**", "").replace("__", "")
    return single.count("*") % 2 == 0 and len(re.findall(r"(?<![\w])_|_(?![\w])", single)) % 2 == 0


def first_sentence(text: str, lang: str) -> str:
    """The first sentence of an inline-Markdown text, never cutting a markup span in two."""
    abbreviations = _ABBREVIATIONS.get(lang.split("_")[0].split("-")[0], set())
    for m in _END.finditer(text):
        before = text[: m.start(1)]
        word = before.rsplit(None, 1)[-1].lower().strip("(\"'*_") if before.strip() else ""
        if word in abbreviations or (len(word) == 1 and word.isalpha()):
            continue
        if before.count("(") > before.count(")") and not m.group(1).endswith(")"):
            continue  # a sentence inside parentheses
        candidate = text[: m.end(1)]
        if _balanced(candidate):
            return candidate.strip()
    return text.strip()


def shorten(text: str, limit: int = MAX_POINT_CHARS) -> str:
    """Cut at a word boundary where no markup span is open, adding an ellipsis."""
    if len(text) <= limit:
        return text
    cut = limit
    while cut > limit // 2:
        cut = text.rfind(" ", 0, cut)
        if cut <= 0:
            break
        if _balanced(text[:cut]):
            return text[:cut].rstrip(",;:–- ") + "…"
    return text


_MARKUP = re.compile(r"\]\([^)]*\)|[*_`\[\]]")


def visible_length(text: str) -> int:
    """Approximate printed length of inline Markdown (markers and link targets do not print)."""
    return len(_MARKUP.sub("", text))


def estimated_lines(point: Point) -> int:
    return max(1, math.ceil(visible_length(point.text) / CHARS_PER_LINE))


# --- choosing points ---------------------------------------------------------------------------


def _is_caption(blocks: Sequence[Block], i: int) -> bool:
    return (
        isinstance(blocks[i], Heading) and i + 1 < len(blocks) and isinstance(blocks[i + 1], Video)
    )


def _item_text(block: Block) -> tuple[str, int] | None:
    if isinstance(block, Paragraph):
        return block.text, block.line
    return None


def auto_points(blocks: Sequence[Block], lang: str) -> list[Point]:
    """List items if the section has any, else first sentences of paragraphs and sub-headings."""
    items: list[Point] = []
    for block in blocks:
        if isinstance(block, ListBlock):
            for item in block.items:
                first = next((t for b in item.blocks if (t := _item_text(b))), None)
                if first:
                    text = shorten(first_sentence(first[0], lang))
                    items.append(Point(text, first[1], first[0]))
    if items:
        return items
    points: list[Point] = []
    for i, block in enumerate(blocks):
        if isinstance(block, Heading) and not _is_caption(blocks, i):
            points.append(Point(shorten(block.text.rstrip(":")), block.line, block.text, lead=True))
        elif isinstance(block, Paragraph):
            sentence = first_sentence(block.text, lang)
            if sentence == block.text.strip() and sentence.endswith(":"):
                continue  # a lead-in to an image or a video, not a point
            points.append(Point(shorten(sentence), block.line, block.text))
        elif isinstance(block, Quote):
            para = next((b for b in block.blocks if isinstance(b, Paragraph)), None)
            if para is not None:
                points.append(Point(shorten(first_sentence(para.text, lang)), para.line, para.text))
    while points and points[-1].lead:
        points.pop()  # a lead-in with nothing after it
    return points


def hand_points(meta: Mapping[str, object], heading: Heading, line: int) -> list[Point] | None:
    """The points the author chose for this H2 in front matter, or None for automatic points.

    parse.py keys them by the heading's source line, and `translate` has already replaced them
    with their translations (they are units of their own), so this works in every language.
    `line` is where they stand in the front matter: the line their fallback is recorded under.
    """
    chosen = meta.get("slides")
    if not isinstance(chosen, Mapping):
        return None
    texts = chosen.get(heading.line)
    if not texts:
        return None
    return [Point(shorten(t), line, t) for t in texts]


def paginate(title: str, title_line: int, points: Sequence[Point]) -> list[Slide]:
    """Split points over as many slides as needed: at most MAX_POINTS and MAX_LINES each.

    A bold lead-in never ends a slide when points follow it; it moves to the next slide.
    """
    pages: list[list[Point]] = []
    page: list[Point] = []
    lines = 0
    title_lines = max(1, math.ceil(visible_length(title) / TITLE_CHARS_PER_LINE))
    budget = max(3, MAX_LINES - (title_lines - 1) * 2)
    for point in points:
        need = estimated_lines(point)
        if page and (len(page) >= MAX_POINTS or lines + need > budget):
            carry: list[Point] = []
            while page and page[-1].lead:
                carry.insert(0, page.pop())
            if page:
                pages.append(page)
            page, lines = carry, sum(estimated_lines(p) for p in carry)
        page.append(point)
        lines += need
    if page:
        pages.append(page)
    if not pages:
        pages = [[]]
    return [
        Slide(title, title_line, tuple(p), part=i + 1, parts=len(pages))
        for i, p in enumerate(pages)
    ]
