"""The view of an article the layouts get: texts already rendered to safe HTML (fallback texts
wrapped in an element with their own `lang`), videos grouped with their QR codes, H2 sections, and
the chosen points of each slide. `html.py` assembles these into a layout's context."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from markupsafe import Markup, escape

from toolkit.config import Config
from toolkit.errors import Diagnostic
from toolkit.render.deck import Deck
from toolkit.render.inline import Resolver, render_inline, wrap_lang
from toolkit.render.qr import qr_svg
from toolkit.render.slides import walk
from toolkit.render.typography import typeset_plain
from toolkit.sources.model import Article, Block, Footnote, Heading, Image, Paragraph, Video


class TranslatedLike(Protocol):
    """What the renderer needs of `toolkit.documents.translate.Translated`."""

    @property
    def article(self) -> Article: ...
    @property
    def lang(self) -> str: ...
    @property
    def source_lang(self) -> str: ...
    @property
    def draft(self) -> bool: ...
    def fallback_lang(self, line: int, text: str) -> str | None: ...
    def origin(self, line: int, text: str) -> tuple[str, int, str] | None: ...


# --- the view the templates get ------------------------------------------------------------------


@dataclass(frozen=True)
class ImageView:
    kind = "image-view"
    url: str | None
    alt: str  # plain text, for the alt attribute
    caption: Markup | None
    src: str
    line: int
    id: str = ""  # the figure's id: a later pass may fit it to its page


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
    kind: str  # points, figure, videos (toolkit.render.deck.Slide)
    title: Markup
    points: tuple[tuple[Markup, bool], ...]  # (html, is a bold lead-in: never, since decks)
    part: int
    parts: int
    title_size: float = 30.0
    body_size: float = 24.0
    image: ImageView | None = None
    videos: tuple[VideoView, ...] = ()
    room: float = 0.0  # pt of height for the points or the figure


@dataclass
class Builder:
    translated: TranslatedLike
    config: Config
    resolver: Resolver
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Notes are rendered before the texts that call them: a call prints its note in place.
        notes = self.resolver.footnotes
        for block in walk(self.translated.article.blocks) if notes is not None else ():
            if isinstance(block, Footnote) and block.label not in notes:
                paragraphs = [b for b in block.blocks if isinstance(b, Paragraph)]
                notes[block.label] = Markup("<br>").join(
                    self.text(p.text, p.line) for p in paragraphs
                )

    def locale(self, lang: str | None = None) -> str:
        """The locale a text in `lang` (default: the document's) is typeset in."""
        return self.config.babel_locale(lang or self.translated.lang)

    def text(self, text: str, line: int) -> Markup:
        """Inline Markdown of one unit, typeset in its language and wrapped with that language if
        it fell back."""
        fallback = self.translated.fallback_lang(line, text)
        # a problem in a translated text is reported at its catalog entry, not the source
        origin = self.translated.origin(line, text)
        html = render_inline(text, self.resolver, line, self.locale(fallback), origin)
        return wrap_lang(html, fallback)

    def plain(self, text: str, line: int) -> Markup:
        fallback = self.translated.fallback_lang(line, text)
        return wrap_lang(typeset_plain(text, self.locale(fallback)), fallback)

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
        fid = f"fig-{self.translated.article.slug}-{block.line}"
        return ImageView(url, block.alt, caption, block.src, block.line, fid)

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
            if isinstance(block, Heading | Video) and starts_video(blocks, i):
                group: list[VideoView] = []
                while i < len(blocks) and starts_video(blocks, i):
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
        for block in walk(blocks):
            if isinstance(block, Heading):
                last_heading = block
            elif isinstance(block, Video):
                videos.append(self.video(block, last_heading))
        return videos


def starts_video(blocks: Sequence[Block], i: int) -> bool:
    block = blocks[i]
    if isinstance(block, Video):
        return True
    return (
        isinstance(block, Heading)
        and block.level >= 3
        and i + 1 < len(blocks)
        and isinstance(blocks[i + 1], Video)
    )


def slide_views(builder: Builder, deck: Deck) -> list[SlideView]:
    """The deck's content slides as the layouts draw them (PDF and the workshop's slide sheets)."""
    tr = builder.translated
    out: list[SlideView] = []
    for slide in deck.slides:
        if (
            slide.kind == "figure"
            and slide.image is not None
            and slide.title_line == slide.image.line
        ):
            title = builder.plain(slide.title, slide.title_line)  # a figure's caption: plain text
        elif slide.title_line:
            title = builder.text(slide.title, slide.title_line)
        else:
            title = escape(slide.title)  # the layouts' own words ("Videos")
        points = tuple(
            (
                wrap_lang(
                    render_inline(
                        p.text,
                        builder.resolver,
                        p.line,
                        builder.locale(tr.fallback_lang(p.line, p.unit_text)),
                    ),
                    tr.fallback_lang(p.line, p.unit_text),
                ),
                False,
            )
            for p in slide.points
        )
        out.append(
            SlideView(
                slide.kind,
                title,
                points,
                slide.part,
                slide.parts,
                slide.title_size,
                slide.body_size,
                builder.image(slide.image) if slide.image else None,
                tuple(builder.video(v, h) for v, h in slide.videos),
                slide.room,
            )
        )
    return out
