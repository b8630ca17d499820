"""What a format's writer gives back: the file's bytes, its page (or slide) count, its problems."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.errors import Diagnostic


@dataclass(frozen=True)
class Written:
    data: bytes
    pages: int  # pages of a PDF, slides of a deck
    diagnostics: tuple[Diagnostic, ...]
