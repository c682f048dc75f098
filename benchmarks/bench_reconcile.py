"""Reconciliation speed: reading Odoo's finance side for the whole demo year, against a bare
``search_read`` of the same records in the same run.

On the test server (as 17, then as 19) the demo year's books are mirrored first, as the
reconciliation tests do (tests/reconcile/books.py): ~300 sale orders, ~600 invoices, ~1,950
expenses, 40 campaign analytic accounts, a posted journal entry a month with the expense
products' spend (a campaign's on its analytic account, so posting writes analytic lines). Then,
in interleaved rounds, the fastest of each:

* bare: one ``search_read`` a model, no paging, the same domains and fields (orders, invoices,
  expenses, the journal items the budget sums are made of, the campaign accounts and the
  analytic lines the campaign sums are made of);
* reads: what ``mops reconcile`` asks Odoo (``mops.odoo.finance_reads.read_finance``): the
  currency, the key fields, the same records paged by id, the budget as one grouped sum, the
  campaigns' as grouped sums in pages, the independent reads at once in a pool of four;
* whole: ``mops reconcile all`` end to end on the demo workbooks (reading and typing the
  workbooks, reading Odoo, classifying, keeping the snapshot), for scale.

Target (issue 11): reads ≤ 1.5 × bare; RPC calls grow with pages, not rows.

    python benchmarks/bench_reconcile.py                  # the test server as 17 and as 19
    ODOO_URL=… ODOO_DB=… ODOO_USER=… ODOO_PASSWORD=… python benchmarks/bench_reconcile.py --live
    ODOO19_URL=… ODOO19_DB=… ODOO19_USER=… ODOO19_API_KEY=… \\
        python benchmarks/bench_reconcile.py --live19

Against a real Odoo the database is read as it is (nothing is created): the figures then say
how many records it held.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from mops.config import load_config  # noqa: E402
from mops.demodata import generate_demo, write_demo  # noqa: E402
from mops.odoo.client import JsonRpcClient  # noqa: E402
from mops.odoo.finance_reads import (  # noqa: E402
    ANALYTIC,
    CAMPAIGN_KEY,
    EXPENSE_FIELDS,
    INVOICE_FIELDS,
    KEY,
    ORDER_FIELDS,
    PAGE,
    _mops_records,
    read_finance,
)
from mops.odoo.json2 import Json2Client  # noqa: E402
from mops.odoo.settings import OdooSettings  # noqa: E402
from mops.reconciling.run import reconcile_paths  # noqa: E402

AS_OF = dt.date(2026, 11, 26)
ROUNDS = 5


def bare_reads(client) -> tuple[list[tuple], dict]:
    """The same records and fields as reconcile reads: (model, domain, fields, wanted), context."""
    keyed = {
        m: KEY in client.call(m, "fields_get", [KEY], attributes=["type"])
        for m in ("sale.order", "account.move", "hr.expense")
    }
    products, plan = _mops_records(client)
    products = sorted(products)
    fields = client.call(ANALYTIC, "fields_get", attributes=["type"])
    column = next((c for c in (f"x_plan{plan}_id", "account_id") if c in fields), None)
    column = column if plan else None
    context = {"active_test": False}
    reads = [
        ("sale.order", [[KEY, "=like", "contract:%"]], [KEY, *ORDER_FIELDS], keyed["sale.order"]),
        (
            "account.move",
            [["move_type", "in", ["out_invoice", "out_refund"]]],
            [*([KEY] if keyed["account.move"] else []), *INVOICE_FIELDS],
            True,
        ),
        ("hr.expense", [[KEY, "=like", "claim:%"]], [KEY, *EXPENSE_FIELDS], keyed["hr.expense"]),
        (
            "account.move.line",
            [["parent_state", "=", "posted"], ["display_type", "=", "product"],
             ["product_id", "in", products]],
            ["product_id", "date", "price_total", "price_subtotal"],
            bool(products),
        ),
        ("account.analytic.account", [[KEY, "=like", CAMPAIGN_KEY + "%"]], [KEY, "name"],
         bool(column)),
        (ANALYTIC, [["product_id", "in", products]], [column, "product_id", "date", "amount"],
         bool(products and column)),
    ]  # fmt: skip
    return reads, context


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def run(client, folder: Path | None, label: str) -> dict[str, Any]:
    """Interleaved rounds of bare, reads and whole; the fastest of each."""
    reads, context = bare_reads(client)

    def bare_round() -> int:
        n = 0
        for model, domain, fields, wanted in reads:
            if wanted:
                n += len(
                    client.call(
                        model, "search_read", domain, fields=fields, load="", context=context
                    )
                )
        return n

    best = {"bare": float("inf"), "reads": float("inf"), "whole": float("inf")}
    records = calls = pages = 0
    side = None
    for _ in range(ROUNDS):
        seconds, records = timed(bare_round)
        best["bare"] = min(best["bare"], seconds)
        before = client.calls
        seconds, side = timed(lambda: read_finance(client, "all"))
        best["reads"] = min(best["reads"], seconds)
        calls = client.calls - before
        if folder is not None:
            seconds, _ = timed(
                lambda: reconcile_paths("all", [folder], load_config(), as_of=AS_OF, client=client)
            )
            best["whole"] = min(best["whole"], seconds)
    for rows in (side.orders, side.invoices, side.expenses):
        pages += len(rows) // PAGE + 1
    ratio = best["reads"] / best["bare"]
    print(f"\n{label}")
    print(
        f"  records: {len(side.orders)} orders, {len(side.invoices)} invoices, "
        f"{len(side.expenses)} expenses, {len(side.actuals)} budget sums, "
        f"{len(side.campaign_actuals)} campaign sums "
        f"({records} records by bare search_read)"
    )
    print(f"  bare search_read   {best['bare']:.3f} s")
    print(f"  reconcile's reads  {best['reads']:.3f} s   ratio {ratio:.2f} (target ≤ 1.5)")
    if folder is not None:
        print(f"  whole reconcile    {best['whole']:.3f} s   (workbooks read and typed too)")
    print(
        f"  RPC calls: {calls} for {pages} pages of {PAGE} (+ currency 2, products, budget sums,"
        " campaign accounts, pages of campaign sums)"
    )
    return {"ratio": ratio, "calls": calls, **best}


def test_server(version: str, folder: Path) -> None:
    from reconcile.books import mirror

    from odoo_server.server import OdooTestServer

    demo = generate_demo()
    with OdooTestServer(version=version) as server:
        settings = OdooSettings(
            url=server.url, database=server.database, login="admin", timeout_seconds=120
        )
        client = (
            Json2Client(settings, server.api_key)
            if version.startswith("19")
            else JsonRpcClient(settings, "admin")
        )
        with server.paused():
            mirror(client, demo, version)
        run(client, folder, f"test server as Odoo {version} ({client.protocol})")


def live(url: str, database: str, login: str, secret: str, folder: Path, label: str) -> None:
    from mops.odoo.connect import connect

    settings = OdooSettings(
        url=url.rstrip("/"), database=database, login=login, timeout_seconds=120
    )
    client = connect(settings, secret)
    run(client, folder, f"{label} at {url} (Odoo {client.server_version}, {client.protocol})")


def main() -> int:
    """Against the test server as 17 and 19; --live / --live19 against real servers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--live", action="store_true", help="also ODOO_URL … (a real Odoo 17)")
    parser.add_argument("--live19", action="store_true", help="also ODOO19_URL … (a real 19)")
    parser.add_argument("--no-test-server", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "demo"
        write_demo(folder)
        if not args.no_test_server:
            for version in ("17.0", "19.0"):
                test_server(version, folder)
        if args.live:
            env = [
                os.environ.get(v, "") for v in ("ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_PASSWORD")
            ]
            live(*env, folder, "real Odoo 17")
        if args.live19:
            env = [
                os.environ.get(v, "")
                for v in ("ODOO19_URL", "ODOO19_DB", "ODOO19_USER", "ODOO19_API_KEY")
            ]
            live(*env, folder, "real Odoo 19")
    return 0


if __name__ == "__main__":
    sys.exit(main())
