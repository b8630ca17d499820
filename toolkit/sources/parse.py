"""Source file -> Article: front matter (YAML) and the Markdown body (markdown-it-py) as blocks."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_core import inline as inline_rule
from markdown_it.rules_core import text_join
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from toolkit.config import MIN_SLIDES
from toolkit.errors import ToolkitError
from toolkit.registers import REGISTERS, known_registers, normalise_register
from toolkit.sources.block_dispatch import dispatch_by_first_character
from toolkit.sources.front_matter_yaml import bad_timestamp_line, fast_compose, yaml_problem
from toolkit.sources.model import (
    MAX_SLIDES_KEY,
    REGISTER_KEY,
    SLIDES_KEY,
    Article,
    Block,
    Cell,
    Code,
    DefinitionItem,
    DefinitionList,
    Footnote,
    Heading,
    Image,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    RawHtml,
    Rule,
    Table,
    Video,
    frozen_mapping,
    translatable_meta,
)
from toolkit.sources.references import reference_plugin, resolve
from toolkit.sources.rules import heading_key, video_from_url
from toolkit.sources.site_syntax import clean_site_syntax

_IFRAME = re.compile(r"^\s*<iframe\b[^>]*\bsrc=[\"']([^\"']+)[\"'][^>]*>\s*(?:</iframe>)?\s*$", re.I | re.S)
_BARE_URL = re.compile(r"^<?(https?://\S+)>?$")
_HARD_BREAK = re.compile(r"(?:\\| {2,})$")
_TASK = re.compile(r"^\[([ xX])\]\s+")


def _markdown(dispatch: bool = True) -> MarkdownIt:
    # CommonMark plus tables; html on so iframes are recognised (raw HTML is never rendered as-is).
    # Footnotes `[^1]` defined as blocks; markers stay in the unit text, where the translator
    # places them. Reference links are written inline into their units (references.py).
    md = MarkdownIt("commonmark").enable("table")
    md.use(footnote_plugin, inline=False, move_to_end=False)
    # Definition lists (`Term` then `: definition`): the term and each definition paragraph units.
    md.use(deflist_plugin)
    md.use(reference_plugin)
    # Blocks only: a unit's text is its block's source text. Inline parsing (a quarter of the
    # parse) is run only for a token that may be a lone image or hold a reference link
    # (_Builder.paragraph, _Builder.content). Footnote markers need none: they stay as written.
    md.core.ruler.disable("inline")
    # markdown-it's "normalize" rewrites the whole text with two regex substitutions (3 % of a
    # parse), though a source rarely holds a CR or a NUL: _normalized does the same, only then.
    md.core.ruler.disable("normalize")
    if dispatch:  # off only for the test that compares both
        dispatch_by_first_character(md)
    return md


_MD = _markdown()


def normalise(text: str) -> str:
    """A unit's identity: soft line breaks and runs of spaces collapse; hard breaks stay."""
    if "\n" not in text:  # one line (most units): no break to keep, what the loop below gives
        return " ".join(text.split())
    lines = text.replace("\r\n", "\n").split("\n")
    out: list[str] = []
    for i, raw in enumerate(lines):
        hard = i < len(lines) - 1 and _HARD_BREAK.search(raw) is not None
        line = " ".join(raw.split())
        if hard:
            line = line.removesuffix("\\").rstrip() + "\\\n"
        elif i < len(lines) - 1:
            line += " "
        out.append(line)
    return "".join(out).strip()


def _normalized(text: str) -> str:
    """What markdown-it's core rule "normalize" makes of `text` (its line breaks and NULs)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in text:
        text = text.replace("\0", "\ufffd")
    return text


def split_front_matter(text: str, path: str) -> tuple[dict[str, Any], dict[str, int], str, int]:
    """(meta, key lines, body, number of lines before the body)."""
    if not text.startswith("---\n"):
        return {}, {}, text, 0
    lines = text.split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise ToolkitError(
            "front matter is not closed",
            path=path,
            line=1,
            hint="end the front matter with a line holding only '---'",
        )
    yaml_text = "\n".join(lines[1:end])
    node: yaml.Node | None = None
    try:
        fast = fast_compose(yaml_text)
        if fast is not None:
            node, meta = fast
        else:
            loader = yaml.SafeLoader(yaml_text)  # its reader already refuses control characters
            try:
                # Composed once: the nodes give each key's line, and the same nodes give the values
                # (`node` is set before a value fails: the error names that value's line).
                node = loader.get_single_node()
                meta = loader.construct_document(node) if node is not None else {}
            finally:
                loader.dispose()
    except ValueError as exc:  # a date-like value that is no date (2026-13-01): YAML raises this
        raise ToolkitError(
            f"broken front matter: {exc}",
            path=path,
            line=bad_timestamp_line(node) if node is not None else None,
            hint="write dates as year-month-day, e.g. 2026-03-14; quote a value that is not a date",
        ) from exc
    except yaml.YAMLError as exc:
        found, problem = yaml_problem(exc, yaml_text)
        line = found + 2 if found is not None else 1
        raise ToolkitError(
            f"broken front matter: {problem}",
            path=path,
            line=line,
            hint="front matter is YAML: 'key: value' per line; quote values containing ': '",
        ) from exc
    if not isinstance(meta, dict):
        raise ToolkitError(
            "front matter must be a set of 'key: value' lines",
            path=path,
            line=2,
        )
    key_lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_lines[key] = key_node.start_mark.line + 2
            if isinstance(value_node, yaml.SequenceNode):
                # "include[0]": each list item's own line, so an error can point at that entry.
                for i, item in enumerate(value_node.value):
                    key_lines[f"{key}[{i}]"] = item.start_mark.line + 2
    text_keys = translatable_meta({str(k): v for k, v in meta.items()})
    for key, value in meta.items():
        if key in text_keys and value is not None and not isinstance(value, str):
            raise ToolkitError(
                f"front matter key {key!r} must be text",
                path=path,
                line=key_lines.get(str(key)),
            )
    body = "\n".join(lines[end + 1 :])
    clean = {str(k): v for k, v in meta.items()}
    for key in text_keys:
        if isinstance(clean.get(key), str):
            clean[key] = normalise(clean[key])  # a folded YAML value must not carry its newline
    return clean, key_lines, body, end + 1


def parse_article(text: str, *, path: str, slug: str, default_lang: str) -> Article:
    meta, key_lines, body, offset = split_front_matter(text, path)
    lang = meta.get("lang", default_lang)
    if not isinstance(lang, str) or not lang:
        raise ToolkitError("front matter 'lang' must be a language code", path=path, line=key_lines.get("lang"))
    cleaned = clean_site_syntax(body, offset=offset, path=path)
    env: dict[str, Any] = {}
    tokens = _MD.parse(_normalized(cleaned.body), env)
    blocks, _ = _Builder(tokens, offset, env).blocks(0, None)
    if cleaned.anchors:
        blocks = [
            replace(b, anchor=cleaned.anchors[b.line])
            if isinstance(b, Heading) and b.line in cleaned.anchors
            else b
            for b in blocks
        ]
    if SLIDES_KEY in meta and not isinstance(meta[SLIDES_KEY], bool):
        meta[SLIDES_KEY] = _slide_points(meta[SLIDES_KEY], blocks, path, key_lines.get(SLIDES_KEY))
    if MAX_SLIDES_KEY in meta:
        value = meta[MAX_SLIDES_KEY]
        if isinstance(value, bool) or not isinstance(value, int) or value < MIN_SLIDES:
            raise ToolkitError(
                f"front matter {MAX_SLIDES_KEY!r} must be a whole number of slides, at least {MIN_SLIDES}",
                path=path,
                line=key_lines.get(MAX_SLIDES_KEY),
                hint="title, content and closing slide included, e.g. max_slides: 10",
            )
    if REGISTER_KEY in meta:
        meta[REGISTER_KEY] = _register(meta[REGISTER_KEY], path, key_lines.get(REGISTER_KEY))
    return Article(
        slug=slug,
        path=path,
        lang=lang,
        meta=frozen_mapping(meta),
        meta_lines=frozen_mapping(key_lines),
        blocks=tuple(blocks),
        notes=tuple(cleaned.notes),
    )


def _register(value: Any, path: str, line: int | None) -> dict[str, str]:
    """`register: {de: Sie}` with each register in its own spelling (`sie` → `Sie`)."""
    if not isinstance(value, dict):
        raise ToolkitError(
            "front matter 'register' must map languages to registers",
            path=path,
            line=line,
            hint=f"e.g. register: {{de: Sie}}; registers: {known_registers()}",
        )
    out: dict[str, str] = {}
    for lang, chosen in value.items():
        register = normalise_register(str(lang), chosen)
        if register is None:
            pair = REGISTERS.get(str(lang))
            raise ToolkitError(
                f"front matter 'register' for {lang!r}: {chosen!r} is not a register of that language",
                path=path,
                line=line,
                hint=f"use {' or '.join(pair)}" if pair else f"registers: {known_registers()}",
            )
        out[str(lang)] = register
    return out


def _slide_points(
    value: Any, blocks: list[Block], path: str, line: int | None
) -> dict[int, tuple[str, ...]]:
    """{H2 heading text: [points]} -> {that heading's line: points}. Keyed by line, the points
    still find their section once the heading is translated."""
    if not isinstance(value, dict):
        raise ToolkitError(
            "front matter 'slides' must map section headings to lists of points",
            path=path,
            line=line,
            hint='e.g. slides: {"Wat is de psoas?": ["Een diepe spier", "Verbindt romp en benen"]}',
        )
    names = [b.text for b in blocks if isinstance(b, Heading) and b.level == 2]
    lines = [b.line for b in blocks if isinstance(b, Heading) and b.level == 2]
    headings: dict[str, int] = {}
    for name, heading_line in zip(names, lines, strict=True):
        headings.setdefault(heading_key(name), heading_line)
    chosen: dict[int, tuple[str, ...]] = {}
    for key, points in value.items():
        heading_line = headings.get(heading_key(str(key)))
        if heading_line is None:
            raise ToolkitError(
                f"front matter 'slides' names the section {key!r}, which the article does not have",
                path=path,
                line=line,
                hint="use the text of a '## ' heading; sections: " + ", ".join(repr(h) for h in names),
            )
        if not isinstance(points, list) or not all(isinstance(p, str) for p in points):
            raise ToolkitError(f"slide points for {key!r} must be a list of texts", path=path, line=line)
        chosen[heading_line] = tuple(normalise(p) for p in points if p.strip())
    return chosen


class _Builder:
    """Turns markdown-it's flat token stream into nested blocks with real source lines."""

    def __init__(self, tokens: list[Token], offset: int, env: dict[str, Any]) -> None:
        self.tokens = tokens
        self.offset = offset
        self.env = env  # the parse's references (collected by the block rule), for inline parsing

    def inline(self, token: Token) -> list[Token]:
        """The inline tokens of `token`, as markdown-it's core rules `inline` and `text_join`
        make them (skipped for the whole document: only a few paragraphs need them)."""
        if not token.children:  # not parsed yet (the image test may have parsed it already)
            state = StateCore("", _MD, self.env)
            state.tokens = [token]
            inline_rule(state)
            text_join(state)
        return token.children or []

    def content(self, inline: Token) -> str:
        """An inline token's source, reference links written inline. The links are found by the
        inline parse (references.py records them in the env), so a token that may hold one is
        parsed: the document has reference definitions, and the token a `[`."""
        if self.env.get("references") and "[" in inline.content:
            self.inline(inline)
        return resolve(inline.content, self.env)

    def line(self, token: Token) -> int:
        return (token.map[0] if token.map else 0) + self.offset + 1

    def blocks(self, i: int, close: str | None) -> tuple[list[Block], int]:
        out: list[Block] = []
        tokens = self.tokens
        while i < len(tokens):
            tok = tokens[i]
            if close is not None and tok.type == close:
                return out, i + 1
            block, i = self.block(i)
            if block is not None:
                out.append(block)
        return out, i

    def block(self, i: int) -> tuple[Block | None, int]:
        tok = self.tokens[i]
        line = self.line(tok)
        t = tok.type
        if t == "heading_open":
            text = normalise(self.content(self.tokens[i + 1]))
            return Heading(int(tok.tag[1]), text, line), i + 3
        if t == "paragraph_open":
            return self.paragraph(self.tokens[i + 1], line), i + 3
        if t in ("bullet_list_open", "ordered_list_open"):
            return self.list_block(i)
        if t == "dl_open":
            return self.definition_list(i)
        if t == "blockquote_open":
            inner, j = self.blocks(i + 1, "blockquote_close")
            return Quote(tuple(inner), line), j
        if t == "table_open":
            return self.table(i)
        if t in ("fence", "code_block"):
            return Code(tok.content, tok.info.strip(), line), i + 1
        if t == "html_block":
            return self.html(tok.content, line), i + 1
        if t == "hr":
            return Rule(line), i + 1
        if t == "footnote_reference_open":
            # the plugin gives the definition no source map: its first block's line is its own
            first = next((t for t in self.tokens[i + 1 :] if t.map), None)
            inner, j = self.blocks(i + 1, "footnote_reference_close")
            where = self.line(first) if first is not None else line
            return Footnote(str(tok.meta["label"]), tuple(inner), where), j
        return None, i + 1

    def paragraph(self, inline: Token, line: int) -> Block:
        content = inline.content.strip()
        # Only `![` starts an image: a paragraph without it is no lone image, and needs no inline parse.
        tokens = self.inline(inline) if "![" in inline.content else []
        children = [c for c in tokens if not (c.type == "text" and not c.content.strip())]
        if len(children) == 1 and children[0].type == "image":
            img = children[0]
            return Image(
                str(img.attrs.get("src", "")),
                normalise(img.content),
                str(img.attrs.get("title", "") or ""),
                line,
            )
        if _IFRAME.match(content):
            return self.html(content, line)
        bare = _BARE_URL.match(content)
        if bare and (video := video_from_url(bare.group(1))):
            return Video(video[0], video[1], line)
        return Paragraph(normalise(self.content(inline)), line)

    def html(self, html: str, line: int) -> Block:
        m = _IFRAME.match(html)
        if m and (video := video_from_url(m.group(1))):
            return Video(video[0], video[1], line)
        return RawHtml(html, line)

    def list_block(self, i: int) -> tuple[Block, int]:
        tok = self.tokens[i]
        ordered = tok.type == "ordered_list_open"
        close = "ordered_list_close" if ordered else "bullet_list_close"
        start = int(tok.attrs.get("start", 1) or 1) if ordered else 1
        items: list[ListItem] = []
        j = i + 1
        while self.tokens[j].type != close:
            item_tok = self.tokens[j]
            inner, j = self.blocks(j + 1, "list_item_close")
            task = ""
            if inner and isinstance(inner[0], Paragraph) and (m := _TASK.match(inner[0].text)):
                task = "open" if m.group(1) == " " else "done"
                inner[0] = Paragraph(inner[0].text[m.end() :], inner[0].line)
            items.append(ListItem(tuple(inner), self.line(item_tok), task))
        return ListBlock(ordered, start, tuple(items), self.line(tok)), j + 1

    def definition_list(self, i: int) -> tuple[Block, int]:
        items: list[DefinitionItem] = []
        j = i + 1
        while self.tokens[j].type != "dl_close":
            tok = self.tokens[j]
            if tok.type == "dt_open":  # dt_open, inline, dt_close
                term = normalise(self.content(self.tokens[j + 1]))
                items.append(DefinitionItem(term, self.line(tok), ()))
                j += 3
            elif tok.type == "dd_open":
                inner, j = self.blocks(j + 1, "dd_close")
                if items:  # the plugin always opens a term first
                    last = items[-1]
                    items[-1] = replace(last, definitions=(*last.definitions, tuple(inner)))
            else:
                j += 1
        return DefinitionList(tuple(items), self.line(self.tokens[i])), j + 1

    def table(self, i: int) -> tuple[Block, int]:
        header: list[Cell] = []
        rows: list[tuple[Cell, ...]] = []
        row: list[Cell] = []
        row_line = self.line(self.tokens[i])
        j = i + 1
        while self.tokens[j].type != "table_close":
            tok = self.tokens[j]
            if tok.type == "tr_open":
                row, row_line = [], self.line(tok)
            elif tok.type in ("th_open", "td_open"):
                style = str(tok.attrs.get("style", ""))
                align = style.removeprefix("text-align:") if style else ""
                text = normalise(self.content(self.tokens[j + 1]))
                row.append(Cell(text, row_line, tok.type == "th_open", align))
            elif tok.type == "tr_close":
                if row and row[0].header:
                    header = row
                else:
                    rows.append(tuple(row))
            j += 1
        return Table(tuple(header), tuple(rows), self.line(self.tokens[i])), j + 1
