"""Small facts read straight from an .xlsx package (a zip of XML parts) without a full parse."""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
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
_CELL_REF = re.compile(rb'\br="([A-Z]+\d+)"')
_HAS_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")


def _may_have_formulas(data: bytes) -> bool:
    """Whether the cells of a sheet part contain any formula element, cheaply.

    One bytes.find over the cells only (a 50 MB part takes a few hundredths of a second, a
    regular expression a second); data validations after the cells hold ``<formula1>``, which
    is not a cell formula.
    """
    end = data.rfind(b"sheetData>")
    end = len(data) if end < 0 else end
    if data.find(b"<f", 0, end) >= 0:
        return True
    # A part that writes the main namespace with a prefix writes <x:f> for formulas.
    return data.find(b"<worksheet", 0, 1024) < 0 and data.find(b":f", 0, end) >= 0


def _cells_without_value(data: bytes) -> list[str]:
    cells = []
    for match in _FORMULA_OPEN.finditer(data):
        start = max(data.rfind(b"<c ", 0, match.start()), data.rfind(b":c ", 0, match.start()))
        end = data.find(b"c>", match.end())  # </c> or </x:c>
        if start < 0 or end < 0:
            continue
        cell = data[start:end]
        ref = _CELL_REF.search(cell)
        if ref and not _HAS_VALUE.search(cell):
            cells.append(ref.group(1).decode())
    return cells


def formulas_without_value(path: str, parts: list[str]) -> dict[str, list[str]]:
    """A1 addresses of formula cells that carry no cached result, per worksheet part.

    Such a formula reads as blank in every fast reader (its value is computed only when Excel
    recalculates), so it would pass for an empty cell; validation reports it instead.
    """
    found: dict[str, list[str]] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            for part in parts:
                data = zf.read(part)
                if not _may_have_formulas(data):
                    continue  # the common case: no formulas at all
                cells = _cells_without_value(data)
                if cells:
                    found[part] = cells
    except (zipfile.BadZipFile, KeyError, OSError, zlib.error):
        return found
    return found
