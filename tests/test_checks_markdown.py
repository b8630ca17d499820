"""toolkit check on what real-world Markdown and careless pasting bring: unsafe addresses, control
and bidi characters, runaway translations, reference links, footnote markers and hard breaks."""

from __future__ import annotations

import json
import shutil

import polib
from conftest import REPO, Project

from toolkit.catalogs.checks import check_entry
from toolkit.catalogs.files import read_catalog
from toolkit.catalogs.glossary import parse_glossary
from toolkit.catalogs.po import Entry
from toolkit.config import load_config
from toolkit.documents.translate import translate
from toolkit.render import RenderContext, render_document
from toolkit.sources.files import read_article

BODY = """\
Lees [de uitleg](https://adem.example/uitleg).

Wat is de psoas?

Ademen helpt.[^1]

Regel een\\
regel twee.

Zie [mijn blog][blog] voor meer.

Kort.

[blog]: https://adem.example/blog

[^1]: Een noot.
"""

# msgid -> (planted German translation, the rule that must catch it, its severity)
PLANTED = {
    "Lees [de uitleg](https://adem.example/uitleg).": (
        "Lies [die Erklärung](javascript:alert(1)).",
        "unsafe-url",
        "error",
    ),
    "Wat is de psoas?": ("Was ist der \u202epsoas?", "characters", "error"),
    "Ademen helpt.[^1]": ("Atmen hilft.", "footnotes", "error"),
    "Regel een\\\nregel twee.": ("Zeile eins Zeile zwei.", "breaks", "error"),
    "Zie [mijn blog](https://adem.example/blog) voor meer.": (
        "Siehe [mein Blog][blog] für mehr.",
        "references",
        "error",
    ),
    "Kort.": (
        "Kurz. Und dann noch sehr viel mehr Text, der nicht im Original steht, und noch mehr.",
        "length",
        "warning",
    ),
}


def test_each_planted_problem_is_caught_at_its_po_line(project: Project, capsys) -> None:
    project.source("adem", BODY)
    assert project.run("update", "--lang", "de") == 0
    path = project.po("de", "adem")
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgid in PLANTED:
            entry.msgstr = PLANTED[entry.msgid][0]
    po.find("Een noot.").msgstr = "Eine Anmerkung."
    po.save(str(path))
    po = polib.pofile(str(path))
    capsys.readouterr()
    assert project.run("check", "--lang", "de", "--format", "json") == 1
    data = json.loads(capsys.readouterr().out)
    found = {(p["msgid"], p["rule"]): p for p in data["problems"]}
    for msgid, (_, rule, severity) in PLANTED.items():
        problem = found.get((msgid, rule))
        assert problem is not None, f"{rule} not caught for {msgid!r}"
        assert problem["severity"] == severity
        assert problem["path"] == "locales/de/LC_MESSAGES/adem.po"
        assert problem["line"] == po.find(msgid).linenum
    messages = {p["rule"]: p["message"] for p in data["problems"]}
    assert messages["characters"] == "bidirectional control character U+202E in translation"
    assert messages["footnotes"] == "footnote marker [^1] missing in translation"
    assert messages["length"] == "translation is 16.8× as long as the source (84 characters, source 5)"
    assert not any(p["msgid"] == "Een noot." for p in data["problems"])  # a good translation


def _rules(msgid: str, msgstr: str) -> dict[str, str]:
    found = check_entry(Entry(msgid, msgstr), "de", parse_glossary("term,de\n", "g.csv"))
    return {f.rule: f.severity for f in found}


def test_control_characters_and_every_unsafe_scheme() -> None:
    for char in ("\x00", "\x07", "\x1b", "\u2066", "\u2069", "\u202a"):
        assert _rules("Adem in.", f"Atme{char} ein.").get("characters") == "error", repr(char)
    assert "characters" not in _rules("Adem\tin.", "Atme\tein.")  # a tab the source has too
    for target in ("javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "<JavaScript:x>"):
        rules = _rules("Zie [hier](https://a.example).", f"Siehe [hier]({target}).")
        assert rules.get("unsafe-url") == "error", target
    assert "unsafe-url" not in _rules("Zie [hier](https://a.example).", "Siehe [hier](https://a.example/de).")


def test_markers_and_breaks_may_move_but_not_go() -> None:
    assert "footnotes" not in _rules("Adem[^1] in.[^2]", "Atme ein.[^2][^1]")
    assert _rules("Adem in.[^1]", "Atme ein.[^2]")["footnotes"] == "error"
    assert "breaks" not in _rules("Een\\\ntwee", "Eins  \nzwei")  # two spaces are a hard break too
    assert "references" not in _rules("Zie [x][^1]", "Siehe [x][^1]")  # a footnote, no reference


def test_a_bad_image_only_the_translation_has_is_reported_at_its_po_line(
    project: Project, capsys
) -> None:
    project.source("foto", "Kijk: ![de houding](/img/houding.png) zo.\n\nEen tweede zin.\n")
    assert project.run("update", "--lang", "de") == 0
    path = project.po("de", "foto")
    po = polib.pofile(str(path))
    po.find("Kijk: ![de houding](/img/houding.png) zo.").msgstr = "Schau: ![die Haltung](/img/haltung.png) so."
    po.find("Een tweede zin.").msgstr = "Ein zweiter Satz."
    po.find("Titel", msgctxt="title").msgstr = "Titel"
    po.save(str(path))
    line = polib.pofile(str(path)).find("Kijk: ![de houding](/img/houding.png) zo.").linenum
    shutil.copytree(REPO / "layouts", project.root / "layouts")
    config = load_config(project.root)
    article = read_article(project.root / "sources" / "foto.md", root=project.root, default_lang="nl")
    catalog = read_catalog(config, path)
    result = render_document(
        translate(article, catalog, "de"),
        "handout",
        context=RenderContext.create(config),
        gettext=lambda s: s,
    )
    text = "\n".join(str(d) for d in result.diagnostics)
    assert f"locales/de/LC_MESSAGES/foto.po:{line}: warning: image not found: /img/haltung.png" in text
    # the source's own image is the author's: reported at the source, in every language
    source = render_document(
        translate(article, catalog, "nl"), "handout", context=RenderContext.create(config), gettext=lambda s: s
    )
    assert "sources/foto.md:5: warning: image not found: /img/houding.png" in str(source.diagnostics[0])
