"""Run a real LibreOffice (headless) on workbooks, for the tests and the fixture scripts."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def convert(
    files: Iterable[Path | str], fmt: str, outdir: Path, profile: Path, *, timeout: int = 600
) -> subprocess.CompletedProcess:
    """Convert files with ``soffice --convert-to fmt`` into ``outdir``, in a throw-away profile.

    A profile of its own keeps runs from waiting on a LibreOffice the user has open, and from
    leaving settings behind. Raises CalledProcessError when LibreOffice fails.
    """
    if SOFFICE is None:
        raise FileNotFoundError("LibreOffice (soffice) is not installed")
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
