"""What every report builder shares: its inputs, labels of closed lists, ratios, the Odoo note."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

import polars as pl

from mops.config import Config
from mops.i18n import text
from mops.reports.figures import OdooFigures
from mops.reports.model import Column, Period
from mops.schemas.model import EnumDef, Lang


class Frames(Protocol):
    """Typed sheets by key (the validation engine's ``Dataset``)."""

    def frame(self, key: str) -> pl.DataFrame | None: ...


@dataclass(frozen=True)
class Inputs:
    """What a report builder reads: the validated rows, the period, today, the settings."""

    data: Frames
    period: Period
    as_of: dt.date
    lang: Lang
    config: Config
    odoo: OdooFigures | None = None
    validation: Any = None  # the validate Report, for the run summary
    extras: tuple[Any, ...] = ()  # later: sync and reconcile outcomes for the run summary

    def t(self, key: str, **params: object) -> str:
        """A catalogue message in the report's language."""
        return text(key, self.lang, **params)

    def rows(self, key: str) -> list[dict[str, Any]]:
        """The typed rows of a sheet as dicts (none when the sheet was not given)."""
        frame = self.data.frame(key)
        return frame.to_dicts() if frame is not None else []

    def col(self, key: str, kind: str = "text") -> Column:
        """A column headed by a catalogue message ``report.col.<key>``."""
        return Column(self.t(f"rpt.col.{key}"), kind)

    def col_text(self, label: str, kind: str = "text") -> Column:
        """A column headed by a word already in the report's language (a tier, a status)."""
        return Column(label, kind)

    def label(self, enum: EnumDef, key: str | None) -> str:
        """The label of a closed-list value in the report's language ('' for none)."""
        if key is None:
            return ""
        for option in enum.options:
            if option.key == key:
                return option.label(self.lang)
        return str(key)


def ratio(part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    """part ÷ whole, or None when there is no whole to divide by."""
    if part is None or not whole:
        return None
    return Decimal(part) / Decimal(whole)


def total(values: Iterable[Decimal | int | None]) -> Decimal:
    """The sum of the values present."""
    return sum((Decimal(v) for v in values if v is not None), Decimal(0))


def mean(values: Iterable[Decimal | int | float | None]) -> Decimal | None:
    """The mean of the values present, or None."""
    present = [Decimal(str(v)) for v in values if v is not None]
    return sum(present, Decimal(0)) / len(present) if present else None


def day(value: dt.date | dt.datetime | None) -> dt.date | None:
    """A date-time's date."""
    return value.date() if isinstance(value, dt.datetime) else value


def odoo_note(inp: Inputs) -> str:
    """How old the Odoo figures are, or that none were pulled (the report then shows workbooks)."""
    odoo = inp.odoo
    if odoo is None:
        return inp.t("rpt.odoo_none")
    age = (inp.as_of - odoo.pulled_at.date()).days
    return inp.t(
        "rpt.odoo_pulled",
        url=odoo.url,
        database=odoo.database,
        version=odoo.version,
        pulled=odoo.pulled_at.strftime("%Y-%m-%d %H:%M"),
        days=max(age, 0),
    )
