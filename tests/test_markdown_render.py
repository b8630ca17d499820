"""Markdown people bring from their sites, printed: reference links that are real links, footnotes
at the foot of the page, ordered lists that keep their numbers, task lists. Real WeasyPrint PDFs,
read back with pdftotext and pypdf."""

from __future__ import annotations

from pathlib import Path

import pytest
from render_helpers import BUILD_DATE, make_project, pdf_pages_text, reader, translated

from toolkit.render import RenderContext, RenderResult, render_document

FIXTURE = Path(__file__).parent / "data" / "extract" / "markdown-extended.md"

ENGLISH = {
    "Lees eerst [mijn blog over de psoas](https://praktijk-psoas.nl/blog/psoas \"Over de psoas\"), "
    "daarna [de oefeningen](/oefeningen.html) en tot slot [Adem & Ruimte](https://adem.example/over%20ons). "
    "Ontspannen gaat beter met rustige adem.[^adem]": (
        "First read [my blog about the psoas](https://praktijk-psoas.nl/en/blog/psoas), then "
        "[the exercises](/oefeningen.html) and finally [Adem & Ruimte](https://adem.example/over%20ons). "
        "Relaxing is easier with a calm breath.[^adem]"
    ),
    "Onderzoek laat zien dat langzaam ademen de hartslag verlaagt.": (
        "Research shows that slow breathing lowers the heart rate."
    ),
}


@pytest.fixture(scope="module")
def handouts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, RenderResult]:
    config, article = make_project(
        tmp_path_factory.mktemp("md"), FIXTURE.read_text(encoding="utf-8"), "buik"
    )
    context = RenderContext.create(config)
    return {
        lang: render_document(
            translated(article, lang, ENGLISH if lang == "en" else None),
            "handout",
            context=context,
            gettext=lambda s: s,
            build_date=BUILD_DATE,
        )
        for lang in ("nl", "en")
    }


def _uris(pdf: bytes) -> list[str]:
    out = []
    for page in reader(pdf).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                out.append(str(action["/URI"]))
    return out


def test_reference_links_are_links_not_brackets(handouts) -> None:
    pdf = handouts["nl"].pdf
    text = " ".join(pdf_pages_text(pdf))
    assert "mijn blog over de psoas" in text
    assert "[psoas]" not in text and "][" not in text and "[Adem" not in text
    uris = _uris(pdf)
    assert "https://praktijk-psoas.nl/blog/psoas" in uris
    assert "https://adem.example/over%20ons" in uris
    assert "https://adem.example/oefeningen.html" in uris  # root-relative: the practice's site


def test_a_translation_points_the_reference_at_its_own_page(handouts) -> None:
    uris = _uris(handouts["en"].pdf)
    assert "https://praktijk-psoas.nl/en/blog/psoas" in uris
    assert "https://praktijk-psoas.nl/blog/psoas" not in uris


def test_footnotes_print_at_the_foot_of_the_page(handouts) -> None:
    for lang, note in (
        ("nl", "Onderzoek laat zien dat langzaam ademen de hartslag verlaagt."),
        ("en", "Research shows that slow breathing lowers the heart rate."),
    ):
        pages = pdf_pages_text(handouts[lang].pdf)
        page = next(p for p in pages if note in p)
        assert "[^" not in " ".join(pages)
        # below the body text of its page, not where the definition stood in the source
        assert page.index(note) > page.index("Buikademhaling")
    nl = " ".join(pdf_pages_text(handouts["nl"].pdf))
    assert "Je linkerhand, als je rechtshandig bent." in nl
    assert "Voel hoe de hand omhoog komt." in nl


def test_lists_tables_breaks_and_titles(handouts) -> None:
    text = " ".join(pdf_pages_text(handouts["nl"].pdf))
    assert "3. Ga liggen." in text and "5. Adem zes tellen in." in text
    assert "☐ Mat klaarleggen" in text and "☑ Deken meenemen" in text
    assert "[ ]" not in text and "[x]" not in text
    assert "Zo beweegt het middenrif" in text  # an image's title is its caption
    # the fixture's pictures are not there: that is all the renderer has to say about it
    assert {d.code for d in handouts["nl"].diagnostics} == {"image-missing"}
