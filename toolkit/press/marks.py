"""The file for the print shop: single pages in reading order; the media box grows around the bleed
and crop marks are drawn there, outside the bleed, where a print shop wants them (never inside it)."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject, RectangleObject

from toolkit.press.booklet import MM, trim_box

MARK_GAP = 2 * MM  # between the bleed edge and the start of a mark
MARK_LENGTH = 6 * MM
MARK_WIDTH = 0.25  # points: a hairline


def _marks(trim: RectangleObject, bleed: RectangleObject) -> bytes:
    """Hairlines in line with the trim edges, starting MARK_GAP outside the bleed."""
    left, bottom, right, top = (float(v) for v in (trim.left, trim.bottom, trim.right, trim.top))
    b_left, b_bottom, b_right, b_top = (
        float(v) for v in (bleed.left, bleed.bottom, bleed.right, bleed.top)
    )
    # An artifact (not part of the text a screen reader reads), in 100 % black on every plate.
    ops = ["/Artifact BMC", "q", f"{MARK_WIDTH} w", "0 0 0 1 K"]
    for x in (left, right):
        for start, end in ((b_bottom - MARK_GAP, b_bottom - MARK_GAP - MARK_LENGTH),
                           (b_top + MARK_GAP, b_top + MARK_GAP + MARK_LENGTH)):
            ops.append(f"{x:.3f} {start:.3f} m {x:.3f} {end:.3f} l S")
    for y in (bottom, top):
        for start, end in ((b_left - MARK_GAP, b_left - MARK_GAP - MARK_LENGTH),
                           (b_right + MARK_GAP, b_right + MARK_GAP + MARK_LENGTH)):
            ops.append(f"{start:.3f} {y:.3f} m {end:.3f} {y:.3f} l S")
    ops += ["Q", "EMC"]
    return "\n".join(ops).encode("ascii")


def _stream(writer: PdfWriter, data: bytes):
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


def print_ready(pdf: bytes) -> bytes:
    """The shop's file: the document as it is (its PDF version, language, title, tags and output
    intent kept), with a larger media box and crop marks drawn as artifacts outside the bleed."""
    reader = PdfReader(BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    writer.pdf_header = reader.pdf_header  # never pypdf's default 1.3: the pages use transparency
    margin = MARK_GAP + MARK_LENGTH + 1 * MM
    for page in writer.pages:
        trim = trim_box(page)
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
