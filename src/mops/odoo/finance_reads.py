"""Read the finance side of Odoo for a reconciliation: few calls, explicit fields, sums by group.

Sale orders carrying a ``contract:`` key, customer invoices, hr.expense records carrying a
``claim:`` key: each read with ``search_read`` in pages by id (keyset paging) with the fields
named, so the calls grow with pages, never with rows. Budget actuals are sums Odoo computes:
posted journal items of mops's expense products (``mops.expense_<category>_<item>``) grouped
by product and month, tax included (``price_total``), with ``read_group`` on 17 and 18 and
``formatted_read_group`` on 19 (where ``read_group`` is deprecated). The same spend split by
campaign comes from the analytic lines Odoo writes when it posts them: summed per campaign
account (the column of the plan ``mops.analytic_plan_campaigns`` on ``account.analytic.line``,
``x_plan<id>_id`` on 17 and 19, ``account_id`` were it the project plan), product and month,
in pages of groups. A database without the ``x_mops_key`` fields (setup not run) is read
without them: nothing then matches by key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from mops.errors import OdooServerError
from mops.odoo.client import OdooClient
from mops.reconciling.model import OdooSide
from mops.schemas.enums import EXPENSE_CATEGORY

PAGE = 2000
POOL = 4  # calls in flight at once, at most
KEY = "x_mops_key"
ORDER_FIELDS = ("name", "amount_untaxed", "amount_total", "state", "client_order_ref")
INVOICE_FIELDS = (
    "name", "ref", "move_type", "state", "payment_state", "invoice_origin", "amount_untaxed",
    "amount_total", "amount_residual", "invoice_date", "invoice_date_due",
)  # fmt: skip
EXPENSE_FIELDS = ("name", "total_amount", "state", "date", "employee_id")
ALL = {"active_test": False}
ANALYTIC = "account.analytic.line"
CAMPAIGN_PLAN = "analytic_plan_campaigns"
CAMPAIGN_KEY = "campaign_account:"


def read_all(
    client: OdooClient, model: str, domain: Sequence, fields: Sequence[str], *, page: int = PAGE
) -> list[dict[str, Any]]:
    """Every record matching ``domain`` with ``fields`` (many2one as bare ids), paged by id."""
    records: list[dict[str, Any]] = []
    last = 0
    while True:
        batch = client.call(
            model,
            "search_read",
            [*[t if isinstance(t, str) else list(t) for t in domain], ["id", ">", last]],
            fields=list(fields),
            limit=page,
            order="id",
            load="",
            context=ALL,
        )
        records.extend(batch)
        if len(batch) < page:
            return records
        last = batch[-1]["id"]


def grouped_sums(
    client: OdooClient,
    model: str,
    domain: Sequence,
    groupby: Sequence[str],
    aggregates: Sequence[str],
    *,
    page: int | None = None,
) -> list[dict[str, Any]]:
    """Odoo's sums per group: one dict a group, a many2one as its id, a ``date:month`` as the
    first day of the month (a ``date``), each aggregate ``"field:sum"`` under its field name;
    with ``page``, asked ``page`` groups a call."""
    version = tuple(getattr(client, "version_info", ()) or ())
    rows: list[dict[str, Any]] = []
    offset = 0
    while True:
        more = {"offset": offset, "limit": page} if page else {}
        if version >= (19,):
            batch = client.call(
                model, "formatted_read_group", list(domain), list(groupby), list(aggregates),
                **more,
            )  # fmt: skip
        else:
            batch = client.call(
                model, "read_group", list(domain), list(aggregates), list(groupby), lazy=False,
                **more,
            )  # fmt: skip
        rows.extend(batch)
        if not page or len(batch) < page:
            break
        offset += page
    out = []
    for row in rows:
        group: dict[str, Any] = {}
        for spec in groupby:
            value = row.get(spec)
            if ":" in spec:
                start = None
                if isinstance(value, list) and value:  # 19: [start, label]
                    start = value[0]
                elif isinstance(row.get("__range"), dict) and row["__range"].get(spec):
                    start = row["__range"][spec]["from"]  # 17: the period's bounds
                group[spec.partition(":")[0]] = dt.date.fromisoformat(start[:10]) if start else None
            elif isinstance(value, list | tuple):
                group[spec] = value[0] if value else None
            else:
                group[spec] = value if value is not False else None
        for spec in aggregates:
            field = spec.partition(":")[0]
            group[field] = row.get(spec, row.get(field)) or 0
        out.append(group)
    return out


def keyed_read(
    client: OdooClient,
    model: str,
    domain: Sequence,
    fields: Sequence[str],
    *,
    page: int = PAGE,
    all_records: bool = False,
) -> list[dict[str, Any]]:
    """``read_all`` with the key field; a database without it (setup not run) has no keyed
    records: none, or with ``all_records`` every record of ``domain`` read without the key."""
    try:
        return read_all(client, model, domain, [KEY, *fields], page=page)
    except OdooServerError as exc:
        if KEY not in str(exc):
            raise
    if not all_records:
        return []
    plain = [t for t in domain if not (isinstance(t, list | tuple) and t and t[0] == KEY)]
    return read_all(client, model, plain, fields, page=page)


def expense_products(client: OdooClient) -> dict[int, tuple[str, str]]:
    """mops's expense products: product id → (category, item), from their external ids."""
    return _mops_records(client)[0]


def _mops_records(client: OdooClient) -> tuple[dict[int, tuple[str, str]], int | None]:
    """The expense products (as ``expense_products``) and the campaigns plan's id, in one read."""
    rows = read_all(
        client,
        "ir.model.data",
        [
            ["module", "=", "mops"],
            "|",
            "&",
            ["model", "=", "product.product"],
            ["name", "=like", "expense_%"],
            "&",
            ["model", "=", "account.analytic.plan"],
            ["name", "=", CAMPAIGN_PLAN],
        ],
        ["name", "model", "res_id"],
    )
    plan = next((int(r["res_id"]) for r in rows if r["model"] == "account.analytic.plan"), None)
    categories = sorted((o.key for o in EXPENSE_CATEGORY.options), key=len, reverse=True)
    out: dict[int, tuple[str, str]] = {}
    for row in rows:
        if row["model"] != "product.product":
            continue
        rest = str(row["name"])[len("expense_") :]
        for category in categories:
            if rest.startswith(category + "_"):
                out[int(row["res_id"])] = (category, rest[len(category) + 1 :])
                break
    return out, plan


def campaign_sums(
    client: OdooClient, plan: int, products: Sequence[int], *, page: int = PAGE
) -> tuple[str, list[dict[str, Any]]]:
    """The analytic lines of ``products`` summed per account of root plan ``plan``, product and
    month, and the column the accounts are in: Odoo gives every root plan but the project plan
    a column ``x_plan<id>_id``; the project plan's is ``account_id`` (asked only when the first
    is refused as no such field)."""
    column = f"x_plan{plan}_id"
    groups = [column, "product_id", "date:month"]
    domain = [["product_id", "in", sorted(products)]]
    try:
        return column, grouped_sums(client, ANALYTIC, domain, groups, ["amount:sum"], page=page)
    except OdooServerError as exc:
        if f"'{column}'" not in str(exc):
            raise
    groups[0] = "account_id"
    return "account_id", grouped_sums(client, ANALYTIC, domain, groups, ["amount:sum"], page=page)


def company_currency(client: OdooClient) -> tuple[str, int]:
    """The company currency's code and decimal places (TWD: 0), in two calls."""
    # res.users.currency_id is the user's company's currency (a related field).
    user = client.call("res.users", "read", [client.uid], ["currency_id"], load="")[0]
    currency = client.call(
        "res.currency", "read", [user["currency_id"]], ["name", "decimal_places"], load=""
    )[0]
    return str(currency["name"]), int(currency["decimal_places"])


def read_finance(client: OdooClient, kind: str = "all", *, page: int = PAGE) -> OdooSide:
    """The Odoo side a reconciliation of ``kind`` needs (claims, contracts, budget or all).

    The reads go at once, in a pool of at most four (Odoo's server is threaded): the currency,
    the expense products and campaigns plan, the orders, invoices and expenses, the campaign
    accounts, then the budget sums by product and the campaigns' by account; each paged read
    stays in order.
    """
    budget = kind in ("budget", "all")
    with ThreadPoolExecutor(max_workers=POOL) as pool:
        currency = pool.submit(company_currency, client)
        mops_f = pool.submit(_mops_records, client) if budget else None
        jobs = {}
        if kind in ("contracts", "all"):
            jobs["orders"] = pool.submit(
                keyed_read, client, "sale.order", [[KEY, "=like", "contract:%"]], ORDER_FIELDS,
                page=page,
            )  # fmt: skip
            jobs["invoices"] = pool.submit(
                keyed_read, client, "account.move",
                [["move_type", "in", ["out_invoice", "out_refund"]]], INVOICE_FIELDS,
                page=page, all_records=True,
            )  # fmt: skip
        if kind in ("claims", "all"):
            jobs["expenses"] = pool.submit(
                keyed_read, client, "hr.expense", [[KEY, "=like", "claim:%"]], EXPENSE_FIELDS,
                page=page,
            )  # fmt: skip
        if budget:
            jobs["accounts"] = pool.submit(
                keyed_read, client, "account.analytic.account",
                [[KEY, "=like", CAMPAIGN_KEY + "%"]], ("name",), page=page,
            )  # fmt: skip
        products, plan = mops_f.result() if mops_f else ({}, None)
        if products:
            jobs["sums"] = pool.submit(
                grouped_sums, client, "account.move.line",
                [["parent_state", "=", "posted"], ["display_type", "=", "product"],
                 ["product_id", "in", sorted(products)]],
                ["product_id", "date:month"], ["price_total:sum", "price_subtotal:sum"],
            )  # fmt: skip
        if products and plan:
            jobs["analytic"] = pool.submit(campaign_sums, client, plan, products, page=page)
        code, decimals = currency.result()
        done = {name: job.result() for name, job in jobs.items()}
    column, analytic = done.get("analytic", (None, []))
    side = OdooSide(currency=code, decimals=decimals)
    side.orders = done.get("orders", [])
    side.invoices = done.get("invoices", [])
    side.expenses = done.get("expenses", [])
    taxed: dict[tuple, tuple[Decimal, Decimal]] = {}
    for group in done.get("sums", []):
        category_item = products.get(group["product_id"])
        month = group.get("date")
        if category_item is None or month is None:
            continue
        taxed[(group["product_id"], month)] = (
            Decimal(str(group["price_total"])),
            Decimal(str(group.get("price_subtotal") or 0)),
        )
        side.actuals.append(
            {
                "category": category_item[0],
                "item": category_item[1],
                "year": month.year,
                "month": month.month,
                "amount": str(group["price_total"]),
            }
        )
    campaigns = {
        r["id"]: str(r.get(KEY) or "")[len(CAMPAIGN_KEY) :] or None
        for r in done.get("accounts", [])
    }
    step = Decimal(1).scaleb(-decimals)
    for group in analytic:
        category_item = products.get(group["product_id"])
        month = group.get("date")
        if category_item is None or month is None:
            continue
        account = group.get(column)
        # Odoo books a cost as a negative amount, before the recoverable tax: the spend is its
        # opposite, brought to tax included as the product's posted items of that month carry it.
        booked = -Decimal(str(group["amount"]))
        total, subtotal = taxed.get((group["product_id"], month), (Decimal(1), Decimal(1)))
        amount = booked * total / subtotal if subtotal else booked
        side.campaign_actuals.append(
            {
                "campaign": campaigns.get(account),
                "account": account,
                "category": category_item[0],
                "item": category_item[1],
                "year": month.year,
                "month": month.month,
                "booked": str(booked.quantize(step, ROUND_HALF_UP)),
                "amount": str(amount.quantize(step, ROUND_HALF_UP)),
            }
        )
    return side
