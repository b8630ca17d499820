"""The rendering half: a translated article -> a PDF handout, brochure or slide deck.

One `RenderContext` per build (fonts, WeasyPrint's cache and the Jinja environment are shared by
every document), then one `render_document` call per article × language × format::

    context = RenderContext.create(config)
    result = render_document(translated, "handout", context=context, gettext=gettext)
    result.pdf, result.pages, result.diagnostics
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2
from weasyprint.document import Document as Laid
from weasyprint.text.fonts import FontConfiguration

from toolkit.config import Config
from toolkit.documents.formats import Format, get_format
from toolkit.documents.prepare import Document, Included
from toolkit.errors import Diagnostic, ToolkitError
from toolkit.render.environment import Gettext, make_environment
from toolkit.render.html import TranslatedLike, render_html
from toolkit.render.pdf import (
    SafeFetcher,
    capture_weasyprint,
    content_pages,
    finish,
    layout,
    project_fetcher,
)
from toolkit.render.refine import (
    Refinements,
    Setting,
    apply,
    figure_pages,
    hyphenated_rows,
    last_page_fill,
    note_lines,
    refinements,
)

NOTE_LINES_MIN = 6  # fewer would fit: the notes begin on a new page
STUB_PAGE = 0.2  # a last text page filled less than this is pulled back by the tighter setting
MAX_PASSES = 4  # layouts of the chosen setting: the first, and up to three refined (refine.py)
# What the tighter setting gains at most, as a share of a text page's height (measured on the
# shipped brochures: 0.03-0.07 a page of text), and of the height of the figures it sets beside
# the text; with more than that to pull back it is not tried.
TIGHT_GAIN = 0.07
FIGURE_GAIN = 0.6
# The renderer's floor (bench/bench_build.py): with this set to a folder, every document rendered
# also leaves there, as <lang>/<format folder>/<file name>.floor.json, the HTML of the layout it
# wrote and how it was laid out and written (base URL, dpi, pages kept, PDF variant, tags, date),
# so WeasyPrint alone can make the same PDF; and how many layouts and seconds the document took.
# Read here only; unset (a normal build), it costs one lookup a document.
CAPTURE_ENV = "TOOLKIT_CAPTURE_LAYOUT"


@dataclass
class RenderContext:
    """Created once per build and reused for every document."""

    config: Config
    env: jinja2.Environment
    font_config: FontConfiguration
    cache: dict[str, Any] = field(default_factory=dict)  # WeasyPrint's images
    # A deck's figures, drawn once per file (pictures.svg_png).
    pictures: dict[Any, bytes | None] = field(default_factory=dict)

    @classmethod
    def create(cls, config: Config) -> RenderContext:
        return cls(config, make_environment(config.layouts_dir), FontConfiguration())

    def fetcher(self, document: str | None = None, extra_files: Sequence[Path] = ()) -> SafeFetcher:
        """A fetcher for one document: reads the layouts and sources folders, the logo and the
        print profile only."""
        return project_fetcher(self.config, document=document, extra_files=extra_files)


@dataclass(frozen=True)
class RenderResult:
    pdf: bytes
    pages: int
    diagnostics: tuple[Diagnostic, ...]
    html: str = field(default="", repr=False)  # what WeasyPrint was given, for debugging
    setting: Setting = field(default_factory=Setting, repr=False)  # what the renderer chose
    layouts: int = 0  # how many times WeasyPrint laid the document out


def render(
    document: Document,
    context: RenderContext,
    *,
    print_profile: Path | None = None,
    setting: Setting | None = None,
) -> RenderResult:
    """The PDF of a prepared document (`toolkit.documents.Inputs.prepare`). With `setting` (an
    earlier result's) the document is laid out once in that setting, not chosen again."""
    result = render_document(
        document.translated,
        document.format,
        context=context,
        gettext=document.gettext,
        build_date=document.build_date,
        includes=document.includes,
        print_profile=print_profile,
        setting=setting,
    )
    return replace(result, diagnostics=result.diagnostics + document.notes)


def render_document(
    translated: TranslatedLike,
    fmt: str | Format,
    *,
    context: RenderContext,
    gettext: Gettext,
    build_date: dt.date | None = None,
    includes: Sequence[Included] = (),
    print_profile: Path | None = None,
    setting: Setting | None = None,
) -> RenderResult:
    """One PDF. `gettext` translates the layouts' own strings into `translated.lang`; `includes`
    are the included articles of a workshop pack, each already translated with its own catalog.

    The date printed is the article's `date` front matter, else `build_date`, else none: never
    today's date implicitly, so the same input gives a byte-identical PDF.
    Raises ToolkitError for a broken layout (naming its file and line); returns every other
    problem (missing image, refused URL, bad CSS) as diagnostics.

    The document is laid out, looked at, and laid out again only where a look found something
    (`choose_setting`); with `setting` it is laid out once in that setting.
    """
    started = time.perf_counter()
    config = context.config
    fmt = get_format(fmt) if isinstance(fmt, str) else fmt
    base_url = config.layouts_dir.resolve().as_uri() + "/"
    fetcher = context.fetcher(translated.article.path, extra_files=[print_profile] if print_profile else [])
    layouts = 0

    def lay_out(html: str) -> Laid:
        nonlocal layouts
        layouts += 1
        try:
            return layout(
                _for_print(html, print_profile),
                base_url=base_url,
                fetcher=fetcher,
                font_config=context.font_config,
                cache=context.cache,
                dpi=fmt.dpi,
            )
        except Exception as exc:  # a WeasyPrint failure is a layout problem the user can see
            raise ToolkitError(
                f"WeasyPrint could not lay out this document: {type(exc).__name__}: {exc}",
                path=f"{config.layouts}/{fmt.template}",
                hint=f"check {config.layouts}/{fmt.name}.css and the layout; the article is "
                f"{translated.article.path}",
            ) from exc

    with capture_weasyprint() as log:
        # The template is rendered once: every later layout only changes what `apply` says.
        base, diagnostics = render_html(
            context.env,
            translated,
            fmt,
            config=config,
            gettext=gettext,
            build_date=build_date,
            includes=includes,
        )
        if setting is None:
            setting, document = choose_setting(fmt, lambda s: lay_out(apply(base, s)))
        else:
            document = lay_out(apply(base, setting))
        date = _iso_date(translated.article.meta.get("date")) or _iso_date(build_date)
        written = {
            "pad_to": fmt.pad_to,
            "variant": PRINT_VARIANT if print_profile else fmt.pdf_variant,
            # The shop's PDF/X keeps the tags of the format's own PDF.
            "tags": bool(print_profile and fmt.pdf_variant and fmt.pdf_variant.startswith("pdf/ua")),
            "date": date,
        }
        pdf, pages = finish(document, **written)
    found = list(diagnostics)
    if fmt.view == "slides" and pages != base.count('<section class="slide'):
        # The deck is planned to fit; a slide that spills onto a second page is a layout bug.
        found.append(
            Diagnostic("warning", f"{fmt.name}: a slide did not fit its page ({pages} pages)", translated.article.path, None, "slide-overflow")
        )
    for diag in fetcher.refused:
        if diag not in found:
            found.append(diag)
    for message in dict.fromkeys(log.messages):
        if _known(message, found):
            continue
        found.append(
            Diagnostic("warning", f"{fmt.name}: {message}", translated.article.path, None, "weasyprint")
        )
    final = apply(base, setting)
    if folder := os.environ.get(CAPTURE_ENV):
        name = fmt.output_name(translated.article.slug, "print" if print_profile else "")
        laid = {"html": _for_print(final, print_profile), "base_url": base_url, "dpi": fmt.dpi}
        spent = {"pages": pages, "layouts": layouts, "seconds": time.perf_counter() - started}
        path = Path(folder) / translated.lang / fmt.directory / f"{name}.floor.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({**laid, **written, **spent}), encoding="utf-8")
    return RenderResult(pdf, pages, tuple(found), final, setting, layouts)


def _for_print(html: str, print_profile: Path | None) -> str:
    """The HTML laid out for the shop's PDF/X: its colours in CMYK (`cmyk_css`)."""
    if print_profile is None:
        return html
    return html.replace("</head>", f"<style>{cmyk_css(print_profile)}</style></head>", 1)


def choose_setting(fmt: Format, lay_out: Callable[[Setting], Laid]) -> tuple[Setting, Laid]:
    """Lay the document out, and again only where a look at the layout found something to change:

    1. the normal setting, laid out again with the words kept whole, the figures fitted and the
       note lines counted that the last layout asked for (refine.py; the shipped handout's CSS
       fits its note lines in the first layout), until a layout asks for nothing new (at most
       MAX_PASSES layouts);
    2. for a booklet, the tighter setting, only when a layout of the normal one says it can save a
       sheet of paper or pull back a last page of a few lines (`_tight_may_pay`), and taken when
       it does (refined the same way). It is tried on the first layout when that already says
       so, with the words kept whole that end a third hyphenated line in a row there
       (`_trial_setting`): taken, the normal setting is not refined at all.
    A slide deck is laid out once: its slides are split to fit before layout.
    """
    if fmt.view == "slides":
        return Setting(), lay_out(Setting())
    first = lay_out(Setting())
    trial = None
    if fmt.booklet and _tight_may_pay(first, fmt):
        tried = _trial_setting(first)
        trial = lay_out(tried)
        if _saves(trial, first, fmt.pad_to):
            return _refined(fmt, tried, lay_out, trial)
    setting, laid = _refined(fmt, Setting(), lay_out, first)
    if fmt.booklet and laid is not first and _tight_may_pay(laid, fmt):
        # Refined (a figure fitted, a word kept whole), the normal setting may come closer.
        # Tried with what the refining found (a figure fitted): without it the tighter setting
        # can come out longer than the refined normal one.
        start = tried if trial is not None else replace(setting, tight=True)
        trial = trial or lay_out(start)
        if _saves(trial, laid, fmt.pad_to):
            tight, refined = _refined(fmt, start, lay_out, trial)
            if _saves(refined, laid, fmt.pad_to):
                return tight, refined
    return setting, laid


def _trial_setting(first: Laid) -> Setting:
    """The tighter setting tried on the first layout, with the words kept whole at once that end a
    third hyphenated line in a row there: the tighter setting changes the spacing between lines,
    not where they break (but beside a figure it floats), so the trial would find them again and
    need one layout more. Words broken across a page turn are not carried over: the trial's page
    turns are elsewhere."""
    return Setting(tight=True, refinements=Refinements(frozenset(hyphenated_rows(first))))


def _refined(
    fmt: Format, setting: Setting, lay_out: Callable[[Setting], Laid], laid: Laid | None = None
) -> tuple[Setting, Laid]:
    """The setting laid out (`laid`: its first layout, when made already), then again while a
    layout asks for something new. The note lines are counted with the refinements: a count
    from a layout whose lines ran over the page is exact, one where they end early is estimated
    with a line spare (refine.note_lines), so the count settles in the next layout."""
    laid = laid or lay_out(setting)
    for _ in range(MAX_PASSES - 1):
        new = refinements(laid) - setting.refinements
        lines = note_lines(laid, setting.note_lines, NOTE_LINES_MIN) if fmt.fill_notes else None
        if not new and lines is None:
            break
        setting = replace(
            setting,
            refinements=setting.refinements | new,
            note_lines=setting.note_lines if lines is None else lines,
        )
        laid = lay_out(setting)
    return setting, laid


PRINT_VARIANT = "pdf/x-4"


def _iso_date(value: object) -> str:
    """A front matter or build date as ISO, or "" (a bad one is reported by the layout)."""
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat() if value else ""
    except ValueError:
        return ""


def _sheets(pages: int, pad_to: int) -> int:
    return -(-pages // pad_to)


def _tight_may_pay(laid: Laid, fmt: Format) -> bool:
    """Whether the tighter setting can save a sheet (or a last page holding a few lines), judged
    from the normal layout: the pages past the last full sheet and the fill of the last text page
    must fit into what the tighter setting gains: TIGHT_GAIN of each text page, and FIGURE_GAIN
    of the height of its figures where they stand beside the text (`Format.figures_beside`)."""
    pages = content_pages(laid)
    fill = last_page_fill(laid)
    text = max(0, pages - 2)  # the text pages: not the cover and the back cover
    gain = TIGHT_GAIN * text + (FIGURE_GAIN * figure_pages(laid) if fmt.figures_beside else 0.0)
    over = pages % fmt.pad_to
    if fill < STUB_PAGE and fill <= gain:
        return True
    return over > 0 and (over - 1) + fill <= gain


def _saves(tight: Laid, normal: Laid, pad_to: int) -> bool:
    """The tighter layout is taken when it saves a sheet, or a last page holding a few lines."""
    fewer, pages = content_pages(tight), content_pages(normal)
    stub = last_page_fill(normal) < STUB_PAGE
    return _sheets(fewer, pad_to) < _sheets(pages, pad_to) or (stub and fewer < pages)


def cmyk_css(profile: Path) -> str:
    """The shop's profile as the output intent, and every text in 100 % K (no rich black)."""
    return (
        f'@color-profile device-cmyk {{ src: url("{profile.resolve().as_uri()}"); '
        "components: cyan magenta yellow black }\n"
        "body, body * { color: device-cmyk(0 0 0 1) !important; }"
    )


def _known(message: str, found: list[Diagnostic]) -> bool:
    """WeasyPrint's own warning about a URL we already reported (refused or missing)."""
    return "refused" in message or (
        "Failed to load" in message and any(d.code.startswith(("fetch-", "image-")) for d in found)
    )
