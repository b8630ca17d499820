"""The shipped project passes `toolkit check --strict` in every language, the sources included, and
the shipped glossary catches the wrong turns the English style guide names, with its hints."""

from __future__ import annotations

import json
import tomllib

import polib
import pytest
from conftest import REPO, Project

from toolkit.cli import main

LANGUAGES = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["toolkit"][
    "languages"
]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_shipped_project_passes_strict(shipped: Project, lang: str, capsys) -> None:
    capsys.readouterr()
    code = main(
        ["--project", str(shipped.root), "check", "--lang", lang, "--strict", "--format", "json"]
    )
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert not problems, "\n".join(
        f"{p['path']}:{p['line']}: {p['message']} [{p['rule']}]" for p in problems
    )
    assert code == 0


# source -> (an English translation with a wrong turn, rule, words its message must hold)
WRONG_EN = {
    "Heupklachten": ("Hip complaints", "forbidden", "symptoms, problems, pain or trouble"),
    "Houdingscorrectie helpt.": (
        "Postural restoration helps.",
        "forbidden",
        "posture correction: Postural Restoration is the name of a proprietary method",
    ),
    "Heling kost tijd.": ("Healing takes time.", "forbidden", "recovery, getting better"),
    "Lees de TRE®-pagina.": ("Read the TRE page.", "trademarks", "TRE is written TRE®"),
    "TRE® (Tension & Trauma Releasing Exercises) helpt.": (
        "TRE® (Trauma Releasing Exercises) helps.",
        "forbidden",
        "write 'Tension & Trauma Releasing Exercises'",
    ),
    "Maar… wat is het?": ("But... what is it?", "typography", "three dots"),
    "De “spier van de ziel”.": ('The "muscle of the soul".', "typography", 'straight quote "'),
    "Het middenrif beweegt.": ("The diafragm moves.", "spelling", "write 'diaphragm'"),
}
RIGHT_EN = {
    "Knieklachten": "Knee problems",
    "Lees over TRE® (Tension & Trauma Releasing Exercises).": (
        "Read about TRE® (Tension & Trauma Releasing Exercises)."
    ),
    "Herstel kost tijd.": "Recovery takes time.",
    "Een “citaat” en een ‘citaat’.": "A “quote” and a ‘quote’, and it’s the muscles’ tone.",
}


def test_the_shipped_glossary_and_spelling_catch_the_english_wrong_turns(
    project: Project, capsys
) -> None:
    for name in ("glossary.csv", "en/spelling.txt"):
        project.write(f"locales/{name}", (REPO / "locales" / name).read_text(encoding="utf-8"))
    project.source("wrong", "\n\n".join([*WRONG_EN, *RIGHT_EN]) + "\n")
    assert project.run("update", "--lang", "en") == 0
    path = project.po("en", "wrong")
    po = polib.pofile(str(path))
    table = {k: v for k, (v, _, _) in WRONG_EN.items()} | RIGHT_EN
    for entry in po:
        entry.msgstr = table.get(entry.msgid, entry.msgid)
    po.save(str(path))
    capsys.readouterr()
    assert project.run("check", "--lang", "en", "--format", "json") == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    for msgid, (_, rule, words) in WRONG_EN.items():
        found = [p["message"] for p in problems if p["msgid"] == msgid and p["rule"] == rule]
        assert any(words in m for m in found), (msgid, rule, found)
    assert not [p for p in problems if p["msgid"] in RIGHT_EN]
