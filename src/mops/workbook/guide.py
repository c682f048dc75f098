"""The Guide sheet (說明) of a generated workbook: how to fill it in, column by column.

It is read on screen and on paper, so it is laid out on five columns that fit one A4 page wide:
the long lines (what the workbook is for, the steps, what each sheet is for) sit in cells
merged across the page and wrapped, with the row height they need; the column table below each
sheet wraps its values and help in their own columns.
"""

from __future__ import annotations

import xlsxwriter

from mops import __version__
from mops.i18n import text
from mops.schemas.labels import type_label
from mops.schemas.model import ColType, Lang, Owner
from mops.schemas.registry import ROSTER_SHEET, SCHEMA_VERSION
from mops.schemas.registry import sheet as declared_sheet
from mops.schemas.registry import workbook as declared_workbook
from mops.workbook.page import FONT_SIZE, Formats, header_kind, row_height, set_up_guide_page
from mops.workbook.validations import Lists
from mops.workbook.words import allowed, in_running_text

# Column, type, required, allowed values, help: 112 characters, one A4 page wide at about 90 %.
WIDTHS = (20, 11, 9, 32, 40)
LAST_COL = len(WIDTHS) - 1


def _steps(lists: Lists) -> list[str]:
    """The numbered steps: the general ones, with this workbook's drop-downs after the second."""
    lang = lists.lang
    steps = text("guide.how", lang).split("\n")
    extra = []
    if any(c.type is ColType.PERSON for s in lists.wb.sheets for c in s.columns):
        if lists.roster is not None:
            extra.append(text("guide.how_people_roster", lang, roster=lists.roster.name(lang)))
        elif lists.people:  # the names given when the workbook was written
            extra.append(text("guide.how_people_list", lang))
        else:
            roster = declared_sheet(ROSTER_SHEET)
            extra.append(
                text(
                    "guide.how_people_none",
                    lang,
                    roster=roster.name(lang),
                    file=declared_workbook(roster.workbook).filename,
                )
            )
    example = next(
        (
            c
            for s in lists.wb.sheets
            for c in s.columns
            if lists.ids_of(c) is not None and c.owner is Owner.WORKBOOK
        ),
        None,
    )
    if example is not None:
        extra.append(
            text("guide.how_refs", lang, example=in_running_text(example.label(lang), lang))
        )
    steps[2:2] = extra
    return [f"{i}. {step}" for i, step in enumerate(steps, start=1)]


class _Page:
    """Writes the Guide top to bottom, a row at a time."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.row = 0

    def line(self, s: str, cell_format, *, font_size: float = FONT_SIZE, last_col: int = LAST_COL):
        """One line of text across the page (merged, wrapped), as high as it needs."""
        width = sum(WIDTHS[: last_col + 1])
        height = row_height(s, width, font_size=font_size) + (font_size - FONT_SIZE)
        self.ws.set_row(self.row, height)
        self.ws.merge_range(self.row, 0, self.row, last_col, s, cell_format)
        self.row += 1

    def cells(self, values: list[str], formats: list) -> None:
        """One row of the column table; wrapped, so as high as its fullest cell needs."""
        for c, (value, cell_format) in enumerate(zip(values, formats, strict=True)):
            if value:
                self.ws.write_string(self.row, c, value, cell_format)
        # Excel grows such a row by itself, LibreOffice only to a stored height.
        self.ws.set_row(
            self.row, max(row_height(v, w) for v, w in zip(values, WIDTHS, strict=True))
        )
        self.row += 1

    def gap(self) -> None:
        self.row += 1


def write_guide(book: xlsxwriter.Workbook, fmt: Formats, lists: Lists) -> None:
    """Add the Guide sheet of ``lists.wb`` in ``lists.lang``."""
    wb, lang = lists.wb, lists.lang
    ws = book.add_worksheet(text("guide.guide_sheet", lang))
    for i, width in enumerate(WIDTHS):
        ws.set_column(i, i, width)
    set_up_guide_page(ws, lang)
    page = _Page(ws)
    page.line(wb.title(lang), fmt.title, font_size=16)
    page.line(wb.help_zh if lang is Lang.ZH_TW else wb.help_en, fmt.wrap)
    page.line(
        text("guide.editors", lang) + (wb.editors_zh if lang is Lang.ZH_TW else wb.editors_en),
        fmt.wrap,
    )
    page.gap()
    page.line(text("guide.how_heading", lang), fmt.heading, font_size=13)
    for step in _steps(lists):
        page.line(step, fmt.wrap)
    page.gap()
    page.line(text("guide.legend_heading", lang), fmt.heading, font_size=13)
    for kind in ("required", "optional", "odoo"):
        page.line(text("guide.legend_" + kind, lang), fmt.swatch[kind], last_col=2)
    heads = [
        text("guide." + k, lang)
        for k in ("col_label", "col_type", "col_required", "col_values", "col_help")
    ]
    for sheet in wb.sheets:
        page.gap()
        page.line(sheet.name(lang), fmt.heading, font_size=13)
        page.line(sheet.help(lang), fmt.wrap)  # it names the policy clauses in words
        page.cells(heads, [fmt.guide_header] * len(heads))
        for column in sheet.columns:
            if column.owner is Owner.ODOO:
                source = text("guide.by_odoo", lang)
            else:
                source = text("guide.yes", lang) if column.required else ""
            page.cells(
                [
                    column.label(lang),
                    type_label(column.type, lang),
                    source,
                    allowed(column, wb, lang),
                    column.help(lang),
                ],
                [fmt.label[header_kind(column)], *[fmt.wrap] * 4],
            )
    page.gap()
    page.line(text("guide.stamp", lang, version=SCHEMA_VERSION, mops=__version__), fmt.wrap)
    ws.activate()
