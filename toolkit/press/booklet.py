"""A booklet to print at home: A4 landscape sheets with two A5 pages a side in saddle-stitch
order, padded with blank pages to a multiple of 4, for duplex printing (flip on the short edge)
and folding."""

from __future__ import annotations

from io import BytesIO

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    RectangleObject,
    TextStringObject,
)

MM = 72 / 25.4
A4_LANDSCAPE = (297 * MM, 210 * MM)


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


def trim_box(page: PageObject) -> RectangleObject:
    return page.trimbox if "/TrimBox" in page else page.mediabox


def _form(writer: PdfWriter, page: PageObject, box: RectangleObject) -> IndirectObject:
    """The page as a form XObject clipped to `box`: its content streams copied as they are (never
    parsed and rewritten, which is what makes pypdf's page merging slow), its resources cloned
    once into the writer (fonts shared by every page stay one object)."""
    contents = page.get("/Contents")
    streams = contents.get_object() if contents is not None else []
    if not isinstance(streams, ArrayObject):
        streams = [streams]
    form = DecodedStreamObject()
    # Each stream may end in the middle of nothing: a newline keeps two operators apart.
    form.set_data(b"\n".join(s.get_object().get_data() for s in streams))
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): RectangleObject(box),
            NameObject("/Resources"): page["/Resources"].clone(writer) if "/Resources" in page else DictionaryObject(),
        }
    )
    if "/Group" in page:  # the page's transparency group, for the same blending inside the form
        form[NameObject("/Group")] = page["/Group"].clone(writer)
    return writer._add_object(form)


def impose_booklet(pdf: bytes) -> bytes:
    reader = PdfReader(BytesIO(pdf))
    pages = list(reader.pages)
    if not pages:
        return pdf
    trim = trim_box(pages[0])
    page_w, page_h = float(trim.width), float(trim.height)
    sheet_w, sheet_h = A4_LANDSCAPE
    # Scale to fit two pages side by side (A5 on A4 is exactly 1; larger pages shrink).
    scale = min(1.0, sheet_w / (2 * page_w), sheet_h / page_h)
    x0 = (sheet_w - 2 * page_w * scale) / 2
    y0 = (sheet_h - page_h * scale) / 2
    padded: list[PageObject | None] = [*pages, *([None] * ((-len(pages)) % 4))]
    writer = PdfWriter()
    group = None
    for left, right in saddle_stitch_order(len(padded)):
        sheet = writer.add_blank_page(sheet_w, sheet_h)
        ops: list[str] = []
        xobjects = DictionaryObject()
        for slot, index in enumerate((left, right)):
            page = padded[index]
            if page is None:
                continue
            # Show only the trimmed page: the bleed of one page must not print over its neighbour.
            box = trim_box(page)
            name = f"/P{index}"
            xobjects[NameObject(name)] = _form(writer, page, box)
            group = group or page.get("/Group")
            dx = x0 + slot * page_w * scale - float(box.left) * scale
            dy = y0 - float(box.bottom) * scale
            ops.append(f"q {scale:.6f} 0 0 {scale:.6f} {dx:.4f} {dy:.4f} cm {name} Do Q")
        sheet[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): xobjects})
        if group is not None:
            sheet[NameObject("/Group")] = group.clone(writer)
        content = DecodedStreamObject()
        content.set_data("\n".join(ops).encode("ascii"))
        sheet[NameObject("/Contents")] = writer._add_object(content)
    writer.add_metadata({k: v for k, v in (reader.metadata or {}).items() if isinstance(v, str)})
    # The same PDF version (the pages keep their transparency), language and title as the document.
    # Not tagged: on imposed sheets the pages are out of reading order; the single-page PDF beside
    # it is the accessible one.
    writer.pdf_header = reader.pdf_header
    catalog = reader.trailer["/Root"]
    if "/Lang" in catalog:
        writer.root_object[NameObject("/Lang")] = TextStringObject(str(catalog["/Lang"]))
    writer.root_object[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(True)}
    )
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
