"""The payment schedule as customer invoices on the test server as Odoo 17 and 19: each
instalment an invoice made by Odoo's invoicing wizard from its contract's order, Odoo's totals
equal ours, posted by action_post, and never a second invoice after a crash."""

from __future__ import annotations

import copy
import pickle
from decimal import Decimal

import pytest

from mops.errors import OdooTransientError

from .conftest import Odoo, provisioned_as
from .helpers import business_tax
from odoo_server.server import OdooTestServer

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")

POSTED = ("invoiced", "paid", "overdue")
STEPS = ("create", "write", "unlink", "action_post", "create_invoices")


def _invoices(server):
    rows = server.search_read(
        "account.move", [["move_type", "=", "out_invoice"]],
        ["x_mops_key", "invoice_origin", "state", "amount_untaxed", "amount_tax",
         "amount_total", "ref", "invoice_date_due", "invoice_date"],
    )  # fmt: skip
    return rows


def _writes(server):
    return [c for c in server.calls if c.method in STEPS and c.model != "ir.model.data"]


def _books(make_books, demo, contracts: int = 4):
    """A few signed contracts with their schedules, and their customers."""
    books = make_books(customers=2)
    chosen = [
        copy.deepcopy(r)
        for r in demo.rows["sales"]["contracts"]
        if r["status"] in ("executing", "completed")
    ][:contracts]
    for row in chosen:
        row["opportunity_id"] = None
    ids = {r["contract_id"] for r in chosen}
    schedule = [
        copy.deepcopy(r) for r in demo.rows["sales"]["payment_schedule"] if r["contract_id"] in ids
    ]
    have = {r["customer_id"] for r in books.rows["customers"]}
    for row in demo.rows["customers"]["customers"]:
        if row["customer_id"] in {c["customer_id"] for c in chosen} - have:
            books.rows["customers"].append(copy.deepcopy(row))
    books.others = {"sales": {"targets": [], "contracts": chosen, "payment_schedule": schedule}}
    books.write()
    return books


def test_each_instalment_is_an_invoice_of_its_order_with_odoos_totals(
    odoo_v: Odoo, make_books, demo, tmp_path
):
    books = _books(make_books, demo, contracts=6)
    schedule = books.others["sales"]["payment_schedule"]
    assert {r["status"] for r in schedule} & set(POSTED) and len(schedule) >= 8
    state = tmp_path / "state.sqlite"
    first = odoo_v.sync(books, state)
    assert not first.result.refusals
    # The demo plants mistakes in some customers: their contracts wait, and say why.
    skipped = {i.key for i in first.plan.items if i.action == "skipped"}
    schedule = [r for r in schedule if f"contract:{r['contract_id']}" not in skipped]
    assert (
        len(schedule) >= 6 and not {f"instalment:{r['instalment_id']}" for r in schedule} & skipped
    )
    server = odoo_v.server
    orders = {
        r["x_mops_key"]: r["name"]
        for r in server.search_read(
            "sale.order", [["x_mops_key", "!=", False]], ["x_mops_key", "name"]
        )
    }
    invoices = {r["x_mops_key"]: r for r in _invoices(server)}
    assert len(invoices) == len(schedule) and set(orders) >= {
        f"contract:{r['contract_id']}" for r in schedule
    }
    for row in schedule:
        inv = invoices[f"instalment:{row['instalment_id']}"]
        assert inv["invoice_origin"] == orders[f"contract:{row['contract_id']}"]
        assert Decimal(repr(inv["amount_untaxed"])) == row["amount"]
        assert Decimal(repr(inv["amount_tax"])) == business_tax(row["amount"])
        assert Decimal(repr(inv["amount_total"])) == row["amount"] + business_tax(row["amount"])
        assert inv["ref"] == (row["invoice_no"] or False)
        assert inv["invoice_date_due"] == row["due_date"].isoformat()
        assert inv["state"] == ("posted" if row["status"] in POSTED else "draft"), row["status"]
    assert len(server.calls_to("sale.advance.payment.inv", "create_invoices")) == len(schedule)
    assert len(server.calls_to("account.move", "action_post")) == 1
    # Three calls an invoice (the wizard made, run, the key written): the orders and their
    # invoices without a key are read once for all of them, not searched an invoice at a time.
    assert not server.calls_to("account.move", "search")
    # Nothing to do the second time.
    server.reset_calls()
    again = odoo_v.sync(books, state)
    assert not any(i.actions for i in again.plan.items)
    assert _writes(server) == []


def test_a_crash_between_the_wizard_and_the_key_makes_no_second_invoice(
    odoo_v: Odoo, make_books, demo, tmp_path
):
    books = _books(make_books, demo, contracts=1)
    schedule = books.others["sales"]["payment_schedule"]
    state = tmp_path / "state.sqlite"
    server = odoo_v.server
    # A clean run on a copy tells which call writes the first invoice's key.
    server.reset_calls()
    with pytest.raises(OdooTransientError):
        server.drop_connection_on_call = range(_key_write(odoo_v, books, tmp_path), 10**6)
        odoo_v.sync(books, state)
    server.drop_connection_on_call = None
    assert [r["x_mops_key"] for r in _invoices(server)] == [False]
    out = odoo_v.sync(books, state)
    assert not out.result.refusals
    keys = sorted(r["x_mops_key"] for r in _invoices(server))
    assert keys == sorted(f"instalment:{r['instalment_id']}" for r in schedule)


def _key_write(odoo: Odoo, books, tmp_path) -> int:
    """The number of the call that writes the first invoice's key in a clean run of ``books``
    on a copy of this server: the same run on the server itself makes the same calls."""
    store = pickle.loads(pickle.dumps(odoo.server.store))
    with OdooTestServer(store=store, version=odoo.server.version) as copy_server:
        twin = provisioned_as(copy_server)
        copy_server.reset_calls()
        twin.sync(books, tmp_path / "twin.sqlite")
        wizard = copy_server.calls_to("sale.advance.payment.inv", "create_invoices")[0].number
        return next(
            c.number for c in copy_server.calls_to("account.move", "write") if c.number > wizard
        )
