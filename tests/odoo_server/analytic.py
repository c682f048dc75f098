"""Analytic lines, and the posting of expenses that makes them, as the real Odoo 17 and 19 do.

Captured on the real servers of /work/odoo-live (l10n_tw, TWD; ``analytic_expense17.json`` and
``analytic_expense19.json`` hold the calls and what they answered):

Plans (17 and 19)
- Every root plan but the project plan (the first, ``analytic.analytic_plan_projects``) gets a
  column on ``account.analytic.line``: a many2one ``x_plan<id>_id`` to the analytic accounts,
  labelled with the plan's name (``x_plan2_id`` "營銷活動" for mops's campaigns plan). The
  project plan's column is ``account_id``.

Posting an expense paid by the employee (the calls are answered in finance_flows.py, which makes
its entries with ``expense_entry`` here)
- 17: the approved report's ``action_sheet_move_create`` answers None; it makes one vendor bill
  (``in_invoice``, journal BILL, named ``BILL/2026/11/0001``) dated the report's accounting date
  (else the latest expense date), posts it, and moves the report to ``post``; the expenses stay
  ``approved``. A report not approved refuses: "You can only generate accounting entry for
  approved expense(s)." (19, an expense not approved: "... generate an accounting entry ...").
- 19: the approved expense's ``action_post`` answers the ``hr.expense.post.wizard`` window action
  (context ``{"company_paid_move_ids": [], "active_ids": [...]}``); the wizard's
  ``action_post_entry`` with that context makes one receipt (``in_receipt``, journal BILL
  "Purchases") dated the wizard's accounting date (default: today, not the expense date),
  posts it, answers the receipt's window action, and moves the expense to ``posted``.
- Both: 10,499 on a product with the 5 % purchase tax (price included) is a product line of
  9,999 (``price_total`` 10,499) carrying the expense's ``analytic_distribution``, a tax line of
  500 and a payable line of −10,499.

Posting any entry (17 and 19; a journal item's ``parent_state`` follows its entry's state)
- Each posted journal item with an ``analytic_distribution`` gets one ``account.analytic.line``
  per distribution key: ``amount`` = −balance × percentage / 100 (a cost is negative),
  ``product_id``, ``general_account_id`` (the item's account), ``date`` (the item's),
  ``move_line_id``, ``name`` (the item's label), ``unit_amount`` (the quantity), ``ref`` (the
  entry's), ``partner_id``, ``journal_id``, ``category`` (17 ``vendor_bill`` for a bill, 19
  ``other`` for a receipt), and the key's accounts each in its plan's column.
"""

from __future__ import annotations

from . import finance_flows, methods  # finance_flows first: its action_post is wrapped here
from .hooks import AFTER_CREATE, AFTER_WRITE, on

LINE = "account.analytic.line"
PLAN = "account.analytic.plan"
ACCOUNT = "account.analytic.account"
MOVE = "account.move"
ITEM = "account.move.line"
EXPENSE = "hr.expense"
REPORT = "hr.expense.sheet"
WIZARD = "hr.expense.post.wizard"
CATEGORY = {"out_invoice": "invoice", "out_refund": "invoice", "in_invoice": "vendor_bill",
            "in_refund": "vendor_bill"}  # fmt: skip


@on(AFTER_CREATE, PLAN)
def _plan_column(store, rid, vals, model):
    """A root plan other than the project plan gets its column on the analytic lines."""
    plan = store.record(PLAN, rid)
    if plan.get("parent_id") or LINE not in store.schemas:
        return
    roots = [p for p in store.tables[PLAN].values() if not p.get("parent_id")]
    if min(p["id"] for p in roots) == rid:
        return  # the project plan: its column is account_id
    model_id = store.search("ir.model", [["model", "=", LINE]])
    store.create(
        "ir.model.fields",
        [{"name": f"x_plan{rid}_id", "model": LINE, "model_id": model_id[0] if model_id else False,
          "field_description": plan.get("name") or "", "ttype": "many2one", "relation": ACCOUNT,
          "state": "manual"}],
    )  # fmt: skip


def _column(store, account_id) -> str | None:
    account = store.record(ACCOUNT, account_id) or {}
    plans = store.tables[PLAN]
    plan, seen = plans.get(account.get("plan_id")), set()
    while plan and plan.get("parent_id") in plans and plan["id"] not in seen:
        seen.add(plan["id"])
        plan = plans[plan["parent_id"]]
    if plan is None:
        return None
    column = f"x_plan{plan['id']}_id"
    return column if column in store.schemas[LINE].fields else "account_id"


def analytic_lines(store, move_ids) -> list[int]:
    """The analytic lines of the posted entries' journal items with a distribution."""
    if LINE not in store.schemas:
        return []
    made = []
    for item_id in store.search(ITEM, [["move_id", "in", list(move_ids)]], order="id"):
        item = store.record(ITEM, item_id)
        distribution = item.get("analytic_distribution") or {}
        if not distribution:
            continue
        move = store.record(MOVE, item.get("move_id")) or {}
        balance = item.get("balance")
        if balance in (None, False):
            balance = (item.get("debit") or 0.0) - (item.get("credit") or 0.0)
        for key, percent in distribution.items():
            values = {
                "name": item.get("name") or "/",
                "amount": round(-balance * float(percent) / 100, 2),
                "unit_amount": (item.get("quantity") or 0.0) * float(percent) / 100,
                "date": item.get("date") or move.get("date"),
                "product_id": item.get("product_id") or False,
                "general_account_id": item.get("account_id") or False,
                "move_line_id": item_id,
                "partner_id": item.get("partner_id") or move.get("partner_id") or False,
                "journal_id": move.get("journal_id") or False,
                "ref": move.get("ref") or False,
                "category": CATEGORY.get(move.get("move_type"), "other"),
                "company_id": 1,
                "currency_id": move.get("currency_id") or False,
                "user_id": store.uid,
            }
            for account in str(key).split(","):
                column = _column(store, int(account))
                if column:
                    values[column] = int(account)
            made += store.create(LINE, [values])
    return made


# A journal item's parent_state is its entry's state (a stored related field).
@on(AFTER_CREATE, ITEM)
def _item_state(store, rid, vals, model):
    move = store.record(MOVE, store.record(ITEM, rid).get("move_id")) or {}
    store.set_values(ITEM, rid, {"parent_state": move.get("state") or "draft"})


@on(AFTER_WRITE, MOVE)
def _items_state(store, ids, vals, model):
    if "state" in vals:
        for item in store.search(ITEM, [["move_id", "in", list(ids)]]):
            store.set_values(ITEM, item, {"parent_state": vals["state"]})


_post_moves = finance_flows.action_post


@methods.rpc("multi", "AccountMove.action_post", finance_flows._postable)
def action_post(self):
    """Post draft entries, and write the analytic lines of their journal items (19's expenses
    post through their wizard: see finance_flows)."""
    answer = _post_moves(self)
    if self.model == MOVE:
        analytic_lines(self.store, methods.exists(self))
    return answer


# -- expense entries ---------------------------------------------------------------------------


def _account_of_type(store, *types) -> int | None:
    for rec in sorted(store.tables["account.account"].values(), key=lambda r: r["id"]):
        if rec.get("account_type") in types:
            return rec["id"]
    return None


def _tax_account(store, tax_ids) -> int | None:
    for line in store.tables["account.tax.repartition.line"].values():
        if (
            line.get("tax_id") in (tax_ids or [])
            and line.get("repartition_type") == "tax"
            and line.get("document_type") == "invoice"
            and line.get("account_id")
        ):
            return line["account_id"]
    return None


def expense_entry(store, expense_ids, move_type: str, day: str, journal_id, ref: str) -> int:
    """One posted entry of employee-paid expenses: a product line each (the untaxed amount,
    with its analytic distribution), its tax line, and the payable total."""
    company = store.record("res.company", 1) or {}
    expense_account = company.get("expense_account_id") or _account_of_type(
        store, "expense_direct_cost", "expense"
    )
    payable = _account_of_type(store, "liability_payable")
    expenses = [store.record(EXPENSE, rid) for rid in expense_ids]
    employee = store.record("hr.employee", expenses[0].get("employee_id")) or {}
    partner = employee.get("work_contact_id") or False
    lines, total_all, untaxed_all = [], 0.0, 0.0
    for exp in expenses:
        total = exp.get("total_amount") or 0.0
        tax = exp.get("tax_amount") or 0.0
        untaxed = total - tax
        total_all += total
        untaxed_all += untaxed
        lines.append(
            [0, 0, {"name": f"{employee.get('name') or ''}: {exp.get('name') or ''}",
                    "display_type": "product", "product_id": exp.get("product_id") or False,
                    "account_id": expense_account, "quantity": exp.get("quantity") or 1.0,
                    "price_unit": total, "price_subtotal": untaxed, "price_total": total,
                    "balance": untaxed, "debit": untaxed, "credit": 0.0,
                    "tax_ids": [[6, 0, list(exp.get("tax_ids") or [])]],
                    "analytic_distribution": exp.get("analytic_distribution") or False,
                    "expense_id": exp["id"], "partner_id": partner, "date": day}]
        )  # fmt: skip
        if tax:
            lines.append(
                [0, 0, {"name": "", "display_type": "tax", "balance": tax, "debit": tax,
                        "credit": 0.0, "account_id": _tax_account(store, exp.get("tax_ids")),
                        "partner_id": partner, "date": day}]
            )  # fmt: skip
    lines.append(
        [0, 0, {"name": "", "display_type": "payment_term", "balance": -total_all, "debit": 0.0,
                "credit": total_all, "account_id": payable, "partner_id": partner,
                "date": day}]
    )  # fmt: skip
    year, month = day[:4], day[5:7]
    number = store.next_sequence(f"BILL/{year}/{month}")
    (move,) = store.create(
        MOVE,
        [{"move_type": move_type, "partner_id": partner, "journal_id": journal_id, "date": day,
          "invoice_date": day, "ref": ref, "name": f"BILL/{year}/{month}/{number:04d}",
          "currency_id": company.get("currency_id"), "amount_total": total_all,
          "amount_untaxed": untaxed_all, "line_ids": lines}],
    )  # fmt: skip
    store.write(MOVE, [move], {"state": "posted"})
    analytic_lines(store, [move])
    return move
