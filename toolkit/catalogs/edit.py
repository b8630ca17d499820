"""Saving one entry from an editor (`toolkit serve`): versions, the lock, the splice, the proof.

- **Versions.** `entry_base` is a short hash of what an editor shows and a save overwrites: the
  key, msgstr, the fuzzy flag and the previous source (`#|`). A save carries the base it started
  from; when the stored entry's base differs (Poedit saved it, `toolkit update` made it fuzzy,
  another tab saved it), nothing is written and `StaleEntry` carries the stored entry. Other
  entries changing in the same file do not make a base stale: both saves land.
- **The write is update's.** Under `exclusive_lock(locales, "update")`, so update (which reads
  catalogs under that lock) never merges into a copy a save is replacing; atomic (temp file +
  rename); only the entry's own lines change (`splice`), and the result is read back with the
  strict reader and compared entry by entry with what was meant before anything is written.
- A program that does not take our lock (Poedit) may save between our read and our rename: the
  rename happens only if the file is still the one read (`replace_if_unchanged`), else we read
  it again, so its save is not lost either.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from toolkit.catalogs.files import catalog_charset, decode_catalog, read_catalog
from toolkit.catalogs.po import Catalog, Entry, Key, parse_catalog
from toolkit.catalogs.splice import new_flags, splice_entry
from toolkit.config import Config
from toolkit.errors import ToolkitError
from toolkit.fsutil import LockBusy, check_inside, exclusive_lock, file_stamp, replace_if_unchanged

SAVE_WAIT = 3.0  # seconds a save waits for a running `toolkit update` before answering "busy"
_ATTEMPTS = 3  # reads of a file that another program keeps saving while we write
_PYTHON_FORMAT = re.compile(
    r"%(?:\((\w+)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]"
)
_process = threading.Lock()  # saves of one server, one at a time (the file lock is per file handle)


class EntryMissing(ToolkitError):
    """No such active entry (or no such catalog yet)."""


class StaleEntry(ToolkitError):
    """The entry changed since the editor read it; `stored` is the entry as it is now."""

    def __init__(self, message: str, stored: Entry, **where: object) -> None:
        super().__init__(message, **where)  # type: ignore[arg-type]
        self.stored = stored


class BadTranslation(ToolkitError):
    """A msgstr that the file cannot hold, or that `msgfmt -c` would refuse."""


@dataclass(frozen=True)
class Saved:
    entry: Entry  # as stored now
    base: str
    written: bool  # False when the save changed nothing


def entry_base(entry: Entry) -> str:
    """An opaque version of what an editor shows and overwrites of this entry."""
    what = [entry.msgctxt, entry.msgid, entry.msgstr, entry.fuzzy, entry.previous_msgid]
    return hashlib.sha256(json.dumps(what).encode()).hexdigest()[:20]


def read_entry(config: Config, path: Path, key: Key) -> Entry:
    catalog = read_catalog(config, path)
    entry = catalog.lookup(*key) if catalog is not None else None
    if entry is None:
        raise _missing(config, path, catalog)
    return entry


def _missing(config: Config, path: Path, catalog: Catalog | None) -> EntryMissing:
    if catalog is None:
        return EntryMissing(
            "no catalog yet", path=config.rel(path), hint="run `toolkit update` to create it"
        )
    return EntryMissing(
        "no such entry in the catalog",
        path=config.rel(path),
        hint="the source may have changed: run `toolkit update`, then reload the page",
    )


def check_translation(entry: Entry, msgstr: str, path: str) -> None:
    """Refuse what the PO file cannot hold as typed, or what `msgfmt -c` refuses."""
    for ch in msgstr:
        if ch in "\n\t":
            continue
        if unicodedata.category(ch) in ("Cc", "Zl", "Zp"):
            raise BadTranslation(
                f"the translation holds the control character U+{ord(ch):04X}",
                path=path,
                line=entry.po_line,
                hint="delete it; type a line break as a line break",
            )
    if msgstr:
        for where, test in (("begins", str.startswith), ("ends", str.endswith)):
            if test(entry.msgid, "\n") != test(msgstr, "\n"):
                raise BadTranslation(
                    f"the translation {where} with a line break and the source does not, or the other way round",
                    path=path,
                    line=entry.po_line,
                    hint="gettext (msgfmt -c) refuses that: match the source",
                )
    if (
        "python-format" in entry.flags
        and msgstr
        and _placeholders(msgstr) != _placeholders(entry.msgid)
    ):
        raise BadTranslation(
            "the translation's placeholders differ from the source's",
            path=path,
            line=entry.po_line,
            hint="keep every %(name)s of the source, exactly as written",
        )


def _placeholders(text: str) -> Counter[str]:
    return Counter(m.group(0) for m in _PYTHON_FORMAT.finditer(text) if m.group(0) != "%%")


def save_entry(
    config: Config,
    path: Path,
    key: Key,
    *,
    msgstr: str,
    fuzzy: bool,
    base: str,
    wait: float = SAVE_WAIT,
) -> Saved:
    """Write one entry's msgstr and fuzzy flag if its stored version is still `base`.

    Raises EntryMissing, StaleEntry, BadTranslation, and LockBusy when `toolkit update` holds the
    lock for longer than `wait` seconds (nothing written: ask again later)."""
    rel = config.rel(path)
    if path.is_symlink():
        raise EntryMissing(
            "the catalog is a symbolic link: not edited here",
            path=rel,
            hint="edit the file it points to in Poedit",
        )
    if not _process.acquire(timeout=wait):
        raise LockBusy("another save is still running", path=rel, hint="try again in a moment")
    try:
        with exclusive_lock(config.locales_dir, "update", wait=wait):
            for _ in range(_ATTEMPTS):
                saved = _save_once(config, path, rel, key, msgstr, fuzzy, base)
                if saved is not None:
                    return saved
    finally:
        _process.release()
    raise LockBusy(
        "the catalog keeps changing while it is saved (another program is writing it)",
        path=rel,
        hint="try again in a moment",
    )


def _save_once(
    config: Config, path: Path, rel: str, key: Key, msgstr: str, fuzzy: bool, base: str
) -> Saved | None:
    """One read-check-write; None when another program saved the file meanwhile."""
    if path.exists():
        check_inside(config.root, path, rel)
    try:
        stamp = file_stamp(path)
        data = path.read_bytes()
    except FileNotFoundError:
        raise _missing(config, path, None) from None
    text = decode_catalog(data, rel)
    catalog = parse_catalog(text, rel)
    entry = catalog.lookup(*key)
    if entry is None:
        raise _missing(config, path, catalog)
    if entry_base(entry) != base:
        raise StaleEntry(
            "the entry changed since it was opened", entry, path=rel, line=entry.po_line
        )
    check_translation(entry, msgstr, rel)
    wanted = replace(
        entry,
        msgstr=msgstr,
        flags=new_flags(entry, fuzzy),
        previous_msgid=entry.previous_msgid if fuzzy else None,
    )
    if wanted == entry:
        return Saved(entry, base, False)
    new_text = splice_entry(text, rel, key, entry, msgstr=msgstr, fuzzy=fuzzy)
    _prove(catalog, new_text, rel, wanted)
    try:
        payload = new_text.encode(catalog_charset(data, rel))
    except UnicodeEncodeError as exc:
        raise BadTranslation(
            f"the catalog's charset cannot hold {msgstr[exc.start : exc.end]!r}",
            path=rel,
            hint="open the catalog in Poedit and save it once: it converts it to UTF-8",
        ) from exc
    if not replace_if_unchanged(path, payload, stamp):
        return None
    stored = replace(wanted, po_line=entry.po_line)
    return Saved(stored, entry_base(stored), True)


def _prove(old: Catalog, new_text: str, rel: str, wanted: Entry) -> None:
    """Read the new text back: every other entry, the header and its comment exactly as before,
    and this entry as wanted. Anything else is a bug of ours, and nothing is written."""
    new = parse_catalog(new_text, rel)
    expected = tuple(wanted if e.key == wanted.key and not e.obsolete else e for e in old.entries)
    same_header = dict(new.header) == dict(old.header) and new.header_comment == old.header_comment
    if new.entries != expected or not same_header:
        raise ToolkitError(
            "saving this entry would change more of the catalog than the entry: nothing was written",
            path=rel,
            line=wanted.po_line,
            hint="please report this file to the toolkit's maintainers; translate this entry in Poedit meanwhile",
        )
