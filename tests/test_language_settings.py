"""Settings per language: the brand of each language in every output, the register per language
and per article; each validated with errors that name the key."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from conftest import PYPROJECT, REPO, Project

from toolkit.config import config_from_table
from toolkit.errors import ToolkitError

BRAND = """
[tool.toolkit.brand]
practice = "Praktijk Adem"
contact = "Hilversum · 06 12 34 56 78"
website = "https://adem.example"

[tool.toolkit.brand.de]
contact = "Hilversum (Niederlande) · +31 6 12 34 56 78"
website = "https://adem.example/de"
"""


def test_a_language_table_overrides_the_common_brand() -> None:
    table = {
        "brand": {
            "practice": "P",
            "contact": "06 12",
            "colour": "#112233",
            "en": {"contact": "+31 6 12"},
        },
    }
    config = config_from_table(Path("."), table)
    assert config.brand_for("en").contact == "+31 6 12"
    assert config.brand_for("en").colour == "#112233"  # the rest is the common brand
    assert config.brand_for("en").practice == "P"
    assert config.brand_for("nl") == config.brand_for("de") == config.brand
    assert config.brand.contact == "06 12"


@pytest.mark.parametrize(
    ("table", "key", "words"),
    [
        ({"brand": {"fr": {"contact": "x"}}}, "brand.fr", "unknown setting"),
        ({"brand": {"de": "x"}}, "brand.de", "must be a table"),
        ({"brand": {"de": {"colour": "#112233"}}}, "brand.de.colour", "not set per language"),
        ({"brand": {"de": {"contact": 31}}}, "brand.de.contact", "must be a string"),
        ({"register": {"de": "ihr"}}, "register.de", "must be 'du' or 'Sie'"),
        ({"register": {"en": "formal"}}, "register.en", "no registers known"),
        ({"register": {"fr": "vous"}}, "register.fr", "not a project language"),
        ({"register": "du"}, "register", "must be a table"),
    ],
)
def test_bad_language_settings_name_the_key(table: dict, key: str, words: str) -> None:
    with pytest.raises(ToolkitError) as caught:
        config_from_table(Path("."), table)
    assert caught.value.message.startswith(f"[tool.toolkit] {key}: ")
    assert words in caught.value.message
    assert caught.value.path == "pyproject.toml"


def test_register_default_and_spelling() -> None:
    config = config_from_table(Path("."), {"register": {"de": "sie", "nl": "JE"}})
    assert (config.register("de"), config.register("nl"), config.register("en")) == (
        "Sie",
        "je",
        "",
    )


@pytest.mark.parametrize(
    ("front", "words"),
    [
        ("register: Sie\n", "must map languages to registers"),
        ("register: {de: ihr}\n", "'ihr' is not a register of that language"),
        ("register: {en: formal}\n", "is not a register of that language"),
    ],
)
def test_bad_front_matter_register_names_the_line(
    project: Project, capsys, front: str, words: str
) -> None:
    project.source("a", "Tekst.\n", front="title: A\n" + front)
    assert project.run("update") == 1
    err = capsys.readouterr().err
    assert "sources/a.md:3: error:" in err and words in err


# --- the brand in every output ------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("brand")
    (root / "pyproject.toml").write_text(PYPROJECT + BRAND, encoding="utf-8")
    shutil.copytree(REPO / "layouts", root / "layouts")
    (root / "sources").mkdir()
    (root / "sources" / "adem.md").write_text(
        "---\ntitle: Adem\nslides:\n  Rust:\n    - Adem rustig in en uit\n---\n\n## Rust\n\nAdem rustig in en uit.\n",
        encoding="utf-8",
    )
    project = Project(root)
    assert project.run("update") == 0
    for lang in ("en", "de"):
        po = polib.pofile(str(project.po(lang, "adem")))
        for entry in po:
            entry.msgstr = f"{lang.upper()} {entry.msgid}"
        po.save(str(project.po(lang, "adem")))
    assert project.run("build", "handout", "adem") == 0
    assert project.run("build", "brochure", "adem") == 0
    assert project.run("build", "pptx", "adem") == 0
    return root


def _pdf_text(path: Path) -> str:
    out = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(out.split())


@pytest.mark.parametrize(
    ("lang", "phone", "website"),
    [
        ("nl", "06 12 34 56 78", "adem.example"),
        ("de", "+31 6 12 34 56 78", "adem.example/de"),
        ("en", "06 12 34 56 78", "adem.example"),
    ],
)
@pytest.mark.parametrize("fmt", ["handout", "brochure"])
def test_pdfs_print_the_brand_of_their_language(
    built: Path, fmt: str, lang: str, phone: str, website: str
) -> None:
    text = _pdf_text(built / "output" / lang / fmt / "adem.pdf")
    assert phone in text
    if fmt == "brochure":  # its back cover prints the website
        assert website in text
    if lang == "de":
        assert "06 12 34 56 78" not in text


@pytest.mark.parametrize(("lang", "phone"), [("nl", "06 12 34 56 78"), ("de", "+31 6 12 34 56 78")])
def test_the_powerpoint_closing_slide_gives_the_contact_of_its_language(
    built: Path, lang: str, phone: str
) -> None:
    from pptx import Presentation

    deck = Presentation(str(built / "output" / lang / "slides" / "adem.pptx"))
    texts = [
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    ]
    assert any(phone in t for t in texts)
    assert not any("06 12 34 56 78" in t for t in texts) or lang == "nl"


def test_the_shipped_pdfs_give_the_phone_in_international_form_abroad(shipped: Project) -> None:
    """Readers abroad dial +31; the Dutch handout keeps the domestic number (pyproject.toml)."""
    slug = "hoe-gaat-het-met-je-psoas"
    assert shipped.run("build", "handout", slug, "--jobs", "1") == 0
    texts = {
        lang: _pdf_text(shipped.root / "output" / lang / "handout" / f"{slug}.pdf")
        for lang in ("nl", "en", "de")
    }
    assert "06 12 34 56 78" in texts["nl"]
    for lang in ("en", "de"):
        assert "+31 6 12 34 56 78" in texts[lang]
        assert "06 12 34 56 78" not in texts[lang]
