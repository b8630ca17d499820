"""toolkit build: every article × language × format into output/<lang>/<folder>/<slug><suffix>
(the PDFs, and the editable .pptx beside each slides PDF).

Reads like its table of contents: prepare every document asked for (each source parsed and each
catalog read once), skip those whose inputs did not change, render the rest in worker processes
(one font configuration and cache per worker, at most one worker per core and never more than
four), press booklets and print files from them, then write every file at the end.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from toolkit.catalogs.files import po_path
from toolkit.config import Config
from toolkit.documents import FORMATS, Document, Format, Inputs, formats_for, get_format
from toolkit.documents.translate import UnitResult, Used
from toolkit.errors import Diagnostic, ToolkitError
from toolkit.fsutil import atomic_write

CACHE_FILE = ".build-cache.json"
MAX_WORKERS = 4  # WeasyPrint's memory per worker is large; more than four gains little


@dataclass(frozen=True)
class BuildOptions:
    formats: tuple[str, ...] = tuple(FORMATS)
    slugs: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    use_fuzzy: bool = False
    strict: bool = False
    force: bool = False
    workers: int = 0  # 0: one per core, at most MAX_WORKERS and one per document
    build_date: dt.date | None = None
    impose: str | None = None  # "booklet": <slug>.booklet.pdf beside each booklet's PDF
    print_ready: bool = False  # <slug>.print.pdf beside each print-shop PDF: crop marks, bleed

    def extras(self, fmt: Format) -> tuple[str, ...]:
        """The files pressed from a PDF and written beside it, by their suffix: `--impose booklet`
        only for booklets, `--print-ready` only for what goes to the print shop (formats.py)."""
        return fmt.extras(self.impose, self.print_ready)


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
class BuildPlan:
    """Every document asked for, prepared, and which of them must be rendered again."""

    documents: tuple[Document, ...]
    todo: tuple[Document, ...]


Progress = Callable[[Output], None]
Files = dict[str, bytes]  # suffix ("" for the file itself, "booklet", "print") -> bytes


def output_path(config: Config, fmt: Format, lang: str, slug: str, extra: str = "") -> Path:
    return config.output_dir / lang / fmt.directory / fmt.output_name(slug, extra)


def plan_build(config: Config, options: BuildOptions) -> BuildPlan:
    formats = [get_format(name) for name in options.formats]  # an unknown name fails here
    inputs = Inputs(config, use_fuzzy=options.use_fuzzy, build_date=options.build_date)
    langs = inputs.languages(options.langs)
    documents = tuple(
        inputs.prepare(article, lang, fmt)
        for article in inputs.articles(options.slugs)
        for lang in langs
        for fmt in formats_for(article, [f.name for f in formats], named=bool(options.slugs))
    )
    cache = _read_cache(config)
    todo = tuple(d for d in documents if options.force or not _fresh(config, d, cache, options))
    if options.strict:
        _refuse_fallbacks(config, todo)
    return BuildPlan(documents, todo)


def run_build(config: Config, plan: BuildPlan, options: BuildOptions, progress: Progress | None = None) -> list[Output]:
    todo = {id(d) for d in plan.todo}
    skipped = [_skipped(config, d) for d in plan.documents if id(d) not in todo]
    for out in skipped:
        if progress:
            progress(out)
    rendered = _render_all(config, plan.todo, options, progress)
    if options.strict:
        _refuse_warnings(rendered)
    config.output_dir.mkdir(parents=True, exist_ok=True)
    for files, _, doc in rendered:
        for extra, data in files.items():
            path = output_path(config, doc.format, doc.lang, doc.slug, extra)
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, data)
    cache = _read_cache(config)
    for _, out, doc in rendered:
        cache[out.path] = doc.key
    atomic_write(config.output_dir / CACHE_FILE, json.dumps(cache, indent=1, sort_keys=True) + "\n")
    return skipped + [out for _, out, _ in rendered]


# --- what is up to date ------------------------------------------------------------------------


def _rel(config: Config, doc: Document) -> str:
    return config.rel(output_path(config, doc.format, doc.lang, doc.slug))


def _fresh(config: Config, doc: Document, cache: dict[str, str], options: BuildOptions) -> bool:
    if cache.get(_rel(config, doc)) != doc.key:
        return False
    return all(
        output_path(config, doc.format, doc.lang, doc.slug, x).exists()
        for x in ("", *options.extras(doc.format))
    )


def _skipped(config: Config, doc: Document) -> Output:
    return Output(doc.slug, doc.lang, doc.format.name, _rel(config, doc), 0, True, (), ())


def _read_cache(config: Config) -> dict[str, str]:
    try:
        data = json.loads((config.output_dir / CACHE_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


# --- --strict ----------------------------------------------------------------------------------


def _refuse_fallbacks(config: Config, documents: Sequence[Document]) -> None:
    """A document is only as translated as every article it shows (a workshop pack's included
    articles too)."""
    for doc in documents:
        for translated in (doc.translated, *(i.translated for i in doc.includes)):
            missing = [r for r in translated.results if r.used is not Used.TRANSLATION]
            if missing:
                first = missing[0]
                source = translated.article
                catalog = config.rel(po_path(config, doc.lang, source.slug))
                raise ToolkitError(
                    f"{len(missing)} unit(s) not translated into {doc.lang!r}, first: {first.msgid[:60]!r}",
                    path=source.path,
                    line=first.line,
                    hint=f"translate them in {catalog}, or build without --strict",
                )


def _refuse_warnings(rendered: Sequence[tuple[Files, Output, Document]]) -> None:
    problems = [d for _, out, _ in rendered for d in out.diagnostics if d.severity != "info"]
    if problems:
        first = problems[0]
        raise ToolkitError(
            f"{len(problems)} warning(s) while rendering, first: {first.message}",
            path=first.path,
            line=first.line,
            hint="fix them, or build without --strict",
        )


# --- rendering, in worker processes ------------------------------------------------------------

_WORKER: dict[str, object] = {}


def _worker_init(config: Config, scratch: str) -> None:
    from toolkit.render import RenderContext

    # WeasyPrint copies the layouts' fonts into a temporary folder that it removes only when its
    # FontConfiguration is collected, which a pool's worker never is: the folder goes in the
    # build's scratch folder, removed with it.
    tempfile.tempdir = scratch
    _WORKER["context"] = RenderContext.create(config)
    _WORKER["config"] = config


def _render_one(doc: Document, options: BuildOptions) -> tuple[Files, Output]:
    """The file of one prepared document (its format's writer says how) and those pressed from it."""
    from toolkit.press import impose_booklet, print_ready
    from toolkit.render import RenderContext, render
    from toolkit.render.writers import write

    config: Config = _WORKER["config"]  # type: ignore[assignment]
    context: RenderContext = _WORKER["context"]  # type: ignore[assignment]
    result = write(doc, context)
    files = {"": result.data}
    extras = options.extras(doc.format)
    if "booklet" in extras:
        files["booklet"] = impose_booklet(result.data)
    diagnostics = result.diagnostics
    if "print" in extras:
        # With the shop's CMYK profile the print file is rendered again as PDF/X: laid out once,
        # in the setting chosen for the PDF (the same pages, not chosen again).
        profile = config.print_profile_path
        shop = result.data
        if profile:
            shop = render(doc, context, print_profile=profile, setting=result.setting).pdf
        files["print"] = print_ready(shop)
        diagnostics += _preflight(config, doc, files["print"])
    out = Output(
        doc.slug,
        doc.lang,
        doc.format.name,
        _rel(config, doc),
        result.pages,
        False,
        doc.fell_back,
        diagnostics,
    )
    return files, out


def _preflight(config: Config, doc: Document, pdf: bytes) -> tuple[Diagnostic, ...]:
    """What the print file is, said plainly, and what a shop's preflight would stop it for."""
    from toolkit.press.preflight import preflight

    check = preflight(pdf)
    name = config.rel(output_path(config, doc.format, doc.lang, doc.slug, "print"))
    if check.standard:
        said = f"print file is {check.standard} with the shop's profile ({config.print_profile})"
    else:
        said = (
            "print file is not PDF/X: RGB without an output intent; set print_profile to the "
            "shop's CMYK profile for PDF/X-4"
        )
    found = [Diagnostic("info", said, name, None, "print-standard")]
    found += [Diagnostic("warning", f"preflight: {p}", name, None, "preflight") for p in check.problems]
    return tuple(found)


def _render_all(
    config: Config, documents: Sequence[Document], options: BuildOptions, progress: Progress | None
) -> list[tuple[Files, Output, Document]]:
    if not documents:
        return []
    workers = options.workers or min(os.cpu_count() or 1, len(documents), MAX_WORKERS)
    done: list[tuple[Files, Output, Document]] = []

    def collect(doc: Document, files: Files, out: Output) -> None:
        done.append((files, out, doc))
        if progress:
            progress(out)

    with tempfile.TemporaryDirectory(prefix="toolkit-build-") as scratch:
        if workers <= 1:
            previous = tempfile.tempdir
            try:
                _worker_init(config, scratch)
                for doc in documents:
                    collect(doc, *_render_one(doc, options))
            finally:
                _WORKER.clear()
                tempfile.tempdir = previous
            return done
        with ProcessPoolExecutor(
            workers, initializer=_worker_init, initargs=(config, scratch)
        ) as pool:
            for doc, (files, out) in zip(
                documents, pool.map(_render_one, documents, [options] * len(documents)), strict=True
            ):
                collect(doc, files, out)
    return done
