"""The demo's books in an Odoo: what finance's sync and posting leave, then the planted mistakes.

``mirror`` runs ``mops odoo setup`` (the keys, the expense products), then creates, over RPC
and in few calls, the Odoo side of the demo workbooks as the
finance sync and Odoo's own posting would leave it: a confirmed sale order a signed contract
(``contract:<id>``), a posted customer invoice an invoiced instalment (``instalment:<id>``, the
uniform invoice number in ``ref``), an hr.expense a claim not rejected (``claim:<id>``), an
analytic account a campaign (``campaign_account:<id>``), and a posted journal entry a month
holding the expense products' spend, a campaign's on its analytic account (the budget actuals;
posting writes the analytic lines). Then it applies the planted finance mistakes of
``DemoData.finance`` (see ``FinancePlant``).

An invoice is made as Odoo makes one: a line at the untaxed amount with the 5 % sales tax
(``mops.tax_sale_5``), whose totals Odoo computes; a paid instalment is paid through Odoo's
payment wizard (``account.payment.register`` on the posted invoices, one payment each, in full),
which moves the invoice's payment state and what is left to pay. The live test of this folder
makes a few invoices from orders instead (order lines, the invoicing wizard, posting).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from mops.demodata import DemoData

CONTRACT_IN_ODOO = ("signed", "executing", "completed", "changed", "terminated")
BATCH = 500


def _iso(value: Any) -> str | bool:
    return value.isoformat() if isinstance(value, dt.date) else False


def _id(answer: Any) -> int:
    return answer[0] if isinstance(answer, list) else answer


def _create(client, model: str, values: list[dict]) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(values), BATCH):
        answer = client.call(model, "create", values[start : start + BATCH])
        ids += answer if isinstance(answer, list) else [answer]
    return ids


def setup(client) -> None:
    """What ``mops odoo setup`` provisions: the keys, the expense products and their ids."""
    from mops.odoo.provision import apply_setup, load_spec, plan_setup

    plan = plan_setup(client, load_spec())
    if plan.changes:
        apply_setup(client, plan)


def expense_products(client) -> dict[tuple[str, str], int]:
    """The expense products setup made, by (category, item)."""
    from mops.odoo.finance_reads import expense_products as products

    return {pair: pid for pid, pair in products(client).items()}


def mirror(client, demo: DemoData, version: str) -> dict[str, Any]:
    """Create the demo's Odoo side with its planted differences; returns ids made, by kind."""
    setup(client)
    plants = {(p.sheet, p.key): p.odoo for p in demo.finance if p.odoo}
    extra = [p for p in demo.finance if p.odoo in ("extra", "extra_invoice")]
    partner = _id(client.call("res.partner", "create", [{"name": "示範客戶", "is_company": True}]))
    product = _id(
        client.call("product.product", "create", [{"name": "顧問服務", "type": "service"}])
    )
    bump = lambda sheet, key: Decimal(100) if plants.get((sheet, key)) == "amount" else Decimal(0)  # noqa: E731

    # Contracts → confirmed sale orders (their totals come from the order lines).
    contracts = [r for r in demo.sheet_rows("contracts") if r["status"] in CONTRACT_IN_ODOO]
    keys = [
        (r["contract_id"], r["amount"] + bump("contracts", r["contract_id"])) for r in contracts
    ]
    keys += [
        (p.key, Decimal(123_000)) for p in extra if p.odoo == "extra" and p.sheet == "contracts"
    ]
    order_ids = _create(
        client,
        "sale.order",
        [
            {"partner_id": partner, "x_mops_key": f"contract:{key}", "client_order_ref": key,
             "order_line": [[0, 0, {"product_id": product, "product_uom_qty": 1,
                                    "price_unit": float(amount)}]]}
            for key, amount in keys
        ],
    )  # fmt: skip
    client.call("sale.order", "action_confirm", order_ids)
    names = {
        r["id"]: r["name"] for r in client.call("sale.order", "read", order_ids, ["name"], load="")
    }
    order_of = {key: names[oid] for (key, _), oid in zip(keys, order_ids, strict=True)}

    # Invoiced instalments → posted customer invoices.
    invoices = []
    for r in demo.sheet_rows("payment_schedule"):
        key = r["instalment_id"]
        planted = plants.get(("payment_schedule", key))
        if planted == "missing" or not (r["invoice_no"] or r["status"] in ("invoiced", "paid")):
            continue
        paid = r["status"] == "paid" or planted == "paid"
        invoices.append(
            _invoice(
                partner, product, f"instalment:{key}", r["invoice_no"],
                order_of.get(r["contract_id"]), r["amount"] + bump("payment_schedule", key),
                r["invoiced_date"] or r["due_date"], r["due_date"], paid,
            )
        )  # fmt: skip
    for p in extra:
        if p.odoo == "extra_invoice":
            invoices.append(
                _invoice(partner, product, f"instalment:{p.key}-9", "ZZ-00000009",
                         order_of.get(p.key), Decimal(50_000), dt.date(2026, 10, 1),
                         dt.date(2026, 12, 31), False)
            )  # fmt: skip
    tax = _xmlid(client, "tax_sale_5")
    for values, _paid in invoices:
        values["line_ids"][0][2]["tax_ids"] = [[6, 0, [tax]]]
    invoice_ids = _create(client, "account.move", [v for v, _ in invoices])
    client.call("account.move", "action_post", invoice_ids)
    paid_ids = [i for i, (_, paid) in zip(invoice_ids, invoices, strict=True) if paid]
    if paid_ids:
        pay(client, paid_ids)

    # Claims → hr.expense, in the state Odoo's approval and payment leave them.
    employee = client.call("hr.employee", "search", [], limit=1)[0]
    paid_state = "done" if version.startswith("17") else "paid"
    expenses = []
    for r in demo.sheet_rows("claims"):
        key = r["claim_id"]
        planted = plants.get(("claims", key))
        if r["approval"] == "rejected" or planted == "missing":
            continue
        state = (
            paid_state
            if r["reimbursed"] or planted == "paid"
            else ("approved" if r["approval"] == "approved" else "submitted")
        )
        expenses.append(
            {"name": r["reason"], "x_mops_key": f"claim:{key}", "employee_id": employee,
             "total_amount_currency": float(r["amount"] + bump("claims", key)),
             "date": _iso(r["expense_date"]) or "2026-01-01", "state": state}
        )  # fmt: skip
    for p in extra:
        if p.odoo == "extra" and p.sheet == "claims":
            expenses.append(
                {"name": "未登錄的費用", "x_mops_key": f"claim:{p.key}", "employee_id": employee,
                 "total_amount_currency": 880.0, "date": "2026-10-02", "state": paid_state}
            )  # fmt: skip
    expense_ids = _create(client, "hr.expense", expenses)

    # Campaigns → their analytic accounts in the campaigns plan (as the sync makes them).
    plan = client.call(
        "ir.model.data", "search_read",
        [["module", "=", "mops"], ["name", "=", "analytic_plan_campaigns"]], fields=["res_id"],
    )[0]["res_id"]  # fmt: skip
    campaigns = [r["campaign_id"] for r in demo.sheet_rows("campaigns")]
    account_ids = _create(
        client, "account.analytic.account",
        [{"name": c, "code": c, "plan_id": plan, "x_mops_key": f"campaign_account:{c}"}
         for c in campaigns],
    )  # fmt: skip
    account_of = dict(zip(campaigns, account_ids, strict=True))

    # The books' spend: a posted entry a month, a line an expense product and campaign, the
    # campaign's on its analytic account (posting writes the analytic lines).
    products = expense_products(client)
    moved = _campaign_spend(demo, plants)
    spend: dict[tuple, Decimal] = defaultdict(Decimal)
    for r in demo.sheet_rows("claims"):
        day = r["expense_date"]
        if r["approval"] != "rejected" and isinstance(day, dt.date):
            campaign = moved.get(r["claim_id"], r["campaign_id"]) or ""
            spend[(day.year, day.month, campaign, r["category"], r["item"])] += r["amount"]
    months = sorted({(y, m) for y, m, _, _, _ in spend})
    entries = []
    for y, m in months:
        day = dt.date(y, m, 28).isoformat()
        lines = [
            [0, 0, {"name": f"{c} {i}", "product_id": products[(c, i)], "display_type": "product",
                    "quantity": 1, "price_unit": float(a), "price_total": float(a),
                    "price_subtotal": float(a), "balance": float(a), "debit": float(a),
                    "analytic_distribution": {str(account_of[k]): 100} if k else False,
                    "date": day}]
            for (yy, mm, k, c, i), a in sorted(spend.items()) if (yy, mm) == (y, m)
        ]  # fmt: skip
        entries.append(
            {"move_type": "entry", "date": day, "ref": f"費用 {y}-{m:02d}", "line_ids": lines}
        )
    entry_ids = _create(client, "account.move", entries)
    client.call("account.move", "action_post", entry_ids)
    return {
        "orders": order_ids,
        "invoices": invoice_ids,
        "expenses": expense_ids,
        "entries": entry_ids,
    }


def _xmlid(client, name: str) -> int:
    """The id of mops's external id ``mops.<name>``."""
    found = client.call(
        "ir.model.data", "search_read", [["module", "=", "mops"], ["name", "=", name]],
        fields=["res_id"],
    )  # fmt: skip
    return int(found[0]["res_id"])


def pay(client, invoice_ids: list[int], **values: Any) -> Any:
    """Register payments of posted invoices through Odoo's wizard: one payment per invoice for
    what is left to pay (for one invoice, ``amount`` may say less)."""
    context = {"active_model": "account.move", "active_ids": list(invoice_ids)}
    wizard = _id(client.call("account.payment.register", "create", [values], context=context))
    return client.call(
        "account.payment.register", "action_create_payments", [wizard], context=context
    )


def _campaign_spend(demo: DemoData, plants: dict) -> dict[str, str]:
    """Claims on no campaign that Odoo books on a planted campaign (``campaign_spend``): in claim
    order, until the campaign's spend of the month passes its budget by 10 %."""
    moved: dict[str, str] = {}
    claims = [
        r for r in demo.sheet_rows("claims")
        if r["approval"] != "rejected" and isinstance(r["expense_date"], dt.date)
    ]  # fmt: skip
    for (_, key), how in plants.items():
        if how != "campaign_spend":
            continue
        period, campaign, category = key.split("/")
        year, month = (int(x) for x in period.split("-"))
        budget = sum(
            r["amount"] for r in demo.sheet_rows("campaign_budget")
            if (r["campaign_id"], r["category"], r["year"], r["month"])
            == (campaign, category, year, month)
        )  # fmt: skip
        of_month = [
            r for r in claims
            if r["category"] == category
            and (r["expense_date"].year, r["expense_date"].month) == (year, month)
        ]  # fmt: skip
        spent = sum(r["amount"] for r in of_month if r["campaign_id"] == campaign)
        for r in sorted(of_month, key=lambda r: r["claim_id"]):
            if spent > budget * Decimal("1.1"):
                break
            if not r["campaign_id"]:
                moved[r["claim_id"]] = campaign
                spent += r["amount"]
    return moved


def _invoice(partner, product, key, ref, origin, amount, invoiced, due, paid) -> tuple[dict, bool]:
    values = {
        "move_type": "out_invoice", "partner_id": partner, "x_mops_key": key, "ref": ref or False,
        "invoice_origin": origin or False, "invoice_date": _iso(invoiced),
        "invoice_date_due": _iso(due),
        "line_ids": [[0, 0, {"name": "顧問服務", "product_id": product, "display_type": "product",
                             "quantity": 1, "price_unit": float(amount)}]],
    }  # fmt: skip
    return values, paid
