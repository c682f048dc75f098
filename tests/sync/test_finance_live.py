"""The accounting side of the sync against the real Odoo 17 (JSON-RPC) and 19 (JSON-2) of
ODOO_URL … and ODOO19_URL … (skipped without them), with people of random names and e-mails so
that parallel runs on the shared databases never meet."""

from __future__ import annotations

import os
import secrets
from decimal import ROUND_HALF_UP, Decimal

import pytest

from mops.odoo.client import JsonRpcClient
from mops.odoo.json2 import Json2Client
from mops.syncing.remote import read_all
from mops.syncing.run import sync_paths

from .helpers import Books, business_tax, config_for, provision, settings_for

pytestmark = pytest.mark.odoo_live
SERVERS = {
    "17": ("ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_PASSWORD", JsonRpcClient),
    "19": ("ODOO19_URL", "ODOO19_DB", "ODOO19_USER", "ODOO19_API_KEY", Json2Client),
}
STEPS = {"create", "write", "unlink", "action_archive", "action_unarchive"}


class Recording:
    """A client remembering each method it called."""

    def __init__(self, client) -> None:
        self.client = client
        self.methods: list[str] = []

    def __getattr__(self, name):
        return getattr(self.client, name)

    def call(self, model, method, *args, **kwargs):
        self.methods.append(method)
        return self.client.call(model, method, *args, **kwargs)


@pytest.fixture(params=sorted(SERVERS), ids=lambda v: f"odoo{v}")
def live(request, demo):
    url, db, user, secret, kind = SERVERS[request.param]
    if not all(os.environ.get(v) for v in (url, db, user, secret)):
        pytest.skip(f"set {url}, {db}, {user} and {secret} for a real Odoo {request.param}")
    settings = settings_for(os.environ[url].rstrip("/"), os.environ[db], os.environ[user])
    return settings, lambda: kind(settings, os.environ[secret], sleep=lambda s: None)


def _team(demo, tag: str) -> list[dict]:
    """Four people of the demo under fresh ids, names and e-mails: a head, two reports (one of
    whom left), and a newcomer without an Odoo user."""
    rows = [dict(r) for r in demo.rows["staff"]["roster"][:4]]
    for i, row in enumerate(rows):
        row.update(
            employee_id=f"L{tag}E{i}", name=f"測試{tag}{i}", manager=None, active=True,
            email=f"fin{tag.lower()}{i}@example.com", leave_date=None,
        )  # fmt: skip
    rows[1]["manager"] = rows[2]["manager"] = rows[0]["name"]
    rows[2].update(active=False, leave_date=max(rows[2]["hire_date"], rows[0]["hire_date"]))
    return rows


def test_the_roster_syncs_to_employees_once_and_a_leaver_is_archived(live, demo, tmp_path):
    settings, client = live
    tag = secrets.token_hex(3).upper()
    team = _team(demo, tag)
    provision(client(), team[:3])  # the newcomer has no Odoo user yet
    books = Books(
        tmp_path / "books", {"customers": []}, {"roster": team}, [p["name"] for p in team]
    )
    books.write()
    config = config_for(settings)
    state = tmp_path / "state.sqlite"
    first = sync_paths(books.paths, config, client=Recording(client()), state_path=state)
    assert first.result is not None and not first.result.refusals
    keys = [f"employee:{p['employee_id']}" for p in team]
    found = {
        r["x_mops_key"]: r
        for r in read_all(
            client(), "hr.employee", [["x_mops_key", "in", keys]],
            ["x_mops_key", "name", "user_id", "parent_id", "department_id", "active",
             "departure_date"],
        )
    }  # fmt: skip
    assert sorted(found) == sorted(keys)
    users = {
        u["login"]: u["id"]
        for u in read_all(
            client(), "res.users", [["login", "like", f"fin{tag.lower()}"]], ["login"], context={}
        )
    }
    head, report, leaver, newcomer = (found[k] for k in keys)
    assert head["user_id"] == users[team[0]["email"]] and newcomer["user_id"] is False
    assert report["parent_id"] == head["id"] and leaver["parent_id"] == head["id"]
    assert (
        leaver["active"] is False and leaver["departure_date"] == team[2]["leave_date"].isoformat()
    )
    assert head["department_id"] and head["name"] == team[0]["name"]
    # The second sync plans nothing and calls nothing that writes.
    again = Recording(client())
    second = sync_paths(books.paths, config, client=again, state_path=state)
    assert not any(i.actions or i.changes for i in second.plan.items if i.key in keys)
    assert not STEPS & set(again.methods), sorted(set(again.methods))
    # The newcomer gets a user: the next sync links it, and nothing else.
    provision(client(), team[3:])
    third = sync_paths(books.paths, config, client=Recording(client()), state_path=state)
    changed = {i.key: [c.field for c in i.changes] for i in third.plan.items if i.changes}
    assert changed == {keys[3]: ["user_id"]}


def test_contracts_and_instalments_sync_with_odoos_totals_and_actions(live, demo, tmp_path):
    settings, client = live
    tag = secrets.token_hex(3).upper()
    customer = dict(demo.rows["customers"]["customers"][0], customer_id=f"L{tag}C1")
    customer.update(name=f"財務測試{tag}股份有限公司", email=f"fin{tag.lower()}@example.com")
    statuses = ("completed", "legal_review", "terminated")
    contracts = []
    for i, status in enumerate(statuses):
        row = next(r for r in demo.rows["sales"]["contracts"] if r["status"] == status)
        contracts.append(
            dict(row, contract_id=f"L{tag}S{i}", customer_id=customer["customer_id"],
                 opportunity_id=None, amount=Decimal(123457 + i))
        )  # fmt: skip
    # The signed contract in two instalments, the first one invoiced.
    signed = contracts[0]
    schedule = [
        {"instalment_id": f"{signed['contract_id']}-{n}", "contract_id": signed["contract_id"],
         "seq": n, "due_date": signed["signed_date"], "amount": amount, "invoice_no": invoice_no,
         "invoiced_date": signed["signed_date"] if invoice_no else None, "paid_date": None,
         "paid_amount": None, "status": "invoiced" if invoice_no else "scheduled"}
        for n, amount, invoice_no in (
            (1, Decimal(37037), f"AB-{tag[:4]}1234"), (2, Decimal(86420), None)
        )
    ]  # fmt: skip
    roster = [dict(r) for r in demo.rows["staff"]["roster"]]
    provision(client(), roster)
    books = Books(
        tmp_path / "books", {"customers": [customer], "contacts": [], "opportunities": [],
                             "followup_log": []},
        {"roster": roster}, [p["name"] for p in roster],
        {"sales": {"targets": [], "contracts": contracts, "payment_schedule": schedule}},
    )  # fmt: skip
    books.write()
    config = config_for(settings)
    state = tmp_path / "state.sqlite"
    first = sync_paths(books.paths, config, client=Recording(client()), state_path=state)
    assert first.result is not None and not first.result.refusals
    keys = [f"contract:{r['contract_id']}" for r in contracts]
    orders = {
        r["x_mops_key"]: r
        for r in read_all(
            client(), "sale.order", [["x_mops_key", "in", keys]],
            ["x_mops_key", "state", "amount_untaxed", "amount_tax", "amount_total",
             "currency_id", "client_order_ref"],
        )
    }  # fmt: skip
    skipped = {i.key: i.issues for i in first.plan.items if i.action == "skipped"}
    assert sorted(orders) == sorted(keys), skipped
    for row, key, state_wanted in zip(contracts, keys, ("sale", "draft", "cancel"), strict=True):
        order = orders[key]
        assert order["state"] == state_wanted and order["client_order_ref"] == row["contract_id"]
        assert Decimal(repr(order["amount_untaxed"])) == row["amount"]
        assert Decimal(repr(order["amount_tax"])) == business_tax(row["amount"])
        assert Decimal(repr(order["amount_total"])) == row["amount"] + business_tax(row["amount"])
    invoices = {
        r["x_mops_key"]: r
        for r in read_all(
            client(), "account.move",
            [["x_mops_key", "=like", f"instalment:{signed['contract_id']}-%"]],
            ["x_mops_key", "state", "amount_untaxed", "amount_tax", "amount_total", "ref",
             "invoice_date_due", "invoice_origin", "currency_id"],
        )
    }  # fmt: skip
    assert len(invoices) == 2
    order_name = read_all(client(), "sale.order", [["x_mops_key", "=", keys[0]]], ["name"])[0]
    for row in schedule:
        inv = invoices[f"instalment:{row['instalment_id']}"]
        assert inv["invoice_origin"] == order_name["name"] and inv["ref"] == (
            row["invoice_no"] or False
        )
        assert inv["state"] == ("posted" if row["invoice_no"] else "draft")
        assert Decimal(repr(inv["amount_untaxed"])) == row["amount"]
        assert Decimal(repr(inv["amount_tax"])) == business_tax(row["amount"])
        assert Decimal(repr(inv["amount_total"])) == row["amount"] + business_tax(row["amount"])
        assert inv["invoice_date_due"] == row["due_date"].isoformat()
    again = Recording(client())
    second = sync_paths(books.paths, config, client=again, state_path=state)
    mine = set(keys) | set(invoices)
    assert not any(i.actions or i.changes for i in second.plan.items if i.key in mine)
    steps = STEPS | {"action_confirm", "action_cancel", "action_post", "create_invoices"}
    assert not steps & set(again.methods), sorted(set(again.methods))


def test_claims_sync_to_expenses_moved_by_odoos_actions(live, demo, tmp_path):
    settings, client = live
    tag = secrets.token_hex(3).upper()
    team = _team(demo, tag)[:2]
    team[1]["manager"] = team[0]["name"]
    provision(client(), team)
    claims = []
    for i, (approval, audit) in enumerate((("approved", "passed"), ("approved", "pending"))):
        row = next(r for r in demo.rows["expenses"]["claims"] if not r["campaign_id"])
        claims.append(
            dict(row, claim_id=f"L{tag}X{i}", claimant=team[1]["name"], approver=team[0]["name"],
                 auditor=None if audit == "pending" else team[0]["name"], approval=approval,
                 audit=audit, reimbursed=False, reimbursed_date=None,
                 audit_date=None if audit == "pending" else row["audit_date"],
                 amount=Decimal(10499 + i))
        )  # fmt: skip
    books = Books(
        tmp_path / "books",
        {"customers": []},
        {"roster": team},
        [p["name"] for p in team],
        {"expenses": {"expense_budget": [], "claims": claims}},
    )
    books.write()
    config = config_for(settings)
    state = tmp_path / "state.sqlite"
    first = sync_paths(books.paths, config, client=Recording(client()), state_path=state)
    assert first.result is not None and not first.result.refusals
    keys = [f"claim:{r['claim_id']}" for r in claims]
    skipped = {i.key: i.issues for i in first.plan.items if i.action == "skipped"}
    found = {
        r["x_mops_key"]: r
        for r in read_all(
            client(), "hr.expense", [["x_mops_key", "in", keys]],
            ["x_mops_key", "state", "total_amount_currency", "tax_amount",
             "untaxed_amount_currency", "employee_id"],
        )
    }  # fmt: skip
    assert sorted(found) == sorted(keys), skipped
    for row, key, wanted in zip(claims, keys, ("approved", "submitted"), strict=True):
        exp = found[key]
        assert exp["state"] == wanted
        tax = (row["amount"] * 5 / 105).quantize(Decimal(1), ROUND_HALF_UP)
        assert Decimal(repr(exp["tax_amount"])) == tax
        assert Decimal(repr(exp["untaxed_amount_currency"])) == row["amount"] - tax
    again = Recording(client())
    second = sync_paths(books.paths, config, client=again, state_path=state)
    assert not any(i.actions or i.changes for i in second.plan.items if i.key.startswith("claim"))
    steps = STEPS | {"action_submit", "action_approve", "action_submit_sheet",
                     "action_approve_expense_sheets"}  # fmt: skip
    assert not steps & set(again.methods), sorted(set(again.methods))
