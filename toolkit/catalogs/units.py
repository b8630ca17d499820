"""Article -> units: one translatable text per block, identified by its normalised text."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.sources.model import Article, TextSlot, text_slots

# Flags on every unit written in inline Markdown: ours, and the one Weblate reads.
MARKDOWN_FLAGS: tuple[str, ...] = ("markdown-text", "md-text")

_DESCRIPTIONS = {
    "paragraph": "paragraph",
    "item": "list item",
    "term": "term of a definition list",
    "definition": "definition in a definition list",
    "quote": "block quote",
    "footnote": "footnote",
    "cell": "table cell",
    "header-cell": "table header",
    "image-alt": "image alt text",
    "image-title": "image title",
    "slide-point": "slide point chosen by the author",
}


@dataclass(frozen=True)
class Unit:
    msgid: str
    msgctxt: str | None
    locations: tuple[tuple[str, int], ...]
    comments: tuple[str, ...]
    flags: tuple[str, ...]

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


def describe(slot: TextSlot) -> str:
    """The extracted comment that tells a translator what the text is."""
    if slot.kind == "heading":
        return f"heading (level {slot.level})"
    if slot.kind == "meta":
        return f"front matter: {slot.context}"
    return _DESCRIPTIONS.get(slot.kind, slot.kind)


# A unit as the cache and the parse workers keep it: (msgid, msgctxt, flags, locations, comments).
UnitRow = tuple[str, str | None, tuple[str, ...], tuple[tuple[str, int], ...], tuple[str, ...]]


def segment(article: Article) -> tuple[Unit, ...]:
    """The units of an article in source order; a text used twice is one unit with two locations."""
    return tuple(Unit(msgid, msgctxt, locations, comments, flags) for msgid, msgctxt, flags, locations, comments in unit_rows(article))


def unit_rows(article: Article) -> list[UnitRow]:
    """segment's units as rows, without a Unit each (a cold extract makes some 80,000)."""
    # key -> (first slot, locations, comments); the rows are made once, at the end.
    found: dict[tuple[str | None, str], tuple[TextSlot, list[tuple[str, int]], list[str]]] = {}
    path = article.path
    for slot in text_slots(article):
        key = (slot.context, slot.text)
        comment = describe(slot)
        seen = found.get(key)
        if seen is None:
            found[key] = (slot, [(path, slot.line)], [comment])
        else:
            seen[1].append((path, slot.line))
            if comment not in seen[2]:
                seen[2].append(comment)
    return [
        (slot.text, slot.context, MARKDOWN_FLAGS if slot.markdown else (), tuple(locations), tuple(comments))
        for slot, locations, comments in found.values()
    ]


def word_count(text: str) -> int:
    return len(text.split())
