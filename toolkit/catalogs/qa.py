"""`toolkit check` over the project: every catalog's problems plus its progress, and the sources
themselves when their language is checked (`--lang nl`, or no `--lang`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.catalogs.checks import Problem, check_catalog
from toolkit.catalogs.files import (
    LAYOUTS_DOMAIN,
    Domain,
    check_languages,
    po_path,
    read_catalog,
    target_languages,
)
from toolkit.catalogs.glossary import read_glossary
from toolkit.catalogs.source_qa import check_sources
from toolkit.catalogs.spelling import Spelling, read_spelling
from toolkit.catalogs.status import Progress, domain_progress
from toolkit.config import Config
from toolkit.errors import Diagnostic


@dataclass(frozen=True)
class CheckReport:
    problems: tuple[Problem, ...]
    progress: tuple[Progress, ...]
    missing: tuple[str, ...]  # catalogs that do not exist yet
    notes: tuple[Diagnostic, ...] = ()  # sources' syntax left out of the units (once per source)

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)


def check_project(
    config: Config, domains: Sequence[Domain], langs: Sequence[str] = ()
) -> CheckReport:
    glossary = read_glossary(config.locales_dir, f"{config.locales}/glossary.csv")
    check_languages(config, langs)
    spellings: dict[str, Spelling] = {}

    def spelling(lang: str) -> Spelling:
        if lang not in spellings:
            spellings[lang] = read_spelling(config.locales_dir, lang, config.locales)
        return spellings[lang]

    problems: list[Problem] = []
    progress: list[Progress] = []
    missing: list[str] = []
    for domain in domains:
        if domain.name != LAYOUTS_DOMAIN and (not langs or domain.source_lang in langs):
            problems.extend(
                check_sources(config.root, [domain], glossary, spelling(domain.source_lang))
            )
        for lang in target_languages(config, domain.source_lang, langs):
            path = po_path(config, lang, domain.name)
            catalog = read_catalog(config, path)
            if catalog is None:
                missing.append(config.rel(path))
                continue
            problems.extend(
                check_catalog(
                    catalog, lang, glossary, spelling=spelling(lang), register=domain.register(lang)
                )
            )
            progress.append(domain_progress(domain, lang, catalog))
    notes = tuple(n for d in domains for n in d.notes)
    return CheckReport(tuple(problems), tuple(progress), tuple(missing), notes)
