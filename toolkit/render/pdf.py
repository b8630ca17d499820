"""HTML -> PDF bytes with WeasyPrint: a fetcher that never leaves the project, reproducible output.

Only `file:` URLs inside the allowed folders (layouts/, sources/, the brand logo) are read; every
other URL (http, https, ftp, data, a file elsewhere, a `..` escape, a symlink out) is refused without
any attempt to open it, and reported as a Diagnostic.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import re
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint import HTML, URLFetcher
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcherResponse

from toolkit.config import Config
from toolkit.errors import Diagnostic


class RefusedURL(ValueError):
    """A URL the renderer will not fetch."""


class SafeFetcher(URLFetcher):
    """WeasyPrint URL fetcher limited to files inside `roots` (and single allowed `files`)."""

    def __init__(
        self, roots: Sequence[Path], files: Sequence[Path] = (), *, document: str | None = None
    ) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False, timeout=1)
        self.roots = tuple(r.resolve() for r in roots)
        self.files = tuple(f.resolve() for f in files)
        self.document = document  # the article path, named in diagnostics
        self.refused: list[Diagnostic] = []

    def allowed_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        raw = unquote(parts.path)
        if ".." in Path(raw).parts:
            return None
        path = Path(url2pathname(parts.path)).resolve()
        if path in self.files or any(path.is_relative_to(root) for root in self.roots):
            return path if path.is_file() else None
        return None

    def refuse(self, url: str, why: str) -> RefusedURL:
        shown = url if len(url) < 120 else url[:117] + "..."
        diag = Diagnostic(
            "warning", f"refused to fetch {shown}: {why}", self.document, None, "fetch-refused"
        )
        if diag not in self.refused:
            self.refused.append(diag)
        return RefusedURL(f"refused: {shown}")

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme != "file":
            raise self.refuse(
                url, "only files inside the project are used, nothing from the network"
            )
        path = self.allowed_path(url)
        if path is None:
            raise self.refuse(url, "not a file inside the project's layouts or sources folder")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": mime}
        )

    def open(self, url: Any, data: Any = None, timeout: Any = None) -> URLFetcherResponse:
        full = getattr(url, "full_url", url)
        return self.fetch(str(full))


class _Capture(logging.Handler):
    """Collects WeasyPrint's warnings about one document (bad CSS, unloadable images)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def capture_weasyprint() -> Iterator[_Capture]:
    logger = logging.getLogger("weasyprint")
    handler = _Capture()
    old_propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False  # the library never prints; the caller reports diagnostics
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = old_propagate


def layout(
    html: str,
    *,
    base_url: str,
    fetcher: SafeFetcher,
    font_config: FontConfiguration,
    cache: dict[str, Any],
    dpi: int,
) -> Document:
    """Lay out one document (call inside `capture_weasyprint` to collect its warnings)."""
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
        font_config=font_config, cache=cache, dpi=dpi
    )


def anchor_page(document: Document, anchor: str) -> int | None:
    """The 0-based index of the page holding the element with this id."""
    return next((i for i, p in enumerate(document.pages) if anchor in p.anchors), None)


def anchors_on_page(document: Document, index: int, prefix: str) -> int:
    return sum(1 for a in document.pages[index].anchors if a.startswith(prefix))


def finish(
    document: Document,
    *,
    pad_to: int = 1,
    padding_id: str = "pad-page",
    variant: str | None = None,
    tags: bool = False,
    date: str = "",
) -> tuple[bytes, int]:
    """PDF bytes and page count. With `pad_to` > 1 the page count is made a multiple of it by
    keeping as many of the document's spare blank pages (elements whose id starts with
    `padding_id`, one per page, placed before the last page) as needed; the last page (the back
    cover) stays last. Spare pages not needed are dropped.

    `variant` "pdf/ua-1": a tagged PDF with structure tree, so a screen reader can read it;
    "pdf/x-4": the print shop's PDF/X, tagged as well with `tags`. PDF/X must carry dates and a
    document ID: `date` (ISO) and an ID made from the content, never the clock or chance."""
    pages: Sequence[Any] = document.pages
    if pad_to > 1:
        pages = _pad(document.pages, pad_to, padding_id)
        document = document.copy(pages)
    finisher = None
    if variant and variant.startswith("pdf/x"):
        document.metadata.created = document.metadata.modified = date or STABLE_DATE
        finisher = _stable_document_id
    pdf = document.write_pdf(pdf_variant=variant, pdf_tags=tags or None, finisher=finisher)
    return pdf, len(pages)


STABLE_DATE = "2000-01-01"  # PDF/X needs a date: without the article's or the build's, this one
_UUID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


def _stable_document_id(document: Document, pdf: Any) -> None:
    """WeasyPrint 70 writes a random xmpMM:DocumentID into PDF/X metadata: make it a digest of
    what the document is, so the same input gives the same bytes."""
    digest = hashlib.sha256(
        "\n".join(
            [str(document.metadata.title), str(document.metadata.lang), document.metadata.created or ""]
            + [str(len(document.pages))]
            + [" ".join(sorted(p.anchors)) for p in document.pages]
        ).encode()
    ).digest()
    stable = f"xmp.did:{uuid.UUID(bytes=digest[:16])}".encode()
    ref = pdf.catalog.get("Metadata")
    for obj in pdf.objects:
        if getattr(obj, "reference", None) == ref and hasattr(obj, "stream"):
            obj.stream = [_UUID.sub(stable, c) if isinstance(c, bytes) else c for c in obj.stream]


def content_pages(document: Document, padding_id: str = "pad-page") -> int:
    """Pages that are not spare note pages."""
    return sum(
        1 for p in document.pages if not any(a.startswith(padding_id) for a in p.anchors)
    )


def _pad(pages: Sequence[Any], multiple: int, padding_id: str) -> list[Any]:
    spare = [i for i, p in enumerate(pages) if any(a.startswith(padding_id) for a in p.anchors)]
    content = [p for i, p in enumerate(pages) if i not in spare]
    if not content:
        return list(pages)
    *body, back = content
    need = (-len(content)) % multiple
    blanks = [pages[i] for i in spare[:need]]
    return [*body, *blanks, back]


def project_fetcher(
    config: Config, *, document: str | None = None, extra_files: Sequence[Path] = ()
) -> SafeFetcher:
    """The one fetcher of a project, for WeasyPrint and for the preview server alike: the layouts
    and sources folders, the brand logo and `extra_files` (the print profile), nothing else."""
    files = [config.root / config.brand.logo] if config.brand.logo else []
    files += list(extra_files)
    return SafeFetcher([config.layouts_dir, config.sources_dir], files, document=document)
