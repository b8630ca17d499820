"""The PO reader reads every catalog as the polib-based reader did: the same entries, header,
start lines, and for a file it refuses, the same error at the same line."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import polib_reference
from conftest import REPO
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_po_writer import catalogs

from toolkit.catalogs.po import Catalog, Entry, parse_catalog
from toolkit.catalogs.po_write import catalog_text
from toolkit.errors import ToolkitError


def outcome(read, text: str) -> tuple:
    try:
        c = read(text, "x.po")
    except ToolkitError as exc:
        return ("refused", exc.message, exc.line, exc.hint)
    return (
        "read",
        dict(c.header),
        c.header_comment,
        c.entries,
        tuple(e.po_line for e in c.entries),
    )


def same_reading(text: str) -> None:
    assert outcome(parse_catalog, text) == outcome(polib_reference.parse_catalog, text)


# Lines of every kind, well-formed or not, with the whitespace variants polib and gettext see.
LINES = [
    "",
    "   ",
    "# a comment",
    "#",
    "##double",
    "#\ttab",
    "#\xa0nbsp ",
    "# trailing\xa0",
    "#. paragraph",
    "#.",
    "#.  spaced",
    "#: sources/a.md:12 sources/b-c.md:3",
    "#: no-line x:y a: :5",
    "#:",
    "#, fuzzy, markdown-text",
    "#, a,,b",
    "#,",
    "#| msgid \"old\"",
    "#| \"continued\"",
    "#| msgctxt \"ctx\"",
    "#| msgid_plural \"olds\"",
    "#~| msgid \"gone\"",
    "#~| \"gone too\"",
    "#~ msgid \"obsolete\"",
    "#~ msgstr \"weg\"",
    "#~ \"more\"",
    "#~ # note",
    "#~ #, fuzzy",
    "#~ msgctxt \"c\"",
    'msgctxt "title"',
    'msgctxt ""',
    'msgid ""',
    'msgid "Tekst"',
    'msgid "Tweede \\"zin\\"\\n"',
    'msgid\t"tab"',
    'msgstr ""',
    'msgstr "Text"',
    '"Project-Id-Version: x\\n"',
    '"Language: de\\n"',
    '"no colon line\\n"',
    '"X-Generator:  Poedit \\\\ 3\\n"',
    '"a\\tb\\\\n"',
    'msgid_plural "Teksten"',
    'msgstr[0] "een"',
    'msgstr[1] "twee"',
    'msgstr[2] "drie"',
    "msgid unquoted",
    '"unterminated',
    'msgid "a" "b"',
    "#x unknown",
    "#~",
    "#|",
]

ENTRY = [
    ["# translator", "#. paragraph", "#: sources/a.md:3", "#, fuzzy", '#| msgid "oud"'],
    ['msgctxt "title"', ""],
    ['msgid "Tekst{}"', 'msgid ""\n"Lange "\n"tekst{}"', 'msgid "Nog een{}\\n"'],
    ['msgstr "Text"', 'msgstr ""', 'msgstr ""\n"Lange "\n"Text"'],
]


@st.composite
def structured(draw: st.DrawFn) -> str:
    """Mostly well-formed files: a header, entries, obsolete ones, and now and then a stray line."""
    out = draw(st.lists(st.sampled_from(["# Header", "#", "# Copyright", "#, fuzzy"]), max_size=3))
    out += ['msgid ""', 'msgstr ""', '"Language: de\\n"', '"Plural-Forms: nplurals=2;\\n"']
    for number in range(draw(st.integers(0, 5))):
        out.append("")
        out += draw(st.lists(st.sampled_from(ENTRY[0]), max_size=4))
        out += [draw(st.sampled_from(ENTRY[1]))]
        suffix = draw(st.sampled_from(["", "\u00e9", " 2", "\\t"])) + f" {number}"
        out += [draw(st.sampled_from(ENTRY[2])).format(suffix)]
        out += [draw(st.sampled_from(ENTRY[3]))]
        if draw(st.integers(0, 6)) == 0:
            out.insert(draw(st.integers(0, len(out))), draw(st.sampled_from(LINES)))
    if draw(st.booleans()):
        out += ["", "#~ msgid \"weg\"", "#~ msgstr \"gone\""]
    out += draw(st.lists(st.sampled_from(["", "#,", "#~| msgid \"x\"", "# tail"]), max_size=2))
    return "\n".join(out) + draw(st.sampled_from(["\n", "", "\n\n"]))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=structured())
def test_well_formed_files_read_as_polib_read_them(text: str) -> None:
    same_reading(text)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(st.sampled_from(LINES), max_size=14))
@example(lines=['#~| msgid "gone"', '#| "continued"'])  # once read, though msgfmt and polib refuse it
def test_any_lines_read_or_refused_as_before(lines: list[str]) -> None:
    same_reading("\n".join(lines) + "\n")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalog=catalogs())
# An empty msgid with msgctxt "": polib and msgfmt disagree whether it is the header (both found here).
@example(catalog=Catalog(MappingProxyType({}), (Entry(msgid="", msgctxt="", msgid_plural=""),)))
@example(catalog=Catalog(MappingProxyType({"Project-Id-Version": ""}), (Entry(msgid="", msgctxt=""),)))
def test_written_catalogs_read_back_as_before(catalog) -> None:
    same_reading(catalog_text(catalog))


def test_every_catalog_in_the_repository_reads_as_before() -> None:
    paths = [*REPO.glob("locales/**/*.po*"), *REPO.glob("tests/**/*.po*")]
    assert paths
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        same_reading(text)


def test_a_location_with_a_digit_that_is_no_number_does_not_crash() -> None:
    # polib keeps "a:²" as file "a" line "²", which int() cannot read: now a location without a line.
    text = 'msgid ""\nmsgstr ""\n\n#: a:\u00b2 b:7\nmsgid "x"\nmsgstr ""\n'
    assert parse_catalog(text, "x.po").entries[0].locations == (("a:\u00b2", 0), ("b", 7))


def _same_catalog(a, b) -> bool:
    return (a.entries, dict(a.header), a.header_comment) == (b.entries, dict(b.header), b.header_comment)


@st.composite
def tame_catalogs(draw: st.DrawFn):
    """Catalogs like the ones update writes, with now and then something that does not read back."""
    from types import MappingProxyType

    from toolkit.catalogs.po import Catalog, Entry

    # Mostly what update writes; a few of each kind of thing that does not read back.
    safe = ["adem ", "psoas ", "rust ", "é", "-", '"', "\\", "\n", "  ", " "] * 60
    words = st.lists(st.sampled_from([*safe, "\x1c", "\u2028"]), max_size=12).map("".join)
    fine = ["paragraph", "glossary: psoas = Psoas", "memory: 80% match from x.po, review it", ""] * 30
    line = st.sampled_from([*fine, " x", "x ", "a\tb", "y" * 80, ",x"])
    entries = []
    for i in range(draw(st.integers(0, 5))):
        obsolete = draw(st.booleans()) and draw(st.booleans())
        entries.append(
            Entry(
                msgid=draw(words) + str(i),
                msgstr=draw(words),
                msgctxt=draw(st.none() | st.sampled_from(["title", ""])),
                flags=tuple(draw(st.lists(st.sampled_from(["fuzzy", "markdown-text"] * 9 + ["a,b", "", " x"]), max_size=2))),
                previous_msgid=None if obsolete else draw(st.none() | words),
                locations=() if obsolete else tuple(draw(st.lists(st.tuples(st.sampled_from(["sources/een-lang-artikel.md"] * 9 + ["a b", "x*y"]), st.integers(0, 40) | st.just(-1)), max_size=6))),
                comments=() if obsolete else tuple(draw(st.lists(line, max_size=2))),
                tcomment=draw(st.sampled_from(["", "checked", "memory: exact match from x.po"]) | line),
                obsolete=obsolete,
            )
        )
    keys = ["Language", "X-Generator", "Plural-Forms"] * 5 + [" Bad", "A:b"]
    values = ["de", "", "Poedit 3.4"] * 5 + [" x", "a\nb"]
    header = draw(st.dictionaries(st.sampled_from(keys), st.sampled_from(values), max_size=4))
    long = "Translations of 'Een " + "lange " * 20 + "titel'.\nGenerated."
    comment = draw(st.sampled_from(["", long] * 4 + ["\nx", ",x", "x "]))
    return Catalog(MappingProxyType(header), tuple(entries), comment)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalog=st.one_of(tame_catalogs(), catalogs()))
def test_what_round_trips_says_holds(catalog) -> None:
    """update relies on it to know a file's contents without reading the file it just wrote."""
    from toolkit.catalogs.po import round_trips

    if round_trips(catalog):
        assert _same_catalog(parse_catalog(catalog_text(catalog), "x.po"), catalog)


def test_leading_empty_translator_comment_lines_are_dropped_as_polib_drops_them() -> None:
    # polib starts a new comment line only after some text (found by the property test).
    for body in ('# \n# \nmsgid "a"\nmsgstr ""\n', '# \n# x\n#\n# y\n#~ msgid ""\n#~ msgstr ""\n'):
        same_reading('msgid ""\nmsgstr ""\n\n' + body)
    text = 'msgid ""\nmsgstr ""\n\n# \n# x\n# \n# y\nmsgid "a"\nmsgstr ""\n'
    assert parse_catalog(text, "x.po").entries[0].tcomment == "x\n\ny"
