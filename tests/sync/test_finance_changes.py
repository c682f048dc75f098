"""Changes made in the finance workbooks after the Odoo record exists, on the test server as
Odoo 17 and 19 (tests/odoo_server/finance_changes.py says what the real ones do): another
service line on a contract, another amount on an instalment, a contract terminated with
invoices, and an employee without a user whose expense report finance posts on 17. Whatever
Odoo cannot take is never written, and says so on its row; a re-sync writes nothing."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest
from rich.console import Console

from mops.errors import OdooTransientError
from mops.syncing.findings import REFUSED
from mops.syncing.plan import Plan
from mops.syncing.render import render_plan

from .conftest import Odoo
from .helpers import Books, business_tax

# End to end; test_finance_change_converters.py proves the same decisions in the quick loop.
pytestmark = pytest.mark.slow
STEPS = ("create", "write", "unlink", "action_confirm", "action_cancel", "action_post",
         "create_invoices", "button_cancel")  # fmt: skip
LEASE = "ir.model.data"


def _writes(server):
    # The lease is an external id: made and dropped by every sync that writes.
    return [(c.model, c.method) for c in server.calls if c.method in STEPS and c.model != LEASE]


def _books(tmp_path, demo, statuses=("drafting", "executing"), instalments=0) -> Books:
    """One customer of the demo with a contract of each status, the last one in instalments
    (the first invoiced, the others scheduled), under ids no demo row has."""
    customer = copy.deepcopy(demo.rows["customers"]["customers"][0])
    customer.update(customer_id="FCC1", name="變更測試股份有限公司")
    contracts = []
    for i, status in enumerate(statuses):
        row = next(r for r in demo.rows["sales"]["contracts"] if r["status"] == status)
        contracts.append(
            dict(copy.deepcopy(row), contract_id=f"FCS{i}", customer_id="FCC1",
                 opportunity_id=None, service_line="strategy", amount=Decimal(300000))
        )  # fmt: skip
    signed = contracts[-1]
    if instalments:
        signed["amount"] = Decimal(100000 * instalments)  # the schedule adds up to the contract
    schedule = [
        {"instalment_id": f"{signed['contract_id']}-{n}", "contract_id": signed["contract_id"],
         "seq": n, "due_date": signed["signed_date"], "amount": Decimal(100000),
         "invoice_no": f"FC{n:08d}" if n == 1 else None,
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


def _order(server, contract_id: str) -> dict:
    (order,) = server.search_read(
        "sale.order", [["x_mops_key", "=", f"contract:{contract_id}"]],
        ["name", "state", "amount_untaxed", "amount_tax", "amount_total", "order_line",
         "invoice_ids"],
    )  # fmt: skip
    order["lines"] = server.search_read(
        "sale.order.line", [["order_id", "=", order["id"]], ["is_downpayment", "=", False]],
        ["product_id", "product_uom_qty", "price_unit"],
    )  # fmt: skip
    return order


def _invoice(server, instalment_id: str) -> dict:
    (invoice,) = server.search_read(
        "account.move", [["x_mops_key", "=", f"instalment:{instalment_id}"]],
        ["name", "state", "payment_state", "amount_untaxed", "amount_tax", "amount_total"],
    )  # fmt: skip
    return invoice


def _product(server, service: str) -> int:
    (row,) = server.search_read(
        "ir.model.data", [["module", "=", "mops"], ["name", "=", f"service_{service}"]], ["res_id"]
    )
    return row["res_id"]


def _m2o(value):
    return value[0] if isinstance(value, list) else value


def _refused(outcome, key: str) -> list[str]:
    """The codes of the changes Odoo's record could not take, planned for ``key``."""
    item = next(i for i in outcome.plan.items if i.key == key)
    return [r.code for r in item.refusals]


def _row_findings(outcome, tab_row: tuple[str, int]) -> list:
    return [f for f in outcome.findings if f.rule_id == REFUSED and (f.sheet, f.row) == tab_row]


def _source(outcome, key: str) -> tuple[str, int]:
    item = next(i for i in outcome.plan.items if i.key == key)
    return item.source.sheet, item.source.row


def _odoo_write(server, model: str, ids: list[int], vals: dict) -> None:
    """What a person (or Odoo's own flow mops does not drive) did in Odoo meanwhile."""
    with server.store.transaction(2, {}):
        server.store.write(model, ids, vals)


def test_another_service_line_replaces_a_quotations_line_and_follows_a_confirmed_order(
    odoo_v: Odoo, tmp_path, demo
):
    books = _books(tmp_path, demo)
    state = tmp_path / "state.sqlite"
    first = odoo_v.sync(books, state)
    assert not first.result.refusals
    server = odoo_v.server
    assert _order(server, "FCS0")["state"] == "draft" and _order(server, "FCS1")["state"] == "sale"
    quotation, confirmed = books.others["sales"]["contracts"]
    quotation["service_line"] = "digital"
    confirmed.update(service_line="finance", amount=Decimal(320000))
    books.write()
    server.reset_calls()
    out = odoo_v.sync(books, state)
    assert not out.result.refusals and out.exit_code == 0
    # The quotation's line is replaced; the confirmed order keeps its line at 0 and sells the
    # new service, as Odoo asks ("set the quantity to 0 instead").
    order = _order(server, "FCS0")
    assert [(_m2o(line["product_id"]), line["product_uom_qty"]) for line in order["lines"]] == [
        (_product(server, "digital"), 1.0)
    ]
    order = _order(server, "FCS1")
    lines = sorted((_m2o(line["product_id"]), line["product_uom_qty"]) for line in order["lines"])
    strategy, finance = _product(server, "strategy"), _product(server, "finance")
    assert lines == sorted([(strategy, 0.0), (finance, 1.0)])
    assert Decimal(repr(order["amount_untaxed"])) == Decimal(320000)
    assert Decimal(repr(order["amount_total"])) == Decimal(320000) + business_tax(Decimal(320000))
    assert _writes(server) == [("sale.order", "write"), ("sale.order", "write")]
    server.reset_calls()
    assert odoo_v.sync(books, state).exit_code == 0 and _writes(server) == []
    # Once the new line is invoiced (a final invoice), Odoo would still let it be set to 0,
    # which would owe the customer a credit: mops leaves the order alone and says why.
    sold = next(line for line in order["lines"] if line["product_uom_qty"])
    _odoo_write(server, "sale.order.line", [sold["id"]], {"qty_invoiced": 1.0})
    confirmed["service_line"] = "training"
    books.write()
    for _ in range(2):  # every run says so, and writes nothing
        server.reset_calls()
        out = odoo_v.sync(books, state)
        assert _refused(out, "contract:FCS1") == ["service_line_invoiced"]
        (finding,) = _row_findings(out, _source(out, "contract:FCS1"))
        assert order["name"] in finding.message_en and "credit note" in finding.message_en
        assert "折讓" in finding.message_zh
        assert out.exit_code == 1 and _writes(server) == []
    assert _m2o(_order(server, "FCS1")["lines"][-1]["product_id"]) != _product(server, "training")


def test_an_instalment_amount_rewrites_its_draft_invoice_and_a_posted_one_is_reported(
    odoo_v: Odoo, tmp_path, demo
):
    books = _books(tmp_path, demo, statuses=("executing",), instalments=3)
    state = tmp_path / "state.sqlite"
    assert not odoo_v.sync(books, state).result.refusals
    server = odoo_v.server
    posted, draft, _ = books.others["sales"]["payment_schedule"]
    assert _invoice(server, posted["instalment_id"])["state"] == "posted"
    assert _invoice(server, draft["instalment_id"])["state"] == "draft"
    # Moved 1,000 from the second instalment to the first: the schedule still adds up.
    posted["amount"] += 1000
    draft["amount"] -= 1000
    books.write()
    for run in range(2):
        server.reset_calls()
        out = odoo_v.sync(books, state)
        invoice = _invoice(server, draft["instalment_id"])
        assert Decimal(repr(invoice["amount_untaxed"])) == Decimal(99000)
        assert Decimal(repr(invoice["amount_tax"])) == business_tax(Decimal(99000))
        assert Decimal(repr(invoice["amount_total"])) == Decimal(99000) + business_tax(
            Decimal(99000)
        )
        kept = _invoice(server, posted["instalment_id"])
        assert Decimal(repr(kept["amount_untaxed"])) == Decimal(100000)
        assert _refused(out, f"instalment:{posted['instalment_id']}") == ["invoice_posted"]
        (finding,) = _row_findings(out, _source(out, f"instalment:{posted['instalment_id']}"))
        assert finding.column == "amount" and kept["name"] in finding.message_en
        assert "credit note" in finding.message_en and "101000" in finding.message_en
        assert out.exit_code == 1
        # Odoo's totals come from the line: one write of the draft invoice, then none.
        assert _writes(server) == ([("account.move", "write")] if run == 0 else [])


def test_a_terminated_contract_cancels_its_draft_invoices_and_reports_posted_unpaid_ones(
    odoo_v: Odoo, tmp_path, demo
):
    books = _books(tmp_path, demo, statuses=("executing",), instalments=2)
    state = tmp_path / "state.sqlite"
    assert not odoo_v.sync(books, state).result.refusals
    server = odoo_v.server
    posted, draft = books.others["sales"]["payment_schedule"]
    (contract,) = books.others["sales"]["contracts"]
    contract.update(
        status="terminated", termination_reason="客戶解約",
        termination_date=contract["signed_date"] + dt.timedelta(days=10),
    )  # fmt: skip
    # The second instalment split in two the same day: the new one is never invoiced (it is
    # not owed, and Odoo would invoice a cancelled order), the other's new amount does not
    # matter once its invoice is cancelled.
    draft["amount"] = Decimal(50000)
    later = dict(draft, instalment_id="FCS0-3", seq=3)
    books.others["sales"]["payment_schedule"].append(later)
    books.write()
    draft_invoice = _invoice(server, draft["instalment_id"])
    posted_invoice = _invoice(server, posted["instalment_id"])
    server.reset_calls()
    plan = odoo_v.sync(books, state, dry_run=True).plan
    (item,) = [i for i in plan.items if i.key == "contract:FCS0"]
    assert [(s.method, s.ids) for s in item.linked] == [("button_cancel", [draft_invoice["id"]])]
    assert item.actions == ["action_cancel"]
    assert [r.code for r in item.refusals] == ["terminated_open_invoices"]
    assert _writes(server) == []
    # The dry run shows both, in either language, and a saved plan keeps them.
    for lang, words in (("en", "posted invoices are still unpaid"), ("zh-TW", "折讓單")):
        screen = Console(record=True, width=250)
        render_plan(plan, screen, lang)
        shown = screen.export_text()
        assert "account.move.button_cancel" in shown and words in shown
        assert posted_invoice["name"] in shown
    (saved,) = [i for i in Plan.from_json(plan.to_json()).items if i.key == "contract:FCS0"]
    assert saved.linked == item.linked and saved.refusals == item.refusals
    server.reset_calls()
    out = odoo_v.sync(books, state)
    assert not out.result.refusals
    # The draft invoice is cancelled first, then the order, through Odoo's own buttons.
    assert _writes(server) == [("account.move", "button_cancel"), ("sale.order", "action_cancel")]
    assert _order(server, "FCS0")["state"] == "cancel"
    assert _invoice(server, draft["instalment_id"])["state"] == "cancel"
    assert _invoice(server, posted["instalment_id"])["state"] == "posted"
    assert not server.search_read("account.move", [["x_mops_key", "=", "instalment:FCS0-3"]])
    assert not _refused(out, f"instalment:{draft['instalment_id']}")
    (finding,) = _row_findings(out, _source(out, "contract:FCS0"))
    assert finding.column == "status" and posted_invoice["name"] in finding.message_en
    assert "105000" in finding.message_en and out.exit_code == 1
    server.reset_calls()
    again = odoo_v.sync(books, state)
    assert _writes(server) == [] and _refused(again, "contract:FCS0") == [
        "terminated_open_invoices"
    ]
    # Finance settles it with a credit note: Odoo marks the invoice reversed, nothing is said.
    _odoo_write(server, "account.move", [posted_invoice["id"]], {"payment_state": "reversed"})
    settled = odoo_v.sync(books, state)
    assert _refused(settled, "contract:FCS0") == [] and not _row_findings(
        settled, _source(settled, "contract:FCS0")
    )


def test_a_lost_reply_of_the_draft_invoices_cancel_takes_it_once(odoo_v: Odoo, tmp_path, demo):
    books = _books(tmp_path, demo, statuses=("executing",), instalments=2)
    state = tmp_path / "state.sqlite"
    odoo_v.sync(books, state)
    server = odoo_v.server
    (contract,) = books.others["sales"]["contracts"]
    contract.update(status="terminated", termination_reason="客戶解約")
    contract["termination_date"] = contract["signed_date"] + dt.timedelta(days=10)
    books.write()
    draft = _invoice(server, books.others["sales"]["payment_schedule"][1]["instalment_id"])
    server.reset_calls()
    out = odoo_v.sync(books, state, client=_LosingReply(odoo_v.client(), "button_cancel"))
    # Odoo took the step and the reply was lost: its state says so, and it is not taken again.
    assert not out.result.refusals
    assert [c.method for c in server.calls_to("account.move", "button_cancel")] == ["button_cancel"]
    assert (
        _invoice(server, books.others["sales"]["payment_schedule"][1]["instalment_id"])["state"]
        == "cancel"
        and draft["state"] == "draft"
    )
    assert _order(server, "FCS0")["state"] == "cancel"
    server.reset_calls()
    odoo_v.sync(books, state)
    assert _writes(server) == []


class _LosingReply:
    """A client whose first call of ``method`` reaches Odoo and loses its reply."""

    def __init__(self, client, method: str) -> None:
        self.client, self.method, self.lost = client, method, False

    def __getattr__(self, name):
        return getattr(self.client, name)

    def call(self, model, method, *args, **kwargs):
        answer = self.client.call(model, method, *args, **kwargs)
        if method == self.method and not self.lost:
            self.lost = True
            raise OdooTransientError(f"{model}.{method}: the connection dropped")
        return answer


def test_an_employee_without_a_user_gets_a_work_email_and_finance_posts_their_report(
    odoo_v: Odoo, tmp_path, demo
):
    # Two newcomers without an Odoo user (the head approves), beside the demo roster's people,
    # who all have one.
    roster = [dict(r) for r in demo.rows["staff"]["roster"]]
    team = [dict(r) for r in roster[:2]]
    for i, person in enumerate(team):
        person.update(
            employee_id=f"FCE{i}", name=f"變更測試{i}", manager=None, active=True,
            leave_date=None, email=f"Newcomer{i}@Example.com",
        )  # fmt: skip
    team[1]["manager"] = team[0]["name"]
    row = next(r for r in demo.rows["expenses"]["claims"] if not r["campaign_id"])
    claim = dict(
        row, claim_id="FCX1", claimant=team[1]["name"], approver=team[0]["name"],
        auditor=team[0]["name"], approval="approved", audit="passed", reimbursed=False,
        reimbursed_date=None,
    )  # fmt: skip
    staff = roster + team
    books = Books(
        tmp_path / "books", {"customers": []}, {"roster": staff}, [p["name"] for p in staff],
        {"expenses": {"expense_budget": [], "claims": [claim]}},
    )  # fmt: skip
    books.write()
    state = tmp_path / "state.sqlite"
    first = odoo_v.sync(books, state)
    assert not first.result.refusals
    server = odoo_v.server
    employees = {
        r["x_mops_key"]: r
        for r in server.search_read(
            "hr.employee", [["x_mops_key", "=like", "employee:%"]],
            ["x_mops_key", "work_email", "user_id"],
        )
    }  # fmt: skip
    # The roster's e-mail as it is written there; people with a user get theirs from it.
    assert employees["employee:FCE1"]["work_email"] == "Newcomer1@Example.com"
    assert employees["employee:FCE1"]["user_id"] is False
    with_user = [e for k, e in employees.items() if not k.startswith("employee:FCE")]
    assert with_user and all(e["user_id"] and not e["work_email"] for e in with_user)
    server.reset_calls()
    odoo_v.sync(books, state)
    assert _writes(server) == []
    if server.version != "17.0":
        return  # 19 has no expense reports; it posts expenses without asking for a work e-mail
    (report,) = server.search_read(
        "hr.expense.sheet", [["x_mops_key", "=", "claim_report:FCX1"]], ["state"]
    )
    assert report["state"] == "approve"
    # Finance posts it in Odoo, which Odoo 17 refuses for an employee without a work e-mail.
    odoo_v.client().call("hr.expense.sheet", "action_sheet_move_create", [report["id"]])
    (report,) = server.search_read("hr.expense.sheet", [["id", "=", report["id"]]], ["state"])
    assert report["state"] == "post"
