"""The translation memory during an update: made from every catalog's translated units (from the
cache where a file is known by its hash, else by reading it) only when a merge asks it something,
with every question and answer written down, so the next run can tell whether they still hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.catalogs.cache import CatalogCache
from toolkit.catalogs.cache_keys import key_of, sha256
from toolkit.catalogs.cache_records import Answer, MergeRecord, Query
from toolkit.catalogs.files import read_catalog
from toolkit.catalogs.memory import Match, Memory, MemoryUnit
from toolkit.catalogs.po import Catalog
from toolkit.catalogs.po_json import catalog_from_json, catalog_json
from toolkit.catalogs.templates import Template
from toolkit.config import Config

MEMORY_FOLDER = "memory"  # locales/memory/*.tmx: memories imported from CAT tools


@dataclass
class Target:
    """One catalog of this run: a template merged into one language."""

    template: Template
    lang: str
    path: Path
    rel: str
    digest: str | None  # of the file as it is; None: there is none yet
    record: MergeRecord | None = None  # the cache's record, while it still holds
    old: Catalog | None = None  # the file, read (for its merge, and let go after it)
    units: list[tuple[str, str]] | None = None  # what it gives the memory, once read
    read: bool = False


def translated_units(catalog: Catalog | None) -> list[tuple[str, str]]:
    """What a catalog gives the memory: its translated, singular entries."""
    if catalog is None:
        return []
    return [(e.msgid, e.msgstr) for e in catalog.active if e.translated and e.msgid_plural is None]


class Memories:
    """Each language's memory, as project_memory made it before: the translated units of every
    catalog of this run in that language, in order, then the imported TMX files."""

    def __init__(self, config: Config, targets: Sequence[Target], cache: CatalogCache) -> None:
        self.config = config
        self.targets = targets
        self.cache = cache
        self._memories: dict[str, Memory] = {}
        self._identities: dict[str, str] = {}
        self._hashes: dict[str, str] = {}  # catalog path -> the hash of its units, as they are now
        self._unknown: dict[str, list[Target]] = {}  # per language: catalogs the cache knows not

    def built(self, lang: str) -> bool:
        return lang in self._memories

    def ready(self, lang: str) -> bool:
        """Whether the memory of `lang` can be made without reading a catalog file for it: each
        is read already or known to the cache by its hash (then no merge need wait for it)."""
        unknown = self._unknown.get(lang)
        if unknown is None:  # found once; then only what is still unread is looked at again
            unknown = [t for t in self._present(lang) if self.cache.units_hash(t.rel, t.digest or "") is None]
        self._unknown[lang] = unknown = [t for t in unknown if not t.read]
        return not unknown

    def read(self, target: Target) -> None:
        """Read a catalog (to merge it, or for its units); the cache keeps what it gives the memory."""
        if target.read:
            return
        target.old = self._cached(target)
        if target.old is None:
            target.old = read_catalog(self.config, target.path)
            if target.old is not None:
                self.cache.record_read(target.old.digest, catalog_json(target.old))
        target.digest = target.old.digest if target.old is not None else None
        target.read = True
        if target.old is not None:
            target.units = translated_units(target.old)
            self._hashes[target.rel] = self.cache.record_file(target.rel, target.digest or "", target.units)

    def _cached(self, target: Target) -> Catalog | None:
        """The catalog as read before from a file with these very bytes, kept by the cache."""
        digest = target.digest
        data = self.cache.read_json(digest) if digest else None
        if data is None or digest is None:
            return None
        try:
            return catalog_from_json(data, target.rel, digest)
        except (TypeError, ValueError, RecursionError):
            return None  # a damaged cache file: the catalog is read from its file

    def _units_hash(self, target: Target) -> str:
        known = self._hashes.get(target.rel) or self.cache.units_hash(target.rel, target.digest or "")
        if known is None:
            self.read(target)
            known = self._hashes[target.rel]
        self._hashes[target.rel] = known
        return known

    def _units(self, target: Target) -> list[tuple[str, str]]:
        if not target.read:
            units = self.cache.memory_units(self._units_hash(target))
            if units is not None:
                return units
            self.read(target)
        return target.units or []

    def _present(self, lang: str) -> list[Target]:
        return [t for t in self.targets if t.lang == lang and t.digest is not None]

    def identity(self, lang: str) -> str:
        """A hash of everything the memory of `lang` answers from: equal hashes, equal answers."""
        if lang not in self._identities:
            catalogs = [[t.rel, self._units_hash(t)] for t in self._present(lang)]
            imported = [[self.config.rel(p), sha256(p.read_bytes())] for p in self._tmx()]
            self._identities[lang] = key_of(
                "memory",
                lang,
                self.config.source_language,
                self.config.memory_threshold,
                catalogs,
                imported,
            )
        return self._identities[lang]

    def get(self, lang: str) -> Memory:
        if lang not in self._memories:
            units = [
                MemoryUnit(source, target, t.rel)
                for t in self._present(lang)
                for source, target in self._units(t)
            ]
            units += self._imported(lang)
            self._memories[lang] = Memory(units, self.config.memory_threshold)
        return self._memories[lang]

    def _tmx(self) -> list[Path]:
        folder = self.config.locales_dir / MEMORY_FOLDER
        return sorted(folder.glob("*.tmx")) if folder.is_dir() else []

    def _imported(self, lang: str) -> list[MemoryUnit]:
        return imported_memory(self.config, lang)


def project_memory(config: Config, lang: str, catalogs: dict[tuple[str, str], Catalog | None]) -> Memory:
    """Translated (not fuzzy) entries of every catalog in `lang`, then imported TMX files (for
    callers that hold the catalogs already, as the editor does)."""
    units = [
        MemoryUnit(source, target, catalog.path)
        for (_, clang), catalog in catalogs.items()
        if clang == lang and catalog is not None
        for source, target in translated_units(catalog)
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


def answer(match: Match | None) -> Answer | None:
    if match is None:
        return None
    return (match.unit.source, match.unit.target, match.unit.origin, match.score)


class NotYet(Exception):
    """A merge asked the memory before it was made: it waits until every catalog has been read."""


class Recorder:
    """The memory as merge asks it, every question and answer written down. With `wait`, a merge
    that asks the memory of a language not made yet, which would need catalogs read only for it,
    is put off (NotYet) rather than making it: the catalogs read until then can be let go, not
    kept for the memory."""

    def __init__(self, memories: Memories, lang: str, *, wait: bool = False) -> None:
        self.memories = memories
        self.lang = lang
        self.wait = wait
        self.queries: list[Query] = []

    def _memory(self) -> Memory:
        memories = self.memories
        if self.wait and not memories.built(self.lang) and not memories.ready(self.lang):
            raise NotYet
        return self.memories.get(self.lang)

    def same(self, source: str) -> Match | None:
        match = self._memory().same(source)
        self.queries.append(("exact", source, answer(match)))
        return match

    def near(self, source: str) -> Match | None:
        match = self._memory().near(source)
        self.queries.append(("near", source, answer(match)))
        return match


def same_answers(memory: Memory, queries: Sequence[Query]) -> bool:
    for kind, source, recorded in queries:
        match = memory.same(source) if kind == "exact" else memory.near(source)
        if answer(match) != recorded:
            return False
    return True
