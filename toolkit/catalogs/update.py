"""extract and update: read everything, stage every new file, then put them all in place.

Nothing is written until every source and catalog has been read without error, so bad input
leaves every file as it was. What did not change since the last run is neither parsed nor
written: templates.py and plan.py decide that from content hashes kept in the cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.catalogs.cache import CatalogCache
from toolkit.catalogs.digests import file_digests, refuse_outside
from toolkit.catalogs.files import Domain
from toolkit.catalogs.plan import MEMORY_FOLDER, MergeResult, Planned, plan_merges
from toolkit.catalogs.templates import Template, load_templates
from toolkit.config import Config
from toolkit.fsutil import Inside, Staging, exclusive_lock, remove_stale_temps

__all__ = [
    "MEMORY_FOLDER",
    "MergeResult",
    "Planned",
    "UpdateReport",
    "all_domains",
    "run_extract",
    "run_update",
]


@dataclass(frozen=True)
class UpdateReport:
    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    merges: tuple[MergeResult, ...]


def all_domains(config: Config, slugs: Sequence[str] = ()) -> list[Domain]:
    """Every article's domain (or the named ones'), and the layouts' for the whole project. The
    cache is read, not written: `status` and `check` change no file."""
    cache = CatalogCache(config.root, writable=False)
    return [t.domain() for t in load_templates(config, slugs, cache)]


def plan_templates(config: Config, templates: Sequence[Template], staging: Staging) -> list[Planned]:
    """Stage each template's .pot, unless the file holds its text already (known by their hashes).
    A template its parse worker staged, or found the file holding, is only checked to lead
    nowhere out of the project: the worker compared the file already."""
    left = [t for t in templates if t.staged is None]
    digests = dict(zip((t.pot for t in left), file_digests(config, [(t.pot, config.rel(t.pot)) for t in left]), strict=True))
    inside = Inside(config.root)
    plans = []
    for template in templates:
        if template.staged is None:
            changed = digests[template.pot] != template.digest and staging.put(template.pot, template.text)
        else:  # `staging` owns what the worker staged
            refuse_outside(config, template.pot, inside)
            changed = template.staged
        template.__dict__.pop("text", None)  # staged: the merges need the catalog, not the text
        plans.append(Planned(template.pot, changed))
    return plans


def _report(config: Config, plans: Sequence[Planned], staging: Staging) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Put every staged file in place; which files were written and which were left as they were."""
    staging.commit()
    written = tuple(config.rel(p.path) for p in plans if p.changed)
    unchanged = tuple(config.rel(p.path) for p in plans if not p.changed)
    return written, unchanged


def _finish(config: Config, cache: CatalogCache, templates: Sequence[Template], slugs: Sequence[str]) -> None:
    if not slugs:  # a run over the whole project knows which sources and domains are left
        cache.retain(sources=[t.key for t in templates], domains=[t.name for t in templates])
    cache.save(prune=not slugs)


def run_extract(config: Config, slugs: Sequence[str] = ()) -> UpdateReport:
    with exclusive_lock(config.locales_dir, "update"):
        remove_stale_temps(config.locales_dir)
        cache = CatalogCache(config.root)
        with Staging() as staging:
            templates = load_templates(config, slugs, cache, staging)
            written, unchanged = _report(config, plan_templates(config, templates, staging), staging)
        _finish(config, cache, templates, slugs)
    return UpdateReport(written, unchanged, ())


def run_update(
    config: Config,
    slugs: Sequence[str] = (),
    langs: Sequence[str] = (),
    *,
    use_memory: bool = True,
) -> UpdateReport:
    # Everything is read under the lock, so a second run cannot merge into a stale copy.
    with exclusive_lock(config.locales_dir, "update"):
        remove_stale_temps(config.locales_dir)
        cache = CatalogCache(config.root)
        with Staging() as staging:
            templates = load_templates(config, slugs, cache, staging)
            pots = plan_templates(config, templates, staging)
            merges, results = plan_merges(config, templates, langs, cache, staging, use_memory=use_memory)
            written, unchanged = _report(config, [*pots, *merges], staging)
        _finish(config, cache, templates, slugs)
    return UpdateReport(written, unchanged, tuple(results))

