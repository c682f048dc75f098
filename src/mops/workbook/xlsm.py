"""Write the finance workbook (finance.xlsm): the finance sheets, a control sheet with buttons,
and the VBA project that runs them.

The VBA project is xlwings' standalone one (its ``xlwings`` module provides ``RunPython``) with
mops's module in place of the quickstart's sample module: ``integrations/excel/mops.bas``, one
Sub a button, each running one function of ``mops.excel``. It is shipped ready-made as
``mops/data/excel/vbaProject.bin`` (rebuilt by ``mops.workbook.vba_project`` when xlwings
changes), so writing the workbook needs neither xlwings nor Excel.

The buttons are form-control buttons with their macro assigned; the sheets are written by the
same writer as every other workbook, so the finance sheets look, validate and print the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from mops.i18n import pair, text
from mops.schemas.finance import FINANCE
from mops.schemas.model import Lang
from mops.workbook.page import Formats
from mops.workbook.writer import write_workbook

CONTROL_SHEETS = pair("excel.control_sheet")


@dataclass(frozen=True)
class Button:
    """A button of the control sheet: its VBA macro, caption and help, where its status goes."""

    macro: str  # a Sub of integrations/excel/mops.bas
    entry: str  # the function of mops.excel the Sub runs
    caption: str  # message ids
    help: str
    row: int  # 0-based row of the button's top; its help is beside it, its status below that

    @property
    def status_cell(self) -> str:
        """Where the entry point writes what its last run did."""
        return f"D{self.row + 2}"


BUTTONS = (
    Button("MopsValidate", "validate_book", "excel.button.validate",
           "excel.button.validate_help", 3),
    Button("MopsPullFromOdoo", "pull_from_odoo", "excel.button.pull", "excel.button.pull_help", 7),
    Button("MopsReconcile", "reconcile_book", "excel.button.reconcile",
           "excel.button.reconcile_help", 11),
    Button("MopsOpenReport", "open_report", "excel.button.report", "excel.button.report_help", 15),
)  # fmt: skip


def vba_project() -> bytes:
    """The VBA project every finance workbook carries (xlwings' module and mops's)."""
    return resources.files("mops").joinpath("data", "excel", "vbaProject.bin").read_bytes()


def _control_sheet(book: xlsxwriter.Workbook, fmt: Formats, lang: Lang) -> Worksheet:
    ws = book.add_worksheet(text("excel.control_sheet", lang))
    ws.set_column(0, 0, 2)
    ws.set_column(1, 1, 30)
    ws.set_column(2, 2, 2)
    ws.set_column(3, 3, 90, fmt.wrap)
    ws.hide_gridlines(2)
    ws.set_row(0, 30)
    ws.write_string(0, 1, text("excel.control.title", lang), fmt.title)
    ws.set_row(1, 60)
    ws.merge_range(1, 1, 1, 3, text("excel.control.intro", lang), fmt.wrap)
    for button in BUTTONS:
        ws.insert_button(
            button.row,
            1,
            {
                "macro": button.macro,
                "caption": text(button.caption, lang),
                "width": 210,
                "height": 44,
                "x_offset": 2,
                "y_offset": 2,
            },
        )
        ws.set_row(button.row, 30)
        ws.write_string(button.row, 3, text(button.help, lang), fmt.wrap)
        ws.write_string(
            button.row + 1,
            3,
            text("excel.control.last_run", lang) + text("excel.control.never", lang),
            fmt.wrap,
        )
    return ws


def write_finance_workbook(
    path: Path | str,
    *,
    lang: Lang | str = Lang.ZH_TW,
    rows=None,
    people=(),
) -> Path:
    """Write finance.xlsm: control sheet with buttons, Guide, finance sheets, VBA project."""
    return write_workbook(
        FINANCE,
        path,
        lang=lang,
        rows=rows,
        people=people,
        vba_project=vba_project(),
        front=_control_sheet,
    )
