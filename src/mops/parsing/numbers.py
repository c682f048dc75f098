"""Number cells: decimals, integers, NT$ amounts and percentages, from numbers or typed text."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from mops.parsing.common import (
    assume,
    bounded,
    clean,
    dec_from_float,
    find_fullwidth_digit,
    nfkc,
    refuse,
    replace_spaces,
    retry,
    show_dec,
)
from mops.parsing.notes import Parsed, make
from mops.schemas.model import ColType

if TYPE_CHECKING:
    from mops.parsing.spec import Spec


def num_bound(bound: object) -> Decimal | None:
    """A column's numeric bound as a Decimal."""
    if bound is None:
        return None
    if type(bound) is float:
        return dec_from_float(bound)
    return Decimal(str(bound))


_NUM_BODY_RE = re.compile(
    r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?(?:e[+-]?\d{1,2})?|\.\d+(?:e[+-]?\d{1,2})?", re.I
)
_CUR_PREFIX_RE = re.compile(r"新?[台臺]幣|NT\$|NTD|TWD|NT|\$", re.I)
_CUR_SUFFIX_RE = re.compile(r"(?:元整|元|塊錢|塊|NTD|TWD)$", re.I)
_FOREIGN_RE = re.compile(
    r"US\$|USD|美金|美元|EUR|€|歐元|£|GBP|¥|JPY|日圓|日幣|日元|円|RMB|CNY|人民幣|"
    r"HK\$|HKD|港幣|SGD|S\$",
    re.I,
)
_MAGNITUDE = {"萬": 10_000, "万": 10_000, "億": 100_000_000, "亿": 100_000_000}


def _number_text(s: str, percent: bool) -> tuple[Decimal | None, str | None, bool]:
    """Read number text: (value, assumption code, had a % sign); value None when unreadable.

    The caller knows the text is not blank. Currency marks are allowed unless ``percent``.
    A foreign currency gives (None, "foreign_currency", False).
    """
    fullwidth = find_fullwidth_digit(s) is not None
    if not s.isascii():
        s = nfkc(s)
    s = replace_spaces("", s)
    neg = paren = cur = pct = False
    mult = 0
    if not percent and _FOREIGN_RE.search(s):
        return None, "foreign_currency", False
    # sign, parentheses and currency come in either order: "-NT$5", "NT$-5", "(NT$5)", "NT$(5)"
    if len(s) > 2 and s[0] == "(" and s[-1] == ")":
        paren = neg = True
        s = s[1:-1]
    signed = s[:1] in ("-", "+")
    if signed:
        neg = s[0] == "-" or neg
        s = s[1:]
    if not percent:
        m = _CUR_PREFIX_RE.match(s)
        if m:
            cur = True
            s = s[m.end() :]
            if not signed and s[:1] in ("-", "+"):
                neg = s[0] == "-" or neg
                s = s[1:]
            if not paren and len(s) > 2 and s[0] == "(" and s[-1] == ")":
                paren = neg = True
                s = s[1:-1]
    if not percent:
        m = _CUR_SUFFIX_RE.search(s)
        if m:
            cur = True
            s = s[: m.start()]
        if s and s[-1] in _MAGNITUDE:
            mult = _MAGNITUDE[s[-1]]
            s = s[:-1]
    elif s[-1:] == "%":
        pct = True
        s = s[:-1]
    if s[:1] in ("-", "+") or (paren and signed):
        return None, None, False  # "(-5)" or "--5" is a typo, not a double negative
    if not _NUM_BODY_RE.fullmatch(s):
        return None, None, False
    try:
        d = Decimal(s.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only valid literals
        return None, None, False
    if mult:
        d *= mult
    if neg:
        d = -d
    if pct:
        d = d / 100
    if mult:
        code = "chinese_magnitude"
    elif cur:
        code = "currency_mark_removed"
    elif paren:
        code = "parentheses_negative"
    elif fullwidth:
        code = "fullwidth_digits"
    elif pct:
        code = "percent_from_text"
    else:
        code = "number_from_text"
    return d, code, pct


def _duration_hours(raw: dt.time | dt.timedelta) -> Decimal:
    if isinstance(raw, dt.timedelta):
        secs = round(raw.total_seconds())
    else:
        secs = raw.hour * 3600 + raw.minute * 60 + raw.second
    hours = Decimal(secs) / 3600
    # whole minutes in multiples of 36 s are exact; others (1:20) keep four decimals
    return hours if secs % 36 == 0 else hours.quantize(Decimal("0.0001"))


def _parse_decimal(spec: Spec, raw: Any, t: type) -> Parsed:
    """NUMBER and MONEY."""
    if t is float:
        if raw - raw != 0.0:  # inf or nan
            return refuse("not_a_number", raw)
        d = dec_from_float(raw)
        if spec.minimum is None and spec.maximum is None:
            return make(d)
        return bounded(spec, d, d, None, raw)
    if t is int or t is Decimal:
        d = Decimal(raw)
        if not d.is_finite():
            return refuse("not_a_number", raw)
        return bounded(spec, d, d, None, raw)
    if t is str:
        s = clean(raw)
        if type(s) is Parsed:
            return s
        d, code, _pct = _number_text(s, False)
        if d is None:
            return refuse(code or "not_a_number", s)
        return bounded(spec, d, d, assume(code, s, show_dec(d)), s)
    if (t is dt.time or t is dt.timedelta) and spec.type is ColType.NUMBER:
        d = _duration_hours(raw)
        return bounded(spec, d, d, assume("duration_as_hours", raw, show_dec(d)), raw)
    if t in (bool, dt.date, dt.datetime, dt.time, dt.timedelta):
        return refuse("not_a_number", raw)
    return retry(spec, raw)


def _parse_integer(spec: Spec, raw: Any, t: type) -> Parsed:
    if t is int:
        return bounded(spec, raw, raw, None, raw)
    if t is float:
        if raw.is_integer():
            n = int(raw)
            if spec.minimum is None and spec.maximum is None:
                return make(n)
            return bounded(spec, n, n, None, raw)
        if raw - raw != 0.0:
            return refuse("not_a_number", raw)
        d = dec_from_float(raw)  # 3.0000000000000004 from a formula is still 3
        if d == d.to_integral_value():
            return bounded(spec, int(d), d, None, raw)
        return refuse("not_integer", raw)
    if t is str:
        s = clean(raw)
        if type(s) is Parsed:
            return s
        d, code, _pct = _number_text(s, False)
        if d is None:
            return refuse(code or "not_a_number", s)
        if d != d.to_integral_value():
            return refuse("not_integer", s)
        n = int(d)
        return bounded(spec, n, n, assume(code, s, str(n)), s)
    if t is Decimal:
        if not raw.is_finite():
            return refuse("not_a_number", raw)
        if raw != raw.to_integral_value():
            return refuse("not_integer", raw)
        return bounded(spec, int(raw), raw, None, raw)
    if t in (bool, dt.date, dt.datetime, dt.time, dt.timedelta):
        return refuse("not_a_number", raw)
    return retry(spec, raw)


def show_percent(d: Decimal) -> str:
    """A fraction as the percentage a person reads: 0.3 → 30%."""
    return show_dec(d * 100) + "%"


# Without a declared maximum a bare number under 10 is a fraction (1.2 is 120 %, as a % cell
# shows it) and 10 or more is percent points (30 is 30 %): 1000 % is not a plausible entry,
# while a pasted 10 or 30 meaning 10 % or 30 % is common.
OPEN_FRACTION = Decimal(10)


def _as_fraction(spec: Spec, d: Decimal) -> tuple[Decimal, bool]:
    """A number without a % sign: a fraction when inside the column's range, else points."""
    lo, hi = spec.frac_lo, spec.frac_hi
    if lo <= d <= hi and d != OPEN_FRACTION and d != -OPEN_FRACTION:
        return d, False
    return d / 100, True


def _parse_percent(spec: Spec, raw: Any, t: type) -> Parsed:
    if t is float and -1.0 <= raw <= 1.0:  # the usual case: a fraction from a % cell
        d = dec_from_float(raw)
        if spec.minimum is None and spec.maximum is None:
            return make(d)
        return bounded(spec, d, d, None, raw)
    if t is float or t is int or t is Decimal:
        if t is float:
            if raw - raw != 0.0:
                return refuse("not_a_percent", raw)
            d = dec_from_float(raw)
        else:
            d = Decimal(raw)
            if not d.is_finite():
                return refuse("not_a_percent", raw)
        if -1 <= d <= 1 and spec.minimum is None and spec.maximum is None:
            return make(d)
        d, points = _as_fraction(spec, d)
        note = assume("percent_over_one_read_as_percent", raw, show_percent(d)) if points else None
        return bounded(spec, d, d, note, raw)
    if t is str:
        s = clean(raw)
        if type(s) is Parsed:
            return s
        d, code, pct = _number_text(s, True)
        if d is None:
            return refuse("not_a_percent", s)
        if not pct:
            d, points = _as_fraction(spec, d)
            if points:
                code = "percent_over_one_read_as_percent"
        return bounded(spec, d, d, assume(code, s, show_percent(d)), s)
    if t in (bool, dt.date, dt.datetime, dt.time, dt.timedelta):
        return refuse("not_a_percent", raw)
    return retry(spec, raw)


HANDLERS: dict[ColType, Callable[[Spec, Any, type], Parsed]] = {
    ColType.INTEGER: _parse_integer,
    ColType.NUMBER: _parse_decimal,
    ColType.MONEY: _parse_decimal,
    ColType.PERCENT: _parse_percent,
}
