"""Reference links and images (`[text][label]`, `[text][]`, `[label]` with a `[label]: URL`
definition elsewhere) resolved into the unit as inline links: a unit is translated, checked and
rendered on its own, where the definitions are not (docs/design/markdown.md says why).

markdown-it resolves references while it parses a paragraph's inline text; the link and image
rules are wrapped to note where each reference form began and ended, and which address it got.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkLabel
from markdown_it.rules_inline import StateInline, image, link

_KEY = "toolkit_references"  # env key: {inline source: {start: _Ref}}

InlineRule = Callable[[StateInline, bool], bool]


@dataclass(frozen=True)
class _Ref:
    start: int  # the `[` (or `!` of an image)
    end: int  # just after the reference's last `]`
    text_start: int
    text_end: int  # the `]` that closes the link text
    href: str
    title: str


def _recording(rule: InlineRule, image: bool) -> InlineRule:
    def wrapped(state: StateInline, silent: bool) -> bool:
        if silent or not state.env.get("references"):
            return rule(state, silent)
        start, src = state.pos, state.src
        opening = start + 1 if image else start
        if src[start:opening + 1] != ("![" if image else "["):
            return rule(state, silent)
        text_end = parseLinkLabel(state, opening, not image)
        first = len(state.tokens)
        if not rule(state, silent):
            return False
        end = state.pos
        # Inline forms end with ')', every reference form with ']'.
        opened = "image" if image else "link_open"  # pending text is pushed before it
        tok = next((t for t in state.tokens[first:] if t.type == opened), None)
        if text_end >= 0 and src[end - 1] == "]" and tok is not None:
            href = str(tok.attrGet("src" if image else "href") or "")
            title = str(tok.attrGet("title") or "")
            found = state.env.setdefault(_KEY, {}).setdefault(src, {})
            found[start] = _Ref(start, end, opening + 1, text_end, href, title)
        return True

    return wrapped


def reference_plugin(md: MarkdownIt) -> None:
    """Note reference forms while parsing (see `resolve`)."""
    md.inline.ruler.at("link", _recording(link, image=False))
    md.inline.ruler.at("image", _recording(image, image=True))


def _destination(ref: _Ref) -> str:
    href = ref.href
    if not href or any(c in href for c in " ()<>"):
        href = "<" + href.replace("<", "%3C").replace(">", "%3E") + ">"
    if ref.title:
        escaped = ref.title.replace("\\", "\\\\").replace('"', '\\"')
        return f'({href} "{escaped}")'
    return f"({href})"


def resolve(content: str, env: dict[str, Any]) -> str:
    """`content` (an inline token's source) with its reference links and images written inline."""
    found: dict[int, _Ref] = env.get(_KEY, {}).get(content, {})
    if not found:
        return content
    refs = sorted(found.values(), key=lambda r: r.start)

    def emit(lo: int, hi: int) -> str:
        out: list[str] = []
        pos = lo
        for ref in refs:
            if ref.start < pos or ref.end > hi:
                continue  # outside this range, or nested in a reference already written
            out.append(content[pos : ref.start])
            bang = "!" if content[ref.start] == "!" else ""
            out.append(f"{bang}[{emit(ref.text_start, ref.text_end)}]{_destination(ref)}")
            pos = ref.end
        out.append(content[pos:hi])
        return "".join(out)

    return emit(0, len(content))
