"""Each report's figures from small hand-built rows, checked against values worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from mops.errors import InputError
from mops.reports.contracts import bucket
from mops.reports.figures import BudgetActual, Invoice, OdooFigures
from mops.reports.model import Period
from reports.helpers import Rows, build, column, table


def _contract(cid, owner, customer, signed, amount, **more):
    return {"contract_id": cid, "owner": owner, "customer_id": customer, "signed_date": signed,
            "amount": D(amount), "status": "executing", "service_line": "strategy", **more}  # fmt: skip


SALES = Rows(
    targets=[
        {"salesperson": "Alice", "year": 2026, "period_type": "year", "quarter": None, "month": None,
         "revenue": D(1_000_000), "profit": D(300_000), "new_customers": 2, "satisfaction": D("4.5")},
        {"salesperson": "Bob", "year": 2026, "period_type": "year", "quarter": None, "month": None,
         "revenue": D(500_000), "profit": D(150_000), "new_customers": 1, "satisfaction": D("4.0")},
    ],
    contracts=[
        _contract("C0", "Alice", "K2", dt.date(2025, 6, 1), 10),  # K2 is an old customer
        _contract("C1", "Alice", "K1", dt.date(2026, 3, 1), 600_000),
        _contract("C2", "Alice", "K2", dt.date(2026, 5, 1), 200_000),
        _contract("C3", "Bob", "K4", dt.date(2025, 12, 30), 999),
        _contract("C4", "Bob", "K3", dt.date(2026, 7, 1), 750_000),
    ],
    opportunities=[
        {"opportunity_id": "O1", "salesperson": "Alice", "stage": "won", "expected_close": dt.date(2026, 2, 1),
         "created_date": dt.date(2026, 1, 5), "expected_revenue": D(1), "probability": D(1)},
        {"opportunity_id": "O2", "salesperson": "Alice", "stage": "lost", "expected_close": dt.date(2026, 3, 1),
         "created_date": dt.date(2026, 1, 5), "expected_revenue": D(1), "probability": D(0)},
        {"opportunity_id": "O3", "salesperson": "Bob", "stage": "lost", "expected_close": dt.date(2026, 4, 1),
         "created_date": dt.date(2026, 1, 5), "expected_revenue": D(1), "probability": D(0)},
        {"opportunity_id": "O4", "salesperson": "Bob", "stage": "won", "expected_close": dt.date(2025, 12, 1),
         "created_date": dt.date(2025, 10, 5), "expected_revenue": D(1), "probability": D(1)},
        {"opportunity_id": "O5", "salesperson": "Bob", "stage": "negotiation", "expected_close": dt.date(2026, 12, 15),
         "created_date": dt.date(2026, 9, 1), "expected_revenue": D(1_000_000), "probability": D("0.6")},
    ],
)  # fmt: skip


def test_sales_attainment_new_customers_and_win_rate_by_hand():
    view = build("sales", SALES, "2026", dt.date(2026, 11, 26))
    people = table(view, "Revenue against target")
    rows = {r[0]: r for r in people.rows}
    attainment = column(people, "Attainment")
    revenue = column(people, "Revenue")
    assert rows["Alice"][revenue] == D(800_000)  # C1 + C2; C0 was signed in 2025
    assert rows["Alice"][attainment] == D("0.8")
    assert rows["Bob"][revenue] == D(750_000)  # C3 was signed in 2025
    assert rows["Bob"][attainment] == D("1.5")
    assert people.total[attainment] == D(1_550_000) / D(1_500_000)
    others = {r[0]: r for r in table(view, "New customers and satisfaction").rows}
    assert others["Alice"][3] == 1  # K1 only: K2 signed before
    assert others["Bob"][3] == 1  # K3
    assert people.flags[[r[0] for r in people.rows].index("Alice")] == ""  # 80 % is not under 80 %
    wins = table(
        view, "Win rate (opportunities won or lost with their expected close in the period)"
    )
    assert wins.total[1:] == (3, 1, D(1) / D(3))  # O4 closed in 2025
    pipeline = table(view, "Open opportunities by stage")
    assert pipeline.total == ("Total", 1, D(1_000_000), D(600_000))


def test_sales_quarter_takes_the_quarter_targets_or_sums_the_months():
    data = Rows(
        targets=[
            {"salesperson": "Alice", "year": 2026, "period_type": "month", "quarter": 1, "month": m,
             "revenue": D(100), "profit": D(10), "new_customers": 1, "satisfaction": None}
            for m in (1, 2, 3, 4)
        ],
        contracts=[_contract("C1", "Alice", "K1", dt.date(2026, 2, 1), 150)],
    )  # fmt: skip
    people = table(build("sales", data, "2026-Q1", dt.date(2026, 4, 1)), "Revenue against target")
    assert people.rows[0][column(people, "Revenue target")] == D(300)  # January to March
    assert people.rows[0][column(people, "Attainment")] == D("0.5")


EXPENSES = Rows(
    expense_budget=[
        {"year": 2026, "month": 3, "category": "promotion", "item": "advertising", "amount": D(100_000)},
        {"year": 2026, "month": 3, "category": "sales", "item": "travel", "amount": D(50_000)},
    ],
    claims=[
        {"claim_id": "X1", "expense_date": dt.date(2026, 3, 10), "category": "promotion", "item": "advertising",
         "campaign_id": "MC1", "amount": D(95_000), "approval": "approved"},
        {"claim_id": "X2", "expense_date": dt.date(2026, 3, 20), "category": "promotion", "item": "advertising",
         "campaign_id": None, "amount": D(10_000), "approval": "rejected"},
        {"claim_id": "X3", "expense_date": dt.date(2026, 3, 5), "category": "sales", "item": "travel",
         "campaign_id": None, "amount": D(60_000), "approval": "pending"},
    ],
    campaigns=[{"campaign_id": "MC1", "name": "Spring seminar", "budget": D(120_000), "actual_revenue": D(380_000)}],
    contracts=[_contract("C1", "Alice", "K1", dt.date(2026, 2, 1), 1_550_000)],
)  # fmt: skip


def test_expenses_budget_overspend_ratio_and_roi_by_hand():
    view = build("expenses", EXPENSES, "2026-Q1", dt.date(2026, 4, 15))
    by_category = table(view, "By category")
    rows = {r[0]: r for r in by_category.rows}
    assert rows["Promotion"][1:] == (D(100_000), D(95_000), D(-5_000), D("0.95"))  # X2 rejected
    assert rows["Sales"][1:] == (D(50_000), D(60_000), D(10_000), D("1.2"))
    alerts = table(view, "Overspend alerts")
    assert [(r[0], r[1], r[4], r[5]) for r in alerts.rows] == [
        ("2026-03", "Promotion", D("0.95"), "Near the limit"),
        ("2026-03", "Sales", D("1.2"), "Over budget"),
    ]
    assert alerts.flags == ("", "alert")
    campaigns = table(view, "ROI by campaign")
    assert campaigns.rows == (("MC1", "Spring seminar", D(120_000), D(95_000), D(380_000), D(3)),)
    ratio = next(k for k in view.kpis if k.label == "Expense-to-sales")
    assert ratio.value == D("0.1")  # 155,000 ÷ 1,550,000
    assert "No Odoo figures" in view.odoo_note


def test_expenses_use_the_odoo_actuals_when_they_were_pulled():
    odoo = OdooFigures(
        pulled_at=dt.datetime(2026, 4, 10, 2, 0), url="https://odoo.example", database="prod",
        version="17.0",
        budget_actuals=(BudgetActual(2026, 3, "promotion", "advertising", D(40_000), "MC1"),),
    )  # fmt: skip
    view = build("expenses", EXPENSES, "2026-Q1", dt.date(2026, 4, 15), odoo=odoo)
    rows = {r[0]: r for r in table(view, "By category").rows}
    assert rows["Promotion"][2] == D(40_000)
    assert rows["Sales"][2] == D(0)
    assert "https://odoo.example" in view.odoo_note and "5 days" in view.odoo_note


def _instalment(iid, due, amount, paid=0, status="invoiced"):
    return {"instalment_id": iid, "contract_id": "C1", "due_date": due, "amount": D(amount),
            "paid_amount": D(paid), "status": status}  # fmt: skip


RECEIVABLES = Rows(
    contracts=[_contract("C1", "Alice", "K1", dt.date(2026, 1, 5), 2_150)],
    customers=[{"customer_id": "K1", "name": "Kestrel Ltd"}],
    payment_schedule=[
        _instalment("I1", dt.date(2026, 6, 30), 100),  # due today: 0 days
        _instalment("I2", dt.date(2026, 5, 31), 200, paid=50),  # 30 days, 150 left
        _instalment("I3", dt.date(2026, 5, 30), 300),  # 31 days
        _instalment("I4", dt.date(2026, 4, 1), 400),  # 90 days
        _instalment("I5", dt.date(2026, 3, 31), 500),  # 91 days
        _instalment("I6", dt.date(2026, 7, 15), 600, status="scheduled"),  # not yet due
        _instalment("I7", dt.date(2026, 2, 1), 50, paid=50, status="paid"),
    ],
)


def test_receivables_aging_buckets_by_hand():
    view = build("contracts", RECEIVABLES, "2026", dt.date(2026, 6, 30))
    aging = table(view, "Receivables aging")
    amounts = [r[2] for r in aging.rows]
    assert amounts == [D(600), D(250), D(300), D(400), D(500)]
    assert [r[1] for r in aging.rows] == [1, 2, 1, 1, 1]
    assert aging.total[2] == D(2_050)
    assert aging.flags == ("", "", "", "alert", "alert")
    due = table(view, "Instalments falling due")
    assert [r[0] for r in due.rows] == ["I1", "I6"]  # due within 30 days of the as-of date
    customers = table(view, "Overdue receivables by customer")
    assert customers.rows == (("Kestrel Ltd", D(250), D(300), D(400), D(500), D(1_450)),)


def test_receivables_follow_the_odoo_invoice_when_pulled():
    paid = Invoice("I5", "posted", "paid", D(500), D(0), dt.date(2026, 6, 1))
    odoo = OdooFigures(dt.datetime(2026, 6, 29, 22, 0), "https://odoo.example", "prod", "19.0",
                       invoices=(paid,))  # fmt: skip
    aging = table(
        build("contracts", RECEIVABLES, "2026", dt.date(2026, 6, 30), odoo=odoo),
        "Receivables aging",
    )
    assert aging.rows[-1][2] == D(0)


@pytest.mark.parametrize(
    ("days", "expected"),
    [(-1, "not_due"), (0, "0_30"), (30, "0_30"), (31, "31_60"), (60, "31_60"), (61, "61_90"),
     (90, "61_90"), (91, "over_90")],
)  # fmt: skip
def test_aging_bucket_edges(days, expected):
    as_of = dt.date(2026, 6, 30)
    assert bucket(as_of - dt.timedelta(days=days), as_of) == expected


def test_periods_read_as_people_write_them():
    assert (Period.parse("2026-Q3").start, Period.parse("2026-Q3").end) == (
        dt.date(2026, 7, 1), dt.date(2026, 9, 30))  # fmt: skip
    assert Period.parse("2026-02").end == dt.date(2026, 2, 28)
    assert Period.parse("2026").months[-1] == (2026, 12)
    for bad in ("2026-13", "Q3", "26", "2026-Q5"):
        with pytest.raises(InputError):
            Period.parse(bad)


def _ticket(tid, kind, owner, received, response=None, status="in_progress", satisfaction=None):
    return {"ticket_id": tid, "type": kind, "owner": owner, "received_at": received,
            "first_response_at": response, "resolved_at": None, "status": status,
            "satisfaction": satisfaction, "root_cause": "slow handover" if kind == "complaint" else None,
            "subject": "s", "resolution": None}  # fmt: skip


def test_service_sla_breaches_resolution_and_satisfaction_by_hand():
    at = dt.datetime
    data = Rows(tickets=[
        _ticket("T1", "complaint", "Ann", at(2026, 3, 2, 10), at(2026, 3, 3, 9), "resolved", 5),  # 23 h
        _ticket("T2", "complaint", "Ann", at(2026, 3, 2, 10), at(2026, 3, 3, 11), "resolved", 3),  # 25 h
        _ticket("T3", "inquiry", "Ben", at(2026, 3, 6, 17), at(2026, 3, 9, 16), "resolved"),  # 8 working h
        _ticket("T4", "inquiry", "Ben", at(2026, 3, 6, 17), at(2026, 3, 9, 16, 30)),  # 8.5 working h
        _ticket("T5", "complaint", "Ann", at(2026, 3, 8, 8)),  # no reply, due 9 Mar 08:00
        _ticket("T6", "feedback", "Ben", at(2026, 3, 8, 8)),  # no time limit
        _ticket("T7", "complaint", "Ben", at(2026, 3, 9, 12)),  # due 10 Mar 12:00: not yet
    ])  # fmt: skip
    view = build("service", data, "2026-03", dt.date(2026, 3, 10))
    people = table(view, "By person")
    rows = {r[0]: r for r in people.rows}
    breaches, rate = column(people, "Late replies"), column(people, "Late share")
    assert rows["Ann"][breaches] == 2 and rows["Ann"][rate] == D(2) / D(3)
    assert rows["Ben"][breaches] == 1 and rows["Ben"][rate] == D(1) / D(3)
    assert people.total[breaches] == 3 and people.total[rate] == D("0.5")  # 3 of 6 with a limit
    assert people.total[column(people, "Resolution rate")] == D(3) / D(7)
    assert people.total[column(people, "Satisfaction")] == D(4)
    causes = table(view, "Root causes")
    assert causes.rows == (("slow handover", 4, D(4) / D(7)),)


def test_commission_from_the_tiers_and_weighted_scores_by_hand():
    tiers = [
        {"tier_id": "CT1", "from_attainment": D(0), "to_attainment": D("0.8"), "rate": D("0.01")},
        {"tier_id": "CT2", "from_attainment": D("0.8"), "to_attainment": D(1), "rate": D("0.02")},
        {"tier_id": "CT3", "from_attainment": D(1), "to_attainment": D("1.2"), "rate": D("0.03")},
        {"tier_id": "CT4", "from_attainment": D("1.2"), "to_attainment": None, "rate": D("0.04")},
    ]
    data = Rows(
        **SALES.sheets,
        commission_tiers=tiers,
        kpis=[{"kpi_id": "K1", "year": 2026, "group": "sales", "indicator": "revenue", "weight": D("0.6")},
              {"kpi_id": "K2", "year": 2026, "group": "sales", "indicator": "satisfaction", "weight": D("0.4")}],
        appraisals=[{"employee": "Alice", "year": 2026, "quarter": 1, "kpi_id": "K1", "score": D(80)},
                    {"employee": "Alice", "year": 2026, "quarter": 2, "kpi_id": "K1", "score": D(90)},
                    {"employee": "Alice", "year": 2026, "quarter": 2, "kpi_id": "K2", "score": D(100)},
                    {"employee": "Alice", "year": 2025, "quarter": None, "kpi_id": "K2", "score": D(10)}],
    )  # fmt: skip
    view = build("staff", data, "2026", dt.date(2026, 11, 26))
    commission = {r[0]: r for r in table(view, "Commission").rows}
    assert commission["Alice"][3:] == ("CT2", D("0.02"), D(16_000))  # 80 % is in 80–100 %
    assert commission["Bob"][3:] == ("CT4", D("0.04"), D(30_000))  # 150 %: the open top tier
    scorecard = {r[0]: r for r in table(view, "KPI scorecard").rows}
    assert scorecard["Alice"][3:5] == (D(1), D(91))  # 0.6 × mean(80, 90) + 0.4 × 100


def test_run_summary_counts_by_person_rule_and_file_and_shows_later_steps():
    from mops.records import Finding, Severity
    from mops.reports.summary import RunStep
    from mops.validation.results import Report

    def finding(rule, severity, owner, file="customers.xlsx"):
        return Finding(rule, severity, f"/x/{file}", "customers", "Customers", 2, "email", "F2",
                       "E-mail", "x", "zh", "en", owner)  # fmt: skip

    report = Report(
        findings=[
            finding("email-format", Severity.ERROR, "Ann"),
            finding("email-format", Severity.ERROR, "Ann"),
            finding("P5.3-cadence", Severity.WARNING, "Ann"),
            finding("P5.3-cadence", Severity.WARNING, None, "sales.xlsx"),
            finding("P8.3-overspend", Severity.INFO, "Ben", "expenses.xlsx"),
        ],
        files=["/x/customers.xlsx", "/x/sales.xlsx", "/x/expenses.xlsx"],
        rows={"customers": 10},
    )
    step = RunStep("Sync with Odoo", (("created", 3), ("updated", 1)))
    view = build(
        "summary", Rows(), "2026", dt.date(2026, 11, 26), validation=report, extras=(step,)
    )
    owners = table(view, "By person responsible")
    assert owners.rows == (("Ann", 2, 1, 0), ("(no one named)", 0, 1, 0), ("Ben", 0, 0, 1))
    assert owners.flags == ("alert", "", "")
    files = {r[0]: r[1:] for r in table(view, "By file").rows}
    assert files == {
        "customers.xlsx": (2, 1, 0),
        "sales.xlsx": (0, 1, 0),
        "expenses.xlsx": (0, 0, 1),
    }
    assert table(view, "Sync with Odoo").rows == (("created", 3), ("updated", 1))
    assert [k.value for k in view.kpis] == [2, 2, 1, 3]


def test_a_finance_snapshot_becomes_the_reports_odoo_figures():
    from mops.reports.figures import from_snapshot

    data = {
        "currency": "TWD", "decimals": 0,
        "actuals": [{"category": "promotion", "item": "advertising", "year": 2026, "month": 3, "amount": "40000"}],
        "invoices": [
            {"id": 7, "x_mops_key": "instalment:I5", "move_type": "out_invoice", "state": "posted",
             "payment_state": "paid", "amount_total": "500", "amount_residual": "0"},
            {"id": 8, "x_mops_key": None, "move_type": "out_invoice", "state": "draft",
             "payment_state": "not_paid", "amount_total": "9", "amount_residual": "9"},
        ],
    }  # fmt: skip
    source = {"url": "https://odoo.example", "database": "prod", "version": "19.0"}
    odoo = from_snapshot(data, dt.datetime(2026, 6, 29, 22, 0), source)
    assert odoo.invoice_of()["I5"].amount_residual == D(0) and len(odoo.invoices) == 1
    aging = table(
        build("contracts", RECEIVABLES, "2026", dt.date(2026, 6, 30), odoo=odoo),
        "Receivables aging",
    )
    assert aging.rows[-1][2] == D(0)  # I5 paid in Odoo
    spend = table(
        build("expenses", EXPENSES, "2026-Q1", dt.date(2026, 4, 15), odoo=odoo), "By category"
    )
    assert spend.rows[0][2] == D(40_000)


def test_receivables_offline_from_what_the_last_sync_pulled_beside_each_instalment():
    pulled = {
        "I3": {"odoo_invoice_state": "posted", "odoo_amount_due": D(120)},  # partly received
        "I4": {"odoo_invoice_state": "draft", "odoo_amount_due": D(400)},  # not posted yet
        "I5": {"odoo_invoice_state": "posted", "odoo_amount_due": D(0)},  # received in full
    }
    schedule = [
        {**row, "odoo_invoice_state": None, "odoo_amount_due": None, **pulled.get(row["instalment_id"], {})}
        for row in RECEIVABLES.sheets["payment_schedule"]
    ]  # fmt: skip
    rows = Rows(**{**RECEIVABLES.sheets, "payment_schedule": schedule})
    aging = table(build("contracts", rows, "2026", dt.date(2026, 6, 30)), "Receivables aging")
    # Odoo's amount due for the posted invoices; the workbook's amounts for the others.
    assert [r[2] for r in aging.rows] == [D(600), D(250), D(120), D(400), D(0)]
    assert [r[1] for r in aging.rows] == [1, 2, 1, 1, 0]
    # Figures a reconciliation pulled come first: they hold the invoice itself.
    odoo = OdooFigures(
        pulled_at=dt.datetime(2026, 6, 30, 2, 0), url="https://odoo.example", database="prod",
        version="17.0",
        invoices=(Invoice("I3", "posted", "partial", D(300), D(90)),),
    )  # fmt: skip
    aging = table(
        build("contracts", rows, "2026", dt.date(2026, 6, 30), odoo=odoo), "Receivables aging"
    )
    assert aging.rows[2][2] == D(90)


def test_expenses_roi_by_campaign_from_the_analytic_split_when_pulled():
    odoo = OdooFigures(
        pulled_at=dt.datetime(2026, 4, 10, 2, 0), url="https://odoo.example", database="prod",
        version="19.0",
        budget_actuals=(BudgetActual(2026, 3, "promotion", "advertising", D(150_000)),),
        campaign_actuals=(
            BudgetActual(2026, 3, "promotion", "advertising", D(100_000), "MC1"),
            BudgetActual(2026, 3, "promotion", "advertising", D(50_000), None),  # no campaign
        ),
    )  # fmt: skip
    view = build("expenses", EXPENSES, "2026-Q1", dt.date(2026, 4, 15), odoo=odoo)
    campaigns = table(view, "ROI by campaign")
    # The books' 100,000 on MC1, not the 95,000 its claims say: ROI (380,000 − 100,000) ÷ 100,000.
    assert campaigns.rows == (("MC1", "Spring seminar", D(120_000), D(100_000), D(380_000),
                               D("2.8")),)  # fmt: skip
    rows = {r[0]: r for r in table(view, "By category").rows}
    assert rows["Promotion"][2] == D(150_000)  # the month's total is the journal items' alone


def test_campaign_cost_is_its_analytic_accounts_when_pulled_else_its_claims():
    from mops.config import load_config
    from mops.reports.campaigns import costs
    from mops.reports.common import Inputs
    from mops.schemas.model import Lang

    def spent(odoo):
        period = Period.parse("2026-Q1")
        return dict(
            costs(Inputs(EXPENSES, period, dt.date(2026, 4, 15), Lang.EN, load_config(), odoo))
        )

    assert spent(None) == {"MC1": D(95_000)}  # the claims
    split = (
        BudgetActual(2026, 3, "promotion", "advertising", D(70_000), "MC1"),
        BudgetActual(2026, 2, "promotion", "materials", D(31_000), "MC1"),
        BudgetActual(2026, 3, "sales", "travel", D(9_000), None),
    )
    odoo = OdooFigures(dt.datetime(2026, 4, 10), "u", "d", "19.0", campaign_actuals=split)
    assert spent(odoo) == {"MC1": D(101_000)}
    # An older snapshot without the split: the claims still.
    assert spent(OdooFigures(dt.datetime(2026, 4, 10), "u", "d", "17.0")) == {"MC1": D(95_000)}
