"""``mops report``: write the policy's reports (HTML or PDF) from the workbooks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from mops.cli.main import LANG_CHOICE, as_of_option, cli, err, out
from mops.i18n import current_lang
from mops.schemas.model import Lang


def _names() -> str:
    from mops.reports import REPORTS

    return ", ".join(REPORTS)


@cli.command()
@click.argument("name")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--period",
    metavar="2026|2026-Q3|2026-11",
    help="Year, quarter or month (default: the year of --as-of).",
)
@as_of_option("Judge deadlines and ages as of this day instead of today.")
@click.option(
    "--lang",
    "report_lang",
    type=LANG_CHOICE,
    default=None,
    help="Language of the reports and messages (zh-TW, en).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write into (default: reports/ beside the workbooks).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "pdf"]),
    default="html",
    show_default=True,
    help="html (one self-contained file), or pdf through headless Chromium.",
)
@click.pass_context
def report(
    ctx: click.Context,
    name: str,
    paths: tuple[Path, ...],
    period: str | None,
    as_of: dt.datetime | None,
    report_lang: str | None,
    out: Path | None,
    fmt: str,
) -> None:
    """Write a report (NAME, or all) from the workbooks at PATHS.

    NAME is one of the reports (sales …) or all. The workbooks are validated first; rows with
    findings are still counted, and the number of errors is said at the end.

    \b
    Examples:
      mops report all demo --as-of 2026-11-26
      mops report sales demo --period 2026-Q3 --lang en --out reports
      mops report all demo --format pdf
    """  # fmt: skip
    from mops import api
    from mops.reports.run import render_run

    if report_lang:
        current_lang.set(Lang(report_lang))
    lang = current_lang.get()
    names = "all" if name == "all" else [n.strip() for n in name.split(",") if n.strip()]
    with err.status("") as status:
        run = api.report(
            names,
            paths,
            period=period,
            as_of=as_of.date() if as_of else None,
            lang=lang,
            out=out,
            format=fmt,
            config=ctx.obj["config"],
            progress=status.update,
        )
    render_run(run, out_console(), lang)
    ctx.exit(run.exit_code)


def out_console():
    """The console the results go to."""
    return out
