"""Write a declared workbook as a real Excel file: blank templates, and the demo data set.

Everything about the layout comes from the declarations in ``mops.schemas``: sheet names, header
labels, drop-downs, formats, widths, comments and the Guide sheet. The output is byte-for-byte
deterministic for the same declarations, language and rows, so generated templates can be
committed and checked for drift.

xlsxwriter is used rather than openpyxl because it writes about twice as fast, supports every
feature the templates need (tables, validations, comments, custom properties), and never turns a
string into a formula: every text cell is written with ``write_string``.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from mops.i18n import text
from mops.schemas.labels import BOOLEAN_LABELS
from mops.schemas.model import ColType, Column, Lang, SheetDef, WorkbookDef
from mops.workbook import meta
from mops.workbook.guide import write_guide
from mops.workbook.page import (
    FONT,
    LINE_HEIGHT,
    NUM_FORMATS,
    ROW_PADDING,
    Formats,
    column_width,
    header_kind,
    is_long_text,
    line_count,
    row_height,
    set_up_data_page,
)
from mops.workbook.validations import Lists, define_hidden_lists, validation
from mops.workbook.words import help_comment

# Fixed creation time: generated files must not change when nothing declared has changed.
CREATED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
LAST_ROW = 1_048_575  # Excel's last row (0-based); validations cover every row below the header
HEADER_ROW = 0
COMMENT_CHARS = 40  # characters a line of a header comment holds
COMMENT_LINE = 15  # pixels a line of a header comment takes

__all__ = ["NUM_FORMATS", "write_workbook"]


def _cell_writer(column: Column, lang: Lang):
    """A function (sheet, row, col, value, fmt) that writes one value of this column.

    Values of the declared Python type are written typed; anything else is written verbatim
    as text, so a mistyped value (a date typed as text, an unknown enum entry) survives as is.
    """
    t = column.type
    if t is ColType.ENUM:
        assert column.enum is not None
        labels = {o.key: o.label(lang) for o in column.enum.options}

        def write_enum(ws, r, c, v, f):
            ws.write_string(r, c, labels.get(v, str(v)), f)

        return write_enum
    if t is ColType.BOOLEAN:
        yes, no = BOOLEAN_LABELS[lang]

        def write_bool(ws, r, c, v, f):
            if isinstance(v, bool):
                ws.write_string(r, c, yes if v else no, f)
            else:
                ws.write_string(r, c, str(v), f)

        return write_bool
    if t in (ColType.DATE, ColType.DATETIME):

        def write_when(ws, r, c, v, f):
            if isinstance(v, dt.datetime | dt.date):
                ws.write_datetime(r, c, v, f)
            else:
                ws.write_string(r, c, str(v), f)

        return write_when
    if t in (ColType.INTEGER, ColType.NUMBER, ColType.MONEY, ColType.PERCENT):

        def write_num(ws, r, c, v, f):
            if isinstance(v, int | float | Decimal) and not isinstance(v, bool):
                ws.write_number(r, c, v, f)
            else:
                ws.write_string(r, c, str(v), f)

        return write_num

    def write_text(ws, r, c, v, f):
        ws.write_string(r, c, str(v), f)

    return write_text


def _comment_options(comment: str) -> dict:
    """A comment box wide enough for about 40 characters a line, and as high as its lines."""
    lines = line_count(comment, COMMENT_CHARS)
    return {
        "author": "mops",
        "x_scale": 2.4,
        "y_scale": round(max(1.5, (lines * COMMENT_LINE + 8) / 74), 2),  # 74 px: the default box
        "font_name": FONT,
        "font_size": 9,
    }


def _write_data_sheet(
    book: xlsxwriter.Workbook,
    fmt: Formats,
    sheet: SheetDef,
    lists: Lists,
    rows: Sequence[Mapping[str, object]],
) -> None:
    lang = lists.lang
    ws = book.add_worksheet(sheet.name(lang))
    ncols = len(sheet.columns)
    body = [fmt.column(c) for c in sheet.columns]
    widths = [column_width(c, lang) for c in sheet.columns]
    for i, width in enumerate(widths):
        ws.set_column(i, i, width, body[i])
    ws.set_row(HEADER_ROW, 33)  # two lines of label
    writers = [_cell_writer(c, lang) for c in sheet.columns]
    keys = [c.key for c in sheet.columns]
    wrapped = [(c, widths[c]) for c, column in enumerate(sheet.columns) if is_long_text(column)]
    for r, row in enumerate(rows, start=HEADER_ROW + 1):
        for c, key in enumerate(keys):
            value = row.get(key)
            if value is None or value == "":
                continue
            writers[c](ws, r, c, value, body[c])
        # LibreOffice does not grow a row to its wrapped text when it opens a file; Excel
        # keeps growing it as people type.
        height = max((row_height(str(row.get(keys[c]) or ""), w) for c, w in wrapped), default=0)
        if height > LINE_HEIGHT + ROW_PADDING:
            ws.set_row(r, height)
    last = HEADER_ROW + max(len(rows), 1)  # a table needs at least one data row
    ws.add_table(
        HEADER_ROW,
        0,
        last,
        ncols - 1,
        {
            "name": sheet.table_name,
            "style": "Table Style Light 9",
            "columns": [
                {"header": c.label(lang), "header_format": fmt.header[header_kind(c)]}
                for c in sheet.columns
            ],
        },
    )
    for i, column in enumerate(sheet.columns):
        comment = help_comment(column, lists.wb, lang)
        ws.write_comment(HEADER_ROW, i, comment, _comment_options(comment))
        rule = validation(column, lists)
        if rule is not None:
            ws.data_validation(HEADER_ROW + 1, i, LAST_ROW, i, rule)
    ws.freeze_panes(HEADER_ROW + 1, 1)
    set_up_data_page(ws, lang, HEADER_ROW, widths)


def _write_meta(book: xlsxwriter.Workbook, wb: WorkbookDef, lang: Lang) -> None:
    ws = book.add_worksheet(meta.META_SHEET)
    for r, (key, value) in enumerate(meta.stamp(wb, lang).items()):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, value)
    ws.hide()


def write_workbook(
    wb: WorkbookDef,
    path: Path | str,
    *,
    lang: Lang | str = Lang.ZH_TW,
    rows: Mapping[str, Sequence[Mapping[str, object]]] | None = None,
    people: Sequence[str] = (),
    vba_project: bytes | None = None,
    front: Callable[[xlsxwriter.Workbook, Formats, Lang], Worksheet] | None = None,
) -> Path:
    """Write the workbook ``wb`` to ``path``, blank or with ``rows`` (sheet key → row dicts).

    Row values use the declared Python types (enum option keys, ``Decimal``, ``date``, ``bool``);
    anything else is written verbatim as text. ``people`` fills the drop-down of person columns
    (the roster's names) in a workbook without the roster sheet; in ``staff.xlsx`` the
    drop-down is the roster sheet's name column itself. The file is written to a temporary name
    and renamed, so a failure never leaves a half-written workbook behind.

    ``vba_project`` (the bytes of an ``xl/vbaProject.bin``) makes a macro workbook, for a path
    ending in .xlsm; ``front`` writes sheets placed before the Guide (the finance workbook's
    control sheet with its buttons) and returns the sheet the workbook opens on.
    """
    lang = Lang(lang)
    path = Path(path)
    rows = rows or {}
    unknown = set(rows) - {s.key for s in wb.sheets}
    if unknown:
        raise ValueError(f"{wb.key}: no such sheets: {', '.join(sorted(unknown))}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".mops-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        book = xlsxwriter.Workbook(
            tmp_name,
            {
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        book.set_properties(
            {
                "title": wb.title(lang),
                "subject": text("guide.subject", lang),
                "author": "mops",
                "company": "mops",
                "comments": text("guide.generated_by", lang)
                + " "
                + (wb.help_zh if lang is Lang.ZH_TW else wb.help_en),
                "created": CREATED,
            }
        )
        for key, value in meta.stamp(wb, lang).items():
            book.set_custom_property(key, value)
        fmt = Formats(book)
        lists = Lists(wb, lang, tuple(people))
        if vba_project is not None:
            book.add_vba_project(io.BytesIO(vba_project), is_stream=True)
        opening = front(book, fmt, lang) if front is not None else None
        write_guide(book, fmt, lists)
        for sheet in wb.sheets:
            _write_data_sheet(book, fmt, sheet, lists, rows.get(sheet.key, ()))
        define_hidden_lists(book, lists)
        lists.define(book, HEADER_ROW)
        _write_meta(book, wb, lang)
        if opening is not None:
            opening.activate()  # the workbook opens on the front sheet, not on the Guide
        book.close()
        # mkstemp creates the file private (0600); give it the mode a plain file would have.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_name, 0o666 & ~umask)
        os.replace(tmp_name, path)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    return path
