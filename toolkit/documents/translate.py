"""Article + catalog -> translated article, with what each unit used."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from toolkit.catalogs.po import Catalog, entry_state
from toolkit.sources.model import Article, TextSlot, map_texts


class Used(StrEnum):
    TRANSLATION = "translation"
    OUTDATED = "outdated"  # a fuzzy translation, rendered because the user asked for it
    SOURCE = "source"  # fell back to the source text


@dataclass(frozen=True)
class UnitResult:
    msgid: str
    msgctxt: str | None
    line: int
    used: Used
    fuzzy: bool  # the catalog had only an outdated translation


@dataclass(frozen=True)
class Translated:
    article: Article
    lang: str
    source_lang: str
    results: tuple[UnitResult, ...]
    fallbacks: frozenset[tuple[int, str]]  # (source line, output text) rendered in source_lang

    @property
    def draft(self) -> bool:
        return any(r.used is not Used.TRANSLATION for r in self.results)

    @property
    def fell_back(self) -> tuple[UnitResult, ...]:
        return tuple(r for r in self.results if r.used is not Used.TRANSLATION)

    def fallback_lang(self, line: int, text: str) -> str | None:
        return self.source_lang if (line, text) in self.fallbacks else None


def translate(
    article: Article, catalog: Catalog | None, lang: str, *, use_fuzzy: bool = False
) -> Translated:
    """The article in `lang`; the source language itself is the identity and never falls back."""
    if lang == article.lang:
        return Translated(article, lang, article.lang, (), frozenset())
    results: list[UnitResult] = []
    fallbacks: set[tuple[int, str]] = set()

    def apply(slot: TextSlot) -> str:
        entry = catalog.lookup(slot.context, slot.text) if catalog else None
        state = entry_state(entry)
        if state == "translated" and entry is not None:
            results.append(UnitResult(slot.text, slot.context, slot.line, Used.TRANSLATION, False))
            return entry.msgstr
        fuzzy = state == "fuzzy"
        if fuzzy and use_fuzzy and entry is not None:
            results.append(UnitResult(slot.text, slot.context, slot.line, Used.OUTDATED, True))
            return entry.msgstr
        results.append(UnitResult(slot.text, slot.context, slot.line, Used.SOURCE, fuzzy))
        fallbacks.add((slot.line, slot.text))
        return slot.text

    translated = map_texts(article, apply)
    return Translated(translated, lang, article.lang, tuple(results), frozenset(fallbacks))
