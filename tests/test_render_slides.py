"""Slides: which points, how they split, and that no slide overflows its page."""

from __future__ import annotations

from dataclasses import replace

import pytest
from render_helpers import GERMAN, REPO, make_project, pdf_pages_text, translated

from toolkit.catalogs.layouts import extract_layout_strings
from toolkit.errors import ToolkitError
from toolkit.render import RenderContext, render_document
from toolkit.render.deck import MAX_POINTS, plan_deck
from toolkit.render.measure import Measure
from toolkit.render.points import best, candidates, first_sentence, rejected
from toolkit.sources.model import FrozenMap, Heading, ListBlock, ListItem, Paragraph

LONG_WORDS = (
    "Ademhalingsoefeningen ondersteunen het zenuwstelsel bij herstel na langdurige spanning"
)
MEASURE = Measure(REPO / "layouts" / "fonts")


def stress_source(hand: bool = False) -> str:
    # a long list of different things: more than one slide holds
    things = (
        "rugpijn in de onderrug",
        "stijve heupen bij het opstaan",
        "een hoge ademhaling in de borst",
        "onrust zonder duidelijke aanleiding",
        "slecht slapen na een drukke dag",
        "kramp in de kuiten",
        "een knoop in je buik",
        "moeite met gronden en zakken",
        "pijn in de liezen bij lopen",
        "een zeurende nek na het werk",
        "spanning in de kaak",
        "koude voeten in de winter",
        "hoofdpijn aan het eind van de middag",
        "een strak gevoel in het bekken",
    )
    items = "\n".join(f"- Punt {i}: {thing}" for i, thing in enumerate(things, start=1))
    paras = "\n\n".join(
        f"Zin {i} is een heel lange eerste zin over {LONG_WORDS.lower()} die maar doorgaat en "
        f"doorgaat tot hij echt te lang is voor een dia, ook op een breed scherm. Tweede zin "
        f"over de adem en het lichaam."
        for i in range(1, 12)
    )
    heading = "Een heel lange kop die over twee regels loopt omdat hij zoveel woorden heeft"
    chosen = (
        'slides:\n  "Met de hand":\n    - Eerste gekozen punt van de auteur\n'
        "    - Tweede gekozen punt van de auteur\n"
    )
    return (
        f"---\ntitle: Veel te zeggen\nsummary: Een stresstest voor dia's.\n{chosen if hand else ''}---\n\n"
        f"Inleiding. Nog een zin.\n\n## Lijst\n\n{items}\n\n## {heading}\n\n{paras}\n\n"
        "## Met de hand\n\nDeze tekst komt niet op de dia. Echt niet.\n\n"
        "### Onderdeel\n\nKort.\n\n"
        + "".join(
            f'#### Video {i}\n<iframe src="https://www.youtube.com/embed/abcdefgh{i:03d}"></iframe>\n\n'
            for i in range(5)
        )
    )


def render_stress(root, hand: bool):
    config, article = make_project(root, stress_source(hand), slug="veel")
    context = RenderContext.create(config)
    return article, render_document(
        translated(article, "nl"), "slides", context=context, gettext=lambda s: s
    )


@pytest.fixture(scope="module")
def stress(tmp_path_factory):
    return render_stress(tmp_path_factory.mktemp("slides"), hand=False)


@pytest.fixture(scope="module")
def stress_hand(tmp_path_factory):
    return render_stress(tmp_path_factory.mktemp("slides-hand"), hand=True)


def test_every_slide_is_exactly_one_page(stress):
    article, result = stress
    slides = result.html.count('<section class="slide')
    deck = plan_deck(article, "nl", MEASURE)
    assert result.pages == slides == deck.count  # an overflowing slide would add a page
    assert 3 <= deck.count <= 15


def test_points_are_at_most_five_whole_sentences(stress):
    article, result = stress
    deck = plan_deck(article, "nl", MEASURE)
    for slide in deck.slides:
        assert len(slide.points) <= MAX_POINTS
        for point in slide.points:
            assert not point.text.endswith("…") and "…" not in point.text
            assert len(point.text.split()) >= 4
    for chunk in result.html.split('<section class="slide')[1:]:
        assert chunk.count("<li") <= MAX_POINTS


def test_a_long_list_section_may_take_a_second_slide(stress):
    article, _ = stress
    deck = plan_deck(article, "nl", MEASURE)
    lists = [s for s in deck.slides if s.title == "Lijst"]
    assert [(s.part, s.parts) for s in lists] == [(1, 2), (2, 2)]
    shown = [p.text for s in lists for p in s.points]
    assert len(shown) == len(set(shown))  # no point twice


def test_the_deck_budget_is_a_setting(tmp_path):
    source = (
        stress_source()
        .split("#### Video 0")[0]
        .replace("title: Veel", "max_slides: 3\ntitle: Veel")
    )
    _, article = make_project(tmp_path, source, slug="veel")
    assert plan_deck(article, "nl", MEASURE).count == 3
    assert plan_deck(article, "nl", MEASURE, max_slides=30).count == 3  # the article's own wins
    unlimited = replace(
        article, meta=FrozenMap({k: v for k, v in article.meta.items() if k != "max_slides"})
    )
    assert plan_deck(unlimited, "nl", MEASURE, max_slides=30).count > 3


def test_videos_beyond_the_budget_are_kept_and_reported(stress):
    article, _ = stress
    deck = plan_deck(article, "nl", MEASURE, max_slides=4)
    assert sum(len(s.videos) for s in deck.slides) == 5
    assert deck.notes and "max_slides = 4" in deck.notes[0].message


def test_hand_chosen_points_replace_automatic_ones_in_the_source_language(stress_hand):
    _, result = stress_hand
    text = " ".join(pdf_pages_text(result.pdf))
    assert "Eerste gekozen punt" in text and "Tweede gekozen punt" in text
    assert "Deze tekst komt niet op de dia" not in text
    # the author's deck holds the sections the author named, and nothing chosen automatically
    assert "Punt 1:" not in text and "Zin 1" not in text


def test_hand_chosen_points_are_translation_units(tmp_path):
    from toolkit.catalogs.units import segment

    config, article = make_project(tmp_path, stress_source(hand=True), slug="veel")
    units = {u.msgid: u for u in segment(article) if u.msgctxt == "slides"}
    assert set(units) == {"Eerste gekozen punt van de auteur", "Tweede gekozen punt van de auteur"}
    assert units["Eerste gekozen punt van de auteur"].comments == (
        "slide point chosen by the author",
    )
    result = render_document(
        translated(
            article,
            "de",
            {"Eerste gekozen punt van de auteur": "Erster gewählter Punkt der Autorin"},
        ),
        "slides",
        context=RenderContext.create(config),
        gettext=lambda s: s,
    )
    assert "Erster gewählter Punkt der Autorin" in result.html
    # the untranslated one is the author's choice all the same, shown in its own language
    assert (
        '<span lang="nl" class="fallback">Tweede gekozen punt van de auteur</span>' in result.html
    )
    assert "Deze tekst komt niet op de dia" not in result.html


def test_slides_naming_a_missing_section_is_an_error(tmp_path):
    from toolkit.sources.parse import parse_article

    text = "---\ntitle: T\nslides:\n  Bestaat niet: [a]\n---\n\n## Wel\n\nTekst.\n"
    with pytest.raises(ToolkitError) as err:
        parse_article(text, path="sources/t.md", slug="t", default_lang="nl")
    assert (
        err.value.line == 3
        and "Bestaat niet" in err.value.message
        and "'Wel'" in (err.value.hint or "")
    )


@pytest.mark.parametrize("value", ["2", "veel", "true"])
def test_max_slides_in_front_matter_is_checked(value):
    from toolkit.sources.parse import parse_article

    text = f"---\ntitle: T\nmax_slides: {value}\n---\n\n## Wel\n\nTekst.\n"
    with pytest.raises(ToolkitError) as err:
        parse_article(text, path="sources/t.md", slug="t", default_lang="nl")
    assert err.value.line == 3 and "max_slides" in err.value.message


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


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Het probleem?", "nl"),  # a rhetorical question
        ("Wat doet de psoas eigenlijk in je lijf?", "nl"),
        ("Ik blijf.", "nl"),  # under four words
        ("100 euro.", "nl"),
        ("Neem gerust contact met me op voor de mogelijkheden.", "nl"),  # a call to action
        ("Get in touch with me about the options.", "en"),
        ("Melde dich gern bei mir, um die Möglichkeiten zu besprechen.", "de"),
        ("Hier zie je hoe het werkt:", "nl"),  # a lead-in
        ("En zo beland je in een kip-ei-worsteling…", "nl"),  # would read as a cut
    ],
)
def test_what_is_never_a_point(text, lang):
    assert rejected(text, lang)


def test_a_section_with_a_list_is_shown_by_its_list():
    items = [
        ListItem((Paragraph(f"Een punt over de psoas nummer {n} in de lijst", 10 + n),), 10 + n)
        for n in range(4)
    ]
    blocks = (
        Paragraph("De psoas is een diepe spier die veel doet voor je houding.", 3),
        ListBlock(False, 1, tuple(items), 10),
        Heading(3, "2. Stress en het autonome zenuwstelsel", 20),
    )
    found = candidates(blocks, "nl", lambda t: True, heading="De psoas")
    chosen = best(found, "nl", 5)
    assert [p.item for p in chosen] == [True] * 4
    assert any(p.text == "Stress en het autonome zenuwstelsel" for p in found)  # numbering gone


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
