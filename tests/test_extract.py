"""Extraction: the units of each block kind, against golden templates."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, golden, msgfmt_check

from toolkit.catalogs.files import article_template
from toolkit.catalogs.po import parse_catalog
from toolkit.catalogs.po_write import catalog_text
from toolkit.catalogs.units import segment
from toolkit.config import config_from_table
from toolkit.sources.model import Image, Paragraph, Video
from toolkit.sources.parse import normalise, parse_article

DATA = Path(__file__).parent / "data" / "extract"
CONFIG = config_from_table(REPO, {"project_name": "sample"})


def _article(path: Path, rel: str):
    return parse_article(
        path.read_text(encoding="utf-8"), path=rel, slug=path.stem, default_lang="nl"
    )


@pytest.mark.parametrize("name", sorted(p.stem for p in DATA.glob("*.md")))
def test_crafted_article_template_matches_golden(name: str, tmp_path: Path) -> None:
    article = _article(DATA / f"{name}.md", f"sources/{name}.md")
    text = catalog_text(article_template(article, CONFIG))
    golden(f"extract/{name}.pot", text)
    (tmp_path / "t.pot").write_text(text, encoding="utf-8")
    msgfmt_check(tmp_path / "t.pot")


def test_shipped_article_template_matches_golden(tmp_path: Path) -> None:
    path = REPO / "sources" / "hoe-gaat-het-met-je-psoas.md"
    text = catalog_text(article_template(_article(path, "sources/" + path.name), CONFIG))
    golden("extract/hoe-gaat-het-met-je-psoas.pot", text)


def test_units_of_each_block_kind() -> None:
    units = segment(_article(DATA / "blocks.md", "sources/blocks.md"))
    by_id = {u.msgid: u for u in units}
    assert [u.msgctxt for u in units[:2]] == ["title", "summary"]
    # Only the chosen front matter keys: never dates, tags or the language.
    assert not any(u.msgid in ("2026-03-14", "psoas", "nl", "Anna") for u in units)
    para = "Een alinea die over drie regels loopt, met **vet**, *cursief*, `code` en een [link](/massage-en-visie.html)."
    assert by_id[para].locations == (("sources/blocks.md", 12), ("sources/blocks.md", 58))
    assert by_id[para].flags == ("markdown-text", "md-text")
    assert by_id["Regel met harde breuk\\\nen de volgende regel."].comments == ("paragraph",)
    assert by_id["Setext kop"].comments == ("heading (level 2)",)
    assert by_id["Genest punt"].comments == ("list item",)
    assert by_id["De tweede alinea van het punt."].locations == (("sources/blocks.md", 27),)
    assert by_id["Een citaat over twee regels."].comments == ("block quote",)
    assert by_id["Oefening"].comments == ("table header",)
    assert by_id["5 min"].locations == (("sources/blocks.md", 39),)
    assert by_id["Loop van de psoas"].comments == ("image alt text",)
    assert by_id["Loop van de psoas"].flags == ()
    assert by_id["De psoas"].comments == ("image title",)
    assert "Tekst met een afbeelding ![klein](/img/icoon.png) erin." in by_id
    assert not any("Geen vertaling" in u.msgid or "code blijft" in u.msgid for u in units)


def test_blocks_model_videos_and_images() -> None:
    article = _article(DATA / "blocks.md", "sources/blocks.md")
    videos = [b for b in article.blocks if isinstance(b, Video)]
    assert [(v.provider, v.video_id, v.line) for v in videos] == [
        ("youtube", "IXwZSYx6bFc", 46),
        ("vimeo", "123456789", 48),
    ]
    assert videos[0].url == "https://www.youtube.com/watch?v=IXwZSYx6bFc"
    image = next(b for b in article.blocks if isinstance(b, Image))
    assert (image.src, image.alt, image.title) == ("/img/psoas.jpg", "Loop van de psoas", "De psoas")


def test_rewrapping_and_moving_a_paragraph_changes_no_msgid() -> None:
    body_a = "Eerste zin van de alinea.\nTweede zin.\n\nAndere alinea.\n"
    body_b = "Andere alinea.\n\n\nEerste zin   van de alinea. Tweede\nzin.\n"
    ids = [
        {u.msgid for u in segment(parse_article(b, path="s.md", slug="s", default_lang="nl"))}
        for b in (body_a, body_b)
    ]
    assert ids[0] == ids[1]


def test_normalise_keeps_hard_breaks_and_collapses_the_rest() -> None:
    assert normalise("a  b\nc") == "a b c"
    assert normalise("a  \nb") == "a\\\nb"
    assert normalise("a\\\nb") == "a\\\nb"
    assert normalise("  x\t y  ") == "x y"


def test_template_round_trips_through_polib() -> None:
    article = _article(DATA / "blocks.md", "sources/blocks.md")
    text = catalog_text(article_template(article, CONFIG))
    again = catalog_text(parse_catalog(text, "t.pot"))
    assert again == text


def test_paragraph_lines_are_counted_after_front_matter() -> None:
    article = parse_article(
        "---\ntitle: T\n---\n\nEerste.\n\nTweede.\n", path="s.md", slug="s", default_lang="nl"
    )
    assert [(b.text, b.line) for b in article.blocks if isinstance(b, Paragraph)] == [
        ("Eerste.", 5),
        ("Tweede.", 7),
    ]


def test_short_title_is_a_unit_of_its_own_after_the_title() -> None:
    text = "---\ntitle: Een heel lange titel over de psoas\nshort_title: De psoas\nsummary: Kort.\n---\n\nTekst.\n"
    units = segment(parse_article(text, path="sources/x.md", slug="x", default_lang="nl"))
    assert [(u.msgctxt, u.msgid) for u in units[:3]] == [
        ("title", "Een heel lange titel over de psoas"),
        ("short_title", "De psoas"),
        ("summary", "Kort."),
    ]
    assert units[1].comments == ("front matter: short_title",)
    assert units[1].locations == (("sources/x.md", 3),)
