"""The package as parts (read on demand, changed, added, deleted), their relationships and types."""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote

from mops.workbook.ooxml.xml import XML_DECL, Doc, El, attributes, esc_attr
from mops.workbook.ooxml.zipio import ZipWriter, raw_copyable

NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_OFFICE_DOC = RT + "officeDocument"
RT_WORKSHEET = RT + "worksheet"
RT_COMMENTS = RT + "comments"
RT_VML = RT + "vmlDrawing"
RT_STYLES = RT + "styles"
RT_CALC_CHAIN = RT + "calcChain"
RT_CUSTOM_XML = RT + "customXml"
RT_CUSTOM_XML_PROPS = RT + "customXmlProps"
RT_SHARED_STRINGS = RT + "sharedStrings"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
CT_ITEM_PROPS = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
CT_XML = "application/xml"


class Package:
    """The zip package: original parts read on demand, changed, new and deleted parts tracked."""

    def __init__(self, zin: zipfile.ZipFile) -> None:
        self.zin = zin
        self.infos = {i.filename: i for i in zin.infolist()}
        self.order = [i.filename for i in zin.infolist()]
        self._cache: dict[str, bytes] = {}
        self.parts: dict[str, bytes | list] = {}  # rewritten or new: bytes, or a list of pieces
        self.deleted: set[str] = set()

    def exists(self, name: str) -> bool:
        return name not in self.deleted and (name in self.parts or name in self.infos)

    def original(self, name: str) -> bytes:
        if name not in self._cache:
            self._cache[name] = self.zin.read(self.infos[name])
        return self._cache[name]

    def get(self, name: str) -> bytes:
        if name in self.deleted:
            raise KeyError(name)
        if name in self.parts:
            value = self.parts[name]
            if isinstance(value, list):
                value = b"".join(value)
                self.parts[name] = value
            return value
        if name not in self.infos:
            raise KeyError(name)
        return self.original(name)

    def head(self, name: str, size: int) -> bytes:
        """The first ``size`` bytes of a part, inflating no more of it than that."""
        if name in self.parts or name in self._cache or name in self.deleted:
            return self.get(name)[:size]
        if name not in self.infos:
            raise KeyError(name)
        with self.zin.open(self.infos[name]) as f:
            return f.read(size)

    def put(self, name: str, data: bytes | list) -> None:
        self.deleted.discard(name)
        self.parts[name] = data

    def delete(self, name: str) -> None:
        self.parts.pop(name, None)
        if name in self.infos:
            self.deleted.add(name)

    def names(self) -> list[str]:
        out = [n for n in self.order if n not in self.deleted]
        out += [n for n in self.parts if n not in self.infos]
        return out

    def _same_as_original(self, name: str) -> bool:
        value = self.parts[name]
        info = self.infos.get(name)
        if info is None:
            return False
        size = sum(len(p) for p in value) if isinstance(value, list) else len(value)
        if size != info.file_size:
            return False
        joined = b"".join(value) if isinstance(value, list) else value
        return joined == self.original(name)

    def changed_names(self) -> set[str]:
        out = set(self.deleted)
        out |= {n for n in self.parts if not self._same_as_original(n)}
        return out

    def write(self, out, now: datetime) -> None:
        """Write the package: untouched parts as their original compressed bytes."""
        writer = ZipWriter(out)
        src = self.zin.fp
        for name in self.order:
            if name in self.deleted:
                continue
            info = self.infos[name]
            if name in self.parts and not self._same_as_original(name):
                value = self.parts[name]
                writer.write(
                    name, value if isinstance(value, list) else [value], info.date_time, info
                )
            elif raw_copyable(info):
                writer.copy_raw(src, info)
            else:
                writer.write(name, [self.original(name)], info.date_time, info)
        stamp = (max(now.year, 1980), now.month, now.day, now.hour, now.minute, now.second)
        for name, value in self.parts.items():
            if name not in self.infos:
                writer.write(name, value if isinstance(value, list) else [value], stamp)
        writer.close(self.zin.comment)


def rels_name(part: str) -> str:
    folder, _, base = part.rpartition("/")
    return f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"


def rels_source(rels_part: str) -> str:
    folder, _, base = rels_part.rpartition("/")
    parent = folder.rpartition("/")[0] if folder.endswith("_rels") else folder
    source = base[: -len(".rels")]
    return f"{parent}/{source}" if parent else source


def resolve(source: str, target: str) -> str:
    target = unquote(target)
    if target.startswith("/"):
        return target.lstrip("/")
    folder = source.rpartition("/")[0]
    resolved = posixpath.normpath(posixpath.join(folder, target))
    # ".." above the package root stays at the root (LibreOffice writes such targets).
    while resolved.startswith("../"):
        resolved = resolved[3:]
    return resolved


def _relative(source: str, target: str) -> str:
    return posixpath.relpath(target, source.rpartition("/")[0] or ".")


@dataclass(frozen=True)
class Rel:
    el: El
    id: str
    type: str
    target: str  # resolved part name; the raw target when external
    external: bool


EMPTY_RELS = XML_DECL + f'<Relationships xmlns="{NS_PKG_REL}"></Relationships>'.encode()


def read_rels(doc: Doc, source: str) -> list[Rel]:
    out = []
    for el in doc.children(None, b"Relationship"):
        a = {k: v[0] for k, v in attributes(doc.data, el).items()}
        external = a.get(b"TargetMode") == "External"
        target = a.get(b"Target", "")
        out.append(
            Rel(
                el,
                a.get(b"Id", ""),
                a.get(b"Type", ""),
                target if external else resolve(source, target),
                external,
            )
        )
    return out


def add_rel(doc: Doc, source: str, rel_type: str, target: str) -> str:
    ids = {r.id for r in read_rels(doc, source)}
    n = 1
    while f"rId{n}" in ids:
        n += 1
    rid = f"rId{n}"
    doc.append(
        doc.root,
        b'<Relationship Id="%s" Type="%s" Target="%s"/>'
        % (rid.encode(), esc_attr(rel_type), esc_attr(_relative(source, target))),
    )
    return rid


def _free_name(pkg: Package, pattern: str, start: int = 1) -> str:
    """The first ``pattern % n`` not taken, compared without case as zip readers do."""
    taken = {n.lower() for n in pkg.names()}
    n = start
    while (pattern % n).lower() in taken:
        n += 1
    return pattern % n


def free_after(pkg: Package, regex: str, pattern: str) -> str:
    """``pattern % (highest n matching regex + 1)``: numbering continues after existing parts."""
    top = 0
    for name in pkg.names():
        m = re.fullmatch(regex, name, re.I)
        if m:
            top = max(top, int(m.group(1)))
    return _free_name(pkg, pattern, top + 1)
