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
PERSON_YEAR = ["salesperson", "year"]
SIGNED = ("signed", "executing", "completed", "changed", "terminated")
KEY = "_key"


def _sum_message(period_zh: str, period_en: str, parts_zh: str, parts_en: str):
    return (
        f"{{salesperson}} {period_zh}的「{{label}}」為 {{value}}，但{parts_zh}合計為 {{expected}}"
        f"（相差 {{diff}}）：目標須逐層加總相符，請修正{parts_zh}或此目標（政策 6.1）。",
        f"{{salesperson}}'s {period_en} '{{label}}' is {{value}}, but its {parts_en} add up to "
        f"{{expected}} (a difference of {{diff}}): targets must add up; correct the {parts_en} "
        f"or this target (policy 6.1).",
    )


@rule(
    "P6.1-targets-add-up",
    severity=Severity.ERROR,
    policy="§6.1",
    title=("銷售目標加總不符", "Sales targets do not add up"),
    messages={
        "quarter_sum": _sum_message(
            "{year} 年第 {quarter} 季",
            "Q{quarter} {year}",
            " {parts} 個月的月度目標",
            "{parts} monthly targets",
        ),
        "year_sum": _sum_message(
            "{year} 年度", "{year}", " {parts} 個季度目標", "{parts} quarterly targets"
        ),
        "year_month_sum": _sum_message(
            "{year} 年度", "{year}", " {parts} 個月度目標", "{parts} monthly targets"
        ),
        "period_extra": (
            "目標 {target_id} 的期間類型為「{period_zh}」，不應填「{label}」（目前為 {value}）："
            "請清空此欄，或更正期間類型（政策 6.1）。",
            "Target {target_id} is a {period_en} target, so '{label}' should be blank (it holds "
            "{value}): clear it, or correct the period type (policy 6.1).",
        ),
        "period_missing": (
            "目標 {target_id} 的期間類型為「{period_zh}」，但未填「{label}」：請填寫，否則無法與"
            "其他期間的目標核對加總（政策 6.1）。",
            "Target {target_id} is a {period_en} target but '{label}' is blank: fill it in, or it "
            "cannot be checked against the other periods (policy 6.1).",
        ),
        "wrong_quarter": (
            "目標 {target_id} 的月份 {month} 屬於第 {expected} 季，但「{label}」填了 {value}："
            "請更正季度或月份（政策 6.1）。",
            "Target {target_id}: month {month} falls in quarter {expected}, but '{label}' holds "
            "{value}: correct the quarter or the month (policy 6.1).",
        ),
    },
    needs=("targets",),
)
def targets_add_up(ctx: Context) -> None:
    """Per salesperson and year, months add up to their quarter and quarters to the year."""
    frame = sheet(ctx, "targets", "target_id", *PERSON_YEAR, "period_type", "quarter", "month")
    if frame is None:
        return
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
        ctx.flag("targets", with_rows(bad, [m, *by, "expected", "diff", "parts"]), m, code)


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


def _missing(what_zh: str, what_en: str, how_zh: str, how_en: str) -> tuple[str, str]:
    return (
        f"合同 {{contract_id}} {what_zh}（狀態「{{status_zh}}」），但未填「{{label}}」：{how_zh}"
        f"（政策 6.3）。",
        f"Contract {{contract_id}} {what_en} ('{{status_en}}') but '{{label}}' is blank: "
        f"{how_en} (policy 6.3).",
    )


REVIEW_FIRST = (
    "合同簽署前須送法務部門審閱，請補填法務審閱紀錄",
    "contracts are reviewed by legal before signing; record the legal review",
)


@rule(
    "P6.3-legal-review",
    severity=Severity.ERROR,
    policy="§6.3",
    title=("合同未經法務審閱", "Contract not reviewed by legal"),
    messages={
        "no_review": (
            "合同 {contract_id} 已簽署（狀態「{status_zh}」），但沒有任何法務審閱紀錄：合同簽署前"
            "須送法務部門審閱，請補填法務審閱人、審閱日與審閱結果（政策 6.3）。",
            "Contract {contract_id} is signed ('{status_en}') but has no legal review at all: "
            "contracts are reviewed by legal before signing; fill in the legal reviewer, the "
            "review date and its result (policy 6.3).",
        ),
        "no_reviewer": _missing("已簽署", "is signed", *REVIEW_FIRST),
        "no_review_date": _missing("已簽署", "is signed", *REVIEW_FIRST),
        "no_result": _missing("已簽署", "is signed", *REVIEW_FIRST),
        "not_approved": (
            "合同 {contract_id} 已簽署，但法務審閱結果為「{result_zh}」而非「通過」：合同須經法務"
            "審閱通過後才可簽署；請依法務意見修改並取得通過，再更新審閱結果（政策 6.3）。",
            "Contract {contract_id} is signed but its legal review result is '{result_en}', not "
            "Approved: a contract is signed only after legal approves it; make legal's changes, "
            "get the approval and update the result (policy 6.3).",
        ),
        "review_after_signing": (
            "合同 {contract_id} 的法務審閱日 {legal_review_date} 晚於簽署日 {signed_date}："
            "法務審閱須在簽署前完成；請更正日期，若確是簽署後才審閱，請呈報主管（政策 6.3）。",
            "Contract {contract_id} was reviewed by legal on {legal_review_date}, after it was "
            "signed on {signed_date}: legal review comes before signing; correct the dates, or "
            "if it really was signed first, report it to your manager (policy 6.3).",
        ),
        "no_signed_date": _missing(
            "已簽署", "is signed", "請補填簽署日", "fill in the signing date"
        ),
        "no_change_date": _missing(
            "已變更", "is amended", "合同變更須記錄日期與原因", "record the date and reason"
        ),
        "no_change_reason": _missing(
            "已變更", "is amended", "合同變更須記錄日期與原因", "record the date and reason"
        ),
        "no_termination_date": _missing(
            "已終止", "is terminated", "合同終止須記錄日期與原因", "record the date and reason"
        ),
        "no_termination_reason": _missing(
            "已終止", "is terminated", "合同終止須記錄日期與原因", "record the date and reason"
        ),
    },
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
    title=("應收款逾期", "Receivable overdue"),
    messages={
        "overdue": (
            "合同 {contract_id} 第 {seq} 期應收 {amount} 元，應收日 {due_date}，已逾期 {days} 天"
            "仍未收款：請向客戶催收，收款後填寫收款日與收款金額（政策 6.3）。",
            "Instalment {seq} of contract {contract_id}, {amount} due on {due_date}, is {days} "
            "days overdue and unpaid: chase the customer, and fill in the paid date and amount "
            "once paid (policy 6.3).",
        ),
    },
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
