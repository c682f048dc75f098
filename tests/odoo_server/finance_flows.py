"""The finance flows of the test server, built from what the real Odoo 17 and 19 do.

Facts captured on the real servers of /work/odoo-live (l10n_tw, TWD) with random names:

hr.employee (17 and 19)
- ``action_archive`` on one active employee archives it and answers the "Register Departure"
  wizard action (``hr.departure.wizard``, context ``{"active_id": id}``); on several, or on one
  already archived, it answers ``None``. Nothing is deleted.
- Archiving empties ``parent_id`` and ``coach_id`` of every employee that pointed at the
  archived one (``_get_employee_m2o_to_empty_on_archived_employees``).
- ``action_unarchive`` answers ``None`` and clears ``departure_date`` (and the departure reason
  and description).
- 19 keeps ``department_id`` and ``departure_date`` on the employee's current ``hr.version``
  (fields_get says ``store: False``); they are written and read through the employee all the
  same.

sale.order (17 and 19; company in TWD, rounding 1, round_per_line on 17, round_globally on 19)
- ``action_confirm`` confirms even an order without lines (answers ``True``); a second call
  refuses: UserError "The following orders are not in a state requiring confirmation: S00002"
  (17), "Some orders are not in a state requiring confirmation." (19).
- A line's ``price_unit`` can be written on a confirmed order: 123,457 with the 5 % sales tax
  (price excluded) gives amount_tax 6,172.85 in a USD order, and 200,000 gives 10,000.
- ``action_cancel`` on 17 answers the ``sale.order.cancel`` wizard action and cancels nothing
  when an order is not a quotation in draft, unless the context says
  ``disable_cancel_warning``; on 19 it cancels at once and answers ``True``. Both cancel the
  order's draft invoices. A locked order refuses: "You cannot cancel a locked order. Please
  unlock it first."
- ``_create_invoices`` and ``_action_cancel`` are private: AccessError "Private methods (such as
  'sale.order._create_invoices') cannot be called remotely."

Invoicing wizard (sale.advance.payment.inv, 17 and 19)
- ``create`` with ``advance_payment_method = "fixed"``, ``fixed_amount`` and ``sale_order_ids``,
  then ``create_invoices`` on it: one draft out_invoice per order, answered as the window
  action of customer invoices with ``res_id`` the new invoice. A draft order is invoiced too.
- The fixed amount is tax included: the down payment is that share of the order's total
  (fixed / amount_total), e.g. 38,888.85 on an order of 123,457 + 6,173 tax gives an invoice of
  37,037 + 1,852 = 38,889 in TWD. ``invoice_origin`` is the order's name, ``ref`` the customer
  reference; the order gets a "Down Payments" section and a down-payment line of quantity 0.
- ``default_x_mops_key`` in the context of the wizard's calls does not reach the invoice.

account.move (17 and 19)
- ``action_post`` answers ``False``; posting again refuses: UserError "The entry INV/2026/00001
  (id 1) must be in draft." ``ref`` and ``invoice_date_due`` can still be written once posted.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from . import methods
from .errors import UserError
from .hooks import AFTER_CREATE, AFTER_WRITE, computed, on

EMPLOYEE = "hr.employee"
# Odoo 19 stores these on hr.version; the employee reads and writes them through.
VERSION_FIELDS = ("department_id", "departure_date")
DEPARTURE = {
    "type": "ir.actions.act_window",
    "name": "Register Departure",
    "res_model": "hr.departure.wizard",
    "view_mode": "form",
    "target": "new",
    "views": [[False, "form"]],
}


def _version_values(store, rid, vals) -> None:
    if store.version == "17.0":
        return
    rec = store.tables[EMPLOYEE][rid]
    for fname in VERSION_FIELDS:
        if fname in vals:
            old = rec.get(fname)
            value = vals[fname]
            rec[fname] = None if value is False else value
            store.log_undo(lambda rec=rec, fname=fname, old=old: rec.__setitem__(fname, old))


@on(AFTER_CREATE, EMPLOYEE)
def _employee_created(store, rid, vals, model):
    _version_values(store, rid, vals)


@on(AFTER_WRITE, EMPLOYEE)
def _employee_written(store, ids, vals, model):
    for rid in ids:
        _version_values(store, rid, vals)


for _fname in VERSION_FIELDS:
    computed(EMPLOYEE, _fname)(lambda store, rec, fname=_fname: rec.get(fname))

_base_archive = methods.action_archive
_base_unarchive = methods.action_unarchive


@methods.rpc("multi", "BaseModel.action_archive")
def action_archive(self):
    """Archive; an employee also leaves the teams that named them manager or coach."""
    if self.model != EMPLOYEE:
        return _base_archive(self)
    store = self.store
    archived = [rid for rid in methods.exists(self) if store.record(EMPLOYEE, rid).get("active")]
    _base_archive(self)
    if not archived:
        return None
    for fname in ("parent_id", "coach_id"):
        if fname in self.schema.fields:
            linked = store.search(EMPLOYEE, [[fname, "in", archived]])
            if linked:
                store.write(EMPLOYEE, linked, {fname: False})
    if len(archived) == 1:
        return {**DEPARTURE, "context": {"active_id": archived[0]}}
    return None


@methods.rpc("multi", "BaseModel.action_unarchive")
def action_unarchive(self):
    """Unarchive; an employee back at work has no departure date any more."""
    inactive = [
        rid for rid in methods.exists(self) if not self.store.record(self.model, rid).get("active")
    ]
    _base_unarchive(self)
    if self.model == EMPLOYEE and inactive:
        self.store.write(EMPLOYEE, inactive, {"departure_date": False})
    return None


# -- sales orders ----------------------------------------------------------------------------

ORDER = "sale.order"
LINE = "sale.order.line"
NOT_CONFIRMABLE = {
    "17.0": "The following orders are not in a state requiring confirmation: {names}",
    "19.0": "Some orders are not in a state requiring confirmation.",
}
CANCEL_WIZARD = {
    "name": "Cancel Sales Order",
    "view_mode": "form",
    "res_model": "sale.order.cancel",
    "type": "ir.actions.act_window",
    "target": "new",
}


def _rounding(store, currency_id) -> Decimal:
    currency = store.record("res.currency", currency_id) or {}
    return Decimal(repr(float(currency.get("rounding") or 0.01)))


def round_money(store, currency_id, amount) -> float:
    """An amount rounded as Odoo's currency.round (half up to the currency's rounding step)."""
    step = _rounding(store, currency_id)
    value = (Decimal(repr(float(amount))) / step).quantize(Decimal(1), ROUND_HALF_UP) * step
    return float(value)


def _tax_split(store, tax_ids, amount: float, currency_id) -> tuple[float, float]:
    """(untaxed, tax) of a line amount under its taxes (percent taxes, price in- or excluded)."""
    untaxed, tax = amount, 0.0
    for tax_id in tax_ids or []:
        rec = store.record("account.tax", tax_id) or {}
        rate = float(rec.get("amount") or 0.0) / 100
        if rec.get("price_include"):
            base = round_money(store, currency_id, untaxed / (1 + rate))
            tax += untaxed - base
            untaxed = base
        else:
            tax += round_money(store, currency_id, untaxed * rate)
    return untaxed, tax


def _line_taxes(store, line) -> list:
    return line.get("tax_id") or line.get("tax_ids") or []


def refresh_order(store, order_ids) -> None:
    """An order's lines and totals with their taxes, rounded in the order's currency."""
    lines = store.tables[LINE]
    for order_id in set(order_ids) - {None}:
        order = store.record(ORDER, order_id)
        if order is None:
            continue
        currency = order.get("currency_id")
        untaxed_total = tax_total = 0.0
        for rid, line in lines.items():
            if line.get("order_id") != order_id:
                continue
            amount = (line.get("product_uom_qty") or 0.0) * (line.get("price_unit") or 0.0)
            amount *= 1 - (line.get("discount") or 0.0) / 100
            untaxed, tax = _tax_split(store, _line_taxes(store, line), amount, currency)
            untaxed = round_money(store, currency, untaxed)
            store.set_values(
                LINE,
                rid,
                {"price_subtotal": untaxed, "price_tax": tax, "price_total": untaxed + tax},
            )
            untaxed_total += untaxed
            tax_total += tax
        store.set_values(
            ORDER, order_id,
            {"amount_untaxed": untaxed_total, "amount_tax": tax_total,
             "amount_total": untaxed_total + tax_total},
        )  # fmt: skip


@on(AFTER_CREATE, LINE)
def _line_created(store, rid, vals, model):
    refresh_order(store, [store.record(LINE, rid).get("order_id")])


@on(AFTER_WRITE, LINE)
def _line_written(store, ids, vals, model):
    refresh_order(store, [store.record(LINE, rid).get("order_id") for rid in ids])


@on(AFTER_CREATE, ORDER)
def _order_created(store, rid, vals, model):
    refresh_order(store, [rid])


@on(AFTER_WRITE, ORDER)
def _order_written(store, ids, vals, model):
    if "order_line" in vals:
        refresh_order(store, ids)


@methods.rpc("multi", "SaleOrder.action_confirm", (ORDER,))
def action_confirm(self):
    """Confirm quotations (draft or sent) into sales orders."""
    store = self.store
    orders = [store.record(ORDER, rid) for rid in methods.exists(self)]
    late = [o for o in orders if o.get("state") not in ("draft", "sent")]
    if late:
        names = ", ".join(str(o.get("name")) for o in late)
        raise UserError(NOT_CONFIRMABLE[store.version].format(names=names))
    store.write(ORDER, [o["id"] for o in orders], {"state": "sale", "date_order": store.now})
    return True


@methods.rpc("multi", "SaleOrder.action_cancel", (ORDER,))
def action_cancel(self):
    """Cancel orders (17: through the cancel wizard unless told not to) and their draft
    invoices."""
    store = self.store
    orders = [store.record(ORDER, rid) for rid in methods.exists(self)]
    if any(o.get("locked") for o in orders):
        raise UserError("You cannot cancel a locked order. Please unlock it first.")
    wizard = not store.context.get("disable_cancel_warning") and any(
        o.get("state") != "draft" for o in orders
    )
    if store.version == "17.0" and wizard:
        if len(orders) != 1:
            raise ValueError(
                f"Expected singleton: sale.order({', '.join(str(o['id']) for o in orders)})"
            )
        context = {"default_order_id": orders[0]["id"], "mark_so_as_canceled": True}
        return {**CANCEL_WIZARD, "context": context}
    store.write(ORDER, [o["id"] for o in orders], {"state": "cancel"})
    return True


# -- customer invoices from orders -------------------------------------------------------------

MOVE = "account.move"
WIZARD = "sale.advance.payment.inv"
INVOICES_ACTION = {
    "name": "Invoices",
    "type": "ir.actions.act_window",
    "res_model": MOVE,
    "view_mode": "form",
}


@methods.rpc("multi", "SaleAdvancePaymentInv.create_invoices", (WIZARD,))
def create_invoices(self):
    """One draft down-payment invoice per order of the wizard, for its share of the total."""
    store = self.store
    wizard = store.record(WIZARD, self.ids[0])
    invoices = []
    for order_id in wizard.get("sale_order_ids") or []:
        order = store.record(ORDER, order_id)
        currency = order.get("currency_id")
        total = order.get("amount_total") or 0.0
        share = (wizard.get("fixed_amount") or 0.0) / total if total else 1.0
        if wizard.get("advance_payment_method") == "percentage":
            share = (wizard.get("amount") or 0.0) / 100
        untaxed = round_money(store, currency, (order.get("amount_untaxed") or 0.0) * share)
        lines = [line for line in store.tables[LINE].values() if line.get("order_id") == order_id]
        taxes = next((_line_taxes(store, line) for line in lines if _line_taxes(store, line)), [])
        taxes_field = "tax_id" if "tax_id" in store.schemas[LINE].fields else "tax_ids"
        store.create(
            LINE, [{"order_id": order_id, "name": "Down Payments", "display_type": "line_section",
                    "is_downpayment": True, "product_uom_qty": 0.0}],
        )  # fmt: skip
        (dp_line,) = store.create(
            LINE, [{"order_id": order_id, "name": f"Down Payment: {store.now[:10]} (Draft)",
                    "is_downpayment": True, "product_uom_qty": 0.0, "price_unit": untaxed,
                    taxes_field: [[6, 0, list(taxes)]], "qty_invoiced": 1.0}],
        )  # fmt: skip
        (invoice,) = store.create(
            MOVE, [{"move_type": "out_invoice", "partner_id": order.get("partner_id"),
                    "invoice_origin": order.get("name"), "ref": order.get("client_order_ref"),
                    "currency_id": currency, "invoice_date_due": store.now[:10],
                    "invoice_payment_term_id": order.get("payment_term_id")}],
        )  # fmt: skip
        store.create(
            "account.move.line", [{"move_id": invoice, "name": "Down Payment", "quantity": 1.0,
                                   "price_unit": untaxed, "tax_ids": [[6, 0, list(taxes)]],
                                   "is_downpayment": True, "sale_line_ids": [[6, 0, [dp_line]]]}],
        )  # fmt: skip
        untaxed, tax = _tax_split(store, taxes, untaxed, currency)
        store.set_values(
            MOVE, invoice,
            {"amount_untaxed": untaxed, "amount_tax": tax, "amount_total": untaxed + tax,
             "amount_residual": untaxed + tax, "payment_state": "not_paid"},
        )  # fmt: skip
        invoices.append(invoice)
    return {**INVOICES_ACTION, "res_id": invoices[0] if len(invoices) == 1 else False}


_post_base = methods.action_post


@methods.rpc("multi", "AccountMove.action_post", (MOVE,))
def action_post(self):
    """Post draft entries; an entry already posted (or cancelled) refuses."""
    store = self.store
    for rid in methods.exists(self):
        move = store.record(MOVE, rid)
        if move.get("state") != "draft":
            raise UserError(f"The entry {move.get('name')} (id {rid}) must be in draft.")
        if not move.get("invoice_date") and str(move.get("move_type", "")).startswith("out_"):
            store.write(MOVE, [rid], {"invoice_date": store.now[:10]})
        if move.get("name") in (None, False, "/") and move.get("move_type") == "out_invoice":
            year = store.now[:4]
            number = store.next_sequence(f"INV/{year}")
            store.write(MOVE, [rid], {"name": f"INV/{year}/{number:05d}"})
    return _post_base(self)


# -- expenses ----------------------------------------------------------------------------------
# Captured on the real 17 and 19 (TWD): an expense of 10,499 on a product whose purchase tax is
# the 5 % one is split 9,999 + 500 (the tax is included in the total, whatever the tax says).
# 17: an expense put in a report is "reported"; the report's action_submit_sheet makes it
# "submit" (the expenses "submitted") and action_approve_expense_sheets "approve" ("approved").
# 19: action_submit and action_approve on the expense itself. Neither refuses a second call;
# an administrator may approve a draft directly, and submitting an approved expense sets it back
# to submitted. total_amount_currency can still be written once approved.

EXPENSE = "hr.expense"
REPORT = "hr.expense.sheet"


def _expense_taxes(store, product_id) -> list:
    product = store.record("product.product", product_id) or {}
    template = store.record("product.template", product.get("product_tmpl_id")) or {}
    return list(template.get("supplier_taxes_id") or product.get("supplier_taxes_id") or [])


def _refresh_expense(store, rid) -> None:
    expense = store.record(EXPENSE, rid)
    total = expense.get("total_amount_currency") or 0.0
    taxes = expense.get("tax_ids") or []
    rate = sum(float((store.record("account.tax", t) or {}).get("amount") or 0.0) for t in taxes)
    tax = round_money(store, expense.get("currency_id"), total * rate / (100 + rate))
    store.set_values(
        EXPENSE, rid,
        {"tax_amount": tax, "tax_amount_currency": tax, "untaxed_amount_currency": total - tax,
         "total_amount": total, "price_unit": total, "quantity": 1.0},
    )  # fmt: skip


@on(AFTER_CREATE, EXPENSE)
def _expense_created(store, rid, vals, model):
    if "tax_ids" not in vals and vals.get("product_id"):
        store.write(
            EXPENSE, [rid], {"tax_ids": [[6, 0, _expense_taxes(store, vals["product_id"])]]}
        )
    _refresh_expense(store, rid)


@on(AFTER_WRITE, EXPENSE)
def _expense_written(store, ids, vals, model):
    if {"total_amount_currency", "tax_ids", "product_id"} & set(vals):
        for rid in ids:
            _refresh_expense(store, rid)


def _report_expenses(store, report_ids) -> list:
    return store.search(EXPENSE, [["sheet_id", "in", list(report_ids)]])


@on(AFTER_CREATE, REPORT)
def _report_created(store, rid, vals, model):
    expenses = _report_expenses(store, [rid])
    if expenses:
        store.write(EXPENSE, expenses, {"state": "reported"})


def _report_step(self, state: str, expense_state: str):
    ids = methods.exists(self)
    self.store.write(REPORT, ids, {"state": state, "approval_state": state})
    expenses = _report_expenses(self.store, ids)
    if expenses:
        self.store.write(EXPENSE, expenses, {"state": expense_state})


@methods.rpc("multi", "HrExpenseSheet.action_submit_sheet", (REPORT,))
def action_submit_sheet(self):
    """Submit expense reports to their manager."""
    _report_step(self, "submit", "submitted")


@methods.rpc("multi", "HrExpenseSheet.action_approve_expense_sheets", (REPORT,))
def action_approve_expense_sheets(self):
    """Approve expense reports."""
    _report_step(self, "approve", "approved")


def _expense_step(self, state: str):
    self.store.write(EXPENSE, methods.exists(self), {"state": state})


@methods.rpc("multi", "HrExpense.action_submit", (EXPENSE,), version="19.0")
def action_submit_19(self):
    """Submit expenses (19: no reports)."""
    _expense_step(self, "submitted")


@methods.rpc("multi", "HrExpense.action_approve", (EXPENSE,), version="19.0")
def action_approve_19(self):
    """Approve expenses (19: no reports)."""
    _expense_step(self, "approved")
