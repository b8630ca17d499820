"""Inline Markdown as runs of text (bold, italic, a link), for the PowerPoint file.

The PDF gets HTML from `inline.render_inline`; PowerPoint gets runs with the same words: markers
and link targets never print, a root-relative link points at the practice's website, and raw
HTML stays text (markdown-it with html off), as in the PDF, and the text is typeset the way the
language writes it, as in the PDF (`typography.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

from toolkit.render.inline import Resolver
from toolkit.render.typography import typographer
from toolkit.sources.rules import FOOTNOTE_CALL

_MD = MarkdownIt("commonmark", {"html": False})


@lru_cache(maxsize=32)
def _typeset(locale: str) -> MarkdownIt:
    return typographer("commonmark", locale)


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


def runs(text: str, resolver: Resolver | None = None, locale: str | None = None) -> list[Run]:
    out: list[Run] = []
    bold = italic = 0
    href: str | None = None
    for token in (_typeset(locale) if locale else _MD).parseInline(text):
        for child in token.children or []:
            kind = child.type
            if kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind == "link_open":
                target = str(child.attrGet("href") or "")
                href = resolver.link(target) if resolver else None
                href = href if href and not href.startswith("#") else None
            elif kind == "link_close":
                href = None
            elif kind == "text":  # a footnote's call: slides have no foot to print the note
                out.append(Run(FOOTNOTE_CALL.sub("", child.content), bold > 0, italic > 0, href))
            elif kind in ("code_inline", "image"):
                out.append(Run(child.content, bold > 0, italic > 0, href))
            elif kind == "softbreak":
                out.append(Run(" ", bold > 0, italic > 0, href))
            elif kind == "hardbreak":
                out.append(Run("\v", bold > 0, italic > 0, href))  # a line break in PowerPoint
    merged: list[Run] = []
    for run in out:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].href) == (
            run.bold,
            run.italic,
            run.href,
        ):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic, run.href)
        else:
            merged.append(run)
    return merged
