"""``mops reconcile``: match the finance workbooks against Odoo's books, line by line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from mops.cli.main import as_of_option, cli, err, lang_option, out
from mops.errors import InputError
from mops.i18n import current_lang, text

KINDS = ("claims", "contracts", "budget", "all")


@cli.command(context_settings={"ignore_unknown_options": False})
@click.argument("args", nargs=-1, required=True, metavar="[claims|contracts|budget|all] PATHS...")
@as_of_option("Judge overdue receivables as of this day instead of today.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people; json (schema mops.reconcile/1, see docs/reconcile.md) for tools.",
)
@click.option(
    "--write-back",
    is_flag=True,
    help="Write statuses, the budget's actuals and a Reconciliation sheet into the workbooks.",
)
@click.option(
    "--offline",
    is_flag=True,
    help="Use the snapshot the last reconciliation kept instead of reading Odoo.",
)
@click.option(
    "--state",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The state file holding the snapshot (default: .mops-sync.sqlite beside the workbooks).",
)
@lang_option("Language of the results and messages (zh-TW, en).")
@click.option("--limit", type=int, default=50, show_default=True, help="Lines listed; 0 = all.")
@click.pass_context
def reconcile(
    ctx: click.Context,
    args: tuple[str, ...],
    as_of: dt.datetime | None,
    fmt: str,
    write_back: bool,
    offline: bool,
    state: Path | None,
    limit: int,
) -> None:
    """Reconcile the finance workbooks with Odoo's books and classify every line.

    The first argument may name what to reconcile: claims (expense claims against hr.expense),
    contracts (contracts and the payment schedule against sale orders and customer invoices),
    budget (the expense budget against the expenses posted in Odoo), or all (the default).
    Exit code: 0 everything agrees, 1 anything to look at, 2 bad input or no Odoo configured
    (use --offline for the last snapshot, or the workbooks alone), 3 Odoo unreachable.

    \b
    Examples:
      mops reconcile demo --as-of 2026-11-26
      mops reconcile claims expenses.xlsx --write-back
      mops reconcile all demo --offline --format json --lang en > reconciliation.json
    """
    from mops import api
    from mops.reconciling.render import render, render_written

    kind, paths = ("all", args) if args[0] not in KINDS else (args[0], args[1:])
    if not paths:
        raise InputError(text("reconcile.no_paths"), hint=text("reconcile.no_paths_hint"))
    lang = current_lang.get()
    result = api.reconcile(
        kind,
        [Path(p) for p in paths],
        as_of=as_of.date() if as_of else None,
        config=ctx.obj["config"],
        write_back=write_back,
        offline=offline,
        state=state,
        lang=lang,
    )
    if fmt == "json":
        click.echo(result.to_json(lang))
    else:
        render(result, out, lang, limit=limit)
    render_written(result.written, err if fmt == "json" else out, lang)
    ctx.exit(result.exit_code)
