"""Small facts read straight from an .xlsx package (a zip of XML parts) without a full parse.

Fast readers give a sheet's values and nothing else. What a person (or Excel) left around the
values is read here, from the worksheet XML and its table parts (``scan_sheets``): which cells
hold formulas and whether the file saved their result, which rows total a column (a table's
Total Row, a ``=SUBTOTAL(109, …)`` row), and which cells are merged.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

_FIRST_VALUE_CELL = re.compile(
    rb'<(?:\w+:)?c\b[^>]*\br="[A-Z]+(\d+)"[^>]*>\s*<(?:\w+:)?(?:v|is|f)\b'
)
HEAD_BYTES = 1 << 20  # the first value cell is always near the start of sheetData


def _local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def map_sheets(workbook: Element, rels: Element | None) -> list[tuple[str, str]]:
    """(tab name, worksheet part name) in workbook order, from parsed workbook.xml and its rels.

    Matches by local names, so workbooks written with other namespace prefixes map too, and
    keeps only worksheet relationships (not chartsheets or dialog sheets).
    """
    targets: dict[str, str] = {}
    if rels is not None:
        for rel in rels.iter():
            if _local(rel.tag) == "Relationship" and rel.get("Type", "").endswith("/worksheet"):
                target = rel.get("Target", "")
                if target.startswith("/"):
                    part = target.lstrip("/")
                else:
                    part = posixpath.normpath(posixpath.join("xl", target))
                targets[rel.get("Id", "")] = part
    found = []
    for sheet in workbook.iter():
        if _local(sheet.tag) != "sheet":
            continue
        rel_id = next(
            (v for k, v in sheet.attrib.items() if k.startswith("{") and k.endswith("}id")), ""
        )
        if rel_id in targets:
            found.append((sheet.get("name", targets[rel_id]), targets[rel_id]))
    return found


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Map each tab name to its worksheet part, e.g. ``{'客戶': 'xl/worksheets/sheet2.xml'}``.

    Call it on files that passed ``mops.workbook.safety.check_workbook_file``, which bounds
    the size of these two parts and refuses DTDs in them.
    """
    workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    try:
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        rels = None
    names = {name.lower(): name for name in zf.namelist()}
    # Part names are case-insensitive in a package; use the spelling the zip really has.
    return {tab: names.get(part.lower(), part) for tab, part in map_sheets(workbook, rels)}


def first_value_row(zf: zipfile.ZipFile, part: str) -> int | None:
    """The 1-based row of the first cell holding a value, read from the head of the part.

    Readers built on calamine return a sheet from its first used row; this tells which Excel
    row that is, so findings name the right cell.
    """
    with zf.open(part) as stream:
        head = b""
        while len(head) < HEAD_BYTES:
            chunk = stream.read(64 * 1024)
            if not chunk:
                break
            head += chunk
            match = _FIRST_VALUE_CELL.search(head)
            if match:
                return int(match.group(1))
    return None


_FORMULA_OPEN = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_CELL_TYPE = re.compile(rb'\bt="(\w+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?(?:/>|>([^<]*)<)")
_INLINE = re.compile(rb"<(?:\w+:)?is[\s>]")
_FORMULA = re.compile(rb"<(?:\w+:)?f\b([^>]*?)(?:/>|>([^<]*)<)")
_SHARED_INDEX = re.compile(rb'\bsi="(\d+)"')
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)"')
# A formula that totals a column: SUBTOTAL or AGGREGATE (what Excel's Total Row writes), or a
# SUM/COUNT/AVERAGE/MAX/MIN over several rows of a column or over a whole table column.
_AGGREGATE = re.compile(r"\b(?:SUBTOTAL|AGGREGATE)\s*\(", re.I)
_COLUMN_SUM = re.compile(
    r"\b(?:SUM|COUNTA?|AVERAGE|MAX|MIN)\s*\(\s*(?:[\w.]+!)?\$?([A-Z]{1,3})\$?(\d+)\s*:\s*"
    r"\$?([A-Z]{1,3})\$?(\d+)\s*\)",
    re.I,
)
_TABLE_COLUMN = re.compile(r"\b(?:SUM|COUNTA?|AVERAGE|MAX|MIN)\s*\(\s*\w*\[[^\]@#]+\]\s*\)", re.I)
TABLE_PART_MAX = 1 << 20  # a table part lists its columns; more than this is not a real one


@dataclass
class SheetScan:
    """What the XML of one worksheet says beyond its values.

    ``no_value``: A1 addresses of formulas the file saved no result for (an empty text result,
    ``t="str"`` with an empty ``<v>``, is a result). ``formula_rows``: 0-based column → the
    rows of its formula cells. ``aggregate_rows``: rows holding a formula that totals a column.
    ``totals_rows``: the rows of a table's Total Row. ``merged``: merged ranges as (first row,
    first column, last row, last column), rows 1-based and columns 0-based.
    """

    no_value: list[str] = field(default_factory=list)
    formula_rows: dict[int, list[int]] = field(default_factory=dict)
    aggregate_rows: set[int] = field(default_factory=set)
    totals_rows: set[int] = field(default_factory=set)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


def _may_have_formulas(data: bytes, end: int) -> bool:
    """Whether the cells of a sheet part contain any formula element, cheaply.

    One bytes.find over the cells only (a 50 MB part takes a few hundredths of a second, a
    regular expression a second); data validations after the cells hold ``<formula1>``, which
    is not a cell formula.
    """
    if data.find(b"<f", 0, end) >= 0:
        return True
    # A part that writes the main namespace with a prefix writes <x:f> for formulas.
    return data.find(b"<worksheet", 0, 1024) < 0 and data.find(b":f", 0, end) >= 0


def _letters_index(letters: bytes | str) -> int:
    n = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def _totals_a_column(formula: str) -> bool:
    if _AGGREGATE.search(formula) or _TABLE_COLUMN.search(formula):
        return True
    return any(
        col.upper() == end_col.upper() and row != end_row
        for col, row, end_col, end_row in _COLUMN_SUM.findall(formula)
    )


def _scan_formulas(data: bytes, end: int, scan: SheetScan) -> None:
    shared: dict[bytes, str] = {}  # si → the text of a shared formula's first cell
    for match in _FORMULA_OPEN.finditer(data, 0, end):
        start = max(data.rfind(b"<c ", 0, match.start()), data.rfind(b":c ", 0, match.start()))
        close = data.find(b"c>", match.end())  # </c> or </x:c>
        if start < 0 or close < 0:
            continue
        cell = data[start:close]
        ref = _CELL_REF.search(cell)
        if ref is None:
            continue
        row, col = int(ref[2]), _letters_index(ref[1])
        scan.formula_rows.setdefault(col, []).append(row)
        kind = _CELL_TYPE.search(cell[: cell.find(b">")])
        value = _VALUE.search(cell)
        text_result = kind is not None and kind[1] in (b"str", b"inlineStr")
        if not ((value and value[1]) or (text_result and (value or _INLINE.search(cell)))):
            scan.no_value.append(f"{ref[1].decode()}{row}")
        formula = _FORMULA.search(cell)
        if formula is None:
            continue
        text = (formula[2] or b"").decode("utf-8", "replace")
        index = _SHARED_INDEX.search(formula[1])
        if index is not None:
            text = shared.setdefault(index[1], text) if text else shared.get(index[1], "")
        if text and _totals_a_column(text):
            scan.aggregate_rows.add(row)


def _table_parts(zf: zipfile.ZipFile, part: str, names: dict[str, str]) -> list[str]:
    """The table parts a worksheet part relates to."""
    folder, base = posixpath.split(part)
    rels_name = names.get(posixpath.join(folder, "_rels", base + ".rels").lower())
    if rels_name is None:
        return []
    rels = ElementTree.fromstring(zf.read(rels_name))
    found = []
    for rel in rels.iter():
        if _local(rel.tag) == "Relationship" and rel.get("Type", "").endswith("/table"):
            target = rel.get("Target", "")
            full = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            name = names.get(posixpath.normpath(full).lower())
            if name is not None:
                found.append(name)
    return found


def _totals_rows(zf: zipfile.ZipFile, part: str, names: dict[str, str]) -> set[int]:
    """The rows of the Total Row of every table on a worksheet (``totalsRowCount``)."""
    rows: set[int] = set()
    for name in _table_parts(zf, part, names):
        if zf.getinfo(name).file_size > TABLE_PART_MAX:
            continue
        table = ElementTree.fromstring(zf.read(name))
        count = int(table.get("totalsRowCount", "0") or 0)
        bounds = re.fullmatch(r"\$?[A-Z]+\$?(\d+):\$?[A-Z]+\$?(\d+)", table.get("ref", ""))
        if count > 0 and bounds:
            last = int(bounds[2])
            rows.update(range(last - count + 1, last + 1))
    return rows


def scan_sheet(zf: zipfile.ZipFile, part: str, names: dict[str, str] | None = None) -> SheetScan:
    """Read what the XML of one worksheet part says beyond its values (see ``SheetScan``)."""
    if names is None:
        names = {name.lower(): name for name in zf.namelist()}
    data = zf.read(part)
    end = data.rfind(b"sheetData>")
    end = len(data) if end < 0 else end
    scan = SheetScan()
    if _may_have_formulas(data, end):  # the common case is none at all
        _scan_formulas(data, end, scan)
    if data.find(b"mergeCell", end) >= 0:
        scan.merged = [
            (int(m[2]), _letters_index(m[1]), int(m[4]), _letters_index(m[3]))
            for m in _MERGE.finditer(data, end)
        ]
    scan.totals_rows = _totals_rows(zf, part, names)
    return scan


def scan_sheets(path: str, parts: list[str]) -> dict[str, SheetScan]:
    """``scan_sheet`` of each worksheet part; a part that cannot be read is left out.

    Call it on files that passed ``mops.workbook.safety.check_workbook_file``.
    """
    found: dict[str, SheetScan] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            names = {name.lower(): name for name in zf.namelist()}
            for part in parts:
                try:
                    found[part] = scan_sheet(zf, part, names)
                except (KeyError, ElementTree.ParseError, ValueError):
                    continue
    except (zipfile.BadZipFile, OSError, zlib.error):
        return found
    return found


def formulas_without_value(path: str, parts: list[str]) -> dict[str, list[str]]:
    """A1 addresses of formula cells that carry no cached result, per worksheet part.

    Such a formula reads as blank in every fast reader (its value is computed only when Excel
    recalculates), so it would pass for an empty cell; validation reports it instead. A formula
    whose saved result is empty text (``=IF(B9="","",…)``) has a result: it is a blank cell.
    """
    scans = scan_sheets(path, parts)
    return {part: scan.no_value for part, scan in scans.items() if scan.no_value}
