"""Translated article + config + layout -> one HTML string for WeasyPrint.

The layouts (`layouts/<format>.html.j2`) get a view of the article: texts already rendered to safe
HTML (fallback texts wrapped in an element with their own `lang`), videos grouped with their QR
codes, H2 sections with ids for the contents, and for slides the chosen points per slide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import jinja2
from babel import Locale
from babel.dates import format_date
from markupsafe import Markup, escape

from toolkit.config import Config
from toolkit.errors import Diagnostic, ToolkitError
from toolkit.model import Article, Block, Heading, Image, Video
from toolkit.render import slides as slides_mod
from toolkit.render.environment import Gettext, gettext_callables, render_template
from toolkit.render.inline import Resolver, display_address, render_inline, wrap_lang
from toolkit.render.qr import qr_svg

FORMATS = ("handout", "brochure", "slides")
TOC_MIN_SECTIONS = 3
VIDEOS_ON_CLOSING_SLIDE = 3
VIDEOS_PER_SLIDE = 4
NOTE_LINES = 40  # first pass: more than a page; the renderer then keeps what fits one page


class TranslatedLike(Protocol):
    """What the renderer needs of `toolkit.translate.Translated`."""

    @property
    def article(self) -> Article: ...
    @property
    def lang(self) -> str: ...
    @property
    def source_lang(self) -> str: ...
    @property
    def draft(self) -> bool: ...
    def fallback_lang(self, line: int, text: str) -> str | None: ...


# --- the view the templates get ------------------------------------------------------------------


@dataclass(frozen=True)
class ImageView:
    kind = "image-view"
    url: str | None
    alt: str  # plain text, for the alt attribute
    caption: Markup | None
    src: str
    line: int


@dataclass(frozen=True)
class VideoView:
    url: str
    short_url: str
    qr: Markup
    caption: Markup | None
    line: int


@dataclass(frozen=True)
class VideoGroup:
    kind = "videos"
    videos: tuple[VideoView, ...]


@dataclass(frozen=True)
class SectionView:
    id: str
    heading: Heading | None
    title: Markup | None
    nodes: tuple[Any, ...]


@dataclass(frozen=True)
class SlideView:
    title: Markup
    points: tuple[tuple[Markup, bool], ...]  # (html, is a bold lead-in)
    part: int
    parts: int


@dataclass
class _Builder:
    translated: TranslatedLike
    config: Config
    resolver: Resolver
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def text(self, text: str, line: int) -> Markup:
        """Inline Markdown of one unit, wrapped with its language if it fell back."""
        html = render_inline(text, self.resolver, line)
        return wrap_lang(html, self.translated.fallback_lang(line, text))

    def plain(self, text: str, line: int) -> Markup:
        return wrap_lang(escape(text), self.translated.fallback_lang(line, text))

    def meta(self, key: str) -> tuple[str, Markup] | None:
        value = self.translated.article.meta.get(key)
        if not isinstance(value, str) or not value.strip():
            return None
        line = self.translated.article.meta_lines.get(key, 1)
        return value, self.plain(value, line)

    def image(self, block: Image) -> ImageView:
        url = self.resolver.image(block.src, block.line)
        shown = block.title or block.alt
        caption = self.plain(shown, block.line) if shown else None
        return ImageView(url, block.alt, caption, block.src, block.line)

    def video(self, block: Video, caption: Heading | None) -> VideoView:
        text = self.text(caption.text.rstrip(":"), caption.line) if caption else None
        label = f"{caption.text.rstrip(':')} – {block.url}" if caption else block.url
        return VideoView(
            block.url, block.short_url, Markup(qr_svg(block.url, label=label)), text, block.line
        )

    def nodes(self, blocks: Sequence[Block]) -> tuple[Any, ...]:
        """Blocks for the template: a heading right before a video becomes its caption, runs of
        videos become one group (QR codes side by side)."""
        out: list[Any] = []
        i = 0
        while i < len(blocks):
            block = blocks[i]
            if isinstance(block, Heading | Video) and _starts_video(blocks, i):
                group: list[VideoView] = []
                while i < len(blocks) and _starts_video(blocks, i):
                    if isinstance(blocks[i], Heading):
                        heading = blocks[i]
                        assert isinstance(heading, Heading)
                        video = blocks[i + 1]
                        assert isinstance(video, Video)
                        group.append(self.video(video, heading))
                        i += 2
                    else:
                        video = blocks[i]
                        assert isinstance(video, Video)
                        group.append(self.video(video, None))
                        i += 1
                out.append(VideoGroup(tuple(group)))
                continue
            out.append(self.image(block) if isinstance(block, Image) else block)
            i += 1
        return tuple(out)

    def all_videos(self, blocks: Sequence[Block]) -> list[VideoView]:
        videos: list[VideoView] = []
        last_heading: Heading | None = None
        for block in _walk(blocks):
            if isinstance(block, Heading):
                last_heading = block
            elif isinstance(block, Video):
                videos.append(self.video(block, last_heading))
        return videos


def _starts_video(blocks: Sequence[Block], i: int) -> bool:
    block = blocks[i]
    if isinstance(block, Video):
        return True
    return (
        isinstance(block, Heading)
        and block.level >= 3
        and i + 1 < len(blocks)
        and isinstance(blocks[i + 1], Video)
    )


def _walk(blocks: Sequence[Block]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        out.append(block)
        children = getattr(block, "blocks", None)
        if children:
            out.extend(_walk(children))
        for item in getattr(block, "items", ()):
            out.extend(_walk(item.blocks))
    return out


def _body_blocks(article: Article) -> tuple[Block, ...]:
    """The body without a leading H1 that repeats the title (the layout prints the title)."""
    blocks = article.blocks
    if blocks and isinstance(blocks[0], Heading) and blocks[0].level == 1:
        return blocks[1:]
    return blocks


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


def _slides(
    builder: _Builder,
    title: Markup,
    title_text: str,
    intro: Sequence[Block],
    sections: Sequence[slides_mod.Section],
) -> list[SlideView]:
    tr = builder.translated
    article = tr.article
    lang = tr.lang
    out: list[SlideView] = []
    intro_points = slides_mod.auto_points(intro, lang)
    chunks: list[tuple[Markup, list[slides_mod.Slide]]] = []
    if intro_points:
        chunks.append((title, slides_mod.paginate(title_text, 0, intro_points)))
    in_source = tr.lang == article.lang
    for section in sections:
        heading = section.heading
        assert heading is not None
        points = slides_mod.hand_points(article.meta, heading) if in_source else None
        if points is None:
            points = slides_mod.auto_points(section.blocks, lang)
        chunks.append(
            (
                builder.text(heading.text, heading.line),
                slides_mod.paginate(heading.text, heading.line, points),
            )
        )
    if not in_source and isinstance(article.meta.get("slides"), Mapping):
        builder.diagnostics.append(
            Diagnostic(
                "info",
                f"hand-chosen slide points are in {article.lang} only; automatic points used for {lang}",
                article.path,
                article.meta_lines.get("slides"),
                "slides-untranslated",
            )
        )
    for slide_title, pages in chunks:
        for page in pages:
            points_html = tuple(
                (
                    wrap_lang(
                        render_inline(p.text, builder.resolver, p.line),
                        tr.fallback_lang(p.line, p.unit_text),
                    ),
                    p.lead,
                )
                for p in page.points
            )
            out.append(SlideView(slide_title, points_html, page.part, page.parts))
    return out


def build_context(
    translated: TranslatedLike,
    fmt: str,
    *,
    config: Config,
    gettext: Gettext,
    build_date: dt.date | None,
) -> tuple[dict[str, Any], list[Diagnostic]]:
    article = translated.article
    brand = config.brand
    diagnostics: list[Diagnostic] = []  # filled while the template renders, too
    resolver = Resolver(
        sources_dir=config.sources_dir,
        article_dir=(config.root / article.path).parent,
        article_path=article.path,
        website=brand.website,
        link_notes=fmt != "slides",
        diagnostics=diagnostics,
    )
    b = _Builder(translated, config, resolver, diagnostics)

    def warn(message: str, line: int) -> None:
        b.diagnostics.append(Diagnostic("warning", message, article.path, line, "date"))

    blocks = _body_blocks(article)
    title_meta = b.meta("title")
    if title_meta is None and article.blocks and isinstance(article.blocks[0], Heading):
        first = article.blocks[0]
        title_meta = (first.text, b.text(first.text, first.line))
    title_text, title = title_meta or (article.slug, escape(article.slug))
    summary = b.meta("summary")
    intro, sections = slides_mod.split_sections(blocks)
    section_views = (
        [
            SectionView(
                f"s{s.heading.line}" if s.heading else "intro",
                s.heading,
                b.text(s.heading.text, s.heading.line) if s.heading else None,
                b.nodes(s.blocks),
            )
            for s in sections
        ]
        if fmt != "slides"
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
        "fmt": fmt,
        "lang": translated.lang,
        "source_lang": translated.source_lang,
        "source_lang_name": lang_name,
        "title": title,
        "title_text": title_text,
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
        "intro": b.nodes(intro) if fmt != "slides" else (),
        "sections": section_views,
        "toc": fmt == "brochure" and len(section_views) >= TOC_MIN_SECTIONS,
        "videos": b.all_videos(blocks),
        "t": b.text,
        "plain": b.plain,
        "image": b.image,
        "video": lambda block: b.video(block, None),
        **gettext_callables(gettext),
    }
    if fmt == "slides":
        slides = _slides(b, title, title_text, intro, sections)
        videos = ctx["videos"]
        ctx["slides"] = slides
        ctx["closing_videos"] = videos if len(videos) <= VIDEOS_ON_CLOSING_SLIDE else []
        extra = [] if len(videos) <= VIDEOS_ON_CLOSING_SLIDE else videos
        ctx["video_slides"] = [
            extra[i : i + VIDEOS_PER_SLIDE] for i in range(0, len(extra), VIDEOS_PER_SLIDE)
        ]
    return ctx, diagnostics


def render_html(
    env: jinja2.Environment,
    translated: TranslatedLike,
    fmt: str,
    *,
    config: Config,
    gettext: Gettext,
    build_date: dt.date | None = None,
    extra: Mapping[str, Any] | None = None,
) -> tuple[str, list[Diagnostic]]:
    """The HTML of one document and the problems found while making it."""
    if fmt not in FORMATS:
        raise ToolkitError(f"unknown format {fmt!r}", hint=f"use one of: {', '.join(FORMATS)}")
    ctx, diagnostics = build_context(
        translated, fmt, config=config, gettext=gettext, build_date=build_date
    )
    ctx.update(extra or {})
    html = render_template(env, f"{fmt}.html.j2", ctx, layouts=config.layouts)
    return html, diagnostics
