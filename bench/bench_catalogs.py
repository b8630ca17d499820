#!/usr/bin/env python3
"""Benchmark: `toolkit extract` / `toolkit update` against po4a, translate-toolkit and GNU msgmerge.

On a generated corpus (default 1,000 articles built from the Dutch seed texts and the shipped
sources, fixed random seed), every tool is run the way a user runs it on the whole corpus, as
subprocesses, several times; the median wall time is reported with the ratio peer / toolkit
(> 1 means toolkit is faster). The update scenario starts from fully translated catalogs, edits the
sources (one word changed in N paragraphs, M paragraphs re-wrapped, some deleted, some added) and
counts what each tool keeps of the translations. See bench/README.md.

    python bench/bench_catalogs.py [--articles 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import sysconfig
import textwrap
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polib
import yaml
from rich.console import Console
from rich.table import Table

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "work" / "catalogs"
RESULTS = BENCH / "results" / "catalogs.json"
DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"
SCRIPTS = Path(sysconfig.get_path("scripts"))  # console scripts of this Python, no pyenv shim

LANGS = ("en", "de")  # target languages; the articles are Dutch
PREFIX = {"en": "EN: ", "de": "DE: "}  # a "translation" is the prefix + the msgid
PYPROJECT = """\
[project]
name = "bench-corpus"
version = "0"

[tool.toolkit]
source_language = "nl"
languages = ["nl", "en", "de"]
"""

# Words a "one word changed" edit puts in; none of them is in the seeds in this form.
REPLACEMENTS = ("zachtere", "diepere", "rustigere", "sterkere", "bijzondere", "gewonere", "echtere")
# Rewordings for the per-copy variation (whole words only).
SYNONYMS = {
    "vaak": "dikwijls",
    "belangrijk": "essentieel",
    "lichaam": "lijf",
    "gespannen": "verkrampt",
    "helpt": "ondersteunt",
    "klachten": "problemen",
    "spanning": "stress",
    "rustig": "kalm",
    "bijvoorbeeld": "zoals",
}
FILLER = ("echt", "ook", "vaak", "soms", "juist", "heel")
# A wrapped line that starts like this would change the Markdown structure (list, quote, heading).
_BLOCK_START = re.compile(r"^(?:[-+*>#=|<]|\d+[.)](?:\s|$))")
_MARKUP = re.compile(r"[*_\[\]()<>`\\#|]")

console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)


# ── the corpus ──────────────────────────────────────────────────────────────────────────────────


@dataclass
class Block:
    kind: str  # "paragraph" (one plain line we may edit), "heading" or "other" (kept as written)
    text: str


@dataclass
class Article:
    slug: str
    title: str
    summary: str
    blocks: list[Block]

    def markdown(self) -> str:
        meta = {"title": self.title, "summary": self.summary, "lang": "nl"}
        head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
        return f"---\n{head}---\n\n" + "\n\n".join(b.text for b in self.blocks) + "\n"

    def clone(self) -> Article:
        return Article(
            self.slug, self.title, self.summary, [Block(b.kind, b.text) for b in self.blocks]
        )


def classify(chunk: str) -> str:
    if chunk.startswith("#") and "\n" not in chunk:
        return "heading"
    if "\n" in chunk or _BLOCK_START.match(chunk):
        return "other"
    return "paragraph"


def first_sentence(text: str) -> str:
    sentence = re.split(r"(?<=[.?!])\s", text, maxsplit=1)[0]
    return sentence if len(sentence) <= 160 else " ".join(sentence.split()[:20]) + "…"


def markdown_base(path: Path, slug: str) -> Article:
    """A Markdown file with front matter (seed 000, the shipped sources)."""
    text = path.read_text(encoding="utf-8")
    meta: dict[str, object] = {}
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    if match:
        meta = yaml.safe_load(match.group(1)) or {}
        text = text[match.end() :]
    chunks = [c.strip() for c in re.split(r"\n\s*\n", text) if c.strip()]
    blocks = [Block(classify(c), c) for c in chunks]
    paragraphs = [b.text for b in blocks if b.kind == "paragraph"]
    summary = str(meta.get("summary") or first_sentence(paragraphs[0] if paragraphs else slug))
    return Article(slug, str(meta.get("title") or slug), summary, blocks)


def text_base(path: Path, slug: str) -> Article:
    """A plain-text seed turned into crude Markdown: short lines become headings (or list items
    after a line ending in ':'), the other lines paragraphs."""
    lines = [" ".join(line.split()) for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    title = lines[0] if len(lines[0]) <= 100 else " ".join(lines[0].split()[:8]) + "…"
    if len(lines[0]) <= 100:
        lines = lines[1:]
    blocks: list[Block] = []
    items: list[str] = []
    bullet_next = False
    for line in lines:
        if line in ("-", "–", "•"):
            bullet_next = True
            continue
        short = len(line) < 70 and not line.endswith((".", ","))
        after_colon = bool(blocks) and blocks[-1].text.endswith(":")
        if bullet_next or (short and (items or after_colon)):
            items.append(line)
            bullet_next = False
            continue
        if items:
            blocks.append(Block("other", "\n".join(f"- {i}" for i in items)))
            items = []
        if short:
            blocks.append(Block("heading", f"## {line.rstrip(':')}"))
        elif _BLOCK_START.match(line):
            blocks.append(Block("other", line))
        else:
            blocks.append(Block("paragraph", line))
    if items:
        blocks.append(Block("other", "\n".join(f"- {i}" for i in items)))
    paragraphs = [b.text for b in blocks if b.kind == "paragraph"]
    return Article(slug, title, first_sentence(paragraphs[0] if paragraphs else title), blocks)


def load_bases(seeds: Path) -> list[Article]:
    bases: list[Article] = []
    for path in sorted(seeds.glob("*.txt")) if seeds.is_dir() else []:
        slug = "seed-" + path.stem.split("_")[0]
        head = path.read_text(encoding="utf-8")[:4]
        bases.append(markdown_base(path, slug) if head == "---\n" else text_base(path, slug))
    for path in sorted((ROOT / "sources").glob("*.md")):
        bases.append(markdown_base(path, path.stem))
    if not bases:
        sys.exit(f"no seed texts in {seeds} and no sources/*.md: nothing to build a corpus from")
    return bases


def words_of(text: str) -> list[str]:
    return text.split(" ")


def vary_paragraph(text: str, rng: random.Random) -> str:
    text = re.sub(r"\b\d+\b", lambda m: str(max(1, int(m.group()) + rng.randint(-3, 3))), text)
    words = words_of(text)
    plain = [i for i, w in enumerate(words) if i > 0 and w.isalpha()]
    if len(plain) >= 2 and rng.random() < 0.25:  # swap two neighbours
        i = rng.choice(plain[:-1])
        if i + 1 < len(words) and words[i + 1].isalpha():
            words[i], words[i + 1] = words[i + 1], words[i]
    if rng.random() < 0.3:  # reword
        hits = [i for i, w in enumerate(words) if w in SYNONYMS]
        if hits:
            i = rng.choice(hits)
            words[i] = SYNONYMS[words[i]]
    if plain and rng.random() < 0.15:  # add a filler word
        words.insert(rng.choice(plain), rng.choice(FILLER))
    return " ".join(words)


def make_corpus(bases: Sequence[Article], count: int, rng: random.Random) -> list[Article]:
    articles = []
    for n in range(count):
        base = bases[n % len(bases)]
        copy = base.clone()
        copy.slug = f"{base.slug}-{n:04d}"
        copy.title = f"{base.title} ({n // len(bases) + 1})"
        for block in copy.blocks:
            if block.kind == "paragraph":
                block.text = vary_paragraph(block.text, rng)
        articles.append(copy)
    return articles


# ── the edits of the update scenario ────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Edit:
    slug: str
    kind: str  # "word", "rewrap", "delete", "add"
    old: str
    new: str


def change_one_word(text: str, rng: random.Random) -> str:
    words = words_of(text)
    choices = [i for i, w in enumerate(words) if i > 0 and w.isalpha() and len(w) >= 4]
    i = rng.choice(choices)
    words[i] = rng.choice([r for r in REPLACEMENTS if r != words[i]])
    return " ".join(words)


def rewrap(text: str) -> str | None:
    """The paragraph with soft line breaks, or None when no width keeps it a plain paragraph."""
    for width in (60, 56, 64, 52, 68, 72):
        lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
        if len(lines) > 1 and not any(_BLOCK_START.match(line) for line in lines[1:]):
            return "\n".join(lines)
    return None


def editable(article: Article) -> list[int]:
    """Paragraphs whose text is plain (no inline markup) and unique in the article: every tool
    gives them the same msgid, so each tool's entry for them can be found."""
    texts = [b.text for b in article.blocks]
    return [
        i
        for i, b in enumerate(article.blocks)
        if b.kind == "paragraph"
        and not _MARKUP.search(b.text)
        and texts.count(b.text) == 1
        and b.text not in (article.title, article.summary)
    ]


def plan_edits(
    articles: list[Article], rng: random.Random, words: int, wraps: int, deletes: int, adds: int
) -> tuple[list[Article], list[Edit]]:
    """The edited copy of the corpus and the list of what was done to it."""
    edited = [a.clone() for a in articles]
    spots = [(a, i) for a in range(len(edited)) for i in editable(edited[a])]
    rng.shuffle(spots)
    edits: list[Edit] = []
    want = {"word": words, "rewrap": wraps, "delete": deletes}
    removed: list[tuple[int, int]] = []
    for a, i in spots:
        block = edited[a].blocks[i]
        n_words = len(block.text.split())
        if want["word"] and n_words >= 12:
            new = change_one_word(block.text, rng)
            edits.append(Edit(edited[a].slug, "word", block.text, new))
            block.text = new
            want["word"] -= 1
        elif want["rewrap"] and n_words >= 25 and (wrapped := rewrap(block.text)):
            edits.append(Edit(edited[a].slug, "rewrap", block.text, wrapped))
            block.text = wrapped
            want["rewrap"] -= 1
        elif want["delete"]:
            edits.append(Edit(edited[a].slug, "delete", block.text, ""))
            removed.append((a, i))
            want["delete"] -= 1
        if not any(want.values()):
            break
    for a, i in sorted(removed, reverse=True):
        del edited[a].blocks[i]
    vocabulary = sorted(
        {w for a in articles[:50] for b in a.blocks for w in b.text.split() if w.isalpha()}
    )
    for n in range(adds):
        article = rng.choice(edited)
        text = f"Nieuwe alinea {n + 1}: " + " ".join(rng.choices(vocabulary, k=18)) + "."
        article.blocks.insert(rng.randrange(len(article.blocks) + 1), Block("paragraph", text))
        edits.append(Edit(article.slug, "add", "", text))
    return edited, edits


def write_sources(articles: Iterable[Article], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for article in articles:
        (folder / f"{article.slug}.md").write_text(article.markdown(), encoding="utf-8")


# ── running and timing ──────────────────────────────────────────────────────────────────────────


class ToolFailed(RuntimeError):
    pass


class TimedOut(ToolFailed):
    pass


def run(argv: Sequence[str | Path], cwd: Path, *, timeout: float | None = None) -> None:
    """Run one command; a failure or a timeout (the whole process group is killed) raises."""
    with subprocess.Popen(
        [str(a) for a in argv],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as proc:
        try:
            _, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise TimedOut from None
    if proc.returncode != 0:
        tail = " | ".join(stderr.strip().splitlines()[-3:])
        command = " ".join(str(a) for a in argv)[:120]
        raise ToolFailed(f"`{command}` exited {proc.returncode}: {tail}")


def run_all(commands: Sequence[Sequence[str | Path]], cwd: Path, timeout: float) -> float:
    start = time.perf_counter()
    for argv in commands:
        run(argv, cwd, timeout=max(1.0, timeout - (time.perf_counter() - start)))
    return time.perf_counter() - start


def fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def norm(text: str) -> str:
    return " ".join(text.split())


def catalog_from_template(pot: Path, po: Path, lang: str) -> None:
    """A new catalog for `lang` from a template, as msginit makes it (but translated, see fill)."""
    catalog = polib.pofile(str(pot), wrapwidth=78)
    catalog.metadata["Language"] = lang
    catalog.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    catalog.metadata_is_fuzzy = False
    catalog.save(str(po))
    fill(po, lang)


def fill(path: Path, lang: str) -> None:
    """Every entry translated: msgstr = prefix + msgid, no fuzzy flag."""
    po = polib.pofile(str(path), wrapwidth=78)
    for entry in po:
        if entry.msgid and not entry.obsolete:
            entry.msgstr = PREFIX[lang] + entry.msgid
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save(str(path))


# ── the tools ───────────────────────────────────────────────────────────────────────────────────


@dataclass
class Job:
    """One timed operation of one tool: `setup` (untimed) then `commands`, once per run."""

    tool: str
    operation: str
    cwd: Path
    setup: Callable[[], None]
    commands: Callable[[], list[list[str | Path]]]
    note: str = ""
    # (slug, lang) -> the catalog after the update, and the translated one it started from
    catalogs: Callable[[str, str], Path] | None = None
    baseline: Callable[[str, str], Path] | None = None
    times: list[float] = field(default_factory=list)
    processes: int = 0
    error: str = ""
    timed_out: bool = False


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

    def extract_job(self, sources: Path) -> Job:
        folder = self.project(self.work / "extract" / self.name, sources)
        return Job(
            self.name,
            "extract",
            folder,
            setup=lambda: shutil.rmtree(folder / "locales", ignore_errors=True),
            commands=lambda: [[self.exe, "--project", folder, "extract"]],
            note="toolkit extract, 1 process",
        )

    def baseline(self, sources: Path, slugs: Sequence[str]) -> Path:
        """Catalogs of the original corpus, every entry translated."""
        folder = self.project(self.work / "baseline" / self.name, sources)
        run([self.exe, "--project", folder, "update"], folder)
        for slug in slugs:
            for lang in LANGS:
                fill(folder / "locales" / lang / "LC_MESSAGES" / f"{slug}.po", lang)
        return folder

    def update_job(self, base: Path, edited: Path) -> Job:
        folder = self.work / "update" / self.name

        def setup() -> None:
            fresh(folder)
            shutil.copy(base / "pyproject.toml", folder)
            shutil.copytree(base / "locales", folder / "locales")
            shutil.copytree(edited, folder / "sources")

        return Job(
            self.name,
            "update",
            folder,
            setup,
            commands=lambda: [[self.exe, "--project", folder, "update"]],
            note="toolkit update, 1 process (extract + merge)",
            catalogs=lambda slug, lang: folder / "locales" / lang / "LC_MESSAGES" / f"{slug}.po",
            baseline=lambda slug, lang: base / "locales" / lang / "LC_MESSAGES" / f"{slug}.po",
        )

    def templates(self, edited: Path) -> Path:
        """Our templates of the edited corpus, for msgmerge to merge alone."""
        folder = self.project(self.work / "edited-pots", edited)
        run([self.exe, "--project", folder, "extract"], folder)
        return folder / "locales"


class Msgmerge:
    name = "GNU msgmerge"

    def __init__(self, work: Path) -> None:
        self.work = work

    def update_job(self, base: Path, pots: Path, slugs: Sequence[str]) -> Job:
        folder = self.work / "update" / "msgmerge"

        def old(slug: str, lang: str) -> Path:
            return base / "locales" / lang / "LC_MESSAGES" / f"{slug}.po"

        def new(slug: str, lang: str) -> Path:
            return folder / lang / f"{slug}.po"

        def setup() -> None:
            fresh(folder)
            for lang in LANGS:
                (folder / lang).mkdir()

        def commands() -> list[list[str | Path]]:
            return [
                [
                    "msgmerge",
                    "--quiet",
                    "--previous",
                    "-o",
                    new(slug, lang),
                    old(slug, lang),
                    pots / f"{slug}.pot",
                ]
                for slug in slugs
                for lang in LANGS
            ]

        return Job(
            self.name,
            "merge only",
            folder,
            setup,
            commands,
            note="msgmerge --previous, one process per catalog (as `make update-po`); input: toolkit's .pot of the edited sources",
            catalogs=new,
            baseline=old,
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
            folder,
            setup=lambda: shutil.rmtree(folder / "po", ignore_errors=True),
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
        self.md2po = SCRIPTS / "md2po"
        self.pot2po = SCRIPTS / "pot2po"

    def extract_job(self, sources: Path) -> Job:
        folder = fresh(self.work / "extract" / "translate-toolkit")
        shutil.copytree(sources, folder / "sources")

        def setup() -> None:
            fresh(folder / "pot")

        return Job(
            self.name,
            "extract",
            folder,
            setup,
            commands=lambda: [[self.md2po, "--progress=none", "-P", "sources", "pot"]],
            note="md2po -P on the folder",
        )

    def baseline(self, sources: Path, slugs: Sequence[str]) -> Path:
        folder = fresh(self.work / "baseline" / "translate-toolkit")
        shutil.copytree(sources, folder / "sources")
        (folder / "pot").mkdir()
        (folder / "po").mkdir()
        run([self.md2po, "--progress=none", "-P", "sources", "pot"], folder)
        for lang in LANGS:
            run([self.pot2po, "--progress=none", "pot", f"po/{lang}"], folder)
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
            extract: list[str | Path] = [self.md2po, "--progress=none", "-P", "sources", "pot"]
            merges: list[list[str | Path]] = [
                [self.pot2po, "--progress=none", "-t", f"old/{lang}", "pot", f"po/{lang}"]
                for lang in LANGS
            ]
            return [extract, *merges]

        return Job(
            self.name,
            "update",
            folder,
            setup,
            commands,
            note="md2po -P on the folder, then pot2po -t OLD per language",
            catalogs=lambda slug, lang: folder / "po" / lang / f"{slug}.po",
            baseline=lambda slug, lang: base / "po" / lang / f"{slug}.po",
        )


# ── installing the peers ────────────────────────────────────────────────────────────────────────


def apt_install(package: str) -> str:
    """'' when installed, else why not."""
    if shutil.which("apt-get") is None:
        return "no apt-get on this machine"
    prefix = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if prefix is None:
        return "not root and no sudo"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [*prefix, "apt-get", "install", "-y", "-q", package]
    if subprocess.run(install, env=env, capture_output=True).returncode == 0:
        return ""
    subprocess.run([*prefix, "apt-get", "update", "-q"], env=env, capture_output=True)
    done = subprocess.run(install, env=env, capture_output=True, text=True)
    return (
        ""
        if done.returncode == 0
        else f"apt-get install {package} failed: {done.stderr.strip()[-200:]}"
    )


def pip_install(requirement: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", requirement], capture_output=True, text=True
    )
    return (
        ""
        if done.returncode == 0
        else f"pip install {requirement} failed: {done.stderr.strip()[-200:]}"
    )


def translate_toolkit_ready() -> bool:
    probe = "import translate.convert.md2po, translate.convert.pot2po, mistletoe, rapidfuzz"
    has_scripts = (SCRIPTS / "md2po").exists() and (SCRIPTS / "pot2po").exists()
    return (
        has_scripts
        and subprocess.run([sys.executable, "-c", probe], capture_output=True).returncode == 0
    )


def ensure_peers(install: bool) -> dict[str, str]:
    """Peer name -> '' when usable, else why not; installs what is missing unless told not to."""
    status: dict[str, str] = {}
    for peer, command, package in (
        ("po4a", "po4a", "po4a"),
        ("GNU msgmerge", "msgmerge", "gettext"),
    ):
        if shutil.which(command) is None:
            status[peer] = apt_install(package) if install else "not installed (--no-install)"
            if not status[peer] and shutil.which(command) is None:
                status[peer] = f"{command} still not found after installing {package}"
        else:
            status[peer] = ""
    if not translate_toolkit_ready():
        # md2po needs the markdown extra (mistletoe); pot2po's fast fuzzy matcher is the levenshtein one.
        status["translate-toolkit"] = (
            pip_install("translate-toolkit[markdown,levenshtein]")
            if install
            else "not installed (--no-install)"
        )
        if not status["translate-toolkit"] and not translate_toolkit_ready():
            status["translate-toolkit"] = "md2po/pot2po still not importable after pip install"
    else:
        status["translate-toolkit"] = ""
    return status


def versions() -> dict[str, str]:
    def first_line(argv: list[str | Path]) -> str:
        try:
            done = subprocess.run([str(a) for a in argv], capture_output=True, text=True)
        except OSError:
            return ""
        return (
            (done.stdout or done.stderr).strip().splitlines()[0]
            if (done.stdout or done.stderr).strip()
            else ""
        )

    return {
        "toolkit": first_line([SCRIPTS / "toolkit", "--version"]),
        "po4a": first_line(["po4a", "--version"]),
        "msgmerge": first_line(["msgmerge", "--version"]),
        "translate-toolkit": first_line([SCRIPTS / "md2po", "--version"]),
        "python": platform.python_version(),
    }


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
    processes: int
    how: str
    median_s: float | None
    runs_s: list[float]
    ratio_vs_toolkit: float | None
    score: Score | None
    error: str = ""
    lower_bound: bool = False  # the tool timed out: its time (and ratio) is at least this


def rows_of(jobs: Sequence[Job], scores: dict[int, Score]) -> list[Row]:
    def median(job: Job) -> float | None:
        ok = job.times and (job.timed_out or not job.error)  # a timeout gives a lower bound
        return statistics.median(job.times) if ok else None

    ours = {j.operation: median(j) for j in jobs if j.tool == Toolkit.name}
    rows = []
    for i, job in enumerate(jobs):
        m = median(job)
        reference = ours.get("extract" if job.operation == "extract" else "update")
        ratio = m / reference if m is not None and reference and job.tool != Toolkit.name else None
        rows.append(
            Row(
                job.tool,
                job.operation,
                job.processes,
                job.note,
                m,
                [round(t, 3) for t in job.times],
                ratio,
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
        title=f"Catalog benchmark: median of {runs} runs (ratio = peer time / toolkit time, > 1: toolkit faster)"
    )
    for column, justify in (
        ("tool", "left"),
        ("operation", "left"),
        ("processes", "right"),
        ("runs", "right"),
        ("median s", "right"),
        ("ratio vs toolkit", "right"),
        (f"fuzzy kept / {counts['word']} (right one)", "right"),
        (f"rewrapped kept / {counts['rewrap']}", "right"),
        ("lost", "right"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for row in rows:
        s = row.score
        table.add_row(
            row.tool,
            row.operation,
            str(row.processes),
            str(len(row.runs_s)),
            seconds(row),
            (">" if row.lower_bound else "") + f"{row.ratio_vs_toolkit:.2f}×"
            if row.ratio_vs_toolkit is not None
            else "",
            f"{s.fuzzy_kept} ({s.fuzzy_right})" if s else "",
            str(s.rewrapped_kept) if s else "",
            str(s.lost) if s else "",
        )
    console.print(table)
    for row in rows:
        console.print(f"  {row.tool} {row.operation}: {row.how}")
    for row in rows:
        if row.error:
            console.print(f"[red]{row.tool} {row.operation} failed:[/red] {row.error}")
        elif row.score and row.score.not_found:
            console.print(
                f"{row.tool}: {row.score.not_found} edited/re-wrapped paragraphs had no entry with their text"
            )
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


# ── main ────────────────────────────────────────────────────────────────────────────────────────


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--articles", type=int, default=1000, help="articles in the corpus (default 1000)"
    )
    p.add_argument(
        "--runs",
        type=int,
        default=3,
        help="timed runs per tool and operation; the median is reported",
    )
    p.add_argument("--edits", type=int, default=300, help="paragraphs with one word changed")
    p.add_argument(
        "--rewraps", type=int, default=100, help="paragraphs re-wrapped with soft line breaks"
    )
    p.add_argument("--deletes", type=int, default=20, help="paragraphs deleted")
    p.add_argument("--adds", type=int, default=20, help="paragraphs added")
    p.add_argument(
        "--seed", type=int, default=20260314, help="random seed of the corpus and the edits"
    )
    p.add_argument("--seeds-dir", type=Path, default=DEFAULT_SEEDS, help="folder of seed texts")
    p.add_argument(
        "--slow", type=float, default=300, help="a job whose run takes longer is timed only once"
    )
    p.add_argument(
        "--timeout", type=float, default=2400, help="seconds after which a run is stopped"
    )
    p.add_argument("--no-install", action="store_true", help="do not install missing peers")
    p.add_argument("--json", type=Path, default=RESULTS, help="where to write the results")
    return p.parse_args(argv)


def report_peers(status: dict[str, str]) -> None:
    for peer, why in status.items():
        console.print(f"{peer}: " + (f"[red]not available[/red] — {why}" if why else "available"))


def build_corpus(
    args: argparse.Namespace,
) -> tuple[list[str], Path, Path, list[Edit], dict[str, int]]:
    rng = random.Random(args.seed)
    articles = make_corpus(load_bases(args.seeds_dir), args.articles, rng)
    edited, edits = plan_edits(articles, rng, args.edits, args.rewraps, args.deletes, args.adds)
    original, changed = fresh(WORK / "corpus" / "original"), fresh(WORK / "corpus" / "edited")
    write_sources(articles, original)
    write_sources(edited, changed)
    size = sum(p.stat().st_size for p in original.iterdir())
    paragraphs = sum(b.kind == "paragraph" for a in articles for b in a.blocks)
    console.print(
        f"Corpus: {len(articles)} articles, {paragraphs} paragraphs, {size / 1e6:.1f} MB in {original}"
    )
    stats = {"articles": len(articles), "paragraphs": paragraphs, "bytes": size}
    return [a.slug for a in articles], original, changed, edits, stats


def prepare_jobs(
    status: dict[str, str], slugs: list[str], original: Path, edited: Path
) -> list[Job]:
    """Every timed job, with the untimed preparation (translated baselines) done here."""
    toolkit = Toolkit(WORK)
    jobs = [toolkit.extract_job(original)]
    console.print("Preparing translated baselines (not timed)…")
    ours = toolkit.baseline(original, slugs)
    jobs.append(toolkit.update_job(ours, edited))
    if not status.get("po4a"):
        po4a = Po4a(WORK)
        jobs.append(po4a.extract_job(original, slugs))
        guarded(
            jobs,
            po4a.name,
            lambda: jobs.append(po4a.update_job(po4a.baseline(original, slugs), edited)),
        )
    if not status.get("translate-toolkit"):
        tt = TranslateToolkit(WORK)
        jobs.append(tt.extract_job(original))
        guarded(
            jobs, tt.name, lambda: jobs.append(tt.update_job(tt.baseline(original, slugs), edited))
        )
    if not status.get("GNU msgmerge"):
        jobs.append(Msgmerge(WORK).update_job(ours, toolkit.templates(edited), slugs))
    return jobs


def guarded(jobs: list[Job], tool: str, step: Callable[[], None]) -> None:
    try:
        step()
    except ToolFailed as exc:
        jobs.append(
            Job(
                tool,
                "update",
                WORK,
                lambda: None,
                lambda: [],
                error=f"preparing the baseline: {exc}",
            )
        )


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
                job.times.append(run_all(commands, job.cwd, timeout))
            except TimedOut:
                job.error = f"did not finish in {timeout:g} s"
                job.times, job.timed_out = [timeout], True
            except ToolFailed as exc:
                job.error = str(exc)
            console.print(
                f"  run {n + 1}/{runs}  {job.tool:<18} {job.operation:<10} "
                + (job.error or f"{job.times[-1]:7.2f} s")
            )


def merge_alone(rows: Sequence[Row]) -> dict[str, float]:
    """msgmerge merges only; toolkit update also extracts. Its merge alone is estimated as
    update - extract (both medians), which is what msgmerge's figure compares with."""
    median = {(r.tool, r.operation): r.median_s for r in rows if r.median_s is not None}
    update, extract = median.get((Toolkit.name, "update")), median.get((Toolkit.name, "extract"))
    peer = median.get((Msgmerge.name, "merge only"))
    if update is None or extract is None or peer is None or update <= extract:
        return {}
    ours = update - extract
    console.print(
        f"Merge alone: toolkit update - extract ≈ {ours:.2f} s; msgmerge {peer:.2f} s "
        f"({peer / ours:.2f}× toolkit's merge, {peer / update:.2f}× toolkit's whole update)."
    )
    return {
        "toolkit_merge_estimate_s": round(ours, 3),
        "msgmerge_vs_toolkit_merge": round(peer / ours, 3),
        "msgmerge_vs_toolkit_update": round(peer / update, 3),
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    status = ensure_peers(install=not args.no_install)
    report_peers(status)
    slugs, original, edited, edits, corpus = build_corpus(args)
    jobs = prepare_jobs(status, slugs, original, edited)
    time_jobs(jobs, args.runs, args.slow, args.timeout)
    scores = {
        i: score(job, edits, slugs)
        for i, job in enumerate(jobs)
        if job.catalogs and job.times and not job.error
    }
    rows = rows_of(jobs, scores)
    print_table(rows, edits, args.runs)
    derived = merge_alone(rows)
    write_json(
        args.json,
        rows,
        {
            "generated": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
            "versions": versions(),
            "not_available": {k: v for k, v in status.items() if v},
            "parameters": {
                k: v for k, v in vars(args).items() if k not in ("json", "seeds_dir", "no_install")
            },
            "corpus": corpus,
            "edits": {
                k: sum(e.kind == k for e in edits) for k in ("word", "rewrap", "delete", "add")
            },
            "derived": derived,
        },
    )
    console.print(f"Results written to {args.json}")
    return 1 if any(r.error for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
