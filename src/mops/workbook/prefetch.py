"""Start parsing workbooks in the background before the rest of mops is even imported.

Parsing a big sheet is the longest step of ``mops validate`` and runs in Rust (fastexcel)
without holding Python's GIL, while importing polars and the rules is pure Python. Starting the
parse first lets both proceed at once on a two-core machine. This module imports nothing heavy
on purpose: only fastexcel, and mops's own file-safety check, which every file passes before any
parser touches it.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mops.config import Limits

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
# Tabs no declaration reads: the Guide sheet, mops's findings sheet and list sheet.
SKIP_TABS = frozenset({"說明", "Guide", "檢核結果", "Findings", "_lists"})

_pool: ThreadPoolExecutor | None = None
_started: dict[str, Future] = {}
_scans: dict[str, Future] = {}


@dataclass
class Prefetched:
    """What the background threads made of one file."""

    reader: object  # fastexcel.ExcelReader
    sheets: dict[str, object]  # tab → fastexcel sheet, parsed
    scans: dict[str, object]  # worksheet part → its package.SheetScan (formulas, totals …)


def expand_paths(paths) -> list[Path]:
    """Files to validate: given files, and the workbooks inside given folders (sorted)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                name = child.name
                hidden = any(p.startswith(".") for p in child.relative_to(path).parts)
                if (
                    child.is_file()
                    and child.suffix.lower() in WORKBOOK_SUFFIXES
                    and not hidden  # temp files, .mops-backups/
                    and not name.startswith("~$")  # Excel lock files
                    and ".bak." not in name  # backups copied out by hand
                ):
                    found.append(child)
        else:
            found.append(path)
    return found


def _parse(path: Path, limits: Limits) -> tuple[object, dict[str, object]]:
    import fastexcel

    from mops.workbook.safety import check_workbook_file

    check_workbook_file(
        path, max_uncompressed_mb=limits.max_uncompressed_mb, max_rows=limits.max_rows
    )
    reader = fastexcel.read_excel(str(path))
    sheets = {
        tab: reader.load_sheet(tab, header_row=None, dtypes="string")
        for tab in reader.sheet_names
        if tab not in SKIP_TABS
    }
    return reader, sheets


def _scan_sheets(path: Path) -> dict[str, object]:
    import zipfile

    from mops.workbook.package import scan_sheets, sheet_parts

    with zipfile.ZipFile(path) as zf:
        parts = list(sheet_parts(zf).values())
    return scan_sheets(str(path), parts)


def start(paths: list[Path], limits: Limits) -> None:
    """Begin parsing these files in background threads (two at a time)."""
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="mops-parse")
    for path in paths:
        key = str(Path(path).resolve())
        if key not in _started:
            _started[key] = _pool.submit(_parse, Path(path), limits)


def _start_scans() -> None:
    # The sheet scans start once the caller has finished importing (its first take()):
    # started with the parse, three busy threads would share two cores and slow the parse.
    assert _pool is not None
    for key in _started:
        if key not in _scans:
            _scans[key] = _pool.submit(_scan_sheets, Path(key))


def take(path: Path) -> Prefetched | None:
    """What the background made of a file started earlier, or None (then parse as usual).

    Any failure in the background is dropped here: the caller's own checks and parse run
    again in the foreground and report it properly, with file and sheet.
    """
    key = str(Path(path).resolve())
    if key not in _started:
        return None
    _start_scans()
    parsed, scan = _started.pop(key), _scans.pop(key)
    try:
        reader, sheets = parsed.result()
        return Prefetched(reader, sheets, scan.result())
    except Exception:  # re-raised properly by the foreground parse
        return None
