"""Run a real LibreOffice (headless) on workbooks, for the tests and the fixture scripts."""

from __future__ import annotations

import atexit
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

_shared_profile: Path | None = None


def shared_profile() -> Path:
    """This process's LibreOffice profile, made by the first conversion and reused by the others.

    Creating a profile is a good part of a LibreOffice start; conversions run one after the
    other within a process, so they can share one. Removed when the process ends.
    """
    global _shared_profile
    if _shared_profile is None:
        root = Path(tempfile.mkdtemp(prefix="mops-lo-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        _shared_profile = root / "profile"
    return _shared_profile


def convert(
    files: Iterable[Path | str],
    fmt: str,
    outdir: Path,
    profile: Path | None = None,
    *,
    timeout: int = 600,
) -> subprocess.CompletedProcess:
    """Convert files with ``soffice --convert-to fmt`` into ``outdir``, in a profile of its own.

    A profile of its own keeps runs from waiting on a LibreOffice the user has open, and from
    leaving settings behind; without ``profile``, the process's shared one (``shared_profile``).
    One call converts any number of files: LibreOffice's start-up is most of a small
    conversion's cost. Raises CalledProcessError when LibreOffice fails.
    """
    if SOFFICE is None:
        raise FileNotFoundError("LibreOffice (soffice) is not installed")
    profile = profile or shared_profile()
    return subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
