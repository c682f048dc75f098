"""Rules every sheet obeys: dates in order, references that exist, totals that agree."""

from __future__ import annotations

import polars as pl

from mops.records import Severity
from mops.schemas.model import ColType
from mops.schemas.registry import all_sheets, sheet
from mops.validation.context import Context, with_rows
from mops.validation.registry import rule
from mops.validation.rules.common import id_key, keyed_in

KEY = "_key"


def _as_datetime(expr: pl.Expr) -> pl.Expr:
    # A date and a date-time compare as instants: a date means its midnight.
    return expr.cast(pl.Datetime("us"))


@rule(
    "date-order",
    severity=Severity.ERROR,
    policy="",
)
def date_order(ctx: Context) -> None:
    """A later date of a row may not come before the earlier one (end after start …)."""
    for declared in all_sheets():
        frame = ctx.frame(declared.key)
        if frame is None:
            continue
        for earlier, later in declared.date_order:
            if earlier not in frame.columns or later not in frame.columns:
                continue
            bad = frame.filter(_as_datetime(pl.col(later)) < _as_datetime(pl.col(earlier)))
            first, second = declared.column(earlier), declared.column(later)
            ctx.flag(
                declared.key,
                with_rows(bad, [earlier, later]).with_columns(
                    pl.col(earlier).alias("earlier"), pl.col(later).alias("later")
                ),
                later,
                "before",
                earlier_zh=first.zh,
                earlier_en=first.en,
                later_zh=second.zh,
                later_en=second.en,
            )


@rule(
    "ref-exists",
    severity=Severity.ERROR,
    policy="",
)
def references(ctx: Context) -> None:
    """Every reference names an existing record of the target sheet (when that sheet is given)."""
    for declared in all_sheets():
        frame = ctx.frame(declared.key)
        if frame is None:
            continue
        for column in declared.columns:
            if column.type is not ColType.REF or column.key not in frame.columns:
                continue
            target_key, _, target_col = (column.ref or "").partition(".")
            target = ctx.frame(target_key)
            if target is None or target_col not in target.columns:
                continue  # the target workbook was not part of this run
            keys = target.select(id_key(pl.col(target_col))).to_series().drop_nulls().unique()
            bad = frame.filter(
                pl.col(column.key).is_not_null() & ~keyed_in(frame, column.key, keys)
            )
            target_def = sheet(target_key)
            ctx.flag(
                declared.key,
                with_rows(bad, [column.key]),
                column.key,
                "missing",
                target_zh=target_def.zh,
                target_en=target_def.en,
            )


def _sum_mismatch(
    ctx: Context,
    parent_key: str,
    parent_amount: str,
    child_key: str,
    link: str,
    child_amount: str,
    code: str,
) -> None:
    parent = ctx.frame(parent_key)
    child = ctx.frame(child_key)
    if parent is None or child is None:
        return
    needed = {parent_amount, link}
    if not needed <= set(parent.columns) or not {link, child_amount} <= set(child.columns):
        return
    pk = sheet(parent_key).primary_key
    totals = (
        child.filter(pl.col(link).is_not_null())
        .group_by(id_key(pl.col(link)).alias(KEY))
        .agg(pl.col(child_amount).sum().alias("total"), pl.len().alias("lines"))
    )
    joined = (
        parent.with_columns(id_key(pl.col(pk)).alias(KEY))
        .join(totals, on=KEY, how="inner")
        .filter(pl.col(parent_amount).is_not_null() & (pl.col("total") != pl.col(parent_amount)))
    )
    ctx.flag(parent_key, joined, parent_amount, code)


@rule(
    "totals-agree",
    severity=Severity.ERROR,
    policy="",
)
def totals_agree(ctx: Context) -> None:
    """A campaign's budget lines add up to its budget; a contract's instalments to its amount."""
    _sum_mismatch(
        ctx, "campaigns", "budget", "campaign_budget", "campaign_id", "amount", "campaign_budget"
    )
    _sum_mismatch(
        ctx, "contracts", "amount", "payment_schedule", "contract_id", "amount", "instalments"
    )
