"""The budget per campaign: the campaign budget against the spend Odoo's analytic lines put on
each campaign's analytic account, by hand and against the test server as Odoo 17 and 19."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal

import pytest

from mops.errors import OdooServerError
from mops.odoo.finance_reads import campaign_sums, read_finance
from mops.reconciling import core
from mops.reconciling.model import LineClass as C
from mops.reconciling.model import OdooSide, ReconcileResult, WbRow

from .books import setup
from .test_reconcile_odoo import _client

D = dt.date
WARN, LIMIT = Decimal("0.90"), Decimal("1.00")


def row(sheet: str, key: str, n: int, **values) -> WbRow:
    columns = ["key", *values, "odoo_actual", "reconcile_status"]
    cells = {c: f"{chr(65 + i)}{n}" for i, c in enumerate(columns)}
    return WbRow(sheet, key, values, "plan.xlsx", sheet, n, cells, "key")


def line(key: str, n: int, campaign: str, month: int, category: str, item: str, amount: int):
    return row(
        "campaign_budget", key, n, campaign_id=campaign, year=2026, month=month,
        category=category, item=item, amount=Decimal(amount),
    )  # fmt: skip


def claim(key: str, n: int, campaign: str | None, day: dt.date, amount: int, **more) -> WbRow:
    values = dict(
        claimant="王小明", expense_date=day, category="promotion", item="advertising",
        campaign_id=campaign, amount=Decimal(amount), approval="approved",
    )  # fmt: skip
    values.update(more)
    return row("claims", key, n, **values)


def spent(campaign, category, item, month, amount, booked=None) -> dict:
    return {
        "campaign": campaign, "account": 7, "category": category, "item": item, "year": 2026,
        "month": month, "booked": str(booked or amount), "amount": str(amount),
    }  # fmt: skip


BUDGET = [
    line("CB1", 2, "MC-1", 3, "promotion", "advertising", 60000),
    line("CB2", 3, "MC-1", 3, "promotion", "materials", 40000),  # March promotion: 100,000
    line("CB3", 4, "MC-1", 4, "promotion", "advertising", 50000),
    line("CB4", 5, "ＭＣ－２", 3, "promotion", "digital", 20000),  # the key in full-width
]


def by_key(lines):
    return {x.key: x for x in lines}


def test_campaign_spend_from_the_books_by_hand():
    odoo = OdooSide(
        campaign_actuals=[
            spent("MC-1", "promotion", "advertising", 3, 52000),
            spent("MC-1", "promotion", "materials", 3, 41000),  # 93,000 of 100,000: near
            spent("MC-1", "promotion", "advertising", 4, 50001),  # over by 1
            spent("MC-2", "promotion", "digital", 3, 3000),
            spent("MC-3", "promotion", "events", 5, 700),  # a campaign with no budget at all
            spent(None, "sales", "travel", 3, 1500),  # on no campaign
            spent(None, "sales", "travel", 3, 500),
        ]
    )
    lines, actuals = core.campaign_budget(BUDGET, [], odoo, WARN, LIMIT)
    got = by_key(lines)
    march = got["2026-03/MC-1/promotion"]
    assert march.cls is C.NEAR_BUDGET and march.workbook_amount == Decimal(100000)
    assert march.odoo_amount == Decimal(93000) and march.detail["ratio"] == "93%"
    assert len(march.status) == 2  # both budget rows of the campaign's March promotion
    april = got["2026-04/MC-1/promotion"]
    assert april.cls is C.OVERSPEND and april.detail["variance"] == Decimal(1)
    assert got["2026-03/ＭＣ－２/promotion"].cls is C.WITHIN_BUDGET
    assert got["2026-05/MC-3/promotion"].cls is C.OVERSPEND  # spending with no budget
    assert got["2026-05/MC-3/promotion"].ref is None
    none = got["2026-03/-/sales"]
    assert none.cls is C.UNASSIGNED and none.cls.ok and none.odoo_amount == Decimal(2000)
    assert none.detail["campaign"] is None and none.ref is None
    # Each budget row gets the books' spend of its own campaign, item and month.
    assert {a.budget_id: a.amount for a in actuals} == {
        "CB1": Decimal(52000), "CB2": Decimal(41000), "CB3": Decimal(50001), "CB4": Decimal(3000),
    }  # fmt: skip
    assert all(a.ref.column == "odoo_actual" for a in actuals)
    message = march.message("en")
    assert "Campaign MC-1" in message and "analytic account" in message and "93,000" in message
    assert "活動 MC-1" in march.message("zh-TW")
    assert "no campaign" in none.message("en")


def test_offline_the_campaign_spend_is_the_column_else_the_claims():
    claims = [
        claim("EX-1", 2, "MC-1", D(2026, 3, 5), 70000),
        claim("EX-2", 3, "MC-1", D(2026, 3, 6), 40000),  # 110,000: over
        claim("EX-3", 4, "MC-1", D(2026, 3, 7), 9000, approval="rejected"),  # left out
        claim("EX-4", 5, None, D(2026, 3, 7), 9000),  # on no campaign: not judged offline
        claim("EX-5", 6, "MC-1", D(2026, 4, 2), 10000),
    ]
    lines, actuals = core.campaign_budget(BUDGET, claims, None, WARN, LIMIT)
    got = by_key(lines)
    assert got["2026-03/MC-1/promotion"].cls is C.OVERSPEND
    assert got["2026-03/MC-1/promotion"].odoo_amount == Decimal(110000)
    assert got["2026-03/MC-1/promotion"].detail["basis"] == "claims"
    assert got["2026-04/MC-1/promotion"].cls is C.WITHIN_BUDGET and actuals == []
    assert not any(x.cls is C.UNASSIGNED for x in lines)
    # A filled Actual (books) column wins over the claims for its campaign's month.
    filled = [*BUDGET[:2]]
    filled[0] = row("campaign_budget", "CB1", 2, **{**BUDGET[0].values, "odoo_actual": 30000})
    filled[1] = row("campaign_budget", "CB2", 3, **{**BUDGET[1].values, "odoo_actual": 20000})
    lines, _ = core.campaign_budget(filled, claims, None, WARN, LIMIT)
    march = by_key(lines)["2026-03/MC-1/promotion"]
    assert march.cls is C.WITHIN_BUDGET and march.odoo_amount == Decimal(50000)
    assert march.detail["basis"] == "column"


def test_no_campaign_budget_sheet_no_campaign_lines_and_the_json_carries_the_campaign():
    odoo = OdooSide(campaign_actuals=[spent("MC-1", "promotion", "advertising", 3, 5)])
    assert core.campaign_budget([], [], odoo, WARN, LIMIT) == ([], [])
    lines, _ = core.reconcile(
        "budget", _side(BUDGET), odoo, as_of=D(2026, 11, 26), warn=WARN, limit=LIMIT
    )
    result = ReconcileResult("budget", D(2026, 11, 26), lines, ["plan.xlsx"], {"offline": False})
    doc = json.loads(result.to_json("en"))
    assert doc["schema"] == "mops.reconcile/1"
    campaign = [x for x in doc["lines"] if x["detail"].get("campaign") == "MC-1"]
    assert {x["key"] for x in campaign} == {"2026-03/MC-1/promotion", "2026-04/MC-1/promotion"}
    assert all(x["kind"] == "budget" and x["detail"]["what"] == "campaign" for x in campaign)
    # The snapshot keeps the campaign split.
    back = OdooSide.from_data(json.loads(json.dumps(odoo.to_data())))
    assert back.campaign_actuals == odoo.campaign_actuals


def _side(budget):
    from mops.reconciling.model import WorkbookSide

    return WorkbookSide(campaign_budget=budget)


# -- the test server as Odoo 17 and 19 --------------------------------------------------------


def _xmlid(client, name: str) -> int:
    rows = client.call(
        "ir.model.data", "search_read", [["module", "=", "mops"], ["name", "=", name]],
        fields=["res_id"],
    )  # fmt: skip
    return rows[0]["res_id"]


def post_expense(client, employee: int, product: int, amount: int, day: str, distribution):
    """An expense of the employee, approved and posted through Odoo's own actions."""
    version = client.version_info
    values = {
        "name": f"費用 {amount}", "employee_id": employee, "product_id": product,
        "total_amount_currency": amount, "date": day, "payment_mode": "own_account",
        "analytic_distribution": distribution,
    }  # fmt: skip
    expense = client.call("hr.expense", "create", [values])
    expense = expense[0] if isinstance(expense, list) else expense
    if version < (19,):
        report = client.call(
            "hr.expense.sheet", "create",
            [{"name": f"報告 {amount}", "employee_id": employee,
              "expense_line_ids": [[6, 0, [expense]]]}],
        )  # fmt: skip
        report = report[0] if isinstance(report, list) else report
        client.call("hr.expense.sheet", "action_submit_sheet", [report])
        client.call("hr.expense.sheet", "action_approve_expense_sheets", [report])
        client.call("hr.expense.sheet", "action_sheet_move_create", [report])
    else:
        client.call("hr.expense", "action_submit", [expense])
        client.call("hr.expense", "action_approve", [expense])
        action = client.call("hr.expense", "action_post", [expense])
        client.call(
            "hr.expense.post.wizard", "action_post_entry", [action["res_id"]],
            context=action["context"],
        )  # fmt: skip
    return expense


def test_posted_expenses_leave_analytic_lines_that_reconcile_per_campaign(odoo_any_server):
    client = _client(odoo_any_server)
    setup(client)
    plan = _xmlid(client, "analytic_plan_campaigns")
    projects = client.call("account.analytic.plan", "search", [["id", "!=", plan]], limit=1)
    account = client.call(
        "account.analytic.account", "create",
        [{"name": "春季活動", "code": "MC-1", "plan_id": plan,
          "x_mops_key": "campaign_account:MC-1"},
         {"name": "內部專案", "plan_id": projects[0]}],
    )  # fmt: skip
    employee = client.call("hr.employee", "search", [], limit=1)[0]
    advertising = _xmlid(client, "expense_promotion_advertising")
    travel = _xmlid(client, "expense_sales_travel")
    post_expense(client, employee, advertising, 10499, "2026-03-10", {str(account[0]): 100})
    post_expense(client, employee, advertising, 2100, "2026-03-12", {str(account[0]): 100})
    post_expense(client, employee, travel, 840, "2026-03-12", {str(account[1]): 100})
    post_expense(client, employee, travel, 525, "2026-03-13", False)  # no analytic line

    lines = client.call(
        "account.analytic.line", "search_read", [], fields=["amount", f"x_plan{plan}_id"], load=""
    )
    # Odoo books the cost before the recoverable 5 % tax, as a negative amount.
    assert sorted(x["amount"] for x in lines) == [-9999.0, -2000.0, -800.0]
    assert sorted(x[f"x_plan{plan}_id"] or 0 for x in lines) == [0, account[0], account[0]]

    odoo = read_finance(client, "budget")
    month = 3 if odoo_any_server.version.startswith("17") else int(odoo_any_server.store.now[5:7])
    year = 2026 if month == 3 else int(odoo_any_server.store.now[:4])
    by_campaign = {(a["campaign"], a["item"]): a for a in odoo.campaign_actuals}
    mine = by_campaign[("MC-1", "advertising")]
    # 19 dates the entry on the day it is posted, 17 on the expense's day.
    assert (mine["year"], mine["month"]) == (year, month)
    assert mine["booked"] == "11999" and mine["amount"] == "12599"  # tax included again
    assert by_campaign[(None, "travel")]["amount"] == "840"
    assert len(odoo.campaign_actuals) == 2
    # Were the campaigns the project plan, their accounts would be in account_id.
    column, groups = campaign_sums(client, projects[0], [advertising, travel])
    assert column == "account_id"
    assert {g["account_id"]: g["amount"] for g in groups} == {account[1]: -800.0, None: -11999.0}

    budget = [
        row("campaign_budget", "CB1", 2, campaign_id="MC-1", year=year, month=month,
            category="promotion", item="advertising", amount=Decimal(13000)),
    ]  # fmt: skip
    lines, actuals = core.campaign_budget(budget, [], odoo, WARN, LIMIT)
    got = by_key(lines)
    key = f"{year}-{month:02d}/MC-1/promotion"
    assert got[key].cls is C.NEAR_BUDGET and got[key].odoo_amount == Decimal(12599)
    assert got[f"{year}-{month:02d}/-/sales"].cls is C.UNASSIGNED
    assert [a.amount for a in actuals] == [Decimal(12599)]


def test_a_second_root_plan_gets_its_column_and_the_project_plan_keeps_account_id(
    odoo_any_server,
):
    client = _client(odoo_any_server)
    setup(client)  # the campaigns plan, and the analytic accounting group that allows plans
    campaigns = _xmlid(client, "analytic_plan_campaigns")
    fields = client.call("account.analytic.line", "fields_get", attributes=["type"])
    plans = sorted(f for f in fields if f.startswith("x_plan"))
    assert "account_id" in fields and plans == [f"x_plan{campaigns}_id"]
    plan = client.call("account.analytic.plan", "create", [{"name": "區域"}])
    plan = plan[0] if isinstance(plan, list) else plan
    fields = client.call("account.analytic.line", "fields_get", attributes=["type", "relation"])
    assert fields[f"x_plan{plan}_id"]["relation"] == "account.analytic.account"


def test_posting_an_expense_not_approved_is_refused(odoo_any_server):
    client = _client(odoo_any_server)
    setup(client)
    employee = client.call("hr.employee", "search", [], limit=1)[0]
    if client.version_info < (19,):
        model, values = "hr.expense.sheet", {"name": "報告", "employee_id": employee}
        method = "action_sheet_move_create"
    else:
        model, values, method = (
            "hr.expense",
            {"name": "費用", "employee_id": employee},
            "action_post",
        )
    record = client.call(model, "create", [values])
    record = record[0] if isinstance(record, list) else record
    with pytest.raises(OdooServerError, match="accounting entry for approved expense"):
        client.call(model, method, [record])
    assert client.call("account.analytic.line", "search_count", []) == 0


# -- into the workbook ---------------------------------------------------------------------------


def test_campaign_actuals_and_statuses_written_then_read_back_offline(demo, demo_folder, tmp_path):
    import openpyxl

    from mops.config import load_config
    from mops.reconciling.run import reconcile_paths
    from mops.reconciling.writeback import write_result
    from mops.syncing import snapshots

    from .conftest import AS_OF

    shutil.copy(demo_folder / "marketing-plan.xlsx", tmp_path / "marketing-plan.xlsx")
    budget = demo.sheet_rows("campaign_budget")
    first = budget[0]
    group = [
        r for r in budget
        if (r["campaign_id"], r["category"], r["year"], r["month"])
        == (first["campaign_id"], first["category"], first["year"], first["month"])
    ]  # fmt: skip
    planned = sum(r["amount"] for r in group)
    over = planned + 1000
    side = OdooSide(
        campaign_actuals=[
            spent(first["campaign_id"], first["category"], first["item"], first["month"], over)
        ]
    )
    side.campaign_actuals[0]["year"] = first["year"]
    store = tmp_path / ".mops-sync.sqlite"
    snapshots.save(store, "finance", side.to_data(), dt.datetime(2026, 11, 26, 1, 0))
    config = load_config()
    result = reconcile_paths("budget", [tmp_path], config, as_of=AS_OF, offline=True)
    key = f"{first['year']}-{first['month']:02d}/{first['campaign_id']}/{first['category']}"
    got = by_key(result.lines)[key]
    assert got.cls is C.OVERSPEND and got.detail["basis"] == "analytic"
    (written,) = write_result(result, "en")
    assert written.actuals == len(budget) and written.refused == 0
    assert written.statuses == 2 * len(budget)  # cells written: a status and an actual a row
    book = openpyxl.load_workbook(tmp_path / "marketing-plan.xlsx")
    sheet = book["活動預算"]
    header = [c.value for c in sheet[1]]
    actual, status = header.index("帳上實際"), header.index("對帳狀態")
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert Decimal(str(rows[first["line_id"]][actual])) == over
    assert all(rows[r["line_id"]][status] == "Overspent" for r in group)
    others = [r for r in budget if r not in group]
    assert all(rows[r["line_id"]][actual] == 0 for r in others)
    # Without the snapshot, the filled column is the campaign's spend (not the claims).
    store.unlink()
    again = reconcile_paths("budget", [tmp_path], config, as_of=AS_OF, offline=True)
    line = by_key(again.lines)[key]
    assert line.cls is C.OVERSPEND and line.detail["basis"] == "column"
    assert line.odoo_amount == over
