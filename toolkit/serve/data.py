"""What the dashboard and the side-by-side view show, computed from the project's files.

The figures come from `toolkit.catalogs.status.domain_progress`, the function behind `toolkit status
--json`, so the browser and the command line never disagree. Each article is read on its own:
one broken source becomes an error in its own row instead of hiding every other article.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.catalogs.files import (
    LAYOUTS_DOMAIN,
    Domain,
    article_domains,
    po_path,
    read_catalog,
    target_languages,
)
from toolkit.catalogs.po import Catalog, State, entry_state
from toolkit.catalogs.status import Progress, domain_progress, totals
from toolkit.catalogs.units import word_count
from toolkit.config import Config
from toolkit.documents import formats_for
from toolkit.errors import ToolkitError
from toolkit.sources.files import article_paths, load_articles


class NotFound(ToolkitError):
    """An article, language or format that the project does not have: the server answers 404."""


@dataclass(frozen=True)
class Row:
    """One catalog family (an article, or the layout strings) across the project's languages."""

    domain: str
    title: str
    source_lang: str
    path: str  # the source file (or layouts folder) as the user sees it
    is_article: bool
    formats: tuple[str, ...] = ()  # what it can be previewed as
    cells: dict[str, Progress] = field(default_factory=dict)  # target language -> figures
    error: str = ""  # a ToolkitError's text: names file and line


@dataclass(frozen=True)
class Dashboard:
    languages: tuple[str, ...]
    rows: tuple[Row, ...]
    totals: tuple[Progress, ...]

    @property
    def errors(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.error)


@dataclass(frozen=True)
class UnitView:
    """One entry as a translator needs it: both texts, its state, and where to find it."""

    number: int
    msgid: str
    msgctxt: str | None
    msgstr: str
    state: State
    previous_msgid: str | None  # the old source text of a fuzzy entry (#|)
    locations: tuple[str, ...]  # "sources/x.md:12"
    po_line: int  # where the entry starts in the PO file (0: not in the file yet)
    comments: tuple[str, ...]
    words: int


@dataclass(frozen=True)
class Comparison:
    domain: Domain
    title: str
    lang: str
    po_file: str  # relative to the project, for "file:line"
    progress: Progress
    units: tuple[UnitView, ...]
    formats: tuple[str, ...]  # what the article can be previewed as; () for the layouts


def article_slugs(config: Config) -> list[str]:
    return [p.stem for p in article_paths(config)]


def _find_domain(config: Config, name: str) -> tuple[Domain, str, tuple[str, ...]] | None:
    """A domain, its title and the formats it renders in; None for layouts without strings;
    ToolkitError for a broken one."""
    if name == LAYOUTS_DOMAIN:
        from toolkit.catalogs.layouts import layout_domain

        domain = layout_domain(config)
        return (domain, "Layout strings", ()) if domain is not None else None
    if name not in article_slugs(config):
        raise NotFound(f"no article {name!r}", path=config.sources)
    article = load_articles(config, [name])[0]
    # A workshop source is only a workshop pack.
    formats = tuple(f.name for f in formats_for(article) if f.is_pdf)  # a .pptx has no preview
    return article_domains([article], config)[0], article.title, formats


def load_domain(config: Config, name: str) -> tuple[Domain, str, tuple[str, ...]]:
    found = _find_domain(config, name)
    if found is None:
        raise NotFound("the layouts have no translatable strings", path=config.layouts)
    return found


def dashboard(config: Config) -> Dashboard:
    rows: list[Row] = []
    progress: list[Progress] = []
    names: list[str] = [*article_slugs(config), LAYOUTS_DOMAIN]
    for name in names:
        is_article = name != LAYOUTS_DOMAIN
        shown = f"{config.sources}/{name}.md" if is_article else config.layouts
        try:
            found = _find_domain(config, name)
            if found is None:
                continue
            domain, title, formats = found
            cells = {
                lang: domain_progress(
                    domain, lang, read_catalog(config, po_path(config, lang, name))
                )
                for lang in target_languages(config, domain.source_lang)
            }
        except ToolkitError as exc:
            rows.append(Row(name, name, "", shown, is_article, error=str(exc)))
            continue
        progress.extend(cells.values())
        rows.append(Row(name, title, domain.source_lang, shown, is_article, formats, cells))
    by_lang = {t.lang: t for t in totals(progress)}
    ordered = tuple(by_lang[lang] for lang in config.languages if lang in by_lang)
    return Dashboard(config.languages, tuple(rows), ordered)


def compare(config: Config, name: str, lang: str) -> Comparison:
    """Source and translation of every unit of one domain in one language, in source order."""
    domain, title, formats = load_domain(config, name)
    if lang not in target_languages(config, domain.source_lang):
        raise NotFound(
            f"{lang!r} is not a translation of {name!r} (its source language is {domain.source_lang})",
            hint=f"translations are: {', '.join(target_languages(config, domain.source_lang))}",
        )
    path = po_path(config, lang, name)
    catalog: Catalog | None = read_catalog(config, path)
    units: list[UnitView] = []
    for number, unit in enumerate(domain.template.entries, start=1):
        entry = catalog.lookup(unit.msgctxt, unit.msgid) if catalog else None
        # The same rule as status.domain_progress, so counts and colours agree.
        state = entry_state(entry)
        units.append(
            UnitView(
                number=number,
                msgid=unit.msgid,
                msgctxt=unit.msgctxt,
                msgstr=entry.msgstr if entry is not None else "",
                state=state,
                previous_msgid=entry.previous_msgid if entry is not None and state == "fuzzy" else None,
                locations=tuple(
                    f"{file}:{line}" if line else file for file, line in unit.locations
                ),
                po_line=entry.po_line if entry is not None else 0,
                comments=unit.comments,
                words=word_count(unit.msgid),
            )
        )
    progress = domain_progress(domain, lang, catalog)
    return Comparison(domain, title, lang, config.rel(path), progress, tuple(units), formats)
