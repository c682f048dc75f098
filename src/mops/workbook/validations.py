"""The drop-downs, tips and warnings of a generated workbook's cells (Excel data validation).

Where ``mops validate`` reads more than the form Excel knows, the cell warns or informs rather
than refuses: a date typed the Minguo way (``115/11/26``, which the Guide invites), an amount
typed ``NT$120,000``, a number out of its range (mops reports it, with the rule), a name not yet
on the copy of the roster, an ID whose row is not typed yet. Closed lists (enums, 是/否) and
text lengths refuse: the list is the form, and mops refuses a longer text too. The grey columns
mops fills from Odoo get no drop-down, only a tip.

Lists: enum labels on the hidden ``_lists`` sheet; IDs from the key column of their own sheet
when it is in the same workbook; staff names from the roster sheet when the workbook has it,
else from the hidden list written from ``people``. A list over a sheet's column is a defined name
``OFFSET(first cell, 0, 0, COUNTA(column) - 1)``, so it grows with the rows people add.
(A structured reference such as ``tbl_roster[姓名]`` would too, but LibreOffice does not
resolve one inside a defined name.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from mops.i18n import text
from mops.schemas.labels import BOOLEAN_LABELS
from mops.schemas.model import ColType, Column, EnumDef, Lang, Owner, SheetDef, WorkbookDef
from mops.schemas.registry import ROSTER_NAME_COLUMN, ROSTER_SHEET
from mops.schemas.registry import sheet as declared_sheet
from mops.workbook import meta
from mops.workbook.words import NUMERIC, number_message, tip

PEOPLE_LIST = "list_people"
# Excel's limits: a validation's title 32 characters, its message 255.
TITLE_MAX = 32
MESSAGE_MAX = 255
# Bounds of a date cell: any real date a record of the firm can carry.
FIRST_DATE = dt.date(1990, 1, 1)
LAST_DATE = dt.date(2100, 12, 31)


def enum_list(enum_def: EnumDef) -> str:
    """The defined name of an enum's labels."""
    return f"list_{enum_def.key}"


def id_list(sheet: SheetDef) -> str:
    """The defined name of a sheet's record keys."""
    return f"ids_{sheet.key}"


def _clip(s: str, limit: int) -> str:
    return s if len(s) <= limit else s[: limit - 1] + "…"


def column_list(sheet: SheetDef, column_key: str, lang: Lang, header_row: int) -> str:
    """A formula for the filled cells of one column of a data sheet, growing with its rows."""
    letter = xl_col_to_name([c.key for c in sheet.columns].index(column_key))
    tab = "'" + sheet.name(lang).replace("'", "''") + "'"  # always quoted: any name works
    first = header_row + 2  # 1-based row of the first record
    return (
        f"=OFFSET({tab}!${letter}${first},0,0,"
        f"MAX(1,COUNTA({tab}!${letter}:${letter})-{header_row + 1}),1)"
    )


@dataclass(frozen=True)
class Lists:
    """Which lists a workbook offers: the roster's names, the IDs of the sheets it holds.

    ``names`` are the roster's names the workbook is written with (the demo's), if any.
    """

    wb: WorkbookDef
    lang: Lang
    names: tuple[str, ...] = ()

    @property
    def roster(self) -> SheetDef | None:
        """The roster sheet, when this workbook holds it."""
        return next((s for s in self.wb.sheets if s.key == ROSTER_SHEET), None)

    @property
    def people(self) -> bool:
        """Whether person columns have names to offer: from the roster sheet, or as given."""
        return self.roster is not None or bool(self.names)

    @property
    def hidden_names(self) -> list[str]:
        """The names copied onto the hidden sheet: none where the roster sheet itself is."""
        return [] if self.roster is not None else list(self.names)

    def ids_of(self, column: Column) -> SheetDef | None:
        """The sheet of this workbook a REF column's drop-down lists the IDs of, if any."""
        if column.ref is None:
            return None
        target = declared_sheet(column.ref.partition(".")[0])
        return target if self.wb.holds(target) else None

    def referenced(self) -> list[SheetDef]:
        """The sheets whose IDs some column of this workbook lists, each once."""
        seen: dict[str, SheetDef] = {}
        for s in self.wb.sheets:
            for c in s.columns:
                target = self.ids_of(c)
                if target is not None and c.owner is Owner.WORKBOOK:
                    seen.setdefault(target.key, target)
        return list(seen.values())

    def define(self, book: xlsxwriter.Workbook, header_row: int) -> None:
        """Define the names of the lists that live on the data sheets (IDs, roster names)."""
        for target in self.referenced():
            assert target.primary_key is not None
            book.define_name(
                id_list(target), column_list(target, target.primary_key, self.lang, header_row)
            )
        if self.roster is not None:
            book.define_name(
                PEOPLE_LIST, column_list(self.roster, ROSTER_NAME_COLUMN, self.lang, header_row)
            )


def define_hidden_lists(book: xlsxwriter.Workbook, lists: Lists) -> None:
    """Write the enum labels (and the names given, if any) on the hidden ``_lists`` sheet."""
    ws = book.add_worksheet(meta.LISTS_SHEET)
    named = [(enum_list(e), e.key, e.labels(lists.lang)) for e in lists.wb.enums()]
    if lists.hidden_names:
        named.append((PEOPLE_LIST, "people", lists.hidden_names))
    for c, (name, key, values) in enumerate(named):
        ws.write_string(0, c, key)
        for r, value in enumerate(values, start=1):
            ws.write_string(r, c, value)
        letter = xl_col_to_name(c)
        book.define_name(name, f"={meta.LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}")
    ws.hide()


def validation(column: Column, lists: Lists) -> dict | None:
    """The Excel data validation of a column's cells, or None."""
    lang = lists.lang
    rule = _rule(column, lists)
    message = tip(column, lists.wb, lang)
    if rule is None and not message:
        return None
    rule = rule or {"validate": "any"}
    if message:
        rule["input_title"] = _clip(column.label(lang), TITLE_MAX)
        rule["input_message"] = _clip(message, MESSAGE_MAX)
    if "error_message" in rule:
        rule["error_message"] = _clip(rule["error_message"], MESSAGE_MAX)
        title = (
            "guide.invalid_title"
            if rule.get("error_type", "stop") == "stop"
            else "guide.check_title"
        )
        rule["error_title"] = _clip(text(title, lang), TITLE_MAX)
    return rule


def _rule(column: Column, lists: Lists) -> dict | None:
    """What a column's cells accept, and what they say when a value is not that."""
    lang = lists.lang
    t = column.type
    if column.owner is Owner.ODOO:
        return None  # mops writes these cells; a tip says so, no drop-down invites typing
    if t is ColType.ENUM:
        assert column.enum is not None
        return {
            "validate": "list",
            "source": "=" + enum_list(column.enum),
            "error_message": text("guide.pick_from_list", lang),
        }
    if t is ColType.BOOLEAN:
        return {
            "validate": "list",
            "source": list(BOOLEAN_LABELS[lang]),
            "error_message": text("guide.pick_from_list", lang),
        }
    if t is ColType.PERSON and lists.people:
        # A warning, not a stop: a new colleague may not be on the list yet.
        return {
            "validate": "list",
            "source": "=" + PEOPLE_LIST,
            "error_type": "warning",
            "error_message": text("guide.not_on_roster", lang),
        }
    target = lists.ids_of(column)
    if target is not None:
        # A warning: the record may be typed on its own sheet a moment later.
        return {
            "validate": "list",
            "source": "=" + id_list(target),
            "error_type": "warning",
            "error_message": text("guide.not_in_sheet", lang, sheet=target.name(lang)),
        }
    if t in NUMERIC:
        return _number_rule(column, lang)
    if t in (ColType.DATE, ColType.DATETIME):
        # Information, not a stop: a Minguo date (115/11/26) is text to Excel but a date to
        # mops, and the Guide invites it. Anything else gets the same gentle note, and
        # mops validate reports it.
        return {
            "validate": "date",
            "criteria": "between",
            "minimum": FIRST_DATE,
            "maximum": LAST_DATE,
            "error_type": "information",
            "error_message": text(f"guide.{t.value}_expected", lang),
        }
    if t is ColType.TEXT and column.max_length:
        return {
            "validate": "length",
            "criteria": "<=",
            "value": column.max_length,
            "error_message": text("guide.too_long", lang, n=column.max_length),
        }
    return None


def _number_rule(column: Column, lang: Lang) -> dict:
    """A number cell: in its range, warned (mops also reads ``NT$120,000``, ``12萬``, ``３０``)."""
    lo, hi = column.minimum, column.maximum
    if lo is not None and hi is not None:
        bounds = {"criteria": "between", "minimum": float(lo), "maximum": float(hi)}
    elif lo is not None:
        bounds = {"criteria": ">=", "value": float(lo)}
    elif hi is not None:
        bounds = {"criteria": "<=", "value": float(hi)}
    else:
        bounds = {"criteria": "between", "minimum": -1e15, "maximum": 1e15}
    return {
        "validate": "integer" if column.type is ColType.INTEGER else "decimal",
        **bounds,
        "error_type": "warning",
        "error_message": number_message(column, lang),
    }
