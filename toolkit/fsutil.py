"""Writing files so that a crash or a kill leaves either the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import gc
import os
import signal
import sys
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
        raise _outside(shown) from None


def _outside(shown: str) -> ToolkitError:
    return ToolkitError(
        "points outside the project (a symbolic link?)",
        path=shown,
        hint="replace the link with a real file inside the project",
    )


class Inside:
    """check_inside for the many files of a few folders: each folder is resolved once (a file
    that is no link resolves to its resolved folder and its name), a link resolved on its own."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._folders: dict[Path, bool] = {}  # folder -> whether it resolves inside

    def check(self, path: Path, shown: str) -> None:
        if path.is_symlink():
            inside = path.resolve().is_relative_to(self.root)
        else:
            inside = self._folders.get(path.parent)
            if inside is None:
                inside = self._folders[path.parent] = path.parent.resolve().is_relative_to(self.root)
        if not inside:
            raise _outside(shown)


def _stage(path: Path, payload: bytes, *, sync: bool = True) -> str:
    """A complete copy of the new content beside `path`, not yet visible under its name (on disk
    unless `sync` is False: then the caller syncs it, _sync_all, before putting it in place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return tmp


def stage_changed(path: Path, data: bytes) -> str | None:
    """`data` staged beside `path` (not synced: Staging.commit syncs what it puts in place), or
    None when the file holds it already."""
    try:
        if path.read_bytes() == data:
            return None
    except FileNotFoundError:
        pass
    return _stage(path, data, sync=False)


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


def _sync_all(paths: Sequence[str]) -> None:
    """Every file on disk before any is renamed into place. The fsyncs run side by side: the file
    system commits them together, where one after the other each waits for its own commit (a
    thousand catalogs took 8 s). Not syncfs: it would wait for every other program's unwritten
    data on the file system too (the copy a user just made, say)."""
    if len(paths) < 2:
        for path in paths:
            _fsync(path)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(min(32, len(paths))) as pool:
        list(pool.map(_fsync, paths))


def _fsync(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Staging:
    """New versions of many files, staged one at a time and put in place together: until commit(),
    no file is replaced, so a failure on the way (or abort()) leaves every file as it was. A caller
    that computes files one by one stages each at once instead of holding all their texts."""

    def __init__(self) -> None:
        self._staged: list[tuple[str, Path]] = []

    def put(self, path: Path, text: str) -> bool:
        """Stage `text` for `path` unless the file holds it already; whether it will change."""
        try:
            tmp = stage_changed(path, text.encode("utf-8"))
        except BaseException:
            self.abort()
            raise
        if tmp is None:
            return False
        self._staged.append((tmp, path))
        return True

    def handed_over(self) -> list[tuple[str, Path]]:
        """What is staged, for another process's Staging to adopt (this one forgets it)."""
        staged, self._staged = self._staged, []
        return staged

    def adopt(self, staged: Sequence[tuple[str, Path]]) -> None:
        """Files another process staged (handed_over): committed or aborted with these."""
        self._staged.extend(staged)

    def commit(self) -> list[Path]:
        _sync_all([tmp for tmp, _ in self._staged])
        for tmp, path in self._staged:
            os.replace(tmp, path)
        done = [path for _, path in self._staged]
        self._staged = []
        return done

    def abort(self) -> None:
        for tmp, _ in self._staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        self._staged = []

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if kind is not None:
            self.abort()


def write_many(files: Sequence[tuple[Path, str]]) -> list[Path]:
    """Write the files whose content changed, all or none: every new file is staged before any
    replaces its old version, so a failure while staging leaves every file as it was."""
    with Staging() as staging:
        for path, text in files:
            staging.put(path, text)
        return staging.commit()


class LockBusy(ToolkitError):
    """Another writer holds the folder's lock (`toolkit update`, or a save in `toolkit serve`)."""


# A save in `toolkit serve` holds the lock for milliseconds: an update that meets one waits this
# long rather than failing; a second update (seconds long) is still refused after it.
LOCK_GRACE = 1.0
_POLL = 0.02


_HELD_LOCKS: list[int] = []  # descriptors of the locks this process holds (or tried to)


def forked_helper(parent: int) -> None:
    """Start of a process forked to help one that holds a lock (the parse and merge workers):
    the lock stays the parent's alone, so a killed parent frees it at once; and the helper dies
    with its parent (Linux) rather than staging files for no one."""
    for fd in _HELD_LOCKS:
        with contextlib.suppress(OSError):
            os.close(fd)  # the parent's descriptor keeps its flock
    _HELD_LOCKS.clear()
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before that took effect
        os._exit(1)
    # What the parent made (modules, sources) lives as long as the helper: the collector need not
    # look at it again and again (6 % of a parse worker's time), nor touch its pages.
    gc.freeze()


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
        fd = handle.fileno()
        _HELD_LOCKS.append(fd)
        try:
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
        finally:
            _HELD_LOCKS.remove(fd)
