"""The run lock of a folder of workbooks: one sync or nightly run at a time.

An operating-system lock (``flock`` on POSIX, ``msvcrt.locking`` on Windows) on
``.mops-sync.sqlite.lock`` beside the state store, the same file ``StateStore.lock`` takes: the
system drops it when the process ends, however it ends, so a crashed run never leaves a stale
lock. Held re-entrantly within one process: the nightly job holds it for the whole night and
the sync it runs inside finds it already held by its own process.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

_held: dict[Path, tuple[IO[bytes], int]] = {}


class Busy(Exception):
    """Another process holds the lock."""


def lock_file(state_path: Path | str) -> Path:
    """The lock file of a state store (``<state>.lock``), absolute."""
    return Path(f"{Path(state_path).resolve()}.lock")


def held(state_path: Path | str) -> bool:
    """Whether this process holds the run lock of ``state_path``."""
    return lock_file(state_path) in _held


def _take(path: Path) -> IO[bytes]:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+b")  # noqa: SIM115 - held open as long as the lock
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        handle.close()
        raise Busy(str(path)) from exc
    return handle


@contextmanager
def hold(state_path: Path | str) -> Iterator[Path]:
    """Hold the run lock of ``state_path`` (raise ``Busy`` at once when another process has it)."""
    path = lock_file(state_path)
    handle, count = _held.get(path) or (_take(path), 0)
    _held[path] = (handle, count + 1)
    try:
        yield path
    finally:
        handle, count = _held[path]
        if count > 1:
            _held[path] = (handle, count - 1)
        else:
            del _held[path]
            handle.close()  # closing the file releases the OS lock
