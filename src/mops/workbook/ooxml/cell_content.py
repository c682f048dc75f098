"""What a worksheet cell holds, read from its XML, and the XML of a cell holding a new value."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from mops.workbook.ooxml.xml import (
    ATTR_RE,
    TOKEN,
    El,
    child_elements,
    esc,
    ooxml_decode,
    unescape,
    with_attr,
)

_RPH = re.compile(rb"<((?:[\w.-]+:)?)rPh\b.*?</\1rPh\s*>", re.S)
_T_TEXT = re.compile(rb"<((?:[\w.-]+:)?)t(?:\s[^>]*)?(?:/>|>(.*?)</\1t\s*>)", re.S)


@dataclass(frozen=True)
class CellContent:
    """What a cell holds: its type, formula, raw value and inline text, and other children."""

    t: str | None
    s: str | None
    formula: bool
    v: str | None
    inline: str | None
    others: tuple[bytes, ...]  # children kept as they are (extLst)

    @property
    def blank(self) -> bool:
        return not self.formula and self.v is None and self.inline is None


def read_cell(xml: bytes, part: str) -> CellContent:
    m = TOKEN.match(xml)
    assert m is not None and m.group("name")
    qname = m.group("name")
    attrs = {
        a.group(1): unescape(a.group(2) if a.group(2) is not None else a.group(3))
        for a in ATTR_RE.finditer(xml, 1 + len(qname), m.end())
    }
    t, s = attrs.get(b"t"), attrs.get(b"s")
    if m.group("empty"):
        return CellContent(t, s, False, None, None, ())
    el = El(qname, 0, m.end(), xml.rindex(b"</"), len(xml))
    formula = False
    v = inline = None
    others: list[bytes] = []
    for child in child_elements(xml, el, part):
        if child.local == b"f":
            formula = True
        elif child.local == b"v":
            v = unescape(xml[child.open_end : child.inner_end])
        elif child.local == b"is":
            inline = rich_text(xml[child.open_end : child.inner_end])
        else:
            others.append(xml[child.start : child.end])
    return CellContent(t, s, formula, v, inline, tuple(others))


def rich_text(body: bytes) -> str:
    """The text of an ``<si>`` or ``<is>``: its ``<t>`` pieces, without phonetic runs."""
    body = _RPH.sub(b"", body)
    return "".join(ooxml_decode(unescape(m.group(2) or b"")) for m in _T_TEXT.finditer(body))


def number_text(raw: str) -> str:
    """A number cell's value as text: 1001 (not 1001.0), 2.5."""
    try:
        d = Decimal(raw.strip())
    except ArithmeticError:
        return raw.strip()
    if not d.is_finite():
        return raw.strip()
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def decimal_text(d: Decimal) -> str:
    """A Decimal's own digits, as a number XML Schema and Excel read (no float noise)."""
    if -20 <= d.adjusted() <= 20:
        return format(d, "f")
    return str(d).replace("e", "E")


def date_serial(value: date, date1904: bool) -> str | None:
    """The Excel serial of a date or naive datetime, as the text of ``<v>``; None if none."""
    day = value.date() if isinstance(value, datetime) else value
    if date1904:
        days = (day - date(1904, 1, 1)).days
        if days < 0:
            return None
    else:
        days = (day - date(1899, 12, 30)).days
        if day < date(1900, 3, 1):
            days -= 1  # Excel counts a 29 February 1900 that never was
        if days < 1:
            return None
    if not isinstance(value, datetime):
        return str(days)
    micros = ((value.hour * 60 + value.minute) * 60 + value.second) * 1_000_000
    micros += value.microsecond
    if not micros:
        return str(days)
    return repr(float(Decimal(days) + Decimal(micros) / Decimal(86_400_000_000)))


def value_cell_xml(
    old: bytes | None, p: bytes, ref: str, style: int, kind: str, value: str, c: CellContent
) -> bytes:
    """A cell holding a value of ``kind`` (clear, str, num, bool or date) encoded as ``value``.

    An existing cell (``old``) keeps its other attributes.
    """
    if old is None:
        tag = b"<" + p + b'c r="' + ref.encode() + b'"/>'
        if style:
            tag = with_attr(tag, b"s", str(style))
    else:
        m = TOKEN.match(old)
        assert m is not None
        tag = old[: m.end()]
        if str(style) != (c.s or "0"):
            tag = with_attr(tag, b"s", str(style))
    for name in (b"t", b"vm", b"cm"):  # vm/cm point at metadata of the value being replaced
        tag = with_attr(tag, name, None)
    if kind == "str":
        tag = with_attr(tag, b"t", "inlineStr")
        body = b'<%sis><%st xml:space="preserve">%s</%st></%sis>' % (
            p,
            p,
            esc(value).replace(b"\r", b"&#13;"),
            p,
            p,
        )
    elif kind == "bool":
        tag = with_attr(tag, b"t", "b")
        body = b"<%sv>%s</%sv>" % (p, value.encode(), p)
    elif kind in ("num", "date"):
        body = b"<%sv>%s</%sv>" % (p, value.encode(), p)
    else:
        body = b""
    body += b"".join(c.others)
    empty = tag.endswith(b"/>")
    if not body:
        return tag if empty else tag[:-1].rstrip() + b"/>"
    if empty:
        tag = tag[: tag.rindex(b"/")].rstrip() + b">"
    return tag + body + b"</" + p + b"c>"
