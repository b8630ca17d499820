"""Rules on one text in one language, for sources and translations alike: the style guides'
checkable part (locales/<lang>/STYLE.md).

Each rule looks at the text a reader gets (a source's msgid, a translation's msgstr) and knows
nothing of the other side: trademarks written without their mark, forbidden terms, typography,
known misspellings and the register (du/Sie, je/u).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.catalogs.findings import Finding
from toolkit.catalogs.glossary import Glossary, variant_pattern
from toolkit.catalogs.spelling import NO_SPELLING, Spelling
from toolkit.registers import NEUTRAL


@dataclass(frozen=True)
class TextContext:
    text: str
    lang: str
    glossary: Glossary
    spelling: Spelling = NO_SPELLING
    register: str = ""  # "" (not checked), a register of `lang` (du, Sie, je, u) or "neutral"
    source: bool = False  # the text is a source (its own language's glossary column applies)


# --- trademarks --------------------------------------------------------------------------------

_MARKS = "®™"


def bare_marks(ctx: TextContext) -> list[Finding]:
    """A read-only glossary term with a mark (TRE®) written without it: "TRE", "TRE-Seite"."""
    out = []
    for term in ctx.glossary.terms:
        name = term.term
        if not term.read_only or name[-1:] not in _MARKS:
            continue
        base = name[:-1]
        for m in re.finditer(r"(?<!\w)" + re.escape(base) + r"(?![\w" + _MARKS + "])", ctx.text):
            out.append(Finding("error", "trademarks", f"{base} is written {name}", m.group()))
    return out


# --- forbidden terms -------------------------------------------------------------------------


def forbidden(ctx: TextContext) -> list[Finding]:
    out = []
    for term in ctx.glossary.terms:
        variants = term.forbidden_in(ctx.lang)
        if not variants:
            continue
        target = term.term if ctx.source or term.read_only else term.translation(ctx.lang)
        # "Trauma Releasing Exercises" is forbidden, but not inside the agreed
        # "Tension & Trauma Releasing Exercises".
        agreed = (
            [m.span() for m in re.finditer(re.escape(target), ctx.text, re.I)] if target else []
        )
        for variant in variants:
            for m in variant_pattern(variant).finditer(ctx.text):
                if any(a <= m.start() and m.end() <= b for a, b in agreed):
                    continue
                message = f"{m.group()!r} is not used here"
                if target:
                    message += f"; write {target!r}"
                if term.hint(ctx.lang):
                    message += f" ({term.hint(ctx.lang)})" if target else f": {term.hint(ctx.lang)}"
                out.append(Finding("error", "forbidden", message, m.group()))
    return out


# --- typography --------------------------------------------------------------------------------

_CODE = re.compile(r"`[^`]*`")
_TARGET = re.compile(r"\]\([^)]*\)|<[a-zA-Z/][^<>]*>")
_DOTS = re.compile(r"(?<!\.)\.\.\.(?!\.)")
_STRAIGHT_DOUBLE = re.compile(r'"')
# Straight single quotes used as quotation marks ('gesloten'), not as apostrophes (auto's, don't,
# 's avonds, the muscles' tone): a quote at a word's start, closed at a word's end.
_STRAIGHT_SINGLE = re.compile(r"(?<![\w'])'(?=\w)[^'\n]*?(?<=[\w.!?,])'(?![\w'])")
_QUOTES = {
    "en": "“…” (‘…’ inside)",
    "de": "„…“ (‚…‘ inside)",
    "nl": "“…” or ‘…’",
}
# Quotation marks of another language's style: (pattern, what it is).
_FOREIGN_QUOTES: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "de": (
        (re.compile("”"), "English closing quote ”"),
        (re.compile(r"(?:^|(?<=[\s(„]))‘(?=\w)"), "English opening quote ‘"),
    ),
    "en": (
        (re.compile("[„‚]"), "low opening quote (German or Dutch style)"),
        (re.compile("[«»]"), "guillemet"),
    ),
}
_RANGE_ACCENT = re.compile(r"\d\s*á\s*\d")  # Dutch "1,5 à 2 uur", often typed with the wrong accent


def _visible(text: str) -> str:
    """The text a reader sees: without code spans, link targets and HTML tags, which keep
    their straight quotes."""
    return _TARGET.sub("", _CODE.sub("", text))


def typography(ctx: TextContext) -> list[Finding]:
    text = _visible(ctx.text)
    quotes = _QUOTES.get(ctx.lang, "typographic quotes")
    out = [
        Finding("warning", "typography", "three dots '...': write one character '…'", m.group())
        for m in _DOTS.finditer(text)
    ]
    if _STRAIGHT_DOUBLE.search(text):
        out.append(Finding("warning", "typography", f'straight quote ": write {quotes}', '"'))
    for m in _STRAIGHT_SINGLE.finditer(text):
        out.append(
            Finding(
                "warning", "typography", f"straight quotes {m.group()}: write {quotes}", m.group()
            )
        )
    for pattern, what in _FOREIGN_QUOTES.get(ctx.lang, ()):
        for m in pattern.finditer(text):
            out.append(Finding("warning", "typography", f"{what}: write {quotes}", m.group()))
    if ctx.lang == "nl":
        for m in _RANGE_ACCENT.finditer(text):
            message = f"{m.group()!r}: a range is written with 'à' (1,5 à 2 uur)"
            out.append(Finding("warning", "typography", message, "á"))
    return out


# --- spelling ------------------------------------------------------------------------------------


def spelling(ctx: TextContext) -> list[Finding]:
    return [
        Finding("warning", "spelling", f"{m.found!r} is misspelt: write {m.right!r}", m.found)
        for m in ctx.spelling.find(ctx.text)
    ]


# --- register ------------------------------------------------------------------------------------

# Where a sentence starts: a capital there says nothing about the word (German "Sie" = "they").
_SENTENCE_START = re.compile(r"(?:^|[.!?:…]\s+|\n)[\s*_„“‚‘\"'(#>-]*$")
_DE_FORMAL = re.compile(r"(?<!\w)(?:Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres)(?!\w)")
_DE_INFORMAL = re.compile(
    r"(?<!\w)(?:du|dich|dir|dein|deine|deinen|deinem|deiner|deines|euch|euer|eure|euren|eurem"
    r"|eurer|eures|bist|hast|kannst|musst|willst|sollst|darfst|wirst|weißt|brauchst)(?!\w)",
    re.IGNORECASE,
)
# Informal imperatives that open a sentence (a noun of the same spelling is left out: Stelle,
# Versuche, Stärke, Buche, Ruf).
_DE_IMPERATIVE = re.compile(
    r"(?<!\w)(?:Achte|Atme|Beginne|Beweg|Bewege|Bleib|Denk|Denke|Dehne|Dreh|Drehe|Entdecke|Entspanne"
    r"|Erfahre|Erlaube|Finde|Frag|Frage|Geh|Gehe|Genieße|Gib|Gönn|Gönne|Halte|Hilf|Hör|Höre|Kontaktiere"
    r"|Komm|Lass|Leg|Lege|Lerne|Lies|Mach|Mache|Melde|Nimm|Öffne|Probier|Probiere|Schau|Schaue"
    r"|Scanne|Schließe|Sieh|Spür|Spüre|Starte|Stell|Streck|Trink|Übe|Vereinbare|Vertraue|Wähle|Wechsle"
    r"|Wiederhole|Zieh|Ziehe)(?!\w)(?!\s+Sie\b)"
)
_NL_FORMAL = re.compile(r"(?<![\w-])(?:u|uw|uzelf)(?![\w-])", re.IGNORECASE)
_HOUR = re.compile(r"\d\s*$")
_NL_INFORMAL = re.compile(r"(?<![\w-])(?:je|jij|jou|jouw|jezelf|jullie)(?![\w-])", re.IGNORECASE)


def _starts_sentence(text: str, index: int) -> bool:
    return _SENTENCE_START.search(text[:index]) is not None


def _forms(ctx: TextContext, text: str) -> list[tuple[str, str]]:
    """(word, register it belongs to) for every form of a register other than the chosen one,
    in the order they stand in the text."""
    want = ctx.register
    found: list[tuple[re.Match[str], str]] = []
    if ctx.lang == "de":
        if want in ("du", NEUTRAL):
            found += [
                (m, "Sie")
                for m in _DE_FORMAL.finditer(text)
                if not _starts_sentence(text, m.start())
            ]
        if want in ("Sie", NEUTRAL):
            found += [(m, "du") for m in _DE_INFORMAL.finditer(text)]
            found += [
                (m, "du")
                for m in _DE_IMPERATIVE.finditer(text)
                if _starts_sentence(text, m.start())
            ]
    elif ctx.lang == "nl":
        if want in ("je", NEUTRAL):
            # "10 u" is an hour, not a reader
            found += [
                (m, "u") for m in _NL_FORMAL.finditer(text) if not _HOUR.search(text[: m.start()])
            ]
        if want in ("u", NEUTRAL):
            found += [(m, "je") for m in _NL_INFORMAL.finditer(text)]
    return [(m.group(), other) for m, other in sorted(found, key=lambda pair: pair[0].start())]


def register(ctx: TextContext) -> list[Finding]:
    if not ctx.register:
        return []
    text = _visible(ctx.text)
    out = []
    for word, other in _forms(ctx, text):
        if ctx.register == NEUTRAL:
            message = f"{word!r} addresses the reader as {other!r}: layout strings serve every article, keep them neutral"
        else:
            message = f"{word!r} addresses the reader with {other!r}; this article uses {ctx.register!r} (its title entry says so)"
        out.append(Finding("warning", "register", message, word))
    return out
