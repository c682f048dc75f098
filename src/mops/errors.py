"""The one exception tree of mops.

::

    MopsError                  anything mops reports to a person; never shown as a traceback
    ├── ConfigError            mops.toml is missing, unreadable or has a wrong value
    ├── InputError             a file given to mops cannot be used as it is (exit code 2)
    │   └── WorkbookError      a workbook, sheet or cell is unreadable or not as declared
    └── TargetExistsError      mops would overwrite a file that already holds someone's work

Third-party errors (zipfile, python-calamine, openpyxl, OS errors) are translated into these at
the edge that touches files, so callers and the CLI deal with one tree only.
"""

from __future__ import annotations

from pathlib import Path


class MopsError(Exception):
    """An error mops reports to a person, with what went wrong and how to fix it."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class ConfigError(MopsError):
    """The configuration file is missing, unreadable or holds a wrong value."""

    exit_code = 2


class InputError(MopsError):
    """A file given to mops cannot be used as it is."""

    exit_code = 2


class WorkbookError(InputError):
    """A workbook, sheet or cell that cannot be read as declared; names where it is."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str,
        sheet: str | None = None,
        cell: str | None = None,
        hint: str = "",
    ) -> None:
        where = str(path)
        if sheet:
            where += f" [{sheet}]"
        if cell:
            where += f" {cell}"
        super().__init__(f"{where}: {message}", hint=hint)
        self.path = Path(path)
        self.sheet = sheet
        self.cell = cell


class TargetExistsError(MopsError):
    """mops would overwrite a file that already exists and may hold someone's work."""

    exit_code = 2
