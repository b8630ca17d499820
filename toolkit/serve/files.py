"""Which project file a static URL may read: the same rules as the PDF renderer's fetcher.

The preview's stylesheets, fonts and images are fetched by the browser instead of WeasyPrint, so
they go through `SafeFetcher.allowed_path` too: only regular files inside layouts/ or sources/
(or the brand logo), resolved after symbolic links. We refuse more than the fetcher on top,
because a URL path arrives decoded once by the server and must not be decoded again.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from toolkit.render.pdf import SafeFetcher, project_fetcher

__all__ = ["project_fetcher", "safe_file"]


def safe_file(folder: Path, rel: str, fetcher: SafeFetcher) -> Path | None:
    """The file `rel` (a URL path below a route) inside `folder`, or None for anything suspect.

    None covers: `..` or `.` segments, an absolute path, backslashes, NUL and other control
    characters, a `%` (a second round of decoding would turn `%252e` into `..`), hidden files
    (`.toolkit.lock`, editors' temporary files), folders, and anything that resolves outside.
    """
    if not rel or rel.startswith("/") or "%" in rel or "\\" in rel:
        return None
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in rel):
        return None
    parts = PurePosixPath(rel).parts
    if any(p in ("..", ".") or p.startswith(".") for p in parts) or rel.split("/").count("") > 0:
        return None
    candidate = folder.joinpath(*parts)
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, a symlink loop, a name too long
        return None
    if not resolved.is_relative_to(folder.resolve()):
        return None
    # The fetcher decides last, on the resolved path, so a symlink out of the project fails here.
    return fetcher.allowed_path(resolved.as_uri())
