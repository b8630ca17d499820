"""Catalog entries and PO/POT text: polib reads and writes, our frozen entries carry the data."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Literal

import polib

from toolkit.errors import ToolkitError

Key = tuple[str | None, str]
# What a unit's entry holds, the one rule behind status, check, the preview and the build.
State = Literal["translated", "fuzzy", "untranslated"]
WRAP_WIDTH = 78  # GNU gettext's default, so files look the same after msgmerge or Poedit

# A line of a PO file must start with one of these (after optional "#~ " for obsolete entries).
_PO_LINE = re.compile(
    r'^(?:#.*|(?:#~\s*)?(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+".*"|(?:#~\s*)?".*"|\s*)$'
)
_POLIB_LINE = re.compile(r"\(line (\d+)\)")


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


def _from_polib(e: polib.POEntry) -> Entry:
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
        po_line=e.linenum or 0,
    )


def check_syntax(text: str, path: str) -> None:
    """polib skips lines it does not understand; a translator's file must not lose them silently."""
    for number, line in enumerate(text.split("\n"), start=1):
        if not _PO_LINE.match(line):
            raise ToolkitError(
                f"PO syntax error: unexpected line {line[:60]!r}",
                path=path,
                line=number,
                hint="fix the line in a text editor or Poedit, then run the command again",
            )


def parse_catalog(text: str, path: str) -> Catalog:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    check_syntax(text, path)
    try:
        po = polib.pofile(text, wrapwidth=WRAP_WIDTH)
    except (OSError, ValueError) as exc:
        m = _POLIB_LINE.search(str(exc))
        raise ToolkitError(
            f"PO syntax error: {exc}",
            path=path,
            line=int(m.group(1)) if m else None,
            hint="fix the file in a text editor or Poedit, then run the command again",
        ) from exc
    entries = [_from_polib(e) for e in po] + [_from_polib(e) for e in po.obsolete_entries()]
    seen: dict[Key, Entry] = {}
    for entry in entries:
        if entry.obsolete:
            continue
        if entry.key in seen:
            raise ToolkitError(
                f"duplicate entry for msgid {entry.msgid[:60]!r}",
                path=path,
                line=_line_of(text, entry),
                hint="merge the two translations into one entry and delete the other",
            )
        seen[entry.key] = entry
    return Catalog(
        header=MappingProxyType(dict(po.metadata)),
        entries=tuple(entries),
        header_comment=po.header,
        path=path,
    )


def _line_of(text: str, entry: Entry) -> int | None:
    first = entry.msgid.split("\n")[0][:40]
    needle = polib.escape(first)
    lines = text.split("\n")
    hits = [i for i, line in enumerate(lines, 1) if line.startswith("msgid") and needle in line]
    return hits[-1] if hits else None


def _to_polib(e: Entry) -> polib.POEntry:
    kwargs: dict[str, object] = {
        "msgid": e.msgid,
        "msgstr": e.msgstr,
        "flags": list(e.flags),
        "occurrences": [(p, str(n)) for p, n in e.locations],
        "comment": "\n".join(e.comments),
        "tcomment": e.tcomment,
        "obsolete": e.obsolete,
    }
    if e.msgctxt is not None:
        kwargs["msgctxt"] = e.msgctxt
    if e.previous_msgid is not None:
        kwargs["previous_msgid"] = e.previous_msgid
    if e.msgid_plural is not None:
        kwargs["msgid_plural"] = e.msgid_plural
        kwargs["msgstr_plural"] = dict(enumerate(e.msgstr_plural))
        kwargs["msgstr"] = ""
    return polib.POEntry(**kwargs)


def catalog_text(catalog: Catalog) -> str:
    """The file's text; a pure function of the catalog, so an unchanged catalog is byte-identical."""
    po = polib.POFile(wrapwidth=WRAP_WIDTH, check_for_duplicates=False)
    po.header = catalog.header_comment
    po.metadata = dict(catalog.header)
    for entry in catalog.entries:
        po.append(_to_polib(entry))
    text = str(po)
    return text if text.endswith("\n") else text + "\n"
