"""The translatable strings of the layouts, found with Babel's extractor for Jinja2.

Returned in a stable order (by first file, then line) so `locales/layouts.pot` only changes when a
layout's strings do. The caller merges them into the catalogs.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from toolkit.errors import ToolkitError

LayoutString = tuple[str, tuple[tuple[str, int], ...], tuple[str, ...]]

# Keywords the layouts use: `_()` and `gettext()`; `ngettext()` gives its singular form.
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
COMMENT_TAGS = ("Translators:",)


def extract_layout_strings(
    layouts_dir: Path, *, prefix: str = "layouts"
) -> tuple[LayoutString, ...]:
    """(msgid, ((file, line), ...), (translator comment, ...)) for every string in `*.j2` layouts.

    File names are `prefix/<name>` (relative to the project root when `prefix` is the layouts
    folder's name). A broken layout raises ToolkitError naming its file and line.
    """
    method_map = [("**.j2", "jinja2.ext:babel_extract")]
    options_map = {
        "**.j2": {
            "extensions": "jinja2.ext.i18n",
            "trim_blocks": "true",
            "lstrip_blocks": "true",
            "silent": "false",
        }
    }
    found: dict[str, tuple[list[tuple[str, int]], list[str]]] = {}
    current: list[str] = []

    def seen(filename: str, method: str, options: dict[str, str]) -> None:
        current[:] = [filename]

    try:
        for filename, lineno, message, comments, _context in extract_from_dir(
            str(layouts_dir),
            method_map=method_map,
            options_map=options_map,
            keywords=KEYWORDS,
            comment_tags=COMMENT_TAGS,
            strip_comment_tags=True,
            callback=seen,
        ):
            msgid = message[0] if isinstance(message, tuple) else message
            if not msgid:
                continue
            where = (f"{prefix}/{Path(filename).as_posix()}", lineno)
            locations, notes = found.setdefault(msgid, ([], []))
            if where not in locations:
                locations.append(where)
            for note in comments:
                if note not in notes:
                    notes.append(note)
    except Exception as exc:  # the Jinja2 extractor raises TemplateSyntaxError on a broken layout
        lineno = getattr(exc, "lineno", None)
        name = getattr(exc, "filename", None) or (current[0] if current else None)
        path = f"{prefix}/{Path(name).name}" if name else prefix
        raise ToolkitError(f"cannot read layout strings: {exc}", path=path, line=lineno) from exc
    items = [(msgid, tuple(sorted(locs)), tuple(notes)) for msgid, (locs, notes) in found.items()]
    items.sort(key=lambda item: (item[1][0], item[0]))
    return tuple(items)
