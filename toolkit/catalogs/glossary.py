"""The project glossary: `locales/glossary.csv`, one term a row, a column per language.

CSV because translators edit it in a spreadsheet and Weblate imports it. Columns:

    term, pos, note, flags, <lang>..., forbidden:<lang>..., hint:<lang>...

`<lang>` holds the agreed translation; `forbidden:<lang>` variants that must not be used, separated
by `;` (a trailing `*` stands for any ending: `Heilung*` also forbids "Heilungsprozess"); the
source language's own column forbids them in the sources. `hint:<lang>` says what to write
instead where no single translation fits ("symptoms, problems or pain, by sentence"). Flag
`read-only` marks a term that stays as written in every language (TRE®).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import ToolkitError

GLOSSARY_FILE = "glossary.csv"
_FIXED = ("term", "pos", "note", "flags")


@dataclass(frozen=True)
class Term:
    term: str
    pos: str
    note: str
    flags: tuple[str, ...]
    translations: tuple[tuple[str, str], ...]  # (lang, agreed translation)
    forbidden: tuple[tuple[str, tuple[str, ...]], ...]  # (lang, forbidden variants)
    line: int
    hints: tuple[tuple[str, str], ...] = ()  # (lang, what to write instead of a forbidden variant)

    @property
    def read_only(self) -> bool:
        return "read-only" in self.flags

    def translation(self, lang: str) -> str:
        if self.read_only:
            return self.term
        return dict(self.translations).get(lang, "")

    def forbidden_in(self, lang: str) -> tuple[str, ...]:
        return dict(self.forbidden).get(lang, ())

    def hint(self, lang: str) -> str:
        return dict(self.hints).get(lang, "")


def variant_pattern(variant: str) -> re.Pattern[str]:
    """A forbidden variant as a whole word; a trailing `*` allows any ending (Heilung*)."""
    stem = variant.removesuffix("*")
    tail = r"\w*" if variant.endswith("*") else ""
    return re.compile(r"(?<!\w)" + re.escape(stem) + tail + r"(?!\w)", re.IGNORECASE)


def term_pattern(term: str) -> re.Pattern[str]:
    """A translation at a word start: inflected forms and compounds (Zwerchfells, Psoas-Spannung)
    still count as using the agreed term."""
    return re.compile(r"(?<!\w)" + re.escape(term), re.IGNORECASE)


def source_pattern(term: str) -> re.Pattern[str]:
    """A source term as a word, with a plural ending at most: `bekken` is found in "het bekken"
    and "bekkens", not in the compound "bekkenbodem", which has a meaning of its own."""
    return re.compile(r"(?<!\w)" + re.escape(term) + r"(?:s|en|e|n|'s)?(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]
    path: str = ""

    def found_in(self, text: str) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if source_pattern(t.term).search(text))

    def hints(self, text: str, lang: str) -> tuple[str, ...]:
        """Extracted comments for a PO entry, so Poedit shows the agreed terms beside the text."""
        out = []
        for t in self.found_in(text):
            target = t.translation(lang)
            avoid = t.forbidden_in(lang)
            if not target and not avoid:
                continue
            extra = f" ({t.note})" if t.note and target else ""
            if avoid:
                extra += f"; not: {', '.join(avoid)}"
            if t.hint(lang):
                extra += f" ({t.hint(lang)})"
            shown = f"{t.term} = {target}{extra}" if target else f"{t.term}{extra}"
            out.append(f"glossary: {shown}")
        return tuple(out)


EMPTY = Glossary(())


def parse_glossary(text: str, path: str) -> Glossary:
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")), strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ToolkitError(
            f"glossary is not valid CSV: {exc}",
            path=path,
            line=reader.line_num,
            hint="every quote that opens a cell must close it; save as CSV (UTF-8)",
        ) from exc
    if not rows:
        return Glossary((), path)
    header = [h.strip() for h in rows[0]]
    if "term" not in header:
        raise ToolkitError(
            "glossary has no 'term' column",
            path=path,
            line=1,
            hint=f"the first row names the columns: {', '.join(_FIXED)}, then one per language",
        )
    terms = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise ToolkitError(
                f"row has {len(row)} cells but the header names {len(header)} columns",
                path=path,
                line=number,
                hint="quote cells that contain a comma",
            )
        cells = dict(zip(header, (c.strip() for c in row), strict=False))
        if not cells.get("term"):
            raise ToolkitError("row without a term", path=path, line=number)
        translations = tuple(
            (col, value) for col, value in cells.items() if col not in _FIXED and ":" not in col and value
        )
        forbidden = tuple(
            (col.split(":", 1)[1], tuple(v.strip() for v in value.split(";") if v.strip()))
            for col, value in cells.items()
            if col.startswith("forbidden:") and value
        )
        hints = tuple(
            (col.split(":", 1)[1], value) for col, value in cells.items() if col.startswith("hint:") and value
        )
        flags = tuple(f.strip() for f in cells.get("flags", "").split(",") if f.strip())
        terms.append(
            Term(
                cells["term"],
                cells.get("pos", ""),
                cells.get("note", ""),
                flags,
                translations,
                forbidden,
                number,
                hints,
            )
        )
    return Glossary(tuple(terms), path)


def read_glossary(locales: Path, rel: str) -> Glossary:
    path = locales / GLOSSARY_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return EMPTY
    except UnicodeDecodeError as exc:
        raise ToolkitError("glossary is not valid UTF-8", path=rel, hint="save it as UTF-8 CSV") from exc
    return parse_glossary(text, rel)
