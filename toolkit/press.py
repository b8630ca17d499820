"""Print production on finished PDFs (pypdf): a booklet to print at home, a file for the print shop.

- `impose_booklet`: A4 landscape sheets with two A5 pages a side in saddle-stitch order, padded with
  blank pages to a multiple of 4, ready for duplex printing (flip on the short edge) and folding.
- `print_ready`: single pages in reading order; the media box grows around the bleed and crop
  marks are drawn there, outside the bleed, where a print shop wants them (never inside it).
"""

from __future__ import annotations

from io import BytesIO

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject, RectangleObject

MM = 72 / 25.4
A4_LANDSCAPE = (297 * MM, 210 * MM)
MARK_GAP = 2 * MM  # between the bleed edge and the start of a mark
MARK_LENGTH = 6 * MM
MARK_WIDTH = 0.25  # points: a hairline


def saddle_stitch_order(pages: int) -> list[tuple[int, int]]:
    """(left, right) page indices for each sheet side, front then back; `pages` a multiple of 4.

    Sheet s carries on its front the last-but-2s page left and page 2s right; on its back page
    2s+1 left and the page facing it right. Folded and nested, the sheets read 1, 2, 3, ...
    """
    assert pages % 4 == 0
    sides = []
    for s in range(pages // 4):
        sides.append((pages - 1 - 2 * s, 2 * s))
        sides.append((2 * s + 1, pages - 2 - 2 * s))
    return sides


def _trim(page: PageObject) -> RectangleObject:
    return page.trimbox if "/TrimBox" in page else page.mediabox


def impose_booklet(pdf: bytes) -> bytes:
    reader = PdfReader(BytesIO(pdf))
    pages = list(reader.pages)
    if not pages:
        return pdf
    trim = _trim(pages[0])
    page_w, page_h = float(trim.width), float(trim.height)
    sheet_w, sheet_h = A4_LANDSCAPE
    # Scale to fit two pages side by side (A5 on A4 is exactly 1; larger pages shrink).
    scale = min(1.0, sheet_w / (2 * page_w), sheet_h / page_h)
    x0 = (sheet_w - 2 * page_w * scale) / 2
    y0 = (sheet_h - page_h * scale) / 2
    padded: list[PageObject | None] = [*pages, *([None] * ((-len(pages)) % 4))]
    writer = PdfWriter()
    for left, right in saddle_stitch_order(len(padded)):
        sheet = writer.add_blank_page(sheet_w, sheet_h)
        for slot, index in enumerate((left, right)):
            page = padded[index]
            if page is None:
                continue
            box = _trim(page)
            # Show only the trimmed page: the bleed of one page must not print over its neighbour.
            page.cropbox = RectangleObject(box)
            move = Transformation().translate(-float(box.left), -float(box.bottom)).scale(scale)
            move = move.translate(x0 + slot * page_w * scale, y0)
            sheet.merge_transformed_page(page, move, over=True)
    writer.add_metadata({k: v for k, v in (reader.metadata or {}).items() if isinstance(v, str)})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _marks(trim: RectangleObject, bleed: RectangleObject) -> bytes:
    """Hairlines in line with the trim edges, starting MARK_GAP outside the bleed."""
    left, bottom, right, top = (float(v) for v in (trim.left, trim.bottom, trim.right, trim.top))
    b_left, b_bottom, b_right, b_top = (
        float(v) for v in (bleed.left, bleed.bottom, bleed.right, bleed.top)
    )
    ops = ["q", f"{MARK_WIDTH} w", "0 0 0 1 K"]  # 100 % black on every plate a shop checks
    for x in (left, right):
        for start, end in ((b_bottom - MARK_GAP, b_bottom - MARK_GAP - MARK_LENGTH),
                           (b_top + MARK_GAP, b_top + MARK_GAP + MARK_LENGTH)):
            ops.append(f"{x:.3f} {start:.3f} m {x:.3f} {end:.3f} l S")
    for y in (bottom, top):
        for start, end in ((b_left - MARK_GAP, b_left - MARK_GAP - MARK_LENGTH),
                           (b_right + MARK_GAP, b_right + MARK_GAP + MARK_LENGTH)):
            ops.append(f"{start:.3f} {y:.3f} m {end:.3f} {y:.3f} l S")
    ops.append("Q")
    return "\n".join(ops).encode("ascii")


def _stream(writer: PdfWriter, data: bytes):
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


def print_ready(pdf: bytes) -> bytes:
    reader = PdfReader(BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    margin = MARK_GAP + MARK_LENGTH + 1 * MM
    for page in writer.pages:
        trim = _trim(page)
        bleed = page.bleedbox if "/BleedBox" in page else trim
        page.mediabox = RectangleObject(
            (
                float(bleed.left) - margin,
                float(bleed.bottom) - margin,
                float(bleed.right) + margin,
                float(bleed.top) + margin,
            )
        )
        page.cropbox = RectangleObject(page.mediabox)
        page.trimbox = RectangleObject(trim)
        page.bleedbox = RectangleObject(bleed)
        contents = page.get("/Contents")
        existing = contents.get_object() if contents is not None else None
        body = list(existing) if isinstance(existing, ArrayObject) else [contents] if contents else []
        # The page's own content runs inside q/Q so its transformations cannot move the marks.
        page[NameObject("/Contents")] = ArrayObject(
            [_stream(writer, b"q"), *body, _stream(writer, b"Q\n" + _marks(trim, bleed))]
        )
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
