"""Against a real Odoo 17 and a real Odoo 19: expenses on a campaign's analytic account posted
through Odoo's own actions (17: the expense report; 19: the posting wizard), read back per
campaign from the analytic lines, and reconciled against a campaign budget.

Marked ``odoo_live``; skipped without ODOO_URL … (17) or ODOO19_URL … (19). Names and keys are
random, and only this run's campaign is asserted: the database is shared with other runs.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

import pytest

from mops.odoo.finance_reads import read_finance
from mops.reconciling import core
from mops.reconciling.model import LineClass

from .test_campaigns import LIMIT, WARN, post_expense, row
from .test_live import _xmlid, live  # noqa: F401  (the fixture)

pytestmark = pytest.mark.odoo_live


def test_expenses_posted_on_a_campaign_reconcile_per_campaign(live):  # noqa: F811
    client = live
    tag = secrets.token_hex(4).upper()
    campaign = f"MCL{tag}"
    plan = _xmlid(client, "analytic_plan_campaigns")
    account = client.call(
        "account.analytic.account",
        "create",
        [{"name": f"活動 {tag}", "code": campaign, "plan_id": plan,
          "x_mops_key": f"campaign_account:{campaign}"}],
    )  # fmt: skip
    account = account[0] if isinstance(account, list) else account
    employee = client.call("hr.employee", "search", [["user_id", "=", client.uid]], limit=1)
    if not employee:
        pytest.skip("the administrator has no employee to post expenses for")
    advertising = _xmlid(client, "expense_promotion_advertising")
    today = dt.date.today()
    # Random amounts: Odoo holds back an expense like an earlier one (same employee, amount and
    # day) for a duplicate check instead of approving it. 21 × k with the 5 % tax included is
    # 20 × k before it.
    k = [secrets.randbelow(400) + 100, secrets.randbelow(400) + 500]
    for n in k:
        post_expense(
            client, employee[0], advertising, 21 * n, today.isoformat(), {str(account): 100}
        )
    lines = client.call(
        "account.analytic.line",
        "search_read",
        [[f"x_plan{plan}_id", "=", account]],
        fields=["amount", "date", "product_id"],
        load="",
    )
    # Odoo's own posting: a negative cost before the 5 % tax, on the day it was posted.
    assert sorted(x["amount"] for x in lines) == [-20.0 * k[1], -20.0 * k[0]]
    assert {x["product_id"] for x in lines} == {advertising}

    odoo = read_finance(client, "budget")
    mine = [a for a in odoo.campaign_actuals if a["campaign"] == campaign]
    assert len(mine) == 1, mine
    spent = mine[0]
    assert (spent["year"], spent["month"]) == (today.year, today.month)
    assert (spent["category"], spent["item"]) == ("promotion", "advertising")
    booked = 20 * sum(k)
    assert spent["booked"] == str(booked)
    # Tax included again in the proportion the product's posted items of the month carry it
    # (other runs' items share the month on this database: at most the 5 % back on top).
    assert booked <= Decimal(spent["amount"]) <= 21 * sum(k)

    budget = [
        row("campaign_budget", f"CB{tag}", 2, campaign_id=campaign, year=today.year,
            month=today.month, category="promotion", item="advertising",
            amount=Decimal(22 * sum(k))),
    ]  # fmt: skip
    found, actuals = core.campaign_budget(budget, [], odoo, WARN, LIMIT)
    line = next(x for x in found if x.detail.get("campaign") == campaign)
    assert line.cls is LineClass.NEAR_BUDGET and line.detail["basis"] == "analytic"
    assert [a.amount for a in actuals] == [Decimal(spent["amount"])]
