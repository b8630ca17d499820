"""Reading the project's sources: which files are articles, and each one read and parsed once."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from toolkit.config import Config
from toolkit.errors import ToolkitError
from toolkit.fsutil import check_inside
from toolkit.sources.model import Article
from toolkit.sources.parse import parse_article
from toolkit.sources.rules import check_slug

MAX_SOURCE_BYTES = 5 * 1024 * 1024


def decode_source(data: bytes, path: str) -> str:
    if len(data) > MAX_SOURCE_BYTES:
        raise ToolkitError(
            f"file is {len(data) // 1024} KiB; sources are limited to {MAX_SOURCE_BYTES // 1048576} MiB",
            path=path,
            hint="split the article into several sources",
        )
    if b"\x00" in data:
        raise ToolkitError("binary file (contains NUL bytes), not Markdown text", path=path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ToolkitError(
            "not valid UTF-8",
            path=path,
            line=line,
            hint="save the file as UTF-8, or bring it in with `toolkit import`, which converts it",
        ) from exc
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ToolkitError("the file is empty", path=path, hint="write the article, or delete the file")
    return text


def read_article(path: Path, *, root: Path, default_lang: str) -> Article:
    rel = path.absolute().relative_to(root.absolute()).as_posix()
    slug = check_slug(path.stem, what="article name")
    check_inside(root, path, rel)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ToolkitError(f"cannot read: {exc.strerror}", path=rel) from exc
    article = parse_article(decode_source(data, rel), path=rel, slug=slug, default_lang=default_lang)
    return replace(article, digest=hashlib.sha256(data).hexdigest())


def article_paths(config: Config) -> list[Path]:
    folder = config.sources_dir
    if not folder.is_dir():
        raise ToolkitError(
            "sources folder not found",
            path=config.sources,
            hint="create it and put one Markdown file per article in it",
        )
    return sorted(p for p in folder.glob("*.md") if p.is_file())


def load_articles(config: Config, slugs: Sequence[str] = ()) -> tuple[Article, ...]:
    """Every article (or the named ones), parsed; the first broken source stops everything."""
    paths = article_paths(config)
    if slugs:
        by_slug = {p.stem: p for p in paths}
        for slug in slugs:
            check_slug(slug, what="article name")
            if slug not in by_slug:
                raise ToolkitError(
                    f"no article {slug!r}",
                    path=config.sources,
                    hint=f"articles are: {', '.join(sorted(by_slug)) or '(none)'}",
                )
        paths = [by_slug[s] for s in slugs]
    articles = tuple(
        read_article(p, root=config.root, default_lang=config.source_language) for p in paths
    )
    for article in articles:
        if article.lang not in config.languages:
            raise ToolkitError(
                f"article language {article.lang!r} is not a project language",
                path=article.path,
                line=article.meta_lines.get("lang"),
                hint=f"use one of {', '.join(config.languages)}, or `toolkit init {article.lang}`",
            )
    return articles
