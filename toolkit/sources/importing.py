"""Bringing a new article into sources/: import, check that it parses, write it atomically."""

from __future__ import annotations

from pathlib import Path

from toolkit.config import Config, check_language
from toolkit.errors import ToolkitError
from toolkit.fsutil import atomic_write
from toolkit.sources.importer import ImportReport, import_bytes
from toolkit.sources.parse import parse_article
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
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ToolkitError(f"cannot read: {exc.strerror}", path=str(source)) from exc
    result = import_bytes(data, source_name=str(source), lang=lang, title=title)
    # What we write must be a source the rest of the toolkit reads without complaint.
    parse_article(result.markdown, path=config.rel(target), slug=slug, default_lang=config.source_language)
    atomic_write(target, result.markdown)
    return target, result.report
