"""Documents for the browser: the layouts' HTML made loadable from our routes, and PDFs on demand.

The HTML is exactly what `render_html` gives WeasyPrint. Three things change so that a browser
can show it from this server: file: URLs into sources/ and layouts/ become /sources/… and
/layouts/… routes, a <base href="/layouts/"> lets the stylesheets' relative URLs (base.css,
fonts/…) resolve the way WeasyPrint's base_url does, and a screen stylesheet lays the print
layout out as sheets of paper. PDFs come from `render_document`, as in `toolkit build`, and are
kept in memory only, keyed by a hash of every input file: nothing is written to output/.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape

# The build's own lookups and workshop helpers: the preview shows the texts the PDFs get.
from toolkit.build import (
    catalog_for,
    formats_for,
    inputs_key,
    layout_gettext,
    shared_inputs,
    translate_includes,
)
from toolkit.catalogs.files import LAYOUTS_DOMAIN
from toolkit.catalogs.layouts import LAYOUTS_LANG
from toolkit.config import Config
from toolkit.documents.translate import Translated, UnitResult, translate
from toolkit.errors import Diagnostic
from toolkit.render import FORMATS, Included, RenderContext, render_document, render_html
from toolkit.render.environment import Gettext
from toolkit.serve.data import NotFound
from toolkit.sources.files import read_article
from toolkit.sources.workshop import resolve_includes

PDF_CACHE_SIZE = 24  # a few articles × languages × formats; a PDF is a few hundred kB


@dataclass(frozen=True)
class Prepared:
    """One article translated for one document, as `toolkit build` prepares it."""

    translated: Translated
    gettext: Gettext
    includes: tuple[Included, ...]  # a workshop pack's included articles, translated
    included: tuple[str, ...]  # their slugs, for the cache key
    fell_back: tuple[UnitResult, ...]  # units shown in the source language, included ones too
    units: int
    # Where those units are: (source file, its lines), the pack's own file first.
    fallback_lines: tuple[tuple[str, tuple[int, ...]], ...] = ()


@dataclass(frozen=True)
class Preview:
    html: str  # ready for the browser
    diagnostics: tuple[Diagnostic, ...]
    prepared: Prepared

    @property
    def translated(self) -> Translated:
        return self.prepared.translated


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
        if fmt not in FORMATS:
            raise NotFound(f"unknown format {fmt!r}", hint=f"formats are {', '.join(FORMATS)}")
        if lang not in config.languages:
            raise NotFound(
                f"{lang!r} is not a project language",
                path="pyproject.toml",
                hint=f"languages are {', '.join(config.languages)}",
            )
        path = config.sources_dir / f"{slug}.md"
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug) or not path.is_file():
            raise NotFound(f"no article {slug!r}", path=config.sources)
        return path

    def prepare(self, slug: str, lang: str, fmt: str) -> Prepared:
        """Read and translate; ToolkitError (naming file and line) for a broken source or catalog,
        or for a format this article is not made in (a workshop is only a workshop pack)."""
        config = self.config
        path = self.check(slug, lang, fmt)
        article = read_article(path, root=config.root, default_lang=config.source_language)
        formats_for(article, (fmt,), named=True)
        translated = translate(article, catalog_for(config, lang, slug), lang)
        pairs = (
            translate_includes(config, resolve_includes(config, article), lang)
            if article.is_workshop
            else []
        )
        layouts = None if lang == LAYOUTS_LANG else catalog_for(config, lang, LAYOUTS_DOMAIN)
        where = [(article.path, translated.fell_back)]
        where += [(inc.article.path, tr.fell_back) for inc, tr in pairs]
        return Prepared(
            translated,
            layout_gettext(layouts),
            tuple(Included(tr, inc.section_lines) for inc, tr in pairs),
            tuple(inc.article.slug for inc, _ in pairs),
            translated.fell_back + tuple(r for _, tr in pairs for r in tr.fell_back),
            len(translated.results) + sum(len(tr.results) for _, tr in pairs),
            tuple((path, tuple(sorted({r.line for r in fell}))) for path, fell in where if fell),
        )

    def preview(self, slug: str, lang: str, fmt: str) -> Preview:
        prepared = self.prepare(slug, lang, fmt)
        html, diagnostics = render_html(
            self.context.env,
            prepared.translated,
            fmt,
            config=self.config,
            gettext=prepared.gettext,
            includes=prepared.includes,
        )
        return Preview(for_browser(html, self.config, fmt), tuple(diagnostics), prepared)

    def pdf(self, slug: str, lang: str, fmt: str) -> bytes:
        prepared = self.prepare(slug, lang, fmt)
        key = self.inputs_key(slug, lang, fmt, prepared.included)
        with self._pdf_lock:
            if key in self._pdfs:
                self._pdfs.move_to_end(key)
                return self._pdfs[key]
            result = render_document(
                prepared.translated,
                fmt,
                context=self.context,
                gettext=prepared.gettext,
                includes=prepared.includes,
            )
            self._pdfs[key] = result.pdf
            while len(self._pdfs) > PDF_CACHE_SIZE:
                self._pdfs.popitem(last=False)
            return result.pdf

    def inputs_key(self, slug: str, lang: str, fmt: str, included: Sequence[str] = ()) -> str:
        """The build's cache key (same hash, same PDF), with the format, since one PDF is kept."""
        return inputs_key(self.config, shared_inputs(self.config, fmt), slug, lang, included)


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
