"""Template + previous catalog -> new catalog, losing nothing a translator wrote.

The rules: exact text keeps its translation; changed text gets the closest previous translation
(`match`) as fuzzy with `#|` previous msgid; removed text becomes obsolete and comes back when its
text returns; flags we set and flags the translator set both survive.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from babel import Locale

from toolkit.catalogs.match import Matcher
from toolkit.catalogs.memory import Lookup
from toolkit.catalogs.po import Catalog, Entry, Key

# Header fields the toolkit owns; everything else in a translator's header is kept as it is.
CONTENT_TYPE = "text/plain; charset=UTF-8"


@dataclass(frozen=True)
class MergeStats:
    kept: int = 0
    fuzzy_new: int = 0
    revived: int = 0
    obsoleted: int = 0
    untranslated: int = 0
    memory_exact: int = 0
    memory_fuzzy: int = 0


def template_header(project: str) -> dict[str, str]:
    return {
        "Project-Id-Version": project,
        "PO-Revision-Date": "",
        "Last-Translator": "",
        "Language-Team": "",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": CONTENT_TYPE,
        "Content-Transfer-Encoding": "8bit",
    }


def catalog_header(project: str, lang: str, old: Mapping[str, str] | None) -> dict[str, str]:
    """Our fields in a fixed order, then the translator's own (Last-Translator, X-Generator, ...)."""
    # Here, not at the top: babel.messages brings difflib and email, and `status` needs neither.
    from babel.messages.plurals import get_plural

    plural = get_plural(lang)
    ours = {
        "Project-Id-Version": project,
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": CONTENT_TYPE,
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural.plural_forms,
    }
    theirs = dict(old or {})
    defaults = {
        "PO-Revision-Date": "",
        "Last-Translator": "",
        "Language-Team": Locale.parse(lang).english_name or lang,
    }
    for key, value in defaults.items():
        theirs.setdefault(key, value)
    theirs.pop("POT-Creation-Date", None)
    return {**ours, **{k: v for k, v in theirs.items() if k not in ours}}


class FuzzyIndex:
    """Previous translations that can seed a changed text: the closest of the same msgctxt.
    Each context's matcher is made on its first question (most contexts are never asked)."""

    def __init__(self, entries: Iterable[Entry], threshold: float) -> None:
        self.threshold = threshold
        self.grouped: dict[str | None, list[Entry]] = {}
        for e in entries:
            self.grouped.setdefault(e.msgctxt, []).append(e)
        self.matchers: dict[str | None, Matcher] = {}

    def best(self, msgctxt: str | None, msgid: str) -> Entry | None:
        entries = self.grouped.get(msgctxt)
        if entries is None:
            return None
        matcher = self.matchers.get(msgctxt)
        if matcher is None:
            matcher = self.matchers[msgctxt] = Matcher(e.msgid for e in entries)
        found = matcher.best(msgid, self.threshold)
        return entries[found.index] if found is not None else None


def _carry_flags(
    template: Entry, old: Entry | None, fuzzy: bool, *, also: Entry | None = None
) -> tuple[str, ...]:
    flags = ["fuzzy"] if fuzzy else []
    flags += [f for f in template.flags if f not in flags]
    for source in (old, also):
        if source is not None:
            flags += [f for f in source.flags if f != "fuzzy" and f not in flags]
    return tuple(flags)


def merge(
    template: Catalog,
    old: Catalog | None,
    *,
    lang: str,
    project: str,
    threshold: float = 0.6,
    memory: Lookup | None = None,
    hints: Callable[[str], tuple[str, ...]] | None = None,
) -> tuple[Catalog, MergeStats]:
    """The new catalog for `lang`, in template order, with every previous msgstr kept somewhere.

    Each template entry takes, in this order: its own previous translation; an exact match from the
    memory; the closest changed text of this catalog (fuzzy); a near match from the memory (fuzzy).
    """
    old_entries = old.entries if old else ()
    # An active translated entry wins over an obsolete twin; empty entries hold nothing to keep.
    previous: dict[Key, Entry] = {}
    for e in sorted(old_entries, key=lambda e: (e.obsolete, not e.has_translation)):
        previous.setdefault(e.key, e)
    template_keys = {e.key for e in template.entries}
    orphans = [e for e in previous.values() if e.key not in template_keys and e.has_translation]
    fuzzy_orphans = FuzzyIndex(orphans, threshold)
    fuzzy_all: FuzzyIndex | None = None

    counts: Counter[str] = Counter()
    entries: list[Entry] = []
    for t in template.entries:
        if hints is not None and (hinted := hints(t.msgid)):
            t = replace(t, comments=(*t.comments, *hinted))
        prev = previous.get(t.key)
        tcomment = prev.tcomment if prev else ""
        if prev is not None and prev.has_translation:
            counts["revived" if prev.obsolete else "kept"] += 1
            entries.append(
                _filled(
                    t,
                    prev.msgstr,
                    prev.msgstr_plural,
                    _carry_flags(t, prev, prev.fuzzy),
                    prev.previous_msgid if prev.fuzzy else None,
                    tcomment,
                )
            )
            continue
        asks = memory is not None and t.msgid_plural is None
        found = memory.same(t.msgid) if asks else None  # type: ignore[union-attr]
        if found is not None:
            counts["memory_exact"] += 1
            entries.append(
                _filled(
                    t,
                    found.unit.target,
                    t.msgstr_plural,
                    _carry_flags(t, prev, False),
                    t.previous_msgid,
                    _join(tcomment, found.comment()),
                )
            )
            continue
        match = fuzzy_orphans.best(t.msgctxt, t.msgid)
        if match is None and previous:
            if fuzzy_all is None:
                translated = [e for e in previous.values() if e.has_translation]
                fuzzy_all = FuzzyIndex(translated, threshold)
            match = fuzzy_all.best(t.msgctxt, t.msgid)
        if match is None and asks:
            # A near match from the memory only where this catalog has nothing close of its own.
            found = memory.near(t.msgid)  # type: ignore[union-attr]
        if match is not None:
            counts["fuzzy_new"] += 1
            entries.append(
                _filled(
                    t,
                    match.msgstr,
                    match.msgstr_plural,
                    # The translation's own notes and silenced checks travel with it, as in
                    # GNU msgmerge: a `# ignore-same` must not come back after an edit.
                    _carry_flags(t, prev, True, also=match),
                    match.msgid,
                    tcomment or match.tcomment,
                )
            )
            continue
        if found is not None:
            counts["memory_fuzzy"] += 1
            entries.append(
                _filled(
                    t,
                    found.unit.target,
                    t.msgstr_plural,
                    _carry_flags(t, prev, True),
                    found.unit.source,
                    _join(tcomment, found.comment()),
                )
            )
            continue
        counts["untranslated"] += 1
        entries.append(
            _filled(t, t.msgstr, t.msgstr_plural, _carry_flags(t, prev, False), t.previous_msgid, tcomment)
        )

    # Everything translated that the template no longer has is kept as obsolete, in its old order.
    obsolete = [
        replace(e, obsolete=True, locations=(), comments=(), previous_msgid=None)
        for e in old_entries
        if e.key not in template_keys and e.has_translation and previous.get(e.key) is e
    ]
    header = catalog_header(project, lang, old.header if old else None)
    catalog = Catalog(
        header=MappingProxyType(header),
        entries=(*entries, *obsolete),
        header_comment=old.header_comment if old and old.header_comment else template.header_comment,
    )
    counts["obsoleted"] = sum(1 for e in obsolete if not previous[e.key].obsolete)
    return catalog, MergeStats(**{f: counts[f] for f in MergeStats.__dataclass_fields__})


def _filled(
    t: Entry,
    msgstr: str,
    msgstr_plural: tuple[str, ...],
    flags: tuple[str, ...],
    previous_msgid: str | None,
    tcomment: str,
) -> Entry:
    """`t` with what the merge gives it: dataclasses.replace, without its per-field lookups
    (an update after edits builds ~200,000 entries)."""
    return Entry(
        t.msgid,
        msgstr,
        t.msgctxt,
        flags,
        previous_msgid,
        t.locations,
        t.comments,
        tcomment,
        t.obsolete,
        t.msgid_plural,
        msgstr_plural,
        t.po_line,
    )


def _join(first: str, second: str) -> str:
    return f"{first}\n{second}" if first else second
