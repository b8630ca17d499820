"""Helpers for the rendering tests: a sample project, translated articles, PDF text per page."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from conftest import PYPROJECT as BASE_PYPROJECT
from conftest import REPO
from pypdf import PdfReader

from toolkit.config import Config, load_config
from toolkit.sources.files import read_article
from toolkit.sources.model import Article, TextSlot, map_texts

MM = 72 / 25.4
BUILD_DATE = dt.date(2024, 5, 14)

PYPROJECT = (
    BASE_PYPROJECT
    + """
[tool.toolkit.brand]
practice = "Praktijk Adem & Ruimte"
contact = "Hilversum · info@adem.example · 06 12 34 56 78"
website = "https://adem.example"
"""
)

SOURCE = """\
---
title: Ontspannen met TRE
summary: Wat trillen met je lichaam doet, en hoe je het thuis veilig oefent.
lang: nl
date: 2024-03-02
---

Trillen is een natuurlijke reactie van het lichaam op spanning. Dieren doen het na elk gevaar.

## Wat is TRE?

TRE staat voor *Tension and Trauma Releasing Exercises*. De oefeningen zijn ontwikkeld door David Berceli.

![Een oefening op de mat](/img/mat.png)

- Je lichaam ontspant diep
- Je slaapt beter
- Spanning in de **psoas** laat los

## Hoe oefen je thuis?

| Oefening | Duur |
| --- | ---: |
| Voeten | 2 minuten |
| Muur | 3 minuten |

> Luister altijd naar je lichaam. Stop als het te veel wordt.

#### De basisoefening:
<iframe src="https://www.youtube.com/embed/IXwZSYx6bFc"></iframe>

## Wanneer beter niet?

Bij zwangerschap of een recente operatie overleg je eerst met je arts. Lees ook [de veiligheidsregels](/veilig.html).

![Een plaatje dat ontbreekt](/img/bestaat-niet.png)

## Meer weten?

Kom naar een workshop. Er is altijd thee.
"""

GERMAN = {
    "Ontspannen met TRE": "Entspannen mit TRE",
    "Wat trillen met je lichaam doet, en hoe je het thuis veilig oefent.": (
        "Was das Zittern mit deinem Körper macht, und wie du es zu Hause sicher übst."
    ),
    "Wat is TRE?": "Was ist TRE?",
    "Hoe oefen je thuis?": "Wie übst du zu Hause?",
    "Wanneer beter niet?": "Wann besser nicht?",
    "Meer weten?": "Mehr wissen?",
    "Je lichaam ontspant diep": "Dein Körper entspannt sich tief",
    "Je slaapt beter": "Du schläfst besser",
    "Kom naar een workshop. Er is altijd thee.": "Komm zu einem Workshop. Es gibt immer Tee.",
}

LAYOUT_DE = {
    "Page %(page)s of %(pages)s": "Seite %(page)s von %(pages)s",
    "Notes": "Notizen",
    "Contents": "Inhalt",
    "Draft": "Entwurf",
}


@dataclass(frozen=True)
class FakeTranslated:
    """The shape of toolkit.documents.translate.Translated, built from a dictionary of translations."""

    article: Article
    lang: str
    source_lang: str
    fallbacks: frozenset[tuple[int, str]]

    @property
    def draft(self) -> bool:
        return bool(self.fallbacks)

    def fallback_lang(self, line: int, text: str) -> str | None:
        return self.source_lang if (line, text) in self.fallbacks else None

    def origin(self, line: int, text: str) -> tuple[str, int, str] | None:
        return None  # translations from a dictionary have no catalog line


def translated(
    article: Article, lang: str, table: Mapping[str, str] | None = None
) -> FakeTranslated:
    """`article` in `lang`: texts found in `table` are translated, all others fall back."""
    if lang == article.lang:
        return FakeTranslated(article, lang, article.lang, frozenset())
    fallbacks: set[tuple[int, str]] = set()

    def fn(slot: TextSlot) -> str:
        if table is not None and slot.text in table:
            return table[slot.text]
        fallbacks.add((slot.line, slot.text))
        return slot.text

    return FakeTranslated(map_texts(article, fn), lang, article.lang, frozenset(fallbacks))


def make_project(root: Path, source: str = SOURCE, slug: str = "tre") -> tuple[Config, Article]:
    from PIL import Image

    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    shutil.copytree(REPO / "layouts", root / "layouts")
    (root / "sources" / "img").mkdir(parents=True)
    Image.new("RGB", (60, 40), (180, 120, 90)).save(root / "sources" / "img" / "mat.png")
    (root / "sources" / f"{slug}.md").write_text(source, encoding="utf-8")
    config = load_config(root)
    article = read_article(root / "sources" / f"{slug}.md", root=root, default_lang="nl")
    return config, article


def pdf_pages_text(pdf: bytes) -> list[str]:
    """Text of each page as pdftotext reads it (poppler), joined lines, normalised spaces."""
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    return [
        " ".join(page.split()) for page in out.split("\f")[: len(PdfReader(BytesIO(pdf)).pages)]
    ]


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(BytesIO(pdf))
