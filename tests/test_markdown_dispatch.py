"""The block rule that dispatches on a line's first character (block_dispatch.dispatch_by_first_character)
gives exactly the tokens of markdown-it's own chain of rules, for any text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.sources import parse

ROOT = Path(__file__).resolve().parent.parent
PLAIN = parse._markdown(dispatch=False)


def tokens(md: Any, text: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    env: dict[str, Any] = {}
    return [t.as_dict() for t in md.parse(text, env)], env


def same_tokens(text: str) -> None:
    assert tokens(parse._MD, text) == tokens(PLAIN, text)


SOURCES = sorted([*ROOT.glob("sources/*.md"), *ROOT.glob("tests/**/*.md")])


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_and_test_sources(path: Path) -> None:
    same_tokens(path.read_text(encoding="utf-8", errors="replace"))


# Line starts and pieces that start (or nearly start) every kind of block, indented or not.
STARTS = [
    "", " ", "  ", "   ", "    ", "\t", "> ", ">", "- ", "-", "* ", "+ ", "1. ", "2) ", "10. ", "# ", "#",
    "### ", "####### ", "```", "~~~", "<div>", "<!-- ", "<iframe src='x'>", "</p>", "<a>", "[^1]: ",
    "[a]: /x", "[a]: <y> 'z'", "[", ": ", "~ ", "| ", "|", "---", "***", "___", "===", "- - -", "_ _",
]  # fmt: skip
TEXTS = ["Tekst", "a | b", "|---|:-:|", "--|--", "Term", "noot[^1]", "[a]", "![b](c)", "*x*", "`c`", "1", ""]
line = st.tuples(st.sampled_from(STARTS), st.sampled_from(STARTS), st.sampled_from(TEXTS)).map("".join)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(line, max_size=14).map("\n".join))
def test_generated_markdown(text: str) -> None:
    same_tokens(text)
