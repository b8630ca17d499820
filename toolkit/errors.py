"""The one error type the library raises, and the non-fatal diagnostics it returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


class ToolkitError(Exception):
    """A problem the user can fix: names the file and line, and says what to do."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint

    def where(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        where = self.where()
        text = f"{where}: error: {self.message}" if where else f"error: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


@dataclass(frozen=True)
class Diagnostic:
    """A non-fatal problem; `--strict` turns warnings into failures."""

    severity: Literal["error", "warning", "info"]
    message: str
    path: str | None = None
    line: int | None = None
    code: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else (self.path or "")
        prefix = f"{where}: " if where else ""
        return f"{prefix}{self.severity}: {self.message}"
