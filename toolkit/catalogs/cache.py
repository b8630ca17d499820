"""The catalog commands' cache, `.toolkit-cache/catalogs/`: what each source's template is and what
each merge gave, so that a run whose inputs did not change reads and writes no catalog.

Every key is a hash of contents (sha256 of bytes), never a modification time. Every file carries
the hash of its own payload and is ignored when it does not match, so a torn, truncated or edited
file is rebuilt, never trusted; deleting the folder changes only speed. Files are written to a
temporary name and renamed (no fsync: a file lost in a crash is only a miss); links are neither
followed nor written through. See docs/design/catalogs.md.

    index.json             sources, merge records and catalog files known by their hashes
    templates/<hash>.json  the template units of sources parsed together (by source key), by its own hash
    memory/<hash>.json     a catalog's translated units (the memory), by their own hash
    read/<hash>.json       a catalog file as the reader read it (po_json.py), by the file's hash
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from toolkit.catalogs.cache_keys import FORMAT, fingerprint, sha256
from toolkit.catalogs.cache_records import (
    MergeRecord,
    SourceRecord,
    json_text,
    mapping_of,
    merge_json,
    merge_of,
    pair_of,
    source_json,
    source_of,
)

CACHE_FOLDER = ".toolkit-cache"
FOLDER = "catalogs"


def read_plain(path: Path) -> bytes | None:
    """The bytes of a regular file, or None: missing, a link, a FIFO or a device is not read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def _checked(data: bytes | None) -> Any:
    """A cache file's payload: `<sha256 of the rest>\\n<JSON>`; None when it does not check out."""
    if data is None:
        return None
    checksum, newline, payload = data.partition(b"\n")
    if not newline or checksum.decode("ascii", "replace") != sha256(payload):
        return None
    try:
        return json.loads(payload)
    except (ValueError, RecursionError):
        return None


def _sealed(value: Any) -> bytes:
    return _seal(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _seal(payload: bytes) -> bytes:
    return sha256(payload).encode("ascii") + b"\n" + payload


@dataclass(frozen=True)
class CacheChanges:
    sources: dict[str, SourceRecord]
    merges: dict[str, MergeRecord]
    files: dict[str, tuple[str, str]]
    templates: dict[str, bytes]
    memory: dict[str, bytes]
    read: dict[str, bytes]


class CatalogCache:
    """The cache of one project. Reading never fails: what cannot be read is a miss."""

    def __init__(self, root: Path, *, writable: bool = True, read: bool = True) -> None:
        top = root / CACHE_FOLDER
        self.folder = top / FOLDER
        # A cache folder that is a link (out of the project, perhaps) is neither read nor written.
        self.usable = not top.is_symlink() and not self.folder.is_symlink()
        self.writable = writable and self.usable
        self.sources: dict[str, SourceRecord] = {}
        self.merges: dict[str, MergeRecord] = {}
        self.files: dict[str, tuple[str, str]] = {}  # catalog path -> (its hash, its units' hash)
        self._templates: dict[str, bytes] = {}  # to write, in one pack: source key -> its units' JSON
        self._packs: dict[str, dict[str, Any] | None] = {}  # the packs read last (see _pack)
        self._memory: dict[str, bytes] = {}  # to write: units hash -> their JSON
        self._read: dict[str, bytes] = {}  # to write: catalog file hash -> sealed catalog JSON
        self._changed = False
        if self.usable and read:
            self._load()

    # ── the index ──

    def _load(self) -> None:
        data = _checked(read_plain(self.folder / "index.json"))
        try:
            if data["format"] != FORMAT or data["fingerprint"] != fingerprint():
                return
            sources = {str(k): source_of(v) for k, v in mapping_of(data["sources"]).items()}
            merges = {str(k): merge_of(v) for k, v in mapping_of(data["merges"]).items()}
            files = {str(k): pair_of(v) for k, v in mapping_of(data["files"]).items()}
        except (KeyError, TypeError, ValueError):
            return  # a malformed index is no index
        self.sources, self.merges, self.files = sources, merges, files

    def record_source(self, key: str, record: SourceRecord, units: bytes | None) -> None:
        """A source's template: `units`, the JSON of what template_of reads, to be written with
        this run's other new units in one pack (None: a parse worker wrote them, write_pack)."""
        self.sources[key] = record
        if units is not None:
            self._templates[key] = units
        self._changed = True

    def template_folder(self) -> Path | None:
        """The folder parse workers write template packs to themselves (write_pack), made
        now; None where the cache is not written."""
        if not self.writable:
            return None
        try:
            self._folder(self.folder.parent)
            self._folder(self.folder)
            return self._folder(self.folder / "templates")
        except OSError:
            return None

    def record_merge(self, domain: str, lang: str, record: MergeRecord) -> None:
        if self.merges.get(_name(domain, lang)) != record:
            self.merges[_name(domain, lang)] = record
            self._changed = True

    def merge(self, domain: str, lang: str) -> MergeRecord | None:
        return self.merges.get(_name(domain, lang))

    def record_file(self, rel: str, digest: str, units: list[tuple[str, str]]) -> str:
        """Remember a catalog file's translated units (the memory it gives); their hash."""
        payload = json.dumps(units, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        units_hash = sha256(payload)
        if self.files.get(rel) != (digest, units_hash):
            self.files[rel] = (digest, units_hash)
            self._changed = True
        if not (self.folder / "memory" / f"{units_hash}.json").is_file():
            self._memory[units_hash] = payload
        return units_hash

    def units_hash(self, rel: str, digest: str) -> str | None:
        known = self.files.get(rel)
        return known[1] if known is not None and known[0] == digest else None

    def record_read(self, digest: str, catalog_json: bytes) -> None:
        """A catalog file with the hash `digest`, as read (po_json.catalog_json): the next run
        need not read the file while its bytes stay the same."""
        if not (self.folder / "read" / f"{digest}.json").is_file():
            self._read[digest] = _seal(digest.encode("ascii") + b"\n" + catalog_json)

    # ── the content files ──

    def read_json(self, digest: str) -> bytes | None:
        """What record_read kept for the file with this hash; None when not (or not validly) kept."""
        data = self._read.get(digest) or read_plain(self.folder / "read" / f"{digest}.json")
        if data is None:
            return None
        checksum, _, payload = data.partition(b"\n")
        named, _, found = payload.partition(b"\n")
        if checksum.decode("ascii", "replace") != sha256(payload) or named != digest.encode("ascii"):
            return None
        return found

    def template_units(self, key: str) -> Any:
        """The units a source with this key gave, as recorded; None when not (or not validly) kept."""
        if key in self._templates:
            return json.loads(self._templates[key])
        record = self.sources.get(key)
        pack = self._pack(record.pack) if record is not None and record.pack else None
        return pack.get(key) if pack is not None else None

    def _pack(self, name: str) -> dict[str, Any] | None:
        """A pack's units by source key. The last two read are kept: templates are loaded in the
        order their sources were parsed in, so a pack's sources come one after the other."""
        if name not in self._packs:
            data = read_plain(self.folder / "templates" / f"{name}.json")
            named = data is not None and data.startswith(name.encode("ascii") + b"\n")
            found = _checked(data) if named else None
            if len(self._packs) >= 2:
                del self._packs[next(iter(self._packs))]
            self._packs[name] = found if isinstance(found, dict) else None
        return self._packs[name]

    def memory_units(self, units_hash: str) -> list[tuple[str, str]] | None:
        data = self._memory.get(units_hash) or read_plain(self.folder / "memory" / f"{units_hash}.json")
        if data is None or sha256(data) != units_hash:  # named by its hash: checked by it too
            return None
        try:
            pairs = json.loads(data)
            return [(json_text(s), json_text(t)) for s, t in pairs]
        except (ValueError, TypeError, RecursionError):
            return None

    # ── a forked process's share (update merges one language per process) ──

    def fork(self) -> CacheChanges:
        """In a forked process: what the records are now, to tell later what it changed."""
        return CacheChanges(
            dict(self.sources),
            dict(self.merges),
            dict(self.files),
            dict(self._templates),
            dict(self._memory),
            dict(self._read),
        )

    def changes(self, start: CacheChanges) -> CacheChanges:
        """What this process recorded since `start` (fork), to hand to the parent (absorb). Its
        new content files it writes itself where it can: both processes write side by side."""

        def new(now: Mapping[str, Any], before: Mapping[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in now.items() if before.get(k) != v}

        content = (new(self._templates, start.templates), new(self._memory, start.memory), new(self._read, start.read))
        if self.writable:
            try:
                self._write_content(*content)
                content = ({}, {}, {})
            except OSError:
                pass  # the parent tries again when it saves
        return CacheChanges(
            new(self.sources, start.sources),
            new(self.merges, start.merges),
            new(self.files, start.files),
            *content,
        )

    def absorb(self, changes: CacheChanges) -> None:
        self.sources.update(changes.sources)
        self.merges.update(changes.merges)
        self.files.update(changes.files)
        self._templates.update(changes.templates)
        self._memory.update(changes.memory)
        self._read.update(changes.read)
        self._changed = self._changed or bool(changes.sources or changes.merges or changes.files)

    # ── writing ──

    def retain(self, *, sources: Iterable[str], domains: Iterable[str]) -> None:
        """After a run over the whole project: forget sources and domains it no longer has."""
        keep_sources, keep_domains = set(sources), set(domains)
        for key in [k for k in self.sources if k not in keep_sources]:
            del self.sources[key]
            self._changed = True
        for name in [n for n in self.merges if n.split("\n", 1)[0] not in keep_domains]:
            del self.merges[name]
            self._changed = True
        for rel in [r for r in self.files if Path(r).stem not in keep_domains]:
            del self.files[rel]
            self._changed = True

    def save(self, *, prune: bool = False) -> None:
        """Write what changed (best effort: a cache that cannot be written is not kept); with
        `prune`, also delete the content files the index no longer names."""
        if not self.writable or not (self._changed or self._templates or self._memory or self._read):
            return
        with contextlib.suppress(OSError):
            self._write_content(self._templates, self._memory, self._read)
            index = {
                "format": FORMAT,
                "fingerprint": fingerprint(),
                "sources": {k: source_json(r) for k, r in self.sources.items()},
                "merges": {k: merge_json(r) for k, r in self.merges.items()},
                "files": {k: list(v) for k, v in self.files.items()},
            }
            _write(self._folder(self.folder) / "index.json", _sealed(index))
            self._templates.clear()
            self._memory.clear()
            self._read.clear()
            self._changed = False
            if prune:
                self._prune()

    def _write_content(self, templates: Mapping[str, bytes], memory: Mapping[str, bytes], read: Mapping[str, bytes]) -> None:
        self._folder(self.folder.parent)
        self._folder(self.folder)
        if templates:
            name = write_pack(self._folder(self.folder / "templates"), templates.items())
            for key in templates.keys() & self.sources.keys():
                self.sources[key] = replace(self.sources[key], pack=name)
        for sub, files in (("memory", memory), ("read", read)):
            if files:
                folder = self._folder(self.folder / sub)
                for name, data in files.items():
                    _write(folder / f"{name}.json", data)

    def _prune(self) -> None:
        """Delete the content files no longer named, once they outnumber the named ones: the cache
        stays under twice its size, and an update after edits rarely pays for the deleting."""
        wanted = {
            "templates": {f"{r.pack}.json" for r in self.sources.values() if r.pack},
            "memory": {f"{units}.json" for _, units in self.files.values()},
            "read": {f"{digest}.json" for digest, _ in self.files.values()},
        }
        stale: list[str] = []
        for sub, names in wanted.items():
            folder = self.folder / sub
            if not folder.is_dir() or folder.is_symlink():
                continue
            for entry in os.scandir(folder):
                if entry.name not in names and entry.is_file(follow_symlinks=False):
                    stale.append(entry.path)
        if len(stale) <= sum(len(names) for names in wanted.values()):
            return
        for path in stale:
            with contextlib.suppress(OSError):
                os.unlink(path)

    def _folder(self, folder: Path) -> Path:
        if folder.is_symlink():
            raise OSError(f"not a folder: {folder}")
        folder.mkdir(exist_ok=True)
        if folder == self.folder.parent:
            ignore = folder / ".gitignore"
            if not ignore.is_file() and not ignore.is_symlink():
                _write(ignore, b"# Created by toolkit: a cache, safe to delete.\n*\n")
        return folder


def write_pack(folder: Path, units: Iterable[tuple[str, bytes]]) -> str:
    """Sources' template units (JSON, by source key) in one file named by its hash; the name. One
    file for many sources: creating a file costs more than writing a larger one (and a parse
    worker writes the pack of the sources it parsed, side by side with the other worker)."""
    payload = b"{" + b",".join(json.dumps(key).encode("ascii") + b":" + data for key, data in units) + b"}"
    name = sha256(payload)
    _write(folder / f"{name}.json", name.encode("ascii") + b"\n" + payload)
    return name


def _write(path: Path, data: bytes) -> None:
    """A new file under a temporary name, renamed into place: a reader sees the old file or the
    new one. The rename replaces a link at `path` itself, never what it points to."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _name(domain: str, lang: str) -> str:
    return f"{domain}\n{lang}"


