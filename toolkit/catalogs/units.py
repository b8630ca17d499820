"""Article -> units: one translatable text per block, identified by its normalised text."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.sources.model import Article, TextSlot, map_texts

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


def segment(article: Article) -> tuple[Unit, ...]:
    """The units of an article in source order; a text used twice is one unit with two locations."""
    found: dict[tuple[str | None, str], Unit] = {}

    def collect(slot: TextSlot) -> str:
        key = (slot.context, slot.text)
        location = (article.path, slot.line)
        comment = describe(slot)
        old = found.get(key)
        if old is None:
            flags = MARKDOWN_FLAGS if slot.markdown else ()
            found[key] = Unit(slot.text, slot.context, (location,), (comment,), flags)
        else:
            comments = old.comments if comment in old.comments else (*old.comments, comment)
            found[key] = Unit(
                old.msgid, old.msgctxt, (*old.locations, location), comments, old.flags
            )
        return slot.text

    map_texts(article, collect)
    return tuple(found.values())


def word_count(text: str) -> int:
    return len(text.split())
