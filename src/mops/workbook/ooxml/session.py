"""A workbook package open for patching: its checked parts, sheets, styles and content types."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mops.workbook.ooxml.parts import (
    CT_STYLES,
    EMPTY_RELS,
    RT_CALC_CHAIN,
    RT_OFFICE_DOC,
    RT_STYLES,
    RT_WORKSHEET,
    Package,
    add_rel,
    read_rels,
    rels_name,
    rels_source,
    resolve,
)
from mops.workbook.ooxml.sheet import SheetEditor
from mops.workbook.ooxml.styles import DEFAULT_STYLES
from mops.workbook.ooxml.xml import (
    NS_STRICT,
    Damaged,
    Doc,
    StrictError,
    attributes,
    default_ns,
    esc_attr,
)


@dataclass
class SheetInfo:
    """A sheet as the workbook part lists it, with the part its relationship names."""

    name: str
    sheet_id: str
    rid: str
    part: str | None
    index: int
    is_worksheet: bool


class Session:
    """What every write into one workbook package shares: its parts, sheets and content types."""

    def __init__(self, path: Path, zin: zipfile.ZipFile, now: datetime) -> None:
        self.path = path
        self.pkg = Package(zin)
        self.now = now
        self.editors: dict[str, SheetEditor] = {}
        self.wb_part = ""
        self.styles_part = ""
        # part → the bytes already checked with defusedxml (or spliced by mops from those)
        self._checked: dict[str, bytes] = {}

    def doc(self, part: str) -> Doc:
        """A small part as a document, checked with defusedxml unless it was already."""
        try:
            data = self.pkg.get(part)
        except KeyError as exc:
            raise Damaged(part, "missing") from exc
        doc = Doc(data, part, check=self._checked.get(part) is not data)
        self._checked[part] = data
        return doc

    @contextmanager
    def edit(self, part: str, empty: bytes | None = None) -> Iterator[Doc]:
        """Open a small part for editing (or ``empty`` if it does not exist); saved on exit."""
        if not self.pkg.exists(part):
            if empty is None:
                raise Damaged(part, "missing")
            doc = Doc(empty, part, check=False)
        else:
            doc = self.doc(part)
        yield doc
        if doc.changed() or not self.pkg.exists(part):
            data = doc.render()
            self.pkg.put(part, data)
            self._checked[part] = data

    def find_workbook(self) -> str:
        doc = self.doc("_rels/.rels")
        for rel in read_rels(doc, ""):
            if rel.type == RT_OFFICE_DOC:
                return rel.target
            if rel.type.startswith("http://purl.oclc.org/"):
                raise StrictError
        raise Damaged("_rels/.rels", "no officeDocument relationship")

    def sheets(self) -> list[SheetInfo]:
        doc = self.doc(self.wb_part)
        if default_ns(doc.data, doc.root) == NS_STRICT:
            raise StrictError
        rels = {r.id: r for r in read_rels(self.doc(rels_name(self.wb_part)), self.wb_part)}
        sheets_el = doc.child(None, b"sheets")
        out = []
        for i, el in enumerate(doc.children(sheets_el, b"sheet") if sheets_el else []):
            a = {k: v[0] for k, v in attributes(doc.data, el).items()}
            rid = next((v for k, v in a.items() if k.endswith(b":id")), "")
            rel = rels.get(rid)
            out.append(
                SheetInfo(
                    name=a.get(b"name", ""),
                    sheet_id=a.get(b"sheetId", ""),
                    rid=rid,
                    part=rel.target if rel and not rel.external else None,
                    index=i,
                    is_worksheet=bool(rel and rel.type == RT_WORKSHEET),
                )
            )
        return out

    def sheet_by(self, name: str | None = None, sheet_id: str | None = None) -> SheetInfo | None:
        sheets = self.sheets()
        if sheet_id:
            for s in sheets:
                if s.sheet_id == sheet_id:
                    return s
        if name is not None:
            for s in sheets:
                if s.name == name:
                    return s
            for s in sheets:
                if s.name.casefold() == name.casefold():
                    return s
        return None

    def editor(self, part: str) -> SheetEditor:
        if part not in self.editors:
            try:
                self.editors[part] = SheetEditor(part, self.pkg.get(part))
            except KeyError as exc:
                raise Damaged(part, "missing") from exc
        return self.editors[part]

    def find_styles_part(self) -> str | None:
        doc = self.doc(rels_name(self.wb_part))
        for rel in read_rels(doc, self.wb_part):
            if rel.type == RT_STYLES and self.pkg.exists(rel.target):
                return rel.target
        return None

    def create_styles(self) -> str:
        """Add a default styles part, for a workbook that has none; returns its name."""
        part = resolve(self.wb_part, "styles.xml")
        self.pkg.put(part, DEFAULT_STYLES)
        with self.edit(rels_name(self.wb_part), EMPTY_RELS) as doc:
            add_rel(doc, self.wb_part, RT_STYLES, part)
        self.add_override(part, CT_STYLES)
        return part

    def delete_with_rels(self, part: str) -> None:
        """Delete a part, its relationships, and the parts only it referred to."""
        rels_part = rels_name(part)
        targets = []
        if self.pkg.exists(rels_part):
            targets = [r.target for r in read_rels(self.doc(rels_part), part) if not r.external]
            self.pkg.delete(rels_part)
        self.pkg.delete(part)
        self.remove_override(part)
        if targets:
            still = self.referenced()
            for t in targets:
                if t not in still and self.pkg.exists(t):
                    self.delete_with_rels(t)

    def referenced(self) -> set[str]:
        out = set()
        for name in self.pkg.names():
            if name.endswith(".rels"):
                source = rels_source(name)
                out |= {r.target for r in read_rels(self.doc(name), source) if not r.external}
        return out

    def drop_calc_chain(self) -> None:
        """A calculation chain naming a removed sheet makes Excel repair the file: drop it."""
        with self.edit(rels_name(self.wb_part)) as doc:
            for rel in read_rels(doc, self.wb_part):
                if rel.type == RT_CALC_CHAIN:
                    doc.remove(rel.el)
                    if self.pkg.exists(rel.target):
                        self.pkg.delete(rel.target)
                        self.remove_override(rel.target)

    def remove_override(self, part: str) -> None:
        with self.edit("[Content_Types].xml") as doc:
            for el in doc.children(None, b"Override"):
                name = (doc.attr(el, b"PartName") or "").lstrip("/")
                if name.lower() == part.lower():
                    doc.remove(el)

    def add_override(self, part: str, content_type: str) -> None:
        with self.edit("[Content_Types].xml") as doc:
            for el in doc.children(None, b"Override"):
                if (doc.attr(el, b"PartName") or "").lstrip("/").lower() == part.lower():
                    if doc.attr(el, b"ContentType") != content_type:
                        doc.set_attr(el, b"ContentType", content_type)
                    return
            doc.append(
                doc.root,
                b'<Override PartName="/%s" ContentType="%s"/>'
                % (esc_attr(part), esc_attr(content_type)),
            )

    def default_type(self, ext: str) -> str | None:
        doc = self.doc("[Content_Types].xml")
        for el in doc.children(None, b"Default"):
            if (doc.attr(el, b"Extension") or "").lower() == ext:
                return doc.attr(el, b"ContentType")
        return None

    def add_default(self, ext: str, content_type: str) -> None:
        with self.edit("[Content_Types].xml") as doc:
            overrides = doc.children(None, b"Override")
            new = b'<Default Extension="%s" ContentType="%s"/>' % (
                ext.encode(),
                esc_attr(content_type),
            )
            if overrides:
                doc.insert(overrides[0].start, new)
            else:
                doc.append(doc.root, new)

    def remove_default(self, ext: str) -> None:
        if any(n.lower().endswith("." + ext) for n in self.pkg.names()):
            return
        with self.edit("[Content_Types].xml") as doc:
            for el in doc.children(None, b"Default"):
                if (doc.attr(el, b"Extension") or "").lower() == ext:
                    doc.remove(el)

    def write(self, out) -> None:
        self.pkg.write(out, self.now)
