"""Quality checks on translations: a list of named rules, each looking at one entry.

A rule is silenced for one entry by the flag `ignore-<rule>` in the PO file (`#, ignore-links`),
the way Weblate's `ignore-*` flags work, or by a translator comment line holding only that word
(`# ignore-links`): gettext's msgcat and msgattrib drop flags they do not know, but keep comments.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it import MarkdownIt

from toolkit.catalogs import style
from toolkit.catalogs.findings import Finding, Severity
from toolkit.catalogs.glossary import Glossary, term_pattern
from toolkit.catalogs.po import Catalog, Entry
from toolkit.catalogs.spelling import NO_SPELLING, Spelling
from toolkit.sources.rules import FOOTNOTE_CALL

__all__ = ["CHECKS", "RULES", "EntryContext", "Finding", "Problem", "Severity", "check_catalog", "check_entry"]

_MD = MarkdownIt("commonmark")
_MARKERS = ("strong_open", "em_open", "code_inline", "s_open")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_MARK = re.compile(r"\w[\w-]*[®™©]")
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")
_END = ".?!:;…"
_LETTER = re.compile(r"[^\W\d_]")
# markdown-it refuses these as link targets, so they print as text: found in the raw text instead.
_UNSAFE_URL = re.compile(r"(?:\]\(\s*<?|<|\]:\s*<?)\s*(javascript|vbscript|data|file):", re.I)
# C0 and C1 controls but tab and newline; bidi embeddings, overrides and isolates (Trojan Source).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_REFERENCE_FORM = re.compile(r"\[[^\]\n]+\]\[(?!\^)[^\]\n]*\]")
LONG_RATIO = 3.0  # a translation this many times the source's length (and 60+ characters more)
LONG_EXTRA = 60


@dataclass(frozen=True)
class EntryContext:
    entry: Entry
    lang: str
    glossary: Glossary
    spelling: Spelling = NO_SPELLING
    register: str = ""  # how the article addresses its reader in `lang` ("" = not checked)

    @property
    def output(self) -> style.TextContext:
        """The translation as a text of its own, for the rules that read only what readers get."""
        return style.TextContext(self.entry.msgstr, self.lang, self.glossary, self.spelling, self.register)


Rule = Callable[[EntryContext], list[Finding]]


def _inline(text: str) -> list:
    tokens = _MD.parseInline(text)
    return tokens[0].children or [] if tokens else []


def _markers(text: str) -> Counter[str]:
    return Counter(t.type for t in _inline(text) if t.type in _MARKERS)


def _targets(text: str) -> Counter[str]:
    out: Counter[str] = Counter()
    for t in _inline(text):
        if t.type == "link_open":
            out[f"link target {t.attrs.get('href', '')}"] += 1
        elif t.type == "image":
            out[f"image {t.attrs.get('src', '')}"] += 1
    return out


def check_markup(ctx: EntryContext) -> list[Finding]:
    src, dst = _markers(ctx.entry.msgid), _markers(ctx.entry.msgstr)
    names = {"strong_open": "bold", "em_open": "italic", "code_inline": "code", "s_open": "strikethrough"}
    return [
        Finding("error", "markup", f"{names[k]} marked {src[k]}× in source, {dst[k]}× in translation")
        for k in _MARKERS
        if src[k] != dst[k]
    ]


def check_links(ctx: EntryContext) -> list[Finding]:
    src, dst = _targets(ctx.entry.msgid), _targets(ctx.entry.msgstr)
    out = [Finding("error", "links", f"{k} missing in translation") for k in (src - dst)]
    out += [Finding("warning", "links", f"{k} not in source") for k in (dst - src)]
    return out


def check_numbers(ctx: EntryContext) -> list[Finding]:
    src = Counter(n.replace(",", ".") for n in _NUMBER.findall(_strip_urls(ctx.entry.msgid)))
    dst = Counter(n.replace(",", ".") for n in _NUMBER.findall(_strip_urls(ctx.entry.msgstr)))
    return [Finding("warning", "numbers", f"number {n} missing in translation") for n in (src - dst)]


def _strip_urls(text: str) -> str:
    return re.sub(r"\]\([^)]*\)", "]", text)


def check_trademarks(ctx: EntryContext) -> list[Finding]:
    marks = set(_MARK.findall(ctx.entry.msgid))
    marks |= {t.term for t in ctx.glossary.found_in(ctx.entry.msgid) if t.read_only}
    missing = [
        Finding("error", "trademarks", f"{m} must stay as written") for m in sorted(marks) if m not in ctx.entry.msgstr
    ]
    # Also where the source forgot the mark: the translation writes TRE® all the same.
    return missing + style.bare_marks(ctx.output)


def check_glossary(ctx: EntryContext) -> list[Finding]:
    out = []
    for term in ctx.glossary.found_in(ctx.entry.msgid):
        target = term.translation(ctx.lang)
        if target and not term.read_only and not term_pattern(target).search(ctx.entry.msgstr):
            out.append(Finding("warning", "glossary", f"glossary: {term.term!r} should be {target!r}"))
    return out


def check_forbidden(ctx: EntryContext) -> list[Finding]:
    return style.forbidden(ctx.output)


def check_typography(ctx: EntryContext) -> list[Finding]:
    return style.typography(ctx.output)


def check_spelling(ctx: EntryContext) -> list[Finding]:
    return style.spelling(ctx.output)


def check_register(ctx: EntryContext) -> list[Finding]:
    return style.register(ctx.output)


def check_end_punctuation(ctx: EntryContext) -> list[Finding]:
    src, dst = ctx.entry.msgid.rstrip()[-1:], ctx.entry.msgstr.rstrip()[-1:]
    if (src in _END or dst in _END) and src != dst and not (src == "…" and dst == "."):
        shown = src if src in _END else "no punctuation"
        return [Finding("warning", "end-punctuation", f"source ends with {shown!r}, translation with {dst!r}")]
    return []


def check_whitespace(ctx: EntryContext) -> list[Finding]:
    src, dst = ctx.entry.msgid, ctx.entry.msgstr
    out = []
    if (src[:1].isspace(), src[-1:].isspace()) != (dst[:1].isspace(), dst[-1:].isspace()):
        out.append(Finding("warning", "whitespace", "leading or trailing space differs from source"))
    if "  " in dst and "  " not in src:
        out.append(Finding("warning", "whitespace", "double space in translation"))
    return out


def check_same(ctx: EntryContext) -> list[Finding]:
    text = ctx.entry.msgid
    if ctx.entry.msgstr != text or not _LETTER.search(text) or len(text.split()) < 2:
        return []
    return [Finding("warning", "same", "translation is identical to the source")]


def check_html(ctx: EntryContext) -> list[Finding]:
    src = set(_TAG.findall(ctx.entry.msgid))
    extra = [t for t in _TAG.findall(ctx.entry.msgstr) if t not in src]
    return [Finding("error", "html", f"raw HTML {t!r} in translation") for t in extra]


def check_unsafe_urls(ctx: EntryContext) -> list[Finding]:
    return [
        Finding("error", "unsafe-url", f"{m.group(1).lower()}: address in translation: never printed as a link")
        for m in _UNSAFE_URL.finditer(ctx.entry.msgstr)
    ]


def check_characters(ctx: EntryContext) -> list[Finding]:
    out = []
    for pattern, what in ((_CONTROL, "control character"), (_BIDI, "bidirectional control character")):
        found = sorted(set(pattern.findall(ctx.entry.msgstr)) - set(pattern.findall(ctx.entry.msgid)))
        if found:
            codes = ", ".join(f"U+{ord(c):04X}" for c in found)
            out.append(Finding("error", "characters", f"{what} {codes} in translation"))
    return out


def check_length(ctx: EntryContext) -> list[Finding]:
    src, dst = len(ctx.entry.msgid), len(ctx.entry.msgstr)
    if dst >= LONG_RATIO * max(src, 1) and dst - src >= LONG_EXTRA:
        ratio = dst / max(src, 1)
        return [Finding("warning", "length", f"translation is {ratio:.1f}× as long as the source ({dst} characters, source {src})")]
    return []


def check_footnotes(ctx: EntryContext) -> list[Finding]:
    src = Counter(FOOTNOTE_CALL.findall(ctx.entry.msgid))
    dst = Counter(FOOTNOTE_CALL.findall(ctx.entry.msgstr))
    out = [Finding("error", "footnotes", f"footnote marker [^{k}] missing in translation") for k in src - dst]
    out += [Finding("error", "footnotes", f"footnote marker [^{k}] not in source") for k in dst - src]
    return out


def check_breaks(ctx: EntryContext) -> list[Finding]:
    src = sum(t.type == "hardbreak" for t in _inline(ctx.entry.msgid))
    dst = sum(t.type == "hardbreak" for t in _inline(ctx.entry.msgstr))
    if dst < src:
        return [Finding("error", "breaks", f"line break (hard break) {src}× in source, {dst}× in translation")]
    return []


def check_references(ctx: EntryContext) -> list[Finding]:
    """A unit's links are inline (references are resolved on extraction): a `[text][label]` in a
    translation has no definition to find and prints with its brackets."""
    src = set(_REFERENCE_FORM.findall(ctx.entry.msgid))
    return [
        Finding("error", "references", f"reference link {form!r} has no definition here: write [text](address)")
        for form in _REFERENCE_FORM.findall(ctx.entry.msgstr)
        if form not in src
    ]


RULES: tuple[tuple[str, Rule], ...] = (
    ("markup", check_markup),
    ("links", check_links),
    ("numbers", check_numbers),
    ("trademarks", check_trademarks),
    ("glossary", check_glossary),
    ("forbidden", check_forbidden),
    ("end-punctuation", check_end_punctuation),
    ("whitespace", check_whitespace),
    ("same", check_same),
    ("html", check_html),
    ("typography", check_typography),
    ("spelling", check_spelling),
    ("register", check_register),
    ("unsafe-url", check_unsafe_urls),
    ("characters", check_characters),
    ("length", check_length),
    ("footnotes", check_footnotes),
    ("breaks", check_breaks),
    ("references", check_references),
)


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    severity: Severity
    rule: str
    message: str
    msgid: str

    def __str__(self) -> str:
        shown = self.msgid if len(self.msgid) <= 70 else self.msgid[:67] + "..."
        return f"{self.path}:{self.line}: {self.severity}: {self.message} [{self.rule}]\n  msgid: {shown!r}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "rule": self.rule,
            "message": self.message,
            "msgid": self.msgid,
        }


CHECKS = frozenset({*(name for name, _ in RULES), "fuzzy"})


def ignored_checks(entry: Entry) -> set[str]:
    """The checks silenced for this entry: flags `ignore-<check>`, and translator comment lines
    that hold nothing but `ignore-<check>` words of known checks, so prose never silences one."""
    ignored = {f.removeprefix("ignore-") for f in entry.flags if f.startswith("ignore-")}
    for line in entry.tcomment.splitlines():
        words = line.replace(",", " ").split()
        names = [w.removeprefix("ignore-") for w in words if w.startswith("ignore-")]
        if words and len(names) == len(words) and CHECKS.issuperset(names):
            ignored.update(names)
    return ignored


def check_entry(
    entry: Entry,
    lang: str,
    glossary: Glossary,
    *,
    spelling: Spelling = NO_SPELLING,
    register: str = "",
) -> list[Finding]:
    if not entry.msgstr or entry.obsolete:
        return []
    ctx = EntryContext(entry, lang, glossary, spelling, register)
    ignored = ignored_checks(entry)
    findings = []
    for name, rule in RULES:
        if name not in ignored:
            findings.extend(rule(ctx))
    if entry.fuzzy and "fuzzy" not in ignored:
        findings.append(Finding("warning", "fuzzy", "translation is fuzzy: the source changed, review it"))
    return findings


def check_catalog(
    catalog: Catalog,
    lang: str,
    glossary: Glossary,
    *,
    spelling: Spelling = NO_SPELLING,
    register: str = "",
) -> list[Problem]:
    problems = []
    for entry in catalog.active:
        for f in check_entry(entry, lang, glossary, spelling=spelling, register=register):
            problems.append(Problem(catalog.path, entry.po_line, f.severity, f.rule, f.message, entry.msgid))
    return problems
