"""The reports show the Odoo figures the last reconciliation pulled, and say how old they are."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from mops import api

from .books import mirror
from .conftest import AS_OF
from .test_reconcile_odoo import _client


def _page(run, name: str) -> str:
    (item,) = [f for f in run.files if f.name == name]
    return html.unescape(item.path.read_text(encoding="utf-8"))


def test_without_a_reconciliation_the_reports_say_no_odoo_figures_were_pulled(books):
    run = api.report(["contracts", "expenses"], books, as_of=AS_OF, lang="en")
    for name in ("contracts", "expenses"):
        assert "No Odoo figures have been pulled yet" in _page(run, name)


@pytest.mark.slow
def test_a_reconciliation_then_the_reports_show_its_odoo_figures_and_their_age(
    odoo_server, demo, books, monkeypatch
):
    with odoo_server.paused():
        mirror(_client(odoo_server), demo, odoo_server.version)
    config = api.load_config(
        environ={
            "MOPS_ODOO_URL": odoo_server.url, "MOPS_ODOO_DATABASE": odoo_server.database,
            "MOPS_ODOO_LOGIN": "admin", "MOPS_ODOO_PASSWORD": "admin",
        }
    )  # fmt: skip
    monkeypatch.setenv("MOPS_ODOO_PASSWORD", "admin")
    api.reconcile("all", books, as_of=AS_OF, config=config)
    pulled = dt.datetime.now(dt.UTC)
    later = pulled.date() + dt.timedelta(days=3)
    run = api.report(["contracts", "expenses"], books, as_of=later, lang="en")
    days = 3
    for name in ("contracts", "expenses"):
        page = _page(run, name)
        assert "No Odoo figures have been pulled yet" not in page
        assert f"Odoo figures from {odoo_server.url} (database {odoo_server.database}" in page
        assert f"pulled {pulled:%Y-%m-%d}" in page and f"{days} days before the as-of date" in page
