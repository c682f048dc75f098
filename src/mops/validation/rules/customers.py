"""§5 Customers: one record per customer, complete, and followed up as often as its tier needs."""

from __future__ import annotations

import polars as pl

from mops.records import ROW, Severity
from mops.schemas.enums import TIER
from mops.validation.context import SRC, Context, with_rows
from mops.validation.registry import rule
from mops.validation.rules.common import days_since, first_rows, id_key, labels, sheet

# Legal-form suffixes that do not tell two companies apart: 台灣大哥大股份有限公司 is 台灣大哥大.
COMPANY_SUFFIX = r"(?:股份有限公司|有限公司|\(股\)公司)$"
KEY = "_key"


def _name_key(expr: pl.Expr) -> pl.Expr:
    """A company name folded for comparison: NFKC, casefold, no spaces, 臺 = 台, no legal form."""
    return (
        expr.str.normalize("NFKC")
        .str.to_lowercase()
        .str.replace_all(r"\s+", "")
        .str.replace_all("臺", "台", literal=True)
        .str.replace(COMPANY_SUFFIX, "")
    )


def _plain_key(expr: pl.Expr) -> pl.Expr:
    """A tax ID or e-mail folded for comparison: NFKC (full-width digits), casefold, no spaces."""
    return expr.str.normalize("NFKC").str.to_lowercase().str.replace_all(r"\s+", "")


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
    """A customer who is not lost is contacted at least every ``cadence_days[tier]`` days."""
    customers = sheet(ctx, "customers", "customer_id", "tier", "status", "first_contact_date")
    log = sheet(ctx, "followup_log", "customer_id", "date")
    if customers is None or log is None:
        return
    days_for_tier = ctx.config.customers.cadence_days
    last = log.group_by(id_key(pl.col("customer_id")).alias(KEY)).agg(
        pl.col("date").max().alias("last_contact")
    )
    since = pl.coalesce(pl.col("last_contact"), pl.col("first_contact_date"))
    judged = (
        customers.filter(
            pl.col("tier").is_not_null() & (pl.col("status") != "lost").fill_null(True)
        )
        .with_columns(id_key(pl.col("customer_id")).alias(KEY))
        .join(last, on=KEY, how="left")
        .with_columns(
            pl.col("tier")
            .replace_strict(days_for_tier, default=None, return_dtype=pl.Int64)
            .alias("cadence"),
            *labels(pl.col("tier"), TIER, "tier"),
        )
        .with_columns((days_since(since, ctx.as_of) - pl.col("cadence")).alias("days"))
    )
    keep = [
        "customer_id",
        "tier_zh",
        "tier_en",
        "cadence",
        "last_contact",
        "first_contact_date",
        "days",
    ]
    overdue = judged.filter(pl.col("days") > 0)
    for code, rows in (
        ("overdue", overdue.filter(pl.col("last_contact").is_not_null())),
        ("overdue_since_first", overdue.filter(pl.col("last_contact").is_null())),
        ("never", judged.filter(since.is_null())),
    ):
        ctx.flag("customers", with_rows(rows, ["tier", *keep]), "tier", code)
