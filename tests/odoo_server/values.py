"""Conversion of non-relational field values: what create/write accept and what read returns."""

from __future__ import annotations

import html
from datetime import datetime

from .sanitize import field_sanitize
from .schema import Field

DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def _to_date(value) -> str | None:
    if not value:
        return None
    if not isinstance(value, str):
        raise ValueError(f"Invalid date value {value!r}")
    # Odoo parses only the first 10 characters, so a datetime string is accepted as a date.
    return datetime.strptime(value[:10], DATE_FORMAT).strftime(DATE_FORMAT)


def _to_datetime(value) -> str | None:
    if not value:
        return None
    if not isinstance(value, str):
        raise ValueError(f"Invalid datetime value {value!r}")
    if len(value) == 10:
        value += " 00:00:00"
    return datetime.strptime(value, DATETIME_FORMAT).strftime(DATETIME_FORMAT)


def _to_text(value) -> str | None:
    if value is None or value is False:
        return None
    return value if isinstance(value, str) else str(value)


def _to_html(field: Field, model: str):
    def convert(value) -> str | None:
        # Odoo's sanitizer: bare text gets a <p>, "<" and "&" are escaped, scripts go.
        text = _to_text(value)
        return field_sanitize(model, field.name, text) if text else text

    return convert


def _to_selection(field: Field, model: str):
    def convert(value):
        if value is None or value is False:
            return None
        if value not in field.selection_keys:
            raise ValueError(f"Wrong value for {model}.{field.name}: {value!r}")
        return value

    return convert


def _to_int(value) -> int:
    return int(value or 0)


def _to_float(value) -> float:
    return float(value or 0.0)


def _as_is(value):
    return None if value is False else value


_CONVERTERS = {
    "char": _to_text,
    "text": _to_text,
    "integer": _to_int,
    "many2one_reference": _to_int,
    "float": _to_float,
    "monetary": _to_float,
    "boolean": bool,
    "date": _to_date,
    "datetime": _to_datetime,
    "binary": _to_text,
    "json": _as_is,
    "properties": _as_is,
    "properties_definition": _as_is,
}


def converter(field: Field, model: str):
    """A function turning a create/write value of ``field`` into its stored form."""
    if field.type == "selection":
        return _to_selection(field, model)
    if field.type == "html":
        return _to_html(field, model)
    return _CONVERTERS.get(field.type, _as_is)


def _read_text(value):
    return False if value is None else value


def _read_int(value):
    return value or 0


def _read_float(value):
    return float(value or 0.0)


def _read_bool(value):
    return bool(value)


def _read_list(value):
    return list(value) if value else []


_READERS = {
    "integer": _read_int,
    "many2one_reference": _read_int,
    "float": _read_float,
    "monetary": _read_float,
    "boolean": _read_bool,
    "one2many": _read_list,
    "many2many": _read_list,
    "properties": _read_list,
}


def reader(field: Field):
    """A function turning a stored value into what ``read`` returns (many2one excluded)."""
    return _READERS.get(field.type, _read_text)


def empty_value(field: Field):
    """What ``read`` returns for a field that holds nothing."""
    if field.type == "many2one":
        return False
    return reader(field)(None)


def plaintext_to_html(text: str) -> str:
    """A plain-text message_post body: escaped (the sanitizer then wraps it in a <p>)."""
    return html.escape(text)
