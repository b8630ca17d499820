"""Catalog commands start without a renderer, template engine or web server, thanks to a cache of
the layout strings in `.toolkit-cache/` that is used only while its hash still holds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, Project

from toolkit.catalogs.layouts import (
    CACHE_FILE,
    CACHE_FOLDER,
    extract_layout_strings,
    layout_domain,
    layouts_key,
)
from toolkit.config import load_config

# What renders, templates or serves: none of it belongs in a catalog command.
HEAVY = {
    "jinja2",
    "markupsafe",
    "weasyprint",
    "qrcode",
    "starlette",
    "uvicorn",
    "watchfiles",
    "PIL",
    "pydyf",
    "fontTools",
    "tinycss2",
    "cssselect2",
}

RUN = """
import json, sys
from toolkit.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def run_fresh(project: Project, *args: str) -> tuple[int, set[str]]:
    """The command in a new interpreter: its exit code and the top-level packages it imported."""
    result = subprocess.run(
        [sys.executable, "-c", RUN, "--project", str(project.root), *args],
        capture_output=True,
        text=True,
        cwd=project.root,
        env={**os.environ, "COLUMNS": "200"},
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return report["code"], {name.split(".")[0] for name in report["modules"]}


def cache_file(project: Project) -> Path:
    return project.root / CACHE_FOLDER / CACHE_FILE


@pytest.fixture
def warm(shipped: Project) -> Project:
    assert shipped.run("update") == 0
    assert cache_file(shipped).is_file()
    assert shipped.run("memory", "export", "--lang", "de", "-o", str(shipped.root / "de.tmx")) == 0
    return shipped


@pytest.mark.parametrize(
    "args",
    [
        ("extract",),
        ("update",),
        ("update", "--lang", "de"),
        ("status",),
        ("status", "--json"),
        ("check",),
        ("init", "fr"),
        ("memory", "export", "--lang", "en", "-o", "en.tmx"),
        ("memory", "import", "de.tmx"),
    ],
    ids=" ".join,
)
def test_catalog_commands_import_no_renderer_template_engine_or_server(
    warm: Project, args: tuple[str, ...]
) -> None:
    code, packages = run_fresh(warm, *args)
    assert code == 0
    assert not packages & HEAVY
    if args[0] in ("status", "check", "extract", "memory"):
        assert "rapidfuzz" not in packages  # nothing to match: not even the matcher is loaded


def test_a_cold_cache_is_filled_once_and_ignored_by_git(shipped: Project) -> None:
    assert not (shipped.root / CACHE_FOLDER).exists()  # a fresh clone
    code, packages = run_fresh(shipped, "update")
    assert code == 0 and "jinja2" in packages  # the first run extracts
    assert (shipped.root / CACHE_FOLDER / ".gitignore").read_text().splitlines()[-1] == "*"
    data = json.loads(cache_file(shipped).read_text(encoding="utf-8"))
    layouts = shipped.root / "layouts"
    assert data["key"] == layouts_key(layouts, prefix="layouts")
    expected = extract_layout_strings(layouts)
    assert data["strings"] == json.loads(json.dumps(expected))
    # From the cache, the very same catalogs: a warm update changes nothing.
    before = {p: p.read_bytes() for p in (shipped.root / "locales").rglob("*.po*")}
    code, packages = run_fresh(shipped, "update")
    assert code == 0 and "jinja2" not in packages
    assert {p: p.read_bytes() for p in (shipped.root / "locales").rglob("*.po*")} == before
    assert (
        before[shipped.root / "locales/layouts.pot"] == (REPO / "locales/layouts.pot").read_bytes()
    )


def test_a_changed_added_or_renamed_layout_is_extracted_again(warm: Project) -> None:
    pot = warm.root / "locales/layouts.pot"
    handout = warm.root / "layouts/handout.html.j2"
    handout.write_text(handout.read_text() + '\n{{ _("A brand new string") }}\n')
    assert warm.run("update") == 0
    assert 'msgid "A brand new string"' in pot.read_text()
    (warm.root / "layouts/extra.html.j2").write_text('{{ _("Another one") }}\n')
    assert warm.run("status") == 0 and warm.run("update") == 0
    assert "#: layouts/extra.html.j2:1" in pot.read_text()
    (warm.root / "layouts/extra.html.j2").rename(warm.root / "layouts/other.html.j2")
    assert warm.run("update") == 0
    assert (
        "#: layouts/other.html.j2:1" in pot.read_text() and "extra.html.j2" not in pot.read_text()
    )
    key = layouts_key(warm.root / "layouts", prefix="layouts")
    assert json.loads(cache_file(warm).read_text())["key"] == key


@pytest.mark.parametrize(
    "content",
    [
        b"not json at all \xff",
        b'{"key": "0000", "strings": [["Forged", [["layouts/x.j2", 1]], []]]}',
        b'{"strings": 3}',
        b"[" * 100_000 + b"]" * 100_000,  # deeper than the JSON reader goes
        "stale",  # the right format, made for other layouts
        "bad types",  # the right key, but not what we write
    ],
    ids=["garbage", "forged key", "no key", "deep", "stale", "bad types"],
)
def test_a_corrupt_forged_or_stale_cache_is_recomputed(warm: Project, content: bytes | str) -> None:
    path = cache_file(warm)
    expected = path.read_bytes()
    pot = (warm.root / "locales/layouts.pot").read_bytes()
    good = json.loads(expected)
    if content == "stale":
        content = json.dumps(
            {"key": "0" * 64, "strings": [["Stale", [["layouts/a.j2", 1]], []]]}
        ).encode()
    elif content == "bad types":
        content = json.dumps(
            {"key": good["key"], "strings": [["Bad", [["layouts/a.j2", "1"]], []]]}
        ).encode()
    assert isinstance(content, bytes)
    path.write_bytes(content)
    assert warm.run("update") == 0
    assert (warm.root / "locales/layouts.pot").read_bytes() == pot
    assert path.read_bytes() == expected  # written anew


def test_a_cache_that_is_no_plain_file_is_not_read(warm: Project) -> None:
    path = cache_file(warm)
    path.unlink()
    os.mkfifo(path)  # reading a FIFO would wait forever
    assert warm.run("status") == 0
    path.unlink()
    path.symlink_to("/dev/zero")  # and this would never end
    assert warm.run("status") == 0


def test_an_unwritable_cache_is_no_error(shipped: Project) -> None:
    (shipped.root / CACHE_FOLDER).write_text("a file where the folder should be")
    assert shipped.run("update") == 0
    assert (shipped.root / "locales/layouts.pot").read_bytes() == (
        REPO / "locales/layouts.pot"
    ).read_bytes()


def test_a_cache_folder_linking_out_of_the_project_is_not_used(
    shipped: Project, tmp_path_factory
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (shipped.root / CACHE_FOLDER).symlink_to(outside, target_is_directory=True)
    assert shipped.run("update") == 0
    assert list(outside.iterdir()) == []


def test_serve_reads_the_cache_but_never_writes_it(shipped: Project) -> None:
    config = load_config(shipped.root)
    domain = layout_domain(config)  # what serve calls
    assert domain is not None and domain.template.entries
    assert not (shipped.root / CACHE_FOLDER).exists()
