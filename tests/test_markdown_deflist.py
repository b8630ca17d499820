"""Definition lists (`Term` then `: definition`): parsed into terms and definitions, each a unit,
kept through `toolkit update`, and printed as terms with their definitions in every print layout
and as points on the slides. Real catalogs (msgfmt -c) and real PDFs read back with pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from conftest import PYPROJECT, REPO, Project, msgfmt_check, snapshot

from toolkit.catalogs.units import segment
from toolkit.cli import main
from toolkit.sources.model import DefinitionList, Paragraph
from toolkit.sources.parse import parse_article

FIXTURE = Path(__file__).parent / "data" / "extract" / "definition-lists.md"

ENGLISH = {
    "Woorden uit de les": "Words from class",
    "Psoas": "Psoas muscle",
    "De spier die je wervelkolom met je bovenbenen verbindt.": (
        "The muscle that joins your spine to your thighs."
    ),
    "De woorden": "The words",
    "Middenrif": "Diaphragm",
    "De koepelvormige spier onder je longen.": "The dome-shaped muscle below your lungs.",
    "Bij een rustige adem zakt hij omlaag en **ontspant** je buik.": (
        "With a calm breath it sinks and your belly **relaxes**."
    ),
    "Trillen": "Shaking",
    "Een vanzelf opkomende beweging in je benen.": "A movement that comes up by itself in your legs.",
    "Bij TRE® laat je het trillen toe, zolang het prettig voelt.": (
        "In TRE® you allow the shaking, as long as it feels pleasant."
    ),
}

WORKSHOP = """\
---
title: Ademdag
lang: nl
dates: [2026-03-14]
times: "10:00–16:30"
venue: Yogastudio De Linde, Hilversum
teacher: Ellen de Wit
price: 85
include:
  - woorden
---

Fijn dat je er bent.
"""


def test_terms_and_definitions_are_blocks_of_their_own() -> None:
    article = parse_article(
        FIXTURE.read_text(encoding="utf-8"), path="sources/w.md", slug="w", default_lang="nl"
    )
    (dl,) = [b for b in article.blocks if isinstance(b, DefinitionList)]
    assert [(i.term, i.line) for i in dl.items] == [("Psoas", 12), ("Middenrif", 15), ("Trillen", 20)]
    middenrif, trillen = dl.items[1], dl.items[2]
    # one definition of two paragraphs; two definitions of one paragraph each
    assert [[p.line for p in d] for d in middenrif.definitions] == [[16, 18]]
    assert [[p.text for p in d] for d in trillen.definitions] == [
        ["Een vanzelf opkomende beweging in je benen."],
        ["Bij TRE® laat je het trillen toe, zolang het prettig voelt."],
    ]
    assert all(isinstance(b, Paragraph) for i in dl.items for b in i.blocks)
    kinds = {u.msgid: u.comments for u in segment(article)}
    assert kinds["Trillen"] == ("term of a definition list",)
    assert kinds["De koepelvormige spier onder je longen."] == ("definition in a definition list",)


def test_a_colon_line_without_a_term_is_still_a_paragraph() -> None:
    # the plugin needs a term line right above: a lone ": …" stays what it was
    text = "---\ntitle: T\n---\n\n: geen definitie\n"
    article = parse_article(text, path="sources/t.md", slug="t", default_lang="nl")
    assert [type(b).__name__ for b in article.blocks] == ["Paragraph"]


def test_update_of_the_shipped_project_changes_no_catalog(shipped: Project) -> None:
    # sources without definition lists, and the layout strings: every catalog byte-identical
    before = snapshot(shipped.root / "locales")
    assert shipped.run("update") == 0
    assert snapshot(shipped.root / "locales") == before


def _translate(po_path: Path) -> None:
    po = polib.pofile(str(po_path), wrapwidth=0)
    for entry in po:
        entry.msgstr = ENGLISH.get(entry.msgid, entry.msgstr)
    po.save(str(po_path))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A project with the fixture and a workshop that includes it, its English catalog translated
    by hand, then built: handout, brochure, workshop and slides."""
    root = tmp_path_factory.mktemp("deflist")
    (root / "pyproject.toml").write_text(PYPROJECT.replace('"nl", "en", "de"', '"nl", "en"'))
    shutil.copytree(REPO / "layouts", root / "layouts")
    project = Project(root)
    project.write("sources/woorden.md", FIXTURE.read_text(encoding="utf-8"))
    project.write("sources/ademdag.md", WORKSHOP)
    assert project.run("update") == 0
    _translate(project.po("en", "woorden"))
    assert project.run("update") == 0
    assert main(["--project", str(root), "build", "--lang", "en", "--date", "2026-01-05", "--jobs", "1"]) == 0
    return project


def _text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode()


def test_update_keeps_the_translations_and_msgfmt_accepts_the_catalog(built: Project) -> None:
    po_path = built.po("en", "woorden")
    msgfmt_check(po_path)
    po = polib.pofile(str(po_path))
    assert {e.msgid: e.msgstr for e in po if e.msgid in ENGLISH} == ENGLISH
    # the source changes one definition: its entry goes fuzzy, the others stay as they were
    source = built.root / "sources" / "woorden.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("onder je longen.", "onder je longen, boven je buik."))
    try:
        assert built.run("update") == 0
        po = polib.pofile(str(po_path))
        changed = po.find("De koepelvormige spier onder je longen, boven je buik.")
        assert changed is not None and "fuzzy" in changed.flags
        assert changed.msgstr == ENGLISH["De koepelvormige spier onder je longen."]
        assert po.find("Trillen").msgstr == "Shaking" and not po.find("Trillen").fuzzy
        msgfmt_check(po_path)
    finally:
        source.write_text(text)
        _translate(po_path)


@pytest.mark.parametrize("fmt", ["handout", "brochure"])
def test_print_shows_each_term_with_its_definitions_translated(built: Project, fmt: str) -> None:
    text = _text(built.root / "output" / "en" / fmt / "woorden.pdf")
    flat = " ".join(text.split())
    for term, definition in (
        ("Psoas muscle", "The muscle that joins your spine to your thighs."),
        ("Diaphragm", "The dome-shaped muscle below your lungs."),
        ("Shaking", "A movement that comes up by itself in your legs."),
    ):
        # the term on its own line, its definition after it
        assert re.search(rf"^\s*{term}\s*$", text, re.M), term
        assert flat.index(term) < flat.index(definition)
    assert "In TRE® you allow the shaking" in flat and "your belly relaxes" in flat
    assert "Middenrif" not in flat and ": De" not in flat


def test_workshop_prints_the_definition_list(built: Project) -> None:
    flat = " ".join(_text(built.root / "output" / "en" / "workshop" / "ademdag.pdf").split())
    assert "Diaphragm The dome-shaped muscle below your lungs." in flat


def test_slides_show_a_term_and_its_definition_as_one_point(built: Project) -> None:
    flat = " ".join(_text(built.root / "output" / "en" / "slides" / "woorden.pdf").split())
    assert "Diaphragm: The dome-shaped muscle below your lungs." in flat
    assert (built.root / "output" / "en" / "slides" / "woorden.pptx").exists()
