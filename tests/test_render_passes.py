"""How many times WeasyPrint lays a document out (`RenderResult.layouts`), and that the layouts
saved give the same pages: real WeasyPrint, PDFs read back with pypdf."""

from __future__ import annotations

import pytest
from render_helpers import BUILD_DATE, make_project, reader, translated

from toolkit.config import Config
from toolkit.render import RenderContext, RenderResult, render_document
from toolkit.render.html import NOTE_LINES
from toolkit.sources.model import Article


def _handout(config: Config, article: Article) -> RenderResult:
    return render_document(
        translated(article, "nl"),
        "handout",
        context=RenderContext.create(config),
        gettext=lambda s: s,
        build_date=BUILD_DATE,
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, Article]:
    return make_project(tmp_path_factory.mktemp("handout"))


@pytest.fixture(scope="module")
def handout(project: tuple[Config, Article]) -> RenderResult:
    return _handout(*project)


def _note_lines(result: RenderResult) -> tuple[int, list[int]]:
    """The page the notes begin on, and the page of each ruled line."""
    pdf = reader(result.pdf)
    dests = pdf.named_destinations
    lines = [
        pdf.get_destination_page_number(v) for k, v in dests.items() if k.startswith("note-line-")
    ]
    return pdf.get_destination_page_number(dests["notes"]), lines


def test_handout_notes_fill_their_page_in_one_layout(handout):
    """The layout writes more ruled lines than a page holds and its CSS drops those that run over
    (`continue: discard`): nothing is laid out a second time to count them."""
    assert handout.layouts == 1
    assert handout.setting.note_lines is None
    notes, lines = _note_lines(handout)
    assert notes == handout.pages - 1  # the notes page is the last: no page of only note lines
    assert set(lines) == {notes}
    assert 6 <= len(lines) < NOTE_LINES


def test_handout_notes_page_is_the_one_two_layouts_made(project, handout):
    """A layout whose CSS lets the lines run over (an older project's layouts) is laid out again
    with the lines that fit, as before: the same PDF, byte for byte, so the page the CSS cuts is
    the page the count made (the same lines, the same footer 'Page n of n')."""
    config, article = project
    css = config.layouts_dir / "handout.css"
    shipped = css.read_text(encoding="utf-8")
    css.write_text(shipped + ".notes { continue: auto; }\n", encoding="utf-8")
    try:
        legacy = _handout(config, article)
    finally:
        css.write_text(shipped, encoding="utf-8")
    assert legacy.layouts == 2
    assert legacy.setting.note_lines == len(_note_lines(handout)[1])
    assert legacy.pages == handout.pages
    assert legacy.pdf == handout.pdf
