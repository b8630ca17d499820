"""What the editor shows of each unit: source, translation, its version, the glossary terms in it,
memory suggestions, check findings and, for a fuzzy entry, what changed in the source.

The same functions answer the page and the JSON API, so both always agree. Units come from the
article (the template), in source order; each is looked up in the catalog as the build does.
"""

from __future__ import annotations

import difflib
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.catalogs.checks import Finding, check_entry
from toolkit.catalogs.edit import entry_base
from toolkit.catalogs.files import LAYOUTS_DOMAIN, Domain, po_path, read_catalog, target_languages
from toolkit.catalogs.glossary import GLOSSARY_FILE, Glossary, read_glossary
from toolkit.catalogs.memory import Match, Memory
from toolkit.catalogs.po import Catalog, Entry, State, entry_state
from toolkit.catalogs.recall import MEMORY_FOLDER, project_memory
from toolkit.catalogs.spelling import read_spelling
from toolkit.catalogs.status import Progress, domain_progress
from toolkit.catalogs.units import word_count
from toolkit.config import Config
from toolkit.fsutil import file_stamp
from toolkit.serve.data import NotFound, article_slugs, load_domain
from toolkit.sources.rules import is_slug

SUGGESTIONS = 3  # memory suggestions offered per unit


@dataclass(frozen=True)
class Change:
    """A piece of the old or new source of a fuzzy entry: kept, removed or added words."""

    op: str  # "equal", "delete" (only in the old source), "insert" (only in the new)
    text: str


@dataclass(frozen=True)
class EditUnit:
    number: int
    msgid: str
    msgctxt: str | None
    locations: tuple[str, ...]
    notes: tuple[str, ...]  # the template's comments: what kind of block, glossary hints
    words: int
    entry: Entry | None  # None: not in the catalog yet (run toolkit update)
    glossary: tuple[dict[str, Any], ...]
    memory: tuple[Match, ...]
    checks: tuple[Finding, ...]

    @property
    def state(self) -> State:
        return entry_state(self.entry)

    @property
    def base(self) -> str:
        return entry_base(self.entry) if self.entry is not None else ""

    @property
    def old_source(self) -> tuple[Change, ...]:
        return _changes(self.entry, old=True)

    @property
    def new_source(self) -> tuple[Change, ...]:
        return _changes(self.entry, old=False)

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.checks)


@dataclass(frozen=True)
class EditView:
    domain: Domain
    title: str
    lang: str
    po_file: str
    progress: Progress
    units: tuple[EditUnit, ...]
    formats: tuple[str, ...]


def resolve(config: Config, name: str, lang: str) -> tuple[Domain, str, tuple[str, ...], Path]:
    """The domain, its title, formats and the catalog file that may be edited; NotFound for
    anything but a plain slug of an article (or the layouts) and one of its target languages."""
    if not is_slug(name) or (name != LAYOUTS_DOMAIN and name not in article_slugs(config)):
        raise NotFound(f"no article {name!r}", path=config.sources)
    domain, title, formats = load_domain(config, name)
    if lang not in target_languages(config, domain.source_lang):
        raise NotFound(
            f"{lang!r} is not a translation of {name!r} (its source language is {domain.source_lang})",
            hint=f"translations are: {', '.join(target_languages(config, domain.source_lang))}",
        )
    return domain, title, formats, po_path(config, lang, name)


class Memories:
    """The translation memory of each language, rebuilt only when one of its files changed."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._built: dict[str, tuple[tuple[Any, ...], Memory]] = {}

    def get(self, lang: str, own: Path) -> Memory:
        config = self.config
        names = [*article_slugs(config), LAYOUTS_DOMAIN]
        # The catalog being edited goes last: the memory keeps the first translation of each
        # text, so another catalog's translation of the same text is offered, not the entry's own.
        paths = sorted((po_path(config, lang, n) for n in names), key=lambda p: p == own)
        folder = config.locales_dir / MEMORY_FOLDER
        tmx = sorted(folder.glob("*.tmx")) if folder.is_dir() else []
        stamps = tuple((p, _stamp(p)) for p in [*paths, *tmx])
        with self._lock:
            cached = self._built.get(lang)
            if cached is not None and cached[0] == stamps:
                return cached[1]
        catalogs = {(p.stem, lang): read_catalog(config, p) for p in paths}
        memory = project_memory(config, lang, catalogs)
        with self._lock:
            self._built[lang] = (stamps, memory)
        return memory


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        return file_stamp(path)
    except OSError:
        return None


def glossary_of(config: Config) -> Glossary:
    return read_glossary(config.locales_dir, f"{config.locales}/{GLOSSARY_FILE}")


def style_of(config: Config, domain: Domain, lang: str) -> dict[str, Any]:
    """What `toolkit check` knows besides the glossary: the language's spelling list and how
    this article addresses its reader (check_entry's keyword arguments)."""
    return {
        "spelling": read_spelling(config.locales_dir, lang, config.locales),
        "register": domain.register(lang),
    }


def terms(glossary: Glossary, text: str, lang: str) -> tuple[dict[str, Any], ...]:
    return tuple(
        {
            "term": t.term,
            "translation": t.translation(lang),
            "note": t.note,
            "forbidden": list(t.forbidden_in(lang)),
            "read_only": t.read_only,
        }
        for t in glossary.found_in(text)
    )


def edit_view(config: Config, name: str, lang: str, memories: Memories | None) -> EditView:
    """Every unit as the editor shows it; without `memories`, no suggestions (a refresh of the
    units' states does not need them)."""
    domain, title, formats, path = resolve(config, name, lang)
    catalog = read_catalog(config, path)
    glossary = glossary_of(config)
    style = style_of(config, domain, lang)
    memory = memories.get(lang, path) if memories is not None else Memory((), 1.0)
    units = tuple(
        _unit(number, template, catalog, lang, glossary, memory, config.rel(path), style)
        for number, template in enumerate(domain.template.entries, start=1)
    )
    progress = domain_progress(domain, lang, catalog)
    return EditView(domain, title, lang, config.rel(path), progress, units, formats)


def _unit(
    number: int,
    template: Entry,
    catalog: Catalog | None,
    lang: str,
    glossary: Glossary,
    memory: Memory,
    rel: str,
    style: dict[str, Any],
) -> EditUnit:
    entry = catalog.lookup(template.msgctxt, template.msgid) if catalog else None
    return EditUnit(
        number=number,
        msgid=template.msgid,
        msgctxt=template.msgctxt,
        locations=tuple(f"{f}:{n}" if n else f for f, n in template.locations),
        notes=tuple(c for c in template.comments if not c.startswith("glossary:")),
        words=word_count(template.msgid),
        entry=entry,
        glossary=terms(glossary, template.msgid, lang),
        memory=tuple(memory.suggestions(template.msgid, SUGGESTIONS, skip=rel)),
        checks=tuple(check_entry(entry, lang, glossary, **style)) if entry is not None else (),
    )


# --- JSON ---------------------------------------------------------------------------------------


def findings_json(findings: tuple[Finding, ...] | list[Finding]) -> list[dict[str, str]]:
    return [{"severity": f.severity, "rule": f.rule, "message": f.message} for f in findings]


def match_json(match: Match) -> dict[str, Any]:
    return {
        "source": match.unit.source,
        "target": match.unit.target,
        "score": round(match.score * 100),
        "exact": match.exact,
        "origin": match.unit.origin,
    }


def entry_json(
    entry: Entry,
    lang: str,
    glossary: Glossary,
    memory: Memory,
    rel: str,
    style: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An entry as GET /api/entry answers it (and a 409 carries it)."""
    return {
        "msgid": entry.msgid,
        "msgctxt": entry.msgctxt,
        "msgstr": entry.msgstr,
        "fuzzy": entry.fuzzy,
        "state": entry.state,
        "previous_msgid": entry.previous_msgid,
        "comments": {
            "translator": entry.tcomment.splitlines() if entry.tcomment else [],
            "extracted": list(entry.comments),
        },
        "flags": list(entry.flags),
        "locations": [f"{f}:{n}" if n else f for f, n in entry.locations],
        "glossary": list(terms(glossary, entry.msgid, lang)),
        "memory": [match_json(m) for m in memory.suggestions(entry.msgid, SUGGESTIONS, skip=rel)],
        "checks": findings_json(check_entry(entry, lang, glossary, **(style or {}))),
        "base": entry_base(entry),
    }


def unit_state_json(unit: EditUnit) -> dict[str, Any]:
    """What the page refreshes of a unit when its catalog changed on disk."""
    entry = unit.entry
    return {
        "number": unit.number,
        "msgctxt": unit.msgctxt,
        "msgid": unit.msgid,
        "base": unit.base,
        "msgstr": entry.msgstr if entry else "",
        "fuzzy": entry.fuzzy if entry else False,
        "state": unit.state,
        "checks": findings_json(unit.checks),
    }


# --- what changed in a fuzzy entry's source -------------------------------------------------------

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def _changes(entry: Entry | None, *, old: bool) -> tuple[Change, ...]:
    if entry is None or not entry.fuzzy or entry.previous_msgid is None:
        return ()
    a, b = _TOKEN.findall(entry.previous_msgid), _TOKEN.findall(entry.msgid)
    out: list[Change] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(Change("equal", "".join(a[i1:i2] if old else b[j1:j2])))
            continue
        if old and i2 > i1:
            out.append(Change("delete", "".join(a[i1:i2])))
        if not old and j2 > j1:
            out.append(Change("insert", "".join(b[j1:j2])))
    return tuple(_merge(out))


def _merge(parts: list[Change]) -> list[Change]:
    """Neighbouring pieces of the same kind as one, and a lone space between two changes marked
    with them, so "<del>a</del> <del>b</del>" reads as one change."""
    folded = [
        Change(parts[i - 1].op, p.text)
        if p.op == "equal"
        and p.text.isspace()
        and 0 < i < len(parts) - 1
        and parts[i - 1].op == parts[i + 1].op != "equal"
        else p
        for i, p in enumerate(parts)
    ]
    merged: list[Change] = []
    for part in folded:
        if merged and merged[-1].op == part.op:
            merged[-1] = Change(part.op, merged[-1].text + part.text)
        else:
            merged.append(part)
    return merged
