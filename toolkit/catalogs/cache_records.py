"""The records the catalog cache keeps in its index, and their JSON both ways. A value of a wrong
type is a damaged cache: the readers raise TypeError or ValueError, and the index is not used."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from toolkit.errors import Diagnostic

Answer = tuple[str, str, str, float]  # a memory match: source, target, origin, score
Query = tuple[str, str, Answer | None]  # ("exact" or "near", the text asked for, the answer)


@dataclass(frozen=True)
class MergeRecord:
    """One merge into one catalog: with inputs `key` it wrote `out`, counting `stats`, and asked
    the memory `queries` (whose answers depend on the memory, `memory` the one that gave them)."""

    key: str
    out: str
    stats: tuple[int, ...]
    queries: tuple[Query, ...] = ()
    memory: str = ""


@dataclass(frozen=True)
class SourceRecord:
    pot: str  # sha256 of the template's text
    lang: str  # the article's language, and the line that sets it (for the language check)
    lang_line: int | None
    # The front matter's `register:` (per language; the project's default is applied on reading,
    # so a changed default needs no parse), and what reading the source left out (Article.notes).
    register: tuple[tuple[str, str], ...] = ()
    notes: tuple[Diagnostic, ...] = ()
    pack: str = ""  # the cache's templates/<pack>.json holding its units ("": not written yet)


def mapping_of(value: object) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise TypeError("not a mapping")
    return value


# Readers of the cache's JSON: a value of another type means a damaged cache (TypeError).


def json_text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not text")
    return value


def json_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("not a number")
    return value


def locations_of(values: Any) -> tuple[tuple[str, int], ...]:
    """(path, line) pairs, from JSON lists (exact types: a bool is no line)."""
    out = tuple((path, line) for path, line in values)
    if not all(type(path) is str and type(line) is int for path, line in out):
        raise TypeError("not locations")
    return out


def texts_of(values: Any) -> tuple[str, ...]:
    if type(values) is not list or not all(type(v) is str for v in values):
        raise TypeError("not texts")
    return tuple(values)


def pair_of(value: object) -> tuple[str, str]:
    first, second = value  # type: ignore[misc]
    return json_text(first), json_text(second)


def source_of(value: object) -> SourceRecord:
    pot, lang, line, register, notes, pack = value  # type: ignore[misc]
    return SourceRecord(
        json_text(pot),
        json_text(lang),
        _line(line),
        tuple((json_text(k), json_text(v)) for k, v in register),
        tuple(_note(n) for n in notes),
        _pack(pack),
    )


def _pack(value: object) -> str:
    """A pack's name: a sha256 in hex (it names a file), or "" for none."""
    name = json_text(value)
    if name and (len(name) != 64 or name.strip("0123456789abcdef")):
        raise ValueError("not a pack name")
    return name


def _line(value: object) -> int | None:
    return None if value is None else json_int(value)


def _note(value: object) -> Diagnostic:
    severity, message, path, line, code = value  # type: ignore[misc]
    if severity not in ("error", "warning", "info"):
        raise ValueError("unknown severity")
    return Diagnostic(severity, json_text(message), None if path is None else json_text(path), _line(line), json_text(code))


def source_json(record: SourceRecord) -> list[Any]:
    notes = [[n.severity, n.message, n.path, n.line, n.code] for n in record.notes]
    return [record.pot, record.lang, record.lang_line, [list(p) for p in record.register], notes, record.pack]


def _answer(value: object) -> Answer | None:
    if value is None:
        return None
    source, target, origin, score = value  # type: ignore[misc]
    if isinstance(score, bool) or not isinstance(score, float | int):
        raise TypeError("not a score")
    return json_text(source), json_text(target), json_text(origin), float(score)


def merge_of(value: object) -> MergeRecord:
    data = mapping_of(value)
    queries = tuple(
        (json_text(kind), json_text(text), _answer(answer)) for kind, text, answer in data["queries"]
    )
    for kind, _, _ in queries:
        if kind not in ("exact", "near"):
            raise ValueError("unknown query")
    return MergeRecord(
        json_text(data["key"]),
        json_text(data["out"]),
        tuple(json_int(n) for n in data["stats"]),
        queries,
        json_text(data["memory"]),
    )


def merge_json(record: MergeRecord) -> dict[str, Any]:
    return {
        "key": record.key,
        "out": record.out,
        "stats": list(record.stats),
        "queries": [[k, t, list(a) if a is not None else None] for k, t, a in record.queries],
        "memory": record.memory,
    }
