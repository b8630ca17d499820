"""Writing files so that a crash or a kill leaves either the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from toolkit.errors import ToolkitError


def atomic_write(path: Path, data: bytes | str) -> None:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_if_changed(path: Path, text: str) -> bool:
    """Write only when the content differs, so unchanged files keep their bytes and mtime."""
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    atomic_write(path, data)
    return True


@contextlib.contextmanager
def exclusive_lock(folder: Path, what: str) -> Iterator[None]:
    """One writer at a time per folder; a second one is told so at once instead of waiting."""
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
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise ToolkitError(
                    f"another toolkit {what} is running in this project",
                    path=str(folder),
                    hint="wait for it to finish, then run the command again",
                ) from exc
            raise
        yield
