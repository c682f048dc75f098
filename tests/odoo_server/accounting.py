"""Accounting as a Taiwanese firm's database has it: the company in TWD with the Taiwan chart.

``chart_tw17.json`` and ``chart_tw19.json`` hold what the real Odoo 17 and 19 databases show
after installing ``l10n_tw`` and loading its chart on company 1 (read over RPC, see
``models/INDEX.md``): the currencies and countries, the company's accounting settings, the chart's
accounts, tax groups, taxes with their repartition lines, journals, payment terms and product
categories, each with the id and the external id it has there. ``seed_chart`` puts them into a
fresh store with the same ids, so a test sees what a real database answers.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from .hooks import computed, defaults

HERE = Path(__file__).parent
CHART_FILES = {"17.0": HERE / "chart_tw17.json", "19.0": HERE / "chart_tw19.json"}
# Company fields the chart sets, as the capture shows them (ids of the records seeded here).
COMPANY_FIELDS = (
    "currency_id", "country_id", "account_fiscal_country_id", "chart_template",
    "account_sale_tax_id", "account_purchase_tax_id", "tax_calculation_rounding_method",
    "currency_exchange_journal_id", "tax_cash_basis_journal_id",
    "account_journal_suspense_account_id", "expense_account_id",
)  # fmt: skip
# The captured rows are seeded in this order, each table after the ones it points at.
TABLES = (
    ("accounts", "account.account"),
    ("tax_groups", "account.tax.group"),
    ("taxes", "account.tax"),
    ("tax_repartition_lines", "account.tax.repartition.line"),
    ("journals", "account.journal"),
    ("payment_terms", "account.payment.term"),
    ("payment_term_lines", "account.payment.term.line"),
    ("product_categories", "product.category"),
)
# Read-only or derived in the capture: set by Odoo, not by whoever creates the record.
NOT_WRITTEN = frozenset({"id", "xmlid", "line_ids", "complete_name"})


@functools.cache
def chart_data(version: str) -> dict:
    """The captured Taiwan chart of ``version`` (parsed once per process; never mutate it)."""
    return json.loads(CHART_FILES[version].read_text(encoding="utf-8"))


def _xmlid(store, xmlid: str | None, model: str, res_id: int) -> None:
    if not xmlid:
        return
    module, name = xmlid.split(".", 1)
    store.insert(
        "ir.model.data",
        {"module": module, "name": name, "model": model, "res_id": res_id, "noupdate": True},
    )


def _insert(store, model: str, row: dict, extra: dict | None = None) -> int | None:
    """Create one captured row with its captured id and external id."""
    if model not in store.schemas:
        return None  # its module is not installed
    fields = store.schemas[model].fields
    vals = {k: v for k, v in row.items() if k in fields and k not in NOT_WRITTEN and v is not None}
    if model == "account.tax" and store.version != "17.0":
        vals.pop("price_include", None)  # computed on 19, from price_include_override
    if model == "account.account" and "company_ids" in fields:
        vals["company_ids"] = [[6, 0, [1]]]
    vals.update(extra or {})
    store.next_ids[model] = max(store.next_ids[model], row["id"])
    if store.next_ids[model] != row["id"]:
        raise ValueError(f"{model} {row['id']}: ids must be seeded in increasing order")
    rid = store.create(model, [vals])[0]
    _xmlid(store, row.get("xmlid"), model, rid)
    return rid


def seed_currencies(store, version: str) -> dict[str, int]:
    """USD and TWD (their captured ids, decimals and rounding), and the two countries."""
    data = chart_data(version)
    ids = {}
    for row in sorted(data["currencies"], key=lambda r: r["id"]):
        ids[row["name"]] = _insert(store, "res.currency", row)
    for row in sorted(data["countries"], key=lambda r: r["id"]):
        _insert(store, "res.country", row)
    return ids


def seed_chart(store, version: str) -> None:
    """The Taiwan chart on company 1: accounts, taxes, journals, payment terms, categories."""
    data = chart_data(version)
    for key, model in TABLES:
        for row in sorted(data[key], key=lambda r: r["id"]):
            extra = {"company_id": 1} if "company_id" in store.schemas[model].fields else {}
            _insert(store, model, row, extra)
    company = data["company"]
    fields = store.schemas["res.company"].fields
    values = {k: company[k] for k in COMPANY_FIELDS if k in company and k in fields}
    store.write("res.company", [1], {k: v for k, v in values.items() if v is not None})
    partner = store.record("res.company", 1).get("partner_id")
    if partner:
        store.write("res.partner", [partner], {"country_id": company["country_id"]})


# -- behaviour -------------------------------------------------------------------------------

defaults(
    "account.tax",
    amount_type="percent",
    type_tax_use="sale",
    sequence=1,
    amount=0.0,
    active=True,
    company_id=1,
    tax_exigibility="on_invoice",
    country_id=lambda store, vals: (store.record("res.company", 1) or {}).get(
        "account_fiscal_country_id"
    ),
)
defaults("account.tax.group", company_id=1, sequence=10)
defaults("account.tax.repartition.line", factor_percent=100.0, repartition_type="tax", sequence=1)
defaults("account.payment.term", sequence=10, active=True, display_on_invoice=True)
defaults("account.payment.term.line", value="percent", delay_type="days_after", nb_days=0)


@computed("account.tax", "price_include")
def _price_include(store, rec):
    # Odoo 17 stores the flag; 19 computes it from the override and the company's default.
    if "price_include_override" not in store.schemas["account.tax"].fields:
        return bool(rec.get("price_include"))
    override = rec.get("price_include_override")
    if override:
        return override == "tax_included"
    company = store.record("res.company", rec.get("company_id") or 1) or {}
    return company.get("account_price_include") == "tax_included"


@computed("product.category", "complete_name")
def _category_complete_name(store, rec):
    names, seen = [], set()
    while rec is not None and rec["id"] not in seen:
        seen.add(rec["id"])
        names.append(rec.get("name") or "")
        rec = store.tables["product.category"].get(rec.get("parent_id"))
    return " / ".join(reversed(names))
