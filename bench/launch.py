"""Run a command and write its wall time and peak resident memory to a file (`launch.py OUT CMD...`).

Started from this small process (`python -S`: about 8 MB), the command's peak is its own: a command
the benchmark starts itself has its count begin at the benchmark's size (about 56 MB), since Linux
keeps the largest resident size a process had, before its exec too. Its exit code is the command's.
"""

import os
import sys
import time
from pathlib import Path

HERE = Path(__file__)


def launched(measured: Path, argv: list[str]) -> list[str]:
    """The command line that runs `argv` under this launcher, its figures written to `measured`."""
    return [sys.executable, "-S", str(HERE), str(measured), *argv]


def figures(measured: Path) -> tuple[float, float]:
    """What the launcher wrote: the command's wall time (s) and its peak resident memory (MB)."""
    seconds, kilobytes = measured.read_text(encoding="ascii").split()
    return float(seconds), int(kilobytes) / 1024


def main() -> int:
    out, argv = sys.argv[1], sys.argv[2:]
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ)
    _, status, usage = os.wait4(pid, 0)  # its peak, and its children's that it waited for
    seconds = time.perf_counter() - start
    with open(out, "w", encoding="ascii") as handle:
        handle.write(f"{seconds:.6f} {usage.ru_maxrss}\n")
    code = os.waitstatus_to_exitcode(status)
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main())
