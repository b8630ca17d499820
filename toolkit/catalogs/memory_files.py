"""The project's memory on disk: exporting catalogs as TMX, keeping imported TMX files."""

from __future__ import annotations

from pathlib import Path

from toolkit.catalogs.files import po_path, read_catalog
from toolkit.catalogs.tmx import read_tmx
from toolkit.catalogs.update import MEMORY_FOLDER
from toolkit.config import Config
from toolkit.errors import ToolkitError
from toolkit.fsutil import atomic_write
from toolkit.sources.files import article_paths
from toolkit.sources.rules import check_slug


def export_pairs(config: Config, lang: str) -> list[tuple[str, str]]:
    """(source, translation) of every translated unit in `lang`, first occurrence wins."""
    if lang not in config.languages or lang == config.source_language:
        raise ToolkitError(
            f"{lang!r} is not a target language of this project",
            path="pyproject.toml",
            hint=f"choose one of {', '.join(x for x in config.languages if x != config.source_language)}",
        )
    domains = [p.stem for p in article_paths(config)] + ["layouts"]
    pairs: dict[str, str] = {}
    for name in domains:
        catalog = read_catalog(config, po_path(config, lang, name))
        for entry in catalog.active if catalog else ():
            if entry.translated and entry.msgid_plural is None:
                pairs.setdefault(entry.msgid, entry.msgstr)
    return list(pairs.items())


def import_tmx(config: Config, source: Path, *, force: bool) -> tuple[Path, dict[str, int]]:
    name = source.stem.lower().replace(" ", "-").replace(".", "-")
    check_slug(name, what="memory name")
    data = source.read_bytes()
    counts = {
        lang: len(read_tmx(data, str(source), config.source_language, lang))
        for lang in config.languages
        if lang != config.source_language
    }
    target = config.locales_dir / MEMORY_FOLDER / f"{name}.tmx"
    if target.exists() and not force:
        raise ToolkitError(
            "a memory of this name was imported before",
            path=config.rel(target),
            hint="pass --force to replace it",
        )
    atomic_write(target, data)
    return target, {k: v for k, v in counts.items() if v}
