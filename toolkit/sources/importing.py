"""Bringing a new article into sources/: import, check it as update would read it, write it
atomically. Whatever update would refuse (size, encoding, front matter, language), import refuses,
with the same message, and writes nothing."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from toolkit.config import Config, check_language
from toolkit.errors import ToolkitError
from toolkit.fsutil import atomic_write
from toolkit.sources.files import article_from_bytes, check_article_language, check_source_size
from toolkit.sources.importer import ImportReport, import_bytes
from toolkit.sources.rules import check_slug


def import_source(
    config: Config,
    source: Path,
    *,
    slug: str,
    lang: str | None = None,
    title: str | None = None,
    force: bool = False,
) -> tuple[Path, ImportReport]:
    check_slug(slug)
    if lang is not None:
        check_language(lang, "--lang")
    target = config.sources_dir / f"{slug}.md"
    if target.exists() and not force:
        raise ToolkitError(
            "an article of this name exists already",
            path=config.rel(target),
            hint="choose another --slug, or pass --force to replace it",
        )
    data = _read_input(source, config.max_source_bytes)
    result = import_bytes(data, source_name=str(source), lang=lang, title=title)
    # What we write (converted to UTF-8, with front matter) must pass the very reading update does.
    article = article_from_bytes(
        result.markdown.encode("utf-8"),
        rel=config.rel(target),
        slug=slug,
        default_lang=config.source_language,
        max_bytes=config.max_source_bytes,
    )
    check_article_language(article, config)
    atomic_write(target, result.markdown)
    return target, replace(result.report, ignored=tuple(str(n) for n in article.notes))


def _read_input(source: Path, max_bytes: int) -> bytes:
    """The text to import; one bigger than a source may be is refused before any work."""
    try:
        with source.open("rb") as f:
            check_source_size(os.fstat(f.fileno()).st_size, str(source), max_bytes=max_bytes)
            data = f.read(max_bytes + 1)  # a pipe has no size: read at most one byte too many
    except OSError as exc:
        raise ToolkitError(f"cannot read: {exc.strerror}", path=str(source)) from exc
    check_source_size(len(data), str(source), max_bytes=max_bytes)
    return data
