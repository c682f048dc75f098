"""§4 Campaigns: approved before they run, tasks owned and on time, reviewed, then evaluated."""

from __future__ import annotations

import datetime as dt

import polars as pl

from mops.records import Severity
from mops.schemas.enums import CAMPAIGN_STATUS, PROGRESS
from mops.validation.context import Context, with_rows
from mops.validation.registry import rule
from mops.validation.rules.common import days_since, first_rows, id_key, labels, sheet

APPROVED = ("approved", "executing", "closed")  # statuses that say management approved it
RUNNING = ("executing", "closed")
AWAITING = ("draft", "submitted", "reviewed")  # not approved yet, and not rejected
FINISHED = ("done", "cancelled")
KEY = "_key"
TARGET_ACTUAL = (
    ("target_participants", "actual_participants"),
    ("target_leads", "actual_leads"),
    ("target_revenue", "actual_revenue"),
    ("target_awareness_lift", "actual_awareness_lift"),
    ("target_satisfaction", "actual_satisfaction"),
)

MISSING_SIGN_OFF = (
    "活動 {campaign_id} 狀態為「{status_zh}」，但未填「{label}」：活動方案須經營銷部主管審核、"
    "公司管理層核准後方可執行，請補填審核與核准紀錄（政策 4.1）。",
    "Campaign {campaign_id} is '{status_en}' but '{label}' is blank: a campaign plan is reviewed "
    "by the department head and approved by management before it runs; fill in the review and "
    "approval record (policy 4.1).",
)


def _campaigns(ctx: Context, *columns: str) -> pl.DataFrame | None:
    frame = sheet(ctx, "campaigns", "campaign_id", "status", *columns)
    if frame is None:
        return None
    return frame.with_columns(*labels(pl.col("status"), CAMPAIGN_STATUS, "status"))


@rule(
    "P4.1-approval",
    severity=Severity.ERROR,
    policy="§4.1",
    title=("活動未經核准即執行", "Campaign not approved before it runs"),
    messages={
        "no_reviewer": MISSING_SIGN_OFF,
        "no_review_date": MISSING_SIGN_OFF,
        "no_approver": MISSING_SIGN_OFF,
        "no_approval_date": MISSING_SIGN_OFF,
        "started_unapproved": (
            "活動 {campaign_id} 已於 {start_date} 開始（狀態「{status_zh}」），卻沒有核准日期："
            "活動須經管理層核准後才可執行；請補上核准紀錄，"
            "若確實未經核准，請立即送審（政策 4.1）。",
            "Campaign {campaign_id} started on {start_date} ('{status_en}') with no approval "
            "date: a campaign runs only after management approves it; record the approval, or if "
            "there was none, submit it for approval at once (policy 4.1).",
        ),
        "approved_after_start": (
            "活動 {campaign_id} 的核准日期 {approval_date} 不早於開始日期 {start_date}："
            "活動須先經管理層核准才可執行；請更正日期，"
            "若確是先執行後核准，請呈報主管（政策 4.1）。",
            "Campaign {campaign_id} was approved on {approval_date}, not before its start date "
            "{start_date}: approval comes before execution; correct the dates, or if it really ran "
            "before approval, report it to your manager (policy 4.1).",
        ),
        "start_passed": (
            "活動 {campaign_id} 的開始日期 {start_date} 已到，狀態仍為「{status_zh}」，尚未核准："
            "未經核准不得執行；請完成審核與核准，或延後開始日期（政策 4.1）。",
            "Campaign {campaign_id} was due to start on {start_date} but is still '{status_en}', "
            "not approved: it may not run before approval; get it reviewed and approved, or move "
            "its start date (policy 4.1).",
        ),
        "spend_unapproved": (
            "費用申請 {claim_id} 屬於活動 {campaign_id}，但該活動狀態為「{campaign_status_zh}」，"
            "尚未核准：未經核准的活動不得支出費用；"
            "請待活動核准後再申請，或更正活動編號（政策 4.1）。",
            "Expense claim {claim_id} belongs to campaign {campaign_id}, which is "
            "'{campaign_status_en}', not approved: no money is spent on a campaign before it is "
            "approved; wait for the approval, or correct the campaign ID (policy 4.1).",
        ),
        "spend_before_approval": (
            "費用申請 {claim_id} 的費用發生日 {expense_date} 早於活動 {campaign_id} 的核准日期 "
            "{campaign_approved}：活動核准前不得支出費用；請確認日期與活動編號（政策 4.1）。",
            "Expense claim {claim_id} was spent on {expense_date}, before campaign "
            "{campaign_id} was approved on {campaign_approved}: no money is spent before "
            "approval; check the dates and the campaign ID (policy 4.1).",
        ),
    },
    needs=("campaigns",),
)
def approval(ctx: Context) -> None:
    """A campaign runs, and money is spent on it, only after review and approval."""
    frame = _campaigns(ctx, "start_date", "reviewer", "review_date", "approver", "approval_date")
    if frame is None:
        return
    status, start, approved_on = pl.col("status"), pl.col("start_date"), pl.col("approval_date")
    signed_off = frame.filter(status.is_in(APPROVED))
    context = ["campaign_id", "status_zh", "status_en", "start_date", "approval_date"]
    # A running campaign that has started without an approval date gets the sharper message.
    started = status.is_in(RUNNING) & (start <= ctx.as_of) & approved_on.is_null()
    ctx.flag(
        "campaigns",
        with_rows(signed_off.filter(started), context),
        "approval_date",
        "started_unapproved",
    )
    for column, code in (
        ("reviewer", "no_reviewer"),
        ("review_date", "no_review_date"),
        ("approver", "no_approver"),
        ("approval_date", "no_approval_date"),
    ):
        blank = pl.col(column).is_null()
        if column == "approval_date":
            blank = blank & ~started  # already reported above, with the start date
        ctx.flag("campaigns", with_rows(signed_off.filter(blank), [column, *context]), column, code)
    ctx.flag(
        "campaigns",
        with_rows(signed_off.filter(approved_on >= start), context),
        "approval_date",
        "approved_after_start",
    )
    waiting = frame.filter(status.is_in(AWAITING) & (start <= ctx.as_of))
    ctx.flag(
        "campaigns",
        with_rows(waiting, ["status", *context]),
        "status",
        "start_passed",
        severity=Severity.WARNING,
    )
    _spending(ctx, frame)


def _spending(ctx: Context, campaigns: pl.DataFrame) -> None:
    """Expense claims on a campaign that is not approved, or spent before its approval."""
    claims = sheet(ctx, "claims", "claim_id", "campaign_id", "expense_date")
    if claims is None:
        return
    known = first_rows(
        campaigns.select(
            id_key(pl.col("campaign_id")).alias(KEY),
            pl.col("status").alias("campaign_status"),
            pl.col("status_zh").alias("campaign_status_zh"),
            pl.col("status_en").alias("campaign_status_en"),
            # Claims have an approval date of their own.
            pl.col("approval_date").alias("campaign_approved"),
        ),
        [KEY],
    )
    joined = claims.filter(pl.col("campaign_id").is_not_null()).join(
        known, left_on=id_key(pl.col("campaign_id")), right_on=KEY, how="inner"
    )
    keep = ["claim_id", "campaign_id", "expense_date", "campaign_approved"]
    ctx.flag(
        "claims",
        with_rows(
            joined.filter(~pl.col("campaign_status").is_in(APPROVED)),
            [*keep, "campaign_status_zh", "campaign_status_en"],
        ),
        "campaign_id",
        "spend_unapproved",
    )
    early = pl.col("campaign_status").is_in(APPROVED) & (
        pl.col("expense_date") < pl.col("campaign_approved")
    )
    ctx.flag(
        "claims", with_rows(joined.filter(early), keep), "expense_date", "spend_before_approval"
    )


@rule(
    "P4.2-task-owner",
    severity=Severity.ERROR,
    policy="§4.2",
    title=("活動任務未落實", "Campaign tasks not under control"),
    messages={
        "no_tasks": (
            "活動 {campaign_id} 執行中，但「活動任務」沒有它的任何任務：請將各項工作分配給負責人，"
            "並訂出截止日期（政策 4.2）。",
            "Campaign {campaign_id} is executing but has no tasks on the campaign tasks sheet: "
            "assign its work to owners, each with a due date (policy 4.2).",
        ),
        "task_overdue": (
            "任務 {task_id}（活動 {campaign_id}）已於 {due_date} 到期，逾期 {days} 天，狀態仍為"
            "「{status_zh}」：請完成後更新狀態與完成日期，或與主管確認後調整截止日期（政策 4.2）。",
            "Task {task_id} of campaign {campaign_id} was due on {due_date}, {days} days ago, "
            "and is still '{status_en}': finish it and update its status and done date, or agree "
            "a new due date with your manager (policy 4.2).",
        ),
        "review_overdue": (
            "執行中的活動 {campaign_id} 最近一次進度會議在 {last_review}，已超過 {limit} 天"
            "（逾期 {days} 天）：請召開進度會議並記錄於「進度檢討」（政策 4.2）。",
            "Executing campaign {campaign_id} last held a progress review on {last_review}, more "
            "than {limit} days ago ({days} days overdue): hold one and record it on the progress "
            "reviews sheet (policy 4.2).",
        ),
        "no_review": (
            "執行中的活動 {campaign_id} 自 {start_date} 開始，超過 {limit} 天仍無任何進度會議紀錄"
            "（逾期 {days} 天）：請召開進度會議並記錄於「進度檢討」（政策 4.2）。",
            "Executing campaign {campaign_id} started on {start_date}, more than {limit} days "
            "ago ({days} days overdue), and has no progress review: hold one and record it on the "
            "progress reviews sheet (policy 4.2).",
        ),
    },
    needs=("campaigns", "campaign_tasks"),
)
def task_owner(ctx: Context) -> None:
    """Executing campaigns have tasks, tasks finish on time, and progress is reviewed regularly.

    A task without an owner is reported by the cell pass under this rule's id (the owner column
    is declared with ``policy=("P4.2-task-owner",)``).
    """
    tasks = sheet(ctx, "campaign_tasks", "task_id", "campaign_id", "due_date", "status")
    if tasks is not None:
        late = tasks.filter(
            (pl.col("due_date") < ctx.as_of) & ~pl.col("status").is_in(FINISHED)
        ).with_columns(
            days_since(pl.col("due_date"), ctx.as_of).alias("days"),
            *labels(pl.col("status"), PROGRESS, "status"),
        )
        ctx.flag(
            "campaign_tasks",
            with_rows(
                late, ["task_id", "campaign_id", "due_date", "days", "status_zh", "status_en"]
            ),
            "due_date",
            "task_overdue",
            severity=Severity.WARNING,
        )
    campaigns = sheet(ctx, "campaigns", "campaign_id", "status", "start_date")
    if campaigns is None:
        return
    executing = campaigns.filter(pl.col("status") == "executing").with_columns(
        id_key(pl.col("campaign_id")).alias(KEY)
    )
    if tasks is not None:
        with_tasks = tasks.select(id_key(pl.col("campaign_id")).alias(KEY)).unique()
        idle = executing.join(with_tasks, on=KEY, how="anti")
        ctx.flag(
            "campaigns",
            with_rows(idle, ["campaign_id"]),
            "campaign_id",
            "no_tasks",
            severity=Severity.WARNING,
        )
    _progress_reviews(ctx, executing)


def _progress_reviews(ctx: Context, executing: pl.DataFrame) -> None:
    """An executing campaign holds a progress review every ``progress_review_days`` days."""
    reviews = sheet(ctx, "progress_reviews", "campaign_id", "date")
    if reviews is None:
        return
    limit = ctx.config.campaigns.progress_review_days
    last = reviews.group_by(id_key(pl.col("campaign_id")).alias(KEY)).agg(
        pl.col("date").max().alias("last_review")
    )
    since = pl.coalesce(pl.col("last_review"), pl.col("start_date"))
    judged = (
        executing.join(last, on=KEY, how="left")
        .with_columns((days_since(since, ctx.as_of) - limit).alias("days"))
        .filter(pl.col("days") > 0)
    )
    keep = ["campaign_id", "start_date", "last_review", "days"]
    for code, has_review in (("review_overdue", True), ("no_review", False)):
        rows = judged.filter(pl.col("last_review").is_not_null() == has_review)
        ctx.flag(
            "campaigns",
            with_rows(rows, keep),
            "campaign_id",
            code,
            severity=Severity.WARNING,
            limit=limit,
        )


@rule(
    "P4.2-evaluation-due",
    severity=Severity.WARNING,
    policy="§4.2",
    title=("活動結束後未評估", "Campaign not evaluated after it ended"),
    messages={
        "missing": (
            "活動 {campaign_id} 已於 {end_date} 結束，超過 {limit} 天（逾期 {days} 天）"
            "仍未評估效果："
            "請評估參與人數、潛在客戶、營收、知名度與滿意度並與目標比較，填寫評估日期、各項實際值"
            "與檢討（政策 4.2）。",
            "Campaign {campaign_id} ended on {end_date}, more than {limit} days ago ({days} days "
            "overdue), and has not been evaluated: compare participants, leads, revenue, awareness "
            "and satisfaction with their targets, and fill in the evaluation date, the actuals and "
            "the lessons learned (policy 4.2).",
        ),
        "actual_missing": (
            "活動 {campaign_id} 已於 {evaluation_date} 評估，目標值為 {target}，卻未填「{label}」："
            "效果評估須將實際值與目標比較，請填寫實際值（政策 4.2）。",
            "Campaign {campaign_id} was evaluated on {evaluation_date} and has a target of "
            "{target}, but '{label}' is blank: the evaluation compares each actual with its "
            "target; fill in the actual (policy 4.2).",
        ),
        "no_actuals": (
            "活動 {campaign_id} 已於 {evaluation_date} 評估，卻沒有任何實際值：請填寫實際參與人數、"
            "潛在客戶數、營收等評估結果（政策 4.2）。",
            "Campaign {campaign_id} was evaluated on {evaluation_date} but records no actuals: "
            "fill in the actual participants, leads, revenue and so on (policy 4.2).",
        ),
    },
    needs=("campaigns",),
)
def evaluation_due(ctx: Context) -> None:
    """A campaign that ended ``evaluation_due_days`` ago has an evaluation with its actuals."""
    pairs = [p for p in TARGET_ACTUAL if ctx.has("campaigns", *p)]
    frame = _campaigns(ctx, "end_date", "evaluation_date")
    if frame is None:
        return
    limit = ctx.config.campaigns.evaluation_due_days
    ended = frame.filter(
        pl.col("status").is_in(APPROVED)
        & (pl.col("end_date") < ctx.as_of - dt.timedelta(days=limit))
    ).with_columns((days_since(pl.col("end_date"), ctx.as_of) - limit).alias("days"))
    keep = ["campaign_id", "end_date", "evaluation_date", "days"]
    ctx.flag(
        "campaigns",
        with_rows(ended.filter(pl.col("evaluation_date").is_null()), keep),
        "evaluation_date",
        "missing",
        limit=limit,
    )
    if not pairs:
        return
    evaluated = ended.filter(pl.col("evaluation_date").is_not_null())
    nothing = pl.all_horizontal(pl.col(actual).is_null() for _, actual in pairs)
    ctx.flag(
        "campaigns", with_rows(evaluated.filter(nothing), keep), "evaluation_date", "no_actuals"
    )
    partly = evaluated.filter(~nothing)
    for target, actual in pairs:
        rows = partly.filter(pl.col(target).is_not_null() & pl.col(actual).is_null())
        ctx.flag(
            "campaigns",
            with_rows(rows.with_columns(pl.col(target).alias("target")), [actual, "target", *keep]),
            actual,
            "actual_missing",
        )
