"""The editor's JSON API over real HTTP against `toolkit serve` in a subprocess: every status code,
the lost-update cases (Poedit, `toolkit update`, a second tab), two writers at once, a save racing
`toolkit update`, a read-only server and one on the network that needs its access token."""

from __future__ import annotations

import fcntl
import http.client
import json
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import polib
import pytest
from conftest import REPO, msgfmt_check
from test_serve import ARTICLE, Server

from toolkit.catalogs.files import read_catalog
from toolkit.cli import main
from toolkit.config import load_config

REST = """\
---
title: Rust
---

Ga liggen en adem rustig uit.

Ga op je rug liggen en adem rustig uit.
"""
GLOSSARY = "term,pos,note,flags,en,de\npsoas,noun,the muscle,,psoas,Psoas\n"
UNTRANSLATED = "Ga liggen en adem rustig uit."
HEADING = "Wat doet de psoas?"


def request(
    server: Server,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any, dict[str, str]]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        head = {k.lower(): v for k, v in response.getheaders()}
    finally:
        conn.close()
    if head.get("content-type", "").startswith("application/json"):
        return response.status, json.loads(data), head
    return response.status, data, head


def entry_url(slug: str, lang: str, msgid: str, msgctxt: str | None = None) -> str:
    query = {"slug": slug, "lang": lang, "msgid": msgid}
    if msgctxt is not None:
        query["msgctxt"] = msgctxt
    return "/api/entry?" + urlencode(query)


class Client:
    """What the editor page does: read an entry, save it with the base it read."""

    def __init__(self, server: Server) -> None:
        self.server = server
        status, _, headers = request(server, "GET", entry_url("adem", "de", HEADING))
        assert status == 200
        self.csrf = headers["x-csrf-token"]

    def get(
        self, msgid: str, msgctxt: str | None = None, slug: str = "adem", lang: str = "de"
    ) -> Any:
        status, data, _ = request(self.server, "GET", entry_url(slug, lang, msgid, msgctxt))
        assert status == 200, data
        return data

    def post(
        self, fields: dict[str, Any], headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        sent = {
            "Content-Type": "application/json",
            "X-CSRF-Token": self.csrf,
            "Origin": self.server.url,
            **(headers or {}),
        }
        status, data, _ = request(
            self.server, "POST", "/api/entry", json.dumps(fields).encode(), sent
        )
        return status, data

    def save(
        self, msgid: str, msgstr: str, *, base: str | None = None, fuzzy: bool = False, **extra: Any
    ) -> tuple[int, Any]:
        fields = {
            "slug": "adem",
            "lang": "de",
            "msgctxt": None,
            "msgid": msgid,
            "msgstr": msgstr,
            "fuzzy": fuzzy,
        }
        fields["base"] = base if base is not None else self.get(msgid, fields["msgctxt"])["base"]
        fields.update(extra)
        return self.post(fields)


def make_project(root: Path) -> Path:
    root.mkdir()
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    (root / "sources" / "img").mkdir(parents=True)
    shutil.copy(
        REPO / "sources" / "img" / "loop-van-psoas.svg", root / "sources" / "img" / "psoas.svg"
    )
    (root / "sources" / "adem.md").write_text(ARTICLE, encoding="utf-8")
    (root / "sources" / "rust.md").write_text(REST, encoding="utf-8")
    (root / "locales").mkdir()
    (root / "locales" / "glossary.csv").write_text(GLOSSARY, encoding="utf-8")
    assert main(["--project", str(root), "update"]) == 0
    po_file = po(root, "rust")
    catalog = polib.pofile(str(po_file))
    catalog.find(
        "Ga op je rug liggen en adem rustig uit."
    ).msgstr = "Leg dich auf den Rücken und atme ruhig aus."
    catalog.save(str(po_file))
    return root


def po(root: Path, slug: str, lang: str = "de") -> Path:
    return root / "locales" / lang / "LC_MESSAGES" / f"{slug}.po"


def stored(root: Path, msgid: str, msgctxt: str | None = None, slug: str = "adem") -> Any:
    config = load_config(root)
    catalog = read_catalog(config, po(root, slug))
    assert catalog is not None
    return catalog.lookup(msgctxt, msgid)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("api")
    srv = Server(make_project(base / "project"), base / "server.log")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def client(server: Server) -> Client:
    return Client(server)


def test_get_answers_the_entry_with_glossary_memory_checks_and_its_version(client: Client) -> None:
    entry = client.get(UNTRANSLATED)
    assert set(entry) >= {
        "msgid",
        "msgctxt",
        "msgstr",
        "fuzzy",
        "previous_msgid",
        "comments",
        "glossary",
        "memory",
        "checks",
        "base",
    }
    assert entry["msgstr"] == "" and entry["fuzzy"] is False and entry["msgctxt"] is None
    assert entry["comments"]["extracted"] == ["paragraph"]
    # A near match from another article's catalog, with its score and where it came from.
    [near] = entry["memory"]
    assert near["target"] == "Leg dich auf den Rücken und atme ruhig aus."
    assert near["origin"] == "locales/de/LC_MESSAGES/rust.po" and 75 <= near["score"] < 100
    assert not near["exact"]
    heading = client.get(HEADING)
    assert heading["glossary"] == [
        {
            "term": "psoas",
            "translation": "Psoas",
            "note": "the muscle",
            "forbidden": [],
            "read_only": False,
        }
    ]
    title = client.get("Adem en de psoas", "title")
    assert title["msgctxt"] == "title" and re.fullmatch(r"[0-9a-f]{20}", title["base"])


@pytest.mark.parametrize(
    "query",
    [
        {"slug": "nergens", "lang": "de", "msgid": HEADING},
        {"slug": "../pyproject", "lang": "de", "msgid": HEADING},
        {"slug": "adem/../adem", "lang": "de", "msgid": HEADING},
        {"slug": ".toolkit", "lang": "de", "msgid": HEADING},
        {"slug": "adem", "lang": "nl", "msgid": HEADING},  # the source language is not edited here
        {"slug": "adem", "lang": "fr", "msgid": HEADING},
        {"slug": "adem", "lang": "../de", "msgid": HEADING},
        {"slug": "adem", "lang": "de", "msgid": "Bestaat niet."},
        {"slug": "adem", "lang": "de", "msgid": "", "msgctxt": ""},
        {"slug": "adem", "lang": "de", "msgid": HEADING, "msgctxt": "title"},
    ],
)
def test_get_is_404_for_anything_that_is_not_an_entry_of_a_target_catalog(
    server: Server, query: dict[str, str]
) -> None:
    status, data, _ = request(server, "GET", "/api/entry?" + urlencode(query))
    assert status == 404, data
    assert data["error"] == "not_found" and "Traceback" not in data["message"]


def test_get_without_a_msgid_is_400(server: Server) -> None:
    status, data, _ = request(server, "GET", "/api/entry?slug=adem&lang=de")
    assert status == 400 and "msgid" in data["message"]


def test_a_write_needs_the_csrf_token_and_our_own_origin(server: Server, client: Client) -> None:
    before = po(server.root, "adem").read_bytes()
    base = client.get(HEADING)["base"]
    fields = {
        "slug": "adem",
        "lang": "de",
        "msgctxt": None,
        "msgid": HEADING,
        "msgstr": "Böse",
        "fuzzy": False,
        "base": base,
    }
    body = json.dumps(fields).encode()
    for headers in (
        {"Content-Type": "application/json"},
        {"Content-Type": "application/json", "X-CSRF-Token": "guessed"},
        {
            "Content-Type": "application/json",
            "X-CSRF-Token": client.csrf,
            "Origin": "http://evil.example",
        },
        {
            "Content-Type": "application/json",
            "X-CSRF-Token": client.csrf,
            "Origin": "http://127.0.0.1:1",
        },
        {
            "Content-Type": "application/json",
            "X-CSRF-Token": client.csrf,
            "Sec-Fetch-Site": "cross-site",
        },
    ):
        status, data, _ = request(server, "POST", "/api/entry", body, headers)
        assert status == 403, (headers, data)
    assert po(server.root, "adem").read_bytes() == before
    # The page's token is in its <meta>, the same as the API's header.
    status, page, _ = request(server, "GET", "/edit/adem/de")
    assert status == 200
    assert f'<meta name="csrf-token" content="{client.csrf}">'.encode() in page


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b'{"slug": "adem"}', "application/json", 400),
        (b"\xff\xfe", "application/json", 400),
        (
            json.dumps(
                {
                    "slug": "adem",
                    "lang": "de",
                    "msgctxt": None,
                    "msgid": HEADING,
                    "msgstr": "x",
                    "fuzzy": "yes",
                    "base": "x",
                }
            ).encode(),
            "application/json",
            400,
        ),
        (b'{"slug": "adem"}', "text/plain", 400),
        (b"{" + b" " * (300 * 1024) + b"}", "application/json", 413),
    ],
)
def test_malformed_and_oversized_bodies(
    server: Server, client: Client, body: bytes, content_type: str, status: int
) -> None:
    headers = {"Content-Type": content_type, "X-CSRF-Token": client.csrf, "Origin": server.url}
    got, data, _ = request(server, "POST", "/api/entry", body, headers)
    assert got == status, data
    assert data["error"] in ("bad_request", "too_large")


def test_a_save_of_an_unknown_article_language_or_entry_is_404(
    server: Server, client: Client
) -> None:
    base = client.get(HEADING)["base"]
    before = {p: p.read_bytes() for p in (server.root / "locales").rglob("*.po")}
    for extra in (
        {"slug": "nergens"},
        {"slug": "../../etc/passwd"},
        {"lang": "nl"},
        {"lang": "xx"},
        {"msgctxt": "title"},
    ):
        status, data = client.save(HEADING, "Text", base=base, **extra)
        assert status == 404, (extra, data)
    status, data = client.save("Bestaat niet.", "Text", base=base)
    assert status == 404, data
    assert {p: p.read_bytes() for p in (server.root / "locales").rglob("*.po")} == before
    assert not (server.root / "locales" / "nl" / "LC_MESSAGES" / "adem.po").exists()


def test_a_save_lands_changing_only_its_entry_and_answers_the_findings(
    server: Server, client: Client
) -> None:
    path = po(server.root, "adem")
    old = path.read_text(encoding="utf-8")
    status, data = client.save(UNTRANSLATED, "Leg dich hin und atme 3 Mal ruhig aus.")
    assert status == 200, data
    assert data["state"] == "translated" and data["written"]
    # The findings of `toolkit check` for this entry: the source has no number 3, the
    # translation does, and the checks look at it the other way round: nothing here.
    assert data["checks"] == []
    new = path.read_text(encoding="utf-8")
    a, b = old.split("\n\n"), new.split("\n\n")
    assert len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1
    msgfmt_check(path)
    assert stored(server.root, UNTRANSLATED).msgstr == "Leg dich hin und atme 3 Mal ruhig aus."
    assert client.get(UNTRANSLATED)["base"] == data["base"]
    # A finding comes back at once.
    status, data = client.save("Knieën omhoog", "**Knie** hoch")
    assert status == 200
    assert [f["rule"] for f in data["checks"]] == ["markup"]


def test_a_stale_base_is_409_with_the_stored_entry_and_nothing_is_overwritten(
    server: Server, client: Client
) -> None:
    opened = client.get(HEADING)
    # Poedit saves the same entry meanwhile.
    path = po(server.root, "adem")
    catalog = polib.pofile(str(path))
    catalog.find(HEADING).msgstr = "Was macht der Psoas? (Poedit)"
    catalog.save(str(path))
    data_before = path.read_bytes()
    status, data = client.save(HEADING, "Was tut der Psoas?", base=opened["base"])
    assert status == 409, data
    assert data["error"] == "conflict"
    assert data["entry"]["msgstr"] == "Was macht der Psoas? (Poedit)"
    assert data["entry"]["base"] != opened["base"]
    assert path.read_bytes() == data_before
    # The translator keeps theirs: saved over the stored version, knowingly.
    status, data = client.save(HEADING, "Was tut der Psoas?", base=data["entry"]["base"])
    assert status == 200 and stored(server.root, HEADING).msgstr == "Was tut der Psoas?"


def test_poedit_saving_another_entry_meanwhile_loses_nothing(
    server: Server, client: Client
) -> None:
    opened = client.get("Voeten plat op de grond")
    path = po(server.root, "adem")
    catalog = polib.pofile(str(path), wrapwidth=40)  # and with its own line wrapping
    catalog.find("Knieën omhoog").msgstr = "Knie hoch (Poedit)"
    catalog.save(str(path))
    status, data = client.save(
        "Voeten plat op de grond", "Füße flach auf den Boden", base=opened["base"]
    )
    assert status == 200, data
    assert stored(server.root, "Knieën omhoog").msgstr == "Knie hoch (Poedit)"
    assert stored(server.root, "Voeten plat op de grond").msgstr == "Füße flach auf den Boden"
    msgfmt_check(path)


def test_an_entry_that_update_filled_meanwhile_is_409(server: Server, client: Client) -> None:
    root = server.root
    opened = client.get("Ga liggen en adem rustig uit.", slug="rust")
    assert opened["msgstr"] == ""
    # Another article's translation of the same text reaches the memory; `toolkit update` fills
    # the entry the translator has open.
    status, _ = client.save(UNTRANSLATED, "Leg dich hin und atme ruhig aus.")
    assert status == 200
    assert main(["--project", str(root), "update"]) == 0
    assert stored(root, UNTRANSLATED, slug="rust").msgstr == "Leg dich hin und atme ruhig aus."
    status, data = client.save(UNTRANSLATED, "Mein eigener Text", base=opened["base"], slug="rust")
    assert status == 409 and data["entry"]["msgstr"] == "Leg dich hin und atme ruhig aus."
    assert stored(root, UNTRANSLATED, slug="rust").msgstr == "Leg dich hin und atme ruhig aus."


def test_two_tabs_saving_different_entries_both_land(server: Server, client: Client) -> None:
    msgids = [
        "Voeten plat op de grond",
        "Knieën omhoog",
        HEADING,
        "Een korte inleiding over de adem.",
    ]
    bases = {m: client.get(m)["base"] for m in msgids}
    gate = threading.Barrier(len(msgids))
    results: dict[str, tuple[int, Any]] = {}

    def tab(msgid: str) -> None:
        gate.wait()
        results[msgid] = client.save(msgid, f"Tab für {msgid}", base=bases[msgid])

    threads = [threading.Thread(target=tab, args=(m,)) for m in msgids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {m: r[0] for m, r in results.items()} == dict.fromkeys(msgids, 200), results
    for m in msgids:
        assert stored(server.root, m).msgstr == f"Tab für {m}"
    msgfmt_check(po(server.root, "adem"))


def test_two_tabs_saving_the_same_entry_one_wins_the_other_is_told(
    server: Server, client: Client
) -> None:
    base = client.get("Knieën omhoog")["base"]
    gate = threading.Barrier(2)
    results: list[tuple[int, Any, str]] = []

    def tab(text: str) -> None:
        gate.wait()
        status, data = client.save("Knieën omhoog", text, base=base)
        results.append((status, data, text))

    threads = [threading.Thread(target=tab, args=(t,)) for t in ("Erste", "Zweite")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r[0] for r in results) == [200, 409], results
    winner = next(r[2] for r in results if r[0] == 200)
    loser = next(r[1] for r in results if r[0] == 409)
    assert loser["entry"]["msgstr"] == winner == stored(server.root, "Knieën omhoog").msgstr


def test_a_save_waits_for_update_and_answers_503_when_it_takes_too_long(
    server: Server, client: Client
) -> None:
    lock = server.root / "locales" / ".toolkit.lock"
    base = client.get("Voeten plat op de grond")["base"]
    before = po(server.root, "adem").read_bytes()
    with open(lock, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # what a long `toolkit update` does
        started = time.monotonic()
        status, data, headers = request(
            server,
            "POST",
            "/api/entry",
            json.dumps(
                {
                    "slug": "adem",
                    "lang": "de",
                    "msgctxt": None,
                    "msgid": "Voeten plat op de grond",
                    "msgstr": "Später",
                    "fuzzy": False,
                    "base": base,
                }
            ).encode(),
            {"Content-Type": "application/json", "X-CSRF-Token": client.csrf},
        )
        waited = time.monotonic() - started
    assert status == 503 and headers["retry-after"] == "2" and data["error"] == "busy", data
    assert waited >= 2.5  # it waited for the update before giving up
    assert po(server.root, "adem").read_bytes() == before
    status, data = client.save("Voeten plat op de grond", "Später", base=base)
    assert status == 200


def test_a_save_racing_toolkit_update_loses_nothing(server: Server, client: Client) -> None:
    root = server.root
    for n in range(40):  # enough articles that an update takes a while
        body = "\n\n".join(
            f"Alinea {k} van artikel {n} over de psoas en de adem." for k in range(30)
        )
        (root / "sources" / f"extra-{n:02}.md").write_text(
            f"---\ntitle: Extra {n}\n---\n\n{body}\n", encoding="utf-8"
        )
    assert main(["--project", str(root), "update"]) == 0
    # The author adds a paragraph: update has something to write into adem.po as well.
    source = root / "sources" / "adem.md"
    source.write_text(
        source.read_text(encoding="utf-8") + "\nEen nieuwe alinea.\n", encoding="utf-8"
    )
    msgids = [
        "Voeten plat op de grond",
        "Knieën omhoog",
        HEADING,
        "Een korte inleiding over de adem.",
        UNTRANSLATED,
    ]
    saved: dict[str, str] = {}
    outcomes: list[int] = []
    update = subprocess.Popen(
        [sys.executable, "-m", "toolkit.cli", "--project", str(root), "update"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    during = 0
    n = 0
    while update.poll() is None or n < len(msgids):
        msgid = msgids[n % len(msgids)]
        text = f"Race {n}"
        running = update.poll() is None
        status, data = client.save(msgid, text)
        outcomes.append(status)
        assert status in (200, 503), data
        if status == 200:
            saved[msgid] = text
            during += running
        n += 1
        if n > 400:
            break
    _, err = update.communicate(timeout=120)
    assert update.returncode == 0, err.decode()
    assert during >= 1, "no save landed while update ran: the test proved nothing"
    for msgid, text in saved.items():
        assert stored(root, msgid).msgstr == text  # no save was lost to the update
    assert stored(root, "Een nieuwe alinea.") is not None  # nor the update's work to a save
    msgfmt_check(po(root, "adem"))


def test_a_read_only_server_refuses_to_write(tmp_path: Path) -> None:
    srv = Server(make_project(tmp_path / "project"), tmp_path / "server.log", ("--read-only",))
    try:
        status, data, headers = request(srv, "GET", entry_url("adem", "de", HEADING))
        assert status == 200
        body = json.dumps(
            {
                "slug": "adem",
                "lang": "de",
                "msgctxt": None,
                "msgid": HEADING,
                "msgstr": "x",
                "fuzzy": False,
                "base": data["base"],
            }
        )
        status, data, _ = request(
            srv,
            "POST",
            "/api/entry",
            body.encode(),
            {"Content-Type": "application/json", "X-CSRF-Token": headers["x-csrf-token"]},
        )
        assert status == 403 and data["error"] == "read_only"
        status, page, _ = request(srv, "GET", "/edit/adem/de")
        assert status == 200 and b'name="csrf-token"' not in page and b"readonly" in page
        status, board, _ = request(srv, "GET", "/")
        assert b'href="/translate/adem/de"' in board and b"/edit/" not in board
    finally:
        srv.stop()
    assert srv.expected == __import__("test_serve").snapshot(srv.root)


def test_on_the_network_every_request_needs_the_printed_token(tmp_path: Path) -> None:
    srv = Server(make_project(tmp_path / "project"), tmp_path / "server.log", ("--host", "0.0.0.0"))
    try:
        match = re.search(r"\?token=([\w-]+)", srv.first_line)
        assert match, srv.first_line
        token = match.group(1)
        time.sleep(0.2)
        assert "access token" in srv.log.read_text()
        for path in (
            "/",
            "/edit/adem/de",
            "/_serve/app.css",
            "/events",
            entry_url("adem", "de", HEADING),
        ):
            status, body, _ = request(srv, "GET", path)
            assert status == 403, path
        status, body, _ = request(srv, "GET", "/api/entry?slug=adem&lang=de&msgid=x")
        assert body["error"] == "forbidden" and "token" in body["message"]
        # A tool sends the token with each API call: no redirect, no cookie needed.
        status, body, _ = request(srv, "GET", entry_url("adem", "de", HEADING) + f"&token={token}")
        assert status == 200 and body["msgid"] == HEADING
        status, body, _ = request(srv, "GET", "/?token=wrong")
        assert status == 403 and b"access token" in body
        status, _, headers = request(srv, "GET", f"/edit/adem/de?token={token}")
        assert status == 303 and headers["location"] == "/edit/adem/de"
        cookie = headers["set-cookie"].split(";")[0]
        assert "HttpOnly" in headers["set-cookie"] and token in cookie
        status, page, _ = request(srv, "GET", "/edit/adem/de", headers={"Cookie": cookie})
        assert status == 200
        csrf = re.search(rb'name="csrf-token" content="([^"]+)"', page).group(1).decode()
        status, entry, _ = request(
            srv, "GET", entry_url("adem", "de", HEADING), headers={"Cookie": cookie}
        )
        fields = {
            "slug": "adem",
            "lang": "de",
            "msgctxt": None,
            "msgid": HEADING,
            "msgstr": "Netz",
            "fuzzy": False,
            "base": entry["base"],
        }
        headers = {"Content-Type": "application/json", "X-CSRF-Token": csrf}
        status, _, _ = request(srv, "POST", "/api/entry", json.dumps(fields).encode(), headers)
        assert status == 403  # the CSRF token alone is not enough off loopback
        status, data, _ = request(
            srv, "POST", "/api/entry", json.dumps(fields).encode(), {**headers, "Cookie": cookie}
        )
        assert status == 200, data
    finally:
        srv.stop()
