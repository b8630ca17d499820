"""Workshop packs end to end: the shipped workshop built into real PDFs and read back."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from conftest import PYPROJECT, REPO, Project, snapshot
from pypdf import PdfReader
from render_helpers import MM, pdf_pages_text

from toolkit.cli import main
from toolkit.press import saddle_stitch_order
from toolkit.render.workshop import format_day, format_price, format_times

SLUG = "workshop-psoas-weekend"
LANGS = ("nl", "en", "de")


@pytest.fixture(scope="module")
def shipped_pack(shipped_build: Path) -> Path:
    """The repository's own project with the workshop built in every language (and a booklet):
    the session's build of every shipped output."""
    return shipped_build


def pack(root: Path, lang: str, extra: str = "") -> Path:
    return root / "output" / lang / "workshop" / (f"{SLUG}.{extra}.pdf" if extra else f"{SLUG}.pdf")


_TEXT: dict[Path, list[str]] = {}


def pages(path: Path) -> list[str]:
    if path not in _TEXT:
        _TEXT[path] = pdf_pages_text(path.read_bytes())
    return _TEXT[path]


# --- the cover -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "days", "price"),
    [
        ("nl", ["za 14 maart 2026", "zo 15 maart 2026"], "€ 185,00"),
        ("en", ["Sat, 14 March 2026", "Sun, 15 March 2026"], "€185.00"),  # en_GB by config.regions
        ("de", ["Sa., 14. März 2026", "So., 15. März 2026"], "185,00 €"),
    ],
)
def test_cover_writes_dates_times_and_price_the_way_each_language_does(
    shipped_pack: Path, lang: str, days: list[str], price: str
) -> None:
    cover = pages(pack(shipped_pack, lang))[0]
    for day in days:
        assert day in cover
    assert "10:00–16:30" in cover
    assert price in cover
    assert "Yogastudio De Linde, Hilversum" in cover and "Ellen de Wit" in cover


def test_date_time_and_money_formats() -> None:
    day = dt.date(2026, 3, 14)
    assert format_day(day, "nl") == "za 14 maart 2026"  # not Babel's closest skeleton's "mrt"
    assert format_day(day, "en_GB") == "Sat, 14 March 2026"
    assert format_day(day, "de") == "Sa., 14. März 2026"
    assert format_day(day, "es") == "sáb, 14 de marzo de 2026"  # quoted literals stay as they are
    times = (dt.time(10), dt.time(16, 30))
    assert format_times(times, "de") == "10:00–16:30 Uhr"
    assert "AM" in format_times(times, "en") or "am" in format_times(times, "en")  # 12-hour clock
    assert format_price(None, "EUR", "nl") == ""


# --- contents, articles, exercises, slides -------------------------------------------------------


def test_contents_page_numbers_point_at_the_right_pages(shipped_pack: Path) -> None:
    text = pages(pack(shipped_pack, "nl"))
    contents = subprocess.run(
        ["pdftotext", "-layout", "-f", "2", "-l", "2", str(pack(shipped_pack, "nl")), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    entries = dict(
        (" ".join(m.group(1).split()), int(m.group(2)))
        for m in re.finditer(r"^\s*(\S.*?\S)\s{2,}(\d+)\s*$", contents, re.M)
    )
    # The source writes "Maar... wat"; print sets the three dots as "…" (toolkit/render/typography.py).
    expect = {
        "Programma": "Fijn dat je er bent!",
        "Hoe gaat het met je psoas?": "Maar… wat is psoas eigenlijk?",
        "Wat is de psoas?": "De psoas (spreek uit als soas)",
        "Oefeningen": "Constructieve rust",
        "Dia’s": "Maar… wat is psoas eigenlijk?",
        "Aantekeningen": "AANTEKENINGEN",
    }
    for title, found_there in expect.items():
        page = entries[title]
        assert 2 < page <= len(text), (title, page)
        assert found_there in text[page - 1], (title, page)
        # the number printed in that page's footer is the same
        assert re.search(rf"(^|\s){page}$", text[page - 1]), (title, text[page - 1][-40:])
    assert 0 not in entries.values()
    numbers = list(entries.values())
    assert numbers == sorted(numbers)


def test_included_articles_whole_or_chosen_sections_only(shipped_pack: Path) -> None:
    body = " ".join(pages(pack(shipped_pack, "nl")))
    assert "Massage van psoas ook iets voor jou?" in body  # the whole article, to its end
    assert "De psoas (spreek uit als soas) is een diepliggende spier" in body  # a chosen section
    assert "Minder zitten" in body  # the second chosen section
    assert "Wat heeft TRE® hiermee te maken?" not in body  # a section not chosen
    assert "neurogene tremor" not in body


def test_exercises_carry_qr_codes_of_the_workshop_and_article_videos(shipped_pack: Path) -> None:
    path = pack(shipped_pack, "nl")
    text = pages(path)
    index = next(
        i for i, t in enumerate(text) if "Constructieve rust" in t and "youtu.be/IXwZSYx6bFc" in t
    )
    page = PdfReader(path).pages[index]
    # QR codes are vector paths: hundreds of module edges on the page
    assert page.get_contents().get_data().count(b" l\n") > 600
    videos = next(t for t in text[2:] if "Video’s uit de artikelen" in t)  # not the contents
    assert "youtu.be/7SZj7UcoCeg" in videos and "Yoga oefeningen" in videos
    # in the article's text the video points at the page of its QR code
    ref = re.search(r"Op de \(massage\)tafel · QR-code op pagina (\d+)", " ".join(text))
    assert ref is not None
    assert "youtu.be/IXwZSYx6bFc" in text[int(ref.group(1)) - 1]


def test_slide_sheets_three_to_a_page_with_lines(shipped_pack: Path) -> None:
    path = pack(shipped_pack, "nl")
    text = pages(path)
    first = next(i for i, t in enumerate(text) if i > 1 and "DIA’S" in t)
    # the articles' own decks, their slides of points only: three on the first sheet, then on
    for title in (
        "Maar… wat is psoas eigenlijk?",
        "Wat kan je doen?",
        "Wat is de psoas?",
    ):
        assert title in text[first]
    assert "Wat kun je zelf doen voor een ontspannen psoas?" in text[first + 1]
    # the points the author chose in front matter, not the article's first sentences
    shown = " ".join(text[first].replace("-\n", "").split())
    assert "rechtop staan en onze benen optillen" in shown
    assert "Oplossing 1" not in shown


def test_no_slide_sheets_unless_asked(tmp_path: Path) -> None:
    project = small_workshop(tmp_path, extra="")
    assert project.run("build", "workshop", "weekend", "--lang", "nl") == 0
    text = " ".join(pages(project.root / "output/nl/workshop/weekend.pdf"))
    assert "DIA’S" not in text and "SLIDES" not in text


# --- the PDF as a file -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_a5_tagged_pdf_ua_with_language_and_title(shipped_pack: Path, lang: str) -> None:
    reader = PdfReader(pack(shipped_pack, lang))
    assert len(reader.pages) % 4 == 0
    for page in reader.pages:
        assert round(float(page.mediabox.width) / MM) == 148
        assert round(float(page.mediabox.height) / MM) == 210
    root = reader.trailer["/Root"]
    assert root["/Lang"] == lang
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    titles = {"nl": "Psoas-weekend", "en": "Psoas weekend", "de": "Psoas-Wochenende"}
    assert reader.metadata.title == titles[lang]


def test_untranslated_german_falls_back_with_a_draft_mark(
    shipped_pack: Path, tmp_path: Path
) -> None:
    text = pages(pack(shipped_pack, "de"))
    assert "ENTWURF" not in text[0]  # the shipped pack is fully translated
    assert "Fijn dat je er bent!" not in " ".join(text)
    # Without its German catalog the workshop's own text falls back to Dutch, marked as a draft.
    root = tmp_path / "project"
    for name in ("sources", "locales", "layouts"):
        shutil.copytree(shipped_pack / name, root / name)
    shutil.copy(shipped_pack / "pyproject.toml", root / "pyproject.toml")
    (root / "locales" / "de" / "LC_MESSAGES" / f"{SLUG}.po").unlink()
    assert main(["--project", str(root), "build", "workshop", SLUG, "--lang", "de"]) == 0
    text = pages(pack(root, "de"))
    assert "ENTWURF" in text[0]  # the cover says it is a draft
    assert "Fijn dat je er bent!" in " ".join(text)  # the workshop's text, still in Dutch
    assert "PREIS" in text[0] and "Übungen" in text[1]  # the layout's own words are German


def footer_number(booklet: Path, side: int, x: float, width: float) -> str:
    """The page number printed in the footer strip of one half of a sheet side."""
    top = (210 - 14) * MM  # below the text area: only the footer's margin boxes are here
    result = subprocess.run(
        [
            "pdftotext",
            "-f",
            str(side),
            "-l",
            str(side),
            "-x",
            str(int(x)),
            "-y",
            str(int(top)),
            "-W",
            str(int(width)),
            "-H",
            str(int(14 * MM)),
            "-r",
            "72",
            str(booklet),
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return " ".join(result.stdout.split())


def test_booklet_puts_printed_page_numbers_in_saddle_stitch_order(shipped_pack: Path) -> None:
    single = PdfReader(pack(shipped_pack, "nl"))
    booklet = pack(shipped_pack, "nl", "booklet")
    sheets = PdfReader(booklet)
    count = len(single.pages)
    assert len(sheets.pages) == count // 2
    width = float(sheets.pages[0].mediabox.width)
    for side, (left, right) in enumerate(saddle_stitch_order(count), start=1):
        # the cover (first) and back cover (last) carry no number
        expect = ["" if i in (0, count - 1) else str(i + 1) for i in (left, right)]
        got = [
            footer_number(booklet, side, 0, width / 2),
            footer_number(booklet, side, width / 2, width / 2),
        ]
        assert got == expect, f"sheet side {side}"


# --- errors and the build plan -------------------------------------------------------------------

ARTICLE = """\
---
title: Adem
---

Inleiding over de adem.

## Buikademhaling

Adem in je buik.

## Borstademhaling

Adem hoog in je borst.
"""

WORKSHOP = """\
---
title: Weekend
venue: Studio
dates: [2026-03-14]
include:
  - adem#Buikademhaling
  - {missing}
{extra}---

Welkom!

## Oefeningen

### Liggen

Lig stil.

https://www.youtube.com/watch?v=IXwZSYx6bFc
"""


def small_workshop(root: Path, *, missing: str = "adem", extra: str = "slides: true\n") -> Project:
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    shutil.copytree(REPO / "layouts", root / "layouts")
    project = Project(root)
    project.write("sources/adem.md", ARTICLE)
    project.write("sources/weekend.md", WORKSHOP.format(missing=missing, extra=extra))
    return project


def test_missing_include_names_the_workshop_line_and_what_exists(tmp_path: Path, capsys) -> None:
    project = small_workshop(tmp_path, missing="bestaat-niet")
    before = snapshot(project.root)
    assert project.run("build", "workshop", "weekend", "--lang", "nl") == 1
    err = capsys.readouterr().err
    assert "sources/weekend.md:7:" in err and "'bestaat-niet'" in err
    assert "articles are: adem" in err
    assert snapshot(project.root) == before


def test_missing_section_lists_the_sections(tmp_path: Path, capsys) -> None:
    project = small_workshop(tmp_path, missing="adem#Neusademhaling")
    assert project.run("build", "workshop", "--lang", "nl") == 1
    err = capsys.readouterr().err
    assert "sources/weekend.md:7:" in err and "no section 'Neusademhaling'" in err
    assert "'Buikademhaling'; 'Borstademhaling'" in err


@pytest.mark.parametrize(
    ("bad", "line", "message"),
    [
        ("dates: [2026-03-14, 2026-13-01]", 4, "month must be in 1..12"),
        ("dates: [2026-03-14, morgen]", 4, "'morgen' is not a date"),
        ("dates: [2026-03-14]\nprice: gratis", 5, "price 'gratis' is not an amount"),
        ("dates: [2026-03-14]\ntimes: 10:00", 5, "is not a time range"),
    ],
)
def test_bad_dates_times_or_price_name_file_and_line(
    tmp_path: Path, capsys, bad: str, line: int, message: str
) -> None:
    project = small_workshop(tmp_path)
    source = project.root / "sources/weekend.md"
    source.write_text(source.read_text().replace("dates: [2026-03-14]", bad))
    assert project.run("build", "workshop", "--lang", "nl") == 1
    err = capsys.readouterr().err
    assert f"sources/weekend.md:{line}:" in err and message in err


def test_build_everything_makes_the_workshop_only_as_a_workshop(tmp_path: Path) -> None:
    project = small_workshop(tmp_path)
    assert project.run("update") == 0
    assert (project.po("de", "weekend")).exists()  # the workshop has its own catalogs
    assert project.run("build") == 0
    out = project.root / "output"
    built = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    assert built == sorted(
        [f"{lang}/{fmt}/adem.pdf" for lang in LANGS for fmt in ("brochure", "handout", "slides")]
        + [f"{lang}/workshop/weekend.pdf" for lang in LANGS]
    )
    # naming a format the source is not built in says why
    assert project.run("build", "handout", "weekend") == 1
    assert project.run("build", "workshop", "adem") == 1


def test_included_catalog_is_part_of_the_cache_key(tmp_path: Path, capsys) -> None:
    project = small_workshop(tmp_path)
    assert project.run("update", "--lang", "de") == 0
    assert project.run("build", "workshop", "--lang", "de") == 0
    capsys.readouterr()
    assert project.run("build", "workshop", "--lang", "de") == 0
    assert "nothing to do" in capsys.readouterr().out
    po = polib.pofile(str(project.po("de", "adem")))
    po.find("Adem in je buik.").msgstr = "Atme in den Bauch."
    po.save(str(project.po("de", "adem")))
    capsys.readouterr()
    assert project.run("build", "workshop", "--lang", "de") == 0
    assert "Built 1 file(s)" in capsys.readouterr().out
    text = " ".join(pages(project.root / "output/de/workshop/weekend.pdf"))
    assert "Atme in den Bauch." in text and "Adem in je buik." not in text


def test_workshop_catalog_translates_venue_but_ordinary_articles_do_not_get_it(
    tmp_path: Path,
) -> None:
    project = small_workshop(tmp_path)
    assert project.run("extract") == 0
    pot = project.read("locales/weekend.pot")
    assert 'msgctxt "venue"\nmsgid "Studio"' in pot
    assert "venue" not in project.read("locales/adem.pot")


def test_same_inputs_give_a_byte_identical_pack(shipped_pack: Path) -> None:
    first = pack(shipped_pack, "en").read_bytes()
    assert (
        main(
            [
                "--project",
                str(shipped_pack),
                "build",
                "workshop",
                "--lang",
                "en",
                "--force",
                "--jobs",
                "1",
            ]
        )
        == 0
    )
    assert pack(shipped_pack, "en").read_bytes() == first


@pytest.mark.parametrize(
    ("lang", "phone"),
    [("nl", "06 12 34 56 78"), ("en", "+31 6 12 34 56 78"), ("de", "+31 6 12 34 56 78")],
)
def test_cover_and_back_give_the_contact_of_the_packs_language(
    shipped_pack: Path, lang: str, phone: str
) -> None:
    """[tool.toolkit.brand.en] and .de give readers abroad the phone number in international form."""
    text = pages(pack(shipped_pack, lang))
    assert phone in text[0] and phone in text[-1]
    if lang != "nl":
        assert "06 12 34 56 78" not in " ".join(text)
