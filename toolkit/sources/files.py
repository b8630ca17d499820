"""Reading the project's sources: which files are articles, and each one read and parsed once."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from toolkit.config import DEFAULT_MAX_SOURCE_KIB, Config
from toolkit.errors import ToolkitError
from toolkit.fsutil import check_inside
from toolkit.sources.model import Article
from toolkit.sources.parse import parse_article
from toolkit.sources.rules import check_slug

DEFAULT_MAX_SOURCE_BYTES = DEFAULT_MAX_SOURCE_KIB * 1024


def check_source_size(size: int, path: str, *, max_bytes: int) -> None:
    """The one size rule (setting `max_source_kib`), said the same way by import and every reader."""
    if size <= max_bytes:
        return
    limit = f"{max_bytes // 1048576} MiB" if max_bytes % 1048576 == 0 else f"{max_bytes // 1024} KiB"
    raise ToolkitError(
        f"file is {-(-size // 1024)} KiB; sources are limited to {limit}",
        path=path,
        hint="split the article into several sources, or raise max_source_kib in [tool.toolkit]",
    )


def decode_source(data: bytes, path: str, *, max_bytes: int = DEFAULT_MAX_SOURCE_BYTES) -> str:
    check_source_size(len(data), path, max_bytes=max_bytes)
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


def read_article(
    path: Path, *, root: Path, default_lang: str, max_bytes: int = DEFAULT_MAX_SOURCE_BYTES
) -> Article:
    rel = path.absolute().relative_to(root.absolute()).as_posix()
    slug = check_slug(path.stem, what="article name")
    check_inside(root, path, rel)
    try:
        check_source_size(path.stat().st_size, rel, max_bytes=max_bytes)  # before reading it all
        data = path.read_bytes()
    except OSError as exc:
        raise ToolkitError(f"cannot read: {exc.strerror}", path=rel) from exc
    return article_from_bytes(data, rel=rel, slug=slug, default_lang=default_lang, max_bytes=max_bytes)


def article_from_bytes(
    data: bytes, *, rel: str, slug: str, default_lang: str, max_bytes: int
) -> Article:
    """A source file's bytes as every reader takes them; `toolkit import` checks what it would
    write with this too, so that it never writes a source that update would refuse."""
    text = decode_source(data, rel, max_bytes=max_bytes)
    article = parse_article(text, path=rel, slug=slug, default_lang=default_lang)
    return replace(article, digest=hashlib.sha256(data).hexdigest())


def check_article_language(article: Article, config: Config) -> None:
    if article.lang not in config.languages:
        raise language_error(article.lang, article.path, article.meta_lines.get("lang"), config)


def language_error(lang: str, path: str, line: int | None, config: Config) -> ToolkitError:
    return ToolkitError(
        f"article language {lang!r} is not a project language",
        path=path,
        line=line,
        hint=f"use one of {', '.join(config.languages)}, or `toolkit init {lang}`",
    )


def article_paths(config: Config) -> list[Path]:
    folder = config.sources_dir
    if not folder.is_dir():
        raise ToolkitError(
            "sources folder not found",
            path=config.sources,
            hint="create it and put one Markdown file per article in it",
        )
    return sorted(p for p in folder.glob("*.md") if p.is_file())


def select_paths(config: Config, slugs: Sequence[str] = ()) -> list[Path]:
    """The sources of every article, or of the named ones (each checked to exist)."""
    paths = article_paths(config)
    if not slugs:
        return paths
    by_slug = {p.stem: p for p in paths}
    for slug in slugs:
        check_slug(slug, what="article name")
        if slug not in by_slug:
            raise ToolkitError(
                f"no article {slug!r}",
                path=config.sources,
                hint=f"articles are: {', '.join(sorted(by_slug)) or '(none)'}",
            )
    return [by_slug[s] for s in slugs]


def load_articles(config: Config, slugs: Sequence[str] = ()) -> tuple[Article, ...]:
    """Every article (or the named ones), parsed; the first broken source stops everything."""
    paths = select_paths(config, slugs)
    articles = tuple(
        read_article(
            p,
            root=config.root,
            default_lang=config.source_language,
            max_bytes=config.max_source_bytes,
        )
        for p in paths
    )
    for article in articles:
        check_article_language(article, config)
    return articles
