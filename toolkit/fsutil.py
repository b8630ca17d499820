"""Writing files so that a crash or a kill leaves either the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from toolkit.errors import ToolkitError


def check_inside(root: Path, path: Path, shown: str) -> None:
    """Refuse a file that is, or links to, something outside the project."""
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        raise ToolkitError(
            "points outside the project (a symbolic link?)",
            path=shown,
            hint="replace the link with a real file inside the project",
        ) from None


def _stage(path: Path, payload: bytes) -> str:
    """A complete copy of the new content beside `path`, not yet visible under its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return tmp


def atomic_write(path: Path, data: bytes | str) -> None:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    os.replace(_stage(path, payload), path)


def file_stamp(path: Path) -> tuple[int, int, int]:
    """What changes when any program saves `path` (inode, size, modification time)."""
    st = path.stat()
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def replace_if_unchanged(path: Path, data: bytes, stamp: tuple[int, int, int]) -> bool:
    """Like atomic_write, but only if `path` still has `stamp` once the new content is staged:
    a program that does not take our lock (Poedit) and saved meanwhile wins, and we say so."""
    tmp = _stage(path, data)
    try:
        if file_stamp(path) != stamp:
            os.unlink(tmp)
            return False
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return True


def remove_stale_temps(folder: Path) -> None:
    """Staged files left by a killed run (`.<name>.<random>.tmp`); call only under the lock."""
    for tmp in folder.rglob(".*.tmp"):
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_many(files: Sequence[tuple[Path, str]]) -> list[Path]:
    """Write the files whose content changed, all or none: every new file is staged before any
    replaces its old version, so a failure while staging leaves every file as it was."""
    changed: list[tuple[Path, bytes]] = []
    for path, text in files:
        data = text.encode("utf-8")
        try:
            if path.read_bytes() == data:
                continue
        except FileNotFoundError:
            pass
        changed.append((path, data))
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in changed:
            staged.append((_stage(path, data), path))
    except BaseException:
        for tmp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)
    return [path for _, path in staged]


class LockBusy(ToolkitError):
    """Another writer holds the folder's lock (`toolkit update`, or a save in `toolkit serve`)."""


# A save in `toolkit serve` holds the lock for milliseconds: an update that meets one waits this
# long rather than failing; a second update (seconds long) is still refused after it.
LOCK_GRACE = 1.0
_POLL = 0.02


@contextlib.contextmanager
def exclusive_lock(folder: Path, what: str, *, wait: float = LOCK_GRACE) -> Iterator[None]:
    """One writer at a time per folder; a second one waits up to `wait` seconds, then is told so
    (LockBusy) instead of waiting longer."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / ".toolkit.lock", "a+b")  # noqa: SIM115 - held for the block
    except OSError as exc:
        raise ToolkitError(
            f"cannot write in {folder}: {exc.strerror}",
            path=str(folder),
            hint="check the folder's permissions",
        ) from exc
    with handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                    raise
                if time.monotonic() >= deadline:
                    raise LockBusy(
                        f"another toolkit {what} is running in this project",
                        path=str(folder),
                        hint="wait for it to finish, then run the command again",
                    ) from exc
                time.sleep(_POLL)
        yield
