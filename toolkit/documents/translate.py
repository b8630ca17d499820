"""Article + catalog -> translated article, with what each unit used."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from toolkit.catalogs.po import Catalog, Entry, entry_state
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
    # (source line, output text) -> (catalog, line of its entry, msgid): where a problem that only
    # the translation has is reported
    origins: Mapping[tuple[int, str], tuple[str, int, str]] = field(
        default_factory=dict, compare=False
    )

    @property
    def draft(self) -> bool:
        return any(r.used is not Used.TRANSLATION for r in self.results)

    @property
    def fell_back(self) -> tuple[UnitResult, ...]:
        return tuple(r for r in self.results if r.used is not Used.TRANSLATION)

    def fallback_lang(self, line: int, text: str) -> str | None:
        return self.source_lang if (line, text) in self.fallbacks else None

    def origin(self, line: int, text: str) -> tuple[str, int, str] | None:
        return self.origins.get((line, text))


def translate(
    article: Article, catalog: Catalog | None, lang: str, *, use_fuzzy: bool = False
) -> Translated:
    """The article in `lang`; the source language itself is the identity and never falls back."""
    if lang == article.lang:
        return Translated(article, lang, article.lang, (), frozenset())
    results: list[UnitResult] = []
    fallbacks: set[tuple[int, str]] = set()
    origins: dict[tuple[int, str], tuple[str, int, str]] = {}

    def _translation(line: int, entry: Entry) -> str:
        if catalog is not None and catalog.path and entry.po_line:
            origins[(line, entry.msgstr)] = (catalog.path, entry.po_line, entry.msgid)
        return entry.msgstr

    def apply(slot: TextSlot) -> str:
        entry = catalog.lookup(slot.context, slot.text) if catalog else None
        state = entry_state(entry)
        if state == "translated" and entry is not None:
            results.append(UnitResult(slot.text, slot.context, slot.line, Used.TRANSLATION, False))
            return _translation(slot.line, entry)
        fuzzy = state == "fuzzy"
        if fuzzy and use_fuzzy and entry is not None:
            results.append(UnitResult(slot.text, slot.context, slot.line, Used.OUTDATED, True))
            return _translation(slot.line, entry)
        results.append(UnitResult(slot.text, slot.context, slot.line, Used.SOURCE, fuzzy))
        fallbacks.add((slot.line, slot.text))
        return slot.text

    translated = map_texts(article, apply)
    return Translated(
        translated, lang, article.lang, tuple(results), frozenset(fallbacks), origins
    )
