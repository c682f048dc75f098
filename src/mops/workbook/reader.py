"""Read declared workbooks fast with python-calamine, matching sheets and headers leniently.

A workbook is recognised by the stamp mops writes into it (hidden ``_mops`` sheet), or else by
its sheet names and headers. A sheet is recognised by its name in zh-TW, English or key form, or
else by its header row. Headers match whatever language or key they are written in, despite
spaces, full-width characters and case; extra columns are kept aside and ignored; a title row
above the header is skipped. Cell values come back raw, with their Excel coordinates, for
``mops.workbook.values`` to type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import python_calamine as pc
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from mops.config import defaults
from mops.errors import WorkbookError
from mops.i18n import text
from mops.schemas.model import Column, SheetDef, WorkbookDef, normalize_label
from mops.schemas.registry import WORKBOOKS
from mops.workbook import meta
from mops.workbook.safety import check_workbook_file

HEADER_SEARCH_ROWS = 10  # a title block above the header is at most this tall
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
    extra_columns: list[str] = field(default_factory=list)  # headers mops does not declare
    missing_columns: list[str] = field(default_factory=list)  # declared keys not found
    rows: list[RawRow] = field(default_factory=list)

    def cell(self, row: RawRow, key: str) -> str:
        """The A1 address of a column in a row, e.g. ``D17``."""
        return xl_rowcol_to_cell(row.number - 1, self.columns[key])

    def column_letter(self, key: str) -> str:
        """The column letter of a declared column as found in this file."""
        return xl_col_to_name(self.columns[key])


@dataclass
class WorkbookData:
    """A workbook file as read: which declaration it is, its stamp, and its declared sheets."""

    path: Path
    definition: WorkbookDef
    stamp: dict[str, str]
    sheets: dict[str, SheetData]  # sheet key → data
    other_sheets: list[str] = field(default_factory=list)


def header_lookup(sheet: SheetDef) -> dict[str, Column]:
    """Every accepted header spelling (folded) of a sheet's columns: zh-TW, English, key."""
    table: dict[str, Column] = {}
    for column in sheet.columns:
        for spelling in (column.zh, column.en, column.key):
            table.setdefault(normalize_label(spelling), column)
    return table


def _sheet_lookup(wb: WorkbookDef) -> dict[str, SheetDef]:
    table: dict[str, SheetDef] = {}
    for sheet in wb.sheets:
        for spelling in (sheet.zh, sheet.en, sheet.key):
            table.setdefault(normalize_label(spelling), sheet)
    return table


def _open(path: Path, *, max_uncompressed_mb: int, max_rows: int) -> pc.CalamineWorkbook:
    check_workbook_file(path, max_uncompressed_mb=max_uncompressed_mb, max_rows=max_rows)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        # python-calamine picks its parser by the extension: an .xlsx named .xls would fail.
        raise WorkbookError(text("wrong_extension", suffix=path.suffix), path=path)
    try:
        return pc.CalamineWorkbook.from_path(str(path))
    except (pc.CalamineError, pc.ZipError, pc.XmlError, pc.PasswordError, OSError) as exc:
        raise WorkbookError(text("not_a_workbook"), path=path, hint=str(exc)) from exc


def _grid(book: pc.CalamineWorkbook, name: str) -> tuple[list[list[object]], int, int]:
    """A sheet's used area and the (row, column) offset of its top-left cell."""
    sheet = book.get_sheet_by_name(name)
    grid = sheet.to_python(skip_empty_area=True)
    start = sheet.start or (0, 0)
    return grid, start[0], start[1]


def read_stamp(book: pc.CalamineWorkbook) -> dict[str, str]:
    """The key/value stamp of a mops-generated workbook, or an empty dict."""
    if meta.META_SHEET not in book.sheet_names:
        return {}
    grid, _, _ = _grid(book, meta.META_SHEET)
    return {str(r[0]): str(r[1]) for r in grid if len(r) >= 2 and r[0] != ""}


def _find_header(
    grid: list[list[object]], lookup: dict[str, Column]
) -> tuple[int, dict[str, int], list[str]] | None:
    """The header row index in the grid, its column map, and its undeclared headers."""
    best: tuple[int, dict[str, int], list[str]] | None = None
    for r, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        extra: list[str] = []
        for c, value in enumerate(row):
            if value == "" or value is None:
                continue
            column = lookup.get(normalize_label(str(value)))
            if column is None or column.key in found:
                extra.append(str(value))
            else:
                found[column.key] = c
        if len(found) >= 2 and (best is None or len(found) > len(best[1])):
            best = (r, found, extra)
    return best


def read_sheet(book: pc.CalamineWorkbook, path: Path, tab: str, sheet: SheetDef) -> SheetData:
    """Read one tab as the declared sheet ``sheet``; raises WorkbookError if no header fits."""
    grid, row0, col0 = _grid(book, tab)
    if not any(v != "" and v is not None for row in grid for v in row):
        raise WorkbookError(text("sheet_empty"), path=path, sheet=tab)
    found = _find_header(grid, header_lookup(sheet))
    if found is None:
        raise WorkbookError(text("header_not_found", rows=HEADER_SEARCH_ROWS), path=path, sheet=tab)
    r, local_columns, extra = found
    columns = {key: c + col0 for key, c in local_columns.items()}
    missing = [c.key for c in sheet.columns if c.key not in columns]
    rows: list[RawRow] = []
    keys = list(local_columns.items())
    for offset, values in enumerate(grid[r + 1 :], start=r + 1):
        raw = {key: (values[c] if c < len(values) else "") for key, c in keys}
        if all(v == "" or v is None for v in raw.values()):
            continue  # blank rows between records are allowed
        rows.append(RawRow(number=row0 + offset + 1, values=raw))
    return SheetData(
        definition=sheet,
        name=tab,
        header_row=row0 + r + 1,
        columns=columns,
        extra_columns=extra,
        missing_columns=missing,
        rows=rows,
    )


def _match_by_header(
    book: pc.CalamineWorkbook, tab: str, candidates: list[SheetDef]
) -> SheetDef | None:
    """The candidate sheet whose header matches at least half its columns in this tab."""
    if not candidates:
        return None
    grid, _, _ = _grid(book, tab)
    best: tuple[int, SheetDef] | None = None
    for sheet in candidates:
        found = _find_header(grid, header_lookup(sheet))
        if found is None or 2 * len(found[1]) < len(sheet.columns):
            continue
        if best is None or len(found[1]) > best[0]:
            best = (len(found[1]), sheet)
    return best[1] if best else None


def identify(book: pc.CalamineWorkbook, path: Path, stamp: dict[str, str]) -> WorkbookDef:
    """Which declared workbook a file is: by its stamp, else by the most matching sheet names."""
    key = stamp.get("mops_workbook")
    for wb in WORKBOOKS:
        if wb.key == key:
            return wb
    names = {normalize_label(n) for n in book.sheet_names}
    scored = [(len(names & set(_sheet_lookup(wb))), wb) for wb in WORKBOOKS]
    score, best = max(scored, key=lambda pair: pair[0])
    if score == 0:
        raise WorkbookError(text("unknown_workbook"), path=path)
    return best


def read_workbook(
    path: Path | str,
    *,
    max_uncompressed_mb: int = _LIMITS["max_uncompressed_mb"],
    max_rows: int = _LIMITS["max_rows"],
) -> WorkbookData:
    """Read every declared sheet of a workbook file; sheets it lacks are simply absent."""
    path = Path(path)
    book = _open(path, max_uncompressed_mb=max_uncompressed_mb, max_rows=max_rows)
    try:
        stamp = read_stamp(book)
        wb = identify(book, path, stamp)
        by_name = _sheet_lookup(wb)
        stamped = {v: k.split(":", 1)[1] for k, v in stamp.items() if k.startswith("mops_sheet:")}
        sheets: dict[str, SheetData] = {}
        others: list[str] = []
        for tab in book.sheet_names:
            if tab in meta.HIDDEN_SHEETS:
                continue
            sheet = by_name.get(normalize_label(tab))
            if sheet is None and tab in stamped:
                sheet = wb.sheet(stamped[tab])
            if sheet is None or sheet.key in sheets:
                others.append(tab)
                continue
            sheets[sheet.key] = read_sheet(book, path, tab, sheet)
        for tab in list(others):
            # A renamed tab is still recognised by its header row.
            sheet = _match_by_header(book, tab, [s for s in wb.sheets if s.key not in sheets])
            if sheet is not None:
                others.remove(tab)
                sheets[sheet.key] = read_sheet(book, path, tab, sheet)
        return WorkbookData(
            path=path, definition=wb, stamp=stamp, sheets=sheets, other_sheets=others
        )
    finally:
        book.close()
