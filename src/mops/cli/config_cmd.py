"""``mops config``: the configuration in force, and where each value came from."""

from __future__ import annotations

import click
from rich.text import Text

from mops.cli.main import cli, lang_option, out
from mops.i18n import text


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
    config = ctx.obj["config"]
    default = text("config_default")
    for key, value, source in config.flat():
        shown = str(value).lower() if isinstance(value, bool) else str(value)
        where = default if source == "default" else source
        out.print(Text.assemble(f"{key} = {shown}", ("  # " + where, "dim")), soft_wrap=True)
