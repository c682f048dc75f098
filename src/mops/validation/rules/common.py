"""Small pieces the policy rules share: enum labels for messages, keys, day counts, sheet access."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

import polars as pl

from mops.schemas.model import EnumDef
from mops.validation.context import Context


def sheet(ctx: Context, key: str, *columns: str) -> pl.DataFrame | None:
    """The typed rows of a sheet when every file has these columns, else None.

    A column missing from a file is already reported by the cell pass; judging the rows without
    it would only repeat that finding on every row.
    """
    return ctx.frame(key) if ctx.has(key, *columns) else None


def labels(expr: pl.Expr, enum_def: EnumDef, name: str) -> list[pl.Expr]:
    """``{name}_zh`` and ``{name}_en``: the labels of an enum key, for messages in each language."""
    return [
        expr.replace_strict({o.key: o.zh for o in enum_def.options}, default="").alias(
            f"{name}_zh"
        ),
        expr.replace_strict({o.key: o.en for o in enum_def.options}, default="").alias(
            f"{name}_en"
        ),
    ]


def id_key(expr: pl.Expr) -> pl.Expr:
    """An ID as a person means it: "CU0001" and " cu0001" are the same record (as in ref-exists)."""
    return expr.str.strip_chars().str.to_lowercase()


def days_since(expr: pl.Expr, day: dt.date) -> pl.Expr:
    """Whole days from the date ``expr`` to ``day`` (negative when ``expr`` is later)."""
    return (pl.lit(day, dtype=pl.Date) - expr).dt.total_days()


def days_between(earlier: pl.Expr, later: pl.Expr) -> pl.Expr:
    """Whole days from one date column to another."""
    return (later - earlier).dt.total_days()


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (the month's last day when it is shorter)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def percent(expr: pl.Expr) -> pl.Expr:
    """A fraction as a percentage for messages, one decimal, no trailing ".0": 0.935 → "93.5"."""
    return (expr.cast(pl.Float64) * 100).round(1).cast(pl.String).str.strip_suffix(".0")


def percent_text(fraction: Decimal | int) -> str:
    """A configured fraction as a percentage for messages: Decimal("0.905") → "90.5"."""
    return format((Decimal(fraction) * 100).normalize(), "f")


def first_rows(frame: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """The first row (in reading order) of each group of ``by``."""
    return frame.unique(subset=by, keep="first", maintain_order=True)
