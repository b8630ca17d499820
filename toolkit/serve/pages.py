"""The printed page that holds a unit: found in the real PDF, shown as an image, highlighted.

The PDF is the one `toolkit build` makes (`Previewer.pdf_of`). Each unit's printed text (its
translation, or the source it falls back to, without the Markdown marks) is looked up in the
PDF's text as PDFium extracts it. Both are compared as lower-case letters and digits only, so
hyphenation at line ends, ligatures, typographic quotes, bullets and upper-case headings do not
matter. Units are located in source order, each preferring the first place after the one before
(a title also stands in every running head). A unit split by a page break is followed onto the
next page; a slide that shows only a unit's first sentence still finds it by that.

PDFium is not thread-safe: every call goes through one lock.
"""

from __future__ import annotations

import io
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from toolkit.catalogs.po import Key
from toolkit.documents import Document, Inputs
from toolkit.documents.translate import Used
from toolkit.serve.preview import Previewer

IMAGE_WIDTH = 1100  # pixels: sharp in a column of ~550 CSS px on a high-density screen
MIN_MATCH = 12  # letters: a shorter piece of a longer text is no evidence of where it is
FOLLOW_WINDOW = 400  # letters of running heads and feet that may sit between two parts of a unit
_CACHE = 16
_md = MarkdownIt("commonmark")
_pdfium_lock = threading.Lock()


@dataclass(frozen=True)
class Box:
    """A highlighted rectangle, as fractions of the page (0,0 top left)."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Place:
    page: int  # 1-based
    boxes: tuple[Box, ...]


@dataclass(frozen=True)
class Located:
    key: str  # the document's key: every input file's hash
    pages: int
    sizes: tuple[tuple[float, float], ...]  # points
    places: dict[Key, Place] = field(hash=False)
    order: tuple[Key, ...]  # the document's units in source order

    def place(self, key: Key) -> tuple[Place | None, bool]:
        """Where the unit is; else where the nearest unit before it is, with exact=False."""
        found = self.places.get(key)
        if found is not None:
            return found, True
        if key in self.order:
            before = self.order[: self.order.index(key)]
            for other in reversed(before):
                if other in self.places:
                    return Place(self.places[other].page, ()), False
        return None, False


class PageImages:
    def __init__(self, previewer: Previewer) -> None:
        self.previewer = previewer
        self._located: OrderedDict[str, Located] = OrderedDict()
        self._images: OrderedDict[tuple[str, int], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def locate(self, slug: str, lang: str, fmt: str) -> Located:
        """The current document's PDF and where each unit is in it (ToolkitError for a broken one)."""
        self.previewer.check(slug, lang, fmt)
        inputs = Inputs(self.previewer.config)
        document = inputs.prepare(slug, lang, fmt)
        with self._lock:
            if document.key in self._located:
                return self._located[document.key]
        pdf = self.previewer.pdf_of(document)
        catalog = inputs.catalog(lang, slug) if lang != document.translated.source_lang else None
        printed = []
        for result in document.translated.results:
            entry = catalog.lookup(result.msgctxt, result.msgid) if catalog else None
            text = (
                entry.msgstr
                if entry is not None and result.used is not Used.SOURCE
                else result.msgid
            )
            printed.append(((result.msgctxt, result.msgid), text))
        located = _locate(pdf, document, printed)
        with self._lock:
            self._located[document.key] = located
            while len(self._located) > _CACHE:
                self._located.popitem(last=False)
        return located

    def image(self, slug: str, lang: str, fmt: str, page: int, key: str = "") -> bytes:
        """A PNG of one page (1-based) of the document whose inputs hash to `key` while its PDF
        is in memory, else of the current document; IndexError past the last page."""
        self.previewer.check(slug, lang, fmt)
        with self._lock:
            cached = self._images.get((key, page))
        if cached is not None:
            return cached
        pdf = self.previewer.cached_pdf(key)
        if pdf is None:
            document = Inputs(self.previewer.config).prepare(slug, lang, fmt)
            key, pdf = document.key, self.previewer.pdf_of(document)
        png = _render_page(pdf, page)
        with self._lock:
            self._images[(key, page)] = png
            while len(self._images) > 3 * _CACHE:
                self._images.popitem(last=False)
        return png


def printed_text(markdown: str) -> str:
    """The words a reader sees of a unit's inline Markdown: link texts, not their targets."""
    tokens = _md.parseInline(markdown)
    children = (tokens[0].children or []) if tokens else []
    return " ".join(t.content for t in children if t.type in ("text", "code_inline", "html_inline"))


def _letters(text: str) -> tuple[str, list[int]]:
    """Lower-case letters and digits of `text`, and the index in `text` each came from."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch).casefold():
            if c.isalnum():
                out.append(c)
                where.append(i)
    return "".join(out), where


def _render_page(pdf: bytes, page: int) -> bytes:
    import pypdfium2 as pdfium

    with _pdfium_lock:
        doc = pdfium.PdfDocument(pdf)
        try:
            if not 1 <= page <= len(doc):
                raise IndexError(page)
            p = doc[page - 1]
            image = p.render(scale=IMAGE_WIDTH / p.get_width()).to_pil()
        finally:
            doc.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def _locate(pdf: bytes, document: Document, printed: list[tuple[Key, str]]) -> Located:
    import pypdfium2 as pdfium

    with _pdfium_lock:
        doc = pdfium.PdfDocument(pdf)
        try:
            pages = []
            for index in range(len(doc)):
                page = doc[index]
                text = page.get_textpage()
                pages.append((page, text, _page_text(text), page.get_size()))
            letters: list[str] = []
            where: list[tuple[int, int]] = []  # (page index, char index) of each letter
            for index, (_, _, chars, _) in enumerate(pages):
                found, at = _letters(chars)
                letters.append(found)
                where += [(index, i) for i in at]
            whole = "".join(letters)
            places: dict[Key, Place] = {}
            cursor = 0
            for key, text in printed:
                if key in places:
                    continue
                spans = _find(whole, _letters(printed_text(text))[0], cursor)
                if not spans:
                    continue
                cursor = spans[0][0]
                places[key] = _place(spans, where, pages)
            sizes = tuple((w, h) for _, _, _, (w, h) in pages)
        finally:
            doc.close()
    order = tuple(dict.fromkeys(key for key, _ in printed))
    return Located(document.key, len(sizes), sizes, places, order)


def _page_text(textpage: object) -> str:
    count = textpage.count_chars()  # type: ignore[attr-defined]
    text = textpage.get_text_range(0, count) if count else ""  # type: ignore[attr-defined]
    if len(text) == count:
        return text
    # Characters outside the BMP come as two UTF-16 units: one character at a time, then.
    return "".join(textpage.get_text_range(i, 1) or " " for i in range(count))  # type: ignore[attr-defined]


def _find(whole: str, target: str, cursor: int) -> list[tuple[int, int]]:
    """Spans of `whole` holding `target` (or as much of its start as is printed), the first
    after `cursor` preferred; the rest of a unit cut by a page break is followed."""
    if not target:
        return []
    length = _longest_prefix(whole, target)
    if length < min(len(target), MIN_MATCH):
        return []
    piece = target[:length]
    start = whole.find(piece, cursor)
    if start < 0:
        start = whole.find(piece)
    spans = [(start, start + length)]
    done, end = length, start + length
    while done < len(target):
        rest = target[done:]
        window = whole[end : end + FOLLOW_WINDOW + len(rest)]
        more = _longest_prefix(window, rest)
        if more < min(len(rest), MIN_MATCH):
            break
        at = end + window.find(rest[:more])
        spans.append((at, at + more))
        done, end = done + more, at + more
    return spans


def _longest_prefix(whole: str, target: str) -> int:
    """The length of the longest start of `target` that occurs in `whole` (binary search: a
    prefix occurs whenever a longer one does)."""
    low, high = 0, len(target)
    while low < high:
        mid = (low + high + 1) // 2
        if target[:mid] in whole:
            low = mid
        else:
            high = mid - 1
    return low


def _place(spans: list[tuple[int, int]], where: list[tuple[int, int]], pages: list) -> Place:
    boxes: list[Box] = []
    first_page = where[spans[0][0]][0]
    for start, end in spans:
        # Letters of one span may run over a page break: take each page's part on its own.
        runs: dict[int, tuple[int, int]] = {}
        for page_index, char in where[start:end]:
            low, high = runs.get(page_index, (char, char))
            runs[page_index] = (min(low, char), max(high, char))
        for page_index, (low, high) in runs.items():
            if page_index != first_page:
                continue  # the image shows the page where the unit starts
            _, textpage, _, (width, height) = pages[page_index]
            for i in range(textpage.count_rects(low, high - low + 1)):
                left, bottom, right, top = textpage.get_rect(i)
                boxes.append(
                    Box(
                        left / width,
                        (height - top) / height,
                        (right - left) / width,
                        (top - bottom) / height,
                    )
                )
    return Place(first_page + 1, tuple(boxes))
