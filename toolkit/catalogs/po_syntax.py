"""Strict PO syntax: one pass over the lines, refusing what GNU msgfmt refuses, with its line.

polib reads the data (and writes it back); it accepts entries gettext rejects and reads escapes it
cannot write back. This scanner walks the lines once before polib does, checks every string
literal and the shape of every entry, and gives each entry the line it starts on (what polib calls
`linenum`: the entry's first comment or keyword line; blank lines, empty `#,` `#.` `#:` lines and
`#~|` lines, which polib skips, do not count). Where polib cannot keep something gettext accepts
(`\a`, numeric escapes, characters str.splitlines() breaks at), it is refused too.
"""

from __future__ import annotations

import re
from typing import NamedTuple, NoReturn

from toolkit.errors import ToolkitError

Key = tuple[str | None, str]

# A keyword (or none: a continuation) and exactly one string, with the escapes polib reads and
# writes back the same (\b \f \v too: polib writes them for those control characters in a source).
# (Written as "unrolled loops": linear, also on a line that does not match.)
_STRING = r'"([^"\\]*(?:\\[\\"ntrbfv][^"\\]*)*)"'
_KEYWORD_LINE = re.compile(
    r"(?:(msgctxt|msgid_plural|msgid|msgstr\[[0-9]\]|msgstr)[ \t]+)?" + _STRING
)
_PREVIOUS_LINE = re.compile(r"(?:(msgctxt|msgid_plural|msgid)[ \t]+)?" + _STRING)
_ESCAPED = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v"}
_SINGLE_ESCAPES = tuple(("\\" + e, c) for e, c in _ESCAPED.items() if e != "\\")
# str.splitlines() (and so polib) breaks lines at these too; GNU gettext and editors do not.
_LINE_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_BREAK_NAMES = {
    "\r": "carriage return (\\r)",
    "\x0b": "vertical tab",
    "\x0c": "form feed",
    "\x1c": "file separator (U+001C)",
    "\x1d": "group separator (U+001D)",
    "\x1e": "record separator (U+001E)",
    "\x85": "next line (U+0085)",
    "\u2028": "line separator (U+2028)",
    "\u2029": "paragraph separator (U+2029)",
}
_KEYWORDS = "msgctxt, msgid, msgid_plural, msgstr and msgstr[N]"

# Where the entry being read is.
_NONE, _CTX, _ID, _PLURAL, _STR, _STRN = range(6)

FIX = "fix the file in a text editor or Poedit, then run the command again"
CUT = "the file looks cut off: restore it from a backup or version control, or finish the entry"


class ScannedEntry(NamedTuple):
    line: int  # where the entry starts: its first comment or keyword line
    msgid_line: int
    msgctxt: str | None
    msgid: str
    obsolete: bool

    @property
    def key(self) -> Key:
        return (self.msgctxt, self.msgid)


class Scan(NamedTuple):
    entries: list[ScannedEntry]
    # Lines from here on hold only comments polib skips, and would make it drop the last entry.
    cut_after: int | None


def _unescape(parts: list[str]) -> str:
    """The text of a string's parts, whose escapes are checked: only those of _ESCAPED."""
    body = parts[0] if len(parts) == 1 else "".join(parts)
    if "\\" not in body:
        return body
    # Backslashes pair up from the left, so splitting at \\\\ first leaves single escapes.
    return "\\".join(_unescape_single(p) if "\\" in p else p for p in body.split("\\\\"))


def _unescape_single(text: str) -> str:
    for escape, char in _SINGLE_ESCAPES:
        text = text.replace(escape, char)
    return text


def _fail(message: str, path: str, line: int, hint: str = FIX) -> NoReturn:
    raise ToolkitError(f"PO syntax error: {message}", path=path, line=line, hint=hint)


def _bad_string(text: str, what: str, path: str, line: int, last: bool) -> NoReturn:
    """Say precisely what is wrong with `text`, which should be `"..."` after `what`."""
    if not text.startswith('"'):
        shown = text.split()[0][:30] if text.strip() else ""
        if not shown:
            _fail(
                f"{what} has no string", path, line, 'write the text in double quotes: msgid "Text"'
            )
        _fail(f"expected a string in double quotes after {what}, found {shown!r}", path, line)
    i, n = 1, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            rest = text[i + 1 :].strip()
            if rest.startswith('"'):
                _fail(
                    "two strings on one line",
                    path,
                    line,
                    "join them into one string, or put the second on a line of its own",
                )
            _fail(
                f"text after the closing quote: {rest[:30]!r}",
                path,
                line,
                'a quote inside the text is written \\"; the string ends at the last quote',
            )
        if c == "\\":
            if i + 1 >= n:
                break  # the backslash escapes the closing quote that is missing
            e = text[i + 1]
            if e == "a":
                _fail(
                    "escape sequence \\a (bell) in a string",
                    path,
                    line,
                    "delete it: polib would write it back as \\\\a, and a document cannot show it",
                )
            if e in "?'":
                _fail(
                    f"escape sequence \\{e} in a string",
                    path,
                    line,
                    f"type {e} itself, without the backslash",
                )
            if e in "01234567" or e == "x":
                _fail(
                    f"numeric escape sequence {text[i : i + 4]} in a string",
                    path,
                    line,
                    "type the character itself: polib cannot read numeric escapes",
                )
            if e not in _ESCAPED:
                _fail(
                    f"invalid escape sequence \\{e} in a string",
                    path,
                    line,
                    'a backslash starts an escape: write \\\\ for a backslash, \\" for a quote, '
                    "\\n for a new line, \\t for a tab",
                )
            i += 2
            continue
        i += 1
    if last:
        _fail("the file ends inside a string", path, line, CUT)
    _fail(
        "unterminated string: the closing quote is missing",
        path,
        line,
        'add the closing " at the end of the line; a quote inside the text is written \\"',
    )


def _bad_keyword_line(s: str, path: str, line: int, last: bool, previous: bool = False) -> NoReturn:
    if s.startswith('"'):
        _bad_string(s, "the line", path, line, last)
    word = re.split(r'[\s"]', s, maxsplit=1)[0]
    rest = s[len(word) :]
    known = (
        ("msgctxt", "msgid", "msgid_plural")
        if previous
        else ("msgctxt", "msgid", "msgid_plural", "msgstr")
    )
    if word in known or (not previous and re.fullmatch(r"msgstr\[[0-9]\]", word)):
        if word == "msgstr" and rest.lstrip(" \t").startswith("["):
            _fail("space between msgstr and [", path, line, 'write msgstr[0] "…" without spaces')
        if rest.startswith('"'):
            _fail(f"no space between {word} and its string", path, line, f'write {word} "…"')
        _bad_string(rest.strip(" \t"), word, path, line, last)
    if not previous and word.startswith("msgstr["):
        _fail(
            f"{word}: plural forms are written msgstr[0] to msgstr[9]",
            path,
            line,
            "write the index right after msgstr, without spaces: msgstr[1]",
        )
    if re.fullmatch(r"[A-Za-z_][\w\[\]]*", word) and rest.strip(" \t").startswith('"'):
        allowed = "msgctxt, msgid and msgid_plural" if previous else _KEYWORDS
        _fail(
            f"unknown keyword {word!r}",
            path,
            line,
            f"PO keywords are {allowed}; check the spelling",
        )
    _fail(
        f"unexpected line {s[:60]!r}",
        path,
        line,
        'every line is a # comment, a keyword with its "string", a "string" that continues the one '
        "above, or empty",
    )


def scan(text: str, path: str) -> Scan:
    """Check `text` (newlines normalised to \\n) line by line; raise ToolkitError at the first problem."""
    lines = text.split("\n")
    last_line = len(lines)
    while last_line > 0 and not lines[last_line - 1].strip():
        last_line -= 1  # the last line that is not blank: a string still open there is cut off
    entries: list[ScannedEntry] = []
    state = _NONE
    start = 0  # first line of the entry being read (0: none yet)
    ctx_line = id_line = plural_line = str_line = 0
    obsolete = False
    ctx: str | None = None
    msgid = ""
    parts: list[str] = []  # the msgctxt or msgid being read, in its strings
    collect = False  # continuation strings go into parts
    open_string = False  # a "…" line may continue the last keyword's string
    open_previous = False  # a #| "…" line may continue the last #| keyword's string
    index = 0  # of the last msgstr[N]
    data_end = 0  # the last line of the last entry's strings
    polib_reads = False  # polib processed a line after data_end

    for number, raw in enumerate(lines, 1):
        if not raw.isprintable():
            raw = _printable(raw, path, number)
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
                        _bad_keyword_line(s, path, number, number == last_line)
        if first == "#":
            if kind == "|" or kind == "~":  # previous msgctxt/msgid: #|, or #~| (polib skips it)
                processed, opens = _previous_line(s, kind, open_previous, path, number, last_line)
            else:
                processed, opens = _comment_line(s, kind, path, number), False
            if state != _NONE:
                if state < _STR:
                    _unfinished(state, ctx_line, id_line, plural_line, path, False)
                entries.append(ScannedEntry(start, id_line, ctx, msgid, obsolete))
                state, start = _NONE, 0
            if processed:
                polib_reads = True
                if start == 0:
                    start = number
            open_string, open_previous, collect = False, opens, False
            continue

        m = _KEYWORD_LINE.fullmatch(s)
        if m is None:
            _bad_keyword_line(s, path, number, number == last_line)
        keyword, body = m.group(1, 2)
        open_previous = polib_reads = False
        data_end = number
        if keyword is None:  # a continuation
            if not open_string:
                _fail(
                    "string without a keyword",
                    path,
                    number,
                    'a "…" line continues the string of the msgid, msgstr, … line above it',
                )
            if obs != obsolete:
                _fail_mixed(path, number)
            if collect:
                parts.append(body)
            continue
        open_string = True
        if keyword == "msgid" or keyword == "msgctxt":
            if state == _CTX and keyword == "msgid":
                if obs != obsolete:
                    _fail_mixed(path, number)
                ctx = _unescape(parts)
            else:
                if state >= _STR:  # the entry before is complete
                    entries.append(ScannedEntry(start, id_line, ctx, msgid, obsolete))
                    state, start = _NONE, 0
                elif state != _NONE:
                    _unfinished(state, ctx_line, id_line, plural_line, path, False)
                obsolete, ctx = obs, None
                if start == 0:
                    start = number
            parts, collect = [body], True
            if keyword == "msgid":
                id_line, state = number, _ID
            else:
                ctx_line, state = number, _CTX
            continue
        if state != _NONE and obs != obsolete:
            _fail_mixed(path, number)
        if state == _ID:
            msgid, collect = _unescape(parts), False
        if keyword == "msgstr":
            if state == _ID:
                str_line, state = number, _STR
            else:
                _msgstr_out_of_place(state, str_line, path, number)
        elif keyword == "msgid_plural":
            if state != _ID:
                where = "after msgstr" if state >= _STR else "without msgid"
                _fail(
                    f"msgid_plural {where}",
                    path,
                    number,
                    "msgid_plural goes right after the msgid, before msgstr[0]",
                )
            plural_line, state = number, _PLURAL
        else:  # msgstr[N]
            n = ord(keyword[7]) - 48
            if state == _PLURAL and n == 0:
                state, index = _STRN, 0
            elif state == _STRN and n == index + 1:
                index = n
            elif state in (_PLURAL, _STRN):
                expected = 0 if state == _PLURAL else index + 1
                _fail(
                    f"{keyword} where msgstr[{expected}] belongs",
                    path,
                    number,
                    "number the plural forms 0, 1, 2, … in order",
                )
            else:
                _fail(
                    f"{keyword} without msgid_plural",
                    path,
                    number,
                    'a plural entry has msgid_plural "…" after its msgid; a singular one has msgstr "…"',
                )
    if state != _NONE:
        if state < _STR:
            _unfinished(state, ctx_line, id_line, plural_line, path, True)
        entries.append(ScannedEntry(start, id_line, ctx, msgid, obsolete))
    # polib adds the last entry only when the file's last non-blank line is not a comment; when
    # only comments it skips follow the entry (an empty "#," or a "#~|" line), it loses the entry.
    cut = data_end if entries and not polib_reads and _nonblank_after(lines, data_end) else None
    return Scan(entries, cut)


def _printable(raw: str, path: str, number: int) -> str:
    """`raw` without the \\r of a \\r\\n that was not normalised (one line break for everyone), or
    an error for a character that str.splitlines() (and so polib) takes for a line break."""
    raw = raw.removesuffix("\r")
    odd = _LINE_BREAKS.search(raw)
    if odd is not None:
        _fail(
            f"the line holds a {_BREAK_NAMES[odd.group()]}",
            path,
            number,
            "delete that character (write \\n in a string for a new line): "
            "it breaks the line for some tools and not for others",
        )
    return raw


def _obsolete_line(s: str, path: str, number: int) -> str:
    """What follows the #~ of an obsolete entry's line."""
    rest = s[2:]
    if not rest:
        _fail("#~ without a keyword", path, number, "delete the line")
    if rest[0] not in " \t":
        _fail("put a space after #~", path, number, 'write #~ msgid "…" for an obsolete entry')
    return rest.strip(" \t")


def _previous_line(
    s: str, kind: str, open_previous: bool, path: str, number: int, last_line: int
) -> tuple[bool, bool]:
    """Check a #| (or #~|) line: whether polib reads it, and whether a #| "…" may follow."""
    mark = "#|" if kind == "|" else "#~|"
    body = s[len(mark) :]
    if body and body[0] not in " \t":
        _fail(f"put a space after {mark}", path, number, f'write {mark} msgid "…"')
    body = body.strip(" \t")
    processed = kind == "|"  # polib skips #~| lines
    if not body:
        if processed:  # polib cannot read an empty #| line
            _fail("#| without a keyword", path, number, 'write #| msgid "…", or delete the line')
        return False, False
    m = _PREVIOUS_LINE.fullmatch(body)
    if m is None:
        _bad_keyword_line(body, path, number, number == last_line, previous=True)
    if m.group(1) is None and not open_previous:
        _fail(
            f"{mark} string without a keyword",
            path,
            number,
            f'a {mark} "…" line continues the {mark} msgid "…" line above it',
        )
    return processed, True


def _comment_line(s: str, kind: str, path: str, number: int) -> bool:
    """Check a comment line (#, #. #: #, ##): whether polib reads it (it skips empty #. #: #,)."""
    if kind == "" or kind == "#" or kind.isspace():  # polib reads ## as a translator comment too
        return True
    if kind in ",.:":
        body = s[2:]
        if body and not body[0].isspace():
            _fail(f"put a space after #{kind}", path, number, f"write #{kind} and a space")
        return bool(body.strip())
    _fail(
        f"unknown comment {s[:20]!r}",
        path,
        number,
        "write a translator comment as # and a space, then the text",
    )


def _unfinished(
    state: int, ctx_line: int, id_line: int, plural_line: int, path: str, end: bool
) -> NoReturn:
    """A comment, a new entry or the end of the file came where the entry needs more."""
    ends = " (the file ends here)" if end else ""
    if state == _CTX:
        _fail(
            f"msgctxt without msgid{ends}",
            path,
            ctx_line,
            CUT if end else 'add the msgid "…" and msgstr "…" the context belongs to, or delete it',
        )
    if state == _ID:
        _fail(
            f"msgid without msgstr{ends}",
            path,
            id_line,
            CUT
            if end
            else 'add msgstr "" after the msgid (empty: not translated yet), or delete it',
        )
    _fail(
        f"msgid_plural without msgstr[0]{ends}",
        path,
        plural_line,
        CUT if end else 'add msgstr[0] "" and msgstr[1] "" (one per plural form of the language)',
    )


def _msgstr_out_of_place(state: int, str_line: int, path: str, number: int) -> NoReturn:
    if state == _PLURAL:
        _fail(
            "msgid_plural without msgstr[0]: this entry has plural forms, not one msgstr",
            path,
            number,
            'write msgstr[0] "…", msgstr[1] "…" (one per plural form of the language)',
        )
    also = f" (the entry above has its msgstr on line {str_line})" if state >= _STR else ""
    _fail(
        f"msgstr without msgid{also}",
        path,
        number,
        "every msgstr needs the msgid it translates right above it: restore the msgid, "
        "or delete the line",
    )


def _nonblank_after(lines: list[str], line: int) -> bool:
    return any(s.strip() for s in lines[line:])


def _fail_mixed(path: str, line: int) -> NoReturn:
    _fail(
        "inconsistent use of #~: part of this entry is obsolete, part is not",
        path,
        line,
        "mark every line of an obsolete entry with #~, or none",
    )
