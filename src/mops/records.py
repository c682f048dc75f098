"""Plain values every layer shares: where a cell is, what is wrong with it, workbooks as frames.

Nothing here reads or writes a file. A ``CellRef`` says where something is (file, declared
sheet, tab as found, row, column, A1 cell) the same way everywhere. A ``Finding`` is the one
value for "something is wrong with this cell, row, sheet or file": validation makes them, and so
does the sync for the rows it skipped, the records Odoo refused and the conflicts a person must
settle, so all of them reach the terminal, JSON and the workbook's Findings sheet alike. A
``BookFrames`` is what the reader made of a workbook (or what an open Excel book handed over).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

import polars as pl

from mops.i18n import text
from mops.schemas.model import Lang, SheetDef, WorkbookDef

ROW = "_row"  # the Excel row number (1-based) of each data row
FORMULA_START = ("=", "+", "-", "@")  # text Excel would take for a formula when typed
_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})$")


def column_letter(index: int) -> str:
    """The letters of a 0-based column index: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    n = index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """The 0-based index of column letters: A → 0, AA → 26."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def cell_position(ref: str) -> tuple[int, int]:
    """(1-based row, 0-based column) of an A1 address such as ``D17`` or ``$D$17``."""
    m = _A1.match(ref)
    if not m:
        raise ValueError(f"not a cell address: {ref!r}")
    return int(m.group(2)), column_index(m.group(1))


@dataclass(frozen=True, slots=True)
class CellRef:
    """Where something is: the workbook file, the declared sheet, the tab as found, the cell.

    ``sheet`` is the declared sheet key (``customers``), ``tab`` the tab's name in the file
    (``客戶``); ``row`` is the Excel row (1-based), ``column`` the declared column key and
    ``cell`` its A1 address. What is not known (a whole sheet, a whole row) is None.
    """

    file: str
    sheet: str
    tab: str
    row: int | None = None
    column: str | None = None
    cell: str | None = None


class Bilingual:
    """A value that carries its message in both languages (``message_zh``, ``message_en``)."""

    __slots__ = ()
    message_zh: str
    message_en: str

    def message(self, lang: Lang | str = Lang.ZH_TW) -> str:
        """The message in this language."""
        return self.message_en if Lang(lang) is Lang.EN else self.message_zh


class Severity(StrEnum):
    """How serious a finding is; errors make ``mops validate`` exit with 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings, 2 for info: the order findings are listed in."""
        return ("error", "warning", "info").index(self.value)


def severity_label(severity: Severity, lang: Lang | str) -> str:
    """The severity as a word in this language."""
    return text(f"severity.{Severity(severity).value}", lang)


def jsonable(value: object) -> object:
    """A value as JSON can hold it: dates in ISO form, Decimals as strings."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


@dataclass(frozen=True, slots=True)
class Finding(Bilingual):
    """One thing wrong, at one place: a cell, a row, a sheet or a file.

    ``row`` is the Excel row number and ``cell`` the A1 address when the finding is about a
    cell; ``column`` is the declared column key and ``label`` the header as written in the file.
    Messages are rendered in both languages when the finding is made, so a finding can be shown
    in either without knowing the rule that made it. ``owner`` is the person who answers for the
    row (its sheet's ``owner_column``), so each can pick out their own findings.
    """

    rule_id: str
    severity: Severity
    file: str
    sheet: str
    tab: str
    row: int | None
    column: str | None
    cell: str | None
    label: str | None
    value: object
    message_zh: str
    message_en: str
    owner: str | None = None

    @property
    def ref(self) -> CellRef:
        """Where the finding is."""
        return CellRef(self.file, self.sheet, self.tab, self.row, self.column, self.cell)

    @classmethod
    def at(
        cls,
        ref: CellRef,
        rule_id: str,
        severity: Severity,
        message_zh: str,
        message_en: str,
        *,
        label: str | None = None,
        value: object = None,
    ) -> Finding:
        """A finding at this place."""
        return cls(
            rule_id, Severity(severity), ref.file, ref.sheet, ref.tab, ref.row, ref.column,
            ref.cell, label, value, message_zh, message_en,
        )  # fmt: skip

    def sort_key(self) -> tuple:
        """Findings sort by file, sheet, row, column, then rule."""
        return (self.file, self.tab, self.row or 0, self.cell or "", self.rule_id)

    def as_dict(self, lang: Lang | str = Lang.ZH_TW) -> dict[str, object]:
        """The finding in the documented JSON form (see docs/findings-json.md)."""
        return {
            "rule_id": self.rule_id,
            "severity": str(self.severity),
            "file": self.file,
            "sheet": self.sheet,
            "tab": self.tab,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "label": self.label,
            "value": jsonable(self.value),
            "message": self.message(lang),
            "owner": self.owner,
        }


def show(value: object) -> str:
    """A value as a person would recognise it in a message."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)


@dataclass
class SheetFrame:
    """One declared sheet as found in a file: raw text cells by column key, with row numbers."""

    definition: SheetDef
    path: Path
    tab: str
    header_row: int
    columns: dict[str, int]  # column key → 0-based Excel column index
    labels: dict[str, str]  # column key → the header as written in the file
    frame: pl.DataFrame  # stripped text per found key, plus ROW (Int64); blank rows dropped
    extra_columns: list[str] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)
    formula_cells: list[str] = field(default_factory=list)  # formulas with no cached value
    # (column key, row) → the merged range (C5:C7) whose value the reader copied into the cell
    merged_cells: dict[tuple[str, int], str] = field(default_factory=dict)

    def cell(self, key: str, row: int) -> str:
        """The A1 address of column ``key`` in Excel row ``row``."""
        return f"{column_letter(self.columns[key])}{row}"

    def rows(self) -> list[tuple[int, dict[str, str | None]]]:
        """(Excel row number, raw text by column key) of every data row."""
        keys = [k for k in self.frame.columns if k != ROW]
        return [(r[ROW], {k: r[k] for k in keys}) for r in self.frame.iter_rows(named=True)]


@dataclass
class BookFrames:
    """A workbook read into frames: which declaration it is, its stamp, its declared sheets."""

    path: Path
    definition: WorkbookDef
    stamp: dict[str, str]
    sheets: dict[str, SheetFrame]
    other_tabs: list[str] = field(default_factory=list)
