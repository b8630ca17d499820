"""Changing one entry of a PO file in place: its msgstr and its fuzzy flag, nothing else.

`toolkit update` writes whole catalogs; an editor that saves one entry must not re-wrap the rest of
a file that Poedit (or a person) last saved with other line wrapping. So the file's text is kept
as it is, line for line, and only the entry's own `#,` flags line, its `#|` previous-source lines
(dropped when fuzzy is cleared, as update drops them) and its msgstr lines are replaced. The new
lines are written exactly as `catalog_text` writes them, so they look like update's.

The file must have passed the strict reader (`parse_catalog`): the lines walked here are then
known to be well formed.
"""

from __future__ import annotations

from types import MappingProxyType

from toolkit.catalogs.po import Catalog, Entry, Key
from toolkit.catalogs.po_syntax import scan
from toolkit.catalogs.po_write import catalog_text
from toolkit.errors import ToolkitError


def entry_span(text: str, path: str, key: Key) -> tuple[int, int] | None:
    """The first and last line (1-based, inclusive) of the active entry `key` in `text`
    (newlines normalised to \\n), or None when the file has no such entry."""
    found = next(
        (e for e in scan(text, path).entries if e.key == key and not e.obsolete),
        None,
    )
    if found is None:
        return None
    lines = text.split("\n")
    end = found.msgid_line
    # After the msgid: its continuation strings, msgid_plural, msgstr (or msgstr[N]) and theirs.
    # A comment, a new keyword or the end of the file ends the entry; blank lines may sit inside.
    for number in range(found.msgid_line + 1, len(lines) + 1):
        s = lines[number - 1].strip(" \t")
        if not s:
            continue
        if s.startswith(('"', "msgstr", "msgid_plural")):
            end = number
            continue
        break
    return found.line, end


def new_flags(entry: Entry, fuzzy: bool) -> tuple[str, ...]:
    """The entry's flags with fuzzy set or cleared; fuzzy goes first, where update puts it."""
    rest = tuple(f for f in entry.flags if f != "fuzzy")
    return ("fuzzy", *rest) if fuzzy else rest


def _canonical(entry: Entry) -> tuple[list[str], list[str]]:
    """The `#,` line and the msgstr lines of `entry` as catalog_text writes them."""
    text = catalog_text(Catalog(MappingProxyType({}), (entry,)))
    lines = text.rstrip("\n").split("\n")
    # The first line of our entry follows the empty header's blank line.
    body = lines[lines.index("") + 1 :]
    flags = [line for line in body if line.startswith("#,")]
    first = next(i for i, line in enumerate(body) if line.startswith("msgstr"))
    return flags, body[first:]


def splice_entry(text: str, path: str, key: Key, entry: Entry, *, msgstr: str, fuzzy: bool) -> str:
    """`text` (a PO file's text as read, BOM and CRLF included) with the active entry `key`,
    stored as `entry`, now holding `msgstr` and the fuzzy flag `fuzzy`; every other line as it was.
    """
    if entry.msgid_plural is not None:
        raise ToolkitError(
            "plural entries are not edited here",
            path=path,
            line=entry.po_line,
            hint="translate this entry in Poedit",
        )
    body = text.removeprefix("\ufeff")
    bom = text[: len(text) - len(body)]
    span = entry_span(body.replace("\r\n", "\n"), path, key)
    if span is None:
        raise ToolkitError(f"no entry for msgid {key[1][:60]!r}", path=path)
    start, end = span
    # Lines as in the file: split at \n only, so a line keeps its \r (the strict reader refuses a
    # lone \r, and every other character that some tool takes for a line break).
    lines = body.split("\n")
    flags_line, msgstr_lines = _canonical(
        Entry(
            msgid=entry.msgid,
            msgctxt=entry.msgctxt,
            msgstr=msgstr,
            flags=new_flags(entry, fuzzy),
        )
    )
    out: list[str] = []
    flags_done = False
    in_msgstr = False
    for raw in lines[start - 1 : end]:
        cr = "\r" if raw.endswith("\r") else ""
        s = raw.strip(" \t\r")
        if in_msgstr and (s.startswith('"') or not s):
            continue  # the old msgstr's continuation lines (and blank lines among them)
        in_msgstr = False
        if s.startswith("#,"):
            if not flags_done:
                out += [line + cr for line in flags_line]
                flags_done = True
            continue
        if s.startswith("#|"):
            if fuzzy:
                out.append(raw)
            continue
        if not s.startswith("#") and s and not flags_done:
            # The entry had no flags line: it goes after the comments, before msgctxt/msgid.
            out += [line + cr for line in flags_line]
            flags_done = True
        if s.startswith("msgstr"):
            out += [line + cr for line in msgstr_lines]
            in_msgstr = True
            continue
        out.append(raw)
    _keep_previous_before_keywords(out)
    return bom + "\n".join([*lines[: start - 1], *out, *lines[end:]])


def _keep_previous_before_keywords(out: list[str]) -> None:
    """A flags line inserted into an entry without one must come before its `#|` lines, as
    gettext orders them: move it up past them."""
    for i, line in enumerate(out):
        if line.startswith("#,"):
            j = i
            while j > 0 and out[j - 1].lstrip(" \t").startswith("#|"):
                j -= 1
            if j != i:
                out.insert(j, out.pop(i))
            return
