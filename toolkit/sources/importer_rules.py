"""Line-level heuristics for `toolkit.sources.importer`: is a pasted line page furniture, a video, a
heading, a list item?  Pure functions and small tables; the importer decides with context."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from toolkit.sources.rules import video_embed as embed_address
from toolkit.sources.rules import video_from_url

# Navigation text that site builders (Wix, WordPress, Squarespace) put on every page; removed
# wherever it stands alone on a line.
NAVIGATION = frozenset(
    {
        "top of page", "bottom of page", "back to top", "scroll to top", "go to top",
        "skip to content", "skip to main content", "menu", "close menu", "open menu",
        "naar boven", "terug naar boven", "terug naar top", "naar de inhoud", "sluit menu",
        "nach oben", "zurück nach oben", "zum inhalt springen", "menü",
        "accept", "accept all", "accept cookies", "cookie settings", "manage cookies",
        "alle cookies accepteren", "cookies accepteren", "cookie-instellingen", "akkoord",
        "alle akzeptieren", "cookies akzeptieren", "cookie-einstellungen",
    }
)  # fmt: skip

# Call-to-action button labels.  "Contact" or "Boek nu" can also be a real heading, so these are
# removed only when repeated or when no body text follows them (the end of a section or page).
BUTTONS = frozenset(
    {
        "lees meer", "lees verder", "meer lezen", "meer info", "meer informatie",
        "maak een afspraak", "afspraak maken", "plan een afspraak", "boek nu", "nu boeken",
        "direct boeken", "boek een sessie", "neem contact op", "contact", "aanmelden",
        "meld je aan", "inschrijven", "schrijf je in", "bestel nu", "klik hier", "bekijk",
        "delen", "deel dit artikel", "vorige", "volgende", "terug", "home",
        "read more", "learn more", "more info", "book now", "book a session", "contact us",
        "get in touch", "sign up", "subscribe", "order now", "click here", "share",
        "previous", "next", "back",
        "mehr lesen", "weiterlesen", "mehr erfahren", "jetzt buchen", "termin vereinbaren",
        "kontakt", "anmelden", "jetzt anmelden", "hier klicken", "teilen", "zurück", "weiter",
    }
)  # fmt: skip

# Button labels written as the visitor's own wish ("Ik wil een behandeling"): a stem plus a few
# words.  Same condition as BUTTONS.
BUTTON_STEMS = ("ik wil ", "ja, ik wil ", "i want ", "yes, i want ", "ich will ", "ich möchte ")

_VIDEO_LABEL = re.compile(
    r"^(?:(?:kijk|bekijk|watch|view|see|sieh|schau)\b.{0,30}?\bvideos?\b|videos?)\s*(?::.*)?$",
    re.IGNORECASE,
)
_IMAGE_EXT = r"\.(?:jpe?g|png|gif|webp|heic|heif|tiff?|bmp|svg|avif)"
# A bare file name as a page builder shows it under an image ("3ebcb110-... 2.JPG"): one
# token, perhaps with a copy number; "Zie foto.png" is a sentence, not a file name.
_IMAGE_NAME = re.compile(
    r"^[\w.()-]{1,120}(?: \(?\d{1,3}\)?| copy| kopie)?" + _IMAGE_EXT + r"$", re.IGNORECASE
)
# A real image address: a URL or a path with a folder.
_IMAGE_PATH = re.compile(
    r"^(?:https?://\S+|[^\s:<>\"]*/[^<>\"]+)" + _IMAGE_EXT + r"(?:\?\S*)?$", re.I
)
_IFRAME = re.compile(r"^<iframe\b[^>]*?\bsrc=[\"']([^\"']+)[\"'][^>]*>\s*(?:</iframe>)?$", re.I)
_URL_AT_END = re.compile(r"^(.{0,80}?)\s*<?(https?://\S+?)>?$")

BULLET_ALONE = frozenset("-•*·▪◦●‣○")
# En and em dashes are left out: in pasted prose "– " opens an aside, not a list item.
_BULLET = re.compile(r"^[-•*·▪◦●‣○]\s+(\S.*)$")
# "1. text", "1) text" and the pasted "1.De gluteus" (no space, but a capital follows).
_NUMBERED = re.compile(r"^(\d{1,2})[.)](?:\s+|(?=[^\W\d_]))(\S.*)$")
_KICKER = re.compile(r"^\d{1,2}$")
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-ZÀ-Þ]")
# A line ending in these is a sentence or a label, not a title.
_NOT_TITLE_END = ".,;:!"
_SENTENCE_END = ".!?:;…"
_CLOSERS = "\"')]”’»"

HEADING_MAX = 90
ITEM_MAX = 100


def key(text: str) -> str:
    """Compare labels loosely: case, arrows, bullets and end punctuation do not matter."""
    text = text.casefold().strip(" \t→←»«›‹>•·*-–—!.:|")
    return " ".join(text.split())


def is_navigation(text: str) -> bool:
    return key(text) in NAVIGATION


def is_button(text: str) -> bool:
    k = key(text)
    if k in BUTTONS:
        return True
    words = len(k.split())
    return k.startswith(BUTTON_STEMS) and words <= 7 and text.rstrip()[-1:] not in ".?"


def is_video_label(text: str) -> bool:
    return len(text) <= 80 and _VIDEO_LABEL.match(text) is not None


def is_image_name(text: str) -> bool:
    return _IMAGE_NAME.match(text) is not None


def image_path(text: str) -> str | None:
    return text if _IMAGE_PATH.match(text) else None


def video_embed(url: str) -> str | None:
    """The embed address the toolkit's parser recognises, or None for other links."""
    found = video_from_url(url)
    return embed_address(*found) if found else None


def video_line(text: str) -> tuple[str, str] | None:
    """(embed URL, label) when the line is an iframe, a video URL, or "label: URL"."""
    if m := _IFRAME.match(text):
        embed = video_embed(m.group(1))
        return (embed, "") if embed else None
    if m := _URL_AT_END.match(text):
        embed = video_embed(m.group(2))
        return (embed, m.group(1).strip()) if embed else None
    return None


def iframe(embed: str) -> str:
    return f'<iframe src="{embed}"></iframe>'


def bullet(text: str) -> str | None:
    m = _BULLET.match(text)
    return m.group(1) if m else None


def numbered(text: str) -> tuple[str, str] | None:
    m = _NUMBERED.match(text)
    return (m.group(1), m.group(2)) if m else None


def is_kicker(text: str) -> bool:
    return _KICKER.match(text) is not None


def is_caps(text: str) -> bool:
    """A banner: two or more words, nearly all capitals ("DE PSOAS CONNECTIE MET HET BREIN")."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 6 or len(text.split()) < 2 or len(text) > 150 or text[-1] in ",;":
        return False
    return sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _first_letter_upper(text: str) -> bool:
    first = next((c for c in text if c.isalpha()), "")
    return first.isupper()


def is_titleish(text: str) -> bool:
    """Short, one phrase, capital first, no closing full stop: how web pages write headings."""
    return (
        0 < len(text) <= HEADING_MAX
        and len(text.split()) <= 14
        and text[-1] not in _NOT_TITLE_END
        and _first_letter_upper(text)
        and not _SENTENCE_BREAK.search(text)
    )


def is_question(text: str) -> bool:
    return text.endswith("?") and is_titleish(text)


def ends_sentence(text: str) -> bool:
    return text.rstrip(_CLOSERS)[-1:] in _SENTENCE_END


def starts_lower(text: str) -> bool:
    return text[:1].isalpha() and text[:1].islower()


# Frequent words that exist in only one of the three languages (so no "in", "is", "die").
_STOP_WORDS = {
    "nl": "de het een en van dat op te je niet zijn met voor ook maar als er bij wat hoe wordt "
    "jouw ik naar deze kan",
    "en": "the and of to that it for you with are on this be as your not can from what how have or",
    "de": "der das und ist nicht ich sie mit den zu ein eine auf für sich auch dem wird kann "
    "oder wie",
}
_WORDS = {lang: frozenset(words.split()) for lang, words in _STOP_WORDS.items()}


def guess_language(text: str) -> str:
    """The language whose stop words occur most; Dutch (the project default) on a tie."""
    counts: Counter[str] = Counter()
    for word in re.findall(r"[^\W\d_]+", text.casefold()):
        for lang, words in _WORDS.items():
            if word in words:
                counts[lang] += 1
    best = max(("nl", "en", "de"), key=lambda lang: counts[lang])
    return best


_BLOCK_START = re.compile(r"^(?:#{1,6}(?=\s|$)|>|[-+*](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|=+\s*$)")
_INLINE = re.compile(
    r"\\(?=[!-/:-@\[-`{-~])|`|\*|(?<!\w)_|_(?!\w)|<(?=[A-Za-z/!?])|\[(?=.*\])|&(?=#?\w+;)"
)


def escape_inline(text: str) -> str:
    """Backslash what CommonMark would read as inline markup, so pasted text stays plain."""
    return _INLINE.sub(lambda m: "\\" + m.group(0), text)


def escape(text: str) -> str:
    """escape_inline, plus a line start that would open a heading, quote or list."""
    text = escape_inline(text)
    m = _BLOCK_START.match(text)
    if m:
        if m.group(0)[:1].isdigit():
            end = m.end()
            return text[:end] + "\\" + text[end:]
        return "\\" + text
    return text


def is_furniture(text: str) -> bool:
    """Page furniture wherever it stands: navigation, image file names, empty video labels."""
    return is_navigation(text) or is_image_name(text) or is_video_label(text)


# --- plain pasted text ------------------------------------------------------------------------


@dataclass(eq=False)  # identity, not field equality: a page may repeat a heading
class Unit:
    """One block of pasted text: a line (or lines joined), with what the heuristics found."""

    kind: str  # "text", "item", "video", "image", "heading"
    text: str
    blank_before: bool = False
    ordered: bool = False
    number: str = ""
    marker_line: str = ""  # an item's whole line, number included
    more: list[str] = field(default_factory=list)  # an item's continuation lines
    indent: int = 0
    level: int = 2
    caps: bool = False
    after_kicker: bool = False
    numbered: bool = False
    blocks: int = 0  # body blocks under a heading


def text_units(lines: list[str], removed: list[str]) -> tuple[list[Unit], str | None]:
    """The blocks of pasted text, and its title line if it starts with one."""
    units = _units(lines, removed)
    units = _colon_lists(units)
    units = _merge_heading_lines(units)
    units = _drop_buttons(units, removed)
    _find_headings(units)
    first_title = None
    if units and (
        units[0].kind == "heading" or (units[0].kind == "text" and _headingish(units[0]))
    ):
        first_title = units.pop(0).text
    _assign_levels(units)
    return units, first_title


def _units(lines: list[str], removed: list[str]) -> list[Unit]:
    """Lines -> units: furniture removed, bullets and continuations attached to their items."""
    wrapped = _hard_wrapped(lines)
    width = max((len(s.strip()) for s in lines), default=0)
    units: list[Unit] = []
    blank = False
    bullet_next = False
    kicker = False
    for raw in lines:
        expanded = raw.expandtabs(4)
        s = expanded.strip()  # str.strip() also takes the NBSPs a web page leaves
        if not s:
            blank = True
            continue
        indent = len(expanded) - len(expanded.lstrip(" "))
        prev = units[-1] if units else None
        if s.startswith("\ue000"):  # a block importer_web built (table, quote): Markdown, whole
            units.append(Unit("raw", s[1:].replace("\ue001", "\n"), blank))
        elif video := video_line(s):
            label = video[1]
            if label and is_video_label(label):
                removed.append(label)  # "Kijk hier de video:" says nothing once it is embedded
            elif label:
                units.append(Unit("text", label, blank))
            units.append(Unit("video", video[0], blank))
        elif is_furniture(s):
            removed.append(raw.rstrip())
            continue
        elif is_kicker(s):
            # "01", "02" above card headings: the number is layout, the heading is kept.
            removed.append(raw.rstrip())
            kicker = True
            continue
        elif path := image_path(s):
            units.append(Unit("image", path, blank))
        elif s in BULLET_ALONE:
            bullet_next = True  # the marker was pasted on a line of its own
            continue
        elif bullet_next or (text := bullet(s)) is not None:
            units.append(Unit("item", s if bullet_next else text, blank, indent=indent))
        elif num := numbered(s):
            units.append(Unit("item", num[1], blank, True, num[0], s, indent=indent))
        elif prev and prev.kind == "item" and not blank and indent >= prev.indent + 2:
            prev.more.append(s)
            continue
        elif prev and prev.kind == "text" and wrapped and not blank and _wraps(prev.text, width):
            prev.text += " " + s
            continue
        else:
            units.append(Unit("text", s, blank))
        units[-1].after_kicker = kicker
        kicker = bullet_next = blank = False
    return units


def _hard_wrapped(lines: list[str]) -> bool:
    """True for text wrapped at a fixed width (e-mail, PDF): most line ends fall mid-sentence."""
    stripped = [s.strip() for s in lines]
    width = max((len(s) for s in stripped), default=0)
    if not 40 <= width <= 100:
        return False
    pairs = [(a, b) for a, b in pairwise(stripped) if a and b]
    mid = sum(1 for a, _ in pairs if len(a) >= 0.6 * width and not ends_sentence(a))
    return mid >= 2 and mid * 3 >= len(pairs)


def _wraps(text: str, width: int) -> bool:
    last = text[-(width + 1) :]
    return len(last) >= 0.6 * width and not text.endswith(":")


def _colon_lists(units: list[Unit]) -> list[Unit]:
    """Short lines after "...zijn:" are list items, as in "Veelvoorkomende signalen zijn:"."""
    for i, u in enumerate(units):
        if u.kind != "text" or not u.text.endswith(":"):
            continue
        run: list[Unit] = []
        for v in units[i + 1 :]:
            if v.kind != "text" or v.blank_before or len(v.text) > ITEM_MAX:
                break
            if is_caps(v.text) or (run and starts_lower(v.text) != _lower(run)):
                break
            if is_question(v.text):
                break  # "Wat kun je doen?" is the next heading, not an item
            run.append(v)
        if len(run) >= 2:
            for v in run:
                v.kind = "item"
    return units


def _lower(run: list[Unit]) -> bool:
    return starts_lower(run[0].text)


def _merge_heading_lines(units: list[Unit]) -> list[Unit]:
    """Join a heading the page broke in two: "Stabilisatie" + "wervelkolom & bekken", and
    "De psoas major:" + "De kern van beweging en stabiliteit"."""
    out: list[Unit] = []
    for u in units:
        prev = out[-1] if out else None
        if prev and prev.kind == "text" and u.kind == "text" and _continues(prev.text, u.text):
            prev.text += " " + u.text
            prev.caps = prev.caps and is_caps(u.text)
            continue
        u.caps = u.kind == "text" and is_caps(u.text)
        out.append(u)
    return out


def _continues(first: str, second: str) -> bool:
    if is_titleish(first) and starts_lower(second):
        return len(second) <= 60 and not ends_sentence(second) and "?" not in second
    label = first.endswith(":") and len(first) <= 60 and is_titleish(first[:-1])
    same_case = is_caps(first) == is_caps(second)
    return label and same_case and (is_titleish(second) or is_caps(second))


def _drop_buttons(units: list[Unit], removed: list[str]) -> list[Unit]:
    """Remove button labels that are repeated or end a section (no body text follows)."""
    counts: dict[str, int] = {}
    for u in units:
        counts[key(u.text)] = counts.get(key(u.text), 0) + 1
    out: list[Unit] = []
    for i, u in enumerate(units):
        nxt = units[i + 1] if i + 1 < len(units) else None
        ends = nxt is None or (nxt.kind == "text" and _headingish(nxt))
        if u.kind == "text" and is_button(u.text) and (ends or counts[key(u.text)] > 1):
            removed.append(u.text)
        else:
            out.append(u)
    return out


def _headingish(u: Unit) -> bool:
    return u.caps or is_titleish(u.text)


def _find_headings(units: list[Unit]) -> None:
    for i, u in enumerate(units):
        nxt = units[i + 1] if i + 1 < len(units) else None
        if u.kind == "item" and u.ordered and not u.more and nxt and nxt.kind == "text":
            alone = i == 0 or units[i - 1].kind != "item"
            if alone and is_titleish(u.text):
                # "1. Langdurig zitten" over its own paragraphs: a numbered section heading.
                u.kind, u.text, u.numbered = "heading", u.marker_line, True
            continue
        if u.kind != "text" or nxt is None:
            continue
        # A question is a heading only above body text ("Wat is de psoas?" + its answer).
        body_follows = nxt.kind in ("text", "item", "raw")
        if body_follows if is_question(u.text) else _headingish(u):
            u.kind = "heading"


def _assign_levels(units: list[Unit]) -> None:
    """## for sections, ### for groups of short cards under a heading and numbered cards."""
    heads = [u for u in units if u.kind == "heading"]
    current: Unit | None = None
    for prev, u in pairwise([Unit("start", ""), *units]):
        if u.kind == "heading":
            current = u
        elif current is not None and not (u.kind == "item" and prev.kind == "item"):
            current.blocks += 1  # a whole list counts as one block

    def plain(u: Unit) -> bool:
        return not (u.caps or u.after_kicker or u.numbered)

    def card(k: int) -> bool:
        # A heading whose next heading is a numbered card is that card's parent, not a card.
        after = heads[k + 1] if k + 1 < len(heads) else None
        parent = after is not None and not plain(after) and not after.caps
        return plain(heads[k]) and heads[k].blocks == 1 and not parent

    pos = 0
    while pos < len(heads):
        end = pos
        while end < len(heads) and card(end):
            end += 1
        if end == pos:
            pos += 1
            continue
        parent = heads[pos - 1] if pos else None
        if parent is not None and (parent.blocks == 0 or end - pos >= 2):
            for u in heads[pos:end]:
                u.level = 3
        pos = end
    parent_level = 2
    for u in heads:
        if plain(u) or u.caps:
            parent_level = u.level
        else:
            u.level = min(parent_level + 1, 4)
