"""Read a workbook held in memory (an open Excel book through xlwings) the way a file is read.

Excel hands cell values over as Python objects: text, floats (whole numbers too), datetimes,
booleans, None. Each is turned into the text the file reader sees for the same cell, so the same
header search, sheet recognition, cell pass and rules apply, and a finding names the same cell.
The values of a tab start at cell A1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import polars as pl

from mops.records import BookFrames
from mops.workbook import meta
from mops.workbook.frames import identify, recognise_sheets

# Excel's day zero for times of day and durations, as the file reader renders them.
_TIME_BASE = dt.datetime(1899, 12, 31)


def cell_text(value: object) -> str | None:
    """A cell value as the file reader renders it (``2026-03-05 00:00:00``, ``1234``, ``true``)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None, microsecond=0).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return f"{value.isoformat()} 00:00:00"
    if isinstance(value, dt.time):
        return cell_text(dt.datetime.combine(_TIME_BASE.date(), value))
    if isinstance(value, dt.timedelta):
        return cell_text(_TIME_BASE + value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _raw(rows: Sequence[Sequence[object]]) -> tuple[pl.DataFrame, int, int]:
    """The cells as text from the first row and column holding a value (as the file reader).

    Returns the frame, the 0-based index of its first column and the Excel number of its row.
    """
    text = [[cell_text(v) for v in row] for row in rows]
    filled = [i for i, row in enumerate(text) if any(v not in (None, "") for v in row)]
    if not filled:
        return pl.DataFrame(), 0, 1
    first_row = filled[0]
    text = text[first_row:]
    col0 = min(
        next(c for c, v in enumerate(row) if v not in (None, ""))
        for row in text
        if any(v not in (None, "") for v in row)
    )
    width = max(len(r) for r in text)
    columns = {
        f"column_{c - col0}": [r[c] if c < len(r) else None for r in text]
        for c in range(col0, width)
    }
    frame = pl.DataFrame(columns, schema={name: pl.String for name in columns})
    return frame, col0, first_row + 1


def frames_from_values(name: str, sheets: Mapping[str, Sequence[Sequence[object]]]) -> BookFrames:
    """Every declared sheet among ``sheets`` (tab name → rows of values from A1) as frames."""
    path = Path(name)
    tabs = list(sheets)
    stamp: dict[str, str] = {}
    if meta.META_SHEET in sheets:
        stamp = {
            str(row[0]): str(row[1])
            for row in sheets[meta.META_SHEET]
            if len(row) >= 2 and row[0] is not None
        }
    wb = identify(stamp, tabs, path)

    def load(tab: str) -> tuple[pl.DataFrame, int, int]:
        return _raw(sheets[tab])

    found, others = recognise_sheets(path, wb, tabs, stamp, load)
    return BookFrames(path=path, definition=wb, stamp=stamp, sheets=found, other_tabs=others)
