"""Plain values every layer shares: cell addresses and workbooks read into frames.

Nothing here reads or writes a file: a ``BookFrames`` is what the reader made of a workbook (or
what an open Excel book handed over), and the rules, the sync planner and the write-back all
take it as data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from mops.schemas.model import SheetDef, WorkbookDef

ROW = "_row"  # the Excel row number (1-based) of each data row
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
