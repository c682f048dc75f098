"""The finance changes against the real Odoo 17 (JSON-RPC) and 19 (JSON-2) of ODOO_URL … and
ODOO19_URL … (skipped without them): another service line, another instalment amount, a
contract terminated with invoices, an employee without a user whose report finance posts on 17.
Random ids and names, so parallel runs on the shared databases never meet."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

import pytest

from mops.syncing.findings import REFUSED
from mops.syncing.remote import read_all, series_of
from mops.syncing.run import sync_paths

from .helpers import Books, business_tax, config_for, provision
from .test_finance_live import Recording, live  # noqa: F401  (the fixture of both servers)

pytestmark = pytest.mark.odoo_live
WRITES = {
    "create", "write", "unlink", "action_confirm", "action_cancel", "action_post",
    "create_invoices", "button_cancel", "action_archive", "action_unarchive",
}  # fmt: skip


def _books(tmp_path, demo, tag: str, statuses, instalments: int = 0) -> Books:
    customer = dict(demo.rows["customers"]["customers"][0], customer_id=f"L{tag}C")
    customer.update(name=f"變更測試{tag}股份有限公司", email=f"chg{tag.lower()}@example.com")
    contracts = []
    for i, status in enumerate(statuses):
        row = next(r for r in demo.rows["sales"]["contracts"] if r["status"] == status)
        contracts.append(
            dict(row, contract_id=f"L{tag}S{i}", customer_id=customer["customer_id"],
                 opportunity_id=None, service_line="strategy",
                 amount=Decimal(100000 * (instalments or 3)))
        )  # fmt: skip
    signed = contracts[-1]
    schedule = [
        {"instalment_id": f"{signed['contract_id']}-{n}", "contract_id": signed["contract_id"],
         "seq": n, "due_date": signed["signed_date"], "amount": Decimal(100000),
         "invoice_no": f"CH-{tag[:4]}{n:04d}" if n == 1 else None,
         "invoiced_date": signed["signed_date"] if n == 1 else None, "paid_date": None,
         "paid_amount": None, "status": "invoiced" if n == 1 else "scheduled"}
        for n in range(1, instalments + 1)
    ]  # fmt: skip
    roster = [dict(r) for r in demo.rows["staff"]["roster"]]
    books = Books(
        tmp_path / "books",
        {"customers": [customer], "contacts": [], "opportunities": [], "followup_log": []},
        {"roster": roster}, [p["name"] for p in roster],
        {"sales": {"targets": [], "contracts": contracts, "payment_schedule": schedule}},
    )  # fmt: skip
    books.write()
    return books


def _sync(client, books, settings, state):
    recording = Recording(client())
    out = sync_paths(books.paths, config_for(settings), client=recording, state_path=state)
    return out, recording


def _item(out, key: str):
    return next(i for i in out.plan.items if i.key == key)


def _finding(out, key: str):
    item = _item(out, key)
    (found,) = [
        f
        for f in out.findings
        if f.rule_id == REFUSED and (f.sheet, f.row) == (item.source.sheet, item.source.row)
    ]
    return found


def _order(client, key: str) -> dict:
    (order,) = read_all(
        client(), "sale.order", [["x_mops_key", "=", key]],
        ["name", "state", "amount_untaxed", "amount_total", "order_line", "invoice_ids"],
    )  # fmt: skip
    order["lines"] = read_all(
        client(), "sale.order.line",
        [["order_id", "=", order["id"]], ["is_downpayment", "=", False]],
        ["product_id", "product_uom_qty"],
    )  # fmt: skip
    return order


def _invoice(client, key: str) -> dict:
    (invoice,) = read_all(
        client(), "account.move", [["x_mops_key", "=", key]],
        ["name", "state", "payment_state", "amount_untaxed", "amount_tax", "amount_total"],
    )  # fmt: skip
    return invoice


def _xmlid(client, name: str) -> int:
    (row,) = read_all(
        client(), "ir.model.data", [["module", "=", "mops"], ["name", "=", name]], ["res_id"]
    )
    return row["res_id"]


def test_another_service_line_on_the_real_odoo(live, demo, tmp_path):  # noqa: F811
    settings, client = live
    tag = secrets.token_hex(3).upper()
    books = _books(tmp_path, demo, tag, ("drafting", "executing"))
    provision(client(), books.staff["roster"])
    state = tmp_path / "state.sqlite"
    first, _ = _sync(client, books, settings, state)
    assert not first.result.refusals
    quotation, confirmed = books.others["sales"]["contracts"]
    quotation["service_line"] = "digital"
    confirmed.update(service_line="finance", amount=Decimal(320000))
    books.write()
    out, _ = _sync(client, books, settings, state)
    assert not out.result.refusals
    mine = {k: _order(client, f"contract:{k}") for k in (f"L{tag}S0", f"L{tag}S1")}
    lines = {k: sorted((o["product_id"], o["product_uom_qty"]) for o in v["lines"]) for k, v in
             mine.items()}  # fmt: skip
    assert lines[f"L{tag}S0"] == [(_xmlid(client, "service_digital"), 1.0)]
    assert lines[f"L{tag}S1"] == sorted(
        [(_xmlid(client, "service_strategy"), 0.0), (_xmlid(client, "service_finance"), 1.0)]
    )
    order = mine[f"L{tag}S1"]
    assert order["state"] == "sale" and Decimal(repr(order["amount_untaxed"])) == 320000
    assert Decimal(repr(order["amount_total"])) == 320000 + business_tax(Decimal(320000))
    again, recording = _sync(client, books, settings, state)
    keys = {f"contract:L{tag}S0", f"contract:L{tag}S1"}
    assert not any(i.changes or i.actions or i.refusals for i in again.plan.items if i.key in keys)
    assert not WRITES & set(recording.methods), sorted(set(recording.methods))


def test_another_instalment_amount_on_the_real_odoo(live, demo, tmp_path):  # noqa: F811
    settings, client = live
    tag = secrets.token_hex(3).upper()
    books = _books(tmp_path, demo, tag, ("executing",), instalments=3)
    provision(client(), books.staff["roster"])
    state = tmp_path / "state.sqlite"
    first, _ = _sync(client, books, settings, state)
    assert not first.result.refusals
    posted, draft, _ = books.others["sales"]["payment_schedule"]
    posted["amount"] += 1000
    draft["amount"] -= 1000
    books.write()
    for run in range(2):
        out, recording = _sync(client, books, settings, state)
        assert not out.result.refusals
        invoice = _invoice(client, f"instalment:{draft['instalment_id']}")
        assert invoice["state"] == "draft"
        assert Decimal(repr(invoice["amount_untaxed"])) == 99000
        assert Decimal(repr(invoice["amount_tax"])) == business_tax(Decimal(99000))
        assert Decimal(repr(invoice["amount_total"])) == 99000 + business_tax(Decimal(99000))
        kept = _invoice(client, f"instalment:{posted['instalment_id']}")
        assert kept["state"] == "posted" and Decimal(repr(kept["amount_untaxed"])) == 100000
        key = f"instalment:{posted['instalment_id']}"
        assert [r.code for r in _item(out, key).refusals] == ["invoice_posted"]
        assert kept["name"] in _finding(out, key).message_en
        if run:
            assert not WRITES & set(recording.methods), sorted(set(recording.methods))


def test_a_terminated_contract_with_invoices_on_the_real_odoo(live, demo, tmp_path):  # noqa: F811
    settings, client = live
    tag = secrets.token_hex(3).upper()
    books = _books(tmp_path, demo, tag, ("executing",), instalments=2)
    provision(client(), books.staff["roster"])
    state = tmp_path / "state.sqlite"
    first, _ = _sync(client, books, settings, state)
    assert not first.result.refusals
    posted, draft = books.others["sales"]["payment_schedule"]
    (contract,) = books.others["sales"]["contracts"]
    contract.update(
        status="terminated", termination_reason="客戶解約",
        termination_date=contract["signed_date"] + dt.timedelta(days=10),
    )  # fmt: skip
    books.write()
    out, recording = _sync(client, books, settings, state)
    assert not out.result.refusals
    # The draft invoice is cancelled first, then the order (the lease's create and unlink aside).
    steps = [m for m in recording.methods if m in WRITES - {"create", "unlink"}]
    assert steps == ["button_cancel", "action_cancel"]
    key = f"contract:L{tag}S0"
    assert _order(client, key)["state"] == "cancel"
    assert _invoice(client, f"instalment:{draft['instalment_id']}")["state"] == "cancel"
    kept = _invoice(client, f"instalment:{posted['instalment_id']}")
    assert kept["state"] == "posted" and kept["payment_state"] == "not_paid"
    assert kept["name"] in _finding(out, key).message_en
    again, recording = _sync(client, books, settings, state)
    assert [r.code for r in _item(again, key).refusals] == ["terminated_open_invoices"]
    assert not WRITES & set(recording.methods), sorted(set(recording.methods))


def test_an_employee_without_a_user_on_the_real_odoo(live, demo, tmp_path):  # noqa: F811
    settings, client = live
    tag = secrets.token_hex(3).upper()
    team = [dict(r) for r in demo.rows["staff"]["roster"][:2]]
    for i, person in enumerate(team):
        person.update(
            employee_id=f"L{tag}E{i}", name=f"變更{tag}{i}", manager=None, active=True,
            leave_date=None, email=f"chg{tag.lower()}{i}@example.com",
        )  # fmt: skip
    team[1]["manager"] = team[0]["name"]
    row = next(r for r in demo.rows["expenses"]["claims"] if not r["campaign_id"])
    claim = dict(
        row, claim_id=f"L{tag}X", claimant=team[1]["name"], approver=team[0]["name"],
        auditor=team[0]["name"], approval="approved", audit="passed", reimbursed=False,
        reimbursed_date=None, amount=Decimal(10499),
    )  # fmt: skip
    provision(client(), [])  # setup only: neither of them has an Odoo user
    books = Books(
        tmp_path / "books", {"customers": []}, {"roster": team}, [p["name"] for p in team],
        {"expenses": {"expense_budget": [], "claims": [claim]}},
    )  # fmt: skip
    books.write()
    state = tmp_path / "state.sqlite"
    first, _ = _sync(client, books, settings, state)
    assert not first.result.refusals
    (employee,) = read_all(
        client(), "hr.employee", [["x_mops_key", "=", f"employee:L{tag}E1"]],
        ["work_email", "user_id"],
    )  # fmt: skip
    assert employee["work_email"] == team[1]["email"] and employee["user_id"] is False
    _, recording = _sync(client, books, settings, state)
    assert not WRITES & set(recording.methods), sorted(set(recording.methods))
    if series_of(client()) >= 19:
        return  # 19 has no expense reports, and posts expenses without a work e-mail
    (report,) = read_all(
        client(), "hr.expense.sheet", [["x_mops_key", "=", f"claim_report:L{tag}X"]], ["state"]
    )
    assert report["state"] == "approve"
    # Finance posts it: Odoo 17 refuses an employee without a work e-mail (RedirectWarning).
    client().call("hr.expense.sheet", "action_sheet_move_create", [report["id"]])
    (report,) = read_all(client(), "hr.expense.sheet", [["id", "=", report["id"]]], ["state"])
    assert report["state"] == "post"
