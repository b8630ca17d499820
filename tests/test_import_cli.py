"""toolkit import through the CLI: writes a source the rest of the toolkit reads, never overwrites."""

from __future__ import annotations

from pathlib import Path

from conftest import Project, snapshot

SEEDS = Path(__file__).parent / "golden" / "import"


def test_import_writes_source_then_update_extracts_it(project: Project, capsys) -> None:
    seed = next(SEEDS.glob("001_*.txt"))
    capsys.readouterr()
    assert project.run("import", str(seed), "--slug", "psoas-en-stress") == 0
    said = capsys.readouterr().out
    assert "wrote sources/psoas-en-stress.md:" in said and "headings" in said
    text = project.read("sources/psoas-en-stress.md")
    assert text.startswith("---\ntitle: ")
    assert "\n## Wat is de psoas?\n" in text
    assert project.run("update") == 0
    pot = project.read("locales/psoas-en-stress.pot")
    assert 'msgid "Wat is de psoas?"' in pot


def test_import_refuses_to_overwrite_without_force(project: Project, capsys) -> None:
    seed = next(SEEDS.glob("002_*.txt"))
    project.source("bestaand", "Eigen tekst.\n")
    before = snapshot(project.root)
    capsys.readouterr()
    assert project.run("import", str(seed), "--slug", "bestaand") == 1
    assert "sources/bestaand.md: error: an article of this name exists already" in capsys.readouterr().err
    assert snapshot(project.root) == before
    assert project.run("import", str(seed), "--slug", "bestaand", "--force") == 0
    assert "Eigen tekst." not in project.read("sources/bestaand.md")


def test_import_bad_input_changes_nothing(project: Project, capsys) -> None:
    for name, data in (("leeg.txt", b""), ("bin.txt", b"\x00\x01\x02")):
        path = project.write(name, data)
        before = snapshot(project.root)
        capsys.readouterr()
        assert project.run("import", str(path), "--slug", "nieuw") == 1
        assert f"{name}: error:" in capsys.readouterr().err
        assert snapshot(project.root) == before
    assert project.run("import", str(path), "--slug", "../uit") == 1


def test_import_converts_windows_1252_and_says_so(project: Project, capsys) -> None:
    path = project.write("word.txt", "Titel van Word\n\nDe “spier van de ziel” is café-waardig, één keer.\n".encode("cp1252"))
    capsys.readouterr()
    assert project.run("import", str(path), "--slug", "uit-word") == 0
    assert "1252" in capsys.readouterr().out
    assert "“spier van de ziel” is café-waardig, één keer." in project.read("sources/uit-word.md")
