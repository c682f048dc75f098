"""``mops demo``: write the seeded demo year, validate it, show what was found."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from mops.cli.main import as_of_option, cli, err, lang_option, out
from mops.i18n import current_lang


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default="demo")
@click.option("--seed", type=int, default=2026, show_default=True, help="Random seed.")
@as_of_option("The day the demo year ends ('today' of the demo).", default="2026-11-26")
@click.option("--force", is_flag=True, help="Write into a folder that holds other workbooks.")
@lang_option("Language of the workbooks and the messages (zh-TW, en).")
@click.pass_context
def demo(ctx: click.Context, directory: Path, seed: int, as_of: dt.datetime, force: bool) -> None:
    """Generate a believable demo year, run the nightly job on it, and show what was found.

    Writes the six workbooks (and planted.json, the list of mistakes planted on purpose) into
    DIRECTORY, then runs the nightly job on them as of --as-of without Odoo (mops nightly:
    validation with the findings written into the workbooks, the Odoo steps skipped, the
    reconciliation from the workbooks, the reports), and reports, kind by kind, whether the
    planted mistakes were found. Needs no Odoo and no network.

    \b
    Example:
      mops demo demo-data --seed 7
    """
    from mops.jobs.demo import demo as run_demo
    from mops.jobs.render import render_demo

    with err.status("") as status:
        run = run_demo(
            directory,
            seed=seed,
            as_of=as_of.date(),
            lang=current_lang.get(),
            force=force,
            config=ctx.obj["config"],
            progress=status.update,
        )
    render_demo(run, out, current_lang.get())
    ctx.exit(run.exit_code)
