# The records are tables, one record a line, as people see them in the sheet: long lines.
# ruff: noqa: E501
"""Build the hand-filled corpus in tests/data/handfilled/, which tests/test_handfilled.py reads.

Run it from the repository root: ``python tests/data/make_handfilled.py``. It needs openpyxl and
LibreOffice (``soffice``); the files it writes are committed, so the test needs neither.

Each workbook starts as the blank template mops generates (``write_workbook``) and is then filled
the way office staff fill workbooks over months, in Excel or in LibreOffice:

- ``staff.xlsx`` (edited as in Excel): the roster with a full-width employee number, a name with
  a zero-width space after it and one with a non-breaking space, hire dates typed every local way,
  a phone that lost its leading 0; KPI weights as "50%", 0.3 and 20, a table Total Row.
- ``marketing-plan.xlsx`` (re-saved by LibreOffice): campaigns with Minguo dates and 萬 amounts, a
  campaign number typed full-width, tasks and reviews, budget lines with a Total Row.
- ``customers.xlsx`` (edited as in Excel): a renamed tab with a merged title block above the
  header, moved and extra columns, a filter left on that hides rows, a hidden column, comments,
  rich text, hyperlinks, a conditional format, a chart on a summary tab, a defined name; the
  follow-up log (renamed tab) with merged date cells, formulas copied down in advance that
  return "" or "否", references typed full-width, names with invisible characters.
- ``sales.xlsx`` (re-saved by LibreOffice): contracts and instalments (a Total Row), sales targets
  whose year row is ``=SUM(...)`` of its quarters.
- ``expenses.xlsx`` (edited as in Excel): budgets, claims with amounts as NT$, 元, 萬 and
  thousands separators, dates as Minguo text, Excel serials and real dates, an amount computed
  from extra quantity and price columns and copied down in advance, a Total Row.

Excel saves a formula with its last result; openpyxl cannot compute one, so for the Excel-edited
files the script writes the result it computed itself into the package (as Excel would: an
empty text result as ``t="str"`` with an empty ``<v>``). LibreOffice computes its own.

Next to the workbooks, ``truth.json`` holds the ground truth, written from what this script
planted, never from what mops reports: every real violation (file, sheet, row, rule, the cells
concerned and why), every cell read leniently (mops must say what it assumed: an ``assumed``
info), and every other filled cell, on which no error or warning may appear.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import re
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.filters import FilterColumn, Filters
from openpyxl.worksheet.table import TableColumn

from mops.schemas.model import SheetDef
from mops.schemas.registry import workbook
from mops.workbook.package import sheet_parts
from mops.workbook.writer import write_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests folder, for libreoffice
from libreoffice import SOFFICE, convert

HERE = Path(__file__).resolve().parent
OUT = HERE / "handfilled"
AS_OF = dt.date(2026, 11, 26)
D = dt.date
ZWSP, NBSP = "\u200b", "\u00a0"
EXCEL_EPOCH = dt.date(1899, 12, 30)
DATE_FORMAT = "yyyy/m/d"
MONEY_FORMAT = "#,##0"
FIXED_TIME = (2026, 11, 26, 9, 0, 0)  # zip entry times of the Excel-edited files


# ---------------------------------------------------------------------------------------------
# What a person typed into a cell


@dataclass(frozen=True)
class L:
    """A value mops must read leniently, saying what it assumed (an ``assumed`` info)."""

    value: object
    why: str


@dataclass(frozen=True)
class F:
    """A formula and the result Excel saved with it. ``{key}`` is a column's letter, ``{r}`` the row."""

    text: str
    cached: object  # str, number, date; "" is an empty text result
    fmt: str | None = None


@dataclass(frozen=True)
class NoResult:
    """A formula saved without any result (written by a script, never opened in Excel)."""

    text: str


@dataclass(frozen=True)
class Serial:
    """A date typed as its Excel serial number in a cell formatted General."""

    day: dt.date

    @property
    def number(self) -> int:
        return (self.day - EXCEL_EPOCH).days


@dataclass(frozen=True)
class Rich:
    """Rich text: (text, bold) runs."""

    runs: tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class Link:
    """A value with a hyperlink."""

    value: object
    target: str


@dataclass(frozen=True)
class Noted:
    """A value with a person's comment on the cell."""

    value: object
    comment: str


@dataclass
class Row:
    values: dict[str, object]
    bad: list[tuple[str, tuple[str, ...], str]] = field(default_factory=list)
    hidden: bool = False
    structure: str | None = None  # not a record: what a person wrote around the records


def bad(rule: str, columns: str | tuple[str, ...], why: str) -> tuple[str, tuple[str, ...], str]:
    return (rule, (columns,) if isinstance(columns, str) else columns, why)


@dataclass
class Plan:
    """How a person filled one declared sheet."""

    key: str
    rows: list[Row]
    tab: str | None = None  # the tab renamed to this
    title: list[str] = field(default_factory=list)  # title lines above the header
    order: list[str] | None = None  # column keys (and extra column aliases) in sheet order
    extra: dict[str, str] = field(default_factory=dict)  # extra column alias → its header
    totals: dict[str, str] | None = None  # a table Total Row: label column, and summed columns
    copied_down: int = 0  # rows of formulas copied down in advance after the records
    copied: dict[str, F] = field(default_factory=dict)  # column → the formula copied down
    filter: tuple[str, tuple[str, ...]] | None = None  # a filter left on: column, shown values


@dataclass
class Truth:
    violations: list[dict] = field(default_factory=list)
    lenient: list[dict] = field(default_factory=list)
    clean: list[dict] = field(default_factory=list)
    structure: list[dict] = field(default_factory=list)
    records: dict[str, int] = field(default_factory=dict)  # sheet → rows that are records


# ---------------------------------------------------------------------------------------------
# Writing a sheet


class SheetWriter:
    """Fills one declared sheet of an openpyxl workbook loaded from a blank template."""

    def __init__(self, book, sheet: SheetDef, plan: Plan, file: str, truth: Truth) -> None:
        self.book, self.sheet, self.plan, self.file, self.truth = book, sheet, plan, file, truth
        self.ws = book[sheet.zh]
        self.cached: dict[str, object] = {}  # A1 → the result Excel saved
        self.order = plan.order or [c.key for c in sheet.columns]
        missing = {c.key for c in sheet.columns} - set(self.order)
        assert not missing, (sheet.key, missing)
        self.header = 1 + len(plan.title)
        self.letters = {key: get_column_letter(i) for i, key in enumerate(self.order, start=1)}

    @property
    def tab(self) -> str:
        return self.ws.title

    def col(self, key: str) -> int:
        return self.order.index(key) + 1

    def run(self) -> None:
        self._layout()
        row = self.header + 1
        for record in self.plan.rows:
            self._write_row(row, record)
            row += 1
        self.truth.records[self.sheet.key] = sum(r.structure is None for r in self.plan.rows)
        for _ in range(self.plan.copied_down):
            self._write_copied(row)
            row += 1
        last = row - 1
        if self.plan.totals:
            self._write_totals(row)
            last = row
        self._table(last, row - 1)
        if self.plan.filter:
            self._filter()

    # the header, moved and extra columns, the title block
    def _layout(self) -> None:
        ws, sheet = self.ws, self.sheet
        if self.plan.tab:
            ws.title = self.plan.tab
        declared = [c.key for c in sheet.columns]
        if self.order == declared and self.header == 1:
            return
        saved = {}
        for i, key in enumerate(declared, start=1):
            cell = ws.cell(1, i)
            letter = get_column_letter(i)
            saved[key] = (
                cell.value,
                copy.copy(cell._style),
                cell.comment,
                ws.column_dimensions[letter].width,
            )
            cell.value, cell.comment = None, None
        optional_style = next(
            s for k, (_, s, _, _) in saved.items() if not sheet.column(k).required
        )
        for i, key in enumerate(self.order, start=1):
            cell = ws.cell(self.header, i)
            letter = get_column_letter(i)
            if key in saved:
                value, style, comment, width = saved[key]
                cell.value, cell._style = value, copy.copy(style)
                if comment is not None:
                    cell.comment = Comment(
                        comment.text, comment.author, width=comment.width, height=comment.height
                    )
                ws.column_dimensions[letter].width = width
            else:
                cell.value, cell._style = self.plan.extra[key], copy.copy(optional_style)
                ws.column_dimensions[letter].width = 14
        ws.row_dimensions[self.header].height = ws.row_dimensions[1].height
        if self.header > 1:
            ws.row_dimensions[1].height = None
        for r, line in enumerate(self.plan.title, start=1):
            ws.cell(r, 1, line)
        if self.plan.title:
            ws.cell(1, 1).font = Font(name="Microsoft JhengHei", size=16, bold=True)
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=8)
            ws.cell(1, 1).alignment = Alignment(horizontal="center")
        # Drop-downs and checks move with their columns (as a cut and paste in Excel does).
        for dv in list(ws.data_validations.dataValidation):
            ranges = []
            for rng in dv.sqref.ranges:
                key = declared[rng.min_col - 1] if rng.min_col <= len(declared) else None
                if key in self.letters:
                    letter = self.letters[key]
                    ranges.append(f"{letter}{self.header + 1}:{letter}1048576")
            if ranges:
                dv.sqref = MultiCellRange(" ".join(ranges))
            else:
                ws.data_validations.dataValidation.remove(dv)
        ws.freeze_panes = f"B{self.header + 1}"

    def _set(self, row: int, key: str, value: object) -> str:
        """Write one value; returns the cell's address."""
        cell = self.ws.cell(row, self.col(key))
        ref = cell.coordinate
        column = self.sheet.column(key) if key not in self.plan.extra else None
        if isinstance(value, Noted):
            cell.comment = Comment(value.comment, "王佩珊", width=220, height=80)
            value = value.value
        if isinstance(value, Link):
            cell.hyperlink = value.target
            cell.font = Font(color="0563C1", underline="single")
            value = value.value
        if isinstance(value, L):
            value = value.value
        if isinstance(value, F):
            cell.value = "=" + _formula(value.text, row, self.letters)
            self.cached[ref] = value.cached
            if value.fmt:
                cell.number_format = value.fmt
        elif isinstance(value, NoResult):
            cell.value = "=" + _formula(value.text, row, self.letters)
        elif isinstance(value, Serial):
            cell.value = value.number
            cell.number_format = "General"
        elif isinstance(value, Rich):
            cell.value = CellRichText(
                *[
                    TextBlock(InlineFont(b=bold), text) if bold else text
                    for text, bold in value.runs
                ]
            )
        elif isinstance(value, dt.date):
            cell.value = value
            cell.number_format = DATE_FORMAT
        elif isinstance(value, int | float) and not isinstance(value, bool):
            cell.value = value
            if column is not None and column.type.value == "money":
                cell.number_format = MONEY_FORMAT
            elif column is not None and column.type.value == "percent" and value <= 1:
                cell.number_format = "0%"
        else:
            cell.value = value
        return ref

    def _where(self, row: int, ref: str | None = None) -> dict:
        found = {"file": self.file, "sheet": self.sheet.key, "tab": self.tab, "row": row}
        if ref is not None:
            found["cell"] = ref
        return found

    def _write_row(self, row: int, record: Row) -> None:
        refs = {}
        for key, value in record.values.items():
            if value is None:
                continue
            refs[key] = self._set(row, key, value)
            plain = value.value if isinstance(value, Noted | Link) else value
            if isinstance(plain, L):
                shown = plain.value
                shown = shown.number if isinstance(shown, Serial) else shown
                self.truth.lenient.append(
                    {
                        **self._where(row, refs[key]),
                        "column": key,
                        "value": str(shown),
                        "why": plain.why,
                    }
                )
        involved = set()
        for rule, columns, why in record.bad:
            cells = [refs.get(c) or f"{self.letters[c]}{row}" for c in columns]
            involved.update(cells)
            self.truth.violations.append(
                {**self._where(row), "rule": rule, "cells": cells, "why": why}
            )
        for key, ref in refs.items():
            if ref not in involved:
                self.truth.clean.append({**self._where(row, ref), "column": key})
        if record.structure:
            self.truth.structure.append({**self._where(row), "what": record.structure})
        if record.hidden:
            self.ws.row_dimensions[row].hidden = True

    def _write_copied(self, row: int) -> None:
        for key, formula in self.plan.copied.items():
            ref = self._set(row, key, formula)
            self.truth.clean.append({**self._where(row, ref), "column": key})
        self.truth.structure.append({**self._where(row), "what": "formulas copied down in advance"})

    def _write_totals(self, row: int) -> None:
        label_key, sums = self.plan.totals["label"], self.plan.totals["sum"]
        sums = {key: _numbers_total(self.plan.rows, key) for key in sums}
        ref = self._set(row, label_key, self.plan.totals.get("text", "合計"))
        self.truth.clean.append({**self._where(row, ref), "column": label_key})
        table = self._table_name()
        for key, cached in sums.items():
            header = self.ws.cell(self.header, self.col(key)).value
            ref = self._set(row, key, F(f"SUBTOTAL(109,{table}[{header}])", cached, MONEY_FORMAT))
            self.truth.clean.append({**self._where(row, ref), "column": key})
        self.truth.structure.append({**self._where(row), "what": "the table's Total Row"})

    def _table_name(self) -> str:
        return self.sheet.table_name

    def _table(self, last: int, last_data: int) -> None:
        table = self.ws.tables[self._table_name()]
        end = get_column_letter(len(self.order))
        table.ref = f"A{self.header}:{end}{last}"
        table.autoFilter.ref = f"A{self.header}:{end}{last_data}"
        columns = []
        for i, _ in enumerate(self.order, start=1):
            columns.append(TableColumn(id=i, name=str(self.ws.cell(self.header, i).value)))
        if self.plan.totals:
            table.totalsRowCount = 1
            table.totalsRowShown = None
            label = self.col(self.plan.totals["label"]) - 1
            columns[label].totalsRowLabel = self.plan.totals.get("text", "合計")
            for key in self.plan.totals["sum"]:
                columns[self.col(key) - 1].totalsRowFunction = "sum"
        table.tableColumns = columns

    def _filter(self) -> None:
        key, shown = self.plan.filter
        table = self.ws.tables[self._table_name()]
        table.autoFilter.filterColumn = [
            FilterColumn(colId=self.col(key) - 1, filters=Filters(filter=list(shown)))
        ]
        labels = {o.key: o.zh for o in self.sheet.column(key).enum.options}
        allowed = {labels.get(v, v) for v in shown}
        for row in range(self.header + 1, self.header + 1 + len(self.plan.rows)):
            value = self.ws.cell(row, self.col(key)).value
            if value not in allowed:
                self.ws.row_dimensions[row].hidden = True


# ---------------------------------------------------------------------------------------------
# Packages: the results Excel saves, and LibreOffice re-saving


def save_excel_style(book, path: Path, cached: dict[str, dict[str, object]]) -> None:
    """Save as Excel does: with each formula's last result in the package."""
    book.save(path)
    with zipfile.ZipFile(path) as zf:
        parts = sheet_parts(zf)
        contents = {info.filename: zf.read(info.filename) for info in zf.infolist()}
        order = [info.filename for info in zf.infolist()]
    core = contents["docProps/core.xml"].decode("utf-8")
    core = re.sub(r"(<dcterms:modified[^>]*>)[^<]*", r"\g<1>2026-11-26T09:00:00Z", core)
    contents["docProps/core.xml"] = core.encode("utf-8")  # saved at a fixed time: reproducible
    for tab, results in cached.items():
        part = parts[tab]
        xml = contents[part].decode("utf-8")
        for ref, value in results.items():
            xml = _patch_result(xml, ref, value)
        contents[part] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in order:
            zf.writestr(zipfile.ZipInfo(name, FIXED_TIME), contents[name], zipfile.ZIP_DEFLATED)


def _patch_result(xml: str, ref: str, value: object) -> str:
    pattern = re.compile(rf'<c r="{ref}"([^>]*)>(<f>[^<]*</f>)<v\s*/>(</c>)')
    if isinstance(value, str):
        kind, shown = ' t="str"', escape(value)
    elif isinstance(value, bool):
        kind, shown = ' t="b"', "1" if value else "0"
    elif isinstance(value, dt.date):
        kind, shown = "", str((value - EXCEL_EPOCH).days)
    else:
        kind, shown = "", repr(value) if isinstance(value, float) else str(value)
    patched, n = pattern.subn(lambda m: f'<c r="{ref}"{m[1]}{kind}>{m[2]}<v>{shown}</v>{m[3]}', xml)
    assert n == 1, (ref, value)
    return patched


def libreoffice_resave(path: Path) -> None:
    """Open and save the file in LibreOffice Calc, as a person using LibreOffice does."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        out.mkdir()
        convert([path], "xlsx:Calc MS Excel 2007 XML", out, Path(tmp) / "profile")
        shutil.copyfile(out / path.name, path)


def start(key: str, folder: Path):
    wb = workbook(key)
    blank = folder / f"blank-{wb.filename}"
    write_workbook(wb, blank)
    return wb, openpyxl.load_workbook(blank, rich_text=True)


def fill(book, wb, plans: list[Plan], file: str, truth: Truth) -> dict[str, dict[str, object]]:
    cached = {}
    for plan in plans:
        writer = SheetWriter(book, wb.sheet(plan.key), plan, file, truth)
        writer.run()
        if writer.cached:
            cached[writer.tab] = writer.cached
    return cached


# ---------------------------------------------------------------------------------------------
# The people

STAFF = {
    "chen": "陳志明",  # management, executive
    "lin": "林雅婷",  # department head
    "huang": "黃俊宏",  # promotion lead
    "zhang": "張淑芬",  # promotion specialist
    "li": "李家豪",  # sales lead
    "wang": "王佩珊",  # sales rep (on the roster with a zero-width space after the name)
    "wu": "吳建宏",  # sales rep
    "liu": "劉美玲",  # service lead
    "cai": "蔡宗翰",  # finance, accountant
    "yang": "楊怡君",  # legal counsel
    "xu": "許雅雯",  # sales rep who has left
    "amy": "Amy Chen",  # sales rep (on the roster with a non-breaking space)
    "zheng": "鄭凱文",  # promotion specialist, new
}
P = STAFF
MAIL = "@mops-consult.com.tw"


def staff_plans() -> list[Plan]:
    def person(eid, name, group, role, manager, email, phone, hired, **more):
        values = {
            "employee_id": eid, "name": name, "group": group, "role": role, "manager": manager,
            "email": email, "phone": phone, "hire_date": hired, "active": "是",
        }  # fmt: skip
        values.update(more)
        return values

    roster = [
        Row(person("E001", P["chen"], "管理層", "高階主管", None, "chen.zhiming" + MAIL, "02-2345-6789", D(2015, 3, 2))),
        Row(person("E002", P["lin"], "營銷部", "部門主管", P["chen"], "lin.yating" + MAIL, "02-2345-6790", L("民國105年8月1日", "Minguo date"))),
        Row(person("E003", P["huang"], "市場推廣組", "組長", P["lin"], "huang.junhong" + MAIL, "0912-345-678", L("2018/04/16", "date typed as text"))),
        Row(person("E004", P["zhang"], "市場推廣組", "行銷專員", P["huang"], "zhang.shufen" + MAIL, "0922-111-222", L(Serial(D(2019, 1, 2)), "Excel serial in a General cell"))),
        Row(person("E005", P["li"], "銷售團隊", "組長", P["lin"], "li.jiahao" + MAIL, "0933-222-333", L("107/09/03", "Minguo date"))),
        Row(person("E006", L(P["wang"] + ZWSP, "name with a zero-width space after it"), "銷售團隊", "業務代表", P["li"], "wang.peishan" + MAIL, "0955-333-444", D(2020, 2, 17))),
        Row(person("E007", P["wu"], "銷售團隊", "業務代表", P["li"] + " ", "wu.jianhong" + MAIL, L(912345678, "phone that lost its leading 0"), D(2021, 5, 3))),
        Row(person("E008", Noted(P["liu"], "12 月起兼任客服訓練講師"), "客戶服務組", "組長", P["lin"], "liu.meiling" + MAIL, "02-2345-6791", D(2017, 11, 6))),
        Row(person("E009", P["cai"], "財務部", "會計", P["chen"], "cai.zonghan" + MAIL, "02-2345-6792", D(2016, 7, 1))),
        Row(person("E010", P["yang"], "法務", "法務專員", P["chen"], L("ｙａｎｇ．ｙｉｊｕｎ＠ｍｏｐｓ－ｃｏｎｓｕｌｔ．ｃｏｍ．ｔｗ", "full-width e-mail"), "02-2345-6793", D(2019, 9, 16))),
        Row(person("E011", P["xu"], "銷售團隊", "業務代表", P["li"], "xu.yawen" + MAIL, "0966-444-555", D(2019, 4, 1), leave_date=D(2026, 6, 30), active="否")),
        Row(person(L("Ｅ０１２", "full-width employee number"), L("Amy" + NBSP + "Chen", "non-breaking space in a name"), "銷售團隊", "業務代表", P["li"], "amy.chen" + MAIL, "0977-555-666", D(2024, 1, 8))),
        Row(person("E013", P["zheng"], "市場推廣組", "行銷專員", P["huang"], "zheng.kaiwen" + MAIL, "0988-666-777", D(2026, 10, 1))),
        Row(
            person("E014", "周杰", "銷售團隊", "業務代表", P["li"], "zhou.jie@mops-consult", "0911-777-888", D(2026, 9, 1)),
            [bad("email-format", "email", "an e-mail without a domain ending")],
        ),
        Row(
            person("E009", "何美華", "財務部", "會計", P["cai"], "he.meihua" + MAIL, "02-2345-6794", D(2025, 3, 3)),
            [bad("duplicate", "employee_id", "the employee number of 蔡宗翰 given again")],
        ),
        Row(
            person("E015", "孫立群", "客戶服務組", "客服專員", "林經理", "sun.liqun" + MAIL, "02-2345-6795", D(2023, 8, 1)),
            [bad("P2-owner-known", "manager", "a manager named by title, not on the roster")],
        ),
        Row(
            person("E016", "馬可", "市場推廣組", "行銷專員", P["huang"], "ma.ke" + MAIL, "0919-888-999", D(2025, 5, 1), leave_date=D(2025, 3, 31), active="否"),
            [bad("date-order", ("hire_date", "leave_date"), "left before being hired")],
        ),
    ]  # fmt: skip
    kpis = [
        Row({"kpi_id": "K2026-01", "year": 2026, "group": "銷售團隊", "indicator": "營收", "weight": L("50%", "percent typed as text"), "standard": "年度營收達成率", "period_type": "年度"}),
        Row({"kpi_id": "K2026-02", "year": 2026, "group": "銷售團隊", "indicator": "新客戶數", "weight": 0.3, "standard": "新客戶開發數", "period_type": "季度"}),
        Row({"kpi_id": "K2026-03", "year": 2026, "group": "銷售團隊", "indicator": "客戶滿意度", "weight": L(20, "percent points typed as a number"), "standard": "滿意度調查 4 分以上", "period_type": "年度"}),
        Row(
            {"kpi_id": "K2026-04", "year": 2026, "group": "市場推廣組", "indicator": "推廣效果", "weight": 0.6, "standard": "活動成效達標", "period_type": "季度"},
            [bad("P9.2-weights", "weight", "the promotion group's weights add up to 90 %")],
        ),
        Row({"kpi_id": "K2026-05", "year": 2026, "group": "市場推廣組", "indicator": "客戶滿意度", "weight": 0.3, "standard": "活動滿意度 4 分以上", "period_type": "季度"}),
        Row({"kpi_id": "K2026-06", "year": 2026, "group": "客戶服務組", "indicator": "回應時效", "weight": 0.7, "standard": "投訴 24 小時內回覆", "period_type": "月度"}),
        Row({"kpi_id": "K2026-07", "year": 2026, "group": "客戶服務組", "indicator": "客戶滿意度", "weight": L("３０％", "full-width percent"), "standard": "滿意度 4.2 分以上", "period_type": "季度"}),
    ]  # fmt: skip
    return [
        Plan("roster", roster, tab="員工名冊"),
        Plan("kpis", kpis, totals={"label": "kpi_id", "sum": {"weight": None}}),
    ]


def staff_features(book, truth: Truth) -> None:
    ws = book["員工名冊"]
    ws.column_dimensions["K"].hidden = True  # the Odoo user id, hidden by hand
    ws.conditional_formatting.add(
        "J2:J18",
        CellIsRule(operator="equal", formula=['"否"'], fill=PatternFill("solid", bgColor="FFC7CE")),
    )


# ---------------------------------------------------------------------------------------------
# Marketing plan (re-saved by LibreOffice)

CAMPAIGN_TEXT = {
    "product": "數位轉型顧問服務", "price": "早鳥九折", "place": "台北實體場地與線上直播",
    "promotion": "EDM、社群貼文與合作夥伴邀請", "audience": "中大型企業主管",
}  # fmt: skip


def campaign(cid, name, objective, fmt, start, end, budget, owner, status, **more):
    values = {
        "campaign_id": cid, "name": name, "theme": name + "（主題）", "objective": objective,
        "format": fmt, "start_date": start, "end_date": end, "budget": budget, "owner": owner,
        "status": status, **CAMPAIGN_TEXT,
    }  # fmt: skip
    values.update(more)
    return values


def marketing_plans() -> list[Plan]:
    approved = {"reviewer": P["lin"], "approver": P["chen"]}
    campaigns = [
        Row(campaign("MC2026-001", "春季數位轉型研討會", "潛在客戶", "研討會", D(2026, 4, 15), D(2026, 4, 15), 300000, P["huang"], "已結案", review_date=D(2026, 3, 1), approval_date=D(2026, 3, 5), evaluation_date=D(2026, 5, 10), target_participants=120, actual_participants=135, target_leads=30, actual_leads=28, venue="台北國際會議中心", **approved)),
        Row(
            campaign("MC2026-002", "夏季行銷論壇", "品牌知名度", "論壇", L("115/07/10", "Minguo date"), L("115/07/11", "Minguo date"), L("30萬", "萬 amount"), P["zhang"], "已結案", review_date=L("115/06/01", "Minguo date"), approval_date=D(2026, 6, 5), target_awareness_lift=L("15%", "percent typed as text"), **approved),
            [bad("P4.2-evaluation-due", "evaluation_date", "ended in July, never evaluated")],
        ),
        Row(
            campaign("MC2026-003", "秋季企業培訓展", "營收", "展覽", D(2026, 10, 1), D(2026, 12, 20), 500000, P["huang"], "執行中", review_date=D(2026, 9, 1), approval_date=D(2026, 9, 10), target_revenue=L("NT$2,000,000", "NT$ amount"), **approved),
            [bad("totals-agree", "budget", "budget 500,000 but its budget lines add up to 480,000")],
        ),
        Row(
            campaign("MC2026-005", "LinkedIn 精準廣告", "潛在客戶", "線上廣告", D(2026, 9, 1), D(2026, 12, 31), 150000, P["zhang"], "執行中", review_date=D(2026, 8, 20), target_leads=50, **approved),
            [bad("P4.1-approval", "approval_date", "running since September, no approval date")],
        ),
        Row(campaign("MC2026-006", "2027 電子報計畫", "新客戶", "電子郵件行銷", D(2027, 1, 15), D(2027, 6, 30), 80000, P["zheng"], "草稿")),
        Row(campaign(L("ＭＣ２０２６－００７", "campaign number typed full-width"), "年終客戶答謝會", "客戶滿意度", "其他", D(2026, 12, 15), D(2026, 12, 15), 200000, P["huang"], "已核准", review_date=D(2026, 11, 2), approval_date=D(2026, 11, 10), target_satisfaction=4.5, **approved)),
        Row(
            campaign("MC2026-008", "新品發表會", "營收", "研討會", D(2027, 3, 1), D(2027, 2, 28), 250000, P["zhang"], "已提交"),
            [bad("date-order", ("start_date", "end_date"), "ends the day before it starts")],
        ),
        Row(
            campaign("MC2026-009", "校園徵才講座", "參與人數", "研討會", D(2026, 11, 5), D(2026, 11, 5), 50000, P["zheng"], "已審核", reviewer=P["lin"], review_date=D(2026, 10, 20)),
            [bad("P4.1-approval", "status", "took place on 11/5 while still awaiting approval")],
        ),
        Row(
            campaign("MC2026-010", "客戶滿意度調查", "客戶滿意度", "內容行銷", D(2026, 8, 1), D(2026, 8, 31), 60000, P["huang"], "已核准", reviewer=P["zhang"], review_date=D(2026, 7, 10), approver=P["chen"], approval_date=D(2026, 7, 15), evaluation_date=D(2026, 9, 20), target_satisfaction=4.0, actual_satisfaction=4.2),
            [bad("P2-role-fits", "reviewer", "reviewed by a specialist, not a department head")],
        ),
    ]  # fmt: skip
    tasks = [
        Row({"task_id": "T2026-001", "campaign_id": "MC2026-003", "task": "場地租借與佈置", "owner": P["huang"], "start_date": D(2026, 8, 15), "due_date": D(2026, 9, 15), "status": "已完成", "done_date": D(2026, 9, 12)}),
        Row({"task_id": "T2026-002", "campaign_id": "MC2026-003", "task": "講師邀請", "owner": P["zhang"], "start_date": D(2026, 9, 1), "due_date": D(2026, 12, 1), "status": "進行中"}),
        Row({"task_id": "T2026-003", "campaign_id": L("ｍｃ２０２６－００３", "reference typed full-width, in lower case"), "task": "文宣印刷", "owner": P["zheng"], "start_date": D(2026, 10, 15), "due_date": D(2026, 11, 30), "status": "未開始"}),
        Row(
            {"task_id": "T2026-004", "campaign_id": "MC2026-005", "task": "廣告素材製作", "start_date": D(2026, 9, 1), "due_date": D(2026, 12, 10), "status": "進行中"},
            [bad("P4.2-task-owner", "owner", "a task with no owner")],
        ),
        Row(
            {"task_id": "T2026-005", "campaign_id": "MC2026-005", "task": "成效月報", "owner": P["zhang"], "start_date": D(2026, 10, 1), "due_date": D(2026, 11, 10), "status": "進行中"},
            [bad("P4.2-task-owner", "due_date", "due 11/10, still in progress")],
        ),
        Row({"task_id": "T2026-006", "campaign_id": "MC2026-007", "task": "場地預訂", "owner": L(P["huang"] + ZWSP, "name with a zero-width space after it"), "start_date": D(2026, 11, 10), "due_date": D(2026, 12, 1), "status": "進行中"}),
    ]  # fmt: skip
    reviews = [
        Row({"review_id": "PR2026-001", "campaign_id": "MC2026-003", "date": D(2026, 11, 20), "host": P["lin"], "progress": 0.6, "issues": "講師檔期未定", "actions": "本週確認"}),
        Row({"review_id": "PR2026-002", "campaign_id": "MC2026-005", "date": L("2026/11/18", "date typed as text"), "host": P["huang"], "progress": L("45%", "percent typed as text"), "issues": "點擊率偏低", "actions": "更換素材"}),
        Row({"review_id": "PR2026-003", "campaign_id": "MC2026-003", "date": D(2026, 10, 16), "host": P["huang"], "progress": 0.3}),
    ]  # fmt: skip

    def line(lid, cid, month, item, amount):
        return {
            "line_id": lid,
            "campaign_id": cid,
            "year": 2026,
            "month": month,
            "category": "推廣費用",
            "item": item,
            "amount": amount,
        }

    lines = [
        Row(line("CB001", "MC2026-001", 4, "活動場地與執行", 180000)),
        Row(line("CB002", "MC2026-001", 4, "宣傳品與印刷", 120000)),
        Row(line("CB003", "MC2026-002", 7, "活動場地與執行", L("NT$200,000", "NT$ amount"))),
        Row(line("CB004", "MC2026-002", 7, "廣告", L("10萬", "萬 amount"))),
        Row(line("CB005", "MC2026-003", 10, "活動場地與執行", 300000)),
        Row(line("CB006", "MC2026-003", 10, "宣傳品與印刷", 180000)),
        Row(line("CB007", L("ＭＣ２０２６－００７", "reference typed full-width"), 12, "活動場地與執行", 150000)),
        Row(line("CB008", "MC2026-007", 12, "禮品", L("50,000元", "amount with 元"))),
    ]  # fmt: skip
    return [
        Plan("campaigns", campaigns),
        Plan("campaign_tasks", tasks),
        Plan("progress_reviews", reviews),
        Plan("campaign_budget", lines, totals={"label": "line_id", "sum": {"amount": None}}),
    ]


# ---------------------------------------------------------------------------------------------
# Customers and follow-ups (edited as in Excel)

LOG_HEADER = {
    "log_id": "紀錄編號", "date": "日期", "customer_id": "客戶編號", "method": "跟進方式",
    "owner": "跟進人", "content": "跟進內容", "outcome": "結果",
}  # fmt: skip
CUSTOMER_ORDER = [
    "customer_id", "name", "account_manager", "tier", "status", "line", "contact_name", "phone",
    "email", "industry", "company_size", "business_needs", "budget", "channel", "region",
    "address", "first_contact_date", "notes", "tax_id", "odoo_partner_id",
]  # fmt: skip


def customer(
    cid, name, manager, tier, status, contact, phone, email, industry, size, budget, **more
):
    values = {
        "customer_id": cid, "name": name, "account_manager": manager, "tier": tier,
        "status": status, "contact_name": contact, "phone": phone, "email": email,
        "industry": industry, "company_size": size, "business_needs": "導入顧問服務，提升營運效率",
        "budget": budget, "channel": "官方網站", "region": "北部",
    }  # fmt: skip
    values.update(more)
    return values


def customer_plans() -> list[Plan]:
    customers = [
        Row(customer("CU0001", "台灣精密機械股份有限公司", P["li"], "A 級", "往來中", "陳經理", "02-2345-1111", Link("purchase@precision.com.tw", "mailto:purchase@precision.com.tw"), "製造業", "250-999 人", 1200000, tax_id="12345675", first_contact_date=D(2025, 11, 3), line="@precision", notes=Rich((("年度大客戶，", False), ("12 月續約", True))))),
        Row(customer("CU0002", "宏遠電子有限公司", P["wang"], "B 級", "往來中", "林小姐", L("０２－２７１２－３４５６", "full-width phone"), "lin@hongyuan.com.tw", "半導體與電子", "50-249 人", L("50萬", "萬 amount"), first_contact_date=L("115/03/05", "Minguo date"))),
        Row(customer("CU0003", "臺北數位行銷股份有限公司", P["wu"], "C 級", "往來中", "張協理", "02-2555-3333", "contact@tpdigital.com.tw", "資訊科技", "10-49 人", L("NT$1,200,000", "NT$ amount"), tax_id="24567893", first_contact_date=L("2026/01/20", "date typed as text"))),
        Row(
            customer("CU0004", "大安生技", L("Ａｍｙ Ｃｈｅｎ", "name typed full-width"), "D 級", "潛在客戶", "黃博士", "0912-000-111", "info@daan-bio.com.tw", "醫療生技", "1-9 人", L("3,000,000元", "amount with 元"), tax_id="1234567"),
            [bad("format", "tax_id", "a tax ID of 7 digits")],
        ),
        Row(customer("CU0005", "新竹半導體", P["li"], "A 級", "往來中", "吳處長", "03-555-1234", "wu@hsinchu-semi.com.tw", "半導體與電子", "1000 人以上", 5000000, first_contact_date=L(Serial(D(2026, 2, 2)), "Excel serial in a General cell"))),
        Row(
            customer("CU0006", "高雄物流", P["wang"], "C 級", "休眠", "蔡先生", "07-333-4444", "tsai@ks-logistics.com.tw", "物流運輸", "50-249 人", "兩百萬"),
            [bad("type", "budget", "兩百萬 written in words (a row hidden by the filter)")],
        ),
        Row(customer("CU0007", "中興食品", P["wu"], "D 級", "流失", "鄭小姐", "04-2222-3333", "cheng@zx-food.com.tw", "餐飲食品", "10-49 人", 200000, notes="價格談不攏，已轉向競爭對手")),
        Row(
            customer("CU0008", "永和營造", P["li"], "D 級", "往來中", "許經理", None, "hsu@yonghe-build.com.tw", "營建不動產", "250-999 人", 800000),
            [bad("P5.2-complete", "phone", "the phone left blank")],
        ),
        Row(customer("CU0009", "全球資訊", "amy chen", "B 級", "往來中", "Mr. Lee", "02-8888-9999", L("李先生 <lee@global-info.com.tw>", "name and address pasted from Outlook"), "資訊科技", "50-249 人", 900000)),
        Row(
            customer("CU0010", "美好零售", P["wang"], "C 級", "潛在客戶", "周店長", "02-2777-8888", "service@meihao", "零售批發", "10-49 人", 300000),
            [bad("email-format", "email", "an e-mail without a domain ending")],
        ),
        Row(
            customer(L("CU0011" + ZWSP, "customer number with a zero-width space after it"), "遠東金融", P["wu"], "D 級", "往來中", "何襄理", "02-2345-678", "ho@fe-finance.com.tw", "金融保險", "1000 人以上", 2500000),
            [bad("phone-format", "phone", "a Taipei number one digit short")],
        ),
        Row(
            customer("CU0012", "台北數位行銷", P["amy"], "D 級", "潛在客戶", "王先生", "02-2666-7777", "wang@taipei-dm.com.tw", "資訊科技", "1-9 人", 150000),
            [bad("P5.2-complete", "name", "the same company as CU0003 (臺/台, without 股份有限公司)")],
        ),
        Row(
            customer("CU0013", "東部觀光", P["li"], "VIP", "往來中", "林總", "03-833-1234", "lin@east-tour.com.tw", "其他", "50-249 人", 600000),
            [bad("enum", "tier", "a tier that is not on the list")],
        ),
        Row(
            customer("CU0014", "幸福保險經紀", P["liu"], "D 級", "往來中", "陳經理", "02-2999-0000", "chen@happy-ins.com.tw", "金融保險", "10-49 人", 400000),
            [bad("P2-role-fits", "account_manager", "a customer-service lead as account manager")],
        ),
        Row(
            customer("CU0015", "好日子餐飲", "王小華", "D 級", "往來中", "劉老闆", "02-2111-2222", "liu@goodday.com.tw", "餐飲食品", "10-49 人", 100000),
            [bad("P2-owner-known", "account_manager", "an account manager who is not on the roster")],
        ),
        Row(customer("CU0016", "北區教育基金會", L(P["wang"] + ZWSP, "name with a zero-width space after it"), "D 級", "往來中", "楊執行長", "02-2333-4444", "yang@north-edu.org.tw", "教育", "10-49 人", L("80萬", "萬 amount"), notes=Link("官網", "https://north-edu.org.tw"))),
        Row({"customer_id": "註：灰色欄位由 mops 同步填入，請勿修改；停用客戶請改狀態，不要刪列。"}, structure="a note under the table"),
    ]  # fmt: skip
    contacts = [
        Row({"contact_id": "CT0001", "customer_id": "CU0001", "name": "陳經理", "title": "採購經理", "phone": "02-2345-1111", "email": "purchase@precision.com.tw", "primary": "是"}),
        Row({"contact_id": "CT0002", "customer_id": L("ＣＵ０００３", "reference typed full-width"), "name": "張協理", "title": "行銷協理", "primary": "是"}),
        Row(
            {"contact_id": "CT0003", "customer_id": "CU0099", "name": "王先生", "title": "經理"},
            [bad("ref-exists", "customer_id", "a customer that does not exist")],
        ),
        Row(
            {"contact_id": "CT0004", "customer_id": "CU0005", "title": "處長", "phone": "03-555-1234"},
            [bad("required", "name", "a contact without a name")],
        ),
        Row({"contact_id": "CT0005", "customer_id": "CU0009", "name": "李先生", "title": "資訊長", "primary": "Y"}),
    ]  # fmt: skip

    def opp(oid, cid, name, line, person, revenue, probability, close, channel, created, **more):
        values = {
            "opportunity_id": oid, "customer_id": cid, "name": name, "service_line": line,
            "salesperson": person, "expected_revenue": revenue, "probability": probability,
            "expected_close": close, "channel": channel, "created_date": created,
        }  # fmt: skip
        values.update(more)
        return values

    opportunities = [
        Row(opp("OP2026-001", "CU0001", "智慧工廠顧問案", "策略顧問", P["li"], L("NT$800,000", "NT$ amount"), L("60%", "percent typed as text"), D(2026, 12, 31), "展會/研討會/論壇", D(2026, 4, 20), campaign_id="MC2026-001")),
        Row(opp("OP2026-002", "CU0002", "行銷自動化導入", "行銷顧問", P["wang"], 1200000, 0.4, L("115/12/15", "Minguo date"), "官方網站", L("2026/09/01", "date typed as text"))),
        Row(opp("OP2026-003", L("ＣＵ０００９", "reference typed full-width"), "雲端轉型規劃", "數位轉型", P["amy"], L("150萬", "萬 amount"), 0.5, D(2027, 1, 31), "合作夥伴轉介", D(2026, 5, 2), campaign_id=L("ＭＣ２０２６－００１", "reference typed full-width"))),
        Row(opp("OP2026-004", "CU0003", "主管培訓", "企業培訓", P["wu"], 300000, L(30, "percent points typed as a number"), D(2026, 12, 20), "客戶轉介", D(2026, 10, 15))),
        Row(
            opp("OP2026-005", "CU0005", "財務健檢", "財務顧問", P["li"], 500000, "150%", D(2026, 12, 31), "陌生開發", D(2026, 10, 1)),
            [bad("range", "probability", "a probability of 150 %")],
        ),
        Row(
            opp("OP2026-006", "CU0010", "人資制度建置", "人資顧問", P["wang"], 400000, 0.2, D(2026, 9, 15), "官方網站", D(2026, 10, 1)),
            [bad("date-order", ("created_date", "expected_close"), "expected to close before it was created")],
        ),
        Row(
            opp("OP2026-007", "CU0011" + NBSP, "投資人關係", "財務顧問", P["xu"], 600000, 0.3, D(2027, 2, 28), "社群媒體", D(2026, 6, 1)),
            [bad("P2-owner-known", "salesperson", "the salesperson left in June")],
        ),
        Row(
            opp("OP2026-008", "CU0012", "品牌重塑", "行銷顧問", P["amy"], 350000, 0.25, D(2027, 3, 31), "搜尋引擎廣告", D(2026, 11, 1), campaign_id="MC2025-099"),
            [bad("ref-exists", "campaign_id", "a campaign that does not exist")],
        ),
    ]  # fmt: skip

    week = 'TEXT({date}{r},"aaa")'
    weekday = "一二三四五六日"

    def log(lid, day, cid, method, owner, content, outcome, *, shown=None, **more):
        """One follow-up; ``day`` is the real date, ``shown`` how it was typed (default: a date)."""
        values = {
            "log_id": lid, "date": day if shown is None else shown, "customer_id": cid,
            "method": method, "owner": owner, "content": content, "outcome": outcome,
            "care": F(f'IF({{date}}{{r}}="","",{week})', weekday[day.weekday()] if isinstance(day, dt.date) else ""),
            "care_visit": F('IF({owner}{r}="劉美玲","是","否")', "是" if owner == P["liu"] else "否"),
        }  # fmt: skip
        values.update(more)
        return values

    def nxt(day, days=14):
        return F(f"{{date}}{{r}}+{days}", day + dt.timedelta(days=days), DATE_FORMAT)

    logs = [
        Row(log("FL2026-001", D(2026, 6, 1), "CU0007", "拜訪", P["wu"], "報價說明，客戶嫌貴", "受阻")),
        Row(log("FL2026-002", D(2026, 9, 15), "CU0008", "電話", P["li"], "確認工地進度", "持平", shown=L("115/09/15", "Minguo date"))),
        Row(log("FL2026-003", D(2026, 9, 30), "CU0016", "拜訪", L(P["wang"] + ZWSP, "name with a zero-width space after it"), "基金會年度計畫", "有進展", next_date=nxt(D(2026, 9, 30), 30))),
        Row(log("FL2026-004", D(2026, 10, 1), "CU0004", "電子郵件", P["amy"], "寄送簡介", "未回應", shown=L("2026/10/01", "date typed as text"))),
        Row(log("FL2026-005", D(2026, 10, 5), "CU0015", "電話", P["li"], "初次接觸", "持平")),
        Row(log("FL2026-006", D(2026, 10, 10), "CU0011", "會議", P["wu"], "年度檢討會議", "有進展", shown=L("民國115年10月10日", "Minguo date"))),
        Row(log("FL2026-007", D(2026, 10, 20), "CU0014", "拜訪", P["liu"], "客戶關懷拜訪", "持平", shown=L(Serial(D(2026, 10, 20)), "Excel serial in a General cell"))),
        Row(log("FL2026-008", D(2026, 10, 1), "CU0013", "電話", P["li"], "旅展合作洽談", "持平")),
        Row(log("FL2026-009", D(2026, 11, 1), "CU0010", "電子郵件", P["wang"], "寄送提案", "有進展", next_date=nxt(D(2026, 11, 1)))),
        Row(log("FL2026-010", D(2026, 11, 1), "CU0012", "電話", P["amy"], "品牌重塑需求訪談", "有進展", shown=L("115/11/01", "Minguo date"))),
        Row(
            log("FL2026-011", D(2026, 11, 2), "CU0005", "拜訪", P["li"], "財務健檢提案", "有進展", next_step="寄送報價"),
            # The cadence finding sits on the date of the customer's latest follow-up.
            [bad("P5.3-cadence", "date", "CU0005 is an A customer, last contacted on 11/2: more than 7 days ago")],
        ),
        Row(log("FL2026-012", D(2026, 11, 5), "CU0003", "線上會議", P["wu"], "課程規劃討論", "有進展", shown=L("2026/11/05", "date typed as text"))),
        Row(log("FL2026-013", D(2026, 11, 10), "CU0006", "電話", P["wang"], "確認明年需求", "持平", shown=L("115/11/10", "Minguo date"))),
        Row(log("FL2026-014", D(2026, 11, 10), "CU0001", "拜訪", P["li"], "續約討論", "有進展", opportunity_id="OP2026-001", contact="陳經理")),
        Row(log("FL2026-015", D(2026, 11, 18), L("ＣＵ０００９", "reference typed full-width"), "會議", L("Amy Chen" + ZWSP, "name with a zero-width space after it"), "雲端規劃簡報", "有進展", opportunity_id=L("ＯＰ２０２６－００３", "reference typed full-width"))),
        Row(log("FL2026-016", D(2026, 11, 20), "CU0002", "拜訪", P["wang"], "行銷自動化需求訪談", "有進展", opportunity_id="OP2026-002", next_date=nxt(D(2026, 11, 20)))),
        # the next row's date cell is merged with this one's (two visits on the same day)
        Row(log("FL2026-017", D(2026, 11, 20), "CU0001", "電話", P["li"], "確認簽約流程", "有進展", shown=None)),
        Row(log("FL2026-018", D(2026, 11, 24), "CU0001", "會議", P["li"], "續約條件確認", "有進展", shown=L("2026/11/24", "date typed as text"), next_step="寄送合約")),
        Row(log("FL2026-019", D(2026, 11, 12), "CU0009", "電話", P["amy"], "追蹤需求", "持平", shown=L("115/11/12", "Minguo date"))),
        Row(log("FL2026-020", D(2026, 11, 16), "CU0004", "電話", L("Ａｍｙ Ｃｈｅｎ", "name typed full-width"), "再次聯絡", "未回應")),
        Row(
            log("FL2026-021", None, "CU0002", "電話", P["wang"], "電話追蹤", "持平", shown="11/26"),
            [bad("type", "date", "a date without its year")],
        ),
        Row(
            log("FL2026-022", D(2026, 11, 3), "CU0003", "電子郵件", P["wu"], "寄送課綱", "有進展", next_date=D(2026, 10, 30)),
            [bad("date-order", ("date", "next_date"), "the next date before this one")],
        ),
        Row(
            log("FL2026-023", D(2026, 11, 4), "CU0099", "電話", P["li"], "陌生開發", "未回應"),
            [bad("ref-exists", "customer_id", "a customer that does not exist")],
        ),
        Row(
            log("FL2026-024", D(2026, 11, 6), "CU0011", "電話", "王大明", "代理接洽", "持平"),
            [bad("P2-owner-known", "owner", "someone who is not on the roster")],
        ),
        Row(
            log("FL2026-025", D(2026, 11, 9), "CU0016", "LINE", P["wang"], "LINE 詢問進度", "持平"),
            [bad("enum", "method", "LINE is not one of the contact methods")],
        ),
        Row(
            log("FL2026-026", D(2026, 11, 11), "CU0012", "電話", P["amy"], "約訪", "有進展", next_date=NoResult("{date}{r}+7")),
            [bad("formula", "next_date", "a formula the file holds no result for")],
        ),
        Row(log("FL2026-027", D(2026, 10, 20), "CU0014", "電話", P["liu"], "滿意度回訪", "有進展", shown=L("115/10/20", "Minguo date"))),
        Row(log("FL2026-028", D(2026, 9, 12), "CU0008", "電子郵件", P["li"], "寄送型錄", "持平", shown=L("2026/09/12", "date typed as text")), hidden=True),
        Row(log("FL2026-029", D(2026, 8, 20), "CU0011", "拜訪", P["wu"], "初次拜訪", "有進展", shown=L("115/08/20", "Minguo date")), hidden=True),
        Row(log("FL2026-030", D(2026, 11, 19), "CU0013", "拜訪", P["li"], "現場勘查", "有進展", shown=L("2026/11/19", "date typed as text"))),
        # older visits, pasted below with the header row of the sheet they came from
        Row({key: label for key, label in LOG_HEADER.items()}, structure="the header typed again"),
        Row(log("FL2026-031", D(2026, 8, 5), L("ＣＵ０００１", "reference typed full-width"), "拜訪", P["li"], "年度需求訪談", "有進展", shown=L("115/08/05", "Minguo date"))),
        Row(log("FL2026-032", D(2026, 8, 12), "CU0002", "電話", L(P["wang"] + ZWSP, "name with a zero-width space after it"), "初次電話聯繫", "有進展", shown=L("民國115年8月12日", "Minguo date"))),
        Row(log("FL2026-033", D(2026, 8, 19), "CU0003", "電子郵件", P["wu"], "寄送課程簡介", "持平", shown=L("2026/08/19", "date typed as text"))),
        Row(log("FL2026-034", D(2026, 8, 26), L("ＣＵ０００５", "reference typed full-width"), "會議", P["li"], "財務長會議", "有進展", shown=L(Serial(D(2026, 8, 26)), "Excel serial in a General cell"))),
        Row(log("FL2026-035", D(2026, 9, 2), "CU0006", "拜訪", L(P["wang"] + ZWSP, "name with a zero-width space after it"), "倉儲參觀", "有進展", shown=L("115/09/02", "Minguo date"))),
        Row(log("FL2026-036", D(2026, 9, 9), "CU0009", "線上會議", L("Ａｍｙ Ｃｈｅｎ", "name typed full-width"), "需求訪談", "有進展", shown=L("115.09.09", "Minguo date with dots"))),
        Row(log("FL2026-037", D(2026, 9, 16), "CU0010", "電話", P["wang"], "介紹服務", "未回應", shown=L("2026/09/16", "date typed as text"))),
        Row(log("FL2026-038", D(2026, 9, 23), L("ＣＵ００１２", "reference typed full-width"), "電子郵件", P["amy"], "寄送案例", "持平", shown=L("115/09/23", "Minguo date"))),
        Row(log("FL2026-039", D(2026, 9, 30), "CU0014", "拜訪", P["liu"], "客戶關懷", "有進展", shown=L("民國115年9月30日", "Minguo date"))),
        Row(log("FL2026-040", D(2026, 10, 7), "CU0015", "電話", L(P["li"] + ZWSP, "name with a zero-width space after it"), "二次聯繫", "持平", shown=L("115/10/07", "Minguo date"))),
        Row(log("FL2026-041", D(2026, 10, 14), L("ＣＵ０００４", "reference typed full-width"), "電話", P["amy"], "追蹤試用", "未回應", shown=L("2026/10/14", "date typed as text"))),
        Row(log("FL2026-042", D(2026, 10, 21), "CU0016", "拜訪", P["wang"], "年度計畫簡報", "有進展", shown=L("115/10/21", "Minguo date"), next_date=L("115/11/04", "Minguo date"))),
    ]  # fmt: skip
    # FL2026-017 shares the merged date cell of FL2026-016: its own date cell is empty
    logs[16].values["date"] = None
    log_order = [
        "log_id", "date", "care", "customer_id", "opportunity_id", "contact", "method", "owner",
        "content", "outcome", "next_step", "next_date", "care_visit", "odoo_message_id",
        "next_activity_done",
    ]  # fmt: skip
    copied = {
        "care": F(f'IF({{date}}{{r}}="","",{week})', ""),
        "next_date": F('IF({date}{r}="","",{date}{r}+14)', "", DATE_FORMAT),
        "care_visit": F('IF({owner}{r}="劉美玲","是","否")', "否"),
    }
    return [
        Plan(
            "customers", customers, tab="客戶名單", title=["客戶名單（2026 年 11 月更新）", "製表：業務部　李家豪"],
            order=CUSTOMER_ORDER, extra={"line": "LINE ID"}, filter=("status", ("往來中", "潛在客戶")),
        ),
        Plan("contacts", contacts),
        Plan("opportunities", opportunities),
        Plan("followup_log", logs, tab="拜訪紀錄", order=log_order, extra={"care": "星期"}, copied_down=12, copied=copied),
    ]  # fmt: skip


def customer_features(book, truth: Truth) -> dict[str, dict[str, object]]:
    ws = book["客戶名單"]
    ws.column_dimensions["T"].hidden = True  # the Odoo partner id, hidden by hand
    ws.conditional_formatting.add(
        "D4:D19",
        CellIsRule(
            operator="equal", formula=['"A 級"'], fill=PatternFill("solid", bgColor="C6EFCE")
        ),
    )
    book.defined_names["重點客戶"] = DefinedName("重點客戶", attr_text="客戶名單!$A$4:$B$8")
    log = book["拜訪紀錄"]
    log.merge_cells("B17:B18")  # FL2026-016 and -017 on the same day
    truth.lenient.append(
        {"file": "customers.xlsx", "sheet": "followup_log", "tab": "拜訪紀錄", "row": 18, "cell": "B18",
         "column": "date", "value": "2026-11-20", "why": "the date cell is merged with the row above"}
    )  # fmt: skip
    # A summary tab of the person's own, with a chart over the customers' budgets.
    summary = book.create_sheet("統計")
    summary["A1"], summary["B1"] = "客戶分級", "家數"
    counts = {"A 級": 2, "B 級": 2, "C 級": 3, "D 級": 8}
    for r, tier in enumerate(counts, start=2):
        summary.cell(r, 1, tier)
        summary.cell(r, 2, f'=COUNTIF(客戶名單!D:D,"{tier}")')
    chart = BarChart()
    chart.title = "客戶分級分布"
    chart.add_data(Reference(summary, min_col=2, min_row=1, max_row=5), titles_from_data=True)
    chart.set_categories(Reference(summary, min_col=1, min_row=2, max_row=5))
    summary.add_chart(chart, "D2")
    return {"統計": {f"B{r}": n for r, n in enumerate(counts.values(), start=2)}}


# ---------------------------------------------------------------------------------------------
# Sales (re-saved by LibreOffice)


def sales_plans() -> list[Plan]:
    def contract(cid, customer_id, title, line, amount, owner, status, **more):
        values = {
            "contract_id": cid, "customer_id": customer_id, "title": title, "service_line": line,
            "scope": title + "：需求訪談、方案設計與導入", "amount": amount,
            "payment_terms": "依付款期程分期付款", "owner": owner, "status": status,
        }  # fmt: skip
        values.update(more)
        return values

    review = {"legal_reviewer": P["yang"], "legal_review_result": "通過"}
    contracts = [
        Row(contract("HT2026-001", "CU0001", "智慧工廠顧問合約", "策略顧問", 800000, P["li"], "履約中", opportunity_id="OP2026-001", legal_review_date=D(2026, 5, 20), signed_date=D(2026, 5, 25), start_date=D(2026, 6, 1), end_date=D(2026, 12, 31), **review)),
        Row(contract("HT2026-002", L("ＣＵ０００２", "reference typed full-width"), "行銷自動化合約", "行銷顧問", L("NT$1,200,000", "NT$ amount"), P["wang"], "履約中", opportunity_id="OP2026-002", legal_review_date=L("115/08/01", "Minguo date"), signed_date=D(2026, 8, 5), start_date=D(2026, 8, 15), end_date=D(2027, 2, 15), **review)),
        Row(
            contract("HT2026-003", "CU0003", "主管培訓合約", "企業培訓", 300000, P["wu"], "已簽署", opportunity_id="OP2026-004", signed_date=D(2026, 10, 20), start_date=D(2026, 11, 1), end_date=D(2026, 12, 31)),
            [bad("P6.3-legal-review", "legal_review_date", "signed without any legal review")],
        ),
        Row(
            contract("HT2026-004", "CU0009", "雲端轉型規劃合約", "數位轉型", 1500000, P["amy"], "履約中", opportunity_id="OP2026-003", legal_review_date=D(2026, 9, 12), signed_date=D(2026, 9, 10), start_date=D(2026, 9, 15), end_date=D(2027, 3, 15), **review),
            [bad("P6.3-legal-review", "legal_review_date", "reviewed two days after signing")],
        ),
        Row(
            contract("HT2026-005", "CU0011", "投資人關係顧問合約", "財務顧問", 600000, L(P["wu"] + ZWSP, "name with a zero-width space after it"), "履約中", legal_review_date=D(2026, 7, 1), signed_date=D(2026, 7, 5), start_date=D(2026, 7, 10), end_date=D(2026, 12, 31), **review),
            [bad("totals-agree", "amount", "600,000 but its instalments add up to 500,000")],
        ),
    ]  # fmt: skip

    def instalment(iid, cid, seq, due, amount, status, **more):
        values = {
            "instalment_id": iid,
            "contract_id": cid,
            "seq": seq,
            "due_date": due,
            "amount": amount,
            "status": status,
        }
        values.update(more)
        return values

    payments = [
        Row(instalment("HT2026-001-1", "HT2026-001", 1, D(2026, 6, 30), 240000, "已收款", invoice_no="AB12345671", invoiced_date=D(2026, 6, 20), paid_date=D(2026, 6, 28), paid_amount=240000)),
        Row(instalment("HT2026-001-2", "HT2026-001", 2, D(2026, 9, 30), 320000, "已收款", invoice_no="AB12345672", invoiced_date=L("115/09/20", "Minguo date"), paid_date=L("115/10/05", "Minguo date"), paid_amount=L("320,000", "number typed as text"))),
        Row(instalment("HT2026-001-3", "HT2026-001", 3, D(2027, 1, 15), 240000, "未到期")),
        Row(instalment("HT2026-002-1", "HT2026-002", 1, D(2026, 8, 31), L("NT$600,000", "NT$ amount"), "已收款", invoiced_date=D(2026, 8, 20), paid_date=D(2026, 8, 30), paid_amount=600000)),
        Row(
            instalment("HT2026-002-2", "HT2026-002", 2, D(2026, 10, 31), 600000, "已開票", invoice_no="AB12345680", invoiced_date=D(2026, 10, 25)),
            [bad("P6.3-receivable-overdue", "due_date", "due 10/31, not paid")],
        ),
        Row(instalment("HT2026-003-1", "HT2026-003", 1, D(2026, 12, 20), 300000, "未到期")),
        Row(instalment("HT2026-004-1", L("ＨＴ２０２６－００４", "reference typed full-width"), 1, D(2026, 9, 30), 500000, "已收款", invoiced_date=D(2026, 9, 25), paid_date=D(2026, 9, 29), paid_amount=500000)),
        Row(instalment("HT2026-004-2", "HT2026-004", 2, D(2026, 12, 31), L("50萬", "萬 amount"), "未到期")),
        Row(instalment("HT2026-004-3", "HT2026-004", 3, D(2027, 3, 31), 500000, "未到期")),
        Row(instalment("HT2026-005-1", "HT2026-005", 1, D(2026, 7, 31), 300000, "已收款", invoiced_date=D(2026, 7, 25), paid_date=D(2026, 7, 30), paid_amount=300000)),
        Row(instalment("HT2026-005-2", "HT2026-005", 2, D(2026, 12, 31), 200000, "未到期")),
    ]  # fmt: skip

    def target(tid, person, period, revenue, profit, new, **more):
        values = {
            "target_id": tid,
            "salesperson": person,
            "year": 2026,
            "period_type": period,
            "revenue": revenue,
            "profit": profit,
            "new_customers": new,
        }
        values.update(more)
        return values

    targets = [
        Row(target("TG26-LJH", P["li"], "年度", F("SUM({revenue}{r+1}:{revenue}{r+4})", 12000000, MONEY_FORMAT), 3000000, 20)),
        *[Row(target(f"TG26-LJH-Q{q}", P["li"], "季度", 3000000, 750000, 5, quarter=q)) for q in (1, 2, 3, 4)],
        Row(
            target("TG26-WPS", P["wang"], "年度", 8000000, 2000000, 12),
            [bad("P6.1-targets-add-up", "revenue", "the year is 8,000,000 but its quarters add up to 7,500,000")],
        ),
        *[Row(target(f"TG26-WPS-Q{q}", P["wang"], "季度", 1500000 if q == 4 else 2000000, 500000, 3, quarter=q)) for q in (1, 2, 3, 4)],
        Row(target("TG26-WJH", P["wu"], "年度", 6000000, 1500000, 8)),
        *[Row(target(f"TG26-WJH-Q{q}", L(P["wu"] + ZWSP, "name with a zero-width space after it") if q in (2, 3) else P["wu"], "季度", L("NT$1,500,000", "NT$ amount") if q == 1 else 1500000, 375000, 2, quarter=q)) for q in (1, 2, 3, 4)],
    ]  # fmt: skip
    return [
        Plan("contracts", contracts),
        Plan(
            "payment_schedule",
            payments,
            totals={"label": "instalment_id", "sum": {"amount": None, "paid_amount": None}},
        ),
        Plan("targets", targets),
    ]


# ---------------------------------------------------------------------------------------------
# Expenses (edited as in Excel)

CLAIM_ORDER = [
    "claim_id", "claimant", "expense_date", "claim_date", "category", "item", "campaign_id",
    "qty", "price", "amount", "reason", "attachment_ref", "approver", "approval", "approval_date",
    "auditor", "audit", "audit_date", "reimbursed", "reimbursed_date", "odoo_expense_id",
]  # fmt: skip


def expense_plans() -> list[Plan]:
    def budget(bid, month, category, item, amount, approver, **more):
        values = {
            "budget_id": bid,
            "year": 2026,
            "month": month,
            "category": category,
            "item": item,
            "amount": amount,
            "approved_by": approver,
        }
        values.update(more)
        return values

    budgets = [
        Row(budget("EB2609-P", 9, "推廣費用", "廣告", 100000, P["chen"], approval_date=D(2026, 8, 25))),
        Row(budget("EB2610-P", 10, "推廣費用", "活動場地與執行", 120000, P["chen"], approval_date=L("115/09/25", "Minguo date"))),
        Row(
            budget("EB2611-P", 11, "推廣費用", "活動場地與執行", 100000, P["chen"], approval_date=D(2026, 10, 25)),
            [bad("P8.3-overspend", "amount", "November promotion spend 133,000 against 100,000")],
        ),
        Row(
            budget("EB2610-S", 10, "銷售費用", "交際應酬", 50000, P["chen"], approval_date=D(2026, 9, 25)),
            [bad("P8.3-overspend", "amount", "October sales spend 48,000 is 96 % of 50,000")],
        ),
        Row(budget("EB2611-S", 11, "銷售費用", "差旅交通", L("8萬", "萬 amount"), P["chen"], approval_date=L(Serial(D(2026, 10, 26)), "Excel serial in a General cell"))),
        Row(
            budget("EB2611-C", 11, "客戶服務費用", "禮品", 30000, P["lin"], approval_date=D(2026, 10, 27)),
            [bad("P2-role-fits", "approved_by", "a budget approved by a department head, not an executive")],
        ),
    ]  # fmt: skip

    def claim(
        cid, claimant, spent, filed, category, item, amount, reason, approver, approval, **more
    ):
        values = {
            "claim_id": cid, "claimant": claimant, "expense_date": spent, "claim_date": filed,
            "category": category, "item": item, "amount": amount, "reason": reason,
            "attachment_ref": "ATT-" + cid[-3:], "approver": approver, "approval": approval,
            "audit": "待審", "reimbursed": "否",
        }  # fmt: skip
        values.update(more)
        return values

    audited = {"auditor": P["cai"], "audit": "通過"}
    qty = F("{qty}{r}*{price}{r}", 20000, MONEY_FORMAT)
    claims = [
        Row(claim("EX2609-001", P["huang"], D(2026, 9, 10), D(2026, 9, 12), "推廣費用", "廣告", 30000, "FB 廣告投放", P["lin"], "核准", approval_date=D(2026, 9, 13), audit_date=D(2026, 9, 15), reimbursed="是", reimbursed_date=D(2026, 9, 20), **audited)),
        Row(claim("EX2610-001", P["zhang"], L("115/10/05", "Minguo date"), L("115/10/06", "Minguo date"), "推廣費用", "活動場地與執行", L("NT$40,000", "NT$ amount"), "展場訂金", P["huang"], "核准", campaign_id="MC2026-003", approval_date=L("2026/10/07", "date typed as text"), audit_date=L("115/10/09", "Minguo date"), reimbursed="✓", reimbursed_date=L("115/10/15", "Minguo date"), **audited)),
        Row(claim("EX2610-002", P["zheng"], D(2026, 10, 20), D(2026, 10, 21), "推廣費用", "宣傳品與印刷", qty, "DM 印刷 400 份", P["huang"], "核准", campaign_id=L("ＭＣ２０２６－００３", "reference typed full-width"), qty=400, price=50, approval_date=D(2026, 10, 22), audit_date=D(2026, 10, 24), reimbursed="是", reimbursed_date=D(2026, 10, 30), **audited)),
        Row(claim("EX2611-001", P["huang"], D(2026, 11, 11), D(2026, 11, 12), "推廣費用", "活動場地與執行", 100000, "答謝會場地訂金", P["lin"], "核准", campaign_id="MC2026-007", approval_date=D(2026, 11, 13), auditor=P["cai"])),
        Row(claim("EX2611-002", P["zhang"], L("民國115年11月14日", "Minguo date"), D(2026, 11, 16), "推廣費用", "宣傳品與印刷", L("3萬", "萬 amount"), "邀請卡印製", P["huang"], "核准", campaign_id=L("ＭＣ２０２６－００７", "reference typed full-width"), approval_date=D(2026, 11, 17), audit_date=D(2026, 11, 18), **audited)),
        Row(claim("EX2610-101", P["wang"], D(2026, 10, 3), D(2026, 10, 5), "銷售費用", "交際應酬", L("12,000元", "amount with 元"), "客戶餐敘", P["li"], "核准", approval_date=D(2026, 10, 6), audit_date=D(2026, 10, 8), reimbursed="是", reimbursed_date=D(2026, 10, 12), **audited)),
        Row(claim("EX2610-102", P["wu"], L(Serial(D(2026, 10, 15)), "Excel serial in a General cell"), L(Serial(D(2026, 10, 16)), "Excel serial in a General cell"), "銷售費用", "交際應酬", 20000, "客戶餐敘", P["li"], "核准", approval_date=D(2026, 10, 17), audit_date=D(2026, 10, 19), reimbursed="Y", reimbursed_date=D(2026, 10, 23), **audited)),
        Row(claim("EX2610-103", L("Ａｍｙ Ｃｈｅｎ", "name typed full-width"), D(2026, 10, 22), D(2026, 10, 23), "銷售費用", "交際應酬", L("1.6萬", "萬 amount"), "客戶餐敘", P["li"], "核准", approval_date=D(2026, 10, 24), audit_date=D(2026, 10, 26), **audited)),
        Row(
            claim("EX2611-101", P["li"], D(2026, 11, 3), D(2026, 11, 4), "銷售費用", "差旅交通", 6000, "高鐵往返新竹", L(P["li"] + ZWSP, "name with a zero-width space after it"), "核准", approval_date=D(2026, 11, 5), audit_date=D(2026, 11, 6), reimbursed="是", reimbursed_date=D(2026, 11, 10), **audited),
            [bad("P8.2-approver", "approver", "approved his own claim (the name carries a zero-width space)")],
        ),
        Row(
            claim("EX2611-102", P["wang"], D(2026, 11, 5), D(2026, 11, 6), "銷售費用", "差旅交通", L("6,000", "number typed as text"), "客戶拜訪計程車", P["li"], "核准", approval_date=D(2026, 11, 7), auditor=P["cai"], reimbursed="是", reimbursed_date=D(2026, 11, 12)),
            [bad("P8.2-audit", "reimbursed", "reimbursed while the audit is pending")],
        ),
        Row(claim("EX2611-201", P["liu"], D(2026, 11, 8), L("115/11/09", "Minguo date"), "客戶服務費用", "禮品", 5000, "客戶關懷禮盒", P["lin"], "核准", approval_date=L("115/11/10", "Minguo date"), audit_date=L("115/11/11", "Minguo date"), reimbursed="是", reimbursed_date=L("115/11/15", "Minguo date"), **audited)),
        Row(
            claim("EX2609-002", P["zhang"], D(2026, 9, 1), D(2026, 10, 5), "推廣費用", "廣告", 5000, "關鍵字廣告", P["huang"], "核准", approval_date=D(2026, 10, 6), audit_date=D(2026, 10, 8), **audited),
            [bad("P8.2-audit", "claim_date", "filed 34 days after the expense")],
        ),
        Row(
            claim("EX2611-003", P["zheng"], D(2026, 11, 18), D(2026, 11, 19), "推廣費用", "其他", 2000, "電子報平台試用", P["huang"], "待核", campaign_id="MC2026-006"),
            [bad("P4.1-approval", "campaign_id", "spent on a campaign still in draft")],
        ),
        Row(
            claim("EX2611-001", P["zheng"], D(2026, 11, 19), D(2026, 11, 19), "推廣費用", "其他", 1000, "重複送出", P["huang"], "退回"),
            [bad("duplicate", "claim_id", "the number of an earlier claim given again")],
        ),
        Row(
            claim("EX2611-005", P["zhang"], D(2026, 11, 20), D(2026, 11, 21), "推廣費用", "數位行銷", "兩千", "社群貼文加強", P["huang"], "待核"),
            [bad("type", "amount", "an amount written in words")],
        ),
        Row(
            claim("EX2611-006", P["zheng"], D(2026, 11, 21), D(2026, 11, 22), "推廣費用", "廣告", 1000, "海報設計", P["zhang"], "核准", approval_date=D(2026, 11, 23)),
            [bad("P2-role-fits", "approver", "approved by a specialist")],
        ),
        Row(
            claim("EX2611-103", P["wu"], D(2026, 11, 24), D(2026, 11, 20), "銷售費用", "差旅交通", 1000, "停車費", P["li"], "待核"),
            [bad("date-order", ("expense_date", "claim_date"), "filed before the expense")],
        ),
        Row(claim("EX2611-104", P["amy"], L("2026/11/19", "date typed as text"), L("2026/11/20", "date typed as text"), "銷售費用", "差旅交通", L("NT$ 2,400", "NT$ amount"), "高鐵", P["li"], "核准", approval_date=L("2026/11/21", "date typed as text"))),
        Row(claim("EX2611-202", L(P["liu"] + ZWSP, "name with a zero-width space after it"), L("115/11/22", "Minguo date"), L("115/11/23", "Minguo date"), "客戶服務費用", "禮品", L("1,500元", "amount with 元"), "客訴致歉禮", P["lin"], "待核")),
        Row(claim("EX2611-203", P["liu"], L("115/11/02", "Minguo date"), L("115/11/03", "Minguo date"), "客戶服務費用", "差旅交通", L("NT$1,200", "NT$ amount"), "到府服務交通", P["lin"], "核准", approval_date=L("115/11/04", "Minguo date"), audit_date=L("115/11/05", "Minguo date"), reimbursed="是", reimbursed_date=L("115/11/09", "Minguo date"), **audited)),
        Row(claim("EX2611-204", L(P["liu"] + ZWSP, "name with a zero-width space after it"), L("民國115年11月12日", "Minguo date"), L("民國115年11月13日", "Minguo date"), "客戶服務費用", "禮品", L("2,500元", "amount with 元"), "VIP 客戶生日禮", P["lin"], "核准", approval_date=L("民國115年11月14日", "Minguo date"), **audited, audit_date=L("民國115年11月16日", "Minguo date"))),
        Row(claim("EX2611-105", P["wu"], L("2026/11/09", "date typed as text"), L("2026/11/10", "date typed as text"), "銷售費用", "交際應酬", L("NT$3,600", "NT$ amount"), "客戶午餐", L(P["li"] + ZWSP, "name with a zero-width space after it"), "核准", approval_date=L("2026/11/11", "date typed as text"), audit_date=L("2026/11/12", "date typed as text"), reimbursed="是", reimbursed_date=L("2026/11/16", "date typed as text"), **audited)),
        Row(claim("EX2611-106", L("Ａｍｙ Ｃｈｅｎ", "name typed full-width"), L(Serial(D(2026, 11, 13)), "Excel serial in a General cell"), L(Serial(D(2026, 11, 14)), "Excel serial in a General cell"), "銷售費用", "差旅交通", L("0.3萬", "萬 amount"), "高雄出差", P["li"], "待核")),
    ]  # fmt: skip
    copied = {"amount": F('IF({qty}{r}="","",{qty}{r}*{price}{r})', "", MONEY_FORMAT)}
    return [
        Plan("expense_budget", budgets),
        Plan(
            "claims", claims, order=CLAIM_ORDER, extra={"qty": "數量", "price": "單價"},
            totals={"label": "claim_id", "sum": {"amount": None}}, copied_down=8, copied=copied,
        ),
    ]  # fmt: skip


def expense_features(book, truth: Truth) -> None:
    ws = book["費用申請"]
    ws.conditional_formatting.add(
        "J2:J40", CellIsRule(operator="greaterThan", formula=["50000"], font=Font(color="9C0006"))
    )


# ---------------------------------------------------------------------------------------------


def _formula(text: str, row: int, letters: dict[str, str]) -> str:
    """A formula's text for this row: ``{key}`` is a column's letter, ``{r}`` the row, ``{r+1}``
    the next one."""
    text = re.sub(r"\{r\+(\d+)\}", lambda m: str(row + int(m[1])), text)
    return text.format(r=row, **letters)


def _numbers_total(rows: list[Row], key: str) -> float:
    """What SUBTOTAL(109, …) shows: the sum of the numbers in a column (text is left out)."""
    total = 0
    for row in rows:
        value = row.values.get(key)
        value = value.value if isinstance(value, L) else value
        if isinstance(value, F):
            value = value.cached
        if isinstance(value, int | float) and not isinstance(value, bool):
            total += value
    return round(total, 10)


# file → the declared workbook, how its sheets were filled, what else the person did, and
# whether it was last saved by LibreOffice (else as Excel saves)
WORKBOOKS = [
    ("staff.xlsx", "staff", staff_plans, staff_features, False),
    ("marketing-plan.xlsx", "marketing_plan", marketing_plans, None, True),
    ("customers.xlsx", "customers", customer_plans, customer_features, False),
    ("sales.xlsx", "sales", sales_plans, None, True),
    ("expenses.xlsx", "expenses", expense_plans, expense_features, False),
]


def build(out: Path, *, libreoffice: bool = True) -> Truth:
    truth = Truth()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for file, key, plans, features, by_libreoffice in WORKBOOKS:
            wb, book = start(key, Path(tmp))
            cached = fill(book, wb, plans(), file, truth)
            if features is not None:
                cached.update(features(book, truth) or {})
            target = out / file
            if by_libreoffice:
                book.save(target)  # LibreOffice computes the formulas' results itself
                if libreoffice:
                    libreoffice_resave(target)
            else:
                save_excel_style(book, target, cached)
    return truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if SOFFICE is None:
        raise SystemExit("LibreOffice (soffice) is needed to re-save two of the workbooks")
    truth = build(args.out)
    clean: dict[tuple[str, str, str], list[str]] = {}
    for cell in truth.clean:
        clean.setdefault((cell["file"], cell["sheet"], cell["tab"]), []).append(cell["cell"])
    data = {
        "as_of": AS_OF.isoformat(),
        "files": sorted(p.name for p in args.out.glob("*.xlsx")),
        "records": truth.records,
        "violations": truth.violations,
        "lenient": truth.lenient,
        "structure": truth.structure,
        "clean": [
            {"file": file, "sheet": sheet, "tab": tab, "cells": cells}
            for (file, sheet, tab), cells in clean.items()
        ],
    }
    text = json.dumps(data, ensure_ascii=False, indent=1)
    # one cell list a line keeps the file readable
    text = re.sub(r'\[\n\s+("[A-Z]+\d+",?\s*)+\]', lambda m: re.sub(r"\s+", " ", m[0]), text)
    (args.out / "truth.json").write_text(text + "\n", encoding="utf-8")
    rules = {v["rule"] for v in truth.violations}
    print(
        f"{len(data['files'])} workbooks, {len(truth.violations)} violations of {len(rules)} rules, "
        f"{len(truth.lenient)} lenient cells, {len(truth.clean)} clean cells"
    )


if __name__ == "__main__":
    main()
