"""Translation memory on update, and TMX out and in."""

from __future__ import annotations

import polib
from conftest import Project, msgfmt_check

SHARED = "De psoas verbindt de wervelkolom met de benen en helpt ons rechtop te staan."
NEAR = "De psoas verbindt de wervelkolom met beide benen en helpt ons rechtop te staan."


def fill(project: Project, lang: str, slug: str) -> None:
    path = project.po(lang, slug)
    po = polib.pofile(str(path))
    for e in po:
        e.msgstr = f"[{lang}] {e.msgid}"
    po.save(str(path))


def test_new_article_is_filled_from_memory(project: Project) -> None:
    project.source("eerste", f"{SHARED}\n\nAlleen hier.\n", front="title: Eerste\n")
    project.run("update")
    fill(project, "de", "eerste")
    project.source("tweede", f"{SHARED}\n\n{NEAR.replace('rechtop', 'recht')}\n\nNieuw.\n", front="title: Tweede\n")
    assert project.run("update") == 0
    po = polib.pofile(str(project.po("de", "tweede")))
    exact = po.find(SHARED)
    assert exact.msgstr == f"[de] {SHARED}" and "fuzzy" not in exact.flags
    assert "memory: exact match from locales/de/LC_MESSAGES/eerste.po" in exact.tcomment
    near = po.find(NEAR.replace("rechtop", "recht"))
    assert near.msgstr == f"[de] {SHARED}" and "fuzzy" in near.flags
    assert near.previous_msgid == SHARED
    assert "match from locales/de/LC_MESSAGES/eerste.po, review it" in near.tcomment
    assert po.find("Nieuw.").msgstr == ""
    # English had nothing translated: nothing is filled there.
    assert all(e.msgstr == "" for e in polib.pofile(str(project.po("en", "tweede"))))
    msgfmt_check(project.po("de", "tweede"))
    before = project.po("de", "tweede").read_bytes()
    project.run("update")
    assert project.po("de", "tweede").read_bytes() == before


def test_memory_can_be_switched_off(project: Project) -> None:
    project.source("eerste", f"{SHARED}\n", front="title: Eerste\n")
    project.run("update")
    fill(project, "de", "eerste")
    project.source("tweede", f"{SHARED}\n", front="title: Tweede\n")
    project.run("update", "--no-memory")
    assert polib.pofile(str(project.po("de", "tweede"))).find(SHARED).msgstr == ""


def test_tmx_round_trip_feeds_another_project(project: Project, tmp_path_factory) -> None:
    project.source("eerste", f"{SHARED}\n\nAdem & rust <b>niet</b> vergeten.\n", front="title: Eerste\n")
    project.run("update")
    fill(project, "de", "eerste")
    tmx = project.root / "export.tmx"
    assert project.run("memory", "export", "--lang", "de", "-o", str(tmx)) == 0
    text = tmx.read_text()
    assert '<tmx version="1.4">' in text and 'srclang="nl"' in text
    assert "Adem &amp; rust &lt;b&gt;niet&lt;/b&gt; vergeten." in text

    other = Project(tmp_path_factory.mktemp("other"))
    other.write("pyproject.toml", '[tool.toolkit]\nlanguages = ["nl", "de"]\n')
    other.source("nieuw", f"Adem & rust <b>niet</b> vergeten.\n\n{SHARED}\n", front="title: Nieuw\n")
    assert other.run("memory", "import", str(tmx)) == 0
    assert (other.root / "locales/memory/export.tmx").exists()
    assert other.run("memory", "import", str(tmx)) == 1  # no silent overwrite
    other.run("update")
    po = polib.pofile(str(other.po("de", "nieuw")))
    assert po.find(SHARED).msgstr == f"[de] {SHARED}"
    assert po.find("Adem & rust <b>niet</b> vergeten.").msgstr.startswith("[de] Adem & rust")


def test_broken_tmx_is_refused_with_its_line(project: Project, capsys) -> None:
    bad = project.write("bad.tmx", '<?xml version="1.0"?>\n<tmx version="1.4">\n<body><tu></body>\n')
    capsys.readouterr()
    assert project.run("memory", "import", str(bad)) == 1
    assert "bad.tmx:3: error: not valid XML" in capsys.readouterr().err
    entity = project.write("evil.tmx", '<!DOCTYPE x [<!ENTITY a "aaaa">]><tmx/>')
    assert project.run("memory", "import", str(entity)) == 1
    assert not (project.root / "locales/memory").exists()


def test_a_sentence_with_other_punctuation_gets_a_suggestion(project: Project) -> None:
    project.source("eerste", "Adem rustig in en uit.\n", front="title: Eerste\n")
    project.run("update")
    fill(project, "de", "eerste")
    project.source("tweede", "Adem rustig in en uit, heel langzaam.\n", front="title: Tweede\n")
    assert project.run("update") == 0
    near = polib.pofile(str(project.po("de", "tweede"))).find("Adem rustig in en uit, heel langzaam.")
    assert near.msgstr == "[de] Adem rustig in en uit." and "fuzzy" in near.flags
    assert "memory: 83% match from locales/de/LC_MESSAGES/eerste.po, review it" in near.tcomment
    msgfmt_check(project.po("de", "tweede"))
