"""`toolkit import`: text a teacher copied from a web page (or a Markdown post) -> a source file.

Pure: bytes in, Markdown text and a report out.  Two paths: Markdown input (front matter or
Markdown markup) keeps its structure; plain pasted text is rebuilt block by block with the
heuristics of `toolkit.sources.importer_rules`.  The report lists every guess, for the teacher to check.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import yaml
from markdown_it import MarkdownIt

from toolkit.errors import ToolkitError
from toolkit.sources import importer_rules as rules
from toolkit.sources.importer_web import clean_page
from toolkit.sources.parse import split_front_matter

# Jekyll/Hugo keys that only steer the old web site's layout.
WEB_LAYOUT_KEYS = ("layout", "active", "permalink")
_KEY_ORDER = ("title", "summary", "lang", "author", "date", "tags")
_MARKDOWN_MARKUP = re.compile(
    r"^#{1,6} \S|\*\*\S[^*]*\*\*|!?\[[^\]\n]+\]\([^)\s]+\)|^```", re.MULTILINE
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_ATX = re.compile(r"^#\s+(.*?)(?:\s+#+)?\s*$")


@dataclass(frozen=True)
class ImportReport:
    """What the importer guessed, for the teacher to check."""

    headings: int
    lists: int
    list_items: int
    paragraphs: int
    videos: int
    images: int
    removed_lines: tuple[str, ...]  # page furniture removed (the original lines)
    converted: tuple[str, ...]  # encoding and format changes
    language: str
    language_guessed: bool
    # site-generator syntax the source keeps but no output shows (Article.notes, as text)
    ignored: tuple[str, ...] = ()

    def summary(self) -> str:
        def n(count: int, word: str) -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"

        parts = [n(self.headings, "heading"), n(self.paragraphs, "paragraph")]
        parts.append(f"{n(self.lists, 'list')} ({n(self.list_items, 'item')})")
        if self.videos:
            parts.append(n(self.videos, "video"))
        if self.images:
            parts.append(n(self.images, "image"))
        text = ", ".join(parts)
        if self.removed_lines:
            text += f"; removed {n(len(self.removed_lines), 'line')} of page furniture"
        text += f"; language {self.language}" + (" (guessed)" if self.language_guessed else "")
        if self.converted:
            text += "; " + "; ".join(self.converted)
        return text


@dataclass(frozen=True)
class ImportResult:
    markdown: str  # the whole file: front matter + body, ends with one newline
    report: ImportReport


def import_bytes(
    data: bytes, *, source_name: str, lang: str | None = None, title: str | None = None
) -> ImportResult:
    text, converted = _decode(data, source_name)
    if not text.strip():
        raise ToolkitError(
            "the file is empty",
            path=source_name,
            hint="paste the article's text into the file, save it, and import again",
        )
    removed: list[str] = []
    meta, body_text = _split_front_matter(text, source_name)
    markdown = meta is not None or _MARKDOWN_MARKUP.search(text) is not None
    if markdown:
        meta = meta or {}
        dropped = [k for k in WEB_LAYOUT_KEYS if k in meta]
        if dropped:
            converted.append("dropped web-layout front matter keys: " + ", ".join(dropped))
        _normalise_date(meta, converted)
        blocks, first_title = _markdown_blocks(body_text, removed, "title" in meta)
    else:
        page = clean_page(text.split("\n"))
        removed += page.removed
        converted += page.converted
        meta = dict(page.meta)
        units, first_title = rules.text_units(page.lines, removed)
        blocks = _render(units)
    doc_title = title or (meta.get("title") if isinstance(meta.get("title"), str) else None)
    if doc_title is None and first_title is not None:
        doc_title = first_title
    elif first_title is not None and first_title.casefold() != doc_title.casefold():
        # The given title replaces the first line; that line's text must not get lost.
        blocks.insert(0, "## " + (first_title if markdown else rules.escape_inline(first_title)))
        converted.append(f"first line kept as a heading under the given title: {first_title}")
    if not doc_title:
        raise ToolkitError(
            "no title found: the text does not start with a short title line",
            path=source_name,
            line=1,
            hint="give the title with --title, or put it on the first line of the file",
        )
    if not blocks:
        raise ToolkitError(
            "no article text found (only a title and page furniture)",
            path=source_name,
            hint="check that the file holds the article's text, not only the page's menu",
        )
    body = "\n\n".join(blocks) + "\n"
    guessed = False
    if lang is None:
        lang = meta.get("lang") if isinstance(meta.get("lang"), str) else None
    if lang is None:
        lang, guessed = rules.guess_language(doc_title + "\n" + body), True
    front = _front_matter(meta, doc_title, lang)
    report = _report(body, tuple(removed), tuple(converted), lang, guessed)
    return ImportResult(front + body, report)


# --- decoding ---------------------------------------------------------------------------------


def _decode(data: bytes, path: str) -> tuple[str, list[str]]:
    notes: list[str] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _binary(path) from exc
        notes.append("decoded as UTF-16")
    else:
        if b"\x00" in data:
            raise _binary(path)
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
            notes.append("removed BOM")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                # Text saved from Word or Notepad on Windows.
                text = data.decode("cp1252")
            except UnicodeDecodeError as exc:
                raise ToolkitError(
                    "the text is neither UTF-8 nor Windows-1252",
                    path=path,
                    line=data[: exc.start].count(b"\n") + 1,
                    hint="save the file as 'UTF-8' text in your editor and import again",
                ) from exc
            notes.append("decoded as Windows-1252")
    if "\r\n" in text:
        notes.append("CRLF line endings")
        text = text.replace("\r\n", "\n")
    if "\r" in text:
        notes.append("CR line endings")
        text = text.replace("\r", "\n")
    if "\x0b" in text or "\x0c" in text:
        # Word writes a manual line break as VT and a page break as FF.
        notes.append("Word line and page breaks made into line breaks")
        text = text.replace("\x0b", "\n").replace("\x0c", "\n")
    if m := _CONTROL.search(text):
        if len(_CONTROL.findall(text)) > 3:
            raise _binary(path)
        raise ToolkitError(
            f"the text holds a control character (U+{ord(m.group(0)):04X})",
            path=path,
            line=text[: m.start()].count("\n") + 1,
            hint="delete that invisible character in your editor, or copy the text again",
        )
    if _INVISIBLE.search(text):
        notes.append("removed invisible zero-width characters")
        text = _INVISIBLE.sub("", text)
    nfc = unicodedata.normalize("NFC", text)
    if nfc != text:
        # macOS may paste decomposed accents; composed ones keep catalog identities stable.
        notes.append("accents composed (Unicode NFC)")
    return nfc, notes


def _binary(path: str) -> ToolkitError:
    return ToolkitError(
        "this is not a text file (it holds binary data)",
        path=path,
        hint="copy the article's text into a plain .txt file; Word or PDF files cannot be read",
    )


# --- Markdown input ---------------------------------------------------------------------------


_DATE_TIME = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?$"
)


def _normalise_date(meta: dict[str, Any], converted: list[str]) -> None:
    """Jekyll writes `date: 2024-09-03 10:00:00 +0200`; a handout prints the day. The day is the
    one the author wrote (the local date in their zone), not converted to UTC."""
    value = meta.get("date")
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, str) and (m := _DATE_TIME.match(value.strip())):
        try:
            day = dt.date.fromisoformat(m.group(1))
        except ValueError:
            return  # not a real day: the build warns about it, as for any other source
    else:
        return
    meta["date"] = day
    converted.append(f"date {str(value)!r} written as {day.isoformat()}")


def _split_front_matter(text: str, path: str) -> tuple[dict[str, Any] | None, str]:
    """(meta, body); meta is None when the text has no front matter at all."""
    if not text.startswith("---\n"):
        return None, text
    meta, _, body, _ = split_front_matter(text, path)  # the same reading as every source gets
    return meta, body


def _markdown_blocks(
    body: str, removed: list[str], has_title: bool
) -> tuple[list[str], str | None]:
    """Keep the author's Markdown; only furniture goes and videos become embed iframes."""
    out: list[str] = []
    fence = ""
    for line in body.split("\n"):
        s = line.strip()
        if fence or s.startswith(("```", "~~~")):
            fence = "" if fence and s.startswith(fence) else (fence or s[:3])
            out.append(line)
        elif not s:
            out.append("")
        elif line.startswith(("    ", "\t")):
            out.append(line)
        elif (video := rules.video_line(s)) and not video[1]:  # a link with text stays a link
            out += ["", rules.iframe(video[0]), ""]
        elif rules.is_furniture(s):
            removed.append(line)
        else:
            out.append(line)
    blocks = [b.strip("\n") for b in re.split(r"\n(?:[ \t]*\n)+", "\n".join(out))]
    blocks = [b for b in blocks if b.strip()]
    if not blocks:
        return blocks, None
    first, _, rest = blocks[0].partition("\n")
    plain_title = not has_title and not rest and (rules.is_titleish(first) or rules.is_caps(first))
    if not (first.startswith("# ") or plain_title):
        return blocks, None
    # "# Title", or (without a title in front matter) a plain first line as pasted texts have.
    if rest:
        blocks[0] = rest
    else:
        blocks.pop(0)
    return blocks, _ATX.sub(r"\1", first)


def _render(units: list[rules.Unit]) -> list[str]:
    blocks: list[str] = []
    prev: rules.Unit | None = None
    for u in units:
        if u.kind == "heading":
            text = rules.escape_inline(u.text)
            text = text[:-1] + "\\#" if text.endswith("#") else text
            blocks.append("#" * u.level + " " + text)
        elif u.kind == "item":
            marker = f"{u.number}." if u.ordered else "-"
            pad = "\n" + " " * (len(marker) + 1)
            line = marker + " " + rules.escape(u.text) + "".join(pad + m for m in u.more)
            same = prev and prev.kind == "item" and prev.ordered == u.ordered
            if same:
                blocks[-1] += "\n" + line
            else:
                blocks.append(line)
        elif u.kind == "video":
            blocks.append(rules.iframe(u.text))
        elif u.kind == "raw":
            blocks.append(u.text)
        elif u.kind == "image":
            src = f"<{u.text}>" if " " in u.text else u.text
            blocks.append(f"![]({src})")
        else:
            blocks.append(rules.escape(u.text))
        prev = u
    return blocks


# --- output -----------------------------------------------------------------------------------


def _front_matter(meta: dict[str, Any], title: str, lang: str) -> str:
    meta = {k: v for k, v in meta.items() if k not in WEB_LAYOUT_KEYS}
    meta.update(title=title, lang=lang)
    ordered = {k: meta[k] for k in _KEY_ORDER if k in meta}
    ordered.update((k, v) for k, v in meta.items() if k not in ordered)
    text = yaml.safe_dump(
        ordered, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1_000_000
    )
    return "---\n" + text + "---\n\n"


_MD = MarkdownIt("commonmark")


def _report(
    body: str, removed: tuple[str, ...], converted: tuple[str, ...], lang: str, guessed: bool
) -> ImportReport:
    """Count what a reader of the result sees, by parsing it as the toolkit's parser will."""
    counts = dict.fromkeys(("headings", "lists", "items", "paragraphs", "videos", "images"), 0)
    depth = 0
    tokens = _MD.parse(body)
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            counts["headings"] += 1
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            counts["lists"] += 1
        elif tok.type == "list_item_open":
            counts["items"] += 1
            depth += 1
        elif tok.type == "list_item_close":
            depth -= 1
        elif tok.type == "html_block" and "<iframe" in tok.content:
            counts["videos"] += 1
        elif tok.type == "paragraph_open" and depth == 0:
            children = tokens[i + 1].children or []
            images = sum(1 for c in children if c.type == "image")
            counts["images"] += images
            if not images or any(c.type == "text" and c.content.strip() for c in children):
                counts["paragraphs"] += 1
    return ImportReport(
        headings=counts["headings"],
        lists=counts["lists"],
        list_items=counts["items"],
        paragraphs=counts["paragraphs"],
        videos=counts["videos"],
        images=counts["images"],
        removed_lines=removed,
        converted=converted,
        language=lang,
        language_guessed=guessed,
    )
