"""Page quality of every shipped output in nl, en and de, read back from real WeasyPrint PDFs: how
full each page is, headings that are not spread or left at a page's foot, running heads and footers
on one line, the handout's measure, no word hyphenated across a page turn, short contents; and the
PDFs as files: language, title, tags, PDF version, and the print file's preflight."""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from pathlib import Path

import polib
import pytest
from conftest import REPO
from page_quality import Report, measure
from pypdf import PdfReader

from toolkit.cli import main
from toolkit.documents import get_format
from toolkit.press.preflight import preflight
from toolkit.sources.files import read_article

LANGS = ("nl", "en", "de")
ARTICLES = tuple(
    p.stem for p in sorted((REPO / "sources").glob("*.md")) if "include:" not in p.read_text()
)
WORKSHOP = "workshop-psoas-weekend"
LAID_OUT = [
    (lang, fmt, slug)
    for lang in LANGS
    for fmt, slugs in (("handout", ARTICLES), ("brochure", ARTICLES), ("workshop", (WORKSHOP,)))
    for slug in slugs
]
EVERY_PDF = [
    (lang, fmt, slug)
    for lang in LANGS
    for fmt, slugs in (
        ("handout", ARTICLES),
        ("brochure", ARTICLES),
        ("slides", ARTICLES),
        ("workshop", (WORKSHOP,)),
    )
    for slug in slugs
]
CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")


def pdf_path(root: Path, lang: str, fmt: str, slug: str, extra: str = "") -> Path:
    return root / "output" / lang / fmt / (f"{slug}.{extra}.pdf" if extra else f"{slug}.pdf")


_REPORTS: dict[Path, Report] = {}


def report(root: Path, lang: str, fmt: str, slug: str) -> Report:
    path = pdf_path(root, lang, fmt, slug)
    if path not in _REPORTS:
        _REPORTS[path] = measure(path, fmt)
    return _REPORTS[path]


# --- pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "fmt", "slug"), LAID_OUT)
def test_no_mid_document_page_under_60_percent(shipped_build: Path, lang, fmt, slug) -> None:
    r = report(shipped_build, lang, fmt, slug)
    fills = {p.number: round(p.fill, 2) for p in r.pages}
    assert r.underfilled() == [], fills


@pytest.mark.parametrize(("lang", "fmt", "slug"), LAID_OUT)
def test_headings_ragged_and_kept_with_their_text(shipped_build: Path, lang, fmt, slug) -> None:
    r = report(shipped_build, lang, fmt, slug)
    assert r.justified_heading_lines() == []
    assert r.headings_at_foot() == []


@pytest.mark.parametrize(("lang", "fmt", "slug"), LAID_OUT)
def test_running_heads_and_footers_on_one_line(shipped_build: Path, lang, fmt, slug) -> None:
    assert report(shipped_build, lang, fmt, slug).footer_wraps() == []


@pytest.mark.parametrize(("lang", "fmt", "slug"), LAID_OUT)
def test_no_hyphen_across_a_page_turn_and_at_most_two_in_a_row(
    shipped_build: Path, lang, fmt, slug
) -> None:
    r = report(shipped_build, lang, fmt, slug)
    assert r.hyphen_page_turns() == []
    assert r.hyphen_runs() <= 2


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", ARTICLES)
def test_handout_measure_is_55_to_80_characters(shipped_build: Path, lang, slug) -> None:
    lines = report(shipped_build, lang, "handout", slug).chars_per_line()
    assert 55 <= statistics.median(lines) <= 80, lines
    assert sum(1 for n in lines if not 50 <= n <= 85) <= len(lines) // 20, sorted(lines)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", ARTICLES)
def test_contents_two_pages_at_most_and_only_from_four_sections(
    shipped_build: Path, lang, slug
) -> None:
    r = report(shipped_build, lang, "brochure", slug)
    article = read_article(REPO / "sources" / f"{slug}.md", root=REPO, default_lang="nl")
    sections = {b.text.casefold() for b in article.blocks if b.kind == "heading" and b.level == 2}
    assert r.contents_pages() <= 2
    assert (r.contents_pages() > 0) == (len(sections) >= 4)


def test_long_contents_collapse_repeated_headings(shipped_build: Path) -> None:
    text = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "3", str(pdf_path(shipped_build, "nl", "brochure", "alles-over-de-psoas")), "-"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert len(re.findall(r"Herstel jouw psoas", text)) == 1  # twice in the article


def test_workshop_contents_do_not_repeat_the_exercises(shipped_build: Path) -> None:
    text = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", str(pdf_path(shipped_build, "nl", "workshop", WORKSHOP)), "-"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert text.count("Oefeningen") == 1


def test_padding_only_where_needed(shipped_build: Path) -> None:
    for lang in LANGS:
        for slug in ARTICLES:
            r = report(shipped_build, lang, "brochure", slug)
            notes = sum(1 for p in r.pages if p.kind == "notes")
            assert len(r.pages) % 4 == 0 and notes < 4


# --- typography ----------------------------------------------------------------------------------


def test_typography_per_language_in_print_but_not_in_the_catalogs(shipped_build: Path) -> None:
    def text(lang: str, fmt: str, slug: str) -> str:
        return subprocess.run(
            ["pdftotext", str(pdf_path(shipped_build, lang, fmt, slug)), "-"],
            capture_output=True, text=True, check=True,
        ).stdout

    nl = text("nl", "handout", "hoe-gaat-het-met-je-psoas")
    assert "Maar… wat is psoas eigenlijk?" in nl and "Maar..." not in nl
    de = text("de", "handout", "alles-over-de-psoas")
    assert "„" in de and '"' not in de


def test_typography_leaves_source_and_catalog_as_typed(project, tmp_path: Path) -> None:
    """The shipped sources are typeset by their authors already (`toolkit check` asks them to): a
    source typed with straight quotes and three dots shows what print does and what it leaves."""
    shutil.copytree(REPO / "layouts", project.root / "layouts")
    typed = 'Maar... wat is "de psoas" eigenlijk?'
    source = project.source("typed", typed + "\n", front="title: Getypt\n")
    assert project.run("update") == 0
    po = polib.pofile(str(project.po("de", "typed")))
    entry = next(e for e in po if e.msgid == typed)  # the catalog keeps what the author typed
    entry.msgstr = 'Aber... was ist "der Psoas" eigentlich?'
    po.save()
    assert project.run("build", "handout", "typed", "--lang", "de") == 0
    assert project.run("build", "handout", "typed", "--lang", "nl") == 0
    pdf = project.root / "output" / "{lang}" / "handout" / "typed.pdf"
    read = [
        subprocess.run(
            ["pdftotext", str(pdf).format(lang=lang), "-"], capture_output=True, text=True, check=True
        ).stdout
        for lang in ("nl", "de")
    ]
    assert "Maar… wat is “de psoas” eigenlijk?" in " ".join(read[0].split())
    assert "Aber… was ist „der Psoas“ eigentlich?" in " ".join(read[1].split())
    assert typed in source.read_text(encoding="utf-8")
    again = polib.pofile(str(project.po("de", "typed")))
    assert any(e.msgstr == 'Aber... was ist "der Psoas" eigentlich?' for e in again)


# --- the PDFs as files ---------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "fmt", "slug"), EVERY_PDF)
def test_every_pdf_has_language_title_and_tags(shipped_build: Path, lang, fmt, slug) -> None:
    # The session's build asked for booklets and print files: only booklets are imposed and only
    # what goes to the print shop gets a print file (formats.py).
    extras = get_format(fmt).extras("booklet", True)
    for extra in ("booklet", "print"):
        assert pdf_path(shipped_build, lang, fmt, slug, extra).exists() == (extra in extras), extra
    for extra in ("", *extras):
        path = pdf_path(shipped_build, lang, fmt, slug, extra)
        reader = PdfReader(path)
        root = reader.trailer["/Root"]
        assert root["/Lang"] == lang, path
        assert reader.metadata.title, path
        assert root["/ViewerPreferences"]["/DisplayDocTitle"], path
        version = tuple(int(n) for n in reader.pdf_header.removeprefix("%PDF-").split("."))
        assert version >= (1, 7), path  # never pypdf's 1.3 for pages with transparency
        if extra != "booklet":  # an imposed booklet is out of reading order: not tagged
            assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"], path


@pytest.mark.parametrize("lang", LANGS)
def test_print_file_without_profile_passes_preflight_and_says_it_is_not_pdfx(
    shipped_build: Path, lang: str
) -> None:
    for slug in ARTICLES:
        path = pdf_path(shipped_build, lang, "brochure", slug, "print")
        check = preflight(path.read_bytes())
        assert check.passed, (path, check.problems)
        assert check.standard == "" and check.transparency
        assert "/OutputIntents" not in PdfReader(path).trailer["/Root"]
        qpdf = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert qpdf.returncode == 0, qpdf.stdout + qpdf.stderr


@pytest.mark.skipif(
    not CMYK_PROFILE.exists() or not shutil.which("gs"),
    reason="needs Debian's libgs-common and ghostscript (scripts/system-deps --test)",
)
def test_print_file_with_profile_is_tagged_pdfx4_that_ghostscript_and_qpdf_accept(
    tmp_path: Path, capsys
) -> None:
    for name in ("sources", "locales", "layouts"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy(CMYK_PROFILE, tmp_path / "shop.icc")
    text = (REPO / "pyproject.toml").read_text()
    (tmp_path / "pyproject.toml").write_text(
        text.replace("[tool.toolkit]\n", '[tool.toolkit]\nprint_profile = "shop.icc"\n')
    )
    args = ["--project", str(tmp_path), "build", "brochure", "hoe-gaat-het-met-je-psoas", "--lang", "de"]
    assert main([*args, "--print-ready"]) == 0
    assert "print file is PDF/X-4" in capsys.readouterr().out
    path = pdf_path(tmp_path, "de", "brochure", "hoe-gaat-het-met-je-psoas", "print")
    first = path.read_bytes()
    check = preflight(first)
    assert check.passed and check.standard == "PDF/X-4" and check.version >= (1, 6), check
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    assert root["/OutputIntents"][0]["/S"] == "/GTS_PDFX"
    assert root["/Lang"] == "de" and "/StructTreeRoot" in root
    qpdf = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert qpdf.returncode == 0, qpdf.stdout
    gs = subprocess.run(
        ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dPDFSTOPONERROR", "-sDEVICE=nullpage", str(path)],
        capture_output=True, text=True,
    )
    assert gs.returncode == 0 and "Error" not in gs.stdout + gs.stderr, gs.stdout + gs.stderr
    assert main([*args, "--print-ready", "--force", "--jobs", "1"]) == 0
    assert path.read_bytes() == first  # no clock, no random document ID
