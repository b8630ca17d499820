"""The decks a teacher presents, read back from the files a build writes: every shipped deck, and
automatic decks (the long article without its `slides:`, an imported article with none), in
Dutch, English and German. The PDF is measured with pdfplumber; the .pptx is read back with
python-pptx and must show the same slides with the same texts."""

from __future__ import annotations

import itertools
import re
import shutil
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from conftest import REPO, Project
from pptx import Presentation
from pptx.util import Pt

from toolkit.config import load_config
from toolkit.documents import Inputs

LANGS = ("nl", "en", "de")
SHIPPED = (
    "alles-over-de-psoas",
    "hoe-gaat-het-met-je-psoas",
    "psoas-en-stress",
    "psoas-release-massage",
    "psoas-voorzichtig-behandelen",
)
IMPORTED = "geimporteerd"
SLIDE_H = 405.0
FOOT = 46.0
DECKS = [("shipped", slug, lang) for slug in SHIPPED for lang in LANGS] + [
    ("automatic", slug, lang) for slug in ("alles-over-de-psoas", IMPORTED) for lang in LANGS
]


def _project(root: Path, automatic: bool) -> Project:
    for name in ("sources", "locales", "layouts"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    project = Project(root)
    if automatic:
        # The long article with its author's points removed: the toolkit chooses.
        path = root / "sources" / "alles-over-de-psoas.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"\nslides:\n(?:  .*\n)+", "\n", text, count=1), encoding="utf-8")
        seed = next((REPO / "tests" / "golden" / "import").glob("002_*.txt"))
        assert project.run("import", str(seed), "--slug", IMPORTED) == 0
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Project]:
    projects = {
        "shipped": _project(tmp_path_factory.mktemp("shipped"), automatic=False),
        "automatic": _project(tmp_path_factory.mktemp("automatic"), automatic=True),
    }
    for kind, project in projects.items():
        slugs = SHIPPED if kind == "shipped" else ("alles-over-de-psoas", IMPORTED)
        assert project.run("build", "slides", *slugs, "--jobs", "2") == 0
    return projects


def flat(text: str) -> str:
    """Text to compare across PDF and PowerPoint: no spaces (letter-spaced caps extract with
    spaces between letters), no case (CSS upper-cases the footer), ligatures undone."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


def files(built: dict[str, Project], kind: str, slug: str, lang: str) -> tuple[Path, Path]:
    folder = built[kind].root / "output" / lang / "slides"
    return folder / f"{slug}.pdf", folder / f"{slug}.pptx"


def title_of(project: Project, slug: str, lang: str) -> str:
    document = Inputs(load_config(project.root)).prepare(slug, lang, "slides")
    return document.translated.article.title


def paragraphs(shape) -> list[str]:
    return (
        [p.text for p in shape.text_frame.paragraphs if p.text.strip()]
        if shape.has_text_frame
        else []
    )


def points_of(slide) -> list[str]:
    body = [s for s in slide.placeholders if s.placeholder_format.idx == 1]
    return paragraphs(body[0]) if body and slide.slide_layout.name == "Title and Content" else []


@pytest.mark.parametrize(("kind", "slug", "lang"), DECKS)
def test_a_deck_is_a_summary_with_the_whole_title_first(built, kind, slug, lang) -> None:
    pdf, _ = files(built, kind, slug, lang)
    with pdfplumber.open(pdf) as doc:
        assert 3 <= len(doc.pages) <= 15, len(doc.pages)
        first = doc.pages[0].extract_text() or ""
        title = title_of(built[kind], slug, lang)
        assert flat(title) in flat(first), (title, first)


@pytest.mark.parametrize(("kind", "slug", "lang"), DECKS)
def test_type_is_large_enough_and_never_hyphenated(built, kind, slug, lang) -> None:
    pdf, pptx = files(built, kind, slug, lang)
    deck = Presentation(str(pptx))
    texts = flat(" ".join(t for slide in deck.slides for s in slide.shapes for t in paragraphs(s)))
    with pdfplumber.open(pdf) as doc:
        for n, (page, slide) in enumerate(zip(doc.pages, deck.slides, strict=True), start=1):
            sizes = [c["size"] for c in page.chars if c["text"].strip()]
            assert min(sizes) >= 10 - 0.01, (n, min(sizes))
            if points_of(slide):
                rule = min(r["bottom"] for r in page.rects if r["top"] > 20)  # under the title
                # ® is set as a superscript mark (base.css .reg), not type to read
                body = [
                    c
                    for c in page.chars
                    if rule < c["top"] and c["bottom"] < SLIDE_H - FOOT and c["text"] != "®"
                ]
                assert body and min(c["size"] for c in body) >= 18 - 0.01, n
            lines = (page.extract_text() or "").splitlines()
            for line, following in itertools.pairwise(lines):
                if re.search(r"[^\W\d_][-\u00ad\u2010]$", line):
                    # a line may end in a hard hyphen of the text itself (psoas-release), never a
                    # hyphen the typesetter added
                    word = line.split()[-1] + following.split()[0]
                    assert flat(word) in texts, (n, line, following)


@pytest.mark.parametrize(("kind", "slug", "lang"), DECKS)
def test_every_slide_has_something_besides_its_title(built, kind, slug, lang) -> None:
    _, pptx = files(built, kind, slug, lang)
    deck = Presentation(str(pptx))
    for n, slide in enumerate(deck.slides, start=1):
        layout = slide.slide_layout.name
        if layout == "Title and Content":
            points = points_of(slide)
            assert 1 <= len(points) <= 5, (n, points)
            for point in points:
                assert "…" not in point and not point.rstrip().endswith("?"), point
                assert len(point.split()) >= 4, point  # no fragments
        elif layout == "Title Only":  # a figure, videos or the closing slide: pictures
            assert any(s.shape_type == 13 for s in slide.shapes), n  # MSO_SHAPE_TYPE.PICTURE
        else:
            assert layout == "Title Slide" and n == 1


@pytest.mark.parametrize(("kind", "slug", "lang"), DECKS)
def test_the_pptx_has_the_pdfs_slides_texts_and_notes(built, kind, slug, lang) -> None:
    pdf, pptx = files(built, kind, slug, lang)
    deck = Presentation(str(pptx))
    assert (deck.slide_width, deck.slide_height) == (Pt(720), Pt(405))
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) == len(deck.slides)
        for n, (page, slide) in enumerate(zip(doc.pages, deck.slides, strict=True), start=1):
            shown = flat(page.extract_text() or "")
            for shape in slide.shapes:
                for text in paragraphs(shape):
                    assert flat(text) in shown, (n, text)
            assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip(), n
        # the PDF shows no point the PowerPoint file lacks: same number of points a slide
        for n, (page, slide) in enumerate(zip(doc.pages, deck.slides, strict=True), start=1):
            if points_of(slide):
                bullets = (page.extract_text() or "").count("•")
                assert bullets == len(points_of(slide)), n
    runs = [
        r
        for slide in deck.slides
        for s in slide.shapes
        if s.has_text_frame
        for p in s.text_frame.paragraphs
        for r in p.runs
    ]
    assert all(r.font.size is None or r.font.size >= Pt(10) for r in runs)


def test_a_points_slide_holds_its_sections_full_text_in_the_notes(built) -> None:
    _, pptx = files(built, "shipped", "psoas-en-stress", "de")
    deck = Presentation(str(pptx))
    slide = next(
        s for s in deck.slides if s.shapes.title and s.shapes.title.text == "Was ist der Psoas?"
    )
    notes = slide.notes_slide.notes_text_frame.text
    assert "Iliopsoas" in notes and len(notes) > 3 * sum(len(p) for p in points_of(slide))


def test_the_long_articles_deck_went_from_75_slides_to_a_summary(built) -> None:
    for kind in ("shipped", "automatic"):
        pdf, _ = files(built, kind, "alles-over-de-psoas", "en")
        with pdfplumber.open(pdf) as doc:
            assert len(doc.pages) <= 15


def test_the_same_input_gives_the_same_pptx_and_text_stays_text(built) -> None:
    project = built["shipped"]
    _, pptx = files(built, "shipped", "hoe-gaat-het-met-je-psoas", "de")
    first = pptx.read_bytes()
    assert project.run("build", "pptx", "hoe-gaat-het-met-je-psoas", "--lang", "de", "--force") == 0
    assert pptx.read_bytes() == first
    # A translator's markup is text on the slide, never markup in the file.
    po = project.root / "locales" / "de" / "LC_MESSAGES" / "hoe-gaat-het-met-je-psoas.po"
    evil = "<script>alert(1)</script> & <b>Übungen</b>"
    text = po.read_text(encoding="utf-8").replace(
        'msgstr "Sorge mit Übungen für einen starken und geschmeidigen Psoas"', f'msgstr "{evil}"'
    )
    po.write_text(text, encoding="utf-8")
    assert project.run("build", "pptx", "hoe-gaat-het-met-je-psoas", "--lang", "de") == 0
    deck = Presentation(str(pptx))
    shown = [p for slide in deck.slides for p in points_of(slide)]
    assert evil in shown
