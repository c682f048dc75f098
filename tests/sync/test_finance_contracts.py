"""Contracts as sales orders on the test server as Odoo 17 and 19: one service line at the
amount before tax with the 5 % sales tax, Odoo's totals equal ours, confirmed and cancelled
only through Odoo's own actions, a contract breaking P6.3-legal-review not pushed."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from .conftest import Odoo
from .helpers import business_tax, others_for

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")

CONFIRMED = ("signed", "executing", "completed", "changed")
STEPS = ("create", "write", "unlink", "action_confirm", "action_cancel")


def _m2o(value):
    return value[0] if isinstance(value, list) else value


def _orders(server):
    rows = server.search_read(
        "sale.order", [["x_mops_key", "=like", "contract:%"]],
        ["x_mops_key", "partner_id", "client_order_ref", "state", "amount_untaxed",
         "amount_tax", "amount_total", "order_line", "payment_term_id", "user_id"],
    )  # fmt: skip
    return {r["x_mops_key"]: r for r in rows}


def _xmlids(server):
    rows = server.search_read("ir.model.data", [["module", "=", "mops"]], ["name", "res_id"])
    return {f"mops.{r['name']}": r["res_id"] for r in rows}


def _writes(server):
    return [c for c in server.calls if c.method in STEPS and c.model != "ir.model.data"]


def _books(make_books, demo, per_status: int = 3):
    """A few customers' workbooks with some contracts of every status, and their customers."""
    books = make_books(customers=3)
    contracts: list[dict] = []
    for status in (*CONFIRMED, "drafting", "legal_review", "terminated"):
        chosen = [r for r in demo.rows["sales"]["contracts"] if r["status"] == status]
        contracts.extend(copy.deepcopy(r) for r in chosen[:per_status])
    for row in contracts:
        row["opportunity_id"] = None  # the opportunities of these few customers only
    have = {r["customer_id"] for r in books.rows["customers"]}
    for row in demo.rows["customers"]["customers"]:
        if row["customer_id"] in {c["customer_id"] for c in contracts} - have:
            books.rows["customers"].append(copy.deepcopy(row))
    books.others = {
        **others_for(demo, books.rows, campaigns=1),
        "sales": {"targets": [], "contracts": contracts, "payment_schedule": []},
    }
    books.write()
    return books


def test_contracts_become_orders_confirmed_by_odoo_with_odoos_totals(
    odoo_v: Odoo, make_books, demo, tmp_path
):
    books = _books(make_books, demo)
    contracts = books.others["sales"]["contracts"]
    assert {r["status"] for r in contracts} >= {"completed", "legal_review", "terminated"}
    state = tmp_path / "state.sqlite"
    first = odoo_v.sync(books, state)
    assert not first.result.refusals
    server = odoo_v.server
    orders = _orders(server)
    xmlids = _xmlids(server)
    partners = {
        r["x_mops_key"]: r["id"]
        for r in server.search_read(
            "res.partner", [["x_mops_key", "=like", "customer:%"]], ["x_mops_key"]
        )
    }
    skipped = {i.key for i in first.plan.items if i.action == "skipped"}
    assert len(orders) == len(contracts) and not skipped & set(orders)
    for row in contracts:
        key = f"contract:{row['contract_id']}"
        if key in skipped:
            continue
        order = orders[key]
        assert order["client_order_ref"] == row["contract_id"]
        assert _m2o(order["partner_id"]) == partners[f"customer:{row['customer_id']}"]
        assert _m2o(order["payment_term_id"]) == xmlids["mops.payment_term_30_days"]
        (line,) = server.search_read(
            "sale.order.line", [["order_id", "=", order["id"]]],
            ["product_id", "price_unit", "tax_id" if server.version == "17.0" else "tax_ids"],
        )  # fmt: skip
        assert _m2o(line["product_id"]) == xmlids[f"mops.service_{row['service_line']}"]
        assert line.get("tax_id", line.get("tax_ids")) == [xmlids["mops.tax_sale_5"]]
        # Our totals are Odoo's, to the dollar.
        amount = row["amount"]
        assert Decimal(repr(order["amount_untaxed"])) == amount
        assert Decimal(repr(order["amount_tax"])) == business_tax(amount)
        assert Decimal(repr(order["amount_total"])) == amount + business_tax(amount)
        expected = (
            "sale" if row["status"] in CONFIRMED
            else "cancel" if row["status"] == "terminated"
            else "draft"
        )  # fmt: skip
        assert order["state"] == expected, row["status"]
    # Odoo's own actions did it, one call per step and batch: no order was written at all.
    assert len(server.calls_to("sale.order", "action_confirm")) == 1
    assert not server.calls_to("sale.order", "write")
    # A second sync plans nothing and calls nothing that writes.
    server.reset_calls()
    again = odoo_v.sync(books, state)
    assert not any(i.actions for i in again.plan.items)
    assert _writes(server) == []


def test_a_contract_signed_without_approved_review_is_not_pushed_and_says_why(
    odoo_v: Odoo, make_books, demo, tmp_path
):
    books = _books(make_books, demo, per_status=1)
    row = next(r for r in books.others["sales"]["contracts"] if r["status"] == "executing")
    row["legal_review_result"] = "rejected"
    books.write()
    out = odoo_v.sync(books, tmp_path / "state.sqlite")
    item = next(i for i in out.plan.items if i.key == f"contract:{row['contract_id']}")
    assert item.action == "skipped" and not item.actions
    assert [i.code for i in item.issues] == ["P6.3-legal-review"]
    assert f"contract:{row['contract_id']}" not in _orders(odoo_v.server)


def test_an_amendment_rewrites_the_line_and_a_termination_cancels_through_odoo(
    odoo_v: Odoo, make_books, demo, tmp_path
):
    books = _books(make_books, demo, per_status=1)
    state = tmp_path / "state.sqlite"
    odoo_v.sync(books, state)
    server = odoo_v.server
    row = next(r for r in books.others["sales"]["contracts"] if r["status"] == "executing")
    key = f"contract:{row['contract_id']}"
    row.update(
        amount=row["amount"] + 100000, status="changed", change_date=row["signed_date"],
        change_reason="追加一場工作坊",
    )  # fmt: skip
    books.write()
    server.reset_calls()
    odoo_v.sync(books, state)
    order = _orders(server)[key]
    assert order["state"] == "sale" and len(order["order_line"]) == 1
    assert Decimal(repr(order["amount_untaxed"])) == row["amount"]
    assert Decimal(repr(order["amount_total"])) == row["amount"] + business_tax(row["amount"])
    assert [c.method for c in _writes(server)] == ["write"]
    row.update(
        status="terminated", termination_date=row["signed_date"], termination_reason="客戶解約"
    )
    books.write()
    server.reset_calls()
    out = odoo_v.sync(books, state)
    assert not out.result.refusals
    assert _orders(server)[key]["state"] == "cancel"
    assert [c.method for c in _writes(server)] == ["action_cancel"]
    server.reset_calls()
    odoo_v.sync(books, state)
    assert _writes(server) == []
