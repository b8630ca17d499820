"""The global options --project and --strict, before or after the command, for every command;
and `toolkit serve` started through the real CLI (with uvicorn faked, so no server runs)."""

from __future__ import annotations

import shutil
import sys
import types
from pathlib import Path
from typing import Any

import polib
import pytest
from conftest import PYPROJECT, REPO, Project

from toolkit.cli import main

# Every command: its words, then arguments it needs; {dir} is a folder with the input files.
COMMANDS: dict[str, tuple[list[str], list[str]]] = {
    "extract": (["extract"], []),
    "update": (["update"], []),
    "status": (["status"], []),
    "check": (["check"], []),
    "build": (["build"], ["handout"]),
    "init": (["init"], ["fr"]),
    "import": (["import"], ["{dir}/geplakt.txt", "--slug", "geplakt"]),
    "memory export": (["memory", "export"], ["--lang", "de", "-o", "{dir}/uit.tmx"]),
    "memory import": (["memory", "import"], ["{dir}/in.tmx"]),
    "serve": (["serve"], ["--port", "0"]),
}
PASTED = "Geplakte titel\n\nEen zin die iemand van een webpagina heeft gekopieerd.\n"


def placed(where: str, words: list[str], args: list[str], project: Path) -> list[str]:
    """The command line with the global options before the command, after it, or (for a group
    such as memory) between the group and its command."""
    options = ["--project", str(project), "--strict"]
    if where == "before":
        return [*options, *words, *args]
    if where == "after":
        return [*words, *args, *options]
    return [*words[:1], *options, *words[1:], *args]


def positions(words: list[str]) -> list[str]:
    return ["before", "after", "group"] if len(words) > 1 else ["before", "after"]


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working folder is not a project: only --project can lead a command to one."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "geplakt.txt").write_text(PASTED, encoding="utf-8")
    (folder / "in.tmx").write_text('<?xml version="1.0"?>\n<tmx version="1.4"/>\n', encoding="utf-8")
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_reads_the_project_given_before_or_after_it(
    name: str, tmp_path: Path, elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A project whose settings are wrong: a command that reached it says so, with exit 1.
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "pyproject.toml").write_text(PYPROJECT + "bogus = 1\n", encoding="utf-8")
    words, args = COMMANDS[name]
    args = [a.format(dir=elsewhere) for a in args]
    for where in positions(words):
        capsys.readouterr()
        assert main(placed(where, words, args, broken)) == 1, where
        said = capsys.readouterr()
        assert "[tool.toolkit] bogus: unknown setting" in said.err, (where, said)
        assert "No such option" not in said.err


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_shows_the_global_options_in_its_help(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    words, _ = COMMANDS[name]
    capsys.readouterr()
    assert main([*words, "--help"]) == 0
    shown = capsys.readouterr().out
    assert "--project DIRECTORY" in shown and "--strict" in shown


def test_commands_work_with_the_options_after_them(
    project: Project, elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(project.root)
    project.source("adem", "Adem rustig in en uit.\n\nDit blijft hetzelfde staan.\n")
    assert main(["extract", "--project", root]) == 0
    assert (project.root / "locales/adem.pot").is_file()
    assert main(["update", "--project", root, "--lang", "de"]) == 0
    assert project.po("de", "adem").is_file() and not project.po("en", "adem").exists()
    capsys.readouterr()
    assert main(["status", "--json", "--project", root]) == 0
    assert '"domain": "adem"' in capsys.readouterr().out

    # One translation left the same as the source: a warning, which --strict makes an error.
    po = polib.pofile(str(project.po("de", "adem")))
    for entry in po:
        entry.msgstr = "Atme ruhig ein und aus." if entry.msgid.startswith("Adem") else entry.msgid
    po.save(str(project.po("de", "adem")))
    assert main(["check", "--lang", "de", "--project", root]) == 0
    assert main(["check", "--lang", "de", "--project", root, "--strict"]) == 1
    assert main(["--strict", "check", "--project", root, "--lang", "de"]) == 1
    assert main(["--project", root, "check", "--strict", "--lang", "de"]) == 1

    assert main(["init", "fr", "--project", root]) == 0
    assert '"fr"' in project.read("pyproject.toml")
    assert main(["import", "geplakt.txt", "--slug", "geplakt", "--project", root]) == 0
    assert (project.root / "sources/geplakt.md").is_file()

    tmx = elsewhere / "de.tmx"
    assert main(["memory", "export", "--lang", "de", "-o", str(tmx), "--project", root]) == 0
    assert "Atme ruhig ein und aus." in tmx.read_text(encoding="utf-8")
    assert main(["memory", "--project", root, "import", str(tmx)]) == 0
    assert (project.root / "locales/memory/de.tmx").is_file()


def test_build_takes_strict_and_project_after_the_format(
    project: Project, elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(REPO / "layouts", project.root / "layouts")
    project.source("adem", "Adem rustig in en uit.\n")
    assert project.run("update", "--lang", "de") == 0
    capsys.readouterr()
    # Nothing is translated: a warning, which --strict (given last) turns into a failure.
    args = ["build", "handout", "adem", "--lang", "de", "--project", str(project.root)]
    assert main([*args, "--strict"]) == 1
    assert "not translated into 'de'" in capsys.readouterr().err
    assert not (project.root / "output/de/handout/adem.pdf").exists()


# --- toolkit serve ------------------------------------------------------------------------------


class FakeUvicorn:
    """Stands in for uvicorn: records what it was asked to serve, then acts as if Ctrl+C came."""

    def __init__(self) -> None:
        self.module = types.ModuleType("uvicorn")
        self.module.Config = self.config  # type: ignore[attr-defined]
        self.module.Server = self.server  # type: ignore[attr-defined]
        self.ports: list[int] = []

    def config(self, app: Any, **_: Any) -> Any:
        return app

    def server(self, _config: Any) -> Any:
        def run(sockets: list[Any]) -> None:
            self.ports.append(sockets[0].getsockname()[1])
            raise KeyboardInterrupt

        return types.SimpleNamespace(run=run)


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch) -> tuple[FakeUvicorn, list[dict[str, Any]]]:
    import toolkit.serve.app

    fake = FakeUvicorn()
    apps: list[dict[str, Any]] = []

    def create_app(
        config: Any,
        *,
        allowed_hosts: list[str] | None,
        editable: bool = True,
        access_token: str | None = None,
    ) -> object:
        apps.append(
            {
                "root": config.root,
                "allowed_hosts": allowed_hosts,
                "editable": editable,
                "access_token": access_token,
            }
        )
        return object()

    monkeypatch.setitem(sys.modules, "uvicorn", fake.module)
    monkeypatch.setattr(toolkit.serve.app, "create_app", create_app)
    return fake, apps


def test_serve_takes_the_project_before_or_after_and_says_where_it_listens(
    project: Project,
    elsewhere: Path,
    fake_server: tuple[FakeUvicorn, list[dict[str, Any]]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake, apps = fake_server
    root = str(project.root)
    for argv in (
        ["serve", "--project", root, "--port", "0"],
        ["--project", root, "serve", "--port", "0"],
        ["serve", "--port", "0", "--strict", "--project", root],
    ):
        capsys.readouterr()
        assert main(argv) == 0, argv
        said = capsys.readouterr()
        port = fake.ports[-1]
        assert port != 0
        assert said.out.splitlines() == [
            f"toolkit serve: http://127.0.0.1:{port}/",
            f"  project {project.root}; translations are saved into locales/<lang>/LC_MESSAGES/*.po;"
            " press Ctrl+C to stop",
            "toolkit serve: stopped",
        ]
        assert said.err == ""
        assert apps[-1] == {
            "root": project.root,
            "allowed_hosts": ["127.0.0.1", "localhost"],
            "editable": True,
            "access_token": None,
        }
    assert main(["serve", "--read-only", "--port", "0", "--project", root]) == 0
    said = capsys.readouterr()
    assert f"  project {project.root}; read-only; press Ctrl+C to stop" in said.out.splitlines()
    assert apps[-1]["editable"] is False


def test_serve_off_loopback_warns_and_allows_any_host(
    project: Project,
    elsewhere: Path,
    fake_server: tuple[FakeUvicorn, list[dict[str, Any]]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake, apps = fake_server
    capsys.readouterr()
    assert main(["serve", "--host", "0.0.0.0", "--port", "0", "--project", str(project.root)]) == 0
    said = capsys.readouterr()
    token = apps[-1]["access_token"]
    assert token and len(token) >= 24
    assert f"http://0.0.0.0:{fake.ports[-1]}/?token={token}" in said.out
    assert "warning: listening on 0.0.0.0: other computers on the network" in said.err
    assert "every request needs the access token" in said.err
    assert apps[-1]["allowed_hosts"] is None


def test_serve_help_and_bad_options(
    project: Project, elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["serve", "--project", str(project.root), "--help"]) == 0
    assert "--port" in capsys.readouterr().out
    assert main(["serve", "--project", str(project.root), "--port", "70000"]) == 2
    assert "70000 is not in the range" in capsys.readouterr().err


def test_serve_on_a_port_in_use_is_an_error_not_a_traceback(
    project: Project,
    elsewhere: Path,
    fake_server: tuple[FakeUvicorn, list[dict[str, Any]]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        capsys.readouterr()
        assert main(["serve", "--port", str(port), "--project", str(project.root)]) == 1
    err = capsys.readouterr().err
    assert f"error: cannot listen on 127.0.0.1:{port}" in err
    assert "hint: choose another --port" in err


@pytest.mark.parametrize("package", ["uvicorn", "starlette"])
def test_serve_without_the_serve_extra_says_what_to_install(
    package: str,
    project: Project,
    elsewhere: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Should the import succeed after all, a fake uvicorn ends at once instead of serving forever.
    monkeypatch.setitem(sys.modules, "uvicorn", FakeUvicorn().module)
    # None in sys.modules makes `import <package>` raise ImportError, as if it were not installed;
    # its loaded submodules too, or `from starlette.applications import …` would still find one.
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")] + [package]:
        monkeypatch.setitem(sys.modules, name, None)
    # The app module imports starlette: drop a loaded copy so that the import runs again.
    monkeypatch.delitem(sys.modules, "toolkit.serve.app", raising=False)
    capsys.readouterr()
    assert main(["serve", "--project", str(project.root), "--port", "0"]) == 1
    said = capsys.readouterr()
    assert f"error: toolkit serve needs the web server packages, and {package} is not installed" in said.err
    assert "pip install 'toolkit[serve]'" in said.err and "make build" in said.err
    assert "Traceback" not in said.err + said.out
    assert "toolkit serve: http" not in said.out
