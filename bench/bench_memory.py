"""Benchmark the translation memory: `toolkit update` with memory on vs off.

    python bench/bench_memory.py [--articles 1000] [--new 100] [--runs 3]

A corpus of generated articles (the same generator as bench_catalogs.py) is extracted and every
catalog translated, then `--new` more articles arrive. The update that follows has to look every
new entry up in the memory of all translated catalogs (exact and near matches). It is timed with
memory on and with `--no-memory`, from the same starting files each run; the report gives both
medians, the ratio, and how many entries the memory filled.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import polib
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import DEFAULT_SEEDS, fill, load_bases, make_corpus, write_sources

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work" / "memory"
RESULTS = ROOT / "bench" / "results" / "memory.json"
PYPROJECT = '[project]\nname = "bench"\n\n[tool.toolkit]\nlanguages = ["nl", "en", "de"]\n'
TOOLKIT = [sys.executable, "-m", "toolkit.cli"]
console = Console()


def toolkit(root: Path, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([*TOOLKIT, "--project", str(root), *args], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*.po*")}


def restore(folder: Path, files: dict[Path, bytes]) -> None:
    for path in folder.rglob("*.po*"):
        if path not in files:
            path.unlink()
    for path, data in files.items():
        path.write_bytes(data)


def filled_from_memory(root: Path, slugs: list[str]) -> tuple[int, int, int]:
    exact = fuzzy = total = 0
    for slug in slugs:
        for lang in ("en", "de"):
            for entry in polib.pofile(str(root / "locales" / lang / "LC_MESSAGES" / f"{slug}.po")):
                total += 1
                if "memory:" in (entry.tcomment or ""):
                    fuzzy += "fuzzy" in entry.flags
                    exact += "fuzzy" not in entry.flags
    return exact, fuzzy, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--new", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    rng = random.Random(20261123)
    corpus = make_corpus(load_bases(DEFAULT_SEEDS), args.articles + args.new, rng)
    old, new = corpus[: args.articles], corpus[args.articles :]
    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "sources").mkdir(parents=True)
    (WORK / "pyproject.toml").write_text(PYPROJECT)
    write_sources(old, WORK / "sources")
    toolkit(WORK, "update", "--no-memory")
    for path in (WORK / "locales").rglob("*.po"):
        fill(path, path.parent.parent.name)
    write_sources(new, WORK / "sources")  # new articles arrive
    start = snapshot(WORK / "locales")

    times: dict[str, list[float]] = {"memory on": [], "memory off": []}
    for _ in range(args.runs):
        for label, flags in (("memory on", ()), ("memory off", ("--no-memory",))):
            restore(WORK / "locales", start)
            times[label].append(toolkit(WORK, "update", *flags))
    restore(WORK / "locales", start)
    toolkit(WORK, "update")
    exact, fuzzy, total = filled_from_memory(WORK, [a.slug for a in new])

    on, off = (statistics.median(times[k]) for k in ("memory on", "memory off"))
    table = Table(title=f"toolkit update, {args.articles} translated articles + {args.new} new, median of {args.runs}")
    for col in ("run", "seconds", "per new article (ms)"):
        table.add_column(col, justify="right" if col != "run" else "left")
    table.add_row("memory off", f"{off:.2f}", f"{1000 * off / args.new:.0f}")
    table.add_row("memory on", f"{on:.2f}", f"{1000 * on / args.new:.0f}")
    console.print(table)
    console.print(
        f"memory on / off: {on / off:.2f}×; cost of the lookups: {on - off:.2f} s; "
        f"new entries filled: {exact} exact, {fuzzy} fuzzy, of {total}"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "articles": args.articles,
                "new": args.new,
                "runs": args.runs,
                "seconds": {k: [round(t, 3) for t in v] for k, v in times.items()},
                "median": {"memory on": round(on, 3), "memory off": round(off, 3)},
                "ratio_on_off": round(on / off, 3),
                "filled": {"exact": exact, "fuzzy": fuzzy, "entries": total},
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
