"""Write cell values (the sync's pull-back from Odoo) into the user's own workbook, in place.

``write_values`` has the safety of ``mops.workbook.annotate.write_back`` and shares its
machinery (``mops.workbook.ooxml``, ``mops.workbook.commit``): only the touched worksheets
change (and ``xl/styles.xml`` when a date needs a date format no cell or column offers), the
file is replaced atomically after a backup, and nothing is written while the workbook is open.
Text is always an inline string, never a formula and never added to the shared strings; numbers
are written exactly as given (a ``Decimal``'s own digits); dates become serials of the
workbook's date system and keep (or get) a format that shows them as dates. A cell holding a
formula is never overwritten, and a write may name a check cell (the row's key) that must still
hold the value the caller read, else it is refused. Values do not touch the annotation record: a
cell that the last ``write_back`` inserted and that now holds a value is kept by the next run's
undo, which only gives it its own format back.
"""

from __future__ import annotations

import contextlib
import math
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException

from mops.errors import WorkbookError
from mops.i18n import text
from mops.records import FORMULA_START
from mops.workbook.commit import check_not_open, commit, workbook_path
from mops.workbook.ooxml.cell_content import (
    CellContent,
    date_serial,
    decimal_text,
    number_text,
    read_cell,
    rich_text,
    value_cell_xml,
)
from mops.workbook.ooxml.cells import MAX_CELL_TEXT, cell_ref, parse_ref, utf16_len
from mops.workbook.ooxml.parts import RT_SHARED_STRINGS, read_rels, rels_name
from mops.workbook.ooxml.session import Session, SheetInfo
from mops.workbook.ooxml.sheet import Cell, Row, SheetEditor, widen_dimension, widen_spans
from mops.workbook.ooxml.styles import ValueStyles
from mops.workbook.ooxml.xml import ATTR_RE, Damaged, StrictError, check_xml, unescape

__all__ = ["CellWrite", "ValuesResult", "write_values"]

CellValueType = None | bool | int | float | Decimal | str | date | datetime


@dataclass(frozen=True)
class CellWrite:
    """One value to write into a cell, optionally only while another cell holds a key.

    ``value`` None (or "") clears the cell's value, keeping the cell and its format. Text is
    always stored as text, whatever it starts with; ``as_text`` stores any other value as its
    ``str()`` text too.
    """

    sheet: str  # the tab name as in the workbook
    cell: str  # "H12"
    value: CellValueType
    as_text: bool = False
    check_cell: str | None = None  # e.g. "A12": written only if it still holds check_value
    check_value: str | None = None


@dataclass(frozen=True)
class ValuesResult:
    """What ``write_values`` did to the workbook."""

    path: Path
    backup: Path | None  # None when nothing had to be written
    written: int
    unchanged: int  # the cell already held that value
    # Each refused write with its reason: "no_sheet" (no such worksheet), "formula" (the cell
    # holds a formula or is part of an array formula), "key_moved" (the check cell no longer
    # holds check_value), "bad_value" (no Excel cell can hold it: NaN, a date before 1900, a
    # time zone), "too_long" (text over Excel's 32,767 characters).
    refused: tuple[tuple[CellWrite, str], ...]
    changed_parts: tuple[str, ...]


def write_values(
    path: Path | str,
    writes: Sequence[CellWrite],
    *,
    backup_dir: Path | None = None,
    now: datetime | None = None,
) -> ValuesResult:
    """Write cell values into the workbook in place; see the module docstring.

    Raises WorkbookError, leaving the file as it was, if it is open in Excel or LibreOffice or
    cannot be patched; ValueError for a malformed cell address and TypeError for a value of
    another type (mistakes of the caller, found before the file is opened). Writes that cannot
    be done are refused one by one and reported in the result; when nothing changes, the file
    is not touched and no backup is made.
    """
    path = workbook_path(path)
    for w in writes:
        parse_ref(w.cell)
        if w.check_cell is not None:
            parse_ref(w.check_cell)
        if not isinstance(w.value, _VALUE_TYPES):
            raise TypeError(f"{w.sheet}!{w.cell}: cannot write a {type(w.value).__name__}")
    check_not_open(path, messages="values_open.")
    now = now or datetime.now()
    run: _ValuesRun | None = None
    try:
        with zipfile.ZipFile(path) as zin:
            run = _ValuesRun(path, zin, now)
            changed = run.run(writes)
            refused = tuple(run.refused)
            if not changed:
                return ValuesResult(path, None, 0, run.unchanged, refused, ())
            backup = commit(path, run.write, backup_dir, now)
            return ValuesResult(
                path=path,
                backup=backup,
                written=run.written,
                unchanged=run.unchanged,
                refused=refused,
                changed_parts=tuple(sorted(run.pkg.changed_names())),
            )
    except StrictError as exc:
        raise WorkbookError(
            text("writeback_strict"), path=path, hint=text("writeback_strict_hint")
        ) from exc
    except Damaged as exc:
        sheet, cell = run.where if run is not None else (None, None)
        raise WorkbookError(
            text("writeback_damaged", part=exc.part),
            path=path,
            sheet=sheet,
            cell=cell,
            hint=exc.detail,
        ) from exc
    except (zipfile.BadZipFile, zlib.error, ParseError, DefusedXmlException) as exc:
        raise WorkbookError(text("not_a_workbook"), path=path, hint=str(exc)) from exc


_VALUE_TYPES = (type(None), bool, int, float, Decimal, str, date, datetime)
_SI = re.compile(rb"<((?:[\w.-]+:)?)si(?:\s[^>]*)?(/?)>")
_FORMULA_TAG = re.compile(rb"<(?:[\w.-]+:)?f\b([^>]*)>")
MAX_DOUBLE_EXPONENT = 308


def _key_text(s: str) -> str:
    return unicodedata.normalize("NFC", s).strip()


@dataclass(frozen=True)
class _Planned:
    """A write checked and encoded: kind is clear, str, num, bool or date."""

    write: CellWrite
    kind: str
    text: str = ""
    need_time: bool = False


class _ValuesRun(Session):
    """One write_values: resolve the sheets, check the keys, then patch the cells."""

    def __init__(self, path: Path, zin: zipfile.ZipFile, now: datetime) -> None:
        super().__init__(path, zin, now)
        self.written = 0
        self.unchanged = 0
        self.refused: list[tuple[CellWrite, str]] = []
        self.where: tuple[str | None, str | None] = (None, None)  # for errors: sheet, cell
        self._sheets: dict[str, SheetInfo | None] = {}
        self._sst: list[str] | None = None
        self._sst_data = b""
        self._sst_part = ""
        self._sst_pos = 0
        self._styles: ValueStyles | None = None
        self._date1904: bool | None = None
        self._arrays: dict[str, list[tuple[int, int, int, int]]] = {}
        self._extent: dict[str, tuple[int, int]] = {}  # part → furthest row and column written

    # -- the run -------------------------------------------------------------------------------

    def run(self, writes: Sequence[CellWrite]) -> bool:
        """Check every write against the file as it is, then apply; True if anything changed."""
        self.wb_part = self.find_workbook()
        accepted: list[tuple[int, SheetInfo, SheetEditor, _Planned]] = []
        refused: list[tuple[int, CellWrite, str]] = []
        read: list[tuple[str, SheetEditor, str]] = []  # cells read: sheet, editor, address
        for i, w in enumerate(writes):
            info = self._sheet(w.sheet)
            if info is None or info.part is None:
                refused.append((i, w, "no_sheet"))
                continue
            self.where = (info.name, w.cell)
            planned = self._plan(w)
            if isinstance(planned, str):
                refused.append((i, w, planned))
                continue
            ed = self.editor(info.part)
            if w.check_cell is not None:
                self.where = (info.name, w.check_cell)
                held = self._text_at(ed, w.check_cell)
                read.append((info.name, ed, w.check_cell))
                if _key_text(held) != _key_text(w.check_value or ""):
                    refused.append((i, w, "key_moved"))
                    continue
            accepted.append((i, info, ed, planned))
        self._check_rows(read)  # before anything is written
        written: list[tuple[str, SheetEditor, str]] = []
        for i, info, ed, planned in accepted:
            self.where = (info.name, planned.write.cell)
            outcome = self._apply(ed, planned)
            written.append((info.name, ed, planned.write.cell))
            if outcome == "written":
                self.written += 1
            elif outcome == "unchanged":
                self.unchanged += 1
            else:
                refused.append((i, planned.write, outcome))
        self._check_rows(written)
        refused.sort(key=lambda r: r[0])
        self.refused = [(w, reason) for _, w, reason in refused]
        self.where = (None, None)
        for part, (row, col) in self._extent.items():
            widen_dimension(self.editors[part], row, col)
        for part, ed in self.editors.items():
            if ed.changed():
                self.where = (next((i.name for i in self.sheets() if i.part == part), None), None)
                self.pkg.put(part, ed.render())
        if self._styles is not None and self._styles.changed():
            self.pkg.put(self.styles_part, self._styles.render())
        self.where = (None, None)
        return bool(self.pkg.changed_names())

    def _check_rows(self, cells: list[tuple[str, SheetEditor, str]]) -> None:
        """Check the rows just read are well-formed XML: one defused parse per sheet.

        When a sheet fails, its rows are checked one by one, so the error names the cell.
        """
        editors = {id(ed): (sheet, ed) for sheet, ed, _ in cells}
        for sheet, ed in editors.values():
            pending = set(ed.rows_to_check)
            self.where = (sheet, None)
            try:
                ed.check_rows()
            except Damaged:
                head = ed.data[ed.root.start : ed.root.open_end]
                tail = b"</" + ed.root.qname + b">"
                for name, e, ref in cells:
                    row = e.rows.get(parse_ref(ref)[0]) if e is ed else None
                    if row is None or row.span not in pending:
                        continue
                    try:
                        check_xml(head + ed.data[row.span[0] : row.span[1]] + tail, ed.part)
                    except Damaged:
                        self.where = (name, ref)
                        break
                raise

    def _sheet(self, name: str) -> SheetInfo | None:
        if name not in self._sheets:
            info = self.sheet_by(name=name)
            ok = info is not None and info.is_worksheet and info.part is not None
            self._sheets[name] = info if ok and self.pkg.exists(info.part) else None
        return self._sheets[name]

    def _plan(self, w: CellWrite) -> _Planned | str:
        """The write encoded for the cell, or why no cell can hold its value."""
        v = w.value
        if w.as_text and v is not None and not isinstance(v, str):
            v = v.isoformat() if isinstance(v, date) else str(v)
        if v is None or v == "":
            return _Planned(w, "clear")
        if isinstance(v, str):
            if utf16_len(v) > MAX_CELL_TEXT:
                return "too_long"
            return _Planned(w, "str", v)
        if isinstance(v, bool):
            return _Planned(w, "bool", "1" if v else "0")
        if isinstance(v, int):
            if abs(v).bit_length() > 1023:
                return "bad_value"
            return _Planned(w, "num", str(v))
        if isinstance(v, float):
            return _Planned(w, "num", repr(v)) if math.isfinite(v) else "bad_value"
        if isinstance(v, Decimal):
            if not v.is_finite() or (v and v.adjusted() > MAX_DOUBLE_EXPONENT):
                return "bad_value"
            return _Planned(w, "num", decimal_text(v))
        assert isinstance(v, date)
        if isinstance(v, datetime) and v.tzinfo is not None:
            return "bad_value"  # Excel has no time zones: which wall time is meant?
        serial = date_serial(v, self._is_1904())
        if serial is None:
            return "bad_value"
        need_time = isinstance(v, datetime) and v.time() != datetime.min.time()
        return _Planned(w, "date", serial, need_time)

    # -- reading -------------------------------------------------------------------------------

    def _is_1904(self) -> bool:
        if self._date1904 is None:
            doc = self.doc(self.wb_part)
            pr = doc.child(None, b"workbookPr")
            flag = (doc.attr(pr, b"date1904") or "").strip().lower() if pr else ""
            self._date1904 = flag in ("1", "true")
        return self._date1904

    def _shared(self, index: int) -> str | None:
        """Shared string ``index``, parsing the part only as far as needed."""
        if self._sst is None:
            self._sst = []
            for rel in read_rels(self.doc(rels_name(self.wb_part)), self.wb_part):
                if rel.type == RT_SHARED_STRINGS and self.pkg.exists(rel.target):
                    data = self.pkg.get(rel.target)
                    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
                        raise Damaged(rel.target, "a DTD is not allowed")
                    self._sst_data, self._sst_part = data, rel.target
                    break
        data, part = self._sst_data, self._sst_part
        while len(self._sst) <= index:
            m = _SI.search(data, self._sst_pos)
            if m is None:
                return None
            if m.group(2):
                self._sst.append("")
                self._sst_pos = m.end()
                continue
            end = data.find(b"</" + m.group(1) + b"si", m.end())
            if end < 0:
                raise Damaged(part, f"string {len(self._sst)} is not closed")
            self._sst.append(rich_text(data[m.end() : end]))
            self._sst_pos = end
        return self._sst[index]

    def _content(self, ed: SheetEditor, ref: str) -> tuple[Row | None, Cell | None]:
        row_num, col = parse_ref(ref)
        row = ed.row(row_num, create=False)
        return row, (row.find(col) if row is not None else None)

    def _text_at(self, ed: SheetEditor, ref: str) -> str:
        """A cell's value as text, the way a person reads it (shared strings resolved)."""
        _, cell = self._content(ed, ref)
        if cell is None:
            return ""
        c = read_cell(cell.xml, ed.part)
        return self._text_of(c)

    def _text_of(self, c: CellContent) -> str:
        if c.t == "inlineStr":
            return c.inline or ""
        if c.v is None:
            return ""
        if c.t == "s":
            try:
                return self._shared(int(c.v)) or ""
            except ValueError:
                return ""
        if c.t == "b":
            return "TRUE" if c.v.strip() in ("1", "true") else "FALSE"
        if c.t in ("str", "e"):
            return c.v
        return number_text(c.v)

    def _in_array(self, ed: SheetEditor, row: int, col: int) -> bool:
        """Whether the cell is part of an array formula (or data table) held by another cell."""
        if ed.part not in self._arrays:
            ranges: list[tuple[int, int, int, int]] = []
            sd = ed.sheet_data
            assert sd is not None
            lo, hi = sd.open_end, sd.inner_end
            if ed.data.find(b"array", lo, hi) >= 0 or ed.data.find(b"dataTable", lo, hi) >= 0:
                for m in _FORMULA_TAG.finditer(ed.data, lo, hi):
                    a = {
                        k.group(1): unescape(k.group(2) if k.group(2) is not None else k.group(3))
                        for k in ATTR_RE.finditer(m.group(1))
                    }
                    if a.get(b"t") in ("array", "dataTable") and a.get(b"ref"):
                        ends = a[b"ref"].split(":")
                        with contextlib.suppress(ValueError):
                            (r1, c1), (r2, c2) = parse_ref(ends[0]), parse_ref(ends[-1])
                            ranges.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
            self._arrays[ed.part] = ranges
        return any(r1 <= row <= r2 and c1 <= col <= c2 for r1, c1, r2, c2 in self._arrays[ed.part])

    # -- writing -------------------------------------------------------------------------------

    def styles(self) -> ValueStyles:
        if self._styles is None:
            part = self.find_styles_part() or self.create_styles()
            self.styles_part = part
            self._styles = ValueStyles(part, self.pkg.get(part))
        return self._styles

    def _unchanged(self, c: CellContent, p: _Planned) -> bool:
        if p.kind == "clear":
            return c.blank
        if p.kind == "str":
            if c.t == "inlineStr":
                return c.inline == p.text
            return c.t == "s" and c.v is not None and self._text_of(c) == p.text
        if c.v is None or c.inline is not None:
            return False
        if p.kind == "bool":
            held = "1" if c.v.strip() in ("1", "true") else "0"
            return c.t == "b" and held == p.text
        if c.t not in (None, "n"):
            return False
        try:
            held = Decimal(c.v.strip())
        except ArithmeticError:
            return False
        if p.kind == "num":
            return held == Decimal(p.text)
        return abs(held - Decimal(p.text)) < Decimal("1e-6")  # a date: within 0.1 s

    def _date_style(self, ed: SheetEditor, base: int, col: int, need_time: bool) -> int:
        """The format a date cell needs: its own, its column's, or a copy of its own for dates."""
        styles = self.styles()
        if styles.shows_date(base, need_time):
            return base
        column = ed.col_style(col)
        if column != base and styles.shows_date(column, need_time):
            return column
        return styles.date_xf(base, need_time)

    def _apply(self, ed: SheetEditor, p: _Planned) -> str:
        """Patch one cell; returns "written", "unchanged" or the reason it was refused."""
        row_num, col = parse_ref(p.write.cell)
        ref = cell_ref(row_num, col)
        if self._in_array(ed, row_num, col):
            return "formula"
        row = ed.row(row_num, create=p.kind != "clear")
        cell = row.find(col) if row is not None else None
        if cell is None and p.kind == "clear":
            return "unchanged"
        assert row is not None
        if cell is not None:
            c = read_cell(cell.xml, ed.part)
            if c.formula:
                return "formula"
            own = int(c.s) if c.s and c.s.isdigit() else 0
        else:
            c = CellContent(None, None, False, None, None, ())
            row_style = ed.row_style(row)
            own = row_style if row_style is not None else ed.col_style(col)
        style = own
        if p.kind == "date":
            style = self._date_style(ed, own, col, p.need_time)
        elif p.kind == "str" and p.text.startswith(FORMULA_START):
            style = self.styles().quote_xf(own)
        if cell is not None and style == own and self._unchanged(c, p):
            return "unchanged"
        xml = value_cell_xml(
            cell.xml if cell is not None else None, ed.p, ref, style, p.kind, p.text, c
        )
        if cell is None:
            row.insert(Cell(col, xml))
            widen_spans(row, col)
            row.deleted = False
        else:
            cell.xml = xml
        row.touched = True
        if p.kind != "clear":
            far = self._extent.get(ed.part, (0, 0))
            self._extent[ed.part] = (max(far[0], row_num), max(far[1], col))
        return "written"
