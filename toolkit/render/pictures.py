"""Pictures for the PowerPoint file: QR codes and figures as PNG (or the JPEG as it is).

A .pptx shows raster pictures everywhere (PowerPoint, Keynote, Google Slides, Impress); SVG only
in some, and only beside a PNG. An SVG figure is drawn by WeasyPrint, through the project's
fetcher as in the PDF, into a one-page PDF, and that page rasterised by pdfium.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

import qrcode
import qrcode.constants
from PIL import Image as PILImage

if TYPE_CHECKING:
    from toolkit.render.document import RenderContext

SVG_WIDTH_PX = 1600  # an SVG figure is rasterised this wide: sharp on a projector
PASS_THROUGH = {"PNG", "JPEG", "GIF"}
_NUMBER = re.compile(r"^\s*([0-9.]+)")
SvgRenderer = Callable[[Path, float], "bytes | None"]  # (file, width / height) -> PNG


@functools.lru_cache(maxsize=256)  # a video's code is on its deck in every language
def qr_png(data: str) -> bytes:
    """The same code as the PDF's (error correction M, two modules of quiet zone)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=12, border=2)
    qr.add_data(data)
    qr.make(fit=True)
    image = qr.make_image(fill_color="black", back_color="white").get_image()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def png_size(data: bytes) -> tuple[int, int]:
    with PILImage.open(io.BytesIO(data)) as image:
        return image.size


def svg_aspect(path: Path) -> float:
    """Width / height of an SVG drawing, from its viewBox or its width and height."""
    try:
        root = ElementTree.parse(path).getroot()
    except (ElementTree.ParseError, OSError):
        return 1.0
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        try:
            w, h = float(box[2]), float(box[3])
            if w > 0 and h > 0:
                return w / h
        except ValueError:
            pass
    w_m, h_m = _NUMBER.match(root.get("width") or ""), _NUMBER.match(root.get("height") or "")
    if w_m and h_m and float(h_m.group(1)) > 0:
        return float(w_m.group(1)) / float(h_m.group(1))
    return 1.0


def raster(path: Path, render_svg: SvgRenderer) -> bytes | None:
    """The figure as picture bytes PowerPoint takes; None for a file no one can read."""
    if path.suffix.lower() == ".svg":
        return render_svg(path, svg_aspect(path))
    try:
        with PILImage.open(path) as image:
            if image.format in PASS_THROUGH:
                return path.read_bytes()
            out = io.BytesIO()
            image.convert("RGBA").save(out, format="PNG")
            return out.getvalue()
    except (OSError, ValueError, PILImage.DecompressionBombError):
        return None


def pdf_page_png(pdf: bytes, width_px: int = SVG_WIDTH_PX) -> bytes:
    """The first page of a PDF as a PNG `width_px` wide."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        scale = width_px / page.get_width()
        image = page.render(scale=scale).to_pil()
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def svg_png(context: RenderContext, path: Path, aspect: float) -> bytes | None:
    """An SVG figure drawn by WeasyPrint (through the project's fetcher), then rasterised; once
    per file as it is (a figure is on its deck in every language: 0.5 s a drawing)."""
    try:
        stat = path.stat()
    except OSError:
        stat = None
    key = (str(path), stat and (stat.st_mtime_ns, stat.st_size), aspect)
    if key not in context.pictures:
        context.pictures[key] = _svg_png(context, path, aspect)
    return context.pictures[key]


def _svg_png(context: RenderContext, path: Path, aspect: float) -> bytes | None:
    from toolkit.render.pdf import capture_weasyprint, finish, layout

    width = 1000.0
    height = width / aspect
    html = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>'
        f"@page {{ size: {width}px {height:.2f}px; margin: 0 }} body {{ margin: 0 }} "
        f"img {{ display: block; width: {width}px; height: {height:.2f}px }}"
        f'</style></head><body><img src="{path.as_uri()}" alt=""></body></html>'
    )
    with capture_weasyprint():
        laid = layout(
            html,
            base_url=context.config.layouts_dir.resolve().as_uri() + "/",
            fetcher=context.fetcher(),
            font_config=context.font_config,
            cache=context.cache,
            dpi=300,
        )
        pdf, _ = finish(laid)
    return pdf_page_png(pdf)
