"""§3 Market research: plan items finish on time, and reports reach management regularly."""

from __future__ import annotations

import polars as pl

from mops.records import Severity
from mops.schemas.enums import PROGRESS
from mops.validation.context import Context, with_rows
from mops.validation.registry import rule
from mops.validation.rules.common import days_since, labels, months_before, sheet

FINISHED = ("done", "cancelled")


@rule(
    "P3-plan-overdue",
    severity=Severity.WARNING,
    policy="§3.1",
    title=("調研計劃逾期未完成", "Research plan item overdue"),
    messages={
        "overdue": (
            "調研項目 {research_id} 的結束日期 {end_date} 已過 {days} 天，狀態仍為「{status_zh}」："
            "請完成調研後將狀態改為「已完成」，不再進行則改為「已取消」，"
            "或調整結束日期（政策 3.1）。",
            "Research item {research_id} was due to end on {end_date}, {days} days ago, but is "
            "still '{status_en}': finish it and set it to Done, set it to Cancelled if it will not "
            "happen, or move the end date (policy 3.1).",
        ),
    },
    needs=("research_plan",),
)
def plan_overdue(ctx: Context) -> None:
    """A research plan item past its end date that is neither done nor cancelled."""
    frame = sheet(ctx, "research_plan", "research_id", "start_date", "end_date", "status")
    if frame is None:
        return
    # An end before the start is a typo that date-order reports; it says nothing about progress.
    in_order = (pl.col("start_date") <= pl.col("end_date")).fill_null(True)
    late = frame.filter(
        (pl.col("end_date") < ctx.as_of) & ~pl.col("status").is_in(FINISHED) & in_order
    ).with_columns(
        days_since(pl.col("end_date"), ctx.as_of).alias("days"),
        *labels(pl.col("status"), PROGRESS, "status"),
    )
    ctx.flag(
        "research_plan",
        with_rows(late, ["research_id", "end_date", "days", "status_zh", "status_en"]),
        "end_date",
        "overdue",
    )


@rule(
    "P3.3-report-due",
    severity=Severity.WARNING,
    policy="§3.3",
    title=("調研報告未定期提交", "Research report overdue"),
    messages={
        "stale": (
            "最近一次調研分析報告於 {report_date} 提交（調研項目 {research_id}），至今已超過 "
            "{months} 個月：調研報告應至少每 {months} 個月提交給營銷部主管及管理層，"
            "請提交新的報告並填寫「報告提交日」（政策 3.3）。",
            "The latest market-research report went to management on {report_date} (research "
            "item {research_id}), more than {months} months ago: a report is due at least every "
            "{months} months; submit one and fill in its report date (policy 3.3).",
        ),
        "none": (
            "調研計劃自 {first_start} 開始已超過 {months} 個月，卻沒有任何一筆填寫「報告提交日」："
            "調研報告應至少每 {months} 個月提交給營銷部主管及管理層，"
            "請提交報告並記錄日期（政策 3.3）。",
            "Research began on {first_start}, more than {months} months ago, but no item has a "
            "report date: a report is due at least every {months} months; submit one and record "
            "its date (policy 3.3).",
        ),
    },
    needs=("research_plan",),
)
def report_due(ctx: Context) -> None:
    """The latest analysis report is no older than ``research.report_every_months``."""
    frame = sheet(ctx, "research_plan", "research_id", "start_date", "report_date")
    if frame is None or frame.is_empty():
        return
    months = ctx.config.research.report_every_months
    due = months_before(ctx.as_of, months)
    reports = frame.filter(pl.col("report_date").is_not_null())
    if reports.is_empty():
        first = frame.get_column("start_date").min()
        if first is not None and first < due:
            ctx.flag_sheet("research_plan", "none", first_start=first, months=months)
        return
    latest = reports.sort("report_date", maintain_order=True).tail(1)
    if latest.item(0, "report_date") < due:
        ctx.flag(
            "research_plan",
            with_rows(latest, ["research_id", "report_date"]),
            "report_date",
            "stale",
            months=months,
        )
