"""What the cell parsers share: cleaning and showing raw values, bounds, and odd raw types."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from mops.parsing.notes import BLANK, Assumption, Parsed, Problem, make

if TYPE_CHECKING:
    from mops.parsing.spec import Spec

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
# every whitespace character plus the zero-width ones; str.strip() alone keeps U+200B and BOM
STRIP = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + _ZERO_WIDTH
# Shared as bound methods: in Python 3.11 a method call on a name bound by "from … import"
# compiles to an attribute load that makes a bound method on every call.
replace_spaces = re.compile(r"[\s" + _ZERO_WIDTH + r"]+").sub
find_fullwidth_digit = re.compile(r"[０-９]").search
_DASHES = str.maketrans({"−": "-", "–": "-", "—": "-", "‐": "-", "‑": "-", "﹣": "-"})

_ERROR_LITERALS = frozenset(
    (
        "#N/A",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#NULL!",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#PYTHON!",
        "#EXTERNAL!",
        "#ERROR!",
    )
)


def is_blank(raw: object) -> bool:
    """True for None, '' and text made only of (full-width, zero-width) spaces."""
    if raw is None:
        return True
    if type(raw) is str or isinstance(raw, str):
        return not raw.strip(STRIP)
    return False


def nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s).translate(_DASHES)


def clean(raw: str) -> str | Parsed:
    """Strip and NFC a text cell; a formula or an Excel error literal becomes a Problem."""
    s = raw.strip()
    if not s.isascii():
        s = unicodedata.normalize("NFC", s.strip(STRIP))
        if not s:
            return BLANK
    c = s[0]
    if c == "=" and len(s) > 1:
        return make(None, None, Problem("formula_without_value", {"value": s}))
    if c == "#" and s.upper() in _ERROR_LITERALS:
        return make(None, None, Problem("error_value", {"value": s}))
    return s


def _show_float(f: float) -> str:
    if f.is_integer() and -1e16 < f < 1e16:
        return str(int(f))
    return format(f, ".15g")


def _show_time(t: dt.time) -> str:
    if t.second or t.microsecond:
        return t.strftime("%H:%M:%S")
    return t.strftime("%H:%M")


def show_datetime(v: dt.datetime) -> str:
    if not (v.hour or v.minute or v.second or v.microsecond):
        return v.date().isoformat()
    return f"{v.date().isoformat()} {_show_time(v.time())}"


def show_dec(d: Decimal) -> str:
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def show(raw: object) -> str:
    """How a raw value looks to the person, for messages and for text columns."""
    t = type(raw)
    if t is str:
        return raw.strip()
    if t is bool:
        return "TRUE" if raw else "FALSE"
    if t is float:
        return _show_float(raw)
    if t is int:
        return str(raw)
    if t is Decimal:
        return show_dec(raw)
    if isinstance(raw, dt.datetime):
        return show_datetime(raw)
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, dt.time):
        return _show_time(raw)
    if isinstance(raw, dt.timedelta):
        secs = round(raw.total_seconds())
        sign = "-" if secs < 0 else ""
        secs = abs(secs)
        hours, rest = divmod(secs, 3600)
        minutes, seconds = divmod(rest, 60)
        tail = f":{seconds:02d}" if seconds else ""
        return f"{sign}{hours}:{minutes:02d}{tail}"
    return str(raw)


def refuse(code: str, raw: object, **params: Any) -> Parsed:
    """No value, and the problem ``code`` about raw."""
    params["value"] = raw if type(raw) is str else show(raw)
    return make(None, None, Problem(code, params))


def assume(code: str, raw: object, read: str) -> Assumption:
    """The note ``code``: raw was read as ``read``."""
    return Assumption(code, {"value": raw if type(raw) is str else show(raw), "read": read})


def dec_from_float(f: float) -> Decimal:
    # 15 significant digits is what Excel stores and shows: 0.1+0.2 reads 0.3, 1234.5 stays
    if f.is_integer() and -1e15 < f < 1e15:
        return Decimal(int(f))
    s = repr(f)  # the shortest text that round-trips; cheap, and exact for typed numbers
    if len(s) > 16:  # more digits than Excel keeps: formula noise, so round to 15 significant
        s = format(f, ".15g")
    return Decimal(s)


def unknown(raw: object) -> object:
    """Turn a value of an unexpected type into a plain one, or a Problem for error objects."""
    if isinstance(raw, bool):
        return bool(raw)
    if isinstance(raw, dt.datetime):
        return dt.datetime(  # keeps the time zone: the date parsers read it as the firm's
            raw.year,
            raw.month,
            raw.day,
            raw.hour,
            raw.minute,
            raw.second,
            raw.microsecond,
            tzinfo=raw.tzinfo,
        )
    if isinstance(raw, dt.date):
        return dt.date(raw.year, raw.month, raw.day)
    if isinstance(raw, str):
        return str(raw)
    if isinstance(raw, float):
        return float(raw)
    if isinstance(raw, int):
        return int(raw)
    name = type(raw).__name__.lower()
    # calamine and other readers may hand back error objects; their text is "#DIV/0!" etc.
    if "error" in name:
        return refuse("error_value", str(raw))
    if "formula" in name:  # openpyxl ArrayFormula / DataTableFormula without a cached value
        return refuse("formula_without_value", str(getattr(raw, "text", raw)))
    if hasattr(raw, "__index__"):
        return int(raw.__index__())
    if hasattr(raw, "__float__") and not isinstance(raw, dt.timedelta | dt.time):
        return float(raw)
    return str(raw)


def bounded(spec: Spec, value: Any, key: Any, assumed: Assumption | None, raw: object) -> Parsed:
    """Parsed(value) unless key (the comparable form of value) is out of the declared bounds."""
    lo = spec.minimum
    if lo is not None and key < lo:
        return make(
            value,
            assumed,
            Problem("below_minimum", {"value": as_seen(raw), "minimum": spec.min_shown}),
        )
    hi = spec.maximum
    if hi is not None and key > hi:
        return make(
            value,
            assumed,
            Problem("above_maximum", {"value": as_seen(raw), "maximum": spec.max_shown}),
        )
    return make(value, assumed)


def as_seen(raw: object) -> str:
    """The raw value as the person typed it, for a message."""
    return raw.strip() if type(raw) is str else show(raw)


def retry(spec: Spec, raw: object) -> Parsed:
    """Parse a value of an unexpected type after turning it into a plain one."""
    plain = unknown(raw)
    if type(plain) is Parsed:
        return plain
    if type(plain) is type(raw):  # nothing gained; read it as the text it shows
        plain = str(raw)
    if plain is None or (type(plain) is str and not plain.strip(STRIP)):
        return BLANK
    return spec.parse(spec, plain, type(plain))
