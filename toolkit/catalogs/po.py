"""Catalog entries and PO/POT text: our frozen entries carry the data; po_syntax reads it, po_write writes it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Literal

from toolkit.catalogs.po_syntax import ScannedEntry, scan
from toolkit.errors import ToolkitError

Key = tuple[str | None, str]
# What a unit's entry holds, the one rule behind status, check, the preview and the build.
State = Literal["translated", "fuzzy", "untranslated"]


@dataclass(frozen=True, slots=True)  # slots: a 1,000-article update holds ~200,000 entries
class Entry:
    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    flags: tuple[str, ...] = ()
    previous_msgid: str | None = None
    locations: tuple[tuple[str, int], ...] = ()
    comments: tuple[str, ...] = ()  # extracted comments (#.), ours
    tcomment: str = ""  # translator comments (# ), theirs
    obsolete: bool = False
    msgid_plural: str | None = None
    msgstr_plural: tuple[str, ...] = ()
    po_line: int = field(default=0, compare=False)  # where the entry starts in the file read

    @property
    def key(self) -> Key:
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def has_translation(self) -> bool:
        return bool(self.msgstr) or any(self.msgstr_plural)

    @property
    def translated(self) -> bool:
        return self.has_translation and not self.fuzzy and not self.obsolete

    @property
    def state(self) -> State:
        """A fuzzy entry without a translation holds nothing: it counts as untranslated."""
        if self.translated:
            return "translated"
        return "fuzzy" if self.fuzzy and self.has_translation else "untranslated"


def entry_state(entry: Entry | None) -> State:
    return entry.state if entry is not None else "untranslated"


@dataclass(frozen=True)
class Catalog:
    header: Mapping[str, str]
    entries: tuple[Entry, ...]
    header_comment: str = ""
    # Set on catalogs read from disk so errors and checks can name the file.
    path: str = field(default="", compare=False)
    # sha256 of the file's bytes, for cache keys: what a build's output depends on.
    digest: str = field(default="", compare=False)

    @cached_property
    def index(self) -> Mapping[Key, Entry]:
        return MappingProxyType({e.key: e for e in self.entries if not e.obsolete})

    @property
    def active(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if not e.obsolete)

    @property
    def obsolete(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.obsolete)

    @property
    def lang(self) -> str:
        return self.header.get("Language", "")

    def lookup(self, msgctxt: str | None, msgid: str) -> Entry | None:
        return self.index.get((msgctxt, msgid))


def parse_catalog(text: str, path: str) -> Catalog:
    """Read a PO/POT text strictly: our scanner checks every line and reads it as polib does."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    scanned = scan(text, path)
    _check_duplicates(scanned.entries, path)
    header = _header_entry(scanned.entries)
    read = [_entry(e) for i, e in enumerate(scanned.entries) if i != header]
    metadata = _metadata(scanned.entries[header].msgstr) if header is not None else {}
    return Catalog(
        header=MappingProxyType(metadata),
        entries=tuple(e for e in read if not e.obsolete) + tuple(e for e in read if e.obsolete),
        header_comment=scanned.header_comment,
        path=path,
    )


def _entry(s: ScannedEntry) -> Entry:
    return Entry(
        msgid=s.msgid,
        msgstr=s.msgstr,
        msgctxt=s.msgctxt,
        flags=s.flags,
        previous_msgid=s.previous_msgid,
        locations=s.locations,
        comments=s.comments,
        tcomment=s.tcomment,
        obsolete=s.obsolete,
        msgid_plural=s.msgid_plural,
        msgstr_plural=s.msgstr_plural,
        po_line=s.line,
    )


def _header_entry(scanned: list[ScannedEntry]) -> int | None:
    """Which entry is the header: the active one with an empty msgid; of several, the last one
    without a context, else the first (as polib, and so every tool built on it, decides)."""
    empty = [i for i, e in enumerate(scanned) if e.msgid == "" and not e.obsolete]
    if len(empty) <= 1:
        return empty[0] if empty else None
    plain = [i for i in empty if scanned[i].msgctxt is None]
    return plain[-1] if plain else empty[0]


def _metadata(msgstr: str) -> dict[str, str]:
    """The header's fields, read as polib reads them: `Key: value` lines, and a line without a
    colon continuing the field above it."""
    metadata: dict[str, str] = {}
    key = None
    for line in msgstr.splitlines():
        name, colon, value = line.partition(":")
        if colon:
            key = name
            metadata[key] = value.strip()
        elif key is not None:
            metadata[key] += "\n" + line.strip()
    return metadata


def _check_duplicates(entries: list[ScannedEntry], path: str) -> None:
    """Like msgfmt: one entry per msgctxt and msgid among the active entries, and among the obsolete
    ones; an obsolete entry may share its key with an active one (merge keeps the active one)."""
    seen: tuple[dict[Key, int], dict[Key, int]] = ({}, {})
    for entry in entries:
        if entry.msgid == "" and entry.msgctxt is not None and not entry.obsolete:
            # msgfmt takes it as an entry, polib as a header: no reading is safe. Never extracted.
            raise ToolkitError(
                "msgid \"\" with a msgctxt: readers disagree whether it is the catalog's header",
                path=path,
                line=entry.msgid_line,
                hint="give the entry a msgid, or delete it",
            )
        lines = seen[entry.obsolete]
        first = lines.setdefault(entry.key, entry.msgid_line)
        if first != entry.msgid_line:
            what = "obsolete entry" if entry.obsolete else "entry"
            context = f" in context {entry.msgctxt[:40]!r}" if entry.msgctxt is not None else ""
            raise ToolkitError(
                f"duplicate {what} for msgid {entry.msgid[:60]!r}{context}: the first is on line {first}",
                path=path,
                line=entry.msgid_line,
                hint="merge the two translations into one entry and delete the other",
            )


# Written as they are, and refused by the reader (as by GNU gettext): no catalog that holds one
# reads back the same.
_RAW_BREAKS = re.compile("[\x1c\x1d\x1e\x85\u2028\u2029]")


def round_trips(catalog: Catalog) -> bool:
    """Whether reading catalog_text(catalog) back gives `catalog` again (entries, header, header
    comment; a test holds this to what it says). False where in doubt: comments, flags and header
    values with spaces at their ends or characters the writer wraps or the reader drops, an empty
    msgid, duplicate keys, obsolete entries before active ones."""
    lines = catalog.header_comment.split("\n") if catalog.header_comment else []
    if lines and not lines[0]:
        return False  # polib drops a header comment's leading empty lines
    # (Header comment lines are written as they are, however long.)
    if not all(_plain(line, 10**6) and line[:1] not in (",", ":") for line in lines):
        return False
    if not all(_plain(k, 76) and k and ":" not in k and _plain(v, 10**6) for k, v in catalog.header.items()):
        return False
    # Comments, flags and paths repeat across entries: each distinct one is judged once.
    comments: dict[str, bool] = {}
    flags: dict[str, bool] = {}
    paths: dict[str, bool] = {}
    texts: list[str] = []  # every string, searched for raw line breaks at once
    seen: set[tuple[bool, Key]] = set()
    obsolete_seen = False
    for e in catalog.entries:
        if e.obsolete:
            obsolete_seen = True
            if e.comments or e.locations or e.previous_msgid is not None:
                return False  # not written for an obsolete entry
        elif obsolete_seen:
            return False
        key = (e.obsolete, (e.msgctxt, e.msgid))
        if not e.msgid or key in seen:
            return False
        seen.add(key)
        if e.msgid_plural is None:
            if e.msgstr_plural:
                return False
        elif not e.msgid_plural or e.msgstr or len(e.msgstr_plural) > 10:
            return False
        texts += (e.msgid, e.msgstr, e.msgctxt or "", e.previous_msgid or "", e.msgid_plural or "", *e.msgstr_plural)
        if e.tcomment:
            if e.tcomment.startswith("\n"):
                return False  # the reader drops leading empty comment lines, as polib does
            if not all(_plain(line, 76) for line in e.tcomment.split("\n")):
                return False
        for c in e.comments:
            ok = comments.get(c)
            if ok is None:
                ok = comments[c] = bool(c) and _plain(c, 75)
            if not ok:
                return False
        for f in e.flags:
            ok = flags.get(f)
            if ok is None:
                ok = flags[f] = bool(f) and _plain(f, 76) and "," not in f
            if not ok:
                return False
        for path, line in e.locations:
            ok = paths.get(path)
            if ok is None:
                ok = paths[path] = bool(path) and path.isprintable() and " " not in path and "*" not in path
            if not ok or line < 0:
                return False
    return _RAW_BREAKS.search("\0".join(texts)) is None


def _plain(text: str, room: int) -> bool:
    """One line, kept as written: printable, no spaces at its ends, short enough not to wrap."""
    return len(text) <= room and text.isprintable() and text == text.strip()
