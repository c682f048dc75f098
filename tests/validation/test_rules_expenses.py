"""§8 expense rules on real workbooks: approver, approval and audit before payment, budget."""

from __future__ import annotations

import pytest

from validation.rowkit import D, config, date, hits, levels, messages, row, validate, write, xrow

APPROVER = "P8.2-approver"
AUDIT = "P8.2-audit"
OVERSPEND = "P8.3-overspend"
UNSETTLED = dict(
    approval="pending", approval_date=None, auditor=None, audit="pending", audit_date=None,
    reimbursed=False, reimbursed_date=None,
)  # fmt: skip


def claim(i: int, **values) -> dict:
    return row("claims", claim_id=f"EX{i:03d}", **values)


def budget(i: int, month: int, category: str, item: str, amount: int) -> dict:
    return row(
        "expense_budget", budget_id=f"EB{i:03d}", month=month, category=category, item=item,
        amount=D(amount),
    )  # fmt: skip


def test_clean_claims_within_budget_have_no_findings(tmp_path):
    path = write(
        tmp_path, "expenses",
        expense_budget=[budget(0, 6, "promotion", "advertising", 100_000)],
        claims=[claim(0), claim(1, amount=D(20_000), **UNSETTLED)],
    )  # fmt: skip
    assert validate(path).findings == []


def test_nobody_approves_their_own_claim_and_approvals_name_the_approver(tmp_path):
    rows = [
        claim(0),
        claim(1, approver="林小華"),  # the claimant
        claim(2, approver=None),
        claim(3, **{**UNSETTLED, "approver": None}),  # not decided yet: no approver needed
    ]
    report = validate(write(tmp_path, "expenses", claims=rows))
    assert levels(report, APPROVER) == {
        ("claims", xrow(1), "approver", "error"),
        ("claims", xrow(2), "approver", "error"),
    }
    assert any("EX001" in m and "林小華" in m for m in messages(report, APPROVER))


def test_claims_are_paid_only_after_approval_and_audit_and_filed_promptly(tmp_path):
    rows = [
        claim(0),
        claim(1, approval="pending", approval_date=None),  # paid, audited, never approved
        claim(2, audit="pending", auditor=None, audit_date=None),  # paid, never audited
        claim(3, approval="rejected", reimbursed=False, reimbursed_date=None),  # audited anyway
        claim(4, expense_date=date(2026, 4, 20), claim_date=date(2026, 5, 31)),  # 41 days
        claim(5, expense_date=date(2026, 5, 4), claim_date=date(2026, 6, 3)),  # 30 days
    ]
    report = validate(write(tmp_path, "expenses", claims=rows))
    assert levels(report, AUDIT) == {
        ("claims", xrow(1), "reimbursed", "error"),
        ("claims", xrow(2), "reimbursed", "error"),
        ("claims", xrow(3), "audit", "error"),
        ("claims", xrow(4), "claim_date", "warning"),
    }
    text = messages(report, AUDIT)
    assert any("EX002" in m and "待審" in m for m in text)
    assert any("EX004" in m and "41 天" in m for m in text)


def _budgeted(tmp_path):
    budgets = [
        budget(0, 6, "promotion", "advertising", 60_000),
        budget(1, 6, "promotion", "events", 40_000),
        budget(2, 5, "promotion", "advertising", 100_000),
        budget(3, 6, "sales", "travel", 50_000),
        budget(4, 4, "service", "training", 0),
        budget(5, 3, "promotion", "advertising", 100_000),
    ]
    claims = [
        claim(0, amount=D(50_000)),  # June promotion: 95,000 of 100,000
        claim(1, amount=D(45_000), item="events"),
        claim(2, expense_date=date(2026, 5, 10), claim_date=date(2026, 5, 12), amount=D(100_000)),
        claim(3, expense_date=date(2026, 5, 11), claim_date=date(2026, 5, 12), amount=D(1)),
        claim(4, expense_date=date(2026, 5, 11), claim_date=date(2026, 5, 12),
              amount=D(500_000), approval="rejected", audit="pending", auditor=None,
              audit_date=None, reimbursed=False, reimbursed_date=None),  # rejected: not spend
        claim(5, category="sales", item="travel", amount=D(45_000)),  # exactly 90 %
        claim(6, category="service", item="gifts", amount=D(1_000)),  # June service: no budget
        claim(7, category="service", item="training", expense_date=date(2026, 4, 10),
              claim_date=date(2026, 4, 12), amount=D(500)),  # budget of 0
        claim(8, expense_date=date(2026, 3, 10), claim_date=date(2026, 3, 12),
              amount=D(50_000)),
    ]  # fmt: skip
    return write(tmp_path, "expenses", expense_budget=budgets, claims=claims)


def test_spend_is_compared_with_the_budget_of_its_category_and_month(tmp_path):
    report = validate(_budgeted(tmp_path))
    assert levels(report, OVERSPEND) == {
        ("expense_budget", xrow(0), "amount", "warning"),
        ("expense_budget", xrow(1), "amount", "warning"),
        ("expense_budget", xrow(2), "amount", "error"),
        ("expense_budget", xrow(3), "amount", "warning"),
        ("expense_budget", xrow(4), "amount", "error"),
        ("expense_budget", None, None, "error"),
    }
    text = messages(report, OVERSPEND)
    assert any("95000" in m and "100000" in m and "95%" in m for m in text)
    assert any("100001" in m and "100%" in m for m in text)
    assert any("2026 年 6 月「客戶服務費用」" in m and "1000" in m for m in text)


def test_the_overspend_thresholds_come_from_the_configuration(tmp_path):
    settings = config(overrides={"expenses": {"overspend_warn": D("0.96")}})
    report = validate(_budgeted(tmp_path), settings=settings)
    assert not {r for _, r, *_ in hits(report, OVERSPEND)} & {xrow(0), xrow(1), xrow(3)}


def _failing(tmp_path):
    budgets = [budget(0, 6, "promotion", "advertising", 10_000)]
    claims = [
        claim(1, approver="林小華", approval="pending", approval_date=None),
        claim(2, expense_date=date(2026, 4, 1), claim_date=date(2026, 6, 1)),
    ]
    return write(tmp_path, "expenses", expense_budget=budgets, claims=claims)


@pytest.mark.parametrize("rule_id", [APPROVER, AUDIT, OVERSPEND])
def test_a_rule_switched_off_is_silent(tmp_path, rule_id):
    path = _failing(tmp_path)
    assert hits(validate(path), rule_id)
    off = config(**{rule_id: {"enabled": False}})
    assert not hits(validate(path, settings=off), rule_id)


@pytest.mark.parametrize("rule_id", [APPROVER, AUDIT, OVERSPEND])
def test_a_configured_severity_applies(tmp_path, rule_id):
    report = validate(_failing(tmp_path), settings=config(**{rule_id: {"severity": "info"}}))
    assert levels(report, rule_id)
    assert {s for *_, s in levels(report, rule_id)} == {"info"}
