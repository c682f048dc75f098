"""A minimal zip writer that copies untouched entries with their original compressed bytes."""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterable


def raw_copyable(info: zipfile.ZipInfo) -> bool:
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


class ZipWriter:
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
