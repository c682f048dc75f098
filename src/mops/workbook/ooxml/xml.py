"""XML parts read and edited by byte ranges: a tokeniser, the elements it locates, and escaping.

Parts are never re-serialised: an edit splices new bytes in at an element's position, so
prefixes, ``mc:Ignorable`` lists and unknown extensions survive. Every part that is patched is
first checked with defusedxml (well-formed, no DTD, no entities).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
ATTR = rb"""\s+[^\s=/>"'<]+\s*=\s*(?:"[^"]*"|'[^']*')"""
TOKEN = re.compile(
    rb"<(?P<close>/)?(?P<name>[A-Za-z_][\w.:-]*)(?P<attrs>(?:" + ATTR + rb")*)\s*(?P<empty>/)?>"
    rb"|(?P<skip><!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>)"
    rb"|(?P<dtd><!(?:DOCTYPE|ENTITY))",
    re.S,
)

ATTR_RE = re.compile(rb"""([^\s=/>"'<]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ENTITY = re.compile(r"&(?:#(\d+)|#x([0-9a-fA-F]+)|(lt|gt|amp|quot|apos));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_OOXML_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class Damaged(Exception):
    """A package part mops has to patch is not what the format says it should be."""

    def __init__(self, part: str, detail: str) -> None:
        super().__init__(f"{part}: {detail}")
        self.part = part
        self.detail = detail


class StrictError(Exception):
    """The package is Strict Open XML."""


@dataclass(frozen=True)
class El:
    """An element located in a byte string: its tag name and where its pieces start and end."""

    qname: bytes
    start: int  # the '<' of the start tag
    open_end: int  # just past the start tag
    inner_end: int  # the '<' of the end tag (== open_end when self-closing)
    end: int  # just past the end tag

    @property
    def empty(self) -> bool:
        return self.open_end == self.end

    @property
    def local(self) -> bytes:
        return self.qname.rpartition(b":")[2]

    @property
    def prefix(self) -> bytes:
        """The namespace prefix with its colon (``b"x:"``), or ``b""``."""
        head, colon, _ = self.qname.rpartition(b":")
        return head + colon


def unescape(raw: bytes) -> str:
    s = raw.decode("utf-8")
    if "&" not in s:
        return s

    def repl(m: re.Match) -> str:
        if m.group(1):
            return chr(int(m.group(1)))
        if m.group(2):
            return chr(int(m.group(2), 16))
        return _NAMED[m.group(3)]

    return _ENTITY.sub(repl, s)


def ooxml_encode(s: str) -> str:
    """Escape what XML cannot hold the way Excel does (``_x000B_``), and literal ``_xHHHH_``."""
    s = _OOXML_ESCAPE.sub(lambda m: "_x005F" + m.group(0), s)
    return _NOT_XML.sub(lambda m: f"_x{ord(m.group(0)):04X}_", s)


def ooxml_decode(s: str) -> str:
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(0)[2:6], 16)), s)


def esc(s: str) -> bytes:
    """Text content, escaped."""
    s = ooxml_encode(s)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode("utf-8")


def esc_attr(s: str) -> bytes:
    s = _NOT_XML.sub("", s)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return s.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;").encode("utf-8")


class _NoTree:
    """A parser target that builds nothing: checking a part need not cost a tree."""

    def close(self) -> None:
        return None


def check_xml(data: bytes, part: str) -> None:
    """Parse with defusedxml: the part must be well-formed and free of DTDs and entities."""
    parser = DET.DefusedXMLParser(target=_NoTree(), forbid_dtd=True)
    try:
        parser.feed(data)
        parser.close()
    except (ParseError, DefusedXmlException) as exc:
        raise Damaged(part, str(exc)) from exc


def element_at(data: bytes, m: re.Match, part: str) -> El:
    """The element whose start tag ``m`` matched, up to its end tag."""
    qname = m.group("name")
    if m.group("empty"):
        return El(qname, m.start(), m.end(), m.end(), m.end())
    depth = 0
    pos = m.end()
    while True:
        t = TOKEN.search(data, pos)
        if t is None:
            raise Damaged(part, f"<{qname.decode()}> is not closed")
        pos = t.end()
        if t.group("name") is None:
            if t.group("dtd"):
                raise Damaged(part, "a DTD is not allowed")
            continue
        if t.group("close"):
            if depth == 0:
                return El(qname, m.start(), m.end(), t.start(), t.end())
            depth -= 1
        elif not t.group("empty"):
            depth += 1


def root_element(data: bytes, part: str) -> El:
    """The document element; its end is found from the back, so this is cheap on big parts."""
    pos = 0
    while True:
        m = TOKEN.search(data, pos)
        if m is None:
            raise Damaged(part, "no document element")
        if m.group("dtd"):
            raise Damaged(part, "a DTD is not allowed")
        if m.group("name") is not None and not m.group("close"):
            break
        pos = m.end()
    qname = m.group("name")
    if m.group("empty"):
        return El(qname, m.start(), m.end(), m.end(), m.end())
    close = data.rfind(b"</" + qname)
    t = TOKEN.match(data, close) if close >= 0 else None
    if t is None or not t.group("close") or t.group("name") != qname:
        raise Damaged(part, f"<{qname.decode()}> is not closed")
    return El(qname, m.start(), m.end(), t.start(), t.end())


def child_elements(data: bytes, parent: El, part: str, fast: bytes | None = None) -> Iterator[El]:
    """The child elements of ``parent``; one named ``fast`` ends at its first end tag."""
    # ``fast`` is for elements that cannot nest (sheetData, comment): their content is then
    # skipped with one find instead of being tokenised.
    pos = parent.open_end
    while pos < parent.inner_end:
        m = TOKEN.search(data, pos, parent.inner_end)
        if m is None:
            return
        if m.group("name") is None:
            if m.group("dtd"):
                raise Damaged(part, "a DTD is not allowed")
            pos = m.end()
            continue
        if m.group("close"):
            raise Damaged(part, f"unexpected </{m.group('name').decode()}>")
        qname = m.group("name")
        if fast is not None and qname.rpartition(b":")[2] == fast and not m.group("empty"):
            close = data.find(b"</" + qname, m.end(), parent.inner_end)
            t = TOKEN.match(data, close) if close >= 0 else None
            if t is None or not t.group("close"):
                raise Damaged(part, f"<{qname.decode()}> is not closed")
            el = El(qname, m.start(), m.end(), t.start(), t.end())
        else:
            el = element_at(data, m, part)
        yield el
        pos = el.end


def attributes(data: bytes, el: El) -> dict[bytes, tuple[str, int, int]]:
    """The attributes of an element: qualified name → (value, value start, value end)."""
    out: dict[bytes, tuple[str, int, int]] = {}
    for m in ATTR_RE.finditer(data, el.start + 1 + len(el.qname), el.open_end):
        g = 2 if m.group(2) is not None else 3
        out[m.group(1)] = (unescape(m.group(g)), m.start(g), m.end(g))
    return out


def attribute(data: bytes, el: El, name: bytes) -> str | None:
    found = attributes(data, el).get(name)
    return found[0] if found else None


def _tag_end(data: bytes, el: El) -> int:
    """Where a new attribute goes: before the ``/>`` or ``>`` of the start tag."""
    if el.empty:
        return data.rindex(b"/", el.start, el.open_end)
    return el.open_end - 1


def with_attr(xml: bytes, name: bytes, value: str | None) -> bytes:
    """An element's bytes with one attribute set (``None``: removed), the rest untouched."""
    m = TOKEN.match(xml)
    assert m is not None and m.group("name")
    el = El(m.group("name"), 0, m.end(), m.end(), m.end() if m.group("empty") else len(xml))
    for a in ATTR_RE.finditer(xml, 1 + len(el.qname), el.open_end):
        if a.group(1) != name:
            continue
        if value is None:
            # the attribute with the whitespace before it
            s = a.start()
            while s > 0 and xml[s - 1 : s].isspace():
                s -= 1
            return xml[:s] + xml[a.end() :]
        g = 2 if a.group(2) is not None else 3
        return xml[: a.start(g)] + esc_attr(value) + xml[a.end(g) :]
    if value is None:
        return xml
    pos = xml.rindex(b"/", 0, el.open_end) if m.group("empty") else el.open_end - 1
    return xml[:pos] + b" " + name + b'="' + esc_attr(value) + b'"' + xml[pos:]


def ns_prefix(data: bytes, root: El, uri: str) -> bytes | None:
    """The prefix (``b"r"``) the document element binds to ``uri``, if any."""
    for name, (value, _, _) in attributes(data, root).items():
        if name.startswith(b"xmlns:") and value == uri:
            return name[6:]
    return None


def default_ns(data: bytes, root: El) -> str | None:
    prefix = root.prefix[:-1]
    key = b"xmlns:" + prefix if prefix else b"xmlns"
    found = attributes(data, root).get(key)
    return found[0] if found else None


class Doc:
    """A small XML part, edited by splicing bytes at the positions of its elements."""

    def __init__(self, data: bytes, part: str, *, check: bool = True) -> None:
        if check:
            check_xml(data, part)
        self.data = data
        self.part = part
        self.root = root_element(data, part)
        self.p = self.root.prefix
        self._edits: list[tuple[int, int, int, bytes]] = []
        self._expanded: dict[int, int] = {}  # start of an emptied parent → its edit's index

    def children(
        self, el: El | None = None, local: bytes | None = None, *, flat: bool = False
    ) -> list[El]:
        """Child elements (named ``local``); ``flat`` if they cannot contain themselves."""
        kids = list(child_elements(self.data, el or self.root, self.part, local if flat else None))
        return kids if local is None else [k for k in kids if k.local == local]

    def child(self, el: El | None, local: bytes) -> El | None:
        for k in child_elements(self.data, el or self.root, self.part):
            if k.local == local:
                return k
        return None

    def attr(self, el: El, name: bytes) -> str | None:
        return attribute(self.data, el, name)

    def text(self, el: El) -> str:
        """The text inside an element (tags dropped, entities resolved)."""
        raw = self.data[el.open_end : el.inner_end]
        return unescape(re.sub(rb"<[^>]*>", b"", raw))

    def xml(self, el: El) -> bytes:
        return self.data[el.start : el.end]

    def splice(self, start: int, end: int, new: bytes) -> int:
        """Replace bytes ``start:end`` of the original with ``new``; returns the edit's index."""
        self._edits.append((start, end, len(self._edits), new))
        return len(self._edits) - 1

    def replace(self, el: El, new: bytes) -> None:
        self.splice(el.start, el.end, new)

    def remove(self, el: El) -> None:
        self.splice(el.start, el.end, b"")

    def insert(self, pos: int, new: bytes) -> None:
        self.splice(pos, pos, new)

    def append(self, parent: El, new: bytes) -> None:
        """Add children at the end of ``parent`` (turning ``<a/>`` into ``<a>…</a>``)."""
        if not parent.empty:
            self.insert(parent.inner_end, new)
            return
        if parent.start in self._expanded:
            i = self._expanded[parent.start]
            s, e, seq, old = self._edits[i]
            close = b"</" + parent.qname + b">"
            self._edits[i] = (s, e, seq, old[: -len(close)] + new + close)
            return
        slash = _tag_end(self.data, parent)
        new_tag = b">" + new + b"</" + parent.qname + b">"
        self._expanded[parent.start] = self.splice(slash, parent.end, new_tag)

    def set_attr(self, el: El, name: bytes, value: str) -> None:
        found = attributes(self.data, el).get(name)
        if found is not None:
            self.splice(found[1], found[2], esc_attr(value))
        else:
            pos = _tag_end(self.data, el)
            self.splice(pos, pos, b" " + name + b'="' + esc_attr(value) + b'"')

    def remove_attr(self, el: El, name: bytes) -> None:
        """Take an attribute off (with the whitespace before it), if it is there."""
        for a in ATTR_RE.finditer(self.data, el.start + 1 + len(el.qname), el.open_end):
            if a.group(1) == name:
                start = a.start()
                while start > el.start and self.data[start - 1 : start].isspace():
                    start -= 1
                self.splice(start, a.end(), b"")
                return

    def changed(self) -> bool:
        return bool(self._edits)

    def render(self) -> bytes:
        if not self._edits:
            return self.data
        out = []
        pos = 0
        for start, end, _, new in sorted(self._edits):
            if start < pos:
                raise AssertionError(f"{self.part}: overlapping edits at {start}")
            out.append(self.data[pos:start])
            out.append(new)
            pos = end
        out.append(self.data[pos:])
        return b"".join(out)
