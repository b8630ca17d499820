"""Who writes each format's file: the registry's `writer` field names one of these.

`weasyprint`: the layout's HTML laid out into a PDF (`document.render`); `pptx`: the slide deck
as an editable PowerPoint file (`powerpoint.write_pptx`). A build calls `write` for every
document and never asks which format it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from toolkit.render.written import Written

__all__ = ["WRITERS", "Written", "write"]

if TYPE_CHECKING:
    from toolkit.documents.prepare import Document
    from toolkit.render.document import RenderContext


def _weasyprint(document: Document, context: RenderContext) -> Written:
    from toolkit.render.document import render

    result = render(document, context)
    return Written(result.pdf, result.pages, result.diagnostics, result.setting)


def _pptx(document: Document, context: RenderContext) -> Written:
    from toolkit.render.powerpoint import write_pptx

    return write_pptx(document, context)


WRITERS: dict[str, Callable[[Document, RenderContext], Written]] = {
    "weasyprint": _weasyprint,
    "pptx": _pptx,
}


def write(document: Document, context: RenderContext) -> Written:
    """The file of one prepared document, by its format's writer."""
    return WRITERS[document.format.writer](document, context)
