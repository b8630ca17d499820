"""extract and update: read everything, compute every new file in memory, then write them all.

Nothing is written until every source and catalog has been read without error, so bad input
leaves every file as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.catalog import catalog_text
from toolkit.config import Config
from toolkit.fsutil import exclusive_lock, write_many
from toolkit.merge import MergeStats, merge
from toolkit.project import (
    Domain,
    article_domains,
    load_articles,
    po_path,
    pot_path,
    read_catalog,
    target_languages,
)


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
        from toolkit.layout_domain import layout_domain

        layouts = layout_domain(config)
        if layouts is not None:
            domains.append(layouts)
    return domains


def plan_templates(config: Config, domains: Sequence[Domain]) -> list[Planned]:
    return [Planned(pot_path(config, d.name), catalog_text(d.template)) for d in domains]


def plan_merges(
    config: Config, domains: Sequence[Domain], langs: Sequence[str] = ()
) -> tuple[list[Planned], list[MergeResult]]:
    plans: list[Planned] = []
    results: list[MergeResult] = []
    for domain in domains:
        for lang in target_languages(config, domain.source_lang, langs):
            path = po_path(config, lang, domain.name)
            old = read_catalog(config, path)
            new, stats = merge(
                domain.template,
                old,
                lang=lang,
                project=f"{config.project_name} {domain.name}",
                threshold=config.fuzzy_threshold,
            )
            plans.append(Planned(path, catalog_text(new)))
            results.append(MergeResult(domain.name, lang, config.rel(path), old is None, stats))
    return plans, results


def write_all(config: Config, plans: Sequence[Planned]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    changed = set(write_many([(p.path, p.text) for p in plans]))
    written = tuple(config.rel(p.path) for p in plans if p.path in changed)
    unchanged = tuple(config.rel(p.path) for p in plans if p.path not in changed)
    return written, unchanged


def run_extract(config: Config, slugs: Sequence[str] = ()) -> UpdateReport:
    domains = all_domains(config, slugs)
    plans = plan_templates(config, domains)
    with exclusive_lock(config.locales_dir, "update"):
        written, unchanged = write_all(config, plans)
    return UpdateReport(written, unchanged, ())


def run_update(
    config: Config, slugs: Sequence[str] = (), langs: Sequence[str] = ()
) -> UpdateReport:
    domains = all_domains(config, slugs)
    with exclusive_lock(config.locales_dir, "update"):
        # Catalogs are read under the lock, so a second run cannot merge into a stale copy.
        merges, results = plan_merges(config, domains, langs)
        written, unchanged = write_all(config, [*plan_templates(config, domains), *merges])
    return UpdateReport(written, unchanged, tuple(results))
