"""Inline Markdown of a (translated) text -> safe HTML, and where images and links point.

Raw HTML in a text is shown as text (markdown-it with html off). Links with a root-relative target
(`/massage.html`) point at the practice's website; in print they get a footnote with the address,
since paper has no clickable links. Image sources resolve inside the sources folder only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import OptionsDict
from markupsafe import Markup, escape

from toolkit.errors import Diagnostic
from toolkit.render.typography import mark_registered, typographer

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass
class Resolver:
    """Per document: turns link and image targets into URLs, collecting problems as diagnostics."""

    sources_dir: Path
    article_dir: Path
    article_path: str  # as the user sees it, for diagnostics
    website: str = ""
    link_notes: bool = True  # print the address of a link as a footnote
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def warn(self, message: str, line: int | None, code: str) -> None:
        diag = Diagnostic("warning", message, self.article_path, line, code)
        if diag not in self.diagnostics:
            self.diagnostics.append(diag)

    def link(self, href: str) -> str | None:
        """An absolute address for a link, or None when it can lead nowhere outside the website."""
        if href.startswith("#"):
            return href
        if _SCHEME.match(href):
            return (
                href
                if href.split(":", 1)[0].lower() in ("http", "https", "mailto", "tel")
                else None
            )
        if href.startswith("//"):
            return "https:" + href
        if self.website:
            return urljoin(self.website.rstrip("/") + "/", href.lstrip("/"))
        return None

    def image(self, src: str, line: int | None) -> str | None:
        """A file: URL inside the sources folder, or None (with a warning) if missing or refused."""
        if _SCHEME.match(src) or src.startswith("//"):
            self.warn(
                f"image {src!r} is not fetched: images must be files in the sources folder",
                line,
                "image-refused",
            )
            return None
        path = unquote(urlsplit(src).path)
        base = self.sources_dir if path.startswith("/") else self.article_dir
        target = (base / path.lstrip("/")).resolve()
        root = self.sources_dir.resolve()
        if not target.is_relative_to(root):
            self.warn(
                f"image {src!r} lies outside the sources folder; not used", line, "image-refused"
            )
            return None
        if not target.is_file():
            shown = (
                target.relative_to(root.parent).as_posix() if root.parent in target.parents else src
            )
            self.warn(f"image not found: {src} (looked for {shown})", line, "image-missing")
            return None
        return target.as_uri()


def display_address(href: str) -> str:
    """How an address is printed: no scheme, no 'www.', no trailing slash."""
    if href.lower().startswith(("mailto:", "tel:")):
        return href.split(":", 1)[1]
    parts = urlsplit(href)
    host = parts.netloc.removeprefix("www.")
    rest = parts.path.rstrip("/")
    if parts.query:
        rest += "?" + parts.query
    return host + rest


def _link_open(
    self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: Any
) -> str:
    resolver: Resolver = env["resolver"]
    tok = tokens[idx]
    href = resolver.link(str(tok.attrGet("href") or ""))
    env.setdefault("links", []).append(href)
    if href is None:
        return '<a class="dead-link">'
    tok.attrSet("href", href)
    return self.renderToken(tokens, idx, options, env)


def _link_close(
    self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: Any
) -> str:
    resolver: Resolver = env["resolver"]
    href = env["links"].pop() if env.get("links") else None
    out = "</a>"
    if resolver.link_notes and href and not href.startswith("#"):
        shown = display_address(href)
        # the visible text of the link, to skip notes that would only repeat it
        j = idx - 1
        label = []
        while j >= 0 and tokens[j].type != "link_open":
            label.insert(0, tokens[j].content)
            j -= 1
        if display_address("".join(label).strip()) != shown:
            out += f'<span class="link-note">{escape(shown)}</span>'
    return out


def _image(
    self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: Any
) -> str:
    resolver: Resolver = env["resolver"]
    tok = tokens[idx]
    alt = self.renderInlineAsText(tok.children or [], options, env)
    url = resolver.image(str(tok.attrGet("src") or ""), env.get("line"))
    if url is None:
        return f'<span class="image-missing-inline">[{escape(alt)}]</span>'
    return f'<img class="inline" src="{escape(url)}" alt="{escape(alt)}">'


@lru_cache(maxsize=32)
def _markdown(locale: str) -> MarkdownIt:
    md = typographer("commonmark", locale)
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("link_close", _link_close)
    md.add_render_rule("image", _image)
    return md


def render_inline(
    text: str, resolver: Resolver, line: int | None = None, locale: str = "en"
) -> Markup:
    """Inline Markdown -> HTML, typeset the way `locale` writes; raw HTML stays visible text,
    never markup."""
    env: dict[str, Any] = {"resolver": resolver, "line": line}
    return mark_registered(_markdown(locale).renderInline(text, env))


def wrap_lang(html: Markup, lang: str | None) -> Markup:
    """Mark a text that fell back to another language so it is hyphenated (and read) as that one."""
    if lang is None:
        return html
    return Markup('<span lang="{}" class="fallback">{}</span>').format(lang, html)
