"""The documents layer: formats as a registry, documents prepared once and shared by build and
serve, each source and catalog read once per command."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import REPO, Project
from pypdf import PdfReader

from toolkit.config import load_config
from toolkit.documents import FORMATS, Format, Inputs, formats_for, prepare
from toolkit.documents.formats import Page
from toolkit.errors import ToolkitError

MM = 72 / 25.4
WORKSHOP = "workshop-psoas-weekend"


def _boxes_mm(pdf: Path) -> tuple[tuple[float, float], float]:
    """(trimmed width, height) and the bleed, in millimetres, of the first page."""
    page = PdfReader(pdf).pages[0]
    trim = page.trimbox if "/TrimBox" in page else page.mediabox
    media = page.mediabox
    size = (float(trim.width) / MM, float(trim.height) / MM)
    bleed = (float(media.width) - float(trim.width)) / 2 / MM
    return size, bleed


def test_every_format_prints_on_the_page_its_registry_entry_names(shipped: Project) -> None:
    """The layouts' CSS draws the page; the registry says what it is. They must not drift."""
    from pptx import Presentation

    article = "psoas-release-massage"
    assert shipped.run("build", article, "--lang", "de", "--jobs", "2") == 0
    assert shipped.run("build", "workshop", WORKSHOP, "--lang", "de") == 0
    seen = set()
    for fmt in FORMATS.values():
        slug = WORKSHOP if fmt.made_from == "workshops" else article
        path = shipped.root / "output" / "de" / fmt.directory / fmt.output_name(slug)
        if not fmt.is_pdf:  # the PowerPoint deck: its slide size is the registry's page
            deck = Presentation(str(path))
            size = (deck.slide_width / 36000, deck.slide_height / 36000)  # EMU -> mm
            assert size == pytest.approx((fmt.page.width, fmt.page.height), abs=0.1), fmt.name
            seen.add(fmt.name)
            continue
        (width, height), bleed = _boxes_mm(path)
        assert (width, height, bleed) == pytest.approx((fmt.page.width, fmt.page.height, fmt.page.bleed), abs=0.1), fmt.name
        pages = len(PdfReader(path).pages)
        assert pages % fmt.pad_to == 0, fmt.name
        seen.add(fmt.name)
    assert seen == set(FORMATS)


def test_the_registry_says_which_formats_are_booklets_and_go_to_the_print_shop() -> None:
    """--impose booklet makes sense for a saddle-stitched booklet, --print-ready for what a shop
    trims: not for an A4 handout or a slide deck."""
    assert [n for n, f in FORMATS.items() if f.booklet] == ["brochure", "workshop"]
    assert [n for n, f in FORMATS.items() if f.print_shop] == ["brochure"]
    for fmt in FORMATS.values():
        assert fmt.pad_to == (4 if fmt.booklet else 1), fmt.name
        assert not fmt.print_shop or fmt.page.bleed > 0, fmt.name  # the shop trims into a bleed
        assert fmt.extras(None, False) == ()
        assert fmt.extras("booklet", True) == (
            *(("booklet",) if fmt.booklet else ()),
            *(("print",) if fmt.print_shop else ()),
        )


def test_a_new_format_is_one_registry_entry_and_one_template(shipped: Project, monkeypatch) -> None:
    layouts = shipped.root / "layouts"
    (layouts / "poster.html.j2").write_text(
        textwrap.dedent(
            """\
            {% extends "base.html.j2" %}
            {% block body %}<h1>{{ title }}</h1>{% for s in sections %}<h2>{{ s.title }}</h2>{% endfor %}{% endblock %}
            """
        ),
        encoding="utf-8",
    )
    (layouts / "poster.css").write_text("@page { size: 297mm 420mm; margin: 20mm; }\n", encoding="utf-8")
    poster = Format("poster", "A3 poster", "poster.html.j2", Page(297, 420), dpi=150)
    monkeypatch.setitem(FORMATS, "poster", poster)  # type: ignore[index]
    assert shipped.run("build", "poster", "psoas-release-massage", "--lang", "en") == 0
    pdf = shipped.root / "output" / "en" / "poster" / "psoas-release-massage.pdf"
    assert _boxes_mm(pdf) == (pytest.approx((297, 420), abs=0.1), pytest.approx(0, abs=0.1))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    title = Inputs(load_config(shipped.root)).prepare("psoas-release-massage", "en", poster)
    assert " ".join(title.translated.article.title.split()) in " ".join(text.split())


def test_a_workshop_is_only_a_pack_and_an_article_never_one(shipped: Project) -> None:
    inputs = Inputs(load_config(shipped.root))
    workshop = inputs.article(WORKSHOP)
    article = inputs.article("psoas-release-massage")
    assert workshop is not None and article is not None
    assert [f.name for f in formats_for(workshop)] == ["workshop"]
    assert "workshop" not in [f.name for f in formats_for(article)]
    with pytest.raises(ToolkitError, match="is not built as handout"):
        inputs.prepare(workshop, "en", "handout")
    with pytest.raises(ToolkitError, match="is not built as workshop"):
        inputs.prepare(article, "en", "workshop")


def test_a_prepared_document_pickles_and_its_key_follows_its_inputs(shipped: Project) -> None:
    config = load_config(shipped.root)
    document = Inputs(config).prepare(WORKSHOP, "de", "workshop")
    assert document.includes, "the workshop includes articles"
    again = pickle.loads(pickle.dumps(document))
    assert again == document and again.key == document.key
    assert again.gettext("Notes") == document.gettext("Notes") != "Notes"
    # Same files, same key; an included article's catalog changes the pack's key.
    assert Inputs(config).prepare(WORKSHOP, "de", "workshop").key == document.key
    included = document.includes[0].translated.article.slug
    po = shipped.po("de", included)
    po.write_text(po.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert Inputs(config).prepare(WORKSHOP, "de", "workshop").key != document.key
    # The format is part of the key: one cache holds a handout and a brochure apart.
    inputs = Inputs(config)
    assert inputs.prepare(included, "de", "handout").key != inputs.prepare(included, "de", "brochure").key


def test_a_key_follows_the_renderer_not_only_the_toolkit_version(shipped: Project, monkeypatch) -> None:
    """An upgraded WeasyPrint (or an edited renderer) lays pages out anew: its old PDFs are stale."""
    config = load_config(shipped.root)
    before = Inputs(config).prepare("psoas-release-massage", "de", "handout").key
    real_version = prepare.metadata.version
    monkeypatch.setattr(
        prepare.metadata,
        "version",
        lambda name: "999.0" if name == "weasyprint" else real_version(name),
    )
    prepare._code_key.cache_clear()
    try:
        after = Inputs(config).prepare("psoas-release-massage", "de", "handout").key
    finally:
        monkeypatch.undo()
        prepare._code_key.cache_clear()
    assert after != before
    assert Inputs(config).prepare("psoas-release-massage", "de", "handout").key == before


def test_the_preview_pdf_is_the_built_pdf(shipped: Project) -> None:
    pytest.importorskip("starlette")
    from toolkit.serve.preview import Previewer

    slug = "psoas-release-massage"
    assert shipped.run("build", "slides", slug, "--lang", "en") == 0
    built = (shipped.root / "output" / "en" / "slides" / f"{slug}.pdf").read_bytes()
    assert Previewer(load_config(shipped.root)).pdf(slug, "en", "slides") == built


# A build in a child process, with an audit hook that logs every file opened (forked workers
# inherit it), so the test sees what a build reads, worker processes included.
_TRACE = """
import os, sys
log = os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        os.write(log, (os.fsdecode(args[0]) + "\\n").encode())
sys.addaudithook(hook)
from toolkit.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_build_reads_each_source_and_catalog_once(shipped: Project, tmp_path: Path, jobs: str) -> None:
    log = tmp_path / "opened.log"
    args = ["--project", str(shipped.root), "build", "--lang", "de", "--jobs", jobs]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", _TRACE, str(log), *args], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    opened = [Path(p).resolve() for p in log.read_text(encoding="utf-8").splitlines()]
    root = shipped.root.resolve()
    sources = sorted((root / "sources").glob("*.md"))
    catalogs = sorted((root / "locales" / "de" / "LC_MESSAGES").glob("*.po"))
    assert sources and catalogs
    counts = {p.relative_to(root).as_posix(): opened.count(p) for p in [*sources, *catalogs]}
    assert counts == dict.fromkeys(counts, 1), counts
    cache = json.loads((root / "output" / ".build-cache.json").read_text(encoding="utf-8"))
    built = [p for p in (root / "output" / "de").rglob("*") if p.suffix in (".pdf", ".pptx")]
    assert len(cache) == len(built)
    shutil.rmtree(root / "output")
