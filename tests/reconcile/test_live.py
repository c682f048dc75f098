"""Against a real Odoo 17 and a real Odoo 19 with the Taiwan chart: records made through Odoo's
own flows (a confirmed order, posted invoices with the 5 % sales tax, one paid through the
payment wizard, a vendor bill of an expense product, hr.expense records), then reconciled.

Marked ``odoo_live``; skipped without ODOO_URL … (17) or ODOO19_URL … (19). Keys are random,
and only this run's lines are asserted: the database is shared with other runs.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from decimal import Decimal

import pytest

from mops.odoo.connect import connect
from mops.odoo.finance_reads import read_all, read_finance
from mops.odoo.settings import OdooSettings
from mops.reconciling import core
from mops.reconciling.model import LineClass, WbRow, WorkbookSide

from .books import setup

pytestmark = pytest.mark.odoo_live
SERVERS = {
    "17": ("ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_PASSWORD"),
    "19": ("ODOO19_URL", "ODOO19_DB", "ODOO19_USER", "ODOO19_API_KEY"),
}


@pytest.fixture(params=sorted(SERVERS), ids=[f"odoo{v}" for v in sorted(SERVERS)])
def live(request):
    names = SERVERS[request.param]
    if not all(os.environ.get(n) for n in names):
        pytest.skip(f"a real Odoo {request.param} needs {', '.join(names)}")
    url, database, login, secret = (os.environ[n] for n in names)
    client = connect(
        OdooSettings(url=url.rstrip("/"), database=database, login=login, timeout_seconds=120),
        secret,
    )
    setup(client)
    return client


def _xmlid(client, name: str) -> int:
    rows = client.call(
        "ir.model.data",
        "search_read",
        [["module", "=", "mops"], ["name", "=", name]],
        fields=["res_id"],
    )
    return rows[0]["res_id"]


def _one(answer) -> int:
    return answer[0] if isinstance(answer, list) else answer


def _row(sheet: str, key: str, n: int, **values) -> WbRow:
    cells = {c: f"{chr(65 + i)}{n}" for i, c in enumerate(["key", *values])}
    return WbRow(sheet, key, values, "live.xlsx", sheet, n, cells, "key")


def test_records_made_by_odoo_flows_reconcile_into_their_classes(live):
    client = live
    tag = secrets.token_hex(4).upper()
    contract = f"RC{tag}"
    today = dt.date.today()
    partner = _one(
        client.call("res.partner", "create", [{"name": f"對帳測試 {tag}", "is_company": True}])
    )
    service = _xmlid(client, "service_strategy")
    tax = _xmlid(client, "tax_sale_5")
    order = _one(
        client.call(
            "sale.order",
            "create",
            [
                {
                    "partner_id": partner,
                    "x_mops_key": f"contract:{contract}",
                    "client_order_ref": contract,
                    "order_line": [
                        [
                            0,
                            0,
                            {
                                "product_id": service,
                                "product_uom_qty": 1,
                                "price_unit": 100000,
                                "tax_id" if client.version_info < (19,) else "tax_ids": [
                                    [6, 0, [tax]]
                                ],
                            },
                        ]
                    ],
                }
            ],
        )
    )
    client.call("sale.order", "action_confirm", [order])

    def invoice(suffix: str, amount: int, due: dt.date) -> int:
        move = _one(
            client.call(
                "account.move",
                "create",
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner,
                        "x_mops_key": f"instalment:{contract}-{suffix}",
                        "ref": f"ZZ-{tag}{suffix}",
                        "invoice_date": (due - dt.timedelta(days=30)).isoformat(),
                        "invoice_date_due": due.isoformat(),
                        "invoice_line_ids": [
                            [
                                0,
                                0,
                                {
                                    "product_id": service,
                                    "quantity": 1,
                                    "price_unit": amount,
                                    "tax_ids": [[6, 0, [tax]]],
                                },
                            ]
                        ],
                    }
                ],
            )
        )
        client.call("account.move", "action_post", [move])
        return move

    overdue = invoice("1", 30000, today - dt.timedelta(days=45))
    paid = invoice("2", 40000, today + dt.timedelta(days=20))
    extra = invoice("9", 30000, today + dt.timedelta(days=60))
    # Paid the way a person pays in Odoo: the Register Payment wizard.
    context = {"active_model": "account.move", "active_ids": [paid]}
    wizard = _one(client.call("account.payment.register", "create", [{}], context=context))
    client.call("account.payment.register", "action_create_payments", [wizard], context=context)

    employee = client.call("hr.employee", "search", [["user_id", "=", client.uid]], limit=1)
    if not employee:
        employee = [_one(client.call("hr.employee", "create", [{"name": f"對帳測試員 {tag}"}]))]
    travel = _xmlid(client, "expense_sales_travel")
    for key, amount in ((f"RX{tag}-1", 1200), (f"RX{tag}-2", 600)):
        client.call(
            "hr.expense",
            "create",
            [
                {
                    "name": f"高鐵 {key}",
                    "x_mops_key": f"claim:{key}",
                    "employee_id": employee[0],
                    "product_id": travel,
                    "total_amount_currency": amount,
                    "date": today.isoformat(),
                }
            ],
        )
    # The books' spend: a vendor bill of the expense product, posted.
    bill = _one(
        client.call(
            "account.move",
            "create",
            [
                {
                    "move_type": "in_invoice",
                    "partner_id": partner,
                    "invoice_date": today.isoformat(),
                    "invoice_line_ids": [
                        [
                            0,
                            0,
                            {
                                "product_id": travel,
                                "quantity": 1,
                                "price_unit": 2100,
                                "tax_ids": [[6, 0, []]],
                            },
                        ]
                    ],
                }
            ],
        )
    )
    client.call("account.move", "action_post", [bill])

    odoo = read_finance(client)
    assert odoo.currency == "TWD" and odoo.decimals == 0
    wb = WorkbookSide(
        contracts=[_row("contracts", contract, 2, amount=Decimal(100000), status="executing")],
        payment_schedule=[
            _row(
                "payment_schedule",
                f"{contract}-1",
                2,
                contract_id=contract,
                amount=Decimal(30000),
                due_date=today - dt.timedelta(days=45),
                invoice_no=f"ZZ-{tag}1",
                status="invoiced",
                paid_date=None,
            ),
            _row(
                "payment_schedule",
                f"{contract}-2",
                3,
                contract_id=contract,
                amount=Decimal(40000),
                due_date=today + dt.timedelta(days=20),
                invoice_no=f"ZZ-{tag}2",
                status="invoiced",
                paid_date=None,
            ),
        ],
        claims=[
            _row(
                "claims",
                f"RX{tag}-1",
                2,
                claimant="甲",
                amount=Decimal(1200),
                approval="approved",
                attachment_ref=f"R-{tag}-1",
                expense_date=today,
                reimbursed=False,
            ),
            _row(
                "claims",
                f"RX{tag}-2",
                3,
                claimant="乙",
                amount=Decimal(500),
                approval="approved",
                attachment_ref=f"R-{tag}-2",
                expense_date=today,
                reimbursed=False,
            ),
        ],
    )
    lines, _ = core.reconcile("all", wb, odoo, as_of=today, warn=Decimal("0.9"), limit=Decimal("1"))
    mine = {(line.cls, line.key) for line in lines if line.key.startswith((contract, f"RX{tag}"))}
    assert mine == {
        (LineClass.MATCHED, contract),
        (LineClass.OVERDUE, f"{contract}-1"),
        (LineClass.PAID_NOT_RECORDED, f"{contract}-2"),
        (LineClass.NOT_IN_SCHEDULE, contract),
        (LineClass.MATCHED, f"RX{tag}-1"),
        (LineClass.AMOUNT_DIFFERS, f"RX{tag}-2"),
    }, mine
    late = next(x for x in lines if x.cls is LineClass.OVERDUE and x.key == f"{contract}-1")
    assert late.detail["bucket"] == "31-60" and late.odoo_amount == Decimal(31500)  # 5 % tax
    assert {x.odoo_id for x in lines if x.cls is LineClass.NOT_IN_SCHEDULE} >= {extra}
    assert overdue in {x.odoo_id for x in lines}
    # The budget sums Odoo makes equal the journal items they are made of, for this month.
    items = read_all(
        client,
        "account.move.line",
        [
            ["parent_state", "=", "posted"],
            ["display_type", "=", "product"],
            ["product_id", "=", travel],
            ["date", ">=", today.replace(day=1).isoformat()],
        ],
        ["price_total", "date"],
    )
    month = [
        a
        for a in odoo.actuals
        if (a["category"], a["item"], a["year"], a["month"])
        == ("sales", "travel", today.year, today.month)
    ]
    in_month = [i for i in items if i["date"][:7] == today.isoformat()[:7]]
    assert len(month) == 1
    assert (
        Decimal(month[0]["amount"]) == sum(Decimal(str(i["price_total"])) for i in in_month) >= 2100
    )
