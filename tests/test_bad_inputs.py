"""The bad-input corpus (tests/bad_inputs/): a clear error or a safe result, no hang, no change."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import PYPROJECT, REPO, snapshot

CORPUS = Path(__file__).parent / "bad_inputs"
CASES: list[dict[str, Any]] = tomllib.loads((CORPUS / "cases.toml").read_text())["case"]
STRAIGHT_QUOTES = str.maketrans("„“”‚‘’«»", '"""\'\'\'""')
TIME_LIMIT = 60  # seconds; a hang fails the case instead of the whole run


def generated(kind: str, target: Path, root: Path) -> None:
    if kind == "huge":
        line = "Een regel tekst over de psoas en de adem, telkens weer. " * 20 + "\n\n"
        target.write_text("---\ntitle: Groot\n---\n\n" + line * (10 * 1024 * 1024 // len(line) + 1))
    elif kind == "deep-lists":
        target.write_text("---\ntitle: Diep\n---\n\n" + "- " * 10_000 + "bodem\n")
    elif kind == "deep-quotes":
        target.write_text("---\ntitle: Diep\n---\n\n" + "> " * 10_000 + "bodem\n")
    elif kind == "symlink-outside":
        outside = root.parent / f"{root.name}-secret.txt"
        outside.write_text("msgid \"geheim\"\nmsgstr \"secret\"\n")
        target.symlink_to(outside)
    elif kind == "latin1-claims-utf8":
        text = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Tekst."\nmsgstr "Text über."\n'
        target.write_bytes(text.encode("latin-1"))
    elif kind == "config-outside":
        target.write_text('[tool.toolkit]\nsources = "../../etc"\n')
    else:
        raise AssertionError(f"unknown generated input {kind}")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_input(case: dict[str, Any], tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "sources").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "sources" / "goed.md").write_text("---\ntitle: Goed\n---\n\nGoede tekst.\n")
    if "locales/" in case.get("install", ""):
        (root / "sources" / "doel.md").write_text("---\ntitle: Doel\n---\n\nTekst.\n")
    if "build" in case.get("args", []):
        shutil.copytree(REPO / "layouts", root / "layouts")
    run = [sys.executable, "-m", "toolkit.cli", "--project", str(root)]
    assert subprocess.run([*run, "update"], capture_output=True).returncode == 0
    if "install" in case:
        target = root / case["install"]
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() or target.is_symlink():
            target.unlink()
        if "generated" in case:
            generated(case["generated"], target, root)
        else:
            target.write_bytes((CORPUS / "files" / case["file"]).read_bytes())
    before = snapshot(root)
    result = subprocess.run(
        [*run, *case.get("args", ["update"])],
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert "Traceback" not in result.stderr, result.stderr
    if case.get("safe"):
        assert result.returncode == 0, result.stderr
        for line in case.get("expect", []):
            rel, _, text = line.partition(": ")
            content = (root / rel).read_bytes().decode("utf-8")
            if text.startswith("!"):
                assert text[1:] not in content, f"{rel} should not contain {text[1:]!r}"
            else:
                assert text in content, f"{rel} should contain {text!r}"
        if "pdf" in case:
            text = subprocess.run(
                ["pdftotext", str(root / case["pdf"]), "-"], capture_output=True, text=True, check=True
            ).stdout
            # Print sets quotes the way the language writes them (render/typography.py); the
            # cases write straight ones.
            flat = " ".join(text.split()).translate(STRAIGHT_QUOTES)
            for expected in case["pdf_text"]:
                if expected.startswith("!"):
                    assert expected[1:] not in flat, f"PDF shows {expected[1:]!r}: a file was read"
                else:
                    assert expected in flat, f"PDF should show {expected!r} as text"
    else:
        assert result.returncode == 1, result.stdout + result.stderr
        assert case["message"] in result.stderr
        assert case.get("message2", "") in result.stderr
        assert snapshot(root) == before, "a rejected input changed files"
