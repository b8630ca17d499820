"""Project settings from `[tool.toolkit]` in pyproject.toml, validated with errors that name the key."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from toolkit.errors import ToolkitError

PYPROJECT = "pyproject.toml"
# The largest source file (5 MiB): import refuses to write, and every reader to read, a bigger one.
DEFAULT_MAX_SOURCE_KIB = 5 * 1024
DEFAULT_MAX_SLIDES = 15
MIN_SLIDES = 3
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Brand:
    practice: str = "Toolkit"
    contact: str = ""
    website: str = ""
    logo: str = ""  # path relative to the project root, or ""
    colour: str = "#2f5d50"  # main colour: headings, rules
    accent: str = "#c0703a"  # second colour: kickers, QR frames


@dataclass(frozen=True)
class Config:
    root: Path
    source_language: str = "nl"
    languages: tuple[str, ...] = ("nl", "en", "de")
    sources: str = "sources"
    locales: str = "locales"
    layouts: str = "layouts"
    output: str = "output"
    project_name: str = "toolkit"
    fuzzy_threshold: float = 0.6
    memory: bool = True
    memory_threshold: float = 0.75
    brand: Brand = field(default_factory=Brand)
    # Which regional variant formats dates and numbers, e.g. {"en": "en_GB"}; default: the language.
    regions: tuple[tuple[str, str], ...] = ()
    # The print shop's CMYK ICC profile: with it, --print-ready writes PDF/X with text in 100 % K.
    print_profile: str = ""
    max_source_kib: int = DEFAULT_MAX_SOURCE_KIB
    # The most slides a deck has, title and closing slide included (front matter `max_slides`
    # overrides it per article); at least 3: the title, one of content, the closing slide.
    max_slides: int = DEFAULT_MAX_SLIDES

    @property
    def max_source_bytes(self) -> int:
        return self.max_source_kib * 1024

    @property
    def print_profile_path(self) -> Path | None:
        return (self.root / self.print_profile) if self.print_profile else None

    def babel_locale(self, lang: str) -> str:
        return dict(self.regions).get(lang, lang)

    @property
    def sources_dir(self) -> Path:
        return self.root / self.sources

    @property
    def locales_dir(self) -> Path:
        return self.root / self.locales

    @property
    def layouts_dir(self) -> Path:
        return self.root / self.layouts

    @property
    def output_dir(self) -> Path:
        return self.root / self.output

    def rel(self, path: Path) -> str:
        """A path as the user sees it: relative to the project root where possible."""
        try:
            return path.absolute().relative_to(self.root.absolute()).as_posix()
        except ValueError:
            return str(path)


_FOLDER_KEYS = ("sources", "locales", "layouts", "output")
_TOP_KEYS = {
    "source_language",
    "languages",
    "project_name",
    "fuzzy_threshold",
    "memory",
    "memory_threshold",
    "regions",
    "print_profile",
    "max_source_kib",
    "max_slides",
    "brand",
    *_FOLDER_KEYS,
}
_BRAND_KEYS = {"practice", "contact", "website", "logo", "colour", "accent"}


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` whose pyproject.toml has a [tool.toolkit] table."""
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / PYPROJECT
        if candidate.is_file() and "[tool.toolkit" in candidate.read_text(encoding="utf-8"):
            return folder
    raise ToolkitError(
        f"no {PYPROJECT} with a [tool.toolkit] table in {start} or any folder above it",
        hint="run toolkit inside a project, or pass --project DIR",
    )


def load_config(root: Path) -> Config:
    path = root / PYPROJECT
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ToolkitError(f"invalid TOML: {exc}", path=PYPROJECT, hint="fix the syntax") from exc
    except OSError as exc:
        raise ToolkitError(f"cannot read: {exc.strerror}", path=str(path)) from exc
    table = data.get("tool", {}).get("toolkit", {})
    name = data.get("project", {}).get("name", "toolkit")
    return config_from_table(root, table, default_name=name if isinstance(name, str) else "toolkit")


def _fail(key: str, message: str) -> ToolkitError:
    return ToolkitError(f"[tool.toolkit] {key}: {message}", path=PYPROJECT)


def check_language(code: str, key: str = "languages") -> str:
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError) as exc:
        raise _fail(
            key,
            f"unknown language {code!r}; use a code Babel knows, such as nl, en, de, fr, pt_BR",
        ) from exc
    return code


def config_from_table(root: Path, table: dict[str, Any], *, default_name: str = "toolkit") -> Config:
    unknown = sorted(set(table) - _TOP_KEYS)
    if unknown:
        raise _fail(unknown[0], f"unknown setting; allowed: {', '.join(sorted(_TOP_KEYS))}")
    source = table.get("source_language", "nl")
    if not isinstance(source, str):
        raise _fail("source_language", "must be a language code such as 'nl'")
    check_language(source, "source_language")
    languages = table.get("languages", ["nl", "en", "de"])
    if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
        raise _fail("languages", "must be a list of language codes, e.g. ['nl', 'en', 'de']")
    for code in languages:
        check_language(code)
    if len(set(languages)) != len(languages):
        raise _fail("languages", "lists a language twice")
    if source not in languages:
        languages = [source, *languages]
    folders: dict[str, str] = {}
    for key in _FOLDER_KEYS:
        value = table.get(key, key)
        if not isinstance(value, str) or not value:
            raise _fail(key, "must be a folder name relative to the project root")
        if Path(value).is_absolute() or ".." in Path(value).parts:
            raise _fail(key, f"{value!r} must stay inside the project (no absolute path, no '..')")
        folders[key] = value
    threshold = _fraction(table, "fuzzy_threshold", 0.6)
    memory_threshold = _fraction(table, "memory_threshold", 0.75)
    memory = table.get("memory", True)
    if not isinstance(memory, bool):
        raise _fail("memory", "must be true or false")
    # Not the folder's name: a clone in another folder must write the very same catalogs.
    name = table.get("project_name", default_name)
    if not isinstance(name, str):
        raise _fail("project_name", "must be a string")
    regions = table.get("regions", {})
    if not isinstance(regions, dict) or not all(isinstance(v, str) for v in regions.values()):
        raise _fail("regions", 'must be a table like { en = "en_GB" }')
    for lang, region in regions.items():
        check_language(region, f"regions.{lang}")
    profile = table.get("print_profile", "")
    if not isinstance(profile, str):
        raise _fail("print_profile", "must be the path of the print shop's ICC profile")
    if profile and not (root / profile).is_file():
        raise _fail("print_profile", f"{profile!r} not found; put the shop's .icc file in the project")
    max_source_kib = table.get("max_source_kib", DEFAULT_MAX_SOURCE_KIB)
    if isinstance(max_source_kib, bool) or not isinstance(max_source_kib, int) or max_source_kib < 1:
        raise _fail(
            "max_source_kib",
            f"must be a whole number of KiB, at least 1, e.g. {DEFAULT_MAX_SOURCE_KIB} (5 MiB)",
        )
    max_slides = table.get("max_slides", DEFAULT_MAX_SLIDES)
    if isinstance(max_slides, bool) or not isinstance(max_slides, int) or max_slides < MIN_SLIDES:
        raise _fail(
            "max_slides",
            f"must be a whole number of slides, at least {MIN_SLIDES} (title, content, closing), e.g. {DEFAULT_MAX_SLIDES}",
        )
    return Config(
        root=root,
        max_slides=max_slides,
        print_profile=profile,
        max_source_kib=max_source_kib,
        regions=tuple(sorted(regions.items())),
        source_language=source,
        languages=tuple(languages),
        project_name=name,
        fuzzy_threshold=threshold,
        memory=memory,
        memory_threshold=memory_threshold,
        brand=_brand(table.get("brand", {})),
        **folders,
    )


def _fraction(table: dict[str, Any], key: str, default: float) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 < value <= 1.0:
        raise _fail(key, f"must be a number above 0 and at most 1, e.g. {default}")
    return float(value)


def _brand(table: Any) -> Brand:
    if not isinstance(table, dict):
        raise _fail("brand", "must be a table: [tool.toolkit.brand]")
    unknown = sorted(set(table) - _BRAND_KEYS)
    if unknown:
        raise _fail(f"brand.{unknown[0]}", f"unknown setting; allowed: {', '.join(sorted(_BRAND_KEYS))}")
    for key, value in table.items():
        if not isinstance(value, str):
            raise _fail(f"brand.{key}", "must be a string")
        if key in ("colour", "accent") and not _COLOUR.match(value):
            raise _fail(f"brand.{key}", f"{value!r} is not a colour like '#2f5d50'")
    return Brand(**table)
