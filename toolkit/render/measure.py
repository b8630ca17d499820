"""How much room a text takes on a slide, measured with the layouts' own fonts.

The slide deck is planned before anything is laid out: which points fit on a slide, at which
size, and how large the title may be. WeasyPrint (for the PDF) and PowerPoint (for the .pptx)
then set the same text in the same font, so measuring with the font files themselves (Pillow,
with HarfBuzz-like shaping through raqm where installed) predicts their line breaks closely. A
small safety margin covers the rest (kerning differences, a bold word or two).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from PIL import ImageFont

Weight = Literal["regular", "bold", "light"]

# The slides' typeface (layouts/base.css: --sans), by weight; a project without these files is
# measured with Pillow's built-in font, which is wider than Lato: plans stay on the safe side.
FONT_FILES: dict[Weight, str] = {
    "regular": "Lato-Regular.ttf",
    "bold": "Lato-Bold.ttf",
    "light": "Lato-Light.ttf",
}
SAFETY = 1.04  # measured widths are taken this much wider than Pillow says

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_STRONG = re.compile(r"(\*\*|__)(.+?)\1")
_MARKERS = re.compile(r"(?<!\w)[*_]+|[*_]+(?!\w)|`")


def visible(text: str) -> str:
    """The printed text of inline Markdown: no markers, link text without its target."""
    text = _LINK.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    return " ".join(_MARKERS.sub("", text).replace("\\\n", " ").split())


REFERENCE = 100.0  # widths are measured once at this size and scaled: type scales linearly


@lru_cache(maxsize=8)
def _font(path: str) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if path:
        return ImageFont.truetype(path, size=int(REFERENCE))
    return ImageFont.load_default(size=REFERENCE)


@lru_cache(maxsize=20000)
def _reference_width(path: str, text: str) -> float:
    """The advance width of `text` at the reference size; words repeat, so this is cached."""
    return float(_font(path).getlength(text))


@lru_cache(maxsize=16)
def _font_path(fonts_dir: str, weight: Weight) -> str:
    path = Path(fonts_dir) / FONT_FILES[weight]
    return str(path) if path.is_file() else ""


@dataclass(frozen=True)
class Measure:
    """Widths and line breaks of slide texts, in points (1 pt = 1/72 in, as on the slide)."""

    fonts_dir: Path

    def _path(self, weight: Weight) -> str:
        return _font_path(str(self.fonts_dir), weight)

    def width(self, text: str, size: float, weight: Weight = "regular") -> float:
        return _reference_width(self._path(weight), text) * size / REFERENCE * SAFETY

    def lines(self, text: str, size: float, width: float, weight: Weight = "regular") -> int:
        """How many lines `text` (inline Markdown) takes in a box `width` wide: greedy breaks at
        spaces, as browsers and PowerPoint make them (never hyphenated: slides are not)."""
        words = visible(text).split()
        if not words:
            return 0
        space = self.width(" ", size, weight)
        count, used = 1, 0.0
        for word in words:
            w = self.width(word, size, weight)
            if used and used + space + w > width:
                count, used = count + 1, 0.0
            if not used and w > width:  # a word wider than the box: it takes lines of its own
                extra = int(w // width)
                count += extra
                used = w - extra * width
                continue
            used = used + space + w if used else w
        return count
