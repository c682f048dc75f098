"""A worksheet part edited in place: only the rows touched are parsed, the rest spliced around."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mops.workbook.ooxml.cells import cell_ref, parse_ref
from mops.workbook.ooxml.xml import (
    ATTR,
    ATTR_RE,
    NS_REL,
    NS_STRICT,
    TOKEN,
    Damaged,
    El,
    StrictError,
    attribute,
    attributes,
    check_xml,
    child_elements,
    default_ns,
    element_at,
    ns_prefix,
    root_element,
    unescape,
    with_attr,
)

# Elements that come after <legacyDrawing> in a worksheet (ECMA-376 CT_Worksheet order).
_AFTER_LEGACY = {
    b"legacyDrawingHF",
    b"drawingHF",
    b"picture",
    b"oleObjects",
    b"controls",
    b"webPublishItems",
    b"tableParts",
    b"extLst",
    b"AlternateContent",  # Excel wraps <controls>/<oleObjects> in mc:AlternateContent
}

ROW_KEEP_ATTRS = {b"r", b"spans", b"x14ac:dyDescent"}
_ATTR_R = re.compile(rb"""\sr\s*=\s*(?:"([^"]*)"|'([^']*)')""")


@dataclass
class Cell:
    col: int  # from its r attribute, or one after the cell before it (r is optional)
    xml: bytes


class Row:
    """One row of sheetData: its start tag and its content as cells and other bytes."""

    def __init__(self, num: int, tag: bytes, items: list, span: tuple[int, int] | None) -> None:
        self.num = num
        self.tag = tag  # the start tag; self-closing if the row had no content
        self.items: list[Cell | bytes] = items
        self.span = span  # position in the original sheet; None for a new row
        self.touched = False
        self.deleted = False  # a row mops had created, taken out again

    def cells(self) -> list[Cell]:
        return [i for i in self.items if isinstance(i, Cell)]

    def find(self, col: int) -> Cell | None:
        for c in self.cells():
            if c.col == col:
                return c
        return None

    def insert(self, cell: Cell) -> None:
        """Insert a cell in column order."""
        # The cell after it always has an explicit address: one without (r is optional)
        # sits right after its neighbour, leaving no gap to insert into.
        pos = len(self.items)
        for i, item in enumerate(self.items):
            if isinstance(item, Cell) and item.col > cell.col:
                pos = i
                break
            if isinstance(item, bytes) and item.strip():
                pos = i  # the row's extLst comes after its cells
                break
        self.items.insert(pos, cell)

    def remove(self, cell: Cell) -> None:
        self.items = [i for i in self.items if i is not cell]

    def attrs(self) -> dict[bytes, str]:
        return {
            m.group(1): unescape(m.group(2) if m.group(2) is not None else m.group(3))
            for m in ATTR_RE.finditer(self.tag)
        }

    def render(self, p: bytes) -> bytes:
        inner = b"".join(i.xml if isinstance(i, Cell) else i for i in self.items)
        if self.deleted or (self.span is None and not self.cells()):
            return b""
        if self.tag.endswith(b"/>"):
            if not inner:
                return self.tag
            return self.tag[: self.tag.rindex(b"/")].rstrip() + b">" + inner + b"</" + p + b"row>"
        return self.tag + inner + b"</" + p + b"row>"


class SheetEditor:
    """Edits of one worksheet part, rendered as splices over its original bytes."""

    def __init__(self, part: str, data: bytes) -> None:
        self.part = part
        self.data = data
        self.root = root = root_element(data, part)
        if root.local != b"worksheet":
            raise Damaged(part, "not a worksheet")
        ns = default_ns(data, root)
        if ns == NS_STRICT:
            raise StrictError
        self.p = root.prefix
        self.cols: list[tuple[int, int, int]] = []
        self.sheet_data: El | None = None
        self.tail: list[El] = []
        for el in child_elements(data, root, part, fast=b"sheetData"):
            if el.local == b"sheetData":
                self.sheet_data = el
            elif self.sheet_data is None:
                if el.local == b"cols":
                    self._read_cols(el)
            else:
                self.tail.append(el)
        if self.sheet_data is None:
            raise Damaged(part, "no sheetData")
        sd = self.sheet_data
        # Everything but the rows is small: check it is well-formed, with defusedxml.
        check_xml(data[: sd.open_end] + data[sd.inner_end :], part)
        self.rows: dict[int, Row] = {}
        self._index: list[tuple[int, int]] | None = None  # (row number, start) in order
        self._edits: list[tuple[int, int, bytes]] = []  # tail edits
        self.rows_to_check: list[tuple[int, int]] = []
        self.rel_prefix = ns_prefix(data, root, NS_REL)

    def _read_cols(self, el: El) -> None:
        for col in child_elements(self.data, el, self.part):
            a = {k: v[0] for k, v in attributes(self.data, col).items()}
            if a.get(b"style") and a.get(b"min") and a.get(b"max"):
                self.cols.append((int(a[b"min"]), int(a[b"max"]), int(a[b"style"])))

    def col_style(self, col: int) -> int:
        for lo, hi, style in self.cols:
            if lo <= col <= hi:
                return style
        return 0

    # -- rows --------------------------------------------------------------------------------

    def _row_index(self) -> list[tuple[int, int]]:
        if self._index is not None:
            return self._index
        sd = self.sheet_data
        assert sd is not None
        index: list[tuple[int, int]] = []
        num = 0
        if sd.empty:
            self._index = index
            return index
        lo, hi = sd.open_end, sd.inner_end
        if self.data.find(b"<!--", lo, hi) >= 0 or self.data.find(b"<![CDATA[", lo, hi) >= 0:
            for el in child_elements(self.data, sd, self.part):
                if el.local != b"row":
                    continue
                r = attribute(self.data, el, b"r")
                num = int(r) if r else num + 1
                index.append((num, el.start))
        else:
            pattern = re.compile(
                rb"<" + re.escape(self.p) + rb"row((?:" + ATTR + rb")*)\s*/?>",
            )
            r_attr = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")
            for m in pattern.finditer(self.data, sd.open_end, sd.inner_end):
                r = r_attr.search(m.group(1))
                num = int(r.group(1)) if r else num + 1
                index.append((num, m.start()))
        self._index = index
        return index

    def row(self, num: int, create: bool) -> Row | None:
        """The row ``num``, parsed for editing; a new empty one when absent and ``create``."""
        if num in self.rows:
            return self.rows[num]
        index = self._row_index()
        i = _bisect(index, num)
        if i < len(index) and index[i][0] == num:
            row = self._parse_row(num, index[i][1])
        elif create:
            row = Row(num, b"<" + self.p + b'row r="%d">' % num, [], None)
        else:
            return None
        self.rows[num] = row
        return row

    def _parse_row(self, num: int, start: int) -> Row:
        data = self.data
        m = TOKEN.match(data, start)
        assert m is not None
        if m.group("empty"):
            el = El(m.group("name"), m.start(), m.end(), m.end(), m.end())
        else:
            # Rows do not nest: the first end tag closes it.
            close = data.find(b"</" + m.group("name"), m.end())
            t = TOKEN.match(data, close) if close >= 0 else None
            if t is None or not t.group("close"):
                raise Damaged(self.part, f"row {num} is not closed")
            el = El(m.group("name"), m.start(), m.end(), t.start(), t.end())
        self.rows_to_check.append((el.start, el.end))
        items: list[Cell | bytes] = []
        pos = el.open_end
        col = 0
        c_qname = self.p + b"c"
        while pos < el.inner_end:
            t = TOKEN.search(data, pos, el.inner_end)
            if t is None:
                break
            if t.start() > pos:
                items.append(data[pos : t.start()])
            if t.group("name") != c_qname or t.group("close"):
                child = element_at(data, t, self.part) if t.group("name") else None
                end = child.end if child else t.end()
                items.append(data[t.start() : end])
                pos = end
                continue
            if t.group("empty"):
                end = t.end()
            else:
                # Cells do not nest either.
                close = data.find(b"</" + c_qname, t.end(), el.inner_end)
                if close < 0:
                    raise Damaged(self.part, f"a cell of row {num} is not closed")
                end = data.index(b">", close) + 1
            r = _ATTR_R.search(t.group("attrs"))
            ref = (r.group(1) if r.group(1) is not None else r.group(2)) if r else None
            col = parse_ref(unescape(ref))[1] if ref else col + 1
            items.append(Cell(col, data[t.start() : end]))
            pos = end
        if pos < el.inner_end:
            items.append(data[pos : el.inner_end])
        return Row(num, data[el.start : el.open_end], items, (el.start, el.end))

    def check_rows(self) -> None:
        """Check the rows read for editing are well-formed XML, all in one defused parse."""
        if not self.rows_to_check:
            return
        root_tag = self.data[self.root.start : self.root.open_end]
        body = b"".join(self.data[s:e] for s, e in self.rows_to_check)
        check_xml(root_tag + body + b"</" + self.root.qname + b">", self.part)
        self.rows_to_check = []

    def row_style(self, row: Row) -> int | None:
        a = row.attrs()
        if a.get(b"customFormat") in ("1", "true") and a.get(b"s"):
            return int(a[b"s"])
        return None

    # -- legacyDrawing -------------------------------------------------------------------------

    def legacy_rid(self) -> str | None:
        for el in self.tail:
            if el.local == b"legacyDrawing":
                for name, (value, _, _) in attributes(self.data, el).items():
                    if name.endswith(b":id"):
                        return value
        return None

    def add_legacy_drawing(self, rid: str) -> None:
        pos = self.root.inner_end
        for el in self.tail:
            if el.local in _AFTER_LEGACY:
                pos = el.start
                break
        if self.rel_prefix:
            tag = b'<%slegacyDrawing %s:id="%s"/>' % (self.p, self.rel_prefix, rid.encode())
        else:
            tag = b'<%slegacyDrawing xmlns:r="%s" r:id="%s"/>' % (
                self.p,
                NS_REL.encode(),
                rid.encode(),
            )
        self._edits.append((pos, pos, tag))

    def remove_legacy_drawing(self, rid: str) -> None:
        for el in self.tail:
            if el.local == b"legacyDrawing" and self.legacy_rid() == rid:
                self._edits.append((el.start, el.end, b""))

    def splice(self, start: int, end: int, new: bytes) -> None:
        """Replace bytes ``start:end`` of the original before ``<sheetData>`` (a sheet view)."""
        sd = self.sheet_data
        assert sd is not None and end <= sd.start
        self._edits.append((start, end, new))

    # -- output --------------------------------------------------------------------------------

    def changed(self) -> bool:
        return bool(self._edits) or any(r.touched for r in self.rows.values())

    def render(self) -> list:
        """The new part as a list of pieces (untouched stretches are views of the original)."""
        self.check_rows()
        sd = self.sheet_data
        assert sd is not None
        splices = list(self._edits)
        index = self._row_index()
        new_rows: list[Row] = []
        for row in sorted(self.rows.values(), key=lambda r: r.num):
            if not row.touched:
                continue
            if row.span is not None:
                splices.append((row.span[0], row.span[1], row.render(self.p)))
            else:
                new_rows.append(row)
        if new_rows and sd.empty:
            body = b"".join(r.render(self.p) for r in sorted(new_rows, key=lambda r: r.num))
            tag = self.data[sd.start : sd.end]
            tag = tag[: tag.rindex(b"/")].rstrip() + b">"
            splices.append((sd.start, sd.end, tag + body + b"</" + self.p + b"sheetData>"))
        else:
            for row in new_rows:
                i = _bisect(index, row.num)
                pos = index[i][1] if i < len(index) else sd.inner_end
                splices.append((pos, pos, row.render(self.p)))
        view = memoryview(self.data)
        pieces: list = []
        pos = 0
        # Stable sort: rows inserted at one place stay in the (ascending) order added.
        for start, end, new in sorted(splices, key=lambda s: (s[0], s[1])):
            if start < pos:
                raise AssertionError(f"{self.part}: overlapping edits at {start}")
            pieces.append(view[pos:start])
            pieces.append(new)
            pos = end
        pieces.append(view[pos:])
        return [p for p in pieces if len(p)]


def _bisect(index: list[tuple[int, int]], num: int) -> int:
    lo, hi = 0, len(index)
    while lo < hi:
        mid = (lo + hi) // 2
        if index[mid][0] < num:
            lo = mid + 1
        else:
            hi = mid
    return lo


def has_content(xml: bytes) -> bool:
    """Whether a cell holds a value, formula or inline string (not just a style)."""
    m = TOKEN.match(xml)
    assert m is not None
    return not m.group("empty") and b"<" in xml[m.end() : xml.rindex(b"</")]


def cell_s(xml: bytes) -> str | None:
    m = TOKEN.match(xml)
    assert m is not None
    for a in ATTR_RE.finditer(xml, 1 + len(m.group("name")), m.end()):
        if a.group(1) == b"s":
            return unescape(a.group(2) if a.group(2) is not None else a.group(3))
    return None


def widen_spans(row: Row, col: int) -> tuple[str | None, str | None]:
    """Widen the row's ``spans`` hint to a new cell; returns (old, new) or (None, None)."""
    # spans is optional, but Excel "repairs" a file whose spans are wrong.
    spans = row.attrs().get(b"spans")
    m = re.fullmatch(r"(\d+):(\d+)", spans or "")
    if not m:
        return None, None
    lo, hi = int(m.group(1)), int(m.group(2))
    if lo <= col <= hi:
        return None, None
    new = f"{min(lo, col)}:{max(hi, col)}"
    row.tag = with_attr(row.tag, b"spans", new)
    return spans, new


_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\b[^>]*>")


def widen_dimension(ed: SheetEditor, row: int, col: int) -> None:
    """Widen the sheet's ``<dimension>`` (the used range) to a cell written outside it."""
    sd = ed.sheet_data
    assert sd is not None
    m = _DIMENSION.search(ed.data, 0, sd.start)
    if m is None:
        return
    found = attributes(ed.data, El(b"dimension", m.start(), m.end(), m.end(), m.end())).get(b"ref")
    if found is None:
        return
    value, start, end = found
    try:
        ends = [parse_ref(x) for x in value.split(":")]
    except ValueError:
        return  # not a range mops understands (e.g. "A1:XFD1048576" written oddly): leave it
    r1, c1 = min(r for r, _ in ends), min(c for _, c in ends)
    r2, c2 = max(r for r, _ in ends), max(c for _, c in ends)
    if r1 <= row <= r2 and c1 <= col <= c2:
        return
    new = f"{cell_ref(min(r1, row), min(c1, col))}:{cell_ref(max(r2, row), max(c2, col))}"
    ed._edits.append((start, end, new.encode()))
