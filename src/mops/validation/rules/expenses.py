"""§8 Expenses: claims approved by someone else, audited before paid, filed on time, in budget."""

from __future__ import annotations

import polars as pl

from mops.records import Severity
from mops.schemas.enums import APPROVAL, AUDIT, EXPENSE_CATEGORY
from mops.validation.context import Context, with_rows
from mops.validation.registry import rule
from mops.validation.rules.common import (
    days_between,
    id_key,
    labels,
    percent,
    percent_text,
    sheet,
)

PERIOD = ["category", "year", "month"]


@rule(
    "P8.2-approver",
    severity=Severity.ERROR,
    policy="§8.2",
    needs=("claims",),
)
def approver(ctx: Context) -> None:
    """A claim is approved by someone other than the claimant, and an approval names who."""
    frame = sheet(ctx, "claims", "claim_id", "claimant", "approver", "approval")
    if frame is None:
        return
    own = frame.filter(id_key(pl.col("approver")) == id_key(pl.col("claimant")))
    ctx.flag("claims", with_rows(own, ["approver", "claim_id"]), "approver", "self_approved")
    unnamed = frame.filter((pl.col("approval") == "approved") & pl.col("approver").is_null())
    ctx.flag("claims", with_rows(unnamed, ["approver", "claim_id"]), "approver", "no_approver")


@rule(
    "P8.2-audit",
    severity=Severity.ERROR,
    policy="§8.2",
    needs=("claims",),
)
def audit(ctx: Context) -> None:
    """Reimbursed only when approved and audited; audited only when approved; filed promptly."""
    frame = sheet(ctx, "claims", "claim_id", "approval", "audit", "reimbursed")
    if frame is None:
        return
    rows = frame.with_columns(
        *labels(pl.col("approval"), APPROVAL, "approval"),
        *labels(pl.col("audit"), AUDIT, "audit"),
    )
    keep = ["claim_id", "approval_zh", "approval_en", "audit_zh", "audit_en"]
    approved = (pl.col("approval") == "approved").fill_null(False)
    passed = (pl.col("audit") == "passed").fill_null(False)
    paid = pl.col("reimbursed").fill_null(False)
    # One finding per paid claim: the missing approval is the root of a missing audit.
    for when, column, code in (
        (paid & ~approved, "reimbursed", "reimbursed_unapproved"),
        (paid & approved & ~passed, "reimbursed", "reimbursed_unaudited"),
        (passed & ~approved & ~paid, "audit", "audited_unapproved"),
    ):
        ctx.flag("claims", with_rows(rows.filter(when), [column, *keep]), column, code)
    if ctx.has("claims", "expense_date", "claim_date"):
        limit = ctx.config.expenses.claim_within_days
        late = rows.with_columns(
            days_between(pl.col("expense_date"), pl.col("claim_date")).alias("days")
        ).filter(pl.col("days") > limit)
        ctx.flag(
            "claims",
            with_rows(late, ["claim_date", "claim_id", "expense_date", "days"]),
            "claim_date",
            "late",
            severity=Severity.WARNING,
            limit=limit,
        )


@rule(
    "P8.3-overspend",
    severity=Severity.WARNING,
    policy="§8.3",
    needs=("expense_budget", "claims"),
)
def overspend(ctx: Context) -> None:
    """Spend per category and month of the expense date, against that month's budget.

    Spend counts every claim that is not rejected: a pending claim is money already spent.
    Where ``mops reconcile`` has filled a month's actuals from the books (``odoo_actual``), the
    books are the spend of that category and month instead of the claims.
    """
    budget = sheet(ctx, "expense_budget", *PERIOD, "amount")
    claims = sheet(ctx, "claims", "category", "expense_date", "amount", "approval")
    if budget is None or claims is None:
        return
    settings = ctx.config.expenses
    warn, limit = settings.overspend_warn, settings.overspend_error
    spend = (
        claims.filter(
            (pl.col("approval") != "rejected").fill_null(True)
            & pl.col("category").is_not_null()
            & pl.col("expense_date").is_not_null()
        )
        .group_by(
            "category",
            pl.col("expense_date").dt.year().cast(pl.Int64).alias("year"),
            pl.col("expense_date").dt.month().cast(pl.Int64).alias("month"),
        )
        .agg(pl.col("amount").sum().alias("spend"), pl.len().alias("claims"))
    )
    if ctx.has("expense_budget", "odoo_actual"):
        books = (
            ctx.frame("expense_budget")
            .filter(pl.col("odoo_actual").is_not_null())
            .group_by(PERIOD)
            .agg(pl.col("odoo_actual").sum().alias("books"))
        )
        if books.height:
            spend = (
                spend.join(books, on=PERIOD, how="full", coalesce=True)
                .with_columns(
                    pl.coalesce("books", "spend").alias("spend"),
                    pl.col("claims").fill_null(0),
                )
                .drop("books")
            )
    totals = budget.group_by(PERIOD).agg(pl.col("amount").sum().alias("budget"))
    compared = budget.join(totals, on=PERIOD).join(spend, on=PERIOD).with_columns(*_period())
    spent, planned = pl.col("spend"), pl.col("budget")
    keep = ["amount", *PERIOD, "period", "category_zh", "category_en", "spend", "budget", "ratio"]
    shown = compared.with_columns(
        pl.when(planned > 0).then(percent(spent / planned)).alias("ratio")
    )
    ctx.flag(
        "expense_budget",
        with_rows(shown.filter((planned > 0) & (spent > planned * limit)), keep),
        "amount",
        "over",
        severity=Severity.ERROR,
        limit=percent_text(limit),
    )
    near = (planned > 0) & (spent >= planned * warn) & (spent <= planned * limit)
    ctx.flag(
        "expense_budget",
        with_rows(shown.filter(near), keep),
        "amount",
        "near",
        warn=percent_text(warn),
    )
    zero = (planned <= 0) & (spent > 0)
    ctx.flag(
        "expense_budget",
        with_rows(shown.filter(zero), keep),
        "amount",
        "zero_budget",
        severity=Severity.ERROR,
    )
    unplanned = spend.join(totals, on=PERIOD, how="anti").filter(pl.col("spend") > 0)
    unplanned = unplanned.sort(PERIOD).with_columns(*_period())
    for row in unplanned.iter_rows(named=True):
        ctx.flag_sheet("expense_budget", "no_budget", severity=Severity.ERROR, **row)


def _period() -> list[pl.Expr]:
    """The category's labels and the month as "2026-03", for messages."""
    month = pl.col("month").cast(pl.String).str.zfill(2)
    return [
        *labels(pl.col("category"), EXPENSE_CATEGORY, "category"),
        pl.format("{}-{}", pl.col("year"), month).alias("period"),
    ]
