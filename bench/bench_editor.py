"""Benchmark the editor in `toolkit serve`: how long a save takes, and how long until the printed
page of the unit is there again.

    python bench/bench_editor.py [--saves 10] [--article psoas-en-stress] [--lang de] [--fmt handout]

A copy of the shipped project is served by the real command (`toolkit serve --port 0`) and one
unit of the article is saved `--saves` times over HTTP, as the editor page does: GET /api/entry for
its base, POST /api/entry, then GET /api/page (the PDF is built again with the new text and the
unit found in it) and the page's PNG. The first page after start (cold fonts) is reported on its
own. Medians and maxima go to bench/results/editor.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work" / "editor"
RESULTS = ROOT / "bench" / "results" / "editor.json"


def call(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read(), {k.lower(): v for k, v in response.getheaders()}
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saves", type=int, default=10)
    parser.add_argument("--article", default="psoas-en-stress")
    parser.add_argument("--lang", default="de")
    parser.add_argument("--fmt", default="handout")
    args = parser.parse_args()

    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    for name in ("sources", "locales", "layouts"):
        shutil.copytree(ROOT / name, WORK / name)
    shutil.copy(ROOT / "pyproject.toml", WORK / "pyproject.toml")
    server = subprocess.Popen(
        [sys.executable, "-m", "toolkit.cli", "--project", str(WORK), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        port = int(re.search(r":(\d+)/", server.stdout.readline()).group(1))  # type: ignore[union-attr]
        sys.path.insert(0, str(ROOT))
        from toolkit.catalogs.files import po_path, read_catalog
        from toolkit.config import load_config

        config = load_config(WORK)
        catalog = read_catalog(config, po_path(config, args.lang, args.article))
        assert catalog is not None
        entry = next(e for e in catalog.active if e.translated and len(e.msgid) > 60)
        key = {"slug": args.article, "lang": args.lang, "msgid": entry.msgid}
        if entry.msgctxt is not None:
            key["msgctxt"] = entry.msgctxt
        page_query = urlencode({**key, "fmt": args.fmt})

        start = time.perf_counter()
        status, body, _ = call(port, "GET", "/api/page?" + page_query)
        assert status == 200, body
        cold = time.perf_counter() - start

        saves, pages, images, totals = [], [], [], []
        for n in range(args.saves):
            status, body, headers = call(port, "GET", "/api/entry?" + urlencode(key))
            stored = json.loads(body)
            fields = {**key, "msgctxt": entry.msgctxt, "msgstr": f"{entry.msgstr} ({n})"}
            fields.update({"fuzzy": False, "base": stored["base"]})
            sent = {"Content-Type": "application/json", "X-CSRF-Token": headers["x-csrf-token"]}
            t0 = time.perf_counter()
            status, body, _ = call(port, "POST", "/api/entry", json.dumps(fields).encode(), sent)
            t1 = time.perf_counter()
            assert status == 200, body
            status, body, _ = call(port, "GET", "/api/page?" + page_query)
            t2 = time.perf_counter()
            assert status == 200, body
            status, png, _ = call(port, "GET", json.loads(body)["image"])
            t3 = time.perf_counter()
            assert status == 200 and png.startswith(b"\x89PNG")
            saves.append(t1 - t0)
            pages.append(t2 - t1)
            images.append(t3 - t2)
            totals.append(t3 - t0)
    finally:
        server.terminate()
        server.wait(timeout=30)

    def ms(values: list[float]) -> dict[str, float]:
        return {"median_ms": round(1000 * statistics.median(values)), "max_ms": round(1000 * max(values))}

    result = {
        "article": args.article,
        "lang": args.lang,
        "format": args.fmt,
        "saves": args.saves,
        "cpus": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "first_page_after_start_ms": round(1000 * cold),
        "save": ms(saves),
        "page_located_after_save": ms(pages),
        "page_image": ms(images),
        "save_to_page_image": ms(totals),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
