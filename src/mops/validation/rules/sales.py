"""§6 Sales: targets that add up, contracts reviewed by legal before signing, receivables paid."""

from __future__ import annotations

import datetime as dt

import polars as pl

from mops.records import Severity
from mops.schemas.enums import CONTRACT_STATUS, PERIOD_TYPE, REVIEW_RESULT
from mops.validation.context import Context, with_rows
from mops.validation.registry import rule
from mops.validation.rules.common import days_since, first_rows, id_key, labels, sheet

MEASURES = ("revenue", "profit", "new_customers")  # satisfaction is a score, it does not add up
PERSON_YEAR = ["_person", "year"]  # the salesperson's normal key, and the year
SIGNED = ("signed", "executing", "completed", "changed", "terminated")
KEY = "_key"


@rule(
    "P6.1-targets-add-up",
    severity=Severity.ERROR,
    policy="§6.1",
    needs=("targets",),
)
def targets_add_up(ctx: Context) -> None:
    """Per salesperson and year, months add up to their quarter and quarters to the year."""
    frame = sheet(
        ctx, "targets", "target_id", "salesperson", "year", "period_type", "quarter", "month"
    )
    if frame is None:
        return
    frame = frame.with_columns(id_key(pl.col("salesperson")).alias("_person"))
    _period_columns(ctx, frame)
    kind = pl.col("period_type")
    months = frame.filter((kind == "month") & pl.col("month").is_between(1, 12)).with_columns(
        ((pl.col("month") - 1) // 3 + 1).alias("quarter")
    )
    quarters = frame.filter((kind == "quarter") & pl.col("quarter").is_between(1, 4))
    years = frame.filter(kind == "year")
    measures = [m for m in MEASURES if m in frame.columns]
    by_quarter = _sums(months, [*PERSON_YEAR, "quarter"], measures)
    _compare(ctx, quarters, by_quarter, [*PERSON_YEAR, "quarter"], measures, "quarter_sum")
    _compare(ctx, years, _sums(quarters, PERSON_YEAR, measures), PERSON_YEAR, measures, "year_sum")
    # A year broken down straight into months, with no quarters, is checked against the months.
    no_quarters = years.join(quarters.select(PERSON_YEAR).unique(), on=PERSON_YEAR, how="anti")
    by_year = _sums(months, PERSON_YEAR, measures)
    _compare(ctx, no_quarters, by_year, PERSON_YEAR, measures, "year_month_sum")


def _sums(parts: pl.DataFrame, by: list[str], measures: list[str]) -> pl.DataFrame:
    """Each measure summed per group, with the number of parts and of blank values."""
    return parts.group_by(by).agg(
        pl.len().alias("parts"),
        *(pl.col(m).sum().alias(f"_sum_{m}") for m in measures),
        *(pl.col(m).null_count().alias(f"_blank_{m}") for m in measures),
    )


def _compare(
    ctx: Context,
    parents: pl.DataFrame,
    sums: pl.DataFrame,
    by: list[str],
    measures: list[str],
    code: str,
) -> None:
    joined = parents.join(sums, on=by, how="inner")
    for m in measures:
        # A blank part is reported as blank by the cell pass; a sum without it would mislead.
        bad = joined.filter(
            pl.col(m).is_not_null()
            & (pl.col(f"_blank_{m}") == 0)
            & (pl.col(m) != pl.col(f"_sum_{m}"))
        ).with_columns(
            pl.col(f"_sum_{m}").alias("expected"), (pl.col(m) - pl.col(f"_sum_{m}")).alias("diff")
        )
        keep = [m, "salesperson", *by, "expected", "diff", "parts"]
        ctx.flag("targets", with_rows(bad, keep), m, code)


def _period_columns(ctx: Context, frame: pl.DataFrame) -> None:
    """Quarter and month filled exactly as the period type needs."""
    kind = pl.col("period_type")
    rows = frame.with_columns(*labels(kind, PERIOD_TYPE, "period"))
    keep = ["target_id", "period_zh", "period_en", "month"]
    for when, column, code in (
        ((kind == "year") & pl.col("quarter").is_not_null(), "quarter", "period_extra"),
        ((kind == "year") & pl.col("month").is_not_null(), "month", "period_extra"),
        ((kind == "quarter") & pl.col("month").is_not_null(), "month", "period_extra"),
        ((kind == "quarter") & pl.col("quarter").is_null(), "quarter", "period_missing"),
        ((kind == "month") & pl.col("month").is_null(), "month", "period_missing"),
    ):
        ctx.flag("targets", with_rows(rows.filter(when), [column, *keep]), column, code)
    expected = (pl.col("month") - 1) // 3 + 1
    wrong = rows.filter(
        (kind == "month") & pl.col("month").is_between(1, 12) & (pl.col("quarter") != expected)
    ).with_columns(expected.alias("expected"))
    ctx.flag(
        "targets", with_rows(wrong, ["quarter", "expected", *keep]), "quarter", "wrong_quarter"
    )


@rule(
    "P6.3-legal-review",
    severity=Severity.ERROR,
    policy="§6.3",
    needs=("contracts",),
)
def legal_review(ctx: Context) -> None:
    """A signed contract was approved by legal before signing; amendments and ends are recorded."""
    review = ("legal_reviewer", "legal_review_date", "legal_review_result")
    frame = sheet(ctx, "contracts", "contract_id", "status", "signed_date", *review)
    if frame is None:
        return
    frame = frame.with_columns(
        *labels(pl.col("status"), CONTRACT_STATUS, "status"),
        *labels(pl.col("legal_review_result"), REVIEW_RESULT, "result"),
    )
    keep = ["contract_id", "status_zh", "status_en", "signed_date", "legal_review_date"]
    signed = frame.filter(pl.col("signed_date").is_not_null() | pl.col("status").is_in(SIGNED))
    none = pl.all_horizontal(pl.col(c).is_null() for c in review)
    ctx.flag("contracts", with_rows(signed.filter(none), keep), "legal_review_date", "no_review")
    partial = signed.filter(~none)
    for column, code in zip(review, ("no_reviewer", "no_review_date", "no_result"), strict=True):
        rows = partial.filter(pl.col(column).is_null())
        ctx.flag("contracts", with_rows(rows, [column, *keep]), column, code)
    refused = partial.filter(pl.col("legal_review_result") != "approved")
    ctx.flag(
        "contracts",
        with_rows(refused, ["legal_review_result", "result_zh", "result_en", *keep]),
        "legal_review_result",
        "not_approved",
    )
    late = signed.filter(pl.col("legal_review_date") > pl.col("signed_date"))
    ctx.flag("contracts", with_rows(late, keep), "legal_review_date", "review_after_signing")
    unsigned = signed.filter(pl.col("status").is_in(SIGNED) & pl.col("signed_date").is_null())
    ctx.flag("contracts", with_rows(unsigned, keep), "signed_date", "no_signed_date")
    for status, date_col, reason_col in (
        ("changed", "change_date", "change_reason"),
        ("terminated", "termination_date", "termination_reason"),
    ):
        if not ctx.has("contracts", date_col, reason_col):
            continue
        event = frame.filter(
            (pl.col("status") == status)
            | pl.col(date_col).is_not_null()
            | pl.col(reason_col).is_not_null()
        )
        for column in (date_col, reason_col):
            code = "no_" + column
            rows = event.filter(pl.col(column).is_null())
            ctx.flag("contracts", with_rows(rows, [column, *keep]), column, code)


@rule(
    "P6.3-receivable-overdue",
    severity=Severity.WARNING,
    policy="§6.3",
    needs=("payment_schedule",),
)
def receivable_overdue(ctx: Context) -> None:
    """An instalment unpaid more than ``receivable_grace_days`` after its due date."""
    frame = sheet(
        ctx, "payment_schedule", "contract_id", "seq", "amount", "due_date", "paid_date", "status"
    )
    if frame is None:
        return
    grace = ctx.config.sales.receivable_grace_days
    unpaid = frame.filter(
        pl.col("paid_date").is_null()
        & (pl.col("status") != "paid").fill_null(True)
        & (pl.col("due_date") < ctx.as_of - dt.timedelta(days=grace))
    )
    contracts = sheet(ctx, "contracts", "contract_id", "status", "termination_date")
    if contracts is not None:
        # Instalments falling due after a contract ended early are no longer owed.
        ended = first_rows(
            contracts.filter(pl.col("status") == "terminated").select(
                id_key(pl.col("contract_id")).alias(KEY), pl.col("termination_date").alias("_end")
            ),
            [KEY],
        )
        unpaid = (
            unpaid.with_columns(id_key(pl.col("contract_id")).alias(KEY))
            .join(ended, on=KEY, how="left")
            .filter(~(pl.col("due_date") > pl.col("_end")).fill_null(False))
        )
    rows = unpaid.with_columns(days_since(pl.col("due_date"), ctx.as_of).alias("days"))
    ctx.flag(
        "payment_schedule",
        with_rows(rows, ["due_date", "contract_id", "seq", "amount", "days"]),
        "due_date",
        "overdue",
    )
