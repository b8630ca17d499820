"""An article's `##` sections: what the handouts' sections, the slide decks (`deck.py`) and the
workshop packs are made of."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.sources.model import Block, Heading


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
