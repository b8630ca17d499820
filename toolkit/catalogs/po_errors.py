"""What the strict PO scanner says when a line is wrong: the message, its line and what to do.

Kept apart from the scanner (po_syntax.py) so the one pass over the lines stays short to read.
"""

from __future__ import annotations

import re
from typing import NoReturn

from toolkit.errors import ToolkitError

# A keyword (or none: a continuation) and exactly one string, with the escapes polib reads and
# writes back the same (\b \f \v too: polib writes them for those control characters in a source).
# (Written as "unrolled loops": linear, also on a line that does not match.)
STRING = r'"([^"\\]*(?:\\[\\"ntrbfv][^"\\]*)*)"'
ESCAPED = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v"}
# Where the entry being read is.
NONE, CTX, ID, PLURAL, STR, STRN = range(6)

LINE_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
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

FIX = "fix the file in a text editor or Poedit, then run the command again"
CUT = "the file looks cut off: restore it from a backup or version control, or finish the entry"


def fail(message: str, path: str, line: int, hint: str = FIX) -> NoReturn:
    raise ToolkitError(f"PO syntax error: {message}", path=path, line=line, hint=hint)


def bad_string(text: str, what: str, path: str, line: int, last: bool) -> NoReturn:
    """Say precisely what is wrong with `text`, which should be `"..."` after `what`."""
    if not text.startswith('"'):
        shown = text.split()[0][:30] if text.strip() else ""
        if not shown:
            fail(
                f"{what} has no string", path, line, 'write the text in double quotes: msgid "Text"'
            )
        fail(f"expected a string in double quotes after {what}, found {shown!r}", path, line)
    i, n = 1, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            rest = text[i + 1 :].strip()
            if rest.startswith('"'):
                fail(
                    "two strings on one line",
                    path,
                    line,
                    "join them into one string, or put the second on a line of its own",
                )
            fail(
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
                fail(
                    "escape sequence \\a (bell) in a string",
                    path,
                    line,
                    "delete it: polib would write it back as \\\\a, and a document cannot show it",
                )
            if e in "?'":
                fail(
                    f"escape sequence \\{e} in a string",
                    path,
                    line,
                    f"type {e} itself, without the backslash",
                )
            if e in "01234567" or e == "x":
                fail(
                    f"numeric escape sequence {text[i : i + 4]} in a string",
                    path,
                    line,
                    "type the character itself: polib cannot read numeric escapes",
                )
            if e not in ESCAPED:
                fail(
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
        fail("the file ends inside a string", path, line, CUT)
    fail(
        "unterminated string: the closing quote is missing",
        path,
        line,
        'add the closing " at the end of the line; a quote inside the text is written \\"',
    )


def bad_keyword_line(s: str, path: str, line: int, last: bool, previous: bool = False) -> NoReturn:
    if s.startswith('"'):
        bad_string(s, "the line", path, line, last)
    word = re.split(r'[\s"]', s, maxsplit=1)[0]
    rest = s[len(word) :]
    known = (
        ("msgctxt", "msgid", "msgid_plural")
        if previous
        else ("msgctxt", "msgid", "msgid_plural", "msgstr")
    )
    if word in known or (not previous and re.fullmatch(r"msgstr\[[0-9]\]", word)):
        if word == "msgstr" and rest.lstrip(" \t").startswith("["):
            fail("space between msgstr and [", path, line, 'write msgstr[0] "…" without spaces')
        if rest.startswith('"'):
            fail(f"no space between {word} and its string", path, line, f'write {word} "…"')
        bad_string(rest.strip(" \t"), word, path, line, last)
    if not previous and word.startswith("msgstr["):
        fail(
            f"{word}: plural forms are written msgstr[0] to msgstr[9]",
            path,
            line,
            "write the index right after msgstr, without spaces: msgstr[1]",
        )
    if re.fullmatch(r"[A-Za-z_][\w\[\]]*", word) and rest.strip(" \t").startswith('"'):
        allowed = "msgctxt, msgid and msgid_plural" if previous else _KEYWORDS
        fail(
            f"unknown keyword {word!r}",
            path,
            line,
            f"PO keywords are {allowed}; check the spelling",
        )
    fail(
        f"unexpected line {s[:60]!r}",
        path,
        line,
        'every line is a # comment, a keyword with its "string", a "string" that continues the one '
        "above, or empty",
    )


def printable_line(raw: str, path: str, number: int) -> str:
    """`raw` without the \\r of a \\r\\n that was not normalised (one line break for everyone), or
    an error for a character that str.splitlines() (and so polib) takes for a line break."""
    raw = raw.removesuffix("\r")
    odd = LINE_BREAKS.search(raw)
    if odd is not None:
        fail(
            f"the line holds a {_BREAK_NAMES[odd.group()]}",
            path,
            number,
            "delete that character (write \\n in a string for a new line): "
            "it breaks the line for some tools and not for others",
        )
    return raw


def unfinished(
    state: int, ctx_line: int, id_line: int, plural_line: int, path: str, end: bool
) -> NoReturn:
    """A comment, a new entry or the end of the file came where the entry needs more."""
    ends = " (the file ends here)" if end else ""
    if state == CTX:
        fail(
            f"msgctxt without msgid{ends}",
            path,
            ctx_line,
            CUT if end else 'add the msgid "…" and msgstr "…" the context belongs to, or delete it',
        )
    if state == ID:
        fail(
            f"msgid without msgstr{ends}",
            path,
            id_line,
            CUT
            if end
            else 'add msgstr "" after the msgid (empty: not translated yet), or delete it',
        )
    fail(
        f"msgid_plural without msgstr[0]{ends}",
        path,
        plural_line,
        CUT if end else 'add msgstr[0] "" and msgstr[1] "" (one per plural form of the language)',
    )


def msgstr_out_of_place(state: int, str_line: int, path: str, number: int) -> NoReturn:
    if state == PLURAL:
        fail(
            "msgid_plural without msgstr[0]: this entry has plural forms, not one msgstr",
            path,
            number,
            'write msgstr[0] "…", msgstr[1] "…" (one per plural form of the language)',
        )
    also = f" (the entry above has its msgstr on line {str_line})" if state >= STR else ""
    fail(
        f"msgstr without msgid{also}",
        path,
        number,
        "every msgstr needs the msgid it translates right above it: restore the msgid, "
        "or delete the line",
    )


def fail_mixed(path: str, line: int) -> NoReturn:
    fail(
        "inconsistent use of #~: part of this entry is obsolete, part is not",
        path,
        line,
        "mark every line of an obsolete entry with #~, or none",
    )
