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


def _dup_message(what_zh: str, what_en: str, how_zh: str, how_en: str) -> tuple[str, str]:
    return (
        f"客戶 {{customer_id}} 的「{{label}}」「{{value}}」與第 {{first_row}} 列的客戶 "
        f"{{first_id}} {what_zh}：同一客戶只能有一筆資料，請合併兩筆資料，或{how_zh}（政策 5.2）。",
        f"Customer {{customer_id}}: '{{label}}' '{{value}}' {what_en} customer {{first_id}} on "
        f"row {{first_row}}: keep one record per customer; merge the two, or {how_en} "
        f"(policy 5.2).",
    )


@rule(
    "P5.2-complete",
    severity=Severity.ERROR,
    policy="§5.2",
    title=("客戶資料不完整或重複", "Customer record incomplete or duplicated"),
    messages={
        "duplicate_name": _dup_message(
            "視為同一家公司（比對時忽略空白、全形半形、臺台與「股份有限公司」等字尾）",
            "names the same company (spaces, full-width forms, 臺/台 and legal-form suffixes "
            "such as 股份有限公司 aside) as",
            "更正客戶名稱",
            "correct the name",
        ),
        "duplicate_tax_id": _dup_message(
            "相同", "is the same as that of", "更正統一編號", "correct the tax ID"
        ),
        "duplicate_email": _dup_message(
            "相同", "is the same as that of", "更正電子郵件", "correct the e-mail"
        ),
    },
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
    title=("客戶未依分級頻率跟進", "Customer not followed up within its cadence"),
    messages={
        "overdue": (
            "客戶 {customer_id} 為 {tier_zh}客戶，應至少每 {cadence} 天跟進一次；最近一次跟進在 "
            "{last_contact}，已逾期 {days} 天：請安排跟進並記錄於「跟進紀錄」（政策 5.3）。",
            "Customer {customer_id} is {tier_en}, to be contacted at least every {cadence} days; "
            "the last follow-up was on {last_contact}, {days} days overdue: follow up and log it "
            "on the follow-up log (policy 5.3).",
        ),
        "overdue_since_first": (
            "客戶 {customer_id} 為 {tier_zh}客戶，應至少每 {cadence} 天跟進一次；自首次接觸日 "
            "{first_contact_date} 起沒有任何跟進紀錄，已逾期 {days} 天：請安排跟進並記錄於"
            "「跟進紀錄」（政策 5.3）。",
            "Customer {customer_id} is {tier_en}, to be contacted at least every {cadence} days; "
            "there is no follow-up since the first contact on {first_contact_date}, {days} days "
            "overdue: follow up and log it on the follow-up log (policy 5.3).",
        ),
        "never": (
            "客戶 {customer_id} 為 {tier_zh}客戶，應至少每 {cadence} 天跟進一次，但沒有任何跟進"
            "紀錄，也沒有首次接觸日：請跟進並記錄於「跟進紀錄」，或填寫首次接觸日（政策 5.3）。",
            "Customer {customer_id} is {tier_en}, to be contacted at least every {cadence} days, "
            "but has no follow-up and no first-contact date: follow up and log it, or fill in "
            "the first-contact date (policy 5.3).",
        ),
    },
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
