"""``mops odoo``: check the connection and provision what mops needs in Odoo."""

from __future__ import annotations

from pathlib import Path

import click

from mops import api
from mops.cli.main import cli, err, lang_option, out
from mops.i18n import text


@cli.group()
def odoo() -> None:
    """Odoo: check the connection and provision what mops needs.

    The server, database and login come from mops.toml [odoo] or the environment
    (MOPS_ODOO_URL, MOPS_ODOO_DATABASE, MOPS_ODOO_LOGIN); the password or API key from the
    environment variable named by odoo.password_env (MOPS_ODOO_PASSWORD) or the system keyring.

    \b
    Examples:
      mops odoo check
      mops odoo setup --dry-run
    """


@odoo.command("check")
@lang_option()
@click.pass_context
def odoo_check(ctx: click.Context) -> None:
    """Check the server, the user's access rights, the modules, the books and the mops setup.

    Reads only. The books: the company's currency, country and chart of accounts, which the
    finance sync expects in TWD, Taiwan and Odoo's Taiwan chart (l10n_tw). Exit code 0 when
    mops has everything it needs, 1 when a module, an access right or part of the setup is
    missing or the books are kept otherwise, 2 when the Odoo settings are missing or wrong
    (mops init writes a mops.toml to fill in), 3 when Odoo cannot be reached or refuses the
    login.

    \b
    Example:
      MOPS_ODOO_PASSWORD=… mops odoo check
    """
    from mops.odoo.render import render_check

    with err.status(text("odoo_connecting")):
        report = api.odoo_check(config=ctx.obj["config"])
    render_check(report, out)
    ctx.exit(0 if report.ok else 1)


@odoo.command("setup")
@click.option("--dry-run", is_flag=True, help="Show what would be created; change nothing.")
@lang_option()
@click.pass_context
def odoo_setup(ctx: click.Context, dry_run: bool) -> None:
    """Create the custom fields and records mops needs in Odoo.

    Looks every field and record up first (records by their external id mops.…), so running
    it again creates nothing. The chart's taxes and journals are only named (mops.tax_sale_5
    …), never changed. A field that exists with another type, or a tax the chart lacks, is a
    conflict: it is reported, never changed. Exit code 0 when everything is set up, 1 when a
    conflict is left, 2 when the Odoo settings are missing or wrong, 3 when Odoo cannot be
    reached or refuses a change.

    \b
    Examples:
      mops odoo setup --dry-run
      mops --lang en odoo setup
    """
    from mops.odoo.render import render_setup

    with err.status(text("odoo_connecting")) as status:
        run = api.odoo_setup(dry_run=dry_run, config=ctx.obj["config"], progress=status.update)
    render_setup(run.plan, run.result, out, dry_run=dry_run)
    ctx.exit(run.exit_code)


@odoo.command("demo-users")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default="demo")
@lang_option()
@click.pass_context
def odoo_demo_users(ctx: click.Context, folder: Path) -> None:
    """Create the demo roster's people as users in a fresh Odoo made for trying mops.

    Demo only: FOLDER must be written by mops demo, and the database may hold no users but
    Odoo's own (and earlier demo users); a firm's real database is refused (exit 1). Without
    these users a fresh Odoo matches none of the demo's salespeople, so the sync skips their
    records.

    \b
    Example:
      mops demo demo && mops odoo demo-users demo && mops sync demo
    """
    with err.status(text("odoo_connecting")):
        done = api.odoo_demo_users(folder, config=ctx.obj["config"])
    out.print(
        text(
            "demo_users_done",
            created=len(done.created),
            existing=len(done.existing),
            skipped=len(done.skipped),
            folder=folder,
        ),
        soft_wrap=True,
        markup=False,
    )
