"""The test server's Taiwanese accounting base answers as the real Odoo 17 and 19 do.

Each test reads the same facts from the test server as 17 and as 19 and, marked odoo_live, from
the real Odoo 17 and 19 (ODOO_URL … and ODOO19_URL …, skipped when not set): the company's
currency, country and chart, the chart's taxes, journals and payment terms by external id.
"""

from __future__ import annotations

import os

import pytest

from mops.odoo.connect import connect
from mops.odoo.settings import OdooSettings

from odoo_server import OdooTestServer
from odoo_server.fixture import LIVE19_ENV, LIVE_ENV

TARGETS = [
    pytest.param(("17.0", "test"), id="test17"),
    pytest.param(("19.0", "test"), id="test19"),
    pytest.param(("17.0", "live"), id="live17", marks=pytest.mark.odoo_live),
    pytest.param(("19.0", "live"), id="live19", marks=pytest.mark.odoo_live),
]


@pytest.fixture(params=TARGETS)
def client(request):
    """A logged-in mops client of the test server or of the real Odoo of that version."""
    version, kind = request.param
    if kind == "test":
        with OdooTestServer(version=version) as server:
            settings = OdooSettings(url=server.url, database=server.database, login="admin")
            yield connect(settings, server.api_key if server.json2 else "admin")
        return
    names = LIVE_ENV if version == "17.0" else LIVE19_ENV
    missing = [name for name in names if not os.environ.get(name)]
    if missing:
        pytest.skip(f"a real Odoo {version} needs {', '.join(missing)}")
    url, database, login, secret = (os.environ[name] for name in names)
    yield connect(OdooSettings(url=url.rstrip("/"), database=database, login=login), secret)


def xmlid(client, model: str, res_id: int) -> str:
    """The first external id of a record, module.name."""
    rows = client.call(
        "ir.model.data",
        "search_read",
        [["model", "=", model], ["res_id", "=", res_id]],
        fields=["module", "name"],
        order="id",
        limit=1,
    )
    return f"{rows[0]['module']}.{rows[0]['name']}" if rows else ""


def test_the_company_keeps_its_books_in_twd_with_the_taiwan_chart(client):
    company = client.call(
        "res.company",
        "read",
        [1],
        ["currency_id", "country_id", "account_fiscal_country_id", "chart_template"],
    )[0]
    assert company["currency_id"][1] == "TWD"
    assert company["country_id"][1] == company["account_fiscal_country_id"][1] == "Taiwan"
    assert company["chart_template"] == "tw"
    currency = client.call(
        "res.currency", "read", [company["currency_id"][0]], ["decimal_places", "rounding"]
    )[0]
    assert (currency["decimal_places"], currency["rounding"]) == (0, 1.0)
    modules = client.call(
        "ir.module.module",
        "search_read",
        [["name", "in", ["l10n_tw", "account", "sale_management", "hr_expense"]]],
        fields=["name", "state"],
    )
    assert {m["name"]: m["state"] for m in modules} == dict.fromkeys(
        ["l10n_tw", "account", "sale_management", "hr_expense"], "installed"
    )


def test_the_chart_has_the_5_percent_taxes_named_as_odoo_names_them(client):
    fields = ["name", "amount", "amount_type", "type_tax_use", "price_include"]
    taxes = client.call(
        "account.tax", "search_read", [["company_id", "=", 1]], fields=fields, order="id"
    )
    by_xmlid = {xmlid(client, "account.tax", t["id"]): t for t in taxes}
    if client.server_version.startswith("17"):
        assert len(taxes) == 4
        expected = {
            "account.1_tw_tax_sale_5": ("5%", "sale", False),
            "account.1_tw_tax_sale_inc_5": ("5% INC", "sale", True),
            "account.1_tw_tax_purchase_5": ("5%", "purchase", False),
            "account.1_tw_tax_purchase_inc_5": ("5% INC", "purchase", True),
        }
    else:
        assert len(taxes) == 30  # the active ones; 39 more are archived
        expected = {
            "account.1_l10n_tw_tax_sale_5_tr_vat": ("5% TR VAT", "sale", False),
            "account.1_l10n_tw_tax_purchase_5_vat_pc_uid": ("5% VAT PC UID", "purchase", False),
            "account.1_l10n_tw_tax_sale_2_gbrt": ("2% GBRT", "sale", False),
        }
        assert not any(t["price_include"] for t in taxes)  # none included: see INDEX.md
    for name, (label, use, included) in expected.items():
        tax = by_xmlid[name]
        assert (tax["name"], tax["type_tax_use"], tax["price_include"]) == (label, use, included)
        assert tax["amount_type"] == "percent"
    assert sum(t["amount"] == 5.0 for t in taxes) >= 4


def test_the_chart_journals_and_the_30_days_payment_term(client):
    journals = client.call(
        "account.journal", "search_read", [["company_id", "=", 1]], fields=["code", "type"]
    )
    by_code = {j["code"]: j for j in journals}
    assert {"INV", "BILL", "MISC", "BNK1", "CSH1"} <= set(by_code)
    assert xmlid(client, "account.journal", by_code["INV"]["id"]) == "account.1_sale"
    assert xmlid(client, "account.journal", by_code["BNK1"]["id"]) == "account.1_bank"
    assert (by_code["INV"]["type"], by_code["BNK1"]["type"]) == ("sale", "bank")
    term = client.call(
        "ir.model.data",
        "search_read",
        [["module", "=", "account"], ["name", "=", "account_payment_term_30days"]],
        fields=["res_id"],
    )[0]["res_id"]
    lines = client.call(
        "account.payment.term.line",
        "search_read",
        [["payment_id", "=", term]],
        fields=["value", "value_amount", "nb_days", "delay_type"],
    )
    assert [(x["value"], x["value_amount"], x["nb_days"], x["delay_type"]) for x in lines] == [
        ("percent", 100.0, 30, "days_after")
    ]
