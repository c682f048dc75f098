"""§3 research rules on real workbooks: overdue plan items, reports to management."""

from __future__ import annotations

import pytest

from validation.rowkit import (
    AS_OF,
    config,
    date,
    hits,
    levels,
    messages,
    row,
    validate,
    write,
    xrow,
)

OVERDUE = "P3-plan-overdue"
REPORT = "P3.3-report-due"


def plan(i: int, **values) -> dict:
    return row("research_plan", research_id=f"RS{i:03d}", **values)


def test_a_clean_plan_has_no_findings(tmp_path):
    path = write(tmp_path, "marketing_plan", research_plan=[plan(0), plan(1, status="done")])
    assert validate(path).findings == []


def test_items_past_their_end_date_and_still_open_are_overdue(tmp_path):
    past = date(2026, 6, 1)
    rows = [
        plan(0),  # ends in July
        plan(1, end_date=past, status="todo"),
        plan(2, end_date=past, status="done"),
        plan(3, end_date=past, status="cancelled"),
        plan(4, end_date=AS_OF),  # ends today: not overdue yet
        plan(5, start_date=date(2026, 6, 10), end_date=past),  # out of order: date-order's
        plan(6, end_date=past, status="in_progress"),
    ]
    report = validate(write(tmp_path, "marketing_plan", research_plan=rows))
    assert hits(report, OVERDUE) == {
        ("research_plan", xrow(1), "end_date", OVERDUE),
        ("research_plan", xrow(6), "end_date", OVERDUE),
    }
    assert {s for *_, s in levels(report, OVERDUE)} == {"warning"}
    assert ("research_plan", xrow(5), "end_date", "date-order") in hits(report, "date-order")
    assert all("2026-06-01" in m and "14 天" in m for m in messages(report, OVERDUE))


def test_the_latest_report_must_be_recent(tmp_path):
    stale = [plan(0, report_date=date(2026, 1, 5)), plan(1, report_date=date(2026, 3, 14))]
    report = validate(write(tmp_path, "marketing_plan", research_plan=stale))
    assert hits(report, REPORT) == {("research_plan", xrow(1), "report_date", REPORT)}
    assert "2026-03-14" in messages(report, REPORT)[0]


def test_a_report_exactly_three_months_old_is_in_time(tmp_path):
    rows = [plan(0, report_date=date(2026, 3, 15))]
    assert not hits(validate(write(tmp_path, "marketing_plan", research_plan=rows)), REPORT)


def test_no_report_at_all_is_reported_once_for_the_sheet(tmp_path):
    rows = [plan(0, start_date=date(2026, 1, 5), report_date=None), plan(1, report_date=None)]
    report = validate(write(tmp_path, "marketing_plan", research_plan=rows))
    assert hits(report, REPORT) == {("research_plan", None, None, REPORT)}
    assert "2026-01-05" in messages(report, REPORT)[0]


def test_a_young_plan_without_reports_is_not_judged(tmp_path):
    rows = [plan(0, start_date=date(2026, 4, 1), report_date=None)]
    assert not hits(validate(write(tmp_path, "marketing_plan", research_plan=rows)), REPORT)


def test_the_report_interval_comes_from_the_configuration(tmp_path):
    rows = [plan(0, report_date=date(2026, 3, 1))]
    path = write(tmp_path, "marketing_plan", research_plan=rows)
    assert hits(validate(path), REPORT)
    settings = config(overrides={"research": {"report_every_months": 6}})
    assert not hits(validate(path, settings=settings), REPORT)


def _failing(tmp_path):
    rows = [plan(0, end_date=date(2026, 6, 1), report_date=date(2026, 1, 5))]
    return write(tmp_path, "marketing_plan", research_plan=rows)


@pytest.mark.parametrize("rule_id", [OVERDUE, REPORT])
def test_a_rule_switched_off_is_silent(tmp_path, rule_id):
    path = _failing(tmp_path)
    assert hits(validate(path), rule_id)
    off = config(**{rule_id: {"enabled": False}})
    assert not hits(validate(path, settings=off), rule_id)


@pytest.mark.parametrize("rule_id", [OVERDUE, REPORT])
def test_a_configured_severity_applies(tmp_path, rule_id):
    report = validate(_failing(tmp_path), settings=config(**{rule_id: {"severity": "error"}}))
    assert {s for *_, s in levels(report, rule_id)} == {"error"}
