"""``xl/styles.xml``: fills, fonts and cell formats appended after the user's, and date formats."""

from __future__ import annotations

import re

from mops.workbook.ooxml.xml import NS_MAIN, TOKEN, XML_DECL, Damaged, Doc, El, esc_attr, with_attr

FILL_RGB = {"error": "FFFFC7CE", "warning": "FFFFEB9C", "info": "FFDDEBF7"}
LINK_RGB = "FF0563C1"
HEADER_RGB = "FF1F4E78"  # the findings sheet's header, the dark blue of mops's own headers
DEFAULT_STYLES = (
    XML_DECL
    + (
        f'<styleSheet xmlns="{NS_MAIN}">'
        '<fonts count="1"><font><sz val="11"/><color theme="1"/><name val="Calibri"/>'
        '<family val="2"/><scheme val="minor"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '<dxfs count="0"/><tableStyles count="0"/></styleSheet>'
    ).encode()
)


class Styles:
    """``xl/styles.xml``: new fonts, fills and cell formats appended after the user's."""

    def __init__(self, part: str, data: bytes) -> None:
        self.doc = Doc(data, part)
        self.p = self.doc.p
        self.lists: dict[bytes, El] = {}
        self.items: dict[bytes, list[El]] = {}
        for name in (b"fonts", b"fills", b"cellXfs"):
            el = self.doc.child(None, name)
            if el is None:
                raise Damaged(part, f"no <{name.decode()}>")
            self.lists[name] = el
            self.items[name] = self.doc.children(el)
        self.new: dict[bytes, list[bytes]] = {b"fonts": [], b"fills": [], b"cellXfs": []}
        self._fills: dict[str, int] = {}
        self._marks: dict[tuple[int, str], int] = {}
        self._fonts: dict[str, int] = {}
        self._xfs: dict[tuple, int] = {}

    def count(self, name: bytes) -> int:
        return len(self.items[name]) + len(self.new[name])

    def truncate(self, fonts: int, fills: int, xfs: int) -> None:
        """Cut the lists back to the given lengths (the user's, before mops appended)."""
        for name, keep in ((b"fonts", fonts), (b"fills", fills), (b"cellXfs", xfs)):
            items = self.items[name]
            if len(items) <= keep:
                continue
            self.doc.splice(items[keep].start, items[-1].end, b"")
            self._set_count(name, keep)

    def _set_count(self, name: bytes, n: int) -> None:
        if self.doc.attr(self.lists[name], b"count") is not None:
            self.doc.set_attr(self.lists[name], b"count", str(n))

    def _add(self, name: bytes, xml: bytes) -> int:
        # An identical entry already there is reused: the other owner's run (findings beside
        # a reconciliation) appended the same formats, and appending them again each night
        # would grow the lists without end.
        items = self.items[name]
        for i, el in enumerate(items):
            if self.doc.xml(el) == xml:
                return i
        if xml in self.new[name]:
            return len(items) + self.new[name].index(xml)
        self.new[name].append(xml)
        return self.count(name) - 1

    def fill(self, severity: str) -> int:
        if severity not in self._fills:
            p = self.p
            xml = (
                b'<%sfill><%spatternFill patternType="solid"><%sfgColor rgb="%s"/>'
                b'<%sbgColor indexed="64"/></%spatternFill></%sfill>'
                % (p, p, p, FILL_RGB[severity].encode(), p, p, p)
            )
            self._fills[severity] = self._add(b"fills", xml)
        return self._fills[severity]

    def _font(self, kind: str) -> int:
        if kind not in self._fonts:
            fonts = self.items[b"fonts"]
            base = self.doc.xml(fonts[0]) if fonts else b"<%sfont/>" % self.p
            p = self.p
            extra = {
                "bold": b"<%sb/>" % p,
                "title": b'<%sb/><%ssz val="14"/>' % (p, p),
                "header": b'<%sb/><%scolor rgb="FFFFFFFF"/>' % (p, p),
                "link": b'<%su/><%scolor rgb="%s"/>' % (p, p, LINK_RGB.encode()),
            }[kind]
            self._fonts[kind] = self._add(b"fonts", _font_variant(base, p, extra))
        return self._fonts[kind]

    def _header_fill(self) -> int:
        if "header" not in self._fills:
            p = self.p
            xml = (
                b'<%sfill><%spatternFill patternType="solid"><%sfgColor rgb="%s"/>'
                b'<%sbgColor indexed="64"/></%spatternFill></%sfill>'
                % (p, p, p, HEADER_RGB.encode(), p, p, p)
            )
            self._fills["header"] = self._add(b"fills", xml)
        return self._fills["header"]

    def _xf_bytes(self, index: int) -> bytes:
        xfs = self.items[b"cellXfs"]
        if 0 <= index < len(xfs):
            return self.doc.xml(xfs[index])
        if xfs:
            return self.doc.xml(xfs[0])
        return b'<%sxf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' % self.p

    def marked(self, base: int, severity: str) -> int:
        """A cell format like ``base`` with the severity's fill."""
        key = (base, severity)
        if key not in self._marks:
            xml = with_attr(self._xf_bytes(base), b"fillId", str(self.fill(severity)))
            xml = with_attr(xml, b"applyFill", "1")
            self._marks[key] = self._add(b"cellXfs", xml)
        return self._marks[key]

    def is_ours(self, index: int) -> bool:
        """Whether a cell format has one of mops's solid fills (by colour)."""
        xfs = self.items[b"cellXfs"]
        if not 0 <= index < len(xfs):
            return False
        fill = self.doc.attr(xfs[index], b"fillId")
        fills = self.items[b"fills"]
        if fill is None or not fill.isdigit() or int(fill) >= len(fills):
            return False
        xml = self.doc.xml(fills[int(fill)])
        rgb = re.search(rb"""fgColor\b[^>]*\brgb\s*=\s*["']([0-9A-Fa-f]{8})["']""", xml)
        return bool(rgb and rgb.group(1).decode().upper() in FILL_RGB.values())

    def unfilled(self, index: int) -> int:
        """A copy of a cell format with no fill."""
        key = (index, "unfilled")
        if key not in self._marks:
            xml = with_attr(self._xf_bytes(index), b"fillId", "0")
            xml = with_attr(xml, b"applyFill", None)
            self._marks[key] = self._add(b"cellXfs", xml)
        return self._marks[key]

    def findings_xf(self, kind: str, severity: str | None = None) -> int:
        """Formats of the findings sheet, by ``kind``, with the severity's fill if given.

        ``title`` (large, bold), ``label`` (bold) and ``summary`` (wrapped) for the summary
        above the table; ``header`` (bold white on dark blue, wrapped); ``link``, ``top`` and
        ``wrap`` for the rows (aligned to the top, ``wrap`` wrapped, ``link`` underlined blue).
        """
        key = (kind, severity)
        if key not in self._xfs:
            xml = with_attr(self._xf_bytes(0), b"numFmtId", "0")
            font = {"title": "title", "label": "bold", "header": "header", "link": "link"}
            if kind in font:
                xml = with_attr(xml, b"fontId", str(self._font(font[kind])))
                xml = with_attr(xml, b"applyFont", "1")
            fill = self.fill(severity) if severity is not None else None
            if kind == "header":
                fill = self._header_fill()
            if fill is not None:
                xml = with_attr(with_attr(xml, b"fillId", str(fill)), b"applyFill", "1")
            wrap = kind in ("summary", "header", "wrap")
            vertical = {"title": "center", "header": "center"}.get(kind, "top")
            xml = _with_alignment(xml, self.p, wrap, vertical)
            self._xfs[key] = self._add(b"cellXfs", xml)
        return self._xfs[key]

    def render(self) -> bytes:
        for name, new in self.new.items():
            if new:
                self.doc.append(self.lists[name], b"".join(new))
                self._set_count(name, self.count(name))
        return self.doc.render()


def _with_alignment(xf: bytes, p: bytes, wrap: bool, vertical: str) -> bytes:
    """A copy of an ``<xf>`` aligned so (its other children, such as protection, kept)."""
    align = b'<%salignment vertical="%s"%s/>' % (
        p,
        vertical.encode(),
        b' wrapText="1"' if wrap else b"",
    )
    xf = with_attr(xf, b"applyAlignment", "1")
    m = TOKEN.match(xf)
    assert m is not None
    if m.group("empty"):
        return xf[: xf.rindex(b"/", 0, m.end())].rstrip() + b">" + align + b"</%sxf>" % p
    inner = xf[m.end() : xf.rindex(b"</")]
    inner = re.sub(
        rb"<(?:[\w.-]+:)?alignment\b[^>]*?(?:/>|>.*?</(?:[\w.-]+:)?alignment>)",
        b"",
        inner,
        flags=re.S,
    )
    return xf[: m.end()] + align + inner + xf[xf.rindex(b"</") :]


_FONT_ORDER = [
    b"b",
    b"i",
    b"strike",
    b"condense",
    b"extend",
    b"outline",
    b"shadow",
    b"u",
    b"vertAlign",
    b"sz",
    b"color",
    b"name",
    b"family",
    b"charset",
    b"scheme",
]


def _font_variant(font: bytes, p: bytes, extra: bytes) -> bytes:
    """A copy of a ``<font>`` with bold/underline/colour (and what ``extra`` sets) replaced."""
    # Children in the order Excel writes them, although the schema allows any.
    m = TOKEN.match(font)
    assert m is not None
    qname = m.group("name")
    if m.group("empty"):
        start = font[: font.rindex(b"/", 0, m.end())].rstrip() + b">"
        inner = b""
    else:
        start = font[: m.end()]
        inner = font[m.end() : font.rindex(b"</")]
    kids = [k.group(0) for k in re.finditer(rb"<([^\s/>]+)[^>]*?(?:/>|>.*?</\1\s*>)", inner, re.S)]
    added = [k.group(0) for k in re.finditer(rb"<[^>]*/>", extra)]
    replaced = {b"b", b"u", b"color"} | {_local_of(k) for k in added}
    kids = [k for k in kids if _local_of(k) not in replaced] + added
    order = {name: i for i, name in enumerate(_FONT_ORDER)}
    kids.sort(key=lambda k: order.get(_local_of(k), len(order)))
    return start + b"".join(kids) + b"</" + qname + b">"


def _local_of(xml: bytes) -> bytes:
    """The local name of the element an XML fragment starts with."""
    m = re.match(rb"<([^\s/>]+)", xml)
    return m.group(1).rpartition(b":")[2] if m else b""


# The formats mops.workbook.writer gives DATE and DATETIME columns.
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

# Built-in number formats (ECMA-376 18.8.30, with the zh-TW ids 27-36 and 50-58) that show a
# date, and those that show a time of day; 22 shows both.
_BUILTIN_DATE = frozenset({14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 36, 50, 51, 54, 57, 58})
_BUILTIN_TIME = frozenset({18, 19, 20, 21, 22, 32, 33, 34, 35, 45, 46, 47, 52, 53, 55, 56})

# Pieces of a format code that are not date or time tokens: quoted text, escaped characters,
# padding (_x) and fill (*x), and bracketed colours, conditions and locales (not [h] [mm] [ss]).
_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|_.|\*.|\[(?![hms]+\])[^\]]*\]', re.I | re.S)
_ELAPSED = re.compile(r"\[[hms]+\]", re.I)
_EXPONENT = re.compile(r"e[+-]", re.I)


def _format_shows(code: str) -> tuple[bool, bool]:
    """Whether a number format code shows a date, and whether it shows a time of day."""
    s = _FORMAT_NOISE.sub("", code).split(";", 1)[0]
    elapsed = bool(_ELAPSED.search(s))
    s = _ELAPSED.sub("", s).lower()
    s = s.replace("general", "").replace("am/pm", "a").replace("a/p", "a")
    s = _EXPONENT.sub("", s)  # 0.00E+00 is scientific, not an era year
    shows_time = elapsed or "h" in s or "s" in s
    shows_date = any(ch in s for ch in "ydeb") or ("m" in s and not shows_time)
    return shows_date, shows_time


class ValueStyles(Styles):
    """The styles part as write_values needs it: which formats show dates, and new ones."""

    def __init__(self, part: str, data: bytes) -> None:
        super().__init__(part, data)
        self.numfmts_el = self.doc.child(None, b"numFmts")
        self.codes: dict[int, str] = {}
        found = self.doc.children(self.numfmts_el, b"numFmt") if self.numfmts_el else []
        self.numfmt_count = len(found)
        for el in found:
            fid = self.doc.attr(el, b"numFmtId") or ""
            if fid.isdigit():
                self.codes[int(fid)] = self.doc.attr(el, b"formatCode") or ""
        self.new_numfmts: list[bytes] = []
        self._date_xfs: dict[tuple[int, bool], int] = {}
        self._quote_xfs: dict[int, int] = {}

    def shows_date(self, index: int, need_time: bool) -> bool:
        """Whether cell format ``index`` shows a date (and a time, if ``need_time``)."""
        xfs = self.items[b"cellXfs"]
        if not 0 <= index < len(xfs):
            return False
        fid = self.doc.attr(xfs[index], b"numFmtId") or "0"
        if not fid.isdigit():
            return False
        n = int(fid)
        if n in self.codes:
            shows_date, shows_time = _format_shows(self.codes[n])
        else:
            shows_date, shows_time = n in _BUILTIN_DATE, n in _BUILTIN_TIME
        return shows_date and (shows_time or not need_time)

    def _numfmt(self, code: str) -> int:
        for n, c in self.codes.items():
            if c == code:
                return n
        n = max([163, *self.codes]) + 1  # custom formats are numbered from 164
        self.codes[n] = code
        self.new_numfmts.append(
            b'<%snumFmt numFmtId="%d" formatCode="%s"/>' % (self.p, n, esc_attr(code))
        )
        return n

    def date_xf(self, base: int, need_time: bool) -> int:
        """A cell format like ``base`` that shows a date (and time): an equal one or a new one."""
        key = (base, need_time)
        if key not in self._date_xfs:
            fid = self._numfmt(DATETIME_FORMAT if need_time else DATE_FORMAT)
            xml = with_attr(self._xf_bytes(base), b"numFmtId", str(fid))
            xml = with_attr(xml, b"applyNumberFormat", "1")
            found = next(
                (i for i, el in enumerate(self.items[b"cellXfs"]) if self.doc.xml(el) == xml),
                None,
            )
            self._date_xfs[key] = found if found is not None else self._add(b"cellXfs", xml)
        return self._date_xfs[key]

    def quote_xf(self, base: int) -> int:
        """A cell format like ``base`` with Excel's quote prefix: what is typed there stays text.

        Text that starts with = + - @ is stored as text already; the prefix keeps it text when a
        person edits the cell, instead of Excel reading it as a formula then.
        """
        if base not in self._quote_xfs:
            xml = with_attr(self._xf_bytes(base), b"quotePrefix", "1")
            found = next(
                (i for i, el in enumerate(self.items[b"cellXfs"]) if self.doc.xml(el) == xml),
                None,
            )
            self._quote_xfs[base] = found if found is not None else self._add(b"cellXfs", xml)
        return self._quote_xfs[base]

    def changed(self) -> bool:
        return bool(self.new_numfmts) or any(self.new.values())

    def render(self) -> bytes:
        if self.new_numfmts:
            body = b"".join(self.new_numfmts)
            if self.numfmts_el is None:
                # numFmts is the first child of styleSheet, before the fonts.
                self.doc.insert(
                    self.lists[b"fonts"].start,
                    b'<%snumFmts count="%d">%s</%snumFmts>'
                    % (self.p, len(self.new_numfmts), body, self.p),
                )
            else:
                self.doc.append(self.numfmts_el, body)
                count = self.numfmt_count + len(self.new_numfmts)
                self.doc.set_attr(self.numfmts_el, b"count", str(count))
        return super().render()
