"""Property: any sequence of source edits, translations and updates never loses a msgstr."""

from __future__ import annotations

import tempfile
from pathlib import Path

import polib
from conftest import PYPROJECT, msgfmt_check
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.catalogs.update import run_update
from toolkit.config import load_config

WORDS = ["psoas", "adem", "spier", "ziel", "rug", "heup", "rust", "stress", "benen", "buik"]

sentence = st.lists(st.sampled_from(WORDS), min_size=2, max_size=9).map(
    lambda ws: " ".join(ws).capitalize() + "."
)
operation = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 20), st.integers(0, 8), st.sampled_from(WORDS)),
    st.tuples(st.just("delete"), st.integers(0, 20)),
    st.tuples(st.just("insert"), st.integers(0, 20), sentence),
    st.tuples(st.just("restore"), st.integers(0, 50)),
    st.tuples(st.just("translate"), st.integers(0, 20), st.sampled_from(["en", "de"])),
    st.tuples(st.just("update")),
)


def write_source(root: Path, paragraphs: list[str]) -> None:
    body = "\n\n".join(paragraphs) + "\n"
    (root / "sources" / "art.md").write_text(f"---\ntitle: Artikel\n---\n\n{body}", encoding="utf-8")


def catalog(root: Path, lang: str) -> polib.POFile:
    return polib.pofile(str(root / "locales" / lang / "LC_MESSAGES" / "art.po"))


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(start=st.lists(sentence, min_size=1, max_size=6, unique=True), ops=st.lists(operation, max_size=25))
def test_no_msgstr_is_ever_lost(start: list[str], ops: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
        (root / "sources").mkdir()
        config = load_config(root)
        paragraphs = list(start)
        history = [list(paragraphs)]
        written: dict[tuple[str, str], str] = {}  # (lang, msgid) -> the translator's latest msgstr
        write_source(root, paragraphs)
        run_update(config)
        counter = 0
        for op in ops:
            kind = op[0]
            if kind == "edit" and paragraphs:
                i = op[1] % len(paragraphs)
                words = paragraphs[i].rstrip(".").split()
                words[op[2] % len(words)] = op[3]
                edited = " ".join(words) + "."
                if edited not in paragraphs:
                    paragraphs[i] = edited
            elif kind == "delete" and len(paragraphs) > 1:
                paragraphs.pop(op[1] % len(paragraphs))
            elif kind == "insert" and op[2] not in paragraphs:
                paragraphs.insert(op[1] % (len(paragraphs) + 1), op[2])
            elif kind == "restore":
                paragraphs = list(history[op[1] % len(history)])
            elif kind == "translate":
                lang = op[2]
                path = root / "locales" / lang / "LC_MESSAGES" / "art.po"
                po = polib.pofile(str(path))
                active = [e for e in po if not e.obsolete]
                entry = active[op[1] % len(active)]
                counter += 1
                entry.msgstr = f"{lang}-{counter}"
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                written[(lang, entry.msgid)] = entry.msgstr
                po.save(str(path))
                continue
            write_source(root, paragraphs)
            history.append(list(paragraphs))
            if kind == "update":
                run_update(config)
        run_update(config)
        for lang in ("en", "de"):
            po = catalog(root, lang)
            everything = {(e.msgid, e.msgstr) for e in po}  # polib lists obsolete entries too
            for (wlang, msgid), msgstr in written.items():
                if wlang == lang:
                    assert (msgid, msgstr) in everything, f"lost {lang} translation of {msgid!r}"
            active = [e.msgid for e in po if not e.obsolete]
            assert len(active) == len(set(active))
            assert not set(active) & {e.msgid for e in po.obsolete_entries()}
        msgfmt_check(root / "locales" / "de" / "LC_MESSAGES" / "art.po")
