"""Saving one entry from the editor, without a server: the splice leaves every other byte of the
file as it was (also when another tool wrapped it, with CRLF and a BOM), the save is refused on a
stale version, waits for and never slips past a running update, and gettext accepts the result."""

from __future__ import annotations

import fcntl
import subprocess
import threading
import time
from dataclasses import replace
from pathlib import Path

import polib
import pytest
from conftest import Project, msgfmt_check
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.catalogs.edit import (
    BadTranslation,
    EntryMissing,
    StaleEntry,
    check_translation,
    entry_base,
    read_entry,
    save_entry,
)
from toolkit.catalogs.files import read_catalog
from toolkit.catalogs.memory import Memory, MemoryUnit
from toolkit.catalogs.po import parse_catalog
from toolkit.catalogs.splice import splice_entry
from toolkit.config import load_config
from toolkit.fsutil import LockBusy, file_stamp, replace_if_unchanged

BODY = """\
Een korte inleiding over de adem, met **nadruk** en een [link](/adem.html).

## Wat doet de psoas?

De psoas verbindt de wervelkolom met de benen; hij is ongeveer 40 cm lang en reageert direct op stress.

Ga liggen en adem rustig uit.

- Voeten plat op de grond
- Knieën omhoog
"""
LONG = "De psoas verbindt de wervelkolom met de benen; hij is ongeveer 40 cm lang en reageert direct op stress."


def make(project: Project) -> Path:
    """A German catalog as `toolkit update` writes it, partly translated, one entry fuzzy with a
    previous source, one with a translator comment and an ignore flag."""
    project.source("adem", BODY, front="title: Adem en de psoas\n")
    assert project.run("update") == 0
    path = project.po("de", "adem")
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgid == "Wat doet de psoas?":
            entry.msgstr = "Was macht der Psoas?"
            entry.tcomment = "Überschrift: kurz halten\nignore-same"
        elif entry.msgid == LONG:
            entry.msgstr = "Der Psoas verbindet die Wirbelsäule mit den Beinen."
            entry.flags.insert(0, "fuzzy")
            entry.previous_msgid = "De psoas verbindt de wervelkolom met de benen."
    po.save(str(path))
    assert project.run("update") == 0  # our own writer's layout
    return path


def rewrap(path: Path, width: int) -> None:
    """What another tool does to a file it saves: its own line wrapping (and flag handling)."""
    subprocess.run(["msgcat", "-w", str(width), str(path), "-o", str(path)], check=True)


def blocks(text: str) -> list[str]:
    return text.split("\n\n")


def only_changed_block(old: str, new: str) -> tuple[str, str]:
    """The one blank-line-separated block that differs; every other block byte for byte equal."""
    a, b = blocks(old), blocks(new)
    assert len(a) == len(b)
    changed = [i for i in range(len(a)) if a[i] != b[i]]
    assert len(changed) == 1, changed
    return a[changed[0]], b[changed[0]]


@pytest.mark.parametrize("width", [0, 40, 200])  # ours (78), narrow, and Poedit's "no wrapping"
def test_a_save_changes_only_the_entrys_own_lines(project: Project, width: int) -> None:
    path = make(project)
    if width:
        rewrap(path, width)
    old = path.read_text(encoding="utf-8")
    config = load_config(project.root)
    entry = read_entry(config, path, (None, "Ga liggen en adem rustig uit."))
    saved = save_entry(
        config,
        path,
        entry.key,
        msgstr='Leg dich hin und atme ruhig aus — mit "Anführungszeichen", \\ und\teinem Tab, '
        "lang genug, dass der Text über mehrere Zeilen umbrochen werden muss, wenn er geschrieben wird.",
        fuzzy=False,
        base=entry_base(entry),
    )
    assert saved.written
    new = path.read_text(encoding="utf-8")
    before, after = only_changed_block(old, new)
    assert 'msgid "Ga liggen en adem rustig uit."' in before and after.startswith(
        before[: before.index("msgstr")]
    )
    msgfmt_check(path)
    stored = read_catalog(config, path).lookup(None, "Ga liggen en adem rustig uit.")
    assert stored is not None and stored.msgstr.startswith("Leg dich hin") and not stored.fuzzy
    assert saved.base == entry_base(stored)


def test_crlf_and_bom_stay_as_they_were(project: Project) -> None:
    path = make(project)
    data = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(data)
    config = load_config(project.root)
    entry = read_entry(config, path, (None, "Wat doet de psoas?"))
    save_entry(
        config, path, entry.key, msgstr="Was tut der Psoas?", fuzzy=False, base=entry_base(entry)
    )
    new = path.read_bytes()
    assert new.startswith(b"\xef\xbb\xbf") and b"\n" not in new.replace(b"\r\n", b"")
    before, after = only_changed_block(data.decode(), new.decode())
    assert before.replace("Was macht der Psoas?", "Was tut der Psoas?") == after


def test_clearing_fuzzy_drops_the_previous_source_and_keeps_comments_and_flags(
    project: Project,
) -> None:
    path = make(project)
    config = load_config(project.root)
    fuzzy = read_entry(config, path, (None, LONG))
    assert fuzzy.fuzzy and fuzzy.previous_msgid
    save_entry(config, path, fuzzy.key, msgstr=fuzzy.msgstr, fuzzy=False, base=entry_base(fuzzy))
    text = path.read_text(encoding="utf-8")
    assert "#| msgid" not in text and "#, fuzzy" not in text
    entry = read_entry(config, path, (None, LONG))
    assert entry.flags == ("markdown-text", "md-text") and entry.previous_msgid is None
    assert entry.comments == fuzzy.comments and entry.locations == fuzzy.locations
    # A translator comment and its ignore line survive a save of the entry.
    heading = read_entry(config, path, (None, "Wat doet de psoas?"))
    save_entry(
        config, path, heading.key, msgstr="Was tut er?", fuzzy=True, base=entry_base(heading)
    )
    again = read_entry(config, path, heading.key)
    assert again.tcomment == "Überschrift: kurz halten\nignore-same"
    assert again.flags == ("fuzzy", "markdown-text", "md-text")
    msgfmt_check(path)
    # Nothing to change: nothing written.
    stamp = file_stamp(path)
    unchanged = save_entry(
        config, path, again.key, msgstr=again.msgstr, fuzzy=True, base=entry_base(again)
    )
    assert not unchanged.written and file_stamp(path) == stamp


def test_setting_fuzzy_where_another_tool_dropped_every_flag(project: Project) -> None:
    path = make(project)
    rewrap(path, 40)  # msgcat drops the flags it does not know (markdown-text)
    old = path.read_text(encoding="utf-8")
    config = load_config(project.root)
    entry = read_entry(config, path, (None, "Voeten plat op de grond"))
    assert entry.flags == ()
    save_entry(config, path, entry.key, msgstr="Füße flach", fuzzy=True, base=entry_base(entry))
    before, after = only_changed_block(old, path.read_text(encoding="utf-8"))
    lines = after.split("\n")
    assert lines.index("#, fuzzy") == lines.index('msgid "Voeten plat op de grond"') - 1
    assert [x for x in lines if x != "#, fuzzy" and not x.startswith("msgstr")] == [
        x for x in before.split("\n") if not x.startswith("msgstr")
    ]
    msgfmt_check(path)


def test_a_stale_base_is_refused_and_nothing_is_written(project: Project) -> None:
    path = make(project)
    config = load_config(project.root)
    entry = read_entry(config, path, (None, "Wat doet de psoas?"))
    base = entry_base(entry)
    # Poedit saves another text for the same entry meanwhile.
    po = polib.pofile(str(path))
    po.find("Wat doet de psoas?").msgstr = "Was macht der Psoas denn?"
    po.save(str(path))
    data = path.read_bytes()
    with pytest.raises(StaleEntry) as info:
        save_entry(config, path, entry.key, msgstr="Mein Text", fuzzy=False, base=base)
    assert info.value.stored.msgstr == "Was macht der Psoas denn?"
    assert path.read_bytes() == data
    with pytest.raises(EntryMissing):
        save_entry(config, path, (None, "Bestaat niet."), msgstr="x", fuzzy=False, base=base)
    with pytest.raises(EntryMissing):
        read_entry(config, project.po("en", "nergens"), (None, "x"))


def test_another_entry_changed_meanwhile_both_changes_are_kept(project: Project) -> None:
    path = make(project)
    config = load_config(project.root)
    entry = read_entry(config, path, (None, "Ga liggen en adem rustig uit."))
    po = polib.pofile(str(path), wrapwidth=50)
    po.find("Knieën omhoog").msgstr = "Knie hoch (aus Poedit)"
    po.save(str(path))
    save_entry(config, path, entry.key, msgstr="Leg dich hin.", fuzzy=False, base=entry_base(entry))
    catalog = read_catalog(config, path)
    assert catalog.lookup(None, "Knieën omhoog").msgstr == "Knie hoch (aus Poedit)"
    assert catalog.lookup(None, entry.msgid).msgstr == "Leg dich hin."


def test_a_save_waits_for_a_short_lock_and_refuses_a_long_one(project: Project) -> None:
    path = make(project)
    config = load_config(project.root)
    entry = read_entry(config, path, (None, "Knieën omhoog"))
    lock = project.root / "locales" / ".toolkit.lock"

    def hold(seconds: float, ready: threading.Event) -> None:
        with open(lock, "a+b") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            ready.set()
            time.sleep(seconds)

    ready = threading.Event()
    holder = threading.Thread(target=hold, args=(0.4, ready))
    holder.start()
    ready.wait()
    started = time.monotonic()
    save_entry(config, path, entry.key, msgstr="Knie hoch", fuzzy=False, base=entry_base(entry))
    assert time.monotonic() - started >= 0.3  # it waited for the lock, then wrote
    holder.join()
    entry = read_entry(config, path, entry.key)
    data = path.read_bytes()
    ready = threading.Event()
    holder = threading.Thread(target=hold, args=(1.5, ready))
    holder.start()
    ready.wait()
    with pytest.raises(LockBusy):
        save_entry(
            config, path, entry.key, msgstr="x", fuzzy=False, base=entry_base(entry), wait=0.3
        )
    holder.join()
    assert path.read_bytes() == data


def test_the_rename_does_not_overwrite_a_file_saved_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "x.po"
    path.write_text("old\n", encoding="utf-8")
    stamp = file_stamp(path)
    time.sleep(0.01)
    path.write_text("saved by Poedit\n", encoding="utf-8")
    assert not replace_if_unchanged(path, b"ours\n", stamp)
    assert path.read_text(encoding="utf-8") == "saved by Poedit\n"
    assert replace_if_unchanged(path, b"ours\n", file_stamp(path))
    assert path.read_text(encoding="utf-8") == "ours\n"
    assert [p.name for p in tmp_path.iterdir()] == ["x.po"]  # no staged file left behind


def test_what_gettext_would_refuse_is_refused() -> None:
    from toolkit.catalogs.po import Entry

    plain = Entry("Tekst.")
    check_translation(plain, "Text mit\nZeilenumbruch.", "x.po")
    for bad in ("Text\x07", "Text\u2028mehr", "\nText.", "Text.\n", "Text\r"):
        with pytest.raises(BadTranslation):
            check_translation(plain, bad, "x.po")
    page = Entry("Page %(page)s of %(pages)s", flags=("python-format",))
    check_translation(page, "Seite %(page)s von %(pages)s", "x.po")
    with pytest.raises(BadTranslation):
        check_translation(page, "Seite %(page)s", "x.po")


TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), whitelist_characters="\n\t"),
    max_size=300,
).filter(lambda s: not s.startswith("\n") and not s.endswith("\n"))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    msgstr=TEXT, fuzzy=st.booleans(), which=st.integers(0, 20), width=st.sampled_from([0, 33, 79])
)
def test_any_translation_round_trips_and_touches_nothing_else(
    tmp_path_factory: pytest.TempPathFactory, msgstr: str, fuzzy: bool, which: int, width: int
) -> None:
    project = Project(tmp_path_factory.mktemp("prop"))
    (project.root / "pyproject.toml").write_text(
        '[project]\nname = "p"\nversion = "0"\n[tool.toolkit]\nlanguages = ["nl", "de"]\n',
        encoding="utf-8",
    )
    path = make(project)
    if width:
        rewrap(path, width)
    text = path.read_text(encoding="utf-8")
    catalog = parse_catalog(text, "x.po")
    entry = catalog.active[which % len(catalog.active)]
    new = splice_entry(text, "x.po", entry.key, entry, msgstr=msgstr, fuzzy=fuzzy)
    after = parse_catalog(new, "x.po")
    flags = tuple(f for f in entry.flags if f != "fuzzy")
    wanted = replace(
        entry,
        msgstr=msgstr,
        flags=("fuzzy", *flags) if fuzzy else flags,
        previous_msgid=entry.previous_msgid if fuzzy else None,
    )
    assert after.entries == tuple(wanted if e.key == entry.key else e for e in catalog.entries)
    assert len(blocks(new)) == len(blocks(text))
    assert sum(a != b for a, b in zip(blocks(text), blocks(new), strict=True)) <= 1


def test_memory_offers_exact_then_near_matches_but_never_an_entry_its_own_translation() -> None:
    units = [
        MemoryUnit(
            "De psoas is een spier.", "Der Psoas ist ein Muskel.", "locales/de/LC_MESSAGES/b.po"
        ),
        MemoryUnit(
            "De psoas is een diepe spier.",
            "Der Psoas ist ein tiefer Muskel.",
            "locales/de/LC_MESSAGES/c.po",
        ),
        MemoryUnit("De adem is rustig.", "Der Atem ist ruhig.", "locales/de/LC_MESSAGES/a.po"),
    ]
    memory = Memory(units, 0.5)
    found = memory.suggestions("De psoas is een spier.", 3)
    assert [(m.unit.target, m.exact) for m in found] == [
        ("Der Psoas ist ein Muskel.", True),
        ("Der Psoas ist ein tiefer Muskel.", False),
    ]
    assert 0.5 <= found[1].score < 1.0
    own = memory.suggestions("De psoas is een spier.", 3, skip="locales/de/LC_MESSAGES/b.po")
    assert [m.unit.target for m in own] == ["Der Psoas ist ein tiefer Muskel."]
