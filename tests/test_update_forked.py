"""An update with many catalogs merges each language in a process of its own: it must write the
bytes, print the report and fail the way one process does, and leave the cache as complete."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from conftest import Project, snapshot

import toolkit.catalogs.plan as plan
import toolkit.catalogs.recall as recall
import toolkit.catalogs.templates as templates
import toolkit.catalogs.update as update

SHARED = "De psoas verbindt de wervelkolom met de benen en helpt ons rechtop te staan."


def body(n: int) -> str:
    return (
        f"## Oefening {n}\n\n{SHARED}\n\n"
        f"Adem rustig in en uit, tel tot {n} en laat de schouders zakken.\n\n"
        f"- Ademhaling {n}\n- Houding\n"
    )


def translated(project: Project) -> None:
    for path in sorted((project.root / "locales").rglob("*.po")):
        po = polib.pofile(str(path))
        lang = path.parent.parent.name.upper()
        for entry in po:
            entry.msgstr = f"{lang}: {entry.msgid}"
        po.save(str(path))


@pytest.fixture
def started(project: Project) -> Project:
    """Six translated articles, then edited: one paragraph changed in each of three, a
    paragraph added to one (the memory has it), an article added."""
    for n in range(6):
        project.source(f"a{n}", body(n), front=f"title: Artikel {n}\n")
    assert project.run("update") == 0
    translated(project)
    assert project.run("update") == 0
    for n in range(3):
        project.source(f"a{n}", body(n).replace("laat de", "laat nu de"), front=f"title: Artikel {n}\n")
    project.source("a4", body(4) + "\nAdem rustig in en uit, tel tot 1 en laat de schouders zakken.\n")
    project.source("nieuw", body(9), front="title: Nieuw\n")
    return project


@pytest.fixture(autouse=True)
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """The parse and merge pools as on the project's machines, on a one-core machine too: the
    counts below (packs, runs) assume two workers."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)


def twelve(project: Project, change: Callable[[str], str] = str) -> None:
    """Twelve articles: enough for four runs of three sources with RUNS_PER_WORKER = 2."""
    for n in range(12):
        project.source(f"a{n:02}", change(body(n)), front=f"title: Artikel {n}\n")


def parsed_in_this_process(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources parse_source parses from now on in this process (not in forked workers)."""
    parsed: list[str] = []
    parse = templates.parse_source
    monkeypatch.setattr(templates, "parse_source", lambda *a: parsed.append(a[1]) or parse(*a))
    return parsed


def extract_templates_deleted(project: Project) -> None:
    for pot in (project.root / "locales").glob("*.pot"):
        pot.unlink()
    assert project.run("extract") == 0


def twin(project: Project, tmp_path: Path, name: str) -> Project:
    root = tmp_path / name
    shutil.copytree(project.root, root)
    return Project(root)


def test_forked_merges_write_and_report_what_one_process_does(
    started: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    single = twin(started, tmp_path, "single")
    monkeypatch.setattr(plan, "PARALLEL_FROM", 10**9)
    capsys.readouterr()
    assert single.run("update") == 0
    one_report = capsys.readouterr().out.replace(str(single.root), "ROOT")

    monkeypatch.setattr(plan, "PARALLEL_FROM", 1)
    forked: list[int] = []
    fork = plan._merge_forked
    monkeypatch.setattr(plan, "_merge_forked", lambda *a: forked.append(1) or fork(*a))
    assert started.run("update") == 0
    report = capsys.readouterr().out.replace(str(started.root), "ROOT")
    assert forked, "the update did not fork"
    assert report == one_report
    assert "fuzzy" in report and "memory" in report  # the merges asked both kinds of match
    assert snapshot(started.root / "locales") == snapshot(single.root / "locales")
    assert not list((started.root / "locales").rglob("*.tmp"))

    # What the forked processes recorded reached the cache: nothing is read or merged again.
    reads: list[str] = []
    read, merge = recall.read_catalog, plan.merge
    monkeypatch.setattr(recall, "read_catalog", lambda config, path: reads.append(path.name) or read(config, path))
    monkeypatch.setattr(plan, "merge", lambda *a, **k: reads.append("merge") or merge(*a, **k))
    before = snapshot(started.root / "locales")
    assert started.run("update") == 0
    assert reads == []
    assert snapshot(started.root / "locales") == before


def test_a_broken_catalog_stops_a_forked_update_as_one_process(
    started: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Broken in both languages: the first in the order one process reads them is reported.
    for lang, slug in (("en", "a2"), ("de", "a1")):
        path = started.po(lang, slug)
        path.write_text(path.read_text(encoding="utf-8") + '\nmsgid "x"\n', encoding="utf-8")
    single = twin(started, tmp_path, "single")
    monkeypatch.setattr(plan, "PARALLEL_FROM", 10**9)
    capsys.readouterr()
    assert single.run("update") != 0
    one_error = capsys.readouterr().err.replace(str(single.root), "ROOT")
    assert "a1.po" in one_error

    monkeypatch.setattr(plan, "PARALLEL_FROM", 1)
    before = snapshot(started.root)
    assert started.run("update") != 0
    assert capsys.readouterr().err.replace(str(started.root), "ROOT") == one_error
    assert snapshot(started.root) == before  # every file as it was, no staged file left


def test_parse_workers_write_the_templates_one_process_writes(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(5):
        project.source(f"a{n}", body(n), front=f"title: Artikel {n}\n")
    single = twin(project, tmp_path, "single")
    monkeypatch.setattr(templates, "PARALLEL_FROM", 10**9)
    assert single.run("extract") == 0
    monkeypatch.setattr(templates, "PARALLEL_FROM", 1)
    assert project.run("extract") == 0
    assert snapshot(project.root / "locales") == snapshot(single.root / "locales")
    # The workers wrote the cache's template files: with the templates deleted, none is parsed.
    parsed = parsed_in_this_process(monkeypatch)
    extract_templates_deleted(project)
    assert parsed == []
    assert snapshot(project.root / "locales") == snapshot(single.root / "locales")


def test_parse_workers_pack_the_template_units(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each run of sources a worker parses makes one cache file, not one per source; a damaged one
    costs only its own sources a parse."""
    twelve(project)
    monkeypatch.setattr(templates, "PARALLEL_FROM", 1)
    monkeypatch.setattr(templates, "RUNS_PER_WORKER", 2)  # 2 workers: 4 runs of 3 sources
    assert project.run("extract") == 0
    packs = sorted((project.root / ".toolkit-cache" / "catalogs" / "templates").iterdir())
    assert len(packs) == 4
    pots = snapshot(project.root / "locales")

    packs[0].write_bytes(packs[0].read_bytes().replace(b"Houding", b"Hooding"))
    parsed = parsed_in_this_process(monkeypatch)
    extract_templates_deleted(project)
    runs = [[f"sources/a{n:02}.md" for n in range(start, start + 3)] for start in (0, 3, 6, 9)]
    assert parsed in runs  # the three sources of the damaged pack, and only they
    assert snapshot(project.root / "locales") == pots


@pytest.mark.parametrize("broken", ["a01", "a10"])
def test_a_broken_source_stops_parse_workers_as_one_process(
    project: Project,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    broken: str,
) -> None:
    """The workers stage the .pot files of what they parse: a broken source (early, while most
    runs are still to come back, or late) leaves every file as it was and no staged file."""
    twelve(project)
    assert project.run("extract") == 0
    twelve(project, lambda text: text.replace("Houding", "Zit"))  # a worker stages each new .pot
    project.source(broken, body(1), front="title: [Artikel\n")
    single = twin(project, tmp_path, "single")
    monkeypatch.setattr(templates, "PARALLEL_FROM", 10**9)
    capsys.readouterr()
    assert single.run("extract") != 0
    one_error = capsys.readouterr().err.replace(str(single.root), "ROOT")
    assert f"{broken}.md" in one_error

    monkeypatch.setattr(templates, "PARALLEL_FROM", 1)
    before = snapshot(project.root / "locales")
    assert project.run("extract") != 0
    assert capsys.readouterr().err.replace(str(project.root), "ROOT") == one_error
    assert snapshot(project.root / "locales") == before  # no .pot replaced, no staged file left


def test_parse_workers_leave_a_linked_template_to_the_checks(
    project: Project, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A .pot that is a link out of the project is refused as one process refuses it: the workers
    neither read through it (here a FIFO: reading it would never end) nor stage beside it."""
    twelve(project)
    outside = tmp_path_factory.mktemp("elders") / "elders.pot"
    os.mkfifo(outside)
    single = twin(project, tmp_path, "single")
    errors = []
    for root, parallel_from in ((single.root, 10**9), (project.root, 1)):
        (root / "locales").mkdir()
        (root / "locales" / "a03.pot").symlink_to(outside)
        before = snapshot(root / "locales")
        script = (
            "import sys, toolkit.catalogs.templates as t; from toolkit.cli import main; "
            f"t.PARALLEL_FROM = {parallel_from}; sys.exit(main(['--project', sys.argv[1], 'extract']))"
        )
        done = subprocess.run(
            [sys.executable, "-c", script, str(root)], capture_output=True, text=True, timeout=60
        )
        assert done.returncode != 0
        errors.append(done.stderr.replace(str(root), "ROOT"))
        assert snapshot(root / "locales") == before
        assert (root / "locales" / "a03.pot").is_symlink()
    assert "a03.pot" in errors[0]
    assert errors[1] == errors[0]


def test_the_templates_the_workers_compared_are_not_read_again(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker compares the new template with its file and stages it: the parent hashes only
    the templates nobody parsed in this run (to know whether they are as they should be)."""
    twelve(project)
    assert project.run("extract") == 0
    twelve(project, lambda text: text.replace("Houding", "Zit"))
    project.source("a11", body(11), front="title: Artikel 11\n")  # unchanged: not parsed
    hashed: list[str] = []
    digests = update.file_digests
    monkeypatch.setattr(update, "file_digests", lambda c, files: hashed.extend(p.name for p, _ in files) or digests(c, files))
    monkeypatch.setattr(templates, "PARALLEL_FROM", 1)
    assert project.run("extract") == 0
    assert hashed == ["a11.pot"]
    pots = {p.name: p.read_text(encoding="utf-8") for p in (project.root / "locales").glob("*.pot")}
    assert sorted(n for n, text in pots.items() if 'msgid "Zit"' in text) == [f"a{n:02}.pot" for n in range(11)]
