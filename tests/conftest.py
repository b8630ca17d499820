"""Shared test helpers: a throw-away project, the real CLI in-process, and GNU msgfmt."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from toolkit.cli import main

# The property tests draw the same examples on every run (`make test`, CI): a failure is one to
# reproduce, not a new draw on someone else's machine. HYPOTHESIS_PROFILE=explore draws new ones.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"

PYPROJECT = """\
[project]
name = "sample"
version = "0"

[tool.toolkit]
source_language = "nl"
languages = ["nl", "en", "de"]
"""


def msgfmt_check(path: Path) -> None:
    """GNU msgfmt -c must accept every catalog we write."""
    result = subprocess.run(
        ["msgfmt", "-c", "-o", os.devnull, str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, f"msgfmt -c rejected {path}:\n{result.stderr}"
    if path.suffix == ".po":  # a template has no language yet, and msgfmt says so
        assert "warning" not in result.stderr, result.stderr


def snapshot(root: Path) -> dict[str, str]:
    """Every file below root with the hash of its bytes: to prove that nothing changed."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".toolkit.lock" not in p.name
    }


class Project:
    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def source(self, slug: str, body: str, front: str = "title: Titel\n") -> Path:
        return self.write(f"sources/{slug}.md", f"---\n{front}---\n\n{body}")

    def run(self, *args: str, capsys: pytest.CaptureFixture[str] | None = None) -> int:
        return main(["--project", str(self.root), *args])

    def po(self, lang: str, slug: str) -> Path:
        return self.root / "locales" / lang / "LC_MESSAGES" / f"{slug}.po"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / "sources").mkdir()
    return Project(tmp_path)


@pytest.fixture
def shipped(tmp_path: Path) -> Project:
    """A copy of the repository's own project files (sources, locales, layouts)."""
    for name in ("sources", "locales", "layouts"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return Project(tmp_path)


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own project built once for the whole session: every article and the
    workshop, every format and language, with booklets and print files."""
    root = tmp_path_factory.mktemp("shipped")
    for name in ("sources", "locales", "layouts"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    assert main(["--project", str(root), "build", "--impose", "booklet", "--print-ready"]) == 0
    return root


def golden(name: str, actual: str) -> None:
    """Compare with tests/golden/<name>; UPDATE_GOLDEN=1 rewrites it (then review the diff)."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8")


Edit = Callable[[str], str]
