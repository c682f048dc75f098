"""§8 Expenses: claims approved by someone else, audited before paid, filed on time, in budget."""

from __future__ import annotations

import polars as pl

from mops.records import Severity
from mops.schemas.enums import APPROVAL, AUDIT, EXPENSE_CATEGORY
from mops.validation.context import Context, with_rows
from mops.validation.registry import rule
from mops.validation.rules.common import days_between, labels, percent, percent_text, sheet

PERIOD = ["category", "year", "month"]


@rule(
    "P8.2-approver",
    severity=Severity.ERROR,
    policy="§8.2",
    title=("費用核准人不當", "Claim approved by the wrong person"),
    messages={
        "self_approved": (
            "費用申請 {claim_id} 的核准人「{value}」就是申請人本人：核准人不得為申請人，"
            "請改由申請人的主管審核簽准（政策 8.2）。",
            "Expense claim {claim_id} is approved by '{value}', the claimant: nobody approves "
            "their own claim; have the claimant's manager approve it (policy 8.2).",
        ),
        "no_approver": (
            "費用申請 {claim_id} 的核准結果為「核准」，但未填「{label}」：請填寫簽准此申請的主管"
            "（政策 8.2）。",
            "Expense claim {claim_id} is marked approved but '{label}' is blank: fill in the "
            "manager who approved it (policy 8.2).",
        ),
    },
    needs=("claims",),
)
def approver(ctx: Context) -> None:
    """A claim is approved by someone other than the claimant, and an approval names who."""
    frame = sheet(ctx, "claims", "claim_id", "claimant", "approver", "approval")
    if frame is None:
        return
    own = frame.filter(pl.col("approver").str.strip_chars() == pl.col("claimant").str.strip_chars())
    ctx.flag("claims", with_rows(own, ["approver", "claim_id"]), "approver", "self_approved")
    unnamed = frame.filter((pl.col("approval") == "approved") & pl.col("approver").is_null())
    ctx.flag("claims", with_rows(unnamed, ["approver", "claim_id"]), "approver", "no_approver")


@rule(
    "P8.2-audit",
    severity=Severity.ERROR,
    policy="§8.2",
    title=("未經核准與稽核即報銷", "Reimbursed before approval and audit"),
    messages={
        "reimbursed_unapproved": (
            "費用申請 {claim_id} 已報銷，但核准結果為「{approval_zh}」：費用須經主管核准、財務稽核"
            "通過後才可報銷；請補正核准紀錄，或追回已付款項（政策 8.2）。",
            "Expense claim {claim_id} is reimbursed but its approval is '{approval_en}': a claim "
            "is paid only after approval and the finance audit; record the approval, or recover "
            "the payment (policy 8.2).",
        ),
        "reimbursed_unaudited": (
            "費用申請 {claim_id} 已報銷，但財務稽核結果為「{audit_zh}」：須經財務稽核通過後才可"
            "報銷；請完成稽核，或更正報銷狀態（政策 8.2）。",
            "Expense claim {claim_id} is reimbursed but its finance audit is '{audit_en}': a "
            "claim is paid only after the audit passes; complete the audit, or correct the "
            "reimbursement (policy 8.2).",
        ),
        "audited_unapproved": (
            "費用申請 {claim_id} 的財務稽核已通過，但核准結果為「{approval_zh}」：財務稽核應在主管"
            "核准之後；請確認核准紀錄（政策 8.2）。",
            "Expense claim {claim_id} passed the finance audit but its approval is "
            "'{approval_en}': the audit follows the approval; check the approval record "
            "(policy 8.2).",
        ),
        "late": (
            "費用申請 {claim_id} 的費用發生於 {expense_date}，{claim_date} 才申請，相隔 {days} 天，"
            "超過 {limit} 天的期限：費用發生後應及時整理憑證申請報銷（政策 8.2）。",
            "Expense claim {claim_id} was filed on {claim_date}, {days} days after the expense on "
            "{expense_date}, beyond the {limit}-day limit: file claims promptly after the expense "
            "(policy 8.2).",
        ),
    },
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
    title=("費用超出預算", "Spending over budget"),
    messages={
        "near": (
            "{year} 年 {month} 月「{category_zh}」的支出 {spend} 元已達預算 {budget} 元的 {ratio}%"
            "（警示門檻 {warn}%）：請檢視本月其餘支出，必要時調整（政策 8.3）。",
            "{category_en} spending in {period} is {spend}, {ratio}% of its budget of "
            "{budget} (warning from {warn}%): review the month's remaining spending and adjust "
            "if needed (policy 8.3).",
        ),
        "over": (
            "{year} 年 {month} 月「{category_zh}」的支出 {spend} 元超過預算 {budget} 元，達 "
            "{ratio}%（上限 {limit}%）：請分析超支原因並採取措施，"
            "或依程序申請追加預算（政策 8.3）。",
            "{category_en} spending in {period} is {spend}, {ratio}% of its budget of "
            "{budget}, above the {limit}% limit: find out why and act on it, or apply for more "
            "budget through the usual procedure (policy 8.3).",
        ),
        "zero_budget": (
            "{year} 年 {month} 月「{category_zh}」的預算為 0 元，卻已支出 {spend} 元：請分析原因，"
            "或依程序編列預算（政策 8.3）。",
            "{category_en} has a budget of 0 in {period} but {spend} was spent: find out "
            "why, or budget for it through the usual procedure (policy 8.3).",
        ),
        "no_budget": (
            "{year} 年 {month} 月「{category_zh}」已有支出 {spend} 元（{claims} 筆申請），但"
            "「費用預算」沒有此類別與月份的預算：請編列預算並經管理層核准（政策 8.1、8.3）。",
            "{category_en} has spending of {spend} in {period} ({claims} claims) but no "
            "budget for that category and month: add the budget and have management approve it "
            "(policy 8.1, 8.3).",
        ),
    },
    needs=("expense_budget", "claims"),
)
def overspend(ctx: Context) -> None:
    """Spend per category and month of the expense date, against that month's budget.

    Spend counts every claim that is not rejected: a pending claim is money already spent.
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
