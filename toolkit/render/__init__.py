"""The rendering half: a translated article -> a PDF handout, brochure, slide deck or workshop pack.

One `RenderContext` per build (fonts, WeasyPrint's cache and the Jinja environment are shared by
every document), then one `render_document` call per article x language x format::

    context = RenderContext.create(config)
    result = render_document(translated, "handout", context=context, gettext=gettext)
    result.pdf, result.pages, result.diagnostics

WeasyPrint takes ~0.4 s to import; `toolkit extract` and `update` only need the layout strings, so
the PDF side (toolkit.render.document) is imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.render.html import ARTICLE_FORMATS, FORMATS, TranslatedLike, render_html
from toolkit.render.workshop import Included

if TYPE_CHECKING:
    from toolkit.render.document import RenderContext, RenderResult, render_document

__all__ = [
    "ARTICLE_FORMATS",
    "FORMATS",
    "Included",
    "RenderContext",
    "RenderResult",
    "TranslatedLike",
    "render_document",
    "render_html",
]
_LAZY = {"RenderContext", "RenderResult", "render_document"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from toolkit.render import document

        return getattr(document, name)
    raise AttributeError(f"module 'toolkit.render' has no attribute {name!r}")
