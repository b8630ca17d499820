"""The PO writer gives polib's bytes for every catalog, and GNU msgfmt -c accepts what it writes."""

from __future__ import annotations

import textwrap
from pathlib import Path
from types import MappingProxyType

import polib_reference
from conftest import REPO, msgfmt_check
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.catalogs.po import Catalog, Entry, parse_catalog
from toolkit.catalogs.po_write import catalog_text, template_text, wrap

# Pieces of text where writers differ: runs of spaces, hyphens (textwrap may break after one),
# dashes, every escape, line breaks of str.splitlines(), non-ASCII, CJK (one character, one
# column for polib), long words and paths that cannot be broken.
PIECES = [
    "de",
    "psoas",
    "Ademhaling",
    "spier-",
    "-",
    "--",
    "—",
    " ",
    "  ",
    "   ",
    "a-b",
    "TRE®-oefening",
    "x--y",
    "ö",
    "één",
    "中文的句子",
    "日本語",
    "🧘",
    '"',
    "\\",
    "\\n",
    "\t",
    "\n",
    "\r",
    "\v",
    "\b",
    "\f",
    "\x1c",
    "\x85",
    "\u2028",
    "\xa0",
    ".",
    ",",
    "!",
    "?",
    "'",
    "&",
    "1",
    "(2)",
    "**vet**",
    "[link](/massage-en-visie.html)",
    "https://example.org/" + "lang-pad/" * 12,
    "x" * 90,
]
text = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
plain = st.text(st.characters(blacklist_categories=("Cs",)), max_size=120)
any_text = st.one_of(text, plain)
flag = st.sampled_from(["fuzzy", "markdown-text", "md-text", "python-format", "no-wrap", "x"])
path = st.sampled_from(["sources/a.md", "sources/een-lang-artikel-over-de-psoas-en-stress.md"])


@st.composite
def entries(draw: st.DrawFn, obsolete: bool = False) -> Entry:
    plural = draw(st.booleans()) and draw(st.integers(0, 4)) == 0
    return Entry(
        msgid=draw(any_text),
        msgstr="" if plural else draw(any_text),
        msgctxt=draw(st.none() | any_text),
        flags=tuple(draw(st.lists(flag, max_size=3))),
        previous_msgid=draw(st.none() | any_text),
        locations=tuple(draw(st.lists(st.tuples(path, st.integers(0, 99999)), max_size=8))),
        comments=tuple(draw(st.lists(any_text, max_size=3))),
        tcomment=draw(st.sampled_from(["", "checked"]) | any_text),
        obsolete=obsolete,
        msgid_plural=draw(any_text) if plural else None,
        msgstr_plural=tuple(draw(st.lists(any_text, max_size=3))) if plural else (),
    )


header_key = st.sampled_from(
    ["Project-Id-Version", "Language", "Plural-Forms", "X-Generator", "X-2", "X-10", "x-a", "Z"]
)


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    active = draw(st.lists(entries(), max_size=6))
    obsolete = draw(st.lists(entries(obsolete=True), max_size=3))
    mixed = draw(st.permutations([*active, *obsolete]))  # the writer orders them as polib does
    header = draw(st.dictionaries(header_key, plain, max_size=5))
    comment = draw(st.sampled_from(["", "Translations of x.", ",odd\n:lines\n\n"]) | any_text)
    return Catalog(MappingProxyType(header), tuple(mixed), comment)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalog=catalogs())
def test_the_writer_gives_polibs_bytes(catalog: Catalog) -> None:
    assert catalog_text(catalog) == polib_reference.catalog_text(catalog)


# A template's unit as parse workers keep it: (msgid, msgctxt, flags, locations, comments).
unit_rows = st.tuples(
    any_text,
    st.none() | any_text,
    st.lists(flag, max_size=3).map(tuple),
    st.lists(st.tuples(path, st.integers(0, 99999)), max_size=8).map(tuple),
    st.lists(any_text, max_size=3).map(tuple),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(unit_rows, max_size=6), header=st.dictionaries(header_key, plain, max_size=5), comment=any_text)
def test_a_templates_text_made_from_its_rows_is_the_catalogs_text(rows: list, header: dict, comment: str) -> None:
    entries = tuple(Entry(msgid, "", msgctxt, flags, None, locations, comments) for msgid, msgctxt, flags, locations, comments in rows)
    assert template_text(header, comment, rows) == catalog_text(Catalog(MappingProxyType(header), entries, comment))


@settings(max_examples=1000, deadline=None)
@given(
    text=st.lists(st.sampled_from(["ab", "c", " ", "  ", "-", "--", "d-e", "x" * 20, "'", "é"])).map(
        "".join
    ),
    width=st.sampled_from([1, 3, 8, 20, 76]),
)
def test_wrapping_is_textwraps(text: str, width: int) -> None:
    expected = textwrap.wrap(text, width, drop_whitespace=False, break_long_words=False)
    assert wrap(text, width) == expected


def test_every_catalog_in_the_repository_is_written_as_polib_writes_it() -> None:
    paths = [*REPO.glob("locales/**/*.po*"), *REPO.glob("tests/golden/**/*.pot")]
    assert paths
    for p in paths:
        catalog = parse_catalog(p.read_text(encoding="utf-8"), str(p))
        assert catalog_text(catalog) == polib_reference.catalog_text(catalog), p


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    msgids=st.lists(text.filter(lambda t: t.strip()), min_size=1, max_size=5, unique=True),
    translated=st.lists(text, min_size=5, max_size=5),
    notes=st.lists(text.map(lambda t: t.replace("\n", " ")), min_size=5, max_size=5),
)
def test_msgfmt_accepts_what_it_writes(
    tmp_path_factory, msgids: list[str], translated: list[str], notes: list[str]
) -> None:
    # What update writes: one entry per msgid, translations that end in a newline where the
    # msgid does (msgfmt -c checks that), fuzzy ones with their previous text.
    def fit(source: str, target: str) -> str:
        target = target.rstrip("\n")
        return target + "\n" if source.endswith("\n") and target else target

    def starts(source: str, target: str) -> str:
        if source.startswith("\n") and target:
            return "\n" + target.lstrip("\n")
        return target.lstrip("\n")

    items = tuple(
        Entry(
            msgid=m,
            msgstr=starts(m, fit(m, t)),
            flags=("fuzzy", "markdown-text") if i % 2 else ("markdown-text",),
            previous_msgid=t if i % 2 else None,
            locations=(("sources/een-artikel-over-de-psoas.md", 10 * i + 3),),
            comments=("paragraph",),
            tcomment=n,
        )
        for i, (m, t, n) in enumerate(zip(msgids, translated, notes, strict=False))
    )
    header = {
        "Project-Id-Version": "x",
        "PO-Revision-Date": "",
        "Last-Translator": "",
        "Language-Team": "German",
        "Language": "de",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    text_out = catalog_text(Catalog(MappingProxyType(header), items, "A test."))
    path: Path = tmp_path_factory.mktemp("po") / "x.po"
    path.write_text(text_out, encoding="utf-8")
    msgfmt_check(path)


def test_a_field_with_escapes_at_the_edge_of_the_width_stays_on_one_line() -> None:
    # polib measures the unescaped text against a width one larger per special character: a
    # msgid_plural of 64 characters with one quote still fits (found by the property test).
    plural = "de" * 15 + "AdemhalingAdemhalingTRE®-oefening" + '"'
    for obsolete in (False, True):
        entry = Entry(msgid="x", msgid_plural=plural, msgstr_plural=("",), obsolete=obsolete)
        catalog = Catalog(MappingProxyType({}), (entry,))
        assert catalog_text(catalog) == polib_reference.catalog_text(catalog)
        assert f'msgid_plural "{plural[:-1]}\\""' in catalog_text(catalog)
