"""Read a declared workbook into columnar frames, fast: each sheet parsed exactly once.

fastexcel (calamine underneath, Arrow out) is the fastest parser measured on this kind of
machine. Every cell is read as text (``dtypes="string"``) on purpose: fastexcel otherwise guesses
a column's type from its first rows and silently turns later values of another type into nulls,
which would hide exactly the mistakes validation is for. Typing happens afterwards, declared
column by declared column (``mops.validation.cells``).

The header row is found within the first rows of the same parse (a title block above it is
fine); headers match in zh-TW, English or key form. Excel row numbers are kept in ``_row``.

What Excel, LibreOffice or a person put around the records is read as they mean it
(``mops.workbook.package.scan_sheets`` reads it from the sheet's XML):

- a table's Total Row (``totalsRowCount`` in its table part), a row that totals a column
  (``=SUBTOTAL(109, …)``, ``=SUM(F2:F40)``) with no id of its own, and a row with a label such
  as 合計 or Total in its key cell, is not a record; nor is the header typed again further down,
  or a note under the table (註：…, alone on its row);
- a formula whose saved result is empty text (``=IF(B9="","",…)`` copied down in advance) is a
  blank cell, and a row with nothing typed in it, only formulas, and no key is not a record;
  only a formula the file saved no result for at all is reported (rule ``formula``);
- a cell merged down over several rows (C5:C7) holds its value in each of those rows, with an
  ``assumed`` info on the rows below the first;
- rows hidden by hand or by a filter are records like any other, and are validated: hiding a
  row does not make it right. Hidden columns, comments, rich text, hyperlinks, conditional
  formats, charts and styles (header row styles, banded rows) carry no values and change
  nothing.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import fastexcel
import polars as pl

from mops.config import Limits, defaults
from mops.errors import WorkbookError
from mops.i18n import pair, text
from mops.records import ROW, BookFrames, SheetFrame, column_letter
from mops.schemas.model import SheetDef, WorkbookDef, normalize_label
from mops.schemas.registry import COMPOSITES, WORKBOOKS
from mops.workbook import meta
from mops.workbook.package import SheetScan, first_value_row, scan_sheets, sheet_parts
from mops.workbook.prefetch import Prefetched, load_text
from mops.workbook.safety import check_workbook_file

HEADER_SEARCH_ROWS = 10
__all__ = [
    "ROW",
    "BookFrames",
    "SheetFrame",
    "identify",
    "read_book",
    "read_frames",
    "recognise_sheets",
]


def _lookup(pairs) -> dict[str, object]:
    table: dict[str, object] = {}
    for spellings, value in pairs:
        for spelling in spellings:
            table.setdefault(normalize_label(spelling), value)
    return table


def _header_match(head: list[list[object]], sheet: SheetDef):
    """(row index, {key: col index}, {key: label}, extras) of the best header row, or None."""
    lookup = _lookup(((c.zh, c.en, c.key), c.key) for c in sheet.columns)
    best = None
    for r, row in enumerate(head):
        found: dict[str, int] = {}
        labels: dict[str, str] = {}
        extra: list[str] = []
        for c, value in enumerate(row):
            if value is None or str(value).strip() == "":
                continue
            key = lookup.get(normalize_label(str(value)))
            if key is None or key in found:
                extra.append(str(value))
            else:
                found[key] = c
                labels[key] = str(value)
        if len(found) >= 2 and (best is None or len(found) > len(best[1])):
            best = (r, found, labels, extra)
    return best


def _load(
    reader: fastexcel.ExcelReader, tab: str, preloaded: Prefetched | None
) -> tuple[pl.DataFrame, int]:
    """The whole tab as text, and the 0-based Excel column of its first frame column."""
    sheet = preloaded.sheet(tab) if preloaded is not None else load_text(reader, tab)
    info = sheet.available_columns()
    col0 = info[0].absolute_index if info else 0
    return sheet.to_polars(), col0


def _frame_for(
    path: Path,
    tab: str,
    sheet: SheetDef,
    raw: pl.DataFrame,
    col0: int,
    row0: int,
) -> SheetFrame | None:
    if raw.height == 0 or raw.width == 0:
        raise WorkbookError(text("sheet_empty"), path=path, sheet=tab)
    head = [list(r) for r in raw.head(HEADER_SEARCH_ROWS).iter_rows()]
    match = _header_match(head, sheet)
    if match is None:
        return None
    r, found, labels, extra = match
    names = raw.columns
    # Cells are stripped once here, so blank checks and typing need not strip again.
    body = (
        raw.slice(r + 1)
        .select([pl.col(names[c]).str.strip_chars().alias(key) for key, c in found.items()])
        .with_columns((pl.int_range(pl.len(), dtype=pl.Int64) + (row0 + r + 1)).alias(ROW))
    )
    if found:
        # Blank rows between records are allowed: drop rows whose declared cells are all blank.
        keys = list(found)
        body = body.filter(pl.any_horizontal([pl.col(k).str.len_bytes() > 0 for k in keys]))
        body = _without_label_rows(body, sheet)
    return SheetFrame(
        definition=sheet,
        path=path,
        tab=tab,
        header_row=row0 + r,
        columns={k: c + col0 for k, c in found.items()},
        labels=labels,
        frame=body,
        extra_columns=extra,
        missing_columns=[c.key for c in sheet.columns if c.key not in found],
    )


@cache
def _words(message: str) -> tuple[str, ...]:
    """The words of a catalogue entry (both languages), folded."""
    folded = (normalize_label(w) for text in pair(message) for w in text.split())
    return tuple(dict.fromkeys(w for w in folded if w))


def _is_total_label(value: object) -> bool:
    return isinstance(value, str) and normalize_label(value).rstrip(":：") in _words(
        "reading.total_labels"
    )


def _without_label_rows(body: pl.DataFrame, sheet: SheetDef) -> pl.DataFrame:
    """Drop the rows a person wrote around the records: a total (合計 in the key cell), the
    header typed again further down, a note under the table (註：…, with nothing else)."""
    pk = sheet.primary_key
    if pk is None or pk not in body.columns:
        return body
    keys = [k for k in body.columns if k != ROW]
    # An id starts with a letter or digit and holds a digit: only other keys are looked at.
    candidates = body.filter(
        ~pl.col(pk).fill_null("00").str.contains(r"^[0-9A-Za-z]\S*[0-9]")
    ).select(ROW, pk, pl.sum_horizontal([pl.col(k).str.len_bytes() > 0 for k in keys]).alias("n"))
    if candidates.is_empty():
        return body
    column = sheet.column(pk)
    header = {normalize_label(x) for x in (column.zh, column.en, column.key)}
    drop = []
    for row, key, filled in candidates.iter_rows():
        folded = normalize_label(key or "")
        note = filled == 1 and folded.startswith(_words("reading.note_markers"))
        if _is_total_label(key) or folded in header or note:
            drop.append(row)
    return body.filter(~pl.col(ROW).is_in(drop)) if drop else body


def apply_scan(frame: SheetFrame, scan: SheetScan) -> None:
    """Read the records of a sheet as a person means them, from what its XML says (see above)."""
    frame.formula_cells = scan.no_value
    body = _fill_merged(frame, frame.frame, scan.merged)
    dropped = _structure_rows(frame, body, scan)
    if dropped:
        body = body.filter(~pl.col(ROW).is_in(sorted(dropped)))
    frame.frame = body


def _fill_merged(
    frame: SheetFrame, body: pl.DataFrame, merged: list[tuple[int, int, int, int]]
) -> pl.DataFrame:
    """Copy the value of a cell merged down over several data rows into each of those rows."""
    by_index = {index: key for key, index in frame.columns.items()}
    fills: dict[str, dict[int, tuple[int, str]]] = {}
    for first, col, last, last_col in merged:
        key = by_index.get(col)
        if key is None or last <= first or first <= frame.header_row:
            continue
        where = f"{column_letter(col)}{first}:{column_letter(last_col)}{last}"
        for row in range(first + 1, last + 1):
            fills.setdefault(key, {})[row] = (first, where)
    if not fills:
        return body
    values = dict(zip(body.get_column(ROW).to_list(), range(body.height), strict=True))
    changes = []
    for key, rows in fills.items():
        column = body.get_column(key).to_list()
        for row, (first, where) in rows.items():
            at, source = values.get(row), values.get(first)
            if at is None or source is None or column[source] in (None, ""):
                continue
            if column[at] in (None, ""):
                column[at] = column[source]
                frame.merged_cells[(key, row)] = where
        changes.append(pl.Series(key, column, dtype=pl.String))
    return body.with_columns(changes)


def _structure_rows(frame: SheetFrame, body: pl.DataFrame, scan: SheetScan) -> set[int]:
    """Rows that are not records: totals rows, and rows holding only formulas and no key."""
    rows = set(scan.totals_rows)
    pk = frame.definition.primary_key
    pk_col = frame.columns.get(pk) if pk else None
    pk_formulas = set(scan.formula_rows.get(pk_col, ())) if pk_col is not None else set()
    if pk in body.columns:
        candidates = body.filter(pl.col(ROW).is_in(sorted(scan.aggregate_rows))).select(ROW, pk)
        for row, key in candidates.iter_rows():
            # a row that totals a column and has no id of its own (a label is dropped already)
            if not key or row in pk_formulas:
                rows.add(row)
    if scan.formula_rows and (pk is None or pk in body.columns):
        rows |= _formula_only_rows(frame, body, scan)
    return rows


def _formula_only_rows(frame: SheetFrame, body: pl.DataFrame, scan: SheetScan) -> set[int]:
    """Rows with no key and nothing typed by hand: only formulas (copied down in advance)."""
    keys = [k for k in frame.columns if k in body.columns]
    pk = frame.definition.primary_key
    typed = []
    for key in keys:
        filled = pl.col(key).fill_null("").str.len_bytes() > 0
        formula_rows = scan.formula_rows.get(frame.columns[key])
        if formula_rows:
            filled = filled & ~pl.col(ROW).is_in(formula_rows)
        typed.append(filled)
    if pk in keys:
        typed.append(pl.col(pk).fill_null("").str.len_bytes() > 0)
    if not typed:
        return set()
    only = body.filter(~pl.any_horizontal(typed))
    return set(only.get_column(ROW).to_list())


def _row0(zf: zipfile.ZipFile, parts: dict[str, str], tab: str) -> int:
    """The Excel row where the parsed frame of ``tab`` starts."""
    return (first_value_row(zf, parts[tab]) or 1) if tab in parts else 1


def identify(stamp: dict[str, str], tabs: list[str], path: Path) -> WorkbookDef:
    candidates = (*WORKBOOKS, *COMPOSITES)
    for wb in candidates:
        if wb.key == stamp.get("mops_workbook"):
            return wb
    names = {normalize_label(t) for t in tabs}
    scored = []
    # On a tie the suite's own workbook wins (max keeps the first): expenses.xlsx is not the
    # finance workbook though both hold the expense sheets.
    for wb in candidates:
        spellings = {normalize_label(x) for s in wb.sheets for x in (s.zh, s.en, s.key)}
        scored.append((len(names & spellings), wb))
    score, best = max(scored, key=lambda pair: pair[0])
    if score == 0:
        raise WorkbookError(text("unknown_workbook"), path=path)
    return best


def recognise_sheets(
    path: Path,
    wb: WorkbookDef,
    tabs: list[str],
    stamp: dict[str, str],
    load: Callable[[str], tuple[pl.DataFrame, int, int]],
    finish: Callable[[SheetFrame], None] = lambda frame: None,
) -> tuple[dict[str, SheetFrame], list[str]]:
    """The declared sheets among ``tabs`` (by name, stamp or header), and the other tabs.

    ``load(tab)`` gives the tab's cells as text, its first column's index and first row number.
    ``finish(frame)`` is called on each sheet's frame as soon as it is known to be the one.
    """
    by_name = _lookup(((s.zh, s.en, s.key), s) for s in wb.sheets)
    stamped = {v: k.split(":", 1)[1] for k, v in stamp.items() if k.startswith("mops_sheet:")}
    sheets: dict[str, SheetFrame] = {}
    unnamed: list[str] = []
    for tab in tabs:
        if tab in meta.HIDDEN_SHEETS or tab in meta.RESULTS_SHEETS:
            continue
        sheet = by_name.get(normalize_label(tab))
        if sheet is None and tab in stamped:
            sheet = wb.sheet(stamped[tab])
        if sheet is None or sheet.key in sheets:
            unnamed.append(tab)
            continue
        raw, col0, row0 = load(tab)
        found = _frame_for(path, tab, sheet, raw, col0, row0)
        del raw  # the whole tab as parsed, freed before ``finish`` types the frame
        if found is None:
            raise WorkbookError(
                text("header_not_found", rows=HEADER_SEARCH_ROWS), path=path, sheet=tab
            )
        sheets[sheet.key] = found
        finish(found)
    others: list[str] = []
    for tab in unnamed:
        # A renamed tab is still recognised by its header row; parse it only if some declared
        # sheet is still unaccounted for.
        left = [s for s in wb.sheets if s.key not in sheets]
        best = None
        if left:
            raw, col0, row0 = load(tab)
            for sheet in left:
                found = _frame_for(path, tab, sheet, raw, col0, row0)
                if found is None or 2 * len(found.columns) < len(sheet.columns):
                    continue
                if best is None or len(found.columns) > len(best.columns):
                    best = found
            del raw
        if best is None:
            others.append(tab)
        else:
            sheets[best.definition.key] = best
            finish(best)
    return sheets, others


def read_book(
    path: Path | str,
    limits: Limits | None = None,
    *,
    preloaded: Prefetched | None = None,
    on_sheet: Callable[[SheetFrame], object] = lambda frame: None,
) -> BookFrames:
    """Check a workbook file is safe to parse, then read it: the way to read a file.

    ``limits`` are those of the configuration in force (``config.limits``); without them, the
    limits shipped with mops (never the environment's or a firm's file: only the caller that
    loaded the configuration knows which applies). ``preloaded`` and ``on_sheet`` are as for
    ``read_frames``; a file the background checked against the same limits is not checked again.
    """
    if limits is None:
        limits = Limits(**defaults()["limits"])
    if preloaded is None or preloaded.limits != limits:
        check_workbook_file(
            path, max_uncompressed_mb=limits.max_uncompressed_mb, max_rows=limits.max_rows
        )
    return read_frames(path, preloaded, on_sheet=on_sheet)


def read_frames(
    path: Path | str,
    preloaded: Prefetched | None = None,
    *,
    on_sheet: Callable[[SheetFrame], object] = lambda frame: None,
) -> BookFrames:
    """Read every declared sheet of a workbook into frames, unchecked (``read_book`` checks).

    ``preloaded`` is what ``mops.workbook.prefetch.take`` returned for this file, if anything:
    sheets parsed in the background are used instead of parsing them again, each as soon as it
    is ready. ``on_sheet(frame)`` is called on each sheet's frame once it is complete, while the
    next sheets may still be being parsed.
    """
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        # The parser picks its format by the extension: an .xlsx named .xls would fail.
        raise WorkbookError(text("wrong_extension", suffix=path.suffix), path=path)
    try:
        if preloaded is not None:
            reader, tabs = preloaded.reader, preloaded.tabs
        else:
            reader = fastexcel.read_excel(str(path))
            tabs = list(reader.sheet_names)
        with zipfile.ZipFile(path) as zf, ThreadPoolExecutor(max_workers=1) as pool:
            parts = sheet_parts(zf)
            stamp: dict[str, str] = {}
            if meta.META_SHEET in tabs:
                raw, _ = _load(reader, meta.META_SHEET, preloaded)
                stamp = {str(a): str(b) for a, b in raw.select(raw.columns[:2]).iter_rows() if a}
            wb = identify(stamp, tabs, path)
            if preloaded is not None:
                scanned = preloaded.scans
            else:
                # Runs beside fastexcel's parse: both release the GIL, so it costs little time.
                scan_parts = [p for t, p in parts.items() if t not in meta.HIDDEN_SHEETS]
                scanned = pool.submit(scan_sheets, str(path), scan_parts)

            def load(tab: str) -> tuple[pl.DataFrame, int, int]:
                raw, col0 = _load(reader, tab, preloaded)
                return raw, col0, _row0(zf, parts, tab)

            waiting: list[SheetFrame] = []  # read, not yet completed with the scan

            def finish(frame: SheetFrame) -> None:
                waiting.append(frame)
                # The background parses the next sheets while this thread waits for the scan;
                # parsing here, go on parsing beside the scan and complete the frames after.
                if preloaded is not None or scanned.done():
                    complete()

            def complete() -> None:
                scans = scanned.result()
                while waiting:
                    frame = waiting.pop(0)
                    scan = scans.get(parts.get(frame.tab, ""))
                    if scan is not None:
                        apply_scan(frame, scan)
                    on_sheet(frame)

            sheets, others = recognise_sheets(path, wb, tabs, stamp, load, finish)
            complete()
    except (fastexcel.FastExcelError, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise WorkbookError(text("not_a_workbook"), path=path, hint=str(exc)) from exc
    return BookFrames(path=path, definition=wb, stamp=stamp, sheets=sheets, other_tabs=others)
