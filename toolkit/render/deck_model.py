"""What a slide deck is: its slides, and the page they are planned on (in points: 720 × 405
is 254 × 142.875 mm; layouts/slides.css draws the same). `deck.py` plans a deck; the PDF layout
and `powerpoint.py` draw it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from toolkit.render.points import Point
from toolkit.render.slides import VideoRef
from toolkit.sources.model import Image

SLIDE_W, SLIDE_H = 720.0, 405.0
MARGIN_X = 54.0
TOP = 34.0  # where a slide's title begins
FOOT = 46.0  # the band at the bottom: the practice's name and the slide number
TEXT_W = SLIDE_W - 2 * MARGIN_X
INDENT = 28.0  # bullet to text
POINT_W = TEXT_W - INDENT
RULE_GAP = 22.0  # the rule under a slide's title and the space below it
LEADING = 1.25  # line height of points, in ems
POINT_GAP = 0.5  # space between points, in ems
TITLE_LEADING = 1.15
BODY_SIZES = (24.0, 22.0, 20.0)  # points: the largest that fits; automatic points never below 22
AUTO_FLOOR = 22.0
TITLE_SIZES = ((30.0, 1), (28.0, 1), (28.0, 2), (26.0, 2), (24.0, 2), (24.0, 3))  # (size, lines)
MAX_POINTS = 5
MAX_LINES = 2  # a point is one or two lines
# The title slide
COVER_X = 60.0
COVER_W = SLIDE_W - 2 * COVER_X
COVER_TOP = 96.0  # below the practice's name
COVER_FOOT = 64.0  # author and date
COVER_SIZES = tuple(float(s) for s in range(44, 22, -2))  # 44 … 24 pt
COVER_FLOOR = COVER_SIZES[-1]
COVER_LINES = 5
SUMMARY_SIZES = (20.0, 18.0)
SUMMARY_LINES = 3
VIDEOS_ON_CLOSING = 3
VIDEOS_PER_SLIDE = 3
MORE_SCORE = 1.6  # a second slide for a section only with points this good

Kind = Literal["points", "figure", "videos"]


@dataclass(frozen=True)
class Cover:
    text: str  # the title (or the short title, when the title does not fit)
    key: str  # "title" or "short_title": the front matter key it came from
    size: float
    lines: int
    summary: str | None
    summary_size: float
    notes: str


@dataclass(frozen=True)
class Slide:
    kind: Kind
    title: str  # inline Markdown of a heading, or a plain text
    title_line: int  # source line of that heading; 0 for the layouts' own words
    title_size: float
    title_lines: int
    points: tuple[Point, ...] = ()
    body_size: float = BODY_SIZES[0]
    part: int = 1
    parts: int = 1
    image: Image | None = None
    videos: tuple[VideoRef, ...] = ()
    notes: str = ""

    @property
    def body_top(self) -> float:
        """Where the points (or the figure) begin, from the top of the slide."""
        return TOP + self.title_size * TITLE_LEADING * self.title_lines + RULE_GAP

    @property
    def room(self) -> float:
        """The height left for points or a figure above the footer band."""
        return SLIDE_H - FOOT - self.body_top


@dataclass(frozen=True)
class Note:
    message: str
    line: int | None


@dataclass(frozen=True)
class Deck:
    cover: Cover
    slides: tuple[Slide, ...]
    closing_videos: tuple[VideoRef, ...]
    closing_notes: str
    hand_made: bool
    notes: tuple[Note, ...] = ()  # what the author should know (a point too long, a deck too long)

    @property
    def count(self) -> int:
        return len(self.slides) + 2
