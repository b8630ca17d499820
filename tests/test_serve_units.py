"""toolkit serve without a browser: which files a URL may read, the HTML made loadable, escaping,
and the live-reload stream. Fast, and they run where chromium is missing too."""

from __future__ import annotations

import asyncio
import shutil
import warnings

import pytest
from conftest import REPO, Project

from toolkit.config import load_config
from toolkit.serve.app import create_app
from toolkit.serve.files import project_fetcher, safe_file
from toolkit.serve.live import Changes
from toolkit.serve.preview import for_browser

with warnings.catch_warnings():
    # Starlette 1.x suggests httpx2 for its test client; httpx works the same for these tests.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


@pytest.fixture
def site(project: Project) -> Project:
    shutil.copytree(REPO / "layouts", project.root / "layouts")
    project.source(
        "gevaar",
        "Tekst met <script>alert(1)</script> erin.\n\n![plaatje](img/x.svg)\n",
        front="title: \"<script>alert('titel')</script>\"\n",
    )
    project.write("sources/img/x.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>')
    assert project.run("update") == 0
    return project


def test_safe_file_refuses_every_way_out(
    site: Project, tmp_path_factory: pytest.TempPathFactory
) -> None:
    config = load_config(site.root)
    fetcher = project_fetcher(config)
    outside = tmp_path_factory.mktemp("outside") / "secret.txt"
    outside.write_text("secret", encoding="utf-8")
    (config.sources_dir / "link.svg").symlink_to(outside)
    (config.sources_dir / "img" / "inside.svg").symlink_to(config.sources_dir / "img" / "x.svg")
    site.write("sources/.hidden.svg", "<svg/>")
    assert safe_file(config.sources_dir, "img/x.svg", fetcher) is not None
    assert (
        safe_file(config.sources_dir, "img/inside.svg", fetcher) is not None
    )  # a link inside is fine
    for rel in (
        "link.svg",
        "../pyproject.toml",
        "img/../../pyproject.toml",
        "/etc/passwd",
        "%2e%2e/pyproject.toml",
        "img\\..\\..\\pyproject.toml",
        ".hidden.svg",
        "img",
        "img//x.svg",
        "img/x.svg\x00",
        "gevaar.md/..",
        "",
    ):
        assert safe_file(config.sources_dir, rel, fetcher) is None, rel


def test_for_browser_points_file_urls_at_our_routes(site: Project) -> None:
    config = load_config(site.root)
    image = (config.sources_dir / "img" / "x.svg").resolve().as_uri()
    font = (config.layouts_dir / "fonts" / "a.ttf").resolve().as_uri()
    html = f'<html><head><title>t</title></head><body><img src="{image}"><a href="{font}">f</a><img src="file:///etc/passwd"></body></html>'
    out = for_browser(html, config, "handout")
    assert '<img src="/sources/img/x.svg">' in out
    assert 'href="/layouts/fonts/a.ttf"' in out
    assert "file:" not in out
    assert out.index('<base href="/layouts/"') < out.index("<title>")
    assert '/_serve/paper.css"' in out and out.index("/_serve/paper.css") < out.index("</head>")


def test_pages_escape_every_text_and_allow_no_foreign_script(site: Project) -> None:
    app = create_app(load_config(site.root), watch_files=False)
    with TestClient(app) as client:
        for url in (
            "/",
            "/translate/gevaar/de",
            "/preview/gevaar/de/handout",
            "/render/gevaar/de/handout",
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            assert "<script>alert" not in response.text, url
            assert "&lt;script&gt;alert" in response.text, url
            csp = response.headers["content-security-policy"]
            assert "script-src 'self'" in csp and "default-src 'self'" in csp
        missing = client.get("/translate/<b>x</b>/de")
        assert missing.status_code == 404 and "<b>x</b>" not in missing.text
        assert client.get("/preview/gevaar/xx/handout").status_code == 404
        assert client.get("/preview/gevaar/de/poster").status_code == 404
        assert client.get("/_serve/app.js").headers["content-type"].startswith("text/javascript")


def test_a_broken_catalog_is_an_error_in_its_own_row(site: Project) -> None:
    po = site.po("de", "gevaar")
    po.write_text(po.read_text(encoding="utf-8") + "\nthis is not PO\n", encoding="utf-8")
    app = create_app(load_config(site.root), watch_files=False)
    with TestClient(app) as client:
        response = client.get("/")
        assert response.status_code == 200
        assert "locales/de/LC_MESSAGES/gevaar.po:" in response.text
        assert "PO syntax error" in response.text
        compare = client.get("/translate/gevaar/de")
        assert compare.status_code == 422 and "PO syntax error" in compare.text
        assert "Traceback" not in compare.text


def test_the_event_stream_says_hello_then_each_change() -> None:
    async def run() -> list[str]:
        changes = Changes()
        stream = changes.stream()
        hello = await anext(stream)
        pending = asyncio.ensure_future(anext(stream))
        await asyncio.sleep(0.05)
        changes.notify(["locales/de/LC_MESSAGES/a.po"])
        change = await asyncio.wait_for(pending, 2)
        changes.close()
        rest = [item async for item in stream]
        return [hello, change, *rest]

    hello, change, *rest = asyncio.run(run())
    assert hello.startswith("retry: 1000\nevent: hello\ndata: ") and hello.endswith("-0\n\n")
    assert change.startswith("event: change\n") and "locales/de/LC_MESSAGES/a.po" in change
    assert rest == []


def test_a_workshop_source_previews_only_as_a_workshop_pack(site: Project) -> None:
    site.source(
        "weekend",
        "Welkom!\n\n## Programma\n\nYoga en adem.\n",
        front="title: Weekend\ndates: [2026-03-14]\nvenue: Hilversum\ninclude:\n  - gevaar\n",
    )
    assert site.run("update") == 0
    app = create_app(load_config(site.root), watch_files=False)
    with TestClient(app) as client:
        board = client.get("/").text
        assert 'href="/preview/weekend/de/workshop"' in board
        assert 'href="/preview/weekend/de/handout"' not in board
        assert 'href="/preview/gevaar/de/workshop"' not in board
        page = client.get("/preview/weekend/de/workshop")
        assert page.status_code == 200
        assert "sources/gevaar.md" in page.text  # the included article's fallbacks are named
        document = client.get("/render/weekend/de/workshop")
        assert document.status_code == 200 and "Yoga en adem." in document.text
        wrong = client.get("/preview/weekend/de/handout")
        assert wrong.status_code == 422 and "workshop" in wrong.text
