"""Customer invoices made by Odoo's own invoicing wizard, several orders at a time.

A mixin of the applier (``mops.syncing.applier.Applier``): ``_invoice`` is how a record type
whose mapping says ``create = "invoice_wizard"`` is created. The invoices of different orders go
out side by side through the applier's pool (``[sync] workers``); the invoices of one order go one
after the other, in plan order, since each is found again by its order and amount after a lost
reply, and Odoo adds each to its order's lines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mops.errors import OdooServerError, OdooTransientError
from mops.syncing.mapping import KEY_FIELD
from mops.syncing.turns import Turns

if TYPE_CHECKING:
    from mops.syncing.plan import PlanItem

ORDER_FIELDS = ["name", "amount_untaxed", "amount_total"]


class _Skipped:
    """An invoice not asked for: one before it on its order got no answer."""


SKIPPED = _Skipped()


class Invoicing:
    """The invoicing wizard's part of the applier."""

    def _invoice(self, ready: list[tuple[PlanItem, dict, dict]], *, attempts: int) -> None:
        """Customer invoices made from their orders by Odoo's own invoicing wizard.

        ``sale_order`` names the order and ``amount_untaxed`` the instalment before tax; the
        wizard takes the amount tax included, so it is scaled by the order's own total. Odoo
        does not carry the key from the wizard's context to the invoice: it is written first
        thing after, and an invoice a lost reply left without its key (of that order, with that
        amount) is found and keyed instead of making a second one. The orders and their unkeyed
        invoices are read once for the batch; then each invoice is three calls.
        """
        entries = []
        for item, vals, synced in ready:
            vals = dict(vals)
            order_id, untaxed = vals.pop("sale_order"), vals.pop("amount_untaxed")
            entries.append((item, vals, synced, order_id, untaxed))
        try:
            orders = self._orders(sorted({e[3] for e in entries}))
            left = self._unkeyed(orders)
        except OdooTransientError as exc:  # no answer: the keys looked up again, as for a create
            self._create_again(list(ready), attempts=attempts, failures=[exc])
            return
        turns = Turns(entries, lambda entry: entry[3])
        broken: set[int] = set()  # orders where a call got no answer

        def send(entry) -> Any:
            with turns.turn(entry):
                if entry[3] in broken:
                    return SKIPPED
                try:
                    return self._one_invoice(orders, left, entry)
                except OdooTransientError:
                    broken.add(entry[3])
                    raise

        again: list[tuple[PlanItem, dict, dict]] = []
        failures: list[Exception] = []

        def done(entry, answer: Any, exc: Exception | None) -> bool:
            item, vals, synced = entry[0], entry[1], entry[2]
            if isinstance(exc, OdooServerError):
                self._refuse(item, vals, exc)
                return False
            if exc is not None or answer is SKIPPED:
                again.append(ready[turns.index(entry)])
                if exc is not None:
                    failures.append(exc)
                return exc is not None
            invoice_id, found = answer
            if not found:
                self._created([(item, vals, synced)], [invoice_id])
            else:
                self._adopted_invoice(item, vals, synced, invoice_id)
            return False

        self._each(send, entries, done)
        if again:
            self._create_again(again, attempts=attempts, failures=failures)

    def _orders(self, order_ids: list[int]) -> dict[int, dict]:
        """The orders the invoices come from, in one read (an order Odoo refuses to read is
        read again with its invoice, whose row then says why)."""
        try:
            rows = self.client.call("sale.order", "read", order_ids, fields=ORDER_FIELDS)
        except OdooServerError:
            return {}
        return {row["id"]: row for row in rows}

    def _unkeyed(self, orders: dict[int, dict]) -> dict[str, list[dict]]:
        """The customer invoices of these orders without a key (a lost reply or a crash left
        them between the wizard and the key's write), oldest first, by order name; one read."""
        if not orders:
            return {}
        rows = self.client.call(
            "account.move", "search_read",
            [["invoice_origin", "in", sorted(o["name"] for o in orders.values())],
             ["move_type", "=", "out_invoice"], [KEY_FIELD, "=", False]],
            fields=["invoice_origin", "amount_untaxed"], order="id",
        )  # fmt: skip
        left: dict[str, list[dict]] = {o["name"]: [] for o in orders.values()}
        for row in rows:
            left.setdefault(row["invoice_origin"], []).append(row)
        return left

    def _one_invoice(self, orders: dict[int, dict], left: dict[str, list[dict]], entry):
        """(the invoice's id, whether it was found made already) of one instalment: an unkeyed
        invoice of its order for its amount is keyed, else the wizard makes one."""
        _item, vals, _synced, order_id, untaxed = entry
        order = orders.get(order_id)
        if order is None:
            (order,) = self.client.call("sale.order", "read", [order_id], fields=ORDER_FIELDS)
        if order["name"] in left:  # read with the others: taken from that read
            unkeyed = left[order["name"]]
            same = next((r for r in unkeyed if abs(r["amount_untaxed"] - untaxed) < 0.005), None)
            if same is not None:
                unkeyed.remove(same)
            found = [same["id"]] if same is not None else []
        else:
            found = self.client.call(
                "account.move", "search",
                [["invoice_origin", "=", order["name"]], ["move_type", "=", "out_invoice"],
                 [KEY_FIELD, "=", False], ["amount_untaxed", "=", untaxed]],
                order="id", limit=1,
            )  # fmt: skip
        invoice_id = found[0] if found else self._invoice_wizard(order, untaxed)
        self.client.call("account.move", "write", [invoice_id], vals)
        return invoice_id, bool(found)

    def _adopted_invoice(self, item: PlanItem, vals: dict, synced: dict, invoice_id: int) -> None:
        """An invoice made by a run whose reply was lost, keyed now: adopted, as a found key is."""
        pending = self.state.pending()
        self._kept(pending, item, invoice_id, synced, action="adopt", new=vals)
        self.state.commit(pending)

    def _invoice_wizard(self, order: dict, untaxed: float) -> int:
        total, base = order["amount_total"], order["amount_untaxed"]
        fixed = round(untaxed * total / base, 2) if base else untaxed
        wizard = self.client.call(
            "sale.advance.payment.inv", "create",
            [{"advance_payment_method": "fixed", "fixed_amount": fixed,
              "sale_order_ids": [[6, 0, [order["id"]]]]}],
        )  # fmt: skip
        wizard = wizard[0] if isinstance(wizard, list) else wizard
        action = self.client.call("sale.advance.payment.inv", "create_invoices", [wizard])
        return int(action["res_id"])
