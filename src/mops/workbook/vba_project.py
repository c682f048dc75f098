"""Put mops's VBA module into xlwings' own VBA project (``xl/vbaProject.bin``).

The finance workbook starts from xlwings' standalone quickstart workbook, whose VBA project
holds the ``xlwings`` module (``RunPython``) and a sample module ``Module1``. mops replaces the
sample module by its own (``integrations/excel/mops.bas``: one Sub a button) and leaves every
other stream exactly as xlwings wrote it. The project carries no compiled code (its
``_VBA_PROJECT`` stream is the 7-byte form), so Excel compiles the modules from their source
when the workbook opens: only the source needs to be right.

Formats (Microsoft's open specifications): [MS-OVBA] for the project (the ``dir`` stream's
records, the module streams, the compression) and [MS-CFB] for the compound file around it.
Reading uses olefile; writing is done here, as a plain version-3 compound file.

This runs when the project is rebuilt from a new xlwings release (see
``integrations/excel/README.md``), not when a workbook is generated: the result is shipped as
``mops/data/excel/vbaProject.bin``.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

# ---------------------------------------------------------------------------------------------
# [MS-OVBA] 2.4.1: the compression of the dir stream and of module source

_CHUNK = 4096


def _bit_count(position: int) -> int:
    """How many bits of a copy token hold the offset, at this position of the chunk."""
    return max((position - 1).bit_length(), 4)


def decompress(data: bytes) -> bytes:
    """Decompress a CompressedContainer."""
    if not data or data[0] != 1:
        raise ValueError("not a compressed VBA container")
    out = bytearray()
    pos = 1
    while pos < len(data):
        header = struct.unpack_from("<H", data, pos)[0]
        size = (header & 0x0FFF) + 3
        compressed = header & 0x8000
        chunk = data[pos + 2 : pos + size]
        pos += size
        start = len(out)
        if not compressed:
            out += chunk[:_CHUNK]
            continue
        i = 0
        while i < len(chunk):
            flags = chunk[i]
            i += 1
            for bit in range(8):
                if i >= len(chunk):
                    break
                if not flags & (1 << bit):
                    out.append(chunk[i])
                    i += 1
                    continue
                token = struct.unpack_from("<H", chunk, i)[0]
                i += 2
                bits = _bit_count(len(out) - start)
                length = (token & (0xFFFF >> bits)) + 3
                offset = (token >> (16 - bits)) + 1
                for _ in range(length):
                    out.append(out[-offset])
    return bytes(out)


def compress(data: bytes) -> bytes:
    """Compress into a CompressedContainer (the LZ77 variant of [MS-OVBA] 2.4.1.3)."""
    out = bytearray([1])
    for start in range(0, len(data), _CHUNK):
        chunk = data[start : start + _CHUNK]
        body = bytearray()
        i = 0
        while i < len(chunk):
            flag_at = len(body)
            body.append(0)
            flags = 0
            for bit in range(8):
                if i >= len(chunk):
                    break
                bits = _bit_count(i)
                max_length = (0xFFFF >> bits) + 3
                best_length, best_offset = 0, 0
                # The offset field has ``bits`` bits, so the whole chunk so far is in reach.
                for candidate in range(i):
                    length = 0
                    while (
                        i + length < len(chunk)
                        and length < max_length
                        and chunk[candidate + length] == chunk[i + length]
                    ):
                        length += 1
                    if length > best_length:
                        best_length, best_offset = length, i - candidate
                if best_length >= 3:
                    token = ((best_offset - 1) << (16 - bits)) | (best_length - 3)
                    body += struct.pack("<H", token)
                    flags |= 1 << bit
                    i += best_length
                else:
                    body.append(chunk[i])
                    i += 1
            body[flag_at] = flags
        if len(body) > _CHUNK:
            # Incompressible: a raw chunk, which always holds 4096 bytes; a shorter last chunk
            # would come back padded with NULs, so it is refused (VBA source never gets here).
            if len(chunk) != _CHUNK:
                raise ValueError("incompressible data in a last chunk shorter than 4096 bytes")
            out += struct.pack("<H", 0x3000 | (_CHUNK - 1)) + chunk
        else:
            out += struct.pack("<H", 0xB000 | (len(body) + 2 - 3)) + body
    return bytes(out)


# ---------------------------------------------------------------------------------------------
# [MS-OVBA] 2.3.4.2: the records of the dir stream

_PROJECTVERSION = 0x0009  # its size field says 4, yet 6 bytes follow
_MODULENAME = 0x0019
_MODULENAMEUNICODE = 0x0047
_MODULESTREAMNAME = 0x001A
_MODULESTREAMNAMEUNICODE = 0x0032
_MODULEOFFSET = 0x0031
_PROJECTCODEPAGE = 0x0003


@dataclass
class _Record:
    id: int
    data: bytes
    size_field: int | None = None  # when the size field is not len(data) (PROJECTVERSION)

    def dump(self) -> bytes:
        size = len(self.data) if self.size_field is None else self.size_field
        return struct.pack("<HI", self.id, size) + self.data


def _records(dir_stream: bytes) -> list[_Record]:
    records, pos = [], 0
    while pos < len(dir_stream):
        rid, size = struct.unpack_from("<HI", dir_stream, pos)
        pos += 6
        if rid == _PROJECTVERSION:
            records.append(_Record(rid, dir_stream[pos : pos + 6], size))
            pos += 6
            continue
        records.append(_Record(rid, dir_stream[pos : pos + size]))
        pos += size
    return records


def _codepage(records: list[_Record]) -> str:
    for record in records:
        if record.id == _PROJECTCODEPAGE:
            return f"cp{struct.unpack('<H', record.data)[0]}"
    return "cp1252"


def _rename_module(records: list[_Record], old: str, new: str, codepage: str) -> None:
    """Rename module ``old`` (name and stream name) and say its source starts at offset 0."""
    inside = False
    for record in records:
        if record.id == _MODULENAME:
            inside = record.data.decode(codepage) == old
        if not inside:
            continue
        if record.id in (_MODULENAME, _MODULESTREAMNAME):
            record.data = new.encode(codepage)
        elif record.id in (_MODULENAMEUNICODE, _MODULESTREAMNAMEUNICODE):
            record.data = new.encode("utf-16-le")
        elif record.id == _MODULEOFFSET:
            record.data = struct.pack("<I", 0)
            inside = False
    if any(r.id == _MODULENAME and r.data == old.encode(codepage) for r in records):
        raise ValueError(f"module {old!r} not renamed")


def module_names(project: bytes) -> list[str]:
    """The module names a VBA project declares, in order."""
    streams = read_streams(project)
    records = _records(decompress(streams["VBA/dir"]))
    codepage = _codepage(records)
    return [r.data.decode(codepage) for r in records if r.id == _MODULENAME]


def module_source(project: bytes, name: str) -> str:
    """The source text of one module of a VBA project (as the VBA editor exports it)."""
    streams = read_streams(project)
    records = _records(decompress(streams["VBA/dir"]))
    codepage = _codepage(records)
    stream, offset, inside = None, 0, False
    for record in records:
        if record.id == _MODULENAME:
            inside = record.data.decode(codepage) == name
        elif inside and record.id == _MODULESTREAMNAME:
            stream = record.data.decode(codepage)
        elif inside and record.id == _MODULEOFFSET:
            offset = struct.unpack("<I", record.data)[0]
            break
    if stream is None:
        raise KeyError(f"no module {name!r}")
    return decompress(streams[f"VBA/{stream}"][offset:]).decode(codepage)


# ---------------------------------------------------------------------------------------------
# [MS-CFB]: the compound file


def read_streams(data: bytes) -> dict[str, bytes]:
    """Every stream of a compound file, by its path (``VBA/dir``), in directory order."""
    import olefile

    ole = olefile.OleFileIO(io.BytesIO(data))
    try:
        return {
            "/".join(path): ole.openstream(path).read()
            for path in ole.listdir(streams=True, storages=False)
        }
    finally:
        ole.close()


_FREE, _END, _FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
_NONE = 0xFFFFFFFF
_SECTOR, _MINI, _CUTOFF = 512, 64, 4096


def _cfb_key(name: str) -> tuple[int, str]:
    # Siblings are ordered by name length, then by upper-cased name ([MS-CFB] 2.6.4).
    return (len(name), name.upper())


def write_cfb(streams: dict[str, bytes]) -> bytes:
    """A version-3 compound file holding these streams (paths such as ``VBA/dir``)."""
    # Directory entries: the root, then storages and streams; children of a storage are kept
    # as a right-leaning chain of black nodes in sorted order (a valid, if unbalanced, tree).
    entries: list[dict] = [{"name": "Root Entry", "type": 5, "children": [], "data": b""}]
    storages = {"": 0}
    for path in streams:
        parts = path.split("/")
        for depth in range(1, len(parts)):
            key = "/".join(parts[:depth])
            if key not in storages:
                storages[key] = len(entries)
                entries.append({"name": parts[depth - 1], "type": 1, "children": [], "data": b""})
                entries[storages["/".join(parts[: depth - 1])]]["children"].append(storages[key])
        entries.append({"name": parts[-1], "type": 2, "children": [], "data": streams[path]})
        entries[storages["/".join(parts[:-1])]]["children"].append(len(entries) - 1)

    sectors = bytearray()
    fat: list[int] = []

    def place(data: bytes) -> int:
        count = -(-len(data) // _SECTOR)
        if count == 0:
            return _END
        first = len(fat)
        for i in range(count):
            fat.append(first + i + 1 if i < count - 1 else _END)
        sectors.extend(data.ljust(count * _SECTOR, b"\0"))
        return first

    mini = bytearray()
    minifat: list[int] = []
    for entry in entries[1:]:
        data = entry["data"]
        if entry["type"] != 2:
            entry["start"], entry["size"] = 0, 0
        elif len(data) < _CUTOFF:
            count = -(-len(data) // _MINI)
            first = len(minifat)
            for i in range(count):
                minifat.append(first + i + 1 if i < count - 1 else _END)
            mini.extend(data.ljust(count * _MINI, b"\0"))
            entry["start"], entry["size"] = (first if count else _END), len(data)
        else:
            entry["start"], entry["size"] = place(data), len(data)
    root = entries[0]
    root["start"], root["size"] = place(bytes(mini)), len(mini)
    minifat_bytes = b"".join(struct.pack("<I", v) for v in minifat)
    minifat_start = place(minifat_bytes) if minifat else _END
    minifat_count = -(-len(minifat_bytes) // _SECTOR)

    for entry in entries:
        kids = sorted(entry["children"], key=lambda i: _cfb_key(entries[i]["name"]))
        entry["child"] = kids[0] if kids else _NONE
        for a, b in zip(kids, [*kids[1:], _NONE], strict=False):
            entries[a]["right"] = b
    directory = bytearray()
    for entry in entries:
        name = entry["name"].encode("utf-16-le") + b"\0\0"
        directory += struct.pack(
            "<64sHBBIII16sIQQIII",
            name,
            len(name),
            entry["type"],
            1,  # black
            _NONE,
            entry.get("right", _NONE),
            entry["child"],
            b"\0" * 16,
            0,
            0,
            0,
            entry["start"],
            entry["size"],
            0,
        )
    while len(directory) % _SECTOR:
        directory += struct.pack("<64sHBBIII", b"", 0, 0, 0, _NONE, _NONE, _NONE).ljust(128, b"\0")
    directory_start = place(bytes(directory))

    # The FAT describes every sector, its own included.
    fat_count = 1
    while (len(fat) + fat_count) * 4 > fat_count * _SECTOR:
        fat_count += 1
    if fat_count > 109:
        raise ValueError("compound file too large for a header-only DIFAT")
    fat_start = len(fat)
    fat.extend([_FAT] * fat_count)
    fat_bytes = b"".join(struct.pack("<I", v) for v in fat)
    fat_bytes = fat_bytes.ljust(fat_count * _SECTOR, b"\xff")
    sectors += fat_bytes
    difat = [fat_start + i for i in range(fat_count)] + [_FREE] * (109 - fat_count)

    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"),
        b"\0" * 16,
        0x003E,
        0x0003,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,  # directory sectors (must be 0 in version 3)
        fat_count,
        directory_start,
        0,
        _CUTOFF,
        minifat_start,
        minifat_count,
        _END,
        0,
    ) + b"".join(struct.pack("<I", v) for v in difat)
    return bytes(header) + bytes(sectors)


# ---------------------------------------------------------------------------------------------


def replace_module(project: bytes, old: str, new: str, source: str) -> bytes:
    """The VBA project with module ``old`` renamed ``new`` and its source replaced.

    Every other stream is kept byte for byte; the PROJECT and PROJECTwm streams name the
    module anew; the module's stream holds only its compressed source.
    """
    streams = read_streams(project)
    records = _records(decompress(streams["VBA/dir"]))
    codepage = _codepage(records)
    _rename_module(records, old, new, codepage)
    out: dict[str, bytes] = {}
    for path, data in streams.items():
        if path == f"VBA/{old}":
            path, data = f"VBA/{new}", compress(source.encode(codepage))
        elif path == "VBA/dir":
            data = compress(b"".join(r.dump() for r in records))
        elif path == "PROJECT":
            text = data.decode(codepage)
            text = text.replace(f"Module={old}\r\n", f"Module={new}\r\n")
            text = text.replace(f"\r\n{old}=", f"\r\n{new}=")
            data = text.encode(codepage)
        elif path == "PROJECTwm":
            was = old.encode(codepage) + b"\0" + old.encode("utf-16-le") + b"\0\0"
            now = new.encode(codepage) + b"\0" + new.encode("utf-16-le") + b"\0\0"
            if was not in data:
                raise ValueError(f"PROJECTwm does not name {old!r}")
            data = data.replace(was, now)
        out[path] = data
    return write_cfb(out)


def build(xlwings_project: bytes, source: str) -> bytes:
    """mops's VBA project: xlwings' standalone one with ``Module1`` replaced by ``source``."""
    return replace_module(
        xlwings_project, "Module1", "mops", source.replace("\r\n", "\n").replace("\n", "\r\n")
    )


def _main() -> None:  # python -m mops.workbook.vba_project BAS OUT (needs xlwings and olefile)
    import sys
    import zipfile
    from pathlib import Path

    import xlwings

    bas, target = (Path(a) for a in sys.argv[1:3])
    quickstart = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    with zipfile.ZipFile(quickstart) as package:
        base = package.read("xl/vbaProject.bin")
    target.write_bytes(build(base, bas.read_text(encoding="utf-8")))


if __name__ == "__main__":
    _main()
