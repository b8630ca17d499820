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
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import OptionsDict
from markupsafe import Markup, escape

from toolkit.config import Config
from toolkit.errors import Diagnostic
from toolkit.render.typography import mark_registered, typographer
from toolkit.sources.model import Article
from toolkit.sources.rules import FOOTNOTE_CALL

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass
class Resolver:
    """Per document: turns link and image targets into URLs, collecting problems as diagnostics."""

    sources_dir: Path
    article_dir: Path
    article_path: str  # as the user sees it, for diagnostics
    website: str = ""
    link_notes: bool = True  # print the address of a link as a footnote
    # The article's footnotes by label, rendered: a `[^label]` in a text prints this note.
    # None where there is no foot of a page to print them (slides): the calls are left out.
    footnotes: dict[str, Markup] | None = field(default_factory=dict)
    # Whether `#id` links lead anywhere: slides have no sections with ids to land on.
    anchors: bool = True
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @classmethod
    def of(cls, config: Config, article: Article, lang: str, **options: Any) -> Resolver:
        """The resolver of `article` in `lang` (links to the website of that language's brand)."""
        return cls(
            sources_dir=config.sources_dir,
            article_dir=(config.root / article.path).parent,
            article_path=article.path,
            website=config.brand_for(lang).website,
            **options,
        )

    def warn(
        self, message: str, line: int | None, code: str, where: tuple[str, int] | None = None
    ) -> None:
        path, line = where or (self.article_path, line)
        diag = Diagnostic("warning", message, path, line, code)
        if diag not in self.diagnostics:
            self.diagnostics.append(diag)

    def link(self, href: str) -> str | None:
        """An absolute address for a link, or None when it can lead nowhere outside the website."""
        if href.startswith("#"):
            return href if self.anchors else None
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

    def image(
        self, src: str, line: int | None, where: tuple[str, int] | None = None
    ) -> str | None:
        """A file: URL inside the sources folder, or None (with a warning) if missing or refused;
        `where` is the catalog entry (path, line) when the image is in a translation."""
        if _SCHEME.match(src) or src.startswith("//"):
            self.warn(
                f"image {src!r} is not fetched: images must be files in the sources folder",
                line,
                "image-refused",
                where,
            )
            return None
        path = unquote(urlsplit(src).path)
        base = self.sources_dir if path.startswith("/") else self.article_dir
        target = (base / path.lstrip("/")).resolve()
        root = self.sources_dir.resolve()
        if not target.is_relative_to(root):
            self.warn(
                f"image {src!r} lies outside the sources folder; not used", line, "image-refused", where
            )
            return None
        if not target.is_file():
            shown = (
                target.relative_to(root.parent).as_posix() if root.parent in target.parents else src
            )
            self.warn(f"image not found: {src} (looked for {shown})", line, "image-missing", where)
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
    src = str(tok.attrGet("src") or "")
    origin = env.get("origin")  # (catalog, entry line, msgid) of a translated text
    # an image only the translation has is the translator's to fix: report it at the entry
    where = (origin[0], origin[1]) if origin and src not in origin[2] else None
    url = resolver.image(src, env.get("line"), where)
    if url is None:
        return f'<span class="image-missing-inline">[{escape(alt)}]</span>'
    return f'<img class="inline" src="{escape(url)}" alt="{escape(alt)}">'


def _footnote_call(state: StateInline, silent: bool) -> bool:
    """`[^label]` of a footnote the article defines (the rest stays text, as written)."""
    if state.src[state.pos] != "[":
        return False
    m = FOOTNOTE_CALL.match(state.src, state.pos, state.posMax)
    resolver: Resolver | None = state.env.get("resolver")
    if m is None or resolver is None:
        return False
    notes = resolver.footnotes
    if notes is not None and m.group(1) not in notes:
        return False
    if not silent and notes is not None:
        state.push("footnote_call", "", 0).meta = {"label": m.group(1)}
    state.pos = m.end()
    return True


def _render_footnote_call(
    self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: Any
) -> str:
    resolver: Resolver = env["resolver"]
    assert resolver.footnotes is not None
    # float: footnote (the layouts' CSS): WeasyPrint numbers the call and prints the note below.
    return f'<span class="footnote">{resolver.footnotes[tokens[idx].meta["label"]]}</span>'


@lru_cache(maxsize=32)
def _markdown(locale: str) -> MarkdownIt:
    md = typographer("commonmark", locale)
    md.inline.ruler.before("link", "footnote_call", _footnote_call)
    md.add_render_rule("footnote_call", _render_footnote_call)
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("link_close", _link_close)
    md.add_render_rule("image", _image)
    return md


def render_inline(
    text: str,
    resolver: Resolver,
    line: int | None = None,
    locale: str = "en",
    origin: tuple[str, int, str] | None = None,
) -> Markup:
    """Inline Markdown -> HTML, typeset the way `locale` writes; raw HTML stays visible text,
    never markup. `origin`: the catalog entry a translated text comes from (path, line, msgid),
    for warnings about it."""
    env: dict[str, Any] = {"resolver": resolver, "line": line, "origin": origin}
    return mark_registered(_markdown(locale).renderInline(text, env))


def wrap_lang(html: Markup, lang: str | None) -> Markup:
    """Mark a text that fell back to another language so it is hyphenated (and read) as that one."""
    if lang is None:
        return html
    return Markup('<span lang="{}" class="fallback">{}</span>').format(lang, html)
