"""Rendering: a prepared document -> HTML from the layouts (Jinja2) -> PDF (WeasyPrint).

Owns the layouts' environment (`environment`), the view of an article the layouts get (`views`,
`slides`, `workshop`, `inline`, `qr`), the HTML of a document (`html`) and its PDF (`document`,
`pdf`: a fetcher that never leaves the project). One `RenderContext` per build (fonts, WeasyPrint's
cache and the Jinja environment are shared by every document), then one `render` per document::

    context = RenderContext.create(config)
    result = render(inputs.prepare("psoas", "de", "handout"), context)
    result.pdf, result.pages, result.diagnostics

WeasyPrint takes ~0.4 s to import, so the PDF side (`toolkit.render.document`) is imported on
first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.render.html import TranslatedLike, render_html

if TYPE_CHECKING:
    from toolkit.render.document import RenderContext, RenderResult, render, render_document

__all__ = [
    "RenderContext",
    "RenderResult",
    "TranslatedLike",
    "render",
    "render_document",
    "render_html",
]
_LAZY = {"RenderContext", "RenderResult", "render", "render_document"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from toolkit.render import document

        return getattr(document, name)
    raise AttributeError(f"module 'toolkit.render' has no attribute {name!r}")
