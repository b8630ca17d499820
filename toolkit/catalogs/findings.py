"""What a check rule says about one text: its severity, the rule's name and the message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    severity: Severity
    rule: str
    message: str
    # The words the finding is about, as written (for a source: to find the exact line).
    found: str = ""
