"""Print production: booklet imposition order and crop marks outside the bleed, read back."""

from __future__ import annotations

import re
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from weasyprint import HTML

from toolkit.press import MM, impose_booklet, print_ready, saddle_stitch_order


def numbered_pages(count: int, bleed: bool = False) -> bytes:
    style = "@page { size: A5; margin: 20mm; %s }" % ("bleed: 3mm; marks: none;" if bleed else "")
    body = "".join(f'<p style="break-after: page; font-size: 40pt">PAGE{n}</p>' for n in range(1, count + 1))
    return HTML(string=f"<style>{style}</style>{body}").write_pdf()


def text_in(pdf: Path, page: int, x: float, width: float) -> str:
    """Text of a vertical strip of one page (points, from the left), as pdftotext sees it."""
    result = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-x", str(int(x)), "-y", "0",
         "-W", str(int(width)), "-H", "600", "-r", "72", str(pdf), "-"],
        capture_output=True, text=True, check=True,
    )
    found = re.findall(r"PAGE(\d+)", result.stdout)
    return found[0] if found else "blank"


def test_saddle_stitch_order_for_eight_pages() -> None:
    assert saddle_stitch_order(8) == [(7, 0), (1, 6), (5, 2), (3, 4)]


@pytest.mark.parametrize("count", [6, 8, 9])
def test_booklet_places_pages_where_saddle_stitch_puts_them(count: int, tmp_path: Path) -> None:
    booklet = tmp_path / "booklet.pdf"
    booklet.write_bytes(impose_booklet(numbered_pages(count)))
    reader = PdfReader(booklet)
    padded = count + (-count) % 4
    assert len(reader.pages) == padded // 2
    width = float(reader.pages[0].mediabox.width)
    assert round(width / MM) == 297 and round(float(reader.pages[0].mediabox.height) / MM) == 210
    for side, (left, right) in enumerate(saddle_stitch_order(padded), start=1):
        expect = [str(i + 1) if i < count else "blank" for i in (left, right)]
        got = [text_in(booklet, side, 0, width / 2), text_in(booklet, side, width / 2, width / 2)]
        assert got == expect, f"sheet side {side}"


def test_print_ready_keeps_boxes_and_draws_marks_outside_the_bleed(tmp_path: Path) -> None:
    source = numbered_pages(4, bleed=True)
    ready = PdfReader(BytesIO(print_ready(source)))
    original = PdfReader(BytesIO(source))
    for page, before in zip(ready.pages, original.pages, strict=True):
        trim, bleed, media = page.trimbox, page.bleedbox, page.mediabox
        assert [round(float(v), 2) for v in trim] == [round(float(v), 2) for v in before.trimbox]
        assert round((float(trim.width)) / MM) == 148 and round(float(trim.height) / MM) == 210
        assert round((float(trim.left) - float(bleed.left)) / MM) == 3
        assert float(media.left) < float(bleed.left) and float(media.top) > float(bleed.top)
        marks = page["/Contents"][-1].get_object().get_data().decode()
        lines = re.findall(r"([-\d.]+) ([-\d.]+) m ([-\d.]+) ([-\d.]+) l S", marks)
        assert len(lines) == 8
        for x1, y1, x2, y2 in ((float(a), float(b), float(c), float(d)) for a, b, c, d in lines):
            for x, y in ((x1, y1), (x2, y2)):
                outside = (
                    x < float(bleed.left) or x > float(bleed.right)
                    or y < float(bleed.bottom) or y > float(bleed.top)
                )
                assert outside, f"mark point {(x, y)} inside the bleed box"
            # Each mark is in line with a trim edge.
            assert x1 in (round(float(trim.left), 3), round(float(trim.right), 3)) or y1 in (
                round(float(trim.bottom), 3),
                round(float(trim.top), 3),
            )


def test_press_output_is_deterministic() -> None:
    pdf = numbered_pages(5, bleed=True)
    assert impose_booklet(pdf) == impose_booklet(pdf)
    assert print_ready(pdf) == print_ready(pdf)
