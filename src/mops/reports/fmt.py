"""Numbers, money, percentages and dates as a reader of each language expects them (Babel).

Money is New Taiwan dollars rounded as the company currency is (TWD: no decimals) and shown as
``NT$1,234,567`` in both languages, since "$" alone is ambiguous to an English reader; dates are
``2026年11月26日`` / ``26 Nov 2026``, or ``民國115年11月26日`` when the firm asks for Minguo dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from mops.schemas.model import Lang

MINGUO_OFFSET = 1911
DASH = "—"


@dataclass(frozen=True)
class Formatter:
    """Formats values for one language; ``minguo`` writes dates in the Republic of China era."""

    lang: Lang = Lang.ZH_TW
    minguo: bool = False
    currency_decimals: int = 0

    @property
    def locale(self) -> str:
        """The Babel locale of the language."""
        return "en_GB" if self.lang is Lang.EN else "zh_Hant_TW"

    def money(self, value: Decimal | int | float | None) -> str:
        """``NT$1,234,567`` (negative: ``-NT$1,234``), rounded to the currency's decimals."""
        if value is None:
            return DASH
        amount = Decimal(value).quantize(Decimal(1).scaleb(-self.currency_decimals), ROUND_HALF_UP)
        pattern = "#,##0" + ("." + "0" * self.currency_decimals if self.currency_decimals else "")
        digits = format_decimal(abs(amount), format=pattern, locale=self.locale)
        return ("-" if amount < 0 else "") + "NT$" + digits

    def number(self, value: Decimal | int | float | None, decimals: int = 0) -> str:
        """A number with thousands separators and a fixed number of decimals."""
        if value is None:
            return DASH
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
        return format_decimal(rounded, format=pattern, locale=self.locale)

    def percent(self, value: Decimal | float | None, decimals: int = 1) -> str:
        """A ratio as a percentage: 0.875 → ``87.5%``."""
        if value is None:
            return DASH
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
        return format_percent(Decimal(str(value)), format=pattern, locale=self.locale)

    def date(self, value: dt.date | dt.datetime | None) -> str:
        """A date in the reader's form (Minguo when configured)."""
        if value is None:
            return DASH
        if isinstance(value, dt.datetime):
            value = value.date()
        if self.minguo:
            year = value.year - MINGUO_OFFSET
            if self.lang is Lang.EN:
                return f"ROC {year}-{value.month:02d}-{value.day:02d}"
            return f"民國{year}年{value.month}月{value.day}日"
        return format_date(value, "medium", locale=self.locale)

    def datetime(self, value: dt.datetime | None) -> str:
        """A date and time of day (minutes)."""
        if value is None:
            return DASH
        return f"{self.date(value)} {value:%H:%M}"

    def value(self, value: object, kind: str) -> str:
        """Format ``value`` as a column of ``kind`` shows it (money, int, num1, pct, date, text)."""
        if value is None or value == "":
            return DASH if kind != "text" else ""
        if kind == "money":
            return self.money(value)  # type: ignore[arg-type]
        if kind == "int":
            return self.number(value)  # type: ignore[arg-type]
        if kind == "num1":
            return self.number(value, 1)  # type: ignore[arg-type]
        if kind == "pct":
            return self.percent(value)  # type: ignore[arg-type]
        if kind == "date":
            return self.date(value)  # type: ignore[arg-type]
        if kind == "datetime":
            return self.datetime(value)  # type: ignore[arg-type]
        return str(value)
