"""Cell addresses (``"D17"`` and back), quoted sheet names, and text as Excel measures it."""

from __future__ import annotations

import re

MAX_CELL_TEXT = 32767  # Excel's limit for a cell or a comment
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})$")


def parse_ref(ref: str) -> tuple[int, int]:
    """``"D17"`` → (17, 4): 1-based row and column."""
    m = _REF.match(ref.strip())
    if not m:
        raise ValueError(f"not a cell address: {ref!r}")
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    row = int(m.group(2))
    if col > 16384 or row > 1048576:
        raise ValueError(f"outside the sheet: {ref!r}")
    return row, col


def col_name(col: int) -> str:
    name = ""
    while col:
        col, rem = divmod(col - 1, 26)
        name = chr(65 + rem) + name
    return name


def cell_ref(row: int, col: int) -> str:
    return f"{col_name(col)}{row}"


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


_WIDE = re.compile("[\u2e81-\U0010ffff]")  # CJK and beyond: two character units wide


def display_width(s: str) -> int:
    """Approximate width of text in Excel's character units: CJK characters take two."""
    return len(s) if s.isascii() else len(s) + len(_WIDE.findall(s))


def utf16_len(s: str) -> int:
    """Length as Excel counts it (UTF-16 code units)."""
    return len(s) + sum(1 for ch in s if ord(ch) > 0xFFFF)
