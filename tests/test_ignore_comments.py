"""Silencing a check survives gettext's own tools: msgcat and msgattrib drop the flag
`ignore-same`, but keep the translator comment `# ignore-same`, which silences the check too."""

from __future__ import annotations

import json
import subprocess

import polib
import pytest
from conftest import Project, msgfmt_check

# Two texts a translator rightly leaves as they are (a name, a title), and one with prose about it.
FLAGGED = "Trauma Releasing Exercises volgens Berceli."
COMMENTED = "Tension and Trauma Releasing Exercises."
PROSE = "Psoas Major en Psoas Minor."


@pytest.fixture
def silenced(project: Project) -> Project:
    project.source("namen", f"{FLAGGED}\n\n{COMMENTED}\n\n{PROSE}\n")
    assert project.run("update", "--lang", "de") == 0
    path = project.po("de", "namen")
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgid == FLAGGED:
            entry.msgstr = FLAGGED
            entry.flags.append("ignore-same")
        elif entry.msgid == COMMENTED:
            entry.msgstr = COMMENTED
            entry.tcomment = "Eigennaam, bewust niet vertaald.\nignore-same"
        elif entry.msgid == PROSE:
            entry.msgstr = PROSE
            # Prose that mentions the check, and a line naming no known check: neither silences.
            entry.tcomment = "please ignore-same here\nignore-sameness"
        elif entry.msgid == "Titel":
            entry.msgstr = "Titel (de)"
    po.save(str(path))
    return project


def same_warnings(project: Project, capsys: pytest.CaptureFixture[str]) -> set[str]:
    capsys.readouterr()
    assert project.run("check", "--lang", "de", "--format", "json") == 0
    problems = json.loads(capsys.readouterr().out)["problems"]
    return {p["msgid"] for p in problems if p["rule"] == "same"}


def gettext_round_trip(project: Project) -> None:
    """What a translator's tools built on gettext do to the catalog: msgcat, then msgattrib."""
    path = project.po("de", "namen")
    tmp = path.with_suffix(".cat.po")
    subprocess.run(["msgcat", str(path), "-o", str(tmp)], check=True)
    subprocess.run(["msgattrib", "--no-obsolete", str(tmp), "-o", str(path)], check=True)
    tmp.unlink()


def test_the_flag_and_the_comment_line_both_silence_the_check(
    silenced: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert same_warnings(silenced, capsys) == {PROSE}


def test_gettext_tools_drop_the_flag_but_keep_the_comment(
    silenced: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    gettext_round_trip(silenced)
    path = silenced.po("de", "namen")
    msgfmt_check(path)
    text = path.read_text(encoding="utf-8")
    assert "ignore-same" not in [f for e in polib.pofile(str(path)) for f in e.flags]
    assert "#, ignore-same" not in text  # the flag is gone ...
    assert "\n# ignore-same\n" in text  # ... the comment line stays
    # So the flagged entry warns again, and the commented one stays silent.
    assert same_warnings(silenced, capsys) == {FLAGGED, PROSE}


def test_update_keeps_the_comment_and_the_silence(
    silenced: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    gettext_round_trip(silenced)
    # The author adds a paragraph: update merges, and the translator's comments come along.
    silenced.source("namen", f"Een nieuwe inleiding.\n\n{FLAGGED}\n\n{COMMENTED}\n\n{PROSE}\n")
    assert silenced.run("update", "--lang", "de") == 0
    entry = polib.pofile(str(silenced.po("de", "namen"))).find(COMMENTED)
    assert entry is not None
    assert entry.tcomment == "Eigennaam, bewust niet vertaald.\nignore-same"
    assert same_warnings(silenced, capsys) == {FLAGGED, PROSE}


def test_an_edited_source_text_keeps_the_silence_on_its_fuzzy_translation(
    silenced: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    # The author edits both texts: their entries become fuzzy with the old translations, and the
    # translator's comment and flag travel with those translations.
    edited_flagged = FLAGGED.replace("volgens", "naar")
    edited_commented = COMMENTED.replace(".", "!")
    silenced.source("namen", f"{edited_flagged}\n\n{edited_commented}\n\n{PROSE}\n")
    assert silenced.run("update", "--lang", "de") == 0
    po = polib.pofile(str(silenced.po("de", "namen")))
    flagged, commented = po.find(edited_flagged), po.find(edited_commented)
    assert flagged is not None and commented is not None
    assert "fuzzy" in flagged.flags and "ignore-same" in flagged.flags
    assert "fuzzy" in commented.flags
    assert commented.tcomment == "Eigennaam, bewust niet vertaald.\nignore-same"
    msgfmt_check(silenced.po("de", "namen"))
