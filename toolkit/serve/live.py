"""Live reload: a file watcher (watchfiles) tells every open page, over Server-Sent Events.

A page carries the `token` it was rendered at. Its script opens /events; the stream first says
which token is current (a change between rendering and connecting is not missed), then sends one
`change` event per batch of saved files. The page reloads itself; nothing is polled.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

KEEP_ALIVE = 15.0  # seconds between comments that keep proxies and browsers from timing out
DEBOUNCE_MS = 150  # an editor's save is several events (temp file, rename, .mo beside the .po)


class Changes:
    """The project's change counter, and a way to wait for its next step."""

    def __init__(self) -> None:
        self.boot = secrets.token_hex(4)  # a restarted server is a change too
        self.version = 0
        self.files: tuple[str, ...] = ()
        self.closed = False
        self._event = asyncio.Event()

    @property
    def token(self) -> str:
        return f"{self.boot}-{self.version}"

    def notify(self, files: Sequence[str]) -> None:
        self.version += 1
        self.files = tuple(sorted(files))
        self._event.set()
        self._event = asyncio.Event()

    def close(self) -> None:
        self.closed = True
        self._event.set()

    async def wait(self, seen: int, timeout: float) -> bool:
        """True once the version differs from `seen` (or the hub closes), False on timeout."""
        if self.version != seen or self.closed:
            return True
        event = self._event
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def stream(self) -> AsyncIterator[str]:
        """The text/event-stream of one open page."""
        seen = self.version
        yield f"retry: 1000\nevent: hello\ndata: {self.token}\n\n"
        while not self.closed:
            if not await self.wait(seen, KEEP_ALIVE):
                yield ": keep-alive\n\n"
                continue
            if self.closed:
                break
            seen = self.version
            data = json.dumps({"token": self.token, "files": list(self.files)})
            yield f"event: change\ndata: {data}\n\n"


def _interesting(path: str) -> bool:
    """Saved project files, not the temporary and lock files editors and toolkit leave beside them."""
    name = Path(path).name
    return not (name.startswith((".", "#")) or name.endswith(("~", ".tmp", ".swp")))


async def watch(
    folders: Sequence[Path], changes: Changes, stop: asyncio.Event, *, root: Path
) -> None:
    """Feed `changes` from the file system until `stop` is set."""
    from watchfiles import awatch

    existing = [f for f in folders if f.is_dir()]
    if not existing:
        return
    for polling in (False, True):
        try:
            async for batch in awatch(
                *existing,
                watch_filter=lambda _change, path: _interesting(path),
                debounce=DEBOUNCE_MS,
                step=50,
                stop_event=stop,
                force_polling=polling or None,
            ):
                changes.notify([_shown(path, root) for _change, path in batch])
            return
        except OSError:
            # No inotify watches left (a big home folder, many editors): poll instead.
            if polling:
                raise


def _shown(path: str, root: Path) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return Path(path).name
