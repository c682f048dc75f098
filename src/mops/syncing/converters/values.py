"""Converters of plain values: text, money, percentages, dates and times, numbers, html."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from decimal import ROUND_HALF_UP, Decimal

from mops.syncing.converters.base import (
    KEEP,
    Converter,
    Localised,
    NotAllowed,
    Unresolved,
    linked,
)

PERCENT = Decimal("0.01")


class Text(Converter):
    """Text as is; a blank cell clears the field."""

    name = "text"

    def push(self, value, lookups):
        text = "" if value is None else str(value).strip()
        return text or None

    def read(self, record, odoo_field, lookups):
        value = record.get(odoo_field)
        return value.strip() or None if isinstance(value, str) else None


class _ScaledFloat(Converter):
    """A Decimal kept by Odoo as a float, times ``factor``, compared rounded to ``quantum``.

    Blank is 0, since Odoo cannot tell them apart.
    """

    factor = Decimal(1)
    quantum = Decimal(1)

    def push(self, value, lookups):
        number = Decimal(str(value)) if value is not None else Decimal(0)
        return str((number * self.factor).quantize(self.quantum, ROUND_HALF_UP))

    def read(self, record, odoo_field, lookups):
        value = record.get(odoo_field) or 0
        # repr() of a float is the shortest text that reads back as the same float.
        return str(Decimal(repr(float(value))).quantize(self.quantum, ROUND_HALF_UP))

    def to_odoo(self, normal, lookups, *, create):
        return float(Decimal(str(normal)))


class Money(Localised, _ScaledFloat):
    """Decimal → float, rounded half up to the firm's currency decimals (TWD: whole dollars)."""

    name = "money"

    @property
    def quantum(self) -> Decimal:
        return self.locale.money_quantum

    def to_cell(self, normal, lookups):
        return Decimal(str(normal))


class Percent100(_ScaledFloat):
    """A fraction (0.3, shown as 30 %) → 30.0, as Odoo's probability holds it."""

    name = "percent100"
    factor = Decimal(100)
    quantum = PERCENT

    def to_cell(self, normal, lookups):
        return (Decimal(str(normal)) / 100).normalize()


class Date(Converter):
    """A date ↔ "YYYY-MM-DD"."""

    name = "date"

    def push(self, value, lookups):
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            value = value.date()
        return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]

    def read(self, record, odoo_field, lookups):
        value = record.get(odoo_field)
        return value[:10] if isinstance(value, str) and value else None

    def to_cell(self, normal, lookups):
        return dt.date.fromisoformat(normal) if normal else None


class EnumKey(Converter):
    """An enum option key ↔ the selection value of the same key."""

    name = "enum_key"


class Constant(Converter):
    """A fixed Odoo value, e.g. ``is_company = true``."""

    name = "value"

    def __init__(self, value: object) -> None:
        self.value = value

    def push(self, value, lookups):
        return self.value

    def read(self, record, odoo_field, lookups):
        value = record.get(odoo_field)
        return value if isinstance(value, bool) else (value or None)

    def to_odoo(self, normal, lookups, *, create):
        return normal

    def to_cell(self, normal, lookups):
        return KEEP


class LeadActive(Converter):
    """A lead the workbook already calls lost is created archived."""

    name = "lead_active"

    def push(self, value, lookups):
        return value != "lost"

    def to_odoo(self, normal, lookups, *, create):
        return bool(normal)


class OdooId(Converter):
    """The record's own Odoo id (pull only)."""

    name = "odoo_id"

    def read(self, record, odoo_field, lookups):
        return record.get("id")


def latest_payment(widget: object) -> str | None:
    """The date ("YYYY-MM-DD") of the latest payment in an invoice's ``invoice_payments_widget``.

    Odoo 17 and 19 answer the widget as a JSON object (``False`` without payments) whose
    ``content`` lists each payment or credit note reconciled with the invoice, with its date;
    exchange-difference entries are bookkeeping, not payments, and are left out.
    """
    if isinstance(widget, str) and widget:
        try:
            widget = json.loads(widget)
        except ValueError:
            return None
    if not isinstance(widget, dict):
        return None
    dates = [
        str(entry["date"])[:10]
        for entry in widget.get("content") or ()
        if isinstance(entry, dict) and entry.get("date") and not entry.get("is_exchange")
    ]
    return max(dates) if dates else None


UNPAID = (None, False, "", "not_paid")


class PaidDate(Date):
    """The date of the latest payment reconciled with an invoice, from its payments widget
    (pull only).

    Computing the widget costs Odoo a few queries an invoice, so the snapshot reads the invoice's
    payment state, and the widgets of only the invoices with a payment in one call after it
    (``mops.syncing.remote.read_paid_dates``), as for a linked paid date.
    """

    name = "paid_date"

    def reads(self, odoo_field):
        return ("payment_state",)

    def read(self, record, odoo_field, lookups):
        if record.get("payment_state") in UNPAID:
            return None
        return lookups.paid_dates.get(int(record["id"]))


class LinkedPaidDate(Date):
    """The latest payment date of the journal entries a record links to (an expense's or an
    expense report's), read with them before planning (pull only)."""

    name = "linked_paid_date"

    def read(self, record, odoo_field, lookups):
        linked = record.get(odoo_field)
        ids = linked if isinstance(linked, list) else [linked] if linked else []
        dates = [d for i in ids if (d := lookups.paid_dates.get(int(i)))]
        return max(dates) if dates else None


class Integer(Converter):
    """A whole number; Odoo's 0 is blank (an integer field cannot be empty)."""

    name = "integer"

    def push(self, value, lookups):
        return None if value in (None, "") else int(value)

    def read(self, record, odoo_field, lookups):
        value = record.get(odoo_field)
        return int(value) if value else None

    def to_odoo(self, normal, lookups, *, create):
        return 0 if normal is None else int(normal)


class Html(Converter):
    """Plain text ↔ an html field: each line a paragraph; compared as the text it shows."""

    name = "html"

    def push(self, value, lookups):
        text = "" if value is None else str(value).replace("\r\n", "\n").strip()
        return "\n".join(line.rstrip() for line in text.split("\n")) or None

    def read(self, record, odoo_field, lookups):
        value = record.get(odoo_field)
        return html_to_text(value) if isinstance(value, str) else None

    def to_odoo(self, normal, lookups, *, create):
        if normal is None:
            return False
        return "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in normal.split("\n"))


def html_to_text(value: str) -> str | None:
    """The text an html value shows: paragraphs and line breaks as new lines, no markup."""
    text = re.sub(r"<br\s*/?>|</p>\s*<p[^>]*>|</div>\s*<div[^>]*>", "\n", value, flags=re.I)
    text = html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\xa0", " ")
    lines = [line.rstrip() for line in text.strip().split("\n")]
    return "\n".join(lines) or None


class Day(Localised, Date):
    """A date → an Odoo datetime on that same day in UTC and in the firm's zone.

    That is 00:00 UTC (08:00 in Taipei), or the firm's midnight where it comes later (a zone
    west of UTC); read back, the Odoo datetime is the day it is in the firm's zone.
    """

    name = "day"

    def read(self, record, odoo_field, lookups):
        value = record.get(odoo_field)
        if not isinstance(value, str) or not value:
            return None
        return self.locale.from_utc(dt.datetime.fromisoformat(value[:19])).date().isoformat()

    def to_odoo(self, normal, lookups, *, create):
        if not normal:
            return False
        midnight = dt.datetime.fromisoformat(normal)
        return max(midnight, self.locale.to_utc(midnight)).isoformat(" ")


class LocalDatetime(Localised, Converter):
    """A date and time on the firm's clock ↔ Odoo's UTC datetime, at that instant's offset."""

    name = "local_datetime"

    def push(self, value, lookups):
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time())
        wall = value.replace(second=0, microsecond=0, tzinfo=None)
        # Through UTC and back: a time the clocks skip reads as the time it really is.
        return self.locale.from_utc(self.locale.to_utc(wall)).isoformat(" ")

    def read(self, record, odoo_field, lookups):
        value = record.get(odoo_field)
        if not isinstance(value, str) or not value:
            return None
        utc = dt.datetime.fromisoformat(value[:19])
        return self.locale.from_utc(utc).replace(second=0).isoformat(" ")

    def to_odoo(self, normal, lookups, *, create):
        if normal is None:
            return False
        return self.locale.to_utc(dt.datetime.fromisoformat(normal)).isoformat(" ")

    def to_cell(self, normal, lookups):
        return dt.datetime.fromisoformat(normal) if normal else None


LINE = "sale.order.line"
MOVE_LINE = "account.move.line"
QUOTATION = ("draft", "sent")


class ServiceLine(Money):
    """A contract's service: one order line of the service line's product at the amount before
    tax, with the 5 % sales tax; compared by that product and the order's untaxed amount, as
    Odoo totals it.

    Created as a line of the new order; an amendment writes the line's price in place, as Odoo
    allows on a confirmed order. Another service line replaces the line of a quotation; a
    confirmed order refuses another product on its line, and lets no line go ("set the quantity
    to 0 instead"), so its line is set to 0 and a line of the new product added, as long as
    nothing of it was invoiced; an invoiced line is not changed (NotAllowed).
    """

    name = "service_line"
    columns = ("service_line", "amount", "title")
    tax = "mops.tax_sale_5"
    line_fields = (
        "product_id", "product_uom_qty", "qty_invoiced", "is_downpayment", "display_type",
    )  # fmt: skip

    def __init__(self, template: str, locale) -> None:
        super().__init__(locale)
        self.template = template

    def reads(self, odoo_field):
        return (odoo_field, "amount_untaxed", "state", "name")

    def related(self, odoo_field):
        return {odoo_field: (LINE, self.line_fields)}

    def push(self, value, lookups):
        if value.get("amount") is None:
            return None
        product = self.template.format(value=value.get("service_line"))
        for name in (product, self.tax):
            if lookups.xmlid(name) is None:
                raise Unresolved("xmlid", xmlid=name)
        return {"product": lookups.xmlid(product), "amount": super().push(value["amount"], lookups)}

    def line(self, record, odoo_field, lookups) -> dict | None:
        """The order's service line: the first still sold (a quantity) that is no section, note
        or down payment."""
        for line in linked(record, odoo_field, LINE, lookups):
            if line.get("product_uom_qty") and not (
                line.get("display_type") or line.get("is_downpayment")
            ):
                return line
        return None

    def read(self, record, odoo_field, lookups):
        if not record.get(odoo_field):
            return None
        line = self.line(record, odoo_field, lookups)
        return {
            "product": (line.get("product_id") or None) if line else None,
            "amount": super().read(record, "amount_untaxed", lookups),
        }

    def to_cell(self, normal, lookups):
        if normal is None:
            return None
        product = normal.get("product")
        name = lookups.xmlid_of(int(product), "mops.service_") if product else None
        service = name.removeprefix("mops.service_") if name else str(product or "")
        return f"{service} {Decimal(normal['amount']):,}".strip()

    def _new_line(self, normal, row, lookups) -> dict:
        taxes = "tax_id" if lookups.series < 19 else "tax_ids"
        return {
            "product_id": normal["product"],
            "name": row.get("title") or row.get("service_line"),
            "product_uom_qty": 1.0,
            "price_unit": float(Decimal(normal["amount"])),
            taxes: [[6, 0, [lookups.xmlid(self.tax)]]],
        }

    def create_value(self, normal, row, lookups):
        if normal is None:
            return []
        return [[0, 0, self._new_line(normal, row, lookups)]]

    def write_value(self, normal, record, lookups, row=None):
        row = row or {}
        line = self.line(record, "order_line", lookups) if normal is not None else None
        if line is None:
            return self.create_value(normal, row, lookups)
        if line.get("product_id") == normal["product"]:
            return [[1, line["id"], {"price_unit": float(Decimal(normal["amount"]))}]]
        state = record.get("state")
        added = [0, 0, self._new_line(normal, row, lookups)]
        if state in QUOTATION:
            return [[2, line["id"]], added]
        if state == "sale" and not line.get("qty_invoiced"):
            return [[1, line["id"], {"product_uom_qty": 0.0}], added]
        code = "service_line_invoiced" if state == "sale" else "service_line_order_state"
        raise NotAllowed(code, order=record.get("name") or "", state=state or "")


class InvoiceAmount(Money):
    """An instalment's amount before tax ↔ its customer invoice's ``amount_untaxed``.

    Sent to Odoo's invoicing wizard when the invoice is made; a change later goes to the price
    of the draft invoice's one line, so Odoo recomputes the tax and totals itself. A posted
    invoice is never rewritten (NotAllowed): finance settles it in Odoo; a cancelled one is
    left alone.
    """

    name = "invoice_amount"
    link = "invoice_line_ids"

    def reads(self, odoo_field):
        return (odoo_field, self.link, "state", "name")

    def related(self, odoo_field):
        return {self.link: (MOVE_LINE, ("display_type", "quantity"))}

    def write_field(self, odoo_field):
        return self.link

    def write_value(self, normal, record, lookups, row=None):
        invoice = record.get("name") or ""
        if record.get("state") == "posted":
            raise NotAllowed("invoice_posted", invoice=invoice)
        if record.get("state") == "cancel":
            return KEEP  # a cancelled invoice's amount no longer matters
        if record.get("state") != "draft":
            raise NotAllowed("invoice_not_draft", invoice=invoice, state=record.get("state"))
        lines = [
            line
            for line in linked(record, self.link, MOVE_LINE, lookups)
            if line.get("display_type") in (None, False, "product")
        ]
        if len(lines) != 1 or normal is None:
            raise NotAllowed("invoice_lines", invoice=invoice, count=len(lines))
        quantity = float(lines[0].get("quantity") or 1.0)
        return [[1, lines[0]["id"], {"price_unit": float(Decimal(normal)) / quantity}]]
