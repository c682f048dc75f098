"""§9 Staff: new hires onboarded in time, appraisal weights that add up to 100 %."""

from __future__ import annotations

import datetime as dt

import polars as pl

from mops.records import Severity
from mops.schemas.enums import STAFF_GROUP
from mops.validation.context import Context, with_rows
from mops.validation.registry import rule
from mops.validation.rules.common import days_between, first_rows, id_key, labels, percent, sheet

NAME = "_name"


@rule(
    "P9.1-onboarding",
    severity=Severity.WARNING,
    policy="§9.1",
    needs=("roster", "training"),
)
def onboarding(ctx: Context) -> None:
    """Everyone hired ``onboarding_within_days`` ago completed onboarding within those days.

    Only people hired on or after the first date of the training log are judged: for anyone
    hired before the log began, the log cannot tell whether they were onboarded. People who
    have left are not judged either: there is nothing left to arrange for them.
    """
    roster = sheet(ctx, "roster", "name", "hire_date")
    training = sheet(ctx, "training", "employee", "training_type", "date", "completed")
    if roster is None or training is None:
        return
    log_start = training.get_column("date").min()
    if log_start is None:
        return
    limit = ctx.config.staff.onboarding_within_days
    completed = (
        training.filter(
            (pl.col("training_type") == "onboarding") & pl.col("completed").fill_null(False)
        )
        .group_by(id_key(pl.col("employee")).alias(NAME))
        .agg(pl.col("date").min().alias("first_onboarding"))
    )
    window_end = pl.col("hire_date") + pl.duration(days=limit)
    hires = roster.filter(
        (pl.col("hire_date") >= log_start)
        & (pl.col("hire_date") < ctx.as_of - dt.timedelta(days=limit))
    )
    if "leave_date" in hires.columns:
        # Nothing can be arranged any more for someone who has left.
        hires = hires.filter(pl.col("leave_date").is_null() | (pl.col("leave_date") > ctx.as_of))
    if "active" in hires.columns:
        hires = hires.filter(pl.col("active").fill_null(True))
    judged = (
        hires.with_columns(id_key(pl.col("name")).alias(NAME))
        .join(completed, on=NAME, how="left")
        .with_columns(days_between(pl.col("hire_date"), pl.col("first_onboarding")).alias("days"))
    )
    keep = ["hire_date", "name", "first_onboarding", "days"]
    missing = judged.filter(pl.col("first_onboarding").is_null())
    ctx.flag("roster", with_rows(missing, keep), "hire_date", "missing", limit=limit)
    late = judged.filter(pl.col("first_onboarding") > window_end)
    ctx.flag("roster", with_rows(late, keep), "hire_date", "late", limit=limit)


@rule(
    "P9.2-weights",
    severity=Severity.ERROR,
    policy="§9.2",
    needs=("kpis",),
)
def weights(ctx: Context) -> None:
    """The KPI weights of one year and group add up to 100 %; reported once, on its first row."""
    frame = sheet(ctx, "kpis", "year", "group", "weight")
    if frame is None:
        return
    group = ["year", "group"]
    # A group with a blank weight is left to the blank-cell check: its sum would mislead.
    sums = (
        frame.filter(pl.col("year").is_not_null() & pl.col("group").is_not_null())
        .group_by(group)
        .agg(
            pl.col("weight").sum().alias("_sum"),
            pl.col("weight").null_count().alias("_blank"),
            pl.len().alias("count"),
        )
        .filter((pl.col("_blank") == 0) & (pl.col("_sum") != 1))
    )
    bad = (
        first_rows(frame, group)
        .join(sums, on=group)
        .with_columns(
            percent(pl.col("_sum")).alias("total"),
            *labels(pl.col("group"), STAFF_GROUP, "group"),
        )
    )
    ctx.flag(
        "kpis",
        with_rows(bad, ["weight", "year", "group_zh", "group_en", "count", "total"]),
        "weight",
        "sum",
    )
