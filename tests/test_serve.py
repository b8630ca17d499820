"""toolkit serve end to end: the real command in a subprocess, a real browser (Debian's chromium
driven by Playwright), raw HTTP for what a browser would normalise away.

One server runs for the whole module on a small copy of a project; the tests run in file order
and the last one stops the server and checks that no file changed except the catalog the
live-reload test edited on purpose.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import polib
import pytest
from conftest import REPO
from pypdf import PdfReader

from toolkit.catalogs.files import po_path, read_catalog
from toolkit.cli import main
from toolkit.config import load_config

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path("/tmp")

ARTICLE = """\
---
title: Adem en de psoas
summary: Hoe de adem de psoas ontspant.
date: 2026-03-14
---

Een korte inleiding over de adem.

## Wat doet de psoas?

De psoas verbindt de wervelkolom met de benen.

![Loop van de psoas](img/psoas.svg)

## Oefening

Ga liggen en adem rustig uit.

- Voeten plat op de grond
- Knieën omhoog
"""

GERMAN = {
    ("title", "Adem en de psoas"): "Atem und der Psoas",
    ("summary", "Hoe de adem de psoas ontspant."): "Wie der Atem den Psoas entspannt.",
    (None, "Een korte inleiding over de adem."): "Eine kurze Einführung über den Atem.",
    (None, "Wat doet de psoas?"): "Was macht der Psoas?",
}
FUZZY_MSGID = "De psoas verbindt de wervelkolom met de benen."
UNTRANSLATED_MSGID = "Ga liggen en adem rustig uit."


def snapshot(root: Path) -> dict[str, str]:
    """Every file below root (symbolic links as their target) with the hash of its bytes."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[rel] = "link:" + os.readlink(path)
        elif path.is_file():
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


class Server:
    """`toolkit serve --port 0` in a subprocess, and what the tests expect of the project."""

    def __init__(self, root: Path, log: Path, args: tuple[str, ...] = ()) -> None:
        self.root = root
        self.log = log
        self.expected = snapshot(root)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "toolkit.cli", "--project", str(root), "serve", "--port", "0", *args],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=log.open("wb"),
            text=True,
        )
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: lines.put(self.proc.stdout.readline()), daemon=True).start()  # type: ignore[union-attr]
        try:
            first = lines.get(timeout=30)
        except queue.Empty:
            self.stop()
            pytest.fail(f"toolkit serve printed no address in 30 s:\n{log.read_text()}")
        match = re.search(r"http://[\w.:\[\]]+?:(\d+)/(\S*)", first)
        if not match:
            self.stop()
            pytest.fail(f"no address in {first!r}:\n{log.read_text()}")
        self.first_line = first
        self.port = int(match.group(1))
        self.url = f"http://127.0.0.1:{self.port}"

    def get(self, path: str, host: str | None = None) -> tuple[int, bytes, dict[str, str]]:
        """A raw request: the path goes out exactly as given, no client normalises it."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.putrequest("GET", path, skip_host=host is not None, skip_accept_encoding=True)
            if host is not None:
                conn.putheader("Host", host)
            conn.endheaders()
            response = conn.getresponse()
            return (
                response.status,
                response.read(),
                {k.lower(): v for k, v in response.getheaders()},
            )
        finally:
            conn.close()

    def write_catalog(self, po: polib.POFile, path: Path) -> None:
        po.save(str(path))
        self.expected[path.relative_to(self.root).as_posix()] = hashlib.sha256(
            path.read_bytes()
        ).hexdigest()

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # what Ctrl+C does
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("serve")
    root = base / "project"
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("root:x:0:0:secret outside the project\n", encoding="utf-8")
    root.mkdir()
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    (root / "sources" / "img").mkdir(parents=True)
    shutil.copy(
        REPO / "sources" / "img" / "loop-van-psoas.svg", root / "sources" / "img" / "psoas.svg"
    )
    (root / "sources" / "adem.md").write_text(ARTICLE, encoding="utf-8")
    # Ways out of the project that must stay closed: a file link and a folder link.
    (root / "sources" / "img" / "escape.svg").symlink_to(outside / "secret.txt")
    (root / "sources" / "up").symlink_to(outside, target_is_directory=True)
    assert main(["--project", str(root), "update"]) == 0
    de = po_path(load_config(root), "de", "adem")
    po = polib.pofile(str(de))
    for entry in po:
        if (entry.msgctxt, entry.msgid) in GERMAN:
            entry.msgstr = GERMAN[(entry.msgctxt, entry.msgid)]
        elif entry.msgid == FUZZY_MSGID:
            entry.msgstr = "Der Psoas verbindet die Wirbelsäule mit den Beinen."
            entry.flags.append("fuzzy")
    po.save(str(de))
    srv = Server(root, base / "server.log")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(
            "/usr/bin/chromium is not installed (apt-get install chromium; scripts/system-deps --test)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1360, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    requests: list[str] = []
    failed: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    # Leaving a page aborts what it still loads (the live-reload stream never ends by itself):
    # that is no failure; anything else is.
    pg.on(
        "requestfailed",
        lambda r: "ERR_ABORTED" in (r.failure or "") or failed.append(f"{r.url} {r.failure}"),
    )
    pg.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    pg.requests, pg.failed = requests, failed  # type: ignore[attr-defined]
    yield pg
    context.close()
    # Nothing from anywhere but this server: no CDN, works offline.
    outside = [
        u for u in requests if not u.startswith((server.url + "/", "data:", "blob:" + server.url))
    ]
    assert not outside, outside


def status_json(root: Path) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "--project", str(root), "status", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_dashboard_shows_the_figures_of_status_json(
    page: Any, server: Server, tmp_path: Path
) -> None:
    page.goto(server.url + "/")
    status = status_json(server.root)
    assert status["catalogs"], status
    for row in status["catalogs"]:
        cell = page.locator(
            f'tr[data-domain="{row["domain"]}"] td[data-lang="{row["lang"]}"] a.figure'
        )
        assert json.loads(cell.get_attribute("data-progress")) == row
        # The numbers a person reads, too.
        text = cell.inner_text()
        assert f"{row['translated']} translated" in text, text
        assert f"{row['fuzzy']} fuzzy" in text, text
        assert f"{row['untranslated']} to do" in text, text
        assert f"{row['words_translated']} of {row['words']} words" in text, text
        percent = 100 * row["words_translated"] / row["words"] if row["words"] else 100
        assert f"{percent:.0f} %" in text, text  # rounded as `toolkit status` prints it
    for total in status["total"]:
        card = page.locator(f'.card.total[data-lang="{total["lang"]}"]')
        assert json.loads(card.get_attribute("data-progress")) == total
    german = next(r for r in status["catalogs"] if r["domain"] == "adem" and r["lang"] == "de")
    assert (german["translated"], german["fuzzy"]) == (4, 1)  # what the fixture wrote
    assert page.locator(".live.on").count() == 1  # the live-reload stream is connected
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    shutil.copy(tmp_path / "dashboard.png", SCREENSHOTS / "serve-dashboard.png")
    assert not page.failed, page.failed


def test_german_preview_then_live_reload_after_a_catalog_edit(
    page: Any, server: Server, tmp_path: Path
) -> None:
    page.goto(server.url + "/")
    page.locator('tr[data-domain="adem"] td[data-lang="de"] a.chip', has_text="handout").click()
    page.wait_for_url("**/preview/adem/de/handout")
    frame = page.frame_locator("iframe.doc")
    body = frame.locator("body")
    body.get_by_text("Atem und der Psoas").first.wait_for()
    assert "Eine kurze Einführung über den Atem." in body.inner_text()
    # An untranslated unit falls back to Dutch and says so with its lang attribute.
    assert frame.locator('[lang="nl"]', has_text=UNTRANSLATED_MSGID).count() >= 1
    # The layouts' CSS and fonts came through /layouts/, the image through /sources/.
    doc = page.frame(url=re.compile(r".*/render/adem/de/handout$"))
    assert doc is not None
    assert doc.evaluate("getComputedStyle(document.querySelector('h1')).color") == "rgb(47, 93, 80)"
    doc.wait_for_function("document.fonts.status === 'loaded'")
    assert doc.evaluate("document.fonts.check('16px Vollkorn')")
    assert doc.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    assert doc.evaluate("document.images.length") >= 1
    assert any("/layouts/fonts/" in u for u in page.requests)
    assert any("/sources/img/psoas.svg" in u for u in page.requests)
    status_line = page.locator(".status-line").inner_text().lower()
    assert "draft" in status_line and "6 of 10 units" in status_line and "1 fuzzy" in status_line
    page.wait_for_selector(".live.on")
    page.screenshot(path=str(tmp_path / "preview.png"))
    shutil.copy(tmp_path / "preview.png", SCREENSHOTS / "serve-preview.png")

    # A translator saves the catalog: the preview changes by itself, nobody calls reload.
    path = po_path(load_config(server.root), "de", "adem")
    po = polib.pofile(str(path))
    po.find("Een korte inleiding over de adem.").msgstr = "Eine ganz neue Einführung, live."
    server.write_catalog(po, path)
    page.frame_locator("iframe.doc").get_by_text("Eine ganz neue Einführung, live.").wait_for(
        timeout=10_000
    )
    assert page.url.endswith("/preview/adem/de/handout")
    assert not page.failed, page.failed


def test_side_by_side_highlights_untranslated_and_fuzzy_with_locations(
    page: Any, server: Server, tmp_path: Path
) -> None:
    page.goto(server.url + "/translate/adem/de")
    config = load_config(server.root)
    catalog = read_catalog(config, po_path(config, "de", "adem"))
    assert catalog is not None
    fuzzy = page.locator("tr.unit.fuzzy")
    assert fuzzy.count() == 1
    text = fuzzy.inner_text()
    entry = catalog.lookup(None, FUZZY_MSGID)
    assert entry is not None and entry.po_line > 0
    assert FUZZY_MSGID in text and "Der Psoas verbindet" in text
    assert "sources/adem.md:11" in text
    assert f"locales/de/LC_MESSAGES/adem.po:{entry.po_line}" in text
    untranslated = page.locator("tr.unit.untranslated", has_text=UNTRANSLATED_MSGID)
    assert untranslated.count() == 1
    assert "sources/adem.md:17" in untranslated.inner_text()
    # The colours differ, so a translator sees what needs work at a glance.
    colours = {
        state: page.locator(f"tr.unit.{state} td.num").first.evaluate(
            "e => getComputedStyle(e).borderLeftColor"
        )
        for state in ("translated", "fuzzy", "untranslated")
    }
    assert len(set(colours.values())) == 3, colours
    page.locator("a.filter.untranslated").click()
    page.wait_for_url("**/translate/adem/de?show=untranslated")
    assert page.locator("tr.unit").count() == page.locator("tr.unit.untranslated").count() > 0
    page.locator("a.filter.todo").click()
    page.wait_for_url("**/translate/adem/de?show=todo")
    assert {"fuzzy", "untranslated"} == {
        row.get_attribute("data-state") for row in page.locator("tr.unit").all()
    }
    page.goto(server.url + "/translate/adem/de")
    page.screenshot(path=str(tmp_path / "compare.png"), full_page=True)
    shutil.copy(tmp_path / "compare.png", SCREENSHOTS / "serve-compare.png")
    assert not page.failed, page.failed


def test_download_button_gives_a_real_pdf(page: Any, server: Server) -> None:
    page.goto(server.url + "/preview/adem/de/handout")
    with page.expect_download(timeout=60_000) as info:
        page.locator("#download").click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages)
    assert "Atem und der Psoas" in text
    status, body, headers = server.get("/pdf/adem/de/handout")
    assert status == 200 and body.startswith(b"%PDF-")
    assert headers["content-type"] == "application/pdf"
    assert not (server.root / "output").exists()


@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",
        "/layouts/../../etc/passwd",
        "/sources/../../../etc/passwd",
        "/layouts/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/layouts/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/sources/%252e%252e/%252e%252e/etc/passwd",
        "/sources/%252e%252e%252fpyproject.toml",
        "/layouts//etc/passwd",
        "/layouts/%2fetc%2fpasswd",
        "/layouts/..%5c..%5cpyproject.toml",
        "/sources/img/escape.svg",
        "/sources/up/secret.txt",
        "/sources/%2e%2e/pyproject.toml",
        "/pyproject.toml",
        "/locales/de/LC_MESSAGES/adem.po",
        "/_serve/..%2fdata.py",
        "/render/..%2f..%2fetc%2fpasswd/de/handout",
        "/translate/..%2f..%2fetc%2fpasswd/de",
        "/pdf/adem/de/..%2f..%2fhandout",
    ],
)
def test_nothing_outside_the_project_folders_is_served(server: Server, path: str) -> None:
    status, body, _ = server.get(path)
    assert status == 404, (path, status, body[:200])
    assert b"root:" not in body and b"secret outside" not in body
    assert b"Traceback" not in body


def test_project_files_and_foreign_hosts(server: Server) -> None:
    status, body, headers = server.get("/layouts/base.css")
    assert status == 200 and b"@font-face" in body
    assert "default-src 'none'" in headers["content-security-policy"]
    status, body, _ = server.get("/sources/img/psoas.svg")
    assert status == 200 and b"<svg" in body
    # the brand's logo, set in pyproject.toml to a file in layouts/
    status, body, _ = server.get("/logo")
    assert status == 200 and b"<svg" in body
    status, _, headers = server.get("/")
    assert status == 200 and "default-src 'self'" in headers["content-security-policy"]
    # DNS rebinding: a page on another name that resolves to 127.0.0.1 gets nothing.
    status, body, _ = server.get("/", host="evil.example:80")
    assert status == 400 and b"adem" not in body


def test_a_broken_source_shows_an_error_panel_and_the_server_keeps_running(server: Server) -> None:
    broken = server.root / "sources" / "kapot.md"
    broken.write_text("---\ntitle: [unclosed\n---\n\nTekst.\n", encoding="utf-8")
    try:
        status, body, _ = server.get("/")
        html = body.decode()
        assert status == 200
        assert 'class="panel error"' in html and "sources/kapot.md" in html
        assert "Adem en de psoas" in html  # the other articles are still there
        status, body, _ = server.get("/preview/kapot/de/handout")
        assert status == 422
        assert re.search(r"sources/kapot\.md:\d+: error:", body.decode()), body.decode()
        assert b"Traceback" not in body
    finally:
        broken.unlink()
    status, body, _ = server.get("/preview/adem/de/handout")
    assert status == 200


def test_the_server_changed_no_file(server: Server) -> None:
    assert server.stop() == 0
    assert snapshot(server.root) == server.expected
    assert not (server.root / "output").exists()
