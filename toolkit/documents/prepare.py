"""Preparing documents: an article in one language in one format, with everything its layout needs.

`toolkit build` and `toolkit serve` both start here, so a preview shows exactly what the PDF gets::

    inputs = Inputs(config)                       # what one command reads, each file once
    document = inputs.prepare("psoas", "de", "handout")
    document.translated, document.includes, document.gettext, document.fell_back, document.key

A `Document` is frozen and pickles: the build sends it to its worker processes as it is, so no
worker reads a source or a catalog again.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from toolkit import __version__
from toolkit.catalogs.files import LAYOUTS_DOMAIN, check_languages, po_path, read_catalog
from toolkit.catalogs.layouts import LAYOUTS_LANG
from toolkit.catalogs.po import Catalog
from toolkit.config import Config
from toolkit.documents.formats import Format, formats_for, get_format
from toolkit.documents.translate import Translated, UnitResult, translate
from toolkit.errors import Diagnostic
from toolkit.sources.files import article_paths, load_articles, read_article
from toolkit.sources.model import Article, FrozenMap
from toolkit.sources.rules import is_slug
from toolkit.sources.workshop import resolve_includes


@dataclass(frozen=True)
class Included:
    """An article a workshop pack includes, translated into the pack's language with its own
    catalog, and the source lines of the H2 sections chosen from it (() = all of it)."""

    translated: Translated
    section_lines: tuple[int, ...]


@dataclass(frozen=True)
class Document:
    format: Format
    translated: Translated
    includes: tuple[Included, ...]
    layout_strings: Mapping[str, str]  # the layouts' own strings in this language
    build_date: dt.date | None  # printed where the article has no date of its own
    key: str  # a hash of every input: the same key gives the same bytes
    notes: tuple[Diagnostic, ...] = ()  # what the included articles fell back to

    @property
    def article(self) -> Article:
        return self.translated.article

    @property
    def slug(self) -> str:
        return self.translated.article.slug

    @property
    def lang(self) -> str:
        return self.translated.lang

    def gettext(self, msgid: str) -> str:
        return self.layout_strings.get(msgid, msgid)

    @property
    def fell_back(self) -> tuple[UnitResult, ...]:
        """Units shown in the source language (or outdated), the included articles' too."""
        return self.translated.fell_back + tuple(r for i in self.includes for r in i.translated.fell_back)

    @property
    def units(self) -> int:
        return len(self.translated.results) + sum(len(i.translated.results) for i in self.includes)

    @property
    def fallback_lines(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        """Where the units that fell back are: (source file, its lines), the pack's own first."""
        parts = [self.translated, *(i.translated for i in self.includes)]
        return tuple(
            (t.article.path, tuple(sorted({r.line for r in t.fell_back})))
            for t in parts
            if t.fell_back
        )


class Inputs:
    """What one command reads: every source parsed once, every catalog read once, each article
    translated once per language, and the part of the cache key all documents share.

    A read-through cache of the project's files at the time of the command; a long-running
    server makes a new one for each request, so it always shows the files as they are saved.
    """

    def __init__(
        self, config: Config, *, use_fuzzy: bool = False, build_date: dt.date | None = None
    ) -> None:
        self.config = config
        self.use_fuzzy = use_fuzzy
        self.build_date = build_date
        self._articles: dict[str, Article | None] = {}
        self._catalogs: dict[tuple[str, str], Catalog | None] = {}
        self._translated: dict[tuple[str, str], Translated] = {}
        self._shared: str | None = None

    # --- reading, once ------------------------------------------------------------------------

    def articles(self, slugs: Sequence[str] = ()) -> tuple[Article, ...]:
        """Every article (or the named ones), checked as `toolkit update` checks them."""
        found = load_articles(self.config, slugs)
        for article in found:
            self._articles[article.slug] = article
        return found

    def article(self, slug: str) -> Article | None:
        """The article of that name, or None where there is no such source."""
        if slug not in self._articles:
            path = self.config.sources_dir / f"{slug}.md"
            self._articles[slug] = (
                read_article(
                    path,
                    root=self.config.root,
                    default_lang=self.config.source_language,
                    max_bytes=self.config.max_source_bytes,
                )
                if is_slug(slug) and path.is_file()
                else None
            )
        return self._articles[slug]

    def catalog(self, lang: str, domain: str) -> Catalog | None:
        if (lang, domain) not in self._catalogs:
            self._catalogs[lang, domain] = read_catalog(self.config, po_path(self.config, lang, domain))
        return self._catalogs[lang, domain]

    def translated(self, article: Article, lang: str) -> Translated:
        if (article.slug, lang) not in self._translated:
            catalog = self.catalog(lang, article.slug) if lang != article.lang else None
            self._translated[article.slug, lang] = translate(
                article, catalog, lang, use_fuzzy=self.use_fuzzy
            )
        return self._translated[article.slug, lang]

    def languages(self, only: Sequence[str] = ()) -> list[str]:
        check_languages(self.config, only)
        return [lang for lang in self.config.languages if not only or lang in only]

    # --- documents ----------------------------------------------------------------------------

    def prepare(self, article: Article | str, lang: str, fmt: Format | str) -> Document:
        """One document; ToolkitError (naming file and line) for a broken source or catalog, a
        missing included article, or a format this source is not made in."""
        if isinstance(article, str):
            article = self._named(article)
        fmt = get_format(fmt) if isinstance(fmt, str) else fmt
        formats_for(article, (fmt.name,), named=True)
        translated = self.translated(article, lang)
        includes: tuple[Included, ...] = ()
        if fmt.view == "workshop":
            available = [p.stem for p in article_paths(self.config)]
            includes = tuple(
                Included(self.translated(inc.article, lang), inc.section_lines)
                for inc in resolve_includes(article, self.article, available)
            )
        layouts = self.catalog(lang, LAYOUTS_DOMAIN) if lang != LAYOUTS_LANG else None
        strings = FrozenMap(
            {e.msgid: e.msgstr for e in layouts.active if e.translated} if layouts else {}
        )
        notes = tuple(
            Diagnostic(
                "info",
                f"included article: {len(inc.translated.fell_back)} unit(s) shown in {inc.translated.source_lang}",
                inc.translated.article.path,
                inc.translated.fell_back[0].line,
                "include-fallback",
            )
            for inc in includes
            if inc.translated.fell_back
        )
        return Document(
            fmt,
            translated,
            includes,
            strings,
            self.build_date,
            self._key(fmt, article, lang, includes, layouts),
            notes,
        )

    def _named(self, slug: str) -> Article:
        article = self.article(slug)
        return article if article is not None else self.articles([slug])[0]

    # --- what an output depends on ------------------------------------------------------------

    def shared_key(self) -> str:
        """What every output depends on (toolkit version, brand, regions, options, the layouts
        with their fonts, the logo, the print profile): hashed once per command."""
        if self._shared is None:
            config = self.config
            files = sorted(p for p in config.layouts_dir.rglob("*") if p.is_file())
            if config.brand.logo:
                files.append(config.root / config.brand.logo)
            if config.print_profile_path:
                files.append(config.print_profile_path)
            parts = [
                __version__,
                _code_key(),
                repr(config.brand),
                repr(config.language_brands),
                repr(config.regions),
                str(self.use_fuzzy),
                str(self.build_date),
            ]
            self._shared = _digest(parts, ((config.rel(p), _file_hash(p)) for p in files))
        return self._shared

    def _key(
        self,
        fmt: Format,
        article: Article,
        lang: str,
        includes: Sequence[Included],
        layouts: Catalog | None,
    ) -> str:
        """Everything one document depends on: when none of it changed, the output would be the
        same. A workshop pack depends on its included articles' sources and catalogs too."""
        parts = [self.shared_key(), fmt.name, article.slug, lang]
        files = [
            (article.path, article.digest),
            (f"{lang}/{article.slug}", _catalog_digest(self.catalog(lang, article.slug))),
            (f"{lang}/{LAYOUTS_DOMAIN}", _catalog_digest(layouts)),
        ]
        for inc in includes:
            other = inc.translated.article
            files += [
                (other.path, other.digest),
                (f"{lang}/{other.slug}", _catalog_digest(self.catalog(lang, other.slug))),
            ]
        return _digest(parts, files)


# Libraries whose upgrade changes what an output looks like.
_RENDERING_LIBRARIES = ("weasyprint", "pydyf", "fonttools", "pypdf", "python-pptx", "qrcode", "jinja2")


@functools.cache
def _code_key() -> str:
    """The toolkit's own code and the rendering libraries' versions: a changed renderer (a
    developer's edit, an upgrade that keeps the version number) must not reuse old outputs."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for name in _RENDERING_LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}\n".encode())
    return digest.hexdigest()


def _catalog_digest(catalog: Catalog | None) -> str:
    return catalog.digest if catalog is not None else "-"


def _file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "-"


def _digest(parts: Sequence[str], files: Iterable[tuple[str, str]]) -> str:
    digest = hashlib.sha256("\n".join(parts).encode())
    for name, file_digest in files:
        digest.update(name.encode() + b"\0" + file_digest.encode() + b"\n")
    return digest.hexdigest()
