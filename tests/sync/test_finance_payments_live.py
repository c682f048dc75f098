"""Payments registered in the real Odoo 17 (JSON-RPC) and 19 (JSON-2) come back into the payment
schedule (skipped without ODOO_URL … and ODOO19_URL …); random keys and names, so parallel runs
on the shared databases never meet."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

import pytest

from mops.syncing.run import sync_paths

from .helpers import Books, business_tax, config_for, provision
from .test_finance_live import STEPS, Recording, _team, live  # noqa: F401
from .test_finance_payments import (
    _cells,
    _claim_cells,
    _register,
    _reimburse,
    invoiced_schedule,
    one_payment_for_two_and_a_write_off,
)

pytestmark = pytest.mark.odoo_live


def _total(amount: Decimal) -> Decimal:
    return amount + business_tax(amount)


def test_a_payment_registered_in_odoo_comes_back_into_the_schedule(live, demo, tmp_path):  # noqa: F811
    settings, client = live
    tag = secrets.token_hex(3).upper()
    provision(client(), [dict(r) for r in demo.rows["staff"]["roster"]])
    books, schedule = invoiced_schedule(demo, tmp_path / "books", tag, [Decimal(60_000)] * 2)
    path = books.folder / "sales.xlsx"
    config = config_for(settings)
    state = tmp_path / "state.sqlite"
    first = sync_paths(books.paths, config, client=client(), state_path=state, pull_back=True)
    assert first.result is not None and not first.result.refusals
    assert not any(p.problems for p in first.pulled)
    total = _total(Decimal(60_000))
    ids = {}
    for line in schedule:
        cells = _cells(path, line["instalment_id"])
        assert cells["odoo_invoice_state"] == "posted"
        assert (cells["odoo_payment_state"], cells["odoo_amount_due"]) == ("not_paid", total)
        assert cells["odoo_paid_date"] is None
        ids[line["instalment_id"]] = cells["odoo_invoice_id"]
    first_id, second_id = (ids[line["instalment_id"]] for line in schedule)
    _register(client(), first_id, payment_date="2026-11-20")
    _register(client(), second_id, amount=10_000, payment_date="2026-11-21")
    pulled = Recording(client())
    second = sync_paths(books.paths, config, client=pulled, state_path=state, pull_back=True)
    assert not (STEPS | {"action_post", "create_invoices"}) & set(pulled.methods)
    assert sum(p.written for p in second.pulled) == 6, second.pulled
    paid = _cells(path, schedule[0]["instalment_id"])
    assert (paid["odoo_payment_state"], paid["odoo_amount_due"]) == ("paid", Decimal(0))
    assert paid["odoo_paid_date"] == dt.date(2026, 11, 20)
    part = _cells(path, schedule[1]["instalment_id"])
    assert (part["odoo_payment_state"], part["odoo_amount_due"]) == ("partial", total - 10_000)
    assert part["odoo_paid_date"] == dt.date(2026, 11, 21)
    third = sync_paths(books.paths, config, client=client(), state_path=state, pull_back=True)
    assert not third.result.pull and not third.pulled


def test_one_payment_for_two_instalments_and_a_write_off_come_back(live, demo, tmp_path):  # noqa: F811
    settings, client = live
    provision(client(), [dict(r) for r in demo.rows["staff"]["roster"]])
    tag = secrets.token_hex(3).upper()
    one_payment_for_two_and_a_write_off(settings, client, demo, tmp_path, tag)


def test_a_reimbursement_made_in_odoo_comes_back_into_the_claims(live, demo, tmp_path):  # noqa: F811
    settings, client = live
    tag = secrets.token_hex(3).upper()
    team = _team(demo, tag)[:2]
    team[1]["manager"] = team[0]["name"]
    provision(client(), team)
    row = next(r for r in demo.rows["expenses"]["claims"] if not r["campaign_id"])
    claim = dict(
        row, claim_id=f"P{tag}X1", claimant=team[1]["name"], approver=team[0]["name"],
        auditor=team[0]["name"], approval="approved", audit="passed", reimbursed=False,
        reimbursed_date=None, amount=Decimal(10499),
    )  # fmt: skip
    books = Books(
        tmp_path / "books", {"customers": []}, {"roster": team}, [p["name"] for p in team],
        {"expenses": {"expense_budget": [], "claims": [claim]}},
    )  # fmt: skip
    books.write()
    path = books.folder / "expenses.xlsx"
    config = config_for(settings)
    state = tmp_path / "state.sqlite"
    first = sync_paths(books.paths, config, client=client(), state_path=state, pull_back=True)
    assert first.result is not None and not first.result.refusals
    series = str(client().version_info[0])
    cells = _claim_cells(path, claim["claim_id"])
    assert cells["odoo_expense_state"] == "approved"
    assert cells["odoo_report_state"] == ("approve" if series == "17" else None)
    _reimburse(client(), series, cells["odoo_expense_id"], "2026-11-22")
    pulled = Recording(client())
    second = sync_paths(books.paths, config, client=pulled, state_path=state, pull_back=True)
    assert not (STEPS | {"action_submit", "action_approve"}) & set(pulled.methods)
    assert not any(p.problems for p in second.pulled)
    cells = _claim_cells(path, claim["claim_id"])
    assert cells["odoo_expense_state"] == ("done" if series == "17" else "paid")
    assert cells["odoo_report_state"] == ("done" if series == "17" else None)
    assert cells["odoo_paid_date"] == dt.date(2026, 11, 22)
    third = sync_paths(books.paths, config, client=client(), state_path=state, pull_back=True)
    assert not third.result.pull and not third.pulled
