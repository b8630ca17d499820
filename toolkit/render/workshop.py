"""The view of a workshop pack for `layouts/workshop.html.j2`: cover facts written the way each
language writes them, the workshop's own text, the included articles (each translated with its own
catalog), exercise cards with QR codes, and slide sheets.

The workshop body is split in two: H2 sections holding a video are exercises (they go to the
exercise pages, after the articles, with the included articles' videos); all others (welcome,
programme) open the pack.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import jinja2
from babel import Locale
from babel.dates import format_date, format_interval, match_skeleton
from babel.numbers import format_currency
from markupsafe import Markup

from toolkit.config import Config
from toolkit.documents.prepare import Included
from toolkit.errors import Diagnostic, ToolkitError
from toolkit.render import slides as slides_mod
from toolkit.render.deck import plan_deck
from toolkit.render.environment import Gettext, gettext_callables
from toolkit.render.inline import Resolver
from toolkit.render.measure import Measure
from toolkit.render.slides import body_blocks, walk
from toolkit.render.views import (
    Builder,
    SectionView,
    SlideView,
    TranslatedLike,
    VideoGroup,
    VideoView,
    slide_views,
)
from toolkit.sources.model import Block, Video
from toolkit.sources.workshop import Workshop, read_workshop

SLIDES_PER_SHEET = 3
DAY_SKELETON = "yMMMMEd"  # weekday, day, month in words, year


@dataclass(frozen=True)
class DayView:
    date_iso: str
    date_text: str
    time_text: str


@dataclass(frozen=True)
class ExerciseView:
    id: str
    title: Markup | None
    nodes: tuple[Any, ...]
    videos: tuple[VideoView, ...]


@dataclass(frozen=True)
class ExerciseSection:
    id: str
    title: Markup | None
    intro: tuple[Any, ...]  # text before the first exercise (H3)
    exercises: tuple[ExerciseView, ...]


@dataclass(frozen=True)
class VideoRefs:
    """Videos in an included article's text: a line pointing at the QR code's page."""

    kind = "video-refs"
    refs: tuple[tuple[str, Markup | None, str], ...]  # (target id, caption, short link)


@dataclass(frozen=True)
class ChapterView:
    id: str
    blocks: Any  # blocks.html.j2 as a module bound to this article's texts (see _blocks_for)
    lang: str
    title: Markup
    summary: Markup | None
    whole: bool
    intro: tuple[Any, ...]
    sections: tuple[SectionView, ...]
    videos: tuple[tuple[str, VideoView], ...]  # (id, video) shown on the exercise pages


@dataclass(frozen=True)
class SlideCell:
    chapter: Markup
    slide: SlideView


# --- dates, times and money the way each language writes them ------------------------------------


def _widen_months(pattern: str) -> str:
    """MMM -> MMMM outside quoted literals: Babel picks the closest skeleton ("yMMMEd") without
    widening its fields as ICU does, and Dutch would print "mrt" where we asked for "maart"."""
    parts = re.split(r"('(?:[^']|'')*')", pattern)
    widened = (re.sub(r"(?<![ML])([ML])\1\1(?![ML])", r"\1\1\1\1", p) for p in parts[::2])
    out = [next(widened) if i % 2 == 0 else p for i, p in enumerate(parts)]
    return "".join(out)


def format_day(day: dt.date, locale: str) -> str:
    """'za 14 maart 2026', 'Sat, 14 March 2026' (en_GB), 'Sa., 14. März 2026'."""
    loc = Locale.parse(locale)
    skeletons = loc.datetime_skeletons
    key = DAY_SKELETON if DAY_SKELETON in skeletons else match_skeleton(DAY_SKELETON, skeletons)
    pattern = _widen_months(skeletons[key].pattern) if key else "EEE d MMMM y"
    return format_date(day, pattern, locale=loc)


def format_times(times: tuple[dt.time, dt.time] | None, locale: str) -> str:
    if times is None:
        return ""
    loc = Locale.parse(locale)
    # 24-hour or 12-hour clock as the language's own short time format has it.
    short = loc.time_formats["short"].pattern
    skeleton = "hm" if "h" in short or "K" in short else "Hm"
    start, end = times
    return format_interval(start, end, skeleton, locale=loc)


def format_price(amount: Decimal | None, currency: str, locale: str) -> str:
    if amount is None:
        return ""
    return format_currency(amount, currency, locale=locale)


# --- the pack ---------------------------------------------------------------------------------------


def _builder(translated: TranslatedLike, config: Config, diagnostics: list[Diagnostic]) -> Builder:
    resolver = Resolver.of(config, translated.article, translated.lang, diagnostics=diagnostics)
    return Builder(translated, config, resolver, diagnostics)


def _blocks_for(env: jinja2.Environment, b: Builder, gettext: Gettext) -> Any:
    """The block macros with `t`, `plain` and `image` of one included article: its fallback
    texts get its own source language, its links and images resolve from its own folder."""
    names = {
        "t": b.text,
        "plain": b.plain,
        "image": b.image,
        "video": lambda block: b.video(block, None),
        **gettext_callables(gettext),
    }
    return env.get_template("blocks.html.j2").make_module(names)


def _has_video(blocks: Sequence[Block]) -> bool:
    return any(isinstance(b, Video) for b in walk(blocks))


def _exercises(b: Builder, section: slides_mod.Section, prefix: str) -> ExerciseSection:
    """An exercise section: each H3 is an exercise; its videos go beside its text as QR codes."""
    intro, subs = slides_mod.split_sections(section.blocks, level=3)
    if not subs:  # no H3s: the whole section is one exercise
        subs, intro = [slides_mod.Section(None, intro)], ()
    exercises = []
    for sub in subs:
        heading, blocks = sub.heading, sub.blocks
        title = b.text(heading.text, heading.line) if heading else None
        nodes, videos = [], []
        for node in b.nodes(blocks):
            if isinstance(node, VideoGroup):
                videos += [v if v.caption else replace(v, caption=title) for v in node.videos]
            else:
                nodes.append(node)
        line = heading.line if heading else section.heading.line if section.heading else 0
        exercises.append(ExerciseView(f"{prefix}-x{line}", title, tuple(nodes), tuple(videos)))
    heading = section.heading
    title = b.text(heading.text, heading.line) if heading else None
    sid = f"{prefix}-s{heading.line if heading else 0}"
    return ExerciseSection(sid, title, b.nodes(intro), tuple(exercises))


def _chapter(
    b: Builder,
    blocks: Any,
    included: Included,
    index: int,
    slides: list[SlideCell] | None,
    gettext: Gettext,
) -> ChapterView:
    """One included article; its slides (if asked) are added to `slides`."""
    tr = included.translated
    article = tr.article
    prefix = f"c{index}"
    intro, sections = slides_mod.split_sections(body_blocks(article))
    whole = not included.section_lines
    if not whole:
        chosen = {line: n for n, line in enumerate(included.section_lines)}
        sections = sorted(
            (s for s in sections if s.heading and s.heading.line in chosen),
            key=lambda s: chosen[s.heading.line if s.heading else 0],
        )
        intro = ()
    title_meta = b.meta("title")
    title = title_meta[1] if title_meta else Markup(article.slug)
    summary = b.meta("summary") if whole else None
    videos: list[tuple[str, VideoView]] = []

    def refs(nodes: tuple[Any, ...]) -> tuple[Any, ...]:
        """Video groups become references to their QR codes on the exercise pages."""
        out = []
        for node in nodes:
            if isinstance(node, VideoGroup):
                ids = []
                for v in node.videos:
                    vid = f"{prefix}-v{v.line}"
                    videos.append((vid, v))
                    ids.append((vid, v.caption, v.short_url))
                out.append(VideoRefs(tuple(ids)))
            else:
                out.append(node)
        return tuple(out)

    section_views = tuple(
        SectionView(
            f"{prefix}-s{s.heading.line}" if s.heading else f"{prefix}-intro",
            s.heading,
            b.text(s.heading.text, s.heading.line) if s.heading else None,
            refs(b.nodes(s.blocks)),
        )
        for s in sections
    )
    if slides is not None:
        # The article's own deck (whole), or the deck of the chosen sections; its slides of points.
        config = b.config
        deck = plan_deck(
            article,
            tr.lang,
            Measure(config.layouts_dir / "fonts"),
            gettext=gettext,
            max_slides=config.max_slides if whole else 1000,
            only=None if whole else included.section_lines,
        )
        # A slide drawn a few centimetres wide has no room for link footnotes.
        quiet = Builder(tr, config, replace(b.resolver, link_notes=False), b.diagnostics)
        for slide in slide_views(quiet, deck):
            if slide.kind == "points":
                slides.append(SlideCell(title, slide))
    return ChapterView(
        prefix,
        blocks,
        tr.lang,
        title,
        summary[1] if summary else None,
        whole,
        refs(b.nodes(intro)),
        section_views,
        tuple(videos),
    )


def workshop_context(
    translated: TranslatedLike,
    includes: Sequence[Included],
    *,
    env: jinja2.Environment,
    config: Config,
    gettext: Gettext,
    diagnostics: list[Diagnostic],
) -> dict[str, Any]:
    """What the workshop layout needs beyond the ordinary context of its own source."""
    if not translated.article.is_workshop:
        raise ToolkitError(
            "not a workshop: only a source with an 'include' list in its front matter is",
            path=translated.article.path,
            hint="build it as handout, brochure or slides",
        )
    spec: Workshop = read_workshop(translated.article)
    locale = config.babel_locale(translated.lang)
    b = _builder(translated, config, diagnostics)
    intro, sections = slides_mod.split_sections(body_blocks(translated.article))
    programme = [s for s in sections if not _has_video(s.blocks)]
    exercises = [_exercises(b, s, "w") for s in sections if _has_video(s.blocks)]
    slides: list[SlideCell] | None = [] if spec.slides else None
    chapters = []
    for n, inc in enumerate(includes, start=1):
        cb = _builder(inc.translated, config, diagnostics)
        chapters.append(_chapter(cb, _blocks_for(env, cb, gettext), inc, n, slides, gettext))
    venue = b.meta("venue")
    cells = slides or []
    return {
        "days": [
            DayView(day.isoformat(), format_day(day, locale), format_times(times, locale))
            for day, times in zip(spec.dates, spec.times, strict=True)
        ],
        "venue": venue[1] if venue else None,
        "teacher": spec.teacher,
        "price_text": format_price(spec.price, spec.currency, locale),
        "programme_intro": b.nodes(intro),
        "programme": [
            SectionView(
                f"w-s{s.heading.line}" if s.heading else "w-intro",
                s.heading,
                b.text(s.heading.text, s.heading.line) if s.heading else None,
                b.nodes(s.blocks),
            )
            for s in programme
        ],
        "exercise_sections": exercises,
        "chapters": chapters,
        "chapter_videos": [c for c in chapters if c.videos],
        "slide_sheets": [
            cells[i : i + SLIDES_PER_SHEET] for i in range(0, len(cells), SLIDES_PER_SHEET)
        ],
        "draft": bool(translated.draft) or any(inc.translated.draft for inc in includes),
    }
