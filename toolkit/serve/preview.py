"""Documents for the browser: the layouts' HTML made loadable from our routes, and PDFs on demand.

The HTML is exactly what `render_html` gives WeasyPrint. Three things change so that a browser
can show it from this server: file: URLs into sources/ and layouts/ become /sources/… and
/layouts/… routes, a <base href="/layouts/"> lets the stylesheets' relative URLs (base.css,
fonts/…) resolve the way WeasyPrint's base_url does, and a screen stylesheet lays the print
layout out as sheets of paper. PDFs come from `render`, as in `toolkit build`, and are
kept in memory only, keyed by a hash of every input file: nothing is written to output/.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape

from toolkit.config import Config
from toolkit.documents import Document, Inputs
from toolkit.documents.formats import PDF_FORMATS
from toolkit.documents.translate import Translated
from toolkit.errors import Diagnostic
from toolkit.render import RenderContext, render, render_html
from toolkit.serve.data import NotFound
from toolkit.sources.rules import is_slug

PDF_CACHE_SIZE = 24  # a few articles × languages × formats; a PDF is a few hundred kB


@dataclass(frozen=True)
class Preview:
    html: str  # ready for the browser
    diagnostics: tuple[Diagnostic, ...]
    document: Document

    @property
    def translated(self) -> Translated:
        return self.document.translated


class Previewer:
    """Renders previews and PDFs for one project; safe to call from several threads."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.context = RenderContext.create(config)
        # WeasyPrint's shared font configuration and cache are not meant for two threads at once.
        self._pdf_lock = threading.Lock()
        self._pdfs: OrderedDict[str, bytes] = OrderedDict()

    def check(self, slug: str, lang: str, fmt: str) -> Path:
        """The article's source file; NotFound for a name, language or format we do not have."""
        config = self.config
        if fmt not in PDF_FORMATS:  # the .pptx is built by `toolkit build`, not previewed
            raise NotFound(f"unknown format {fmt!r}", hint=f"formats are {', '.join(PDF_FORMATS)}")
        if lang not in config.languages:
            raise NotFound(
                f"{lang!r} is not a project language",
                path="pyproject.toml",
                hint=f"languages are {', '.join(config.languages)}",
            )
        path = config.sources_dir / f"{slug}.md"
        if not is_slug(slug) or not path.is_file():
            raise NotFound(f"no article {slug!r}", path=config.sources)
        return path

    def prepare(self, slug: str, lang: str, fmt: str) -> Document:
        """The document as `toolkit build` prepares it, from the files as they are now;
        ToolkitError (naming file and line) for a broken source or catalog, or for a format this
        article is not made in (a workshop is only a workshop pack)."""
        self.check(slug, lang, fmt)
        return Inputs(self.config).prepare(slug, lang, fmt)

    def preview(self, slug: str, lang: str, fmt: str) -> Preview:
        document = self.prepare(slug, lang, fmt)
        html, diagnostics = render_html(
            self.context.env,
            document.translated,
            document.format,
            config=self.config,
            gettext=document.gettext,
            build_date=document.build_date,
            includes=document.includes,
        )
        return Preview(for_browser(html, self.config, fmt), tuple(diagnostics), document)

    def pdf(self, slug: str, lang: str, fmt: str) -> bytes:
        return self.pdf_of(self.prepare(slug, lang, fmt))

    def cached_pdf(self, key: str) -> bytes | None:
        """The PDF of the document whose inputs hash to `key`, if it is still in memory."""
        with self._pdf_lock:
            return self._pdfs.get(key)

    def pdf_of(self, document: Document) -> bytes:
        """The PDF of a prepared document, from memory when its inputs did not change."""
        with self._pdf_lock:
            if document.key in self._pdfs:
                self._pdfs.move_to_end(document.key)
                return self._pdfs[document.key]
            pdf = render(document, self.context).pdf
            self._pdfs[document.key] = pdf
            while len(self._pdfs) > PDF_CACHE_SIZE:
                self._pdfs.popitem(last=False)
            return pdf


# --- the HTML, made loadable by a browser from this server -----------------------------------

_HEAD = re.compile(r"<head(?:\s[^>]*)?>", re.IGNORECASE)
_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)


def for_browser(html: str, config: Config, fmt: str) -> str:
    """Point the document's file: URLs at our routes and add the screen stylesheet and script."""
    routes = [(config.sources_dir.resolve().as_uri() + "/", "/sources/")]
    routes.append((config.layouts_dir.resolve().as_uri() + "/", "/layouts/"))
    if config.brand.logo:
        routes.append(((config.root / config.brand.logo).resolve().as_uri(), "/logo"))
    for uri, route in routes:
        # as_uri() percent-encodes quotes, '&' and '<', so the URL appears verbatim in attributes.
        html = html.replace(f'"{uri}', f'"{route}')
    # Any other file: URL would be refused by the PDF fetcher too; the browser must not try it.
    html = re.sub(r'"file:[^"]*"', '""', html)
    # target=_blank: a link in the article opens beside the preview, never inside its frame.
    head = (
        '<base href="/layouts/" target="_blank">'
        f'<meta name="toolkit-format" content="{escape(fmt)}">'
    )
    tail = '<link rel="stylesheet" href="/_serve/paper.css"><script src="/_serve/paper.js" defer></script>'
    html = (
        _HEAD.sub(lambda m: m.group(0) + head, html, count=1) if _HEAD.search(html) else head + html
    )
    if _HEAD_END.search(html):
        return _HEAD_END.sub(lambda m: tail + m.group(0), html, count=1)
    return html + tail
