"""Read a declared workbook row by row: a convenient view over ``mops.workbook.frames``.

Validation works on columnar frames; other callers (the demo round trip, the sync engine) want
rows as dicts. This module gives them that, from the same single parse, after the same safety
check, so there is exactly one reader of workbook files in mops.

Cell values come back as the text fastexcel renders them (a date cell reads
``"2026-03-05 00:00:00"``); ``mops.parsing.parse_cell`` turns them into typed values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mops.config import defaults
from mops.schemas.model import SheetDef, WorkbookDef
from mops.workbook.frames import ROW, SheetFrame, read_frames
from mops.workbook.safety import check_workbook_file

_LIMITS = defaults()["limits"]


@dataclass(frozen=True)
class RawRow:
    """One data row: its Excel row number (1-based) and raw values by column key."""

    number: int
    values: dict[str, object]


@dataclass
class SheetData:
    """The raw content of one declared sheet as found in a file."""

    definition: SheetDef
    name: str  # the tab name as found
    header_row: int  # 1-based Excel row number of the header
    columns: dict[str, int]  # column key → 0-based column index
    extra_columns: list[str] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)
    rows: list[RawRow] = field(default_factory=list)
    frame: SheetFrame | None = None

    def cell(self, row: RawRow, key: str) -> str:
        """The A1 address of a column in a row, e.g. ``D17``."""
        assert self.frame is not None
        return self.frame.cell(key, row.number)


@dataclass
class WorkbookData:
    """A workbook file as read: which declaration it is, its stamp, and its declared sheets."""

    path: Path
    definition: WorkbookDef
    stamp: dict[str, str]
    sheets: dict[str, SheetData]
    other_sheets: list[str] = field(default_factory=list)


def _rows(frame: SheetFrame) -> list[RawRow]:
    keys = [k for k in frame.frame.columns if k != ROW]
    return [
        RawRow(number=record[ROW], values={k: record[k] for k in keys})
        for record in frame.frame.iter_rows(named=True)
    ]


def read_workbook(
    path: Path | str,
    *,
    max_uncompressed_mb: int = _LIMITS["max_uncompressed_mb"],
    max_rows: int = _LIMITS["max_rows"],
) -> WorkbookData:
    """Read every declared sheet of a workbook file; sheets it lacks are simply absent."""
    path = Path(path)
    check_workbook_file(path, max_uncompressed_mb=max_uncompressed_mb, max_rows=max_rows)
    book = read_frames(path)
    sheets = {
        key: SheetData(
            definition=frame.definition,
            name=frame.tab,
            header_row=frame.header_row,
            columns=frame.columns,
            extra_columns=frame.extra_columns,
            missing_columns=frame.missing_columns,
            rows=_rows(frame),
            frame=frame,
        )
        for key, frame in book.sheets.items()
    }
    return WorkbookData(
        path=path,
        definition=book.definition,
        stamp=book.stamp,
        sheets=sheets,
        other_sheets=book.other_tabs,
    )
