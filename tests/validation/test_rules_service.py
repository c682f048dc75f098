"""§7 service rules on real workbooks: reply time limits, improvements checked for effect."""

from __future__ import annotations

import datetime as dt
import random

import polars as pl
import pytest

from mops.validation.rules.service import WorkingTime
from validation.rowkit import at, config, date, hits, levels, messages, row, validate, write, xrow

SLA = "P7.1-response-sla"
EFFECT = "P7.3-effectiveness"
# 2026-06-05 is a Friday; AS_OF, 2026-06-15, a Monday. Working hours: 09:00–18:00, Mon–Fri.


def ticket(i: int, kind: str, received: dt.datetime, first=None, **values) -> dict:
    """A ticket received at ``received`` and first answered at ``first`` (None: not yet)."""
    values.setdefault("deadline", None)
    values.setdefault("resolved_at", None)
    values.setdefault("status", "in_progress" if first else "new")
    values.setdefault("satisfaction", None)
    return row(
        "tickets", ticket_id=f"CS2026-{i:04d}", type=kind, received_at=received,
        first_response_at=first, **values,
    )  # fmt: skip


def test_tickets_answered_in_time_have_no_findings(tmp_path):
    rows = [row("tickets"), ticket(2, "inquiry", at(2026, 6, 5, 17), at(2026, 6, 8, 15, 59))]
    assert validate(write(tmp_path, "service", tickets=rows)).findings == []


def test_replies_later_than_the_limit_are_errors(tmp_path):
    rows = [
        ticket(0, "complaint", at(2026, 6, 10, 10), at(2026, 6, 10, 11)),
        ticket(1, "complaint", at(2026, 6, 8, 10), at(2026, 6, 9, 10, 1)),  # 24 h 1 min
        ticket(2, "complaint", at(2026, 6, 8, 10), at(2026, 6, 9, 10)),  # exactly 24 h
        ticket(3, "inquiry", at(2026, 6, 5, 17), at(2026, 6, 8, 15, 59)),  # 1 h Fri + 6:59 Mon
        ticket(4, "inquiry", at(2026, 6, 5, 17), at(2026, 6, 8, 16, 30)),  # 8.5 working hours
        ticket(5, "inquiry", at(2026, 6, 9, 20), at(2026, 6, 10, 17)),  # after hours: 8 h
        ticket(6, "inquiry", at(2026, 6, 2, 8), at(2026, 6, 4, 10)),  # 9 + 9 + 1 h
        ticket(7, "feedback", at(2026, 5, 1, 10), at(2026, 5, 20, 10)),  # no limit
        ticket(8, "complaint", at(2026, 6, 1, 10), resolved_at=at(2026, 6, 3, 10),
               status="closed"),  # resolved, never answered first: 48 h
    ]  # fmt: skip
    report = validate(write(tmp_path, "service", tickets=rows))
    assert levels(report, SLA) == {
        ("tickets", xrow(1), "first_response_at", "error"),
        ("tickets", xrow(4), "first_response_at", "error"),
        ("tickets", xrow(6), "first_response_at", "error"),
        ("tickets", xrow(8), "first_response_at", "error"),
    }
    text = messages(report, SLA)
    assert any("CS2026-0004" in m and "8 小時 30 分" in m for m in text)
    assert any("CS2026-0006" in m and "共 19 小時，" in m for m in text)
    assert any("CS2026-0001" in m and "24 小時 1 分" in m for m in text)


def test_unanswered_tickets_past_their_deadline_are_errors(tmp_path):
    rows = [
        ticket(0, "complaint", at(2026, 6, 13, 10)),  # due Sunday 10:00: passed
        ticket(1, "complaint", at(2026, 6, 14, 10)),  # due today 10:00: not yet
        ticket(2, "inquiry", at(2026, 6, 12, 10)),  # 8 working hours by Friday 18:00: not past
        ticket(3, "inquiry", at(2026, 6, 11, 10)),  # due Thursday 18:00
        ticket(4, "inquiry", at(2026, 6, 12, 9), deadline=at(2026, 6, 12, 12)),
        ticket(5, "feedback", at(2026, 5, 1, 10)),
        ticket(6, "complaint", at(2026, 6, 12, 10), deadline=at(2026, 6, 15, 9)),  # not yet
    ]
    report = validate(write(tmp_path, "service", tickets=rows))
    assert hits(report, SLA) == {
        ("tickets", xrow(0), "first_response_at", SLA),
        ("tickets", xrow(3), "first_response_at", SLA),
        ("tickets", xrow(4), "first_response_at", SLA),
        ("tickets", xrow(6), "deadline", SLA),  # its recorded deadline is beyond 24 h
    }
    text = messages(report, SLA)
    assert any("CS2026-0003" in m and "2026-06-11 18:00" in m for m in text)
    assert any("CS2026-0000" in m and "2026-06-14 10:00" in m for m in text)


def test_a_recorded_deadline_later_than_the_limit_is_a_warning(tmp_path):
    rows = [
        ticket(0, "complaint", at(2026, 6, 10, 10), at(2026, 6, 10, 11),
               deadline=at(2026, 6, 11, 12)),
        ticket(1, "inquiry", at(2026, 6, 5, 17), at(2026, 6, 8, 10),
               deadline=at(2026, 6, 8, 17)),  # 9 working hours
        ticket(2, "inquiry", at(2026, 6, 5, 17), at(2026, 6, 8, 10),
               deadline=at(2026, 6, 8, 16)),  # exactly 8
        ticket(3, "complaint", at(2026, 6, 10, 10), at(2026, 6, 10, 11),
               deadline=at(2026, 6, 11, 10)),
    ]  # fmt: skip
    report = validate(write(tmp_path, "service", tickets=rows))
    assert levels(report, SLA) == {
        ("tickets", xrow(0), "deadline", "warning"),
        ("tickets", xrow(1), "deadline", "warning"),
    }
    text = messages(report, SLA)
    assert any("CS2026-0001" in m and "2026-06-08 16:00" in m for m in text)
    assert any("CS2026-0000" in m and "2026-06-11 10:00" in m for m in text)


def _reference_seconds(work: WorkingTime, since: dt.datetime, until: dt.datetime) -> int:
    """Working seconds the slow, obvious way: each day's overlap with its working window."""
    total, day = 0, since.date()
    while day <= until.date():
        if day.isoweekday() in work.days:
            lo = max(since, dt.datetime.combine(day, work.start))
            hi = min(until, dt.datetime.combine(day, work.end))
            total += max(0, int((hi - lo).total_seconds()))
        day += dt.timedelta(days=1)
    return total


@pytest.mark.parametrize("days", [(1, 2, 3, 4, 5), (1, 2, 3, 4, 5, 6), (2, 4, 7)])
def test_working_seconds_agree_with_a_day_by_day_count(days):
    work = WorkingTime(dt.time(9), dt.time(18), frozenset(days))
    rng = random.Random(7)
    base = dt.datetime(2026, 5, 1)
    pairs = []
    for _ in range(500):
        since = base + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 40))
        pairs.append((since, since + dt.timedelta(minutes=rng.randrange(-600, 60 * 24 * 12))))
    frame = pl.DataFrame(pairs, schema=["a", "b"], orient="row")
    got = frame.select(work.seconds(pl.col("a"), pl.col("b"))).to_series().to_list()
    assert got == [_reference_seconds(work, a, b) for a, b in pairs]
    for since, _ in pairs[:100]:
        due = work.add(since, 8 * 3600)
        assert _reference_seconds(work, since, due) == 8 * 3600
        assert due.isoweekday() in work.days


def action(i: int, **values) -> dict:
    return row("improvements", action_id=f"IM{i:03d}", **values)


def test_improvements_are_carried_out_and_checked_for_effect(tmp_path):
    done = dict(status="done", due_date=date(2026, 4, 1))
    rows = [
        action(0),
        action(1, due_date=date(2026, 6, 1)),
        action(2, **done),
        action(3, **done, check_date=date(2026, 5, 1), effectiveness="effective"),
        action(4, **done, check_date=date(2026, 5, 1), effectiveness="pending"),
        action(5, status="done", due_date=date(2026, 5, 1)),  # 45 days: check not due yet
        action(6, status="cancelled", due_date=date(2026, 5, 1)),
    ]
    report = validate(write(tmp_path, "service", improvements=rows))
    assert levels(report, EFFECT) == {
        ("improvements", xrow(1), "due_date", "warning"),
        ("improvements", xrow(2), "check_date", "warning"),
        ("improvements", xrow(4), "check_date", "warning"),
    }
    assert any("IM001" in m and "14 天" in m for m in messages(report, EFFECT))


def _failing(tmp_path):
    rows = [ticket(0, "complaint", at(2026, 6, 8, 10), at(2026, 6, 10, 10))]
    improvements = [action(1, due_date=date(2026, 6, 1))]
    return write(tmp_path, "service", tickets=rows, improvements=improvements)


def test_the_limits_come_from_the_configuration(tmp_path):
    settings = config(
        overrides={
            "service": {"complaint_response_hours": 72, "working_days": [1, 2, 3, 4, 5, 6, 7]}
        }
    )
    rows = [
        ticket(0, "complaint", at(2026, 6, 8, 10), at(2026, 6, 10, 10)),
        ticket(1, "inquiry", at(2026, 6, 5, 17), at(2026, 6, 8, 10)),  # Sat and Sun now count
    ]
    report = validate(write(tmp_path, "service", tickets=rows), settings=settings)
    assert hits(report, SLA) == {("tickets", xrow(1), "first_response_at", SLA)}


@pytest.mark.parametrize("rule_id", [SLA, EFFECT])
def test_a_rule_switched_off_is_silent(tmp_path, rule_id):
    path = _failing(tmp_path)
    assert hits(validate(path), rule_id)
    off = config(**{rule_id: {"enabled": False}})
    assert not hits(validate(path, settings=off), rule_id)


@pytest.mark.parametrize("rule_id", [SLA, EFFECT])
def test_a_configured_severity_applies(tmp_path, rule_id):
    report = validate(_failing(tmp_path), settings=config(**{rule_id: {"severity": "info"}}))
    assert levels(report, rule_id)
    assert {s for *_, s in levels(report, rule_id)} == {"info"}
