"""The one exception tree of mops.

::

    MopsError                  anything mops reports to a person; never shown as a traceback
    ├── ConfigError            mops.toml is missing, unreadable or has a wrong value
    ├── InputError             a file given to mops cannot be used as it is (exit code 2)
    │   └── WorkbookError      a workbook, sheet or cell is unreadable or not as declared
    ├── TargetExistsError      mops would overwrite a file that already holds someone's work
    └── OdooError              talking to Odoo failed
        ├── OdooTransientError a timeout, a dropped connection, HTTP 5xx: worth retrying
        ├── OdooAuthError      the login was refused (password changed, key revoked): stop
        └── OdooServerError    Odoo refused a call (ValidationError, UserError, AccessError,
                               MissingError …): names the model, method and Odoo's message

Third-party errors (zipfile, fastexcel, defusedxml, OS errors) are translated into these at
the edge that touches files, so callers and the CLI deal with one tree only.
"""

from __future__ import annotations

from pathlib import Path

from mops.i18n import text


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


class OdooError(MopsError):
    """Talking to Odoo failed."""

    exit_code = 3


class OdooTransientError(OdooError):
    """A failure that may pass: timeout, dropped connection, HTTP 5xx. Safe calls are retried."""


class OdooAuthError(OdooError):
    """Odoo refused the login: the run stops, since nothing can succeed without it."""


class OdooServerError(OdooError):
    """Odoo refused a call; ``kind`` is Odoo's exception name without its module."""

    def __init__(self, kind: str, model: str, method: str, server_message: str) -> None:
        super().__init__(
            text(
                "odoo_server_refused",
                kind=kind,
                model=model,
                method=method,
                message=server_message,
            )
        )
        self.kind = kind
        self.model = model
        self.method = method
        self.server_message = server_message
