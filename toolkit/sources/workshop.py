"""Workshop packs: one source whose front matter says when, where and which articles to include.

A source is a workshop if and only if its front matter has an `include` list (one rule, no
`type:` key to keep in step with it)::

    title: Psoas-weekend                    # translated, like any article
    summary: …                              # translated
    venue: Yogastudio De Linde, Hilversum   # translated (free text on the cover)
    teacher: Anna de Vries                  # a name: printed as written
    dates: [2026-03-14, 2026-03-15]         # one date or a list; or start: / end:
    times: "10:00–16:30"                    # optional; one for every day, or a list per day
    price: 185                              # optional, a number; currency: EUR (default)
    include:
      - hoe-gaat-het-met-je-psoas           # a whole article
      - psoas-en-stress#Wat is de psoas?    # one H2 section, by its heading text in the source
    slides: true                            # optional: slide sheets with lines for notes

This module reads and checks that front matter (errors name the file and the line of the entry)
and finds the included articles; `toolkit.render.workshop` lays the pack out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import UnknownCurrencyError, get_currency_name

from toolkit.errors import ToolkitError
from toolkit.sources.model import WORKSHOP_KEY, Article, Heading
from toolkit.sources.rules import SLUG, heading_key

Fail = Callable[..., ToolkitError]  # fail(message, front matter key, hint=None)

MAX_DAYS = 14  # start/end further apart is a typing error, not a workshop
_TIMES = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*(?:-|–|—|to|tot|bis)\s*(\d{1,2})[:.](\d{2})\s*$")


@dataclass(frozen=True)
class Include:
    """Consecutive `include` entries of one article: the whole of it, or some of its H2 sections."""

    slug: str
    sections: tuple[str, ...]  # H2 heading texts as written in the source; () = the whole article
    line: int  # line of the first entry in the workshop source


@dataclass(frozen=True)
class Workshop:
    dates: tuple[dt.date, ...]
    times: tuple[tuple[dt.time, dt.time] | None, ...]  # one per date
    venue: str
    teacher: str
    price: Decimal | None
    currency: str
    includes: tuple[Include, ...]
    slides: bool


@dataclass(frozen=True)
class IncludedArticle:
    """An included article, read from its source, with the source lines of the chosen H2s."""

    article: Article
    section_lines: tuple[int, ...]  # () = the whole article


def read_workshop(article: Article) -> Workshop:
    """The workshop settings of a source's front matter; ToolkitError with file and line if wrong."""
    meta, lines, path = article.meta, article.meta_lines, article.path

    def fail(message: str, key: str, hint: str | None = None) -> ToolkitError:
        base = key.split("[")[0]
        return ToolkitError(message, path=path, line=lines.get(key, lines.get(base)), hint=hint)

    dates = _dates(meta, fail)
    times = _times(meta.get("times"), len(dates), fail)
    price, currency = _price(meta, fail)
    teacher = meta.get("teacher", "")
    venue = meta.get("venue", "")
    for key, value in (("teacher", teacher), ("venue", venue)):
        if not isinstance(value, str):
            raise fail(f"front matter {key!r} must be text", key)
    slides = meta.get("slides", False)
    if not isinstance(slides, bool):
        raise fail("front matter 'slides' of a workshop must be true or false", "slides")
    return Workshop(
        dates,
        times,
        venue.strip(),
        teacher.strip(),
        price,
        currency,
        _includes(meta, lines, fail),
        slides,
    )


def _dates(meta: Mapping[str, Any], fail: Fail) -> tuple[dt.date, ...]:
    hint = "write dates: [2026-03-14, 2026-03-15] (year-month-day), or start: and end:"
    if "dates" in meta:
        raw = meta["dates"]
        items = raw if isinstance(raw, list) else [raw]
        days = tuple(
            _date(v, f"dates[{i}]" if isinstance(raw, list) else "dates", fail, hint)
            for i, v in enumerate(items)
        )
        if not days:
            raise fail("front matter 'dates' is empty", "dates", hint)
        if list(days) != sorted(set(days)):
            raise fail("front matter 'dates' must be in order, each day once", "dates", hint)
        return days
    if "start" in meta:
        start = _date(meta["start"], "start", fail, hint)
        end = _date(meta.get("end", start), "end", fail, hint)
        if not 0 <= (end - start).days < MAX_DAYS:
            raise fail(
                f"'end' must be on or after 'start', at most {MAX_DAYS} days later", "end", hint
            )
        return tuple(start + dt.timedelta(days=n) for n in range((end - start).days + 1))
    raise fail("a workshop needs its dates", WORKSHOP_KEY, hint)


def _date(value: Any, key: str, fail: Fail, hint: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise fail(f"{value!r} is not a date like 2026-03-14", key, hint)


def _times(raw: Any, days: int, fail: Fail) -> tuple[tuple[dt.time, dt.time] | None, ...]:
    hint = 'write times: "10:00–16:30" (in quotes), or a list with one such text per day'
    if raw is None:
        return (None,) * days
    if isinstance(raw, list):
        if len(raw) != days:
            raise fail(
                f"'times' lists {len(raw)} day(s) but there are {days} date(s)", "times", hint
            )
        return tuple(_time_range(v, f"times[{i}]", fail, hint) for i, v in enumerate(raw))
    return (_time_range(raw, "times", fail, hint),) * days


def _time_range(value: Any, key: str, fail: Fail, hint: str) -> tuple[dt.time, dt.time] | None:
    if value is None:
        return None
    m = _TIMES.match(value) if isinstance(value, str) else None
    if m is None:
        # YAML reads an unquoted 10:00 as the number 600: say so rather than print nonsense.
        raise fail(f"{value!r} is not a time range like 10:00–16:30", key, hint)
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    try:
        start, end = dt.time(h1, m1), dt.time(h2, m2)
    except ValueError:
        raise fail(f"{value!r} is not a time range like 10:00–16:30", key, hint) from None
    if end <= start:
        raise fail(f"{value!r} ends before it starts", key, hint)
    return start, end


def _price(meta: Mapping[str, Any], fail: Fail) -> tuple[Decimal | None, str]:
    currency = meta.get("currency", "EUR")
    try:
        if not isinstance(currency, str):
            raise UnknownCurrencyError(str(currency))
        get_currency_name(currency.upper(), locale="en")
    except UnknownCurrencyError:
        raise fail(
            f"unknown currency {currency!r}", "currency", "use an ISO code such as EUR"
        ) from None
    raw = meta.get("price")
    if raw is None:
        return None, currency.upper()
    hint = "write the amount as a number, e.g. price: 185 or price: 92.50"
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise fail(f"price {raw!r} is not an amount", "price", hint)
    try:
        amount = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise fail(f"price {raw!r} is not an amount", "price", hint) from None
    if not amount.is_finite() or amount < 0:
        raise fail(f"price {raw!r} is not an amount", "price", hint)
    return amount, currency.upper()


def _includes(meta: Mapping[str, Any], lines: Mapping[str, int], fail: Fail) -> tuple[Include, ...]:
    raw = meta.get(WORKSHOP_KEY)
    hint = (
        "list article names, or name#H2 heading for one section: - psoas-en-stress#Wat is de psoas?"
    )
    if not isinstance(raw, list):
        raise fail("'include' must be a list of articles", WORKSHOP_KEY, hint)
    out: list[Include] = []
    for i, entry in enumerate(raw):
        key = f"{WORKSHOP_KEY}[{i}]"
        if not isinstance(entry, str) or not entry.strip():
            raise fail(f"include entry {entry!r} is not an article name", key, hint)
        slug, _, section = (part.strip() for part in entry.partition("#"))
        if not SLUG.match(slug):
            raise fail(f"include entry {entry!r} does not start with an article name", key, hint)
        section = " ".join(section.split())
        last = out[-1] if out else None
        if last is not None and last.slug == slug and section and last.sections:
            out[-1] = Include(slug, (*last.sections, section), last.line)  # one chapter
        else:
            line = lines.get(key, lines.get(WORKSHOP_KEY, 0))
            out.append(Include(slug, (section,) if section else (), line))
    return tuple(out)


def resolve_includes(
    workshop: Article, find: Callable[[str], Article | None], available: Sequence[str]
) -> tuple[IncludedArticle, ...]:
    """The included articles, each found with `find` (slug -> parsed article, or None) and its
    chosen sections; a missing one is an error that names the workshop file, the line of the
    entry and what does exist (`available`: every article's slug)."""
    spec = read_workshop(workshop)
    lines = workshop.meta_lines
    entries = _entry_lines(workshop)
    out: list[IncludedArticle] = []
    for include in spec.includes:
        line = entries.get(include.slug, lines.get(WORKSHOP_KEY))
        article = find(include.slug) if include.slug != workshop.slug else None
        if article is None:
            others = [s for s in sorted(available) if s != workshop.slug]
            raise ToolkitError(
                f"workshop includes {include.slug!r}, but there is no such article",
                path=workshop.path,
                line=line,
                hint=f"articles are: {', '.join(others) or '(none)'}",
            )
        if article.is_workshop:
            raise ToolkitError(
                f"workshop includes {include.slug!r}, which is a workshop itself",
                path=workshop.path,
                line=line,
                hint="include articles, not other workshops",
            )
        out.append(IncludedArticle(article, _section_lines(article, include, workshop, entries)))
    return tuple(out)


def _entry_lines(workshop: Article) -> dict[str, int]:
    """'slug' and 'slug#section' -> the line of its include entry."""
    found: dict[str, int] = {}
    raw = workshop.meta.get(WORKSHOP_KEY)
    for i, entry in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(entry, str):
            continue
        slug, _, section = (part.strip() for part in entry.partition("#"))
        line = workshop.meta_lines.get(f"{WORKSHOP_KEY}[{i}]", 0)
        found.setdefault(slug, line)
        found.setdefault(f"{slug}#{' '.join(section.split())}", line)
    return found


def _section_lines(
    article: Article, include: Include, workshop: Article, entries: dict[str, int]
) -> tuple[int, ...]:
    if not include.sections:
        return ()
    headings = [b for b in article.blocks if isinstance(b, Heading) and b.level == 2]
    by_text: dict[str, Heading] = {}
    for h in headings:
        by_text.setdefault(heading_key(h.text), h)
    lines: list[int] = []
    for wanted in include.sections:
        heading = by_text.get(heading_key(wanted))
        if heading is None:
            shown = "; ".join(repr(h.text) for h in headings) or "(it has no H2 headings)"
            raise ToolkitError(
                f"article {include.slug!r} has no section {wanted!r}",
                path=workshop.path,
                line=entries.get(f"{include.slug}#{wanted}", include.line) or None,
                hint=f"its sections (## headings in {article.path}) are: {shown}",
            )
        lines.append(heading.line)
    return tuple(lines)
