"""``mops schedule``: run the nightly job and its companions on time; ``status``: what is next."""

from __future__ import annotations

from pathlib import Path

import click

from mops.cli.main import DefaultGroup, cli, lang_option, out
from mops.i18n import current_lang


@cli.group("schedule", cls=DefaultGroup)
def schedule_group() -> None:
    """Run the jobs of [schedule] in mops.toml until stopped; show what runs next.

    mops schedule PATHS… (the same as mops schedule run PATHS…) stays running: the nightly
    job every day at 02:00, a sync with Odoo every hour in working hours, the report pack on
    Monday at 08:00, in the firm's time zone. mops schedule status shows the next runs, the
    last results and where the log is.

    \b
    Examples:
      mops schedule demo                 # run until Ctrl+C or SIGTERM
      mops schedule status demo
    """


@schedule_group.command("run")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@lang_option()
@click.pass_context
def schedule_run(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Run the scheduled jobs for the workbooks at PATHS until SIGTERM or Ctrl+C.

    Refuses to start when another mops schedule runs for the same folder (exit code 4). A
    failed job is retried (retries, retry_backoff_seconds) and the scheduler keeps running;
    times missed while the machine was off are caught up once at start. On SIGTERM or Ctrl+C
    the step in hand is finished, then it exits 0. It logs to the console and to a rotating
    file (mops-schedule.log beside the workbooks, or [schedule] log_file).

    \b
    Examples:
      mops schedule run demo
      MOPS_SCHEDULE_NIGHTLY=03:30 mops schedule demo
    """
    from mops.jobs.scheduler import serve

    ctx.exit(serve(list(paths), ctx.obj["config"]))


@schedule_group.command("status")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@lang_option()
@click.pass_context
def schedule_status(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Show each job's next run and last result, whether a scheduler runs, where the log is.

    \b
    Examples:
      mops schedule status demo
    """
    from mops.jobs.render import render_schedule_status
    from mops.jobs.scheduler import schedule_status as status_of

    render_schedule_status(status_of(list(paths), ctx.obj["config"]), out, current_lang.get())
