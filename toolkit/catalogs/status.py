"""How far each language is: units and words translated, fuzzy and untranslated per catalog."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from toolkit.catalogs.files import Domain, po_path, read_catalog, target_languages
from toolkit.catalogs.po import Catalog, entry_state
from toolkit.catalogs.units import word_count
from toolkit.config import Config


@dataclass(frozen=True)
class Progress:
    domain: str
    lang: str
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    words_translated: int = 0
    words_fuzzy: int = 0
    words_untranslated: int = 0

    @property
    def units(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def words(self) -> int:
        return self.words_translated + self.words_fuzzy + self.words_untranslated

    @property
    def percent(self) -> float:
        return 100.0 * self.words_translated / self.words if self.words else 100.0

    def __add__(self, other: Progress) -> Progress:
        return Progress(
            self.domain,
            self.lang,
            *(getattr(self, f) + getattr(other, f) for f in _COUNTS),
        )

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "units": self.units, "words": self.words, "percent": round(self.percent, 1)}


_COUNTS = (
    "translated",
    "fuzzy",
    "untranslated",
    "words_translated",
    "words_fuzzy",
    "words_untranslated",
)


def domain_progress(domain: Domain, lang: str, catalog: Catalog | None) -> Progress:
    """Measured against the current source, so a stale catalog shows its new work as untranslated."""
    counts = dict.fromkeys(_COUNTS, 0)
    for unit in domain.template.entries:
        state = entry_state(catalog.lookup(unit.msgctxt, unit.msgid) if catalog else None)
        counts[state] += 1
        counts[f"words_{state}"] += word_count(unit.msgid)
    return Progress(domain.name, lang, **counts)


def project_progress(
    config: Config, domains: Sequence[Domain], langs: Sequence[str] = ()
) -> list[Progress]:
    rows: list[Progress] = []
    for domain in domains:
        for lang in target_languages(config, domain.source_lang, langs):
            catalog = read_catalog(config, po_path(config, lang, domain.name))
            rows.append(domain_progress(domain, lang, catalog))
    return rows


def totals(rows: Sequence[Progress]) -> list[Progress]:
    by_lang: dict[str, Progress] = {}
    for row in rows:
        base = by_lang.get(row.lang, Progress("total", row.lang))
        by_lang[row.lang] = base + row
    return list(by_lang.values())
