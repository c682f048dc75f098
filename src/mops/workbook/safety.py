"""Refuse a workbook file that is not an .xlsx, is damaged, or would exhaust the machine.

``check_workbook_file`` runs before any parser touches a file, and stays cheap whatever the
file's size: it reads the file's first bytes, the zip's central directory, and a few kilobytes
at the start of some parts, never a whole sheet (unless a sheet declares no dimension). Every
problem becomes one ``WorkbookError`` naming the file and saying what to do, in the current
language. The file is only ever opened for reading.

Parts are inflated here by hand rather than with ``ZipFile.open``, so the amount of data a part
really inflates to is counted, not taken from the sizes the zip declares: ``bounded_read`` stops
as soon as a part grows past its limit or past its declared size.
"""

from __future__ import annotations

import codecs
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import ParseError

import defusedxml
import defusedxml.ElementTree

from mops.errors import WorkbookError
from mops.i18n import text
from mops.workbook.package import map_sheets

MIB = 1024 * 1024
CHUNK = 64 * 1024  # inflate and scan this much at a time
SNIFF_BYTES = 8 * 1024  # the start of a file, enough to tell its format
PROLOG_BYTES = 4 * 1024  # an XML part's DOCTYPE, if any, is in its first bytes
PROLOG_MAX_BYTES = 64 * 1024  # a longer prolog is padding to hide a DOCTYPE: refused
DIMENSION_BYTES = 16 * 1024  # <dimension> follows only <sheetPr> at the start of a sheet
RATIO_MIN_PART = 10 * MIB  # parts smaller than this may compress as well as they like
MAX_RATIO = 100  # real sheets compress 5-30:1; a big part beyond this is a zip bomb
XML_PART_MAX = 64 * MIB  # workbook.xml and its rels are parsed whole: Excel's are a few KB
OLE_MAX_DIRECTORY_SECTORS = 4096  # an .xls directory is a few sectors; a loop is corruption

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
OLE_ENCRYPTED_STREAMS = {"EncryptionInfo", "EncryptedPackage"}
OLE_WORKBOOK_STREAMS = {"Workbook", "Book"}  # BIFF8 and BIFF5 .xls

# Other files people pick by mistake, told apart by their first bytes.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "kind_pdf"),
    (b"\x89PNG\r\n\x1a\n", "kind_image"),
    (b"\xff\xd8\xff", "kind_image"),
    (b"GIF8", "kind_image"),
    (b"Rar!\x1a\x07", "kind_archive"),
    (b"7z\xbc\xaf\x27\x1c", "kind_archive"),
    (b"\x1f\x8b", "kind_archive"),
)
ADVICE = {
    "kind_ods": "advice_ods",
    "kind_odf": "advice_other",
    "kind_numbers": "advice_numbers",
    "kind_docx": "advice_other",
    "kind_pptx": "advice_other",
    "kind_pdf": "advice_other",
    "kind_image": "advice_other",
    "kind_archive": "advice_other",
    "kind_ole": "advice_other",
}  # every other kind is a spreadsheet Excel opens and saves as .xlsx

WORKBOOK_PART = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
CONTENT_TYPES = "[Content_Types].xml"
XML_SUFFIXES = (".xml", ".rels", ".vml")

DIMENSION_RE = re.compile(rb"<(?:[\w.-]+:)?dimension\b[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
CELL_ROW_RE = re.compile(r"\$?[A-Za-z]{0,3}\$?(\d+)")
ROW_TAG_RE = re.compile(rb"<(?:[\w.-]+:)?row\b([^>]*)>")
ROW_NUMBER_RE = re.compile(rb"(?:^|\s)r\s*=\s*[\"'](\d+)[\"']")


def _mb(size: int) -> str:
    """A byte count as megabytes for a message: ``1,024`` or ``0.5``."""
    return f"{size / MIB:,.1f}".removesuffix(".0")


def _zip_path(zf: zipfile.ZipFile) -> Path | str:
    """The file a zip was opened from, for messages."""
    return zf.filename or "<zip>"


# --- the file itself -------------------------------------------------------------------------


def _check_path(path: Path) -> None:
    """Refuse a path that is missing, a folder, a device, or empty."""
    try:
        st = path.stat()
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise WorkbookError(text("file_missing"), path=path) from exc
    except PermissionError as exc:
        raise WorkbookError(text("file_no_permission"), path=path) from exc
    except OSError as exc:
        raise WorkbookError(text("file_unreadable", reason=exc.strerror), path=path) from exc
    if stat.S_ISDIR(st.st_mode):
        if path.suffix.lower() == ".numbers":  # older Numbers documents are folders
            raise _wrong_format(path, "kind_numbers")
        raise WorkbookError(text("path_is_folder"), path=path)
    if not stat.S_ISREG(st.st_mode):
        raise WorkbookError(text("not_regular_file"), path=path)
    if st.st_size == 0:
        raise WorkbookError(text("file_empty"), path=path)


def _wrong_format(path: Path, kind: str) -> WorkbookError:
    """The error for a file of another format, with how to get an .xlsx from it."""
    advice = ADVICE.get(kind, "advice_excel")
    return WorkbookError(text("wrong_format", kind=text(kind), advice=text(advice)), path=path)


def _text_kind(head: bytes) -> str | None:
    """``kind_csv``, ``kind_text``, ``kind_html`` or ``kind_xml2003`` if ``head`` is text."""
    if head.startswith(b"\xef\xbb\xbf"):
        content = head[3:].decode("utf-8", "ignore")
    elif head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        # Excel's "Unicode text" is tab-separated UTF-16.
        content = head[: len(head) // 2 * 2].decode("utf-16", "ignore")
    elif b"\x00" in head:
        return None
    else:
        content = None
        # The head may end inside a character: decode it as the start of a stream.
        for encoding in ("utf-8", "cp950"):  # cp950: Big5 files from older Taiwanese systems
            try:
                content = codecs.getincrementaldecoder(encoding)().decode(head)
            except UnicodeDecodeError:
                continue
            break
        if content is None:
            return None
    controls = sum(1 for ch in content if ord(ch) < 32 and ch not in "\t\r\n\f")
    if not content.strip() or controls > len(content) // 100:
        return None
    start = content.lstrip().lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in start[:SNIFF_BYTES]:
        return "kind_xml2003"
    if start.startswith(("<!doctype html", "<html")) or "<table" in start[:1024]:
        return "kind_html"  # what many web systems export under the name .xls
    first_line = start.splitlines()[0] if start else ""
    if any(sep in first_line for sep in (",", "\t", ";")):
        return "kind_csv"
    return "kind_text"


# --- old binary Office files (OLE2 compound documents) -----------------------------------------


def _ole_stream_names(f: BinaryIO) -> set[str]:
    """The names in an OLE2 compound file's directory, following its sector chain."""
    header = f.read(512)
    if len(header) < 512:
        raise ValueError("short OLE header")
    shift = struct.unpack_from("<H", header, 30)[0]
    if shift not in (9, 12):
        raise ValueError("bad OLE sector size")
    size = 1 << shift
    per_sector = size // 4
    first_dir = struct.unpack_from("<I", header, 48)[0]
    difat = list(struct.unpack_from("<109I", header, 76))
    next_difat, difat_count = struct.unpack_from("<II", header, 68)
    for _ in range(min(difat_count, OLE_MAX_DIRECTORY_SECTORS)):
        if next_difat >= 0xFFFFFFFA:
            break
        f.seek((next_difat + 1) * size)
        block = f.read(size)
        if len(block) < size:
            raise ValueError("short DIFAT sector")
        entries = struct.unpack(f"<{per_sector}I", block)
        difat.extend(entries[:-1])
        next_difat = entries[-1]

    def next_sector(sector: int) -> int:
        index, offset = divmod(sector, per_sector)
        if index >= len(difat) or difat[index] >= 0xFFFFFFFA:
            raise ValueError("sector outside the FAT")
        f.seek((difat[index] + 1) * size + offset * 4)
        raw = f.read(4)
        if len(raw) < 4:
            raise ValueError("short FAT sector")
        return struct.unpack("<I", raw)[0]

    names: set[str] = set()
    sector, seen = first_dir, set()
    while sector < 0xFFFFFFFA and len(seen) < OLE_MAX_DIRECTORY_SECTORS:
        if sector in seen:
            raise ValueError("loop in the OLE directory")
        seen.add(sector)
        f.seek((sector + 1) * size)
        block = f.read(size)
        if len(block) < size:
            raise ValueError("short directory sector")
        for pos in range(0, size, 128):
            length, kind = struct.unpack_from("<HB", block, pos + 64)
            if kind in (1, 2, 5) and 2 <= length <= 64:  # storage, stream, root
                names.add(block[pos : pos + length - 2].decode("utf-16-le", "replace"))
        sector = next_sector(sector)
    return names


def _check_ole(path: Path, f: BinaryIO) -> None:
    """Say what an OLE2 file is: a password-protected .xlsx, an old .xls, or other Office."""
    f.seek(0)
    try:
        names = _ole_stream_names(f)
    except (ValueError, struct.error) as exc:
        # A damaged directory still has the signature of an old Office file, most likely .xls.
        raise _wrong_format(path, "kind_xls") from exc
    if names >= OLE_ENCRYPTED_STREAMS:
        raise WorkbookError(text("encrypted"), path=path)
    if names & OLE_WORKBOOK_STREAMS:
        raise _wrong_format(path, "kind_xls")
    raise _wrong_format(path, "kind_ole")


# --- inflating zip parts without trusting their declared sizes ------------------------------


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part's bytes as they inflate, at most ``CHUNK`` at a time, whatever its declared size."""
    path = _zip_path(zf)
    corrupt = WorkbookError(text("part_corrupt", part=info.filename), path=path)
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise corrupt  # encrypted entries, or a method Excel never writes
    fp = zf.fp
    if fp is None:
        raise ValueError("the zip file is closed")
    fp.seek(info.header_offset)
    local = fp.read(30)
    if len(local) < 30 or local[:4] != b"PK\x03\x04":
        raise corrupt
    name_len, extra_len = struct.unpack_from("<HH", local, 26)
    position = info.header_offset + 30 + name_len + extra_len
    remaining = info.compress_size
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    pending = b""
    try:
        while True:
            if not pending and remaining > 0:
                fp.seek(position)
                pending = fp.read(min(CHUNK, remaining))
                if not pending:
                    raise corrupt  # the file ends before the part does
                position += len(pending)
                remaining -= len(pending)
            if inflater is None:
                if not pending:
                    return
                yield pending
                pending = b""
                continue
            out = inflater.decompress(pending, CHUNK)
            pending = inflater.unconsumed_tail
            if out:
                yield out
            if inflater.eof:
                return
            if not out and not pending and remaining <= 0:
                raise corrupt  # the compressed stream stops before its end marker
    except zlib.error as exc:
        raise corrupt from exc


def _head(zf: zipfile.ZipFile, info: zipfile.ZipInfo, size: int) -> bytes:
    """The first ``size`` bytes of a part (fewer if it is shorter); refuses a part that lies."""
    data = bytearray()
    for chunk in _inflate(zf, info):
        data += chunk
        if len(data) > info.file_size:
            raise WorkbookError(text("zip_size_lie", part=info.filename), path=_zip_path(zf))
        if len(data) >= size:
            break
    return bytes(data[:size])


def bounded_read(zf: zipfile.ZipFile, name: str, limit_bytes: int) -> bytes:
    """Inflate a whole part, refusing it as soon as it grows past ``limit_bytes`` or its size."""
    info = zf.getinfo(name)
    path = _zip_path(zf)
    data = bytearray()
    crc = 0
    for chunk in _inflate(zf, info):
        data += chunk
        if len(data) > limit_bytes:
            raise WorkbookError(text("zip_bomb_part", part=name, limit=_mb(limit_bytes)), path=path)
        if len(data) > info.file_size:
            raise WorkbookError(text("zip_size_lie", part=name), path=path)
        crc = zlib.crc32(chunk, crc)
    if len(data) != info.file_size or crc != info.CRC:
        raise WorkbookError(text("part_corrupt", part=name), path=path)
    return bytes(data)


# --- the zip package ---------------------------------------------------------------------------


def _open_zip(path: Path, f: BinaryIO) -> zipfile.ZipFile:
    """The zip's central directory, or a WorkbookError if it is damaged or missing."""
    try:
        return zipfile.ZipFile(f)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, struct.error) as exc:
        # ValueError: a damaged central directory can send zipfile to a negative offset.
        raise WorkbookError(text("zip_corrupt"), path=path) from exc


def _identify_package(path: Path, zf: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo]) -> None:
    """Refuse a zip that is another format (.ods, .xlsb, Numbers, Word) or no workbook at all."""
    mimetype = names.get("mimetype")
    if mimetype is not None:
        kind = _head(zf, mimetype, 128)
        if kind.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
            raise _wrong_format(path, "kind_ods")
        if kind.startswith(b"application/vnd.oasis.opendocument"):
            raise _wrong_format(path, "kind_odf")
    if "xl/workbook.bin" in names:
        raise _wrong_format(path, "kind_xlsb")
    if "index.zip" in names or any(n.startswith("index/") and n.endswith(".iwa") for n in names):
        raise _wrong_format(path, "kind_numbers")
    if "word/document.xml" in names:
        raise _wrong_format(path, "kind_docx")
    if "ppt/presentation.xml" in names:
        raise _wrong_format(path, "kind_pptx")
    missing = [n for n in (CONTENT_TYPES, WORKBOOK_PART) if n.lower() not in names]
    if missing:
        raise WorkbookError(text("not_ooxml_zip", missing=", ".join(missing)), path=path)


def _deflate_bound(size: int) -> int:
    """The most a deflate stream of ``size`` bytes can take (stored blocks), with margin."""
    return size + size // 8 + 1024


def _check_sizes(path: Path, infos: list[zipfile.ZipInfo], limit: int) -> None:
    """Refuse a zip bomb by its declared sizes, and declared sizes that cannot be true."""
    total = sum(i.file_size for i in infos)
    if total > limit:
        raise WorkbookError(text("zip_bomb", size=_mb(total), limit=_mb(limit)), path=path)
    for info in infos:
        if info.compress_type == zipfile.ZIP_STORED and not info.flag_bits & 0x1:
            impossible = info.compress_size != info.file_size
        else:
            impossible = info.compress_size > _deflate_bound(info.file_size)
        if impossible:
            # Declared far smaller than its compressed data: it inflates to more than it says.
            raise WorkbookError(text("zip_size_lie", part=info.filename), path=path)
        if info.file_size > RATIO_MIN_PART and info.file_size > MAX_RATIO * info.compress_size:
            ratio = info.file_size // max(info.compress_size, 1)
            raise WorkbookError(text("zip_ratio", part=info.filename, ratio=ratio), path=path)


def _has_dtd(data: bytes, complete: bool) -> bool | None:
    """Whether an XML prolog declares a DTD; None if ``data`` ends before the root element."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        data = data[: len(data) // 2 * 2].decode("utf-16", "ignore").encode("utf-8")
    elif data[:2] in (b"<\x00", b"\x00<"):  # UTF-16 without a byte-order mark
        encoding = "utf-16-le" if data[0] == ord("<") else "utf-16-be"
        data = data[: len(data) // 2 * 2].decode(encoding, "ignore").encode("utf-8")
    i = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    n = len(data)
    while True:
        while i < n and data[i] in b" \t\r\n":
            i += 1
        if not complete and n - i < len(b"<!DOCTYPE"):
            return None
        if data.startswith(b"<?", i):
            opener, closer = b"<?", b"?>"
        elif data.startswith(b"<!--", i):
            opener, closer = b"<!--", b"-->"
        else:
            # <!DOCTYPE, or another declaration Excel never writes, comes before the root
            # element; anything else is the root element, or not XML (the parser will say so).
            return data.startswith(b"<!", i)
        end = data.find(closer, i + len(opener))
        if end < 0:  # the declaration or comment goes on past ``data``
            return None if not complete else False
        i = end + len(closer)


def _check_xml_prologs(path: Path, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse any XML part that declares a DTD: the door to XXE and billion-laughs attacks."""
    for info in infos:
        if not info.filename.lower().endswith(XML_SUFFIXES) or info.file_size == 0:
            continue
        size = PROLOG_BYTES
        while True:
            head = _head(zf, info, size)
            verdict = _has_dtd(head, complete=len(head) < size)
            if verdict is None and size < PROLOG_MAX_BYTES:
                size *= 4
                continue
            if verdict is not False:  # a DTD, or a prolog padded to hide one
                raise WorkbookError(text("unsafe_xml", part=info.filename), path=path)
            break


def _parse_xml(path: Path, zf: zipfile.ZipFile, name: str, limit: int):
    """A small XML part parsed whole, with defusedxml refusing any DTD."""
    data = bounded_read(zf, name, min(limit, XML_PART_MAX))
    try:
        return defusedxml.ElementTree.fromstring(data, forbid_dtd=True)
    except defusedxml.DefusedXmlException as exc:
        raise WorkbookError(text("unsafe_xml", part=name), path=path) from exc
    except ParseError as exc:
        raise WorkbookError(text("xml_corrupt", part=name), path=path) from exc


def _sheet_parts(
    path: Path, zf: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], limit: int
) -> list[tuple[str, zipfile.ZipInfo]]:
    """Each worksheet's tab name and part, mapped through workbook.xml and its rels."""
    workbook = _parse_xml(path, zf, names[WORKBOOK_PART].filename, limit)
    rels_info = names.get(WORKBOOK_RELS)
    rels = _parse_xml(path, zf, rels_info.filename, limit) if rels_info is not None else None
    found = [
        (tab, names[part.lower()])
        for tab, part in map_sheets(workbook, rels)
        if part.lower() in names
    ]
    if not found:
        # No usable relationships: check every worksheet part under its part name.
        found = [
            (info.filename, info)
            for name, info in names.items()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        ]
    return found


def _dimension_rows(head: bytes) -> int | None:
    """The last row of a sheet's ``<dimension ref="A1:N1000">``; None if absent or one cell."""
    match = DIMENSION_RE.search(head)
    if match is None:
        return None
    ref = match.group(1).decode("ascii", "replace")
    if ":" not in ref:
        return None  # "A1" is what some writers put when they do not know
    row = CELL_ROW_RE.fullmatch(ref.split(":", 1)[1].strip())
    return int(row.group(1)) if row else None


def _scan_rows(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> int:
    """The last row number of a sheet, by streaming its ``<row>`` tags in bounded memory."""
    path = _zip_path(zf)
    last = 0
    total = 0
    carry = b""
    for chunk in _inflate(zf, info):
        total += len(chunk)
        if total > limit:
            raise WorkbookError(
                text("zip_bomb_part", part=info.filename, limit=_mb(limit)), path=path
            )
        if total > info.file_size:
            raise WorkbookError(text("zip_size_lie", part=info.filename), path=path)
        buffer = carry + chunk
        for match in ROW_TAG_RE.finditer(buffer):
            number = ROW_NUMBER_RE.search(match.group(1))
            last = int(number.group(1)) if number else last + 1  # r is optional: next row
        # Keep an unfinished tag for the next chunk; a tag longer than a chunk is not a row.
        cut = buffer.rfind(b"<")
        carry = buffer[cut:] if cut >= 0 and b">" not in buffer[cut:] else b""
        carry = carry[-CHUNK:]
    return last


def _check_rows(
    path: Path,
    zf: zipfile.ZipFile,
    sheets: list[tuple[str, zipfile.ZipInfo]],
    max_rows: int,
    limit: int,
) -> None:
    """Refuse a sheet longer than ``max_rows``: by its dimension, else by scanning its rows."""
    for tab, info in sheets:
        rows = _dimension_rows(_head(zf, info, DIMENSION_BYTES))
        if rows is None:
            rows = _scan_rows(zf, info, limit)
        if rows > max_rows:
            raise WorkbookError(
                text("too_many_rows", sheet=tab, rows=rows, limit=max_rows), path=path, sheet=tab
            )


def _check_zip(path: Path, f: BinaryIO, max_uncompressed_mb: int, max_rows: int) -> None:
    """Check a zip: its format, its sizes, its XML prologs and the length of its sheets."""
    limit = max_uncompressed_mb * MIB
    with _open_zip(path, f) as zf:
        infos = zf.infolist()
        names = {i.filename.lower(): i for i in infos}  # part names are case-insensitive (OPC)
        try:
            _identify_package(path, zf, names)
            _check_sizes(path, infos, limit)
            _check_xml_prologs(path, zf, infos)
            sheets = _sheet_parts(path, zf, names, limit)
            _check_rows(path, zf, sheets, max_rows, limit)
        except (OSError, EOFError, struct.error) as exc:
            raise WorkbookError(text("zip_corrupt"), path=path) from exc


def check_workbook_file(path: Path | str, *, max_uncompressed_mb: int, max_rows: int) -> None:
    """Raise WorkbookError unless ``path`` is an .xlsx workbook that is safe to parse."""
    path = Path(path)
    _check_path(path)
    try:
        with path.open("rb") as f:
            head = f.read(SNIFF_BYTES)
            if head.startswith(OLE_SIGNATURE):
                _check_ole(path, f)
            if head.startswith(ZIP_SIGNATURES):
                _check_zip(path, f, max_uncompressed_mb, max_rows)
                return
    except PermissionError as exc:
        raise WorkbookError(text("file_no_permission"), path=path) from exc
    except OSError as exc:
        raise WorkbookError(text("file_unreadable", reason=exc.strerror), path=path) from exc
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            raise _wrong_format(path, kind)
    kind = _text_kind(head)
    if kind is not None:
        raise _wrong_format(path, kind)
    raise WorkbookError(text("file_corrupt"), path=path)
