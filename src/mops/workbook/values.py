"""Read one raw cell value as the typed value its column declares, leniently.

A raw value is what python-calamine (``to_python()``) or openpyxl hands back: ``str``, ``float``,
``int``, ``bool``, ``datetime.date``/``datetime``/``time``/``timedelta``, ``None`` or ``''``.
:func:`parse_cell` returns a :class:`Parsed` holding the typed value, an :class:`Assumption` worth
telling the person (the reading was lenient and might be wrong), or a :class:`Problem` (the value
could not be read, or breaks a declared bound). Messages for both live in ``MESSAGES_ZH`` and
``MESSAGES_EN``, keyed by code. :func:`parser_for` binds a column once for tight loops.

Typed values: TEXT/EMAIL/PHONE/PERSON/REF → ``str`` (stripped, NFC); INTEGER → ``int``;
NUMBER/MONEY/PERCENT → ``Decimal`` (never float, never rounded); DATE → ``date``;
DATETIME → naive ``datetime``; ENUM → the option key; BOOLEAN → ``bool``.

Decisions on ambiguous input:

* Floats are read to 15 significant digits, the precision Excel keeps and shows, so formula noise
  such as 0.30000000000000004 reads as 0.3 while 1234.5 stays exactly 1234.5.
* PERCENT holds a fraction. Text with a % sign is divided by 100 ("30%" → 0.3). A bare number (or
  text without %) between -1 and 1 is already a fraction: a template's percent cell turns a typed
  30 into 0.3 by itself. A bare number outside the column's range is read as percent points with
  the note ``percent_over_one_read_as_percent``: with ``maximum=1``, 30 → 0.3 and 1.5 → 0.015.
  A column with a larger ``maximum`` keeps numbers up to it (``maximum=2``: 1.5 → 1.5, 150 %).
  A column with no ``maximum`` (attainment, growth) keeps numbers under 10 as fractions (1.2 is
  120 %, as the % cell shows it) and reads 10 or more as points (30 → 0.3), since 1000 % is not a
  plausible entry but a pasted 30 meaning 30 % is. ``minimum`` works the same way below -1.
* Years: four digits are Gregorian; three digits are Minguo (ROC, year + 1911); two digits are
  Minguo only after 民國, otherwise ``ambiguous_date``. Dates without a year (``11/26``) are
  ``date_without_year``. ``dd/mm/yyyy`` and ``mm/dd/yyyy`` are read only when the day is over 12
  (or day equals month), else ``ambiguous_date``. Seven digits (``1151126``) are Minguo
  ``yyymmdd``, eight digits (``20261126``) are ``yyyymmdd``.
* A number in a date column is an Excel serial (1900 date system) only between 1920-01-01 and
  2199-12-31; outside that it is almost surely a year or an amount, so ``not_a_date``.
* A date-time in a DATE column keeps the date and notes ``time_dropped`` when the time is not
  midnight. A DATETIME column given only a date reads midnight; given only a time,
  ``time_without_date``. Times from readers are rounded to the second (calamine gives
  23:59:59.999 for float noise).
* Money marks NT$, NTD, TWD, 新台幣, $, 元 are removed (``currency_mark_removed``) in number
  columns; foreign marks (US$, USD, ¥, 人民幣 …) are ``foreign_currency``. ``(1,200)`` is -1200.
  萬/億 multiply. Thousands separators must group by three ("1,2345" is ``not_a_number``).
* Numbers that arrive as text are read, with a note (``number_from_text``, ``text_date`` …),
  because Excel cannot sum or sort text cells.
* A time or duration in a NUMBER column is read as hours (``duration_as_hours``).
* A weekday after a date (``2026/11/26(四)``) is checked: a wrong one is ``weekday_mismatch``.
* ENUM accepts the key, the zh or en label (folded by ``normalize_label``), or a bilingual
  spelling such as ``進行中 (In progress)`` whose parts name the same option.
* BOOLEAN accepts 是/否, Y/N, yes/no, true/false, 1/0, ✓/✔/V/○ and ×, 有/沒有; the letters X and
  O are refused, because an X means "yes" in a checkbox but "no" in the Taiwanese ○/× habit.
* Only whitespace (incl. full-width and zero-width spaces) is blank; "-" or "N/A" are not.
* Phones keep the typed text (NFKC, stripped); the digits must fit a Taiwan number (mobile 09 and
  02 numbers have ten digits, other area codes nine or ten, 070 eleven) or, after ``+`` and a
  foreign country code, eight to fifteen digits. A number that lost its leading 0 gets it back.
* ``assumed`` holds an :class:`Assumption` (code, params, message) rather than a bare code, so
  the note can be shown in either language; compare ``parsed.assumed.code``.
* Bounds: a value out of ``minimum``/``maximum`` or over ``max_length`` keeps its typed value and
  carries the problem; an unreadable value has ``value=None``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from mops.schemas.model import ColType, Column, Lang, normalize_label

__all__ = [
    "MESSAGES_EN",
    "MESSAGES_ZH",
    "Assumption",
    "Parsed",
    "Problem",
    "is_blank",
    "parse_cell",
    "parser_for",
]

# --------------------------------------------------------------------------- message catalogues

DATE_HINT_ZH = "2026-11-26 或 115/11/26"
DATE_HINT_EN = "2026-11-26 (or Minguo 115/11/26)"

MESSAGES_ZH: dict[str, str] = {
    # problems
    "formula_without_value": (
        "「{value}」是尚未計算結果的公式，請用 Excel 開啟檔案並存檔一次，或直接輸入值。"
    ),
    "error_value": "儲存格是錯誤值「{value}」，請修正公式，或改為直接輸入值。",
    "not_a_number": "無法將「{value}」讀為數字，請只輸入數字，例如 1234.5 或 -1,200。",
    "not_integer": "「{value}」不是整數，本欄只接受整數，例如 12。",
    "not_a_percent": "無法將「{value}」讀為百分比，請輸入例如 30% 或 0.3。",
    "foreign_currency": (
        "「{value}」看起來不是新台幣金額，請換算為新台幣後只輸入數字，例如 1200。"
    ),
    "not_a_date": f"無法辨識日期「{{value}}」，請以 {DATE_HINT_ZH} 的格式輸入。",
    "not_a_datetime": (
        "無法辨識日期時間「{value}」，請以 2026-11-26 14:30 或 115/11/26 下午2:30 的格式輸入。"
    ),
    "date_without_year": f"「{{value}}」缺少年份，請輸入完整日期，例如 {DATE_HINT_ZH}。",
    "ambiguous_date": (
        "「{value}」的年份或月日順序無法確定，請用四位數西元年輸入，例如 2026-11-26，"
        "或寫明民國年，例如 民國115年11月26日。"
    ),
    "weekday_mismatch": (
        "「{value}」的星期與日期不符（{date} 是星期{weekday_zh}），"
        "請確認後以 {date} 的格式重新輸入。"
    ),
    "time_without_date": "「{value}」只有時間、沒有日期，請輸入日期與時間，例如 2026-11-26 14:30。",
    "not_in_list": "「{value}」不在選項中，請從下拉選單選擇：{allowed_zh}。",
    "not_a_boolean": "無法將「{value}」讀為是或否，請從下拉選單選擇「是」或「否」。",
    "bad_email": "「{value}」不是有效的電子郵件地址，請只輸入一個地址，例如 name@example.com。",
    "bad_phone": (
        "「{value}」不像電話號碼，請輸入一個含區碼的號碼，例如 02-2345-6789 或 0912-345-678"
        "（分機可寫 #123）。"
    ),
    "too_long": "「{value}」共 {length} 個字，超過本欄上限 {max_length} 個字，請縮短。",
    "below_minimum": "「{value}」小於下限 {minimum}，請輸入 {minimum} 以上的值。",
    "above_maximum": "「{value}」大於上限 {maximum}，請輸入 {maximum} 以下的值。",
    # assumptions
    "text_date": (
        "「{value}」不是 Excel 日期，已讀為 {read}；建議以 Excel 日期輸入（例如 2026-11-26），"
        "才能正確排序與計算。"
    ),
    "minguo_date": "「{value}」視為民國年，已讀為 {read}；若不正確，請以 2026-11-26 的格式輸入。",
    "year_last_date": (
        "「{value}」視為年份在後的日期，已讀為 {read}；請以 2026-11-26 的格式輸入以免誤讀。"
    ),
    "excel_serial": "數字「{value}」視為 Excel 日期序號，已讀為 {read}；請將儲存格格式設為日期。",
    "time_dropped": "「{value}」含有時間，本欄只記日期，已讀為 {read}。",
    "fullwidth_digits": "「{value}」含全形字元，已讀為 {read}；請改用半形數字輸入。",
    "number_from_text": (
        "「{value}」是文字格式的數字，已讀為 {read}；請將儲存格改為數值格式，Excel 才能加總。"
    ),
    "currency_mark_removed": (
        "已去掉「{value}」中的幣別符號，讀為新台幣 {read}；請只輸入數字，Excel 才能加總。"
    ),
    "parentheses_negative": "「{value}」的括號視為負數，已讀為 {read}；負數請寫成 -1200。",
    "chinese_magnitude": "「{value}」中的「萬」或「億」已換算，讀為 {read}；請直接輸入完整數字。",
    "percent_from_text": "「{value}」是文字，已讀為 {read}；請將儲存格設為百分比格式後輸入數值。",
    "percent_over_one_read_as_percent": (
        "「{value}」大於 1，已視為 {read}；若不正確，請輸入帶百分號的值，例如 30% 或 150%。"
    ),
    "duration_as_hours": "時間長度「{value}」已換算為 {read} 小時；請直接輸入小時數，例如 1.5。",
    "leading_zero_restored": (
        "「{value}」開頭的 0 被 Excel 去掉了，已補回為 {read}；請將本欄設為文字格式再輸入。"
    ),
    "fullwidth_email": "「{value}」含全形字元，已改為半形 {read}；請改用半形輸入。",
    "email_extracted": "已從「{value}」取出電子郵件地址 {read}；本欄請只填地址。",
}

MESSAGES_EN: dict[str, str] = {
    # problems
    "formula_without_value": (
        '"{value}" is a formula with no calculated result; open the file in Excel and save it '
        "once, or type the value itself."
    ),
    "error_value": 'The cell holds the error "{value}"; fix the formula or type the value itself.',
    "not_a_number": 'Cannot read "{value}" as a number; type digits only, e.g. 1234.5 or -1,200.',
    "not_integer": '"{value}" is not a whole number; this column takes whole numbers, e.g. 12.',
    "not_a_percent": 'Cannot read "{value}" as a percentage; type e.g. 30% or 0.3.',
    "foreign_currency": (
        '"{value}" does not look like New Taiwan dollars; convert it to NT$ and type digits '
        "only, e.g. 1200."
    ),
    "not_a_date": f'Cannot read "{{value}}" as a date; type it as {DATE_HINT_EN}.',
    "not_a_datetime": (
        'Cannot read "{value}" as a date and time; type it as 2026-11-26 14:30 '
        "(or 115/11/26 下午2:30)."
    ),
    "date_without_year": f'"{{value}}" has no year; type the full date, e.g. {DATE_HINT_EN}.',
    "ambiguous_date": (
        'The year or the day/month order of "{value}" is unclear; type a four-digit year, '
        "e.g. 2026-11-26, or name the Minguo year, e.g. 民國115年11月26日."
    ),
    "weekday_mismatch": (
        'The weekday in "{value}" does not match the date ({date} is a {weekday_en}); check it '
        "and type it as {date}."
    ),
    "time_without_date": '"{value}" is a time without a date; type both, e.g. 2026-11-26 14:30.',
    "not_in_list": (
        '"{value}" is not one of the options; pick one from the drop-down: {allowed_en}.'
    ),
    "not_a_boolean": 'Cannot read "{value}" as yes or no; pick 是 (Yes) or 否 (No) from the list.',
    "bad_email": (
        '"{value}" is not a valid e-mail address; type one address, e.g. name@example.com.'
    ),
    "bad_phone": (
        '"{value}" does not look like a phone number; type one number with its area code, '
        "e.g. 02-2345-6789 or 0912-345-678 (extension as #123)."
    ),
    "too_long": (
        '"{value}" has {length} characters, more than the {max_length} this column allows; '
        "shorten it."
    ),
    "below_minimum": '"{value}" is below the minimum {minimum}; type {minimum} or more.',
    "above_maximum": '"{value}" is above the maximum {maximum}; type {maximum} or less.',
    # assumptions
    "text_date": (
        'Read "{value}", which is not an Excel date, as {read}; type dates as Excel dates '
        "(e.g. 2026-11-26) so they sort and calculate."
    ),
    "minguo_date": (
        'Read "{value}" as a Minguo (ROC) date, {read}; if that is wrong, type it as 2026-11-26.'
    ),
    "year_last_date": (
        'Read "{value}" as a date with the year last, {read}; type it as 2026-11-26 to avoid '
        "misreading."
    ),
    "excel_serial": (
        'Read the number "{value}" as an Excel date serial, {read}; format the cell as a date.'
    ),
    "time_dropped": '"{value}" has a time; this column keeps the date only, read as {read}.',
    "fullwidth_digits": (
        'Read "{value}", which has full-width characters, as {read}; type half-width digits.'
    ),
    "number_from_text": (
        'Read "{value}", a number stored as text, as {read}; format the cell as a number so '
        "Excel can add it up."
    ),
    "currency_mark_removed": (
        'Removed the currency mark from "{value}" and read NT$ {read}; type digits only so '
        "Excel can add it up."
    ),
    "parentheses_negative": 'Read "{value}" in parentheses as negative, {read}; type -1200.',
    "chinese_magnitude": 'Read 萬 or 億 in "{value}" as {read}; type the full number.',
    "percent_from_text": (
        'Read "{value}", which is text, as {read}; format the cell as a percentage and type '
        "the number."
    ),
    "percent_over_one_read_as_percent": (
        'Read "{value}", which is over 1, as {read}; if that is wrong, type it with a % sign, '
        "e.g. 30% or 150%."
    ),
    "duration_as_hours": 'Read the duration "{value}" as {read} hours; type hours, e.g. 1.5.',
    "leading_zero_restored": (
        'Excel dropped the leading 0 of "{value}"; read as {read}. Format the column as text '
        "before typing phone numbers."
    ),
    "fullwidth_email": 'Read "{value}", which has full-width characters, as {read}.',
    "email_extracted": 'Took the address {read} out of "{value}"; type the address only.',
}

_FALLBACK = {
    Lang.ZH_TW: "「{value}」無法讀取（{code}），請檢查後重新輸入。",
    Lang.EN: 'Cannot read "{value}" ({code}); check it and type it again.',
}

_SHOWN_MAX = 60  # long values are cut in messages so a sentence stays readable


def _lang(lang: Lang | str) -> Lang:
    # lenient on purpose: "en", "en-US", "EN" all mean English; anything else is zh-TW
    return Lang.EN if str(lang).lower().startswith("en") else Lang.ZH_TW


def _render(code: str, params: dict[str, Any], lang: Lang | str) -> str:
    which = _lang(lang)
    table = MESSAGES_EN if which is Lang.EN else MESSAGES_ZH
    shown = {k: ("" if v is None else v) for k, v in params.items()}
    value = shown.get("value")
    if isinstance(value, str) and len(value) > _SHOWN_MAX:
        shown["value"] = value[: _SHOWN_MAX - 1] + "…"
    shown.setdefault("code", code)
    template = table.get(code, _FALLBACK[which])
    try:
        return template.format_map(shown)
    except (KeyError, IndexError, ValueError):
        return _FALLBACK[which].format(value=shown.get("value", ""), code=code)


# --------------------------------------------------------------------------- result types


@dataclass(frozen=True, slots=True)
class _Note:
    """A coded message about one value, rendered from the catalogue in either language."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: Lang | str = Lang.ZH_TW) -> str:
        """A sentence naming the seen value, in zh-TW or English."""
        return _render(self.code, self.params, lang)


@dataclass(frozen=True, slots=True)
class Problem(_Note):
    """A value that could not be read as its column's type, or that breaks a declared bound."""


@dataclass(frozen=True, slots=True)
class Assumption(_Note):
    """A lenient reading worth telling the person, e.g. a Minguo year or a removed NT$."""


@dataclass(frozen=True, slots=True)
class Parsed:
    """The typed value of one cell (None when blank or unreadable), with a note or a problem."""

    value: object
    assumed: Assumption | None = None
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        """True when the value was read without a problem."""
        return self.problem is None


# A frozen dataclass's __init__ sets each field through object.__setattr__, which costs about
# twice as much as writing the slots directly; parse_cell makes one result per cell (1.4M for a
# large workbook), so results are built here. The slot descriptors bypass the frozen guard.
_new = object.__new__
_set_value = Parsed.__dict__["value"].__set__
_set_assumed = Parsed.__dict__["assumed"].__set__
_set_problem = Parsed.__dict__["problem"].__set__


def _mk(value: object, assumed: Assumption | None = None, problem: Problem | None = None) -> Parsed:
    p = _new(Parsed)
    _set_value(p, value)
    _set_assumed(p, assumed)
    _set_problem(p, problem)
    return p


_BLANK = Parsed(None)  # shared: results are frozen, and blanks are the most common cell
_TRUE = Parsed(True)
_FALSE = Parsed(False)

# --------------------------------------------------------------------------- text helpers

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
# every whitespace character plus the zero-width ones; str.strip() alone keeps U+200B and BOM
_STRIP = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + _ZERO_WIDTH
_WS_RE = re.compile(r"[\s" + _ZERO_WIDTH + r"]+")
_FW_DIGIT_RE = re.compile(r"[０-９]")
_FW_ASCII_RE = re.compile(r"[\uff01-\uff5e]")
_PLAIN_TYPES = (float, int, bool, Decimal, dt.date, dt.datetime, dt.time, dt.timedelta)
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
        return not raw.strip(_STRIP)
    return False


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s).translate(_DASHES)


def _clean(raw: str) -> str | Parsed:
    """Strip and NFC a text cell; a formula or an Excel error literal becomes a Problem."""
    s = raw.strip()
    if not s.isascii():
        s = unicodedata.normalize("NFC", s.strip(_STRIP))
        if not s:
            return _BLANK
    c = s[0]
    if c == "=" and len(s) > 1:
        return _mk(None, None, Problem("formula_without_value", {"value": s}))
    if c == "#" and s.upper() in _ERROR_LITERALS:
        return _mk(None, None, Problem("error_value", {"value": s}))
    return s


def _show_float(f: float) -> str:
    if f.is_integer() and -1e16 < f < 1e16:
        return str(int(f))
    return format(f, ".15g")


def _show_time(t: dt.time) -> str:
    if t.second or t.microsecond:
        return t.strftime("%H:%M:%S")
    return t.strftime("%H:%M")


def _show_datetime(v: dt.datetime) -> str:
    if not (v.hour or v.minute or v.second or v.microsecond):
        return v.date().isoformat()
    return f"{v.date().isoformat()} {_show_time(v.time())}"


def _show_dec(d: Decimal) -> str:
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _show(raw: object) -> str:
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
        return _show_dec(raw)
    if isinstance(raw, dt.datetime):
        return _show_datetime(raw)
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


def _problem(code: str, raw: object, **params: Any) -> Parsed:
    params["value"] = raw if type(raw) is str else _show(raw)
    return _mk(None, None, Problem(code, params))


def _note(code: str, raw: object, read: str) -> Assumption:
    return Assumption(code, {"value": raw if type(raw) is str else _show(raw), "read": read})


def _dec_from_float(f: float) -> Decimal:
    # 15 significant digits is what Excel stores and shows: 0.1+0.2 reads 0.3, 1234.5 stays
    if f.is_integer() and -1e15 < f < 1e15:
        return Decimal(int(f))
    s = repr(f)  # the shortest text that round-trips; cheap, and exact for typed numbers
    if len(s) > 16:  # more digits than Excel keeps: formula noise, so round to 15 significant
        s = format(f, ".15g")
    return Decimal(s)


def _unknown(raw: object) -> object:
    """Turn a value of an unexpected type into a plain one, or a Problem for error objects."""
    if isinstance(raw, bool):
        return bool(raw)
    if isinstance(raw, dt.datetime):
        return dt.datetime(
            raw.year, raw.month, raw.day, raw.hour, raw.minute, raw.second, raw.microsecond
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
        return _problem("error_value", str(raw))
    if "formula" in name:  # openpyxl ArrayFormula / DataTableFormula without a cached value
        return _problem("formula_without_value", str(getattr(raw, "text", raw)))
    if hasattr(raw, "__index__"):
        return int(raw.__index__())
    if hasattr(raw, "__float__") and not isinstance(raw, dt.timedelta | dt.time):
        return float(raw)
    return str(raw)


# --------------------------------------------------------------------------- per-column spec


class _Spec:
    """What parse_cell needs of a column, computed once: handler, bounds, enum table."""

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
    )

    def __init__(self, column: Column) -> None:
        self.column = column
        self.type = column.type
        self.parse: Callable[[_Spec, Any, type], Parsed] = _HANDLERS[column.type]
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
            lo, lo_date = _date_bound(column.minimum, ctype)
            hi, hi_date = _date_bound(column.maximum, ctype)
            self.minimum, self.maximum = lo, hi
            self.bound_is_date = (lo_date, hi_date)
            self.min_shown = "" if lo is None else _show(lo)
            self.max_shown = "" if hi is None else _show(hi)
        elif ctype in (ColType.INTEGER, ColType.NUMBER, ColType.MONEY, ColType.PERCENT):
            self.minimum = _num_bound(column.minimum)
            self.maximum = _num_bound(column.maximum)
            shown = _show_percent if ctype is ColType.PERCENT else _show_dec
            self.min_shown = "" if self.minimum is None else shown(self.minimum)
            self.max_shown = "" if self.maximum is None else shown(self.maximum)
            # the range in which a bare number is already a fraction; outside it, percent points
            hi, lo = self.maximum, self.minimum
            self.frac_hi = _OPEN_FRACTION if hi is None else max(hi, Decimal(1))
            self.frac_lo = -_OPEN_FRACTION if lo is None else min(lo, Decimal(-1))
        if column.enum is not None:
            self.enum_table = column.enum.lookup()
            self.enum_hits = {o.key: _mk(o.key) for o in column.enum.options}
            self.enum_exact = {
                spelling: self.enum_hits[self.enum_table[normalize_label(spelling)]]
                for o in column.enum.options
                for spelling in (o.key, o.zh, o.en)
            }
            self.allowed_zh = _list_labels(column.enum.labels(Lang.ZH_TW), "、", "等 {n} 項")
            self.allowed_en = _list_labels(column.enum.labels(Lang.EN), ", ", "and {n} more")


def _list_labels(labels: list[str], sep: str, more: str) -> str:
    if len(labels) <= 12:
        return sep.join(labels)
    return sep.join(labels[:10]) + sep + more.format(n=len(labels) - 10)


def _num_bound(bound: object) -> Decimal | None:
    if bound is None:
        return None
    if type(bound) is float:
        return _dec_from_float(bound)
    return Decimal(str(bound))


def _date_bound(bound: object, ctype: ColType) -> tuple[Any, bool]:
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


_SPECS: dict[int, tuple[Column, _Spec]] = {}
_SPECS_MAX = 4096  # columns are declared statically; the cap only guards odd callers


def _spec(column: Column) -> _Spec:
    entry = _SPECS.get(id(column))
    if entry is not None and entry[0] is column:
        return entry[1]
    spec = _Spec(column)
    if len(_SPECS) >= _SPECS_MAX:
        _SPECS.clear()
    _SPECS[id(column)] = (column, spec)  # the column is kept so its id cannot be reused
    return spec


def _bounded(spec: _Spec, value: Any, key: Any, assumed: Assumption | None, raw: object) -> Parsed:
    """Parsed(value) unless key (the comparable form of value) is out of the declared bounds."""
    lo = spec.minimum
    if lo is not None and key < lo:
        return _mk(
            value,
            assumed,
            Problem("below_minimum", {"value": _seen(raw), "minimum": spec.min_shown}),
        )
    hi = spec.maximum
    if hi is not None and key > hi:
        return _mk(
            value,
            assumed,
            Problem("above_maximum", {"value": _seen(raw), "maximum": spec.max_shown}),
        )
    return _mk(value, assumed)


def _seen(raw: object) -> str:
    return raw.strip() if type(raw) is str else _show(raw)


def _retry(spec: _Spec, raw: object) -> Parsed:
    """Parse a value of an unexpected type after turning it into a plain one."""
    plain = _unknown(raw)
    if type(plain) is Parsed:
        return plain
    if type(plain) is type(raw):  # nothing gained; read it as the text it shows
        plain = str(raw)
    if plain is None or (type(plain) is str and not plain.strip(_STRIP)):
        return _BLANK
    return spec.parse(spec, plain, type(plain))


# --------------------------------------------------------------------------- text-like columns


def _parse_text(spec: _Spec, raw: Any, t: type) -> Parsed:
    if t is str:
        s = _clean(raw)
        if type(s) is Parsed:
            return s
    elif t in _PLAIN_TYPES:
        s = _show(raw)  # a REF key or tax ID stored as a number reads as its digits
    else:
        plain = _unknown(raw)
        if type(plain) is Parsed:
            return plain
        s = _show(plain)
    return _text_length(spec, s)


def _text_length(spec: _Spec, s: str) -> Parsed:
    limit = spec.max_length
    if limit is not None and len(s) > limit:
        return _mk(
            s, None, Problem("too_long", {"value": s, "length": len(s), "max_length": limit})
        )
    return _mk(s)


# --------------------------------------------------------------------------- numbers

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
    fullwidth = _FW_DIGIT_RE.search(s) is not None
    if not s.isascii():
        s = _nfkc(s)
    s = _WS_RE.sub("", s)
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


def _parse_decimal(spec: _Spec, raw: Any, t: type) -> Parsed:
    """NUMBER and MONEY."""
    if t is float:
        if raw - raw != 0.0:  # inf or nan
            return _problem("not_a_number", raw)
        d = _dec_from_float(raw)
        if spec.minimum is None and spec.maximum is None:
            return _mk(d)
        return _bounded(spec, d, d, None, raw)
    if t is int or t is Decimal:
        d = Decimal(raw)
        if not d.is_finite():
            return _problem("not_a_number", raw)
        return _bounded(spec, d, d, None, raw)
    if t is str:
        s = _clean(raw)
        if type(s) is Parsed:
            return s
        d, code, _pct = _number_text(s, False)
        if d is None:
            return _problem(code or "not_a_number", s)
        return _bounded(spec, d, d, _note(code, s, _show_dec(d)), s)
    if (t is dt.time or t is dt.timedelta) and spec.type is ColType.NUMBER:
        d = _duration_hours(raw)
        return _bounded(spec, d, d, _note("duration_as_hours", raw, _show_dec(d)), raw)
    if t in (bool, dt.date, dt.datetime, dt.time, dt.timedelta):
        return _problem("not_a_number", raw)
    return _retry(spec, raw)


def _parse_integer(spec: _Spec, raw: Any, t: type) -> Parsed:
    if t is int:
        return _bounded(spec, raw, raw, None, raw)
    if t is float:
        if raw.is_integer():
            n = int(raw)
            if spec.minimum is None and spec.maximum is None:
                return _mk(n)
            return _bounded(spec, n, n, None, raw)
        if raw - raw != 0.0:
            return _problem("not_a_number", raw)
        d = _dec_from_float(raw)  # 3.0000000000000004 from a formula is still 3
        if d == d.to_integral_value():
            return _bounded(spec, int(d), d, None, raw)
        return _problem("not_integer", raw)
    if t is str:
        s = _clean(raw)
        if type(s) is Parsed:
            return s
        d, code, _pct = _number_text(s, False)
        if d is None:
            return _problem(code or "not_a_number", s)
        if d != d.to_integral_value():
            return _problem("not_integer", s)
        n = int(d)
        return _bounded(spec, n, n, _note(code, s, str(n)), s)
    if t is Decimal:
        if not raw.is_finite():
            return _problem("not_a_number", raw)
        if raw != raw.to_integral_value():
            return _problem("not_integer", raw)
        return _bounded(spec, int(raw), raw, None, raw)
    if t in (bool, dt.date, dt.datetime, dt.time, dt.timedelta):
        return _problem("not_a_number", raw)
    return _retry(spec, raw)


def _show_percent(d: Decimal) -> str:
    return _show_dec(d * 100) + "%"


# Without a declared maximum a bare number under 10 is a fraction (1.2 is 120 %, as a % cell
# shows it) and 10 or more is percent points (30 is 30 %): 1000 % is not a plausible entry,
# while a pasted 10 or 30 meaning 10 % or 30 % is common.
_OPEN_FRACTION = Decimal(10)


def _as_fraction(spec: _Spec, d: Decimal) -> tuple[Decimal, bool]:
    """A number without a % sign: a fraction when inside the column's range, else points."""
    lo, hi = spec.frac_lo, spec.frac_hi
    if lo <= d <= hi and d != _OPEN_FRACTION and d != -_OPEN_FRACTION:
        return d, False
    return d / 100, True


def _parse_percent(spec: _Spec, raw: Any, t: type) -> Parsed:
    if t is float and -1.0 <= raw <= 1.0:  # the usual case: a fraction from a % cell
        d = _dec_from_float(raw)
        if spec.minimum is None and spec.maximum is None:
            return _mk(d)
        return _bounded(spec, d, d, None, raw)
    if t is float or t is int or t is Decimal:
        if t is float:
            if raw - raw != 0.0:
                return _problem("not_a_percent", raw)
            d = _dec_from_float(raw)
        else:
            d = Decimal(raw)
            if not d.is_finite():
                return _problem("not_a_percent", raw)
        if -1 <= d <= 1 and spec.minimum is None and spec.maximum is None:
            return _mk(d)
        d, points = _as_fraction(spec, d)
        note = _note("percent_over_one_read_as_percent", raw, _show_percent(d)) if points else None
        return _bounded(spec, d, d, note, raw)
    if t is str:
        s = _clean(raw)
        if type(s) is Parsed:
            return s
        d, code, pct = _number_text(s, True)
        if d is None:
            return _problem("not_a_percent", s)
        if not pct:
            d, points = _as_fraction(spec, d)
            if points:
                code = "percent_over_one_read_as_percent"
        return _bounded(spec, d, d, _note(code, s, _show_percent(d)), s)
    if t in (bool, dt.date, dt.datetime, dt.time, dt.timedelta):
        return _problem("not_a_percent", raw)
    return _retry(spec, raw)


# --------------------------------------------------------------------------- dates

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


def _naive(v: dt.datetime) -> dt.datetime:
    if v.tzinfo is not None:
        v = v.astimezone().replace(tzinfo=None)  # local wall time, as the sheet means it
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
    fullwidth = _FW_DIGIT_RE.search(s) is not None
    if not s.isascii():
        s = _nfkc(s)
    s = _WS_RE.sub(" ", s).strip()
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


def _read_any_date(spec: _Spec, raw: Any, t: type) -> _DateRead | Parsed:
    """Date, time and assumption code of a non-date raw value, or a finished Parsed."""
    if t is str:
        s = _clean(raw)
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
    return _retry(spec, raw)


def _parse_date(spec: _Spec, raw: Any, t: type) -> Parsed:
    if t is dt.date:
        if spec.minimum is None and spec.maximum is None:
            return _mk(raw)
        return _bounded(spec, raw, raw, None, raw)
    if t is dt.datetime:
        moment = _naive(raw)
        day = moment.date()
        note = None
        if moment.time() != _MIDNIGHT:
            note = _note("time_dropped", raw, day.isoformat())
        return _bounded(spec, day, day, note, raw)
    got = _read_any_date(spec, raw, t)
    if type(got) is Parsed:
        return got
    day, clock, code = got
    seen = _seen(raw)
    if day is None:
        if code == "time_without_date":
            code = "not_a_date"  # a DATE column asks for a date only
        return _date_problem(code, seen, "not_a_date")
    if clock is not None and clock != _MIDNIGHT and code != "excel_serial":
        code = "time_dropped"
    return _bounded(spec, day, day, _note(code, seen, day.isoformat()), seen)


def _date_problem(code: str, seen: str, generic: str) -> Parsed:
    if code == "weekday_mismatch":
        return _weekday_problem(seen)
    if code == "not_a_date":
        code = generic
    return _problem(code, seen)


def _weekday_problem(seen: str) -> Parsed:
    s = _WEEKDAY_RE.sub(" ", _nfkc(seen)).strip()
    day = _date_forms(s)[0]
    params: dict[str, Any] = {"date": "", "weekday_zh": "", "weekday_en": ""}
    if day is not None:
        params = {
            "date": day.isoformat(),
            "weekday_zh": _WEEKDAYS_ZH[day.weekday()],
            "weekday_en": _WEEKDAYS_EN[day.weekday()],
        }
    return _problem("weekday_mismatch", seen, **params)


def _parse_datetime(spec: _Spec, raw: Any, t: type) -> Parsed:
    if t is dt.datetime:
        moment = _naive(raw)
        if spec.minimum is None and spec.maximum is None:
            return _mk(moment)
        return _datetime_bounded(spec, moment, None, raw)
    if t is dt.date:
        return _datetime_bounded(spec, dt.datetime(raw.year, raw.month, raw.day), None, raw)
    got = _read_any_date(spec, raw, t)
    if type(got) is Parsed:
        return got
    day, clock, code = got
    seen = _seen(raw)
    if day is None:
        return _date_problem(code, seen, "not_a_datetime")
    moment = dt.datetime.combine(day, clock or _MIDNIGHT)
    return _datetime_bounded(spec, moment, _note(code, seen, _show_datetime(moment)), seen)


def _datetime_bounded(
    spec: _Spec, moment: dt.datetime, note: Assumption | None, raw: object
) -> Parsed:
    lo, hi = spec.minimum, spec.maximum
    lo_date, hi_date = spec.bound_is_date
    if lo is not None and (moment.date() if lo_date else moment) < lo:
        return _mk(
            moment, note, Problem("below_minimum", {"value": _seen(raw), "minimum": spec.min_shown})
        )
    if hi is not None and (moment.date() if hi_date else moment) > hi:
        return _mk(
            moment, note, Problem("above_maximum", {"value": _seen(raw), "maximum": spec.max_shown})
        )
    return _mk(moment, note)


# --------------------------------------------------------------------------- enum and boolean

_SPLIT_LABEL_RE = re.compile(r"[/|()（）／｜]")


def _parse_enum(spec: _Spec, raw: Any, t: type) -> Parsed:
    if t is str:
        hit = spec.enum_exact.get(raw)  # a value picked from the drop-down: no folding needed
        if hit is not None:
            return hit
        s = _clean(raw)
        if type(s) is Parsed:
            return s
    elif t in _PLAIN_TYPES:
        s = _show(raw)
    else:
        return _retry(spec, raw)
    key = spec.enum_table.get(normalize_label(s))
    if key is None:
        key = _split_match(spec.enum_table, s)
        if key is None:
            return _problem(
                "not_in_list", s, allowed_zh=spec.allowed_zh, allowed_en=spec.allowed_en
            )
    return spec.enum_hits[key]


def _split_match(table: dict[str, str], s: str) -> str | None:
    """Accept a bilingual spelling such as '進行中 (In progress)' when all parts agree."""
    parts = [normalize_label(p) for p in _SPLIT_LABEL_RE.split(s)]
    keys = {table.get(p) for p in parts if p}
    if len(keys) == 1:
        return keys.pop()
    return None


_BOOL_WORDS: dict[str, bool] = {
    normalize_label(word): flag
    for words, flag in (
        ("是 y yes true t 1 ✓ ✔ ☑ ✅ v 對 有 真 on ○ ◯ ⭕ 要", True),
        ("否 n no false f 0 ✗ ✘ × ❌ ☐ 不是 非 無 沒有 不 假 off 不要", False),
    )
    for word in words.split()
}


_BOOL_EXACT: dict[str, Parsed] = {
    word: _TRUE if flag else _FALSE
    for word, flag in (
        ("是", True),
        ("否", False),
        ("Yes", True),
        ("No", False),
        ("TRUE", True),
        ("FALSE", False),
        ("Y", True),
        ("N", False),
    )
}


def _parse_boolean(spec: _Spec, raw: Any, t: type) -> Parsed:
    if t is bool:
        return _TRUE if raw else _FALSE
    if t is str:
        hit = _BOOL_EXACT.get(raw)  # the drop-down's 是/否 and the usual spellings, unfolded
        if hit is not None:
            return hit
        s = _clean(raw)
        if type(s) is Parsed:
            return s
        flag = _BOOL_WORDS.get(normalize_label(s))
        if flag is None:
            parts = {_BOOL_WORDS.get(normalize_label(p)) for p in _SPLIT_LABEL_RE.split(s) if p}
            parts.discard(None)
            if len(parts) != 1:
                return _problem("not_a_boolean", s)
            flag = parts.pop()
        return _TRUE if flag else _FALSE
    if t is float or t is int or t is Decimal:
        if raw == 1:
            return _TRUE
        if raw == 0:
            return _FALSE
        return _problem("not_a_boolean", raw)
    if t in (dt.date, dt.datetime, dt.time, dt.timedelta):
        return _problem("not_a_boolean", raw)
    return _retry(spec, raw)


# --------------------------------------------------------------------------- e-mail

_EMAIL_ATOM = r"[\w!#$%&'*+/=?^`{|}~-]+"
_EMAIL_RE = re.compile(
    rf"{_EMAIL_ATOM}(?:\.{_EMAIL_ATOM})*@(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{{2,}}"
)
_ANGLE_RE = re.compile(r"[^<>]*<\s*(?:mailto:)?([^<>\s]+)\s*>")


def _parse_email(spec: _Spec, raw: Any, t: type) -> Parsed:
    if t is str:
        if _EMAIL_RE.fullmatch(raw):  # already clean: the pattern admits no spaces or "="
            return _text_length(spec, raw)
        s = _clean(raw)
        if type(s) is Parsed:
            return s
    elif t in _PLAIN_TYPES:
        return _problem("bad_email", raw)
    else:
        return _retry(spec, raw)
    seen = s
    code = None
    if not s.isascii() and _FW_ASCII_RE.search(s):
        s = _nfkc(s)
        code = "fullwidth_email"
    m = _ANGLE_RE.fullmatch(s)
    if m is not None:  # "王小明 <wang@example.com>" pasted from Outlook
        s = m[1]
        code = "email_extracted"
    elif s[:7].lower() == "mailto:":
        s = s[7:].strip()
        code = "email_extracted"
    if not _EMAIL_RE.fullmatch(s):
        return _problem("bad_email", seen)
    if code is None:
        return _text_length(spec, s)
    parsed = _text_length(spec, s)
    return _mk(parsed.value, _note(code, seen, s), parsed.problem)


# --------------------------------------------------------------------------- phone

_PHONE_EXT_RE = re.compile(r"\s*(?:#|分機|轉|ext\.?|extension|x)\s*\d{1,6}\s*$", re.I)
_PHONE_BODY_RE = re.compile(r"\+?[\d\s().\-/]+")
_NON_DIGIT_RE = re.compile(r"\D")
_PHONE_FAST_RE = re.compile(r"0\d{1,4}(?:[- ]?\d{2,4}){1,3}")
_AREA_DIGITS = frozenset("345678")  # 03…08 area codes; 02 and 09 are checked on their own


def _national_ok(digits: str) -> bool:
    """Whether a national number (leading 0) has the length its prefix needs in Taiwan."""
    if digits[:1] != "0":
        return False
    n = len(digits)
    if digits.startswith(("09", "02")):
        return n == 10
    if digits.startswith("070"):
        return n == 11
    return n in (9, 10) and digits[1:2] in _AREA_DIGITS


def _phone_digits_ok(body: str) -> bool:
    digits = _NON_DIGIT_RE.sub("", body)
    if body.lstrip().startswith("+"):
        if digits.startswith("886"):
            rest = digits[3:]
            return _national_ok(rest if rest.startswith("0") else "0" + rest)
        return 8 <= len(digits) <= 15
    return digits.startswith("0") and _national_ok(digits)


def _parse_phone(spec: _Spec, raw: Any, t: type) -> Parsed:
    if t is float or t is int:
        if t is float and not raw.is_integer():
            return _problem("bad_phone", raw)
        # a number cannot keep a leading 0, so 912345678 is 0912345678 with its 0 lost
        fixed = "0" + str(int(raw))
        if _national_ok(fixed):
            parsed = _text_length(spec, fixed)
            return _mk(parsed.value, _note("leading_zero_restored", raw, fixed), parsed.problem)
        return _problem("bad_phone", raw)
    if t is str:
        if _PHONE_FAST_RE.fullmatch(raw) and _national_ok(raw.replace("-", "").replace(" ", "")):
            return _text_length(spec, raw)  # the usual 02-2345-6789 or 0912-345-678
        s = _clean(raw)
        if type(s) is Parsed:
            return s
    elif t in (bool, Decimal, dt.date, dt.datetime, dt.time, dt.timedelta):
        return _problem("bad_phone", raw)
    else:
        return _retry(spec, raw)
    seen = s
    code = None
    if not s.isascii():
        if _FW_DIGIT_RE.search(s):
            code = "fullwidth_digits"
        s = _nfkc(s)
    m = _PHONE_EXT_RE.search(s)
    body = s[: m.start()] if m is not None else s
    if not body or not _PHONE_BODY_RE.fullmatch(body):
        return _problem("bad_phone", seen)
    if not _phone_digits_ok(body):
        digits = _NON_DIGIT_RE.sub("", body)
        # a number typed or pasted without its leading 0: 912345678 → 0912345678
        if body[0].isdigit() and digits[:1] != "0" and _national_ok("0" + digits):
            s = "0" + s
            code = "leading_zero_restored"
        else:
            return _problem("bad_phone", seen)
    parsed = _text_length(spec, s)
    if code is None:
        return parsed
    return _mk(parsed.value, _note(code, seen, s), parsed.problem)


# --------------------------------------------------------------------------- entry points

_HANDLERS: dict[ColType, Callable[[_Spec, Any, type], Parsed]] = {
    ColType.TEXT: _parse_text,
    ColType.PERSON: _parse_text,
    ColType.REF: _parse_text,
    ColType.INTEGER: _parse_integer,
    ColType.NUMBER: _parse_decimal,
    ColType.MONEY: _parse_decimal,
    ColType.PERCENT: _parse_percent,
    ColType.DATE: _parse_date,
    ColType.DATETIME: _parse_datetime,
    ColType.ENUM: _parse_enum,
    ColType.BOOLEAN: _parse_boolean,
    ColType.EMAIL: _parse_email,
    ColType.PHONE: _parse_phone,
}


def parse_cell(column: Column, raw: object) -> Parsed:
    """Read one raw cell value as the column's type; blanks give Parsed(None) with no problem."""
    entry = _SPECS.get(id(column))  # inlined _spec(): this line runs once per cell
    spec = entry[1] if entry is not None and entry[0] is column else _spec(column)
    t = type(raw)
    if t is str:
        if not raw or raw.isspace():
            return _BLANK
    elif raw is None:
        return _BLANK
    return spec.parse(spec, raw, t)


def parser_for(column: Column) -> Callable[[object], Parsed]:
    """A one-argument parse_cell bound to a column, for tight loops over many rows."""
    spec = _spec(column)
    parse = spec.parse

    def parse_one(raw: object) -> Parsed:
        t = type(raw)
        if t is str:
            if not raw or raw.isspace():
                return _BLANK
        elif raw is None:
            return _BLANK
        return parse(spec, raw, t)

    return parse_one
