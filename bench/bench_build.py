"""Benchmark `toolkit build` on the shipped project: cold, warm (nothing changed), one catalog changed,
and the same PDFs rendered one process per document (the way pandoc --pdf-engine=weasyprint runs).

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
from dataclasses import dataclass
from pathlib import Path

import polib
from pypdf import PdfReader
from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "bench" / "work" / "build"
RESULTS = REPO / "bench" / "results" / "build.json"
TOOLKIT = [sys.executable, "-m", "toolkit.cli"]
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
    """Wall time of a command, and the peak RSS of the largest process in its tree (wait4 reports
    the maximum over the process and the children it waited for)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return Run(seconds, usage.ru_maxrss / 1024)


def build(root: Path, *args: str) -> Run:
    return timed([*TOOLKIT, "--project", str(root), "build", *args], root)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    root = copy_project()
    cold, warm, one_catalog, per_doc, serial = [], [], [], [], []
    for i in range(args.runs):
        shutil.rmtree(root / "output", ignore_errors=True)
        cold.append(build(root))
        warm.append(build(root))
        touch_catalog(root, "de", "psoas-en-stress", i)
        one_catalog.append(build(root))
        shutil.rmtree(root / "output", ignore_errors=True)
        serial.append(build(root, "--jobs", "1"))
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
    }
    base = rows["cold build (both cores)"].seconds
    table = Table(title=f"toolkit build: {len(docs)} PDFs, {pages} pages, median of {args.runs} runs")
    for col in ("run", "seconds", "s / page", "peak MB (largest process)", "ratio to cold build"):
        table.add_column(col, justify="right" if col != "run" else "left")
    for name, run in rows.items():
        per_page = f"{run.seconds / pages:.3f}" if "warm" not in name and "changed" not in name else "-"
        table.add_row(name, f"{run.seconds:.2f}", per_page, f"{run.peak_mb:.0f}", f"{run.seconds / base:.2f}")
    console.print(table)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "documents": len(docs),
                "pages": pages,
                "runs": args.runs,
                "cores": os.cpu_count(),
                "results": {k: {"seconds": round(v.seconds, 3), "peak_mb": round(v.peak_mb)} for k, v in rows.items()},
            },
            indent=2,
        )
        + "\n"
    )
    console.print(f"wrote {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
