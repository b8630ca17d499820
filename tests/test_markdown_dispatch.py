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


# markdown-it's own core rule "normalize", which parse.py leaves off for parse._normalized.
NORMALIZING = parse._markdown(dispatch=False)
NORMALIZING.core.ruler.enable("normalize")
breaks = st.lists(st.sampled_from(["\r\n", "\r", "\n", "\0", "\r\r\n", "\n\r"]), max_size=3).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(line, breaks), max_size=10).map(lambda pairs: "".join(a + b for a, b in pairs)))
def test_normalized_text_gives_the_tokens_of_markdown_its_normalize_rule(text: str) -> None:
    assert tokens(parse._MD, parse._normalized(text)) == tokens(NORMALIZING, text)


def test_a_cr_or_nul_is_normalised_as_markdown_it_does() -> None:
    text = "# Kop\r\nTekst\rmeer\0tekst\r\n\r\n- punt\r"
    assert parse._normalized(text) == "# Kop\nTekst\nmeer\ufffdtekst\n\n- punt\n"
    assert tokens(parse._MD, parse._normalized(text)) == tokens(NORMALIZING, text)
