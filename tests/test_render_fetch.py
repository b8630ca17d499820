"""The renderer never fetches anything outside the project: checked with a real loopback listener."""

from __future__ import annotations

import os
import socket
import threading

import pytest
from render_helpers import make_project, pdf_pages_text, translated
from weasyprint import HTML

from toolkit.render import RenderContext, render_document
from toolkit.render.pdf import SafeFetcher


class Listener:
    """A TCP listener on a free loopback port that records every connection it gets."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def test_listener_would_see_a_real_fetch(listener):
    """The check below can fail: an ordinary fetch does reach the listener."""
    with socket.create_connection(("127.0.0.1", listener.port), timeout=2):
        pass
    for _ in range(20):
        if listener.connections:
            break
        threading.Event().wait(0.05)
    assert listener.connections == 1


def test_fetcher_refuses_network_and_files_outside(tmp_path, listener):
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    (layouts / "ok.css").write_text("p { color: red }", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    fetcher = SafeFetcher([layouts], document="sources/x.md")
    html = f"""<html><head>
    <link rel="stylesheet" href="http://127.0.0.1:{listener.port}/x.css">
    <link rel="stylesheet" href="https://127.0.0.1:{listener.port}/y.css">
    <link rel="stylesheet" href="ok.css">
    <link rel="stylesheet" href="{layouts.as_uri()}/../secret.txt">
    </head><body>
    <img src="file:///etc/passwd"><img src="ftp://127.0.0.1:{listener.port}/z.png">
    <img src="data:image/png;base64,iVBORw0KGgo=">
    <p>text</p></body></html>"""
    pdf = HTML(string=html, base_url=layouts.as_uri() + "/", url_fetcher=fetcher).write_pdf()
    assert pdf.startswith(b"%PDF")
    refused = "\n".join(d.message for d in fetcher.refused)
    for url in (
        f"http://127.0.0.1:{listener.port}/x.css",
        f"https://127.0.0.1:{listener.port}/y.css",
        "file:///etc/passwd",
        f"ftp://127.0.0.1:{listener.port}/z.png",
        "data:image/png",
    ):
        assert url in refused, url
    assert "secret.txt" in refused
    assert "ok.css" not in refused
    assert all(d.severity == "warning" and d.path == "sources/x.md" for d in fetcher.refused)
    threading.Event().wait(0.3)
    assert listener.connections == 0


def test_fetcher_refuses_a_symlink_out_of_the_project(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    os.symlink("/etc/passwd", sources / "link.css")
    fetcher = SafeFetcher([sources])
    assert fetcher.allowed_path((sources / "link.css").as_uri()) is None
    (sources / "real.css").write_text("", encoding="utf-8")
    assert fetcher.allowed_path((sources / "real.css").as_uri()) == (sources / "real.css").resolve()


def test_render_document_reports_refused_urls_and_fetches_nothing(tmp_path, listener):
    config, article = make_project(tmp_path)
    base = config.layouts_dir / "base.html.j2"
    text = base.read_text(encoding="utf-8")
    injected = (
        f'<link rel="stylesheet" href="http://127.0.0.1:{listener.port}/x.css">\n'
        '<link rel="stylesheet" href="file:///etc/passwd">\n'
    )
    base.write_text(text.replace("</head>", injected + "</head>"), encoding="utf-8")
    result = render_document(
        translated(article, "nl"),
        "handout",
        context=RenderContext.create(config),
        gettext=lambda s: s,
    )
    refused = [d for d in result.diagnostics if d.code == "fetch-refused"]
    assert any(f"127.0.0.1:{listener.port}" in d.message for d in refused)
    assert any("file:///etc/passwd" in d.message for d in refused)
    assert "root:" not in " ".join(pdf_pages_text(result.pdf))
    threading.Event().wait(0.3)
    assert listener.connections == 0


def test_images_outside_sources_or_remote_are_not_used(tmp_path, listener):
    source = (
        "---\ntitle: T\n---\n\n"
        f"![remote](http://127.0.0.1:{listener.port}/a.png)\n\n"
        "![escape](../../../../etc/passwd)\n\n"
        f"Tekst met ![inline](http://127.0.0.1:{listener.port}/b.png) plaatje.\n"
    )
    config, article = make_project(tmp_path, source, slug="beelden")
    result = render_document(
        translated(article, "nl"),
        "handout",
        context=RenderContext.create(config),
        gettext=lambda s: s,
    )
    codes = [d.code for d in result.diagnostics]
    assert codes.count("image-refused") == 3, result.diagnostics
    assert result.html.count("Image missing") == 2
    threading.Event().wait(0.3)
    assert listener.connections == 0
