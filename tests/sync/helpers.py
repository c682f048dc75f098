"""Helpers of the sync tests: provision an Odoo, write demo workbooks, read back what mops owns."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from live_lock import live_odoo
from mops.config import Config, load_config
from mops.odoo.client import JsonRpcClient
from mops.odoo.provision import apply_setup, load_spec, plan_setup
from mops.odoo.settings import OdooSettings
from mops.schemas.registry import workbook
from mops.syncing.remote import read_all
from mops.workbook.writer import write_workbook

LIVE_VARS = ("ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_PASSWORD")
# Record types mops owns: key prefix, model, the field holding the key and how it is written.
OWNED = (
    ("customer", "res.partner", "x_mops_key", "{key}"),
    ("contact", "res.partner", "x_mops_key", "{key}"),
    ("opportunity", "crm.lead", "x_mops_key", "{key}"),
    ("campaign", "utm.campaign", "x_mops_key", "{key}"),
    ("campaign_account", "account.analytic.account", "x_mops_key", "{key}"),
    ("ticket", "project.task", "x_mops_key", "{key}"),
    ("followup", "mail.message", "message_id", "<{key}@mops>"),
    ("next", "mail.activity", "x_mops_key", "{key}"),
    ("employee", "hr.employee", "x_mops_key", "{key}"),
    ("contract", "sale.order", "x_mops_key", "{key}"),
    ("instalment", "account.move", "x_mops_key", "{key}"),
    ("claim", "hr.expense", "x_mops_key", "{key}"),
)
COMPARED = {
    "res.partner": [
        "name", "vat", "phone", "email", "street", "industry_id", "user_id", "category_id",
        "x_mops_company_size", "x_mops_channel", "x_mops_status", "x_mops_region",
        "x_mops_business_needs", "x_mops_budget", "is_company", "parent_id", "function", "active",
    ],
    "crm.lead": [
        "name", "partner_id", "user_id", "team_id", "expected_revenue", "probability",
        "date_deadline", "source_id", "x_mops_service_line", "stage_id", "active", "type",
        "campaign_id",
    ],
    "utm.campaign": ["title", "user_id", "stage_id"],
    "account.analytic.account": ["name", "code", "plan_id", "x_mops_budget"],
    "project.task": [
        "name", "project_id", "partner_id", "user_ids", "date_deadline", "stage_id",
        "description", "x_mops_ticket_type", "x_mops_channel", "x_mops_priority",
        "x_mops_satisfaction",
    ],
    "mail.message": ["model", "res_id", "body", "author_id", "date", "message_type"],
    "mail.activity": [
        "res_model", "res_id", "activity_type_id", "summary", "date_deadline", "user_id", "active",
    ],
    "hr.employee": ["name", "user_id", "department_id", "parent_id", "departure_date", "active"],
    # Names (S00001, INV/…) come from sequences, which a rolled-back create still advances.
    "sale.order": [
        "partner_id", "client_order_ref", "state", "amount_untaxed", "amount_tax", "amount_total",
        "payment_term_id", "user_id",
    ],
    "hr.expense": [
        "name", "employee_id", "product_id", "total_amount_currency", "tax_amount", "date",
        "description", "analytic_distribution", "state",
    ],
    "account.move": [
        "partner_id", "ref", "state", "amount_untaxed", "amount_tax", "amount_total",
        "invoice_date_due", "invoice_date",
    ],
}  # fmt: skip


def provision(client: JsonRpcClient, roster: Iterable[dict[str, Any]]) -> None:
    """Run mops odoo setup's library calls, and make an Odoo user for everyone on the roster."""
    with live_odoo():
        apply_setup(client, plan_setup(client, load_spec()))
        people = [p for p in roster if p.get("email")]
        logins = [p["email"].lower() for p in people]
        existing = {
            u["login"]
            for u in read_all(client, "res.users", [["login", "in", logins]], ["login"], context={})
        }
        new = [
            {"name": p["name"], "login": p["email"].lower(), "email": p["email"].lower()}
            for p in people
            if p["email"].lower() not in existing
        ]
        if new:
            client.call("res.users", "create", new, context={"no_reset_password": True})


def business_tax(amount: Decimal) -> Decimal:
    """Taiwan's 5 % business tax on an amount before tax, as Odoo computes it in TWD (to the
    dollar, half up)."""
    return (amount * Decimal("0.05")).quantize(Decimal(1), ROUND_HALF_UP)


def settings_for(url: str, database: str, login: str = "admin") -> OdooSettings:
    """Connection settings for a test."""
    return OdooSettings(url=url, database=database, login=login, timeout_seconds=20)


def config_for(settings: OdooSettings, **conflicts: str) -> Config:
    """The default configuration pointing at this Odoo, with conflict policies if given."""
    config = load_config(overrides={"sync": {"conflicts": dict(conflicts)}})
    return config.updated(
        "odoo", url=settings.url, database=settings.database, login=settings.login
    )


def live_settings() -> tuple[OdooSettings, str] | None:
    """The real Odoo of ODOO_URL …, or None when the variables are not all set."""
    if not all(os.environ.get(v) for v in LIVE_VARS):
        return None
    return (
        settings_for(
            os.environ["ODOO_URL"].rstrip("/"), os.environ["ODOO_DB"], os.environ["ODOO_USER"]
        ),
        os.environ["ODOO_PASSWORD"],
    )


def others_for(demo: Any, rows: dict[str, list[dict]], campaigns: int = 6) -> dict[str, dict]:
    """The service tickets of these customers' rows, and the campaigns their opportunities name
    (plus the first few), as the other workbooks of a Books."""
    keep = {r["customer_id"] for r in rows["customers"]}
    named = {r.get("campaign_id") for r in rows["opportunities"]}
    plan = demo.rows["marketing_plan"]["campaigns"]
    chosen = [r for i, r in enumerate(plan) if i < campaigns or r["campaign_id"] in named]
    tickets = [r for r in demo.rows["service"]["tickets"] if r["customer_id"] in keep]
    return {
        "service": {"tickets": copy.deepcopy(tickets)},
        "marketing_plan": {"campaigns": copy.deepcopy(chosen)},
    }


def sales_for(demo: Any, rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The sales workbook of these customers: their contracts and schedules, plus a signed
    contract and one still in legal review borrowed for the first customer, so that orders are
    confirmed and left as quotations, and instalments invoiced and posted."""
    keep = {r["customer_id"] for r in rows["customers"]}
    contracts = [
        copy.deepcopy(r) for r in demo.rows["sales"]["contracts"] if r["customer_id"] in keep
    ]
    for status in ("executing", "legal_review"):
        borrowed = next(r for r in demo.rows["sales"]["contracts"] if r["status"] == status)
        contracts.append(
            dict(copy.deepcopy(borrowed), customer_id=rows["customers"][0]["customer_id"])
        )
    for row in contracts:
        row["opportunity_id"] = None
    ids = {r["contract_id"] for r in contracts}
    schedule = [
        copy.deepcopy(r) for r in demo.rows["sales"]["payment_schedule"] if r["contract_id"] in ids
    ]
    return {"targets": [], "contracts": contracts, "payment_schedule": schedule}


def claims_for(demo: Any, campaigns: list[dict]) -> dict[str, list[dict]]:
    """The expenses workbook: a few claims approved and audited, approved only, and pending,
    one of them on the first of these campaigns."""
    claims: list[dict] = []
    for outcome in (("approved", "passed"), ("approved", "pending"), ("pending", "pending")):
        claims.append(
            copy.deepcopy(
                next(
                    r for r in demo.rows["expenses"]["claims"]
                    if (r["approval"], r["audit"]) == outcome and not r["campaign_id"]
                )
            )
        )  # fmt: skip
    if campaigns:
        claims[0]["campaign_id"] = campaigns[0]["campaign_id"]
    return {"expense_budget": [], "claims": claims}


def subset(rows: dict[str, list[dict]], customers: int | None) -> dict[str, list[dict]]:
    """The customers workbook's rows, cut to the first ``customers`` customers and theirs."""
    if customers is None:
        return copy.deepcopy(rows)
    keep = {r["customer_id"] for r in rows["customers"][:customers]}
    out = {}
    for key, sheet_rows in rows.items():
        if key == "customers":
            out[key] = sheet_rows[:customers]
        else:
            out[key] = [r for r in sheet_rows if r.get("customer_id") in keep]
    # Copied after the cut: copying the whole demo year first took longer than the tests.
    return copy.deepcopy(out)


@dataclass
class Books:
    """Demo workbooks in a folder, rewritten after each change."""

    folder: Path
    rows: dict[str, list[dict]]
    staff: dict[str, list[dict]]
    people: list[str]
    others: dict[str, dict[str, list[dict]]] = field(default_factory=dict)  # workbook → rows

    def write(self) -> list[Path]:
        """Write customers.xlsx, staff.xlsx and the other workbooks; returns their paths."""
        self.folder.mkdir(parents=True, exist_ok=True)
        books = {"customers": self.rows, "staff": self.staff, **self.others}
        for name, rows in books.items():
            write_workbook(workbook(name), self._path(name), rows=rows, people=self.people)
        return self.paths

    def _path(self, name: str) -> Path:
        return self.folder / f"{name}.xlsx"

    @property
    def paths(self) -> list[Path]:
        """The workbook files."""
        return [self._path(name) for name in ("customers", "staff", *self.others)]

    def row(self, sheet: str, key: str) -> dict:
        """The row of a sheet with this primary key."""
        pk = {
            "customers": "customer_id",
            "contacts": "contact_id",
            "opportunities": "opportunity_id",
        }
        return next(r for r in self.rows[sheet] if r[pk[sheet]] == key)


def owned(client: JsonRpcClient) -> dict[str, dict[str, dict[str, Any]]]:
    """Every record mops owns, by key, with references shown as keys or names, not ids.

    Two servers give their records different ids; comparing through keys and names is what
    "Odoo ends exactly as one clean run would" means.
    """
    keys: dict[tuple[str, int], str] = {}
    raw: dict[str, list[tuple[str, dict]]] = {}
    for rtype, model, key_field, key_format in OWNED:
        raw[rtype] = _owned_records(client, rtype, model, key_field, key_format, COMPARED[model])
        for key, rec in raw[rtype]:
            keys[(model, rec["id"])] = key
    names: dict[tuple[str, int], str] = {}
    for model in (
        "res.users", "res.partner.industry", "res.partner.category", "crm.team", "utm.source",
        "crm.stage", "utm.stage", "project.project", "project.task.type", "account.analytic.plan",
        "mail.activity.type", "hr.department",
    ):  # fmt: skip
        for rec in read_all(client, model, [], ["name"]):
            names[(model, rec["id"])] = rec["name"]
    user_of_partner = {
        rec["partner_id"]: rec["login"]
        for rec in read_all(client, "res.users", [], ["partner_id", "login"])
    }
    relation = {
        "industry_id": "res.partner.industry", "user_id": "res.users", "team_id": "crm.team",
        "source_id": "utm.source", "category_id": "res.partner.category",
        "parent_id": "res.partner", "partner_id": "res.partner", "campaign_id": "utm.campaign",
        "user_ids": "res.users", "project_id": "project.project",
        "plan_id": "account.analytic.plan", "activity_type_id": "mail.activity.type",
    }  # fmt: skip
    stages = {
        "crm.lead": "crm.stage",
        "utm.campaign": "utm.stage",
        "project.task": "project.task.type",
    }
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for (rtype, model, *_k), records in zip(OWNED, raw.values(), strict=True):
        by_key: dict[str, dict[str, Any]] = {}
        for key, rec in records:
            values = {}
            for name, value in rec.items():
                if name in ("id", "x_mops_key", "message_id"):
                    continue
                comodel = stages.get(model) if name == "stage_id" else relation.get(name)
                if model in ("hr.employee", "hr.expense"):
                    comodel = {
                        "parent_id": "hr.employee", "department_id": "hr.department",
                        "employee_id": "hr.employee",
                    }.get(name, comodel)  # fmt: skip
                if name == "analytic_distribution" and isinstance(value, dict):
                    # Accounts by key: a rerun after a crash may give them other ids.
                    value = {
                        keys.get(("account.analytic.account", int(k)), k): v
                        for k, v in value.items()
                    }
                elif name == "res_id":
                    value = keys.get((rec.get("model") or rec.get("res_model"), value), value)
                elif name == "author_id":
                    value = user_of_partner.get(value, value)
                elif comodel in ("res.partner", "utm.campaign", "hr.employee") and value:
                    value = keys.get((comodel, value), value)
                elif comodel and isinstance(value, list):
                    value = sorted(names.get((comodel, v), v) for v in value)
                elif comodel and value:
                    value = names.get((comodel, value), value)
                values[name] = value
            assert key not in by_key, f"duplicate {key}"
            by_key[key] = values
        out[rtype] = by_key
    return out


def _owned_records(client, rtype, model, key_field, key_format, fields) -> list[tuple[str, dict]]:
    head, _, tail = key_format.partition("{key}")
    found = read_all(
        client, model, [[key_field, "=like", f"{head}{rtype}:%{tail}"]], [key_field, *fields]
    )
    return [(rec[key_field][len(head) : len(rec[key_field]) - len(tail)], rec) for rec in found]


def count_by_key(client: JsonRpcClient) -> dict[str, int]:
    """How many Odoo records carry each mops key (1 everywhere: no duplicates)."""
    counts: dict[str, int] = {}
    for rtype, model, key_field, key_format in OWNED:
        for key, _rec in _owned_records(client, rtype, model, key_field, key_format, []):
            counts[key] = counts.get(key, 0) + 1
    return counts


def default_config() -> dict[str, Any]:
    """The shipped configuration."""
    return load_config()


class CountingClient(JsonRpcClient):
    """The real client, counting its calls per method (works against any server)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.by_method: dict[str, int] = {}
        super().__init__(*args, **kwargs)

    def call(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        """Count, then call."""
        self.by_method[method] = self.by_method.get(method, 0) + 1
        return super().call(model, method, *args, **kwargs)


ID_COLUMNS = {
    "customer_id": "C",
    "contact_id": "T",
    "opportunity_id": "O",
    "plan_id": "P",
    "log_id": "L",
    "ticket_id": "K",
    "campaign_id": "M",
}


def rename(rows: dict[str, list[dict]], tag: str) -> dict[str, list[dict]]:
    """The same rows under fresh ids (``L<tag>C0001`` …), so runs on a shared Odoo never meet."""
    maps: dict[str, dict[str, str]] = {column: {} for column in ID_COLUMNS}
    for sheet_rows in rows.values():
        for row in sheet_rows:
            for column, letter in ID_COLUMNS.items():
                value = row.get(column)
                if value and value not in maps[column]:
                    maps[column][value] = f"L{tag}{letter}{len(maps[column]) + 1:04d}"
    return {
        sheet: [
            {k: maps[k].get(v, v) if k in maps and v else v for k, v in row.items()}
            for row in sheet_rows
        ]
        for sheet, sheet_rows in rows.items()
    }


def company_size_option(client: JsonRpcClient, value: str = "micro") -> dict:
    """The selection option ``value`` of the partners' x_mops_company_size field."""
    options = client.call(
        "ir.model.fields.selection", "search_read",
        [["field_id.model", "=", "res.partner"], ["field_id.name", "=", "x_mops_company_size"]],
        fields=["field_id", "value"],
    )  # fmt: skip
    return next(o for o in options if o["value"] == value)


def remove_option(client: JsonRpcClient, option: dict) -> None:
    """Someone removes a selection option in Odoo: records holding it are refused on write."""
    client.call(
        "ir.model.fields", "write", [option["field_id"][0]], {"selection_ids": [[2, option["id"]]]}
    )
