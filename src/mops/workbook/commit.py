"""Replace a workbook on disk safely: refuse while it is open, back it up, swap in the new one.

The new package is built in a temporary file beside the workbook and fsynced, a timestamped
backup of the original is kept (the oldest pruned), and the temporary file replaces the original
with ``os.replace``; on any failure the original is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

from mops.errors import WorkbookError
from mops.i18n import text

BACKUP_FOLDER = ".mops-backups"  # hidden beside the workbook, so staff folders stay tidy
KEEP_BACKUPS = 10  # per workbook; older ones are removed after a successful write


def workbook_path(path: Path | str) -> Path:
    """The resolved path of an existing .xlsx or .xlsm package (WorkbookError otherwise)."""
    path = Path(path)
    if not path.exists():
        raise WorkbookError(text("file_missing"), path=path)
    path = path.resolve()
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not zipfile.is_zipfile(path):
        raise WorkbookError(text("not_a_workbook"), path=path)
    return path


def _open_message(app: str, lock: str, messages: str) -> str:
    return text(f"{messages}{app}", lock=lock)


def check_not_open(path: Path, *, messages: str = "writeback_open_in_") -> None:
    """Refuse to write while Excel (or LibreOffice) holds the workbook open.

    The refusal is message ``<messages>excel`` or ``<messages>libreoffice`` of the catalogue
    (by default the ``writeback_open_in_*`` texts, which speak of findings), ``{lock}`` the lock
    file's name.
    """
    name = path.name
    # Excel names its owner file "~$" + name, dropping the first two characters of long names.
    for lock in {"~$" + name, "~$" + name[2:]}:
        if (path.parent / lock).exists():
            raise WorkbookError(
                _open_message("excel", lock, messages),
                path=path,
                hint=text("writeback_open_in_excel_hint"),
            )
    lock = f".~lock.{name}#"
    if (path.parent / lock).exists():
        raise WorkbookError(
            _open_message("libreoffice", lock, messages),
            path=path,
            hint=text("writeback_open_in_excel_hint"),
        )


def commit(path: Path, build, backup_dir: Path | None, now: datetime) -> Path:
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


def restore(path: Path, backup: Path) -> None:
    """Put ``backup`` back in place of ``path``, as atomically as ``commit`` replaced it."""
    # For a change made in two writes whose second failed: the first is undone whole.
    fd, tmp = tempfile.mkstemp(prefix=".~mops-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out, open(backup, "rb") as src:
            shutil.copyfileobj(src, out)
            out.flush()
            os.fsync(out.fileno())
        shutil.copymode(backup, tmp)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except OSError as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise WorkbookError(text("writeback_write_failed"), path=path, hint=str(exc)) from exc


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
