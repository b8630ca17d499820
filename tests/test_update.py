"""toolkit update: merge behaviour through the real CLI, checked with GNU msgfmt."""

from __future__ import annotations

import polib
from babel.messages.plurals import get_plural
from conftest import Project, msgfmt_check

BODY = """\
## Wat is de psoas?

De psoas verbindt de wervelkolom met de benen. Hij zorgt ervoor dat we rechtop kunnen staan.

- Ademhaling
- Houding

Kom het eens ervaren bij [Massagetherapie](/massage-en-visie.html).
"""


def translate_all(project: Project, lang: str, slug: str, prefix: str) -> dict[str, str]:
    """Fill every entry as a translator would, in Poedit's way (its own wrapping)."""
    path = project.po(lang, slug)
    po = polib.pofile(str(path), wrapwidth=0)  # Poedit does not wrap: another tool's layout
    done = {}
    for entry in po:
        entry.msgstr = f"{prefix}: {entry.msgid}"
        done[entry.msgid] = entry.msgstr
    po.metadata["Last-Translator"] = "Tess <tess@example.org>"
    po.metadata["X-Generator"] = "Poedit 3.4"
    po.save(str(path))
    return done


def entries(project: Project, lang: str, slug: str) -> polib.POFile:
    return polib.pofile(str(project.po(lang, slug)))


def test_update_creates_catalogs_for_other_languages_never_prefilled(project: Project) -> None:
    project.source("psoas", BODY)
    assert project.run("update") == 0
    assert (project.root / "locales/psoas.pot").exists()
    assert not project.po("nl", "psoas").exists()  # the article's own language
    for lang in ("en", "de"):
        po = entries(project, lang, "psoas")
        assert po.metadata["Language"] == lang
        # Whatever the installed Babel says for the language (its CLDR data changes between releases).
        assert po.metadata["Plural-Forms"] == get_plural(lang).plural_forms
        assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
        assert all(e.msgstr == "" for e in po)
        assert [e.msgid for e in po][:2] == ["Titel", "Wat is de psoas?"]
        msgfmt_check(project.po(lang, "psoas"))


def test_changed_text_becomes_fuzzy_with_previous_msgid(project: Project) -> None:
    project.source("psoas", BODY)
    project.run("update")
    done = translate_all(project, "de", "psoas", "DE")
    old = "De psoas verbindt de wervelkolom met de benen. Hij zorgt ervoor dat we rechtop kunnen staan."
    new = "De psoas verbindt de wervelkolom met beide benen. Hij zorgt ervoor dat we rechtop kunnen staan."
    project.source("psoas", BODY.replace(old, new))
    assert project.run("update") == 0
    po = entries(project, "de", "psoas")
    entry = po.find(new)
    assert entry is not None and "fuzzy" in entry.flags
    assert entry.previous_msgid == old
    assert entry.msgstr == done[old]
    assert "markdown-text" in entry.flags
    # The old text is kept as obsolete too, so it comes back exactly if the edit is undone.
    assert [e.msgid for e in po.obsolete_entries()] == [old]
    msgfmt_check(project.po("de", "psoas"))
    project.source("psoas", BODY)
    project.run("update")
    po = entries(project, "de", "psoas")
    back = po.find(old)
    assert back is not None and back.msgstr == done[old] and "fuzzy" not in back.flags
    assert po.find(new) is None or po.find(new).obsolete
    msgfmt_check(project.po("de", "psoas"))


def test_removed_text_becomes_obsolete_and_returns(project: Project) -> None:
    project.source("psoas", BODY)
    project.run("update")
    done = translate_all(project, "en", "psoas", "EN")
    project.source("psoas", BODY.replace("- Houding\n", ""))
    project.run("update")
    po = entries(project, "en", "psoas")
    assert po.find("Houding") is None or po.find("Houding").obsolete
    assert [(e.msgid, e.msgstr) for e in po.obsolete_entries()] == [("Houding", done["Houding"])]
    msgfmt_check(project.po("en", "psoas"))
    project.source("psoas", BODY)
    project.run("update")
    po = entries(project, "en", "psoas")
    assert po.find("Houding").msgstr == done["Houding"]
    assert not po.obsolete_entries()
    assert [e.msgid for e in po] == [e.msgid for e in entries(project, "de", "psoas")]  # source order


def test_second_update_is_byte_identical_and_keeps_translator_header(project: Project) -> None:
    project.source("psoas", BODY)
    project.run("update")
    translate_all(project, "de", "psoas", "DE")
    project.run("update")
    first = {p: p.read_bytes() for p in (project.root / "locales").rglob("*.po*")}
    project.run("update")
    second = {p: p.read_bytes() for p in (project.root / "locales").rglob("*.po*")}
    assert first == second
    po = entries(project, "de", "psoas")
    assert po.metadata["Last-Translator"] == "Tess <tess@example.org>"
    assert po.metadata["X-Generator"] == "Poedit 3.4"
    assert all(e.translated() for e in po)


def test_po_rewrapped_by_another_tool_loses_nothing(project: Project) -> None:
    long_para = " ".join(["Een lange zin over de psoas en de adem."] * 8)
    project.source("psoas", long_para + "\n")
    project.run("update")
    path = project.po("de", "psoas")
    po = polib.pofile(str(path), wrapwidth=0)
    for e in po:
        e.msgstr = "Ein langer Satz über den Psoas und den Atem. " * 8
        e.tcomment = "checked with Anna"
        e.flags.append("no-check-numbers")
    po.save(str(path))
    assert max(len(line) for line in path.read_text().splitlines()) > 200  # really unwrapped
    project.run("update")
    after = entries(project, "de", "psoas")
    entry = after.find(long_para)
    assert entry.msgstr == "Ein langer Satz über den Psoas und den Atem. " * 8
    assert entry.tcomment == "checked with Anna"
    assert "no-check-numbers" in entry.flags and "markdown-text" in entry.flags
    msgfmt_check(path)


def test_moving_and_rewrapping_a_paragraph_keeps_translations(project: Project) -> None:
    project.source("psoas", "Eerste alinea.\n\nTweede alinea over\nde psoas.\n")
    project.run("update")
    done = translate_all(project, "en", "psoas", "EN")
    project.source("psoas", "Tweede   alinea over de\npsoas.\n\nEerste alinea.\n")
    project.run("update")
    po = entries(project, "en", "psoas")
    assert [(e.msgid, e.msgstr) for e in po if e.msgid != "Titel"] == [
        ("Tweede alinea over de psoas.", done["Tweede alinea over de psoas."]),
        ("Eerste alinea.", done["Eerste alinea."]),
    ]
    assert not any("fuzzy" in e.flags for e in po)


def test_fuzzy_state_survives_updates_until_the_translator_clears_it(project: Project) -> None:
    project.source("psoas", "Een zin over de adem en de psoas.\n")
    project.run("update")
    translate_all(project, "de", "psoas", "DE")
    project.source("psoas", "Een zin over de adem en de grote psoas.\n")
    project.run("update")
    project.run("update")
    entry = entries(project, "de", "psoas").find("Een zin over de adem en de grote psoas.")
    assert "fuzzy" in entry.flags
    assert entry.previous_msgid == "Een zin over de adem en de psoas."


def test_update_only_one_language(project: Project) -> None:
    project.source("psoas", BODY)
    assert project.run("update", "--lang", "de") == 0
    assert project.po("de", "psoas").exists()
    assert not project.po("en", "psoas").exists()


def test_init_adds_a_language_with_babel_plural_forms(project: Project) -> None:
    project.source("psoas", BODY)
    project.run("update")
    assert project.run("init", "fr") == 0
    assert '"fr"' in project.read("pyproject.toml")
    po = entries(project, "fr", "psoas")
    assert po.metadata["Plural-Forms"] == get_plural("fr").plural_forms
    assert po.metadata["Language-Team"] == "French"
    assert all(e.msgstr == "" for e in po)
    msgfmt_check(project.po("fr", "psoas"))
    assert project.run("init", "pl") == 0
    assert entries(project, "pl", "psoas").metadata["Plural-Forms"] == get_plural("pl").plural_forms
    msgfmt_check(project.po("pl", "psoas"))
    assert project.run("init", "xx-nonsense") == 1


def test_status_counts_units_and_words(project: Project, capsys) -> None:
    import json

    project.source("psoas", BODY)
    project.run("update")
    path = project.po("de", "psoas")
    po = polib.pofile(str(path))
    po.find("Ademhaling").msgstr = "Atmung"
    houding = po.find("Houding")
    houding.msgstr = "Haltung"
    houding.flags.append("fuzzy")
    po.save(str(path))
    capsys.readouterr()
    assert project.run("status", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    de = next(c for c in data["catalogs"] if c["lang"] == "de")
    assert (de["translated"], de["fuzzy"], de["untranslated"]) == (1, 1, 4)
    assert de["words_translated"] == 1 and de["words_fuzzy"] == 1
    en = next(c for c in data["total"] if c["lang"] == "en")
    assert en["translated"] == 0 and en["units"] == 6
