"""Rendering with real WeasyPrint PDFs, read back with pypdf and poppler's pdftotext."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from render_helpers import (
    BUILD_DATE,
    GERMAN,
    LAYOUT_DE,
    MM,
    SOURCE,
    make_project,
    pdf_pages_text,
    reader,
    translated,
)

from toolkit.config import Config
from toolkit.documents.formats import PDF_FORMATS, get_format
from toolkit.errors import ToolkitError
from toolkit.render import RenderContext, RenderResult, render_document
from toolkit.sources.model import Article

# What an ordinary article is made in as a PDF (the .pptx beside the slides: test_slide_decks.py).
ARTICLE_FORMATS = tuple(n for n in PDF_FORMATS if get_format(n).made_from == "articles")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, Article, RenderContext]:
    config, article = make_project(tmp_path_factory.mktemp("render"))
    return config, article, RenderContext.create(config)


_CACHE: dict[tuple[str, str], RenderResult] = {}


def render(
    sample: tuple[Config, Article, RenderContext], fmt: str, lang: str = "nl"
) -> RenderResult:
    """One render per format and language for the whole module (they take a while)."""
    key = (fmt, lang)
    if key not in _CACHE:
        _, article, context = sample
        tr = translated(article, lang, GERMAN if lang == "de" else None)
        table = LAYOUT_DE if lang == "de" else {}
        _CACHE[key] = render_document(
            tr, fmt, context=context, gettext=lambda s: table.get(s, s), build_date=BUILD_DATE
        )
    return _CACHE[key]


def approx(a: float, b: float, tol: float = 0.05) -> bool:
    return abs(a - b) <= tol


# --- page sizes --------------------------------------------------------------------------------


def test_handout_is_a4(sample):
    result = render(sample, "handout")
    for page in reader(result.pdf).pages:
        assert approx(float(page.mediabox.width), 210 * MM)
        assert approx(float(page.mediabox.height), 297 * MM)
    assert result.pages == len(reader(result.pdf).pages)


def test_brochure_is_a5_with_bleed_and_trimbox(sample):
    result = render(sample, "brochure")
    for page in reader(result.pdf).pages:
        trim, bleed, media = page.trimbox, page.bleedbox, page.mediabox
        assert approx(float(trim.width), 148 * MM) and approx(float(trim.height), 210 * MM)
        assert approx(float(bleed.width), 154 * MM) and approx(float(bleed.height), 216 * MM)
        assert approx(float(trim.left) - float(bleed.left), 3 * MM)
        assert approx(float(bleed.top) - float(trim.top), 3 * MM)
        assert approx(float(media.width), float(bleed.width))  # no crop marks outside


def test_slides_are_16_by_9(sample):
    result = render(sample, "slides")
    for page in reader(result.pdf).pages:
        assert approx(float(page.mediabox.width), 254 * MM)
        assert approx(float(page.mediabox.height), 142.875 * MM)


# --- brochure ----------------------------------------------------------------------------------


def test_brochure_page_count_is_a_multiple_of_4_and_back_cover_last(sample):
    result = render(sample, "brochure")
    assert result.pages % 4 == 0
    pages = pdf_pages_text(result.pdf)
    assert len(pages) == result.pages
    assert "info@adem.example" in pages[-1]
    assert "Ontspannen met TRE" in pages[0]  # cover


@pytest.mark.parametrize("paragraphs", [1, 6, 12, 20])
def test_brochure_padding_is_minimal_for_any_length(tmp_path, paragraphs):
    body = "\n\n".join(
        f"## Deel {i}\n\n" + "Een zin over adem en ruimte in het lichaam. " * 25
        for i in range(paragraphs)
    )
    config, article = make_project(tmp_path, f"---\ntitle: Lengte\n---\n\n{body}\n", "lengte")
    result = render_document(
        translated(article, "nl"),
        "brochure",
        context=RenderContext.create(config),
        gettext=lambda s: s,
    )
    pages = pdf_pages_text(result.pdf)
    assert result.pages == len(pages) and result.pages % 4 == 0
    notes = [i for i, text in enumerate(pages) if "NOTES" in text]
    assert len(notes) == (-(len(pages) - len(notes))) % 4  # no more spare pages than needed
    assert notes == list(range(len(pages) - 1 - len(notes), len(pages) - 1))  # just before the back
    assert "info@adem.example" in pages[-1]


def test_brochure_contents_page_numbers_are_real(sample):
    pages = pdf_pages_text(render(sample, "brochure").pdf)
    contents = next(i for i, text in enumerate(pages) if text.startswith("CONTENTS"))
    entries = re.findall(
        r"(Wat is TRE\?|Hoe oefen je thuis\?|Wanneer beter niet\?|Meer weten\?)[\s.]+(\d+)",
        pages[contents],
    )
    assert len(entries) == 4, pages[contents]
    for heading, number in entries:
        assert number != "0"
        # the heading really starts on that page (a short contents shares its page with the text:
        # there the heading is found a second time)
        found = next(
            i
            for i in range(contents, len(pages))
            if pages[i].count(heading) > (1 if i == contents else 0)
        )
        assert found + 1 == int(number), (heading, number, found + 1)


# --- content -------------------------------------------------------------------------------------


def test_qr_code_and_short_link_where_the_video_was(sample):
    result = render(sample, "handout")
    pages = pdf_pages_text(result.pdf)
    index = next(i for i, text in enumerate(pages) if "youtu.be/IXwZSYx6bFc" in text)
    assert "De basisoefening" in pages[index]  # caption from the heading before the video
    page = reader(result.pdf).pages[index]
    stream = page.get_contents().get_data()
    # the QR code is vector paths drawn in the page (hundreds of module edges), not a bitmap
    assert stream.count(b" l\n") > 300
    xobjects = page["/Resources"].get("/XObject") or {}
    images = [
        x.get_object() for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"
    ]
    assert all(img["/Width"] != img["/Height"] for img in images)  # only the 60×40 photo
    assert '<svg class="qr"' in result.html


def test_german_render_has_german_text_and_date(sample):
    result = render(sample, "handout", "de")
    text = " ".join(pdf_pages_text(result.pdf))
    assert "Entspannen mit TRE" in text
    assert "Komm zu einem Workshop. Es gibt immer Tee." in text
    assert "2. März 2024" in text  # the article's date, written the German way
    assert "Seite 1 von" in text
    assert "Ontspannen met TRE" not in text
    assert '<html lang="de">' in result.html


def test_fallback_text_has_its_own_lang(sample):
    result = render(sample, "handout", "de")
    # untranslated paragraph: shown in Dutch, marked as Dutch for hyphenation
    assert re.search(r'<span lang="nl" class="fallback">Trillen is een natuurlijke', result.html)
    assert '<span lang="nl" class="fallback">Dein' not in result.html
    assert "ENTWURF" in " ".join(pdf_pages_text(result.pdf))  # draft mark (in capitals)
    assert "Trillen is een natuurlijke" in " ".join(pdf_pages_text(result.pdf))


def test_source_language_render_is_not_a_draft(sample):
    result = render(sample, "handout")
    assert 'class="fallback"' not in result.html
    assert "Draft" not in " ".join(pdf_pages_text(result.pdf))


def test_handout_footer_counts_pages(sample):
    result = render(sample, "handout")
    pages = pdf_pages_text(result.pdf)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text


def test_handout_has_lists_tables_quotes_and_notes(sample):
    result = render(sample, "handout")
    text = " ".join(pdf_pages_text(result.pdf))
    for expected in (
        "Je slaapt beter",
        "Voeten",
        "2 minuten",
        "Luister altijd naar je lichaam",
        "NOTES",
        "2 maart 2024",
        "adem.example/veilig.html",
    ):
        assert expected in text, expected
    assert "<img" in result.html and "mat.png" in result.html


def test_missing_image_gives_placeholder_and_warning(sample):
    result = render(sample, "handout")
    text = " ".join(pdf_pages_text(result.pdf))
    assert "IMAGE MISSING" in text and "/img/bestaat-niet.png" in text
    missing = [d for d in result.diagnostics if d.code == "image-missing"]
    assert len(missing) == 1
    line = SOURCE.splitlines().index("![Een plaatje dat ontbreekt](/img/bestaat-niet.png)") + 1
    assert missing[0].severity == "warning" and missing[0].line == line
    assert missing[0].path == "sources/tre.md"


def test_pdf_metadata(sample):
    pdf = reader(render(sample, "brochure", "de").pdf)
    assert pdf.metadata.title == "Entspannen mit TRE"
    assert pdf.metadata.author == "Praktijk Adem & Ruimte"
    assert pdf.trailer["/Root"]["/Lang"] == "de"
    assert "/CreationDate" not in pdf.metadata and "/ModDate" not in pdf.metadata


@pytest.mark.parametrize("fmt", ARTICLE_FORMATS)  # workshop packs: tests/test_workshop.py
def test_same_input_gives_byte_identical_pdf(sample, fmt):
    config, article, context = sample
    first = render(sample, fmt)
    again = render_document(
        translated(article, "nl"), fmt, context=context, gettext=lambda s: s, build_date=BUILD_DATE
    )
    fresh = render_document(
        translated(article, "nl"),
        fmt,
        context=RenderContext.create(config),
        gettext=lambda s: s,
        build_date=BUILD_DATE,
    )
    assert first.pdf == again.pdf == fresh.pdf


@pytest.mark.parametrize("fmt", ARTICLE_FORMATS)
def test_a_chosen_setting_is_laid_out_once_and_gives_the_same_pdf(sample, fmt):
    """What the renderer chose (refine.py) is kept with the result: laid out again in that setting
    (the print shop's PDF/X does so) the document is the same, after one layout."""
    _, article, context = sample
    first = render(sample, fmt)
    assert first.layouts >= 1
    again = render_document(
        translated(article, "nl"),
        fmt,
        context=context,
        gettext=lambda s: s,
        build_date=BUILD_DATE,
        setting=first.setting,
    )
    assert again.layouts == 1
    assert again.pdf == first.pdf


def test_no_date_unless_given(sample):
    _, article, context = sample
    undated = Article(
        **{**article.__dict__, "meta": {k: v for k, v in article.meta.items() if k != "date"}}
    )
    result = render_document(
        translated(undated, "nl"), "handout", context=context, gettext=lambda s: s
    )
    assert "<time" not in result.html
    with_build_date = render_document(
        translated(undated, "nl"),
        "handout",
        context=context,
        gettext=lambda s: s,
        build_date=BUILD_DATE,
    )
    assert "14 mei 2024" in " ".join(pdf_pages_text(with_build_date.pdf))


def test_raw_html_in_a_translation_is_shown_as_text(sample):
    _, article, context = sample
    evil = {
        **GERMAN,
        "Meer weten?": "<script>alert(1)</script> <b>fett</b>",
        "Je slaapt beter": '<img src="http://127.0.0.1:9/x.png"> schlafen',
    }
    result = render_document(
        translated(article, "de", evil), "handout", context=context, gettext=lambda s: s
    )
    assert "<script>" not in result.html and "<b>fett" not in result.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in result.html
    assert '<img src="http' not in result.html
    text = " ".join(pdf_pages_text(result.pdf))
    assert "<script>alert(1)</script> <b>fett</b>" in text


def test_translator_html_in_layout_strings_is_escaped(sample):
    _, article, context = sample
    result = render_document(
        translated(article, "nl"),
        "handout",
        context=context,
        gettext=lambda s: "<i>Notities</i>" if s == "Notes" else s,
    )
    assert "&lt;i&gt;Notities&lt;/i&gt;" in result.html


def test_every_format_renders_in_every_language(sample):
    for fmt in ARTICLE_FORMATS:
        for lang in ("nl", "de"):
            result = render(sample, fmt, lang)
            assert result.pdf.startswith(b"%PDF-") and result.pages >= 1
            assert not [d for d in result.diagnostics if d.code == "weasyprint"], result.diagnostics


def test_unknown_format_is_refused(sample):
    _, article, context = sample
    with pytest.raises(ToolkitError, match="unknown format"):
        render_document(translated(article, "nl"), "poster", context=context, gettext=lambda s: s)


# --- broken layouts ----------------------------------------------------------------------------


def _broken_layout(tmp_path: Path, text: str) -> tuple[Article, RenderContext]:
    config, article = make_project(tmp_path)
    (config.layouts_dir / "handout.html.j2").write_text(text, encoding="utf-8")
    return article, RenderContext.create(config)


def test_template_syntax_error_names_file_and_line(tmp_path):
    article, context = _broken_layout(tmp_path, "<html>\n<body>\n{% if %}\n</body>\n")
    with pytest.raises(ToolkitError) as info:
        render_document(translated(article, "nl"), "handout", context=context, gettext=lambda s: s)
    assert info.value.path == "layouts/handout.html.j2" and info.value.line == 3


def test_template_undefined_name_names_file_and_line(tmp_path):
    article, context = _broken_layout(tmp_path, "<html>\n<body>\n<p>{{ no_such_thing }}</p>\n")
    with pytest.raises(ToolkitError) as info:
        render_document(translated(article, "nl"), "handout", context=context, gettext=lambda s: s)
    assert info.value.path == "layouts/handout.html.j2" and info.value.line == 3
    assert "no_such_thing" in info.value.message
