"""The open workbook through xlwings: its values in, results out, nothing through the file.

Excel holds the file while a button runs, with edits perhaps not saved, so the book is read and
written only through xlwings' Book/Sheet/Range objects (the file on disk is never opened). The
surface used is small on purpose: ``book.sheets`` (iterate, index by name, ``add``),
``book.fullname``, ``sheet.name``, ``sheet.used_range`` (``row``, ``column``,
``options(ndim=2).value``), ``sheet.range(address)`` (``value``, ``color``, ``note``,
``add_note``), ``sheet.delete()``, ``sheet.activate()`` and ``book.save()`` (Excel saving its own
file, before a sync reads the folder). The tests drive the entry points with
a fake of exactly this surface.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from mops.i18n import pair, text
from mops.schemas.model import Lang
from mops.validation.annotate import GUIDE, BookAnnotations
from mops.workbook import meta
from mops.workbook.memory import cell_text
from mops.workbook.ooxml.styles import FILL_RGB
from mops.workbook.xlsm import BUTTONS, CONTROL_SHEETS, Button

# Not data: the lists behind the drop-downs (large) and what mops wrote last time.
_SKIPPED = (meta.LISTS_SHEET, *meta.RESULTS_SHEETS)
NOTE_PREFIXES = pair("excel.note_prefix")  # marks the notes mops wrote, in either language
FILL_COLOURS = {k: tuple(int(v[i : i + 2], 16) for i in (2, 4, 6)) for k, v in FILL_RGB.items()}


def path_of(book: Any) -> Path:
    """The file the book stands for (its name alone when it was never saved)."""
    return Path(book.fullname)


def sheet_values(sheet: Any) -> list[list[object]]:
    """The sheet's values as rows from cell A1, as ``mops.read_workbook_values`` takes them."""
    used = sheet.used_range
    values = used.options(ndim=2).value or []
    pad = [None] * (used.column - 1)
    return [[] for _ in range(used.row - 1)] + [pad + list(row) for row in values]


def book_values(book: Any) -> dict[str, list[list[object]]]:
    """Every tab that may hold data, by name."""
    return {s.name: sheet_values(s) for s in book.sheets if s.name not in _SKIPPED}


def language(values: dict[str, list[list[object]]], default: str) -> Lang:
    """The language the workbook was generated in (its stamp), else ``default``."""
    for row in values.get(meta.META_SHEET, []):
        if len(row) >= 2 and row[0] == "mops_lang" and row[1] in ("zh-TW", "en"):
            return Lang(row[1])
    return Lang(default)


def _find(book: Any, names: Sequence[str]) -> Any | None:
    present = {s.name: s for s in book.sheets}
    return next((present[n] for n in names if n in present), None)


def _split(where: str) -> tuple[str, str] | None:
    tab, bang, cell = str(where or "").rpartition("!")
    return (tab, cell) if bang and tab and cell else None


def _record_columns(row: Sequence[object]) -> tuple[int, int] | None:
    """The columns of a results sheet's header row that record mops's marks, if it is one."""
    cells = [str(v) if v is not None else "" for v in row]
    for lang in Lang:
        marked, fill = text("excel.marked_cell", lang), text("excel.original_fill", lang)
        if marked in cells and fill in cells:
            return cells.index(marked), cells.index(fill)
    return None


def clear_previous(book: Any, sheets: Sequence[str] = meta.FINDINGS_SHEETS) -> int:
    """Undo the marks of the previous run, as its results sheet records them; drop the sheet.

    Each marked cell gets its own fill back and loses the note mops gave it (a note someone
    wrote is kept). ``sheets`` are the names the results sheet may have. Returns how many cells
    were restored.
    """
    old = _find(book, sheets)
    if old is None:
        return 0
    rows = sheet_values(old)
    start = next((i for i, r in enumerate(rows) if _record_columns(r)), None)
    restored = 0
    seen: set[tuple[str, str]] = set()
    tabs = {s.name: s for s in book.sheets}
    if start is not None:
        at, fill_at = _record_columns(rows[start])  # type: ignore[misc]
        for row in rows[start + 1 :]:
            where = _split(row[at] if len(row) > at else "")
            if where is None or where in seen or where[0] not in tabs:
                continue
            seen.add(where)
            cell = tabs[where[0]].range(where[1])
            fill = row[fill_at] if len(row) > fill_at else None
            cell.color = _colour(fill) if fill else None
            note = cell.note
            if note is not None and str(note.text).startswith(NOTE_PREFIXES):
                note.delete()
            restored += 1
    old.delete()
    return restored


def _colour(value: object) -> tuple[int, int, int] | None:
    digits = str(value).lstrip("#")
    if len(digits) != 6:
        return None
    return tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def _hex(colour: tuple[int, int, int] | None) -> str:
    return "" if colour is None else "#{:02X}{:02X}{:02X}".format(*colour)


def write_annotations(
    book: Any, marks: BookAnnotations | Any, lang: Lang
) -> dict[tuple[str, str], str]:
    """Paint and annotate the cells, then write the results sheet (after the Guide, or the tab
    ``marks.layout.after`` names).

    Each row of the sheet ends with the cell mops marked for it and the fill that cell had
    before, which the next run gives back (``clear_previous``). Returns the cells painted, with
    their fills before.
    """
    prefix = text("excel.note_prefix", lang)
    tabs = {s.name: s for s in book.sheets}
    fills: dict[tuple[str, str], str] = {}
    for note in marks.notes:
        sheet = tabs.get(note.sheet)
        if sheet is None:
            continue
        cell = sheet.range(note.cell)
        fills[(note.sheet, note.cell)] = _hex(cell.color)
        cell.color = FILL_COLOURS[note.severity]
        if cell.note is None:
            cell.add_note(prefix + note.text)
        elif str(cell.note.text).startswith(prefix):
            cell.note.text = prefix + note.text
        # A note someone wrote stays as it is; the finding is on the results sheet anyway.
    # After the first of the tabs the layout names (the Reconciliation follows the Findings).
    guide = _find(book, marks.layout.after or GUIDE)
    sheet = (
        book.sheets.add(marks.sheet_name, after=guide)
        if guide
        else book.sheets.add(marks.sheet_name)
    )
    table: list[list[object]] = [[marks.layout.title]]
    table += [[label, value] for label, value in marks.layout.summary]
    table.append([])
    table.append(
        [*marks.header, text("excel.marked_cell", lang), text("excel.original_fill", lang)]
    )
    for line in marks.lines:
        where = (line.link_sheet, line.link_cell)
        if where in fills:
            table.append([*line.values, f"{where[0]}!{where[1]}", fills[where]])
        else:
            table.append(list(line.values))
    width = max(len(r) for r in table)
    sheet.range("A1").value = [r + [None] * (width - len(r)) for r in table]
    sheet.activate()
    return fills


def _key_text(value: object) -> str:
    return unicodedata.normalize("NFC", cell_text(value) or "").strip()


def _excel_value(write: Any) -> object:
    value = write.value
    if isinstance(value, Decimal):
        value = float(value)  # Excel holds doubles; Odoo's amounts are rounded to the currency
    if isinstance(value, str) or (write.as_text and value is not None):
        # Excel reads a value set through xlwings as if typed: "=…" would be a formula, "0012"
        # a number, "3/4" a date. A leading apostrophe keeps the text as it is (and is hidden).
        return "'" + str(value)
    return value


def write_cells(book: Any, writes: Sequence[Any]) -> tuple[int, int]:
    """Write pull-back values (``CellWrite``) into the open workbook, each only while its key
    cell still holds the record it was meant for. Returns (written, skipped)."""
    tabs = {s.name: s for s in book.sheets}
    written = skipped = 0
    for write in writes:
        sheet = tabs.get(write.sheet)
        if sheet is None:
            skipped += 1
            continue
        if write.check_cell is not None and _key_text(
            sheet.range(write.check_cell).value
        ) != _key_text(write.check_value or ""):
            skipped += 1  # the rows were sorted or the record deleted since the sync read it
            continue
        sheet.range(write.cell).value = _excel_value(write)
        written += 1
    return written, skipped


def write_status(book: Any, button: Button, message: str) -> None:
    """What the button's last run did, below its help on the control sheet (if there is one)."""
    control = _find(book, CONTROL_SHEETS)
    if control is not None:
        control.range(button.status_cell).value = message


def button(entry: str) -> Button:
    """The control sheet's button that runs this entry point."""
    return next(b for b in BUTTONS if b.entry == entry)
