"""A web page copied from the browser (WordPress, Wix, Squarespace; Dutch, English, German): what
is the site's and not the article's. Runs before the line heuristics of `importer_rules`: removes
site chrome (every removed line is reported), turns the byline into front matter, and rewrites
what the page means but the text loses: tab-separated rows (a table), "Stap 1:" (a numbered step),
a quotation on a line of its own (a block quote).

Blocks it builds itself (tables, quotes) travel to `importer_rules` as one line starting with
RAW, their lines joined with RAW_LINE: the line heuristics leave them whole.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from toolkit.sources.importer_rules import escape_inline, key

RAW = "\ue000"
RAW_LINE = "\ue001"

# Whole lines that are the site's: skip links, post navigation, counters, form labels. Keys as
# importer_rules.key() makes them (case, arrows and end punctuation do not matter).
_CHROME_LINES = frozenset(
    {
        "ga naar de inhoud", "spring naar de inhoud", "naar inhoud springen", "direct naar de inhoud",
        "skip to content", "skip to main content", "skip to navigation", "zum inhalt springen",
        "direkt zum inhalt", "zur navigation springen",
        "lees verder", "lees meer", "verder lezen", "read more", "continue reading", "weiterlesen",
        "mehr lesen", "vorig bericht", "volgend bericht", "vorige post", "volgende post",
        "previous post", "next post", "newer post", "older post", "nieuwer bericht", "ouder bericht",
        "vorheriger beitrag", "nächster beitrag", "neuerer beitrag", "älterer beitrag",
        "alle berichten", "all posts", "alle beiträge", "recente posts", "recent posts",
        "neueste beiträge", "alles weergeven", "see all", "alle ansehen", "featured", "uitgelicht",
        "inloggen", "log in", "log in / sign up", "sign in", "my account", "mijn account",
        "mein konto", "zoeken", "search", "suche", "delen", "deel dit", "deel dit artikel", "share",
        "share this", "teilen", "diesen beitrag teilen", "facebook", "twitter", "x", "linkedin",
        "whatsapp", "pinterest", "instagram", "e-mail", "email", "print", "afdrukken", "drucken",
        "vind ik leuk", "like this", "like", "laden", "loading", "wird geladen", "gefällt mir",
        "naam", "name", "e-mailadres", "email address", "e-mail-adresse", "website", "webseite",
        "reactie", "comment", "kommentar", "reactie plaatsen", "post comment", "kommentar abschicken",
        "reactie annuleren", "cancel reply", "antworten abbrechen", "beantwoorden", "reply",
        "antworten", "geef een reactie", "laat een reactie achter", "leave a reply",
        "leave a comment", "kommentar verfassen", "schreibe einen kommentar", "hinterlasse einen kommentar",
        "abonneren", "inschrijven", "subscribe", "abonnieren", "aanmelden",
        "privacy", "privacyverklaring", "privacybeleid", "privacy policy", "cookiebeleid",
        "cookie policy", "algemene voorwaarden", "terms", "terms of service", "disclaimer",
        "impressum", "datenschutz", "datenschutzerklärung", "agb", "sitemap",
        "post niet gemarkeerd als favoriet", "post not marked as liked",
        "winkelwagen", "cart", "warenkorb", "je e-mailadres", "jouw e-mailadres", "your email",
        "your email address", "deine e-mail-adresse", "ihre e-mail-adresse", "voornaam",
        "first name", "vorname", "x (twitter)", "link", "copy link", "link kopiëren",
        "link kopieren", "email*", "e-mail*",
    }
)  # fmt: skip

def _patterns(*texts: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(t, re.I) for t in texts)


# Lines that are the site's even when they read as a sentence: footers, form notices, banners.
_ALWAYS = _patterns(
    r"^(?:©|\(c\)|copyright\b)",
    r"\b(?:alle rechten voorbehouden|all rights reserved|alle rechte vorbehalten)\b",
    r"^(?:kvk|kvk-nummer|kamer van koophandel|btw(?:-nummer|-id)?|handelsregister|ust-idnr|coc)\b",
    r"\b(?:powered by|proudly powered by|aangedreven door|gemaakt met|created with|made with|erstellt mit)\s+(?:wordpress|wix|squarespace|jimdo)",
    r"\bmit (?:wordpress|wix|squarespace|jimdo)\b.{0,20}erstellt",
    r"^(?:je|uw) e-?mailadres wordt niet gepubliceerd",
    r"^your email address will not be published",
    r"^deine e-mail-adresse wird nicht veröffentlicht",
    r"^(?:mijn naam, e-?mail en website bewaren|save my name, email, and website|meinen namen, meine e-mail-adresse)",
    r"^(?:vereiste velden zijn gemarkeerd|required fields are marked|erforderliche felder sind)",
    r"\b(?:website|site|webseite|we|wij|wir)\b.{0,80}\bcookies?\b",
)
# Lines that are the site's when short: a sentence of the article that mentions them stays.
_SHORT = _patterns(
    r"^(?:thema|theme|design)\s*:?.{0,40}\b(?:door|by|von)\b.{0,40}$",
    r"^(?:categorie(?:ën)?|category|categories|kategorie(?:n)?|tags?|schlagwörter|geplaatst in|posted in|veröffentlicht in|filed under|gearchiveerd onder)\s*:?\s.{0,120}$",
    r"^\d+\s*(?:min\.?|minuten?|minutes?)\s*(?:lezen|leestijd|read|lesezeit)$",
    r"^\d+\s*(?:weergaven|views|aufrufe|reacties|comments|kommentare|likes?)$",
    r"^(?:winkelwagen|cart|warenkorb)\s*\(?\d+\)?$",
    r"\bcookies?\b",
    r"\b(?:nieuwsbrief|newsletter)\b",
    r"^(?:home|start|startseite|startpagina)\s*[»›>/|]",
    r"^(?:bijgewerkt|updated|aktualisiert)\s*:",
)
# Headings of a block the site adds after the article: everything up to the next real text goes.
_TRAILER_HEADS = frozenset(
    {
        "gerelateerd", "gerelateerde berichten", "gerelateerde artikelen", "lees ook",
        "misschien ook interessant", "related", "related posts", "you may also like",
        "you might also like", "ähnliche beiträge", "das könnte dich auch interessieren",
        "das könnte sie auch interessieren", "recente berichten", "recent posts", "neueste beiträge",
        "reacties", "comments", "kommentare",
    }
)  # fmt: skip
# Words of site menus: a run of short lines holding some of these is a menu, not the article.
_MENU_WORDS = frozenset(
    {
        "home", "start", "startseite", "over", "over mij", "over ons", "about", "about me",
        "about us", "contact", "kontakt", "blog", "agenda", "tarieven", "prijzen", "behandelingen",
        "aanbod", "diensten", "services", "workshops", "praktijk", "preise", "angebot",
        "leistungen", "über mich", "über uns", "shop", "winkel", "faq", "nieuws", "news",
        "aktuelles", "massage", "yoga", "coaching", "cursussen", "kurse", "courses",
    }
)  # fmt: skip

_MONTHS = {
    name: i + 1
    for names in (
        "januari februari maart april mei juni juli augustus september oktober november december",
        "january february march april may june july august september october november december",
        "januar februar märz april mai juni juli august september oktober november dezember",
        "jan feb mrt apr mei jun jul aug sep okt nov dec",
        "jan feb mar apr may jun jul aug sep oct nov dec",
        "jan feb mär apr mai jun jul aug sep okt nov dez",
    )
    for i, name in enumerate(names.split())
}
_MONTH = r"([^\W\d_]{3,9})\.?"
_DATE_FORMS = (
    re.compile(r"(\d{1,2})\.?\s+" + _MONTH + r"\s+(\d{4})"),  # 12 maart 2025, 12. März 2025
    re.compile(_MONTH + r"\s+(\d{1,2}),?\s+(\d{4})"),  # March 12, 2025
    re.compile(r"(\d{4})-(\d{2})-(\d{2})"),
    re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})"),  # 12-03-2025, 12.03.2025
)
_NAME = r"([A-ZÀ-Þ][\w'’.-]+(?:\s+(?:van|de|der|den|von|zu|ter|ten|la|le|[A-ZÀ-Þ][\w'’.-]+)){0,4})"
_BYLINES = (
    re.compile(
        r"^(?:geplaatst|gepubliceerd|posted|published|veröffentlicht|geschrieben)\s+(?:op|on|am)\s+(.+?)\s+(?:door|by|von)\s+"
        + _NAME + r"\s*$",
        re.I,
    ),
    # case matters here: the name is capitalised ("door Marieke", not "door kanteling")
    re.compile(
        r"^(?i:door|by|von|geschreven door|written by|geschrieben von)\s+" + _NAME + r"\s*[|·•,–-]?\s*(.*)$"
    ),
)
# "Previous post" and the title of that other post on the next line.
_POST_NAV = frozenset(
    {
        "vorig bericht", "volgend bericht", "vorige post", "volgende post", "previous post",
        "next post", "newer post", "older post", "nieuwer bericht", "ouder bericht",
        "vorheriger beitrag", "nächster beitrag", "neuerer beitrag", "älterer beitrag",
    }
)  # fmt: skip
_FULL_NAME = re.compile(_NAME + "$")
_STEP = re.compile(r"^(?:stap|step|schritt)\s+(\d{1,2})\s*[:.)–-]\s*(\S.*)$", re.I)
_QUOTED = re.compile(r"^([\"“„«‘'])(.{20,}?)([\"”“»’'])$")
_ATTRIBUTION = re.compile(r"^[—–-]\s*\S.{0,60}$")


@dataclass
class WebPage:
    lines: list[str]
    removed: list[str] = field(default_factory=list)
    meta: dict[str, object] = field(default_factory=dict)
    converted: list[str] = field(default_factory=list)


def parse_date(text: str) -> dt.date | None:
    for n, form in enumerate(_DATE_FORMS):
        m = form.search(text)
        if m is None:
            continue
        try:
            if n == 0:
                month = _MONTHS.get(m.group(2).casefold())
                return dt.date(int(m.group(3)), month, int(m.group(1))) if month else None
            if n == 1:
                month = _MONTHS.get(m.group(1).casefold())
                return dt.date(int(m.group(3)), month, int(m.group(2))) if month else None
            if n == 2:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    return None


def is_chrome(text: str) -> bool:
    k = key(text)
    if k in _CHROME_LINES:
        return True
    s = text.strip()
    if len(s) > 300:
        return False
    return any(p.search(s) for p in _ALWAYS) or (
        not _is_sentence(s) and any(p.search(s) for p in _SHORT)
    )


def _is_sentence(text: str) -> bool:
    s = text.strip()
    return len(s) > 60 and s.rstrip("\"'”’)")[-1:] in ".!?" and len(s.split()) >= 8


def _menu_run(lines: list[str], start: int) -> int:
    """The end of a run of menu lines starting at `start` (== start when there is none)."""
    end = start
    hits = 0
    while end < len(lines):
        s = lines[end].strip()
        if not s:
            end += 1
            continue
        k = key(s)
        if len(s) > 30 or len(k.split()) > 3 or s[-1:] in ".?!:" or _date_only(s):
            break
        if _date_only(_next_text(lines, end)):
            break  # a name over a date: the byline (Wix), not a menu item
        hits += k in _MENU_WORDS
        end += 1
    # at least three lines, two of them menu words
    count = sum(1 for s in lines[start:end] if s.strip())
    return end if count >= 3 and hits >= 2 else start


def _date_only(text: str) -> bool:
    s = text.strip()
    return 6 <= len(s) <= 24 and parse_date(s) is not None


def _next_text(lines: list[str], i: int) -> str:
    return next((x.strip() for x in lines[i + 1 :] if x.strip()), "")


def clean_page(lines: list[str]) -> WebPage:
    page = WebPage([])
    n = len(lines)
    i = 0
    body_seen = False
    steps = 0
    while i < n:
        raw = lines[i]
        s = raw.strip().replace("\u00a0", " ").strip()
        if not s:
            page.lines.append(raw)
            i += 1
            continue
        if not body_seen and (end := _menu_run(lines, i)) > i:
            # A menu at the top; the site's name and tagline above it are the site's too.
            page.removed += [x.rstrip() for x in lines[:i] if x.strip() and x not in page.removed]
            page.lines = [ln for ln in page.lines if not ln.strip()]
            page.removed += [x.rstrip() for x in lines[i:end] if x.strip()]
            i = end
            continue
        if _byline(s, page):
            page.removed.append(raw.rstrip())
            i += 1
            continue
        if not body_seen and _FULL_NAME.match(s) and _date_only(_next_text(lines, i)):
            # Wix: the author's name on one line, the date on the next
            page.meta.setdefault("author", s)
            page.converted.append("byline made author and date")
            page.removed.append(raw.rstrip())
            i += 1
            continue
        if _date_only(s) and not body_seen:
            day = parse_date(s)
            if "date" not in page.meta and day is not None:
                page.meta["date"] = day
            page.removed.append(raw.rstrip())
            i += 1
            continue
        if key(s) in _TRAILER_HEADS and body_seen:
            # related posts, comments: up to the next sentence of real text
            j = i + 1
            while j < n and not _is_sentence(lines[j]):
                j += 1
            page.removed += [x.rstrip() for x in lines[i:j] if x.strip()]
            i = j
            continue
        if key(s) in _POST_NAV:
            page.removed.append(raw.rstrip())
            nxt = _next_text(lines, i)
            if nxt and not _is_sentence(nxt):
                j = next(k for k in range(i + 1, n) if lines[k].strip())
                page.removed.append(lines[j].rstrip())
                i = j
            i += 1
            continue
        if is_chrome(s):
            page.removed.append(raw.rstrip())
            i += 1
            continue
        if "\t" in raw and (j := _table_end(lines, i)) > i + 1:
            page.lines.append(_table(lines[i:j]))
            page.converted.append(f"tab-separated rows made a table ({j - i} rows)")
            i = j
            continue
        if m := _STEP.match(s):
            page.lines.append(f"{m.group(1)}. {m.group(2)}")
            steps += 1
            i += 1
            continue
        if (m := _QUOTED.match(s)) and not _QUOTED.match(lines[i - 1].strip() if i else ""):
            quote = "> " + escape_inline(m.group(2))
            nxt = lines[i + 1].strip() if i + 1 < n else ""
            if _ATTRIBUTION.match(nxt):
                quote += RAW_LINE + ">" + RAW_LINE + "> " + escape_inline(nxt)
                i += 1
            page.lines.append(RAW + quote)
            i += 1
            continue
        body_seen = body_seen or _is_sentence(s)
        page.lines.append(raw)
        i += 1
    if steps:
        page.converted.append(f"{steps} step(s) ('Stap 1:', 'Step 1:') made a numbered list")
    return page


def _byline(text: str, page: WebPage) -> bool:
    """"Geplaatst op 12 maart 2025 door Marieke": author and date go to the front matter."""
    if len(text) > 120 or text[-1] in ".!?:;":
        return False
    first, second = _BYLINES
    if m := first.match(text):
        date, author = parse_date(m.group(1)), m.group(2)
    elif (m := second.match(text)) and (not m.group(2) or parse_date(m.group(2))):
        author, date = m.group(1), parse_date(m.group(2)) if m.group(2) else None
    else:
        return False
    if "author" not in page.meta:  # the same byline again (above and below the post): once
        page.meta["author"] = author.strip()
        page.converted.append("byline made author" + (" and date" if date else ""))
    if date is not None:
        page.meta.setdefault("date", date)
    return True


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip("\n").split("\t")]


def _table_end(lines: list[str], start: int) -> int:
    width = len(_cells(lines[start]))
    end = start
    while end < len(lines) and "\t" in lines[end] and len(_cells(lines[end])) == width:
        end += 1
    return end


def _table(rows: list[str]) -> str:
    def row(line: str) -> str:
        cells = (escape_inline(c).replace("|", "\\|") for c in _cells(line))
        return "| " + " | ".join(cells) + " |"

    header = _cells(rows[0])
    out = [row(rows[0]), "| " + " | ".join("---" for _ in header) + " |"]
    out += [row(r) for r in rows[1:]]
    return RAW + RAW_LINE.join(out)
