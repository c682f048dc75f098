"""Odoo's exceptions and what they turn into on the wire: the JSON-RPC error envelope (Odoo 17
and 19), and the HTTP status and JSON body of the JSON-2 API (Odoo 19)."""

from __future__ import annotations

import traceback

# Real envelopes carry a full server traceback; the captured samples replace the frames with this.
TRACEBACK_HEAD = "Traceback (most recent call last):\n  ... (stack frames omitted) ...\n"


class OdooError(Exception):
    """An exception the server reports as a JSON-RPC error envelope."""

    odoo_name = "odoo.exceptions.UserError"
    code = 200
    envelope_message = "Odoo Server Error"
    http_status = 422  # what JSON-2 answers with (odoo/exceptions.py of Odoo 19)

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    @property
    def debug_name(self) -> str:
        """The name on the last traceback line."""
        return self.odoo_name


class UserError(OdooError):
    """odoo.exceptions.UserError: a business rule refused the operation."""


class RedirectWarning(OdooError):
    """odoo.exceptions.RedirectWarning: a refusal that offers a window to fix it."""

    odoo_name = "odoo.exceptions.RedirectWarning"


class AccessDenied(OdooError):
    """odoo.exceptions.AccessDenied: wrong login or password."""

    odoo_name = "odoo.exceptions.AccessDenied"
    http_status = 403

    def __init__(self, message: str = "Access Denied"):
        super().__init__(message)


class AccessError(OdooError):
    """odoo.exceptions.AccessError: ACL or record rule refusal."""

    odoo_name = "odoo.exceptions.AccessError"
    http_status = 403


class ValidationError(OdooError):
    """odoo.exceptions.ValidationError: a constraint failed."""

    odoo_name = "odoo.exceptions.ValidationError"


class MissingError(OdooError):
    """odoo.exceptions.MissingError: a record does not exist (any more)."""

    odoo_name = "odoo.exceptions.MissingError"
    http_status = 404


class OperationalError(OdooError):
    """psycopg2.OperationalError: the database cannot be reached."""

    odoo_name = "psycopg2.OperationalError"
    http_status = 500  # not a UserError: JSON-2 answers 500


class SessionExpired(OdooError):
    """odoo.http.SessionExpiredException: a cookie route without a valid session."""

    odoo_name = "odoo.http.SessionExpiredException"
    code = 100
    envelope_message = "Odoo Session Expired"
    http_status = 403

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


class HttpError(Exception):
    """A werkzeug HTTPException raised by a route: JSON-2 answers its code and description."""

    odoo_name = "werkzeug.exceptions.HTTPException"
    http_status = 500
    headers: tuple = ()  # extra response headers, as (name, value) pairs

    def __init__(self, description: str):
        super().__init__(description)
        self.description = description


def _werkzeug(name: str, status: int, doc: str, headers: tuple = ()) -> type[HttpError]:
    attrs = {"__doc__": doc, "odoo_name": f"werkzeug.exceptions.{name}", "http_status": status}
    return type(name, (HttpError,), {**attrs, "headers": headers})


NotFound = _werkzeug("NotFound", 404, "No such model, method or route (samples 08, 09 of 19).")
Unauthorized = _werkzeug(
    "Unauthorized",
    401,
    "No bearer key, or a wrong one (samples 11, 12 of 19).",
    (("WWW-Authenticate", "Bearer "),),
)
BadRequest = _werkzeug("BadRequest", 400, "A body that is not JSON.")
UnprocessableEntity = _werkzeug(
    "UnprocessableEntity", 422, "Arguments that do not fit the method (addons/rpc json2.py)."
)


def invalid_field(version: str, operation: str, model: str, fname: str) -> ValueError:
    """The ValueError of a field the model lacks; Odoo 19 words it per operation (orm/models.py):
    "on 'model'" when reading (sample 07 of 19), "in 'model'" in create and write."""
    if version == "17.0":
        return ValueError(f"Invalid field {fname!r} on model {model!r}")
    where = "on" if operation == "read" else "in"
    return ValueError(f"Invalid field {fname!r} {where} {model!r}")


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


def json2_error(exc: BaseException) -> tuple[int, dict, dict]:
    """(HTTP status, JSON body, extra headers) of a JSON-2 request that raised ``exc``.

    Odoo 19's Json2Dispatcher.handle_error: a UserError (and its subclasses) answers its
    ``http_status``, a werkzeug HTTPException its code with ``[description, code]`` as arguments,
    anything else 500; the body is ``serialize_exception``'s.
    """
    if isinstance(exc, HttpError):
        name, message = exc.odoo_name, exc.description
        arguments = [exc.description, exc.http_status]
        status, headers, last_line = exc.http_status, dict(exc.headers), f"{name}: {message}"
    elif isinstance(exc, OdooError):
        name, message, arguments = exc.odoo_name, exc.message, [exc.message]
        status, headers, last_line = exc.http_status, {}, f"{exc.debug_name}: {message}"
    else:
        name, message, last_line = _python_error_fields(exc)
        arguments = [message] if isinstance(exc, KeyError) else list(exc.args)
        status, headers = 500, {}
    body = {
        "name": name,
        "message": message,
        "arguments": arguments,
        "context": {},
        "debug": _debug(exc, last_line),
    }
    return status, body, headers


def _debug_head(exc: BaseException) -> str:
    """The traceback head: the samples' placeholder, or the real frames of a bug in the server."""
    expected = isinstance(
        exc, (OdooError, HttpError, TypeError, ValueError, KeyError, AttributeError, AssertionError)
    )
    if expected:
        return TRACEBACK_HEAD
    return "Traceback (most recent call last):\n" + "".join(traceback.format_tb(exc.__traceback__))


def _debug(exc: BaseException, last_line: str) -> str:
    debug = _debug_head(exc) + last_line
    return debug if debug.endswith("\n") else debug + "\n"


def error_object(exc: BaseException) -> dict:
    """The ``error`` member of a JSON-RPC response for ``exc``."""
    if isinstance(exc, OdooError):
        name, message = exc.odoo_name, exc.message
        last_line = f"{exc.debug_name}: {message}"
        code, envelope_message = exc.code, exc.envelope_message
    else:
        name, message, last_line = _python_error_fields(exc)
        code, envelope_message = 200, "Odoo Server Error"
    return {
        "code": code,
        "message": envelope_message,
        "data": {
            "name": name,
            "debug": _debug(exc, last_line),
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
