"""The view models every report is made of: plain values, computed in Python, shown by templates.

A report is a title, the policy section it serves, its period, a row of headline figures and
sections of blocks (a table, a chart, a list of notes). Every figure is computed before a
template sees it; templates only lay the values out and format them by their column's kind.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from mops.errors import InputError
from mops.i18n import text
from mops.schemas.model import Lang

# ---------------------------------------------------------------------------------------------
# Period


@dataclass(frozen=True)
class Period:
    """A year, a quarter or a month: the span a report covers."""

    year: int
    quarter: int | None = None
    month: int | None = None

    @classmethod
    def parse(cls, raw: str) -> Period:
        """``2026``, ``2026-Q3`` or ``2026-11``; anything else is refused with a message."""
        value = raw.strip().upper()
        if m := re.fullmatch(r"(\d{4})", value):
            return cls(int(m[1]))
        if (m := re.fullmatch(r"(\d{4})-Q([1-4])", value)) is not None:
            return cls(int(m[1]), quarter=int(m[2]))
        if (m := re.fullmatch(r"(\d{4})-(\d{1,2})", value)) and 1 <= int(m[2]) <= 12:
            return cls(int(m[1]), month=int(m[2]))
        raise InputError(text("rpt.bad_period", value=raw), hint=text("rpt.bad_period_hint"))

    @property
    def kind(self) -> str:
        """ "year", "quarter" or "month" (the targets' period type)."""
        return "month" if self.month else "quarter" if self.quarter else "year"

    @property
    def start(self) -> dt.date:
        """The first day."""
        if self.month:
            return dt.date(self.year, self.month, 1)
        if self.quarter:
            return dt.date(self.year, 3 * self.quarter - 2, 1)
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        """The last day."""
        last_month = self.month or (3 * self.quarter if self.quarter else 12)
        return dt.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    @property
    def months(self) -> list[tuple[int, int]]:
        """The (year, month) pairs it spans."""
        return [(self.year, m) for m in range(self.start.month, self.end.month + 1)]

    def contains(self, day: dt.date | None) -> bool:
        """Whether ``day`` falls inside."""
        if day is None:
            return False
        if isinstance(day, dt.datetime):
            day = day.date()
        return self.start <= day <= self.end

    def label(self, lang: Lang) -> str:
        """``2026年第3季`` / ``2026 Q3`` …"""
        if self.month:
            return text("rpt.period_month", lang, year=self.year, month=self.month)
        if self.quarter:
            return text("rpt.period_quarter", lang, year=self.year, quarter=self.quarter)
        return text("rpt.period_year", lang, year=self.year)

    def __str__(self) -> str:
        if self.month:
            return f"{self.year}-{self.month:02d}"
        if self.quarter:
            return f"{self.year}-Q{self.quarter}"
        return str(self.year)


# ---------------------------------------------------------------------------------------------
# Blocks


@dataclass(frozen=True)
class Column:
    """A table column: its heading and how its values are formatted."""

    label: str
    kind: str = "text"  # money, int, num1, pct, date, datetime, text, long (a paragraph)

    @property
    def numeric(self) -> bool:
        """Numbers are right-aligned."""
        return self.kind in ("money", "int", "num1", "pct")


@dataclass(frozen=True)
class Table:
    """Rows of values under columns; ``total`` is an optional last row set apart."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[object, ...], ...]
    total: tuple[object, ...] | None = None
    caption: str = ""
    empty: str = ""  # what to say when there are no rows
    flags: tuple[str, ...] = ()  # per row: "" or "alert" (a row to look at first)
    block: str = "table"


@dataclass(frozen=True)
class Series:
    """One named series of values, in the order of the chart's categories."""

    label: str
    values: tuple[Decimal | float | int | None, ...]


@dataclass(frozen=True)
class Chart:
    """A chart: ``bars`` (horizontal, grouped), ``lines``, ``funnel`` or ``heatmap``.

    ``kind`` formats the values (money, int, pct). For a heat map ``rows`` label the rows and
    each series is one row's values (ratios, 1 = on budget) across the categories.
    """

    type: str
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    kind: str = "int"
    x_label: str = ""
    y_label: str = ""
    note: str = ""
    block: str = "chart"

    @property
    def empty(self) -> bool:
        """No value to draw."""
        return not any(v for s in self.series for v in s.values)


@dataclass(frozen=True)
class Notes:
    """A list of sentences (lessons, findings, recommendations), each with who or what said it."""

    items: tuple[tuple[str, str], ...]  # (label, text)
    empty: str = ""
    block: str = "notes"


Block = Table | Chart | Notes


@dataclass(frozen=True)
class Kpi:
    """A headline figure: label, value and its kind, and a short comparison underneath."""

    label: str
    value: object
    kind: str = "int"
    note: str = ""
    alert: bool = False


@dataclass(frozen=True)
class Section:
    """A titled part of a report."""

    title: str
    blocks: tuple[Block, ...]
    intro: str = ""


@dataclass(frozen=True)
class ReportView:
    """One report, ready to render."""

    name: str
    title: str
    policy: str  # the policy section it serves, e.g. "§6"
    period: Period
    as_of: dt.date
    lang: Lang
    kpis: tuple[Kpi, ...]
    sections: tuple[Section, ...]
    sources: tuple[str, ...] = ()  # which workbooks and Odoo figures it read
    odoo_note: str = ""  # how old the Odoo figures are, or that none were pulled
    files: tuple[str, ...] = field(default=())
