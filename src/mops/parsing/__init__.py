"""Read one raw cell value as the typed value its column declares, leniently.

A raw value is what python-calamine (``to_python()``) or openpyxl hands back: ``str``, ``float``,
``int``, ``bool``, ``datetime.date``/``datetime``/``time``/``timedelta``, ``None`` or ``''``.
:func:`parse_cell` returns a :class:`Parsed` holding the typed value, an :class:`Assumption` worth
telling the person (the reading was lenient and might be wrong), or a :class:`Problem` (the value
could not be read, or breaks a declared bound). Their sentences are in the message catalogue
(``parse.<code>``, mops/data/messages/parsing.toml). :func:`parser_for` binds a column once
for tight loops. Nothing here reads or writes files: ``mops.workbook`` reads the raw values,
this package types them.

Modules: ``notes`` (Parsed, Problem, Assumption and their sentences), ``common`` (cleaning
and showing raw values, bounds), ``numbers``, ``dates`` and ``text`` (the readers of each
column type), ``spec`` (what a column needs, computed once).

Typed values: TEXT/EMAIL/PHONE/PERSON/REF → ``str`` (stripped, NFC); INTEGER → ``int``;
NUMBER/MONEY/PERCENT → ``Decimal`` (never float, never rounded); DATE → ``date``;
DATETIME → naive ``datetime``; ENUM → the option key; BOOLEAN → ``bool``.

An aware date-time (one with a time zone) is read as the wall time of ``tz``, the firm's zone
(``[general] timezone`` in mops.toml); ``tz=None`` means :data:`DEFAULT_TZ`, Asia/Taipei. The
machine's own zone never matters, so a server set to UTC reads a sheet as a laptop in Taipei does.

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

from collections.abc import Callable
from zoneinfo import ZoneInfo

from mops.parsing.common import is_blank
from mops.parsing.dates import DEFAULT_TZ
from mops.parsing.notes import BLANK, Assumption, Parsed, Problem
from mops.parsing.spec import SPECS, spec_for
from mops.schemas.model import Column

# bound once, not imported: a method call on an imported name makes a bound method every time
_cached_spec = SPECS.get

__all__ = [
    "DEFAULT_TZ",
    "Assumption",
    "Parsed",
    "Problem",
    "is_blank",
    "parse_cell",
    "parser_for",
]


def parse_cell(column: Column, raw: object, *, tz: ZoneInfo | None = None) -> Parsed:
    """Read one raw cell value as the column's type; blanks give Parsed(None) with no problem.

    ``tz`` is the zone whose wall time an aware date-time is read in; None means DEFAULT_TZ.
    """
    entry = _cached_spec(id(column)) if tz is None else None  # inlined spec_for(): once per cell
    spec = entry[1] if entry is not None and entry[0] is column else spec_for(column, tz)
    t = type(raw)
    if t is str:
        if not raw or raw.isspace():
            return BLANK
    elif raw is None:
        return BLANK
    return spec.parse(spec, raw, t)


def parser_for(column: Column, *, tz: ZoneInfo | None = None) -> Callable[[object], Parsed]:
    """A one-argument parse_cell bound to a column (and zone), for tight loops over many rows."""
    spec = spec_for(column, tz)
    parse = spec.parse

    def parse_one(raw: object) -> Parsed:
        t = type(raw)
        if t is str:
            if not raw or raw.isspace():
                return BLANK
        elif raw is None:
            return BLANK
        return parse(spec, raw, t)

    return parse_one
