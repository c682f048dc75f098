"""§7 Customer service: complaints and inquiries answered in time; improvements checked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from mops.config import Service
from mops.i18n import pair
from mops.records import Severity
from mops.schemas.enums import PROGRESS, TICKET_TYPE
from mops.validation.context import Context, with_rows
from mops.validation.registry import rule
from mops.validation.rules.common import days_since, labels, sheet

SLA_TYPES = ("complaint", "inquiry")  # feedback and problems have no reply time limit
FINISHED = ("done", "cancelled")
HOUR = 3600


@dataclass(frozen=True)
class WorkingTime:
    """The firm's working hours: a daily window on the working weekdays (ISO, 1 = Monday)."""

    start: dt.time
    end: dt.time
    days: frozenset[int]

    @classmethod
    def from_config(cls, service: Service) -> WorkingTime:
        """The working time set in the ``[service]`` table of mops.toml."""
        return cls(
            dt.time.fromisoformat(service.working_day_start),
            dt.time.fromisoformat(service.working_day_end),
            frozenset(service.working_days),
        )

    def _offset(self, clock: dt.time) -> int:
        return clock.hour * HOUR + clock.minute * 60 + clock.second

    def seconds(self, since: pl.Expr, until: pl.Expr) -> pl.Expr:
        """Working seconds from ``since`` to ``until`` (0 when ``until`` is not later), vectorised.

        The first and last days count their overlap with the working window; the days between
        count whole working days, as many as ``business_day_count`` finds.
        """
        opens, closes = self._offset(self.start), self._offset(self.end)
        first_day, last_day = since.dt.date(), until.dt.date()

        def at(day: pl.Expr, offset: int) -> pl.Expr:
            return day.cast(pl.Datetime("us")) + pl.duration(seconds=offset)

        def works(day: pl.Expr) -> pl.Expr:
            return day.dt.weekday().is_in(sorted(self.days))

        def overlap(lo: pl.Expr, hi: pl.Expr) -> pl.Expr:
            return pl.max_horizontal((hi - lo).dt.total_seconds(), pl.lit(0))

        later = last_day > first_day
        first = pl.when(works(first_day)).then(
            overlap(
                pl.max_horizontal(since, at(first_day, opens)),
                pl.min_horizontal(until, at(first_day, closes)),
            )
        )
        last = pl.when(later & works(last_day)).then(
            overlap(at(last_day, opens), pl.min_horizontal(until, at(last_day, closes)))
        )
        mask = [d in self.days for d in range(1, 8)]
        between = pl.when(later).then(
            pl.business_day_count(first_day.dt.offset_by("1d"), last_day, week_mask=mask)
            * (closes - opens)
        )
        return first.otherwise(0) + last.otherwise(0) + between.otherwise(0)

    def add(self, moment: dt.datetime, seconds: int) -> dt.datetime:
        """``moment`` plus this many working seconds (for the few rows a message names)."""
        remaining = dt.timedelta(seconds=seconds)
        t = self._next_open(moment)
        while True:
            close = dt.datetime.combine(t.date(), self.end)
            if t + remaining <= close:
                return t + remaining
            remaining -= close - t
            t = self._next_open(close)

    def _next_open(self, moment: dt.datetime) -> dt.datetime:
        t = moment
        for _ in range(8):  # a week holds at least one working day (checked by load_config)
            if t.isoweekday() in self.days:
                opens = dt.datetime.combine(t.date(), self.start)
                if t < opens:
                    return opens
                if t < dt.datetime.combine(t.date(), self.end):
                    return t
            t = dt.datetime.combine(t.date() + dt.timedelta(days=1), self.start)
        raise ValueError("service.working_days names no working day")


def _duration(seconds: pl.Expr) -> list[pl.Expr]:
    """``elapsed_zh`` and ``elapsed_en``: a duration in hours and minutes, for messages."""
    hours = (seconds // HOUR).cast(pl.Int64)
    minutes = (seconds % HOUR // 60).cast(pl.Int64)
    some = minutes > 0
    # The catalogue's {hours}/{minutes} become polars' positional {} (hours always first).
    with_minutes = pair("duration.hours_minutes")
    whole_hours = pair("duration.hours")
    return [
        pl.when(some)
        .then(pl.format(_positional(with_minutes[i]), hours, minutes))
        .otherwise(pl.format(_positional(whole_hours[i]), hours))
        .alias(name)
        for i, name in enumerate(("elapsed_zh", "elapsed_en"))
    ]


def _positional(template: str) -> str:
    return template.replace("{hours}", "{}").replace("{minutes}", "{}")


@rule(
    "P7.1-response-sla",
    severity=Severity.ERROR,
    policy="§7.1",
    needs=("tickets",),
)
def response_sla(ctx: Context) -> None:
    """Complaints and inquiries are answered within their time limits, none left past them.

    Complaints have ``complaint_response_hours`` calendar hours, inquiries
    ``inquiry_response_working_hours`` working hours (``WorkingTime``). "Now" is the start of
    ``as_of``: a deadline later that day has not passed yet. A ticket resolved without a
    recorded first response counts its resolution as the reply.
    """
    frame = sheet(
        ctx,
        "tickets",
        "ticket_id",
        "type",
        "received_at",
        "deadline",
        "first_response_at",
        "resolved_at",
    )
    if frame is None:
        return
    service = ctx.config.service
    work = WorkingTime.from_config(service)
    limits = {
        "complaint": service.complaint_response_hours * HOUR,
        "inquiry": service.inquiry_response_working_hours * HOUR,
    }
    now = dt.datetime.combine(ctx.as_of, dt.time())
    received = pl.col("received_at")
    tickets = frame.filter(pl.col("type").is_in(SLA_TYPES) & received.is_not_null()).with_columns(
        pl.coalesce("first_response_at", "resolved_at").alias("responded"),
        *labels(pl.col("type"), TICKET_TYPE, "type"),
    )
    keep = [
        "first_response_at", "ticket_id", "received_at", "responded", "deadline", "type_zh",
        "type_en",
    ]  # fmt: skip
    calendar = (pl.col("responded") - received).dt.total_seconds()
    complaints = tickets.filter(pl.col("type") == "complaint")
    inquiries = tickets.filter(pl.col("type") == "inquiry")
    late = complaints.filter(calendar > limits["complaint"]).with_columns(*_duration(calendar))
    limit_hours = {kind: seconds // HOUR for kind, seconds in limits.items()}
    ctx.flag(
        "tickets",
        with_rows(late, [*keep, "elapsed_zh", "elapsed_en"]),
        "first_response_at",
        "complaint_late",
        limit=limit_hours["complaint"],
    )
    # Working hours never exceed calendar hours: only replies later than the limit in calendar
    # time need the working-time count.
    worked = work.seconds(received, pl.col("responded"))
    late = (
        inquiries.filter(calendar > limits["inquiry"])
        .with_columns(worked.alias("_worked"))
        .filter(pl.col("_worked") > limits["inquiry"])
        .with_columns(*_duration(pl.col("_worked")))
    )
    ctx.flag(
        "tickets",
        with_rows(late, [*keep, "elapsed_zh", "elapsed_en"]),
        "first_response_at",
        "inquiry_late",
        limit=limit_hours["inquiry"],
    )
    _unanswered(ctx, tickets, work, limits, now, keep)
    _deadline_too_late(ctx, tickets, work, limits, limit_hours, keep)


def sla_deadline(service: Service, kind: str, received: dt.datetime) -> dt.datetime | None:
    """The reply deadline the policy sets for a ticket of this kind (None: no time limit)."""
    limits = {
        "complaint": service.complaint_response_hours * HOUR,
        "inquiry": service.inquiry_response_working_hours * HOUR,
    }
    if kind not in limits:
        return None
    return _sla_due(WorkingTime.from_config(service), kind, received, limits[kind])


def _sla_due(work: WorkingTime, kind: str, received: dt.datetime, limit: int) -> dt.datetime:
    if kind == "complaint":
        return received + dt.timedelta(seconds=limit)
    return work.add(received, limit)


def _with_sla_due(rows: pl.DataFrame, work: WorkingTime, limits: dict[str, int]) -> pl.DataFrame:
    """The deadline the policy sets, computed in Python for the few offending rows only."""
    due = [
        _sla_due(work, kind, received, limits[kind])
        for kind, received in rows.select("type", "received_at").iter_rows()
    ]
    return rows.with_columns(pl.Series("sla_due", due, dtype=pl.Datetime("us")))


def _unanswered(
    ctx: Context,
    tickets: pl.DataFrame,
    work: WorkingTime,
    limits: dict[str, int],
    now: dt.datetime,
    keep: list[str],
) -> None:
    received, deadline = pl.col("received_at"), pl.col("deadline")
    waiting = tickets.filter(pl.col("responded").is_null())
    past_sla = (
        pl.when(pl.col("type") == "complaint")
        .then((pl.lit(now) - received).dt.total_seconds() > limits["complaint"])
        .otherwise(work.seconds(received, pl.lit(now)) > limits["inquiry"])
    )
    overdue = waiting.filter(
        pl.when(deadline.is_not_null()).then(deadline < now).otherwise(past_sla)
    )
    if overdue.is_empty():
        return
    overdue = _with_sla_due(overdue, work, limits).with_columns(
        pl.coalesce(deadline, pl.col("sla_due")).alias("due")
    )
    ctx.flag(
        "tickets",
        with_rows(overdue, [*keep, "due"]),
        "first_response_at",
        "unanswered",
        as_of=ctx.as_of,
    )


def _deadline_too_late(
    ctx: Context,
    tickets: pl.DataFrame,
    work: WorkingTime,
    limits: dict[str, int],
    limit_hours: dict[str, int],
    keep: list[str],
) -> None:
    received, deadline = pl.col("received_at"), pl.col("deadline")
    calendar = (deadline - received).dt.total_seconds()
    for kind in SLA_TYPES:
        zh, en = pair(f"sla_limit.{kind}")
        rows = tickets.filter((pl.col("type") == kind) & (calendar > limits[kind]))
        if kind == "inquiry":
            rows = rows.filter(work.seconds(received, deadline) > limits[kind])
        if rows.is_empty():
            continue
        n = limit_hours[kind]
        ctx.flag(
            "tickets",
            with_rows(_with_sla_due(rows, work, limits), [*keep, "sla_due"]),
            "deadline",
            "deadline_too_late",
            severity=Severity.WARNING,
            limit_zh=zh.format(n=n),
            limit_en=en.format(n=n),
        )


@rule(
    "P7.3-effectiveness",
    severity=Severity.WARNING,
    policy="§7.3",
    needs=("improvements",),
)
def effectiveness(ctx: Context) -> None:
    """An improvement is carried out by its due date, and its effect checked after it.

    The check is due ``service.effectiveness_check_days`` after the improvement's due date.
    """
    frame = sheet(
        ctx, "improvements", "action_id", "due_date", "status", "check_date", "effectiveness"
    )
    if frame is None:
        return
    limit = ctx.config.service.effectiveness_check_days
    rows = frame.with_columns(
        days_since(pl.col("due_date"), ctx.as_of).alias("days"),
        *labels(pl.col("status"), PROGRESS, "status"),
    )
    keep = ["action_id", "due_date", "days", "status_zh", "status_en"]
    overdue = rows.filter((pl.col("days") > 0) & ~pl.col("status").is_in(FINISHED))
    ctx.flag("improvements", with_rows(overdue, keep), "due_date", "action_overdue")
    unchecked = rows.filter(
        (pl.col("status") == "done")
        & (pl.col("days") > limit)
        & (
            pl.col("check_date").is_null()
            | pl.col("effectiveness").is_null()
            | (pl.col("effectiveness") == "pending")
        )
    )
    ctx.flag(
        "improvements",
        with_rows(unchecked, ["check_date", *keep]),
        "check_date",
        "unchecked",
        limit=limit,
    )
