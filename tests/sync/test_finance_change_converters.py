"""The converters behind the finance changes, without Odoo: what a contract's service line, an
instalment's amount and an employee's work e-mail write for each state Odoo's record is in."""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from mops.syncing.converters import KEEP, Locale, Lookups, NotAllowed, converter

TAIPEI = Locale(ZoneInfo("Asia/Taipei"), 0)
STRATEGY, DIGITAL, TAX = 11, 12, 7


def _lookups(**related) -> Lookups:
    xmlids = {
        "mops.service_strategy": ("product.product", STRATEGY),
        "mops.service_digital": ("product.product", DIGITAL),
        "mops.tax_sale_5": ("account.tax", TAX),
    }
    return Lookups(xmlids=xmlids, series=17, related=related, users={"boss@firm.tw": 2})


def _order(state: str, qty_invoiced: float = 0.0) -> tuple[dict, Lookups]:
    lines = {
        # A down payment's section and line come after the service line; neither is it.
        1: {"id": 1, "product_id": STRATEGY, "product_uom_qty": 1.0, "qty_invoiced": qty_invoiced,
            "is_downpayment": False, "display_type": False},
        2: {"id": 2, "product_id": False, "product_uom_qty": 0.0, "is_downpayment": True,
            "display_type": "line_section"},
        3: {"id": 3, "product_id": 99, "product_uom_qty": 0.0, "is_downpayment": True,
            "display_type": False},
    }  # fmt: skip
    record = {"name": "S00042", "state": state, "order_line": [1, 2, 3], "amount_untaxed": 300000}
    return record, _lookups(**{"sale.order.line": lines})


ROW = {"service_line": "digital", "amount": Decimal(320000), "title": "數位轉型顧問"}


def test_a_service_line_reads_as_its_product_and_the_orders_untaxed_amount():
    line = converter("service_line:mops.service_{value}", TAIPEI)
    record, lookups = _order("sale")
    assert line.read(record, "order_line", lookups) == {"product": STRATEGY, "amount": "300000"}
    assert line.push(ROW, lookups) == {"product": DIGITAL, "amount": "320000"}
    assert line.to_cell(line.push(ROW, lookups), lookups) == "digital 320,000"


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("draft", [[2, 1]]),
        ("sent", [[2, 1]]),
        ("sale", [[1, 1, {"product_uom_qty": 0.0}]]),
    ],
)
def test_another_service_line_replaces_or_zeroes_the_line_and_adds_one(state, expected):
    line = converter("service_line:mops.service_{value}", TAIPEI)
    record, lookups = _order(state)
    written = line.write_value(line.push(ROW, lookups), record, lookups, ROW)
    added = {"product_id": DIGITAL, "name": "數位轉型顧問", "product_uom_qty": 1.0,
             "price_unit": 320000.0, "tax_id": [[6, 0, [TAX]]]}  # fmt: skip
    assert written == [*expected, [0, 0, added]]


def test_the_same_service_line_rewrites_the_price_in_place_even_once_invoiced():
    line = converter("service_line:mops.service_{value}", TAIPEI)
    record, lookups = _order("sale", qty_invoiced=1.0)
    row = dict(ROW, service_line="strategy")
    assert line.write_value(line.push(row, lookups), record, lookups, row) == [
        [1, 1, {"price_unit": 320000.0}]
    ]


@pytest.mark.parametrize(
    ("state", "invoiced", "code"),
    [("sale", 1.0, "service_line_invoiced"), ("cancel", 0.0, "service_line_order_state")],
)
def test_another_service_line_is_not_allowed_on_an_invoiced_line_or_a_cancelled_order(
    state, invoiced, code
):
    line = converter("service_line:mops.service_{value}", TAIPEI)
    record, lookups = _order(state, qty_invoiced=invoiced)
    with pytest.raises(NotAllowed) as refused:
        line.write_value(line.push(ROW, lookups), record, lookups, ROW)
    assert refused.value.code == code and refused.value.params["order"] == "S00042"


def _invoice(state: str, lines: int = 1) -> tuple[dict, Lookups]:
    held = {i: {"id": i, "display_type": "product", "quantity": 1.0} for i in range(1, lines + 1)}
    held[50] = {"id": 50, "display_type": "line_note", "quantity": 0.0}
    record = {"name": "INV/2026/00007", "state": state, "invoice_line_ids": [*held],
              "amount_untaxed": 100000.0}  # fmt: skip
    return record, _lookups(**{"account.move.line": held})


def test_an_instalment_amount_goes_to_the_one_line_of_a_draft_invoice():
    amount = converter("invoice_amount", TAIPEI)
    record, lookups = _invoice("draft")
    assert amount.write_field("amount_untaxed") == "invoice_line_ids"
    assert amount.read(record, "amount_untaxed", lookups) == "100000"
    assert amount.write_value("99000", record, lookups) == [[1, 1, {"price_unit": 99000.0}]]
    # Made by the invoicing wizard: the amount itself is what it is given.
    assert amount.create_value("99000", {}, lookups) == 99000.0


@pytest.mark.parametrize(
    ("state", "lines", "code"),
    [("posted", 1, "invoice_posted"), ("draft", 2, "invoice_lines")],
)
def test_an_instalment_amount_is_not_written_to_a_posted_invoice_nor_a_guessed_line(
    state, lines, code
):
    amount = converter("invoice_amount", TAIPEI)
    record, lookups = _invoice(state, lines)
    with pytest.raises(NotAllowed) as refused:
        amount.write_value("99000", record, lookups)
    assert refused.value.code == code and refused.value.params["invoice"] == "INV/2026/00007"


def test_a_cancelled_invoices_amount_is_left_alone():
    amount = converter("invoice_amount", TAIPEI)
    record, lookups = _invoice("cancel")
    assert amount.write_value("99000", record, lookups) is KEEP


def test_the_work_email_is_the_rosters_only_for_someone_without_a_user():
    email = converter("work_email", TAIPEI)
    lookups = _lookups()
    assert email.push("New.Comer@firm.tw", lookups) == "New.Comer@firm.tw"
    assert email.read({"work_email": "new.comer@firm.tw", "user_id": False}, "work_email", lookups)
    # Someone with a user takes it from the user: never written, both sides read alike.
    assert email.push("Boss@Firm.tw", lookups) == email.USER
    assert email.read({"work_email": "other@x.tw", "user_id": 2}, "work_email", lookups) == (
        email.USER
    )
    assert email.create_value(email.USER, {}, lookups) is KEEP
    assert email.to_cell("new.comer@firm.tw", lookups) is KEEP
