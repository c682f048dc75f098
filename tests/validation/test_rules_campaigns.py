"""§4 campaign rules on real workbooks: approval, tasks and progress, evaluation, spending."""

from __future__ import annotations

import datetime as dt

import pytest

from validation.rowkit import D, config, date, hits, levels, messages, row, validate, write, xrow

APPROVAL = "P4.1-approval"
TASKS = "P4.2-task-owner"
EVALUATION = "P4.2-evaluation-due"


def campaign(i: int, **values) -> dict:
    """Campaign MC2026-<i>; an approved-like one gets its review and approval before its start."""
    start = values.get("start_date", date(2026, 7, 1))
    values.setdefault("end_date", start + dt.timedelta(days=30))
    values.setdefault("review_date", start - dt.timedelta(days=10))
    values.setdefault("approval_date", start - dt.timedelta(days=5))
    return row("campaigns", campaign_id=f"MC2026-{i:03d}", **values)


def evaluated(i: int, **values) -> dict:
    """A closed campaign that ended on 2026-04-30 and was fully evaluated."""
    values = {
        "status": "closed", "start_date": date(2026, 4, 1), "end_date": date(2026, 4, 30),
        "evaluation_date": date(2026, 5, 10), "actual_participants": 90, "actual_leads": 25,
        "actual_revenue": D("800000"), "actual_awareness_lift": D("0.04"),
        "actual_satisfaction": D("4.2"), "lessons": "報名期應提早", **values,
    }  # fmt: skip
    return campaign(i, **values)


def task(i: int, campaign_no: int, **values) -> dict:
    return row("campaign_tasks", task_id=f"TK{i:03d}", campaign_id=f"MC2026-{campaign_no:03d}",
               **values)  # fmt: skip


def review(i: int, campaign_no: int, day: dt.date) -> dict:
    return row(
        "progress_reviews", review_id=f"PR{i:03d}", campaign_id=f"MC2026-{campaign_no:03d}",
        date=day,
    )  # fmt: skip


def test_a_clean_plan_has_no_findings(tmp_path):
    running = dict(status="executing", start_date=date(2026, 6, 1))
    path = write(
        tmp_path, "marketing_plan",
        campaigns=[campaign(0), campaign(1, **running), evaluated(2), campaign(3, status="draft")],
        campaign_tasks=[task(0, 1)],
        progress_reviews=[review(0, 1, date(2026, 6, 10))],
    )  # fmt: skip
    assert validate(path).findings == []


def test_a_campaign_runs_only_after_review_and_approval(tmp_path):
    started = date(2026, 6, 1)
    rows = [
        campaign(0),
        campaign(1, reviewer=None),
        campaign(2, review_date=None),
        campaign(3, status="executing", start_date=started, approver=None),
        campaign(4, approval_date=None),  # approved, starts in July
        campaign(5, status="executing", start_date=started, approval_date=None),
        campaign(6, status="closed", start_date=date(2026, 5, 3), approval_date=date(2026, 5, 3)),
        campaign(7, status="draft", start_date=date(2026, 6, 10)),
        campaign(8, status="rejected", start_date=date(2026, 6, 10)),
        campaign(9, status="draft"),
        campaign(10, review_date=date(2026, 6, 27)),  # reviewed after approval: date-order's
    ]
    report = validate(write(tmp_path, "marketing_plan", campaigns=rows))
    assert levels(report, APPROVAL) == {
        ("campaigns", xrow(1), "reviewer", "error"),
        ("campaigns", xrow(2), "review_date", "error"),
        ("campaigns", xrow(3), "approver", "error"),
        ("campaigns", xrow(4), "approval_date", "error"),
        ("campaigns", xrow(5), "approval_date", "error"),
        ("campaigns", xrow(6), "approval_date", "error"),
        ("campaigns", xrow(7), "status", "warning"),
    }
    assert ("campaigns", xrow(10), "approval_date", "date-order") in hits(report, "date-order")
    started_msg = next(m for m in messages(report, APPROVAL) if "MC2026-005" in m)
    assert "2026-06-01" in started_msg and "執行中" in started_msg


def test_no_money_is_spent_on_a_campaign_before_its_approval(tmp_path):
    plan = write(
        tmp_path, "marketing_plan",
        campaigns=[
            campaign(0, approval_date=date(2026, 6, 5)),
            campaign(1, status="draft"),
            campaign(2, status="submitted"),
        ],
    )  # fmt: skip
    claims = [
        row("claims", claim_id="EX001", campaign_id="MC2026-000", expense_date=date(2026, 6, 10)),
        row("claims", claim_id="EX002", campaign_id="MC2026-001", expense_date=date(2026, 6, 10)),
        row("claims", claim_id="EX003", campaign_id="MC2026-000", expense_date=date(2026, 6, 1)),
        row("claims", claim_id="EX004"),
        row("claims", claim_id="EX005", campaign_id="mc2026-002", expense_date=date(2026, 6, 10)),
    ]
    expenses = write(tmp_path, "expenses", claims=claims)
    report = validate(plan, expenses)
    assert hits(report, APPROVAL) == {
        ("claims", xrow(1), "campaign_id", APPROVAL),
        ("claims", xrow(2), "expense_date", APPROVAL),
        ("claims", xrow(4), "campaign_id", APPROVAL),
    }
    assert any("草稿" in m and "EX002" in m for m in messages(report, APPROVAL))


def test_executing_campaigns_have_tasks_on_time_and_regular_reviews(tmp_path):
    def running(i: int, start: dt.date | None = None) -> dict:
        return campaign(i, status="executing", start_date=start or date(2026, 5, 1))

    campaigns = [
        running(0),
        running(1),  # no tasks
        running(2),  # last review 2026-05-20, 26 days ago
        running(3),  # never reviewed since 2026-05-01
        running(4, date(2026, 6, 10)),  # started 5 days ago: no review due yet
        campaign(5),  # approved, not started: needs neither tasks nor reviews yet
        running(6),  # reviewed 2026-06-01, exactly 14 days ago
    ]
    tasks = [
        task(0, 0),
        task(1, 2, due_date=date(2026, 6, 1)),
        task(2, 3, due_date=date(2026, 6, 1), status="done", done_date=date(2026, 5, 30)),
        task(3, 4, due_date=date(2026, 6, 14), status="todo"),
        task(4, 2, owner=None),
        task(5, 6, due_date=date(2026, 5, 1), status="cancelled"),
    ]
    reviews = [
        review(0, 0, date(2026, 6, 10)),
        review(1, 2, date(2026, 5, 20)),
        review(2, 2, date(2026, 5, 1)),
        review(3, 6, date(2026, 6, 1)),
    ]
    path = write(
        tmp_path, "marketing_plan", campaigns=campaigns, campaign_tasks=tasks,
        progress_reviews=reviews,
    )  # fmt: skip
    report = validate(path)
    assert levels(report, TASKS) == {
        ("campaigns", xrow(1), "campaign_id", "warning"),
        ("campaigns", xrow(2), "campaign_id", "warning"),
        ("campaigns", xrow(3), "campaign_id", "warning"),
        ("campaign_tasks", xrow(1), "due_date", "warning"),
        ("campaign_tasks", xrow(3), "due_date", "warning"),
        ("campaign_tasks", xrow(4), "owner", "error"),  # blank owner, from the cell pass
    }
    text = messages(report, TASKS)
    assert any("2026-05-20" in m and "12 天" in m for m in text)  # 26 days, 14 allowed
    assert any("TK001" in m and "2026-06-01" in m for m in text)


def test_an_ended_campaign_is_evaluated_against_its_targets(tmp_path):
    rows = [
        evaluated(0),
        evaluated(1, evaluation_date=None),
        evaluated(2, end_date=date(2026, 5, 16), evaluation_date=None),  # 30 days: just in time
        evaluated(3, end_date=date(2026, 5, 15), evaluation_date=None),
        evaluated(4, actual_leads=None),
        evaluated(
            5, actual_participants=None, actual_leads=None, actual_revenue=None,
            actual_awareness_lift=None, actual_satisfaction=None,
        ),
        evaluated(6, status="rejected", evaluation_date=None),
        evaluated(7, status="executing", evaluation_date=None),
        evaluated(8, target_leads=None, actual_leads=None),  # no target, no actual: fine
    ]  # fmt: skip
    report = validate(write(tmp_path, "marketing_plan", campaigns=rows))
    assert levels(report, EVALUATION) == {
        ("campaigns", xrow(1), "evaluation_date", "warning"),
        ("campaigns", xrow(3), "evaluation_date", "warning"),
        ("campaigns", xrow(4), "actual_leads", "warning"),
        ("campaigns", xrow(5), "evaluation_date", "warning"),
        ("campaigns", xrow(7), "evaluation_date", "warning"),
    }
    assert any("2026-05-15" in m and "1 天" in m for m in messages(report, EVALUATION))


def test_the_evaluation_delay_comes_from_the_configuration(tmp_path):
    path = write(tmp_path, "marketing_plan", campaigns=[evaluated(1, evaluation_date=None)])
    settings = config(overrides={"campaigns": {"evaluation_due_days": 60}})
    assert hits(validate(path), EVALUATION)
    assert not hits(validate(path, settings=settings), EVALUATION)


def _failing(tmp_path):
    return write(
        tmp_path, "marketing_plan",
        campaigns=[
            campaign(1, approver=None),
            campaign(2, status="executing", start_date=date(2026, 5, 1)),
            evaluated(3, evaluation_date=None),
        ],
        campaign_tasks=[task(1, 2, owner=None, due_date=date(2026, 6, 1))],
    )  # fmt: skip


@pytest.mark.parametrize("rule_id", [APPROVAL, TASKS, EVALUATION])
def test_a_rule_switched_off_is_silent(tmp_path, rule_id):
    path = _failing(tmp_path)
    assert hits(validate(path), rule_id)
    off = config(**{rule_id: {"enabled": False}})
    assert not hits(validate(path, settings=off), rule_id)


@pytest.mark.parametrize("rule_id", [APPROVAL, TASKS, EVALUATION])
def test_a_configured_severity_applies(tmp_path, rule_id):
    report = validate(_failing(tmp_path), settings=config(**{rule_id: {"severity": "info"}}))
    assert levels(report, rule_id)
    assert {s for *_, s in levels(report, rule_id)} == {"info"}
