"""Which catalogs an update merges, and merging them.

A catalog is merged when one of its inputs changed since its last merge: the template's text, the
catalog file's bytes, the glossary's, the settings and the code (one key, `merge_key`), or the
memory's answers to what that merge asked it. Otherwise the cache says what the merge gave, and
the file holds it already: the catalog is neither read nor written. See docs/design/catalogs.md.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path

from toolkit.catalogs.cache import CacheChanges, CatalogCache
from toolkit.catalogs.cache_keys import fingerprint, key_of, sha256
from toolkit.catalogs.cache_records import MergeRecord
from toolkit.catalogs.digests import file_digest, file_digests
from toolkit.catalogs.files import po_path, target_languages, with_register_note
from toolkit.catalogs.glossary import GLOSSARY_FILE, Glossary, read_glossary
from toolkit.catalogs.merge import MergeStats, catalog_header, merge
from toolkit.catalogs.po import Catalog, round_trips
from toolkit.catalogs.po_write import catalog_text
from toolkit.catalogs.recall import (
    MEMORY_FOLDER,
    Memories,
    NotYet,
    Recorder,
    Target,
    same_answers,
    translated_units,
)
from toolkit.catalogs.templates import Template
from toolkit.config import Config
from toolkit.errors import ToolkitError
from toolkit.fsutil import Staging, forked_helper

__all__ = ["MEMORY_FOLDER", "MergeResult", "Planned", "plan_merges"]

# Below this many catalogs to merge, a second process costs more than it saves.
PARALLEL_FROM = 48


@dataclass(frozen=True)
class Planned:
    path: Path
    changed: bool  # its new text is staged; False: the file holds it already


@dataclass(frozen=True)
class MergeResult:
    domain: str
    lang: str
    path: str
    created: bool
    stats: MergeStats


class _Update:
    """One update's merges: the keys, the catalogs to merge, the memory, and the staged results."""

    def __init__(self, config: Config, cache: CatalogCache, staging: Staging, use_memory: bool) -> None:
        self.config = config
        self.cache = cache
        self.staging = staging
        self.memory_on = use_memory and config.memory
        self.glossary = read_glossary(config.locales_dir, f"{config.locales}/{GLOSSARY_FILE}")
        self.glossary_digest = file_digest(config, config.locales_dir / GLOSSARY_FILE) or ""
        self.hints = _memo_hints(self.glossary)

    def key(self, template: Template, lang: str, digest: str | None) -> str:
        """Everything a merge reads, but the memory: equal keys, equal merges."""
        config = self.config
        return key_of(
            "merge",
            fingerprint(),
            template.name,
            lang,
            template.digest,
            template.register(lang),  # the title's register note
            digest or "",
            self.glossary_digest,
            config.project_name,
            config.fuzzy_threshold,
            self.memory_on,
            config.memory_threshold,
        )

    def targets(self, templates: Sequence[Template], langs: Sequence[str]) -> list[Target]:
        config = self.config
        locales = config.rel(config.locales_dir)  # the rest of each path is ours: no need to ask
        targets = [
            Target(template, lang, po_path(config, lang, template.name), f"{locales}/{lang}/LC_MESSAGES/{template.name}.po", None)
            for template in templates
            for lang in target_languages(config, template.source_lang, langs)
        ]
        for target, digest in zip(targets, file_digests(config, [(t.path, t.rel) for t in targets]), strict=True):
            target.digest = digest
            template, lang = target.template, target.lang
            record = self.cache.merge(template.name, lang)
            if record is not None and record.key == self.key(template, lang, digest):
                target.record = record if record.out == digest else None
        return targets

    def check_answers(self, targets: Sequence[Target], memories: Memories) -> None:
        """A kept catalog whose merge asked the memory stays kept while the memory's answers are
        the same (a changed memory may answer them as before); else it is merged again."""
        for target in targets:
            record = target.record
            if record is None or not record.queries:
                continue
            identity = memories.identity(target.lang)
            if record.memory == identity:
                continue
            if same_answers(memories.get(target.lang), record.queries):
                target.record = replace(record, memory=identity)
                self.cache.record_merge(target.template.name, target.lang, target.record)
            else:
                target.record = None

    def merge(self, target: Target, memories: Memories, *, wait: bool) -> tuple[bool, MergeStats]:
        """Merge one catalog and stage its text: whether the file changes, and the counts."""
        template, lang, config = target.template, target.lang, self.config
        recorder = Recorder(memories, lang, wait=wait) if self.memory_on else None
        project = f"{config.project_name} {template.name}"
        new, stats = merge(
            template.catalog,
            target.old,
            lang=lang,
            project=project,
            threshold=config.fuzzy_threshold,
            memory=recorder,
            hints=with_register_note(
                lambda text: self.hints(text, lang), template.name, template.catalog, lang, template.register(lang)
            ),
        )
        text = catalog_text(new)
        out = sha256(text)
        queries = tuple(recorder.queries) if recorder is not None else ()
        record = MergeRecord(
            self.key(template, lang, target.digest),
            out,
            tuple(getattr(stats, f) for f in MergeStats.__dataclass_fields__),
            queries,
            memories.identity(lang) if queries else "",
        )
        if out != target.digest and round_trips(new):
            # The file written from `new` reads back as `new`: its units are known without reading
            # it. (This run's memory is that of the files as they were: Memories kept their hashes.)
            self.cache.record_file(target.rel, out, translated_units(new))
            if _settled(new, template.catalog, project, lang):
                # The next merge of that file gives it again: say so now, and the next run need not
                # read the file this one writes.
                kept = len(template.catalog.entries)
                record = MergeRecord(self.key(template, lang, out), out, (kept, 0, 0, 0, 0, 0, 0))
        self.cache.record_merge(template.name, lang, record)
        # Known by the hashes: a text equal to the file's is not staged, nor the file read to compare.
        return out != target.digest and self.staging.put(target.path, text), stats


def plan_merges(
    config: Config,
    templates: Sequence[Template],
    langs: Sequence[str],
    cache: CatalogCache,
    staging: Staging,
    *,
    use_memory: bool = True,
) -> tuple[list[Planned], list[MergeResult]]:
    """Merge every catalog whose inputs changed, staging each new text at once.

    Catalogs are read in order (the first broken one stops the run before any file is replaced)
    and let go once merged. A merge that needs the memory of a language, where making it would
    mean reading catalogs for it alone, waits until every catalog has been read, so that only the
    waiting ones are held: memory stays flat however many there are. With many catalogs and
    several languages, each language is merged in a process of its own (_merge_forked).
    """
    update = _Update(config, cache, staging, use_memory)
    targets = update.targets(templates, langs)
    memories = Memories(config, targets, cache)
    if update.memory_on:
        update.check_answers(targets, memories)
    todo = [i for i, t in enumerate(targets) if t.record is None]
    groups = [[i for i in todo if targets[i].lang == lang] for lang in dict.fromkeys(t.lang for t in targets)]
    groups = [g for g in groups if g]
    if len(todo) >= PARALLEL_FROM and len(groups) > 1 and (os.cpu_count() or 1) > 1:
        outcomes = _merge_forked(update, targets, memories, groups)
    else:
        outcomes = _merge_group(update, targets, memories, todo)

    plans: list[Planned] = []
    results: list[MergeResult] = []
    for i, target in enumerate(targets):
        name, lang = target.template.name, target.lang
        if target.record is not None:
            plans.append(Planned(target.path, False))
            results.append(MergeResult(name, lang, target.rel, False, MergeStats(*target.record.stats)))
        else:
            changed, stats, created = outcomes[i]
            plans.append(Planned(target.path, changed))
            results.append(MergeResult(name, lang, target.rel, created, stats))
    return plans, results


Outcome = tuple[bool, MergeStats, bool]  # the file changes; the counts; the catalog is new


def _merge_group(
    update: _Update,
    targets: Sequence[Target],
    memories: Memories,
    todo: Sequence[int],
    at: list[int] | None = None,
) -> dict[int, Outcome]:
    """Merge the catalogs `todo` (indices of `targets`) in their order, staging each text (`at`:
    the index of the catalog being read or merged, for a caller that reports where it failed)."""
    outcomes: dict[int, Outcome] = {}
    left = Counter(targets[i].template.name for i in todo)
    waiting: list[int] = []
    for i in todo:
        target = targets[i]
        if at is not None:
            at.append(i)
        memories.read(target)
        try:
            outcomes[i] = (*update.merge(target, memories, wait=True), target.old is None)
        except NotYet:
            waiting.append(i)
            continue
        _done(target, left)
    for i in waiting:
        target = targets[i]
        if at is not None:
            at.append(i)
        outcomes[i] = (*update.merge(target, memories, wait=False), target.old is None)
        _done(target, left)
    return outcomes


@dataclass(frozen=True)
class _GroupResult:
    outcomes: dict[int, Outcome]
    staged: list[tuple[str, Path]]
    changes: CacheChanges
    error: tuple[int, ToolkitError] | None  # the first catalog that could not be read, and why


# What a forked merge process works on: set just before the fork, inherited, never pickled.
_FORKED: tuple[_Update, Sequence[Target], Memories, list[list[int]]] | None = None


def _merge_forked(
    update: _Update, targets: Sequence[Target], memories: Memories, groups: list[list[int]]
) -> dict[int, Outcome]:
    """Each language's merges in a process of its own (they share nothing but what was read
    before the fork: the memory of a language is that language's catalogs). Each process stages
    its files and hands them over with what it recorded in the cache; a catalog that cannot be
    read stops the run as in one process: the first in target order is reported."""
    global _FORKED
    _FORKED = (update, targets, memories, groups)
    try:
        workers = min(len(groups), os.cpu_count() or 1)  # a process merges more languages in turn
        with ProcessPoolExecutor(
            workers, mp_context=get_context("fork"), initializer=forked_helper, initargs=(os.getpid(),)
        ) as pool:
            results = list(pool.map(_forked_group, range(len(groups))))
    finally:
        _FORKED = None
    outcomes: dict[int, Outcome] = {}
    for result in results:
        update.staging.adopt(result.staged)
        update.cache.absorb(result.changes)
        outcomes.update(result.outcomes)
    errors = sorted((r.error for r in results if r.error is not None), key=lambda e: e[0])
    if errors:
        raise errors[0][1]
    return outcomes


def _forked_group(n: int) -> _GroupResult:
    assert _FORKED is not None
    update, targets, memories, groups = _FORKED
    update.staging = Staging()  # the parent's staged files stay the parent's
    start = update.cache.fork()
    done: dict[int, Outcome] = {}
    error: tuple[int, ToolkitError] | None = None
    at: list[int] = []
    try:
        done = _merge_group(update, targets, memories, groups[n], at)
    except ToolkitError as exc:
        error = (at[-1], exc)
    except BaseException:
        update.staging.abort()
        raise
    return _GroupResult(done, update.staging.handed_over(), update.cache.changes(start), error)


def _done(target: Target, left: Counter[str]) -> None:
    """A merged catalog is let go, and its template once all its languages are merged."""
    target.old = None
    left[target.template.name] -= 1
    if not left[target.template.name]:
        target.template.release()


def _settled(new: Catalog, template: Catalog, project: str, lang: str) -> bool:
    """Whether merging `template` into the file written from `new` gives `new` again, keeping every
    unit and asking the memory nothing: so when every entry is translated (merge keeps a
    translation as it is) and the header is ours already. (That the file reads back as `new` is
    round_trips', checked by the caller.)"""
    if len(new.active) != len(template.entries) or not all(e.has_translation for e in new.active):
        return False
    return dict(catalog_header(project, lang, new.header)) == dict(new.header)


def _memo_hints(glossary: Glossary) -> Callable[[str, str], tuple[str, ...]]:
    """Glossary hints, found once per distinct text and language (texts repeat across catalogs)."""
    found: dict[tuple[str, str], tuple[str, ...]] = {}

    def hints(text: str, lang: str) -> tuple[str, ...]:
        key = (text, lang)
        if key not in found:
            found[key] = glossary.hints(text, lang)
        return found[key]

    return hints
