"""An article's `##` sections and what is in them (figures, videos, their whole text): what the
handouts' sections, the slide decks (`deck.py`) and the workshop packs are made of."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.render.points import plain
from toolkit.sources.model import Article, Block, Heading, Image, Video

VideoRef = tuple[Video, Heading | None]  # a video and the heading that names it


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


def body_blocks(article: Article) -> tuple[Block, ...]:
    blocks = article.blocks
    if blocks and isinstance(blocks[0], Heading) and blocks[0].level == 1:
        return blocks[1:]
    return blocks


def walk(blocks: Sequence[Block]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        out.append(block)
        out.extend(walk(getattr(block, "blocks", ()) or ()))
        for item in getattr(block, "items", ()):
            out.extend(walk(item.blocks))
    return out


def figures(blocks: Sequence[Block]) -> tuple[Image, ...]:
    return tuple(b for b in walk(blocks) if isinstance(b, Image))


def videos(blocks: Sequence[Block]) -> list[VideoRef]:
    found: list[VideoRef] = []
    heading: Heading | None = None
    for block in walk(blocks):
        if isinstance(block, Heading):
            heading = block
        elif isinstance(block, Video):
            found.append((block, heading))
    return found


def section_notes(blocks: Sequence[Block]) -> str:
    """The section's whole text as plain paragraphs: what the presenter reads beside the slide."""
    out: list[str] = []
    for block in blocks:
        kind = block.kind
        if kind in ("heading", "paragraph"):
            out.append(plain(block.text))  # type: ignore[union-attr]
        elif kind == "list":
            for item in block.items:  # type: ignore[union-attr]
                text = " ".join(plain(b.text) for b in item.blocks if b.kind == "paragraph")  # type: ignore[union-attr]
                out.append(f"• {text}")
        elif kind == "deflist":
            for entry in block.items:  # type: ignore[union-attr]
                text = " ".join(plain(b.text) for b in entry.blocks if b.kind == "paragraph")  # type: ignore[union-attr]
                out.append(f"{plain(entry.term)}: {text}")
        elif kind == "quote":
            out.append(section_notes(block.blocks))  # type: ignore[union-attr]
        elif kind == "table":
            rows = [block.header, *block.rows]  # type: ignore[union-attr]
            out += [" | ".join(plain(c.text) for c in row) for row in rows if row]
    return "\n\n".join(t for t in out if t)
