"""The record of what a write-back changed, kept in the workbook as a custom XML part.

The record is a custom XML data part, ``customXml/itemN.xml`` (root
``{urn:mops:writeback:1}mopsWriteback``), with its ``itemPropsN.xml``, related from the
workbook part. Excel keeps custom XML parts when it saves; python-calamine and readers of the
sheets never see it. It holds, per annotated sheet (by name and ``sheetId``), which of the
comments part, VML part, sheet relationships, ``mops`` comment author and note shape type mops
created, and per cell: the original ``s`` attribute (or its absence), the base style copied, the
style id mops set, whether mops created the cell or its row, and whether mops created the
comment or appended text to the user's (with that text). It also holds the style counts before
and after, the findings sheet's name and ``sheetId`` with the tab that was open before it, the
sheet views mops took the selection off (their start tags before and after), and whether mops
added the ``vml`` default content type.

A workbook may hold one record per owner (``owner`` attribute: ``validate`` for the findings
of ``mops validate``, ``reconcile`` for ``mops reconcile``): each run undoes only its own
owner's previous run, so the two results sheets live side by side. A record written before
owners existed has no attribute; it belongs to whichever owner's results sheet it names.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from xml.etree import ElementTree as ET  # builds our own record part only; parsing is defused
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from mops.workbook.ooxml.parts import (
    CT_ITEM_PROPS,
    CT_XML,
    EMPTY_RELS,
    RT_CUSTOM_XML,
    RT_CUSTOM_XML_PROPS,
    add_rel,
    free_after,
    read_rels,
    rels_name,
)
from mops.workbook.ooxml.session import Session
from mops.workbook.ooxml.xml import XML_DECL, Damaged, ooxml_decode, ooxml_encode

NS_RECORD = "urn:mops:writeback:1"


@dataclass
class CellRec:
    ref: str
    orig_s: str | None  # the cell's s attribute before mops, None when it had none
    base: int  # the style copied (for a new cell: the row's or column's)
    mark: int  # the style mops set
    created: bool  # mops inserted the cell
    row_created: bool  # mops inserted the row
    comment: str  # "created" or "appended"
    wrapped: bool  # the user's plain <t> comment text was wrapped in a run to append to it
    text: str  # exact text mops added to the comment
    spans_orig: str | None = None  # the row's spans before mops widened it for a new cell
    spans_set: str | None = None  # … and what mops set it to


@dataclass
class SheetRec:
    name: str
    sheet_id: str
    comments_created: bool = False
    vml_created: bool = False
    rels_created: bool = False
    author_added: bool = False
    shapetype_added: bool = False
    idmap_orig: str | None = None
    cells: list[CellRec] = field(default_factory=list)


@dataclass
class ViewRec:
    """A sheet view mops took the selection off, to open the workbook on the findings sheet."""

    sheet_id: str
    name: str
    index: int  # which <sheetView> of the sheet
    orig: bytes  # its start tag before
    new: bytes  # … and as mops left it


@dataclass
class Record:
    owner: str | None = None  # who wrote it (None: a record older than owners)
    fonts: int = 0  # counts before mops
    fills: int = 0
    xfs: int = 0
    fonts_after: int = 0  # counts after mops
    fills_after: int = 0
    xfs_after: int = 0
    styles_created: bool = False
    findings_name: str | None = None
    findings_sheet_id: str | None = None
    findings_part: str | None = None  # for people reading the record; Excel renames parts
    active_tab: int = 0
    active_tab_added: bool = False  # the workbook view had no activeTab before mops set it
    vml_default_added: bool = False
    sheets: list[SheetRec] = field(default_factory=list)
    views: list[ViewRec] = field(default_factory=list)


def _q(tag: str) -> str:
    return f"{{{NS_RECORD}}}{tag}"


def _flag(value: bool) -> str:
    return "1" if value else "0"


def record_xml(rec: Record, now: datetime) -> bytes:
    ET.register_namespace("", NS_RECORD)
    attrs = {"version": "1", "written": now.isoformat()}
    if rec.owner is not None:
        attrs["owner"] = rec.owner
    root = ET.Element(_q("mopsWriteback"), attrs)
    ET.SubElement(
        root,
        _q("styles"),
        {
            "fonts": str(rec.fonts),
            "fills": str(rec.fills),
            "cellXfs": str(rec.xfs),
            "fontsAfter": str(rec.fonts_after),
            "fillsAfter": str(rec.fills_after),
            "cellXfsAfter": str(rec.xfs_after),
            "created": _flag(rec.styles_created),
        },
    )
    if rec.findings_name is not None:
        ET.SubElement(
            root,
            _q("findings"),
            {
                "name": rec.findings_name,
                "sheetId": rec.findings_sheet_id or "",
                "part": rec.findings_part or "",
                "activeTab": str(rec.active_tab),
                "activeTabAdded": _flag(rec.active_tab_added),
            },
        )
    for v in rec.views:
        ET.SubElement(
            root,
            _q("view"),
            {
                "sheetId": v.sheet_id,
                "name": v.name,
                "index": str(v.index),
                "orig": ooxml_encode(v.orig.decode("utf-8")),
                "new": ooxml_encode(v.new.decode("utf-8")),
            },
        )
    ET.SubElement(
        root,
        _q("contentTypes"),
        {"vmlDefault": _flag(rec.vml_default_added)},
    )
    for sheet in rec.sheets:
        attrs = {
            "name": sheet.name,
            "sheetId": sheet.sheet_id,
            "commentsCreated": _flag(sheet.comments_created),
            "vmlCreated": _flag(sheet.vml_created),
            "relsCreated": _flag(sheet.rels_created),
            "authorAdded": _flag(sheet.author_added),
            "shapetypeAdded": _flag(sheet.shapetype_added),
        }
        if sheet.idmap_orig is not None:
            attrs["idmapOrig"] = sheet.idmap_orig
        s_el = ET.SubElement(root, _q("sheet"), attrs)
        for c in sheet.cells:
            attrs = {
                "ref": c.ref,
                "base": str(c.base),
                "mark": str(c.mark),
                "created": _flag(c.created),
                "rowCreated": _flag(c.row_created),
                "comment": c.comment,
                "wrapped": _flag(c.wrapped),
            }
            if c.orig_s is not None:
                attrs["s"] = c.orig_s
            if c.spans_set is not None:
                attrs["spansOrig"] = c.spans_orig or ""
                attrs["spansSet"] = c.spans_set
            ET.SubElement(s_el, _q("cell"), attrs).text = ooxml_encode(c.text)
    ET.indent(root, space="")
    return XML_DECL + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"


def parse_record(data: bytes) -> Record | None:
    root = DET.fromstring(data, forbid_dtd=True)
    if root.tag != _q("mopsWriteback"):
        return None
    rec = Record(owner=root.get("owner"))
    styles = root.find(_q("styles"))
    if styles is not None:
        rec.fonts = int(styles.get("fonts", "0"))
        rec.fills = int(styles.get("fills", "0"))
        rec.xfs = int(styles.get("cellXfs", "0"))
        rec.fonts_after = int(styles.get("fontsAfter", "0"))
        rec.fills_after = int(styles.get("fillsAfter", "0"))
        rec.xfs_after = int(styles.get("cellXfsAfter", "0"))
        rec.styles_created = styles.get("created") == "1"
    findings = root.find(_q("findings"))
    if findings is not None:
        rec.findings_name = findings.get("name")
        rec.findings_sheet_id = findings.get("sheetId")
        rec.findings_part = findings.get("part")
        rec.active_tab = int(findings.get("activeTab", "0"))
        rec.active_tab_added = findings.get("activeTabAdded") == "1"
    for v in root.findall(_q("view")):
        rec.views.append(
            ViewRec(
                sheet_id=v.get("sheetId", ""),
                name=v.get("name", ""),
                index=int(v.get("index", "0")),
                orig=ooxml_decode(v.get("orig", "")).encode("utf-8"),
                new=ooxml_decode(v.get("new", "")).encode("utf-8"),
            )
        )
    types = root.find(_q("contentTypes"))
    if types is not None:
        rec.vml_default_added = types.get("vmlDefault") == "1"
    for s_el in root.findall(_q("sheet")):
        sheet = SheetRec(
            name=s_el.get("name", ""),
            sheet_id=s_el.get("sheetId", ""),
            comments_created=s_el.get("commentsCreated") == "1",
            vml_created=s_el.get("vmlCreated") == "1",
            rels_created=s_el.get("relsCreated") == "1",
            author_added=s_el.get("authorAdded") == "1",
            shapetype_added=s_el.get("shapetypeAdded") == "1",
            idmap_orig=s_el.get("idmapOrig"),
        )
        for c in s_el.findall(_q("cell")):
            sheet.cells.append(
                CellRec(
                    ref=c.get("ref", ""),
                    orig_s=c.get("s"),
                    base=int(c.get("base", "0")),
                    mark=int(c.get("mark", "-1")),
                    created=c.get("created") == "1",
                    row_created=c.get("rowCreated") == "1",
                    comment=c.get("comment", ""),
                    wrapped=c.get("wrapped") == "1",
                    text=ooxml_decode(c.text or ""),
                    spans_orig=c.get("spansOrig"),
                    spans_set=c.get("spansSet"),
                )
            )
        rec.sheets.append(sheet)
    return rec


def find_record(
    session: Session, owner: str, sheet_names: Collection[str] = ()
) -> tuple[Record, str] | None:
    """``owner``'s record and its part, through the workbook's relationships, else among
    custom XML; a record without owner is ``owner``'s when it names no results sheet or one of
    ``sheet_names``."""
    # LibreOffice keeps the part when it saves, but relates it from the package root.
    candidates = []
    rels_part = rels_name(session.wb_part)
    if session.pkg.exists(rels_part):
        for rel in read_rels(session.doc(rels_part), session.wb_part):
            if rel.type == RT_CUSTOM_XML and not rel.external:
                candidates.append(rel.target)
    candidates += sorted(
        n for n in session.pkg.names() if re.fullmatch(r"customXml/item\d+\.xml", n, re.I)
    )
    for target in dict.fromkeys(candidates):
        if not session.pkg.exists(target):
            continue
        data = session.pkg.get(target)
        try:
            rec = parse_record(data)
        except (ParseError, DefusedXmlException, ValueError) as exc:
            if NS_RECORD.encode() not in data:
                continue  # someone else's custom XML part, not ours to judge
            raise Damaged(target, str(exc)) from exc
        if rec is None:
            continue
        if rec.owner == owner or (
            rec.owner is None and (rec.findings_name is None or rec.findings_name in sheet_names)
        ):
            return rec, target
    return None


def write_record(session: Session, rec: Record, record_part: str | None) -> None:
    """Write the record into its part, or into a new custom XML part when there is none."""
    data = record_xml(rec, session.now)
    if record_part is not None:
        session.pkg.put(record_part, data)
        with session.edit(rels_name(session.wb_part)) as doc:
            if not any(r.target == record_part for r in read_rels(doc, session.wb_part)):
                add_rel(doc, session.wb_part, RT_CUSTOM_XML, record_part)
        return
    item = free_after(session.pkg, r"customXml/item(\d+)\.xml", "customXml/item%d.xml")
    n = re.search(r"(\d+)\.xml$", item)
    assert n is not None
    props = f"customXml/itemProps{n.group(1)}.xml"
    # One data store item id per owner: two records of one workbook must not share it.
    name = (
        session.path.name if rec.owner in (None, "validate") else f"{rec.owner}/{session.path.name}"
    )
    guid = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{NS_RECORD}/{name}")) + "}"
    session.pkg.put(item, data)
    session.pkg.put(
        props,
        XML_DECL.replace(b'"yes"', b'"no"')
        + (
            f'<ds:datastoreItem ds:itemID="{guid.upper()}" '
            'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
            f'<ds:schemaRefs><ds:schemaRef ds:uri="{NS_RECORD}"/></ds:schemaRefs>'
            "</ds:datastoreItem>"
        ).encode(),
    )
    with session.edit(rels_name(item), EMPTY_RELS) as doc:
        add_rel(doc, item, RT_CUSTOM_XML_PROPS, props)
    with session.edit(rels_name(session.wb_part)) as doc:
        add_rel(doc, session.wb_part, RT_CUSTOM_XML, item)
    session.add_override(props, CT_ITEM_PROPS)
    if session.default_type("xml") is None:
        session.add_override(item, CT_XML)


def remove_record(session: Session, record_part: str) -> None:
    """Remove the record part and the relationships to it."""
    for source in (session.wb_part, ""):
        rels_part = rels_name(source) if source else "_rels/.rels"
        if not session.pkg.exists(rels_part):
            continue
        with session.edit(rels_part) as doc:
            for rel in read_rels(doc, source):
                if rel.target == record_part:
                    doc.remove(rel.el)
    session.delete_with_rels(record_part)
