"""§7 Customer service: complaints and inquiries answered in time; improvements checked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from mops.config import Service
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
    return [
        pl.when(some)
        .then(pl.format("{} 小時 {} 分", hours, minutes))
        .otherwise(pl.format("{} 小時", hours))
        .alias("elapsed_zh"),
        pl.when(some)
        .then(pl.format("{} h {} min", hours, minutes))
        .otherwise(pl.format("{} h", hours))
        .alias("elapsed_en"),
    ]


LIMIT_TEXT = {
    "complaint": ("{n} 小時", "{n} hours"),
    "inquiry": ("{n} 個工作小時", "{n} working hours"),
}


@rule(
    "P7.1-response-sla",
    severity=Severity.ERROR,
    policy="§7.1",
    title=("客戶回覆超過時限", "Reply to the customer too late"),
    messages={
        "complaint_late": (
            "投訴 {ticket_id} 於 {received_at} 受理，{responded} 才回覆，相隔 {elapsed_zh}，超過"
            "規定的 {limit} 小時：投訴須在時限內回覆客戶；請檢討延誤原因，並確認時間填寫正確"
            "（政策 7.1）。",
            "Complaint {ticket_id} was received at {received_at} and answered at {responded}, "
            "{elapsed_en} later, beyond the {limit}-hour limit: complaints are answered within "
            "the limit; find out why it was late, and check the times (policy 7.1).",
        ),
        "inquiry_late": (
            "諮詢 {ticket_id} 於 {received_at} 受理，{responded} 才回覆，其間工作時間共 "
            "{elapsed_zh}，超過規定的 {limit} 個工作小時：諮詢須及時回覆；請檢討延誤原因，"
            "並確認時間填寫正確（政策 7.1）。",
            "Inquiry {ticket_id} was received at {received_at} and answered at {responded}, "
            "{elapsed_en} of working time later, beyond the {limit}-working-hour limit: "
            "inquiries are answered promptly; find out why it was late, and check the times "
            "(policy 7.1).",
        ),
        "unanswered": (
            "{type_zh} {ticket_id} 於 {received_at} 受理，回覆期限 {due} 已過，至 {as_of} 仍無回覆"
            "紀錄：請立即回覆客戶並填寫首次回覆時間（政策 7.1）。",
            "{type_en} {ticket_id} was received at {received_at}; its reply deadline {due} has "
            "passed and there is no reply as of {as_of}: answer the customer now and fill in the "
            "first response time (policy 7.1).",
        ),
        "deadline_too_late": (
            "{type_zh} {ticket_id} 的回覆期限 {deadline} 晚於規定：須於受理後 {limit_zh}內回覆，"
            "期限應不晚於 {sla_due}；請更正回覆期限（政策 7.1）。",
            "{type_en} {ticket_id} has a reply deadline of {deadline}, later than allowed: the "
            "reply is due within {limit_en} of receipt, by {sla_due} at the latest; correct the "
            "deadline (policy 7.1).",
        ),
    },
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
    for kind, (zh, en) in LIMIT_TEXT.items():
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
    title=("改善措施未落實或未驗證成效", "Improvement not done or not checked"),
    messages={
        "action_overdue": (
            "改善措施 {action_id} 已於 {due_date} 到期（逾期 {days} 天），狀態仍為「{status_zh}」："
            "請落實改善措施並更新狀態，或與主管確認後調整期限（政策 7.3）。",
            "Improvement {action_id} was due on {due_date}, {days} days ago, and is still "
            "'{status_en}': carry it out and update its status, or agree a new due date with your "
            "manager (policy 7.3).",
        ),
        "unchecked": (
            "改善措施 {action_id} 於 {due_date} 到期，已超過 {limit} 天仍未確認成效：請以定期檢查"
            "與客戶回饋驗證措施是否有效，並填寫成效確認日與成效（政策 7.3）。",
            "Improvement {action_id} was due on {due_date}, more than {limit} days ago, and its "
            "effect has not been checked: check it against later records and customer feedback, "
            "and fill in the check date and the effectiveness (policy 7.3).",
        ),
    },
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
