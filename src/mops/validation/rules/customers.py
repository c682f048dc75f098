"""§5 Customers: one record per customer, complete, and followed up as often as its tier needs."""

from __future__ import annotations

import polars as pl

from mops.parsing.keys import normal_key_expr
from mops.records import ROW, Severity
from mops.schemas.enums import TIER
from mops.validation.context import OWNER, SRC, Context, with_rows
from mops.validation.registry import rule
from mops.validation.rules.common import days_since, first_rows, id_key, labels, sheet

# Legal-form suffixes that do not tell two companies apart: 台灣大哥大股份有限公司 is 台灣大哥大.
COMPANY_SUFFIX = r"(?:股份有限公司|有限公司|\(股\)公司)$"
KEY = "_key"
LOG_SRC, LOG_ROW = "_log_src", "_log_row"  # where a customer's latest follow-up is in the log


def _name_key(expr: pl.Expr) -> pl.Expr:
    """A company name folded for comparison: its normal key, 臺 = 台, no legal form."""
    return (
        normal_key_expr(expr)
        .str.replace_all("臺", "台", literal=True)
        .str.replace(COMPANY_SUFFIX, "")
    )


def _plain_key(expr: pl.Expr) -> pl.Expr:
    """A tax ID or e-mail folded for comparison: its normal key (full-width digits, case …)."""
    return normal_key_expr(expr)


def _later_duplicates(frame: pl.DataFrame, key: pl.Expr) -> pl.DataFrame:
    """Rows whose key an earlier row already has, with that first row's number, ID and value."""
    keyed = frame.with_columns(key.alias(KEY)).filter(
        pl.col(KEY).is_not_null() & (pl.col(KEY) != "")
    )
    dup = keyed.filter(pl.col(KEY).is_duplicated())
    if dup.is_empty():
        return dup
    first = first_rows(dup, [KEY]).select(
        KEY,
        pl.col(SRC).alias("_first_src"),
        pl.col(ROW).alias("first_row"),
        pl.col("customer_id").alias("first_id"),
    )
    return dup.join(first, on=KEY).filter(
        (pl.col(SRC) != pl.col("_first_src")) | (pl.col(ROW) != pl.col("first_row"))
    )


@rule(
    "P5.2-complete",
    severity=Severity.ERROR,
    policy="§5.2",
    needs=("customers",),
)
def complete(ctx: Context) -> None:
    """The same customer is not entered twice: by folded name, by tax ID, or by e-mail.

    Blank required cells (contact, phone, e-mail, size, industry, needs, budget) are reported by
    the cell pass under this rule's id, and phone and e-mail formats by its format checks.
    """
    frame = sheet(ctx, "customers", "customer_id")
    if frame is None:
        return
    for column, key, code in (
        ("name", _name_key, "duplicate_name"),
        ("tax_id", _plain_key, "duplicate_tax_id"),
        ("email", _plain_key, "duplicate_email"),
    ):
        if not ctx.has("customers", column):
            continue
        later = _later_duplicates(frame, key(pl.col(column)))
        ctx.flag(
            "customers",
            with_rows(later, [column, "customer_id", "first_row", "first_id"]),
            column,
            code,
        )


@rule(
    "P5.3-cadence",
    severity=Severity.WARNING,
    policy="§5.3",
    needs=("customers", "followup_log"),
)
def cadence(ctx: Context) -> None:
    """A customer who is not lost is contacted at least every ``cadence_days[tier]`` days.

    The finding sits where the lateness shows, not on the tier (which is not wrong): on the
    date of the customer's latest follow-up in the follow-up log, or on the customer's ID when
    the log has none; it says when the next contact was due. It answers to the customer's
    account manager, whoever made that last contact.
    """
    customers = sheet(ctx, "customers", "customer_id", "tier", "status", "first_contact_date")
    log = sheet(ctx, "followup_log", "customer_id", "date")
    if customers is None or log is None:
        return
    days_for_tier = ctx.config.customers.cadence_days
    order = ["date", SRC, ROW]  # the latest date; of several rows that day, the last one
    last = (
        log.filter(pl.col("date").is_not_null())
        .group_by(id_key(pl.col("customer_id")).alias(KEY))
        .agg(
            pl.col("date").max().alias("last_contact"),
            pl.col(SRC).sort_by(order).last().alias(LOG_SRC),
            pl.col(ROW).sort_by(order).last().alias(LOG_ROW),
        )
    )
    since = pl.coalesce(pl.col("last_contact"), pl.col("first_contact_date"))
    owner = (
        [pl.col("account_manager").alias(OWNER)] if ctx.has("customers", "account_manager") else []
    )
    judged = (
        customers.filter(
            pl.col("tier").is_not_null() & (pl.col("status") != "lost").fill_null(True)
        )
        .with_columns(id_key(pl.col("customer_id")).alias(KEY), *owner)
        .join(last, on=KEY, how="left")
        .with_columns(
            pl.col("tier")
            .replace_strict(days_for_tier, default=None, return_dtype=pl.Int64)
            .alias("cadence"),
            *labels(pl.col("tier"), TIER, "tier"),
        )
        .with_columns(
            (days_since(since, ctx.as_of) - pl.col("cadence")).alias("days"),
            (since + pl.duration(days=pl.col("cadence"))).alias("due"),
        )
    )
    keep = [
        "customer_id",
        "tier_zh",
        "tier_en",
        "cadence",
        "last_contact",
        "first_contact_date",
        "days",
        "due",
        *([OWNER] if owner else []),
    ]
    overdue = judged.filter(pl.col("days") > 0)
    # On the latest follow-up's date in the log: the row and cell that show how long it has been.
    logged = overdue.filter(pl.col("last_contact").is_not_null()).with_columns(
        pl.col(LOG_SRC).alias(SRC), pl.col(LOG_ROW).alias(ROW), pl.col("last_contact").alias("date")
    )
    ctx.flag("followup_log", with_rows(logged, ["date", *keep]), "date", "overdue")
    # No follow-up at all: on the customer's ID.
    for code, rows in (
        ("overdue_since_first", overdue.filter(pl.col("last_contact").is_null())),
        ("never", judged.filter(since.is_null())),
    ):
        ctx.flag("customers", with_rows(rows, keep), "customer_id", code)
