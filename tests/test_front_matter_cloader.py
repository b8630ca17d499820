"""The front matter read by libyaml (the fast path) gives exactly what the Python loader gives:
the same values and key lines, and for a text either refuses, the Python loader's error."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toolkit.sources.parse as parse
from toolkit.errors import ToolkitError
from toolkit.sources import front_matter_yaml

pytestmark = pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML without libyaml")


@contextmanager
def python_loader_only() -> Iterator[None]:
    saved = front_matter_yaml._CLOADER
    front_matter_yaml._CLOADER = None
    try:
        yield
    finally:
        front_matter_yaml._CLOADER = saved


def outcome(front: str) -> tuple[Any, ...]:
    text = f"---\n{front}\n---\n\nTekst.\n"
    try:
        # repr too: == alone takes 1 for True and a date for an equal datetime
        result = parse.split_front_matter(text, "sources/a.md")
        return ("ok", result, repr(result))
    except ToolkitError as exc:
        return ("error", exc.message, exc.line, exc.hint)


def same_both_ways(front: str) -> None:
    fast = outcome(front)
    with python_loader_only():
        slow = outcome(front)
    assert fast == slow


FRONT_MATTERS = [
    "title: Hallo\nsummary: Een zin.\nlang: nl",
    "title: 'Je psoas: de spier'\ndate: 2026-03-14\nmax_slides: 12\nregister: {de: Sie, nl: je}",
    "title: Hallo\ninclude:\n  - psoas\n  - adem\nvenue: Utrecht\nwhen: 2026-03-14 10:00:00",
    "title: >\n  Gevouwen\n  titel\nsummary: |\n  Twee\n  regels\n",
    "slides:\n  Wat is de psoas?:\n    - Een diepe spier\n    - Verbindt romp en benen",
    "a: &x [1, 2]\nb: *x\nc: !!str 3\nd: ~\ne: yes\nf: 0o17\ng: 1.5e3\nh: .inf",
    "date: 2026-13-01",  # no date: the ValueError path
    'title: "Hallo wereld\nsummary: Een zin.',
    "title: Hallo\ntags: [psoas, adem\nlang: nl",
    "title: Hallo\n\tsummary: Een zin.",
    "title: Hallo\nlang: nl\nsummary: Adem: in en uit",
    "title: Hal\x07lo",
    "title: Hallo\r\nlang: nl",
    "title: a\u2028b",
    "\ufefftitle: Hallo",
    "- een\n- lijst",
    "{[a]: 1}",
    "? [a, b]\n: c",
    "%YAML 1.1\n---\ntitle: a",
    "title: a\n--- \nb: c",
    "key: @at",
    "key: `tick`",
    "a: {b?: c}",
    "a: [b?, c]",
    "x: {a:1, b: [c:d]}",
    "",
    "# alleen commentaar",
]


@pytest.mark.parametrize("front", FRONT_MATTERS)
def test_known_front_matters(front: str) -> None:
    same_both_ways(front)


PIECES = [
    "title", "summary", "lang", "a", "b", "- ", "  ", "    ", ": ", ":", "\n", "\n", "\n  ", "'", '"',
    "[", "]", "{", "}", ",", ", ", "#", " #", "&a ", "*a", "!!str ", "!x ", "|", ">", "? ", "%", "@",
    "`", "~", "2026-03-14", "2026-13-01", "12:30", "0x1F", "1_000", "-1.5", "yes", "null", "é", "—",
    "\\", "\\n", "...", "---", "\t", "\r", "\x85", "\x07", "tekst met spaties",
]  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_random_front_matters(front: str) -> None:
    same_both_ways(front)


def test_a_value_that_is_no_date_is_reported_at_its_line() -> None:
    # libyaml composes this one; the constructor refuses it; the Python loader then names the line.
    assert outcome("title: Hallo\ndates:\n  - 2026-03-14\n  - 2026-13-01")[:3] == (
        "error",
        "broken front matter: month must be in 1..12",
        5,
    )
