"""`toolkit check` on the sources themselves (`--lang nl` for a Dutch project): the rules that read
one text (trademarks, forbidden terms, typography, spelling, register), reported at the source
line that holds the words, `sources/<slug>.md:LINE`.

A rule is silenced for one block by a comment line just above it that holds only `ignore-<rule>`
words: `<!-- ignore-spelling -->` in the Markdown, `# ignore-typography` in the front matter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from toolkit.catalogs import style
from toolkit.catalogs.checks import CHECKS, Problem
from toolkit.catalogs.files import Domain
from toolkit.catalogs.findings import Finding
from toolkit.catalogs.glossary import Glossary
from toolkit.catalogs.po import Entry
from toolkit.catalogs.spelling import Spelling
from toolkit.errors import ToolkitError
from toolkit.fsutil import check_inside

SOURCE_RULES = (style.bare_marks, style.forbidden, style.typography, style.spelling, style.register)
_COMMENT = re.compile(r"^\s*(?:<!--(.*?)-->|#(.*))\s*$")
_SEARCH_LINES = 400  # how far below a unit's line its own words may start (slide points)


def check_sources(
    root: Path, domains: Sequence[Domain], glossary: Glossary, spelling: Spelling
) -> list[Problem]:
    problems: list[Problem] = []
    for domain in domains:
        lines_of: dict[str, list[str]] = {}
        for entry in domain.template.entries:
            ctx = style.TextContext(
                entry.msgid,
                domain.source_lang,
                glossary,
                spelling,
                domain.register(domain.source_lang),
                source=True,
            )
            findings = [f for rule in SOURCE_RULES for f in rule(ctx)]
            if not findings:
                continue
            for path, line in entry.locations:  # a text used twice is reported at each place
                if path not in lines_of:
                    lines_of[path] = _read_lines(root, path)
                problems += _placed(entry, findings, path, line, lines_of[path])
    return problems


def _read_lines(root: Path, rel: str) -> list[str]:
    path = root / rel
    check_inside(root, path, rel)
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ToolkitError(f"cannot read the source: {exc}", path=rel) from exc


def _placed(
    entry: Entry, findings: list[Finding], path: str, line: int, lines: list[str]
) -> list[Problem]:
    start = _unit_start(entry.msgid, line, lines)
    ignored = _ignored_above(start, lines)
    out = []
    for f in findings:
        if f.rule in ignored:
            continue
        where = _line_of(f.found, start, lines) if f.found else start
        out.append(Problem(path, where, f.severity, f.rule, f.message, entry.msgid))
    return out


def _unit_start(text: str, line: int, lines: list[str]) -> int:
    """The line where the unit's text begins: its own line, or for a slide point (located at the
    `slides:` key) the line further down that holds its first words."""
    head = " ".join(text.split()[:4])
    for number in range(line, min(line + _SEARCH_LINES, len(lines)) + 1):
        if head and head in " ".join(lines[number - 1].split()):
            return number
    return line


def _line_of(found: str, start: int, lines: list[str]) -> int:
    """The first line from the unit's start, to the end of its block, that holds `found`."""
    for number in range(start, len(lines) + 1):
        text = lines[number - 1]
        if number > start and not text.strip():
            break
        if found in text:
            return number
    return start


def _ignored_above(start: int, lines: list[str]) -> set[str]:
    """Rules silenced by comment lines right above the unit (blank lines between are allowed)."""
    ignored: set[str] = set()
    number = start - 1
    while number >= 1 and not lines[number - 1].strip():
        number -= 1
    while number >= 1:
        m = _COMMENT.match(lines[number - 1])
        if not m:
            break
        words = (m.group(1) or m.group(2) or "").replace(",", " ").split()
        names = [w.removeprefix("ignore-") for w in words if w.startswith("ignore-")]
        if not words or len(names) != len(words) or not CHECKS.issuperset(names):
            break
        ignored.update(names)
        number -= 1
    return ignored
