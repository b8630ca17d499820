"""The layout strings ("Notes", "Page 2 of 6", ...) as one more catalog domain."""

from __future__ import annotations

from toolkit.config import Config
from toolkit.project import LAYOUTS_DOMAIN, Domain


def layout_domain(config: Config) -> Domain | None:
    return None
