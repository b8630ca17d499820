"""toolkit build end to end: real PDFs, the skip cache, fallback reports and --strict."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from conftest import REPO, Project, snapshot
from pypdf import PdfReader

BODY = """\
Een inleiding over de psoas en de adem.

## Wat is de psoas?

De psoas verbindt de wervelkolom met de benen.

- Ademhaling
- Houding
"""


@pytest.fixture
def translated(project: Project) -> Project:
    shutil.copytree(REPO / "layouts", project.root / "layouts")
    project.source("psoas", BODY, front="title: De psoas\nsummary: Over de spier van de ziel.\ndate: 2026-03-14\n")
    assert project.run("update") == 0
    for lang, prefix in (("en", "EN"), ("de", "DE")):
        path = project.po(lang, "psoas")
        po = polib.pofile(str(path))
        for e in po:
            e.msgstr = f"{prefix} {e.msgid}"
        po.save(str(path))
    return project


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_build_everything_then_nothing_then_one_language(translated: Project, capsys) -> None:
    out = translated.root / "output"
    assert translated.run("build", "--jobs", "2") == 0
    pdfs = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    assert pdfs == [f"{lang}/{fmt}/psoas.pdf" for lang in ("de", "en", "nl") for fmt in ("brochure", "handout", "slides")]
    assert "DE Over de spier van de ziel." in pdf_text(out / "de/handout/psoas.pdf")
    assert "14. März 2026" in pdf_text(out / "de/handout/psoas.pdf")
    assert "March 14, 2026" in pdf_text(out / "en/handout/psoas.pdf")  # Babel's "en" is American
    assert "14 maart 2026" in pdf_text(out / "nl/handout/psoas.pdf")
    reader = PdfReader(out / "de/handout/psoas.pdf")
    assert reader.metadata.title == "DE De psoas"
    before = snapshot(out)

    capsys.readouterr()
    assert translated.run("build") == 0
    assert "nothing to do: 12 file(s) up to date" in capsys.readouterr().out
    assert snapshot(out) == before

    path = translated.po("de", "psoas")
    po = polib.pofile(str(path))
    po.find("Houding").msgstr = "Haltung"
    po.save(str(path))
    capsys.readouterr()
    assert translated.run("build") == 0
    report = capsys.readouterr().out
    assert "Built 4 file(s), 8 unchanged" in report
    after = snapshot(out)
    changed = {k for k in after if after[k] != before.get(k)}
    # "Houding" is no slide point (a fragment): the slides PDF stays, the .pptx's notes change
    assert changed == {"de/brochure/psoas.pdf", "de/handout/psoas.pdf", "de/slides/psoas.pptx", ".build-cache.json"}
    assert "Haltung" in pdf_text(out / "de/handout/psoas.pdf")
    from pptx import Presentation

    notes = [s.notes_slide.notes_text_frame.text for s in Presentation(str(out / "de/slides/psoas.pptx")).slides]
    assert any("Haltung" in n for n in notes)


def test_same_inputs_give_byte_identical_pdfs(translated: Project) -> None:
    out = translated.root / "output"
    translated.run("build", "handout", "--lang", "de")
    first = (out / "de/handout/psoas.pdf").read_bytes()
    translated.run("build", "handout", "--lang", "de", "--force", "--jobs", "1")
    assert (out / "de/handout/psoas.pdf").read_bytes() == first


def test_fallbacks_are_reported_and_strict_refuses(translated: Project, capsys) -> None:
    path = translated.po("en", "psoas")
    po = polib.pofile(str(path))
    po.find("Houding").msgstr = ""
    entry = po.find("Ademhaling")
    entry.flags.append("fuzzy")
    po.save(str(path))
    capsys.readouterr()
    assert translated.run("build", "handout", "psoas", "--lang", "en") == 0
    report = capsys.readouterr().out
    assert "output/en/handout/psoas.pdf" in report and "2 unit(s) (source)" in report
    text = pdf_text(translated.root / "output/en/handout/psoas.pdf")
    assert "Houding" in text and "DRAFT" in text

    assert translated.run("build", "handout", "psoas", "--lang", "en", "--fuzzy", "--force") == 0
    assert "EN Ademhaling" in pdf_text(translated.root / "output/en/handout/psoas.pdf")

    before = snapshot(translated.root)
    capsys.readouterr()
    assert translated.run("--strict", "build", "handout", "--lang", "en", "--force") == 1
    err = capsys.readouterr().err
    assert "sources/psoas.md:" in err and "2 unit(s) not translated into 'en'" in err
    assert snapshot(translated.root) == before


def test_regions_choose_how_dates_are_written(translated: Project) -> None:
    pyproject = translated.root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('languages = ["nl", "en", "de"]', 'languages = ["nl", "en", "de"]\nregions = { en = "en_GB" }'))
    translated.run("build", "handout", "--lang", "en")
    assert "14 March 2026" in pdf_text(translated.root / "output/en/handout/psoas.pdf")


def test_unknown_format_and_language(translated: Project, capsys) -> None:
    capsys.readouterr()
    assert translated.run("build", "handout", "--lang", "fr") == 1
    assert "'fr' is not a project language" in capsys.readouterr().err
    assert translated.run("build", "poster") == 1
    assert "no article 'poster'" in capsys.readouterr().err


def test_cache_file_records_every_output(translated: Project) -> None:
    translated.run("build", "slides")
    cache = json.loads((translated.root / "output/.build-cache.json").read_text())
    # `slides` asks for the slides folder: the PDF and the editable PowerPoint file beside it
    assert sorted(cache) == [f"output/{lang}/slides/psoas.{ext}" for lang in ("de", "en", "nl") for ext in ("pdf", "pptx")]


def test_booklet_and_print_ready_files_beside_the_pdf(translated: Project) -> None:
    assert translated.run("build", "brochure", "--lang", "de", "--impose", "booklet", "--print-ready") == 0
    folder = translated.root / "output/de/brochure"
    assert sorted(p.name for p in folder.iterdir()) == ["psoas.booklet.pdf", "psoas.pdf", "psoas.print.pdf"]
    brochure = PdfReader(folder / "psoas.pdf")
    booklet = PdfReader(folder / "psoas.booklet.pdf")
    assert len(brochure.pages) % 4 == 0 and len(booklet.pages) == len(brochure.pages) // 2
    ready = PdfReader(folder / "psoas.print.pdf")
    assert len(ready.pages) == len(brochure.pages)
    assert ready.pages[0].trimbox == brochure.pages[0].trimbox
    # Asked again with nothing changed: nothing to do; a missing extra file is made again.
    (folder / "psoas.print.pdf").unlink()
    assert translated.run("build", "brochure", "--lang", "de", "--impose", "booklet", "--print-ready") == 0
    assert (folder / "psoas.print.pdf").exists()


def test_booklet_and_print_file_only_for_formats_that_have_them(translated: Project, capsys) -> None:
    """An A4 handout is not folded into a booklet, a slide deck is not trimmed by a shop."""
    assert translated.run("build", "handout", "--lang", "de", "--impose", "booklet", "--print-ready") == 0
    assert sorted(p.name for p in (translated.root / "output/de/handout").iterdir()) == ["psoas.pdf"]
    said = capsys.readouterr().out
    assert "--impose booklet applies to brochure and workshop only" in said
    assert "--print-ready applies to brochure only" in said
    assert translated.run("build", "--lang", "de", "--impose", "booklet", "--print-ready") == 0
    assert "applies to" not in capsys.readouterr().out  # the brochure is among them: nothing to say
    for fmt, names in (
        ("slides", ["psoas.pdf"]),
        ("brochure", ["psoas.booklet.pdf", "psoas.pdf", "psoas.print.pdf"]),
    ):
        assert sorted(p.name for p in (translated.root / "output/de" / fmt).iterdir() if p.suffix == ".pdf") == names
    # Asked again: the handout needs no booklet, so nothing is missing and nothing is built.
    assert translated.run("build", "--lang", "de", "--impose", "booklet", "--print-ready") == 0
    assert "nothing to do" in capsys.readouterr().out


def test_handout_is_a_tagged_accessible_pdf(translated: Project) -> None:
    translated.run("build", "handout", "--lang", "de")
    reader = PdfReader(translated.root / "output/de/handout/psoas.pdf")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "de" and root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert reader.metadata.title == "DE De psoas"


CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")


@pytest.mark.skipif(not CMYK_PROFILE.exists(), reason="needs Debian's libgs-common (scripts/system-deps --test)")
def test_print_ready_with_shop_profile_is_pdfx_with_text_in_black(translated: Project) -> None:
    shutil.copy(CMYK_PROFILE, translated.root / "shop.icc")
    pyproject = translated.root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("[tool.toolkit]\n", '[tool.toolkit]\nprint_profile = "shop.icc"\n'))
    assert translated.run("build", "brochure", "--lang", "de", "--print-ready") == 0
    folder = translated.root / "output/de/brochure"
    ready = PdfReader(folder / "psoas.print.pdf")
    intents = ready.trailer["/Root"]["/OutputIntents"]
    assert intents[0]["/S"] == "/GTS_PDFX" and "/DestOutputProfile" in intents[0]
    content = b"".join(
        c.get_object().get_data() for page in ready.pages[1:3] for c in page["/Contents"]
    )
    assert b"0 0 0 1 scn" in content  # text set in 100 % K
    normal = PdfReader(folder / "psoas.pdf")
    assert "/OutputIntents" not in normal.trailer["/Root"]  # the normal PDF stays as it was


def test_missing_print_profile_is_named(translated: Project, capsys) -> None:
    pyproject = translated.root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("[tool.toolkit]\n", '[tool.toolkit]\nprint_profile = "nope.icc"\n'))
    capsys.readouterr()
    assert translated.run("build", "brochure") == 1
    assert "[tool.toolkit] print_profile: 'nope.icc' not found" in capsys.readouterr().err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_build_leaves_no_temporary_folders(translated: Project, tmp_path: Path, jobs: str) -> None:
    """WeasyPrint copies the fonts into a temporary folder per renderer; a build removes them all."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    args = ["--project", str(translated.root), "build", "handout", "--lang", "de", "--jobs", jobs]
    done = subprocess.run([sys.executable, "-m", "toolkit.cli", *args], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (translated.root / "output" / "de" / "handout" / "psoas.pdf").is_file()
    assert list(scratch.iterdir()) == []


def test_capture_hook_leaves_the_html_weasyprint_makes_the_same_pdf_of(
    translated: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The benchmark's renderer floor (bench/floor.py): with TOOLKIT_CAPTURE_LAYOUT set, the build
    writes the same PDF and leaves the final HTML, which WeasyPrint alone lays out into it."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from toolkit.render.document import CAPTURE_ENV
    from toolkit.render.pdf import finish

    built = translated.root / "output/de/brochure/psoas.pdf"
    assert translated.run("build", "brochure", "--lang", "de", "--jobs", "1") == 0
    plain = built.read_bytes()
    monkeypatch.setenv(CAPTURE_ENV, str(tmp_path / "captures"))
    assert translated.run("build", "brochure", "--lang", "de", "--jobs", "1", "--force") == 0
    assert built.read_bytes() == plain
    capture = json.loads((tmp_path / "captures/de/brochure/psoas.pdf.floor.json").read_text())
    assert capture["layouts"] >= 1 and capture["pages"] == len(PdfReader(built).pages)
    laid = HTML(string=capture["html"], base_url=capture["base_url"]).render(
        font_config=FontConfiguration(), dpi=capture["dpi"]
    )
    pdf, pages = finish(laid, pad_to=capture["pad_to"], variant=capture["variant"], tags=capture["tags"], date=capture["date"])
    assert pages == capture["pages"]
    assert pdf == plain  # the same HTML and options: the build's file, byte for byte
