"""Staging many files: nothing in place before the commit, then every new text at once, each file
synced before any is renamed, and nothing left beside them."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit import fsutil
from toolkit.fsutil import Staging


@pytest.mark.parametrize("count", [1, 40])
def test_staged_files_are_synced_then_put_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    synced: list[str] = []
    fsync, replace = fsutil._fsync, fsutil.os.replace
    monkeypatch.setattr(fsutil, "_fsync", lambda path: synced.append("fsync") or fsync(path))
    monkeypatch.setattr(fsutil.os, "replace", lambda a, b: synced.append("rename") or replace(a, b))
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
    assert synced == ["fsync"] * count + ["rename"] * count  # every file synced before any is renamed
