"""The benchmark's corpus: articles made from the Dutch seed texts and the shipped sources, the edits
of the update scenario, and translated catalogs to start from (bench/README.md, "The corpus")."""

from __future__ import annotations

import random
import re
import shutil
import sys
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polib
import yaml

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"

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


def apply_edit(source: Path, edit: Edit, target: Path) -> None:
    """A copy of the corpus in `source` with one edit made (the "one article edited" scenario)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for path in source.iterdir():
        text = path.read_text(encoding="utf-8")
        if path.stem == edit.slug:
            assert edit.old in text
            text = text.replace(edit.old, edit.new, 1)
        (target / path.name).write_text(text, encoding="utf-8")


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
