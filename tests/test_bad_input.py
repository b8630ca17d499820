"""Bad input: a clear error naming file and line, a non-zero exit, and no file changed."""

from __future__ import annotations

import os

import pytest
from conftest import Project, snapshot

GOOD = "## Kop\n\nTekst.\n"


@pytest.fixture
def ready(project: Project) -> Project:
    project.source("goed", GOOD)
    assert project.run("update") == 0
    return project


def run_fails(project: Project, capsys, *args: str) -> str:
    before = snapshot(project.root)
    capsys.readouterr()
    assert project.run(*args) == 1
    assert snapshot(project.root) == before, "a failed command changed files"
    return capsys.readouterr().err


def test_source_not_utf8(ready: Project, capsys) -> None:
    ready.write("sources/kapot.md", "---\ntitle: x\n---\n\nEen\ncaf\xe9\n".encode("cp1252"))
    message = run_fails(ready, capsys, "update")
    assert "sources/kapot.md:6: error: not valid UTF-8" in message
    assert "toolkit import" in message


def test_broken_front_matter(ready: Project, capsys) -> None:
    ready.write("sources/kapot.md", "---\ntitle: x\nsummary: [open\nlang: nl\n---\n\nTekst.\n")
    message = run_fails(ready, capsys, "update")
    assert "sources/kapot.md:3: error: broken front matter: the [ opened on this line is never closed" in message


def test_front_matter_not_closed(ready: Project, capsys) -> None:
    ready.write("sources/kapot.md", "---\ntitle: x\n\nTekst.\n")
    assert "sources/kapot.md:1: error: front matter is not closed" in run_fails(ready, capsys, "update")


def test_title_must_be_text(ready: Project, capsys) -> None:
    ready.write("sources/kapot.md", "---\ntitle: [a, b]\n---\n\nTekst.\n")
    assert "sources/kapot.md:2: error: front matter key 'title' must be text" in run_fails(
        ready, capsys, "update"
    )


def test_po_syntax_error(ready: Project, capsys) -> None:
    path = ready.po("de", "goed")
    text = path.read_text()
    path.write_text(text.replace('msgid "Tekst."', 'msgid "Tekst.\nmsgid oops'))
    message = run_fails(ready, capsys, "update")
    assert "locales/de/LC_MESSAGES/goed.po:" in message and "PO syntax error" in message


def test_po_stray_line_is_reported_with_its_line(ready: Project, capsys) -> None:
    path = ready.po("de", "goed")
    lines = path.read_text().split("\n")
    lines.insert(20, "this is not PO")
    path.write_text("\n".join(lines))
    assert "locales/de/LC_MESSAGES/goed.po:21: error: PO syntax error" in run_fails(
        ready, capsys, "update"
    )


def test_po_duplicate_entry(ready: Project, capsys) -> None:
    path = ready.po("de", "goed")
    path.write_text(path.read_text() + '\nmsgid "Kop"\nmsgstr "Kopf"\n')
    message = run_fails(ready, capsys, "update")
    assert "goed.po:" in message and "duplicate entry for msgid 'Kop'" in message


@pytest.mark.parametrize("slug", ["../etc/passwd", "a/b", "/abs", "..", "Hoofd Letters"])
def test_bad_slugs_are_refused(ready: Project, capsys, slug: str) -> None:
    message = run_fails(ready, capsys, "update", slug)
    assert "invalid article name" in message


def test_unknown_article(ready: Project, capsys) -> None:
    assert "no article 'nope'" in run_fails(ready, capsys, "update", "nope")


def test_bad_setting_names_key_and_allowed_values(ready: Project, capsys) -> None:
    ready.write(
        "pyproject.toml",
        '[tool.toolkit]\nsource_language = "nl"\nlanguages = ["nl", "klingon"]\n',
    )
    message = run_fails(ready, capsys, "status")
    assert "pyproject.toml: error: [tool.toolkit] languages: unknown language 'klingon'" in message
    ready.write("pyproject.toml", '[tool.toolkit]\nsourcelanguage = "nl"\n')
    message = run_fails(ready, capsys, "status")
    assert "[tool.toolkit] sourcelanguage: unknown setting; allowed:" in message
    assert "source_language" in message
    ready.write("pyproject.toml", '[tool.toolkit]\nsources = "../elsewhere"\n')
    assert "must stay inside the project" in run_fails(ready, capsys, "status")


def test_read_only_locales_gives_an_error_not_a_traceback(ready: Project, capsys) -> None:
    if os.geteuid() == 0:
        pytest.skip("root ignores file permissions")
    locales = ready.root / "locales"
    ready.source("goed", GOOD + "\nNieuw.\n")
    for p in [locales, *locales.rglob("*")]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        capsys.readouterr()
        assert ready.run("update") == 1
        assert "Traceback" not in capsys.readouterr().err
    finally:
        for p in [locales, *locales.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)


def test_unwritable_locales_gives_an_error_not_a_traceback(ready: Project, capsys) -> None:
    # Works as root too: a file standing where a language folder must be cannot be written into.
    (ready.root / "locales" / "fr").write_text("not a folder")
    ready.write("pyproject.toml", '[tool.toolkit]\nlanguages = ["nl", "en", "de", "fr"]\n')
    ready.source("goed", GOOD + "\nNieuw.\n")
    before = snapshot(ready.root)
    capsys.readouterr()
    assert ready.run("update") == 1
    assert snapshot(ready.root) == before  # the en and de catalogs were not written either
    err = capsys.readouterr().err
    assert "Traceback" not in err and "locales/fr" in err


def test_one_bad_source_stops_before_any_write(ready: Project, capsys) -> None:
    ready.source("goed", GOOD + "\nNieuwe alinea.\n")  # would change the catalogs
    ready.write("sources/zkapot.md", b"\xff\xfe binary \x00 junk")
    message = run_fails(ready, capsys, "update")
    assert "sources/zkapot.md: error: binary file" in message
