"""A broken front matter is reported at the line where the problem is: for a quote or bracket
left open the line where it opened, not the line where YAML gave up."""

from __future__ import annotations

import pytest
from conftest import Project, snapshot

# front matter (between the --- lines; line 1 of the file is '---'), line to report, message
CASES = {
    "unclosed double quote": (
        'title: "Hallo wereld\nsummary: Een zin.\nlang: nl\n',
        2,
        "the quote opened on this line is never closed",
    ),
    "unclosed single quote": (
        "title: Hallo\nsummary: 'Een zin.\nlang: nl\nauthor: Ellen\n",
        3,
        "the quote opened on this line is never closed",
    ),
    "quote closed by the next value's quote": (
        'title: "Hallo\nsummary: Een zin.\nauthor: "Ellen"\n',
        2,
        "the quote opened on this line closes only on a later line",
    ),
    "unclosed [": (
        "title: Hallo\ntags: [psoas, adem\nlang: nl\nauthor: Ellen\n",
        3,
        "the [ opened on this line is never closed",
    ),
    "unclosed [ on the last line": (
        "title: Hallo\nlang: nl\ntags: [psoas, adem\n",
        4,
        "the [ opened on this line is never closed",
    ),
    "unclosed {": (
        "title: Hallo\nbrand: {kleur: groen\nlang: nl\n",
        3,
        "the { opened on this line is never closed",
    ),
    "bad indentation": (
        "title: Hallo\nlang: nl\n  summary: Een zin.\nauthor: Ellen\n",
        4,
        "mapping values are not allowed here",
    ),
    "a tab": (
        "title: Hallo\n\tsummary: Een zin.\nlang: nl\n",
        3,
        "found character '\\t' that cannot start any token",
    ),
    "key: value: other": (
        "title: Hallo\nlang: nl\nsummary: Adem: in en uit\n",
        4,
        "mapping values are not allowed here",
    ),
    "error inside a closed list spanning lines": (
        "title: Hallo\ntags: [psoas,\n  adem: in: uit]\nlang: nl\n",
        4,
        "expected ',' or ']', but got ':'",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_update_reports_the_line_of_the_problem(
    name: str, project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    front, line, message = CASES[name]
    project.source("x", "Een zin in de tekst.\n", front=front)
    before = snapshot(project.root)
    capsys.readouterr()
    assert project.run("update") == 1
    err = capsys.readouterr().err
    assert err.startswith(f"sources/x.md:{line}: error: broken front matter: {message}\n"), err
    assert snapshot(project.root) == before
