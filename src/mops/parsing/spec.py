"""The per-column spec of the cell parser: its handler, bounds, enum tables and time zone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from mops.i18n import pair
from mops.parsing import dates, numbers, text
from mops.parsing.common import show, show_dec
from mops.parsing.dates import DEFAULT_TZ, date_bound
from mops.parsing.notes import Parsed, make
from mops.parsing.numbers import OPEN_FRACTION, num_bound, show_percent
from mops.schemas.model import ColType, Column, Lang, normalize_label


class Spec:
    """What parse_cell needs of a column, computed once: handler, bounds, enum table, zone."""

    __slots__ = (
        "allowed_en",
        "allowed_zh",
        "bound_is_date",
        "column",
        "enum_exact",
        "enum_hits",
        "enum_table",
        "frac_hi",
        "frac_lo",
        "max_length",
        "max_shown",
        "maximum",
        "min_shown",
        "minimum",
        "parse",
        "type",
        "tz",
    )

    def __init__(self, column: Column, tz: dt.tzinfo) -> None:
        self.column = column
        self.type = column.type
        self.tz = tz  # the wall time an aware date-time is read in
        self.parse: Callable[[Spec, Any, type], Parsed] = HANDLERS[column.type]
        self.max_length = column.max_length
        self.minimum: Any = None
        self.maximum: Any = None
        self.min_shown = self.max_shown = ""
        self.bound_is_date = (False, False)
        self.enum_table: dict[str, str] = {}
        self.enum_hits: dict[str, Parsed] = {}
        self.enum_exact: dict[str, Parsed] = {}
        self.allowed_zh = self.allowed_en = ""
        self.frac_lo = self.frac_hi = Decimal(0)  # see _as_fraction
        ctype = column.type
        if ctype in (ColType.DATE, ColType.DATETIME):
            lo, lo_date = date_bound(column.minimum, ctype)
            hi, hi_date = date_bound(column.maximum, ctype)
            self.minimum, self.maximum = lo, hi
            self.bound_is_date = (lo_date, hi_date)
            self.min_shown = "" if lo is None else show(lo)
            self.max_shown = "" if hi is None else show(hi)
        elif ctype in (ColType.INTEGER, ColType.NUMBER, ColType.MONEY, ColType.PERCENT):
            self.minimum = num_bound(column.minimum)
            self.maximum = num_bound(column.maximum)
            shown = show_percent if ctype is ColType.PERCENT else show_dec
            self.min_shown = "" if self.minimum is None else shown(self.minimum)
            self.max_shown = "" if self.maximum is None else shown(self.maximum)
            # the range in which a bare number is already a fraction; outside it, percent points
            hi, lo = self.maximum, self.minimum
            self.frac_hi = OPEN_FRACTION if hi is None else max(hi, Decimal(1))
            self.frac_lo = -OPEN_FRACTION if lo is None else min(lo, Decimal(-1))
        if column.enum is not None:
            self.enum_table = column.enum.lookup()
            self.enum_hits = {o.key: make(o.key) for o in column.enum.options}
            self.enum_exact = {
                spelling: self.enum_hits[self.enum_table[normalize_label(spelling)]]
                for o in column.enum.options
                for spelling in (o.key, o.zh, o.en)
            }
            more_zh, more_en = pair("list_more")
            self.allowed_zh = _list_labels(column.enum.labels(Lang.ZH_TW), "、", more_zh)
            self.allowed_en = _list_labels(column.enum.labels(Lang.EN), ", ", more_en)


def _list_labels(labels: list[str], sep: str, more: str) -> str:
    if len(labels) <= 12:
        return sep.join(labels)
    return sep.join(labels[:10]) + sep + more.format(n=len(labels) - 10)


HANDLERS: dict[ColType, Callable[[Spec, Any, type], Parsed]] = {
    **numbers.HANDLERS,
    **dates.HANDLERS,
    **text.HANDLERS,
}

# Specs of the default zone, by column id; parse_cell reads this one directly.
SPECS: dict[int, tuple[Column, Spec]] = {}
# Specs of other zones, by column id and zone.
_ZONED: dict[tuple[int, dt.tzinfo], tuple[Column, Spec]] = {}
_SPECS_MAX = 4096  # columns are declared statically; the cap only guards odd callers


def spec_for(column: Column, tz: dt.tzinfo | None = None) -> Spec:
    """The column's spec for reading date-times in tz (None: DEFAULT_TZ), made once."""
    cache: dict[Any, tuple[Column, Spec]]
    if tz is None or tz is DEFAULT_TZ:
        cache, key, tz = SPECS, id(column), DEFAULT_TZ
    else:
        cache, key = _ZONED, (id(column), tz)
    entry = cache.get(key)
    if entry is not None and entry[0] is column:
        return entry[1]
    spec = Spec(column, tz)
    if len(cache) >= _SPECS_MAX:
        cache.clear()
    cache[key] = (column, spec)  # the column is kept so its id cannot be reused
    return spec
