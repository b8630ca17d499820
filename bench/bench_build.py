"""Benchmark `toolkit build` on the shipped project: cold, warm (nothing changed), one catalog changed,
and the same PDFs rendered one process per document (the way pandoc --pdf-engine=weasyprint runs);
and the renderer's floor: WeasyPrint alone laying out and writing each PDF's final HTML once
(bench/floor.py), so the build's overhead over it is a ratio.

    python bench/bench_build.py [--runs 3]

Works on a copy of the project under bench/work/build/, so output/ of the checkout is untouched.
Reports medians of several runs, pages per second, peak memory (largest process) and ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polib
from launch import figures, launched
from pypdf import PdfReader
from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "bench" / "work" / "build"
RESULTS = REPO / "bench" / "results" / "build.json"
TOOLKIT = [sys.executable, "-m", "toolkit.cli"]
FLOOR = [sys.executable, str(REPO / "bench" / "floor.py")]
CAPTURE_ENV = "TOOLKIT_CAPTURE_LAYOUT"  # toolkit/render/document.py
GOAL = 1.2  # the build at most this much slower than WeasyPrint alone
console = Console()


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float


def copy_project() -> Path:
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    for name in ("sources", "locales", "layouts"):
        shutil.copytree(REPO / name, WORK / name)
    shutil.copy(REPO / "pyproject.toml", WORK / "pyproject.toml")
    return WORK


def timed(cmd: list[str], cwd: Path) -> Run:
    """Wall time of a command, and the peak RSS of the largest process in its tree (as launch.py
    reads them: the maximum over the process and the children it waited for)."""
    return timed_together([cmd], cwd)[0]


def timed_together(
    cmds: Sequence[list[str]], cwd: Path, env: dict[str, str] | None = None
) -> tuple[Run, list[str]]:
    """Commands started together, each by launch.py: the wall time until the last ends, the
    largest peak RSS, and each one's stdout."""
    outs = [(WORK / f".stdout-{i}").open("w+b") for i in range(len(cmds))]
    measured = [WORK / f".measured-{i}" for i in range(len(cmds))]
    start = time.perf_counter()
    procs = [
        subprocess.Popen(launched(figures_at, cmd), cwd=cwd, stdout=out, stderr=subprocess.DEVNULL, env=env)
        for cmd, out, figures_at in zip(cmds, outs, measured, strict=True)
    ]
    for proc, cmd in zip(procs, cmds, strict=True):
        if proc.wait() != 0:
            raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    seconds = time.perf_counter() - start  # the launchers' start-up is a few ms of it
    peak = max(figures(m)[1] for m in measured)
    texts = []
    for out in outs:
        out.seek(0)
        texts.append(out.read().decode())
        out.close()
    return Run(seconds, peak), texts


def build(root: Path, *args: str, capture: Path | None = None) -> Run:
    """One `toolkit build`; with `capture`, the render hook leaves every PDF's final HTML there."""
    env = {**os.environ, CAPTURE_ENV: str(capture)} if capture else None
    return timed_together([[*TOOLKIT, "--project", str(root), "build", *args]], root, env)[0]


def pages_in(root: Path) -> int:
    return sum(len(PdfReader(p).pages) for p in (root / "output").rglob("*.pdf") if ".booklet" not in p.name)


def documents(root: Path) -> list[tuple[str, str, str]]:
    out = root / "output"
    return sorted(
        (p.parent.parent.name, p.parent.name, p.stem)
        for p in out.rglob("*.pdf")
        if "." not in p.stem
    )


def touch_catalog(root: Path, lang: str, slug: str, counter: int) -> None:
    path = root / "locales" / lang / "LC_MESSAGES" / f"{slug}.po"
    po = polib.pofile(str(path))
    po[0].tcomment = f"bench edit {counter}"  # a real change to the file: its hash changes
    po.save(str(path))


def median(runs: list[Run]) -> Run:
    return Run(statistics.median(r.seconds for r in runs), max(r.peak_mb for r in runs))


# --- the renderer's floor ------------------------------------------------------------------------


@dataclass(frozen=True)
class Floor:
    run: Run
    startup: float  # imports and fonts, largest of the processes
    documents: dict[str, dict[str, float]]  # capture name -> layout, write seconds, pages


def captured(captures: Path) -> dict[str, dict[str, float]]:
    """What the build said of each PDF: layouts, seconds in render_document, pages (not the HTML)."""
    found = {}
    for path in sorted(captures.rglob("*.floor.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found[str(path.relative_to(captures))] = {k: data[k] for k in ("layouts", "seconds", "pages")}
    return found


def split(times: dict[str, float], parts: int) -> list[list[str]]:
    """Longest first, each to the least loaded process: the best the build's pool could do."""
    bins: list[list[str]] = [[] for _ in range(parts)]
    load = [0.0] * parts
    for name in sorted(times, key=times.__getitem__, reverse=True):
        i = load.index(min(load))
        bins[i].append(name)
        load[i] += times[name]
    return [b for b in bins if b]


def floor(root: Path, captures: Path, parts: list[list[str]] | None = None) -> Floor:
    """WeasyPrint alone on the captured HTML: one process, or one per part, started together."""
    out = root / "floor"
    shutil.rmtree(out, ignore_errors=True)
    cmds = [[*FLOOR, str(captures), str(out), *names] for names in (parts or [[]])]
    run, texts = timed_together(cmds, root)
    reports = [json.loads(t) for t in texts]
    docs = {name: d for r in reports for name, d in r["documents"].items()}
    return Floor(run, max(r["startup"] for r in reports), docs)


def identical(root: Path) -> int:
    """PDFs the floor wrote byte for byte as the build did: the same HTML and options, proven."""
    return sum(
        (root / "output" / p.relative_to(root / "floor")).read_bytes() == p.read_bytes()
        for p in (root / "floor").rglob("*.pdf")
    )


def per_format(
    builds: list[dict[str, dict[str, float]]], floors: list[Floor]
) -> dict[str, dict[str, float]]:
    """Where the build's rendering goes, by format: layouts per document, seconds in
    render_document (the build's, one process) against the floor's layout + write, and what the
    extra layouts cost at the floor's price of one layout. Medians per document over the runs."""
    names = builds[0].keys()
    rows: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for name in names:
        fmt = name.split("/")[1]
        layouts = builds[0][name]["layouts"]
        render = statistics.median(b[name]["seconds"] for b in builds)
        lay = statistics.median(f.documents[name]["layout"] for f in floors)
        write = statistics.median(f.documents[name]["write"] for f in floors)
        row = rows[fmt]
        row["layouts"].append(layouts)
        row["render"].append(render)
        row["layout"].append(lay)
        row["write"].append(write)
        row["extra"].append((layouts - 1) * lay)
    return {
        fmt: {
            "documents": len(r["layouts"]),
            "layouts": sum(r["layouts"]),
            "layouts_min": min(r["layouts"]),
            "layouts_max": max(r["layouts"]),
            "build_render_s": round(sum(r["render"]), 3),
            "floor_layout_s": round(sum(r["layout"]), 3),
            "floor_write_s": round(sum(r["write"]), 3),
            "extra_layouts_s": round(sum(r["extra"]), 3),
            "ratio": round(sum(r["render"]) / (sum(r["layout"]) + sum(r["write"])), 2),
        }
        for fmt, r in sorted(rows.items())
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    load_before = os.getloadavg()  # the machine is shared: its load says how far to trust the times
    # The toolkit's modules byte-compiled, as an installed package or a first run leaves them (an
    # editable install where PYTHONDONTWRITEBYTECODE is set compiles them in every process).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "toolkit")], check=True)
    root = copy_project()
    captures = root / "captures"
    cold, warm, one_catalog, per_doc, serial = [], [], [], [], []
    builds: list[dict[str, dict[str, float]]] = []
    floor1: list[Floor] = []
    floor2: list[Floor] = []
    same = 0
    for i in range(args.runs):
        # The one-process build leaves each PDF's final HTML; each floor is timed right after the
        # build of the same parallelism, in the same minutes of the machine's load.
        shutil.rmtree(root / "output", ignore_errors=True)
        shutil.rmtree(captures, ignore_errors=True)
        serial.append(build(root, "--jobs", "1", capture=captures))
        builds.append(captured(captures))
        floor1.append(floor(root, captures))
        same = identical(root)
        shutil.rmtree(root / "output", ignore_errors=True)
        cold.append(build(root))
        costs = {n: d["layout"] + d["write"] for n, d in floor1[-1].documents.items()}
        floor2.append(floor(root, captures, split(costs, 2)))
        warm.append(build(root))
        touch_catalog(root, "de", "psoas-en-stress", i)
        one_catalog.append(build(root))
    pages = pages_in(root)
    docs = documents(root)
    for _ in range(max(1, args.runs - 1)):
        # One process per document, each with its own fonts and cache: how a per-file tool works.
        start = time.perf_counter()
        peak = 0.0
        for lang, fmt, slug in docs:
            run = build(root, fmt, slug, "--lang", lang, "--force", "--jobs", "1")
            peak = max(peak, run.peak_mb)
        per_doc.append(Run(time.perf_counter() - start, peak))

    rows = {
        "cold build (both cores)": median(cold),
        "cold build (one process)": median(serial),
        "warm build (nothing changed)": median(warm),
        "one catalog changed (de)": median(one_catalog),
        "one process per document": median(per_doc),
        "renderer floor (one process)": median([f.run for f in floor1]),
        "renderer floor (2 processes)": median([f.run for f in floor2]),
    }
    base = rows["cold build (both cores)"].seconds
    table = Table(title=f"toolkit build: {len(docs)} PDFs, {pages} pages, median of {args.runs} runs")
    for col in ("run", "seconds", "s / page", "peak MB (largest process)", "ratio to cold build"):
        table.add_column(col, justify="right" if col != "run" else "left")
    for name, run in rows.items():
        per_page = f"{run.seconds / pages:.3f}" if "warm" not in name and "changed" not in name else "-"
        table.add_row(name, f"{run.seconds:.2f}", per_page, f"{run.peak_mb:.0f}", f"{run.seconds / base:.2f}")
    console.print(table)

    overhead = {
        "one process": (rows["cold build (one process)"], rows["renderer floor (one process)"]),
        "both cores": (rows["cold build (both cores)"], rows["renderer floor (2 processes)"]),
    }
    table = Table(title=f"build over the renderer floor (goal ≤ {GOAL}×); {same} of {len(builds[0])} floor PDFs identical to the build's")
    for col in ("same parallelism", "build s", "floor s", "overhead (build / floor)", "goal met"):
        table.add_column(col, justify="right" if col != "same parallelism" else "left")
    for name, (b, f) in overhead.items():
        ratio = b.seconds / f.seconds
        table.add_row(name, f"{b.seconds:.2f}", f"{f.seconds:.2f}", f"{ratio:.2f}×", "yes" if ratio <= GOAL else "no")
    console.print(table)

    formats = per_format(builds, floor1)
    table = Table(title="the one-process build by format: seconds summed over its documents")
    # render: the build's render_document; layout, write: the floor's; extra: the build's layouts
    # beyond the first, each at the floor's price of that document's layout.
    cols = ("format", "docs", "layouts (per doc)", "render", "layout", "write", "extra", "ratio")
    for col in cols:
        table.add_column(col, justify="right" if col != "format" else "left")
    for fmt, r in formats.items():
        spread = f"{r['layouts_min']}–{r['layouts_max']}" if r["layouts_min"] != r["layouts_max"] else f"{r['layouts_min']}"
        table.add_row(
            fmt, str(r["documents"]), f"{r['layouts']} ({spread})", f"{r['build_render_s']:.2f}",
            f"{r['floor_layout_s']:.2f}", f"{r['floor_write_s']:.2f}", f"{r['extra_layouts_s']:.2f}", f"{r['ratio']:.2f}×",
        )
    rendering = sum(r["build_render_s"] for r in formats.values())
    outside = rows["cold build (one process)"].seconds - rendering
    startup = statistics.median(f.startup for f in floor1)
    floor_inner = rows["renderer floor (one process)"].seconds - startup
    console.print(table)
    console.print(
        f"render: the build's render_document; layout, write: the floor's; extra: layouts beyond the "
        f"first at the floor's price. Outside render_document the build spends {outside:.2f} s (start-up, "
        f"sources and catalogs, the .pptx decks, writing files); the floor {startup:.2f} s in start-up "
        f"(imports, fonts) and {floor_inner:.2f} s laying out and writing."
    )

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "documents": len(docs),
                "pages": pages,
                "runs": args.runs,
                "cores": os.cpu_count(),
                "load_average": {
                    "before": [round(x, 2) for x in load_before],
                    "after": [round(x, 2) for x in os.getloadavg()],
                },
                "results": {k: {"seconds": round(v.seconds, 3), "peak_mb": round(v.peak_mb)} for k, v in rows.items()},
                "floor": {
                    "goal": GOAL,
                    "identical_pdfs": same,
                    "overhead": {
                        k: {"build": round(b.seconds, 3), "floor": round(f.seconds, 3), "ratio": round(b.seconds / f.seconds, 2)}
                        for k, (b, f) in overhead.items()
                    },
                    "floor_startup_s": round(startup, 3),
                    "outside_render_document_s": round(outside, 3),
                    "by_format": formats,
                    "layouts_per_document": {
                        n.removesuffix(".floor.json"): int(d["layouts"]) for n, d in builds[0].items()
                    },
                },
            },
            indent=2,
        )
        + "\n"
    )
    console.print(f"wrote {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
