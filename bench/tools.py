"""The tools the catalog benchmark runs, each the way its users run it, and how they are timed:
wall time and the peak resident memory of the largest process (wait4), as subprocesses."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from corpus import LANGS, PYPROJECT, catalog_from_template, fill
from launch import figures, launched

SCRIPTS = Path(sysconfig.get_path("scripts"))  # console scripts of this Python, no pyenv shim
CACHE = ".toolkit-cache"

# Which scenario a job belongs to: peers are compared with toolkit's job of the same scenario.
EXTRACT = "extract"
UPDATE = "update after edits"
NOTHING = "nothing changed"
ONE = "one article edited"


class ToolFailed(RuntimeError):
    pass


class TimedOut(ToolFailed):
    pass


def run(argv: Sequence[str | Path], cwd: Path, *, timeout: float | None = None) -> tuple[float, float]:
    """Run one command: its wall time, and its peak resident memory in MB (the largest process of
    its tree that it waited for), both as launch.py measures them. A failure or a timeout (the
    whole process group is killed) raises."""
    with tempfile.TemporaryFile() as stderr, tempfile.TemporaryDirectory() as folder:
        measured = Path(folder) / "measured"
        proc = subprocess.Popen(
            launched(measured, [str(a) for a in argv]),
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,
        )
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise TimedOut from None
        if proc.returncode != 0:
            stderr.seek(0)
            lines = stderr.read().decode("utf-8", "replace").strip().splitlines()
            command = " ".join(str(a) for a in argv)[:120]
            raise ToolFailed(f"`{command}` exited {proc.returncode}: {' | '.join(lines[-3:])}")
        return figures(measured)


def run_all(commands: Sequence[Sequence[str | Path]], cwd: Path, timeout: float) -> tuple[float, float]:
    """Wall time of the commands one after the other, and the largest peak memory among them."""
    spent, peak = 0.0, 0.0
    for argv in commands:
        seconds, mb = run(argv, cwd, timeout=max(1.0, timeout - spent))
        spent += seconds
        peak = max(peak, mb)
    return spent, peak


TRASH: list[Path] = []  # folders set aside while jobs are timed, deleted after (empty_trash)


def set_aside(path: Path) -> None:
    """Move `path` out of the way (a rename), to be deleted once every run is timed. Deleting
    thousands of files just before a timed run makes that run pay for it: on ext4 without a
    journal (this project's machines) each file created within the next minute or so passes over
    every recently deleted inode of its folder's group (1,000 new files after 1,000 deleted:
    about 1 s, for any tool). A fresh clone has deleted nothing."""
    if path.exists() or path.is_symlink():
        trash = path.parent / f".trash-{path.name}-{len(TRASH)}-{os.getpid()}"
        path.rename(trash)
        TRASH.append(trash)


def empty_trash() -> None:
    while TRASH:
        shutil.rmtree(TRASH.pop(), ignore_errors=True)


def fresh(folder: Path) -> Path:
    set_aside(folder)
    folder.mkdir(parents=True)
    return folder


@dataclass
class Job:
    """One timed operation of one tool: `setup` (untimed) then `commands`, once per run."""

    tool: str
    operation: str
    scenario: str
    cwd: Path
    setup: Callable[[], None]
    commands: Callable[[], list[list[str | Path]]]
    note: str = ""
    # (slug, lang) -> the catalog after the update, and the translated one it started from
    catalogs: Callable[[str, str], Path] | None = None
    baseline: Callable[[str, str], Path] | None = None
    reference: bool = False  # toolkit's job the peers of its scenario are compared with
    times: list[float] = field(default_factory=list)
    peaks_mb: list[float] = field(default_factory=list)
    processes: int = 0
    error: str = ""
    timed_out: bool = False


def _po(root: Path, slug: str, lang: str) -> Path:
    return root / "locales" / lang / "LC_MESSAGES" / f"{slug}.po"


class Toolkit:
    name = "toolkit"

    def __init__(self, work: Path) -> None:
        self.exe = (
            SCRIPTS / "toolkit"
            if (SCRIPTS / "toolkit").exists()
            else Path(shutil.which("toolkit") or "toolkit")
        )
        self.work = work

    def project(self, folder: Path, sources: Path) -> Path:
        fresh(folder)
        (folder / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
        shutil.copytree(sources, folder / "sources")
        return folder

    def extract_job(self, sources: Path, *, cold: bool) -> Job:
        """Cold: no cache, every source parsed (a fresh clone). Warm: the templates deleted, the
        cache of the run before kept (a template deleted by hand, say)."""
        variant = "cold" if cold else "warm"
        folder = self.project(self.work / "extract" / f"{self.name}-{variant}", sources)
        if not cold:
            run([self.exe, "--project", folder, "extract"], folder)  # the cache the runs start from

        def setup() -> None:
            set_aside(folder / "locales")
            if cold:
                set_aside(folder / CACHE)

        return Job(
            self.name,
            f"extract ({variant})",
            EXTRACT,
            folder,
            setup,
            commands=lambda: [[self.exe, "--project", folder, "extract"]],
            note="toolkit extract, 1 process: "
            + ("no cache (every source parsed)" if cold else "templates deleted, cache kept"),
            reference=cold,
        )

    def baseline(self, sources: Path, slugs: Sequence[str]) -> Path:
        """Catalogs of the original corpus, every entry translated; then updated once more, as a
        project is after its translators' work comes in (so the cache knows the catalogs)."""
        folder = self.project(self.work / "baseline" / self.name, sources)
        run([self.exe, "--project", folder, "update"], folder)
        for slug in slugs:
            for lang in LANGS:
                fill(_po(folder, slug, lang), lang)
        run([self.exe, "--project", folder, "update"], folder)
        return folder

    def update_job(self, base: Path, sources: Path, scenario: str, *, cold: bool = False) -> Job:
        variant = "cold" if cold else "warm"
        folder = self.work / "update" / f"{self.name}-{scenario.replace(' ', '-')}-{variant}"

        def setup() -> None:
            fresh(folder)
            shutil.copy(base / "pyproject.toml", folder)
            shutil.copytree(base / "locales", folder / "locales")
            if not cold:
                shutil.copytree(base / CACHE, folder / CACHE)
            shutil.copytree(sources, folder / "sources")

        return Job(
            self.name,
            f"update ({variant})",
            scenario,
            folder,
            setup,
            commands=lambda: [[self.exe, "--project", folder, "update"]],
            note="toolkit update, 1 process (extract + merge into en and de): "
            + ("no cache" if cold else "with the cache of the last update"),
            catalogs=lambda slug, lang: _po(folder, slug, lang),
            baseline=lambda slug, lang: _po(base, slug, lang),
            reference=not cold,
        )

    def templates(self, sources: Path, name: str) -> Path:
        """Our templates of some sources, alone in a folder: for the merge-only peers."""
        folder = self.project(self.work / "templates" / name, sources)
        run([self.exe, "--project", folder, "extract"], folder)
        pots = fresh(self.work / "templates" / f"{name}-pots")
        for pot in (folder / "locales").glob("*.pot"):
            shutil.copy(pot, pots)
        return pots


class Mdpo:
    """mdpo's Python API in one process: markdown_to_pofile for every article, saved as its .pot."""

    name = "mdpo"
    script = (
        "import sys, pathlib\n"
        "from mdpo.md2po import markdown_to_pofile\n"
        "src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])\n"
        "out.mkdir(exist_ok=True)\n"
        "for p in sorted(src.glob('*.md')):\n"
        "    markdown_to_pofile(str(p), po_filepath=str(out / (p.stem + '.pot')), save=True)\n"
    )

    def __init__(self, work: Path) -> None:
        self.work = work

    def extract_job(self, sources: Path) -> Job:
        folder = fresh(self.work / "extract" / self.name)
        shutil.copytree(sources, folder / "sources")
        return Job(
            self.name,
            "extract",
            EXTRACT,
            folder,
            setup=lambda: set_aside(folder / "pot"),
            commands=lambda: [[sys.executable, "-c", self.script, "sources", "pot"]],
            note="mdpo API (md2po.markdown_to_pofile) for every article in one process",
        )


class Pot2po:
    """translate-toolkit's pot2po (fuzzy matching with RapidFuzz) on the toolkit's own translated
    catalogs and new templates: a merge tool given exactly what toolkit update merges."""

    name = "pot2po + RapidFuzz"

    def __init__(self, work: Path) -> None:
        self.work = work

    def merge_job(self, base: Path, pots: Path, scenario: str) -> Job:
        folder = self.work / "update" / f"pot2po-{scenario.replace(' ', '-')}"

        def commands() -> list[list[str | Path]]:
            return [
                [
                    sys.executable,
                    "-m",
                    "translate.convert.pot2po",
                    "--progress=none",
                    "-t",
                    base / "locales" / lang / "LC_MESSAGES",
                    pots,
                    folder / lang,
                ]
                for lang in LANGS
            ]

        return Job(
            self.name,
            "merge only",
            scenario,
            folder,
            setup=lambda: fresh(folder).mkdir(exist_ok=True),
            commands=commands,
            note="pot2po -t <toolkit's catalogs> <toolkit's templates>, one process per language",
            catalogs=lambda slug, lang: folder / lang / f"{slug}.po",
            baseline=lambda slug, lang: _po(base, slug, lang),
        )


class Msgmerge:
    name = "GNU msgmerge"

    def __init__(self, work: Path) -> None:
        self.work = work

    def update_job(self, base: Path, pots: Path, slugs: Sequence[str]) -> Job:
        folder = self.work / "update" / "msgmerge"

        def new(slug: str, lang: str) -> Path:
            return folder / lang / f"{slug}.po"

        def setup() -> None:
            fresh(folder)
            for lang in LANGS:
                (folder / lang).mkdir()

        def commands() -> list[list[str | Path]]:
            return [
                ["msgmerge", "--quiet", "--previous", "-o", new(slug, lang), _po(base, slug, lang), pots / f"{slug}.pot"]
                for slug in slugs
                for lang in LANGS
            ]

        return Job(
            self.name,
            "merge only",
            UPDATE,
            folder,
            setup,
            commands,
            note="msgmerge --previous, one process per catalog (as `make update-po`); input: toolkit's .pot of the edited sources",
            catalogs=new,
            baseline=lambda slug, lang: _po(base, slug, lang),
        )


class Po4a:
    name = "po4a"

    def __init__(self, work: Path) -> None:
        self.work = work

    @staticmethod
    def config(slugs: Sequence[str], *, langs: bool) -> str:
        lines = ["[po4a_langs] " + " ".join(LANGS)] if langs else []
        paths = "po/$master.pot" + (" $lang:po/$master.$lang.po" if langs else "")
        lines += [
            f"[po4a_paths] {paths}",
            "[options] --master-charset UTF-8 --localized-charset UTF-8 --master-language nl",
            '[po4a_alias:md] text opt:"-o markdown -o yfm_keys=title,summary"',
        ]
        lines += [f"[type: md] sources/{s}.md $lang:out/$lang/{s}.md" for s in slugs]
        return "\n".join(lines) + "\n"

    def project(self, folder: Path, sources: Path, slugs: Sequence[str], *, langs: bool) -> Path:
        fresh(folder)
        shutil.copytree(sources, folder / "sources")
        (folder / "po4a.cfg").write_text(self.config(slugs, langs=langs), encoding="utf-8")
        return folder

    def extract_job(self, sources: Path, slugs: Sequence[str]) -> Job:
        folder = self.project(self.work / "extract" / "po4a", sources, slugs, langs=False)
        return Job(
            self.name,
            "extract",
            EXTRACT,
            folder,
            setup=lambda: set_aside(folder / "po"),
            commands=lambda: [["po4a", "--no-translations", "--force", "po4a.cfg"]],
            note="1 po4a run, config listing every article; .pot only",
        )

    def baseline(self, sources: Path, slugs: Sequence[str]) -> Path:
        """po4a's templates, and from them the catalogs po4a would create, every entry translated.
        (Letting po4a create them runs msginit, then msgmerge with a compendium of every catalog,
        per catalog: half an hour for 1,000 articles, and the entries are the same.)"""
        folder = self.project(self.work / "baseline" / "po4a", sources, slugs, langs=False)
        run(["po4a", "--no-translations", "--force", "po4a.cfg"], folder)
        (folder / "po4a.cfg").write_text(self.config(slugs, langs=True), encoding="utf-8")
        for slug in slugs:
            for lang in LANGS:
                catalog_from_template(
                    folder / "po" / f"{slug}.md.pot", folder / "po" / f"{slug}.md.{lang}.po", lang
                )
        return folder

    def update_job(self, base: Path, edited: Path) -> Job:
        folder = self.work / "update" / "po4a"

        def setup() -> None:
            fresh(folder)
            shutil.copy(base / "po4a.cfg", folder)
            shutil.copytree(base / "po", folder / "po")
            shutil.copytree(edited, folder / "sources")

        return Job(
            self.name,
            "update",
            UPDATE,
            folder,
            setup,
            commands=lambda: [["po4a", "--no-translations", "--force", "po4a.cfg"]],
            note="1 po4a run --no-translations --force (it runs msgmerge -U per catalog)",
            catalogs=lambda slug, lang: folder / "po" / f"{slug}.md.{lang}.po",
            baseline=lambda slug, lang: base / "po" / f"{slug}.md.{lang}.po",
        )


class TranslateToolkit:
    name = "translate-toolkit"

    def __init__(self, work: Path) -> None:
        self.work = work
        # As modules: mdpo installs a console script `md2po` too, over translate-toolkit's.
        self.md2po: list[str | Path] = [sys.executable, "-m", "translate.convert.md2po"]
        self.pot2po: list[str | Path] = [sys.executable, "-m", "translate.convert.pot2po"]

    def extract_job(self, sources: Path) -> Job:
        folder = fresh(self.work / "extract" / "translate-toolkit")
        shutil.copytree(sources, folder / "sources")

        def setup() -> None:
            fresh(folder / "pot")

        return Job(
            self.name,
            "extract",
            EXTRACT,
            folder,
            setup,
            commands=lambda: [[*self.md2po, "--progress=none", "-P", "sources", "pot"]],
            note="md2po -P on the folder",
        )

    def baseline(self, sources: Path, slugs: Sequence[str]) -> Path:
        folder = fresh(self.work / "baseline" / "translate-toolkit")
        shutil.copytree(sources, folder / "sources")
        (folder / "pot").mkdir()
        (folder / "po").mkdir()
        run([*self.md2po, "--progress=none", "-P", "sources", "pot"], folder)
        for lang in LANGS:
            run([*self.pot2po, "--progress=none", "pot", f"po/{lang}"], folder)
            for slug in slugs:
                fill(folder / "po" / lang / f"{slug}.po", lang)
        return folder

    def update_job(self, base: Path, edited: Path) -> Job:
        folder = self.work / "update" / "translate-toolkit"

        def setup() -> None:
            fresh(folder)
            shutil.copytree(base / "pot", folder / "pot")
            shutil.copytree(base / "po", folder / "old")
            (folder / "po").mkdir()
            shutil.copytree(edited, folder / "sources")

        def commands() -> list[list[str | Path]]:
            extract: list[str | Path] = [*self.md2po, "--progress=none", "-P", "sources", "pot"]
            merges: list[list[str | Path]] = [
                [*self.pot2po, "--progress=none", "-t", f"old/{lang}", "pot", f"po/{lang}"]
                for lang in LANGS
            ]
            return [extract, *merges]

        return Job(
            self.name,
            "update",
            UPDATE,
            folder,
            setup,
            commands,
            note="md2po -P on the folder, then pot2po -t OLD per language",
            catalogs=lambda slug, lang: folder / "po" / lang / f"{slug}.po",
            baseline=lambda slug, lang: base / "po" / lang / f"{slug}.po",
        )
