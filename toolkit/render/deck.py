"""A slide deck planned from a translated article: which slides, which points, at which size.

The PDF (layouts/slides.html.j2) and the PowerPoint file (`powerpoint.py`) both draw this plan,
so they show the same slides with the same texts. A deck is a summary:

- a title slide holding the whole title (its type shrinks to fit, down to a floor; below that the
  author's `short_title` stands in), then content slides, then a closing slide;
- at most `max_slides` in all (project setting, front matter `max_slides`; 15 by default);
- per `##` section one slide, two where its points need it and the budget allows; a section
  with no point worth showing is merged into its neighbour or left out, never a bare heading;
- a figure gets a slide of its own after its section; videos go on the closing slide, or on
  video slides when there are more than it holds;
- at most five points a slide, each one or two lines, 20–24 pt (the author's own points may go
  to 20 pt), never hyphenated and never cut.

The author chooses the deck in front matter (`slides:` names the sections and their points);
without it, `points.py` chooses. Sizes are measured with the fonts the slides are set in.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from toolkit.config import DEFAULT_MAX_SLIDES, MIN_SLIDES
from toolkit.render import points as pts
from toolkit.render.deck_model import (
    AUTO_FLOOR,
    BODY_SIZES,
    COVER_FLOOR,
    COVER_FOOT,
    COVER_LINES,
    COVER_SIZES,
    COVER_TOP,
    COVER_W,
    FOOT,
    LEADING,
    MAX_LINES,
    MAX_POINTS,
    MORE_SCORE,
    POINT_GAP,
    POINT_W,
    RULE_GAP,
    SLIDE_H,
    SUMMARY_LINES,
    SUMMARY_SIZES,
    TEXT_W,
    TITLE_LEADING,
    TITLE_SIZES,
    TOP,
    VIDEOS_ON_CLOSING,
    VIDEOS_PER_SLIDE,
    Cover,
    Deck,
    Note,
    Slide,
)
from toolkit.render.measure import Measure
from toolkit.render.points import Point
from toolkit.render.slides import Section, body_blocks, figures, section_notes, split_sections
from toolkit.render.slides import videos as videos_in
from toolkit.sources.model import SLIDES_KEY, Article, Block, Heading, Image


@dataclass(frozen=True)
class _Part:
    """One section's (or several merged sections') share of the deck, before the budget."""

    title: str
    title_line: int
    first: tuple[Point, ...]
    more: tuple[Point, ...]
    figures: tuple[Image, ...]
    notes: str
    score: float
    order: int


@dataclass
class Planner:
    article: Article  # translated
    lang: str
    measure: Measure
    gettext: Callable[[str], str] = field(default=lambda s: s)
    max_slides: int = DEFAULT_MAX_SLIDES

    # --- sizes -----------------------------------------------------------------------------------

    def title_fit(self, text: str) -> tuple[float, int]:
        for size, most in TITLE_SIZES:
            lines = self.measure.lines(text, size, TEXT_W, "bold")
            if lines <= most:
                return size, lines
        size = TITLE_SIZES[-1][0]
        return size, self.measure.lines(text, size, TEXT_W, "bold")

    def body_top(self, title_size: float, title_lines: int) -> float:
        return TOP + title_size * TITLE_LEADING * title_lines + RULE_GAP

    def fits(self, points: Sequence[Point], size: float, top: float) -> bool:
        if len(points) > MAX_POINTS:
            return False
        lines = [self.measure.lines(p.text, size, POINT_W) for p in points]
        if any(n > MAX_LINES for n in lines):
            return False
        height = sum(lines) * size * LEADING + max(0, len(points) - 1) * size * POINT_GAP
        return top + height <= SLIDE_H - FOOT

    def body_size(self, points: Sequence[Point], top: float, floor: float) -> float | None:
        for size in BODY_SIZES:
            if size >= floor and self.fits(points, size, top):
                return size
        return None

    def one_point_fits(self, text: str) -> bool:
        return self.measure.lines(text, AUTO_FLOOR, POINT_W) <= MAX_LINES

    # --- the cover -------------------------------------------------------------------------------

    def cover(self, intro_notes: str) -> Cover:
        meta = self.article.meta
        title, key = _meta_text(meta, "title"), "title"
        if not title:
            first = self.article.blocks[0] if self.article.blocks else None
            title = (
                first.text if isinstance(first, Heading) and first.level == 1 else self.article.slug
            )
        summary = _meta_text(meta, "summary") or None
        notes = "\n\n".join(
            t for t in (pts.plain(title), pts.plain(summary or ""), intro_notes) if t
        )
        fitted = self._fit_cover(title, summary)
        short = _meta_text(meta, "short_title")
        if fitted is None and short:
            title, key = short, "short_title"
            fitted = self._fit_cover(short, summary)
        if fitted is None:  # the whole title at the floor, without the summary beside it
            lines = self.measure.lines(title, COVER_FLOOR, COVER_W, "bold")
            return Cover(title, key, COVER_FLOOR, lines, None, SUMMARY_SIZES[-1], notes)
        size, lines, summary_size = fitted
        return Cover(
            title,
            key,
            size,
            lines,
            summary if summary_size else None,
            summary_size or SUMMARY_SIZES[-1],
            notes,
        )

    def _fit_cover(self, title: str, summary: str | None) -> tuple[float, int, float] | None:
        room = SLIDE_H - COVER_TOP - COVER_FOOT
        for size in COVER_SIZES:
            lines = self.measure.lines(title, size, COVER_W, "bold")
            height = lines * size * TITLE_LEADING
            if lines > COVER_LINES or height > room:
                continue
            if not summary:
                return size, lines, 0.0
            for small in SUMMARY_SIZES:
                n = self.measure.lines(summary, small, COVER_W, "light")
                if n <= SUMMARY_LINES and height + 18 + n * small * 1.3 <= room:
                    return size, lines, small
        return None

    # --- the parts ---------------------------------------------------------------------------------

    def hand_parts(
        self, sections: Sequence[Section], chosen: Mapping[int, Sequence[str]], line: int
    ) -> list[_Part]:
        parts = []
        for order, section in enumerate(sections):
            heading = section.heading
            texts = chosen.get(heading.line) if heading else None
            if heading is None or not texts:
                continue
            found = tuple(Point(t, line, t, order=n) for n, t in enumerate(texts))
            parts.append(
                _Part(
                    heading.text,
                    heading.line,
                    found,
                    (),
                    figures(section.blocks),
                    section_notes(section.blocks),
                    0.0,
                    order,
                )
            )
        return parts

    def auto_parts(self, intro: Sequence[Block], sections: Sequence[Section]) -> list[_Part]:
        """A part per section with points or figures. The text before the first `##` is the
        title slide's (the summary says what it says; its text goes in the notes), unless the
        article has no sections to show: then it is the one slide, under the title."""
        context = " ".join(_meta_text(self.article.meta, k) for k in ("title", "summary"))
        found = [p for order, s in enumerate(sections) if (p := self._auto_part(s, order, context))]
        if not found and intro:
            title = (
                _meta_text(self.article.meta, "short_title")
                or _meta_text(self.article.meta, "title")
                or self.article.slug
            )
            part = self._auto_part(Section(Heading(2, title, 0), tuple(intro)), 0, context)
            found = [part] if part else []
        merged = _merge_thin(found, self._joins)
        # A lone point that found no neighbour to join is not worth a slide of its own.
        kept = [p for p in merged if len(p.first) > 1 or p.figures]
        return kept if kept else merged

    def _auto_part(self, section: Section, order: int, context: str) -> _Part | None:
        heading = section.heading
        title = heading.text if heading else ""
        cands = pts.candidates(
            section.blocks, self.lang, self.one_point_fits, heading=title, context=context
        )
        found = figures(section.blocks)
        if not cands and not found:
            return None  # nothing to show: left out, never a slide with a heading alone
        first = self._fill(pts.best(cands, self.lang, MAX_POINTS), title)
        rest = [c for c in cands if c not in first and c.score >= MORE_SCORE]
        more = self._fill(pts.best(rest, self.lang, MAX_POINTS), title) if len(rest) >= 2 else ()
        top = sorted((c.score for c in cands), reverse=True)[:3]
        score = sum(top) / 3 + 0.25 * len(found) + (0.3 if order < 2 else 0.0)
        score += 0.3 * len(pts.stems(title, self.lang) & pts.stems(context, self.lang))
        line = heading.line if heading else 0
        return _Part(
            title,
            line,
            first,
            more if len(more) >= 2 else (),
            found,
            section_notes(section.blocks),
            score,
            order,
        )

    def _joins(self, a: _Part, b: _Part) -> _Part | None:
        """Two parts on one slide, if their points fit it together."""
        joined = _joined(a, b)
        size, lines = self.title_fit(joined.title)
        if self.body_size(joined.first, self.body_top(size, lines), AUTO_FLOOR) is None:
            return None
        return joined

    def _fill(self, chosen: Sequence[Point], title: str) -> tuple[Point, ...]:
        """As many of the chosen points (best first) as fit one slide, in the article's order."""
        size, lines = self.title_fit(title)
        top = self.body_top(size, lines)
        kept: list[Point] = []
        for point in sorted(chosen, key=lambda p: (-p.score, p.order)):
            trial = sorted([*kept, point], key=lambda p: p.order)
            if self.body_size(trial, top, AUTO_FLOOR) is not None:
                kept = trial
        return tuple(kept)

    # --- the deck ----------------------------------------------------------------------------------

    def plan(self, only: Sequence[int] | None = None) -> Deck:
        """The deck; `only`: the source lines of the H2 sections to show (a workshop's choice)."""
        intro, sections = split_sections(body_blocks(self.article))
        chosen = self.article.meta.get(SLIDES_KEY)
        line = self.article.meta_lines.get(SLIDES_KEY, 1)
        if only is not None:
            wanted = {n: i for i, n in enumerate(only)}
            sections = sorted(
                (s for s in sections if s.heading and s.heading.line in wanted),
                key=lambda s: wanted[s.heading.line if s.heading else 0],
            )
            intro = []
        hand = isinstance(chosen, Mapping) and bool(chosen)
        notes: list[Note] = []
        if hand:
            assert isinstance(chosen, Mapping)
            parts = self.hand_parts(sections, chosen, line)
            if only is not None:  # a workshop's section the author chose no points for
                named = {p.title_line for p in parts}
                auto = self.auto_parts(
                    (), [s for s in sections if s.heading and s.heading.line not in named]
                )
                parts = sorted(
                    [*parts, *auto],
                    key=lambda p: only.index(p.title_line) if p.title_line in only else 0,
                )
        else:
            parts = self.auto_parts(intro, sections)
        videos = videos_in(body_blocks(self.article))
        closing = tuple(videos) if len(videos) <= VIDEOS_ON_CLOSING else ()
        video_slides = (
            []
            if closing
            else [
                tuple(videos[i : i + VIDEOS_PER_SLIDE])
                for i in range(0, len(videos), VIDEOS_PER_SLIDE)
            ]
        )
        room = self.max_slides - 2 - len(video_slides)
        if not hand:
            parts = _within(parts, max(1, room))
        slides: list[Slide] = []
        for part in parts:
            slides += self._slides(part, hand, line, notes)
        for group in video_slides:
            size, lines = self.title_fit(self.gettext("Videos"))
            urls = "\n".join(f"{pts.plain(h.text) + ': ' if h else ''}{v.url}" for v, h in group)
            slides.append(
                Slide("videos", self.gettext("Videos"), 0, size, lines, videos=group, notes=urls)
            )
        if len(slides) + 2 > self.max_slides:
            why = (
                "the slides chosen in front matter"
                if hand
                else "one slide of points and the videos' QR slides"
            )
            notes.append(
                Note(
                    f"{why} make {len(slides) + 2} slides, more than max_slides = {self.max_slides}",
                    line if hand else None,
                )
            )
        cover = self.cover(section_notes(intro))
        closing_notes = "\n".join(
            f"{pts.plain(h.text) + ': ' if h else ''}{v.url}" for v, h in closing
        )
        return Deck(cover, tuple(slides), closing, closing_notes, hand, tuple(notes))

    def _slides(self, part: _Part, hand: bool, line: int, notes: list[Note]) -> list[Slide]:
        size, lines = self.title_fit(part.title)
        top = self.body_top(size, lines)
        groups = [g for g in (part.first, part.more) if g]
        if hand:
            groups = self._split(part.first, top, line, notes)
        out = []
        for n, group in enumerate(groups, start=1):
            body = self.body_size(group, top, BODY_SIZES[-1]) or BODY_SIZES[-1]
            out.append(
                Slide(
                    "points",
                    part.title,
                    part.title_line,
                    size,
                    lines,
                    group,
                    body,
                    n,
                    len(groups),
                    notes=part.notes,
                )
            )
        for image in part.figures:
            caption = image.title or image.alt
            title = caption or part.title
            fsize, flines = self.title_fit(title)
            out.append(
                Slide(
                    "figure",
                    title,
                    image.line if caption else part.title_line,
                    fsize,
                    flines,
                    image=image,
                    notes=pts.plain(caption),
                )
            )
        return out

    def _split(
        self, found: Sequence[Point], top: float, line: int, notes: list[Note]
    ) -> list[tuple[Point, ...]]:
        """The author's points over as few slides as they fit on, none left out."""
        for point in found:
            if self.measure.lines(point.text, BODY_SIZES[-1], POINT_W) > MAX_LINES:
                notes.append(
                    Note(
                        f"slide point longer than two lines, shorten it: {pts.plain(point.text)[:60]!r}",
                        line,
                    )
                )
        for count in range(1, len(found) + 1):
            per = math.ceil(len(found) / count)
            groups = [tuple(found[i : i + per]) for i in range(0, len(found), per)]
            if all(len(g) <= MAX_POINTS and self.body_size(g, top, BODY_SIZES[-1]) for g in groups):
                return groups
        return [(p,) for p in found]


# --- helpers -----------------------------------------------------------------------------------------


def _meta_text(meta: Mapping[str, object], key: str) -> str:
    value = meta.get(key)
    return value.strip() if isinstance(value, str) else ""


def _merge_thin(parts: list[_Part], joins: Callable[[_Part, _Part], _Part | None]) -> list[_Part]:
    """A section with a single point joins its neighbour's slide (the next one, else the one
    before) when their points fit one slide together; the heading of the one with more stays."""
    out: list[_Part] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        thin = len(part.first) == 1 and not part.figures
        nxt = parts[i + 1] if i + 1 < len(parts) else None
        if thin and nxt and not nxt.figures and (joined := joins(part, nxt)):
            out.append(joined)
            i += 2
            continue
        if thin and out and not out[-1].figures and (joined := joins(out[-1], part)):
            out[-1] = joined
        else:
            out.append(part)
        i += 1
    return out


def _joined(a: _Part, b: _Part) -> _Part:
    lead = a if len(a.first) > len(b.first) else b
    first = tuple(pts.renumber([*a.first, *b.first], 0))
    return replace(
        lead,
        first=first,
        more=(),
        figures=a.figures + b.figures,
        notes=f"{a.notes}\n\n{b.notes}".strip(),
        score=max(a.score, b.score),
        order=a.order,
    )


def _within(parts: list[_Part], room: int) -> list[_Part]:
    """The best parts that fit the budget (a figure costs a slide of its own), in article order;
    slides to spare go to the sections with the most good points left."""
    chosen: list[_Part] = []
    used = 0
    for part in sorted(parts, key=lambda p: (-p.score, p.order)):
        cost = (1 if part.first else 0) + len(part.figures)
        if cost and used + cost <= room:
            chosen.append(replace(part, more=()))
            used += cost
    by_order = {p.order: p for p in parts}
    for part in sorted(chosen, key=lambda p: (-p.score, p.order)):
        if used < room and by_order[part.order].more:
            chosen[chosen.index(part)] = replace(part, more=by_order[part.order].more)
            used += 1
    return sorted(chosen, key=lambda p: p.order)


def plan_deck(
    article: Article,
    lang: str,
    measure: Measure,
    *,
    gettext: Callable[[str], str] = lambda s: s,
    max_slides: int = DEFAULT_MAX_SLIDES,
    only: Sequence[int] | None = None,
) -> Deck:
    """The deck of a translated article; the article's front matter `max_slides` wins over the
    project's."""
    own = article.meta.get("max_slides")
    budget = own if isinstance(own, int) and not isinstance(own, bool) else max_slides
    return Planner(article, lang, measure, gettext, max(MIN_SLIDES, budget)).plan(only)
