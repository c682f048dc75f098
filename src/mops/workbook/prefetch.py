"""Start parsing workbooks in the background before the rest of mops is even imported.

Parsing a big sheet is the longest step of ``mops validate`` and runs in Rust (fastexcel)
without holding Python's GIL, while importing polars and the rules is pure Python. Starting the
parse first lets both proceed at once on a two-core machine. This module imports nothing heavy
on purpose: only fastexcel, and mops's own file-safety check, which every file passes before any
parser touches it.

Each file is handed over as soon as it is open, and its sheets one by one as they are parsed
(mops's stamp first, then in the workbook's order), and the files parsed already are read
first: the caller reads, types and checks the small sheets and books while the big sheet of
another is still being parsed, instead of waiting for it with one core idle.
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
# mops's record of which workbook this is (``mops.workbook.meta.META_SHEET``): read before any
# other sheet, so it is parsed first.
META_SHEET = "_mops"

_pool: ThreadPoolExecutor | None = None
_started: dict[str, tuple[Future, Future, Limits]] = {}  # file → (opened, all parsed, limits)
_scans: dict[str, Future] = {}


@dataclass
class Prefetched:
    """What the background threads make of one file, handed over as soon as the file is open.

    Sheets come one by one (a future each): the caller can read the small sheets while the big
    one is still being parsed. The reader is the background's until ``parsed`` is done.
    """

    reader: object  # fastexcel.ExcelReader
    tabs: list[str]  # the workbook's tabs, in order
    sheets: dict[str, Future]  # tab → its fastexcel sheet, parsed (every tab not skipped)
    parsed: Future  # done once every sheet is
    scans: Future  # worksheet part → its package.SheetScan (formulas, totals …)
    limits: Limits  # what the file was checked against before any parse

    def sheet(self, tab: str):
        """The parsed sheet of ``tab``, handed over once (the caller's copy is then the only
        one, freed with it); one the background skipped, or asked for again, is parsed here."""
        if tab in self.sheets:
            return self.sheets.pop(tab).result()
        # The reader parses one sheet at a time: wait until the background is done with it.
        self.parsed.result()
        return load_text(self.reader, tab)


def load_text(reader, tab: str):
    """Parse one tab of a fastexcel reader, every cell as text, no header row: how mops reads
    a sheet (``mops.workbook.frames`` says why)."""
    return reader.load_sheet(tab, header_row=None, dtypes="string")


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


def _parse(path: Path, limits: Limits, opened: Future) -> None:
    """Check the file, open it (``opened`` then gives the reader, tabs and sheet futures), and
    parse its sheets one after the other. A failure ends the parse: the sheets not parsed yet
    get the same error, and the caller's foreground parse reports it with file and sheet."""
    import fastexcel

    from mops.workbook.safety import check_workbook_file

    try:
        check_workbook_file(
            path, max_uncompressed_mb=limits.max_uncompressed_mb, max_rows=limits.max_rows
        )
        reader = fastexcel.read_excel(str(path))
        tabs = list(reader.sheet_names)
    except BaseException as exc:
        opened.set_exception(exc)
        return
    order = sorted((tab for tab in tabs if tab not in SKIP_TABS), key=lambda t: t != META_SHEET)
    futures = [(tab, Future()) for tab in order]
    # The caller gets a dict of its own: it takes sheets out of it while this loop runs.
    opened.set_result((reader, tabs, dict(futures)))
    failed: BaseException | None = None
    for tab, future in futures:
        if failed is None:
            try:
                future.set_result(load_text(reader, tab))
                continue
            except BaseException as exc:
                failed = exc
        future.set_exception(failed)


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
            opened: Future = Future()
            _started[key] = (opened, _pool.submit(_parse, Path(path), limits, opened), limits)


def _start_scans() -> None:
    # The sheet scans start once the caller has finished importing (its first take()):
    # started with the parse, three busy threads would share two cores and slow the parse.
    # The files parsed already are scanned first: the caller reads those first.
    assert _pool is not None
    for key in sorted(_started, key=lambda k: not _started[k][1].done()):
        if key not in _scans:
            _scans[key] = _pool.submit(_scan_sheets, Path(key))


def parsed_first(paths: list[Path]) -> list[Path]:
    """``paths`` with the files the background has finished parsing first (else in order):
    reading those while the others are still being parsed keeps both cores busy."""

    def waiting(path: Path) -> bool:
        started = _started.get(str(Path(path).resolve()))
        return started is not None and not started[1].done()

    return sorted(paths, key=waiting)


def take(path: Path) -> Prefetched | None:
    """What the background makes of a file started earlier, once it is open, or None (then
    parse as usual).

    A failure to open the file in the background is dropped here: the caller's own checks and
    parse run again in the foreground and report it properly, with file and sheet.
    """
    key = str(Path(path).resolve())
    if key not in _started:
        return None
    _start_scans()
    (opened, parsed, limits), scans = _started.pop(key), _scans.pop(key)
    try:
        reader, tabs, sheets = opened.result()
    except Exception:  # re-raised properly by the foreground parse
        return None
    return Prefetched(reader, tabs, sheets, parsed, scans, limits)
