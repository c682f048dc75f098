"""Every planted finance mistake of the demo lands in its class, against Odoo 17 and 19."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest

from mops.config import load_config
from mops.odoo.client import JsonRpcClient
from mops.odoo.json2 import Json2Client
from mops.odoo.settings import OdooSettings
from mops.reconciling.model import LineClass
from mops.reconciling.run import reconcile_paths
from mops.syncing import snapshots

from .books import mirror
from .conftest import AS_OF


def _client(server):
    settings = OdooSettings(
        url=server.url, database=server.database, login="admin", timeout_seconds=60
    )
    if server.version.startswith("19"):
        return Json2Client(settings, server.api_key, sleep=lambda s: None)
    return JsonRpcClient(settings, "admin", sleep=lambda s: None)


def _where(line):
    return (line.cls.value, line.ref.sheet if line.ref else None, line.key)


@pytest.mark.slow
def test_every_planted_mistake_is_found_in_its_class(odoo_any_server, demo, books, demo_folder):
    shutil.copy(demo_folder / "marketing-plan.xlsx", books)  # the campaign budget
    client = _client(odoo_any_server)
    with odoo_any_server.paused():
        mirror(client, demo, odoo_any_server.version)
    result = reconcile_paths("all", [books], load_config(), as_of=AS_OF, client=client)
    found = {_where(line) for line in result.lines}
    for plant in demo.finance:
        sheet = None if plant.cls == "odoo_only" else plant.sheet
        assert (plant.cls, sheet, plant.key) in found, plant
    # Nothing else needs a person: every other line agrees with the books.
    planted = {(p.cls, p.key) for p in demo.finance}
    stray = [
        (line.cls.value, line.key)
        for line in result.lines
        if not line.cls.ok and (line.cls.value, line.key) not in planted
    ]
    assert stray == []
    totals = result.totals
    assert totals["matched"] > 2000 and result.exit_code == 1
    # Every campaign's budget of a month is judged on its analytic account's spend.
    campaign = [line for line in result.lines if line.detail.get("what") == "campaign"]
    assert len(campaign) > 100 and {line.detail["basis"] for line in campaign} == {"analytic"}
    # An overdue receivable carries its age bucket as of the day asked.
    overdue = [line for line in result.lines if line.cls is LineClass.OVERDUE]
    assert sorted(line.detail["bucket"] for line in overdue) == ["31-60", "61-90", "90+"]
    # Amounts agree to the dollar on every matched line.
    assert all(
        line.workbook_amount == line.odoo_amount
        for line in result.lines
        if line.cls is LineClass.MATCHED and line.odoo_amount is not None
    )


@pytest.mark.slow
def test_reads_grow_with_pages_not_rows_and_a_snapshot_is_kept(odoo_any_server, demo, books):
    client = _client(odoo_any_server)
    with odoo_any_server.paused():
        made = mirror(client, demo, odoo_any_server.version)
    result = reconcile_paths("all", [books], load_config(), as_of=AS_OF, client=client)
    # currency (3 reads), 3 fields_get, orders, invoices, expenses (one page each: < 2,000
    # records), the expense products' external ids, one grouped sum; for the campaigns the
    # campaign accounts and one page of grouped analytic sums.
    assert result.rpc_calls <= 14, result.rpc_calls
    snap = snapshots.load(books / ".mops-sync.sqlite", "finance")
    assert snap is not None and snap.source["version"] == odoo_any_server.version
    assert sorted(e["id"] for e in snap.data["expenses"]) == sorted(made["expenses"])
    assert sorted(i["id"] for i in snap.data["invoices"]) == sorted(made["invoices"])
    assert {a["category"] for a in snap.data["actuals"]} == {"promotion", "sales", "service"}
    # The campaigns' spend adds up to what the claims on campaigns claimed.
    on_campaigns = sum(
        r["amount"] for r in demo.sheet_rows("claims")
        if r["campaign_id"] and r["approval"] != "rejected"
    )  # fmt: skip
    planted = sum(Decimal(a["amount"]) for a in snap.data["campaign_actuals"])
    assert planted > on_campaigns and all(a["campaign"] for a in snap.data["campaign_actuals"])
    # Offline, the snapshot gives the same classes without asking Odoo.
    offline = reconcile_paths("all", [books], load_config(), as_of=AS_OF, offline=True)
    assert offline.totals == result.totals and offline.odoo["offline"] is True
