"""The style guides' checks: typography, spelling, register, TRE without ®, forbidden terms with
hints, in translations (`check --lang de/en`) and in the sources (`check --lang nl`)."""

from __future__ import annotations

import json

import polib
import pytest
from conftest import PYPROJECT, Project, msgfmt_check

from toolkit.catalogs.glossary import parse_glossary
from toolkit.catalogs.spelling import parse_spelling
from toolkit.catalogs.style import TextContext, register, typography
from toolkit.registers import NEUTRAL

GLOSSARY = """\
term,pos,note,flags,en,de,forbidden:nl,forbidden:en,forbidden:de,hint:en,hint:de
TRE®,noun,trademark,read-only,,,,,,,
Tension & Trauma Releasing Exercises,noun,name,read-only,,,Trauma Releasing Exercises,Trauma Releasing Exercises,Trauma Releasing Exercises,,
klacht,noun,,,,,,complaint*,,"symptoms, problems or pain, by sentence",
herstel,noun,,,,,,cure*,Heilung*; heilen,,"Erholung, Genesung"
"""


def run_check(project: Project, capsys, lang: str, *args: str) -> tuple[int, list[dict]]:
    capsys.readouterr()
    code = project.run("check", "--lang", lang, "--format", "json", *args)
    return code, json.loads(capsys.readouterr().out)["problems"]


def translate(
    project: Project,
    lang: str,
    slug: str,
    table: dict[str, str],
    comments: dict[str, str] | None = None,
) -> None:
    path = project.po(lang, slug)
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = table.get(
            entry.msgid, entry.msgid if entry.msgctxt else f"[{lang}] {entry.msgid}"
        )
        if comments and entry.msgid in comments:
            entry.tcomment = comments[entry.msgid]
    po.save(str(path))


# --- translations -----------------------------------------------------------------------------

# source text -> (German translation, rule that must report it, words the message must hold)
PLANTED_DE = {
    "Hij zei: dit helpt.": ('Er sagte: "das hilft".', "typography", 'straight quote "'),
    "Wacht even.": ("Warte mal...", "typography", "three dots"),
    "Dat heet “loslaten”.": ("Das heißt “loslassen”.", "typography", "English closing quote"),
    "Het middenrif beweegt.": (
        "Das Zwerchfel bewegt sich.",
        "spelling",
        "'Zwerchfel' is misspelt: write 'Zwerchfell'",
    ),
    "TRE helpt.": ("TRE hilft.", "trademarks", "TRE is written TRE®"),
    "Ga naar de TRE®-pagina.": ("Geh zur TRE-Seite.", "trademarks", "TRE is written TRE®"),
    "Dit is TRE® (Tension & Trauma Releasing Exercises).": (
        "Das ist TRE® (Trauma Releasing Exercises).",
        "forbidden",
        "write 'Tension & Trauma Releasing Exercises'",
    ),
    "Herstel kost tijd.": (
        "Der Heilungsprozess braucht Zeit.",
        "forbidden",
        "'Heilungsprozess' is not used here: Erholung, Genesung",
    ),
}
GOOD_DE = {
    "Een zin met “aanhalingstekens”.": "Ein Satz mit „Anführungszeichen“.",
    "Leer TRE® (Tension & Trauma Releasing Exercises) kennen.": "Lerne TRE® (Tension & Trauma Releasing Exercises) kennen.",
    "Wat is de psoas?": "Was ist der Psoas?",
    "Ze beweegt mee.": "Sie bewegt sich mit.",  # "Sie" opening a sentence is "she": not the reader
    'Kijk naar `code "x"` en [link](/a.html "titel").': 'Schau auf `code "x"` und [Link](/a.html "titel").',
}


@pytest.fixture
def planted(project: Project) -> Project:
    project.source("du", "\n\n".join([*PLANTED_DE, *GOOD_DE, "Zie je het?"]) + "\n")
    project.write("locales/glossary.csv", GLOSSARY)
    project.write("locales/de/spelling.txt", "# misspellings\nZwerchfel = Zwerchfell\n")
    project.write("pyproject.toml", PYPROJECT + 'register = { de = "du" }\n')
    assert project.run("update") == 0
    table = {k: v for k, (v, _, _) in PLANTED_DE.items()} | GOOD_DE
    table["Zie je het?"] = "Sehen Sie es?"  # "Sie" mid-sentence: the formal register
    translate(project, "de", "du", table)
    return project


def test_every_planted_style_error_is_reported_with_its_hint(planted: Project, capsys) -> None:
    code, problems = run_check(planted, capsys, "de")
    assert code == 1
    for msgid, (_, rule, words) in PLANTED_DE.items():
        found = [p for p in problems if p["msgid"] == msgid and p["rule"] == rule]
        assert found, f"{rule} not reported for {msgid!r}"
        assert any(words in p["message"] for p in found), found
    register_found = [p for p in problems if p["rule"] == "register"]
    assert [p["msgid"] for p in register_found] == ["Zie je het?"]
    assert (
        "'Sie' addresses the reader with 'Sie'; this article uses 'du'"
        in register_found[0]["message"]
    )
    assert not [p for p in problems if p["msgid"] in GOOD_DE], [
        p for p in problems if p["msgid"] in GOOD_DE
    ]


def test_each_new_rule_is_silenced_by_a_comment_line(planted: Project, capsys) -> None:
    comments = {msgid: f"ignore-{rule}" for msgid, (_, rule, _) in PLANTED_DE.items()}
    comments["Zie je het?"] = "ignore-register"
    # The shortened name also lacks the full one, which must stay as written: both rules speak.
    comments["Dit is TRE® (Tension & Trauma Releasing Exercises)."] = (
        "ignore-forbidden ignore-trademarks"
    )
    table = (
        {k: v for k, (v, _, _) in PLANTED_DE.items()} | GOOD_DE | {"Zie je het?": "Sehen Sie es?"}
    )
    translate(planted, "de", "du", table, comments)
    code, problems = run_check(planted, capsys, "de", "--strict")
    assert (code, problems) == (0, []), [(p["msgid"], p["rule"], p["message"]) for p in problems]
    msgfmt_check(planted.po("de", "du"))


def test_english_complaints_and_the_glossary_hint(project: Project, capsys) -> None:
    project.source("en", "Hij heeft klachten.\n\nHerstel duurt.\n\nEen „citaat”.\n")
    project.write("locales/glossary.csv", GLOSSARY)
    assert project.run("update", "--lang", "en") == 0
    po = project.read("locales/en/LC_MESSAGES/en.po")
    # The translator sees the forbidden word and what to write instead, above the entry.
    assert "#. glossary: klacht; not: complaint* (symptoms, problems or pain, by sentence)" in po
    translate(
        project,
        "en",
        "en",
        {
            "Hij heeft klachten.": "He has complaints.",
            "Herstel duurt.": "A cure takes time.",
            "Een „citaat”.": "A „quote”.",
        },
    )
    _, problems = run_check(project, capsys, "en")
    messages = {(p["msgid"], p["rule"]): p["message"] for p in problems}
    assert messages[("Hij heeft klachten.", "forbidden")] == (
        "'complaints' is not used here: symptoms, problems or pain, by sentence"
    )
    assert "'cure'" in messages[("Herstel duurt.", "forbidden")]
    assert "low opening quote" in messages[("Een „citaat”.", "typography")]


# --- register ---------------------------------------------------------------------------------


def test_register_per_article_is_shown_on_the_title_and_checked(project: Project, capsys) -> None:
    project.write("pyproject.toml", PYPROJECT + 'register = { de = "du" }\n')
    project.source(
        "formeel",
        "Je kunt dit zelf doen.\n\nOntdek de psoas.\n",
        front="title: Formeel\nregister: {de: sie}\n",
    )
    project.source("informeel", "Je kunt dit zelf doen.\n", front="title: Informeel\n")
    assert project.run("update") == 0
    formal = polib.pofile(str(project.po("de", "formeel")))
    title = formal.find("Formeel", msgctxt="title")
    assert title.comment.startswith(
        "front matter: title\nregister: Sie: address the reader formally"
    )
    assert (
        "register"
        not in polib.pofile(str(project.po("en", "formeel")))
        .find("Formeel", msgctxt="title")
        .comment
    )
    assert (
        "register: du:"
        in polib.pofile(str(project.po("de", "informeel")))
        .find("Informeel", msgctxt="title")
        .comment
    )
    msgfmt_check(project.po("de", "formeel"))
    translate(
        project,
        "de",
        "formeel",
        {
            "Je kunt dit zelf doen.": "Das kannst du selbst tun.",
            "Ontdek de psoas.": "Entdecke den Psoas.",
        },
    )
    translate(project, "de", "informeel", {"Je kunt dit zelf doen.": "Das können Sie selbst tun."})
    _, problems = run_check(project, capsys, "de")
    found = sorted(
        (p["path"].rsplit("/", 1)[-1], p["message"].split("'")[1])
        for p in problems
        if p["rule"] == "register"
    )
    assert found == [
        ("formeel.po", "Entdecke"),
        ("formeel.po", "du"),
        ("formeel.po", "kannst"),
        ("informeel.po", "Sie"),
    ]


@pytest.mark.parametrize(
    ("text", "chosen", "words"),
    [
        ("Atmen Sie ruhig ein und lesen Sie weiter.", "Sie", []),
        ("Atme ruhig ein. Lies dann weiter.", "Sie", ["Atme", "Lies"]),
        (
            "Wie geht es Ihnen? Ihr Psoas weiß es.",
            "du",
            ["Ihnen"],
        ),  # "Ihr" opens a sentence: unclear
        ("Er hilft. Sie hilft auch.", "du", []),
        ("Code scannen, um das Video anzusehen", NEUTRAL, []),
        ("Scanne den Code, melde dich gern.", NEUTRAL, ["Scanne", "dich"]),
        ("Fragen? Wir freuen uns auf Ihre Nachricht.", NEUTRAL, ["Ihre"]),
    ],
)
def test_german_register_forms(text: str, chosen: str, words: list[str]) -> None:
    ctx = TextContext(text, "de", parse_glossary("term\n", "g.csv"), register=chosen)
    assert [f.found for f in register(ctx)] == words


def test_dutch_register_forms() -> None:
    glossary = parse_glossary("term\n", "g.csv")
    found = register(
        TextContext("U bent welkom, om 10 u of later. Uw plek.", "nl", glossary, register="je")
    )
    assert [f.found for f in found] == ["U", "Uw"]
    assert register(TextContext("Je bent welkom.", "nl", glossary, register="u"))[0].found == "Je"


def test_apostrophes_are_no_quotes() -> None:
    glossary = parse_glossary("term\n", "g.csv")
    for text in ("auto's en 's avonds", "the muscles' tone, it's fine", "don't"):
        assert typography(TextContext(text, "en", glossary)) == [], text
    assert [f.found for f in typography(TextContext("hij is 'gesloten'.", "nl", glossary))] == [
        "'gesloten'"
    ]


def test_spelling_list_keeps_the_case_and_names_bad_lines() -> None:
    spelling = parse_spelling("klacthen = klachten\noa. = o.a.\n", "s.txt")
    assert [(m.found, m.right) for m in spelling.find("KLACTHEN en Klacthen, oa. de rug")] == [
        ("KLACTHEN", "KLACHTEN"),
        ("Klacthen", "Klachten"),
        ("oa.", "o.a."),
    ]
    from toolkit.errors import ToolkitError

    with pytest.raises(ToolkitError) as caught:
        parse_spelling("# fine\nklacthen klachten\n", "locales/nl/spelling.txt")
    assert (caught.value.path, caught.value.line) == ("locales/nl/spelling.txt", 2)


# --- sources ----------------------------------------------------------------------------------

SOURCE = """\
---
title: Over ontspannen
summary: 'Een "samenvatting" met rechte aanhalingstekens.'
---

Dit is TRE (Trauma Releasing Exercises), een methode.

Een lange alinea over de psoas
die over meerdere regels loopt en hier KLACTHEN heeft.

## Maar... wat is het?

- Het lichaam 'houdt vast'.
- Een sessie duurt 1,5 á 2 uur.

U bent welkom.

<!-- ignore-spelling -->
Deze Conrete fout mag blijven.
"""


def test_sources_are_checked_under_the_source_language(project: Project, capsys) -> None:
    project.write("pyproject.toml", PYPROJECT + 'register = { nl = "je" }\n')
    project.write("locales/glossary.csv", GLOSSARY)
    project.write("locales/nl/spelling.txt", "klacthen = klachten\nconrete = concrete\n")
    project.write("sources/tre.md", SOURCE)
    code, problems = run_check(project, capsys, "nl")
    assert code == 1  # TRE without ® is an error
    found = sorted((p["line"], p["rule"], p["path"]) for p in problems)
    assert found == [
        (3, "typography", "sources/tre.md"),  # the summary's straight quotes
        (6, "forbidden", "sources/tre.md"),
        (6, "trademarks", "sources/tre.md"),
        (
            9,
            "spelling",
            "sources/tre.md",
        ),  # the line that holds the word, not the paragraph's first
        (11, "typography", "sources/tre.md"),
        (13, "typography", "sources/tre.md"),
        (14, "typography", "sources/tre.md"),
        (16, "register", "sources/tre.md"),
    ]
    spelling = next(p for p in problems if p["rule"] == "spelling")
    assert spelling["message"] == "'KLACTHEN' is misspelt: write 'KLACHTEN'"
    capsys.readouterr()
    project.run("check", "--lang", "nl")
    assert "sources/tre.md:9: warning: 'KLACTHEN' is misspelt" in capsys.readouterr().out


def test_source_findings_are_silenced_by_a_comment_above_the_block(
    project: Project, capsys
) -> None:
    project.write("locales/glossary.csv", GLOSSARY)
    text = SOURCE.replace("summary:", "# ignore-typography\nsummary:").replace(
        "Dit is TRE", "<!-- ignore-trademarks ignore-forbidden -->\n\nDit is TRE"
    )
    project.write("sources/tre.md", text)
    _, problems = run_check(project, capsys, "nl")
    assert {p["rule"] for p in problems if p["line"] <= 8} == set()
    assert "Conrete" not in json.dumps(problems)


def test_translations_only_do_not_check_the_sources(project: Project, capsys) -> None:
    project.write("locales/glossary.csv", GLOSSARY)
    project.write("sources/tre.md", SOURCE)
    assert project.run("update", "--lang", "de") == 0
    translate(project, "de", "tre", {})
    _, problems = run_check(project, capsys, "de")
    assert not [p for p in problems if p["path"].startswith("sources/")]


def test_the_browser_editor_shows_register_and_spelling_findings(project: Project) -> None:
    from toolkit.config import load_config
    from toolkit.serve import editor

    project.write("locales/de/spelling.txt", "Zwerchfel = Zwerchfell\n")
    project.source(
        "formeel", "Je kunt dit zelf doen.\n", front="title: Formeel\nregister: {de: Sie}\n"
    )
    assert project.run("update") == 0
    translate(
        project, "de", "formeel", {"Je kunt dit zelf doen.": "Das kannst du im Zwerchfel tun."}
    )
    config = load_config(project.root)
    view = editor.edit_view(config, "formeel", "de", None)
    unit = next(u for u in view.units if u.msgid == "Je kunt dit zelf doen.")
    assert {f.rule for f in unit.checks} == {"register", "spelling"}
    domain = editor.resolve(config, "formeel", "de")[0]
    body = editor.entry_json(
        unit.entry,
        "de",
        editor.glossary_of(config),
        view_memory(),
        "x",
        editor.style_of(config, domain, "de"),
    )
    assert {c["rule"] for c in body["checks"]} == {"register", "spelling"}


def view_memory():
    from toolkit.catalogs.memory import Memory

    return Memory((), 1.0)
