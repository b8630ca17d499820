"""toolkit build: every article × language × format into output/<lang>/<format>/<slug>.pdf.

Reads like its table of contents: plan the jobs, skip those whose inputs did not change, render
the rest (both cores, one font configuration and cache per worker), then write every PDF at the end.
An article is translated once per language; all its formats render from that one translation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from toolkit import __version__
from toolkit.catalogs.files import LAYOUTS_DOMAIN, check_languages, po_path, read_catalog
from toolkit.catalogs.layouts import LAYOUTS_LANG
from toolkit.catalogs.po import Catalog
from toolkit.config import Config
from toolkit.documents.translate import Translated, UnitResult, Used, translate
from toolkit.errors import Diagnostic, ToolkitError
from toolkit.fsutil import atomic_write
from toolkit.sources.files import load_articles
from toolkit.sources.model import Article
from toolkit.sources.workshop import IncludedArticle, resolve_includes

WORKSHOP_FORMAT = "workshop"

CACHE_FILE = ".build-cache.json"


@dataclass(frozen=True)
class Job:
    """One article in one language, rendered in one or more formats."""

    slug: str
    lang: str
    formats: tuple[str, ...]


@dataclass(frozen=True)
class Output:
    slug: str
    lang: str
    fmt: str
    path: str  # relative to the project
    pages: int
    skipped: bool
    fell_back: tuple[UnitResult, ...]
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class BuildOptions:
    formats: tuple[str, ...]
    slugs: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    use_fuzzy: bool = False
    strict: bool = False
    force: bool = False
    workers: int = 0  # 0: one per core, at most one per job
    build_date: dt.date | None = None
    impose: str | None = None  # "booklet": <slug>.booklet.pdf beside the PDF
    print_ready: bool = False  # <slug>.print.pdf: crop marks outside the bleed, for the shop

    def extras(self) -> tuple[str, ...]:
        """Suffixes of the files written beside each PDF."""
        return (*(("booklet",) if self.impose == "booklet" else ()), *(("print",) if self.print_ready else ()))


Progress = Callable[[Output], None]


def output_path(config: Config, lang: str, fmt: str, slug: str, extra: str = "") -> Path:
    suffix = f".{extra}.pdf" if extra else ".pdf"
    return config.output_dir / lang / fmt / f"{slug}{suffix}"


def run_build(config: Config, options: BuildOptions, progress: Progress | None = None) -> list[Output]:
    from toolkit.render import FORMATS

    unknown = [f for f in options.formats if f not in FORMATS]
    if unknown:
        raise ToolkitError(f"unknown format {unknown[0]!r}", hint=f"formats are {', '.join(FORMATS)}")
    articles = {a.slug: a for a in load_articles(config, options.slugs)}
    langs = _languages(config, options.langs)
    formats = {slug: formats_for(a, options.formats, named=bool(options.slugs)) for slug, a in articles.items()}
    # A workshop's included articles are found (or reported missing) before anything renders.
    included = {slug: resolve_includes(config, a) for slug, a in articles.items() if formats[slug] and a.is_workshop}
    jobs = [Job(slug, lang, formats[slug]) for slug in articles for lang in langs if formats[slug]]
    shared = shared_inputs(config, str(options.use_fuzzy), str(options.build_date))
    keys = {
        (j.slug, j.lang): inputs_key(
            config, shared, j.slug, j.lang, [inc.article.slug for inc in included.get(j.slug, ())]
        )
        for j in jobs
    }
    cache = _read_cache(config)
    todo: list[Job] = []
    outputs: list[Output] = []
    for job in jobs:
        fresh = [
            f
            for f in job.formats
            if options.force
            or cache.get(_rel(config, job, f)) != keys[(job.slug, job.lang)]
            or not all(
                output_path(config, job.lang, f, job.slug, x).exists() for x in ("", *options.extras())
            )
        ]
        for fmt in job.formats:
            if fmt not in fresh:
                out = Output(job.slug, job.lang, fmt, _rel(config, job, fmt), 0, True, (), ())
                outputs.append(out)
                if progress:
                    progress(out)
        if fresh:
            todo.append(Job(job.slug, job.lang, tuple(fresh)))
    if options.strict:
        _refuse_fallbacks(config, articles, todo, options)
    rendered = _render_all(config, todo, options, progress)
    if options.strict:
        problems = [d for _, out in rendered for d in out.diagnostics if d.severity != "info"]
        if problems:
            first = problems[0]
            raise ToolkitError(
                f"{len(problems)} warning(s) while rendering, first: {first.message}",
                path=first.path,
                line=first.line,
                hint="fix them, or build without --strict",
            )
    config.output_dir.mkdir(parents=True, exist_ok=True)
    write_many_bytes(
        (output_path(config, out.lang, out.fmt, out.slug, extra), data)
        for files, out in rendered
        for extra, data in files.items()
    )
    for _, out in rendered:
        cache[out.path] = keys[(out.slug, out.lang)]
    atomic_write(config.output_dir / CACHE_FILE, json.dumps(cache, indent=1, sort_keys=True) + "\n")
    return outputs + [out for _, out in rendered]


def formats_for(article: Article, wanted: Sequence[str], *, named: bool = False) -> tuple[str, ...]:
    """The asked-for formats an article builds in: a workshop only as a workshop pack, an
    ordinary article never as one. Naming an article with none of its formats is an error."""
    if article.is_workshop:
        fits = tuple(f for f in wanted if f == WORKSHOP_FORMAT)
        hint = f"a workshop (front matter 'include') builds only as: toolkit build {WORKSHOP_FORMAT} {article.slug}"
    else:
        fits = tuple(f for f in wanted if f != WORKSHOP_FORMAT)
        hint = f"only sources with an 'include' list in their front matter are workshops; build {article.slug} as handout, brochure or slides"
    if named and not fits:
        raise ToolkitError(f"{article.slug} is not built as {', '.join(wanted)}", path=article.path, hint=hint)
    return fits


def translate_includes(
    config: Config, included: Sequence[IncludedArticle], lang: str, *, use_fuzzy: bool = False
) -> list[tuple[IncludedArticle, Translated]]:
    """Each included article in `lang`, translated with its own catalog."""
    return [
        (inc, translate(inc.article, catalog_for(config, lang, inc.article.slug), lang, use_fuzzy=use_fuzzy))
        for inc in included
    ]


def write_many_bytes(files: Iterable[tuple[Path, bytes]]) -> None:
    for path, data in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)


def _languages(config: Config, only: Sequence[str]) -> list[str]:
    check_languages(config, only)
    return [lang for lang in config.languages if not only or lang in only]


def _rel(config: Config, job: Job, fmt: str) -> str:
    return config.rel(output_path(config, job.lang, fmt, job.slug))


def _file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "-"


def _digest(parts: Iterable[str], config: Config, files: Iterable[Path]) -> str:
    digest = hashlib.sha256("\n".join(parts).encode())
    for path in files:
        digest.update(config.rel(path).encode() + b"\0" + _file_hash(path).encode() + b"\n")
    return digest.hexdigest()


def shared_inputs(config: Config, *options: str) -> str:
    """What every output depends on (toolkit version, brand, regions, layouts with their fonts,
    logo, print profile): hashed once per build, not once per document."""
    files = sorted(p for p in config.layouts_dir.rglob("*") if p.is_file())
    if config.brand.logo:
        files.append(config.root / config.brand.logo)
    if config.print_profile_path:
        files.append(config.print_profile_path)
    parts = [__version__, repr(config.brand), repr(config.regions), *options]
    return _digest(parts, config, files)


def inputs_key(config: Config, shared: str, slug: str, lang: str, included: Sequence[str] = ()) -> str:
    """Everything one article's outputs in `lang` depend on: when none of it changed, the PDF
    would be the same. A workshop pack depends on its included articles' sources and catalogs."""
    files = [
        config.sources_dir / f"{slug}.md",
        po_path(config, lang, slug),
        po_path(config, lang, LAYOUTS_DOMAIN),
    ]
    for other in included:
        files += [config.sources_dir / f"{other}.md", po_path(config, lang, other)]
    return _digest([shared, slug, lang], config, files)


def _read_cache(config: Config) -> dict[str, str]:
    try:
        data = json.loads((config.output_dir / CACHE_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _refuse_fallbacks(
    config: Config, by_slug: dict[str, Article], jobs: list[Job], options: BuildOptions
) -> None:
    for job in jobs:
        article = by_slug[job.slug]
        included = resolve_includes(config, article) if article.is_workshop else ()
        # A workshop pack is only as translated as every article it includes.
        for source in (article, *(inc.article for inc in included)):
            translated = translate(
                source, catalog_for(config, job.lang, source.slug), job.lang, use_fuzzy=options.use_fuzzy
            )
            missing = [r for r in translated.results if r.used is not Used.TRANSLATION]
            if missing:
                first = missing[0]
                raise ToolkitError(
                    f"{len(missing)} unit(s) not translated into {job.lang!r}, first: {first.msgid[:60]!r}",
                    path=source.path,
                    line=first.line,
                    hint=f"translate them in {config.rel(po_path(config, job.lang, source.slug))}, or build without --strict",
                )


def catalog_for(config: Config, lang: str, domain: str) -> Catalog | None:
    return read_catalog(config, po_path(config, lang, domain))


# --- rendering, in worker processes -----------------------------------------------------------

_WORKER: dict[str, object] = {}


def _worker_init(config: Config) -> None:
    from toolkit.render import RenderContext

    _WORKER["context"] = RenderContext.create(config)
    _WORKER["config"] = config


def layout_gettext(catalog: Catalog | None) -> Callable[[str], str]:
    def gettext(msgid: str) -> str:
        entry = catalog.lookup(None, msgid) if catalog else None
        return entry.msgstr if entry is not None and entry.translated else msgid

    return gettext


Files = dict[str, bytes]  # suffix ("" for the PDF itself, "booklet", "print") -> bytes


def _press(pdf: bytes, options: BuildOptions, for_print: Callable[[], bytes] | None) -> Files:
    """The PDF and the files made from it; `for_print` renders the shop's CMYK version if any."""
    from toolkit.press import impose_booklet, print_ready

    files = {"": pdf}
    if options.impose == "booklet":
        files["booklet"] = impose_booklet(pdf)
    if options.print_ready:
        files["print"] = print_ready(for_print() if for_print else pdf)
    return files


def _render_job(job: Job, options: BuildOptions) -> list[tuple[Files, Output]]:
    from toolkit.render import Included, render_document
    from toolkit.sources.files import read_article

    config: Config = _WORKER["config"]  # type: ignore[assignment]
    context = _WORKER["context"]
    article = read_article(
        config.sources_dir / f"{job.slug}.md", root=config.root, default_lang=config.source_language
    )
    translated = translate(article, catalog_for(config, job.lang, job.slug), job.lang, use_fuzzy=options.use_fuzzy)
    pairs = (
        translate_includes(config, resolve_includes(config, article), job.lang, use_fuzzy=options.use_fuzzy)
        if article.is_workshop
        else []
    )
    includes = [Included(tr, inc.section_lines) for inc, tr in pairs]
    fell_back = translated.fell_back + tuple(r for _, tr in pairs for r in tr.fell_back)
    notes = tuple(
        Diagnostic(
            "info",
            f"included article: {len(tr.fell_back)} unit(s) shown in {tr.source_lang}",
            inc.article.path,
            tr.fell_back[0].line,
            "include-fallback",
        )
        for inc, tr in pairs
        if tr.fell_back
    )
    layouts = None if job.lang == LAYOUTS_LANG else catalog_for(config, job.lang, LAYOUTS_DOMAIN)
    gettext = layout_gettext(layouts)
    results = []
    profile = config.print_profile_path
    for fmt in job.formats:
        render = partial(
            render_document,
            translated,
            fmt,
            context=context,
            gettext=gettext,
            build_date=options.build_date,
            includes=includes,
        )
        result = render()
        for_print = (lambda render=render: render(print_profile=profile).pdf) if profile else None
        out = Output(
            job.slug,
            job.lang,
            fmt,
            config.rel(output_path(config, job.lang, fmt, job.slug)),
            result.pages,
            False,
            fell_back,
            result.diagnostics + notes,
        )
        results.append((_press(result.pdf, options, for_print), out))
    return results


def _render_all(
    config: Config, jobs: list[Job], options: BuildOptions, progress: Progress | None
) -> list[tuple[Files, Output]]:
    if not jobs:
        return []
    workers = options.workers or min(os.cpu_count() or 1, len(jobs), 4)
    done: list[tuple[Files, Output]] = []

    def collect(results: list[tuple[Files, Output]]) -> None:
        for item in results:
            done.append(item)
            if progress:
                progress(item[1])

    if workers <= 1:
        _worker_init(config)
        for job in jobs:
            collect(_render_job(job, options))
        return done
    with ProcessPoolExecutor(workers, initializer=_worker_init, initargs=(config,)) as pool:
        for results in pool.map(_render_job, jobs, [options] * len(jobs)):
            collect(results)
    return done


def count_outputs(config: Config, options: BuildOptions) -> int:
    articles = load_articles(config, options.slugs)
    per_language = sum(len(formats_for(a, options.formats)) for a in articles)
    return per_language * len(_languages(config, options.langs))

