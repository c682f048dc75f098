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


def _campaigns(ctx: Context, *columns: str) -> pl.DataFrame | None:
    frame = sheet(ctx, "campaigns", "campaign_id", "status", *columns)
    if frame is None:
        return None
    return frame.with_columns(*labels(pl.col("status"), CAMPAIGN_STATUS, "status"))


@rule(
    "P4.1-approval",
    severity=Severity.ERROR,
    policy="§4.1",
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
