"""Adding a language to the project: the setting in pyproject.toml and its first catalogs."""

from __future__ import annotations

from dataclasses import replace

import tomlkit

from toolkit.catalogs.update import UpdateReport, run_update
from toolkit.config import PYPROJECT, Config, check_language
from toolkit.fsutil import atomic_write


def add_language(config: Config, code: str) -> tuple[Config, UpdateReport]:
    """Create the catalogs for `code`, then record it in [tool.toolkit] languages."""
    check_language(code, "languages")
    new_config = config
    if code not in config.languages:
        new_config = replace(config, languages=(*config.languages, code))
    report = run_update(new_config, langs=[code])
    if new_config is not config:
        path = config.root / PYPROJECT
        doc = tomlkit.parse(path.read_text(encoding="utf-8"))
        tool = doc.setdefault("tool", tomlkit.table())
        table = tool.setdefault("toolkit", tomlkit.table())
        languages = table.get("languages")
        if languages is None:
            table["languages"] = list(new_config.languages)
        else:
            languages.append(code)
        atomic_write(path, tomlkit.dumps(doc))
    return new_config, report
