"""How generated sheets look, on screen and on paper: formats, column widths, page setup.

Widths come from what a column typically holds (an e-mail address, a short ID, a date, a
paragraph) and are widened only as far as the header label needs when it wraps onto the two
lines of the header row. Long text wraps, so a row grows downwards instead of off the page.
Every sheet prints on A4 with the header row repeated and a footer naming the file, the sheet
and the page.
"""

from __future__ import annotations

import math
from functools import lru_cache

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from mops.i18n import text
from mops.schemas.model import DEFAULT_WIDTHS, ColType, Column, Lang, Owner
from mops.workbook.ooxml.cells import display_width

FONT = "Microsoft JhengHei"
FONT_SIZE = 11
LINE_HEIGHT = 15  # points a wrapped line of 11 pt text takes (Excel's default row is 15)
ROW_PADDING = 3  # points above and below the lines of a wrapped cell
MAX_ROW_HEIGHT = 409  # Excel's limit, in points
A4 = 9  # Excel's paper code
HEADER_LINES = 2  # the header row holds a label on up to two lines
FILTER_BUTTON = 3  # the table's filter button covers about three characters of the header
# The smallest print scale a data sheet is fitted to: 11 pt text at 60 % prints at 6.6 pt.
MIN_SCALE = 0.6

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

# A text column that may hold more than this many characters (a company name, a title, a
# paragraph) wraps: on screen and on paper it grows downwards instead of being cut.
LONG_TEXT = 60
# Typical width of a text column by its longest allowed value: codes, IDs, names, titles;
# anything longer (or unbounded) is a paragraph, PARAGRAPH_WIDTH wide.
TEXT_WIDTHS = ((8, 10), (24, 12), (40, 16), (LONG_TEXT, 20), (120, 24))
PARAGRAPH_WIDTH = 30


def header_kind(column: Column) -> str:
    """Which colour a column's header has: required, optional, or filled from Odoo."""
    if column.owner is Owner.ODOO:
        return "odoo"
    return "required" if column.required else "optional"


def _tokens(paragraph: str) -> list[str]:
    """Pieces a line may break between: Latin words (with their trailing space), CJK characters."""
    out: list[str] = []
    word = ""
    for ch in paragraph:
        if ord(ch) > 0x2E80:
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        else:
            word += ch
            if ch == " ":
                out.append(word)
                word = ""
    if word:
        out.append(word)
    return out


def line_count(s: str, width: float) -> int:
    """How many lines ``s`` takes when wrapped in a cell ``width`` characters wide."""
    if "\n" not in s and display_width(s) <= width:
        return 1  # most cells: it fits, whatever the breaks
    lines = 0
    for paragraph in s.split("\n"):
        lines += 1
        used = 0.0
        for token in _tokens(paragraph):
            w = display_width(token.rstrip(" "))
            if used and used + w > width:
                lines += 1
                used = 0.0
            used += display_width(token)
    return lines


@lru_cache(maxsize=4096)  # a sheet repeats its texts: the same note, the same next step
def row_height(s: str, width: float, *, font_size: float = FONT_SIZE) -> float:
    """Points a row needs to show ``s`` wrapped in a cell ``width`` characters wide.

    A merged cell never grows by itself, and LibreOffice does not grow a wrapped one when it
    opens a file, so rows holding either are given this height. A Chinese character of 11 pt
    Microsoft JhengHei is a little wider than two of Excel's character units: a twentieth of
    the width is left spare.
    """
    lines = line_count(s, width * 0.95)
    height = lines * LINE_HEIGHT * font_size / FONT_SIZE + ROW_PADDING
    return round(min(height, MAX_ROW_HEIGHT), 1)


def is_long_text(column: Column) -> bool:
    """Whether a column holds text longer than a short name, wrapped on screen and on paper."""
    return column.type is ColType.TEXT and (
        column.max_length is None or column.max_length > LONG_TEXT
    )


def _typical_width(column: Column, lang: Lang) -> float:
    """The width of what a column usually holds, before the header label is considered."""
    if column.width is not None:
        return column.width
    if column.type is ColType.TEXT:
        limit = column.max_length or math.inf
        return next((w for most, w in TEXT_WIDTHS if limit <= most), PARAGRAPH_WIDTH)
    if column.enum is not None:
        # Room for the longest entry and the drop-down arrow.
        return max(8, max(display_width(x) for x in column.enum.labels(lang)) + 3)
    return DEFAULT_WIDTHS[column.type]


def _label_width(label: str) -> int:
    """The narrowest column that shows ``label`` on the header row's two lines."""
    width = max(display_width(t.rstrip(" ")) for t in _tokens(label))
    while line_count(label, width) > HEADER_LINES:
        width += 1
    return width


def column_width(column: Column, lang: Lang | str) -> float:
    """The width of a data column: its typical content, or its label if that needs more."""
    lang = Lang(lang)
    return float(
        max(_typical_width(column, lang), _label_width(column.label(lang)) + FILTER_BUTTON)
    )


class Formats:
    """The workbook's formats, created once each (xlsxwriter formats belong to one workbook)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        base = {"font_name": FONT, "font_size": FONT_SIZE, "valign": "top"}
        self.body = {t: book.add_format({**base, "num_format": f}) for t, f in NUM_FORMATS.items()}
        self.long_text = book.add_format({**base, "num_format": "@", "text_wrap": True})
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
        self.title = book.add_format({**base, "bold": True, "font_size": 16, "valign": "vcenter"})
        self.heading = book.add_format(
            {**base, "bold": True, "font_size": 13, "valign": "bottom", "bottom": 1}
        )
        self.wrap = book.add_format({**base, "text_wrap": True})
        self.guide_header = book.add_format(
            {**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}
        )
        self.swatch = {
            kind: book.add_format(
                {**base, "bg_color": colour, "font_color": "#FFFFFF", "valign": "vcenter"}
            )
            for kind, colour in HEADER_COLOURS.items()
        }
        self.label = {
            kind: book.add_format(
                {
                    **base,
                    "bold": True,
                    "bg_color": colour,
                    "font_color": "#FFFFFF",
                    "text_wrap": True,
                }
            )
            for kind, colour in HEADER_COLOURS.items()
        }

    def column(self, column: Column):
        """The format of a column's cells: its number format, wrapped for longer text."""
        return self.long_text if is_long_text(column) else self.body[column.type]


def footer(lang: Lang) -> str:
    """File name on the left, sheet in the middle, page of pages on the right."""
    return "&L&F&C&A&R" + text("guide.footer_page", lang)


def print_scale(widths: list[float], pages: int = 1) -> float:
    """The scale (1.0 = 100 %) at which columns of these widths fit ``pages`` A4 landscape pages
    wide.

    A column of width w is about 7w + 5 pixels (Excel's default font), at 96 pixels an inch,
    on the page less the side margins set below.
    """
    page_inches = 11.69 - 0.8
    pixels = sum(w * 7 + 5 for w in widths)
    return min(1.0, pages * page_inches * 96 / pixels)


def pages_wide(widths: list[float]) -> int:
    """How many pages wide a data sheet prints: one, unless that would shrink it below
    MIN_SCALE; then as many as keep it readable, the key column repeated on each."""
    pages = 1
    while print_scale(widths, pages) < MIN_SCALE:
        pages += 1
    return pages


def set_up_data_page(ws: Worksheet, lang: Lang, header_row: int, widths: list[float]) -> None:
    """Print a data sheet on A4 landscape, fitted to the width, the header row on every page.

    One page wide holds up to about 130 characters of columns at full size; a sheet up to
    about 215 fits on one page wide above MIN_SCALE. A wider one (the campaigns' 34 columns)
    would print at a quarter size nobody can read, so it spreads over a few pages wide instead,
    each repeating the key column, printed across then down: the pages of the same rows follow
    each other.
    """
    ws.set_paper(A4)
    ws.set_landscape()
    wide = pages_wide(widths)
    ws.fit_to_pages(wide, 0)  # as many pages down as the rows need
    ws.repeat_rows(header_row)
    if wide > 1:
        ws.repeat_columns(0)
        ws.print_across()
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_footer(footer(lang))
    ws.hide_gridlines(0)  # print the grid: rows are easier to follow across a wide page


def set_up_guide_page(ws: Worksheet, lang: Lang) -> None:
    """Print the Guide on A4 portrait, one page wide."""
    ws.set_paper(A4)
    ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_footer(footer(lang))
