"""``mops sync``: sync the workbooks with Odoo both ways; ``mops sync log``: what runs changed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from mops import api
from mops.cli.main import DefaultGroup, as_of_option, cli, err, lang_option, out
from mops.i18n import current_lang

_STATE_HELP = "The sync state file (default: .mops-sync.sqlite beside the first workbook)."


@cli.group("sync", cls=DefaultGroup)
def sync_group() -> None:
    """Sync the workbooks with Odoo, both ways; see past runs.

    mops sync PATHS… (the same as mops sync run PATHS…) validates the workbooks, compares them
    with Odoo and with the last sync, and applies the plan: creates, updates, conflicts
    reported, rows with errors skipped; its options are listed below.
    mops sync log shows what past runs changed.

    \b
    Examples:
      mops sync demo --dry-run                 # show the plan only
      mops sync demo --dry-run --save-plan p.json && mops sync --plan p.json
      mops sync customers.xlsx staff.xlsx      # apply
      mops sync log demo --limit 50
    """


@sync_group.command("run")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show the plan; write nothing to Odoo.")
@click.option(
    "--save-plan",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Save the plan as JSON, to review and apply later with --plan.",
)
@click.option(
    "--plan",
    "plan_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Apply a saved plan (refused if Odoo changed since it was made).",
)
@as_of_option("Validate as of this day instead of today.")
@click.option(
    "--state",
    "state_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=_STATE_HELP,
)
@click.option("--limit", type=int, default=30, show_default=True, help="Rows listed; 0 = all.")
@click.option(
    "--no-pull-back",
    is_flag=True,
    help="Leave the workbooks as they are (Odoo ids, stages and Odoo's edits are not written).",
)
@lang_option()
@click.pass_context
def sync_run(
    ctx: click.Context,
    paths: tuple[Path, ...],
    dry_run: bool,
    save_plan: Path | None,
    plan_file: Path | None,
    as_of: dt.datetime | None,
    state_path: Path | None,
    limit: int,
    no_pull_back: bool,
) -> None:
    """Sync workbooks (files or folders) with Odoo: plan, then apply.

    After applying, what Odoo owns (Odoo ids, stages, won/lost, done activities, edits made in
    Odoo) is written into the workbooks, cell by cell, only where the row still holds the same
    record, with a backup in .mops-backups/ beside each workbook.

    Exit code: 0 all in step, 1 conflicts or rows skipped or refused, 2 unreadable input or an
    outdated saved plan, 3 Odoo unreachable or the login refused. The Odoo password comes from
    the environment variable named in mops.toml [odoo] (MOPS_ODOO_PASSWORD) or the keyring.

    \b
    Examples:
      mops sync demo --dry-run
      mops sync demo --as-of 2026-11-26
      mops sync --plan plan.json --state demo/.mops-sync.sqlite
    """
    from mops.syncing.render import render_outcome

    with err.status("", spinner="dots") as status:
        outcome = api.sync(
            paths,
            dry_run=dry_run,
            plan=plan_file,
            save_plan=save_plan,
            as_of=as_of.date() if as_of else None,
            state=state_path,
            pull_back=not no_pull_back,
            config=ctx.obj["config"],
            progress=status.update,
        )
    saved = str(save_plan) if save_plan else ""
    render_outcome(outcome, out, current_lang.get(), limit=limit, saved=saved)
    ctx.exit(outcome.exit_code)


@sync_group.command("log")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option(
    "--state",
    "state_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The sync state file (default: .mops-sync.sqlite in PATH's folder).",
)
@click.option("--run", "run_id", type=int, default=None, help="Only this run's changes.")
@click.option("--limit", type=int, default=50, show_default=True, help="Entries listed; 0 = all.")
@lang_option()
def sync_log(path: Path, state_path: Path | None, run_id: int | None, limit: int) -> None:
    """Show past sync runs and what they changed, record by record, with the workbook row.

    PATH is the folder of the workbooks (or one of them).

    \b
    Examples:
      mops sync log demo
      mops sync log demo --run 3 --limit 0
    """
    from mops.syncing.render import render_log

    log = api.sync_log(path, state=state_path, run=run_id, limit=limit)
    render_log(log.runs, log.entries, out, current_lang.get())
