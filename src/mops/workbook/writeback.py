"""Write findings back into the user's own workbook without round-tripping it through openpyxl.

The workbook is opened as a zip package. Only the parts that change are patched, by splicing
bytes into the original XML, so prefixes, ``mc:Ignorable`` lists and unknown extensions
survive; every other part is copied with its original compressed bytes. The result is written
to a temporary file beside the workbook, fsynced, a timestamped backup of the original is kept,
and the temporary file replaces the original with ``os.replace``.

What a run changes:

* ``xl/styles.xml``: solid fills (one per severity), two fonts (bold header, link) and copies
  of the offending cells' ``<xf>`` with the new fill are appended to ``fills``, ``fonts`` and
  ``cellXfs``.
* each annotated worksheet: the offending cells get the new style id; a blank cell is inserted
  (and its ``<row>`` if needed) in order; ``<legacyDrawing>`` is added if the sheet had none.
* comments: the sheet's comments part gets a comment per offending cell (or our text appended
  to the user's comment on that cell), its legacy VML drawing a note shape per new comment;
  both parts are created (with relationships and content types) when the sheet has none.
* a findings sheet is appended as the last sheet, registered in ``xl/workbook.xml`` (with its
  ``_xlnm._FilterDatabase`` name), the workbook relationships and ``[Content_Types].xml``.
* the record (below) as a custom XML part.

The record of what mops changed is a custom XML data part, ``customXml/itemN.xml`` (root
``{urn:mops:writeback:1}mopsWriteback``), with its ``itemPropsN.xml``, related from the
workbook part. Excel keeps custom XML parts when it saves; python-calamine and readers of the
sheets never see it. It holds, per annotated sheet (by name and ``sheetId``), which of the
comments part, VML part, sheet relationships, ``mops`` comment author and note shape type mops
created, and per cell: the original ``s`` attribute (or its absence), the base style copied, the
style id mops set, whether mops created the cell or its row, and whether mops created the
comment or appended text to the user's (with that text). It also holds the style counts before
and after, the findings sheet's name and ``sheetId``, and whether mops added the ``vml``
default content type.

Every run first undoes the previous run from the record: cells still carrying mops's style get
their original ``s`` back (cells mops created are removed again unless someone typed into
them), our comments are removed or our runs cut from the user's comments, our note shapes and
parts are removed once empty, the findings sheet is removed (if it still has the name mops gave
it) and ``localSheetId``/``activeTab``/``firstSheet`` after it are shifted, and the appended
styles are cut off when no cell refers to them any more. Then the new findings are applied. A
run with no findings thus gives back the original package, part for part.

If another program saved the workbook in between, the record may have moved and the formats
been renumbered (LibreOffice relates custom XML from the package root and rewrites styles,
comment runs and authors). The record is then found among the custom XML parts, a marked cell
that still shows a mops fill gets its present format without the fill, and comments are matched
by their text. Not handled: Excel 365 threaded comments (text appended to the legacy comment of
a threaded one is not shown by Excel 365), and a record lost altogether (the next run then adds
to the old annotations instead of replacing them).

``write_values`` writes cell values (the sync's pull-back from Odoo) with the same machinery and
the same safety: only the touched worksheets change (and ``xl/styles.xml`` when a date needs a
date format no cell or column offers), the file is replaced atomically after a backup, and
nothing is written while the workbook is open. Text is always an inline string, never a formula
and never added to the shared strings; numbers are written exactly as given (a ``Decimal``'s
own digits); dates become serials of the workbook's date system and keep (or get) a format that
shows them as dates. A cell holding a formula is never overwritten, and a write may name a check
cell (the row's key) that must still hold the value the caller read, else it is refused. Values
do not touch the annotation record: a cell that the last ``write_back`` inserted and that now
holds a value is kept by the next run's undo, which only gives it its own format back.
"""

from __future__ import annotations

import contextlib
import math
import os
import posixpath
import re
import shutil
import struct
import tempfile
import unicodedata
import uuid
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree as ET  # builds our own record part only; parsing is defused
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from mops.errors import WorkbookError
from mops.i18n import current_lang, text
from mops.schemas.model import Lang

__all__ = [
    "CellNote",
    "CellWrite",
    "FindingLine",
    "ValuesResult",
    "WriteBackResult",
    "write_back",
    "write_values",
]

# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------

SEVERITIES = ("error", "warning", "info")
FILL_RGB = {"error": "FFFFC7CE", "warning": "FFFFEB9C", "info": "FFDDEBF7"}
LINK_RGB = "FF0563C1"
AUTHOR = "mops"
COMMENT_FONT = (
    b'<sz val="9"/><rFont val="Microsoft JhengHei"/><family val="2"/><charset val="136"/>'
)
MAX_CELL_TEXT = 32767  # Excel's limit for a cell or a comment


@dataclass(frozen=True)
class CellNote:
    """One offending cell: where it is, how bad, and the comment text to attach."""

    sheet: str
    cell: str
    severity: str
    text: str


@dataclass(frozen=True)
class FindingLine:
    """One row of the findings sheet, with an optional link to the offending cell."""

    values: tuple[str | int | float | None, ...]
    link_sheet: str | None
    link_cell: str | None
    severity: str


@dataclass(frozen=True)
class WriteBackResult:
    """What a write-back did to the workbook."""

    path: Path
    backup: Path | None  # None when nothing had to be written
    cells_marked: int
    cells_restored: int  # cells of the previous run given their own style back
    findings_rows: int
    findings_sheet: str | None  # the tab name used (differs if the name was taken)
    changed_parts: tuple[str, ...]  # parts added, removed or rewritten


def write_back(
    path: Path,
    notes: Sequence[CellNote],
    lines: Sequence[FindingLine],
    *,
    header: Sequence[str],
    findings_sheet: str = "檢核結果",
    backup_dir: Path | None = None,
    now: datetime | None = None,
) -> WriteBackResult:
    """Mark ``notes`` in the workbook and add the findings sheet, replacing the last run's."""
    # Raises WorkbookError, leaving the file as it was, if it is open or cannot be patched.
    path = _workbook_path(path)
    _check_not_open(path)
    for note in notes:
        _check_severity(note.severity)
        _parse_ref(note.cell)
    for line in lines:
        _check_severity(line.severity)
    now = now or datetime.now()
    try:
        with zipfile.ZipFile(path) as zin:
            session = _Session(path, zin, now)
            if not session.run(notes, lines, header, findings_sheet):
                return WriteBackResult(path, None, 0, 0, 0, None, ())
            backup = _commit(path, session.write, backup_dir, now)
            return WriteBackResult(
                path=path,
                backup=backup,
                cells_marked=session.cells_marked,
                cells_restored=session.cells_restored,
                findings_rows=len(lines) if session.findings_name else 0,
                findings_sheet=session.findings_name,
                changed_parts=tuple(sorted(session.pkg.changed_names())),
            )
    except _Damaged as exc:
        raise WorkbookError(
            text("writeback_damaged", part=exc.part), path=path, hint=exc.detail
        ) from exc
    except (zipfile.BadZipFile, zlib.error, ParseError, DefusedXmlException) as exc:
        raise WorkbookError(text("not_a_workbook"), path=path, hint=str(exc)) from exc


CellValueType = None | bool | int | float | Decimal | str | date | datetime
REFUSALS = ("no_sheet", "formula", "key_moved", "bad_value", "too_long")


@dataclass(frozen=True)
class CellWrite:
    """One value to write into a cell, optionally only while another cell holds a key.

    ``value`` None (or "") clears the cell's value, keeping the cell and its format. Text is
    always stored as text, whatever it starts with; ``as_text`` stores any other value as its
    ``str()`` text too.
    """

    sheet: str  # the tab name as in the workbook
    cell: str  # "H12"
    value: CellValueType
    as_text: bool = False
    check_cell: str | None = None  # e.g. "A12": written only if it still holds check_value
    check_value: str | None = None


@dataclass(frozen=True)
class ValuesResult:
    """What ``write_values`` did to the workbook."""

    path: Path
    backup: Path | None  # None when nothing had to be written
    written: int
    unchanged: int  # the cell already held that value
    # Each refused write with its reason: "no_sheet" (no such worksheet), "formula" (the cell
    # holds a formula or is part of an array formula), "key_moved" (the check cell no longer
    # holds check_value), "bad_value" (no Excel cell can hold it: NaN, a date before 1900, a
    # time zone), "too_long" (text over Excel's 32,767 characters).
    refused: tuple[tuple[CellWrite, str], ...]
    changed_parts: tuple[str, ...]


def write_values(
    path: Path | str,
    writes: Sequence[CellWrite],
    *,
    backup_dir: Path | None = None,
    now: datetime | None = None,
) -> ValuesResult:
    """Write cell values into the workbook in place; see the module docstring.

    Raises WorkbookError, leaving the file as it was, if it is open in Excel or LibreOffice or
    cannot be patched; ValueError for a malformed cell address and TypeError for a value of
    another type (mistakes of the caller, found before the file is opened). Writes that cannot
    be done are refused one by one and reported in the result; when nothing changes, the file
    is not touched and no backup is made.
    """
    path = _workbook_path(path)
    for w in writes:
        _parse_ref(w.cell)
        if w.check_cell is not None:
            _parse_ref(w.check_cell)
        if not isinstance(w.value, _VALUE_TYPES):
            raise TypeError(f"{w.sheet}!{w.cell}: cannot write a {type(w.value).__name__}")
    _check_not_open(path, values=True)
    now = now or datetime.now()
    run: _ValuesRun | None = None
    try:
        with zipfile.ZipFile(path) as zin:
            run = _ValuesRun(path, zin, now)
            changed = run.run(writes)
            refused = tuple(run.refused)
            if not changed:
                return ValuesResult(path, None, 0, run.unchanged, refused, ())
            backup = _commit(path, run.session.write, backup_dir, now)
            return ValuesResult(
                path=path,
                backup=backup,
                written=run.written,
                unchanged=run.unchanged,
                refused=refused,
                changed_parts=tuple(sorted(run.pkg.changed_names())),
            )
    except _StrictError as exc:
        raise WorkbookError(
            text("writeback_strict"), path=path, hint=text("writeback_strict_hint")
        ) from exc
    except _Damaged as exc:
        sheet, cell = run.where if run is not None else (None, None)
        raise WorkbookError(
            text("writeback_damaged", part=exc.part),
            path=path,
            sheet=sheet,
            cell=cell,
            hint=exc.detail,
        ) from exc
    except (zipfile.BadZipFile, zlib.error, ParseError, DefusedXmlException) as exc:
        raise WorkbookError(text("not_a_workbook"), path=path, hint=str(exc)) from exc


def _workbook_path(path: Path | str) -> Path:
    """The resolved path of an existing .xlsx or .xlsm package (WorkbookError otherwise)."""
    path = Path(path)
    if not path.exists():
        raise WorkbookError(text("file_missing"), path=path)
    path = path.resolve()
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not zipfile.is_zipfile(path):
        raise WorkbookError(text("not_a_workbook"), path=path)
    return path


def _check_severity(severity: str) -> None:
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}, not {severity!r}")


# The lock messages of write_values (those of write_back speak of findings).
_VALUES_OPEN = {
    "excel": (
        "活頁簿正在 Excel 中開啟（{lock}），無法寫入儲存格的值。",
        "the workbook is open in Excel ({lock}); cell values cannot be written into it.",
    ),
    "libreoffice": (
        "活頁簿正在 LibreOffice 中開啟（{lock}），無法寫入儲存格的值。",
        "the workbook is open in LibreOffice ({lock}); cell values cannot be written into it.",
    ),
}


def _open_message(app: str, lock: str, values: bool) -> str:
    if not values:
        return text(f"writeback_open_in_{app}", lock=lock)
    zh, en = _VALUES_OPEN[app]
    return (en if current_lang.get() is Lang.EN else zh).format(lock=lock)


def _check_not_open(path: Path, *, values: bool = False) -> None:
    """Refuse to write while Excel (or LibreOffice) holds the workbook open."""
    name = path.name
    # Excel names its owner file "~$" + name, dropping the first two characters of long names.
    for lock in {"~$" + name, "~$" + name[2:]}:
        if (path.parent / lock).exists():
            raise WorkbookError(
                _open_message("excel", lock, values),
                path=path,
                hint=text("writeback_open_in_excel_hint"),
            )
    lock = f".~lock.{name}#"
    if (path.parent / lock).exists():
        raise WorkbookError(
            _open_message("libreoffice", lock, values),
            path=path,
            hint=text("writeback_open_in_excel_hint"),
        )


def _commit(path: Path, build, backup_dir: Path | None, now: datetime) -> Path:
    """Build the new package in a temp file beside ``path``, back up the original, and swap."""
    backup: Path | None = None
    tmp: str | None = None
    done = False
    try:
        fd, tmp = tempfile.mkstemp(prefix=".~mops-", suffix=path.suffix, dir=path.parent)
        with os.fdopen(fd, "wb") as out:
            build(out)
            out.flush()
            os.fsync(out.fileno())
        shutil.copymode(path, tmp)
        backup = _backup(path, backup_dir, now)
        os.replace(tmp, path)
        done = True
        _fsync_dir(path.parent)
        return backup
    except OSError as exc:
        raise WorkbookError(text("writeback_write_failed"), path=path, hint=str(exc)) from exc
    finally:
        if not done:
            if tmp is not None and os.path.exists(tmp):
                os.unlink(tmp)
            if backup is not None and backup.exists():
                backup.unlink()
                with contextlib.suppress(OSError):  # the backup folder, if this made it empty
                    backup.parent.rmdir()


BACKUP_FOLDER = ".mops-backups"  # hidden beside the workbook, so staff folders stay tidy
KEEP_BACKUPS = 10  # per workbook; older ones are removed after a successful write


def _backup(path: Path, backup_dir: Path | None, now: datetime) -> Path:
    folder = Path(backup_dir) if backup_dir is not None else path.parent / BACKUP_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}.{stamp}.bak{path.suffix}"
    n = 2
    while target.exists():
        target = folder / f"{path.stem}.{stamp}-{n}.bak{path.suffix}"
        n += 1
    shutil.copy2(path, target)
    with open(target, "r+b") as f:
        os.fsync(f.fileno())
    _prune(folder, path, keep=target)
    return target


def _prune(folder: Path, path: Path, keep: Path) -> None:
    """Remove the oldest backups of this workbook beyond KEEP_BACKUPS (never ``keep``)."""
    pattern = re.compile(
        re.escape(path.stem) + r"\.\d{8}-\d{6}(?:-\d+)?\.bak" + re.escape(path.suffix)
    )
    mine = sorted(
        (p for p in folder.iterdir() if pattern.fullmatch(p.name) and p != keep),
        key=lambda p: p.stat().st_mtime_ns,
    )
    for old in mine[: max(0, len(mine) - (KEEP_BACKUPS - 1))]:
        old.unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable; not possible (nor needed) on Windows."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------------------------
# XML by byte ranges
# ---------------------------------------------------------------------------------------------

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_RECORD = "urn:mops:writeback:1"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_OFFICE_DOC = RT + "officeDocument"
RT_WORKSHEET = RT + "worksheet"
RT_COMMENTS = RT + "comments"
RT_VML = RT + "vmlDrawing"
RT_STYLES = RT + "styles"
RT_CALC_CHAIN = RT + "calcChain"
RT_CUSTOM_XML = RT + "customXml"
RT_CUSTOM_XML_PROPS = RT + "customXmlProps"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
CT_ITEM_PROPS = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
CT_XML = "application/xml"
XML_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_ATTR = rb"""\s+[^\s=/>"'<]+\s*=\s*(?:"[^"]*"|'[^']*')"""
_TOKEN = re.compile(
    rb"<(?P<close>/)?(?P<name>[A-Za-z_][\w.:-]*)(?P<attrs>(?:" + _ATTR + rb")*)\s*(?P<empty>/)?>"
    rb"|(?P<skip><!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>)"
    rb"|(?P<dtd><!(?:DOCTYPE|ENTITY))",
    re.S,
)
_ATTR_RE = re.compile(rb"""([^\s=/>"'<]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ENTITY = re.compile(r"&(?:#(\d+)|#x([0-9a-fA-F]+)|(lt|gt|amp|quot|apos));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_OOXML_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class _Damaged(Exception):
    """A package part mops has to patch is not what the format says it should be."""

    def __init__(self, part: str, detail: str) -> None:
        super().__init__(f"{part}: {detail}")
        self.part = part
        self.detail = detail


@dataclass(frozen=True)
class _El:
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


def _unescape(raw: bytes) -> str:
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


def _ooxml_encode(s: str) -> str:
    """Escape what XML cannot hold the way Excel does (``_x000B_``), and literal ``_xHHHH_``."""
    s = _OOXML_ESCAPE.sub(lambda m: "_x005F" + m.group(0), s)
    return _NOT_XML.sub(lambda m: f"_x{ord(m.group(0)):04X}_", s)


def _ooxml_decode(s: str) -> str:
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(0)[2:6], 16)), s)


def _esc(s: str) -> bytes:
    """Text content, escaped."""
    s = _ooxml_encode(s)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode("utf-8")


def _esc_attr(s: str) -> bytes:
    s = _NOT_XML.sub("", s)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return s.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;").encode("utf-8")


class _NoTree:
    """A parser target that builds nothing: checking a part need not cost a tree."""

    def close(self) -> None:
        return None


def _check_xml(data: bytes, part: str) -> None:
    """Parse with defusedxml: the part must be well-formed and free of DTDs and entities."""
    parser = DET.DefusedXMLParser(target=_NoTree(), forbid_dtd=True)
    try:
        parser.feed(data)
        parser.close()
    except (ParseError, DefusedXmlException) as exc:
        raise _Damaged(part, str(exc)) from exc


def _element_at(data: bytes, m: re.Match, part: str) -> _El:
    """The element whose start tag ``m`` matched, up to its end tag."""
    qname = m.group("name")
    if m.group("empty"):
        return _El(qname, m.start(), m.end(), m.end(), m.end())
    depth = 0
    pos = m.end()
    while True:
        t = _TOKEN.search(data, pos)
        if t is None:
            raise _Damaged(part, f"<{qname.decode()}> is not closed")
        pos = t.end()
        if t.group("name") is None:
            if t.group("dtd"):
                raise _Damaged(part, "a DTD is not allowed")
            continue
        if t.group("close"):
            if depth == 0:
                return _El(qname, m.start(), m.end(), t.start(), t.end())
            depth -= 1
        elif not t.group("empty"):
            depth += 1


def _root(data: bytes, part: str) -> _El:
    """The document element; its end is found from the back, so this is cheap on big parts."""
    pos = 0
    while True:
        m = _TOKEN.search(data, pos)
        if m is None:
            raise _Damaged(part, "no document element")
        if m.group("dtd"):
            raise _Damaged(part, "a DTD is not allowed")
        if m.group("name") is not None and not m.group("close"):
            break
        pos = m.end()
    qname = m.group("name")
    if m.group("empty"):
        return _El(qname, m.start(), m.end(), m.end(), m.end())
    close = data.rfind(b"</" + qname)
    t = _TOKEN.match(data, close) if close >= 0 else None
    if t is None or not t.group("close") or t.group("name") != qname:
        raise _Damaged(part, f"<{qname.decode()}> is not closed")
    return _El(qname, m.start(), m.end(), t.start(), t.end())


def _children(data: bytes, parent: _El, part: str, fast: bytes | None = None) -> Iterator[_El]:
    """The child elements of ``parent``; one named ``fast`` ends at its first end tag."""
    # ``fast`` is for elements that cannot nest (sheetData, comment): their content is then
    # skipped with one find instead of being tokenised.
    pos = parent.open_end
    while pos < parent.inner_end:
        m = _TOKEN.search(data, pos, parent.inner_end)
        if m is None:
            return
        if m.group("name") is None:
            if m.group("dtd"):
                raise _Damaged(part, "a DTD is not allowed")
            pos = m.end()
            continue
        if m.group("close"):
            raise _Damaged(part, f"unexpected </{m.group('name').decode()}>")
        qname = m.group("name")
        if fast is not None and qname.rpartition(b":")[2] == fast and not m.group("empty"):
            close = data.find(b"</" + qname, m.end(), parent.inner_end)
            t = _TOKEN.match(data, close) if close >= 0 else None
            if t is None or not t.group("close"):
                raise _Damaged(part, f"<{qname.decode()}> is not closed")
            el = _El(qname, m.start(), m.end(), t.start(), t.end())
        else:
            el = _element_at(data, m, part)
        yield el
        pos = el.end


def _attrs(data: bytes, el: _El) -> dict[bytes, tuple[str, int, int]]:
    """The attributes of an element: qualified name → (value, value start, value end)."""
    out: dict[bytes, tuple[str, int, int]] = {}
    for m in _ATTR_RE.finditer(data, el.start + 1 + len(el.qname), el.open_end):
        g = 2 if m.group(2) is not None else 3
        out[m.group(1)] = (_unescape(m.group(g)), m.start(g), m.end(g))
    return out


def _attr(data: bytes, el: _El, name: bytes) -> str | None:
    found = _attrs(data, el).get(name)
    return found[0] if found else None


def _tag_end(data: bytes, el: _El) -> int:
    """Where a new attribute goes: before the ``/>`` or ``>`` of the start tag."""
    if el.empty:
        return data.rindex(b"/", el.start, el.open_end)
    return el.open_end - 1


def _with_attr(xml: bytes, name: bytes, value: str | None) -> bytes:
    """An element's bytes with one attribute set (``None``: removed), the rest untouched."""
    m = _TOKEN.match(xml)
    assert m is not None and m.group("name")
    el = _El(m.group("name"), 0, m.end(), m.end(), m.end() if m.group("empty") else len(xml))
    for a in _ATTR_RE.finditer(xml, 1 + len(el.qname), el.open_end):
        if a.group(1) != name:
            continue
        if value is None:
            # the attribute with the whitespace before it
            s = a.start()
            while s > 0 and xml[s - 1 : s].isspace():
                s -= 1
            return xml[:s] + xml[a.end() :]
        g = 2 if a.group(2) is not None else 3
        return xml[: a.start(g)] + _esc_attr(value) + xml[a.end(g) :]
    if value is None:
        return xml
    pos = xml.rindex(b"/", 0, el.open_end) if m.group("empty") else el.open_end - 1
    return xml[:pos] + b" " + name + b'="' + _esc_attr(value) + b'"' + xml[pos:]


def _ns_prefix(data: bytes, root: _El, uri: str) -> bytes | None:
    """The prefix (``b"r"``) the document element binds to ``uri``, if any."""
    for name, (value, _, _) in _attrs(data, root).items():
        if name.startswith(b"xmlns:") and value == uri:
            return name[6:]
    return None


def _default_ns(data: bytes, root: _El) -> str | None:
    prefix = root.prefix[:-1]
    key = b"xmlns:" + prefix if prefix else b"xmlns"
    found = _attrs(data, root).get(key)
    return found[0] if found else None


class _Doc:
    """A small XML part, edited by splicing bytes at the positions of its elements."""

    def __init__(self, data: bytes, part: str, *, check: bool = True) -> None:
        if check:
            _check_xml(data, part)
        self.data = data
        self.part = part
        self.root = _root(data, part)
        self.p = self.root.prefix
        self._edits: list[tuple[int, int, int, bytes]] = []
        self._expanded: dict[int, int] = {}  # start of an emptied parent → its edit's index

    def children(
        self, el: _El | None = None, local: bytes | None = None, *, flat: bool = False
    ) -> list[_El]:
        """Child elements (named ``local``); ``flat`` if they cannot contain themselves."""
        kids = list(_children(self.data, el or self.root, self.part, local if flat else None))
        return kids if local is None else [k for k in kids if k.local == local]

    def child(self, el: _El | None, local: bytes) -> _El | None:
        for k in _children(self.data, el or self.root, self.part):
            if k.local == local:
                return k
        return None

    def attr(self, el: _El, name: bytes) -> str | None:
        return _attr(self.data, el, name)

    def text(self, el: _El) -> str:
        """The text inside an element (tags dropped, entities resolved)."""
        raw = self.data[el.open_end : el.inner_end]
        return _unescape(re.sub(rb"<[^>]*>", b"", raw))

    def xml(self, el: _El) -> bytes:
        return self.data[el.start : el.end]

    def _edit(self, start: int, end: int, new: bytes) -> int:
        self._edits.append((start, end, len(self._edits), new))
        return len(self._edits) - 1

    def replace(self, el: _El, new: bytes) -> None:
        self._edit(el.start, el.end, new)

    def remove(self, el: _El) -> None:
        self._edit(el.start, el.end, b"")

    def insert(self, pos: int, new: bytes) -> None:
        self._edit(pos, pos, new)

    def append(self, parent: _El, new: bytes) -> None:
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
        self._expanded[parent.start] = self._edit(slash, parent.end, new_tag)

    def set_attr(self, el: _El, name: bytes, value: str) -> None:
        found = _attrs(self.data, el).get(name)
        if found is not None:
            self._edit(found[1], found[2], _esc_attr(value))
        else:
            pos = _tag_end(self.data, el)
            self._edit(pos, pos, b" " + name + b'="' + _esc_attr(value) + b'"')

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


# ---------------------------------------------------------------------------------------------
# Cell addresses
# ---------------------------------------------------------------------------------------------

_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})$")


def _parse_ref(ref: str) -> tuple[int, int]:
    """``"D17"`` → (17, 4): 1-based row and column."""
    m = _REF.match(ref.strip())
    if not m:
        raise ValueError(f"not a cell address: {ref!r}")
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    row = int(m.group(2))
    if col > 16384 or row > 1048576:
        raise ValueError(f"outside the sheet: {ref!r}")
    return row, col


def _col_name(col: int) -> str:
    name = ""
    while col:
        col, rem = divmod(col - 1, 26)
        name = chr(65 + rem) + name
    return name


def _ref(row: int, col: int) -> str:
    return f"{_col_name(col)}{row}"


def _quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _display_width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


# ---------------------------------------------------------------------------------------------
# The package: parts in, parts out
# ---------------------------------------------------------------------------------------------


class _Package:
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
        writer = _ZipWriter(out)
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
            elif _raw_copyable(info):
                writer.copy_raw(src, info)
            else:
                writer.write(name, [self.original(name)], info.date_time, info)
        stamp = (max(now.year, 1980), now.month, now.day, now.hour, now.minute, now.second)
        for name, value in self.parts.items():
            if name not in self.infos:
                writer.write(name, value if isinstance(value, list) else [value], stamp)
        writer.close(self.zin.comment)


def _raw_copyable(info: zipfile.ZipInfo) -> bool:
    """Entries without ZIP64 fields can be copied as they are (all workbooks in practice)."""
    if info.compress_size >= 0xFFFFFFFF or info.file_size >= 0xFFFFFFFF:
        return False
    if info.header_offset >= 0xFFFFFFFF or info.flag_bits & 0x01:
        return False
    extra = info.extra
    i = 0
    while i + 4 <= len(extra):
        tag, size = struct.unpack("<HH", extra[i : i + 4])
        if tag == 0x0001:
            return False
        i += 4 + size
    return True


def _dos_time(dt: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    date = (dt[0] - 1980) << 9 | dt[1] << 5 | dt[2]
    time = dt[3] << 11 | dt[4] << 5 | dt[5] // 2
    return time, date


class _ZipWriter:
    """A minimal zip writer that can copy an entry's compressed bytes from another archive."""

    def __init__(self, fp) -> None:
        self.fp = fp
        self.central: list[bytes] = []

    def copy_raw(self, src, info: zipfile.ZipInfo) -> None:
        src.seek(info.header_offset)
        header = src.read(30)
        if header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile(f"bad local header for {info.filename}")
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        rest = src.read(name_len + extra_len)
        offset = self.fp.tell()
        self.fp.write(header + rest)
        remaining = info.compress_size
        while remaining:
            chunk = src.read(min(remaining, 1 << 20))
            if not chunk:
                raise zipfile.BadZipFile(f"truncated data for {info.filename}")
            self.fp.write(chunk)
            remaining -= len(chunk)
        if info.flag_bits & 0x08:
            sig = src.read(4)
            self.fp.write(sig + src.read(12 if sig == b"PK\x07\x08" else 8))
        name = rest[:name_len]
        time, date = _dos_time(info.date_time)
        self.central.append(
            struct.pack(
                "<4s4B4HL2L5H2L",
                b"PK\x01\x02",
                info.create_version,
                info.create_system,
                info.extract_version,
                info.reserved,
                info.flag_bits,
                info.compress_type,
                time,
                date,
                info.CRC,
                info.compress_size,
                info.file_size,
                len(name),
                len(info.extra),
                len(info.comment),
                0,
                info.internal_attr,
                info.external_attr,
                offset,
            )
            + name
            + info.extra
            + info.comment
        )

    def write(
        self,
        name: str,
        pieces: Iterable[bytes],
        date_time,
        like: zipfile.ZipInfo | None = None,
    ) -> None:
        """Deflate a part; a rewritten part keeps the original entry's attributes."""
        raw_name = name.encode("utf-8")
        flags = 0x800 if not name.isascii() else 0
        system, attr = (like.create_system, like.external_attr) if like else (0, 0)
        time, date = _dos_time(date_time)
        offset = self.fp.tell()
        self.fp.write(b"\0" * (30 + len(raw_name)))
        comp = zlib.compressobj(6, zlib.DEFLATED, -15)
        crc = 0
        size = 0
        csize = 0
        for piece in pieces:
            crc = zlib.crc32(piece, crc)
            size += len(piece)
            block = comp.compress(piece)
            csize += len(block)
            self.fp.write(block)
        block = comp.flush()
        csize += len(block)
        self.fp.write(block)
        end = self.fp.tell()
        self.fp.seek(offset)
        self.fp.write(
            struct.pack(
                "<4s2B4HL2L2H",
                b"PK\x03\x04",
                20,
                0,
                flags,
                zipfile.ZIP_DEFLATED,
                time,
                date,
                crc,
                csize,
                size,
                len(raw_name),
                0,
            )
            + raw_name
        )
        self.fp.seek(end)
        self.central.append(
            struct.pack(
                "<4s4B4HL2L5H2L",
                b"PK\x01\x02",
                20,
                system,
                20,
                0,
                flags,
                zipfile.ZIP_DEFLATED,
                time,
                date,
                crc,
                csize,
                size,
                len(raw_name),
                0,
                0,
                0,
                0,
                attr,
                offset,
            )
            + raw_name
        )

    def close(self, comment: bytes) -> None:
        start = self.fp.tell()
        for record in self.central:
            self.fp.write(record)
        size = self.fp.tell() - start
        n = len(self.central)
        self.fp.write(
            struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, n, n, size, start, len(comment)) + comment
        )


# ---------------------------------------------------------------------------------------------
# Relationships and content types
# ---------------------------------------------------------------------------------------------


def _rels_name(part: str) -> str:
    folder, _, base = part.rpartition("/")
    return f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"


def _resolve(source: str, target: str) -> str:
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
class _Rel:
    el: _El
    id: str
    type: str
    target: str  # resolved part name; the raw target when external
    external: bool


EMPTY_RELS = XML_DECL + f'<Relationships xmlns="{NS_PKG_REL}"></Relationships>'.encode()


def _rels(doc: _Doc, source: str) -> list[_Rel]:
    out = []
    for el in doc.children(None, b"Relationship"):
        a = {k: v[0] for k, v in _attrs(doc.data, el).items()}
        external = a.get(b"TargetMode") == "External"
        target = a.get(b"Target", "")
        out.append(
            _Rel(
                el,
                a.get(b"Id", ""),
                a.get(b"Type", ""),
                target if external else _resolve(source, target),
                external,
            )
        )
    return out


def _add_rel(doc: _Doc, source: str, rel_type: str, target: str) -> str:
    ids = {r.id for r in _rels(doc, source)}
    n = 1
    while f"rId{n}" in ids:
        n += 1
    rid = f"rId{n}"
    doc.append(
        doc.root,
        b'<Relationship Id="%s" Type="%s" Target="%s"/>'
        % (rid.encode(), _esc_attr(rel_type), _esc_attr(_relative(source, target))),
    )
    return rid


def _free_name(pkg: _Package, pattern: str, start: int = 1) -> str:
    """The first ``pattern % n`` not taken, compared without case as zip readers do."""
    taken = {n.lower() for n in pkg.names()}
    n = start
    while (pattern % n).lower() in taken:
        n += 1
    return pattern % n


def _free_after(pkg: _Package, regex: str, pattern: str) -> str:
    """``pattern % (highest n matching regex + 1)``: numbering continues after existing parts."""
    top = 0
    for name in pkg.names():
        m = re.fullmatch(regex, name, re.I)
        if m:
            top = max(top, int(m.group(1)))
    return _free_name(pkg, pattern, top + 1)


# ---------------------------------------------------------------------------------------------
# The record of what mops changed
# ---------------------------------------------------------------------------------------------


@dataclass
class _CellRec:
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
class _SheetRec:
    name: str
    sheet_id: str
    comments_created: bool = False
    vml_created: bool = False
    rels_created: bool = False
    author_added: bool = False
    shapetype_added: bool = False
    idmap_orig: str | None = None
    cells: list[_CellRec] = field(default_factory=list)


@dataclass
class _Record:
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
    vml_default_added: bool = False
    sheets: list[_SheetRec] = field(default_factory=list)


def _q(tag: str) -> str:
    return f"{{{NS_RECORD}}}{tag}"


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _record_xml(rec: _Record, now: datetime) -> bytes:
    ET.register_namespace("", NS_RECORD)
    root = ET.Element(_q("mopsWriteback"), {"version": "1", "written": now.isoformat()})
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
            ET.SubElement(s_el, _q("cell"), attrs).text = _ooxml_encode(c.text)
    ET.indent(root, space="")
    return XML_DECL + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"


def _parse_record(data: bytes) -> _Record | None:
    root = DET.fromstring(data, forbid_dtd=True)
    if root.tag != _q("mopsWriteback"):
        return None
    rec = _Record()
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
    types = root.find(_q("contentTypes"))
    if types is not None:
        rec.vml_default_added = types.get("vmlDefault") == "1"
    for s_el in root.findall(_q("sheet")):
        sheet = _SheetRec(
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
                _CellRec(
                    ref=c.get("ref", ""),
                    orig_s=c.get("s"),
                    base=int(c.get("base", "0")),
                    mark=int(c.get("mark", "-1")),
                    created=c.get("created") == "1",
                    row_created=c.get("rowCreated") == "1",
                    comment=c.get("comment", ""),
                    wrapped=c.get("wrapped") == "1",
                    text=_ooxml_decode(c.text or ""),
                    spans_orig=c.get("spansOrig"),
                    spans_set=c.get("spansSet"),
                )
            )
        rec.sheets.append(sheet)
    return rec


# ---------------------------------------------------------------------------------------------
# Worksheet XML: only the touched rows are parsed
# ---------------------------------------------------------------------------------------------

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
_ROW_KEEP_ATTRS = {b"r", b"spans", b"x14ac:dyDescent"}
_ATTR_R = re.compile(rb"""\sr\s*=\s*(?:"([^"]*)"|'([^']*)')""")


@dataclass
class _Cell:
    col: int  # from its r attribute, or one after the cell before it (r is optional)
    xml: bytes


class _Row:
    """One row of sheetData: its start tag and its content as cells and other bytes."""

    def __init__(self, num: int, tag: bytes, items: list, span: tuple[int, int] | None) -> None:
        self.num = num
        self.tag = tag  # the start tag; self-closing if the row had no content
        self.items: list[_Cell | bytes] = items
        self.span = span  # position in the original sheet; None for a new row
        self.touched = False
        self.deleted = False  # a row mops had created, taken out again

    def cells(self) -> list[_Cell]:
        return [i for i in self.items if isinstance(i, _Cell)]

    def find(self, col: int) -> _Cell | None:
        for c in self.cells():
            if c.col == col:
                return c
        return None

    def insert(self, cell: _Cell) -> None:
        """Insert a cell in column order."""
        # The cell after it always has an explicit address: one without (r is optional)
        # sits right after its neighbour, leaving no gap to insert into.
        pos = len(self.items)
        for i, item in enumerate(self.items):
            if isinstance(item, _Cell) and item.col > cell.col:
                pos = i
                break
            if isinstance(item, bytes) and item.strip():
                pos = i  # the row's extLst comes after its cells
                break
        self.items.insert(pos, cell)

    def remove(self, cell: _Cell) -> None:
        self.items = [i for i in self.items if i is not cell]

    def attrs(self) -> dict[bytes, str]:
        return {
            m.group(1): _unescape(m.group(2) if m.group(2) is not None else m.group(3))
            for m in _ATTR_RE.finditer(self.tag)
        }

    def render(self, p: bytes) -> bytes:
        inner = b"".join(i.xml if isinstance(i, _Cell) else i for i in self.items)
        if self.deleted or (self.span is None and not self.cells()):
            return b""
        if self.tag.endswith(b"/>"):
            if not inner:
                return self.tag
            return self.tag[: self.tag.rindex(b"/")].rstrip() + b">" + inner + b"</" + p + b"row>"
        return self.tag + inner + b"</" + p + b"row>"


class _SheetEditor:
    """Edits of one worksheet part, rendered as splices over its original bytes."""

    def __init__(self, part: str, data: bytes) -> None:
        self.part = part
        self.data = data
        self.root = root = _root(data, part)
        if root.local != b"worksheet":
            raise _Damaged(part, "not a worksheet")
        ns = _default_ns(data, root)
        if ns == NS_STRICT:
            raise _StrictError
        self.p = root.prefix
        self.cols: list[tuple[int, int, int]] = []
        self.sheet_data: _El | None = None
        self.tail: list[_El] = []
        for el in _children(data, root, part, fast=b"sheetData"):
            if el.local == b"sheetData":
                self.sheet_data = el
            elif self.sheet_data is None:
                if el.local == b"cols":
                    self._read_cols(el)
            else:
                self.tail.append(el)
        if self.sheet_data is None:
            raise _Damaged(part, "no sheetData")
        sd = self.sheet_data
        # Everything but the rows is small: check it is well-formed, with defusedxml.
        _check_xml(data[: sd.open_end] + data[sd.inner_end :], part)
        self.rows: dict[int, _Row] = {}
        self._index: list[tuple[int, int]] | None = None  # (row number, start) in order
        self._edits: list[tuple[int, int, bytes]] = []  # tail edits
        self._rows_to_check: list[tuple[int, int]] = []
        self.rel_prefix = _ns_prefix(data, root, NS_REL)

    def _read_cols(self, el: _El) -> None:
        for col in _children(self.data, el, self.part):
            a = {k: v[0] for k, v in _attrs(self.data, col).items()}
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
            for el in _children(self.data, sd, self.part):
                if el.local != b"row":
                    continue
                r = _attr(self.data, el, b"r")
                num = int(r) if r else num + 1
                index.append((num, el.start))
        else:
            pattern = re.compile(
                rb"<" + re.escape(self.p) + rb"row((?:" + _ATTR + rb")*)\s*/?>",
            )
            r_attr = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")
            for m in pattern.finditer(self.data, sd.open_end, sd.inner_end):
                r = r_attr.search(m.group(1))
                num = int(r.group(1)) if r else num + 1
                index.append((num, m.start()))
        self._index = index
        return index

    def row(self, num: int, create: bool) -> _Row | None:
        """The row ``num``, parsed for editing; a new empty one when absent and ``create``."""
        if num in self.rows:
            return self.rows[num]
        index = self._row_index()
        i = _bisect(index, num)
        if i < len(index) and index[i][0] == num:
            row = self._parse_row(num, index[i][1])
        elif create:
            row = _Row(num, b"<" + self.p + b'row r="%d">' % num, [], None)
        else:
            return None
        self.rows[num] = row
        return row

    def _parse_row(self, num: int, start: int) -> _Row:
        data = self.data
        m = _TOKEN.match(data, start)
        assert m is not None
        if m.group("empty"):
            el = _El(m.group("name"), m.start(), m.end(), m.end(), m.end())
        else:
            # Rows do not nest: the first end tag closes it.
            close = data.find(b"</" + m.group("name"), m.end())
            t = _TOKEN.match(data, close) if close >= 0 else None
            if t is None or not t.group("close"):
                raise _Damaged(self.part, f"row {num} is not closed")
            el = _El(m.group("name"), m.start(), m.end(), t.start(), t.end())
        self._rows_to_check.append((el.start, el.end))
        items: list[_Cell | bytes] = []
        pos = el.open_end
        col = 0
        c_qname = self.p + b"c"
        while pos < el.inner_end:
            t = _TOKEN.search(data, pos, el.inner_end)
            if t is None:
                break
            if t.start() > pos:
                items.append(data[pos : t.start()])
            if t.group("name") != c_qname or t.group("close"):
                child = _element_at(data, t, self.part) if t.group("name") else None
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
                    raise _Damaged(self.part, f"a cell of row {num} is not closed")
                end = data.index(b">", close) + 1
            r = _ATTR_R.search(t.group("attrs"))
            ref = (r.group(1) if r.group(1) is not None else r.group(2)) if r else None
            col = _parse_ref(_unescape(ref))[1] if ref else col + 1
            items.append(_Cell(col, data[t.start() : end]))
            pos = end
        if pos < el.inner_end:
            items.append(data[pos : el.inner_end])
        return _Row(num, data[el.start : el.open_end], items, (el.start, el.end))

    def check_rows(self) -> None:
        """Check the rows read for editing are well-formed XML, all in one defused parse."""
        if not self._rows_to_check:
            return
        root_tag = self.data[self.root.start : self.root.open_end]
        body = b"".join(self.data[s:e] for s, e in self._rows_to_check)
        _check_xml(root_tag + body + b"</" + self.root.qname + b">", self.part)
        self._rows_to_check = []

    def row_style(self, row: _Row) -> int | None:
        a = row.attrs()
        if a.get(b"customFormat") in ("1", "true") and a.get(b"s"):
            return int(a[b"s"])
        return None

    # -- legacyDrawing -------------------------------------------------------------------------

    def legacy_rid(self) -> str | None:
        for el in self.tail:
            if el.local == b"legacyDrawing":
                for name, (value, _, _) in _attrs(self.data, el).items():
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
        new_rows: list[_Row] = []
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


class _StrictError(Exception):
    """The package is Strict Open XML."""


def _has_content(xml: bytes) -> bool:
    """Whether a cell holds a value, formula or inline string (not just a style)."""
    m = _TOKEN.match(xml)
    assert m is not None
    return not m.group("empty") and b"<" in xml[m.end() : xml.rindex(b"</")]


def _cell_s(xml: bytes) -> str | None:
    m = _TOKEN.match(xml)
    assert m is not None
    for a in _ATTR_RE.finditer(xml, 1 + len(m.group("name")), m.end()):
        if a.group(1) == b"s":
            return _unescape(a.group(2) if a.group(2) is not None else a.group(3))
    return None


# ---------------------------------------------------------------------------------------------
# Styles
# ---------------------------------------------------------------------------------------------

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


class _Styles:
    """``xl/styles.xml``: new fonts, fills and cell formats appended after the user's."""

    def __init__(self, part: str, data: bytes) -> None:
        self.doc = _Doc(data, part)
        self.p = self.doc.p
        self.lists: dict[bytes, _El] = {}
        self.items: dict[bytes, list[_El]] = {}
        for name in (b"fonts", b"fills", b"cellXfs"):
            el = self.doc.child(None, name)
            if el is None:
                raise _Damaged(part, f"no <{name.decode()}>")
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
            self.doc._edit(items[keep].start, items[-1].end, b"")
            self._set_count(name, keep)

    def _set_count(self, name: bytes, n: int) -> None:
        if self.doc.attr(self.lists[name], b"count") is not None:
            self.doc.set_attr(self.lists[name], b"count", str(n))

    def _add(self, name: bytes, xml: bytes) -> int:
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
            if kind == "bold":
                extra = b"<%sb/>" % p
            else:
                extra = b'<%su/><%scolor rgb="%s"/>' % (p, p, LINK_RGB.encode())
            self._fonts[kind] = self._add(b"fonts", _font_variant(base, p, extra))
        return self._fonts[kind]

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
            xml = _with_attr(self._xf_bytes(base), b"fillId", str(self.fill(severity)))
            xml = _with_attr(xml, b"applyFill", "1")
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
            xml = _with_attr(self._xf_bytes(index), b"fillId", "0")
            xml = _with_attr(xml, b"applyFill", None)
            self._marks[key] = self._add(b"cellXfs", xml)
        return self._marks[key]

    def findings_xf(self, kind: str, severity: str | None = None) -> int:
        """Formats of the findings sheet: ``header``, ``link`` or ``plain`` with a fill."""
        key = (kind, severity)
        if key not in self._xfs:
            xml = _with_attr(self._xf_bytes(0), b"numFmtId", "0")
            if kind in ("header", "link"):
                font = self._font("bold" if kind == "header" else "link")
                xml = _with_attr(_with_attr(xml, b"fontId", str(font)), b"applyFont", "1")
            if severity is not None:
                xml = _with_attr(xml, b"fillId", str(self.fill(severity)))
                xml = _with_attr(xml, b"applyFill", "1")
            self._xfs[key] = self._add(b"cellXfs", xml)
        return self._xfs[key]

    def render(self) -> bytes:
        for name, new in self.new.items():
            if new:
                self.doc.append(self.lists[name], b"".join(new))
                self._set_count(name, self.count(name))
        return self.doc.render()


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
    """A copy of a ``<font>`` with bold/underline/colour replaced by ``extra``."""
    # Children in the order Excel writes them, although the schema allows any.
    m = _TOKEN.match(font)
    assert m is not None
    qname = m.group("name")
    if m.group("empty"):
        start = font[: font.rindex(b"/", 0, m.end())].rstrip() + b">"
        inner = b""
    else:
        start = font[: m.end()]
        inner = font[m.end() : font.rindex(b"</")]
    kids = [k.group(0) for k in re.finditer(rb"<([^\s/>]+)[^>]*?(?:/>|>.*?</\1\s*>)", inner, re.S)]
    kids = [k for k in kids if _local_of(k) not in (b"b", b"u", b"color")]
    kids += [k.group(0) for k in re.finditer(rb"<[^>]*/>", extra)]
    order = {name: i for i, name in enumerate(_FONT_ORDER)}
    kids.sort(key=lambda k: order.get(_local_of(k), len(order)))
    return start + b"".join(kids) + b"</" + qname + b">"


def _local_of(xml: bytes) -> bytes:
    """The local name of the element an XML fragment starts with."""
    m = re.match(rb"<([^\s/>]+)", xml)
    return m.group(1).rpartition(b":")[2] if m else b""


# ---------------------------------------------------------------------------------------------
# Comments and their VML drawing
# ---------------------------------------------------------------------------------------------


def _runs(head: str | None, body: str, p: bytes) -> bytes:
    """Our comment text as rich-text runs: a bold ``mops:`` line, then the findings."""
    out = b""
    if head is not None:
        out += b'<%sr><%srPr><%sb/>%s</%srPr><%st xml:space="preserve">%s</%st></%sr>' % (
            p,
            p,
            p,
            _prefixed(COMMENT_FONT, p),
            p,
            p,
            _esc(head),
            p,
            p,
        )
    out += b'<%sr><%srPr>%s</%srPr><%st xml:space="preserve">%s</%st></%sr>' % (
        p,
        p,
        _prefixed(COMMENT_FONT, p),
        p,
        p,
        _esc(body),
        p,
        p,
    )
    return out


def _prefixed(xml: bytes, p: bytes) -> bytes:
    return xml.replace(b"<", b"<" + p) if p else xml


def _comment_text(text_: str) -> str:
    return text_ if len(text_) <= MAX_CELL_TEXT - 200 else text_[: MAX_CELL_TEXT - 201] + "…"


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
_VML_SHAPE = re.compile(rb"<v:shape\b(?:[^>]*/>|.*?</v:shape\s*>)", re.S)
_VML_SHAPETYPE_202 = re.compile(
    rb"""<v:shapetype\b[^>]*\bid\s*=\s*["']_x0000_t202["'](?:[^>]*/>|.*?</v:shapetype\s*>)""",
    re.S,
)
_VML_IDMAP = re.compile(rb"""(<o:idmap\b[^>]*\bdata\s*=\s*["'])([^"']*)(["'])""")
_VML_ID = re.compile(rb"_x0000_s(\d+)")


def _vml_shape(shape_id: int, row: int, col: int, text_: str) -> bytes:
    """A hidden note box for the cell at 1-based (row, col), sized to the text."""
    lines = sum(max(1, -(-_display_width(line) // 40)) for line in text_.split("\n")) + 1
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


def _check_vml(data: bytes, part: str) -> None:
    """VML written by Excel is not always well-formed XML; refuse DTDs and entities at least."""
    if re.search(rb"<!(?:DOCTYPE|ENTITY)", data):
        raise _Damaged(part, "a DTD is not allowed")
    if data.rfind(b"</xml>") < 0:
        raise _Damaged(part, "no </xml>")


def _idmap_blocks(data: bytes) -> list[int]:
    m = _VML_IDMAP.search(data)
    if not m:
        return []
    return [int(x) for x in re.findall(rb"\d+", m.group(2))]


# ---------------------------------------------------------------------------------------------
# The findings sheet
# ---------------------------------------------------------------------------------------------


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
        _esc(text_),
    )


def _findings_sheet_xml(
    header: Sequence[str], lines: Sequence[FindingLine], styles: _Styles, selected: bool
) -> bytes:
    ncols = max([len(header)] + [len(line.values) for line in lines] + [1])
    last = _col_name(ncols)
    nrows = len(lines) + 1
    widths = [_display_width(str(h)) + 4 for h in header] + [0] * (ncols - len(header))
    for line in lines:
        for i, v in enumerate(line.values):
            if v is not None:
                widths[i] = max(widths[i], _display_width(str(v)) + 2)
    cols = b"".join(
        b'<col min="%d" max="%d" width="%.2f" customWidth="1"/>'
        % (i + 1, i + 1, min(max(w, 8), 80) + 0.71)
        for i, w in enumerate(widths)
    )
    head_xf = styles.findings_xf("header")
    rows = [
        b'<row r="1">'
        + b"".join(_cell_value_xml(_ref(1, i + 1), h, head_xf) for i, h in enumerate(header))
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
            cells.append(_cell_value_xml(_ref(n, i + 1), v, style))
        rows.append(b'<row r="%d">' % n + b"".join(cells) + b"</row>")
        if line.link_sheet and line.link_cell:
            row, col = _parse_ref(line.link_cell)
            location = f"{_quote_sheet(line.link_sheet)}!{_ref(row, col)}"
            links.append(
                b'<hyperlink ref="A%d" location="%s" display="%s"/>'
                % (n, _esc_attr(location), _esc_attr(f"{line.link_sheet}!{_ref(row, col)}"))
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


# ---------------------------------------------------------------------------------------------
# One run
# ---------------------------------------------------------------------------------------------


@dataclass
class _SheetInfo:
    name: str
    sheet_id: str
    rid: str
    part: str | None
    index: int
    is_worksheet: bool


@dataclass
class _Merged:
    severity: str
    texts: list[str]


_RANK = {"info": 0, "warning": 1, "error": 2}


class _Session:
    """Everything one write-back reads and changes, in the order it must happen."""

    def __init__(self, path: Path, zin: zipfile.ZipFile, now: datetime) -> None:
        self.path = path
        self.pkg = _Package(zin)
        self.now = now
        self.cells_marked = 0
        self.cells_restored = 0
        self.findings_name: str | None = None
        self.record_part: str | None = None
        self.old: _Record | None = None
        self.new = _Record()
        self.editors: dict[str, _SheetEditor] = {}
        self.wb_part = ""
        self.styles_part = ""
        # part → the bytes already checked with defusedxml (or spliced by mops from those)
        self._checked: dict[str, bytes] = {}

    # -- plumbing ------------------------------------------------------------------------------

    def _doc(self, part: str) -> _Doc:
        try:
            data = self.pkg.get(part)
        except KeyError as exc:
            raise _Damaged(part, "missing") from exc
        doc = _Doc(data, part, check=self._checked.get(part) is not data)
        self._checked[part] = data
        return doc

    @contextmanager
    def edit(self, part: str, empty: bytes | None = None) -> Iterator[_Doc]:
        """Open a small part for editing (or ``empty`` if it does not exist); saved on exit."""
        if not self.pkg.exists(part):
            if empty is None:
                raise _Damaged(part, "missing")
            doc = _Doc(empty, part, check=False)
        else:
            doc = self._doc(part)
        yield doc
        if doc.changed() or not self.pkg.exists(part):
            data = doc.render()
            self.pkg.put(part, data)
            self._checked[part] = data

    def _find_workbook(self) -> str:
        doc = self._doc("_rels/.rels")
        for rel in _rels(doc, ""):
            if rel.type == RT_OFFICE_DOC:
                return rel.target
            if rel.type.startswith("http://purl.oclc.org/"):
                raise _StrictError
        raise _Damaged("_rels/.rels", "no officeDocument relationship")

    def sheets(self) -> list[_SheetInfo]:
        doc = self._doc(self.wb_part)
        if _default_ns(doc.data, doc.root) == NS_STRICT:
            raise _StrictError
        rels = {r.id: r for r in _rels(self._doc(_rels_name(self.wb_part)), self.wb_part)}
        sheets_el = doc.child(None, b"sheets")
        out = []
        for i, el in enumerate(doc.children(sheets_el, b"sheet") if sheets_el else []):
            a = {k: v[0] for k, v in _attrs(doc.data, el).items()}
            rid = next((v for k, v in a.items() if k.endswith(b":id")), "")
            rel = rels.get(rid)
            out.append(
                _SheetInfo(
                    name=a.get(b"name", ""),
                    sheet_id=a.get(b"sheetId", ""),
                    rid=rid,
                    part=rel.target if rel and not rel.external else None,
                    index=i,
                    is_worksheet=bool(rel and rel.type == RT_WORKSHEET),
                )
            )
        return out

    def sheet_by(self, name: str | None = None, sheet_id: str | None = None) -> _SheetInfo | None:
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

    def editor(self, part: str) -> _SheetEditor:
        if part not in self.editors:
            try:
                self.editors[part] = _SheetEditor(part, self.pkg.get(part))
            except KeyError as exc:
                raise _Damaged(part, "missing") from exc
        return self.editors[part]

    def _styles_part(self) -> str | None:
        doc = self._doc(_rels_name(self.wb_part))
        for rel in _rels(doc, self.wb_part):
            if rel.type == RT_STYLES and self.pkg.exists(rel.target):
                return rel.target
        return None

    # -- the run -------------------------------------------------------------------------------

    def run(
        self,
        notes: Sequence[CellNote],
        lines: Sequence[FindingLine],
        header: Sequence[str],
        findings_sheet: str,
    ) -> bool:
        """Undo the previous run, apply this one; False when there is nothing to write."""
        try:
            self.wb_part = self._find_workbook()
            self._load_record()
            if self.old is None and not notes and not lines:
                return False
            targets = self._targets({n.sheet for n in notes})
            merged = self._merge(notes, targets)
            for line in lines:
                if line.link_sheet and line.link_cell:
                    _parse_ref(line.link_cell)
            if self.old is not None:
                self._undo_findings(self.old)
            sheet_recs = self._undo_comments()
            styles = self._undo_cells_and_styles()
            new_sheets = self._apply(targets, merged, sheet_recs, styles)
            if lines:
                self._add_findings(lines, header, findings_sheet, styles)
            self._cleanup(sheet_recs, new_sheets)
            self._finish(styles, new_sheets)
        except _StrictError as exc:
            raise WorkbookError(
                text("writeback_strict"), path=self.path, hint=text("writeback_strict_hint")
            ) from exc
        return True

    def _merge(
        self, notes: Sequence[CellNote], targets: dict[str, _SheetInfo]
    ) -> dict[tuple[str, int, int], _Merged]:
        """One entry per cell: the worst severity and every distinct text, in order."""
        merged: dict[tuple[str, int, int], _Merged] = {}
        for note in notes:
            row, col = _parse_ref(note.cell)
            key = (targets[note.sheet].name, row, col)
            m = merged.get(key)
            if m is None:
                merged[key] = _Merged(note.severity, [note.text])
            else:
                if _RANK[note.severity] > _RANK[m.severity]:
                    m.severity = note.severity
                if note.text not in m.texts:
                    m.texts.append(note.text)
        return merged

    def _targets(self, names: set[str]) -> dict[str, _SheetInfo]:
        """The sheets the notes name (as given → as found), checked before anything changes."""
        out: dict[str, _SheetInfo] = {}
        for sheet_name in sorted(names):
            info = self.sheet_by(name=sheet_name)
            if info is None or (
                self.old is not None
                and info.sheet_id == self.old.findings_sheet_id
                and info.name == self.old.findings_name
            ):
                raise WorkbookError(text("writeback_no_sheet", sheet=sheet_name), path=self.path)
            if not info.is_worksheet or info.part is None:
                raise WorkbookError(
                    text("writeback_not_worksheet", sheet=sheet_name),
                    path=self.path,
                    sheet=sheet_name,
                )
            out[sheet_name] = info
        return out

    def _load_record(self) -> None:
        """Find the record through the workbook's relationships, else among custom XML parts."""
        # LibreOffice keeps the part when it saves, but relates it from the package root.
        candidates = []
        rels_part = _rels_name(self.wb_part)
        if self.pkg.exists(rels_part):
            for rel in _rels(self._doc(rels_part), self.wb_part):
                if rel.type == RT_CUSTOM_XML and not rel.external:
                    candidates.append(rel.target)
        candidates += sorted(
            n for n in self.pkg.names() if re.fullmatch(r"customXml/item\d+\.xml", n, re.I)
        )
        for target in dict.fromkeys(candidates):
            if not self.pkg.exists(target):
                continue
            data = self.pkg.get(target)
            try:
                rec = _parse_record(data)
            except (ParseError, DefusedXmlException, ValueError) as exc:
                if NS_RECORD.encode() not in data:
                    continue  # someone else's custom XML part, not ours to judge
                raise _Damaged(target, str(exc)) from exc
            if rec is not None:
                self.old = rec
                self.record_part = target
                return

    # -- undo ----------------------------------------------------------------------------------

    def _undo_findings(self, old: _Record) -> None:
        """Remove the previous findings sheet, if it is still there under the name mops gave."""
        if old.findings_sheet_id is None:
            return
        info = self.sheet_by(sheet_id=old.findings_sheet_id)
        if info is None or info.name != old.findings_name:
            # Another program may have renumbered the sheets: the name mops gave it is enough.
            info = next((s for s in self.sheets() if s.name == old.findings_name), None)
        if info is None:
            return
        self._remove_sheet(info, old.active_tab)

    def _remove_sheet(self, info: _SheetInfo, restore_tab: int) -> None:
        idx = info.index
        with self.edit(self.wb_part) as doc:
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
        with self.edit(_rels_name(self.wb_part)) as doc:
            for rel in _rels(doc, self.wb_part):
                if rel.id == info.rid:
                    doc.remove(rel.el)
        if info.part is not None and self.pkg.exists(info.part):
            had_formulas = re.search(rb"<(?:\w+:)?f[\s>/]", self.pkg.get(info.part)) is not None
            self._delete_with_rels(info.part)
            if had_formulas:
                self._drop_calc_chain()

    def _delete_with_rels(self, part: str) -> None:
        """Delete a part, its relationships, and the parts only it referred to."""
        rels_part = _rels_name(part)
        targets = []
        if self.pkg.exists(rels_part):
            targets = [r.target for r in _rels(self._doc(rels_part), part) if not r.external]
            self.pkg.delete(rels_part)
        self.pkg.delete(part)
        self._remove_override(part)
        if targets:
            still = self._referenced()
            for t in targets:
                if t not in still and self.pkg.exists(t):
                    self._delete_with_rels(t)

    def _referenced(self) -> set[str]:
        out = set()
        for name in self.pkg.names():
            if name.endswith(".rels"):
                source = _rels_source(name)
                out |= {r.target for r in _rels(self._doc(name), source) if not r.external}
        return out

    def _drop_calc_chain(self) -> None:
        """A calculation chain naming a removed sheet makes Excel repair the file: drop it."""
        with self.edit(_rels_name(self.wb_part)) as doc:
            for rel in _rels(doc, self.wb_part):
                if rel.type == RT_CALC_CHAIN:
                    doc.remove(rel.el)
                    if self.pkg.exists(rel.target):
                        self.pkg.delete(rel.target)
                        self._remove_override(rel.target)

    def _remove_override(self, part: str) -> None:
        with self.edit("[Content_Types].xml") as doc:
            for el in doc.children(None, b"Override"):
                name = (doc.attr(el, b"PartName") or "").lstrip("/")
                if name.lower() == part.lower():
                    doc.remove(el)

    def _add_override(self, part: str, content_type: str) -> None:
        with self.edit("[Content_Types].xml") as doc:
            for el in doc.children(None, b"Override"):
                if (doc.attr(el, b"PartName") or "").lstrip("/").lower() == part.lower():
                    if doc.attr(el, b"ContentType") != content_type:
                        doc.set_attr(el, b"ContentType", content_type)
                    return
            doc.append(
                doc.root,
                b'<Override PartName="/%s" ContentType="%s"/>'
                % (_esc_attr(part), _esc_attr(content_type)),
            )

    def _default_type(self, ext: str) -> str | None:
        doc = self._doc("[Content_Types].xml")
        for el in doc.children(None, b"Default"):
            if (doc.attr(el, b"Extension") or "").lower() == ext:
                return doc.attr(el, b"ContentType")
        return None

    def _add_default(self, ext: str, content_type: str) -> None:
        with self.edit("[Content_Types].xml") as doc:
            overrides = doc.children(None, b"Override")
            new = b'<Default Extension="%s" ContentType="%s"/>' % (
                ext.encode(),
                _esc_attr(content_type),
            )
            if overrides:
                doc.insert(overrides[0].start, new)
            else:
                doc.append(doc.root, new)

    def _remove_default(self, ext: str) -> None:
        if any(n.lower().endswith("." + ext) for n in self.pkg.names()):
            return
        with self.edit("[Content_Types].xml") as doc:
            for el in doc.children(None, b"Default"):
                if (doc.attr(el, b"Extension") or "").lower() == ext:
                    doc.remove(el)

    def _sheet_parts(self, info: _SheetInfo) -> tuple[str | None, str | None, str | None]:
        """The comments part, VML part and its relationship id of a worksheet."""
        assert info.part is not None
        rels_part = _rels_name(info.part)
        if not self.pkg.exists(rels_part):
            return None, None, None
        rels = _rels(self._doc(rels_part), info.part)
        comments = next((r.target for r in rels if r.type == RT_COMMENTS), None)
        rid = self.editor(info.part).legacy_rid()
        vml = next((r.target for r in rels if r.id == rid and r.type == RT_VML), None)
        for target in (comments, vml):
            if target is not None and not self.pkg.exists(target):
                raise _Damaged(rels_part, f"{target} is missing")
        return comments, vml, rid if vml else None

    def _undo_comments(self) -> dict[str, tuple[_SheetInfo, _SheetRec, set]]:
        """Take our comments and note shapes out; returns the old record of each sheet found."""
        out: dict[str, tuple[_SheetInfo, _SheetRec, set]] = {}
        if self.old is None:
            return out
        for srec in self.old.sheets:
            info = self.sheet_by(name=srec.name, sheet_id=srec.sheet_id)
            if info is None or not info.is_worksheet or info.part is None:
                continue
            comments_part, vml_part, _ = self._sheet_parts(info)
            removed: set[tuple[int, int]] = set()
            if comments_part and self.pkg.exists(comments_part):
                with self.edit(comments_part) as doc:
                    removed = _undo_comment_doc(doc, srec)
            if vml_part and self.pkg.exists(vml_part):
                data = self.pkg.get(vml_part)
                _check_vml(data, vml_part)
                new = _undo_vml(data, removed, srec)
                if new != data:
                    self.pkg.put(vml_part, new)
            out[info.part] = (info, srec, removed)
        return out

    def _undo_cells_and_styles(self) -> _Styles:
        """Give marked cells their own style back, then cut the appended styles if unused."""
        old = self.old
        part = self._styles_part()
        if part is None:
            part = self._create_styles()
        styles = _Styles(part, self.pkg.get(part))
        restored: Counter[int] = Counter()
        if old is not None:
            counts = tuple(styles.count(n) for n in (b"fonts", b"fills", b"cellXfs"))
            # Another program saved the file and renumbered the formats: the recorded ids
            # mean nothing now, so a cell still showing a mops fill just loses the fill.
            foreign = counts != (old.fonts_after, old.fills_after, old.xfs_after)
            for srec in old.sheets:
                info = self.sheet_by(name=srec.name, sheet_id=srec.sheet_id)
                if info is None or not info.is_worksheet or info.part is None:
                    continue
                ed = self.editor(info.part)
                # Backwards, so that a row's spans widened twice ends as it was first.
                for c in reversed(srec.cells):
                    if _undo_cell(ed, c, styles if foreign else None):
                        restored[c.mark] += 1
                        self.cells_restored += 1
        if old is not None and self._can_truncate(styles, old, restored):
            styles.truncate(old.fonts, old.fills, old.xfs)
            self.pkg.put(part, styles.doc.render())
            styles = _Styles(part, self.pkg.get(part))
        self.styles_part = part
        return styles

    def _create_styles(self) -> str:
        part = _resolve(self.wb_part, "styles.xml")
        self.pkg.put(part, DEFAULT_STYLES)
        with self.edit(_rels_name(self.wb_part), EMPTY_RELS) as doc:
            _add_rel(doc, self.wb_part, RT_STYLES, part)
        self._add_override(part, CT_STYLES)
        self.new.styles_created = True
        return part

    def _can_truncate(self, styles: _Styles, old: _Record, restored: Counter[int]) -> bool:
        """Whether no cell, row or column still uses a format mops appended."""
        counts = (styles.count(b"fonts"), styles.count(b"fills"), styles.count(b"cellXfs"))
        if counts != (old.fonts_after, old.fills_after, old.xfs_after):
            return False  # something else changed the lists since: leave them alone
        ours = range(old.xfs, old.xfs_after)
        if not ours:
            return True
        used: Counter[int] = Counter()
        for info in self.sheets():
            if not info.is_worksheet or info.part is None or not self.pkg.exists(info.part):
                continue
            if info.part in self.editors:
                data = self.editors[info.part].data
            else:
                data = self.pkg.get(info.part)
            used.update(_style_refs(data, ours))
        return all(n <= restored.get(idx, 0) for idx, n in used.items())

    # -- apply ---------------------------------------------------------------------------------

    def _apply(
        self,
        targets: dict[str, _SheetInfo],
        merged: dict[tuple[str, int, int], _Merged],
        sheet_recs: dict[str, tuple[_SheetInfo, _SheetRec, set]],
        styles: _Styles,
    ) -> list[_SheetRec]:
        by_sheet: dict[str, list[tuple[int, int, _Merged]]] = {}
        for (sheet_name, row, col), m in merged.items():
            by_sheet.setdefault(sheet_name, []).append((row, col, m))
        out = []
        found = {info.name: info for info in targets.values()}
        for sheet_name, cells in by_sheet.items():
            info = found[sheet_name]
            assert info.part is not None
            old = sheet_recs.get(info.part)
            srec = _SheetRec(name=info.name, sheet_id=info.sheet_id)
            if old is not None:
                o = old[1]
                srec.comments_created = o.comments_created
                srec.vml_created = o.vml_created
                srec.rels_created = o.rels_created
                srec.author_added = o.author_added
                srec.shapetype_added = o.shapetype_added
                srec.idmap_orig = o.idmap_orig
            cells.sort(key=lambda c: (c[0], c[1]))
            ed = self.editor(info.part)
            for row, col, m in cells:
                srec.cells.append(_apply_cell(ed, row, col, m.severity, styles))
                self.cells_marked += 1
            self._apply_comments(info, srec, cells)
            out.append(srec)
        return out

    def _apply_comments(
        self, info: _SheetInfo, srec: _SheetRec, cells: list[tuple[int, int, _Merged]]
    ) -> None:
        assert info.part is not None
        comments_part, vml_part, _ = self._sheet_parts(info)
        rels_part = _rels_name(info.part)
        if not self.pkg.exists(rels_part):
            srec.rels_created = True
        if comments_part is None:
            comments_part = _free_after(self.pkg, r"xl/comments(\d+)\.xml", "xl/comments%d.xml")
            self.pkg.put(
                comments_part,
                XML_DECL
                + f'<comments xmlns="{NS_MAIN}"><authors/><commentList/></comments>'.encode(),
            )
            with self.edit(rels_part, EMPTY_RELS) as doc:
                _add_rel(doc, info.part, RT_COMMENTS, comments_part)
            self._add_override(comments_part, CT_COMMENTS)
            srec.comments_created = True
        created: list[tuple[int, int, str]] = []
        by_ref = {c.ref: c for c in srec.cells}
        with self.edit(comments_part) as doc:
            author_id, added = _author_id(doc)
            if added:
                srec.author_added = True
            existing = _comment_map(doc)
            for row, col, m in cells:
                ref = _ref(row, col)
                body = _comment_text("\n".join(m.texts))
                c = by_ref[ref]
                if ref in existing:
                    c.comment = "appended"
                    c.wrapped, c.text = _append_comment(doc, existing[ref], body)
                else:
                    c.comment = "created"
                    c.text = AUTHOR + ":\n" + body
                    doc.append(
                        _comment_list(doc),
                        b'<%scomment ref="%s" authorId="%d"><%stext>%s</%stext></%scomment>'
                        % (
                            doc.p,
                            ref.encode(),
                            author_id,
                            doc.p,
                            _runs(AUTHOR + ":", "\n" + body, doc.p),
                            doc.p,
                            doc.p,
                        ),
                    )
                    created.append((row, col, body))
        if not created:
            return
        if vml_part is None and self.editor(info.part).legacy_rid() is not None:
            raise _Damaged(info.part, "<legacyDrawing> refers to no VML drawing")
        if vml_part is None:
            vml_part = _free_after(
                self.pkg, r"xl/drawings/vmlDrawing(\d+)\.vml", "xl/drawings/vmlDrawing%d.vml"
            )
            block = self._free_vml_block()
            self.pkg.put(vml_part, VML_HEAD % str(block).encode() + b"\n</xml>\n")
            with self.edit(rels_part, EMPTY_RELS) as doc:
                rid = _add_rel(doc, info.part, RT_VML, vml_part)
            self.editor(info.part).add_legacy_drawing(rid)
            if self._default_type("vml") is None:
                self._add_default("vml", CT_VML)
                self.new.vml_default_added = True
            srec.vml_created = True
        data = self.pkg.get(vml_part)
        _check_vml(data, vml_part)
        data, typed, idmap_orig = _add_vml_shapes(data, created, self._vml_blocks(vml_part))
        if typed:
            srec.shapetype_added = True
        if idmap_orig is not None and srec.idmap_orig is None:
            srec.idmap_orig = idmap_orig
        self.pkg.put(vml_part, data)

    def _vml_blocks(self, exclude: str | None = None) -> set[int]:
        """The shape-id blocks (``o:idmap data``) used by the package's VML parts."""
        used: set[int] = set()
        for name in self.pkg.names():
            if name.lower().endswith(".vml") and name != exclude:
                used.update(_idmap_blocks(self.pkg.get(name)))
        return used

    def _free_vml_block(self) -> int:
        used = self._vml_blocks()
        n = 1
        while n in used:
            n += 1
        return n

    def _add_findings(
        self, lines: Sequence[FindingLine], header: Sequence[str], wanted: str, styles: _Styles
    ) -> None:
        sheets = self.sheets()
        name = _sheet_name(wanted, [s.name for s in sheets])
        ids = [int(s.sheet_id) for s in sheets if s.sheet_id.isdigit()]
        sheet_id = str(max(ids, default=0) + 1)
        part = _free_after(self.pkg, r"xl/worksheets/sheet(\d+)\.xml", "xl/worksheets/sheet%d.xml")
        index = len(sheets)
        active = 0
        with self.edit(self.wb_part) as doc:
            views = doc.child(None, b"bookViews")
            view = doc.child(views, b"workbookView") if views else None
            if view is not None:
                value = doc.attr(view, b"activeTab")
                active = int(value) if value and value.isdigit() else 0
        self.pkg.put(part, _findings_sheet_xml(header, lines, styles, selected=False))
        with self.edit(_rels_name(self.wb_part)) as doc:
            rid = _add_rel(doc, self.wb_part, RT_WORKSHEET, part)
        with self.edit(self.wb_part) as doc:
            rel_prefix = _ns_prefix(doc.data, doc.root, NS_REL)
            p = doc.p
            if rel_prefix:
                rid_attr = b'%s:id="%s"' % (rel_prefix, rid.encode())
            else:
                rid_attr = b'xmlns:r="%s" r:id="%s"' % (NS_REL.encode(), rid.encode())
            sheets_el = doc.child(None, b"sheets")
            if sheets_el is None:
                raise _Damaged(self.wb_part, "no <sheets>")
            doc.append(
                sheets_el,
                b'<%ssheet name="%s" sheetId="%s" %s/>'
                % (p, _esc_attr(name), sheet_id.encode(), rid_attr),
            )
            ncols = max([len(header)] + [len(line.values) for line in lines] + [1])
            ref = f"{_quote_sheet(name)}!$A$1:${_col_name(ncols)}${len(lines) + 1}"
            dn = b'<%sdefinedName name="_xlnm._FilterDatabase" localSheetId="%d" hidden="1">' % (
                p,
                index,
            )
            dn += _esc_attr(ref) + b"</%sdefinedName>" % p
            names_el = doc.child(None, b"definedNames")
            if names_el is not None:
                doc.append(names_el, dn)
            else:
                after = sheets_el
                for el in doc.children():
                    if el.local in (b"functionGroups", b"externalReferences"):
                        after = el
                doc.insert(after.end, b"<%sdefinedNames>" % p + dn + b"</%sdefinedNames>" % p)
        self._add_override(part, CT_WORKSHEET)
        self.new.findings_name = name
        self.new.findings_sheet_id = sheet_id
        self.new.findings_part = part
        self.new.active_tab = active
        self.findings_name = name

    # -- cleanup and output --------------------------------------------------------------------

    def _cleanup(
        self,
        sheet_recs: dict[str, tuple[_SheetInfo, _SheetRec, set]],
        new_sheets: list[_SheetRec],
    ) -> None:
        """Remove the parts mops created that are now empty."""
        new_flags = {s.sheet_id: s for s in new_sheets}
        for part, (info, old, _) in sheet_recs.items():
            flags = new_flags.get(info.sheet_id, old)
            self._cleanup_sheet(part, info, flags)

    def _cleanup_sheet(self, part: str, info: _SheetInfo, flags: _SheetRec) -> None:
        comments_part, vml_part, vml_rid = self._sheet_parts(info)
        rels_part = _rels_name(part)
        if flags.comments_created and comments_part and self.pkg.exists(comments_part):
            doc = self._doc(comments_part)
            if not _comment_map(doc):
                self._delete_with_rels(comments_part)
                with self.edit(rels_part) as rdoc:
                    for rel in _rels(rdoc, part):
                        if rel.target == comments_part:
                            rdoc.remove(rel.el)
        vml_empty = vml_part is not None and not _VML_SHAPE.search(self.pkg.get(vml_part))
        if flags.vml_created and vml_part and vml_rid and vml_empty:
            self._delete_with_rels(vml_part)
            with self.edit(rels_part) as rdoc:
                for rel in _rels(rdoc, part):
                    if rel.id == vml_rid:
                        rdoc.remove(rel.el)
            self.editor(part).remove_legacy_drawing(vml_rid)
        if (
            flags.rels_created
            and self.pkg.exists(rels_part)
            and not _rels(self._doc(rels_part), part)
        ):
            self.pkg.delete(rels_part)

    def _finish(self, styles: _Styles, new_sheets: list[_SheetRec]) -> None:
        old = self.old
        new = self.new
        anything = bool(new_sheets) or new.findings_name is not None
        # The user's own styles end where they ended before the previous run, if that run's
        # styles are still there (cut or not); otherwise at today's end.
        base = tuple(len(styles.items[n]) for n in (b"fonts", b"fills", b"cellXfs"))
        if old is not None and base in (
            (old.fonts, old.fills, old.xfs),
            (old.fonts_after, old.fills_after, old.xfs_after),
        ):
            new.fonts, new.fills, new.xfs = old.fonts, old.fills, old.xfs
        else:
            new.fonts, new.fills, new.xfs = base
        if old is not None:
            new.styles_created = new.styles_created or old.styles_created
            new.vml_default_added = new.vml_default_added or old.vml_default_added
        if any(styles.new.values()):
            self.pkg.put(self.styles_part, styles.render())
        new.fonts_after = styles.count(b"fonts")
        new.fills_after = styles.count(b"fills")
        new.xfs_after = styles.count(b"cellXfs")
        if (
            not anything
            and new.styles_created
            and self.pkg.get(self.styles_part) == DEFAULT_STYLES  # no format of the user's
        ):
            self._delete_with_rels(self.styles_part)
            with self.edit(_rels_name(self.wb_part)) as doc:
                for rel in _rels(doc, self.wb_part):
                    if rel.target == self.styles_part:
                        doc.remove(rel.el)
        for part, ed in self.editors.items():
            if ed.changed():
                self.pkg.put(part, ed.render())
        if not anything and new.vml_default_added:
            self._remove_default("vml")
        new.sheets = new_sheets
        if anything:
            self._write_record(new)
        elif self.record_part is not None:
            self._remove_record()

    def _write_record(self, rec: _Record) -> None:
        data = _record_xml(rec, self.now)
        if self.record_part is not None:
            self.pkg.put(self.record_part, data)
            with self.edit(_rels_name(self.wb_part)) as doc:
                if not any(r.target == self.record_part for r in _rels(doc, self.wb_part)):
                    _add_rel(doc, self.wb_part, RT_CUSTOM_XML, self.record_part)
            return
        item = _free_after(self.pkg, r"customXml/item(\d+)\.xml", "customXml/item%d.xml")
        n = re.search(r"(\d+)\.xml$", item)
        assert n is not None
        props = f"customXml/itemProps{n.group(1)}.xml"
        guid = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{NS_RECORD}/{self.path.name}")) + "}"
        self.pkg.put(item, data)
        self.pkg.put(
            props,
            XML_DECL.replace(b'"yes"', b'"no"')
            + (
                f'<ds:datastoreItem ds:itemID="{guid.upper()}" '
                'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
                f'<ds:schemaRefs><ds:schemaRef ds:uri="{NS_RECORD}"/></ds:schemaRefs>'
                "</ds:datastoreItem>"
            ).encode(),
        )
        with self.edit(_rels_name(item), EMPTY_RELS) as doc:
            _add_rel(doc, item, RT_CUSTOM_XML_PROPS, props)
        with self.edit(_rels_name(self.wb_part)) as doc:
            _add_rel(doc, self.wb_part, RT_CUSTOM_XML, item)
        self._add_override(props, CT_ITEM_PROPS)
        if self._default_type("xml") is None:
            self._add_override(item, CT_XML)

    def _remove_record(self) -> None:
        assert self.record_part is not None
        for source in (self.wb_part, ""):
            rels_part = _rels_name(source) if source else "_rels/.rels"
            if not self.pkg.exists(rels_part):
                continue
            with self.edit(rels_part) as doc:
                for rel in _rels(doc, source):
                    if rel.target == self.record_part:
                        doc.remove(rel.el)
        self._delete_with_rels(self.record_part)

    def write(self, out) -> None:
        self.pkg.write(out, self.now)


def _rels_source(rels_part: str) -> str:
    folder, _, base = rels_part.rpartition("/")
    parent = folder.rpartition("/")[0] if folder.endswith("_rels") else folder
    source = base[: -len(".rels")]
    return f"{parent}/{source}" if parent else source


def _style_refs(data: bytes, ours: range) -> Counter[int]:
    """How many cells, rows and columns use each format in ``ours`` (any quoting or spacing)."""
    numbers = b"|".join(str(i).encode() for i in ours)
    # Anchored on the attribute name, not on the whitespace before it: a regex that starts
    # with a character class scans a 30 MB sheet for seconds; this one takes a fraction.
    pattern = re.compile(rb"""(?:s|style)\s*=\s*["'](""" + numbers + rb""")["']""")
    counts: Counter[int] = Counter()
    for m in pattern.finditer(data):
        if data[m.start() - 1 : m.start()].isspace():
            counts[int(m.group(1))] += 1
    return counts


def _undo_cell(ed: _SheetEditor, c: _CellRec, foreign: _Styles | None) -> bool:
    """Give one cell of the previous run its own style back; False if it was restyled since."""
    # With ``foreign`` styles (renumbered by another program since), the recorded ids mean
    # nothing: a cell still showing a mops fill gets its present format without the fill.
    row_num, col = _parse_ref(c.ref)
    row = ed.row(row_num, create=False)
    if row is None:
        return False
    cell = row.find(col)
    if cell is None:
        return False
    current = _cell_s(cell.xml)
    if foreign is None and current != str(c.mark):
        return False
    if foreign is not None and not (
        current and current.isdigit() and foreign.is_ours(int(current))
    ):
        return False
    row.touched = True
    if c.created and not _has_content(cell.xml):
        row.remove(cell)
        if c.spans_set is not None and row.attrs().get(b"spans") == c.spans_set:
            row.tag = _with_attr(row.tag, b"spans", c.spans_orig or None)
    elif foreign is not None:
        cell.xml = _with_attr(cell.xml, b"s", str(foreign.unfilled(int(current or 0))))
    elif c.created:
        cell.xml = _with_attr(cell.xml, b"s", str(c.base) if c.base else None)
    else:
        cell.xml = _with_attr(cell.xml, b"s", c.orig_s)
    if (
        c.row_created
        and not row.cells()
        and set(row.attrs()) <= _ROW_KEEP_ATTRS
        and not any(isinstance(i, bytes) and i.strip() for i in row.items)
    ):
        row.items = []
        row.deleted = True
    return True


def _apply_cell(ed: _SheetEditor, row_num: int, col: int, severity: str, styles: _Styles):
    row = ed.row(row_num, create=True)
    assert row is not None
    row_created = row.span is None or row.deleted
    row.deleted = False  # a row of the previous run comes back for this one
    row.touched = True
    cell = row.find(col)
    ref = _ref(row_num, col)
    spans_orig = spans_set = None
    if cell is not None:
        orig = _cell_s(cell.xml)
        base = int(orig) if orig and orig.isdigit() else 0
        created = False
    else:
        orig = None
        row_style = ed.row_style(row)
        base = row_style if row_style is not None else ed.col_style(col)
        created = True
        cell = _Cell(col, b"<" + ed.p + b'c r="' + ref.encode() + b'"/>')
        row.insert(cell)
        spans_orig, spans_set = _widen_spans(row, col)
    mark = styles.marked(base, severity)
    cell.xml = _with_attr(cell.xml, b"s", str(mark))
    return _CellRec(
        ref=ref,
        orig_s=orig,
        base=base,
        mark=mark,
        created=created,
        row_created=row_created,
        comment="",
        wrapped=False,
        text="",
        spans_orig=spans_orig,
        spans_set=spans_set,
    )


def _widen_spans(row: _Row, col: int) -> tuple[str | None, str | None]:
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
    row.tag = _with_attr(row.tag, b"spans", new)
    return spans, new


def _author_id(doc: _Doc) -> tuple[int, bool]:
    """The index of the ``mops`` comment author, added if missing; and whether it was added."""
    authors = doc.child(None, b"authors")
    if authors is None:
        raise _Damaged(doc.part, "no <authors>")
    names = [doc.text(a) for a in doc.children(authors, b"author")]
    if AUTHOR in names:
        return names.index(AUTHOR), False
    doc.append(authors, b"<%sauthor>%s</%sauthor>" % (doc.p, AUTHOR.encode(), doc.p))
    return len(names), True


def _comment_list(doc: _Doc) -> _El:
    el = doc.child(None, b"commentList")
    if el is None:
        raise _Damaged(doc.part, "no <commentList>")
    return el


def _comment_map(doc: _Doc) -> dict[str, _El]:
    out = {}
    el = doc.child(None, b"commentList")
    for c in doc.children(el, b"comment", flat=True) if el is not None else []:
        ref = doc.attr(c, b"ref")
        if ref:
            out[ref.upper().replace("$", "")] = c
    return out


def _append_comment(doc: _Doc, comment: _El, body: str) -> tuple[bool, str]:
    """Append our runs to the user's comment; returns (wrapped, appended text)."""
    text_el = doc.child(comment, b"text")
    if text_el is None:
        raise _Damaged(doc.part, "a comment without <text>")
    kids = doc.children(text_el)
    wrapped = False
    for k in kids:
        if k.local == b"t":
            # A plain <t> is wrapped in a run so that more runs may follow it.
            doc.replace(k, b"<%sr>" % doc.p + doc.xml(k) + b"</%sr>" % doc.p)
            wrapped = True
    pos = next((k.start for k in kids if k.local in (b"rPh", b"phoneticPr")), None)
    added = "\n" + AUTHOR + ":"
    runs = _runs(added, "\n" + body, doc.p)
    if pos is not None:
        doc.insert(pos, runs)
    else:
        doc.append(text_el, runs)
    return wrapped, added + "\n" + body


def _comment_full_text(doc: _Doc, comment: _El) -> str:
    """A comment's whole text, as Excel shows it."""
    return "".join(piece for _, _, piece in _text_segments(doc, comment))


def _text_segments(doc: _Doc, comment: _El) -> list[tuple[_El, _El, str]]:
    """The comment's text pieces in order: (run or bare <t>, its <t>, decoded text)."""
    text_el = doc.child(comment, b"text")
    out = []
    for k in doc.children(text_el) if text_el is not None else []:
        t = k if k.local == b"t" else doc.child(k, b"t") if k.local == b"r" else None
        if t is not None:
            out.append((k, t, _ooxml_decode(doc.text(t))))
    return out


def _undo_comment_doc(doc: _Doc, srec: _SheetRec) -> set[tuple[int, int]]:
    """Remove our comments and cut our text from the user's; returns the cells left bare."""
    # Matched by text as well as by author: other programs rewrite authors and runs.
    comments = _comment_map(doc)
    authors_el = doc.child(None, b"authors")
    authors = [doc.text(a) for a in doc.children(authors_el, b"author")] if authors_el else []
    removed: set[tuple[int, int]] = set()
    gone: set[int] = set()
    for c in srec.cells:
        el = comments.get(c.ref)
        if el is None:
            continue
        if c.comment == "created":
            author = doc.attr(el, b"authorId") or ""
            by_mops = author.isdigit() and authors[int(author) :][:1] == [AUTHOR]
            if by_mops or _comment_full_text(doc, el) == c.text:
                doc.remove(el)
                removed.add(_parse_ref(c.ref))
                gone.add(el.start)
        elif c.comment == "appended":
            _cut_text(doc, el, c)
    if srec.author_added and authors and authors[-1] == AUTHOR and authors_el is not None:
        mops_id = str(len(authors) - 1)
        in_use = any(
            doc.attr(el, b"authorId") == mops_id for el in comments.values() if el.start not in gone
        )
        if not in_use:
            doc.remove(doc.children(authors_el, b"author")[-1])
    return removed


def _cut_text(doc: _Doc, comment: _El, c: _CellRec) -> None:
    """Cut the text mops appended from the end of the user's comment, if it still ends so."""
    # Whole runs go and the run our text starts in is trimmed: that works whether the runs
    # are ours or another program has moved their boundaries.
    segments = _text_segments(doc, comment)
    if not c.text or not "".join(t for _, _, t in segments).endswith(c.text):
        return
    left = len(c.text)
    kept = len(segments)
    for seg, t_el, piece in reversed(segments):
        if left <= 0:
            break
        if len(piece) <= left:
            doc.remove(seg)
            kept -= 1
            left -= len(piece)
        else:
            doc.replace(
                t_el,
                b'<%st xml:space="preserve">%s</%st>'
                % (doc.p, _esc(piece[: len(piece) - left]), doc.p),
            )
            left = 0
    rest = segments[:kept]
    if c.wrapped and len(rest) == 1 and rest[0][0].local == b"r":
        run, t_el, _ = rest[0]
        text_el = doc.child(comment, b"text")
        others = [k for k in doc.children(text_el) if k.local not in (b"r", b"t")]
        if doc.child(run, b"rPr") is None and not others:
            doc.replace(run, doc.xml(t_el))  # the user's plain text, as it was


def _undo_vml(data: bytes, removed: set[tuple[int, int]], srec: _SheetRec) -> bytes:
    out = data
    if removed:
        pieces = []
        pos = 0
        for m in _VML_SHAPE.finditer(data):
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


def _add_vml_shapes(
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


# ---------------------------------------------------------------------------------------------
# Cell values (write_values)
# ---------------------------------------------------------------------------------------------

_VALUE_TYPES = (type(None), bool, int, float, Decimal, str, date, datetime)
RT_SHARED_STRINGS = RT + "sharedStrings"
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
_SI = re.compile(rb"<((?:[\w.-]+:)?)si(?:\s[^>]*)?(/?)>")
_RPH = re.compile(rb"<((?:[\w.-]+:)?)rPh\b.*?</\1rPh\s*>", re.S)
_T_TEXT = re.compile(rb"<((?:[\w.-]+:)?)t(?:\s[^>]*)?(?:/>|>(.*?)</\1t\s*>)", re.S)
_FORMULA_TAG = re.compile(rb"<(?:[\w.-]+:)?f\b([^>]*)>")
MAX_DOUBLE_EXPONENT = 308


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


class _ValueStyles(_Styles):
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
            b'<%snumFmt numFmtId="%d" formatCode="%s"/>' % (self.p, n, _esc_attr(code))
        )
        return n

    def date_xf(self, base: int, need_time: bool) -> int:
        """A cell format like ``base`` that shows a date (and time): an equal one or a new one."""
        key = (base, need_time)
        if key not in self._date_xfs:
            fid = self._numfmt(DATETIME_FORMAT if need_time else DATE_FORMAT)
            xml = _with_attr(self._xf_bytes(base), b"numFmtId", str(fid))
            xml = _with_attr(xml, b"applyNumberFormat", "1")
            found = next(
                (i for i, el in enumerate(self.items[b"cellXfs"]) if self.doc.xml(el) == xml),
                None,
            )
            self._date_xfs[key] = found if found is not None else self._add(b"cellXfs", xml)
        return self._date_xfs[key]

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


@dataclass(frozen=True)
class _CellContent:
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


def _read_cell(xml: bytes, part: str) -> _CellContent:
    m = _TOKEN.match(xml)
    assert m is not None and m.group("name")
    qname = m.group("name")
    attrs = {
        a.group(1): _unescape(a.group(2) if a.group(2) is not None else a.group(3))
        for a in _ATTR_RE.finditer(xml, 1 + len(qname), m.end())
    }
    t, s = attrs.get(b"t"), attrs.get(b"s")
    if m.group("empty"):
        return _CellContent(t, s, False, None, None, ())
    el = _El(qname, 0, m.end(), xml.rindex(b"</"), len(xml))
    formula = False
    v = inline = None
    others: list[bytes] = []
    for child in _children(xml, el, part):
        if child.local == b"f":
            formula = True
        elif child.local == b"v":
            v = _unescape(xml[child.open_end : child.inner_end])
        elif child.local == b"is":
            inline = _rich_text(xml[child.open_end : child.inner_end])
        else:
            others.append(xml[child.start : child.end])
    return _CellContent(t, s, formula, v, inline, tuple(others))


def _rich_text(body: bytes) -> str:
    """The text of an ``<si>`` or ``<is>``: its ``<t>`` pieces, without phonetic runs."""
    body = _RPH.sub(b"", body)
    return "".join(_ooxml_decode(_unescape(m.group(2) or b"")) for m in _T_TEXT.finditer(body))


def _number_text(raw: str) -> str:
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


def _key_text(s: str) -> str:
    return unicodedata.normalize("NFC", s).strip()


def _utf16_len(s: str) -> int:
    """Length as Excel counts it (UTF-16 code units)."""
    return len(s) + sum(1 for ch in s if ord(ch) > 0xFFFF)


def _decimal_text(d: Decimal) -> str:
    """A Decimal's own digits, as a number XML Schema and Excel read (no float noise)."""
    if -20 <= d.adjusted() <= 20:
        return format(d, "f")
    return str(d).replace("e", "E")


def _serial(value: date, date1904: bool) -> str | None:
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


@dataclass(frozen=True)
class _Planned:
    """A write checked and encoded: kind is clear, str, num, bool or date."""

    write: CellWrite
    kind: str
    text: str = ""
    need_time: bool = False


class _ValuesRun:
    """One write_values: resolve the sheets, check the keys, then patch the cells."""

    def __init__(self, path: Path, zin: zipfile.ZipFile, now: datetime) -> None:
        self.session = _Session(path, zin, now)
        self.pkg = self.session.pkg
        self.written = 0
        self.unchanged = 0
        self.refused: list[tuple[CellWrite, str]] = []
        self.where: tuple[str | None, str | None] = (None, None)  # for errors: sheet, cell
        self._sheets: dict[str, _SheetInfo | None] = {}
        self._sst: list[str] | None = None
        self._sst_data = b""
        self._sst_part = ""
        self._sst_pos = 0
        self._styles: _ValueStyles | None = None
        self._date1904: bool | None = None
        self._arrays: dict[str, list[tuple[int, int, int, int]]] = {}
        self._extent: dict[str, tuple[int, int]] = {}  # part → furthest row and column written

    # -- the run -------------------------------------------------------------------------------

    def run(self, writes: Sequence[CellWrite]) -> bool:
        """Check every write against the file as it is, then apply; True if anything changed."""
        s = self.session
        s.wb_part = s._find_workbook()
        accepted: list[tuple[int, _SheetInfo, _SheetEditor, _Planned]] = []
        refused: list[tuple[int, CellWrite, str]] = []
        read: list[tuple[str, _SheetEditor, str]] = []  # cells read: sheet, editor, address
        for i, w in enumerate(writes):
            info = self._sheet(w.sheet)
            if info is None or info.part is None:
                refused.append((i, w, "no_sheet"))
                continue
            self.where = (info.name, w.cell)
            planned = self._plan(w)
            if isinstance(planned, str):
                refused.append((i, w, planned))
                continue
            ed = s.editor(info.part)
            if w.check_cell is not None:
                self.where = (info.name, w.check_cell)
                held = self._text_at(ed, w.check_cell)
                read.append((info.name, ed, w.check_cell))
                if _key_text(held) != _key_text(w.check_value or ""):
                    refused.append((i, w, "key_moved"))
                    continue
            accepted.append((i, info, ed, planned))
        self._check_rows(read)  # before anything is written
        written: list[tuple[str, _SheetEditor, str]] = []
        for i, info, ed, planned in accepted:
            self.where = (info.name, planned.write.cell)
            outcome = self._apply(ed, planned)
            written.append((info.name, ed, planned.write.cell))
            if outcome == "written":
                self.written += 1
            elif outcome == "unchanged":
                self.unchanged += 1
            else:
                refused.append((i, planned.write, outcome))
        self._check_rows(written)
        refused.sort(key=lambda r: r[0])
        self.refused = [(w, reason) for _, w, reason in refused]
        self.where = (None, None)
        for part, (row, col) in self._extent.items():
            _widen_dimension(s.editors[part], row, col)
        for part, ed in s.editors.items():
            if ed.changed():
                self.where = (next((i.name for i in s.sheets() if i.part == part), None), None)
                self.pkg.put(part, ed.render())
        if self._styles is not None and self._styles.changed():
            self.pkg.put(s.styles_part, self._styles.render())
        self.where = (None, None)
        return bool(self.pkg.changed_names())

    def _check_rows(self, cells: list[tuple[str, _SheetEditor, str]]) -> None:
        """Check the rows just read are well-formed XML: one defused parse per sheet.

        When a sheet fails, its rows are checked one by one, so the error names the cell.
        """
        editors = {id(ed): (sheet, ed) for sheet, ed, _ in cells}
        for sheet, ed in editors.values():
            pending = set(ed._rows_to_check)
            self.where = (sheet, None)
            try:
                ed.check_rows()
            except _Damaged:
                head = ed.data[ed.root.start : ed.root.open_end]
                tail = b"</" + ed.root.qname + b">"
                for name, e, ref in cells:
                    row = e.rows.get(_parse_ref(ref)[0]) if e is ed else None
                    if row is None or row.span not in pending:
                        continue
                    try:
                        _check_xml(head + ed.data[row.span[0] : row.span[1]] + tail, ed.part)
                    except _Damaged:
                        self.where = (name, ref)
                        break
                raise

    def _sheet(self, name: str) -> _SheetInfo | None:
        if name not in self._sheets:
            info = self.session.sheet_by(name=name)
            ok = info is not None and info.is_worksheet and info.part is not None
            self._sheets[name] = info if ok and self.pkg.exists(info.part) else None
        return self._sheets[name]

    def _plan(self, w: CellWrite) -> _Planned | str:
        """The write encoded for the cell, or why no cell can hold its value."""
        v = w.value
        if w.as_text and v is not None and not isinstance(v, str):
            v = v.isoformat() if isinstance(v, date) else str(v)
        if v is None or v == "":
            return _Planned(w, "clear")
        if isinstance(v, str):
            if _utf16_len(v) > MAX_CELL_TEXT:
                return "too_long"
            return _Planned(w, "str", v)
        if isinstance(v, bool):
            return _Planned(w, "bool", "1" if v else "0")
        if isinstance(v, int):
            if abs(v).bit_length() > 1023:
                return "bad_value"
            return _Planned(w, "num", str(v))
        if isinstance(v, float):
            return _Planned(w, "num", repr(v)) if math.isfinite(v) else "bad_value"
        if isinstance(v, Decimal):
            if not v.is_finite() or (v and v.adjusted() > MAX_DOUBLE_EXPONENT):
                return "bad_value"
            return _Planned(w, "num", _decimal_text(v))
        assert isinstance(v, date)
        if isinstance(v, datetime) and v.tzinfo is not None:
            return "bad_value"  # Excel has no time zones: which wall time is meant?
        serial = _serial(v, self._is_1904())
        if serial is None:
            return "bad_value"
        need_time = isinstance(v, datetime) and v.time() != datetime.min.time()
        return _Planned(w, "date", serial, need_time)

    # -- reading -------------------------------------------------------------------------------

    def _is_1904(self) -> bool:
        if self._date1904 is None:
            doc = self.session._doc(self.session.wb_part)
            pr = doc.child(None, b"workbookPr")
            flag = (doc.attr(pr, b"date1904") or "").strip().lower() if pr else ""
            self._date1904 = flag in ("1", "true")
        return self._date1904

    def _shared(self, index: int) -> str | None:
        """Shared string ``index``, parsing the part only as far as needed."""
        if self._sst is None:
            self._sst = []
            s = self.session
            for rel in _rels(s._doc(_rels_name(s.wb_part)), s.wb_part):
                if rel.type == RT_SHARED_STRINGS and self.pkg.exists(rel.target):
                    data = self.pkg.get(rel.target)
                    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
                        raise _Damaged(rel.target, "a DTD is not allowed")
                    self._sst_data, self._sst_part = data, rel.target
                    break
        data, part = self._sst_data, self._sst_part
        while len(self._sst) <= index:
            m = _SI.search(data, self._sst_pos)
            if m is None:
                return None
            if m.group(2):
                self._sst.append("")
                self._sst_pos = m.end()
                continue
            end = data.find(b"</" + m.group(1) + b"si", m.end())
            if end < 0:
                raise _Damaged(part, f"string {len(self._sst)} is not closed")
            self._sst.append(_rich_text(data[m.end() : end]))
            self._sst_pos = end
        return self._sst[index]

    def _content(self, ed: _SheetEditor, ref: str) -> tuple[_Row | None, _Cell | None]:
        row_num, col = _parse_ref(ref)
        row = ed.row(row_num, create=False)
        return row, (row.find(col) if row is not None else None)

    def _text_at(self, ed: _SheetEditor, ref: str) -> str:
        """A cell's value as text, the way a person reads it (shared strings resolved)."""
        _, cell = self._content(ed, ref)
        if cell is None:
            return ""
        c = _read_cell(cell.xml, ed.part)
        return self._text_of(c)

    def _text_of(self, c: _CellContent) -> str:
        if c.t == "inlineStr":
            return c.inline or ""
        if c.v is None:
            return ""
        if c.t == "s":
            try:
                return self._shared(int(c.v)) or ""
            except ValueError:
                return ""
        if c.t == "b":
            return "TRUE" if c.v.strip() in ("1", "true") else "FALSE"
        if c.t in ("str", "e"):
            return c.v
        return _number_text(c.v)

    def _in_array(self, ed: _SheetEditor, row: int, col: int) -> bool:
        """Whether the cell is part of an array formula (or data table) held by another cell."""
        if ed.part not in self._arrays:
            ranges: list[tuple[int, int, int, int]] = []
            sd = ed.sheet_data
            assert sd is not None
            lo, hi = sd.open_end, sd.inner_end
            if ed.data.find(b"array", lo, hi) >= 0 or ed.data.find(b"dataTable", lo, hi) >= 0:
                for m in _FORMULA_TAG.finditer(ed.data, lo, hi):
                    a = {
                        k.group(1): _unescape(k.group(2) if k.group(2) is not None else k.group(3))
                        for k in _ATTR_RE.finditer(m.group(1))
                    }
                    if a.get(b"t") in ("array", "dataTable") and a.get(b"ref"):
                        ends = a[b"ref"].split(":")
                        with contextlib.suppress(ValueError):
                            (r1, c1), (r2, c2) = _parse_ref(ends[0]), _parse_ref(ends[-1])
                            ranges.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
            self._arrays[ed.part] = ranges
        return any(r1 <= row <= r2 and c1 <= col <= c2 for r1, c1, r2, c2 in self._arrays[ed.part])

    # -- writing -------------------------------------------------------------------------------

    def styles(self) -> _ValueStyles:
        if self._styles is None:
            s = self.session
            part = s._styles_part() or s._create_styles()
            s.styles_part = part
            self._styles = _ValueStyles(part, self.pkg.get(part))
        return self._styles

    def _unchanged(self, c: _CellContent, p: _Planned) -> bool:
        if p.kind == "clear":
            return c.blank
        if p.kind == "str":
            if c.t == "inlineStr":
                return c.inline == p.text
            return c.t == "s" and c.v is not None and self._text_of(c) == p.text
        if c.v is None or c.inline is not None:
            return False
        if p.kind == "bool":
            held = "1" if c.v.strip() in ("1", "true") else "0"
            return c.t == "b" and held == p.text
        if c.t not in (None, "n"):
            return False
        try:
            held = Decimal(c.v.strip())
        except ArithmeticError:
            return False
        if p.kind == "num":
            return held == Decimal(p.text)
        return abs(held - Decimal(p.text)) < Decimal("1e-6")  # a date: within 0.1 s

    def _date_style(self, ed: _SheetEditor, base: int, col: int, need_time: bool) -> int:
        """The format a date cell needs: its own, its column's, or a copy of its own for dates."""
        styles = self.styles()
        if styles.shows_date(base, need_time):
            return base
        column = ed.col_style(col)
        if column != base and styles.shows_date(column, need_time):
            return column
        return styles.date_xf(base, need_time)

    def _apply(self, ed: _SheetEditor, p: _Planned) -> str:
        """Patch one cell; returns "written", "unchanged" or the reason it was refused."""
        row_num, col = _parse_ref(p.write.cell)
        ref = _ref(row_num, col)
        if self._in_array(ed, row_num, col):
            return "formula"
        row = ed.row(row_num, create=p.kind != "clear")
        cell = row.find(col) if row is not None else None
        if cell is None and p.kind == "clear":
            return "unchanged"
        assert row is not None
        if cell is not None:
            c = _read_cell(cell.xml, ed.part)
            if c.formula:
                return "formula"
            own = int(c.s) if c.s and c.s.isdigit() else 0
        else:
            c = _CellContent(None, None, False, None, None, ())
            row_style = ed.row_style(row)
            own = row_style if row_style is not None else ed.col_style(col)
        style = own
        if p.kind == "date":
            style = self._date_style(ed, own, col, p.need_time)
        if cell is not None and style == own and self._unchanged(c, p):
            return "unchanged"
        xml = _value_cell_xml(cell.xml if cell is not None else None, ed.p, ref, style, p, c)
        if cell is None:
            row.insert(_Cell(col, xml))
            _widen_spans(row, col)
            row.deleted = False
        else:
            cell.xml = xml
        row.touched = True
        if p.kind != "clear":
            far = self._extent.get(ed.part, (0, 0))
            self._extent[ed.part] = (max(far[0], row_num), max(far[1], col))
        return "written"


_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\b[^>]*>")


def _widen_dimension(ed: _SheetEditor, row: int, col: int) -> None:
    """Widen the sheet's ``<dimension>`` (the used range) to a cell written outside it."""
    sd = ed.sheet_data
    assert sd is not None
    m = _DIMENSION.search(ed.data, 0, sd.start)
    if m is None:
        return
    found = _attrs(ed.data, _El(b"dimension", m.start(), m.end(), m.end(), m.end())).get(b"ref")
    if found is None:
        return
    value, start, end = found
    try:
        ends = [_parse_ref(x) for x in value.split(":")]
    except ValueError:
        return  # not a range mops understands (e.g. "A1:XFD1048576" written oddly): leave it
    r1, c1 = min(r for r, _ in ends), min(c for _, c in ends)
    r2, c2 = max(r for r, _ in ends), max(c for _, c in ends)
    if r1 <= row <= r2 and c1 <= col <= c2:
        return
    new = f"{_ref(min(r1, row), min(c1, col))}:{_ref(max(r2, row), max(c2, col))}"
    ed._edits.append((start, end, new.encode()))


def _value_cell_xml(
    old: bytes | None, p: bytes, ref: str, style: int, planned: _Planned, c: _CellContent
) -> bytes:
    """A cell holding the planned value; an existing cell keeps its other attributes."""
    if old is None:
        tag = b"<" + p + b'c r="' + ref.encode() + b'"/>'
        if style:
            tag = _with_attr(tag, b"s", str(style))
    else:
        m = _TOKEN.match(old)
        assert m is not None
        tag = old[: m.end()]
        if str(style) != (c.s or "0"):
            tag = _with_attr(tag, b"s", str(style))
    for name in (b"t", b"vm", b"cm"):  # vm/cm point at metadata of the value being replaced
        tag = _with_attr(tag, name, None)
    kind, value = planned.kind, planned.text
    if kind == "str":
        tag = _with_attr(tag, b"t", "inlineStr")
        body = b'<%sis><%st xml:space="preserve">%s</%st></%sis>' % (
            p,
            p,
            _esc(value).replace(b"\r", b"&#13;"),
            p,
            p,
        )
    elif kind == "bool":
        tag = _with_attr(tag, b"t", "b")
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
