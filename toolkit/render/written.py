"""What a format's writer gives back: the file's bytes, its page (or slide) count, its problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from toolkit.errors import Diagnostic

if TYPE_CHECKING:
    from toolkit.render.refine import Setting


@dataclass(frozen=True)
class Written:
    data: bytes
    pages: int  # pages of a PDF, slides of a deck
    diagnostics: tuple[Diagnostic, ...]
    # What a PDF's renderer chose (refine.py): the print shop's PDF/X is laid out again in it.
    setting: Setting | None = field(default=None, repr=False)
