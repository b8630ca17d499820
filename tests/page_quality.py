"""Measuring printed pages the way a designer looks at them, from the PDF alone (pdfplumber).

For each page: how far down the text area the content reaches (fill), the lines in the footer
band, heading lines whose word gaps show justification, characters in the full lines of body text,
and whether the page's last body line ends in a hyphen. `measure(path, fmt)` reads one PDF;
`python tests/page_quality.py output/` prints a table of every PDF below a folder.
"""

from __future__ import annotations

import re
import statistics
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pdfplumber

MM = 72 / 25.4
# Text area per format (top and bottom margin, mm): kept equal to the layouts' @page margins.
MARGINS = {"handout": (22.0, 24.0), "brochure": (17.0, 19.0), "workshop": (16.0, 18.0)}
BODY_FONT = "Vollkorn"
HEADING_FONT = "Lato-Bold"
HYPHENS = ("-", "‐", "\u00ad")
CONTENTS_WORDS = ("CONTENTS", "INHOUD", "INHALT")
NOTES_WORDS = ("NOTES", "AANTEKENINGEN", "NOTIZEN")
JUSTIFIED_GAP = 0.6  # a word gap above this many em in a heading line: the line was spread


@dataclass(frozen=True)
class Line:
    top: float
    bottom: float
    x0: float
    x1: float
    text: str
    font: str
    size: float
    gaps: tuple[float, ...]  # between the words, in em


@dataclass
class PageReport:
    number: int  # 1-based
    fill: float  # 0..1 of the text area's height
    kind: str  # cover, back, contents, notes, body
    footer_lines: int
    header_lines: int
    body_lines: list[Line] = field(default_factory=list)
    heading_lines: list[Line] = field(default_factory=list)
    starts_part: bool = False  # the page opens a part (a kicker or chapter title at its top)
    bottom: float = 0.0  # the lowest content (text or drawing) in the text area

    @property
    def justified_headings(self) -> list[Line]:
        return [h for h in self.heading_lines if h.gaps and max(h.gaps) > JUSTIFIED_GAP]

    @property
    def ends_hyphenated(self) -> bool:
        return bool(self.body_lines) and self.body_lines[-1].text.endswith(HYPHENS) and len(
            self.body_lines[-1].text
        ) > 3


@dataclass
class Report:
    path: Path
    fmt: str
    pages: list[PageReport]

    def contents_pages(self) -> int:
        return sum(1 for p in self.pages if p.kind == "contents")

    def exempt(self, index: int) -> bool:
        """Pages a designer leaves short on purpose: covers, contents, notes, and the last page of a
        part (the page before one that opens a new part, the notes or the back cover)."""
        page = self.pages[index]
        if page.kind != "body" or index in (0, len(self.pages) - 1):
            return True
        after = self.pages[index + 1]
        return after.kind in ("notes", "back") or after.starts_part

    def underfilled(self, threshold: float = 0.6) -> list[int]:
        return [p.number for i, p in enumerate(self.pages) if not self.exempt(i) and p.fill < threshold]

    def footer_wraps(self) -> list[int]:
        return [p.number for p in self.pages if p.footer_lines > 1 or p.header_lines > 1]

    def justified_heading_lines(self) -> list[tuple[int, str]]:
        return [(p.number, h.text) for p in self.pages for h in p.justified_headings]

    def hyphen_page_turns(self) -> list[int]:
        return [
            p.number
            for i, p in enumerate(self.pages[:-1])
            if p.kind == "body" and p.ends_hyphenated
        ]

    def headings_at_foot(self) -> list[tuple[int, str]]:
        """Pages whose text area ends with a heading (nothing of its section follows)."""
        out = []
        for i, page in enumerate(self.pages[:-1]):
            lines = page.body_lines + page.heading_lines
            if page.kind != "body" or not lines:
                continue
            last = max(lines, key=lambda ln: ln.bottom)
            below = page.bottom > last.bottom + 2  # QR cards, figures, captions after it
            if last in page.heading_lines and not below and not self.pages[i + 1].starts_part:
                out.append((page.number, last.text))
        return out

    def hyphen_runs(self) -> int:
        """The longest run of consecutive body lines ending in a hyphen."""
        longest = run = 0
        for page in self.pages:
            for line in page.body_lines:
                run = run + 1 if line.text.endswith(HYPHENS) else 0
                longest = max(longest, run)
        return longest

    def chars_per_line(self) -> list[int]:
        """Characters of the full lines of running text (the last line of a paragraph excluded)."""
        lines = [line for p in self.pages if p.kind == "body" for line in p.body_lines]
        if not lines:
            return []
        widest = statistics.median(sorted(ln.x1 - ln.x0 for ln in lines)[-max(1, len(lines) // 3) :])
        return [len(ln.text) for ln in lines if ln.x1 - ln.x0 >= 0.92 * widest]


def _rows(words: Sequence[dict]) -> list[list[dict]]:
    """Words in lines: a word belongs to the line its vertical middle falls in (a raised ® too)."""
    rows: list[list[dict]] = []
    for w in sorted(words, key=lambda w: -w["size"]):
        middle = (w["top"] + w["bottom"]) / 2
        row = next((r for r in rows if r[0]["top"] <= middle <= r[0]["bottom"]), None)
        if row is None:
            rows.append([w])
        else:
            row.append(w)
    return sorted(rows, key=lambda r: r[0]["bottom"])


def _lines(words: Sequence[dict]) -> list[Line]:
    out = []
    for unsorted in _rows(words):
        row = sorted(unsorted, key=lambda w: w["x0"])
        size = max(w["size"] for w in row)
        gaps = tuple((b["x0"] - a["x1"]) / size for a, b in pairwise(row))
        font = max(row, key=lambda w: len(w["text"]))["fontname"].split("+")[-1]
        out.append(
            Line(
                min(w["top"] for w in row),
                max(w["bottom"] for w in row),
                row[0]["x0"],
                row[-1]["x1"],
                " ".join(w["text"] for w in row),
                font,
                size,
                gaps,
            )
        )
    return out


def _page(page: pdfplumber.page.Page, number: int, count: int, fmt: str) -> PageReport:
    media = page.page_obj.attrs.get("MediaBox")
    trim = page.page_obj.attrs.get("TrimBox") or media
    media_top = float(media[3].resolve() if hasattr(media[3], "resolve") else media[3])
    trim_vals = [float(v.resolve() if hasattr(v, "resolve") else v) for v in trim]
    # pdfplumber measures `top` from the media box's top edge, placed at bbox[1]
    top_of_trim = float(page.bbox[1]) + media_top - trim_vals[3]
    height = trim_vals[3] - trim_vals[1]
    margin_top, margin_bottom = (m * MM for m in MARGINS.get(fmt, (15.0, 15.0)))
    body_top = top_of_trim + margin_top
    body_bottom = top_of_trim + height - margin_bottom
    words = page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=False, x_tolerance=1.5)
    lines = _lines(words)
    inside = [ln for ln in lines if ln.top >= body_top - 1 and ln.bottom <= body_bottom + 1]
    footer = {round(ln.top) for ln in lines if ln.top > body_bottom + 1}
    header = {round(ln.bottom) for ln in lines if ln.bottom < body_top - 1}
    bottoms = [ln.bottom for ln in inside if ln.size >= 8]
    for obj in (*page.images, *page.curves, *page.rects, *page.lines):
        if obj["top"] >= body_top - 1 and obj["bottom"] <= body_bottom + 1:
            bottoms.append(obj["bottom"])
    fill = (max(bottoms) - body_top) / (body_bottom - body_top) if bottoms else 0.0
    text = " ".join(ln.text for ln in inside)
    first = inside[0].text if inside else ""
    kind = "body"
    if number == 1:
        kind = "cover"
    elif number == count and fmt != "handout":
        kind = "back"
    elif first.upper().startswith(CONTENTS_WORDS):
        kind = "contents"
    elif any(first.upper().startswith(w) for w in NOTES_WORDS) and len(text) < 120:
        kind = "notes"
    body = [ln for ln in inside if ln.font.startswith(BODY_FONT) and ln.size >= 8.5]
    headings = [ln for ln in inside if ln.font.startswith(HEADING_FONT) and ln.size >= 9.5]
    starts = bool(inside) and (
        (inside[0].size <= 7.5 and inside[0].text.isupper()) or inside[0].size >= 15
    )
    return PageReport(
        number,
        fill,
        kind,
        len(footer),
        len(header),
        body,
        headings,
        starts_part=starts,
        bottom=max(bottoms, default=0.0),
    )


def measure(path: Path, fmt: str) -> Report:
    with pdfplumber.open(path) as pdf:
        count = len(pdf.pages)
        pages = [_page(p, i + 1, count, fmt) for i, p in enumerate(pdf.pages)]
    # pages that continue the contents (lines ending in page numbers) are contents too
    for i, page in enumerate(pages[1:], start=1):
        if page.kind == "body" and pages[i - 1].kind == "contents":
            numbered = [ln for ln in page.heading_lines + page.body_lines]
            with pdfplumber.open(path) as pdf:
                words = pdf.pages[i].extract_words()
            ends = [w["text"] for w in words]
            if numbered == [] and sum(t.isdigit() for t in ends) >= 3:
                page.kind = "contents"
    return Report(path, fmt, pages)


def summary(report: Report) -> dict[str, object]:
    cpl = report.chars_per_line()
    return {
        "pages": len(report.pages),
        "underfilled": report.underfilled(),
        "justified_headings": len(report.justified_heading_lines()),
        "footer_wraps": len(report.footer_wraps()),
        "cpl": (min(cpl), int(statistics.median(cpl)), max(cpl)) if cpl else None,
        "hyphen_turns": report.hyphen_page_turns(),
        "hyphen_run": report.hyphen_runs(),
        "contents": report.contents_pages(),
        "headings_at_foot": len(report.headings_at_foot()),
    }


def pdfs(folder: Path) -> Iterable[tuple[Path, str]]:
    for path in sorted(folder.rglob("*.pdf")):
        if re.search(r"\.(booklet|print)\.pdf$", path.name):
            continue
        fmt = path.parent.name
        if fmt in MARGINS:
            yield path, fmt


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "output")
    totals = {"pages": 0, "underfilled": 0, "justified": 0, "wraps": 0, "turns": 0, "contents": 0}
    for path, fmt in pdfs(root):
        s = summary(measure(path, fmt))
        print(path.relative_to(root), s)
        totals["pages"] += s["pages"]
        totals["underfilled"] += len(s["underfilled"])
        totals["justified"] += s["justified_headings"]
        totals["wraps"] += s["footer_wraps"]
        totals["turns"] += len(s["hyphen_turns"])
        totals["contents"] += s["contents"]
    print("TOTAL", totals)
