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
