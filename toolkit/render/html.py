"""Translated article + config + layout -> one HTML string for WeasyPrint.

The layouts (`layouts/<format>.html.j2`) get a view of the article: texts already rendered to safe
HTML (fallback texts wrapped in an element with their own `lang`), videos grouped with their QR
codes, H2 sections with ids for the contents, and for slides the chosen points per slide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import jinja2
from babel import Locale
from babel.dates import format_date
from markupsafe import Markup, escape

from toolkit.config import Config
from toolkit.documents.formats import Format, get_format
from toolkit.errors import Diagnostic
from toolkit.render import slides as slides_mod
from toolkit.render.contents import contents_entries, is_caps, shorten
from toolkit.render.deck import Deck, plan_deck
from toolkit.render.environment import Gettext, gettext_callables, render_template
from toolkit.render.inline import Resolver, display_address
from toolkit.render.measure import Measure
from toolkit.render.qr import qr_svg
from toolkit.render.slides import body_blocks, walk
from toolkit.render.typography import typeset_text
from toolkit.render.views import (
    Builder,
    SectionView,
    TranslatedLike,
    slide_views,
)
from toolkit.sources.model import Article, Block, Heading, Image

NOTE_LINES = 40  # more than a page holds: the CSS drops the rest (or refine.py counts them)


def _article_date(
    article: Article, build_date: dt.date | None, warn: Callable[[str, int], None]
) -> dt.date | None:
    value = article.meta.get("date")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            warn(
                f"front matter 'date' {value!r} is not a date like 2024-05-14",
                article.meta_lines.get("date", 1),
            )
    return build_date


def build_context(
    translated: TranslatedLike,
    fmt: Format,
    *,
    config: Config,
    gettext: Gettext,
    build_date: dt.date | None,
) -> tuple[dict[str, Any], list[Diagnostic]]:
    article = translated.article
    brand = config.brand_for(translated.lang)  # the language's contact line, website, …
    diagnostics: list[Diagnostic] = []  # filled while the template renders, too
    resolver = Resolver.of(
        config,
        article,
        translated.lang,
        link_notes=fmt.link_notes,
        diagnostics=diagnostics,
        footnotes=None if fmt.view == "slides" else {},
        anchors=fmt.view != "slides",
    )
    b = Builder(translated, config, resolver, diagnostics)

    def warn(message: str, line: int) -> None:
        b.diagnostics.append(Diagnostic("warning", message, article.path, line, "date"))

    blocks = body_blocks(article)
    title_meta = b.meta("title")
    if title_meta is None and article.blocks and isinstance(article.blocks[0], Heading):
        first = article.blocks[0]
        title_meta = (first.text, b.text(first.text, first.line))
    title_text, title = title_meta or (article.slug, escape(article.slug))
    summary = b.meta("summary")
    short = b.meta("short_title")
    locale = b.locale()
    intro, sections = slides_mod.split_sections(blocks)
    section_views = (
        [
            SectionView(
                (s.heading.anchor or f"s{s.heading.line}") if s.heading else "intro",
                s.heading,
                b.text(s.heading.text, s.heading.line) if s.heading else None,
                b.nodes(s.blocks),
            )
            for s in sections
        ]
        if fmt.view != "slides"
        else []
    )
    date = _article_date(article, build_date, warn)
    author = article.meta.get("author")
    lang_name = (
        Locale.parse(translated.source_lang).get_display_name(translated.lang)
        or translated.source_lang
    )
    website_qr = Markup(qr_svg(brand.website, label=brand.website)) if brand.website else None
    logo_url = None
    if brand.logo:
        logo_path = (config.root / brand.logo).resolve()
        if logo_path.is_file() and logo_path.is_relative_to(config.root.resolve()):
            logo_url = logo_path.as_uri()
        else:
            b.diagnostics.append(
                Diagnostic(
                    "warning",
                    f"brand logo not found: {brand.logo}",
                    "pyproject.toml",
                    None,
                    "logo-missing",
                )
            )
    ctx: dict[str, Any] = {
        "fmt": fmt.name,
        "lang": translated.lang,
        "source_lang": translated.source_lang,
        "source_lang_name": lang_name,
        "title": title,
        "title_text": typeset_text(title_text, locale),
        # For running heads and other tight places: the author's short title, else the title.
        "short_title_text": typeset_text(short[0] if short else title_text, locale),
        "shorten": shorten,
        "is_caps": is_caps,
        "running": lambda text, limit: shorten(typeset_text(text, locale), limit),
        "cover_image": _cover_image(b, blocks),
        "contents": contents_entries(section_views),
        "summary": summary[1] if summary else None,
        "summary_text": summary[0] if summary else "",
        "author": str(author) if isinstance(author, str) and author.strip() else "",
        "brand": brand,
        "website_display": display_address(brand.website) if brand.website else "",
        "website_qr": website_qr,
        "logo_url": logo_url,
        "date_text": format_date(date, format="long", locale=config.babel_locale(translated.lang)) if date else "",
        "date_iso": date.isoformat() if date else "",
        "keywords": ", ".join(
            str(t) for t in article.meta.get("tags", []) or [] if isinstance(t, str | int)
        ),
        "draft": bool(translated.draft),
        "note_lines": NOTE_LINES,
        "intro": b.nodes(intro) if fmt.view != "slides" else (),
        "sections": section_views,
        "toc": False,
        "videos": b.all_videos(blocks),
        "t": b.text,
        "plain": b.plain,
        "image": b.image,
        "video": lambda block: b.video(block, None),
        **gettext_callables(gettext),
    }
    ctx["toc"] = 0 < fmt.contents_from <= len(ctx["contents"])
    if fmt.view == "slides":
        deck = plan_deck(
            article,
            translated.lang,
            Measure(config.layouts_dir / "fonts"),
            gettext=gettext,
            max_slides=config.max_slides,
        )
        diagnostics += deck_diagnostics(deck, article)
        cover_line = article.meta_lines.get(deck.cover.key, 1)
        ctx["deck"] = deck
        ctx["cover_title"] = b.plain(deck.cover.text, cover_line)
        ctx["slides"] = slide_views(b, deck)
        ctx["closing_videos"] = [b.video(v, h) for v, h in deck.closing_videos]
    return ctx, diagnostics


def _cover_image(b: Builder, blocks: Sequence[Block]) -> str | None:
    """The article's first figure, for its cover; None when it has none (the layout then shows
    the brand's illustration)."""
    first = next((x for x in walk(blocks) if isinstance(x, Image)), None)
    return b.image(first).url if first is not None else None


def deck_diagnostics(deck: Deck, article: Article) -> list[Diagnostic]:
    return [Diagnostic("warning", n.message, article.path, n.line, "slides") for n in deck.notes]


def render_html(
    env: jinja2.Environment,
    translated: TranslatedLike,
    fmt: str | Format,
    *,
    config: Config,
    gettext: Gettext,
    build_date: dt.date | None = None,
    extra: Mapping[str, Any] | None = None,
    includes: Sequence[Any] = (),
) -> tuple[str, list[Diagnostic]]:
    """The HTML of one document and the problems found while making it; `includes` are a workshop
    pack's included articles (`toolkit.documents.Included`)."""
    form = get_format(fmt) if isinstance(fmt, str) else fmt
    ctx, diagnostics = build_context(
        translated, form, config=config, gettext=gettext, build_date=build_date
    )
    if form.view == "workshop":
        from toolkit.render.workshop import workshop_context

        ctx.update(
            workshop_context(
                translated,
                includes,
                env=env,
                config=config,
                gettext=gettext,
                diagnostics=diagnostics,
            )
        )
    ctx.update(extra or {})
    html = render_template(env, form.template, ctx, layouts=config.layouts)
    return html, diagnostics
