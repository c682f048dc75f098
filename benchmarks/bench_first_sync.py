"""The first full sync of the demo year into a real Odoo, every record type, set against Odoo's
own ``load()`` of the same records in the same run on the same server.

The demo (``mops demo``'s data, the planted mistakes as they are: rows with errors are skipped,
as in real use) goes into a real Odoo 17 or 19 under ids carrying a run tag (``Q1A2B``), so
runs on a shared database never meet. Every record type of ``mapping.toml`` is synced:
campaigns and their analytic accounts, customers, contacts, opportunities, tickets, follow-up
notes (``message_post``), next steps, employees, contracts as sale orders (confirmed or
cancelled), instalments as invoices made by Odoo's invoicing wizard and posted, claims as
expenses (on 17 with an expense report each) submitted and approved. The whole ``mops sync`` is
timed as a user runs it: reading and validating the six workbooks, reading Odoo, planning,
applying, writing the Odoo ids and the findings back into the workbooks.

``load()`` then imports the same records, type by type in the same order, with the field values
mops sent (taken from the sync's own plan), references by external id (``mops_bench.<tag>_…``,
made by ``load()`` itself), in calls of 1,000 rows with ``tracking_disable``:

- sale orders with their line in ``order_line/…`` columns; invoices as ``account.move``
  (``out_invoice``) with their line in ``invoice_line_ids/…`` at the instalment's amount, since
  ``load()`` cannot run the invoicing wizard; the notes as ``mail.message`` rows (``load()``
  cannot call ``message_post``); expense reports (17) linking their expense by external id;
- the workflow steps ``load()`` cannot take (confirm, cancel, post, submit, approve, archive)
  are called on the records it made exactly as the sync calls them (one call per method and
  500 records, same context), and counted in its time.

Printed: records per type, mops's time and ``load()``'s, the ratio (target ≤ 1.0), RPC calls by
method, where the sync's time went, a re-sync with nothing changed (target: no write call),
and whether Odoo's totals (orders', invoices' and expenses' amounts) equal the workbooks' to the
dollar. Everything made is removed afterwards (``--keep`` leaves it), by its tagged keys and
the ``mops_bench`` external ids; demo users missing from the database are created for the run
and removed after it.

    . /work/odoo-live/env.sh        # or ODOO_URL … ODOO_PASSWORD, ODOO19_URL … ODOO19_API_KEY
    python benchmarks/bench_first_sync.py --live            # a real Odoo 17 (JSON-RPC)
    python benchmarks/bench_first_sync.py --odoo19          # a real Odoo 19 (JSON-2)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import sys
import tempfile
import threading
import time
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from bench_sync import BENCH_MODULE, LOAD_CHUNK

from mops.config import load_config
from mops.demodata import DEFAULT_AS_OF, generate_demo
from mops.odoo.client import JsonRpcClient
from mops.odoo.json2 import Json2Client
from mops.odoo.provision import apply_setup, load_spec, plan_setup
from mops.odoo.settings import OdooSettings
from mops.schemas.registry import WORKBOOKS
from mops.syncing.mapping import ref_key
from mops.syncing.plan import Plan, PlanItem
from mops.syncing.remote import read_all
from mops.syncing.run import sync_paths
from mops.workbook.writer import write_workbook

LOAD_CONTEXT = {"tracking_disable": True, "mail_create_nolog": True, "tz": "UTC"}
ACTION_BATCH = 500  # the sync's batch: one call per method and 500 records
WRITES = {
    "create", "write", "unlink", "message_post", "load", "create_invoices", "action_confirm",
    "action_cancel", "action_post", "action_archive", "action_unarchive", "action_submit",
    "action_approve", "action_submit_sheet", "action_approve_expense_sheets",
}  # fmt: skip
# Where each type keeps its key, as the sync writes it (helpers.OWNED of the tests).
KEY_FIELD = {"mail.message": ("message_id", "<{key}@mops>")}


class Timing:
    """A real client counting calls and the seconds they took, per method (from any thread)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.by_method: Counter = Counter()
        self.seconds: Counter = Counter()
        self._lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def call(self, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
        """Call, then count."""
        started = time.perf_counter()
        try:
            return super().call(model, method, *args, **kwargs)  # type: ignore[misc]
        finally:
            with self._lock:
                self.by_method[method] += 1
                self.seconds[method] += time.perf_counter() - started


class TimingClient(Timing, JsonRpcClient):
    """JSON-RPC (Odoo 17), timed."""


class TimingJson2(Timing, Json2Client):
    """JSON-2 (Odoo 19), timed."""


# -- the demo under tagged ids ------------------------------------------------------------------


def tagged_demo(tag: str, limit: int | None = None) -> tuple[dict, list[str], list[dict]]:
    """The demo's rows with every id and reference to one prefixed by ``tag``, and the staff's
    e-mails too (their users are the run's own: a user has one employee per company, and the
    shared database's demo users have theirs already); the people and the roster.

    ``limit`` keeps the first rows of each sheet but the roster and the campaigns (a quick
    look; rows naming a row left out are skipped by validation, as in real use)."""
    data = generate_demo()
    rows: dict[str, dict[str, list[dict]]] = {}
    for wb in WORKBOOKS:
        rows[wb.key] = {}
        for sheet in wb.sheets:
            ids = {c.key for c in sheet.columns if c.key == sheet.primary_key or c.ref}
            kept = data.rows[wb.key].get(sheet.key, [])
            if limit is not None and sheet.key not in ("roster", "campaigns"):
                kept = kept[:limit]
            rows[wb.key][sheet.key] = [
                {k: f"{tag}{v}" if k in ids and isinstance(v, str) and v else v
                 for k, v in row.items()}
                for row in kept
            ]  # fmt: skip
    for person in rows["staff"]["roster"]:
        if person["email"]:
            person["email"] = f"{tag.lower()}.{person['email']}"
    return rows, data.people(), rows["staff"]["roster"]


def write_books(folder: Path, rows: dict, people: list[str]) -> list[Path]:
    """The six workbooks, as ``mops demo`` writes them."""
    folder.mkdir(parents=True, exist_ok=True)
    return [
        Path(write_workbook(wb, folder / wb.filename, rows=rows[wb.key], people=people))
        for wb in WORKBOOKS
    ]


def ensure_users(client: Any, roster: list[dict]) -> list[int]:
    """An Odoo user per person on the roster (login = e-mail); the ids of those made now."""
    logins = [p["email"].lower() for p in roster if p["email"]]
    have = {
        u["login"]
        for u in read_all(
            client, "res.users", [["login", "in", logins]], ["login"],
            context={"active_test": False},
        )
    }  # fmt: skip
    new = [
        {"name": p["name"], "login": p["email"].lower(), "email": p["email"].lower()}
        for p in roster
        if p["email"] and p["email"].lower() not in have
    ]
    if not new:
        return []
    made = client.call("res.users", "create", new, context={"no_reset_password": True})
    return made if isinstance(made, list) else [made]


def twin_users(client: Any, roster: list[dict], tag: str) -> dict[int, int]:
    """A second user per person (``<tag>.lb.<e-mail>``) for load()'s twin employees: the
    roster user's id → the twin's."""
    people = [p for p in roster if p["email"]]
    logins = [p["email"].lower() for p in people]
    users = read_all(client, "res.users", [["login", "in", logins]], ["login"], context={})
    made = client.call(
        "res.users", "create",
        [{"name": p["name"], "login": p["email"].lower().replace(".", ".lb.", 1)}
         for p in people],
        context={"no_reset_password": True},
    )  # fmt: skip
    twin = dict(zip(logins, made, strict=True))
    return {u["id"]: twin[u["login"]] for u in users}


# -- the same records through load() -----------------------------------------------------------


def _xmlid(tag: str, key: str) -> str:
    return f"{BENCH_MODULE}.fs{tag}_{re.sub(r'[^A-Za-z0-9]', '_', key)}"


class Loader:
    """The plan's creates as ``load()`` rows, loaded type by type, with the plan's steps."""

    def __init__(self, client: Any, plan: Plan, tag: str) -> None:
        self.client = client
        self.plan = plan
        self.tag = tag
        self.ids: dict[str, int] = {}  # plan key → the id of load()'s twin record
        self.fields: dict[str, dict[str, dict]] = {}
        self.calls: Counter = Counter()
        self.records: Counter = Counter()
        self.contract_of: dict[str, PlanItem] = {}
        # A user has one employee per company: load()'s twin employees get twin users.
        self.twin_users: dict[int, int] = {}

    def key(self, key: str) -> str:
        """The twin's key: outside every prefix the sync owns."""
        return f"lb{self.tag}:{key}"

    def _types(self, model: str) -> dict[str, dict]:
        if model not in self.fields:
            self.fields[model] = self.client.call(model, "fields_get", attributes=["type"])
        return self.fields[model]

    def _cells(self, model: str, vals: dict, prefix: str = "") -> dict[str, str]:
        """One record's values as load() columns (``field``, ``field/id``, ``field/.id``)."""
        types = self._types(model)
        out: dict[str, str] = {}
        for name, value in vals.items():
            kind = types[name]["type"]
            col = f"{prefix}{name}"
            if kind == "many2one":
                ref = ref_key(value)
                if ref is not None:
                    out[f"{col}/id"] = _xmlid(self.tag, ref)
                elif value:
                    if model == "hr.employee" and name == "user_id":
                        value = self.twin_users[value]
                    out[f"{col}/.id"] = str(value)
                else:  # empty: under whichever reference column the other rows use
                    out[f"{col}/?"] = ""
            elif kind in ("many2many", "one2many"):
                out.update(self._x2many(model, name, value, col))
            elif kind == "many2one_reference":
                ref = ref_key(value)
                out[col] = str(self.ids[ref] if ref is not None else value)
            elif kind == "json":
                if value:
                    value = {
                        str(self.ids[k[5:]]) if str(k).startswith("$ref:") else k: v
                        for k, v in value.items()
                    }
                out[col] = json.dumps(value) if value else ""
            elif kind == "boolean":
                out[col] = "1" if value else "0"
            elif value is False or value is None:
                out[col] = ""
            else:
                out[col] = repr(value) if isinstance(value, float) else str(value)
        return out

    def _x2many(self, model: str, name: str, value: list, col: str) -> dict[str, str]:
        if not value:
            return {f"{col}/?": ""}
        comodel = self.client_comodel(model, name)
        lines = [c[2] for c in value if c[0] == 0]
        if lines:  # one2many lines made with the record: load()'s sub-columns (one line here)
            if len(lines) != 1:
                raise SystemExit(f"{model}.{name}: {len(lines)} lines; one row per line needed")
            return self._cells(comodel, lines[0], f"{col}/")
        ids = [i for c in value for i in ([c[1]] if c[0] == 4 else c[2] if c[0] == 6 else [])]
        if any(ref_key(i) is not None for i in ids):
            return {f"{col}/id": ",".join(_xmlid(self.tag, ref_key(i)) for i in ids)}
        return {f"{col}/.id": ",".join(str(i) for i in ids)}

    def client_comodel(self, model: str, name: str) -> str:
        """The model a relational field points to."""
        key = f"{model}.{name}"
        if key not in self.fields:
            self.fields[key] = self.client.call(
                model, "fields_get", [name], attributes=["relation"]
            )
        return self.fields[key][name]["relation"]

    def rows_of(self, items: list[PlanItem]) -> tuple[str, list[str], list[list[str]]]:
        """The model, columns and rows ``load()`` takes for these creates of one type."""
        model, kind = items[0].model, self.plan.kinds.get(items[0].record_type, {})
        key_field, key_format = KEY_FIELD.get(model, ("x_mops_key", "{key}"))
        records = []
        for item in items:
            vals = dict(item.vals)
            vals.pop("x_mops_key", None)
            vals.pop("message_id", None)
            if kind.get("create") == "invoice_wizard":
                vals = self._invoice(item, vals)
            cells = {"id": _xmlid(self.tag, item.key), key_field: key_format.format(
                key=self.key(item.key))}  # fmt: skip
            if kind.get("create") == "message_post":  # message_post's own arguments, as fields
                post = kind.get("post_args") or {}
                vals["message_type"] = post.get("message_type", "comment")
                cells["subtype_id/id"] = post.get("subtype_xmlid", "mail.mt_note")
            cells.update(self._cells(model, vals))
            records.append(cells)
        named = {c for r in records for c in r}
        for record in records:
            for col in [c for c in record if c.endswith("/?")]:
                base = col[:-2]
                record[f"{base}/id" if f"{base}/id" in named else f"{base}/.id"] = record.pop(col)
        columns = sorted({c for r in records for c in r}, key=lambda c: (c != "id", c))
        for col in columns:  # a field named once by external id and once by database id
            base = col.rsplit("/", 1)[0]
            if col.endswith("/id") and f"{base}/.id" in columns:
                raise SystemExit(f"{model}: {base} both by external and database id")
        return model, columns, [[r.get(c, "") for c in columns] for r in records]

    def _invoice(self, item: PlanItem, vals: dict) -> dict:
        """An instalment as the customer invoice itself: its order's customer and service
        product, one line at the instalment's amount before tax with the order's tax."""
        order = self.contract_of[ref_key(vals.pop("sale_order"))]
        untaxed = vals.pop("amount_untaxed")
        line = dict(order.vals["order_line"][0][2])
        tax_field = "tax_id" if "tax_id" in line else "tax_ids"
        return {
            "move_type": "out_invoice",
            "partner_id": order.vals["partner_id"],
            "invoice_line_ids": [[0, 0, {
                "product_id": line["product_id"], "name": line["name"], "quantity": 1.0,
                "price_unit": untaxed, "tax_ids": line[tax_field],
            }]],
            **vals,
        }  # fmt: skip

    def run(self, types: list[str]) -> float:
        """Load every type's creates, then take its steps; seconds taken."""
        started = time.perf_counter()
        for name in types:
            items = [i for i in self.plan.items if i.record_type == name and i.action == "create"]
            if not items:
                continue
            if name == "contract":
                self.contract_of = {i.key: i for i in items}
            for wave in self._waves(items):
                self._load(wave)
            self.records[name] += len(items)
            self._steps(name, items)
        return time.perf_counter() - started

    def _waves(self, items: list[PlanItem]) -> list[list[PlanItem]]:
        """A record naming another new record of its type (an employee's manager) goes in the
        call after the one making it, as the sync's creates do."""
        keys, made, waves = {i.key for i in items}, set(self.ids), []
        while items:
            ready = [i for i in items if not (_refs(i.vals) & keys) - made]
            if not ready:
                raise SystemExit(f"{items[0].record_type}: references in a circle")
            waves.append(ready)
            made |= {i.key for i in ready}
            items = [i for i in items if i.key not in made]
        return waves

    def _load(self, items: list[PlanItem]) -> None:
        model, columns, data = self.rows_of(items)
        made: list[int] = []
        for start in range(0, len(data), LOAD_CHUNK):
            result = self.client.call(
                model, "load", columns, data[start : start + LOAD_CHUNK], context=LOAD_CONTEXT
            )
            self.calls["load"] += 1
            errors = [m for m in result.get("messages", []) if m.get("type") == "error"]
            if errors or not result.get("ids"):
                raise SystemExit(f"load() of {model} failed: {errors[:3]}")
            made.extend(result["ids"])
        if len(made) != len(items):
            raise SystemExit(f"load() of {model} made {len(made)} of {len(items)} records")
        self.ids.update({i.key: m for i, m in zip(items, made, strict=True)})

    def _steps(self, name: str, items: list[PlanItem]) -> None:
        contexts = self.plan.kinds.get(name, {}).get("contexts") or {}
        series = str((getattr(self.client, "version_info", None) or (17,))[0])
        order: list[str] = []
        for item in items:
            order.extend(m for m in item.actions if m not in order)
        for method in order:
            ids = [self.ids[i.key] for i in items if method in i.actions]
            context = (contexts.get(method) or {}).get(series)
            for start in range(0, len(ids), ACTION_BATCH):
                kwargs = {"context": context} if context else {}
                self.client.call(
                    items[0].model, method, ids[start : start + ACTION_BATCH], **kwargs
                )
                self.calls[method] += 1


def _refs(value: Any) -> set[str]:
    """The keys a plan value refers to."""
    key = ref_key(value)
    if key is not None:
        return {key}
    if isinstance(value, (list, tuple)):
        return set().union(*(_refs(v) for v in value)) if value else set()
    if isinstance(value, dict):
        found = {k[5:] for k in value if isinstance(k, str) and k.startswith("$ref:")}
        return found.union(*(_refs(v) for v in value.values()))
    return set()


# -- checks ---------------------------------------------------------------------------------------


def _tax(amount: Decimal) -> Decimal:
    return (amount * Decimal("0.05")).quantize(Decimal(1), ROUND_HALF_UP)


def totals(client: Any, rows: dict, plan: Plan) -> dict[str, tuple[int, int, list]]:
    """Per record type: (records compared, equal to the dollar, the first few that differ)."""
    made = {i.key for i in plan.items if i.action == "create"}
    out = {}
    checks = (
        ("contract", "sale.order", rows["sales"]["contracts"], "contract_id",
         lambda r: r["amount"] + _tax(r["amount"]), "amount_total"),
        ("instalment", "account.move", rows["sales"]["payment_schedule"], "instalment_id",
         lambda r: r["amount"] + _tax(r["amount"]), "amount_total"),
        ("claim", "hr.expense", rows["expenses"]["claims"], "claim_id",
         lambda r: r["amount"], "total_amount_currency"),
    )  # fmt: skip
    for rtype, model, sheet_rows, pk, wanted, field in checks:
        want = {f"{rtype}:{r[pk]}": Decimal(wanted(r)) for r in sheet_rows}
        want = {k: v for k, v in want.items() if k in made}
        found = read_all(
            client, model, [["x_mops_key", "in", sorted(want)]], ["x_mops_key", field],
            context={"active_test": False},
        )  # fmt: skip
        got = {r["x_mops_key"]: Decimal(repr(r[field])).quantize(Decimal(1)) for r in found}
        differ = [(k, str(want[k]), str(got.get(k))) for k in sorted(want) if got.get(k) != want[k]]
        out[rtype] = (len(want), len(want) - len(differ), differ[:5])
    return out


# -- cleanup ------------------------------------------------------------------------------------


def cleanup(client: Any, tag: str, series: int) -> dict[str, int]:
    """Remove every record of the run (the sync's and load()'s) and the users made for it."""
    left: dict[str, int] = {}

    def ids(model: str, extra: list | None = None, key: str = "x_mops_key") -> list[int]:
        # The sync's keys hold the tag after their prefix (customer:Q1A2BCU0001), load()'s
        # twins too (lbQ1A2B:customer:Q1A2BCU0001).
        pattern = f"%:{tag}%" if key == "x_mops_key" else f"<%:{tag}%@mops>"
        domain = [[key, "=like", pattern], *(extra or [])]
        return [
            r["id"] for r in read_all(client, model, domain, ["id"], context={"active_test": False})
        ]

    def unlink(model: str, found: list[int], context: dict | None = None) -> None:
        for start in range(0, len(found), 500):
            client.call(model, "unlink", found[start : start + 500], context=context or {})

    def each(model: str, method: str, found: list[int], context: dict | None = None) -> None:
        for start in range(0, len(found), 500):
            client.call(model, method, found[start : start + 500], context=context or {})

    moves = ids("account.move")
    each("account.move", "button_draft", ids("account.move", [["state", "=", "posted"]]))
    unlink("account.move", moves, {"force_delete": True})
    if series < 19:
        each(
            "hr.expense.sheet", "action_reset_expense_sheets",
            ids("hr.expense.sheet", [["state", "in", ["submit", "approve"]]]),
        )  # fmt: skip
        unlink("hr.expense.sheet", ids("hr.expense.sheet"))
    else:
        each("hr.expense", "action_reset", ids("hr.expense", [["state", "in", ["submitted",
             "approved"]]]))  # fmt: skip
    unlink("hr.expense", ids("hr.expense"))
    each("sale.order", "action_cancel", ids("sale.order", [["state", "not in", ["draft",
         "cancel"]]]), {"disable_cancel_warning": True})  # fmt: skip
    unlink("sale.order", ids("sale.order"))
    unlink("mail.activity", ids("mail.activity"))
    unlink("mail.message", ids("mail.message", key="message_id"))
    for model in ("project.task", "crm.lead"):
        unlink(model, ids(model))
    unlink("res.partner", ids("res.partner", [["parent_id", "!=", False]]))
    unlink("res.partner", ids("res.partner"))
    for model in ("hr.employee", "account.analytic.account", "utm.campaign"):
        unlink(model, ids(model))
    data = read_all(
        client, "ir.model.data",
        [["module", "=", BENCH_MODULE], ["name", "=like", f"fs{tag}_%"]], ["id"],
    )  # fmt: skip
    unlink("ir.model.data", [r["id"] for r in data])
    users = [
        u["id"]
        for u in read_all(
            client, "res.users", [["login", "=like", f"{tag.lower()}.%"]], ["id"],
            context={"active_test": False},
        )
    ]  # fmt: skip
    if users:
        partners = [
            r["partner_id"][0] if isinstance(r["partner_id"], list) else r["partner_id"]
            for r in client.call("res.users", "read", users, fields=["partner_id"])
        ]
        client.call("res.users", "unlink", users)
        client.call("res.partner", "unlink", partners)
        left["res.users"] = client.call(
            "res.users", "search_count", [["id", "in", users]], context={"active_test": False}
        )
    for model in (
        "account.move", "hr.expense", "sale.order", "mail.activity", "project.task", "crm.lead",
        "res.partner", "hr.employee", "account.analytic.account", "utm.campaign",
    ):  # fmt: skip
        left[model] = len(ids(model))
    left["mail.message"] = len(ids("mail.message", key="message_id"))
    return {m: n for m, n in left.items() if n}


# -- the run ------------------------------------------------------------------------------------


def phases(marks: list[tuple[float, str]], end: float) -> list[tuple[str, float]]:
    """Seconds per step of the sync, from its progress messages (``type: create 500``)."""
    spent: Counter = Counter()
    for (at, message), (after, _m) in zip(marks, [*marks[1:], (end, "")], strict=True):
        spent[re.sub(r" \d+$", "", message)] += after - at
    return spent.most_common()


def bench(settings: OdooSettings, secret: str, kind: type, where: str, args) -> dict:
    """The first sync, load(), the re-sync and the checks against one server."""
    tag = "Q" + secrets.token_hex(2).upper()
    rows, people, roster = tagged_demo(tag, args.limit)
    folder = Path(tempfile.mkdtemp(prefix="mops-first-sync-"))
    paths = write_books(folder / "demo", rows, people)
    config = load_config().updated(
        "odoo", url=settings.url, database=settings.database, login=settings.login
    )
    if args.workers is not None:
        config = config.updated("sync", workers=args.workers)
    state = folder / "state.sqlite"

    def client() -> Any:
        return kind(settings, secret, sleep=lambda s: None)

    admin = client()
    series = (getattr(admin, "version_info", None) or (17,))[0]
    apply_setup(admin, plan_setup(admin, load_spec()))
    users = ensure_users(admin, roster)
    print(
        f"[{where}] Odoo {admin.server_version}, run tag {tag}, {len(users)} users made", flush=True
    )
    figures: dict[str, Any] = {"where": where, "tag": tag, "load_avg": os.getloadavg()}
    try:
        mops = client()
        marks: list[tuple[float, str]] = []
        started = time.perf_counter()
        out = sync_paths(
            paths, config, client=mops, state_path=state, as_of=DEFAULT_AS_OF, pull_back=True,
            progress=lambda m: marks.append((time.perf_counter(), m)),
        )  # fmt: skip
        figures["mops"] = time.perf_counter() - started
        figures["phases"] = phases(marks, started + figures["mops"])
        figures["mops_calls"], figures["mops_seconds"] = mops.by_method, mops.seconds
        figures["plan"] = out.plan.counts()
        figures["result"] = out.result
        print(f"[{where}] mops sync: {figures['mops']:.1f} s, {sum(mops.by_method.values())} "
              f"calls", flush=True)  # fmt: skip
        loader = Loader(client(), out.plan, tag)
        loader.twin_users = twin_users(admin, roster, tag)
        loader_client = loader.client
        figures["load"] = loader.run(out.plan.types)
        figures["load_calls"], figures["load_seconds"] = (
            loader_client.by_method,
            loader_client.seconds,
        )
        figures["load_records"] = loader.records
        print(f"[{where}] load(): {figures['load']:.1f} s", flush=True)
        again = client()
        started = time.perf_counter()
        sync_paths(paths, config, client=again, state_path=state, as_of=DEFAULT_AS_OF)
        figures["again"] = time.perf_counter() - started
        figures["again_calls"] = again.by_method
        figures["totals"] = totals(admin, rows, out.plan)
        figures["load_avg_after"] = os.getloadavg()
    finally:
        if not args.keep:
            figures["left"] = cleanup(admin, tag, series)
    return figures


DEFINITION = """\
compared: mops = the whole `mops sync` of the six demo workbooks (validate, read Odoo, plan,
  apply with [sync] workers, pull-back and findings written into the workbooks); load() = the
  records mops created, with the values it sent (from its plan), imported by load() type by type
  in the sync's order, 1,000 rows a call, tracking_disable, references by external id; orders
  with their line (order_line/...), instalments as out_invoice account.move with their line
  (invoice_line_ids/...; load() cannot run the invoicing wizard), notes as mail.message rows
  (load() cannot call message_post), expense reports (17) linking their expense; the workflow
  steps (confirm, cancel, post, submit, approve, archive) on both sides, called alike: one
  call per method and 500 records, counted in both times."""


def report(f: dict) -> bool:
    """Print the figures; True when the targets are met."""
    where, result = f["where"], f["result"]
    created, steps = result.created, result.actions
    print(f"\n== {where}, run {f['tag']}; load average "
          f"{' '.join(f'{x:.1f}' for x in f['load_avg'])} before, "
          f"{' '.join(f'{x:.1f}' for x in f['load_avg_after'])} after")  # fmt: skip
    print(DEFINITION)
    print(f"{'type':<16}{'mops made':>10}{'steps':>8}{'load() made':>12}{'skipped':>9}")
    for name, counts in f["plan"].items():
        if counts.get("create") or counts.get("skipped"):
            print(f"{name:<16}{created[name]:>10}{steps[name]:>8}"
                  f"{f['load_records'][name]:>12}{counts.get('skipped', 0):>9}")  # fmt: skip
    total = sum(created.values())
    ratio = f["mops"] / f["load"]
    print(f"{'all':<16}{total:>10}{sum(steps.values()):>8}{sum(f['load_records'].values()):>12}")
    print(f"refused by Odoo: {len(result.refusals)}")
    for refusal in result.refusals[:5]:
        print(f"  {refusal.key}: {refusal.issue.message_en[:160]}")
    print(
        f"mops sync, whole: {f['mops']:.1f} s ({total / f['mops']:.1f} records/s), "
        f"{sum(f['mops_calls'].values())} RPC calls"
    )
    print(
        f"load() of the same records, steps included: {f['load']:.1f} s "
        f"({total / f['load']:.1f} records/s), {sum(f['load_calls'].values())} RPC calls"
    )
    print(
        f"  mops ÷ load() time: {ratio:.2f}   (target ≤ 1.0)   {'OK' if ratio <= 1 else 'MISSED'}"
    )
    print("mops RPC calls by method (calls, seconds summed over the parallel calls):")
    for method, n in f["mops_calls"].most_common():
        print(f"  {method:<32}{n:>6}{f['mops_seconds'][method]:>9.1f} s")
    print("load() side RPC calls by method:")
    for method, n in f["load_calls"].most_common():
        print(f"  {method:<32}{n:>6}{f['load_seconds'][method]:>9.1f} s")
    print("where the sync's time went (its progress steps):")
    for step, seconds in f["phases"][:12]:
        print(f"  {step:<40}{seconds:>8.1f} s")
    writes = sum(n for m, n in f["again_calls"].items() if m in WRITES)
    print(
        f"re-sync, nothing changed: {f['again']:.1f} s, {sum(f['again_calls'].values())} calls, "
        f"write calls {writes}   (target 0)   {'OK' if writes == 0 else 'MISSED'}"
    )
    ok_totals = True
    for name, (compared, equal, differ) in f["totals"].items():
        ok_totals &= compared == equal
        print(f"totals, {name}: {equal} of {compared} equal the workbook to the dollar {differ}")
    left = f.get("left")
    print("cleanup: nothing left" if left == {} else f"cleanup: left {left}")
    return ratio <= 1 and writes == 0 and ok_totals


def main() -> int:
    """Run against the real Odoo 17 (--live) and/or 19 (--odoo19) named in the environment."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--live", action="store_true", help="a real Odoo 17: ODOO_URL …")
    parser.add_argument("--odoo19", action="store_true", help="a real Odoo 19: ODOO19_URL …")
    parser.add_argument("--workers", type=int, help="[sync] workers (4 by default)")
    parser.add_argument("--keep", action="store_true", help="leave the records in Odoo")
    parser.add_argument(
        "--limit", type=int, help="only the first N rows of each sheet (a quick look, no figures)"
    )
    parser.add_argument(
        "--clean", metavar="TAG", help="only remove what an interrupted run of this tag left"
    )
    args = parser.parse_args()
    servers = []
    if args.live:
        servers.append(("ODOO_", "ODOO_PASSWORD", TimingClient, "real Odoo 17 (JSON-RPC)"))
    if args.odoo19:
        servers.append(("ODOO19_", "ODOO19_API_KEY", TimingJson2, "real Odoo 19 (JSON-2)"))
    if not servers:
        parser.error("name a server: --live (Odoo 17) and/or --odoo19")
    ok = True
    for prefix, secret, kind, where in servers:
        names = (f"{prefix}URL", f"{prefix}DB", f"{prefix}USER", secret)
        missing = [n for n in names if not os.environ.get(n)]
        if missing:
            print(f"set {', '.join(missing)}")
            return 2
        settings = OdooSettings(
            url=os.environ[names[0]].rstrip("/"), database=os.environ[names[1]],
            login=os.environ[names[2]], timeout_seconds=1800,
        )  # fmt: skip
        if args.clean:
            admin = kind(settings, os.environ[secret], sleep=lambda s: None)
            left = cleanup(admin, args.clean, admin.version_info[0])
            print(f"[{where}] run {args.clean}: " + (f"left {left}" if left else "nothing left"))
            continue
        ok &= report(bench(settings, os.environ[secret], kind, where, args))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
