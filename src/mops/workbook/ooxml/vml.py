"""The legacy VML drawing that shows comments as notes: one hidden shape per commented cell."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mops.workbook.ooxml.cells import display_width
from mops.workbook.ooxml.parts import Package
from mops.workbook.ooxml.record import SheetRec
from mops.workbook.ooxml.xml import Damaged

VML_HEAD = (
    b'<xml xmlns:v="urn:schemas-microsoft-com:vml"\n'
    b' xmlns:o="urn:schemas-microsoft-com:office:office"\n'
    b' xmlns:x="urn:schemas-microsoft-com:office:excel">\n'
    b' <o:shapelayout v:ext="edit">\n'
    b'  <o:idmap v:ext="edit" data="%s"/>\n'
    b" </o:shapelayout>"
)

VML_SHAPETYPE = (
    b'<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202"\n'
    b'  path="m,l,21600r21600,l21600,xe">\n'
    b'  <v:stroke joinstyle="miter"/>\n'
    b'  <v:path gradientshapeok="t" o:connecttype="rect"/>\n'
    b" </v:shapetype>"
)

VML_SHAPE = re.compile(rb"<v:shape\b(?:[^>]*/>|.*?</v:shape\s*>)", re.S)
_VML_SHAPETYPE_202 = re.compile(
    rb"""<v:shapetype\b[^>]*\bid\s*=\s*["']_x0000_t202["'](?:[^>]*/>|.*?</v:shapetype\s*>)""",
    re.S,
)

_VML_IDMAP = re.compile(rb"""(<o:idmap\b[^>]*\bdata\s*=\s*["'])([^"']*)(["'])""")
_VML_ID = re.compile(rb"_x0000_s(\d+)")


def _vml_shape(shape_id: int, row: int, col: int, text_: str) -> bytes:
    """A hidden note box for the cell at 1-based (row, col), sized to the text."""
    lines = sum(max(1, -(-display_width(line) // 40)) for line in text_.split("\n")) + 1
    height = min(max(60, 12 * lines + 6), 400)
    rows = max(4, -(-height // 15))
    anchor = f"{col}, 15, {max(row - 2, 0)}, 10, {col + 4}, 15, {max(row - 2, 0) + rows}, 4"
    style = (
        f"position:absolute;margin-left:{48 * col + 12}pt;margin-top:{15 * max(row - 2, 0) + 2}pt;"
        f"width:216pt;height:{height}pt;z-index:1;visibility:hidden"
    )
    return (
        f'<v:shape id="_x0000_s{shape_id}" type="#_x0000_t202" style=\'{style}\' '
        'fillcolor="#ffffe1" o:insetmode="auto">'
        '<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/>'
        '<v:path o:connecttype="none"/>'
        "<v:textbox style='mso-direction-alt:auto'><div style='text-align:left'></div></v:textbox>"
        '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
        f"<x:Anchor>{anchor}</x:Anchor><x:AutoFill>False</x:AutoFill>"
        f"<x:Row>{row - 1}</x:Row><x:Column>{col - 1}</x:Column></x:ClientData></v:shape>"
    ).encode()


def _note_cell(shape: bytes) -> tuple[int, int] | None:
    """The 1-based (row, col) a VML note shape belongs to, or None for other shapes."""
    if not re.search(rb"""ObjectType\s*=\s*["']Note["']""", shape):
        return None
    r = re.search(rb"<x:Row>\s*(\d+)\s*</x:Row>", shape)
    c = re.search(rb"<x:Column>\s*(\d+)\s*</x:Column>", shape)
    if not r or not c:
        return None
    return int(r.group(1)) + 1, int(c.group(1)) + 1


def check_vml(data: bytes, part: str) -> None:
    """VML written by Excel is not always well-formed XML; refuse DTDs and entities at least."""
    if re.search(rb"<!(?:DOCTYPE|ENTITY)", data):
        raise Damaged(part, "a DTD is not allowed")
    if data.rfind(b"</xml>") < 0:
        raise Damaged(part, "no </xml>")


def _idmap_blocks(data: bytes) -> list[int]:
    m = _VML_IDMAP.search(data)
    if not m:
        return []
    return [int(x) for x in re.findall(rb"\d+", m.group(2))]


def undo_vml(data: bytes, removed: set[tuple[int, int]], srec: SheetRec) -> bytes:
    out = data
    if removed:
        pieces = []
        pos = 0
        for m in VML_SHAPE.finditer(data):
            if _note_cell(m.group(0)) in removed:
                pieces.append(data[pos : m.start()])
                pos = m.end()
        pieces.append(data[pos:])
        out = b"".join(pieces)
    if srec.shapetype_added and b'"#_x0000_t202"' not in out:
        out = _VML_SHAPETYPE_202.sub(b"", out, count=1)
    if srec.idmap_orig is not None:
        out = _VML_IDMAP.sub(
            lambda m: m.group(1) + srec.idmap_orig.encode() + m.group(3), out, count=1
        )
    return out


def add_vml_shapes(
    data: bytes, cells: list[tuple[int, int, str]], taken_blocks: set[int]
) -> tuple[bytes, bool, str | None]:
    """Add note shapes; returns (VML, note shape type added, original idmap data or None)."""
    # Shape ids must be unique in the workbook: new ones come from this drawing's free ids,
    # then from id blocks no drawing uses, which are added to its o:idmap.
    used = {int(x) for x in _VML_ID.findall(data)}
    blocks = _idmap_blocks(data)
    idmap_orig = None
    ids: list[int] = []

    def free_in(block: int) -> Iterator[int]:
        for i in range(block * 1024 + 1, block * 1024 + 1024):
            if i not in used:
                yield i

    for b in blocks:
        for i in free_in(b):
            if len(ids) == len(cells):
                break
            ids.append(i)
    new_blocks: list[int] = []
    n = 1
    while len(ids) < len(cells):
        while n in taken_blocks or n in blocks or n in new_blocks:
            n += 1
        new_blocks.append(n)
        for i in free_in(n):
            if len(ids) == len(cells):
                break
            ids.append(i)
    if new_blocks:
        m = _VML_IDMAP.search(data)
        if m:
            idmap_orig = m.group(2).decode()
            value = ",".join(str(b) for b in blocks + new_blocks).encode()
            data = data[: m.start(2)] + value + data[m.end(2) :]
    typed = not _VML_SHAPETYPE_202.search(data)
    shapes = (VML_SHAPETYPE if typed else b"") + b"".join(
        _vml_shape(i, row, col, text_) for i, (row, col, text_) in zip(ids, cells, strict=True)
    )
    end = data.rfind(b"</xml>")
    return data[:end] + shapes + data[end:], typed, idmap_orig


def vml_blocks(pkg: Package, exclude: str | None = None) -> set[int]:
    """The shape-id blocks (``o:idmap data``) used by the package's VML parts."""
    used: set[int] = set()
    for name in pkg.names():
        if name.lower().endswith(".vml") and name != exclude:
            used.update(_idmap_blocks(pkg.get(name)))
    return used


def free_vml_block(pkg: Package) -> int:
    """The first shape-id block no VML part of the package uses."""
    used = vml_blocks(pkg)
    n = 1
    while n in used:
        n += 1
    return n
