"""The renderer's floor: WeasyPrint alone laying out and writing the final HTML of documents a build
wrote, each once, in one process with one FontConfiguration and one image cache (as each of the
build's workers has).

    python bench/floor.py CAPTURES OUT [NAME ...]

CAPTURES is the folder a build filled with TOOLKIT_CAPTURE_LAYOUT set (toolkit/render/document.py):
one <lang>/<folder>/<file>.floor.json per PDF, holding the HTML of the layout written, its base URL
and dpi, and how the PDF was written. NAME limits the run to those files (relative to CAPTURES).
Each PDF goes to OUT under the same relative path; stdout is one JSON object: seconds spent in
start-up (imports, fonts), and per document in the layout and in the write.

Written with the toolkit's own `finish`: the same pages kept (a booklet's spare note pages), the
same `write_pdf` options (PDF variant, tags, a PDF/X's dates and ID), so the file is the build's,
byte for byte, and nothing of the toolkit runs but that call around `Document.write_pdf`.
"""

from __future__ import annotations

import json
import sys
import time

started = time.perf_counter()

from pathlib import Path  # noqa: E402

from weasyprint import HTML, URLFetcher  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

from toolkit.render.pdf import finish  # noqa: E402


def main() -> None:
    captures, out = Path(sys.argv[1]), Path(sys.argv[2])
    names = sys.argv[3:] or sorted(str(p.relative_to(captures)) for p in captures.rglob("*.floor.json"))
    # Files only, as the build's fetcher: an address elsewhere is refused, never fetched.
    fetcher = URLFetcher(allowed_protocols=("file",), allow_redirects=False, timeout=1)
    font_config = FontConfiguration()
    cache: dict[str, object] = {}
    startup = time.perf_counter() - started
    docs = {}
    for name in names:
        c = json.loads((captures / name).read_text(encoding="utf-8"))
        t0 = time.perf_counter()
        laid = HTML(string=c["html"], base_url=c["base_url"], url_fetcher=fetcher).render(
            font_config=font_config, cache=cache, dpi=c["dpi"]
        )
        t1 = time.perf_counter()
        pdf, pages = finish(laid, pad_to=c["pad_to"], variant=c["variant"], tags=c["tags"], date=c["date"])
        t2 = time.perf_counter()
        target = out / name.removesuffix(".floor.json")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pdf)
        docs[name] = {"layout": t1 - t0, "write": t2 - t1, "pages": pages}
    json.dump({"startup": startup, "documents": docs}, sys.stdout)


if __name__ == "__main__":
    main()
