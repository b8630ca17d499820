"""Faults: updates killed at random moments, and two updates at once."""

from __future__ import annotations

import fcntl
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import polib
from conftest import Project, msgfmt_check

PARAGRAPH = "De psoas verbindt de wervelkolom met de benen, zin {n} van artikel {a}, over adem en rust."


def make_corpus(project: Project, articles: int = 60, paragraphs: int = 40) -> None:
    for a in range(articles):
        body = "\n\n".join(PARAGRAPH.format(n=n, a=a) for n in range(paragraphs))
        project.source(f"artikel-{a:03d}", body + "\n", front=f"title: Artikel {a}\n")


def toolkit(project: Project, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "toolkit.cli", "--project", str(project.root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def catalogs(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "locales").rglob("*.po*"))
        if p.suffix in (".po", ".pot")
    }


def wait_for_staging(project: Project, proc: subprocess.Popen[bytes]) -> float:
    """The moment the first new catalog is staged beside its old one (or the run ended)."""
    locales = project.root / "locales"
    while proc.poll() is None and not any(locales.rglob(".*.tmp")):
        time.sleep(0.002)
    return time.perf_counter()


def test_killed_update_leaves_each_catalog_old_or_new(project: Project) -> None:
    # Without the memory: it is made from every catalog as it is, so after a kill has left some
    # catalogs new and some old it may rightly answer otherwise than in one uninterrupted run.
    pyproject = project.root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("[tool.toolkit]\n", "[tool.toolkit]\nmemory = false\n"))
    make_corpus(project, articles=40)
    assert project.run("update") == 0
    for slug in ("artikel-000", "artikel-001"):
        po = polib.pofile(str(project.po("de", slug)))
        for e in po:
            e.msgstr = "vertaald: " + e.msgid
        po.save(str(project.po("de", slug)))
    # Edit every source, so the next update rewrites every catalog.
    for path in (project.root / "sources").glob("*.md"):
        path.write_text(path.read_text().replace("over adem", "over de adem"))
    before = catalogs(project.root)

    rng = random.Random(20261123)
    start = time.perf_counter()
    proc = toolkit(project, "update")
    staged = wait_for_staging(project, proc)
    proc.wait()
    end = time.perf_counter()
    duration, writing = end - start, end - staged
    after = catalogs(project.root)
    assert before.keys() == after.keys() and all(before[k] != after[k] for k in before)
    kills = 0
    seen_new = 0
    torn: list[str] = []
    for attempt in range(30):
        # Put the "before" state back, then kill an update somewhere in its run.
        for rel, data in before.items():
            (project.root / rel).write_bytes(data)
        for tmp in (project.root / "locales").rglob(".*.tmp"):  # a killed run's, seen below
            tmp.unlink()
        proc = toolkit(project, "update")
        if attempt % 2:
            time.sleep(rng.uniform(0.0, 1.05 * duration))  # anywhere
        else:
            # While the files are being staged and replaced: timed from the first staged file,
            # so a slow machine cannot make every kill land before the writes.
            wait_for_staging(project, proc)
            time.sleep(rng.uniform(0.0, 1.1 * writing))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += 1
        for rel, data in catalogs(project.root).items():
            if data == after[rel]:
                seen_new += 1
            elif data != before[rel]:
                torn.append(rel)
    assert kills == 30 and not torn, f"torn catalogs: {torn}"
    assert seen_new > 0, "no kill landed after the writes began: the test proved nothing"
    # A killed run may leave a staged temp file; the next update finishes the job and tidies up.
    assert project.run("update") == 0
    assert catalogs(project.root) == after
    assert not list((project.root / "locales").rglob("*.tmp"))
    msgfmt_check(project.po("de", "artikel-000"))


def test_second_update_is_refused_while_one_runs(project: Project, capsys) -> None:
    project.source("a", "Tekst.\n")
    project.run("update")
    lock = project.root / "locales" / ".toolkit.lock"
    with open(lock, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        capsys.readouterr()
        assert project.run("update") == 1
        err = capsys.readouterr().err
    assert "another toolkit update is running in this project" in err
    assert project.run("update") == 0  # free again


def test_two_updates_at_once_do_not_corrupt(project: Project) -> None:
    make_corpus(project, articles=30)
    first, second = toolkit(project, "update"), toolkit(project, "update")
    results = [(p.wait(), p.stderr.read().decode()) for p in (first, second)]
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 1]), results
    for code, err in results:
        if code == 1:
            assert "another toolkit update is running" in err
    for path in (project.root / "locales").rglob("*.po"):
        msgfmt_check(path)
    assert len(list((project.root / "locales").rglob("*.po"))) == 60
    assert os.listdir(project.root / "locales" / "de" / "LC_MESSAGES")
