"""The findings sheet: a row per finding, linked to its cell, appended as the last tab."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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
from mops.workbook.ooxml.record import Record
from mops.workbook.ooxml.session import Session, SheetInfo
from mops.workbook.ooxml.styles import Styles
from mops.workbook.ooxml.xml import NS_MAIN, NS_REL, XML_DECL, Damaged, esc, esc_attr, ns_prefix


@dataclass(frozen=True)
class FindingLine:
    """One row of the findings sheet, with an optional link to the offending cell."""

    values: tuple[str | int | float | None, ...]
    link_sheet: str | None
    link_cell: str | None
    severity: str


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


def _findings_sheet_xml(
    header: Sequence[str], lines: Sequence[FindingLine], styles: Styles, selected: bool
) -> bytes:
    ncols = max([len(header)] + [len(line.values) for line in lines] + [1])
    last = col_name(ncols)
    nrows = len(lines) + 1
    widths = [display_width(str(h)) + 4 for h in header] + [0] * (ncols - len(header))
    for line in lines:
        for i, v in enumerate(line.values):
            if v is not None:
                widths[i] = max(widths[i], display_width(str(v)) + 2)
    cols = b"".join(
        b'<col min="%d" max="%d" width="%.2f" customWidth="1"/>'
        % (i + 1, i + 1, min(max(w, 8), 80) + 0.71)
        for i, w in enumerate(widths)
    )
    head_xf = styles.findings_xf("header")
    rows = [
        b'<row r="1">'
        + b"".join(_cell_value_xml(cell_ref(1, i + 1), h, head_xf) for i, h in enumerate(header))
        + b"</row>"
    ]
    links = []
    for n, line in enumerate(lines, start=2):
        cells = []
        for i, v in enumerate(line.values):
            style = 0
            if i == 0:
                kind = "link" if line.link_sheet else "plain"
                style = styles.findings_xf(kind, line.severity)
            cells.append(_cell_value_xml(cell_ref(n, i + 1), v, style))
        rows.append(b'<row r="%d">' % n + b"".join(cells) + b"</row>")
        if line.link_sheet and line.link_cell:
            row, col = parse_ref(line.link_cell)
            location = f"{quote_sheet(line.link_sheet)}!{cell_ref(row, col)}"
            links.append(
                b'<hyperlink ref="A%d" location="%s" display="%s"/>'
                % (n, esc_attr(location), esc_attr(f"{line.link_sheet}!{cell_ref(row, col)}"))
            )
    view = (
        b'<sheetViews><sheetView workbookViewId="0"%s>'
        b'<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        b'<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        % (b' tabSelected="1"' if selected else b"")
    )
    return (
        XML_DECL
        + f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">'.encode()
        + b'<sheetPr><tabColor rgb="FFC00000"/></sheetPr>'
        + b'<dimension ref="A1:%s%d"/>' % (last.encode(), nrows)
        + view
        + b'<sheetFormatPr defaultRowHeight="15"/>'
        + b"<cols>"
        + cols
        + b"</cols><sheetData>"
        + b"".join(rows)
        + b"</sheetData>"
        + b'<autoFilter ref="A1:%s%d"/>' % (last.encode(), nrows)
        + (b"<hyperlinks>" + b"".join(links) + b"</hyperlinks>" if links else b"")
        + b'<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3"'
        + b' footer="0.3"/></worksheet>'
    )


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


def remove_findings_sheet(session: Session, old: Record) -> None:
    """Remove the previous findings sheet, if it is still there under the name mops gave."""
    if old.findings_sheet_id is None:
        return
    info = session.sheet_by(sheet_id=old.findings_sheet_id)
    if info is None or info.name != old.findings_name:
        # Another program may have renumbered the sheets: the name mops gave it is enough.
        info = next((s for s in session.sheets() if s.name == old.findings_name), None)
    if info is None:
        return
    _remove_sheet(session, info, old.active_tab)


def _remove_sheet(session: Session, info: SheetInfo, restore_tab: int) -> None:
    idx = info.index
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
                    back = restore_tab if name == b"activeTab" else v - 1
                    doc.set_attr(view, name, str(max(0, min(back, remaining - 1))))
    with session.edit(rels_name(session.wb_part)) as doc:
        for rel in read_rels(doc, session.wb_part):
            if rel.id == info.rid:
                doc.remove(rel.el)
    if info.part is not None and session.pkg.exists(info.part):
        had_formulas = re.search(rb"<(?:\w+:)?f[\s>/]", session.pkg.get(info.part)) is not None
        session.delete_with_rels(info.part)
        if had_formulas:
            session.drop_calc_chain()


def add_findings_sheet(
    session: Session,
    rec: Record,
    lines: Sequence[FindingLine],
    header: Sequence[str],
    wanted: str,
    styles: Styles,
) -> str:
    """Append the findings sheet as the last tab, noted in ``rec``; returns the name it got."""
    sheets = session.sheets()
    name = _sheet_name(wanted, [s.name for s in sheets])
    ids = [int(s.sheet_id) for s in sheets if s.sheet_id.isdigit()]
    sheet_id = str(max(ids, default=0) + 1)
    part = free_after(session.pkg, r"xl/worksheets/sheet(\d+)\.xml", "xl/worksheets/sheet%d.xml")
    index = len(sheets)
    active = 0
    with session.edit(session.wb_part) as doc:
        views = doc.child(None, b"bookViews")
        view = doc.child(views, b"workbookView") if views else None
        if view is not None:
            value = doc.attr(view, b"activeTab")
            active = int(value) if value and value.isdigit() else 0
    session.pkg.put(part, _findings_sheet_xml(header, lines, styles, selected=False))
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
        doc.append(
            sheets_el,
            b'<%ssheet name="%s" sheetId="%s" %s/>'
            % (p, esc_attr(name), sheet_id.encode(), rid_attr),
        )
        ncols = max([len(header)] + [len(line.values) for line in lines] + [1])
        ref = f"{quote_sheet(name)}!$A$1:${col_name(ncols)}${len(lines) + 1}"
        dn = b'<%sdefinedName name="_xlnm._FilterDatabase" localSheetId="%d" hidden="1">' % (
            p,
            index,
        )
        dn += esc_attr(ref) + b"</%sdefinedName>" % p
        names_el = doc.child(None, b"definedNames")
        if names_el is not None:
            doc.append(names_el, dn)
        else:
            after = sheets_el
            for el in doc.children():
                if el.local in (b"functionGroups", b"externalReferences"):
                    after = el
            doc.insert(after.end, b"<%sdefinedNames>" % p + dn + b"</%sdefinedNames>" % p)
    session.add_override(part, CT_WORKSHEET)
    rec.findings_name = name
    rec.findings_sheet_id = sheet_id
    rec.findings_part = part
    rec.active_tab = active
    return name
