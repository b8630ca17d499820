"""One limit, said once: `toolkit import` refuses what `toolkit update` would refuse (size after
conversion, encoding, language), with the same message, and writes nothing."""

from __future__ import annotations

import pytest
from conftest import PYPROJECT, Project, snapshot

PARAGRAPH = "De psoas verbindt de wervelkolom met de benen en reageert op stress.\n\n"


def limited(project: Project, kib: int = 4) -> Project:
    project.write("pyproject.toml", PYPROJECT + f"max_source_kib = {kib}\n")
    return project


def pasted(size: int, title: str = "Over de psoas") -> str:
    """Plain pasted text of about `size` bytes: a title line and Dutch paragraphs."""
    head = title + "\n\n"
    count = -(-(size - len(head)) // len(PARAGRAPH))
    return head + PARAGRAPH * count


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if "error:" in line or "hint:" in line]


def test_update_and_build_refuse_a_source_over_the_setting(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    limited(project)
    project.source("klein", "Een korte tekst.\n")
    project.write("sources/groot.md", "---\ntitle: Groot\n---\n\n" + pasted(5000))
    for command in ("update", "build"):
        before = snapshot(project.root)
        capsys.readouterr()
        assert project.run(command) == 1
        assert error_lines(capsys.readouterr().err) == [
            "sources/groot.md: error: file is 5 KiB; sources are limited to 4 KiB",
            "  hint: split the article into several sources, or raise max_source_kib in [tool.toolkit]",
        ]
        assert snapshot(project.root) == before
    # The setting, not a fixed number: raised, the same source is read.
    limited(project, 8)
    assert project.run("update") == 0


def test_import_refuses_too_big_input_with_the_same_message_and_writes_nothing(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    limited(project)
    text = pasted(5000)
    project.write("sources/groot.md", text)  # put there by hand: what update says of it
    capsys.readouterr()
    assert project.run("update") == 1
    said_by_update = error_lines(capsys.readouterr().err)
    (project.root / "sources/groot.md").unlink()

    path = project.write("plak.txt", text)
    before = snapshot(project.root)
    capsys.readouterr()
    assert project.run("import", str(path), "--slug", "groot") == 1
    said_by_import = error_lines(capsys.readouterr().err)
    assert said_by_import[0] == f"{path}: error: file is 5 KiB; sources are limited to 4 KiB"
    # The same words; only the file named differs.
    assert [s.partition(": ")[2] for s in said_by_import] == [
        s.partition(": ")[2] for s in said_by_update
    ]
    assert snapshot(project.root) == before


def test_import_refuses_a_text_that_grows_over_the_limit_in_utf8(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    # 3.5 KiB in Windows-1252, but every 'é' takes two bytes in UTF-8: the source would be 6 KiB.
    limited(project)
    text = "Over de psoas\n\n" + ("Één café, één idee, één été. " * 8 + "\n\n") * 16
    data = text.encode("cp1252")
    assert len(data) < 4096 < len(text.encode("utf-8"))
    path = project.write("word.txt", data)
    before = snapshot(project.root)
    capsys.readouterr()
    assert project.run("import", str(path), "--slug", "cafe") == 1
    err = capsys.readouterr().err
    assert "sources/cafe.md: error: file is " in err and "sources are limited to 4 KiB" in err
    assert snapshot(project.root) == before
    # Within the limit, the same text is imported, and update reads what import wrote.
    limited(project, 8)
    assert project.run("import", str(path), "--slug", "cafe") == 0
    assert project.run("update") == 0


def test_the_default_limit_is_5_mib(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = project.write("groot.txt", pasted(5 * 1024 * 1024 + 1))
    capsys.readouterr()
    assert project.run("import", str(path), "--slug", "groot") == 1
    assert "sources are limited to 5 MiB" in capsys.readouterr().err
    assert not (project.root / "sources/groot.md").exists()


def test_import_refuses_a_language_update_would_refuse(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write(
        "pyproject.toml", PYPROJECT.replace('["nl", "en", "de"]', '["nl", "de"]')
    )
    path = project.write("english.txt", "About the psoas\n\nThe psoas is the muscle of the soul and it is in your body.\n")
    before = snapshot(project.root)
    capsys.readouterr()
    assert project.run("import", str(path), "--slug", "engels") == 1
    err = capsys.readouterr().err
    assert "sources/engels.md:3: error: article language 'en' is not a project language" in err
    assert "toolkit init en" in err
    assert snapshot(project.root) == before
    assert project.run("import", str(path), "--slug", "engels", "--lang", "nl") == 0


@pytest.mark.parametrize("value", ["0", "-1", '"5120"', "true", "1.5"])
def test_a_wrong_limit_setting_is_named(
    value: str, project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write("pyproject.toml", PYPROJECT + f"max_source_kib = {value}\n")
    project.source("a", "Tekst.\n")
    capsys.readouterr()
    assert project.run("update") == 1
    assert (
        "pyproject.toml: error: [tool.toolkit] max_source_kib: must be a whole number of KiB"
        in capsys.readouterr().err
    )
