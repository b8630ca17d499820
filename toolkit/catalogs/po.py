"""Catalog entries and PO/POT text: polib reads and writes, our frozen entries carry the data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Literal

import polib

from toolkit.catalogs.po_syntax import ScannedEntry, scan
from toolkit.errors import ToolkitError

Key = tuple[str | None, str]
# What a unit's entry holds, the one rule behind status, check, the preview and the build.
State = Literal["translated", "fuzzy", "untranslated"]
WRAP_WIDTH = 78  # GNU gettext's default, so files look the same after msgmerge or Poedit


@dataclass(frozen=True)
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


def _location(occurrence: tuple[str, str]) -> tuple[str, int]:
    path, line = occurrence
    return (path, int(line)) if str(line).isdigit() else (path, 0)


def _from_polib(e: polib.POEntry, line: int) -> Entry:
    plural = tuple(v for _, v in sorted(e.msgstr_plural.items())) if e.msgstr_plural else ()
    comments = tuple(c for c in e.comment.split("\n") if c) if e.comment else ()
    return Entry(
        msgid=e.msgid,
        msgstr=e.msgstr,
        msgctxt=e.msgctxt,
        flags=tuple(e.flags),
        previous_msgid=e.previous_msgid,
        locations=tuple(_location(o) for o in e.occurrences),
        comments=comments,
        tcomment=e.tcomment or "",
        obsolete=bool(e.obsolete),
        msgid_plural=e.msgid_plural or None,
        msgstr_plural=plural,
        po_line=line,
    )


def parse_catalog(text: str, path: str) -> Catalog:
    """Read a PO/POT text strictly: our scanner checks it (and numbers its entries), polib reads it."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    scanned = scan(text, path)
    _check_duplicates(scanned.entries, path)
    if scanned.cut_after is not None:
        # Only comments polib skips follow the last entry, and they would make it drop that entry.
        text = "\n".join(text.split("\n")[: scanned.cut_after]) + "\n"
    try:
        po = polib.pofile(text, wrapwidth=WRAP_WIDTH)
    except (OSError, ValueError) as exc:  # the scanner refuses all polib does, so: a bug of ours
        raise ToolkitError(
            f"PO syntax error: {exc}",
            path=path,
            hint="fix the file in a text editor or Poedit; if it looks right, please report it "
            "to the toolkit's maintainers",
        ) from exc
    lines = _entry_lines(scanned.entries, po, path)
    read = [_from_polib(e, line) for e, line in zip(po, lines, strict=True)]
    return Catalog(
        header=MappingProxyType(dict(po.metadata)),
        entries=tuple(e for e in read if not e.obsolete) + tuple(e for e in read if e.obsolete),
        header_comment=po.header,
        path=path,
    )


def _check_duplicates(entries: list[ScannedEntry], path: str) -> None:
    """Like msgfmt: one entry per msgctxt and msgid among the active entries, and among the obsolete
    ones; an obsolete entry may share its key with an active one (merge keeps the active one)."""
    seen: tuple[dict[Key, int], dict[Key, int]] = ({}, {})
    for entry in entries:
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


def _entry_lines(scanned: list[ScannedEntry], po: polib.POFile, path: str) -> list[int]:
    """The start line of each of polib's entries, in its order (the file's, without the header)."""
    # polib takes as header the active entry with an empty msgid; of several, the last one
    # without a context, else the first (polib.POFile.find).
    empty = [i for i, e in enumerate(scanned) if e.msgid == "" and not e.obsolete]
    header = None
    if len(empty) == 1:
        header = empty[0]
    elif empty:
        plain = [i for i in empty if not scanned[i].msgctxt]
        header = plain[-1] if plain else empty[0]
    ours = [e for i, e in enumerate(scanned) if i != header]
    if len(ours) != len(po) or any(
        (s.msgctxt, s.msgid, s.obsolete) != (e.msgctxt, e.msgid, bool(e.obsolete))
        for s, e in zip(ours, po, strict=True)
    ):
        raise ToolkitError(
            "could not read the catalog: polib and the syntax check see different entries",
            path=path,
            hint="please report this file to the toolkit's maintainers",
        )
    return [s.line for s in ours]


def catalog_text(catalog: Catalog) -> str:
    """The file's text; a pure function of the catalog, so an unchanged catalog is byte-identical."""
    from toolkit.catalogs.po_write import catalog_text as write

    return write(catalog)
