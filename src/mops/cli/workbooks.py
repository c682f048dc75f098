"""``mops workbooks``: write the blank workbook suite, list the declared workbooks."""

from __future__ import annotations

from pathlib import Path

import click

from mops import api
from mops.cli.main import cli, lang_option, out
from mops.i18n import current_lang, text


@cli.group()
def workbooks() -> None:
    """Blank workbooks generated from the declarations."""


@workbooks.command("new")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=".")
@lang_option("Language of the headers, the Guide sheet and the messages (zh-TW, en).")
@click.option("--force", is_flag=True, help="Overwrite workbooks that already exist.")
def workbooks_new(out_dir: Path, force: bool) -> None:
    """Write the blank workbook suite into a folder.

    \b
    Example:
      mops workbooks new --lang en --out blank-en
    """
    lang = current_lang.get()
    paths = api.new_workbooks(out_dir, lang=lang, force=force)
    from rich.table import Table

    table = Table(text("file"), text("workbook"), text("sheets"))
    for wb, path in zip(api.declared_workbooks(), paths, strict=True):
        table.add_row(str(path), wb.title(lang), "、".join(s.name(lang) for s in wb.sheets))
    out.print(table)
    out.print(text("wrote", n=len(paths), dir=out_dir))


@workbooks.command("finance")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=".")
@lang_option("Language of the headers, the buttons and the Guide sheet (zh-TW, en).")
@click.option("--force", is_flag=True, help="Overwrite finance.xlsm if it exists.")
def workbooks_finance(out_dir: Path, force: bool) -> None:
    """Write finance.xlsm: the finance sheets and a control sheet with Excel buttons.

    The buttons (validate this workbook, pull from Odoo) run mops through xlwings; the one-time
    setup on a finance desktop is in integrations/excel/README.md.

    \b
    Example:
      mops workbooks finance --lang en --out finance-en
    """
    path = api.new_finance_workbook(out_dir, lang=current_lang.get(), force=force)
    out.print(text("excel.finance_written", path=path))


@workbooks.command("list")
@lang_option()
def workbooks_list() -> None:
    """List the declared workbooks, their sheets and column counts.

    \b
    Example:
      mops workbooks list --lang en
    """
    lang = current_lang.get()
    from rich.table import Table

    table = Table(text("file"), text("workbook"), text("sheets"))
    for wb in api.declared_workbooks():
        sheets = "\n".join(f"{s.name(lang)} ({len(s.columns)})" for s in wb.sheets)
        table.add_row(wb.filename, wb.title(lang), sheets)
    out.print(table)
