"""The front matter's YAML: composed by libyaml where it reads the text as PyYAML does, and where
YAML refuses it, where and why."""

from __future__ import annotations

import re
from typing import Any

import yaml

# libyaml's parser (when PyYAML was built with it) composes the same nodes, with marks holding the
# same lines, about ten times faster; the values come from the same Python constructor. The two
# scanners differ at the edges (libyaml takes `|#`, which PyYAML refuses), so only a plain front
# matter goes to libyaml, one without: what the Python reader refuses (its NON_PRINTABLE), tabs, a
# byte order mark or other line breaks than "\n"; comments, block scalars, anchors, aliases, tags,
# directives, reserved indicators and escapes; a `?` that could start a key, or any `?` with a flow
# collection (PyYAML ends a plain scalar there at a `?`); a document marker.
# Rare in a front matter (titles, summaries, lists of names); the rest is read as before.
_CLOADER: type[yaml.CSafeLoader] | None = getattr(yaml, "CSafeLoader", None)
_NOT_FOR_CLOADER = re.compile(
    r"[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
    r"|[\u2028\u2029#|>&*!%@`\\]"
    r"|(?:^|[\s\[{,])\?"
    r"|^(?:---|\.\.\.)",
    re.M,
)


def fast_compose(text: str) -> tuple[yaml.Node | None, Any] | None:
    """(node, value) as libyaml composes them; None where the Python loader must read the text:
    libyaml absent, a character it might read otherwise, or any error (the Python loader then
    gives its own error, with its own message and line)."""
    if _CLOADER is None or _NOT_FOR_CLOADER.search(text) is not None:
        return None
    if "?" in text and ("[" in text or "{" in text):
        return None
    loader = _CLOADER(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else {})
    except Exception:  # any error: the Python loader reads the text again, and says why
        return None
    finally:
        loader.dispose()


def yaml_problem(exc: yaml.YAMLError, text: str) -> tuple[int | None, str]:
    """Where a YAML error is (0-based line in `text`) and what it is. PyYAML's problem_mark is
    where it gave up, which for a quote or bracket left open is lines later: report where that
    quote or bracket opened instead."""
    problem = getattr(exc, "problem", None) or str(exc)
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return None, problem
    context = getattr(exc, "context_mark", None)
    if (
        context is not None
        and "quoted scalar" in (getattr(exc, "context", None) or "")
        and "end of stream" in problem
    ):
        return int(context.line), "the quote opened on this line is never closed"
    opened = _left_open(text, mark.index, mark.line)
    if opened is not None:
        return opened
    return int(mark.line), problem


def _left_open(text: str, index: int, line: int) -> tuple[int, str] | None:
    """A `[` or `{` opened before `index` and never closed; or a quote that closes only on the
    error's line, lines after it opened (closed by the next value's opening quote, say)."""
    brackets: list[tuple[int, int, str]] = []  # (index, line, '[' or '{') of each open one
    quote: tuple[int, int] | None = None  # (first line, last line) of the last quoted value
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= index and not brackets:
                break
            if isinstance(token, yaml.FlowSequenceStartToken | yaml.FlowMappingStartToken):
                start = token.start_mark
                brackets.append((start.index, start.line, token.id))
            elif isinstance(token, yaml.FlowSequenceEndToken | yaml.FlowMappingEndToken):
                if brackets:
                    brackets.pop()
            elif isinstance(token, yaml.ScalarToken) and token.end_mark.index <= index:
                quoted = token.style in ("'", '"')
                quote = (token.start_mark.line, token.end_mark.line) if quoted else None
    except yaml.YAMLError:
        pass  # the tokens before the scanner's own error are all there is to see
    if brackets and brackets[0][0] < index:
        return brackets[0][1], f"the {brackets[0][2]} opened on this line is never closed"
    if quote is not None and quote[0] < quote[1] == line:
        return quote[0], "the quote opened on this line closes only on a later line"
    return None


def bad_timestamp_line(node: yaml.Node) -> int | None:
    """The source line of the first timestamp scalar YAML cannot turn into a date."""
    stack = [node]
    constructor = yaml.SafeLoader("")
    while stack:
        current = stack.pop(0)
        if isinstance(current, yaml.ScalarNode) and current.tag.endswith(":timestamp"):
            try:
                constructor.construct_yaml_timestamp(current)
            except ValueError:
                return current.start_mark.line + 2
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            stack.extend(v for pair in current.value for v in pair)
    return None
