"""``mops config``: the configuration in force, and where each value came from."""

from __future__ import annotations

from pathlib import Path

import click

from mops import api
from mops.cli.main import cli, lang_option, out
from mops.i18n import current_lang, text


@cli.group("config")
def config_group() -> None:
    """The configuration in force (mops.toml and MOPS_* environment variables)."""


@config_group.command("show")
@lang_option()
@click.pass_context
def config_show(ctx: click.Context) -> None:
    """Print every setting in force, defaults included, and where each value came from.

    A value comes from the defaults shipped with mops, from the firm's mops.toml (--config,
    $MOPS_CONFIG or ./mops.toml), or from an environment variable MOPS_<TABLE>_<KEY>.

    \b
    Example:
      MOPS_ODOO_URL=https://odoo.example.com.tw mops config show
    """
    from rich.text import Text

    config = ctx.obj["config"]
    default = text("config_default")
    for key, value, source in config.flat():
        shown = str(value).lower() if isinstance(value, bool) else str(value)
        where = default if source == "default" else source
        out.print(Text.assemble(f"{key} = {shown}", ("  # " + where, "dim")), soft_wrap=True)


@cli.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
@lang_option("Language of the comments and of mops's messages (zh-TW, en).")
@click.option("--force", is_flag=True, help="Overwrite a mops.toml that exists.")
def init(folder: Path, force: bool) -> None:
    """Write a commented mops.toml to fill in: the Odoo server, database and login, the language.

    The password never goes in it: mops reads it from MOPS_ODOO_PASSWORD or the keyring.

    \b
    Example:
      mops init && mops odoo check
    """
    path = api.init_config(folder, lang=current_lang.get(), force=force)
    out.print(text("init_done", path=path), soft_wrap=True, markup=False)
