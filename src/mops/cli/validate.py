"""``mops validate``: check workbooks against their layout and the policy; write findings back."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from mops.cli.main import as_of_option, cli, err, lang_option, out
from mops.i18n import current_lang


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@as_of_option("Judge deadlines as of this day instead of today, for reproducible results.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people; json (schema mops.findings/1, see docs/findings-json.md) for tools.",
)
@click.option("--write-back", is_flag=True, help="Annotate each workbook with its findings.")
@lang_option("Language of findings and messages (zh-TW, en).")
@click.option("--limit", type=int, default=50, show_default=True, help="Findings listed; 0 = all.")
@click.pass_context
def validate(
    ctx: click.Context,
    paths: tuple[Path, ...],
    as_of: dt.datetime | None,
    fmt: str,
    write_back: bool,
    limit: int,
) -> None:
    """Check workbooks against their declared layout and the company policy.

    PATHS are workbooks or folders of workbooks. Exit code: 0 no errors, 1 findings of
    severity error, 2 a file that could not be read.

    \b
    Examples:
      mops validate demo
      mops validate customers.xlsx staff.xlsx --as-of 2026-11-26 --write-back
      mops validate demo --format json --lang en > findings.json
    """
    from mops.workbook import prefetch

    config = ctx.obj["config"]
    # Parse in the background while the validation engine (polars, rules) is imported.
    prefetch.start(prefetch.expand_paths(paths), config.limits)
    from mops import api
    from mops.validation.report import render, render_written

    lang = current_lang.get()
    with _progress_bar() as (progress, advance):
        report = api.validate(
            paths,
            as_of=as_of.date() if as_of else None,
            config=config,
            progress=progress,
            advance=advance,
        )
        written = []
        if write_back:
            progress("write-back")
            advance(0, None)
            written = api.write_back(report, lang=lang, config=config)
    if fmt == "json":
        click.echo(report.to_json(lang))
    else:
        render(report, out, lang, limit=limit)
    # Say what was written where: on stderr with JSON, so stdout stays the document.
    render_written(written, err if fmt == "json" else out, lang)
    ctx.exit(report.exit_code)


@contextmanager
def _progress_bar() -> Iterator[tuple]:
    """(progress, advance) callbacks drawing a bar on stderr: files read, sheets typed, rules
    run. Only on a terminal, and transient; elsewhere they do nothing (and rich is not loaded).
    """
    if not sys.stderr.isatty():
        yield (lambda message: None), (lambda done, total: None)
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
        console=err.console, transient=True,
    )  # fmt: skip
    with bar:
        task = bar.add_task("", total=None)
        yield (
            lambda message: bar.update(task, description=message[-40:]),
            lambda done, total: bar.update(task, completed=done, total=total),
        )
