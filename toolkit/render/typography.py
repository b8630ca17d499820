"""Typography of the printed text, per language: markdown-it's typographer (curly quotes the way the
language writes them, "…" for three dots, -- and --- as dashes, (r) as ®), en dashes in number ranges,
and one look for ®.

Applied when a text is rendered, never to the catalogs: translators keep typing straight quotes and
the checks compare the texts as written.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markupsafe import Markup

# Primary and secondary quotes (open, close, open, close), by Babel locale or language. CLDR's
# delimiters are not exposed by Babel, so the languages we publish in are listed here.
QUOTES: dict[str, str] = {
    "nl": "“”‘’",
    "en": "“”‘’",
    "en_GB": "‘’“”",
    "de": "„“‚‘",
    "de_CH": "«»‹›",
    "fr": "«\u202f\u202f»‹\u202f\u202f›",
    "es": "«»“”",
    "it": "«»“”",
    "pt": "«»“”",
    "da": "»«›‹",
    "sv": "””’’",
    "pl": "„”‚’",
}
DEFAULT_QUOTES = "“”‘’"

# 10-12, 1990-1995, L1-L5: a range. Not a date (2026-03-14), not a phone number (06-12…).
_RANGE = re.compile(r"(?<![\d-])([A-Z]?[1-9]\d{0,3}) ?- ?([A-Z]?\d{1,4})(?![\d-])")
_TEXT = re.compile(r"(<[^>]*>)")
_REG = '<span class="reg">'


def quotes_for(locale: str) -> str:
    return QUOTES.get(locale) or QUOTES.get(locale.split("_")[0]) or DEFAULT_QUOTES


def en_dash_ranges(text: str) -> str:
    return _RANGE.sub(lambda m: f"{m.group(1)}–{m.group(2)}", text)


def _ranges_rule(state: StateCore) -> None:
    for token in state.tokens:
        for child in token.children or ():
            if child.type == "text":
                child.content = en_dash_ranges(child.content)


def typographer(preset: str, locale: str) -> MarkdownIt:
    """A new renderer with the typographer on, quoting the way `locale` does; raw HTML off."""
    md = MarkdownIt(preset, {"html": False, "typographer": True, "quotes": quotes_for(locale)})
    md.enable(["replacements", "smartquotes"])
    md.core.ruler.after("replacements", "ranges", _ranges_rule)
    return md


@lru_cache(maxsize=32)
def _plain(locale: str) -> MarkdownIt:
    # The "zero" preset: no Markdown at all, only the text is typeset (titles, captions).
    return typographer("zero", locale)


def mark_registered(html: str) -> Markup:
    """® in one size and position in every font (Lato's is full size, Vollkorn's raised)."""
    parts = _TEXT.split(html)
    out = [
        # a text already marked (a footnote's note, rendered before the text that calls it) once
        p if p.startswith("<") or before == _REG else p.replace("®", _REG + "®</span>")
        for before, p in zip(["", *parts], parts, strict=False)
    ]
    return Markup("".join(out))


def typeset_plain(text: str, locale: str) -> Markup:
    """A text shown as written (no Markdown), typeset and escaped."""
    return mark_registered(_plain(locale).renderInline(text))


def typeset_text(text: str, locale: str) -> str:
    """The typeset text without markup: for the PDF's title, running heads and CSS strings."""
    return Markup(_plain(locale).renderInline(text)).unescape()
