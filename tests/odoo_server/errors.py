"""Odoo 17 exceptions and the JSON-RPC error envelope they turn into on the wire."""

from __future__ import annotations

import traceback

# Real envelopes carry a full server traceback; the captured samples replace the frames with this.
TRACEBACK_HEAD = "Traceback (most recent call last):\n  ... (stack frames omitted) ...\n"


class OdooError(Exception):
    """An exception the server reports as a JSON-RPC error envelope."""

    odoo_name = "odoo.exceptions.UserError"
    code = 200
    envelope_message = "Odoo Server Error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    @property
    def debug_name(self) -> str:
        """The name on the last traceback line."""
        return self.odoo_name


class UserError(OdooError):
    """odoo.exceptions.UserError: a business rule refused the operation."""


class AccessDenied(OdooError):
    """odoo.exceptions.AccessDenied: wrong login or password."""

    odoo_name = "odoo.exceptions.AccessDenied"

    def __init__(self, message: str = "Access Denied"):
        super().__init__(message)


class AccessError(OdooError):
    """odoo.exceptions.AccessError: ACL or record rule refusal."""

    odoo_name = "odoo.exceptions.AccessError"


class ValidationError(OdooError):
    """odoo.exceptions.ValidationError: a constraint failed."""

    odoo_name = "odoo.exceptions.ValidationError"


class MissingError(OdooError):
    """odoo.exceptions.MissingError: a record does not exist (any more)."""

    odoo_name = "odoo.exceptions.MissingError"


class OperationalError(OdooError):
    """psycopg2.OperationalError: the database cannot be reached."""

    odoo_name = "psycopg2.OperationalError"


class SessionExpired(OdooError):
    """odoo.http.SessionExpiredException: a cookie route without a valid session."""

    odoo_name = "odoo.http.SessionExpiredException"
    code = 100
    envelope_message = "Odoo Session Expired"

    def __init__(self, message: str = "Session expired"):
        super().__init__(message)


class SqlCheckViolation(ValidationError):
    """An SQL CHECK/UNIQUE constraint; create() reports it like Odoo, load() quotes the text."""

    def __init__(self, constraint_message: str):
        super().__init__(f"The operation cannot be completed: {constraint_message}")
        self.constraint_message = constraint_message


class NotNullViolation(ValidationError):
    """A required column left empty (Postgres NOT NULL), worded as Odoo words it."""

    def __init__(self, model_name: str, model_description: str, field_name: str, label: str):
        super().__init__(
            "The operation cannot be completed:\n"
            "- Create/update: a mandatory field is not set.\n"
            "- Delete: another model requires the record being deleted."
            " If possible, archive it instead.\n\n"
            f"Model: {model_description} ({model_name})\n"
            f"Field: {label} ({field_name})\n"
        )
        self.field_name = field_name
        self.label = label


def fk_violation(model_name: str, model_description: str, constraint: str) -> ValidationError:
    """The ValidationError Odoo makes of a Postgres foreign-key violation (sample 46b)."""
    return ValidationError(
        "The operation cannot be completed: another model requires the record being deleted."
        " If possible, archive it instead.\n\n"
        f"Model: {model_description} ({model_name})\n"
        f"Constraint: {constraint}\n"
    )


def missing_error(model_name: str, ids, uid: int) -> MissingError:
    """The MissingError of write/unlink on deleted ids (sample 50)."""
    return MissingError(
        "Record does not exist or has been deleted.\n"
        f"(Record: {model_name}{tuple(ids)!r}, User: {uid})"
    )


def unknown_database(db: str) -> OperationalError:
    """What Odoo answers when the database named in a call does not exist (samples 08, 58)."""
    return OperationalError(
        f'connection to server at "127.0.0.1", port 5432 failed: FATAL:  '
        f'database "{db}" does not exist\n'
    )


def _python_error_fields(exc: BaseException) -> tuple[str, str, str]:
    """Name, message and traceback line of a plain Python exception raised by a method."""
    kind = type(exc).__name__
    if isinstance(exc, KeyError) and exc.args:
        # Odoo shows the key itself as the message, the repr only in the traceback (sample 41).
        message = str(exc.args[0])
        last_line = f"{kind}: {exc.args[0]!r}"
    else:
        message = str(exc)
        last_line = f"{kind}: {message}"
    return f"builtins.{kind}", message, last_line


def error_object(exc: BaseException) -> dict:
    """The ``error`` member of a JSON-RPC response for ``exc``."""
    if isinstance(exc, OdooError):
        name, message = exc.odoo_name, exc.message
        last_line = f"{exc.debug_name}: {message}"
        code, envelope_message = exc.code, exc.envelope_message
        debug_head = TRACEBACK_HEAD
    else:
        name, message, last_line = _python_error_fields(exc)
        code, envelope_message = 200, "Odoo Server Error"
        expected = isinstance(
            exc, (TypeError, ValueError, KeyError, AttributeError, AssertionError)
        )
        # A bug in the test server itself keeps its real traceback so it can be found.
        debug_head = (
            TRACEBACK_HEAD
            if expected
            else "Traceback (most recent call last):\n"
            + "".join(traceback.format_tb(exc.__traceback__))
        )
    debug = debug_head + last_line
    if not debug.endswith("\n"):
        debug += "\n"
    return {
        "code": code,
        "message": envelope_message,
        "data": {
            "name": name,
            "debug": debug,
            "message": message,
            "arguments": [message],
            "context": {},
        },
    }


def envelope(request_id, result=None, error: BaseException | None = None) -> dict:
    """A JSON-RPC 2.0 response; like Odoo it omits ``result`` when the method returned None."""
    response: dict = {"jsonrpc": "2.0", "id": request_id}
    if error is not None:
        response["error"] = error_object(error)
    elif result is not None:
        response["result"] = result
    return response
