"""The toolkit's PO reading and writing as they were with polib (before toolkit 0.1's own reader
and writer): the reference the fast ones are proved against, byte for byte and entry for entry."""

from __future__ import annotations

from types import MappingProxyType

import polib

from toolkit.catalogs.po import Catalog, Entry, _check_duplicates
from toolkit.catalogs.po_syntax import ScannedEntry, scan
from toolkit.errors import ToolkitError

WRAP_WIDTH = 78


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
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    scanned = scan(text, path)
    _check_duplicates(scanned.entries, path)
    if scanned.cut_after is not None:
        text = "\n".join(text.split("\n")[: scanned.cut_after]) + "\n"
    po = polib.pofile(text, wrapwidth=WRAP_WIDTH)
    lines = _entry_lines(scanned.entries, po, path)
    read = [_from_polib(e, line) for e, line in zip(po, lines, strict=True)]
    return Catalog(
        header=MappingProxyType(dict(po.metadata)),
        entries=tuple(e for e in read if not e.obsolete) + tuple(e for e in read if e.obsolete),
        header_comment=po.header,
        path=path,
    )


def _entry_lines(scanned: list[ScannedEntry], po: polib.POFile, path: str) -> list[int]:
    empty = [i for i, e in enumerate(scanned) if e.msgid == "" and not e.obsolete]
    header = None
    if len(empty) == 1:
        header = empty[0]
    elif empty:
        plain = [i for i in empty if scanned[i].msgctxt is None]
        header = plain[-1] if plain else empty[0]
    ours = [e for i, e in enumerate(scanned) if i != header]
    if len(ours) != len(po) or any(
        (s.msgctxt, s.msgid, s.obsolete) != (e.msgctxt, e.msgid, bool(e.obsolete))
        for s, e in zip(ours, po, strict=True)
    ):
        raise ToolkitError("polib and the syntax check see different entries", path=path)
    return [s.line for s in ours]


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
    po = polib.POFile(wrapwidth=WRAP_WIDTH, check_for_duplicates=False)
    po.header = catalog.header_comment
    po.metadata = dict(catalog.header)
    for entry in catalog.entries:
        po.append(_to_polib(entry))
    text = str(po)
    return text if text.endswith("\n") else text + "\n"
