"""Small helpers of the demo: dates as staff type them, working days and hours, amounts split."""

from __future__ import annotations

import calendar
import random
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal

from mops.demodata.policy import WORKDAY_END, WORKDAY_START


def minguo(day: date) -> str:
    """The date as staff in Taiwan often type it: Minguo year/month/day."""
    return f"{day.year - 1911}/{day.month:02d}/{day.day:02d}"


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def to_workday(day: date, forward: bool = False) -> date:
    """Move a weekend date to the Friday before (or the Monday after)."""
    while day.weekday() >= 5:
        day += timedelta(days=1 if forward else -1)
    return day


def year_earlier(day: date) -> date:
    """The same day a year earlier: the usual way a typed end date lands before its start."""
    return day.replace(year=day.year - 1, day=min(day.day, 28))


def _next_working_moment(t: datetime) -> datetime:
    while True:
        day_end = t.replace(hour=WORKDAY_END, minute=0, second=0, microsecond=0)
        if t.weekday() >= 5 or t >= day_end:
            t = datetime.combine(t.date() + timedelta(days=1), dtime(WORKDAY_START))
        elif t.hour < WORKDAY_START:
            return t.replace(hour=WORKDAY_START, minute=0, second=0, microsecond=0)
        else:
            return t


def add_working_hours(t: datetime, hours: float) -> datetime:
    """``t`` plus working hours, counting only 09:00–18:00 Monday to Friday."""
    remaining = timedelta(hours=hours)
    t = _next_working_moment(t)
    while True:
        day_end = t.replace(hour=WORKDAY_END, minute=0, second=0, microsecond=0)
        if t + remaining <= day_end:
            return t + remaining
        remaining -= day_end - t
        t = _next_working_moment(day_end)


def split(rng: random.Random, total: int, parts: int, step: int) -> list[int]:
    """Split ``total`` into ``parts`` positive multiples of ``step``; the last takes the rest."""
    if parts <= 1:
        return [total]
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    scale = total / sum(weights)
    amounts = [max(step, round(w * scale / step) * step) for w in weights[:-1]]
    while total - sum(amounts) < step:
        # Rounding took the whole rest: give one step back from the largest share.
        amounts[amounts.index(max(amounts))] -= step
    return [*amounts, total - sum(amounts)]


def pct(value: float, places: int = 2) -> Decimal:
    return Decimal(f"{value:.{places}f}")
