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
import os
import tempfile
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from mops import __version__
from mops.i18n import catalogue, text
from mops.schemas.labels import BOOLEAN_LABELS, type_label
from mops.schemas.model import ColType, Column, EnumDef, Lang, Owner, SheetDef, WorkbookDef
from mops.schemas.registry import SCHEMA_VERSION
from mops.workbook import meta

# Fixed creation time: generated files must not change when nothing declared has changed.
CREATED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
LAST_ROW = 1_048_575  # Excel's last row (0-based); validations cover every row below the header
HEADER_ROW = 0

NUM_FORMATS: dict[ColType, str] = {
    ColType.TEXT: "@",
    ColType.EMAIL: "@",
    ColType.PHONE: "@",  # keep the leading 0 of 02-…/09…
    ColType.REF: "@",
    ColType.PERSON: "@",
    ColType.ENUM: "@",
    ColType.BOOLEAN: "@",
    ColType.INTEGER: "0",
    ColType.NUMBER: "0.0#",
    ColType.MONEY: "#,##0",
    ColType.PERCENT: "0%",
    ColType.DATE: "yyyy-mm-dd",
    ColType.DATETIME: "yyyy-mm-dd hh:mm",
}

HEADER_COLOURS = {
    "required": "#1F4E78",
    "optional": "#5B9BD5",
    "odoo": "#7F7F7F",
}


def _display_width(text: str) -> float:
    """Approximate Excel width of a label: CJK characters take two cells."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _list_name(enum_def: EnumDef) -> str:
    return f"list_{enum_def.key}"


class _Formats:
    """The workbook's formats, created once each (xlsxwriter formats are per workbook)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        base = {"font_name": "Microsoft JhengHei", "font_size": 11, "valign": "top"}
        self.body = {t: book.add_format({**base, "num_format": f}) for t, f in NUM_FORMATS.items()}
        self.header = {
            kind: book.add_format(
                {
                    **base,
                    "bold": True,
                    "font_color": "#FFFFFF",
                    "bg_color": colour,
                    "text_wrap": True,
                    "valign": "vcenter",
                    "border": 1,
                }
            )
            for kind, colour in HEADER_COLOURS.items()
        }
        self.title = book.add_format({**base, "bold": True, "font_size": 16})
        self.heading = book.add_format({**base, "bold": True, "font_size": 13})
        self.wrap = book.add_format({**base, "text_wrap": True})
        self.bold = book.add_format({**base, "bold": True})
        self.guide_header = book.add_format(
            {**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}
        )
        self.swatch = {
            kind: book.add_format({**base, "bg_color": colour, "font_color": "#FFFFFF"})
            for kind, colour in HEADER_COLOURS.items()
        }


def _header_kind(column: Column) -> str:
    if column.owner is Owner.ODOO:
        return "odoo"
    return "required" if column.required else "optional"


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


def _help_comment(column: Column, lang: Lang) -> str:
    """The header comment: what the column holds, whether it is required, and its help."""
    parts = [f"{column.label(lang)}（{type_label(column.type, lang)}）"]
    if column.owner is Owner.ODOO:
        parts.append(text("guide.odoo_owned", lang))
    elif column.required:
        parts.append(text("guide.required", lang))
    if column.enum is not None:
        parts.append(text("guide.choose", lang) + "、".join(column.enum.labels(lang)))
    if column.help(lang):
        parts.append(column.help(lang))
    if column.policy:
        parts.append(text("guide.policy", lang) + " ".join(column.policy))
    return "\n".join(parts)


def _validation(column: Column, lang: Lang, has_people: bool) -> dict | None:
    """The Excel data validation of a column, or None."""
    t = column.type
    common = {"error_title": text("guide.invalid_title", lang)[:32]}
    if t is ColType.ENUM:
        assert column.enum is not None
        return {
            **common,
            "validate": "list",
            "source": "=" + _list_name(column.enum),
            "error_message": text("guide.pick_from_list", lang),
        }
    if t is ColType.BOOLEAN:
        return {
            **common,
            "validate": "list",
            "source": list(BOOLEAN_LABELS[lang]),
            "error_message": text("guide.pick_from_list", lang),
        }
    if t is ColType.PERSON and has_people:
        # A warning, not a stop: a new colleague may not be on the copy of the roster yet.
        return {
            **common,
            "validate": "list",
            "source": "=list_people",
            "error_type": "warning",
            "error_message": text("guide.not_on_roster", lang),
        }
    if t in (ColType.INTEGER, ColType.NUMBER, ColType.MONEY, ColType.PERCENT):
        kind = "integer" if t is ColType.INTEGER else "decimal"
        lo, hi = column.minimum, column.maximum
        if lo is not None and hi is not None:
            rule = {"criteria": "between", "minimum": float(lo), "maximum": float(hi)}
        elif lo is not None:
            rule = {"criteria": ">=", "value": float(lo)}
        elif hi is not None:
            rule = {"criteria": "<=", "value": float(hi)}
        else:
            rule = {"criteria": "between", "minimum": -1e15, "maximum": 1e15}
        return {
            **common,
            "validate": kind,
            **rule,
            "error_message": text("guide.number_expected", lang),
        }
    if t in (ColType.DATE, ColType.DATETIME):
        return {
            **common,
            "validate": "date",
            "criteria": "between",
            "minimum": dt.date(1990, 1, 1),
            "maximum": dt.date(2100, 12, 31),
            "error_message": text("guide.date_expected", lang),
        }
    if t is ColType.TEXT and column.max_length:
        return {
            **common,
            "validate": "length",
            "criteria": "<=",
            "value": column.max_length,
            "error_message": text("guide.too_long", lang, n=column.max_length),
        }
    return None


def _write_data_sheet(
    book: xlsxwriter.Workbook,
    fmt: _Formats,
    sheet: SheetDef,
    lang: Lang,
    rows: Sequence[Mapping[str, object]],
    has_people: bool,
) -> None:
    ws = book.add_worksheet(sheet.name(lang))
    ncols = len(sheet.columns)
    for i, column in enumerate(sheet.columns):
        # Room for the label and the filter button.
        width = max(column.col_width, _display_width(column.label(lang)) + 4)
        ws.set_column(i, i, width, fmt.body[column.type])
    ws.set_row(HEADER_ROW, 33)
    writers = [_cell_writer(c, lang) for c in sheet.columns]
    body = [fmt.body[c.type] for c in sheet.columns]
    keys = [c.key for c in sheet.columns]
    for r, row in enumerate(rows, start=HEADER_ROW + 1):
        for c, key in enumerate(keys):
            value = row.get(key)
            if value is None or value == "":
                continue
            writers[c](ws, r, c, value, body[c])
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
                {"header": c.label(lang), "header_format": fmt.header[_header_kind(c)]}
                for c in sheet.columns
            ],
        },
    )
    for i, column in enumerate(sheet.columns):
        ws.write_comment(
            HEADER_ROW,
            i,
            _help_comment(column, lang),
            {"author": "mops", "x_scale": 2.4, "y_scale": 2.0, "font_name": "Microsoft JhengHei"},
        )
        rule = _validation(column, lang, has_people)
        if rule is not None:
            ws.data_validation(HEADER_ROW + 1, i, LAST_ROW, i, rule)
    ws.freeze_panes(HEADER_ROW + 1, 1)


def _write_guide(book: xlsxwriter.Workbook, fmt: _Formats, wb: WorkbookDef, lang: Lang) -> None:
    ws = book.add_worksheet(text("guide.guide_sheet", lang))
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 14)
    ws.set_column(2, 2, 8)
    ws.set_column(3, 3, 40)
    ws.set_column(4, 4, 60)
    r = 0
    ws.write_string(r, 0, wb.title(lang), fmt.title)
    r += 1
    ws.write_string(r, 0, wb.help_zh if lang is Lang.ZH_TW else wb.help_en, fmt.wrap)
    r += 1
    editors = wb.editors_zh if lang is Lang.ZH_TW else wb.editors_en
    ws.write_string(r, 0, text("guide.editors", lang) + editors)
    r += 2
    ws.write_string(r, 0, text("guide.how_heading", lang), fmt.heading)
    r += 1
    for line in text("guide.how", lang).split("\n"):
        ws.write_string(r, 0, line)
        r += 1
    r += 1
    ws.write_string(r, 0, text("guide.legend_heading", lang), fmt.heading)
    r += 1
    for kind in ("required", "optional", "odoo"):
        ws.write_string(r, 0, text("guide.legend_" + kind, lang), fmt.swatch[kind])
        r += 1
    r += 1
    heads = [
        text("guide." + k, lang)
        for k in ("col_label", "col_type", "col_required", "col_values", "col_help")
    ]
    for sheet in wb.sheets:
        ws.write_string(r, 0, sheet.name(lang), fmt.heading)
        policy = (
            ("  " + text("guide.policy", lang) + " ".join(sheet.policy)) if sheet.policy else ""
        )
        ws.write_string(r, 1, sheet.help(lang) + policy)
        r += 1
        for c, head in enumerate(heads):
            ws.write_string(r, c, head, fmt.guide_header)
        r += 1
        for column in sheet.columns:
            ws.write_string(r, 0, column.label(lang), fmt.bold)
            ws.write_string(r, 1, type_label(column.type, lang))
            if column.owner is Owner.ODOO:
                ws.write_string(r, 2, text("guide.by_odoo", lang))
            elif column.required:
                ws.write_string(r, 2, text("guide.yes", lang))
            ws.write_string(r, 3, _allowed(column, lang), fmt.wrap)
            if column.help(lang):
                ws.write_string(r, 4, column.help(lang), fmt.wrap)
            r += 1
        r += 1
    ws.write_string(r, 0, text("guide.stamp", lang, version=SCHEMA_VERSION, mops=__version__))
    ws.activate()


def _allowed(column: Column, lang: Lang) -> str:
    """What may go in a column, for the Guide sheet."""
    if column.enum is not None:
        return "、".join(column.enum.labels(lang))
    if column.type is ColType.BOOLEAN:
        return "、".join(BOOLEAN_LABELS[lang])
    if column.type is ColType.REF:
        return text("guide.ref_to", lang, target=column.ref)
    parts = []
    if column.minimum is not None:
        parts.append(f"≥ {column.minimum}")
    if column.maximum is not None:
        parts.append(f"≤ {column.maximum}")
    if column.max_length:
        parts.append(text("guide.max_chars", lang, n=column.max_length))
    example = catalogue().get(f"guide.examples.{column.type.value}")
    example = example and example[1 if Lang(lang) is Lang.EN else 0]
    if example:
        parts.append(example)
    return "；".join(parts)


def _write_lists(
    book: xlsxwriter.Workbook, wb: WorkbookDef, lang: Lang, people: Sequence[str]
) -> None:
    ws = book.add_worksheet(meta.LISTS_SHEET)
    lists: list[tuple[str, str, list[str]]] = [
        (_list_name(e), e.key, e.labels(lang)) for e in wb.enums()
    ]
    if people:
        lists.append(("list_people", "people", list(people)))
    for c, (name, key, values) in enumerate(lists):
        ws.write_string(0, c, key)
        for r, value in enumerate(values, start=1):
            ws.write_string(r, c, value)
        letter = xl_col_to_name(c)
        book.define_name(name, f"={meta.LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}")
    ws.hide()


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
) -> Path:
    """Write the workbook ``wb`` to ``path``, blank or with ``rows`` (sheet key → row dicts).

    Row values use the declared Python types (enum option keys, ``Decimal``, ``date``, ``bool``);
    anything else is written verbatim as text. ``people`` fills the drop-down of person columns
    (the roster's names). The file is written to a temporary name and renamed, so a failure
    never leaves a half-written workbook behind.
    """
    lang = Lang(lang)
    path = Path(path)
    rows = rows or {}
    unknown = set(rows) - {s.key for s in wb.sheets}
    if unknown:
        raise ValueError(f"{wb.key}: no such sheets: {', '.join(sorted(unknown))}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".mops-", suffix=".xlsx", dir=path.parent)
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
                "subject": wb.title(Lang.EN if lang is Lang.ZH_TW else Lang.ZH_TW),
                "author": "mops",
                "company": "mops",
                "comments": text("guide.generated_by", lang),
                "created": CREATED,
            }
        )
        for key, value in meta.stamp(wb, lang).items():
            book.set_custom_property(key, value)
        fmt = _Formats(book)
        _write_guide(book, fmt, wb, lang)
        for sheet in wb.sheets:
            _write_data_sheet(book, fmt, sheet, lang, rows.get(sheet.key, ()), bool(people))
        _write_lists(book, wb, lang, people)
        _write_meta(book, wb, lang)
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
