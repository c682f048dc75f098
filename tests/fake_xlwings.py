"""A small fake of the xlwings objects the finance buttons use, holding a workbook in memory.

It is loaded from a real .xlsx/.xlsm (openpyxl, saved values) and hands values over the way
Excel does through xlwings: every number a float, dates as datetimes, empty cells as None. It
records every read and write (``book.log``), and it never touches the file again after loading,
as the entry points must not either. Only the surface ``mops.excel.book`` documents exists here:
anything else the code tried would fail with AttributeError.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
from openpyxl.utils import column_index_from_string, get_column_letter

_CELL = re.compile(r"^\$?([A-Z]+)\$?(\d+)$")


def _excel_value(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str) and value == "":
        return None
    return value


class FakeNote:
    def __init__(self, cells: dict, key: tuple[int, int], log: list) -> None:
        self._cells, self._key, self._log = cells, key, log

    @property
    def text(self) -> str:
        return self._cells[self._key]

    @text.setter
    def text(self, value: str) -> None:
        self._log.append(("note", self._key, value))
        self._cells[self._key] = value

    def delete(self) -> None:
        self._log.append(("note-delete", self._key))
        del self._cells[self._key]


class FakeRange:
    def __init__(self, sheet: FakeSheet, row: int, column: int, rows: int = 1, cols: int = 1):
        self.sheet, self.row, self.column = sheet, row, column
        self._rows, self._cols = rows, cols
        self._ndim = None

    def options(self, ndim: int | None = None) -> FakeRange:
        other = FakeRange(self.sheet, self.row, self.column, self._rows, self._cols)
        other._ndim = ndim
        return other

    @property
    def shape(self) -> tuple[int, int]:
        return (self._rows, self._cols)

    @property
    def value(self):
        self.sheet.book.log.append(("read", self.sheet.name, self.row, self.column, self.shape))
        grid = [
            [self.sheet.cells.get((r, c)) for c in range(self.column, self.column + self._cols)]
            for r in range(self.row, self.row + self._rows)
        ]
        if self._ndim == 2:
            return grid
        if self.shape == (1, 1):
            return grid[0][0]
        return grid if self._rows > 1 else grid[0]

    @value.setter
    def value(self, value) -> None:
        rows = value if isinstance(value, list) and value and isinstance(value[0], list) else None
        if rows is None:
            rows = [value] if isinstance(value, list) else [[value]]
        self.sheet.book.log.append(("write", self.sheet.name, self.row, self.column, len(rows)))
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                key = (self.row + r, self.column + c)
                if v is None or v == "":
                    self.sheet.cells.pop(key, None)
                elif isinstance(v, str):
                    # Excel keeps text after a leading apostrophe as text, and hides the mark.
                    self.sheet.cells[key] = v[1:] if v.startswith("'") else v
                else:
                    self.sheet.cells[key] = _excel_value(v)

    @property
    def color(self):
        return self.sheet.fills.get((self.row, self.column))

    @color.setter
    def color(self, rgb) -> None:
        self.sheet.book.log.append(("color", self.sheet.name, self.row, self.column, rgb))
        if rgb is None:
            self.sheet.fills.pop((self.row, self.column), None)
        else:
            self.sheet.fills[(self.row, self.column)] = tuple(rgb)

    @property
    def note(self) -> FakeNote | None:
        key = (self.row, self.column)
        return (
            FakeNote(self.sheet.notes, key, self.sheet.book.log)
            if key in self.sheet.notes
            else None
        )

    def add_note(self, text: str) -> FakeNote:
        key = (self.row, self.column)
        assert key not in self.sheet.notes, "xlwings refuses a second note"
        self.sheet.book.log.append(("note", key, text))
        self.sheet.notes[key] = text
        return FakeNote(self.sheet.notes, key, self.sheet.book.log)


class FakeSheet:
    def __init__(self, book: FakeBook, name: str) -> None:
        self.book, self.name = book, name
        self.cells: dict[tuple[int, int], object] = {}
        self.fills: dict[tuple[int, int], tuple[int, int, int]] = {}
        self.notes: dict[tuple[int, int], str] = {}

    @property
    def used_range(self) -> FakeRange:
        if not self.cells:
            return FakeRange(self, 1, 1)
        rows = [r for r, _ in self.cells]
        cols = [c for _, c in self.cells]
        top, left = min(rows), min(cols)
        return FakeRange(self, top, left, max(rows) - top + 1, max(cols) - left + 1)

    def range(self, address: str) -> FakeRange:
        match = _CELL.match(address.upper())
        assert match, f"the fake knows single cells only: {address}"
        return FakeRange(self, int(match.group(2)), column_index_from_string(match.group(1)))

    def activate(self) -> None:
        self.book.active = self.name

    def delete(self) -> None:
        self.book.log.append(("delete-sheet", self.name))
        self.book.sheets._sheets.remove(self)

    def cell(self, address: str):
        """Test helper: a cell's value by address."""
        match = _CELL.match(address)
        return self.cells.get((int(match.group(2)), column_index_from_string(match.group(1))))


class FakeSheets:
    def __init__(self, book: FakeBook) -> None:
        self._book = book
        self._sheets: list[FakeSheet] = []

    def __iter__(self):
        return iter(list(self._sheets))

    def __len__(self) -> int:
        return len(self._sheets)

    def __getitem__(self, key):
        if isinstance(key, int):
            return self._sheets[key]
        for sheet in self._sheets:
            if sheet.name == key:
                return sheet
        raise KeyError(key)

    def add(self, name: str, before=None, after=None) -> FakeSheet:
        assert name not in [s.name for s in self._sheets], f"a sheet {name} exists"
        self._book.log.append(("add-sheet", name))
        sheet = FakeSheet(self._book, name)
        if after is not None:
            self._sheets.insert(self._sheets.index(after) + 1, sheet)
        elif before is not None:
            self._sheets.insert(self._sheets.index(before), sheet)
        else:
            self._sheets.insert(0, sheet)  # as Excel does: before the active sheet
        return sheet


class FakeBook:
    """A workbook as Excel would hold it after opening ``path``."""

    def __init__(self, path: Path) -> None:
        self.fullname = str(path)
        self.log: list[tuple] = []
        self.active: str | None = None
        self.sheets = FakeSheets(self)
        wb = openpyxl.load_workbook(path, data_only=True)
        for ws in wb.worksheets:
            sheet = FakeSheet(self, ws.title)
            for row in ws.iter_rows():
                for cell in row:
                    value = _excel_value(cell.value)
                    if value is not None:
                        sheet.cells[(cell.row, cell.column)] = value
                    if cell.comment is not None:
                        sheet.notes[(cell.row, cell.column)] = cell.comment.text
            self.sheets._sheets.append(sheet)

    def save(self) -> None:
        """Excel saving its own file: recorded; the tests give books already as on disk."""
        self.log.append(("save",))

    def set(self, tab: str, address: str, value) -> None:
        """Test helper: type a value into a cell, as a person in Excel would."""
        sheet = self.sheets[tab]
        match = _CELL.match(address)
        key = (int(match.group(2)), column_index_from_string(match.group(1)))
        if value is None:
            sheet.cells.pop(key, None)
        else:
            sheet.cells[key] = _excel_value(value)


__all__ = ["FakeBook", "get_column_letter"]
