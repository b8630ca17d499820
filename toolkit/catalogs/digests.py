"""Hashes of the project's catalog files, as update's keys use them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from toolkit.catalogs.cache_keys import sha256
from toolkit.config import Config
from toolkit.fsutil import Inside


def refuse_outside(config: Config, path: Path, inside: Inside | None = None, rel: str = "") -> None:
    """Refuse a file that leads out of the project (as read_catalog refuses it); no file, no check."""
    if path.is_symlink() or path.exists():
        (inside or Inside(config.root)).check(path, rel or config.rel(path))


def file_digest(config: Config, path: Path, inside: Inside | None = None, rel: str = "") -> str | None:
    """The hash of a file's bytes (None: no such file); refused, unread, where it leads out of
    the project (refuse_outside)."""
    refuse_outside(config, path, inside, rel)
    try:
        return sha256(path.read_bytes())
    except FileNotFoundError:
        return None
    except OSError:
        return "unreadable"  # read_catalog says why, when the merge reads it


def file_digests(config: Config, files: Sequence[tuple[Path, str]]) -> list[str | None]:
    """file_digest of each (path, rel), in order. (Threads were tried: for files of tens of
    kilobytes they cost more than they save, 0.6 s against 0.3 s for 3,000 catalogs.)"""
    inside = Inside(config.root)
    return [file_digest(config, path, inside, rel) for path, rel in files]
