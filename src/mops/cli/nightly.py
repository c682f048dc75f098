"""``mops nightly``: the whole night's work once (validate, sync, reconcile, reports)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from mops.cli.main import as_of_option, cli, err, lang_option, out
from mops.i18n import current_lang


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@as_of_option("Judge deadlines as of this day instead of today.")
@click.option(
    "--state",
    "state_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The state file (default: .mops-sync.sqlite beside the first workbook).",
)
@lang_option()
@click.pass_context
def nightly(
    ctx: click.Context, paths: tuple[Path, ...], as_of: dt.datetime | None, state_path: Path | None
) -> None:
    """Run the nightly job once: validate (findings written back), sync with Odoo, reconcile,
    write the reports and the run summary, mail the morning digest ([mail] in mops.toml); each
    step goes into the run journal (mops runs).

    Without Odoo configured the sync is skipped (one line says so) and the reconciliation uses
    the last data read from Odoo. A workbook open in Excel or unreadable is left out and named.
    Only one run at a time per folder, shared with mops sync.

    Exit code: 0 all done, nothing to look at; 1 done, with errors, conflicts, unmatched lines
    or workbooks left out; 2 no workbook found; 4 another run holds the folder; 5 asked to stop
    (SIGTERM under mops schedule); 10 validation,
    11 sync (e.g. Odoo down), 12 reconciliation, 13 reports, 14 the digest failed (the other
    steps still ran). A mail the server did not take is kept and sent after the next run.

    \b
    Examples:
      mops nightly demo
      mops nightly demo --as-of 2026-11-26
    """
    from mops.jobs.nightly import nightly as run_nightly
    from mops.jobs.render import render_nightly

    with err.status("", spinner="dots") as status:
        run = run_nightly(
            paths,
            as_of=as_of.date() if as_of else None,
            config=ctx.obj["config"],
            state=state_path,
            progress=status.update,
        )
    render_nightly(run, out, current_lang.get())
    ctx.exit(run.exit_code)
