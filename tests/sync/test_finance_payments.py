"""Payments registered in Odoo come back into the payment schedule, on the test server as Odoo 17
and 19: the wizard behaves as the real servers captured in odoo_server/flows/ do, and the sync
pulls the invoice's state, payment state, amount due and latest payment date without writing
anything to Odoo, then rewrites no cell when nothing changed."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from mops.errors import OdooServerError
from mops.parsing import parse_cell
from mops.reconciling.model import LineClass
from mops.reconciling.run import reconcile_paths
from mops.syncing.run import sync_paths
from mops.workbook.frames import read_book

from .conftest import Odoo, provisioned, provisioned_as
from .helpers import Books, business_tax, config_for
from odoo_server.server import OdooTestServer

FLOWS = Path(__file__).parents[1] / "odoo_server" / "flows"
WRITES = (
    "create", "write", "unlink", "action_post", "create_invoices", "action_confirm",
    "action_create_payments",
)  # fmt: skip
POSTED = ("invoiced", "paid", "overdue")
# End to end (workbooks, sync, test Odoo): out of the quick loop, as the other finance sync files.
SLOW = pytest.mark.slow


@pytest.fixture(params=["17.0", "19.0"], scope="module")
def bare_v(request):
    """A test server as a new database has it (the Taiwan chart, no mops setup): the wizard."""
    with OdooTestServer(version=request.param) as server:
        yield provisioned_as(server)


@pytest.fixture(params=["17.0", "19.0"], scope="module")
def odoo_v(request, demo):
    """A test server provisioned as ``mops odoo setup`` leaves it: the sync."""
    with OdooTestServer(version=request.param) as server:
        yield provisioned(server, demo)


def _captured(odoo: Odoo) -> dict:
    series = odoo.server.version[:2]
    return json.loads((FLOWS / f"payment_register{series}.json").read_text(encoding="utf-8"))


def _register(client, invoice: int, **values):
    """Pay one invoice through the wizard; the wizard's answer (the payment's window action)."""
    return _register_all(client, [invoice], **values)[1]


WIZARD_FIELDS = ["amount", "group_payment", "can_group_payments", "payment_difference",
                 "payment_difference_handling", "writeoff_label", "communication"]  # fmt: skip


def _register_all(client, invoices: list[int], **values) -> tuple[dict, dict]:
    """Pay ``invoices`` with one wizard: the wizard as it was when it paid, and its answer."""
    context = {"active_model": "account.move", "active_ids": invoices}
    made = client.call("account.payment.register", "create", [values], context=context)
    made = made[0] if isinstance(made, list) else made
    (wizard,) = client.call(
        "account.payment.register", "read", [made], WIZARD_FIELDS, context=context
    )
    action = client.call(
        "account.payment.register", "action_create_payments", [made], context=context
    )
    return wizard, action


def _invoice(client, amount: float, partner: int | None = None) -> int:
    """A draft customer invoice of ``amount`` plus the company's sales tax (5 % on the chart),
    for ``partner`` or a customer made for it."""
    (company,) = client.call("res.company", "read", [1], ["account_sale_tax_id"], load="")
    tax = company["account_sale_tax_id"]
    if partner is None:
        made = client.call("res.partner", "create", [{"name": "付款測試客戶", "is_company": True}])
        partner = made[0] if isinstance(made, list) else made
    line = {"name": "服務", "quantity": 1, "price_unit": amount, "tax_ids": [[6, 0, [tax]]]}
    move = client.call(
        "account.move", "create",
        [{"move_type": "out_invoice", "partner_id": partner, "invoice_line_ids": [[0, 0, line]]}],
    )  # fmt: skip
    return move[0] if isinstance(move, list) else move


FIELDS = ["state", "payment_state", "amount_total", "amount_residual", "invoice_payments_widget"]


def test_the_wizard_pays_as_the_real_servers_do(bare_v: Odoo):
    captured = _captured(bare_v)
    client = bare_v.client()
    full, part = _invoice(client, 100_000), _invoice(client, 40_000)
    client.call("account.move", "action_post", [full, part])
    action = _register(client, full, payment_date="2026-11-20")
    assert {k: v for k, v in action.items() if k != "res_id"} == {
        k: v for k, v in captured["action_full"].items() if k != "res_id"
    }
    _register(client, part, amount=12_000, payment_date="2026-11-21")
    after = {r["id"]: r for r in client.call("account.move", "read", [full, part], FIELDS)}
    want = {r["name"]: r for r in captured["invoices_after"]}
    for mine, theirs in zip((full, part), sorted(want), strict=True):
        for name in ("state", "payment_state", "amount_total", "amount_residual"):
            assert after[mine][name] == want[theirs][name], (name, theirs)
        widget, real = (
            after[mine]["invoice_payments_widget"],
            want[theirs]["invoice_payments_widget"],
        )
        assert widget["content"][0].keys() == real["content"][0].keys()
        assert [e["date"] for e in widget["content"]] == [e["date"] for e in real["content"]]
        assert [e["amount"] for e in widget["content"]] == [e["amount"] for e in real["content"]]
    payments = client.call(
        "account.payment", "search_read", [["id", "in", [action["res_id"]]]],
        fields=["state", "amount", "date", "is_reconciled", "is_matched", "reconciled_invoice_ids"],
    )  # fmt: skip
    real = next(p for p in captured["payments"] if p["amount"] == 105_000.0)
    for name in ("state", "amount", "date", "is_reconciled", "is_matched"):
        assert payments[0][name] == real[name], name
    assert payments[0]["reconciled_invoice_ids"] == [full]
    # The rest of the second invoice: paid, both its payments listed.
    _register(client, part, payment_date="2026-11-25")
    (rest,) = client.call("account.move", "read", [part], FIELDS)
    (real_rest,) = captured["partial_after_rest"]
    assert (rest["payment_state"], rest["amount_residual"]) == ("paid", 0.0)
    assert [e["date"] for e in rest["invoice_payments_widget"]["content"]] == [
        e["date"] for e in real_rest["invoice_payments_widget"]["content"]
    ]
    # Nothing left to pay: refused with Odoo's words.
    with pytest.raises(OdooServerError) as refused:
        _register(client, full)
    assert refused.value.server_message == captured["register_on_paid"]["data"]["message"]


def test_a_grouped_payment_and_a_write_off_as_the_real_servers_make_them(bare_v: Odoo):
    series = bare_v.server.version[:2]
    real = json.loads((FLOWS / f"payment_grouped{series}.json").read_text(encoding="utf-8"))
    client = bare_v.client()
    first, second, short = _invoices(client, 100_000, 40_000, 10_000)
    client.call("account.move", "action_post", [first, second, short])
    # What the wizard shows, compared with the real one's (the communication apart: numbers).
    shown = [name for name in WIZARD_FIELDS if name != "communication"]
    # Both invoices, one payment: the wizard's defaults, then grouped as asked.
    context = {"active_model": "account.move", "active_ids": [first, second]}
    made = client.call("account.payment.register", "create", [{}], context=context)
    made = made[0] if isinstance(made, list) else made
    (defaults,) = client.call("account.payment.register", "read", [made], ["group_payment"])
    assert defaults["group_payment"] is False  # several entries: a payment each, unless asked
    grouped, _ = _register_all(
        client, [first, second], group_payment=True, payment_date="2026-11-20"
    )
    assert {k: grouped[k] for k in shown} == {k: real["wizard_grouped"][k] for k in shown}
    if series == "19":
        assert re.fullmatch(r"GROUP/2026/\d{5}", grouped["communication"])
    else:
        names = client.call("account.move", "read", [first, second], ["name"])
        assert grouped["communication"] == " ".join(n["name"] for n in names)
    expense = [["account_type", "=", "expense"]]
    (account,) = client.call("account.account", "search", expense, limit=1)
    written_off, _ = _register_all(
        client, [short], amount=10_490, payment_date="2026-11-21",
        payment_difference_handling="reconcile", writeoff_account_id=account, writeoff_label="匯費",
    )  # fmt: skip
    assert {k: written_off[k] for k in shown} == {k: real["wizard_writeoff"][k] for k in shown}
    after = client.call("account.move", "read", [first, second, short], FIELDS)
    for mine, theirs in zip(after, real["invoices_after"], strict=True):
        for name in ("state", "payment_state", "amount_total", "amount_residual"):
            assert mine[name] == theirs[name], (name, theirs["name"])
        got, want = mine["invoice_payments_widget"], theirs["invoice_payments_widget"]
        assert got["content"][0].keys() == want["content"][0].keys()
        for name in ("amount", "date", "amount_company_currency"):
            assert [e[name] for e in got["content"]] == [e[name] for e in want["content"]], name
    payments = client.call(
        "account.payment", "search_read", [["partner_id", "=", _partner(client, first)]],
        fields=["amount", "state", "date", "is_reconciled", "is_matched",
                "reconciled_invoice_ids"], order="id",
    )  # fmt: skip
    assert len(payments) == len(real["payments"]) == 2
    for mine, theirs in zip(payments, real["payments"], strict=True):
        for name in ("amount", "state", "date", "is_reconciled", "is_matched"):
            assert mine[name] == theirs[name], name
        assert len(mine["reconciled_invoice_ids"]) == len(theirs["reconciled_invoice_ids"])
    assert set(payments[0]["reconciled_invoice_ids"]) == {first, second}


def _partner(client, invoice: int) -> int:
    (move,) = client.call("account.move", "read", [invoice], ["partner_id"], load="")
    return move["partner_id"]


def _invoices(client, *amounts: float) -> list[int]:
    """Draft customer invoices of one customer, each of an amount plus the sales tax."""
    first = _invoice(client, amounts[0])
    partner = _partner(client, first)
    return [first, *(_invoice(client, amount, partner) for amount in amounts[1:])]


def test_a_draft_invoice_is_refused_on_17_and_paid_on_19(bare_v: Odoo):
    captured = _captured(bare_v)["register_on_draft"]
    client = bare_v.client()
    draft = _invoice(client, 100)
    if "refused" in captured:
        with pytest.raises(OdooServerError) as refused:
            _register(client, draft)
        assert refused.value.server_message == captured["refused"]
        return
    _register(client, draft)
    (after,) = client.call("account.move", "read", [draft], list(captured["invoice_after"]))
    assert {k: after[k] for k in captured["invoice_after"]} == captured["invoice_after"]


# -- the pull-back -------------------------------------------------------------------------------


def _books(make_books, demo):
    """One signed contract whose schedule has at least two invoiced instalments."""
    books = make_books(customers=3)
    schedule = demo.rows["sales"]["payment_schedule"]
    posted = {}
    for row in schedule:
        if row["status"] in POSTED:
            posted.setdefault(row["contract_id"], []).append(row)
    customers = {r["customer_id"] for r in books.rows["customers"]}
    contract = next(
        copy.deepcopy(r) for r in demo.rows["sales"]["contracts"]
        if r["status"] in ("executing", "completed") and len(posted.get(r["contract_id"], ())) >= 2
        and r["customer_id"] in customers
    )  # fmt: skip
    contract["opportunity_id"] = None
    rows = [copy.deepcopy(r) for r in schedule if r["contract_id"] == contract["contract_id"]]
    books.others = {"sales": {"targets": [], "contracts": [contract], "payment_schedule": rows}}
    books.write()
    return books


def _cells(path: Path, key: str) -> dict:
    """The payment schedule row of ``key`` as the next sync reads it (labels back to keys)."""
    data = read_book(path).sheets["payment_schedule"]
    row = next(values for _, values in data.rows() if values["instalment_id"] == key)
    return {c: parse_cell(data.definition.column(c), row[c]).value for c in row}


def _odoo_writes(server) -> list:
    return [c for c in server.calls if c.method in WRITES and c.model != "ir.model.data"]


@SLOW
def test_payments_made_in_odoo_come_back_into_the_schedule(
    odoo_v: Odoo, make_books, demo, tmp_path
):
    books = _books(make_books, demo)
    path = books.folder / "sales.xlsx"
    rows = books.others["sales"]["payment_schedule"]
    state = tmp_path / "state.sqlite"
    first = odoo_v.sync(books, state, pull_back=True)
    assert not first.result.refusals and not any(p.problems for p in first.pulled)
    # Created and posted in this run, and already shown as Odoo holds them now.
    for row in rows:
        cells = _cells(path, row["instalment_id"])
        total = row["amount"] + business_tax(row["amount"])
        posted = row["status"] in POSTED
        assert cells["odoo_invoice_state"] == ("posted" if posted else "draft"), row["status"]
        assert cells["odoo_payment_state"] == "not_paid"
        assert cells["odoo_amount_due"] == total
        assert cells["odoo_paid_date"] is None
    paid, part = [r for r in rows if r["status"] in POSTED][:2]
    ids = {r["instalment_id"]: _cells(path, r["instalment_id"])["odoo_invoice_id"] for r in rows}
    client = odoo_v.client()
    _register(client, ids[paid["instalment_id"]], payment_date="2026-11-20")
    _register(client, ids[part["instalment_id"]], amount=1_000, payment_date="2026-11-21")
    server = odoo_v.server
    server.reset_calls()
    second = odoo_v.sync(books, state, pull_back=True)
    assert _odoo_writes(server) == []  # pulled values never go back to Odoo
    assert sum(p.written for p in second.pulled) == 2 * 3  # state stays posted: 3 cells each
    full_cells = _cells(path, paid["instalment_id"])
    assert full_cells["odoo_payment_state"] == "paid"
    assert full_cells["odoo_amount_due"] == Decimal(0)
    assert full_cells["odoo_paid_date"] == dt.date(2026, 11, 20)
    part_cells = _cells(path, part["instalment_id"])
    assert part_cells["odoo_payment_state"] == "partial"
    assert part_cells["odoo_amount_due"] == part["amount"] + business_tax(part["amount"]) - 1_000
    assert part_cells["odoo_paid_date"] == dt.date(2026, 11, 21)
    # The schedule's own columns are finance's: the sync leaves them as they were.
    assert part_cells["status"] == part["status"] and part_cells["paid_date"] == part["paid_date"]
    server.reset_calls()
    third = odoo_v.sync(books, state, pull_back=True)
    assert _odoo_writes(server) == []
    assert not third.result.pull and not third.pulled


# -- expense claims ------------------------------------------------------------------------------


def _claims_books(make_books, demo):
    """Two claims approved and audited (so approved in Odoo), with the roster."""
    books = make_books(customers=1)
    claims = [
        copy.deepcopy(r)
        for r in demo.rows["expenses"]["claims"]
        if (r["approval"], r["audit"]) == ("approved", "passed") and not r["campaign_id"]
    ][:2]
    for row in claims:
        row.update(reimbursed=False, reimbursed_date=None)
    books.others = {"expenses": {"expense_budget": [], "claims": claims}}
    books.write()
    return books


def _claim_cells(path: Path, key: str) -> dict:
    data = read_book(path).sheets["claims"]
    row = next(values for _, values in data.rows() if values["claim_id"] == key)
    return {c: parse_cell(data.definition.column(c), row[c]).value for c in row}


def _reimburse(client, series: str, expense: int, day: str) -> dict:
    """Post and pay an expense as finance does in Odoo: 17 through its report, 19 itself;
    returns what each step answered."""
    answers = {}
    if series == "17":
        (found,) = client.call(
            "hr.expense", "read", [expense], ["sheet_id", "employee_id"], load=""
        )
        # Odoo 17 posts a report only for employees with a work e-mail.
        client.call("hr.employee", "write", [found["employee_id"]], {"work_email": "x@example.com"})
        sheet = found["sheet_id"]
        answers["move_create"] = client.call(
            "hr.expense.sheet", "action_sheet_move_create", [sheet]
        )
        action = client.call("hr.expense.sheet", "action_register_payment", [sheet])
    else:
        post = client.call("hr.expense", "action_post", [expense])
        answers["post"] = post
        client.call(
            post["res_model"], "action_post_entry", [post["res_id"]], context=post["context"]
        )
        action = client.call("hr.expense", "action_pay", [expense])
    answers["register_action"] = action
    context = action["context"]
    wizard = client.call(
        "account.payment.register", "create", [{"payment_date": day}], context=context
    )
    wizard = wizard[0] if isinstance(wizard, list) else wizard
    answers["pay"] = client.call(
        "account.payment.register", "action_create_payments", [wizard], context=context
    )
    return answers


@SLOW
def test_reimbursements_made_in_odoo_come_back_into_the_claims(
    odoo_v: Odoo, make_books, demo, tmp_path
):
    series = odoo_v.server.version[:2]
    captured = json.loads((FLOWS / f"expense_payment{series}.json").read_text(encoding="utf-8"))
    books = _claims_books(make_books, demo)
    path = books.folder / "expenses.xlsx"
    claims = books.others["expenses"]["claims"]
    state = tmp_path / "state.sqlite"
    first = odoo_v.sync(books, state, pull_back=True)
    assert not first.result.refusals and not any(p.problems for p in first.pulled)
    for claim in claims:
        cells = _claim_cells(path, claim["claim_id"])
        assert cells["odoo_expense_state"] == "approved"
        assert cells["odoo_report_state"] == ("approve" if series == "17" else None)
        assert cells["odoo_paid_date"] is None
    paid = claims[0]["claim_id"]
    client = odoo_v.client()
    expense = _claim_cells(path, paid)["odoo_expense_id"]
    answers = _reimburse(client, series, expense, "2026-11-22")
    assert answers["register_action"]["context"]["active_model"] == "account.move.line"
    assert answers["register_action"]["name"] == captured["register_action"]["name"]
    assert answers["pay"].keys() == captured["pay"]["action"].keys()
    (after,) = client.call("hr.expense", "read", [expense], ["state"], load="")
    assert after["state"] == captured["expense_after_pay"][0]["state"]
    server = odoo_v.server
    server.reset_calls()
    second = odoo_v.sync(books, state, pull_back=True)
    assert _odoo_writes(server) == [] and not any(p.problems for p in second.pulled)
    cells = _claim_cells(path, paid)
    assert cells["odoo_expense_state"] == ("done" if series == "17" else "paid")
    assert cells["odoo_report_state"] == ("done" if series == "17" else None)
    assert cells["odoo_paid_date"] == dt.date(2026, 11, 22)
    # Finance's own columns stay as finance left them.
    assert cells["reimbursed"] is False and cells["reimbursed_date"] is None
    other = _claim_cells(path, claims[1]["claim_id"])
    assert other["odoo_expense_state"] == "approved" and other["odoo_paid_date"] is None
    third = odoo_v.sync(books, state, pull_back=True)
    assert not third.result.pull and not third.pulled


@pytest.fixture(params=["17.0", "19.0"])
def fresh_v(request, demo):
    """A test server of its own (the module's already holds the books' records)."""
    with OdooTestServer(version=request.param) as server:
        yield provisioned(server, demo)


@SLOW
def test_a_failed_read_after_the_run_leaves_the_columns_to_the_next_sync(
    fresh_v: Odoo, make_books, demo, tmp_path, monkeypatch
):
    from mops.errors import OdooTransientError
    from mops.syncing import run

    def lost(*args, **kwargs):
        raise OdooTransientError("connection lost")

    books = _books(make_books, demo)
    path = books.folder / "sales.xlsx"
    rows = books.others["sales"]["payment_schedule"]
    state = tmp_path / "state.sqlite"
    with monkeypatch.context() as patch:
        patch.setattr(run, "repull", lost)
        first = fresh_v.sync(books, state, pull_back=True)
    assert not first.result.refusals
    assert [n.code for n in first.plan.notes if n.code == "repull_unread"] == ["repull_unread"]
    cells = _cells(path, rows[0]["instalment_id"])
    # The run's own pull-back is written (the new invoice's id); Odoo's state waits.
    assert cells["odoo_invoice_id"] and cells["odoo_invoice_state"] is None
    second = fresh_v.sync(books, state, pull_back=True)
    assert not any(n.code == "repull_unread" for n in second.plan.notes)
    assert _cells(path, rows[0]["instalment_id"])["odoo_invoice_state"] in ("draft", "posted")


def invoiced_schedule(
    demo, folder: Path, tag: str, amounts: list[Decimal]
) -> tuple[Books, list[dict]]:
    """Workbooks of one new customer and one signed contract whose instalments of ``amounts``
    are all invoiced and unpaid, under keys carrying ``tag`` (the payment tests here and on
    the real servers)."""
    customer = dict(demo.rows["customers"]["customers"][0], customer_id=f"P{tag}C1")
    customer.update(name=f"收款測試{tag}股份有限公司", email=f"pay{tag.lower()}@example.com")
    row = next(r for r in demo.rows["sales"]["contracts"] if r["status"] == "completed")
    contract = dict(
        row, contract_id=f"P{tag}S1", customer_id=customer["customer_id"], opportunity_id=None,
        amount=sum(amounts),
    )  # fmt: skip
    signed = contract["signed_date"]
    schedule = [
        {"instalment_id": f"P{tag}S1-{n}", "contract_id": contract["contract_id"], "seq": n,
         "due_date": signed, "amount": amount, "invoice_no": f"PY-{tag[:4]}000{n}",
         "invoiced_date": signed, "paid_date": None, "paid_amount": None, "status": "invoiced"}
        for n, amount in enumerate(amounts, start=1)
    ]  # fmt: skip
    roster = [dict(r) for r in demo.rows["staff"]["roster"]]
    books = Books(
        folder, {"customers": [customer], "contacts": [], "opportunities": [], "followup_log": []},
        {"roster": roster}, [p["name"] for p in roster],
        {"sales": {"targets": [], "contracts": [contract], "payment_schedule": schedule}},
    )  # fmt: skip
    books.write()
    return books, schedule


def one_payment_for_two_and_a_write_off(settings, client, demo, tmp_path, tag: str) -> None:
    """Three instalments synced as posted invoices; in Odoo one payment pays the first two and
    the third is paid 10 short, the rest written off. The next sync pulls all three back as
    paid with nothing due, each with its payment's date; reconciling finds them paid in Odoo
    and not yet in the schedule, then matched once finance records what came in; a third sync
    has nothing left to pull. Run on the test server (below) and on the real ones
    (test_finance_payments_live.py)."""
    books, schedule = invoiced_schedule(demo, tmp_path / "books", tag, [Decimal(50_000)] * 3)
    path = books.folder / "sales.xlsx"
    config = config_for(settings)
    state = tmp_path / "state.sqlite"

    def classes() -> set:
        result = reconcile_paths(
            "contracts", books.paths, config, as_of=dt.date(2026, 11, 30), client=client(),
            state=state,
        )  # fmt: skip
        found = {line.key: line.cls for line in result.lines if line.kind == "contracts"}
        return {found[line["instalment_id"]] for line in schedule}

    first = sync_paths(books.paths, config, client=client(), state_path=state, pull_back=True)
    assert first.result is not None and not first.result.refusals
    ids = [_cells(path, line["instalment_id"])["odoo_invoice_id"] for line in schedule]
    odoo = client()
    _register_all(odoo, ids[:2], group_payment=True, payment_date="2026-11-20")
    total = 50_000 + business_tax(Decimal(50_000))
    account = odoo.call("account.account", "search", [["account_type", "=", "expense"]], limit=1)
    _register_all(
        odoo, ids[2:], amount=float(total - 10), payment_date="2026-11-21",
        payment_difference_handling="reconcile", writeoff_account_id=account[0],
        writeoff_label="匯費",
    )  # fmt: skip
    second = sync_paths(books.paths, config, client=client(), state_path=state, pull_back=True)
    assert not any(p.problems for p in second.pulled)
    days = [dt.date(2026, 11, 20), dt.date(2026, 11, 20), dt.date(2026, 11, 21)]
    for line, day in zip(schedule, days, strict=True):
        cells = _cells(path, line["instalment_id"])
        assert (cells["odoo_payment_state"], cells["odoo_amount_due"]) == ("paid", Decimal(0))
        assert cells["odoo_paid_date"] == day, line["instalment_id"]
    assert classes() == {LineClass.PAID_NOT_RECORDED}
    third = sync_paths(books.paths, config, client=client(), state_path=state, pull_back=True)
    assert not third.result.pull and not third.pulled
    # Finance records the money received, the written-off one 10 short: all three match.
    for line, day, paid in zip(schedule, days, (total, total, total - 10), strict=True):
        line.update(status="paid", paid_date=day, paid_amount=paid)
    books.write()
    assert classes() == {LineClass.MATCHED}


@SLOW
def test_one_payment_for_two_instalments_and_a_write_off_come_back(odoo_v: Odoo, demo, tmp_path):
    one_payment_for_two_and_a_write_off(odoo_v.settings, odoo_v.client, demo, tmp_path, "T1")
