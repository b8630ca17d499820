"""The Jinja2 environment of the layouts: autoescape, StrictUndefined, i18n with a gettext per
language, CSS string helpers, and layout errors as ToolkitError naming the file and line."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from toolkit.errors import ToolkitError

Gettext = Callable[[str], str]


def make_environment(layouts_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(layouts_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    env.globals["css_string"] = css_string
    env.globals["css_counters"] = css_counters
    return env


def gettext_callables(gettext: Gettext) -> dict[str, Any]:
    """Newstyle gettext for the templates. Unlike Jinja's own, a translation is *escaped*, not
    trusted: a translator's `<script>` in layouts.po prints as text."""

    @pass_context
    def _gettext(ctx: Context, msgid: str, **variables: Any) -> str:
        rv: str = gettext(msgid)
        if ctx.eval_ctx.autoescape:
            rv = escape(rv)
        return rv % variables

    @pass_context
    def _ngettext(ctx: Context, singular: str, plural: str, num: int, **variables: Any) -> str:
        rv = gettext(singular) if num == 1 else gettext(plural)
        if ctx.eval_ctx.autoescape:
            rv = escape(rv)
        return rv % {"num": num, **variables}

    return {"gettext": _gettext, "_": _gettext, "ngettext": _ngettext}


def css_string(text: str) -> Markup:
    """A CSS string literal (for `content:`); safe inside a <style> element."""
    raw = Markup(text).unescape() if isinstance(text, Markup) else str(text)
    out = []
    for ch in raw:
        if ch in '"\\<>&\n' or ord(ch) < 32:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return Markup('"' + "".join(out) + '"')


def css_counters(text: str) -> Markup:
    """'Page {page} of {pages}' -> "Page " counter(page) " of " counter(pages)."""
    raw = Markup(text).unescape() if isinstance(text, Markup) else str(text)
    parts: list[str] = []
    rest = raw
    while rest:
        i, j = rest.find("{page}"), rest.find("{pages}")
        hits = [(k, n) for k, n in ((i, "page"), (j, "pages")) if k >= 0]
        if not hits:
            parts.append(css_string(rest))
            break
        k, name = min(hits)
        if k:
            parts.append(css_string(rest[:k]))
        parts.append(f"counter({name})")
        rest = rest[k + len(name) + 2 :]
    return Markup(" ".join(parts) or '""')


def render_template(
    env: jinja2.Environment, name: str, ctx: Mapping[str, Any], *, layouts: str = "layouts"
) -> str:
    """Render one layout; a broken one raises ToolkitError naming its file and line."""
    try:
        return env.get_template(name).render(ctx)
    except jinja2.TemplateSyntaxError as exc:
        where = Path(exc.filename or name).name
        raise ToolkitError(
            f"layout error: {exc.message}",
            path=f"{layouts}/{where}",
            line=exc.lineno,
            hint="fix the Jinja2 syntax of the layout",
        ) from exc
    except jinja2.TemplateNotFound as exc:
        raise ToolkitError(
            f"layout not found: {exc.name}",
            path=f"{layouts}/{exc.name}",
            hint="every format needs layouts/<format>.html.j2",
        ) from exc
    except jinja2.UndefinedError as exc:
        file, line = _template_frame(exc)
        raise ToolkitError(
            f"layout error: {exc.message}",
            path=f"{layouts}/{file or name}",
            line=line,
            hint="the layout uses a name the renderer does not provide",
        ) from exc


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template file and line of a rendering error (Jinja rewrites the traceback)."""
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__ or sys.exc_info()[2]
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (Path(filename).name, tb.tb_lineno)
        tb = tb.tb_next
    return found
