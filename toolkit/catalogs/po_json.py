"""A catalog as the cache keeps it: JSON of what parse_catalog read from a file's bytes.

Reading this back is about five times cheaper than reading the PO text again (json's C decoder
against our line-by-line scanner), which is what an update after edits spends most on. The JSON
is only ever trusted for the file whose sha256 it is stored under (cache.py), and a value of a
wrong type is a damaged cache: TypeError or ValueError, and the file is read instead.
"""

from __future__ import annotations

import json
from types import MappingProxyType
from typing import Any

from toolkit.catalogs.cache_records import json_text, locations_of, texts_of
from toolkit.catalogs.po import Catalog, Entry

FORMAT = 1  # of the JSON below


def catalog_json(catalog: Catalog) -> bytes:
    entries = [
        [
            e.msgid,
            e.msgstr,
            e.msgctxt,
            e.flags,
            e.previous_msgid,
            e.locations,
            e.comments,
            e.tcomment,
            e.obsolete,
            e.msgid_plural,
            e.msgstr_plural,
            e.po_line,
        ]
        for e in catalog.entries
    ]
    value = [FORMAT, list(catalog.header.items()), catalog.header_comment, entries]
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def catalog_from_json(data: bytes, path: str, digest: str) -> Catalog:
    """The catalog `catalog_json` wrote, named `path` with the file's hash `digest`."""
    form, header, header_comment, rows = json.loads(data)
    if form != FORMAT:
        raise ValueError("another format")
    entries = tuple(_entry(*row) for row in rows)
    return Catalog(
        header=MappingProxyType({json_text(k): json_text(v) for k, v in header}),
        entries=entries,
        header_comment=json_text(header_comment),
        path=path,
        digest=digest,
    )


def _entry(
    msgid: Any,
    msgstr: Any,
    msgctxt: Any,
    flags: Any,
    previous: Any,
    locations: Any,
    comments: Any,
    tcomment: Any,
    obsolete: Any,
    plural: Any,
    msgstr_plural: Any,
    po_line: Any,
) -> Entry:
    if not (
        type(msgid) is str
        and type(msgstr) is str
        and type(tcomment) is str
        and type(obsolete) is bool
        and type(po_line) is int
        and (msgctxt is None or type(msgctxt) is str)
        and (previous is None or type(previous) is str)
        and (plural is None or type(plural) is str)
    ):
        raise TypeError("not an entry")
    return Entry(
        msgid,
        msgstr,
        msgctxt,
        texts_of(flags),
        previous,
        locations_of(locations),
        texts_of(comments),
        tcomment,
        obsolete,
        plural,
        texts_of(msgstr_plural),
        po_line,
    )
