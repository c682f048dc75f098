"""Write the sync's pull-back (Odoo ids, stages, Odoo-side edits) into the workbooks.

``write_pull_back`` takes the ``CellValue`` list of a sync run, reads each workbook once with the
reader validation uses (``mops.workbook.frames``: tabs and headers in zh-TW, English or key form)
to find the tab of each declared sheet and the column letter of each declared column, and writes
each file with ``mops.workbook.cell_values.write_values``. Every write is guarded by the row's
primary key: if the key cell of that row no longer holds the key the sync read (rows sorted or
deleted since), the value is not written.

Values are written as a generated workbook shows them (``mops.workbook.writer``): an enum
option key becomes its label and a yes/no value its 是/否 (Yes/No) label, in the workbook's
language; other values are written as they are.

What cannot be written (a sheet or column the workbook lacks, a key that moved, a formula
cell, a value no cell can hold) becomes a ``PullBackProblem`` in both languages; nothing is
raised for those. A ``WorkbookError`` (the file is open in Excel, damaged, unreadable) is
raised, and the files after it in ``cells`` are not written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from mops.config import Limits
from mops.errors import WorkbookError
from mops.i18n import catalogue, pair
from mops.records import Bilingual
from mops.schemas.labels import BOOLEAN_LABELS
from mops.schemas.model import ColType, Column, Lang, SheetDef, normalize_label
from mops.schemas.registry import sheet as declared_sheet
from mops.syncing.plan import CellValue
from mops.workbook.cell_values import CellWrite, write_values
from mops.workbook.frames import BookFrames, SheetFrame, read_book

__all__ = ["PlacedValues", "PullBackProblem", "PullBackResult", "place_values", "write_pull_back"]

_WRITABLE = (type(None), bool, int, float, Decimal, str, dt.date)


@dataclass(frozen=True)
class PullBackProblem(Bilingual):
    """A pull-back value not written: where, why (code), and what to do, in both languages."""

    file: str
    sheet: str  # the tab as found in the file (the declared name if the tab is missing)
    cell: str | None  # None when a whole sheet or column is missing
    code: str
    message_zh: str
    message_en: str


@dataclass
class PullBackResult:
    """What the pull-back did to one workbook file."""

    file: str
    backup: Path | None  # None when nothing was written
    written: int
    unchanged: int
    problems: list[PullBackProblem] = field(default_factory=list)


def write_pull_back(
    cells: Sequence[CellValue],
    *,
    limits: Limits,
    backup_dir: Path | None = None,
    now: dt.datetime | None = None,
    keep_going: bool = False,
) -> list[PullBackResult]:
    """Write the pull-back values into their workbooks: one read and one write per file.

    A WorkbookError (open in Excel, damaged) is raised; with ``keep_going`` it becomes that
    file's problem instead and the other files are still written (the values come back at the
    next sync, since they are computed every time).
    """
    by_file: dict[str, list[CellValue]] = {}
    for cell in cells:
        by_file.setdefault(cell.file, []).append(cell)
    results = []
    for file, group in by_file.items():
        try:
            results.append(_write_file(file, group, limits, backup_dir=backup_dir, now=now))
        except WorkbookError as exc:
            if not keep_going:
                raise
            zh, en = pair("sync.pullback.workbook")
            problem = PullBackProblem(file, "", None, "workbook", f"{exc} {zh}", f"{exc} {en}")
            results.append(PullBackResult(file, None, 0, 0, [problem]))
    return results


def _problem(code: str, file: str, tab: str, cell: str | None, **params: Any) -> PullBackProblem:
    zh, en = pair(f"sync.pullback.{code}")
    name = Path(file).name
    return PullBackProblem(
        file=file,
        sheet=tab,
        cell=cell,
        code=code,
        message_zh=zh.format(file=name, tab=tab, cell=cell, **params),
        message_en=en.format(file=name, tab=tab, cell=cell, **params),
    )


def _shown(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value)


def _book_lang(book: BookFrames) -> Lang:
    """The language the workbook shows: its stamp, else the language most headers are in."""
    try:
        return Lang(book.stamp.get("mops_lang", ""))
    except ValueError:
        pass
    votes = 0
    for frame in book.sheets.values():
        for key, label in frame.labels.items():
            column = frame.definition.column(key)
            folded = normalize_label(label)
            if folded == normalize_label(column.en) != normalize_label(column.zh):
                votes += 1
            elif folded == normalize_label(column.zh):
                votes -= 1
    return Lang.EN if votes > 0 else Lang.ZH_TW


def _cell_value(column: Column, value: Any, lang: Lang) -> Any:
    """The value as a generated workbook writes it: enum labels and yes/no labels as text."""
    if column.type is ColType.ENUM and column.enum is not None and isinstance(value, str):
        for option in column.enum.options:
            if option.key == value:
                return option.label(lang)
    if column.type is ColType.BOOLEAN and isinstance(value, bool):
        yes, no = BOOLEAN_LABELS[lang]
        return yes if value else no
    return value


def _column_label(definition: SheetDef | None, key: str, lang: Lang) -> str:
    if definition is None:
        return key
    try:
        return definition.column(key).label(lang)
    except KeyError:
        return key


@dataclass
class PlacedValues:
    """Pull-back values placed on a workbook read: the cell writes, and what could not be placed."""

    writes: list[CellWrite]
    origin: dict[int, tuple[int, CellValue]]  # id of a write → its pull-back and its index
    missing: list[PullBackProblem]  # whole sheets or columns the workbook lacks
    problems: list[tuple[int, PullBackProblem]]  # single values, with their pull-back's index


def place_values(file: str, book: BookFrames, cells: Sequence[CellValue]) -> PlacedValues:
    """Where each pull-back value of ``file`` goes in ``book`` (read from the file or from an
    open workbook), as the workbook shows it, each guarded by its row's key cell."""
    lang = _book_lang(book)
    problems: list[tuple[int, PullBackProblem]] = []  # with the index of their pull-back
    missing: dict[tuple[str, str, str], int] = {}  # (code, tab, column label) → cells
    writes: list[CellWrite] = []
    origin: dict[int, tuple[int, CellValue]] = {}  # id of a write → its pull-back
    for index, cell in enumerate(cells):
        frame: SheetFrame | None = book.sheets.get(cell.sheet)
        if frame is None:
            try:
                tab = declared_sheet(cell.sheet).name(lang)
            except KeyError:
                tab = cell.sheet
            missing[("no_sheet", tab, "")] = missing.get(("no_sheet", tab, ""), 0) + 1
            continue
        definition = frame.definition
        pk = definition.primary_key
        if cell.column not in frame.columns or pk is None or pk not in frame.columns:
            code, key = (
                ("no_column", cell.column)
                if cell.column not in frame.columns
                else ("no_key_column", pk or "")
            )
            label = frame.labels.get(key) or _column_label(definition, key, lang)
            where = (code, frame.tab, label)
            missing[where] = missing.get(where, 0) + 1
            continue
        value = cell.value
        if not isinstance(value, _WRITABLE):
            # A reference to a record not created yet (a dry run's {"$ref": …}), or a list.
            ref = value.get("$ref") if isinstance(value, dict) else None
            problem = _problem(
                "not_created" if ref else "bad_value",
                file,
                frame.tab,
                frame.cell(cell.column, cell.row),
                key=ref,
                value=_shown(value),
            )
            problems.append((index, problem))
            continue
        write = CellWrite(
            sheet=frame.tab,
            cell=frame.cell(cell.column, cell.row),
            value=_cell_value(definition.column(cell.column), value, lang),
            as_text=cell.as_text,
            check_cell=frame.cell(pk, cell.row),
            check_value=cell.key,
        )
        writes.append(write)
        origin[id(write)] = (index, cell)
    found = [
        _problem(code, file, tab, None, count=count, column=label)
        for (code, tab, label), count in missing.items()
    ]
    return PlacedValues(writes, origin, found, problems)


def _write_file(
    file: str,
    cells: list[CellValue],
    limits: Limits,
    *,
    backup_dir: Path | None,
    now: dt.datetime | None,
) -> PullBackResult:
    path = Path(file)
    placed = place_values(file, read_book(path, limits), cells)
    writes, origin, problems = placed.writes, placed.origin, placed.problems
    # Whole sheets and columns first, then single cells in the order of the pull-back.
    found = placed.missing
    if not writes:
        problems.sort(key=lambda pair: pair[0])
        return PullBackResult(file, None, 0, 0, found + [p for _, p in problems])
    result = write_values(path, writes, backup_dir=backup_dir, now=now)
    for write, reason in result.refused:
        index, cell = origin[id(write)]
        problem = _problem(
            reason if f"sync.pullback.{reason}" in catalogue() else "bad_value",
            file,
            write.sheet,
            write.cell,
            key=cell.key,
            value=_shown(cell.value),
            count=1,
            column=write.cell,
        )
        problems.append((index, problem))
    problems.sort(key=lambda pair: pair[0])
    return PullBackResult(
        file, result.backup, result.written, result.unchanged, found + [p for _, p in problems]
    )
