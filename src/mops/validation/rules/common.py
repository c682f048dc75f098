"""Small pieces the policy rules share: enum labels for messages, keys, day counts, sheet access."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

import polars as pl

from mops.parsing.keys import normal_key_expr
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
    """An id, reference or name as a person means it, for every comparison the rules make.

    "CU0001", "cu 0001" and "ＣＵ０００１" are the same record, "王小明" and "王小明\u200b" the same
    person: ``mops.parsing.keys.normal_key``. The typed key columns rules see are read in normal
    form by the cell pass already, so only case and spaces are left to fold.
    """
    return normal_key_expr(expr, normalised=True)


def distinct_keys(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """Each distinct value of ``column`` (``value``) with its normal key (``key``, ``id_key``).

    100,000 references name a few hundred records: keys are computed once per value, and rows
    are then picked by their value as typed (see ``keyed_in``).
    """
    values = frame.get_column(column).drop_nulls().unique().alias("value")
    return values.to_frame().with_columns(id_key(pl.col("value")).alias("key"))


def keyed_in(frame: pl.DataFrame, column: str, keys: pl.Series) -> pl.Expr:
    """A row filter: the value in ``column`` has its normal key among ``keys``."""
    table = distinct_keys(frame, column)
    return pl.col(column).is_in(
        table.filter(pl.col("key").is_in(keys.implode())).get_column("value").implode()
    )


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
