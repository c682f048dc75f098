"""Date, date-time and time cells: Excel dates and serials, Minguo years, and typed date text."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from mops.parsing.common import (
    as_seen,
    assume,
    bounded,
    clean,
    find_fullwidth_digit,
    nfkc,
    refuse,
    replace_spaces,
    retry,
    show_datetime,
)
from mops.parsing.notes import Assumption, Parsed, Problem, make
from mops.schemas.model import ColType

if TYPE_CHECKING:
    from mops.parsing.spec import Spec

# The workbooks' wall time: an aware date-time is read as this zone's clock unless the caller
# passes the firm's zone ([general] timezone in mops.toml). Never the machine's own zone.
DEFAULT_TZ = ZoneInfo("Asia/Taipei")


def date_bound(bound: object, ctype: ColType) -> tuple[Any, bool]:
    """A date bound is ISO text (or a date); for DATETIME a date-only bound compares dates."""
    if bound is None:
        return None, False
    if isinstance(bound, dt.datetime):
        return (bound, False) if ctype is ColType.DATETIME else (bound.date(), True)
    if isinstance(bound, dt.date):
        return bound, True
    text = str(bound).strip()
    if len(text) <= 10:
        return dt.date.fromisoformat(text), True
    moment = dt.datetime.fromisoformat(text)
    return (moment, False) if ctype is ColType.DATETIME else (moment.date(), True)


_EPOCH = dt.datetime(1899, 12, 30)  # serial 0 in the 1900 system, past the 1900-02-29 bug
_SERIAL_MIN = 7306  # 1920-01-01
_SERIAL_MAX = 109574  # 2200-01-01, exclusive
_MIDNIGHT = dt.time()
_ONE_SECOND = dt.timedelta(seconds=1)
_MINGUO = 1911

_WEEKDAYS_ZH = "一二三四五六日"
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY_ZH = {ch: i for i, ch in enumerate(_WEEKDAYS_ZH)} | {"天": 6}
_WEEKDAY_EN = {name[:3].lower(): i for i, name in enumerate(_WEEKDAYS_EN)}
_MONTHS = {
    name: i + 1
    for i, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}

_WEEKDAY_RE = re.compile(
    r"\s*(?:\(\s*(?:星期|週|周|禮拜)?\s*([一二三四五六日天])\s*\)"
    r"|(?:星期|週|周|禮拜)([一二三四五六日天])"
    r"|\(\s*(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s*\))\s*",
    re.I,
)
_SEP_DATE_RE = re.compile(
    r"(\d{1,4})([-/.])(\d{1,2})\2(\d{1,4})(?:(?:\s+|T|(?=[上下早中晚凌傍]))(.+))?"
)
_MD_RE = re.compile(r"\d{1,2}\s*(?:[-/.]|月)\s*\d{1,2}\s*[日號号]?(?:\s+.*)?")
_ZH_DATE_RE = re.compile(
    r"(?:(中華民國|民國)|(西元|公元))?\s*(\d{1,4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日號号]?"
    r"(?:\s*(.+))?"
)
_DIGITS_RE = re.compile(r"(\d{7,8})(?:(?:\s+|T)(.+))?")
_SERIAL_RE = re.compile(r"\d{1,6}(?:\.\d+)?")
_EN_DMY_RE = re.compile(r"(\d{1,2})[\s-]*([a-z]{3,9})\.?[\s,-]*(\d{4})(?:\s+(.+))?", re.I)
_EN_MDY_RE = re.compile(
    r"([a-z]{3,9})\.?\s*(\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(\d{4})(?:\s+(.+))?", re.I
)
_TIME_RE = re.compile(
    r"(?P<ap1>上午|下午|早上|中午|晚上|凌晨|傍晚)?\s*"
    r"(?P<h>\d{1,2})\s*"
    r"(?:"
    r":\s*(?P<mi>\d{2})(?:\s*:\s*(?P<s>\d{2})(?:\.(?P<f>\d{1,6}))?)?"
    r"|(?P<dian>[點点時])\s*(?:(?P<half>半)|(?P<mi2>\d{1,2})\s*分?(?:\s*(?P<s2>\d{1,2})\s*秒?)?)?"
    r")?\s*"
    r"(?P<ap2>[ap]\.?m\.?)?",
    re.I,
)
_PM = frozenset(("下午", "晚上", "傍晚", "pm"))
_AM = frozenset(("上午", "早上", "凌晨", "am"))


def _round_second(v: dt.datetime) -> dt.datetime:
    if not v.microsecond:
        return v
    up = v.microsecond >= 500_000
    v = v.replace(microsecond=0)
    return v + _ONE_SECOND if up else v


def _naive(v: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    if v.tzinfo is not None:
        v = v.astimezone(tz).replace(tzinfo=None)  # the firm's wall time, as the sheet means it
    return _round_second(v)


def _from_serial(x: float) -> dt.datetime | None:
    if not (_SERIAL_MIN <= x < _SERIAL_MAX):
        return None
    return _EPOCH + dt.timedelta(seconds=round(x * 86400))


def _read_time(text: str) -> dt.time | None:
    m = _TIME_RE.fullmatch(text.strip())
    if m is None:
        return None
    marker = (m["ap1"] or m["ap2"] or "").lower().replace(".", "")
    if not (m["mi"] or m["dian"] or marker):
        return None  # a bare number after a date is not a time
    h = int(m["h"])
    minute = int(m["mi"] or m["mi2"] or (30 if m["half"] else 0))
    second = int(m["s"] or m["s2"] or 0)
    micro = int((m["f"] or "0").ljust(6, "0"))
    if marker:
        if h > 12:
            if marker in _AM:
                return None  # 上午14:30 contradicts itself
        elif marker in _PM:
            if marker == "晚上" and h == 12:
                return None  # 晚上12點 is midnight of which day? ask, don't guess
            h = h % 12 + 12
        elif marker == "中午":
            h = h if h >= 11 else h + 12
        else:
            h %= 12
    if h > 23 or minute > 59 or second > 59:
        return None
    return dt.time(h, minute, second, micro)


def _make_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


# outcome of reading date text: (date, time or None, assumption code) or (None, None, problem)
_DateRead = tuple[dt.date | None, dt.time | None, str]


def _date_text(s: str) -> _DateRead:
    """Read date (and time) text in the forms people type in Taiwan."""
    fullwidth = find_fullwidth_digit(s) is not None
    if not s.isascii():
        s = nfkc(s)
    s = replace_spaces(" ", s).strip()
    weekday = None
    m = _WEEKDAY_RE.search(s)
    if m is not None:
        zh = m[1] or m[2]
        weekday = _WEEKDAY_ZH[zh] if zh else _WEEKDAY_EN[m[3].lower()]
        s = (s[: m.start()] + " " + s[m.end() :]).strip()
    found = _date_forms(s)
    day, clock, code = found
    if day is None:
        return found
    if weekday is not None and day.weekday() != weekday:
        return None, None, "weekday_mismatch"
    if fullwidth and code == "text_date":
        code = "fullwidth_digits"
    return day, clock, code


def _with_time(day: dt.date | None, rest: str | None, code: str) -> _DateRead:
    if day is None:
        return None, None, "not_a_date"
    if not rest:
        return day, None, code
    clock = _read_time(rest)
    if clock is None:
        return None, None, "not_a_date"
    return day, clock, code


def _date_forms(s: str) -> _DateRead:
    m = _SEP_DATE_RE.fullmatch(s)
    if m is not None:
        a, b, c, rest = m[1], m[3], m[4], m[5]
        if len(a) == 4 and len(c) <= 2:
            return _with_time(_make_date(int(a), int(b), int(c)), rest, "text_date")
        if len(a) == 3 and len(c) <= 2:
            return _with_time(_make_date(int(a) + _MINGUO, int(b), int(c)), rest, "minguo_date")
        if len(a) <= 2 and len(c) == 4:
            first, second = int(a), int(b)
            if first > 12 >= second or first == second:
                day = _make_date(int(c), second, first)  # dd/mm/yyyy
            elif second > 12 >= first:
                day = _make_date(int(c), first, second)  # mm/dd/yyyy
            elif first <= 12 and second <= 12:
                return None, None, "ambiguous_date"
            else:
                day = None
            return _with_time(day, rest, "year_last_date")
        if len(a) <= 2 and len(c) <= 2:
            return None, None, "ambiguous_date"  # 26/11/26: which part is the year?
        return None, None, "not_a_date"
    m = _ZH_DATE_RE.fullmatch(s)
    if m is not None:
        roc, ad, y = m[1], m[2], m[3]
        if roc:
            year, code = int(y) + _MINGUO, "minguo_date"
        elif len(y) == 4 or ad:
            year, code = int(y), "text_date"
        elif len(y) == 3:
            year, code = int(y) + _MINGUO, "minguo_date"
        else:
            return None, None, "ambiguous_date"  # 26年 could be 民國26年 or 2026
        return _with_time(_make_date(year, int(m[4]), int(m[5])), m[6], code)
    m = _DIGITS_RE.fullmatch(s)
    if m is not None:
        digits = m[1]
        if len(digits) == 8:
            day = _make_date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
            return _with_time(day, m[2], "text_date")
        day = _make_date(int(digits[:3]) + _MINGUO, int(digits[3:5]), int(digits[5:]))
        return _with_time(day, m[2], "minguo_date")
    if _MD_RE.fullmatch(s):
        return None, None, "date_without_year"
    if _SERIAL_RE.fullmatch(s):
        moment = _from_serial(float(s))
        if moment is None:
            return None, None, "not_a_date"
        clock = moment.time()
        return moment.date(), (clock if clock != _MIDNIGHT else None), "excel_serial"
    m = _EN_DMY_RE.fullmatch(s)
    if m is not None:
        month = _MONTHS.get(m[2][:3].lower())
        day = _make_date(int(m[3]), month, int(m[1])) if month else None
        return _with_time(day, m[4], "text_date")
    m = _EN_MDY_RE.fullmatch(s)
    if m is not None:
        month = _MONTHS.get(m[1][:3].lower())
        day = _make_date(int(m[3]), month, int(m[2])) if month else None
        return _with_time(day, m[4], "text_date")
    if _read_time(s) is not None:
        return None, None, "time_without_date"
    return None, None, "not_a_date"


def _number_date(x: float | int) -> _DateRead:
    """A number in a date column: yyyymmdd, Minguo yyymmdd, or an Excel serial."""
    if x == int(x) and 1_000_101 <= x <= 99_991_231:
        return _date_forms(str(int(x)))
    moment = _from_serial(x)
    if moment is None:
        return None, None, "not_a_date"
    clock = moment.time()
    return moment.date(), (clock if clock != _MIDNIGHT else None), "excel_serial"


def _read_any_date(spec: Spec, raw: Any, t: type) -> _DateRead | Parsed:
    """Date, time and assumption code of a non-date raw value, or a finished Parsed."""
    if t is str:
        s = clean(raw)
        if type(s) is Parsed:
            return s
        return _date_text(s)
    if t is float or t is int:
        if t is float and raw - raw != 0.0:
            return None, None, "not_a_date"
        return _number_date(raw)
    if t is dt.time:
        return None, None, "time_without_date"
    if t in (bool, dt.timedelta, Decimal):
        return None, None, "not_a_date"
    return retry(spec, raw)


def _parse_date(spec: Spec, raw: Any, t: type) -> Parsed:
    if t is dt.date:
        if spec.minimum is None and spec.maximum is None:
            return make(raw)
        return bounded(spec, raw, raw, None, raw)
    if t is dt.datetime:
        moment = _naive(raw, spec.tz)
        day = moment.date()
        note = None
        if moment.time() != _MIDNIGHT:
            note = assume("time_dropped", raw, day.isoformat())
        return bounded(spec, day, day, note, raw)
    got = _read_any_date(spec, raw, t)
    if type(got) is Parsed:
        return got
    day, clock, code = got
    seen = as_seen(raw)
    if day is None:
        if code == "time_without_date":
            code = "not_a_date"  # a DATE column asks for a date only
        return _date_problem(code, seen, "not_a_date")
    if clock is not None and clock != _MIDNIGHT and code != "excel_serial":
        code = "time_dropped"
    return bounded(spec, day, day, assume(code, seen, day.isoformat()), seen)


def _date_problem(code: str, seen: str, generic: str) -> Parsed:
    if code == "weekday_mismatch":
        return _weekday_problem(seen)
    if code == "not_a_date":
        code = generic
    return refuse(code, seen)


def _weekday_problem(seen: str) -> Parsed:
    s = _WEEKDAY_RE.sub(" ", nfkc(seen)).strip()
    day = _date_forms(s)[0]
    params: dict[str, Any] = {"date": "", "weekday_zh": "", "weekday_en": ""}
    if day is not None:
        params = {
            "date": day.isoformat(),
            "weekday_zh": _WEEKDAYS_ZH[day.weekday()],
            "weekday_en": _WEEKDAYS_EN[day.weekday()],
        }
    return refuse("weekday_mismatch", seen, **params)


def _parse_datetime(spec: Spec, raw: Any, t: type) -> Parsed:
    if t is dt.datetime:
        moment = _naive(raw, spec.tz)
        if spec.minimum is None and spec.maximum is None:
            return make(moment)
        return _datetime_bounded(spec, moment, None, raw)
    if t is dt.date:
        return _datetime_bounded(spec, dt.datetime(raw.year, raw.month, raw.day), None, raw)
    got = _read_any_date(spec, raw, t)
    if type(got) is Parsed:
        return got
    day, clock, code = got
    seen = as_seen(raw)
    if day is None:
        return _date_problem(code, seen, "not_a_datetime")
    moment = dt.datetime.combine(day, clock or _MIDNIGHT)
    return _datetime_bounded(spec, moment, assume(code, seen, show_datetime(moment)), seen)


def _datetime_bounded(
    spec: Spec, moment: dt.datetime, note: Assumption | None, raw: object
) -> Parsed:
    lo, hi = spec.minimum, spec.maximum
    lo_date, hi_date = spec.bound_is_date
    if lo is not None and (moment.date() if lo_date else moment) < lo:
        return make(
            moment,
            note,
            Problem("below_minimum", {"value": as_seen(raw), "minimum": spec.min_shown}),
        )
    if hi is not None and (moment.date() if hi_date else moment) > hi:
        return make(
            moment,
            note,
            Problem("above_maximum", {"value": as_seen(raw), "maximum": spec.max_shown}),
        )
    return make(moment, note)


HANDLERS: dict[ColType, Callable[[Spec, Any, type], Parsed]] = {
    ColType.DATE: _parse_date,
    ColType.DATETIME: _parse_datetime,
}
