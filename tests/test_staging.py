"""Staging many files: every new text in place at once, nothing left beside them; the files are
synced before any is renamed, with one syncfs per file system where there are many (Linux)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from toolkit import fsutil
from toolkit.fsutil import SYNCFS_FROM, Staging


@pytest.mark.parametrize("count", [3, SYNCFS_FROM + 6])
def test_staged_files_are_synced_then_put_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    synced: list[str] = []
    fsync, syncfs = fsutil._fsync, fsutil._syncfs
    monkeypatch.setattr(fsutil, "_fsync", lambda path: synced.append("fsync") or fsync(path))
    monkeypatch.setattr(fsutil, "_syncfs", lambda paths: synced.append("syncfs") or syncfs(paths))
    (tmp_path / "sub").mkdir()
    paths = [tmp_path / ("sub" if n % 2 else "") / f"f{n}.po" for n in range(count)]
    paths[0].write_text("old\n", encoding="utf-8")
    (tmp_path / "same.po").write_text("same\n", encoding="utf-8")
    with Staging() as staging:
        for n, path in enumerate(paths):
            assert staging.put(path, f"new {n}\n")
        assert not staging.put(tmp_path / "same.po", "same\n")  # holds it already: not staged
        assert paths[0].read_text(encoding="utf-8") == "old\n"  # nothing in place before commit
        staging.commit()
    assert [p.read_text(encoding="utf-8") for p in paths] == [f"new {n}\n" for n in range(count)]
    assert not list(tmp_path.rglob("*.tmp"))
    if count < SYNCFS_FROM:
        assert synced == ["fsync"] * count
    elif sys.platform.startswith("linux"):
        assert synced == ["syncfs"]  # one call: every file is on one file system
