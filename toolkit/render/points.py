"""Points worth presenting: the sentences of a section that carry it, ranked.

When the author chose no points for a section (front matter `slides:`), its candidates are
every list item and every sentence of its paragraphs and quotes, plus sub-headings that say
something. A candidate is left out when it is a question, a greeting or a call to action, a
lead-in ending in a colon, a fragment of under four words, or too long for two lines on a slide
even without its parenthetical asides (it is never cut off with an ellipsis). The others are
scored: list items and a paragraph's first sentence score higher, so do words shared with the
section heading and the article's title and summary, a sentence of 7 to 20 words, and a
conclusion ("Kortom: …"); sentences that lean on the one before ("Dit …", "Maar …"), tell a
personal story ("ik", "mijn") or give an example score lower. docs/design/slides.md says why.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from markdown_it import MarkdownIt

from toolkit.sources.model import (
    Block,
    DefinitionList,
    Heading,
    ListBlock,
    Paragraph,
    Quote,
    Video,
)
from toolkit.sources.rules import FOOTNOTE_CALL

MIN_WORDS = 4  # shorter is a fragment ("Ik blijf.", "100 euro."), not a point


@dataclass(frozen=True)
class Point:
    text: str  # inline Markdown, as in the translated article
    line: int  # source line of the unit it came from
    unit_text: str  # the whole unit's output text (to ask Translated.fallback_lang)
    score: float = 0.0
    order: int = 0  # position in the section: points are shown in the article's order
    item: bool = False  # a list item


# --- sentences ---------------------------------------------------------------------------------

_ABBREVIATIONS = {
    "nl": {
        "bijv",
        "bv",
        "o.a",
        "m.a.w",
        "d.w.z",
        "enz",
        "evt",
        "ca",
        "dhr",
        "mevr",
        "nr",
        "zgn",
        "vnl",
    },
    "en": {"e.g", "i.e", "etc", "mr", "mrs", "ms", "dr", "vs", "approx", "no", "cf", "st"},
    "de": {"z.b", "d.h", "bzw", "usw", "ca", "dr", "nr", "vgl", "u.a", "s.o", "z.t", "evtl", "ggf"},
}
_END = re.compile(r"([.!?…]+[\"»”’)]*)\s+(?=[\"„“«‘(\[*_]*[A-ZÀ-ÖØ-Þ0-9])")


def base_lang(lang: str) -> str:
    return lang.split("_")[0].split("-")[0].lower()


def balanced(prefix: str) -> bool:
    """True if no inline Markdown span (strong, emphasis, code, link) is open at the end of prefix."""
    if prefix.count("`") % 2:
        return False
    if prefix.count("[") != prefix.count("]") or prefix.count("(") < prefix.count("]("):
        return False
    bold = prefix.count("**") + prefix.count("__")
    if bold % 2:
        return False
    single = prefix.replace("**", "").replace("__", "")
    return single.count("*") % 2 == 0 and len(re.findall(r"(?<![\w])_|_(?![\w])", single)) % 2 == 0


def sentences(text: str, lang: str) -> list[str]:
    """The sentences of an inline-Markdown text, never cutting a markup span in two."""
    abbreviations = _ABBREVIATIONS.get(base_lang(lang), set())
    out: list[str] = []
    start = 0
    for m in _END.finditer(text):
        before = text[start : m.start(1)]
        word = before.rsplit(None, 1)[-1].lower().strip("(\"'*_") if before.strip() else ""
        if word in abbreviations or (len(word) == 1 and word.isalpha()):
            continue
        if before.count("(") > before.count(")") and not m.group(1).endswith(")"):
            continue  # a sentence inside parentheses
        candidate = text[start : m.end(1)]
        if balanced(candidate):
            out.append(candidate.strip())
            start = m.end(0)
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out


def first_sentence(text: str, lang: str) -> str:
    found = sentences(text, lang)
    return found[0] if found else text.strip()


# --- plain text, for speaker notes and word overlap ---------------------------------------------

_MD = MarkdownIt("commonmark", {"html": False})


@lru_cache(maxsize=8192)
def plain(text: str) -> str:
    """Inline Markdown as the words a reader sees: no markers, link text without its target."""
    out: list[str] = []
    for token in _MD.parseInline(text):
        for child in token.children or []:
            if child.type == "text":
                out.append(FOOTNOTE_CALL.sub("", child.content))
            elif child.type == "code_inline":
                out.append(child.content)
            elif child.type == "softbreak":
                out.append(" ")
            elif child.type == "hardbreak":
                out.append("\n")
            elif child.type == "image":
                out.append(child.content)
    return "".join(out).strip()


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_STOP = {
    "nl": "deze voor niet maar door naar over zijn kunt wordt heeft meer veel jouw onze want zich daar hier waar ook",
    "en": "that this with from your have more they them when what will which their also into than then there these those about",
    "de": "dass diese dieser nicht auch oder aber wenn sich sind wird eine einen einer mehr dein deine über durch kann hier dort noch",
}


def stems(text: str, lang: str) -> set[str]:
    """Content words, cut to five letters: a rough stem that matches spier/spieren, Körper/Körpers."""
    stop = set(_STOP.get(base_lang(lang), "").split())
    return {
        w.lower()[:5] for w in _WORD.findall(plain(text)) if len(w) >= 4 and w.lower() not in stop
    }


# --- what is not a point --------------------------------------------------------------------------

# Greetings, calls to action and prices: a slide informs, the closing slide invites.
_NOT_A_POINT = {
    "nl": r"\b(neem (gerust )?contact|contact op|bel (me|ons)|mail (me|ons)|boek|boeken|meld je aan|aanmelden|klik|lees (hier|meer|verder|ook)|welkom|groet|afspraak|schrijf je in|investering|euro|doorlezen|kom (het )?(eens|gerust))\b",
    "en": r"\b(contact (me|us)|get in touch|call (me|us)|e-?mail (me|us)|book|booking|sign up|register|click|read (more|on|here|also)|welcome|regards|appointment|investment|euros?|reading|come (and|to) (try|experience))\b",
    "de": r"\b(kontakt|melde dich|ruf (mich|uns)|buche|buchen|buchbar|klick|lies (hier|mehr|weiter|auch)|willkommen|grüße|termin|investition|euro|weiterlesen|komm (doch|gerne))\b",
}
# Sentences that lean on the one before them read as fragments on their own.
_LEANS = {
    "nl": {
        "dit",
        "dat",
        "deze",
        "die",
        "daarom",
        "hierdoor",
        "daardoor",
        "ook",
        "maar",
        "en",
        "bovendien",
        "echter",
        "zo",
        "want",
        "zodat",
        "omdat",
        "waardoor",
        "niet",
    },
    "en": {
        "this",
        "that",
        "these",
        "those",
        "so",
        "but",
        "and",
        "also",
        "thus",
        "therefore",
        "however",
        "it",
        "they",
        "because",
        "which",
        "not",
    },
    "de": {
        "dies",
        "das",
        "diese",
        "dieser",
        "deshalb",
        "daher",
        "dadurch",
        "auch",
        "aber",
        "und",
        "so",
        "jedoch",
        "denn",
        "damit",
        "weil",
        "sodass",
        "nicht",
    },
}
_CONCLUDES = {
    "nl": r"^(kortom|samengevat|met andere woorden)\b",
    "en": r"^(in short|in summary|in other words)\b",
    "de": r"^(kurz gesagt|kurzum|zusammengefasst|mit anderen worten)\b",
}
_FIRST_PERSON = {
    "nl": {"ik", "mijn", "mij", "me"},
    "en": {"i", "my", "me"},
    "de": {"ich", "mein", "meine", "mir", "mich"},
}
_EXAMPLE = {
    "nl": r"\b(bijvoorbeeld|bijv|zoals)\b",
    "en": r"\b(for example|for instance|e\.g|such as)\b",
    "de": r"\b(zum beispiel|z\. ?b|beispielsweise|etwa)\b",
}
_PARENS = re.compile(r"\s*\([^()]*\)")
_NUMBERED = re.compile(r"^(\d{1,2}|[a-zA-Z])[.)]\s+")


def is_question(text: str) -> bool:
    return plain(text).rstrip("\"'»”’)*_ ").endswith("?")


def word_count(text: str) -> int:
    return len(plain(text).split())


def rejected(text: str, lang: str, *, item: bool = False) -> bool:
    """A question, a fragment, a lead-in, a greeting, a call to action, or text a slide cannot show."""
    shown = plain(text)
    if not shown or is_question(text) or word_count(text) < MIN_WORDS:
        return True
    if shown.endswith(":") or "…" in shown or "..." in shown:
        return True  # a lead-in to what follows; an ellipsis would read as a cut
    if not item and shown[0].islower():
        return True  # a sentence split where it should not have been
    pattern = _NOT_A_POINT.get(base_lang(lang))
    return bool(pattern and re.search(pattern, shown, re.IGNORECASE))


def condensed(text: str) -> str:
    """The sentence without its parenthetical asides: shorter, still whole."""
    if not balanced(text):
        return text
    shorter = _PARENS.sub("", text)
    return shorter if balanced(shorter) and shorter != text else text


# --- candidates and their scores ----------------------------------------------------------------

Fits = Callable[[str], bool]  # does this text fit a slide as one point (two lines at most)?


def _is_caption(blocks: Sequence[Block], i: int) -> bool:
    return (
        isinstance(blocks[i], Heading) and i + 1 < len(blocks) and isinstance(blocks[i + 1], Video)
    )


def _raw(blocks: Sequence[Block], lang: str) -> Iterable[tuple[str, int, str, int, bool]]:
    """(text, line, unit text, position of its paragraph, is a list item) in document order."""
    paragraph = 0
    for i, block in enumerate(blocks):
        if isinstance(block, ListBlock):
            for item in block.items:
                para = next((b for b in item.blocks if isinstance(b, Paragraph)), None)
                if para is not None:
                    yield para.text, para.line, para.text, paragraph, True
            paragraph += 1
        elif isinstance(block, DefinitionList):
            # a term and its first definition are one point, like a list item: "Term: definition"
            for entry in block.items:
                para = next((b for b in entry.blocks if isinstance(b, Paragraph)), None)
                if para is not None:
                    text = f"{entry.term.rstrip(':')}: {para.text}"
                    yield text, para.line, para.text, paragraph, True
            paragraph += 1
        elif isinstance(block, Paragraph):
            for n, sentence in enumerate(sentences(block.text, lang)):
                yield sentence, block.line, block.text, paragraph * 10 + n, False
            paragraph += 1
        elif isinstance(block, Quote):
            for inner in block.blocks:
                if isinstance(inner, Paragraph):
                    for n, sentence in enumerate(sentences(inner.text, lang)):
                        yield sentence, inner.line, inner.text, paragraph * 10 + n, False
            paragraph += 1
        elif isinstance(block, Heading) and block.level >= 3 and not _is_caption(blocks, i):
            text = _NUMBERED.sub("", block.text).rstrip(":")  # "2. Stress …": the list is gone
            yield text, block.line, block.text, -1, False


def candidates(
    blocks: Sequence[Block], lang: str, fits: Fits, *, heading: str = "", context: str = ""
) -> list[Point]:
    """Every sentence of the section that could be a point, scored; in document order."""
    lang_key = base_lang(lang)
    heading_stems = stems(heading, lang)
    context_stems = stems(context, lang)
    out: list[Point] = []
    for order, (text, line, unit, position, item) in enumerate(_raw(blocks, lang)):
        if item and not fits(text):
            text = first_sentence(text, lang)  # a long list item: its first sentence
        if not fits(text):
            text = condensed(text)
        if rejected(text, lang, item=item) or not fits(text):
            continue
        shown = plain(text)
        words = shown.split()
        first = words[0].lower().strip(",:;")
        own = stems(text, lang)
        score = 1.0
        score += 0.6 if item else 0.0
        if position < 0:
            score -= 0.4  # a sub-heading: a name for what follows more than a point of its own
        else:
            score += 0.5 if position % 10 == 0 else -0.15 * min(position % 10, 3)
            score -= 0.04 * min(position // 10, 10)
        score += min(0.9, 0.3 * len(own & heading_stems))
        score += min(0.6, 0.15 * len(own & context_stems))
        score += 0.3 if 7 <= len(words) <= 20 else (-0.3 if len(words) > 24 else 0.0)
        if re.search(_CONCLUDES.get(lang_key, "^$"), shown, re.IGNORECASE):
            score += 0.6
        elif first in _LEANS.get(lang_key, set()):
            score -= 0.5
        if {w.lower().strip(",.:;") for w in words} & _FIRST_PERSON.get(lang_key, set()):
            score -= 0.5
        if re.search(_EXAMPLE.get(lang_key, "^$"), shown, re.IGNORECASE):
            score -= 0.3
        if "!" in shown:
            score -= 0.3
        out.append(Point(text, line, unit, round(score, 3), order, item))
    return out


def _similar(a: Point, b: Point, lang: str) -> bool:
    """Two sentences saying nearly the same (a list's items are distinct by their author's hand)."""
    if a.item and b.item:
        return False
    sa, sb = stems(a.text, lang), stems(b.text, lang)
    return bool(sa and sb) and len(sa & sb) / min(len(sa), len(sb)) > 0.7


def best(found: Sequence[Point], lang: str, limit: int) -> list[Point]:
    """The best `limit` candidates, no two saying nearly the same, in document order.

    A section whose list says most of it (three or more items qualify) is shown by its list."""
    items = [p for p in found if p.item]
    pool = items if len(items) >= 3 else list(found)
    chosen: list[Point] = []
    for point in sorted(pool, key=lambda p: (-p.score, p.order)):
        if len(chosen) >= limit:
            break
        if not any(_similar(point, c, lang) for c in chosen):
            chosen.append(point)
    return sorted(chosen, key=lambda p: p.order)


def renumber(points: Sequence[Point], start: int) -> list[Point]:
    """Points of several merged sections, ordered as they come in the article."""
    return [replace(p, order=start + n) for n, p in enumerate(points)]
