"""§6 sales rules on real workbooks: targets that add up, legal review, overdue receivables."""

from __future__ import annotations

import pytest

from validation.rowkit import D, config, date, hits, levels, messages, row, validate, write, xrow

TARGETS = "P6.1-targets-add-up"
LEGAL = "P6.3-legal-review"
RECEIVABLE = "P6.3-receivable-overdue"


def breakdown(person: str, code: str, *, quarters: bool = True) -> list[dict]:
    """A year of targets that add up: 100,000 revenue, 30,000 profit, 1 customer a month."""

    def target(suffix: str, period: str, n: int, **values) -> dict:
        return row(
            "targets", target_id=f"T-{code}-{suffix}", salesperson=person, period_type=period,
            revenue=D(100_000 * n), profit=D(30_000 * n), new_customers=n, **values,
        )  # fmt: skip

    rows = [target("Y", "year", 12)]
    if quarters:
        rows += [target(f"Q{q}", "quarter", 3, quarter=q) for q in range(1, 5)]
    rows += [
        target(f"M{m:02d}", "month", 1, month=m, quarter=(m - 1) // 3 + 1) for m in range(1, 13)
    ]
    return rows  # fmt: skip


def index(rows: list[dict], target_id: str) -> int:
    return next(i for i, r in enumerate(rows) if r["target_id"] == target_id)


def test_targets_that_add_up_have_no_findings(tmp_path):
    rows = breakdown("李業務", "A") + breakdown("陳業務", "B", quarters=False)
    assert validate(write(tmp_path, "sales", targets=rows)).findings == []


def test_months_add_up_to_quarters_and_quarters_to_the_year(tmp_path):
    rows = breakdown("李業務", "A") + breakdown("陳業務", "B", quarters=False)
    rows[index(rows, "T-A-M05")]["revenue"] = D(150_000)  # Q2 no longer matches its months
    rows[index(rows, "T-A-Y")]["profit"] = D(350_000)  # the year no longer matches its quarters
    rows[index(rows, "T-B-Y")]["new_customers"] = 13  # a year without quarters: vs its months
    report = validate(write(tmp_path, "sales", targets=rows))
    assert hits(report, TARGETS) == {
        ("targets", xrow(index(rows, "T-A-Q2")), "revenue", TARGETS),
        ("targets", xrow(index(rows, "T-A-Y")), "profit", TARGETS),
        ("targets", xrow(index(rows, "T-B-Y")), "new_customers", TARGETS),
    }
    q2 = next(m for m in messages(report, TARGETS) if "第 2 季" in m)
    assert "300000" in q2 and "350000" in q2 and "-50000" in q2


def test_quarter_and_month_fit_the_period_type(tmp_path):
    def lone(i: int, **values) -> dict:
        # One person per row, so that the sums stay out of it.
        return row("targets", target_id=f"T{i}", salesperson=f"業務{i}", **values)

    rows = [
        lone(0),
        lone(1, quarter=1),
        lone(2, period_type="quarter", quarter=None),
        lone(3, period_type="quarter", quarter=2, month=4),
        lone(4, period_type="month", month=None, quarter=1),
        lone(5, period_type="month", month=7, quarter=2),
        lone(6, period_type="month", month=7, quarter=None),
        lone(7, month=3),
    ]
    report = validate(write(tmp_path, "sales", targets=rows))
    assert hits(report, TARGETS) == {
        ("targets", xrow(1), "quarter", TARGETS),
        ("targets", xrow(2), "quarter", TARGETS),
        ("targets", xrow(3), "month", TARGETS),
        ("targets", xrow(4), "month", TARGETS),
        ("targets", xrow(5), "quarter", TARGETS),
        ("targets", xrow(7), "month", TARGETS),
    }
    assert any("第 3 季" in m and "T5" in m for m in messages(report, TARGETS))


def contract(i: int, **values) -> dict:
    return row("contracts", contract_id=f"SC2026-{i:04d}", **values)


def test_signed_contracts_were_approved_by_legal_before_signing(tmp_path):
    no_review = dict(legal_reviewer=None, legal_review_date=None, legal_review_result=None)
    unsigned = dict(signed_date=None, start_date=None, end_date=None, **no_review)
    rows = [
        contract(0),
        contract(1, status="signed", **no_review),
        contract(2, legal_reviewer=None),
        contract(3, legal_review_result="changes_requested"),
        contract(4, legal_review_date=date(2026, 3, 10)),
        contract(5, status="completed", signed_date=None),
        contract(6, status="changed", change_date=date(2026, 5, 1)),
        contract(7, status="terminated", termination_reason="客戶預算凍結"),
        contract(8, status="drafting", **unsigned),
        contract(9, status="legal_review", legal_review_result="pending", signed_date=None),
        contract(10, status="drafting", **no_review),  # has a signed date: it is signed
        contract(11, legal_review_result=None),
        contract(12, legal_review_date=date(2026, 3, 5)),  # the signing day itself is in time
    ]
    report = validate(write(tmp_path, "sales", contracts=rows))
    assert hits(report, LEGAL) == {
        ("contracts", xrow(1), "legal_review_date", LEGAL),
        ("contracts", xrow(2), "legal_reviewer", LEGAL),
        ("contracts", xrow(3), "legal_review_result", LEGAL),
        ("contracts", xrow(4), "legal_review_date", LEGAL),
        ("contracts", xrow(5), "signed_date", LEGAL),
        ("contracts", xrow(6), "change_reason", LEGAL),
        ("contracts", xrow(7), "termination_date", LEGAL),
        ("contracts", xrow(10), "legal_review_date", LEGAL),
        ("contracts", xrow(11), "legal_review_result", LEGAL),
    }
    assert any("2026-03-10" in m and "2026-03-05" in m for m in messages(report, LEGAL))
    assert any("需修改" in m for m in messages(report, LEGAL))


def instalment(i: int, contract_no: int, **values) -> dict:
    return row(
        "payment_schedule", instalment_id=f"SC2026-{contract_no:04d}-{i}",
        contract_id=f"SC2026-{contract_no:04d}", seq=i, **values,
    )  # fmt: skip


def _receivables(tmp_path):
    unpaid = dict(paid_date=None, paid_amount=None, status="invoiced")
    contracts = [
        contract(1, amount=D(2_100_000)),
        contract(2, status="terminated", termination_date=date(2026, 5, 1),
                 termination_reason="客戶組織重整", amount=D(600_000)),
    ]  # fmt: skip
    schedule = [
        instalment(1, 1),
        instalment(2, 1, due_date=date(2026, 6, 1), **unpaid),
        instalment(3, 1, due_date=date(2026, 6, 15), **unpaid),  # due today
        instalment(4, 1, due_date=date(2026, 6, 14), **{**unpaid, "status": "scheduled"}),
        instalment(5, 1, due_date=date(2026, 6, 1), paid_date=None, status="paid"),
        instalment(6, 1, due_date=date(2026, 7, 1), **unpaid),
        instalment(7, 1, due_date=date(2026, 7, 2), **unpaid),
        instalment(1, 2, due_date=date(2026, 4, 20), **unpaid),
        instalment(2, 2, due_date=date(2026, 6, 1), **unpaid),  # after the termination
    ]
    return write(tmp_path, "sales", contracts=contracts, payment_schedule=schedule)


def test_unpaid_instalments_past_their_due_date_are_overdue(tmp_path):
    report = validate(_receivables(tmp_path))
    assert levels(report, RECEIVABLE) == {
        ("payment_schedule", xrow(1), "due_date", "warning"),
        ("payment_schedule", xrow(3), "due_date", "warning"),
        ("payment_schedule", xrow(7), "due_date", "warning"),
    }
    assert any("14 天" in m and "2026-06-01" in m for m in messages(report, RECEIVABLE))


def test_the_grace_period_comes_from_the_configuration(tmp_path):
    settings = config(overrides={"sales": {"receivable_grace_days": 20}})
    report = validate(_receivables(tmp_path), settings=settings)
    assert hits(report, RECEIVABLE) == {
        ("payment_schedule", xrow(7), "due_date", RECEIVABLE),
    }


def _failing(tmp_path):
    targets = breakdown("李業務", "A")
    targets[index(targets, "T-A-M01")]["revenue"] = D(1)
    contracts = [contract(1, legal_review_date=date(2026, 4, 1))]
    schedule = [instalment(1, 1, paid_date=None, status="invoiced")]
    return write(tmp_path, "sales", targets=targets, contracts=contracts, payment_schedule=schedule)


@pytest.mark.parametrize("rule_id", [TARGETS, LEGAL, RECEIVABLE])
def test_a_rule_switched_off_is_silent(tmp_path, rule_id):
    path = _failing(tmp_path)
    assert hits(validate(path), rule_id)
    off = config(**{rule_id: {"enabled": False}})
    assert not hits(validate(path, settings=off), rule_id)


@pytest.mark.parametrize("rule_id", [TARGETS, LEGAL, RECEIVABLE])
def test_a_configured_severity_applies(tmp_path, rule_id):
    report = validate(_failing(tmp_path), settings=config(**{rule_id: {"severity": "info"}}))
    assert levels(report, rule_id)
    assert {s for *_, s in levels(report, rule_id)} == {"info"}
