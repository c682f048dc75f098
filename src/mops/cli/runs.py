"""``mops runs``: the nightly job's journal, newest run first."""

from __future__ import annotations

from pathlib import Path

import click

from mops.cli.main import cli, lang_option, out
from mops.i18n import current_lang


@cli.command()
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option(
    "--state",
    "state_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The state file (default: .mops-sync.sqlite in PATH's folder).",
)
@click.option("--limit", type=int, default=10, show_default=True, help="Runs listed; 0 = all.")
@lang_option()
def runs(path: Path, state_path: Path | None, limit: int) -> None:
    """Show the latest nightly runs: each step's outcome, counts and time, workbooks left out.

    PATH is the folder of the workbooks (or one of them).

    \b
    Examples:
      mops runs demo
      mops runs demo --limit 1      # last night's run
    """
    from mops.jobs.journal import nightly_runs
    from mops.jobs.render import render_history

    render_history(nightly_runs(path, state=state_path, limit=limit), out, current_lang.get())
