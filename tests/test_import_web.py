"""`toolkit import` of pages copied from the browser (WordPress, Wix, Squarespace in nl/en/de):
the site's chrome goes and is reported, the byline becomes front matter, tab-separated rows a
table, steps a numbered list; nothing of the article is ever dropped."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from conftest import golden
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.sources.importer import ImportResult, import_bytes
from toolkit.sources.parse import parse_article

DATA = Path(__file__).parent / "data" / "import"
PAGES = ("wordpress-nl", "wix-en", "squarespace-de")


def imp(text: str, **kw: str) -> ImportResult:
    return import_bytes(text.encode("utf-8"), source_name="page.txt", **kw)


def split(result: ImportResult) -> tuple[dict[str, object], str]:
    _, front, body = result.markdown.split("---\n", 2)
    return yaml.safe_load(front), body.lstrip("\n")


@pytest.mark.parametrize("name", PAGES)
def test_page_matches_golden(name: str) -> None:
    result = imp((DATA / f"{name}.txt").read_text(encoding="utf-8"))
    golden(f"import-web/{name}.md", result.markdown)
    parse_article(result.markdown, path="s.md", slug="s", default_lang="nl")  # a source update reads


@pytest.mark.parametrize(
    ("name", "title", "author", "lang"),
    [
        ("wordpress-nl", "Zo adem je je psoas los", "Marieke", "nl"),
        ("wix-en", "Three breaths for a calmer evening", "Marieke de Vries", "en"),
        ("squarespace-de", "Ruhig atmen bei Rückenschmerzen", "Marieke Schneider", "de"),
    ],
)
def test_title_byline_table_steps_and_quote(name: str, title: str, author: str, lang: str) -> None:
    result = imp((DATA / f"{name}.txt").read_text(encoding="utf-8"))
    meta, body = split(result)
    assert meta["title"] == title  # the article's own heading, not the skip link or the site name
    assert meta["author"] == author and meta["date"] == dt.date(2025, 3, 12)
    assert meta["lang"] == lang
    article = parse_article(result.markdown, path="s.md", slug="s", default_lang="nl")
    kinds = [b.kind for b in article.blocks]
    assert "table" in kinds and "quote" in kinds
    steps = next(b for b in article.blocks if b.kind == "list")
    assert steps.ordered and steps.start == 1 and len(steps.items) == 3
    table = next(b for b in article.blocks if b.kind == "table")
    assert len(table.header) == 3 and len(table.rows) >= 2
    for chrome in ("Facebook", "©", "ookie", "Home", "nieuwsbrief", "newsletter", "Newsletter"):
        assert chrome not in body, chrome
    removed = result.report.removed_lines
    assert any("©" in line for line in removed) and any("ookies" in line for line in removed)
    assert any(line in ("Ga naar de inhoud", "top of page", "Zum Inhalt springen") for line in removed)


def test_every_removal_is_reported_and_nothing_else_is_lost() -> None:
    text = (DATA / "wordpress-nl.txt").read_text(encoding="utf-8")
    result = imp(text)
    meta, body = split(result)
    kept = set(result.report.removed_lines)
    for line in text.split("\n"):
        s = line.strip()
        if not s or line in kept:
            continue
        words = re.findall(r"\w+", s)
        words = [w for w in words if w not in ("Stap",)]  # "Stap 1:" is now the list's number
        assert all(w in body or w in str(meta["title"]) for w in words), line


# --- property: random chrome around an article -------------------------------------------------

SENTENCES = (
    "De psoas is een diepe spier die je romp met je benen verbindt.",
    "Bij stress trekt hij zich samen, vaak zonder dat je het merkt.",
    "Met een paar rustige ademhalingen per dag geef je hem de kans om los te laten.",
    "Sleeping badly is often a matter of breathing, and that can change.",
    "Repeat the cycle five times and notice how your belly rises and falls.",
    "Rückenschmerzen haben oft mit dem Psoas zu tun, einem tiefen Muskel.",
    "Ruhiges Atmen hilft ihm, sich zu lösen, auch wenn es anfangs ungewohnt ist.",
    "Merk je na drie weken nog weinig verschil, neem dan contact op.",
)
HEADER = (
    "Ga naar de inhoud", "Skip to content", "Zum Inhalt springen",
    # a site's name is told from a title by the menu under it
    "Praktijk Adem & Ruimte\nHome\nOver mij\nBehandelingen\nBlog\nContact", "Home\nAbout\nClasses\nBlog\nContact",
    "Startseite\nÜber mich\nAngebote\nKontakt", "Home » Blog » Adem", "top of page",
    "Geplaatst op 12 maart 2025 door Marieke", "Posted on March 12, 2025 by Anna",
    "Veröffentlicht am 12. März 2025 von Marieke Schneider", "3 min read", "Warenkorb 0",
)
FOOTER = (
    "Lees verder »", "Read more", "Deel dit:\nFacebook\nWhatsApp", "Share\nFacebook\nLinkedIn",
    "Gerelateerd\nWat is TRE?\n18 februari 2025", "Related posts\nWhy breathing helps",
    "Geef een reactie\nReactie annuleren\nNaam *\nE-mail *\nWebsite",
    "Leave a Reply\nCancel reply\nName *\nEmail *",
    "Schreibe einen Kommentar\nKommentar abschicken",
    "Schrijf je in voor de nieuwsbrief\nAanmelden", "Newsletter abonnieren\nAbonnieren",
    "© 2025 Praktijk Adem & Ruimte | KvK 12345678 | Privacyverklaring",
    "Impressum\nDatenschutzerklärung", "Deze website gebruikt cookies. Akkoord?\nAkkoord",
    "This website uses cookies.\nAccept", "Proudly powered by WordPress", "12 views\n0 comments",
    "Neuerer Beitrag\nWarum der Psoas Schlaf braucht",
)  # fmt: skip

_page = st.tuples(
    st.lists(st.sampled_from(HEADER), max_size=5),
    st.lists(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3), min_size=1, max_size=5),
    st.lists(st.sampled_from(FOOTER), max_size=8),
    st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(_page)
def test_every_article_sentence_survives_random_chrome(page) -> None:
    header, paragraphs, footer, blank_lines = page
    gap = "\n\n" if blank_lines else "\n"
    article = ["Zo adem je je psoas los", *(" ".join(p) for p in paragraphs)]
    text = gap.join([*header, *article, *footer]) + "\n"
    result = imp(text)
    meta, body = split(result)
    assert meta["title"] == "Zo adem je je psoas los"
    flat = " ".join(body.split())
    for paragraph in paragraphs:
        for sentence in paragraph:
            assert sentence in flat, (sentence, text)
