"""The catalog cache (.toolkit-cache/catalogs): only speed changes with it. A cached run writes the
bytes a cold run writes; a run whose inputs did not change reads and writes no catalog; a damaged
cache is ignored and rebuilt; content decides, never modification times."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import polib
import pytest
from conftest import PYPROJECT, Project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toolkit.catalogs.recall as recall
import toolkit.catalogs.templates as templates
from toolkit.catalogs import cache as cache_module
from toolkit.catalogs.cache import CACHE_FOLDER
from toolkit.catalogs.edit import entry_base, save_entry
from toolkit.catalogs.files import LAYOUTS_DOMAIN, article_domains, read_catalog
from toolkit.catalogs.update import UpdateReport, all_domains, run_update
from toolkit.config import load_config
from toolkit.sources.files import load_articles

SHARED = "De psoas verbindt de wervelkolom met de benen en helpt ons rechtop te staan."
BODY = f"""\
## Wat is de psoas?

{SHARED}

- Ademhaling
- Houding

Kom het eens ervaren bij [Massagetherapie](/massage-en-visie.html).
"""


def locales(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "locales").rglob("*"))
        if p.is_file() and p.name != ".toolkit.lock"
    }


class Reads:
    """How many sources were parsed and catalogs read (by update's own calls): from their files,
    or from the cache's copy of what a file with the same bytes gave (`parsed` holds the first)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sources: list[str] = []
        self.catalogs: list[str] = []
        self.parsed: list[str] = []
        parse, read, kept = templates.parse_source, recall.read_catalog, recall.catalog_from_json

        def counted_parse(data, rel, *args):  # type: ignore[no-untyped-def]
            self.sources.append(rel)
            return parse(data, rel, *args)

        def counted_read(config, path):  # type: ignore[no-untyped-def]
            self.catalogs.append(path.name)
            self.parsed.append(path.name)
            return read(config, path)

        def counted_kept(data, path, digest):  # type: ignore[no-untyped-def]
            self.catalogs.append(Path(path).name)
            return kept(data, path, digest)

        monkeypatch.setattr(templates, "parse_source", counted_parse)
        monkeypatch.setattr(recall, "read_catalog", counted_read)
        monkeypatch.setattr(recall, "catalog_from_json", counted_kept)

    def clear(self) -> None:
        self.sources.clear()
        self.catalogs.clear()
        self.parsed.clear()


def translate(project: Project, lang: str, slug: str, prefix: str, only: str | None = None) -> None:
    path = project.po(lang, slug)
    po = polib.pofile(str(path))
    for entry in po:
        if only is None or entry.msgid == only:
            entry.msgstr = f"{prefix}: {entry.msgid}"
    po.save(str(path))


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Reads:
    return Reads(monkeypatch)


def test_nothing_changed_reads_and_writes_no_catalog(project: Project, reads: Reads) -> None:
    project.source("psoas", BODY)
    project.source("stress", "Spanning in de buik.\n\n" + SHARED + "\n", front="title: Stress\n")
    project.run("update")
    translate(project, "de", "psoas", "DE")
    project.run("update")  # reads what the translator changed, fills stress from the memory
    project.run("update")  # reads what the last run wrote
    before = locales(project.root)
    stamps = {p: p.stat().st_mtime_ns for p in (project.root / "locales").rglob("*.po*")}
    reads.clear()
    config = load_config(project.root)
    report = run_update(config)
    assert reads.sources == [] and reads.catalogs == []
    assert locales(project.root) == before
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps  # not even rewritten as they were
    assert report.written == () and len(report.unchanged) == 6
    assert [m.stats.kept for m in report.merges] == [0, 6, 0, 1]  # the counts, as a merge gives them


def test_one_article_edited_reads_only_its_source_and_catalogs(project: Project, reads: Reads) -> None:
    for slug in ("een", "twee", "drie"):
        project.source(slug, BODY.replace("Houding", f"Houding {slug}"), front=f"title: {slug}\n")
    project.run("update")
    for slug in ("een", "twee", "drie"):
        translate(project, "de", slug, "DE")
        translate(project, "en", slug, "EN")
    project.run("update")
    reads.clear()
    project.source("twee", BODY.replace("Houding", "Houding twee nu"), front="title: twee\n")
    assert project.run("update") == 0
    assert reads.sources == ["sources/twee.md"]
    assert sorted(reads.catalogs) == ["twee.po", "twee.po"]
    # Both were read by the update before (after the translators' edits): their bytes are the
    # same, so the cache gives what reading them gave, without parsing them again.
    assert reads.parsed == []
    entry = polib.pofile(str(project.po("de", "twee"))).find("Houding twee nu")
    assert entry.msgstr == "DE: Houding twee" and "fuzzy" in entry.flags
    # What that run wrote is known (every entry holds a translation, so the next merge would give
    # the same): the next run reads nothing at all.
    reads.clear()
    project.run("update")
    assert reads.sources == [] and reads.catalogs == []


def test_a_catalog_edited_by_a_translator_is_merged_again(project: Project, reads: Reads) -> None:
    project.source("psoas", BODY)
    project.run("update")
    project.run("update")
    translate(project, "en", "psoas", "EN", only="Houding")
    reads.clear()
    project.run("update")
    assert reads.catalogs == ["psoas.po"]
    assert polib.pofile(str(project.po("en", "psoas"))).find("Houding").msgstr == "EN: Houding"


def test_content_decides_not_modification_times(project: Project, reads: Reads) -> None:
    project.source("psoas", BODY)
    project.run("update")
    translate(project, "de", "psoas", "DE")
    project.run("update")
    # Touched, the same bytes: nothing to do.
    for path in [*(project.root / "locales").rglob("*.po*"), *(project.root / "sources").glob("*.md")]:
        os.utime(path, (1, 1))
    reads.clear()
    project.run("update")
    assert reads.sources == [] and reads.catalogs == []
    # Changed, with the old modification time put back: merged again.
    path = project.po("de", "psoas")
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("DE: Houding", "Haltung"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    source = project.root / "sources/psoas.md"
    stat = source.stat()
    edited = SHARED.replace(" ons ", " jou ")  # the same length, too
    source.write_text(f"---\ntitle: Titel\n---\n\n{BODY.replace(SHARED, edited)}", encoding="utf-8")
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    reads.clear()
    project.run("update")
    assert reads.sources == ["sources/psoas.md"] and "psoas.po" in reads.catalogs
    po = polib.pofile(str(path))
    assert po.find("Houding").msgstr == "Haltung"
    assert po.find(edited).msgstr == f"DE: {SHARED}" and "fuzzy" in po.find(edited).flags


def test_a_translation_elsewhere_reaches_an_unchanged_catalog(project: Project, reads: Reads) -> None:
    """The memory is an input too: an untranslated entry is filled when another catalog translates
    the same text, although its own catalog and source did not change."""
    project.source("psoas", BODY)
    project.source("stress", f"{SHARED}\n\nAlleen hier.\n", front="title: Stress\n")
    project.run("update")
    project.run("update")
    translate(project, "de", "psoas", "DE", only=SHARED)
    reads.clear()
    project.run("update")
    assert reads.sources == []
    entry = polib.pofile(str(project.po("de", "stress"))).find(SHARED)
    assert entry.msgstr == f"DE: {SHARED}" and "fuzzy" not in entry.flags
    assert "memory: exact match from locales/de/LC_MESSAGES/psoas.po" in entry.tcomment
    project.run("update")  # reads once more what the last run wrote (not all of it translated)
    # A change the memory does not answer differently: the stress catalogs are not merged again.
    translate(project, "de", "psoas", "DE", only="Houding")
    reads.clear()
    project.run("update")
    assert "stress.po" not in reads.catalogs


def test_the_glossary_and_settings_are_inputs(project: Project) -> None:
    project.source("psoas", BODY)
    project.run("update")
    project.write("locales/glossary.csv", "term,pos,note,flags,de\npsoas,noun,,,Psoas\n")
    project.run("update")
    entry = polib.pofile(str(project.po("de", "psoas"))).find(SHARED)
    assert "glossary: psoas = Psoas" in entry.comment
    text = project.read("pyproject.toml").replace('languages = ["nl", "en", "de"]', 'languages = ["nl", "en", "de"]\nproject_name = "anders"')
    project.write("pyproject.toml", text)
    project.run("update")
    assert 'Project-Id-Version: anders psoas' in project.po("de", "psoas").read_text(encoding="utf-8")


def _title_comment(project: Project, lang: str, slug: str, title: str) -> str:
    return str(polib.pofile(str(project.po(lang, slug))).find(title, msgctxt="title").comment)


def test_the_articles_register_is_an_input(project: Project, reads: Reads) -> None:
    """The title's register note follows the front matter and the project's default, with the
    source's template cached and its catalogs otherwise unchanged."""
    project.write("pyproject.toml", PYPROJECT + 'register = { de = "du" }\n')
    project.source("formeel", BODY, front="title: Formeel\nregister: {de: sie}\n")
    project.run("update")
    project.run("update")
    assert "register: Sie:" in _title_comment(project, "de", "formeel", "Formeel")
    assert "register" not in _title_comment(project, "en", "formeel", "Formeel")
    project.source("formeel", BODY, front="title: Formeel\nregister: {de: du}\n")
    project.run("update")
    note = _title_comment(project, "de", "formeel", "Formeel")
    assert "register: du:" in note and "Sie" not in note
    project.source("formeel", BODY, front="title: Formeel\n")  # the project's default now
    project.run("update")
    assert "register: du:" in _title_comment(project, "de", "formeel", "Formeel")
    reads.clear()
    project.write("pyproject.toml", PYPROJECT + 'register = { de = "Sie" }\n')
    project.run("update")
    assert reads.sources == []  # the default is applied to the cached record: no parse
    assert "register: Sie:" in _title_comment(project, "de", "formeel", "Formeel")
    assert "register" not in _title_comment(project, "en", "formeel", "Formeel")


def test_cached_domains_are_the_articles_domains(project: Project) -> None:
    """What `check` reads through the cache (registers, and the notes of what the source left out)
    is what reading the articles gives."""
    project.write("pyproject.toml", PYPROJECT + 'register = { de = "du", nl = "je" }\n')
    liquid = BODY + "\n{% comment %}weg{% endcomment %}\n\n{% include note.html %}\n"
    project.source("formeel", liquid, front="title: Formeel\nregister: {de: Sie}\n")
    project.source("gewoon", BODY, front="title: Gewoon\n")
    project.run("update")
    config = load_config(project.root)
    articles = article_domains(load_articles(config), config)
    for _ in range(2):  # parsed, then from the cache
        cached = [d for d in all_domains(config) if d.name != LAYOUTS_DOMAIN]
        assert cached == articles
        assert [d.registers for d in cached] == [(("nl", "je"), ("de", "Sie")), (("nl", "je"), ("de", "du"))]
        assert cached[0].notes and [(n.line, n.message) for n in cached[0].notes] == [
            (n.line, n.message) for n in articles[0].notes
        ]
        project.run("update")


DAMAGE = {
    "truncated index": lambda folder: _cut(folder / "index.json"),
    "index of another toolkit": lambda folder: _edit(
        folder / "index.json", f'"format":{cache_module.FORMAT}'.encode(), b'"format":9'
    ),
    "garbage index": lambda folder: (folder / "index.json").write_bytes(os.urandom(300)),
    "index a folder": lambda folder: _replace_with_folder(folder / "index.json"),
    "index a fifo": lambda folder: _replace_with_fifo(folder / "index.json"),
    "template edited": lambda folder: [_edit(p, b"Houding", b"Hooding") for p in (folder / "templates").iterdir()],
    "template truncated": lambda folder: [_cut(p) for p in (folder / "templates").iterdir()],
    "memory edited": lambda folder: [_edit(p, b"DE:", b"XX:") for p in (folder / "memory").iterdir()],
    "wrong types": lambda folder: _reseal(folder / "index.json", b'"stats":[', b'"stats":["x",'),
    "read catalog edited": lambda folder: [_edit(p, b"DE:", b"XX:") for p in (folder / "read").iterdir()],
    "read catalog of wrong types": lambda folder: [
        _reseal(p, b'"DE: ', b'7,"DE: ') for p in (folder / "read").iterdir()
    ],
    "cache folder gone": lambda folder: shutil.rmtree(folder.parent),
}


def _cut(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])


def _edit(path: Path, old: bytes, new: bytes) -> None:
    path.write_bytes(path.read_bytes().replace(old, new))


def _reseal(path: Path, old: bytes, new: bytes) -> None:
    """An edit with a checksum that holds: the payload itself is wrong."""
    _, _, payload = path.read_bytes().partition(b"\n")
    payload = payload.replace(old, new)
    path.write_bytes(cache_module.sha256(payload).encode() + b"\n" + payload)


def _replace_with_fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _replace_with_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_cache_is_ignored_and_rebuilt(project: Project, damage: str, tmp_path_factory) -> None:
    project.source("psoas", BODY)
    project.source("stress", f"{SHARED}\n\nNieuw hier.\n", front="title: Stress\n")
    project.run("update")
    translate(project, "de", "psoas", "DE")
    project.run("update")
    project.source("psoas", BODY.replace("Houding", "Zithouding"))
    expected_root = tmp_path_factory.mktemp("expected") / "project"
    shutil.copytree(project.root, expected_root)
    shutil.rmtree(expected_root / CACHE_FOLDER)
    assert Project(expected_root).run("update") == 0  # cold: the reference
    folder = project.root / CACHE_FOLDER / "catalogs"
    DAMAGE[damage](folder)
    assert project.run("update") == 0
    assert locales(project.root) == locales(expected_root)
    assert project.run("update") == 0  # and the rebuilt cache serves again
    assert locales(project.root) == locales(expected_root)


def test_a_template_rewritten_from_rows_of_wrong_types_comes_from_its_source(project: Project, reads: Reads) -> None:
    """A deleted .pot is written again from the cache's rows; a pack whose name and checksum hold
    but whose rows are of the wrong types (a line that is text) is not trusted: the source is
    parsed again, and the .pot has the bytes of the first run."""
    project.source("psoas", BODY)
    assert project.run("extract") == 0
    written = locales(project.root)
    folder = project.root / CACHE_FOLDER / "catalogs"
    (pack,) = (folder / "templates").iterdir()
    _, _, payload = pack.read_bytes().partition(b"\n")
    payload, edits = re.subn(rb'(psoas\.md",)(\d+)', rb'\1"\2"', payload, count=1)
    assert edits == 1
    name = cache_module.sha256(payload)
    pack.unlink()
    (folder / "templates" / f"{name}.json").write_bytes(name.encode() + b"\n" + payload)
    _reseal(folder / "index.json", pack.stem.encode(), name.encode())
    (project.root / "locales" / "psoas.pot").unlink()
    reads.clear()
    assert project.run("extract") == 0
    assert reads.sources == ["sources/psoas.md"]
    assert locales(project.root) == written


def test_a_cache_folder_that_is_a_link_is_neither_read_nor_written(project: Project, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (project.root / CACHE_FOLDER).mkdir()
    (project.root / CACHE_FOLDER / "catalogs").symlink_to(outside, target_is_directory=True)
    project.source("psoas", BODY)
    assert project.run("update") == 0
    assert project.run("update") == 0
    assert list(outside.iterdir()) == []


def test_new_code_starts_an_empty_cache(project: Project, reads: Reads, monkeypatch: pytest.MonkeyPatch) -> None:
    project.source("psoas", BODY)
    project.run("update")
    project.run("update")
    monkeypatch.setattr(cache_module, "fingerprint", lambda: "another toolkit")
    reads.clear()
    project.run("update")
    assert reads.sources == ["sources/psoas.md"] and len(reads.catalogs) == 2


# ── the property: with or without the cache, the same files and the same report ──

WORDS = ["psoas", "adem", "spier", "rug", "heup", "rust", "stress", "buik", "uit.", "uit,", "in"]
sentence = st.lists(st.sampled_from(WORDS), min_size=2, max_size=8).map(
    lambda ws: " ".join(ws).capitalize() + "."
)
operation = st.one_of(
    st.tuples(st.just("edit"), st.sampled_from(["a", "b"]), st.integers(0, 9), st.integers(0, 7), st.sampled_from(WORDS)),
    st.tuples(st.just("insert"), st.sampled_from(["a", "b"]), st.integers(0, 9), sentence),
    st.tuples(st.just("delete"), st.sampled_from(["a", "b"]), st.integers(0, 9)),
    st.tuples(st.just("translate"), st.sampled_from(["a", "b"]), st.sampled_from(["en", "de"]), st.integers(0, 9)),
    st.tuples(st.just("save"), st.sampled_from(["a", "b"]), st.sampled_from(["en", "de"]), st.integers(0, 9), st.booleans()),
    st.tuples(st.just("glossary"), st.sampled_from(["", "term,pos,note,flags,de\nadem,,,,Atem\n"])),
    st.tuples(st.just("update"), st.sampled_from(["", "de"])),
)


def _report(report: UpdateReport) -> tuple:
    return (report.written, report.unchanged, report.merges)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    start=st.lists(sentence, min_size=1, max_size=4, unique=True),
    ops=st.lists(operation, min_size=1, max_size=14),
)
def test_a_cached_run_writes_what_a_cold_run_writes(start: list[str], ops: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        roots = [Path(tmp) / "cached", Path(tmp) / "cold"]
        texts = {"a": list(start), "b": list(reversed(start))}
        for root in roots:
            (root / "sources").mkdir(parents=True)
            (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
        counter = 0

        def write_sources() -> None:
            for root in roots:
                for slug, paragraphs in texts.items():
                    body = "\n\n".join(paragraphs) + "\n"
                    (root / "sources" / f"{slug}.md").write_text(f"---\ntitle: {slug}\n---\n\n{body}", encoding="utf-8")

        def update(lang: str = "") -> None:
            shutil.rmtree(roots[1] / CACHE_FOLDER, ignore_errors=True)
            reports = [_report(run_update(load_config(root), langs=[lang] if lang else [])) for root in roots]
            assert reports[0] == reports[1]
            assert locales(roots[0]) == locales(roots[1])

        write_sources()
        update()
        for op in ops:
            kind = op[0]
            paragraphs = texts.get(op[1], []) if len(op) > 1 else []
            if kind == "edit" and paragraphs:
                i = op[2] % len(paragraphs)
                words = paragraphs[i].rstrip(".").split()
                words[op[3] % len(words)] = op[4]
                edited = " ".join(words) + "."
                if edited not in paragraphs:
                    paragraphs[i] = edited
            elif kind == "insert" and op[3] not in paragraphs:
                paragraphs.insert(op[2] % (len(paragraphs) + 1), op[3])
            elif kind == "delete" and len(paragraphs) > 1:
                paragraphs.pop(op[2] % len(paragraphs))
            elif kind == "translate":
                counter += 1
                for root in roots:
                    path = root / "locales" / op[2] / "LC_MESSAGES" / f"{op[1]}.po"
                    if not path.exists():
                        continue
                    po = polib.pofile(str(path))
                    active = [e for e in po if not e.obsolete]
                    entry = active[op[3] % len(active)]
                    entry.msgstr = f"{op[2]} {counter} {entry.msgid}"
                    if "fuzzy" in entry.flags:
                        entry.flags.remove("fuzzy")
                    po.save(str(path))
                continue
            elif kind == "save":  # one entry, saved by the browser editor as it does
                counter += 1
                for root in roots:
                    config = load_config(root)
                    path = root / "locales" / op[2] / "LC_MESSAGES" / f"{op[1]}.po"
                    if not path.exists():
                        continue
                    active = [e for e in read_catalog(config, path).entries if not e.obsolete]
                    entry = active[op[3] % len(active)]
                    msgstr = f"{op[2]} {counter} {entry.msgid}"
                    save_entry(config, path, entry.key, msgstr=msgstr, fuzzy=op[4], base=entry_base(entry))
                continue
            elif kind == "glossary":
                for root in roots:
                    (root / "locales").mkdir(exist_ok=True)
                    (root / "locales" / "glossary.csv").write_text(op[1], encoding="utf-8")
                continue
            elif kind == "update":
                update(op[1])
                continue
            write_sources()
        update()
        update()
