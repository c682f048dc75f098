"""Helpers of the sync tests: provision an Odoo, write demo workbooks, read back what mops owns."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mops.config import load_config
from mops.odoo.client import JsonRpcClient
from mops.odoo.provision import apply_setup, load_spec, plan_setup
from mops.odoo.settings import OdooSettings
from mops.schemas.registry import workbook
from mops.sync.remote import read_all
from mops.workbook.writer import write_workbook

LIVE_VARS = ("ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_PASSWORD")
OWNED = (
    ("customer", "res.partner"),
    ("contact", "res.partner"),
    ("opportunity", "crm.lead"),
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
    ],
}  # fmt: skip


def provision(client: JsonRpcClient, roster: Iterable[dict[str, Any]]) -> None:
    """Run mops odoo setup's library calls, and make an Odoo user for everyone on the roster."""
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


def settings_for(url: str, database: str, login: str = "admin") -> OdooSettings:
    """Connection settings for a test."""
    return OdooSettings(url=url, database=database, login=login, timeout_seconds=20)


def config_for(settings: OdooSettings, **conflicts: str) -> dict[str, Any]:
    """The default configuration pointing at this Odoo, with conflict policies if given."""
    config = load_config()
    config["odoo"].update(url=settings.url, database=settings.database, login=settings.login)
    config.setdefault("sync", {})["conflicts"] = dict(conflicts)
    return config


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


def subset(rows: dict[str, list[dict]], customers: int | None) -> dict[str, list[dict]]:
    """The customers workbook's rows, cut to the first ``customers`` customers and theirs."""
    rows = copy.deepcopy(rows)
    if customers is None:
        return rows
    keep = {r["customer_id"] for r in rows["customers"][:customers]}
    out = {}
    for key, sheet_rows in rows.items():
        if key == "customers":
            out[key] = sheet_rows[:customers]
        else:
            out[key] = [r for r in sheet_rows if r.get("customer_id") in keep]
    return out


@dataclass
class Books:
    """Demo workbooks in a folder, rewritten after each change."""

    folder: Path
    rows: dict[str, list[dict]]
    staff: dict[str, list[dict]]
    people: list[str]

    def write(self) -> list[Path]:
        """Write customers.xlsx and staff.xlsx; returns their paths."""
        self.folder.mkdir(parents=True, exist_ok=True)
        customers = write_workbook(
            workbook("customers"),
            self.folder / "customers.xlsx",
            rows=self.rows,
            people=self.people,
        )
        staff = write_workbook(
            workbook("staff"), self.folder / "staff.xlsx", rows=self.staff, people=self.people
        )
        return [Path(customers), Path(staff)]

    @property
    def paths(self) -> list[Path]:
        """The workbook files."""
        return [self.folder / "customers.xlsx", self.folder / "staff.xlsx"]

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
    raw: dict[str, list[dict]] = {}
    for rtype, model in OWNED:
        records = read_all(
            client, model, [["x_mops_key", "=like", f"{rtype}:%"]], ["x_mops_key", *COMPARED[model]]
        )
        raw[rtype] = records
        for rec in records:
            keys[(model, rec["id"])] = rec["x_mops_key"]
    names: dict[tuple[str, int], str] = {}
    for model in (
        "res.users",
        "res.partner.industry",
        "res.partner.category",
        "crm.team",
        "utm.source",
        "crm.stage",
    ):
        for rec in read_all(client, model, [], ["name"]):
            names[(model, rec["id"])] = rec["name"]
    relation = {
        "industry_id": "res.partner.industry", "user_id": "res.users", "team_id": "crm.team",
        "source_id": "utm.source", "stage_id": "crm.stage", "category_id": "res.partner.category",
        "parent_id": "res.partner", "partner_id": "res.partner",
    }  # fmt: skip
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for rtype, records in raw.items():
        by_key: dict[str, dict[str, Any]] = {}
        for rec in records:
            values = {}
            for name, value in rec.items():
                if name in ("id", "x_mops_key"):
                    continue
                comodel = relation.get(name)
                if comodel in ("res.partner",) and value:
                    value = keys.get((comodel, value), value)
                elif comodel and isinstance(value, list):
                    value = sorted(names.get((comodel, v), v) for v in value)
                elif comodel and value:
                    value = names.get((comodel, value), value)
                values[name] = value
            assert rec["x_mops_key"] not in by_key, f"duplicate {rec['x_mops_key']}"
            by_key[rec["x_mops_key"]] = values
        out[rtype] = by_key
    return out


def count_by_key(client: JsonRpcClient) -> dict[str, int]:
    """How many Odoo records carry each mops key (1 everywhere: no duplicates)."""
    counts: dict[str, int] = {}
    for rtype, model in OWNED:
        for rec in read_all(client, model, [["x_mops_key", "=like", f"{rtype}:%"]], ["x_mops_key"]):
            counts[rec["x_mops_key"]] = counts.get(rec["x_mops_key"], 0) + 1
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
