#!/usr/bin/env python3
"""Benchmark: `toolkit extract` / `toolkit update` against mdpo, po4a, translate-toolkit and GNU gettext.

On a generated corpus (default 1,000 articles built from the Dutch seed texts and the shipped
sources, fixed random seed), every tool is run the way a user runs it on the whole corpus, as
subprocesses, several times; the median wall time is reported with the ratio peer / toolkit
(> 1 means toolkit is faster) and the peak memory of the largest process. Scenarios: extract;
update after edits (one word changed in N paragraphs, M re-wrapped, some deleted, some added),
counting what each tool keeps of the translations; update with nothing changed; update with one
article edited. See bench/README.md.

    python bench/bench_catalogs.py [--articles 1000] [--runs 3] [--tools toolkit,mdpo,pot2po]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import polib
from corpus import (
    DEFAULT_SEEDS,
    LANGS,
    PREFIX,
    Edit,
    apply_edit,
    load_bases,
    make_corpus,
    norm,
    plan_edits,
    write_sources,
)
from peers import ensure_peers, versions
from rich.console import Console
from rich.table import Table
from tools import (
    EXTRACT,
    NOTHING,
    ONE,
    UPDATE,
    Job,
    Mdpo,
    Msgmerge,
    Po4a,
    Pot2po,
    TimedOut,
    ToolFailed,
    Toolkit,
    TranslateToolkit,
    empty_trash,
    fresh,
    run_all,
)

BENCH = Path(__file__).resolve().parent
WORK = BENCH / "work" / "catalogs"
RESULTS = BENCH / "results" / "catalogs.json"
TOOLS = ("toolkit", "mdpo", "pot2po", "translate-toolkit", "msgmerge", "po4a")
SCENARIOS = (EXTRACT, UPDATE, NOTHING, ONE)

console = Console(highlight=False, width=None if sys.stdout.isatty() else 140)


# ── scoring the updated catalogs ────────────────────────────────────────────────────────────────


@dataclass
class Score:
    # edited paragraphs whose entry is fuzzy with a translation, in every language
    fuzzy_kept: int = 0
    fuzzy_right: int = 0  # ... and that translation is the paragraph's own old one
    rewrapped_kept: int = 0  # re-wrapped paragraphs still translated (not fuzzy), in every language
    lost: int = 0  # old translations found nowhere in the new catalog (active, fuzzy or obsolete)
    not_found: int = 0  # edited or re-wrapped paragraphs without an entry (tool changed the msgid)


def score(job: Job, edits: Sequence[Edit], slugs: Sequence[str]) -> Score:
    assert job.catalogs is not None and job.baseline is not None
    result = Score()
    by_slug: dict[str, list[Edit]] = {}
    for edit in edits:
        by_slug.setdefault(edit.slug, []).append(edit)
    kept: dict[tuple[Edit, str], bool] = {}
    right: dict[tuple[Edit, str], bool] = {}
    for slug in slugs:
        for lang in LANGS:
            new = polib.pofile(str(job.catalogs(slug, lang)))
            old = polib.pofile(str(job.baseline(slug, lang)))
            everywhere = {norm(e.msgstr) for e in new if e.msgstr}
            result.lost += len({norm(e.msgstr) for e in old if e.msgstr and e.msgid} - everywhere)
            active = {norm(e.msgid): e for e in new if not e.obsolete and e.msgid}
            for edit in by_slug.get(slug, ()):
                if edit.kind not in ("word", "rewrap"):
                    continue
                entry = active.get(norm(edit.new))
                if entry is None:
                    result.not_found += lang == LANGS[0]
                    kept[edit, lang] = right[edit, lang] = False
                    continue
                expected = norm(PREFIX[lang] + edit.old)
                if edit.kind == "word":
                    kept[edit, lang] = bool(entry.msgstr) and "fuzzy" in entry.flags
                    right[edit, lang] = kept[edit, lang] and norm(entry.msgstr) == expected
                else:
                    kept[edit, lang] = "fuzzy" not in entry.flags and norm(entry.msgstr) == expected
    for edit in edits:
        if edit.kind in ("word", "rewrap") and all(kept.get((edit, lang), False) for lang in LANGS):
            if edit.kind == "word":
                result.fuzzy_kept += 1
                result.fuzzy_right += all(right[edit, lang] for lang in LANGS)
            else:
                result.rewrapped_kept += 1
    return result


# ── reporting ───────────────────────────────────────────────────────────────────────────────────


@dataclass
class Row:
    tool: str
    operation: str
    scenario: str
    processes: int
    how: str
    median_s: float | None
    runs_s: list[float]
    ratio_vs_toolkit: float | None  # peer / toolkit's reference job of the scenario
    peak_mb: float | None  # the largest process's peak resident memory, over the runs
    reference: bool  # toolkit's job the peers of its scenario are compared with
    score: Score | None
    error: str = ""
    lower_bound: bool = False  # the tool timed out: its time (and ratio) is at least this


def median(job: Job) -> float | None:
    ok = job.times and (job.timed_out or not job.error)  # a timeout gives a lower bound
    return statistics.median(job.times) if ok else None


def rows_of(jobs: Sequence[Job], scores: dict[int, Score]) -> list[Row]:
    ours = {j.scenario: median(j) for j in jobs if j.tool == Toolkit.name and j.reference}
    rows = []
    for i, job in enumerate(jobs):
        m = median(job)
        reference = ours.get(job.scenario)
        ratio = m / reference if m is not None and reference and job.tool != Toolkit.name else None
        rows.append(
            Row(
                job.tool,
                job.operation,
                job.scenario,
                job.processes,
                job.note,
                m,
                [round(t, 3) for t in job.times],
                ratio,
                round(max(job.peaks_mb), 1) if job.peaks_mb else None,
                job.reference,
                scores.get(i),
                job.error,
                job.timed_out,
            )
        )
    return rows


def seconds(row: Row) -> str:
    if row.median_s is None:
        return "failed" if row.error else "–"
    return (">" if row.lower_bound else "") + f"{row.median_s:.2f}"


def print_table(rows: Sequence[Row], edits: Sequence[Edit], runs: int) -> None:
    counts = {k: sum(e.kind == k for e in edits) for k in ("word", "rewrap", "delete", "add")}
    table = Table(
        title=f"Catalog benchmark: median of {runs} runs (ratio = peer time / toolkit's time in the same scenario, > 1: toolkit faster)"
    )
    for column, justify in (
        ("scenario", "left"),
        ("tool", "left"),
        ("operation", "left"),
        ("proc.", "right"),
        ("runs", "right"),
        ("median s", "right"),
        ("ratio", "right"),
        ("peak MB", "right"),
        (f"fuzzy kept / {counts['word']} (right one)", "right"),
        (f"rewrapped kept / {counts['rewrap']}", "right"),
        ("lost", "right"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for row in sorted(rows, key=lambda r: SCENARIOS.index(r.scenario)):
        s = row.score
        table.add_row(
            row.scenario,
            row.tool + (" *" if row.reference else ""),
            row.operation,
            str(row.processes),
            str(len(row.runs_s)),
            seconds(row),
            (">" if row.lower_bound else "") + f"{row.ratio_vs_toolkit:.2f}×" if row.ratio_vs_toolkit is not None else "",
            f"{row.peak_mb:.0f}" if row.peak_mb is not None else "",
            f"{s.fuzzy_kept} ({s.fuzzy_right})" if s else "",
            str(s.rewrapped_kept) if s else "",
            str(s.lost) if s else "",
        )
    console.print(table)
    console.print("  * toolkit's job the peers of its scenario are compared with")
    for row in rows:
        console.print(f"  {row.scenario} / {row.tool} {row.operation}: {row.how}")
    for row in rows:
        if row.error:
            console.print(f"[red]{row.tool} {row.operation} failed:[/red] {row.error}")
        elif row.score and row.score.not_found:
            console.print(f"{row.tool}: {row.score.not_found} edited/re-wrapped paragraphs had no entry with their text")
    console.print(
        f"Edits: {counts['word']} paragraphs with one word changed, {counts['rewrap']} re-wrapped, "
        f"{counts['delete']} deleted, {counts['add']} added; fuzzy/rewrapped counts need every language ({', '.join(LANGS)})."
    )


def write_json(path: Path, rows: Sequence[Row], meta: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {**meta, "results": [asdict(r) for r in rows]}
    for row in data["results"]:  # type: ignore[union-attr]
        for key in ("median_s", "ratio_vs_toolkit"):
            if row[key] is not None:
                row[key] = round(row[key], 3)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def derived(rows: Sequence[Row]) -> dict[str, float]:
    """The issue's targets as ratios: each toolkit variant against the peer each is measured by."""
    m = {(r.scenario, r.tool, r.operation): r.median_s for r in rows if r.median_s is not None}
    out: dict[str, float] = {}
    pairs = {
        "extract: mdpo / toolkit extract (cold)": ((EXTRACT, "mdpo", "extract"), (EXTRACT, "toolkit", "extract (cold)")),
        "extract: mdpo / toolkit extract (warm)": ((EXTRACT, "mdpo", "extract"), (EXTRACT, "toolkit", "extract (warm)")),
        "update after edits: pot2po / toolkit update (warm)": ((UPDATE, Pot2po.name, "merge only"), (UPDATE, "toolkit", "update (warm)")),
        "update after edits: pot2po / toolkit update (cold)": ((UPDATE, Pot2po.name, "merge only"), (UPDATE, "toolkit", "update (cold)")),
        "nothing changed: pot2po / toolkit update": ((NOTHING, Pot2po.name, "merge only"), (NOTHING, "toolkit", "update (warm)")),
        "one article edited: pot2po / toolkit update": ((ONE, Pot2po.name, "merge only"), (ONE, "toolkit", "update (warm)")),
        "update after edits: msgmerge / toolkit update (warm)": ((UPDATE, Msgmerge.name, "merge only"), (UPDATE, "toolkit", "update (warm)")),
    }
    for label, (peer, ours) in pairs.items():
        if m.get(peer) and m.get(ours):
            out[label] = round(m[peer] / m[ours], 2)  # type: ignore[operator]
    for label, value in out.items():
        console.print(f"  {label}: {value:.2f}×")
    return out


# ── main ────────────────────────────────────────────────────────────────────────────────────────


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--articles", type=int, default=1000, help="articles in the corpus (default 1000)")
    p.add_argument("--runs", type=int, default=3, help="timed runs per job; the median is reported")
    p.add_argument("--edits", type=int, default=300, help="paragraphs with one word changed")
    p.add_argument("--rewraps", type=int, default=100, help="paragraphs re-wrapped with soft line breaks")
    p.add_argument("--deletes", type=int, default=20, help="paragraphs deleted")
    p.add_argument("--adds", type=int, default=20, help="paragraphs added")
    p.add_argument("--seed", type=int, default=20260314, help="random seed of the corpus and the edits")
    p.add_argument("--seeds-dir", type=Path, default=DEFAULT_SEEDS, help="folder of seed texts")
    p.add_argument(
        "--tools",
        default=",".join(TOOLS),
        help=f"which tools to run, comma-separated (default: all of {','.join(TOOLS)}); toolkit always runs. "
        "po4a alone takes ~26 minutes at 1,000 articles: leave it out while iterating",
    )
    p.add_argument("--slow", type=float, default=300, help="a job whose run takes longer is timed only once")
    p.add_argument("--timeout", type=float, default=2400, help="seconds after which a run is stopped")
    p.add_argument("--no-install", action="store_true", help="do not install missing peers")
    p.add_argument("--json", type=Path, default=RESULTS, help="where to write the results")
    args = p.parse_args(argv)
    args.tools = {t.strip() for t in args.tools.split(",") if t.strip()} | {"toolkit"}
    unknown = args.tools - set(TOOLS)
    if unknown:
        p.error(f"unknown tools: {', '.join(sorted(unknown))}; choose from {', '.join(TOOLS)}")
    return args


PEER_OF = {  # --tools name -> the peer ensure_peers installs
    "mdpo": "mdpo",
    "pot2po": "translate-toolkit",
    "translate-toolkit": "translate-toolkit",
    "msgmerge": "GNU msgmerge",
    "po4a": "po4a",
}


def report_peers(status: dict[str, str]) -> None:
    for peer, why in status.items():
        console.print(f"{peer}: " + (f"[red]not available[/red] — {why}" if why else "available"))


@dataclass(frozen=True)
class Corpus:
    slugs: list[str]
    original: Path
    edited: Path
    one_edit: Path
    edits: list[Edit]
    one: Edit
    stats: dict[str, int]


def build_corpus(args: argparse.Namespace) -> Corpus:
    rng = random.Random(args.seed)
    articles = make_corpus(load_bases(args.seeds_dir), args.articles, rng)
    edited, edits = plan_edits(articles, rng, args.edits, args.rewraps, args.deletes, args.adds)
    original, changed = fresh(WORK / "corpus" / "original"), fresh(WORK / "corpus" / "edited")
    write_sources(articles, original)
    write_sources(edited, changed)
    one = next(e for e in edits if e.kind == "word")
    apply_edit(original, one, WORK / "corpus" / "one-edit")
    size = sum(p.stat().st_size for p in original.iterdir())
    paragraphs = sum(b.kind == "paragraph" for a in articles for b in a.blocks)
    console.print(f"Corpus: {len(articles)} articles, {paragraphs} paragraphs, {size / 1e6:.1f} MB in {original}")
    stats = {"articles": len(articles), "paragraphs": paragraphs, "bytes": size}
    return Corpus([a.slug for a in articles], original, changed, WORK / "corpus" / "one-edit", edits, one, stats)


def prepare_jobs(status: dict[str, str], tools: set[str], corpus: Corpus) -> tuple[list[Job], dict[int, list[Edit]]]:
    """Every timed job, with the untimed preparation (translated baselines, templates) done here;
    and for the jobs to score, the edits they are scored by."""
    usable = {t for t in tools if not status.get(PEER_OF.get(t, ""), "")}
    toolkit = Toolkit(WORK)
    jobs = [toolkit.extract_job(corpus.original, cold=True), toolkit.extract_job(corpus.original, cold=False)]
    if "mdpo" in usable:
        jobs.append(Mdpo(WORK).extract_job(corpus.original))
    console.print("Preparing translated baselines and templates (not timed)…")
    ours = toolkit.baseline(corpus.original, corpus.slugs)
    scored: dict[int, list[Edit]] = {}
    for sources, scenario, edits in (
        (corpus.edited, UPDATE, corpus.edits),
        (corpus.original, NOTHING, []),
        (corpus.one_edit, ONE, [corpus.one]),
    ):
        scored[len(jobs)] = edits
        jobs.append(toolkit.update_job(ours, sources, scenario))
        if scenario == UPDATE:
            scored[len(jobs)] = edits
            jobs.append(toolkit.update_job(ours, sources, scenario, cold=True))
        merge_only = {"pot2po", "msgmerge"} & usable if scenario == UPDATE else {"pot2po"} & usable
        if merge_only:  # the merge-only peers merge our templates of the same sources
            pots = toolkit.templates(sources, scenario.replace(" ", "-"))
        if "pot2po" in merge_only:
            scored[len(jobs)] = edits
            jobs.append(Pot2po(WORK).merge_job(ours, pots, scenario))
        if "msgmerge" in merge_only:
            scored[len(jobs)] = edits
            jobs.append(Msgmerge(WORK).update_job(ours, pots, corpus.slugs))
    if "translate-toolkit" in usable:
        tt = TranslateToolkit(WORK)
        jobs.append(tt.extract_job(corpus.original))
        at = len(jobs)
        guarded(jobs, tt.name, lambda: jobs.append(tt.update_job(tt.baseline(corpus.original, corpus.slugs), corpus.edited)))
        scored[at] = corpus.edits
    if "po4a" in usable:
        po4a = Po4a(WORK)
        jobs.append(po4a.extract_job(corpus.original, corpus.slugs))
        at = len(jobs)
        guarded(jobs, po4a.name, lambda: jobs.append(po4a.update_job(po4a.baseline(corpus.original, corpus.slugs), corpus.edited)))
        scored[at] = corpus.edits
    return jobs, scored


def guarded(jobs: list[Job], tool: str, step: Callable[[], None]) -> None:
    try:
        step()
    except ToolFailed as exc:
        jobs.append(Job(tool, "update", UPDATE, WORK, lambda: None, lambda: [], error=f"preparing the baseline: {exc}"))


def time_jobs(jobs: Sequence[Job], runs: int, slow: float, timeout: float) -> None:
    """Runs interleaved (run 1 of every job, then run 2, ...) so drift on a noisy machine spreads
    evenly. A job slower than `slow` seconds is timed once; one over `timeout` is stopped."""
    for n in range(runs):
        for job in jobs:
            if job.error or (job.times and job.times[0] > slow):
                continue
            job.setup()
            commands = job.commands()
            job.processes = len(commands)
            try:
                seconds_, peak = run_all(commands, job.cwd, timeout)
                job.times.append(seconds_)
                job.peaks_mb.append(peak)
            except TimedOut:
                job.error = f"did not finish in {timeout:g} s"
                job.times, job.timed_out = [timeout], True
            except ToolFailed as exc:
                job.error = str(exc)
            console.print(
                f"  run {n + 1}/{runs}  {job.scenario:<19} {job.tool:<18} {job.operation:<15} "
                + (job.error or f"{job.times[-1]:7.2f} s  {job.peaks_mb[-1]:6.0f} MB")
            )


def unchanged_after_nothing_changed(jobs: Sequence[Job], slugs: Sequence[str]) -> bool | None:
    """Whether toolkit's update with nothing changed left every catalog byte for byte as it was."""
    for job in jobs:
        if job.tool == Toolkit.name and job.scenario == NOTHING and job.catalogs and job.baseline and job.times:
            return all(
                job.catalogs(s, lang).read_bytes() == job.baseline(s, lang).read_bytes()
                for s in slugs
                for lang in LANGS
            )
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    status = ensure_peers(install=not args.no_install, wanted={PEER_OF[t] for t in args.tools if t in PEER_OF})
    report_peers(status)
    # The toolkit's modules byte-compiled, as an installed package or a first run leaves them (an
    # editable install where PYTHONDONTWRITEBYTECODE is set compiles them in every process).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(BENCH.parent / "toolkit")], check=True)
    corpus = build_corpus(args)
    jobs, scored = prepare_jobs(status, args.tools, corpus)
    try:
        time_jobs(jobs, args.runs, args.slow, args.timeout)
    finally:
        empty_trash()
    scores = {
        i: score(job, scored[i], corpus.slugs)
        for i, job in enumerate(jobs)
        if i in scored and job.catalogs and job.times and not job.error
    }
    rows = rows_of(jobs, scores)
    print_table(rows, corpus.edits, args.runs)
    ratios = derived(rows)
    same = unchanged_after_nothing_changed(jobs, corpus.slugs)
    console.print(f"  toolkit update with nothing changed left every catalog byte-identical: {same}")
    write_json(
        args.json,
        rows,
        {
            "generated": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "load": os.getloadavg()},
            "versions": versions(),
            "not_available": {k: v for k, v in status.items() if v},
            "parameters": {
                k: (sorted(v) if isinstance(v, set) else v)
                for k, v in vars(args).items()
                if k not in ("json", "seeds_dir", "no_install")
            },
            "corpus": corpus.stats,
            "edits": {k: sum(e.kind == k for e in corpus.edits) for k in ("word", "rewrap", "delete", "add")},
            "derived": ratios,
            "nothing_changed_byte_identical": same,
        },
    )
    console.print(f"Results written to {args.json}")
    return 1 if any(r.error for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
