"""How many times WeasyPrint lays a document out (`RenderResult.layouts`), and that the layouts
saved give the same pages: real WeasyPrint, PDFs read back with pypdf."""

from __future__ import annotations

import pytest
from render_helpers import BUILD_DATE, make_project, reader, translated
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.formatting_structure import boxes

from toolkit.config import Config
from toolkit.documents.formats import get_format
from toolkit.render import RenderContext, RenderResult, render_document
from toolkit.render.document import _tight_may_pay, choose_setting
from toolkit.render.html import NOTE_LINES
from toolkit.render.pdf import content_pages
from toolkit.render.refine import Refinements, Setting, apply, hyphenated_rows, refinements
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


# A booklet (brochure: padded to a multiple of 4) of a few A7 pages: a narrow paragraph of German
# compounds ends three hyphenated lines in a row, and the text runs a stub page over, which the
# tighter setting (`body.tight`) pulls back.
ROWS = (
    "<p>Die Kniescheibenbeschwerden und Überlebensreaktionen verursachen Spannungsgeflecht "
    "und Veränderungen wiederum.</p>"
)
TEXT = (
    "<p>Ein Absatz mit gewöhnlichem Text, der die Seite füllt und nichts Besonderes sagt, "
    "aber Zeilen braucht.</p>"
)
BOOKLET = (
    '<html lang="de"><head><style>@page { size: 90mm 110mm; margin: 8mm } '
    "body { font-size: 9pt; line-height: 1.6; hyphens: auto; margin: 0 } "
    "body.tight { line-height: 1.3 } p { margin: 0 0 0.8em; text-align: justify } "
    ".narrow p { width: 30mm; font-size: 10pt; line-height: 1.3 } "
    ".back { break-before: page } .keep { white-space: nowrap; hyphens: none }</style></head>"
    f'<body class="x"><h1>Titel</h1><div class="narrow">{ROWS}</div>{TEXT * 17}'
    '<div class="back">Ende</div></body></html>'
)


def test_the_tighter_trial_keeps_the_rows_words_whole_at_once():
    """The tighter setting changes the space between lines, not where they break: the words that
    end a third hyphenated line in a row in the first layout are kept whole in the trial at
    once, where the trial used to find them again and be laid out a third time."""
    fmt = get_format("brochure")
    made: list[Setting] = []

    def lay_out(setting: Setting) -> Document:
        made.append(setting)
        return HTML(string=apply(BOOKLET, setting)).render()

    first = lay_out(Setting())
    assert content_pages(first) == 6 and _tight_may_pay(first, fmt)  # the premise
    rows = hyphenated_rows(first)
    assert rows == {"Überlebensreaktionen"}
    made.clear()
    setting, laid = choose_setting(fmt, lay_out)
    assert len(made) == 2  # the normal layout and the trial, taken as it is
    assert setting == Setting(tight=True, refinements=Refinements(frozenset(rows)))
    assert content_pages(laid) == 5 and not refinements(laid) - setting.refinements
    # What the trial laid out without them would have found: the same words, so the same setting
    # the third layout made before.
    bare = lay_out(Setting(tight=True))
    assert refinements(bare).keep_whole == rows


def _line_texts(document: Document) -> list[str]:
    return [
        "".join(t.text for t in line.descendants() if isinstance(t, boxes.TextBox)).strip()
        for page in document.pages
        for line in page._page_box.descendants()
        if isinstance(line, boxes.LineBox)
    ]


def test_a_word_longer_than_a_line_is_left_hyphenated():
    """A compound wider than its column is hyphenated over many lines in a row. Kept whole it would
    run out of the column, so none of it is taken for a word to keep whole (its pieces were, and
    cost a layout that could find nothing); the rows of other words still are."""
    html = (
        '<html lang="de"><head><style>@page { size: 90mm 200mm; margin: 8mm } '
        "p { font-size: 10pt; hyphens: auto; text-align: justify } .long { width: 16mm; text-align: left } "
        ".narrow p { width: 30mm; line-height: 1.3 }</style></head><body>"
        '<p class="long">Die Donaudampfschifffahrtsgesellschaftskapitänsmütze liegt da.</p>'
        f'<div class="narrow">{ROWS}</div></body></html>'
    )
    document = HTML(string=html).render()
    lines = _line_texts(document)
    assert sum(1 for ln in lines if ln.endswith("\u2010") and " " not in ln) >= 5  # the premise
    assert refinements(document).keep_whole == {"Überlebensreaktionen"}


def test_a_word_longer_than_a_line_is_left_hyphenated_at_a_page_turn():
    """The same at a page turn: a compound hyphenated over more lines than a page holds gives no
    piece of itself as a word to keep whole (words that fit a line are still kept whole there:
    test_page_quality finds no hyphen across a page turn in the shipped documents)."""
    style = "@page { size: 60mm 40mm; margin: 8mm } p { font-size: 10pt; hyphens: auto; text-align: left }"
    long_word = '<p style="width: 16mm">Die Donaudampfschifffahrtsgesellschaftskapitänsmütze liegt da.</p>'
    document = HTML(string=f'<html lang="de"><head><style>{style}</style></head><body>{long_word}</body></html>').render()
    pages = [
        [ln for ln in page._page_box.descendants() if isinstance(ln, boxes.LineBox)] for page in document.pages
    ]
    assert len(pages) > 1 and _line_texts(document)[len(pages[0]) - 1].endswith("\u2010")  # the premise
    assert refinements(document).keep_whole == set()
