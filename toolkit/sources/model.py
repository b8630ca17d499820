"""The document model every stage passes along: frozen, so no stage can change another's data."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from toolkit.errors import Diagnostic

# Front matter keys whose values are translated; each becomes a unit with this key as msgctxt.
# `short_title` stands in for a long title where space is short (running heads, a title slide).
TRANSLATABLE_META: tuple[str, ...] = ("title", "short_title", "summary")
# Hand-chosen slide points: {H2 heading text: [point, ...]} in the source, {H2 line: (...)} parsed.
SLIDES_KEY = "slides"
# The most slides this article's deck may have (overrides the project's `max_slides`).
MAX_SLIDES_KEY = "max_slides"
# How the article addresses its reader per language, e.g. {"de": "Sie"} (toolkit/registers.py).
REGISTER_KEY = "register"
# A source whose front matter has this key is a workshop pack (see toolkit/workshop.py).
WORKSHOP_KEY = "include"
# Free text a workshop's cover shows, translated too. Only workshops have these keys, so an
# ordinary article's catalog stays exactly as it was (the teacher's name is a name: not a unit).
WORKSHOP_META: tuple[str, ...] = ("venue",)


def is_workshop_meta(meta: Mapping[str, Any]) -> bool:
    return WORKSHOP_KEY in meta


def translatable_meta(meta: Mapping[str, Any]) -> tuple[str, ...]:
    """The translated front matter keys of one source, in the order they become units."""
    return (*TRANSLATABLE_META, *WORKSHOP_META) if is_workshop_meta(meta) else TRANSLATABLE_META


@dataclass(frozen=True)
class Heading:
    kind: ClassVar[str] = "heading"
    level: int
    text: str
    line: int
    anchor: str = ""  # an id the source gave it (kramdown `{#id}`): links to it work in print


@dataclass(frozen=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    text: str
    line: int


@dataclass(frozen=True)
class ListItem:
    kind: ClassVar[str] = "item"
    blocks: tuple[Block, ...]
    line: int
    task: str = ""  # a task list's "[ ]" or "[x]": "open" or "done"; never part of the unit


@dataclass(frozen=True)
class ListBlock:
    kind: ClassVar[str] = "list"
    ordered: bool
    start: int
    items: tuple[ListItem, ...]
    line: int


@dataclass(frozen=True)
class DefinitionItem:
    """One term of a definition list and its definitions (`Term` then `: …` lines), each
    definition the blocks of one `<dd>`."""

    kind: ClassVar[str] = "definition"
    term: str
    line: int
    definitions: tuple[tuple[Block, ...], ...]

    @property
    def blocks(self) -> tuple[Block, ...]:
        """Every definition's blocks in order: what walks over an item's blocks see."""
        return tuple(b for d in self.definitions for b in d)


@dataclass(frozen=True)
class DefinitionList:
    kind: ClassVar[str] = "deflist"
    items: tuple[DefinitionItem, ...]
    line: int


@dataclass(frozen=True)
class Quote:
    kind: ClassVar[str] = "quote"
    blocks: tuple[Block, ...]
    line: int


@dataclass(frozen=True)
class Cell:
    kind: ClassVar[str] = "cell"
    text: str
    line: int
    header: bool = False
    align: str = ""


@dataclass(frozen=True)
class Table:
    kind: ClassVar[str] = "table"
    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    line: int


@dataclass(frozen=True)
class Image:
    kind: ClassVar[str] = "image"
    src: str
    alt: str
    title: str
    line: int


@dataclass(frozen=True)
class Video:
    kind: ClassVar[str] = "video"
    provider: str  # "youtube" | "vimeo"
    video_id: str
    line: int

    @property
    def url(self) -> str:
        """The address a phone opens from the QR code: the watch page, not the embed."""
        if self.provider == "youtube":
            return f"https://www.youtube.com/watch?v={self.video_id}"
        return f"https://vimeo.com/{self.video_id}"

    @property
    def short_url(self) -> str:
        if self.provider == "youtube":
            return f"youtu.be/{self.video_id}"
        return f"vimeo.com/{self.video_id}"


@dataclass(frozen=True)
class Code:
    kind: ClassVar[str] = "code"
    text: str
    info: str
    line: int


@dataclass(frozen=True)
class RawHtml:
    kind: ClassVar[str] = "html"
    html: str
    line: int


@dataclass(frozen=True)
class Footnote:
    """A footnote's definition (`[^label]: text`); the marker `[^label]` stays in the text that
    calls it, so the translator places it. Printed at the foot of the page of that call."""

    kind: ClassVar[str] = "footnote"
    label: str
    blocks: tuple[Block, ...]
    line: int


@dataclass(frozen=True)
class Rule:
    kind: ClassVar[str] = "rule"
    line: int


Block = (
    Heading
    | Paragraph
    | ListBlock
    | DefinitionList
    | Quote
    | Table
    | Image
    | Video
    | Code
    | RawHtml
    | Rule
    | Footnote
)


@dataclass(frozen=True)
class Article:
    slug: str
    path: str  # as the user sees it, relative to the project root
    lang: str
    meta: Mapping[str, Any]
    meta_lines: Mapping[str, int]  # front matter key -> source line
    blocks: tuple[Block, ...]
    # sha256 of the source file's bytes ("" when parsed from text): what outputs depend on.
    digest: str = field(default="", compare=False)
    # What reading the source left out (site-generator syntax), reported once by `toolkit check`.
    notes: tuple[Diagnostic, ...] = field(default=(), compare=False)

    @property
    def title(self) -> str:
        return str(self.meta.get("title", self.slug))

    @property
    def is_workshop(self) -> bool:
        return is_workshop_meta(self.meta)

    def register(self, lang: str, default: str = "") -> str:
        """How this article addresses its reader in `lang`: its front matter's choice, else the
        project's default for the language ("" where there is none)."""
        chosen = self.meta.get(REGISTER_KEY)
        return str(chosen.get(lang, default)) if isinstance(chosen, Mapping) else default


class FrozenMap(Mapping[Any, Any]):
    """A read-only mapping that, unlike MappingProxyType, pickles: prepared documents travel to
    the build's worker processes."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[Any, Any] | None = None) -> None:
        self._data = dict(data or {})

    def __getitem__(self, key: Any) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (self._data,))


def frozen_mapping(data: Mapping[str, Any]) -> Mapping[str, Any]:
    return FrozenMap(data)


@dataclass(frozen=True)
class TextSlot:
    """One translatable text in an article, as the walker hands it to a function."""

    text: str
    # heading, paragraph, item, term, definition, quote, cell, header-cell, image-alt,
    # image-title, meta
    kind: str
    line: int
    context: str | None = None  # msgctxt: the front matter key for meta texts
    level: int = 0  # heading level
    markdown: bool = True  # inline Markdown (False for alt texts and plain meta values)


TextFn = Callable[[TextSlot], str]


def _paragraph_kind(in_item: bool, in_quote: bool, in_footnote: bool, in_definition: bool) -> str:
    if in_footnote:
        return "footnote"
    if in_item:
        return "item"
    if in_quote:
        return "quote"
    return "definition" if in_definition else "paragraph"


def _same(new: tuple[Any, ...], old: tuple[Any, ...]) -> bool:
    return all(map(operator.is_, new, old))


class _Walker:
    """The one walk over an article's texts. A block whose texts `fn` leaves as they are is
    kept, not copied: collecting the units (fn changes nothing) then costs no rebuilding."""

    __slots__ = ("fn", "in_definition", "in_footnote", "in_item", "in_quote", "paragraph")

    def __init__(
        self,
        fn: TextFn,
        in_item: bool = False,
        in_quote: bool = False,
        in_footnote: bool = False,
        in_definition: bool = False,
    ) -> None:
        self.fn = fn
        self.in_item = in_item
        self.in_quote = in_quote
        self.in_footnote = in_footnote
        self.in_definition = in_definition
        self.paragraph = _paragraph_kind(in_item, in_quote, in_footnote, in_definition)

    def inside(self, **flags: bool) -> _Walker:
        state = {
            "in_item": self.in_item,
            "in_quote": self.in_quote,
            "in_footnote": self.in_footnote,
            "in_definition": self.in_definition,
        }
        return _Walker(self.fn, **(state | flags))

    def blocks(self, blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        new = tuple(self.block(b) for b in blocks)
        return blocks if _same(new, blocks) else new

    def block(self, block: Block) -> Block:
        fn = self.fn
        match block:
            case Heading():
                text = fn(TextSlot(block.text, "heading", block.line, level=block.level))
                return block if text == block.text else replace(block, text=text)
            case Paragraph():
                text = fn(TextSlot(block.text, self.paragraph, block.line))
                return block if text == block.text else replace(block, text=text)
            case ListBlock():
                inner = self.inside(in_item=True)
                items = tuple(self.item(inner, i) for i in block.items)
                return block if _same(items, block.items) else replace(block, items=items)
            case DefinitionList():
                defs = tuple(self.definition(i) for i in block.items)
                return block if _same(defs, block.items) else replace(block, items=defs)
            case Quote():
                inner_blocks = self.inside(in_quote=True).blocks(block.blocks)
                return block if inner_blocks is block.blocks else replace(block, blocks=inner_blocks)
            case Footnote():
                inner_blocks = self.inside(in_footnote=True).blocks(block.blocks)
                return block if inner_blocks is block.blocks else replace(block, blocks=inner_blocks)
            case Table():
                header = tuple(self.cell(c, "header-cell") for c in block.header)
                rows = tuple(tuple(self.cell(c, "cell") for c in row) for row in block.rows)
                if _same(header, block.header) and all(map(_same, rows, block.rows)):
                    return block
                return replace(block, header=header, rows=rows)
            case Image():
                alt = fn(TextSlot(block.alt, "image-alt", block.line, markdown=False))
                title = block.title
                if title:
                    title = fn(TextSlot(title, "image-title", block.line, markdown=False))
                if alt == block.alt and title == block.title:
                    return block
                return replace(block, alt=alt, title=title)
            case _:
                return block

    @staticmethod
    def item(inner: _Walker, item: ListItem) -> ListItem:
        blocks = inner.blocks(item.blocks)
        return item if blocks is item.blocks else replace(item, blocks=blocks)

    def definition(self, item: DefinitionItem) -> DefinitionItem:
        term = self.fn(TextSlot(item.term, "term", item.line))
        inner = self.inside(in_definition=True, in_item=False, in_quote=False)
        definitions = tuple(inner.blocks(d) for d in item.definitions)
        if term == item.term and _same(definitions, item.definitions):
            return item
        return replace(item, term=term, definitions=definitions)

    def cell(self, cell: Cell, kind: str) -> Cell:
        if not cell.text:
            return cell
        text = self.fn(TextSlot(cell.text, kind, cell.line))
        return cell if text == cell.text else replace(cell, text=text)


def map_texts(article: Article, fn: TextFn) -> Article:
    """Apply `fn` to every translatable text, in source order; the one walker all stages share.

    Empty texts (an empty heading, an image without alt text) are not units: an empty msgid
    would collide with a catalog's header entry.
    """
    given = fn

    def fn(slot: TextSlot) -> str:
        return given(slot) if slot.text.strip() else slot.text

    meta = dict(article.meta)
    for key in translatable_meta(meta):
        value = meta.get(key)
        if isinstance(value, str) and value.strip():
            line = article.meta_lines.get(key, 1)
            meta[key] = fn(TextSlot(value, "meta", line, context=key, markdown=False))
    chosen = meta.get(SLIDES_KEY)
    if isinstance(chosen, Mapping):
        # Hand-chosen slide points (parse.py keyed them by their H2's line): units of their own.
        line = article.meta_lines.get(SLIDES_KEY, 1)
        meta[SLIDES_KEY] = {
            heading: tuple(fn(TextSlot(p, "slide-point", line, context=SLIDES_KEY)) for p in points)
            for heading, points in chosen.items()
        }
    blocks = _Walker(fn).blocks(article.blocks)
    return replace(article, meta=frozen_mapping(meta), blocks=blocks)


def text_slots(article: Article) -> list[TextSlot]:
    """Every text map_texts hands its function, in the same order (the same walk, changing
    nothing, so no block is rebuilt)."""
    slots: list[TextSlot] = []

    def collect(slot: TextSlot) -> str:
        slots.append(slot)
        return slot.text

    map_texts(article, collect)
    return slots
