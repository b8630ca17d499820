"""The command line: parses options, calls the library, and turns errors into messages and exits."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from toolkit import __version__
from toolkit.config import Config, find_root, load_config
from toolkit.errors import ToolkitError

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class State:
    """The global options, wherever they were given: before the command or after it."""

    def __init__(self, project: Path | None = None, strict: bool = False) -> None:
        self.project = project
        self.strict = strict
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(find_root(self.project or Path.cwd()))
        return self._config


pass_state = click.make_pass_decorator(State)


def _set_project(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None:  # not given here: keep what the group (or a parent) was given
        ctx.ensure_object(State).project = value


def _set_strict(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(State).strict = True


F = TypeVar("F", bound=Callable[..., Any])


def global_options(f: F) -> F:
    """--project and --strict on a command or group. Every context shares the parent's State
    object, so an option given after the subcommand sets the same State as one given before it."""
    f = click.option(
        "--strict",
        is_flag=True,
        expose_value=False,
        callback=_set_strict,
        help="Treat warnings as errors.",
    )(f)
    return click.option(
        "--project",
        type=click.Path(file_okay=False, path_type=Path),
        expose_value=False,
        callback=_set_project,
        help="Project folder (default: the nearest folder with [tool.toolkit] in pyproject.toml).",
    )(f)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="toolkit")
@global_options
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Multilingual articles, gettext catalogs and PDF handouts, brochures and slides."""
    ctx.ensure_object(State)


@cli.command()
@click.argument("articles", nargs=-1)
@global_options
@pass_state
def extract(state: State, articles: Sequence[str]) -> None:
    """Write locales/<article>.pot for every article (or the named ones)."""
    from toolkit.catalogs.update import run_extract

    report = run_extract(state.config, articles)
    _print_written(report.written, report.unchanged)


@cli.command()
@click.argument("articles", nargs=-1)
@click.option("--lang", "langs", multiple=True, help="Only this language (repeatable).")
@click.option("--no-memory", is_flag=True, help="Do not fill entries from the translation memory.")
@global_options
@pass_state
def update(state: State, articles: Sequence[str], langs: Sequence[str], no_memory: bool) -> None:
    """Extract, then merge into every language's catalog; nothing a translator wrote is lost."""
    from toolkit.catalogs.update import run_update

    report = run_update(state.config, articles, langs, use_memory=not no_memory)
    lines = []
    for m in report.merges:
        s = m.stats
        parts = [f"{s.kept} kept"]
        if s.fuzzy_new:
            parts.append(f"{s.fuzzy_new} fuzzy (text changed)")
        if s.revived:
            parts.append(f"{s.revived} back from obsolete")
        if s.memory_exact or s.memory_fuzzy:
            parts.append(f"{s.memory_exact} from memory, {s.memory_fuzzy} fuzzy from memory")
        if s.obsoleted:
            parts.append(f"{s.obsoleted} made obsolete")
        parts.append(f"{s.untranslated} untranslated")
        label = "created" if m.created else "merged"
        lines.append(f"{m.path}: {label}: {', '.join(parts)}")
    _print_lines(lines)  # one print: a thousand articles are two thousand lines
    _print_written(report.written, report.unchanged)


@cli.command()
@click.argument("lang")
@global_options
@pass_state
def init(state: State, lang: str) -> None:
    """Add a language such as fr to the project and create its catalogs."""
    from toolkit.catalogs.languages import add_language

    config, report = add_language(state.config, lang)
    out.print(f"languages: {', '.join(config.languages)}")
    _print_written(report.written, report.unchanged)


@cli.command()
@click.argument("articles", nargs=-1)
@click.option("--lang", "langs", multiple=True, help="Only this language (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@global_options
@pass_state
def status(state: State, articles: Sequence[str], langs: Sequence[str], as_json: bool) -> None:
    """Translated, fuzzy and untranslated units and words per article and language."""
    from toolkit.catalogs.status import project_progress, totals
    from toolkit.catalogs.update import all_domains

    rows = project_progress(state.config, all_domains(state.config, articles), langs)
    total = totals(rows)
    if as_json:
        data = {"catalogs": [r.as_dict() for r in rows], "total": [t.as_dict() for t in total]}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    table = Table(title="Translation status", show_lines=False)
    for col in ("catalog", "lang", "translated", "fuzzy", "untranslated", "words", "done"):
        table.add_column(
            col, justify="left" if col in ("catalog", "lang") else "right", overflow="fold"
        )
    for r in [*rows, *total]:
        style = "bold" if r.domain == "total" else None
        table.add_row(
            r.domain,
            r.lang,
            str(r.translated),
            str(r.fuzzy),
            str(r.untranslated),
            f"{r.words_translated}/{r.words}",
            f"{r.percent:.0f} %",
            style=style,
        )
    out.print(table)


@cli.command()
@click.argument("articles", nargs=-1)
@click.option("--lang", "langs", multiple=True, help="Only this language (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@global_options
@pass_state
def check(state: State, articles: Sequence[str], langs: Sequence[str], fmt: str) -> None:
    """Check translations: markup, links, numbers, terms, punctuation, HTML, unsafe text (exit 1 on errors)."""
    from toolkit.catalogs.qa import check_project
    from toolkit.catalogs.status import totals
    from toolkit.catalogs.update import all_domains

    report = check_project(state.config, all_domains(state.config, articles), langs)
    failed = report.errors > 0 or (state.strict and report.warnings > 0)
    if fmt == "json":
        data = {
            "problems": [p.as_dict() for p in report.problems],
            "errors": report.errors,
            "warnings": report.warnings,
            "missing": list(report.missing),
            "ignored": [
                {"path": n.path, "line": n.line, "severity": n.severity, "message": n.message}
                for n in report.notes
            ],
            "total": [t.as_dict() for t in totals(report.progress)],
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        for problem in report.problems:
            out.print(str(problem), markup=False)
        for path in report.missing:
            out.print(f"{path}: warning: catalog missing; run `toolkit update`", markup=False)
        for note in report.notes:
            out.print(str(note), markup=False)
        for t in totals(report.progress):
            out.print(
                f"{t.lang}: {t.translated} translated, {t.fuzzy} fuzzy, {t.untranslated} untranslated"
                f" ({t.percent:.0f} % of words)"
            )
        out.print(f"{report.errors} error(s), {report.warnings} warning(s)")
    if failed:
        raise click.exceptions.Exit(1)


@cli.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--slug", required=True, help="Name of the article: sources/<slug>.md.")
@click.option("--lang", help="Language of the text (default: detected).")
@click.option("--title", help="Title (default: the first title line of the text).")
@click.option("--force", is_flag=True, help="Replace an existing source of that name.")
@global_options
@pass_state
def import_(state: State, source: Path, slug: str, lang: str | None, title: str | None, force: bool) -> None:
    """Turn text copied from a web page (or a Markdown file) into sources/<slug>.md."""
    from toolkit.sources.importing import import_source

    target, report = import_source(state.config, source, slug=slug, lang=lang, title=title, force=force)
    out.print(f"wrote {state.config.rel(target)}: {report.summary()}", markup=False)
    for line in report.removed_lines:
        out.print(f"  removed: {line}", markup=False)
    for note in report.ignored:
        out.print(f"  {note}", markup=False)
    out.print("check the headings and lists, then run `toolkit update`")


@cli.command()
@click.argument("what", nargs=-1)
@click.option("--lang", "langs", multiple=True, help="Only this language (repeatable).")
@click.option("--fuzzy", is_flag=True, help="Use outdated (fuzzy) translations instead of the source text.")
@click.option("--force", is_flag=True, help="Rebuild even what has not changed.")
@click.option("--date", "build_date", type=click.DateTime(["%Y-%m-%d"]), help="Date for articles without one.")
@click.option("--jobs", type=click.IntRange(1, 64), help="Worker processes (default: one per core).")
@click.option(
    "--impose",
    type=click.Choice(["booklet"]),
    help="Also write <slug>.booklet.pdf: A4 sheets, two pages a side, to print duplex and fold.",
)
@click.option(
    "--print-ready",
    is_flag=True,
    help="Also write <slug>.print.pdf for the print shop: crop marks outside the bleed.",
)
@global_options
@pass_state
def build(
    state: State,
    what: Sequence[str],
    langs: Sequence[str],
    fuzzy: bool,
    force: bool,
    build_date: object,
    jobs: int | None,
    impose: str | None,
    print_ready: bool,
) -> None:
    """Build PDFs (and PowerPoint decks): [FORMAT] [ARTICLE...]; with no arguments, everything.

    FORMAT is handout, brochure, slides (the PDF and the editable .pptx beside it), pptx (only
    the .pptx) or workshop (for workshop sources, those with `include:`);
    e.g. `toolkit build handout psoas-release-massage --lang de`.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from toolkit.build import BuildOptions, plan_build, run_build
    from toolkit.documents import FORMATS
    from toolkit.documents.formats import is_format_name, select_formats

    formats = tuple(FORMATS)
    slugs = list(what)
    if slugs and is_format_name(slugs[0]):
        formats = select_formats(slugs.pop(0))
    options = BuildOptions(
        formats=formats,
        slugs=tuple(slugs),
        langs=tuple(langs),
        use_fuzzy=fuzzy,
        strict=state.strict,
        force=force,
        workers=jobs or 0,
        build_date=build_date.date() if build_date else None,  # type: ignore[attr-defined]
        impose=impose,
        print_ready=print_ready,
    )
    config = state.config
    plan = plan_build(config, options)
    # Imposing and print files are for booklets and the print shop (formats.py): say so when
    # nothing asked for is one.
    for asked, kind, flag in ((impose, "booklet", "--impose booklet"), (print_ready, "print_shop", "--print-ready")):
        if asked and not any(getattr(FORMATS[f], kind) for f in formats):
            fits = " and ".join(n for n, f in FORMATS.items() if getattr(f, kind))
            out.print(f"{flag} applies to {fits} only: nothing to do for {', '.join(formats)}", markup=False)
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("building", total=len(plan.documents))
        outputs = run_build(config, plan, options, lambda out: bar.advance(task))
    built = [o for o in outputs if not o.skipped]
    table = Table(title=f"Built {len(built)} file(s), {len(outputs) - len(built)} unchanged")
    for col in ("output", "pages", "fell back to source"):  # a deck's pages are its slides
        table.add_column(col, overflow="fold")
    for o in built:
        shown = ""
        if o.fell_back:
            lines = ", ".join(str(r.line) for r in o.fell_back[:8]) + (" …" if len(o.fell_back) > 8 else "")
            kind = "outdated" if fuzzy else "source"
            shown = f"{len(o.fell_back)} unit(s) ({kind}), lines {lines}"
        table.add_row(o.path, str(o.pages), shown)
    if built:
        out.print(table)
    else:
        out.print(f"nothing to do: {len(outputs)} file(s) up to date")
    for o in built:
        for d in o.diagnostics:
            if d.severity != "info":
                err.print(str(d), markup=False)
    # What the print files are (PDF/X or not), said once.
    for said in dict.fromkeys(d.message for o in built for d in o.diagnostics if d.code == "print-standard"):
        out.print(said, markup=False)


@cli.group()
@global_options
def memory() -> None:
    """Translation memory: export to and import from TMX 1.4 (CAT tools)."""


@memory.command("export")
@click.option("--lang", required=True, help="Target language of the memory.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@global_options
@pass_state
def memory_export(state: State, lang: str, output: Path) -> None:
    """Write every translated unit of LANG as a TMX file."""
    from toolkit.catalogs.memory_files import export_pairs
    from toolkit.catalogs.tmx import tmx_text
    from toolkit.fsutil import atomic_write

    pairs = export_pairs(state.config, lang)
    atomic_write(output, tmx_text(pairs, state.config.source_language, lang))
    out.print(f"wrote {output}: {len(pairs)} translation units ({state.config.source_language} → {lang})")


@memory.command("import")
@click.argument("tmx", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace an imported memory of the same name.")
@global_options
@pass_state
def memory_import(state: State, tmx: Path, force: bool) -> None:
    """Add a TMX file to the memory that `toolkit update` uses."""
    from toolkit.catalogs.memory_files import import_tmx

    target, counts = import_tmx(state.config, tmx, force=force)
    summary = ", ".join(f"{n} {lang}" for lang, n in counts.items()) or "no units for project languages"
    out.print(f"imported {state.config.rel(target)}: {summary}; run `toolkit update` to use it")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8765,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on; 0 picks a free one.",
)
@click.option(
    "--read-only",
    is_flag=True,
    help="Do not save translations: preview and dashboard only.",
)
@global_options
@pass_state
def serve(state: State, host: str, port: int, read_only: bool) -> None:
    """Translate in the browser: dashboard, editor with the printed page, live preview."""
    from toolkit.serve.server import run

    run(state.config, host, port, say=_say, warn=_warn, read_only=read_only)


def _say(line: str) -> None:
    out.print(line, markup=False)
    sys.stdout.flush()  # the address must reach a pipe (a test, an editor plugin) at once


def _warn(line: str) -> None:
    err.print(line, markup=False)


def _print_written(written: Sequence[str], unchanged: Sequence[str]) -> None:
    _print_lines([f"wrote {path}" for path in written])
    if unchanged:
        out.print(f"{len(unchanged)} file(s) unchanged")


def _print_lines(lines: Sequence[str]) -> None:
    # Console.out: no markup (a path may hold "[...]"), no wrapping; and 2,000 report lines of an
    # update cost 0.02 s instead of 0.4.
    if lines:
        out.out("\n".join(lines), highlight=False)


def main(argv: Sequence[str] | None = None) -> int:
    """The one place where errors become messages and exit codes."""
    try:
        result = cli.main(
            args=list(argv) if argv is not None else None, prog_name="toolkit", standalone_mode=False
        )
    except ToolkitError as exc:
        err.print(str(exc), markup=False)
        return 1
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        err.print("aborted")
        return 130
    except KeyboardInterrupt:
        err.print("interrupted")
        return 130
    except OSError as exc:
        # Disk full, read-only folders, a file where a folder should be: the system's words, no traceback.
        err.print(f"{exc.filename or ''}: error: {exc.strerror or exc}", markup=False)
        err.print("  hint: check that the project folders exist and may be written", markup=False)
        return 1
    # Without standalone mode click returns the code of a command that called ctx.exit(n).
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
