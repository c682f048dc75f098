"""What the real Odoo 17 and 19 do when a contract, an invoice or an employee changes after it
was made: the test server's side of the finance changes mops follows.

Captured on the real servers of /work/odoo-live (l10n_tw, TWD, the mops service products and
5 % sales tax) with random names; the raw answers are in finance_captures/finance_changes17.json
and finance_changes19.json (each step → its result or Odoo's error):

sale.order lines (17 and 19)
- A quotation (draft) takes anything: its line replaced (``[[2, line], [0, 0, {...}]]``) or
  its product written in place, with Odoo's totals recomputed.
- Once confirmed, a line's product cannot change, invoiced or not (``product_updatable`` is
  false as soon as the order is confirmed): UserError "You cannot modify the product of this
  order line." A line cannot go either: UserError "Once a sales order is confirmed, you can't
  remove one of its lines (we need to track if something gets invoiced or delivered).\\n
  Set the quantity to 0 instead." Its price can still be written, invoiced or not, and a line
  can be added (``[0, 0, {...}]``) and another set to quantity 0, in one write.
- ``invoice_ids`` of an order: the invoices whose lines come from its lines.

account.move (customer invoices)
- A draft invoice's line price written (``invoice_line_ids: [[1, line, {"price_unit": …}]]``):
  Odoo recomputes the tax and totals (30,000 → tax 1,500, total 31,500).
- A posted invoice: 17 takes the same write and recomputes a posted invoice's totals (!);
  19 refuses: UserError "You cannot modify the following readonly fields on a posted move:
  invoice_line_ids". mops never sends it.
- ``action_cancel`` of an order (17 with ``disable_cancel_warning``, 19 as is) cancels its
  draft invoices and leaves posted ones posted (``payment_state`` "not_paid").
- The invoicing wizard invoices a cancelled order all the same (a draft down payment).
- ``button_cancel`` cancels a draft invoice, and also a posted one (reset to draft, then
  cancelled); on a cancelled one: UserError "Only draft journal entries can be cancelled.";
  ``action_post`` then refuses it: "The entry / (id 63) must be in draft."

hr.employee and expense reports (17)
- An employee made without a user has a work contact (a partner of its name) but no work
  e-mail; ``action_sheet_move_create`` of its approved expense report refuses:
  RedirectWarning "The work email of some employees is missing. Please add it on the employee
  form" (followed by the window action of the employees concerned). With ``work_email``
  written (which also goes to the work contact's e-mail) the report posts (state "post").
- 19 posts expenses through a wizard (hr.expense.post.wizard) that asks for no work e-mail.
"""

from __future__ import annotations

from . import methods
from .errors import UserError
from .finance_flows import LINE, MOVE, ORDER
from .hooks import AFTER_WRITE, BEFORE_UNLINK, PREPARE_WRITE, computed, on

PRODUCT_FIXED = "You cannot modify the product of this order line."
LINE_KEPT = (
    "Once a sales order is confirmed, you can't remove one of its lines (we need to track if "
    "something gets invoiced or delivered).\n                Set the quantity to 0 instead."
)
POSTED_LINES = "You cannot modify the following readonly fields on a posted move: invoice_line_ids"
ONLY_DRAFT = "Only draft journal entries can be cancelled."
MOVE_LINE = "account.move.line"


def _order_of(store, line_id):
    line = store.record(LINE, line_id) or {}
    return store.record(ORDER, line.get("order_id")) or {}


def _sold(line) -> bool:
    return not (line.get("display_type") or line.get("is_downpayment"))


@on(PREPARE_WRITE, LINE)
def _product_fixed_once_confirmed(store, ids, vals, model):
    if "product_id" not in vals:
        return
    for rid in ids:
        line = store.record(LINE, rid) or {}
        if line.get("product_id") == vals["product_id"]:
            continue
        if _order_of(store, rid).get("state") in ("sale", "cancel"):
            raise UserError(PRODUCT_FIXED)


@on(BEFORE_UNLINK, LINE)
def _lines_kept_once_confirmed(store, ids, model):
    for rid in ids:
        line = store.record(LINE, rid) or {}
        if _sold(line) and _order_of(store, rid).get("state") == "sale":
            raise UserError(LINE_KEPT)


@computed(ORDER, "invoice_ids")
def _order_invoices(store, rec):
    lines = {rid for rid, line in store.tables[LINE].items() if line.get("order_id") == rec["id"]}
    moves = {
        ml.get("move_id")
        for ml in store.tables[MOVE_LINE].values()
        if lines.intersection(ml.get("sale_line_ids") or [])
    }
    return sorted(m for m in moves if m)


@on(AFTER_WRITE, ORDER)
def _cancel_draft_invoices(store, ids, vals, model):
    # sale.order._action_cancel: the order's draft invoices are cancelled with it.
    if vals.get("state") != "cancel":
        return
    for rid in ids:
        drafts = [
            m
            for m in _order_invoices(store, {"id": rid})
            if (store.record(MOVE, m) or {}).get("state") == "draft"
        ]
        if drafts:
            store.write(MOVE, drafts, {"state": "cancel"})


@on(PREPARE_WRITE, MOVE)
def _posted_lines_fixed(store, ids, vals, model):
    if "invoice_line_ids" not in vals or store.version == "17.0":
        return
    if any((store.record(MOVE, rid) or {}).get("state") == "posted" for rid in ids):
        raise UserError(POSTED_LINES)


@methods.rpc("multi", "AccountMove.button_cancel", (MOVE,))
def button_cancel(self):
    """Cancel draft entries; a posted one is reset to draft first, a cancelled one refuses."""
    ids = methods.exists(self)
    if any(self.store.record(MOVE, rid).get("state") not in ("draft", "posted") for rid in ids):
        raise UserError(ONLY_DRAFT)
    self.store.write(MOVE, ids, {"state": "cancel"})
