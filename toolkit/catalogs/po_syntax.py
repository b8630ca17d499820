"""Strict PO reading: one pass over the lines that refuses what GNU msgfmt refuses, with its line,
and reads every entry as polib 1.2 reads it.

polib used to read the data after this check; at 1,000 articles its parser was a third of an update.
The scan now keeps what polib kept (comments, flags, locations, the previous msgid, the strings)
with polib's rules for each kind of line, so the toolkit reads the same catalogs as before, entry
for entry (a test compares with polib), without a second parser. Each entry gets the line it
starts on (what polib calls `linenum`: the entry's first comment or keyword line; blank lines,
empty `#,` `#.` `#:` lines and `#~|` lines, which polib skips, do not count). Where polib cannot
keep something gettext accepts (`\\a`, numeric escapes, characters str.splitlines() breaks at), it
is refused too. The messages for each problem are in po_errors.py.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from toolkit.catalogs.po_errors import (
    CTX,
    ESCAPED,
    ID,
    LINE_BREAKS,
    NONE,
    PLURAL,
    STR,
    STRING,
    STRN,
    bad_keyword_line,
    fail,
    fail_mixed,
    msgstr_out_of_place,
    printable_line,
    unfinished,
)

Key = tuple[str | None, str]

_KEYWORD_LINE = re.compile(r"(?:(msgctxt|msgid_plural|msgid|msgstr\[[0-9]\]|msgstr)[ \t]+)?" + STRING)
_PREVIOUS_LINE = re.compile(r"(?:(msgctxt|msgid_plural|msgid)[ \t]+)?" + STRING)
_SINGLE_ESCAPES = tuple(("\\" + e, c) for e, c in ESCAPED.items() if e != "\\")


class ScannedEntry(NamedTuple):
    line: int  # where the entry starts: its first comment or keyword line
    msgid_line: int
    msgctxt: str | None
    msgid: str
    obsolete: bool
    msgstr: str = ""
    msgid_plural: str | None = None  # as polib keeps it: an empty one is none
    msgstr_plural: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    comments: tuple[str, ...] = ()  # extracted comments (#.), empty ones left out
    tcomment: str = ""  # translator comments (# ), one line each
    locations: tuple[tuple[str, int], ...] = ()  # (file, line); 0 where no line is given
    previous_msgid: str | None = None

    @property
    def key(self) -> Key:
        return (self.msgctxt, self.msgid)


class Scan(NamedTuple):
    entries: list[ScannedEntry]
    # Lines from here on hold only comments polib skips, and would make it drop the last entry.
    cut_after: int | None
    # The translator comments before the first entry (polib's `header`), one line each.
    header_comment: str = ""


def _unescape(parts: list[str]) -> str:
    """The text of a string's parts, whose escapes are checked: only those of ESCAPED."""
    body = parts[0] if len(parts) == 1 else "".join(parts)
    if "\\" not in body:
        return body
    # Backslashes pair up from the left, so splitting at \\\\ first leaves single escapes.
    return "\\".join(_unescape_single(p) if "\\" in p else p for p in body.split("\\\\"))


def _unescape_single(text: str) -> str:
    for escape, char in _SINGLE_ESCAPES:
        text = text.replace(escape, char)
    return text


def _location(occurrence: str) -> tuple[str, int]:
    """polib's reading of one `#:` word: `file:line`, or the whole word with no line."""
    path, colon, line = occurrence.rpartition(":")
    if colon and line.isdigit():
        return (path, int(line)) if line.isdecimal() else (occurrence, 0)
    return (occurrence, 0)


class _Entry:
    """What has been read of the entry being scanned (polib's rules, line by line)."""

    __slots__ = ("flags", "gc", "locations", "plural", "previous", "strs", "tc")

    def __init__(self) -> None:
        self.tc: list[str] = []
        self.gc: list[str] = []
        self.locations: list[tuple[str, int]] = []
        self.flags: list[str] = []
        self.previous: list[str] | None = None  # the #| msgid's parts
        self.plural: list[str] | None = None  # msgid_plural's parts
        self.strs: list[list[str]] = []  # msgstr's parts, or each msgstr[N]'s

    def comment(self, token: str, kind: str) -> None:
        """A comment line polib reads (`token`: the line stripped, without an obsolete #~)."""
        if kind == ".":
            self.gc.append(token[3:])
        elif kind == ":":
            self.locations += [_location(o) for o in token[3:].split()]
        elif kind == ",":
            self.flags += [f.strip() for f in token[3:].split(",")]
        else:  # a translator comment: #, ## or # followed by a space
            text = token.lstrip("#")
            line = text[1:] if text.startswith(" ") else text
            if self.tc or line:  # polib starts a new line only after some text: leading empty ones go
                self.tc.append(line)

    def done(self, start: int, id_line: int, ctx: str | None, msgid: str, obsolete: bool) -> ScannedEntry:
        plural = _unescape(self.plural) if self.plural is not None else ""
        strs = [_unescape(parts) for parts in self.strs]
        return ScannedEntry(
            start,
            id_line,
            ctx,
            msgid,
            obsolete,
            msgstr=strs[0] if self.plural is None and strs else "",
            msgid_plural=plural or None,
            msgstr_plural=tuple(strs) if self.plural is not None else (),
            flags=tuple(self.flags),
            comments=tuple(c for c in self.gc if c),
            tcomment="\n".join(self.tc),
            locations=tuple(self.locations),
            previous_msgid=_unescape(self.previous) if self.previous is not None else None,
        )


def scan(text: str, path: str) -> Scan:
    """Check and read `text` (newlines normalised to \\n) line by line; raise ToolkitError at the
    first problem."""
    lines = text.split("\n")
    last_line = len(lines)
    while last_line > 0 and not lines[last_line - 1].strip():
        last_line -= 1  # the last line that is not blank: a string still open there is cut off
    entries: list[ScannedEntry] = []
    header = ""
    in_header = True  # translator comments before anything else are the file's header (polib)
    state = NONE
    start = 0  # first line of the entry being read (0: none yet)
    ctx_line = id_line = plural_line = str_line = 0
    obsolete = False
    ctx: str | None = None
    msgid = ""
    current = _Entry()
    parts: list[str] = []  # the string being read, in its pieces (continuations append)
    open_string = False  # a "…" line may continue the last keyword's string
    open_previous: tuple[str, list[str]] | None = None  # a #| "…" line may continue this #| string
    index = 0  # of the last msgstr[N]
    data_end = 0  # the last line of the last entry's strings
    polib_reads = False  # polib processed a line after data_end

    # Most files hold no character str.splitlines() breaks at: then no line needs a look.
    odd = LINE_BREAKS.search(text) is not None
    for number, raw in enumerate(lines, 1):
        if odd and not raw.isprintable():
            raw = printable_line(raw, path, number)
        s = raw.strip(" \t")
        if not s:
            continue
        obs = False
        first = s[0]
        if first == "#":
            kind = s[1:2]
            if kind == "~" and s[2:3] != "|":  # an obsolete entry's line
                s, obs = _obsolete_line(s, path, number), True
                first = s[0]
                if first == "#":  # a comment of an obsolete entry: #~ #, fuzzy
                    kind = s[1:2]
                    if kind in ("~", "|"):
                        bad_keyword_line(s, path, number, number == last_line)
        if first == "#":
            if state != NONE:
                if state < STR:
                    unfinished(state, ctx_line, id_line, plural_line, path, False)
                entries.append(current.done(start, id_line, ctx, msgid, obsolete))
                state, start, current = NONE, 0, _Entry()
            translator = kind == "" or kind == "#" or kind.isspace()  # polib reads ## as # too
            if kind == "|" or kind == "~":  # previous msgctxt/msgid: #|, or #~| (polib skips it)
                processed, opens = _previous_line(
                    s, kind, current, open_previous, path, number, last_line
                )
            else:
                processed, opens = translator or _comment_line(s, kind, path, number), None
                if processed:
                    # polib reads the whole line stripped (any whitespace), less an obsolete #~.
                    token = raw.strip()
                    if obs:
                        token = token[3:].strip()
                    if in_header and translator:
                        # polib joins these with newlines, but only once the header holds text.
                        header = f"{header}\n{token[2:]}" if header else token[2:]
                    else:
                        current.comment(token, kind)
            if processed:
                polib_reads = True
                in_header = in_header and translator
                if start == 0:
                    start = number
            open_string, open_previous = False, opens
            continue

        m = _KEYWORD_LINE.fullmatch(s)
        if m is None:
            bad_keyword_line(s, path, number, number == last_line)
        keyword, body = m.group(1, 2)
        open_previous, polib_reads, in_header = None, False, False
        data_end = number
        if keyword is None:  # a continuation
            if not open_string:
                fail(
                    "string without a keyword",
                    path,
                    number,
                    'a "…" line continues the string of the msgid, msgstr, … line above it',
                )
            if obs != obsolete:
                fail_mixed(path, number)
            parts.append(body)
            continue
        open_string = True
        if keyword == "msgid" or keyword == "msgctxt":
            if state == CTX and keyword == "msgid":
                if obs != obsolete:
                    fail_mixed(path, number)
                ctx = _unescape(parts)
            else:
                if state >= STR:  # the entry before is complete
                    entries.append(current.done(start, id_line, ctx, msgid, obsolete))
                    state, start, current = NONE, 0, _Entry()
                elif state != NONE:
                    unfinished(state, ctx_line, id_line, plural_line, path, False)
                obsolete, ctx = obs, None
                if start == 0:
                    start = number
            parts = [body]
            if keyword == "msgid":
                id_line, state = number, ID
            else:
                ctx_line, state = number, CTX
            continue
        if state != NONE and obs != obsolete:
            fail_mixed(path, number)
        if state == ID:
            msgid = _unescape(parts)
        parts = [body]
        if keyword == "msgstr":
            if state == ID:
                str_line, state = number, STR
                current.strs.append(parts)
            else:
                msgstr_out_of_place(state, str_line, path, number)
        elif keyword == "msgid_plural":
            if state != ID:
                where = "after msgstr" if state >= STR else "without msgid"
                fail(
                    f"msgid_plural {where}",
                    path,
                    number,
                    "msgid_plural goes right after the msgid, before msgstr[0]",
                )
            plural_line, state = number, PLURAL
            current.plural = parts
        else:  # msgstr[N]
            n = ord(keyword[7]) - 48
            if state == PLURAL and n == 0:
                state, index = STRN, 0
            elif state == STRN and n == index + 1:
                index = n
            elif state in (PLURAL, STRN):
                expected = 0 if state == PLURAL else index + 1
                fail(
                    f"{keyword} where msgstr[{expected}] belongs",
                    path,
                    number,
                    "number the plural forms 0, 1, 2, … in order",
                )
            else:
                fail(
                    f"{keyword} without msgid_plural",
                    path,
                    number,
                    'a plural entry has msgid_plural "…" after its msgid; a singular one has msgstr "…"',
                )
            current.strs.append(parts)
    if state != NONE:
        if state < STR:
            unfinished(state, ctx_line, id_line, plural_line, path, True)
        entries.append(current.done(start, id_line, ctx, msgid, obsolete))
    # polib adds the last entry only when the file's last non-blank line is not a comment; when
    # only comments it skips follow the entry (an empty "#," or a "#~|" line), it loses the entry.
    cut = data_end if entries and not polib_reads and _nonblank_after(lines, data_end) else None
    return Scan(entries, cut, header)


def _obsolete_line(s: str, path: str, number: int) -> str:
    """What follows the #~ of an obsolete entry's line."""
    rest = s[2:]
    if not rest:
        fail("#~ without a keyword", path, number, "delete the line")
    if rest[0] not in " \t":
        fail("put a space after #~", path, number, 'write #~ msgid "…" for an obsolete entry')
    return rest.strip(" \t")


def _previous_line(
    s: str,
    kind: str,
    entry: _Entry,
    open_previous: tuple[str, list[str]] | None,
    path: str,
    number: int,
    last_line: int,
) -> tuple[bool, tuple[str, list[str]] | None]:
    """Check and read a #| (or #~|) line: whether polib reads it, and the string a #| "…" line
    would continue, with the kind of line that opened it (None: none may follow)."""
    mark = "#|" if kind == "|" else "#~|"
    body = s[len(mark) :]
    if body and body[0] not in " \t":
        fail(f"put a space after {mark}", path, number, f'write {mark} msgid "…"')
    body = body.strip(" \t")
    processed = kind == "|"  # polib skips #~| lines
    if not body:
        if processed:  # polib cannot read an empty #| line
            fail("#| without a keyword", path, number, 'write #| msgid "…", or delete the line')
        return False, None
    m = _PREVIOUS_LINE.fullmatch(body)
    if m is None:
        bad_keyword_line(body, path, number, number == last_line, previous=True)
    keyword, string = m.group(1, 2)
    if keyword is None:
        if open_previous is None:
            fail(
                f"{mark} string without a keyword",
                path,
                number,
                f'a {mark} "…" line continues the {mark} msgid "…" line above it',
            )
        opened, previous = open_previous
        if opened != kind:  # #~| msgid "…" then #| "…", or the other way round: as msgfmt
            fail_mixed(path, number)
        if processed:
            previous.append(string)
        return processed, open_previous
    parts = [string]
    if processed and keyword == "msgid":  # polib's previous msgctxt and msgid_plural: not kept
        entry.previous = parts
    return processed, (kind, parts)


def _comment_line(s: str, kind: str, path: str, number: int) -> bool:
    """Check a #. #: or #, line: whether polib reads it (it skips an empty one)."""
    if kind and kind in ",.:":
        body = s[2:]
        if body and not body[0].isspace():
            fail(f"put a space after #{kind}", path, number, f"write #{kind} and a space")
        return bool(body.strip())
    fail(
        f"unknown comment {s[:20]!r}",
        path,
        number,
        "write a translator comment as # and a space, then the text",
    )


def _nonblank_after(lines: list[str], line: int) -> bool:
    return any(s.strip() for s in lines[line:])
