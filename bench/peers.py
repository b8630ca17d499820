"""Installing the benchmark's peers where they are missing, and saying which versions ran."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from corpus import ROOT
from tools import SCRIPTS

# The peers installed into the benchmark's Python: not in uv.lock (the toolkit does not need them).
PIP_PEERS = {
    "translate-toolkit": "translate-toolkit[markdown,levenshtein]",  # md2po needs mistletoe; pot2po RapidFuzz
    "mdpo": "mdpo",
}
PROBES = {
    "translate-toolkit": "import translate.convert.md2po, translate.convert.pot2po, mistletoe, rapidfuzz",
    "mdpo": "import mdpo.md2po",
}


def apt_install(package: str) -> str:
    """'' when installed, else why not."""
    if shutil.which("apt-get") is None:
        return "no apt-get on this machine"
    prefix = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if prefix is None:
        return "not root and no sudo"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [*prefix, "apt-get", "install", "-y", "-q", package]
    if subprocess.run(install, env=env, capture_output=True).returncode == 0:
        return ""
    subprocess.run([*prefix, "apt-get", "update", "-q"], env=env, capture_output=True)
    done = subprocess.run(install, env=env, capture_output=True, text=True)
    return "" if done.returncode == 0 else f"apt-get install {package} failed: {done.stderr.strip()[-200:]}"


def pip_install(requirement: str) -> str:
    """Into this Python: with the project's uv when there is one (its .venv has no pip), else pip."""
    uv = ROOT / ".tools" / "uv" / "bin" / "uv"
    found = str(uv) if uv.exists() else shutil.which("uv")
    if found:
        argv = [found, "pip", "install", "-q", "--python", sys.executable, requirement]
    else:
        argv = [sys.executable, "-m", "pip", "install", "-q", requirement]
    done = subprocess.run(argv, capture_output=True, text=True)
    return "" if done.returncode == 0 else f"installing {requirement} failed: {done.stderr.strip()[-200:]}"


def importable(probe: str) -> bool:
    return subprocess.run([sys.executable, "-c", probe], capture_output=True).returncode == 0


def ensure_peers(install: bool, wanted: set[str]) -> dict[str, str]:
    """Peer name -> '' when usable, else why not; installs what is missing unless told not to."""
    status: dict[str, str] = {}
    for peer, command, package in (("po4a", "po4a", "po4a"), ("GNU msgmerge", "msgmerge", "gettext")):
        if peer not in wanted:
            continue
        if shutil.which(command) is None:
            status[peer] = apt_install(package) if install else "not installed (--no-install)"
            if not status[peer] and shutil.which(command) is None:
                status[peer] = f"{command} still not found after installing {package}"
        else:
            status[peer] = ""
    for peer, requirement in PIP_PEERS.items():
        if peer not in wanted:
            continue
        if importable(PROBES[peer]):
            status[peer] = ""
            continue
        status[peer] = pip_install(requirement) if install else "not installed (--no-install)"
        if not status[peer] and not importable(PROBES[peer]):
            status[peer] = f"{peer} still not importable after installing it"
    return status


def versions() -> dict[str, str]:
    def first_line(argv: list[str | Path]) -> str:
        try:
            done = subprocess.run([str(a) for a in argv], capture_output=True, text=True)
        except OSError:
            return ""
        text = (done.stdout or done.stderr).strip()
        return text.splitlines()[0] if text else ""

    def package(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return ""

    return {
        "toolkit": first_line([SCRIPTS / "toolkit", "--version"]),
        "po4a": first_line(["po4a", "--version"]),
        "msgmerge": first_line(["msgmerge", "--version"]),
        "translate-toolkit": package("translate-toolkit"),
        "mdpo": package("mdpo"),
        "rapidfuzz": package("rapidfuzz"),
        "python": sys.version.split()[0],
    }
