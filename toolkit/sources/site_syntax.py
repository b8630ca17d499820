"""What static-site generators write into a Markdown body that is not text: Liquid tags (Jekyll),
kramdown attribute lists, Hugo shortcodes. Recognised before markdown-it reads the body, so none
of it becomes a unit or prints; what has a meaning in print becomes what it means (a video, a
figure with its caption, a heading's anchor), the rest is reported once per kind as ignored.

The body keeps its number of lines: every line a construct spans stays a line, so units and
diagnostics still point at the source line. Fenced code is left alone: a post about Jekyll may
show Liquid in a code block.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from typing import Literal

from toolkit.errors import Diagnostic
from toolkit.sources.rules import video_from_url

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_SHORTCODE = re.compile(r"\{\{([<%])\s*(/?)\s*([\w./-]+)(.*?)\s*[>%]\}\}", re.S)
_LIQUID_TAG = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}", re.S)
_LIQUID_OUT = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.S)
# Where the site's own address stands before a path, the path is root-relative: the practice's site.
_SITE_URL = re.compile(r"\{\{-?\s*(?:site\.url|site\.baseurl|\.Site\.BaseURL)\s*-?\}\}(?:\{\{-?\s*site\.baseurl\s*-?\}\})?")
_IAL = re.compile(r"\{:\s*([^}\n]*)\}")
_HEADING_ATTRS = re.compile(r"^(#{1,6}\s.*?)\s*\{:?\s*([#.][^}\n]*)\}\s*$")
_ATX = re.compile(r"^ {0,3}#{1,6}(?:\s|$)")
_ANCHOR = re.compile(r"#([\w-]+)")

# Liquid tags whose content is not the article's: dropped with everything between them.
_DROPPED_PAIRS = {"comment": "endcomment"}
_CODE_PAIRS = {"highlight": "endhighlight"}
_VIDEO_SHORTCODES = {"youtube": "https://www.youtube.com/watch?v={}", "vimeo": "https://vimeo.com/{}"}


@dataclass
class Cleaned:
    body: str
    anchors: dict[int, str] = field(default_factory=dict)  # heading's source line -> its id
    notes: list[Diagnostic] = field(default_factory=list)


class _Notes:
    """One report per kind of thing ignored, at its first line: an article full of `{: .note}`
    says so once."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.seen: dict[str, Diagnostic] = {}

    def add(self, key: str, message: str, line: int, severity: str = "info") -> None:
        if key not in self.seen:
            level: Literal["warning", "info"] = "warning" if severity == "warning" else "info"
            self.seen[key] = Diagnostic(level, message, self.path, line, "ignored")


def clean_site_syntax(body: str, *, offset: int, path: str) -> Cleaned:
    """`body` without site-generator syntax, same number of lines; `offset` is the number of
    source lines before the body (front matter)."""
    if "{" not in body:
        return Cleaned(body)
    notes = _Notes(path)
    anchors: dict[int, str] = {}
    lines = body.split("\n")
    out: list[str] = []
    fence: str | None = None
    i = 0
    while i < len(lines):
        raw = lines[i]
        line_no = i + offset + 1
        m = _FENCE.match(raw)
        if fence is not None:
            out.append(raw)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            i += 1
            continue
        if m:
            fence = m.group(1)
            out.append(raw)
            i += 1
            continue
        if "{" not in raw:
            out.append(raw)
            i += 1
            continue
        # A construct may span lines (a shortcode's arguments, a comment block): take lines
        # until its braces close, then give back as many lines as were taken.
        j = i + 1
        chunk = raw
        while _unclosed(chunk) and j < len(lines) and j - i < 40:
            chunk += "\n" + lines[j]
            j += 1
        if _unclosed(chunk):
            chunk, j = raw, i + 1
        pair = _pair_start(chunk)
        if pair is not None:
            end_tag, code = pair
            k = j
            while k < len(lines) and not re.search(r"\{%-?\s*" + end_tag + r"\s*-?%\}", lines[k]):
                k += 1
            if k < len(lines):
                inner = lines[j:k]
                if code:
                    lang = _LIQUID_TAG.search(chunk).group(2).split()  # type: ignore[union-attr]
                    out.extend([""] * (j - i - 1))
                    out.append("```" + (lang[0] if lang else ""))
                    out.extend(inner)
                    out.append("```")
                else:
                    notes.add("comment", "Liquid comment left out", line_no)
                    out.extend([""] * (k - i + 1))
                i = k + 1
                continue
        text = _clean_chunk(chunk, line_no, notes, anchors)
        # only ever removed: never more lines than were taken
        got = text.split("\n")
        out.extend(got + [""] * (j - i - len(got)))
        i = j
    return Cleaned("\n".join(out), anchors, list(notes.seen.values()))


def _unclosed(text: str) -> bool:
    return text.count("{{") > text.count("}}") or text.count("{%") > text.count("%}")


def _pair_start(chunk: str) -> tuple[str, bool] | None:
    m = _LIQUID_TAG.fullmatch(chunk.strip())
    if m is None:
        return None
    name = m.group(1)
    if name in _DROPPED_PAIRS:
        return _DROPPED_PAIRS[name], False
    if name in _CODE_PAIRS:
        return _CODE_PAIRS[name], True
    return None


def _clean_chunk(chunk: str, line: int, notes: _Notes, anchors: dict[int, str]) -> str:
    stripped = chunk.strip()
    whole = _SHORTCODE.fullmatch(stripped)
    if whole is not None and not whole.group(2):
        block = _shortcode_block(whole.group(3), whole.group(4))
        if block is not None:
            return block
    if (tag := _LIQUID_TAG.fullmatch(stripped)) and tag.group(1) == "include":
        video = _liquid_video(tag.group(2))
        if video is not None:
            return video
    text = _SITE_URL.sub("", chunk)
    text = _SHORTCODE.sub(lambda m: _drop_shortcode(m, line, notes), text)
    text = _LIQUID_TAG.sub(lambda m: _drop("liquid-tag", f"Liquid tag {_shown(m)} ignored", line, notes), text)
    text = _LIQUID_OUT.sub(lambda m: _drop("liquid-out", f"Liquid output {_shown(m)} ignored", line, notes), text)
    heading = _HEADING_ATTRS.match(text)
    if heading and _ATX.match(text):
        _attributes(heading.group(2), line, notes, anchors)
        text = heading.group(1)
    elif text.strip().startswith("{:") and _IAL.fullmatch(text.strip()):
        # A block attribute list on its own line belongs to the block before it.
        _attributes(_IAL.fullmatch(text.strip()).group(1), line - 1, notes, anchors)  # type: ignore[union-attr]
        return ""
    return _IAL.sub(lambda m: _inline_attributes(m, line, notes), text)


def _shown(m: re.Match[str]) -> str:
    text = " ".join(m.group(0).split())
    return text if len(text) <= 60 else text[:57] + "..."


def _drop(key: str, message: str, line: int, notes: _Notes) -> str:
    notes.add(key, message, line)
    return ""


def _drop_shortcode(m: re.Match[str], line: int, notes: _Notes) -> str:
    name = m.group(3)
    notes.add(
        f"shortcode {name}",
        f"Hugo shortcode {name!r} is not known: left out of the output (kept in the source)",
        line,
        "warning",
    )
    return ""


def _arguments(text: str) -> tuple[list[str], dict[str, str]]:
    try:
        words = shlex.split(text)
    except ValueError:
        words = text.split()
    positional = [w for w in words if "=" not in w]
    named = dict(w.split("=", 1) for w in words if "=" in w)
    return positional, named


def _shortcode_block(name: str, args: str) -> str | None:
    positional, named = _arguments(args)
    if name in _VIDEO_SHORTCODES:
        video_id = named.get("id") or (positional[0] if positional else "")
        if re.fullmatch(r"[\w-]+", video_id):
            # a bare video address on its own line: the parser makes it a video (link + QR)
            return _VIDEO_SHORTCODES[name].format(video_id)
    if name == "figure" and named.get("src"):
        caption = named.get("caption") or named.get("title") or ""
        alt = named.get("alt") or caption
        return f"![{_escape_text(alt)}](<{named['src']}>{_title(caption)})"
    return None


def _liquid_video(args: str) -> str | None:
    """`{% include video id="…" provider="youtube" %}` (the Minimal Mistakes theme)."""
    positional, named = _arguments(args)
    if not positional or positional[0] != "video" or "id" not in named:
        return None
    provider = named.get("provider", "youtube")
    template = _VIDEO_SHORTCODES.get(provider)
    if template is None or not re.fullmatch(r"[\w-]+", named["id"]):
        return None
    url = template.format(named["id"])
    return url if video_from_url(url) else None


def _escape_text(text: str) -> str:
    return re.sub(r"([\\\[\]*_`])", r"\\\1", text)


def _title(text: str) -> str:
    if not text:
        return ""
    return ' "' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _attributes(spec: str, line: int, notes: _Notes, anchors: dict[int, str]) -> None:
    """A heading's `#id` is kept (a link to it works in the PDF); anything else is reported."""
    anchor = _ANCHOR.search(spec)
    if anchor:
        anchors.setdefault(line, anchor.group(1))
    rest = _ANCHOR.sub("", spec).strip()
    if rest:
        notes.add(f"ial {rest.split()[0]}", f"attribute list {{: {rest}}} ignored: it has no meaning in print", line)


def _inline_attributes(m: re.Match[str], line: int, notes: _Notes) -> str:
    spec = m.group(1).strip()
    key = spec.split("=")[0].split()[0] if spec else "empty"
    notes.add(f"ial {key}", f"attribute list {{: {spec}}} ignored: it has no meaning in print", line)
    return ""
