"""Second looks at a laid-out document: what CSS cannot say, found in WeasyPrint's boxes and fixed in
the next pass.

- A word hyphenated (or broken at its own hyphen) across a page turn, and the third hyphenated line in
  a row: CSS has `hyphenate-limit-chars` but WeasyPrint 70 has no `hyphenate-limit-lines` nor
  `hyphenate-limit-last`. Such a word is kept whole in the next pass (`keep_whole`).
- A figure pushed to the next page that leaves its page less than 80 % filled (a page under 60 % is
  what a designer sends back): the next pass shrinks it to the space left, down to a sensible
  minimum (`fits`: figure id -> image height in mm).
- The handout's ruled note lines: as many as fill the page the notes begin on (`note_lines`), for
  a layout whose CSS does not drop those that run over (`continue: discard`, the shipped one does).

A `Setting` is what the renderer decided (tighter or not, and the three above); `apply` makes the
document's HTML say it, without rendering the layout's template again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from weasyprint.document import Document
from weasyprint.formatting_structure import boxes

from toolkit.render.html import NOTE_LINES

PX_PER_MM = 96 / 25.4
MIN_FIGURE_MM = 38.0  # smaller, a drawing of the body says little on an A5 page
UNDERFILLED = 0.6
FIT_BELOW = 0.8  # a figure is fitted to a page left less full than this (well before 60 %)
MAX_HYPHENS_IN_A_ROW = 2
_WORD_EDGE = re.compile(r"^[^\w]+|[^\w]+$")
_TAG = re.compile(r"(<[^>]*>)")


@dataclass(frozen=True)
class Refinements:
    keep_whole: frozenset[str] = frozenset()
    fits: Mapping[str, float] = field(default_factory=dict)

    def __or__(self, other: Refinements) -> Refinements:
        return Refinements(self.keep_whole | other.keep_whole, {**self.fits, **other.fits})

    def __sub__(self, other: Refinements) -> Refinements:
        """What this finds that `other` does not hold yet (a figure already fitted stays so)."""
        return Refinements(
            self.keep_whole - other.keep_whole,
            {k: v for k, v in self.fits.items() if k not in other.fits},
        )

    def __bool__(self) -> bool:
        return bool(self.keep_whole or self.fits)


@dataclass(frozen=True)
class Setting:
    """How a document is laid out, after looking at earlier layouts of it."""

    tight: bool = False  # the layout's tighter setting (`body.tight` in its CSS)
    refinements: Refinements = field(default_factory=Refinements)
    note_lines: int | None = None  # ruled note lines shown (None: as many as the layout writes)


def apply(html: str, setting: Setting) -> str:
    """The document's HTML with this setting: a class on the body, the figures' heights and the
    note lines hidden in a style sheet of their own, the words kept whole wrapped in spans."""
    if setting.tight:
        html = html.replace('<body class="', '<body class="tight ', 1)
    rules = [
        f"#{fid} img {{ max-height: {height}mm; }}"
        for fid, height in sorted(setting.refinements.fits.items())
    ]
    if setting.note_lines is not None and setting.note_lines < NOTE_LINES:
        hidden = ", ".join(f"#note-line-{i}" for i in range(setting.note_lines, NOTE_LINES))
        rules.append(f"{hidden} {{ display: none; }}")
    if rules:
        html = html.replace("</head>", "<style>\n" + "\n".join(rules) + "\n</style>\n</head>", 1)
    return keep_whole(html, setting.refinements.keep_whole)


def _lines(root: boxes.Box) -> list[boxes.LineBox]:
    return [b for b in root.descendants() if isinstance(b, boxes.LineBox)]


def _texts(line: boxes.LineBox) -> list[boxes.TextBox]:
    return [b for b in line.descendants() if isinstance(b, boxes.TextBox) and b.text.strip()]


def _break(line: boxes.LineBox) -> tuple[str, bool] | None:
    """(the last word's first part, whether the renderer hyphenated it) for a line ending inside a
    word; None when the line ends between words."""
    texts = _texts(line)
    if not texts:
        return None
    last = texts[-1]
    mark = last.style["hyphenate_character"]
    if mark and last.text.endswith(mark):
        return last.text[: -len(mark)].split()[-1] if last.text[: -len(mark)].split() else "", True
    if last.text.endswith("-") and not last.text.endswith(" -"):
        return last.text.split()[-1], False
    return None


def _word(first: str, next_line: boxes.LineBox | None) -> str | None:
    """The whole word: its first part (a word broken at its own hyphen keeps it) and the first
    word of the next line."""
    texts = _texts(next_line) if next_line is not None else []
    if not texts or not first:
        return None
    rest = texts[0].text.split()[0] if texts[0].text.split() else ""
    word = _WORD_EDGE.sub("", first + rest)
    return word if len(word) > 2 else None


def _only_piece(line: boxes.LineBox) -> bool:
    """Whether the line holds a single word or piece of one, and nothing else."""
    text = "".join(t.text for t in _texts(line)).strip()
    return bool(text) and len(text.split()) == 1


def _longer_than_a_line(flat: list[boxes.LineBox], i: int) -> bool:
    """Whether the word line `i` ends inside is wider than a line: it fills a line of its own
    before or after this one. Kept whole, it would run out of the column, so it stays hyphenated
    (and its pieces are not taken for words to keep whole: they are never found again)."""
    started_before = _only_piece(flat[i]) and i > 0 and _break(flat[i - 1]) is not None
    goes_on = i + 1 < len(flat) and _only_piece(flat[i + 1]) and _break(flat[i + 1]) is not None
    return started_before or goes_on


def _page_roots(document: Document) -> list[boxes.Box]:
    return [page._page_box.children[0] for page in document.pages]


def hyphenation(document: Document) -> set[str]:
    """Words to keep whole: broken across a page turn, or a third hyphenated line in a row."""
    pages = [_lines(root) for root in _page_roots(document)]
    flat = [ln for lines in pages for ln in lines]
    return _page_turns(pages, flat) | _rows(flat)


def hyphenated_rows(document: Document) -> set[str]:
    """The words that end a third hyphenated line in a row: where the lines break, not the pages."""
    return _rows([ln for root in _page_roots(document) for ln in _lines(root)])


def _page_turns(pages: list[list[boxes.LineBox]], flat: list[boxes.LineBox]) -> set[str]:
    """`flat`: the lines of all `pages`, in their order."""
    words: set[str] = set()
    at = {id(ln): i for i, ln in enumerate(flat)}
    for index, lines in enumerate(pages[:-1]):
        if not lines:
            continue
        last = max(lines, key=lambda ln: ln.position_y)
        broken = _break(last)
        following = pages[index + 1]
        if broken and following:
            first_next = min(following, key=lambda ln: ln.position_y)
            # A word wider than a line stays hyphenated here too (see _longer_than_a_line).
            word = None if _longer_than_a_line(flat, at[id(last)]) else _word(broken[0], first_next)
            if word:
                words.add(word)
    return words


def _rows(flat: list[boxes.LineBox]) -> set[str]:
    words: set[str] = set()
    run = 0
    for i, line in enumerate(flat):
        broken = _break(line)
        run = run + 1 if broken else 0  # at its own hyphen or hyphenated: the eye sees both
        if run > MAX_HYPHENS_IN_A_ROW and broken and i + 1 < len(flat):
            word = None if _longer_than_a_line(flat, i) else _word(broken[0], flat[i + 1])
            if word:
                words.add(word)
                run = 0
    return words


def _first_figure(root: boxes.Box, top: float) -> boxes.Box | None:
    for box in root.descendants():
        if isinstance(box, boxes.BlockBox) and box.element_tag == "figure":
            element_id = box.element.get("id") if box.element is not None else None
            if element_id and abs(box.position_y - top) < 1:
                return box
    return None


def _bottom(root: boxes.Box) -> float:
    bottoms = [ln.position_y + ln.height for ln in _lines(root)]
    bottoms += [
        b.position_y + b.margin_height()
        for b in root.descendants()
        if isinstance(b, boxes.ReplacedBox)
    ]
    return max(bottoms, default=0.0)


def figure_fits(document: Document) -> dict[str, float]:
    """Figures that start a page after a page left less than 60 % filled, with the image height
    (mm) that fits the space left there; only when that is at least MIN_FIGURE_MM."""
    fits: dict[str, float] = {}
    for before, page in zip(document.pages, document.pages[1:], strict=False):
        box = page._page_box
        top = box.content_box_y()
        figure = _first_figure(box.children[0], top)
        if figure is None:
            continue
        prev = before._page_box
        height = prev.height
        used = _bottom(prev.children[0]) - prev.content_box_y()
        if used <= 0 or used / height >= FIT_BELOW:
            continue
        image = next((b for b in figure.descendants() if isinstance(b, boxes.ReplacedBox)), None)
        if image is None:
            continue
        # The figure with its caption and margins, less the space left: what the image must lose.
        extra = figure.margin_height() - (height - used)
        new = (image.height - extra - 6) / PX_PER_MM  # 6 px: rounding and the caption's descenders
        if new >= MIN_FIGURE_MM:
            fits[figure.element.get("id")] = round(new, 1)
    return fits


def last_page_fill(document: Document, padding_id: str = "pad-page") -> float:
    """How far down the last page of text (before spare note pages and the back cover) is filled;
    a page of notes is full by design."""
    pages = [p for p in document.pages if not any(a.startswith(padding_id) for a in p.anchors)]
    if len(pages) < 3 or "notes" in pages[-2].anchors:
        return 1.0
    box = pages[-2]._page_box
    used = _bottom(box.children[0]) - box.content_box_y()
    return max(0.0, used / box.height)


def note_lines(document: Document, shown: int | None, minimum: int) -> int | None:
    """How many ruled note lines fill the page the notes begin on (at least `minimum`), or None
    when the layout shows that many (`shown`; None: all the layout writes) or has no notes. Read
    from the lines' positions: a layout whose lines run over to another page tells how many fit,
    one whose lines end early how many more would. A layout that dropped some (its CSS) is full."""
    start = next((i for i, p in enumerate(document.pages) if "notes" in p.anchors), None)
    if start is None:
        return None
    written = NOTE_LINES if shown is None else shown
    laid = sum(1 for p in document.pages for name in p.anchors if name.startswith("note-line-"))
    if laid < written:
        # The layout's CSS dropped the lines that ran over the page (`continue: discard`): the
        # page is full, and the count is what this layout shows already.
        return None
    page = document.pages[start]
    lines = sorted(
        (box for name, box in page.anchors.items() if name.startswith("note-line-")),
        key=lambda box: box[1],
    )
    if start < len(document.pages) - 1 or not lines:
        need = max(len(lines), minimum)
    else:
        pitch = lines[1][1] - lines[0][1] if len(lines) > 1 else lines[0][3] - lines[0][1]
        box = page._page_box
        free = box.content_box_y() + box.height - lines[-1][3]
        # One line spare: WeasyPrint keeps room below the last line for its containers' ends,
        # and a line too many runs onto a page of its own.
        need = len(lines) + max(0, int(free // pitch) - 1) if pitch > 0 else len(lines)
    return None if need == written else need


def figure_pages(document: Document) -> float:
    """The height of the document's figures, in pages."""
    total = 0.0
    for page in document.pages:
        box = page._page_box
        total += sum(
            b.margin_height() / box.height
            for b in box.children[0].descendants()
            if isinstance(b, boxes.BlockBox) and b.element_tag == "figure"
        )
    return total


def refinements(document: Document) -> Refinements:
    return Refinements(frozenset(hyphenation(document)), figure_fits(document))


def keep_whole(html: str, words: Iterable[str]) -> str:
    """Wrap every occurrence of these words in the body's text in a span that does not break."""
    chosen = sorted(set(words), key=len, reverse=True)
    if not chosen:
        return html
    pattern = re.compile(
        r"(?<![\w\-‐])(" + "|".join(re.escape(w) for w in chosen) + r")(?![\w\-‐])"
    )
    start = html.find("<body")
    if start < 0:
        return html
    start = html.find(">", start) + 1
    head, body = html[:start], html[start:]
    parts = _TAG.split(body)
    out = []
    in_style = False
    for part in parts:
        if part.startswith("<"):
            in_style = part.lower().startswith("<style") or (in_style and not part.lower().startswith("</style"))
            out.append(part)
        elif in_style:
            out.append(part)
        else:
            out.append(pattern.sub(r'<span class="keep">\1</span>', part))
    return head + "".join(out)
