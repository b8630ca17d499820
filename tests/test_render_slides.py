"""Slides: which points, how they split, and that no slide overflows its page."""

from __future__ import annotations

import pytest
from render_helpers import GERMAN, REPO, make_project, pdf_pages_text, translated

from toolkit.catalogs.layouts import extract_layout_strings
from toolkit.errors import ToolkitError
from toolkit.render import RenderContext, render_document
from toolkit.render.slides import (
    MAX_POINTS,
    Point,
    auto_points,
    first_sentence,
    paginate,
    shorten,
)
from toolkit.sources.model import Heading, Paragraph

LONG_WORDS = (
    "Ademhalingsoefeningen ondersteunen het zenuwstelsel bij herstel na langdurige spanning"
)


def stress_source() -> str:
    items = "\n".join(f"- Punt {i}: {LONG_WORDS} en nog wat woorden erbij." for i in range(1, 15))
    paras = "\n\n".join(
        f"Zin {i} is een heel lange eerste zin over {LONG_WORDS.lower()} die maar doorgaat en "
        f"doorgaat tot hij echt te lang is voor een dia, ook op een breed scherm. Tweede zin."
        for i in range(1, 12)
    )
    heading = "Een heel lange kop die over twee regels loopt omdat hij zoveel woorden heeft"
    return (
        "---\ntitle: Veel te zeggen\nsummary: Een stresstest voor dia's.\nslides:\n"
        '  "Met de hand":\n    - Eerste gekozen punt\n    - Tweede gekozen punt\n---\n\n'
        f"Inleiding. Nog een zin.\n\n## Lijst\n\n{items}\n\n## {heading}\n\n{paras}\n\n"
        "## Met de hand\n\nDeze tekst komt niet op de dia. Echt niet.\n\n"
        "### Onderdeel\n\nKort.\n\n"
        + "".join(
            f'#### Video {i}\n<iframe src="https://www.youtube.com/embed/abcdefgh{i:03d}"></iframe>\n\n'
            for i in range(5)
        )
    )


@pytest.fixture(scope="module")
def stress(tmp_path_factory):
    config, article = make_project(tmp_path_factory.mktemp("slides"), stress_source(), slug="veel")
    context = RenderContext.create(config)
    return article, render_document(
        translated(article, "nl"), "slides", context=context, gettext=lambda s: s
    )


def test_every_slide_is_exactly_one_page(stress):
    _, result = stress
    slides = result.html.count('<section class="slide')
    assert slides > 10
    assert result.pages == slides  # an overflowing slide would add a page


def test_long_sections_continue_on_more_slides(stress):
    _, result = stress
    assert '<span class="part">1/' in result.html and '<span class="part">3/' in result.html
    for chunk in result.html.split('<section class="slide')[1:]:
        assert chunk.count("<li") <= MAX_POINTS


def test_hand_chosen_points_replace_automatic_ones_in_the_source_language(stress):
    _, result = stress
    text = " ".join(pdf_pages_text(result.pdf))
    assert "Eerste gekozen punt" in text and "Tweede gekozen punt" in text
    assert "Deze tekst komt niet op de dia" not in text


def test_hand_chosen_points_are_translation_units(tmp_path):
    from toolkit.catalogs.units import segment

    config, article = make_project(tmp_path, stress_source(), slug="veel")
    units = {u.msgid: u for u in segment(article) if u.msgctxt == "slides"}
    assert set(units) == {"Eerste gekozen punt", "Tweede gekozen punt"}
    assert units["Eerste gekozen punt"].comments == ("slide point chosen by the author",)
    result = render_document(
        translated(article, "de", {"Eerste gekozen punt": "Erster gewählter Punkt"}),
        "slides",
        context=RenderContext.create(config),
        gettext=lambda s: s,
    )
    assert "Erster gewählter Punkt" in result.html
    # the untranslated one is the author's choice all the same, shown in its own language
    assert '<span lang="nl" class="fallback">Tweede gekozen punt</span>' in result.html
    assert "Deze tekst komt niet op de dia" not in result.html


def test_slides_naming_a_missing_section_is_an_error(tmp_path):
    import pytest

    from toolkit.errors import ToolkitError
    from toolkit.sources.parse import parse_article

    text = "---\ntitle: T\nslides:\n  Bestaat niet: [a]\n---\n\n## Wel\n\nTekst.\n"
    with pytest.raises(ToolkitError) as err:
        parse_article(text, path="sources/t.md", slug="t", default_lang="nl")
    assert err.value.line == 3 and "Bestaat niet" in err.value.message and "'Wel'" in (err.value.hint or "")


def test_videos_get_their_own_slides_with_qr_codes(stress):
    _, result = stress
    text = " ".join(pdf_pages_text(result.pdf))
    for i in range(5):
        assert f"youtu.be/abcdefgh{i:03d}" in text
    assert result.html.count('<svg class="qr"') == 6  # and the website's on the closing slide


def test_german_slides_use_the_translated_texts(tmp_path):
    config, article = make_project(tmp_path)
    result = render_document(
        translated(article, "de", GERMAN),
        "slides",
        context=RenderContext.create(config),
        gettext=lambda s: s,
    )
    text = " ".join(pdf_pages_text(result.pdf))
    assert "Dein Körper entspannt sich tief" in text and "Wie übst du zu Hause?" in text
    assert result.pages == result.html.count('<section class="slide')
    # an untranslated point keeps its language
    assert '<span lang="nl" class="fallback">Spanning in de <strong>psoas</strong>' in result.html


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Een zin. Nog een.", "Een zin."),
        ("Dit is bijv. een test. Echt.", "Dit is bijv. een test."),
        ("Een **vette zin. Met** meer. Klaar.", "Een **vette zin. Met** meer."),
        ("Zie [de site. Hier](/x.html) nu. Dan.", "Zie [de site. Hier](/x.html) nu."),
        ("Hij (zie boven. Echt) gaat. Weg.", "Hij (zie boven. Echt) gaat."),
        ("Geen punt aan het eind", "Geen punt aan het eind"),
        ("Vraag? Antwoord!", "Vraag?"),
    ],
)
def test_first_sentence_never_cuts_markup(text, first):
    assert first_sentence(text, "nl") == first


def test_shorten_keeps_markup_whole():
    text = "woord " * 20 + "**vet " + "woord " * 40 + "eind**"
    short = shorten(text, 150)
    assert short.endswith("…") and short.count("**") % 2 == 0


def test_paginate_limits_points_and_keeps_lead_ins_with_their_points():
    points = [Point(f"punt {i}", i, f"punt {i}", lead=(i % 3 == 0)) for i in range(20)]
    slides = paginate("Titel", 1, points)
    assert sum(len(s.points) for s in slides) == 20
    assert all(len(s.points) <= MAX_POINTS for s in slides)
    assert all(not s.points[-1].lead for s in slides[:-1])
    assert [s.part for s in slides] == list(range(1, len(slides) + 1))
    assert {s.parts for s in slides} == {len(slides)}


def test_auto_points_prefer_list_items_and_skip_lead_in_paragraphs():
    blocks = (
        Paragraph("Hier zie je het:", 3),
        Heading(3, "Sub", 4),
        Paragraph("Eerste zin. Tweede zin.", 5),
    )
    points = auto_points(blocks, "nl")
    assert [(p.text, p.lead) for p in points] == [("Sub", True), ("Eerste zin.", False)]


# --- layout strings ----------------------------------------------------------------------------


def test_layout_strings_are_found_with_locations_in_a_stable_order():
    strings = extract_layout_strings(REPO / "layouts")
    assert strings == extract_layout_strings(REPO / "layouts")
    by_id = {msgid: (locations, comments) for msgid, locations, comments in strings}
    for msgid in ("Notes", "Contents", "Draft", "Page %(page)s of %(pages)s", "Image missing"):
        assert msgid in by_id, msgid
    locations, comments = by_id["Page %(page)s of %(pages)s"]
    assert locations[0][0] == "layouts/handout.html.j2" and locations[0][1] > 0
    assert comments and "page" in comments[0]
    assert [s[1][0] for s in strings] == sorted(s[1][0] for s in strings)


def test_broken_layout_strings_name_the_file(tmp_path):
    (tmp_path / "handout.html.j2").write_text("<p>\n{{ _('x') }\n", encoding="utf-8")
    with pytest.raises(ToolkitError) as info:
        extract_layout_strings(tmp_path)
    assert info.value.path == "layouts/handout.html.j2"
