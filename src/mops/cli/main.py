"""The ``mops`` command: the root group, its shared options, and errors turned into one line.

Each subcommand lives in its own module (one per command group) and does three things: parse
its options, call one function of the public API (``mops.api``), render the result. A
``MopsError`` is printed as one clear line with its exit code, never as a traceback. Messages
follow ``--lang`` (zh-TW by default, or the configuration's language), the same for every
subcommand: the root option, or the subcommand's own ``--lang``, which wins.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from mops import __version__
from mops.config import load_config
from mops.errors import MopsError
from mops.i18n import current_lang
from mops.schemas.model import Lang

if TYPE_CHECKING:
    from rich.console import Console


class LazyConsole:
    """A rich ``Console`` made on first use, standing in for it meanwhile.

    Importing rich takes about a tenth of a second, which a command printing JSON, or nothing
    on a quiet success, need not pay; ``console`` is the real one, for rich's own classes.
    """

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        """The rich Console itself, made now if not yet."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.console, name)


out = LazyConsole(highlight=False)
err = LazyConsole(stderr=True, highlight=False)

LANG_CHOICE = click.Choice([lang.value for lang in Lang])


def as_of_option(help_text: str, default: str | None = None):
    """The --as-of option: the day deadlines are judged against, as YYYY-MM-DD."""
    return click.option(
        "--as-of",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        metavar="YYYY-MM-DD",
        default=default,
        show_default=default is not None,
        help=help_text,
    )


def _set_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value:
        current_lang.set(Lang(value))
    return value


def lang_option(help_text: str = "Language of messages (zh-TW, en).", name: str = "--lang"):
    """A subcommand's --lang: switches the language of every message, like the root option."""
    return click.option(
        name,
        "msg_lang",
        type=LANG_CHOICE,
        default=None,
        expose_value=False,
        callback=_set_lang,
        is_eager=False,
        help=help_text,
    )


class DefaultGroup(click.Group):
    """A command group that runs ``run`` when no subcommand is named.

    Its help shows the options of ``run`` too: ``mops sync --help`` lists what ``mops sync
    PATHS…`` takes, not only the subcommands.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Insert the default command unless a subcommand or --help comes first."""
        if not args or (args[0] not in self.commands and args[0] not in ("-h", "--help")):
            args = ["run", *args]
        return super().parse_args(ctx, args)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The default command's options, then the group's own and its subcommands."""
        run = self.commands.get("run")
        if run is not None:
            sub = click.Context(run, info_name="run", parent=ctx)
            rows = [
                r
                for p in run.get_params(sub)
                if isinstance(p, click.Option) and (r := p.get_help_record(sub))
            ]
            with formatter.section(f"Options of {ctx.command_path} [run] PATHS…"):
                formatter.write_dl(rows)
        super().format_options(ctx, formatter)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--lang", type=LANG_CHOICE, default=None, help="Language of messages (zh-TW, en).")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A mops.toml to use instead of ./mops.toml or $MOPS_CONFIG.",
)
@click.version_option(__version__, prog_name="mops")
@click.pass_context
def cli(ctx: click.Context, lang: str | None, config_path: Path | None) -> None:
    """mops: marketing operations workbooks, company policy and Odoo, joined.

    \b
    Examples:
      mops demo                      # write the demo workbooks into ./demo
      mops workbooks new --out wb    # write the blank workbook suite into ./wb
      mops --lang en workbooks new   # the same, with English headers and messages
    """
    config = load_config(config_path)
    ctx.obj = {"config": config, "config_path": config_path}
    current_lang.set(Lang(lang or config.general.language))


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; a MopsError becomes one line on stderr and its exit code."""
    try:
        code = cli.main(args=argv, prog_name="mops", standalone_mode=False)
    except MopsError as exc:
        from rich.text import Text

        # Text, not markup: a message may hold "[sheet]" brackets that rich would swallow.
        err.print(Text.assemble(("mops: ", "bold red"), str(exc)), soft_wrap=True)
        return exc.exit_code
    except click.exceptions.Abort:
        err.print("mops: aborted")
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    # Without standalone mode click returns ctx.exit()'s code, or the command's return value.
    return code if isinstance(code, int) else 0


# The command groups register themselves on ``cli`` when imported.
from mops.cli import (  # noqa: E402, F401
    config_cmd,
    demo,
    nightly,
    odoo,
    reconcile,
    report,
    runs,
    schedule,
    sync,
    validate,
    workbooks,
)

if __name__ == "__main__":
    sys.exit(main())
