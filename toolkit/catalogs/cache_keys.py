"""What the catalog cache's keys are made of: hashes of contents, and the fingerprint of the code
that made a cached result (a changed line of the toolkit or of a library it depends on is a miss)."""

from __future__ import annotations

import hashlib
import json
import sys
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from toolkit import __version__

FORMAT = 3  # of the cache's files (cache.py); a new format starts an empty cache
# What the toolkit's own code is: a changed line in any of these may change a template or a merge.
_CODE = ("catalogs", "sources")
_CODE_FILES = ("__init__.py", "config.py", "errors.py", "registers.py")
# Libraries whose behaviour is part of the result: parsing, plural forms and names, matching.
_LIBRARIES = ("markdown_it", "mdit_py_plugins", "yaml", "babel", "rapidfuzz")


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def key_of(*parts: object) -> str:
    """One hash of several values (JSON, so no two different lists give the same bytes)."""
    return sha256(json.dumps(parts, ensure_ascii=False, separators=(",", ":")))


@cache
def fingerprint() -> str:
    """The code a cached result came from: the toolkit's catalog and source modules, the
    libraries it depends on (their __init__, which holds the version), Python's version."""
    package = Path(__file__).resolve().parent.parent
    files = sorted(p for folder in _CODE for p in (package / folder).glob("*.py"))
    files += [package / name for name in _CODE_FILES]
    digest = hashlib.sha256(f"{FORMAT} {__version__} {sys.version}".encode())
    for path in files:
        digest.update(path.name.encode() + b"\0" + _bytes(path) + b"\0")
    for name in _LIBRARIES:
        spec = find_spec(name)  # found, not imported: RapidFuzz takes 0.1 s to import
        origin = spec.origin if spec is not None and spec.origin else ""
        digest.update(name.encode() + b"\0" + (_bytes(Path(origin)) if origin else b"") + b"\0")
    return digest.hexdigest()


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""
