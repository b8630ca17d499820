"""extract and update: read everything, compute every new file in memory, then write them all.

Nothing is written until every source and catalog has been read without error, so bad input
leaves every file as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.catalogs.files import (
    Domain,
    article_domains,
    po_path,
    pot_path,
    read_catalog,
    target_languages,
)
from toolkit.catalogs.glossary import GLOSSARY_FILE, read_glossary
from toolkit.catalogs.memory import Memory, MemoryUnit
from toolkit.catalogs.merge import MergeStats, merge
from toolkit.catalogs.po import Catalog, catalog_text
from toolkit.config import Config
from toolkit.fsutil import exclusive_lock, remove_stale_temps, write_many
from toolkit.sources.files import load_articles

MEMORY_FOLDER = "memory"  # locales/memory/*.tmx: memories imported from CAT tools


@dataclass(frozen=True)
class Planned:
    path: Path
    text: str


@dataclass(frozen=True)
class MergeResult:
    domain: str
    lang: str
    path: str
    created: bool
    stats: MergeStats


@dataclass(frozen=True)
class UpdateReport:
    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    merges: tuple[MergeResult, ...]


def all_domains(config: Config, slugs: Sequence[str] = ()) -> list[Domain]:
    domains = article_domains(load_articles(config, slugs), config)
    if not slugs:
        from toolkit.catalogs.layouts import layout_domain

        layouts = layout_domain(config, write_cache=True)
        if layouts is not None:
            domains.append(layouts)
    return domains


def plan_templates(config: Config, domains: Sequence[Domain]) -> list[Planned]:
    return [Planned(pot_path(config, d.name), catalog_text(d.template)) for d in domains]


def plan_merges(
    config: Config, domains: Sequence[Domain], langs: Sequence[str] = (), *, use_memory: bool = True
) -> tuple[list[Planned], list[MergeResult]]:
    glossary = read_glossary(config.locales_dir, f"{config.locales}/{GLOSSARY_FILE}")
    targets = {d.name: target_languages(config, d.source_lang, langs) for d in domains}
    # Every old catalog is read first: they are the memory for each other.
    old = {
        (d.name, lang): read_catalog(config, po_path(config, lang, d.name))
        for d in domains
        for lang in targets[d.name]
    }
    memories: dict[str, Memory] = {}
    plans: list[Planned] = []
    results: list[MergeResult] = []
    for domain in domains:
        for lang in targets[domain.name]:
            if use_memory and config.memory and lang not in memories:
                memories[lang] = project_memory(config, lang, old)
            path = po_path(config, lang, domain.name)
            new, stats = merge(
                domain.template,
                old[(domain.name, lang)],
                lang=lang,
                project=f"{config.project_name} {domain.name}",
                threshold=config.fuzzy_threshold,
                memory=memories.get(lang),
                hints=lambda text, lang=lang: glossary.hints(text, lang),
            )
            plans.append(Planned(path, catalog_text(new)))
            created = old[(domain.name, lang)] is None
            results.append(MergeResult(domain.name, lang, config.rel(path), created, stats))
    return plans, results


def project_memory(
    config: Config, lang: str, catalogs: dict[tuple[str, str], Catalog | None]
) -> Memory:
    """Translated (not fuzzy) entries of every catalog in `lang`, then imported TMX files."""
    units = [
        MemoryUnit(e.msgid, e.msgstr, catalog.path)
        for (_, clang), catalog in catalogs.items()
        if clang == lang and catalog is not None
        for e in catalog.active
        if e.translated and e.msgid_plural is None
    ]
    units += imported_memory(config, lang)
    return Memory(units, config.memory_threshold)


def imported_memory(config: Config, lang: str) -> list[MemoryUnit]:
    folder = config.locales_dir / MEMORY_FOLDER
    paths = sorted(folder.glob("*.tmx")) if folder.is_dir() else []
    if not paths:
        return []
    # Only here: the TMX reader's XML modules pull in urllib and email, which most runs never need.
    from toolkit.catalogs.tmx import read_tmx

    units: list[MemoryUnit] = []
    for path in paths:
        units += read_tmx(path.read_bytes(), config.rel(path), config.source_language, lang)
    return units


def write_all(config: Config, plans: Sequence[Planned]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    changed = set(write_many([(p.path, p.text) for p in plans]))
    written = tuple(config.rel(p.path) for p in plans if p.path in changed)
    unchanged = tuple(config.rel(p.path) for p in plans if p.path not in changed)
    return written, unchanged


def run_extract(config: Config, slugs: Sequence[str] = ()) -> UpdateReport:
    domains = all_domains(config, slugs)
    plans = plan_templates(config, domains)
    with exclusive_lock(config.locales_dir, "update"):
        remove_stale_temps(config.locales_dir)
        written, unchanged = write_all(config, plans)
    return UpdateReport(written, unchanged, ())


def run_update(
    config: Config,
    slugs: Sequence[str] = (),
    langs: Sequence[str] = (),
    *,
    use_memory: bool = True,
) -> UpdateReport:
    domains = all_domains(config, slugs)
    with exclusive_lock(config.locales_dir, "update"):
        # Catalogs are read under the lock, so a second run cannot merge into a stale copy.
        remove_stale_temps(config.locales_dir)
        merges, results = plan_merges(config, domains, langs, use_memory=use_memory)
        written, unchanged = write_all(config, [*plan_templates(config, domains), *merges])
    return UpdateReport(written, unchanged, tuple(results))
