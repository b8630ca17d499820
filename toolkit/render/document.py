"""The rendering half: a translated article -> a PDF handout, brochure or slide deck.

One `RenderContext` per build (fonts, WeasyPrint's cache and the Jinja environment are shared by
every document), then one `render_document` call per article × language × format::

    context = RenderContext.create(config)
    result = render_document(translated, "handout", context=context, gettext=gettext)
    result.pdf, result.pages, result.diagnostics
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
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
    anchor_page,
    anchors_on_page,
    capture_weasyprint,
    content_pages,
    finish,
    layout,
    project_fetcher,
)
from toolkit.render.refine import Refinements, keep_whole, last_page_fill, refinements

NOTE_LINES_MIN = 6  # fewer would fit: the notes begin on a new page
STUB_PAGE = 0.2  # a last text page filled less than this is pulled back by the tighter setting
MAX_PASSES = 4  # layouts per setting: the first, and up to three refined (refine.py)


@dataclass
class RenderContext:
    """Created once per build and reused for every document."""

    config: Config
    env: jinja2.Environment
    font_config: FontConfiguration
    cache: dict[str, Any] = field(default_factory=dict)

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


def render(
    document: Document, context: RenderContext, *, print_profile: Path | None = None
) -> RenderResult:
    """The PDF of a prepared document (`toolkit.documents.Inputs.prepare`)."""
    result = render_document(
        document.translated,
        document.format,
        context=context,
        gettext=document.gettext,
        build_date=document.build_date,
        includes=document.includes,
        print_profile=print_profile,
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
) -> RenderResult:
    """One PDF. `gettext` translates the layouts' own strings into `translated.lang`; `includes`
    are the included articles of a workshop pack, each already translated with its own catalog.

    The date printed is the article's `date` front matter, else `build_date`, else none: never
    today's date implicitly, so the same input gives a byte-identical PDF.
    Raises ToolkitError for a broken layout (naming its file and line); returns every other
    problem (missing image, refused URL, bad CSS) as diagnostics.
    """
    config = context.config
    fmt = get_format(fmt) if isinstance(fmt, str) else fmt
    fetcher = context.fetcher(translated.article.path, extra_files=[print_profile] if print_profile else [])

    def html_for(extra: dict[str, Any] | None = None) -> tuple[str, list[Diagnostic]]:
        return render_html(
            context.env,
            translated,
            fmt,
            config=config,
            gettext=gettext,
            build_date=build_date,
            extra=extra,
            includes=includes,
        )

    def lay_out(html: str) -> Laid:
        if print_profile is not None:
            html = html.replace("</head>", f"<style>{cmyk_css(print_profile)}</style></head>", 1)
        try:
            return _layout(html)
        except Exception as exc:  # a WeasyPrint failure is a layout problem the user can see
            raise ToolkitError(
                f"WeasyPrint could not lay out this document: {type(exc).__name__}: {exc}",
                path=f"{config.layouts}/{fmt.template}",
                hint=f"check {config.layouts}/{fmt.name}.css and the layout; the article is "
                f"{translated.article.path}",
            ) from exc

    def _layout(html: str) -> Laid:
        return layout(
            html,
            base_url=config.layouts_dir.resolve().as_uri() + "/",
            fetcher=fetcher,
            font_config=context.font_config,
            cache=context.cache,
            dpi=fmt.dpi,
        )

    def refined_layout(extra: dict[str, Any]) -> tuple[Laid, list[Diagnostic], str]:
        """Lay out, look at the pages, and lay out again with what was found (refine.py)."""
        done = Refinements()
        for _ in range(MAX_PASSES if fmt.view != "slides" else 1):
            html, diags = html_for({**extra, "fits": done.fits})
            html = keep_whole(html, done.keep_whole)
            laid = lay_out(html)
            found = refinements(laid)
            new = Refinements(
                found.keep_whole - done.keep_whole,
                {k: v for k, v in found.fits.items() if k not in done.fits},
            )
            if not new:
                break
            done = done | new
        if fmt.fill_notes:
            # Notes: as many ruled lines as fill the page where the notes begin.
            start = anchor_page(laid, "notes")
            if start is not None and start < len(laid.pages) - 1:
                lines = anchors_on_page(laid, start, "note-line-")
                note_lines = max(lines, NOTE_LINES_MIN)
                html, diags = html_for({**extra, "fits": done.fits, "note_lines": note_lines})
                html = keep_whole(html, done.keep_whole)
                laid = lay_out(html)
        return laid, diags, html

    with capture_weasyprint() as log:
        document, diagnostics, html = refined_layout({})
        pages = content_pages(document)
        stub = last_page_fill(document) < STUB_PAGE
        if fmt.pad_to > 1 and (_may_save_a_sheet(pages, fmt.pad_to) or stub):
            # A tighter setting (half a point less leading, less space between paragraphs) is
            # taken when it saves a sheet of paper, or a last page holding a few lines only;
            # otherwise the normal setting stays.
            tight = refined_layout({"tight": True})
            fewer = content_pages(tight[0])
            if _sheets(fewer, fmt.pad_to) < _sheets(pages, fmt.pad_to) or (stub and fewer < pages):
                document, diagnostics, html = tight
        date = _iso_date(translated.article.meta.get("date")) or _iso_date(build_date)
        pdf, pages = finish(
            document,
            pad_to=fmt.pad_to,
            variant=PRINT_VARIANT if print_profile else fmt.pdf_variant,
            # The shop's PDF/X keeps the tags of the format's own PDF.
            tags=bool(print_profile and fmt.pdf_variant and fmt.pdf_variant.startswith("pdf/ua")),
            date=date,
        )
    found = list(diagnostics)
    for diag in fetcher.refused:
        if diag not in found:
            found.append(diag)
    for message in dict.fromkeys(log.messages):
        if _known(message, found):
            continue
        found.append(
            Diagnostic("warning", f"{fmt.name}: {message}", translated.article.path, None, "weasyprint")
        )
    return RenderResult(pdf, pages, tuple(found), html)


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


def _may_save_a_sheet(pages: int, pad_to: int) -> bool:
    """One or two pages over a multiple: a tighter setting may pull them back."""
    return 0 < pages % pad_to <= 2


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
