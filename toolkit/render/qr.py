"""QR codes as inline SVG vectors (a single path), for videos and the practice's website."""

from __future__ import annotations

import re
from functools import lru_cache

import qrcode
import qrcode.constants
from qrcode.image.svg import SvgPathImage

_XML_DECL = re.compile(r"^<\?xml[^>]*\?>\s*")
_SIZE_ATTRS = re.compile(r'\s(width|height)="[^"]*"')


@lru_cache(maxsize=256)
def qr_svg(data: str, *, label: str = "") -> str:
    """An `<svg>` element drawing `data` as a QR code; it scales to its box (size it with CSS).

    Error correction M survives a crease or a smudge on paper; the quiet zone is part of the
    drawing (border 2 modules is enough on a white card). `label` becomes the SVG's title for
    tagged PDF and screen readers.
    """
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=10,
        border=2,
        image_factory=SvgPathImage,
    )
    qr.add_data(data)
    qr.make(fit=True)
    svg = qr.make_image().to_string(encoding="unicode")
    svg = _XML_DECL.sub("", svg)
    svg = _SIZE_ATTRS.sub("", svg, count=2)
    svg = svg.replace(' id="qr-path"', "")  # one per code: ids must stay unique in a page
    attrs = ' class="qr" role="img" preserveAspectRatio="xMidYMid meet"'
    svg = svg.replace("<svg", "<svg" + attrs, 1)
    if label:
        title = label.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        svg = svg.replace(">", f"><title>{title}</title>", 1)
    return svg
