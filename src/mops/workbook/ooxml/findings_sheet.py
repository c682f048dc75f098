"""The findings sheet: a summary on top, then a row per finding linked to its cell.

The sheet is placed right after the tab named in ``FindingsLayout.after`` (the workbook's
Guide) or last when there is none, and the workbook opens on it: it becomes the active tab and
the only selected one (every other sheet's ``tabSelected`` is taken off, as Excel does when a
person clicks a tab, so no two sheets end up grouped). The record keeps each sheet view tag as
it was, and the next run puts them back while the findings sheet is still the one open.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from mops.workbook.ooxml.cells import (
    MAX_CELL_TEXT,
    cell_ref,
    col_name,
    display_width,
    parse_ref,
    quote_sheet,
)
from mops.workbook.ooxml.parts import (
    CT_WORKSHEET,
    RT_WORKSHEET,
    add_rel,
    free_after,
    read_rels,
    rels_name,
)
from mops.workbook.ooxml.record import Record, ViewRec
from mops.workbook.ooxml.session import Session, SheetInfo
from mops.workbook.ooxml.styles import Styles
from mops.workbook.ooxml.xml import (
    NS_MAIN,
    NS_REL,
    TOKEN,
    XML_DECL,
    Damaged,
    esc,
    esc_attr,
    ns_prefix,
    with_attr,
)

SUMMARY_WIDTH = 140  # characters the summary text wraps at, at most (merged over the first columns)
LINE_HEIGHT = 15.0  # points per line of wrapped 11-point text
MAX_WIDTH = 80  # the widest a column gets from its content
WRAPPED_WIDTH = 60  # … and a column whose text wraps


@dataclass(frozen=True)
class FindingLine:
    """One row of the findings sheet, with an optional link to the offending cell."""

    values: tuple[str | int | float | None, ...]
    link_sheet: str | None
    link_cell: str | None
    severity: str


@dataclass(frozen=True)
class FindingsLayout:
    """What surrounds the rows of the findings sheet: a title and summary above, the columns."""

    title: str = ""
    summary: tuple[tuple[str, str], ...] = ()  # (label, text) rows between title and header
    widths: tuple[float | None, ...] = ()  # a column's width in characters; None: from content
    wrap: frozenset[int] = frozenset()  # 0-based columns whose text wraps
    after: tuple[str, ...] = ()  # placed right after the first of these tabs found; else last
    # The other command's results sheets: when the workbook is open on one, it stays so (two
    # commands run one after the other each night would otherwise move the selection, and
    # rewrite the workbook, every night).
    yield_to: frozenset[str] = frozenset()
    footer: str = "&L&F  &A&R&P / &N"  # printed: file and sheet left, page of pages right


@dataclass
class _Rows:
    """Where things are on the sheet: the header row and the first and last data rows."""

    header: int
    first: int
    last: int
    merges: list[str] = field(default_factory=list)


def _cell_value_xml(ref: str, value: object, style: int) -> bytes:
    s = b' s="%d"' % style if style else b""
    r = ref.encode()
    if value is None or value == "":
        return b'<c r="%s"%s/>' % (r, s) if style else b""
    if isinstance(value, bool):
        return b'<c r="%s"%s t="b"><v>%d</v></c>' % (r, s, int(value))
    if isinstance(value, int | float) and value == value and abs(value) != float("inf"):
        return b'<c r="%s"%s><v>%s</v></c>' % (r, s, repr(value).encode())
    text_ = str(value)
    if len(text_) > MAX_CELL_TEXT:
        text_ = text_[: MAX_CELL_TEXT - 1] + "…"
    return b'<c r="%s"%s t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>' % (
        r,
        s,
        esc(text_),
    )


def _widths(
    header: Sequence[str], lines: Sequence[FindingLine], layout: FindingsLayout, ncols: int
) -> list[float]:
    widths = [float(display_width(str(h)) + 4) for h in header] + [0.0] * (ncols - len(header))
    for line in lines:
        for i, v in enumerate(line.values):
            if v is not None:
                widths[i] = max(widths[i], display_width(str(v)) + 2)
    out = []
    for i, w in enumerate(widths):
        given = layout.widths[i] if i < len(layout.widths) else None
        if given is not None:
            out.append(float(given))
        else:
            out.append(float(min(max(w, 8), WRAPPED_WIDTH if i in layout.wrap else MAX_WIDTH)))
    return out


def _height(n: int, line: FindingLine, layout: FindingsLayout, widths: list[float]) -> bytes:
    """The row's attributes: its number, and a height for the lines its wrapped text takes.

    The height is an estimate for readers that keep the stored height (LibreOffice); it is not
    marked custom, so Excel fits the row to its text itself.
    """
    lines = max(
        (
            _lines_needed(str(v), widths[i])
            for i, v in enumerate(line.values)
            if i in layout.wrap and v not in (None, "")
        ),
        default=1,
    )
    if lines <= 1:
        return b' r="%d"' % n
    return b' r="%d" ht="%.1f"' % (n, LINE_HEIGHT * lines + 2)


def _lines_needed(text_: str, width: float) -> int:
    """How many lines ``text_`` takes wrapped at ``width`` characters."""
    per_line = max(width * 0.95, 1)
    return sum(max(1, math.ceil(display_width(part) / per_line)) for part in text_.split("\n"))


def _summary_span(widths: list[float]) -> tuple[int, float]:
    """The last column (1-based) the summary text is merged over, and the width it covers."""
    last, covered = 2, widths[1] if len(widths) > 1 else widths[0]
    while last < len(widths) and covered + widths[last] <= SUMMARY_WIDTH:
        covered += widths[last]
        last += 1
    return last, covered


def _top_rows(
    layout: FindingsLayout, styles: Styles, widths: list[float]
) -> tuple[list[bytes], _Rows]:
    """The title and summary rows, and where the header goes."""
    rows: list[bytes] = []
    merges: list[str] = []
    r = 0
    if layout.title:
        r += 1
        rows.append(
            b'<row r="%d" ht="24" customHeight="1">' % r
            + _cell_value_xml(cell_ref(r, 1), layout.title, styles.findings_xf("title"))
            + b"</row>"
        )
    last, covered = _summary_span(widths)
    for label, value in layout.summary:
        r += 1
        height = LINE_HEIGHT * _lines_needed(value, covered) + 2
        cells = _cell_value_xml(cell_ref(r, 1), label, styles.findings_xf("label"))
        cells += _cell_value_xml(cell_ref(r, 2), value, styles.findings_xf("summary"))
        cells += b"".join(
            _cell_value_xml(cell_ref(r, c), None, styles.findings_xf("summary"))
            for c in range(3, last + 1)
        )
        rows.append(b'<row r="%d" ht="%.1f" customHeight="1">' % (r, height) + cells + b"</row>")
        if last > 2:
            merges.append(f"B{r}:{col_name(last)}{r}")
    if r:
        r += 1  # a blank row between the summary and the table
    header = r + 1
    return rows, _Rows(header=header, first=header + 1, last=header, merges=merges)


def _findings_sheet_xml(
    header: Sequence[str],
    lines: Sequence[FindingLine],
    styles: Styles,
    layout: FindingsLayout,
    selected: bool,
) -> tuple[bytes, _Rows]:
    ncols = max([len(header)] + [len(line.values) for line in lines] + [1])
    last_col = col_name(ncols)
    widths = _widths(header, lines, layout, ncols)
    cols = b"".join(
        b'<col min="%d" max="%d" width="%.2f" customWidth="1"/>' % (i + 1, i + 1, w + 0.71)
        for i, w in enumerate(widths)
    )
    rows, where = _top_rows(layout, styles, widths)
    h = where.header
    head_xf = styles.findings_xf("header")
    rows.append(
        b'<row r="%d" ht="20" customHeight="1">' % h
        + b"".join(_cell_value_xml(cell_ref(h, i + 1), v, head_xf) for i, v in enumerate(header))
        + b"</row>"
    )
    top_xf, wrap_xf = styles.findings_xf("top"), styles.findings_xf("wrap")
    links = []
    for n, line in enumerate(lines, start=where.first):
        cells = []
        for i, v in enumerate(line.values):
            if i == 0:
                kind = "link" if line.link_sheet else "top"
                style = styles.findings_xf(kind, line.severity)
            else:
                style = wrap_xf if i in layout.wrap else top_xf
            cells.append(_cell_value_xml(cell_ref(n, i + 1), v, style))
        rows.append(b"<row%s>" % _height(n, line, layout, widths) + b"".join(cells) + b"</row>")
        if line.link_sheet and line.link_cell:
            row, col = parse_ref(line.link_cell)
            location = f"{quote_sheet(line.link_sheet)}!{cell_ref(row, col)}"
            links.append(
                b'<hyperlink ref="A%d" location="%s" display="%s"/>'
                % (n, esc_attr(location), esc_attr(f"{line.link_sheet}!{cell_ref(row, col)}"))
            )
    where.last = h + len(lines)
    table = f"A{h}:{last_col}{where.last}".encode()
    view = (
        b'<sheetViews><sheetView workbookViewId="0"%s>'
        b'<pane ySplit="%d" topLeftCell="A%d" activePane="bottomLeft" state="frozen"/>'
        b'<selection pane="bottomLeft" activeCell="A%d" sqref="A%d"/></sheetView></sheetViews>'
        % (b' tabSelected="1"' if selected else b"", h, h + 1, h + 1, h + 1)
    )
    merges = b""
    if where.merges:
        merges = b'<mergeCells count="%d">%s</mergeCells>' % (
            len(where.merges),
            b"".join(b'<mergeCell ref="%s"/>' % m.encode() for m in where.merges),
        )
    footer = b""
    if layout.footer:
        footer = b"<headerFooter><oddFooter>%s</oddFooter></headerFooter>" % esc(layout.footer)
    xml = (
        XML_DECL
        + f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">'.encode()
        + b'<sheetPr><tabColor rgb="FFC00000"/><pageSetUpPr fitToPage="1"/></sheetPr>'
        + b'<dimension ref="A1:%s%d"/>' % (last_col.encode(), where.last)
        + view
        + b'<sheetFormatPr defaultRowHeight="15"/>'
        + b"<cols>"
        + cols
        + b"</cols><sheetData>"
        + b"".join(rows)
        + b"</sheetData>"
        + b'<autoFilter ref="%s"/>' % table
        + merges
        + (b"<hyperlinks>" + b"".join(links) + b"</hyperlinks>" if links else b"")
        + b'<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3"'
        + b' footer="0.3"/>'
        + b'<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
        + footer
        + b"</worksheet>"
    )
    return xml, where


def _sheet_name(wanted: str, taken: Iterable[str]) -> str:
    """A legal tab name like ``wanted`` that no other sheet has (Excel ignores case)."""
    base = re.sub(r"[\[\]:*?/\\]", "_", wanted).strip("'")[:31] or "Findings"
    lower = {t.casefold() for t in taken}
    name = base
    n = 2
    while name.casefold() in lower:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    return name


# -- which tab is open ------------------------------------------------------------------------

_SHEET_VIEW = re.compile(rb"<(?:[\w.-]+:)?sheetView\b")
_SHEET_DATA = re.compile(rb"<(?:[\w.-]+:)?sheetData\b")
_HEAD = 1 << 16  # the sheet views come in the first bytes of a sheet, before its data


def _selected(tag: bytes) -> bool:
    return re.search(rb"""\stabSelected\s*=\s*["'](?:1|true)["']""", tag) is not None


class TabViews:
    """The sheet views (``<sheetView>`` start tags) of the workbook's sheets, edited as a whole.

    Taking the selection off the sheets and putting it back again happen in one run, on the
    same tags: the edits are kept here by part and written once (``write``), so a tag changed
    and changed back is left as it was.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self._tags: dict[str, list[list]] = {}  # part → [[start, end, original, now], …]

    def tags(self, part: str) -> list[list]:
        """The part's sheet view tags before its data, with their present bytes."""
        if part not in self._tags:
            ed = self.session.editors.get(part)
            data = ed.data if ed is not None else self.session.pkg.get(part)
            m = _SHEET_DATA.search(data)
            limit = m.start() if m else len(data)
            found = []
            for v in _SHEET_VIEW.finditer(data, 0, limit):
                t = TOKEN.match(data, v.start())
                if t is None or t.group("close"):
                    raise Damaged(part, "a sheetView tag is not well-formed")
                tag = data[t.start() : t.end()]
                found.append([t.start(), t.end(), tag, tag])
            self._tags[part] = found
        return self._tags[part]

    def may_be_selected(self, part: str) -> bool:
        """Whether a sheet part may have a selected view, from its first bytes only."""
        if part in self._tags:
            return any(_selected(t[3]) for t in self._tags[part])
        head = self.session.pkg.head(part, _HEAD)
        m = _SHEET_DATA.search(head)
        return b"tabSelected" in (head[: m.start()] if m else head)

    def unselect_all(self, skip: str) -> list[ViewRec]:
        """Take the selection off every sheet's views but ``skip``'s; what was changed."""
        changed = []
        for info in self.session.sheets():
            part = info.part
            if part is None or part == skip or not self.session.pkg.exists(part):
                continue
            if not self.may_be_selected(part):
                continue
            for index, t in enumerate(self.tags(part)):
                if _selected(t[3]):
                    new = with_attr(t[3], b"tabSelected", None)
                    changed.append(ViewRec(info.sheet_id, info.name, index, t[3], new))
                    t[3] = new
        return changed

    def restore(self, views: Sequence[ViewRec]) -> None:
        """Select again the views a run took the selection off (if still unselected)."""
        for v in views:
            info = self.session.sheet_by(name=v.name, sheet_id=v.sheet_id)
            if info is None or info.part is None or not self.session.pkg.exists(info.part):
                continue
            tags = self.tags(info.part)
            if v.index >= len(tags):
                continue
            t = tags[v.index]
            if t[3] == v.new:
                t[3] = v.orig
            elif not _selected(t[3]):
                t[3] = with_attr(t[3], b"tabSelected", "1")

    def write(self) -> None:
        """Put the changed tags into their parts (through the sheet's editor when it has one)."""
        for part, tags in self._tags.items():
            edits = [(s, e, now) for s, e, original, now in tags if now != original]
            if not edits:
                continue
            session = self.session
            info = next((i for i in session.sheets() if i.part == part), None)
            if info is not None and info.is_worksheet:
                ed = session.editor(part)
                for s, e, now in edits:
                    ed.splice(s, e, now)
                continue
            data = session.pkg.get(part)
            out, pos = [], 0
            for s, e, now in sorted(edits):
                out += [data[pos:s], now]
                pos = e
            session.pkg.put(part, b"".join(out) + data[pos:])


# -- removing and adding the sheet ------------------------------------------------------------


def remove_findings_sheet(session: Session, old: Record) -> bool:
    """Remove the previous findings sheet if it is still there under the name mops gave.

    Returns whether it was the tab open: only then does the selection go back to the sheets it
    was taken from (a person who has opened another tab since keeps it).
    """
    if old.findings_sheet_id is None:
        return False
    info = session.sheet_by(sheet_id=old.findings_sheet_id)
    if info is None or info.name != old.findings_name:
        # Another program may have renumbered the sheets: the name mops gave it is enough.
        info = next((s for s in session.sheets() if s.name == old.findings_name), None)
    if info is None:
        return False
    return _remove_sheet(session, info, old.active_tab, old.active_tab_added)


def _remove_sheet(session: Session, info: SheetInfo, restore_tab: int, added: bool) -> bool:
    idx = info.index
    was_open = False
    with session.edit(session.wb_part) as doc:
        sheets_el = doc.child(None, b"sheets")
        sheet_els = doc.children(sheets_el, b"sheet")
        doc.remove(sheet_els[idx])
        remaining = len(sheet_els) - 1
        names_el = doc.child(None, b"definedNames")
        if names_el is not None:
            local = [
                (dn, doc.attr(dn, b"localSheetId") or "")
                for dn in doc.children(names_el, b"definedName")
            ]
            if all(lsid == str(idx) for _, lsid in local):
                doc.remove(names_el)  # only names of the removed sheet: the list goes too
            else:
                for dn, lsid in local:
                    if lsid == str(idx):
                        doc.remove(dn)
                    elif lsid.isdigit() and int(lsid) > idx:
                        doc.set_attr(dn, b"localSheetId", str(int(lsid) - 1))
        views = doc.child(None, b"bookViews")
        for view in doc.children(views, b"workbookView") if views else []:
            for name in (b"activeTab", b"firstSheet"):
                value = doc.attr(view, name)
                if value is None or not value.isdigit():
                    continue
                v = int(value)
                if v > idx:
                    doc.set_attr(view, name, str(v - 1))
                elif v == idx:
                    was_open = was_open or name == b"activeTab"
                    back = max(
                        0, min(restore_tab if name == b"activeTab" else v - 1, remaining - 1)
                    )
                    if name == b"activeTab" and added and back == 0:
                        doc.remove_attr(view, name)  # as it was: no activeTab means the first
                    else:
                        doc.set_attr(view, name, str(back))
    with session.edit(rels_name(session.wb_part)) as doc:
        for rel in read_rels(doc, session.wb_part):
            if rel.id == info.rid:
                doc.remove(rel.el)
    if info.part is not None and session.pkg.exists(info.part):
        had_formulas = re.search(rb"<(?:\w+:)?f[\s>/]", session.pkg.get(info.part)) is not None
        session.delete_with_rels(info.part)
        if had_formulas:
            session.drop_calc_chain()
    return was_open


def _position(sheets: list[SheetInfo], after: Sequence[str]) -> int:
    """Where the sheet goes: right after the first tab named in ``after``, else last."""
    for wanted in after:
        for s in sheets:
            if s.name.casefold() == wanted.casefold():
                return s.index + 1
    return len(sheets)


def add_findings_sheet(
    session: Session,
    rec: Record,
    lines: Sequence[FindingLine],
    header: Sequence[str],
    wanted: str,
    styles: Styles,
    layout: FindingsLayout,
    views: TabViews,
    reuse: Record | None = None,
) -> str:
    """Add the findings sheet and open the workbook on it, noted in ``rec``; returns its name.

    ``reuse`` is the previous run's record, whose sheet id and part are taken again if free.
    """
    sheets = session.sheets()
    name = _sheet_name(wanted, [s.name for s in sheets])
    ids = [int(s.sheet_id) for s in sheets if s.sheet_id.isdigit()]
    sheet_id = str(max(ids, default=0) + 1)
    part = free_after(session.pkg, r"xl/worksheets/sheet(\d+)\.xml", "xl/worksheets/sheet%d.xml")
    # The previous run's id and part, when free: with another command's results sheet added
    # after it, new ones would make every rerun a change.
    if reuse is not None:
        if reuse.findings_sheet_id and reuse.findings_sheet_id not in {s.sheet_id for s in sheets}:
            sheet_id = reuse.findings_sheet_id
        if (
            reuse.findings_part
            and re.fullmatch(r"xl/worksheets/sheet\d+\.xml", reuse.findings_part)
            and not session.pkg.exists(reuse.findings_part)
        ):
            part = reuse.findings_part
    index = _position(sheets, layout.after)
    with session.edit(session.wb_part) as doc:
        views_el = doc.child(None, b"bookViews")
        view = doc.child(views_el, b"workbookView") if views_el else None
        # Without a workbook view (a minimal package) the workbook opens where it did.
        opens = view is not None
        active = 0
        if view is not None:
            value = doc.attr(view, b"activeTab")
            active = rec.active_tab = int(value) if value and value.isdigit() else 0
            rec.active_tab_added = value is None
            if active < len(sheets) and sheets[active].name in layout.yield_to:
                opens = False
    data, where = _findings_sheet_xml(header, lines, styles, layout, selected=opens)
    session.pkg.put(part, data)
    with session.edit(rels_name(session.wb_part)) as doc:
        rid = add_rel(doc, session.wb_part, RT_WORKSHEET, part)
    with session.edit(session.wb_part) as doc:
        rel_prefix = ns_prefix(doc.data, doc.root, NS_REL)
        p = doc.p
        if rel_prefix:
            rid_attr = b'%s:id="%s"' % (rel_prefix, rid.encode())
        else:
            rid_attr = b'xmlns:r="%s" r:id="%s"' % (NS_REL.encode(), rid.encode())
        sheets_el = doc.child(None, b"sheets")
        if sheets_el is None:
            raise Damaged(session.wb_part, "no <sheets>")
        new_sheet = b'<%ssheet name="%s" sheetId="%s" %s/>' % (
            p,
            esc_attr(name),
            sheet_id.encode(),
            rid_attr,
        )
        sheet_els = doc.children(sheets_el, b"sheet")
        if index < len(sheet_els):
            doc.insert(sheet_els[index].start, new_sheet)
        else:
            doc.append(sheets_el, new_sheet)
        _shift_for(doc, index, opens)
        if view is not None and not opens and active >= index:
            doc.set_attr(doc.child(doc.child(None, b"bookViews"), b"workbookView"), b"activeTab",
                         str(active + 1))  # fmt: skip
        ncols = max([len(header)] + [len(line.values) for line in lines] + [1])
        quoted = quote_sheet(name)
        names = (
            (
                "_xlnm._FilterDatabase",
                f"{quoted}!$A${where.header}:${col_name(ncols)}${where.last}",
            ),
            ("_xlnm.Print_Titles", f"{quoted}!${where.header}:${where.header}"),
        )
        dn = b"".join(
            b'<%sdefinedName name="%s" localSheetId="%d"%s>%s</%sdefinedName>'
            % (p, n.encode(), index, b' hidden="1"' if "Filter" in n else b"", esc_attr(ref), p)
            for n, ref in names
        )
        names_el = doc.child(None, b"definedNames")
        # Before the names local to the sheets after it (read as they were before the shift
        # above, which is applied when the part is written): wherever a rerun finds the other
        # command's results sheet, the same results give the same workbook part.
        before = next(
            (
                el
                for el in (doc.children(names_el, b"definedName") if names_el is not None else [])
                if (doc.attr(el, b"localSheetId") or "").isdigit()
                and int(doc.attr(el, b"localSheetId") or 0) >= index
            ),
            None,
        )
        if before is not None:
            doc.insert(before.start, dn)
        elif names_el is not None:
            doc.append(names_el, dn)
        else:
            after = sheets_el
            for el in doc.children():
                if el.local in (b"functionGroups", b"externalReferences"):
                    after = el
            doc.insert(after.end, b"<%sdefinedNames>" % p + dn + b"</%sdefinedNames>" % p)
    session.add_override(part, CT_WORKSHEET)
    if opens:
        rec.views = views.unselect_all(skip=part)
    rec.findings_name = name
    rec.findings_sheet_id = sheet_id
    rec.findings_part = part
    return name


def _shift_for(doc, index: int, opens: bool) -> None:
    """Sheet positions at or after ``index`` move one on; the workbook opens at ``index``."""
    names_el = doc.child(None, b"definedNames")
    for dn in doc.children(names_el, b"definedName") if names_el is not None else []:
        lsid = doc.attr(dn, b"localSheetId") or ""
        if lsid.isdigit() and int(lsid) >= index:
            doc.set_attr(dn, b"localSheetId", str(int(lsid) + 1))
    views_el = doc.child(None, b"bookViews")
    for view in doc.children(views_el, b"workbookView") if views_el else []:
        first = doc.attr(view, b"firstSheet")
        if first and first.isdigit() and int(first) >= index:
            doc.set_attr(view, b"firstSheet", str(int(first) + 1))
        if opens:
            doc.set_attr(view, b"activeTab", str(index))
