"""The sync against a real Odoo 17 (ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD; skipped without).

Every test works on its own records (fresh ids per test, see ``helpers.rename``), so they can
run on a shared database, repeatedly, without meeting each other.
"""

from __future__ import annotations

import secrets

import pytest

from mops.errors import OdooAuthError
from mops.i18n import language
from mops.schemas.enums import COMPANY_SIZE
from mops.syncing.applier import PlanOutdatedError, apply_plan
from mops.syncing.mapping import load_mapping
from mops.syncing.run import make_plan
from mops.syncing.state import StateStore
from mops.validation.engine import validate_dataset

from .conftest import Odoo
from .helpers import (
    Books,
    CountingClient,
    count_by_key,
    live_settings,
    others_for,
    provision,
    rename,
    subset,
)
from .test_crash import Crash, DyingStore

pytestmark = pytest.mark.odoo_live


@pytest.fixture(scope="module")
def live(demo) -> Odoo:
    """The real Odoo, provisioned (mops odoo setup) with a user per person on the roster."""
    found = live_settings()
    if found is None:
        pytest.skip("set ODOO_URL, ODOO_DB, ODOO_USER and ODOO_PASSWORD to run against a real Odoo")
    settings, password = found
    odoo = Odoo(settings, password)
    provision(odoo.client(), demo.sheet_rows("roster"))
    return odoo


@pytest.fixture
def books(tmp_path, demo) -> Books:
    """25 demo customers with their contacts and opportunities, under ids of their own."""
    made = Books(
        folder=tmp_path / "books",
        rows=rename(subset(demo.rows["customers"], 25), secrets.token_hex(3).upper()),
        staff={"roster": [dict(r) for r in demo.rows["staff"]["roster"]]},
        people=demo.people(),
    )
    made.write()
    return made


def _counting(live: Odoo) -> CountingClient:
    return CountingClient(live.settings, live.password, sleep=lambda s: None)


def _mine(live: Odoo, books: Books) -> dict[str, int]:
    keys = {f"customer:{r['customer_id']}" for r in books.rows["customers"]}
    keys |= {f"contact:{r['contact_id']}" for r in books.rows["contacts"]}
    keys |= {f"opportunity:{r['opportunity_id']}" for r in books.rows["opportunities"]}
    keys |= {f"{p}:{r['log_id']}" for r in books.rows["followup_log"] for p in ("followup", "next")}
    return {k: v for k, v in count_by_key(live.client()).items() if k in keys}


def _read(live: Odoo, model: str, key: str, fields: list[str]) -> dict:
    (rec,) = live.client().call(
        model, "search_read", [["x_mops_key", "=", key]], fields=fields,
        context={"active_test": False},
    )  # fmt: skip
    return rec


def test_push_then_resync_sends_no_write(live, books, tmp_path):
    state = tmp_path / "state.sqlite"
    first = live.sync(books, state)
    created = {name: c["create"] for name, c in first.plan.counts().items()}
    assert sum(created.values()) > 60 and not first.result.refusals
    mine = _mine(live, books)
    assert set(mine.values()) == {1} and len(mine) == sum(created.values())
    client = _counting(live)
    again = live.sync(books, state, client=client)
    assert {i.action for i in again.plan.items} <= {"unchanged", "skipped"}
    assert "write" not in client.by_method and "create" not in client.by_method
    # Real Odoo keeps what mops sent: the stage of the leads, the probability, the tags.
    lead = next(r for r in books.rows["opportunities"] if r["stage"] == "won")
    rec = _read(
        live, "crm.lead", f"opportunity:{lead['opportunity_id']}", ["probability", "active"]
    )
    assert rec["probability"] == 100.0 and rec["active"]


def test_every_record_type_lands_once_and_comes_back_when_odoo_changes_it(live, demo, tmp_path):
    """Follow-ups, next steps, tickets and campaigns too, under ids of their own."""
    rows = subset(demo.rows["customers"], 15)
    others = others_for(demo, rows, campaigns=3)
    together = rename({**rows, **{s: r for book in others.values() for s, r in book.items()}},
                      secrets.token_hex(3).upper())  # fmt: skip
    books = Books(
        tmp_path / "books", {s: together[s] for s in rows},
        {"roster": [dict(r) for r in demo.rows["staff"]["roster"]]}, demo.people(),
        {name: {s: together[s] for s in book} for name, book in others.items()},
    )  # fmt: skip
    books.write()
    state = tmp_path / "state.sqlite"
    first = live.sync(books, state)
    assert not first.result.refusals
    made = {i.key for i in first.plan.items if i.action == "create"}
    kinds = {key.split(":")[0] for key in made}
    assert {"campaign", "campaign_account", "ticket", "followup", "customer"} <= kinds
    counts = count_by_key(live.client())
    assert {counts[k] for k in made} == {1}
    # Nothing written or posted again.
    client = _counting(live)
    again = live.sync(books, state, client=client)
    assert {i.action for i in again.plan.items} <= {"unchanged", "skipped"}
    assert not {"write", "create", "message_post"} & set(client.by_method)
    # A ticket moved on in Odoo comes back to the workbook, and Odoo keeps it.
    ticket = next(
        t for t in books.others["service"]["tickets"]
        if f"ticket:{t['ticket_id']}" in made and t["status"] != "closed"
    )  # fmt: skip
    task = _read(live, "project.task", f"ticket:{ticket['ticket_id']}", ["id", "user_ids"])
    closed = live.client().call(
        "ir.model.data", "search_read",
        [["module", "=", "mops"], ["name", "=", "task_stage_closed"]], fields=["res_id"],
    )[0]["res_id"]  # fmt: skip
    live.client().call("project.task", "write", [task["id"]], {"stage_id": closed})
    if any(k.startswith("next:") for k in made):
        key = sorted(k for k in made if k.startswith("next:"))[0]
        activity = _read(live, "mail.activity", key, ["id"])
        live.client().call("mail.activity", "action_feedback", [activity["id"]], feedback="ok")
    else:
        key = None
    client = _counting(live)
    out = live.sync(books, state, client=client)
    assert not {"write", "create", "message_post"} & set(client.by_method)
    back = {(c.key, c.column): c.value for c in out.result.pull}
    assert back[(ticket["ticket_id"], "status")] == "closed"
    if key:
        assert back[(key.split(":")[1], "next_activity_done")] is True


def test_changes_are_written_grouped_and_conflicts_reported(live, books, tmp_path):
    state = tmp_path / "state.sqlite"
    first = live.sync(books, state)
    done = [
        r
        for r in books.rows["customers"]
        if any(
            i.key == f"customer:{r['customer_id']}" and i.action == "create"
            for i in first.plan.items
        )
    ]
    moved = [r for r in done if r["tier"] != "B"][:3]
    for r in moved:
        r["tier"] = "B"
    clash, odoo_side = done[-1], done[-2]
    clash["phone"] = "02-2222-2222"
    books.write()
    client = live.client()
    for row, vals in (
        (clash, {"phone": "02-1111-1111"}),
        (odoo_side, {"email": "=sum@example.com.tw"}),
    ):
        rec = _read(live, "res.partner", f"customer:{row['customer_id']}", ["id"])
        client.call("res.partner", "write", [rec["id"]], vals)
    counting = _counting(live)
    out = live.sync(books, state, client=counting)
    items = {i.key: i for i in out.plan.items}
    assert {items[f"customer:{r['customer_id']}"].action for r in moved} == {"update"}
    assert counting.by_method.get("write") == 1  # the three new tiers in one call
    conflict = items[f"customer:{clash['customer_id']}"]
    assert conflict.action == "conflict"
    assert (conflict.conflicts[0].workbook, conflict.conflicts[0].odoo) == (
        "02-2222-2222",
        "02-1111-1111",
    )
    assert (
        _read(live, "res.partner", f"customer:{clash['customer_id']}", ["phone"])["phone"]
        == "02-1111-1111"
    )
    pulled = [
        c for c in out.result.pull if c.key == odoo_side["customer_id"] and c.column == "email"
    ]
    assert [(c.value, c.as_text) for c in pulled] == [("=sum@example.com.tw", True)]


@pytest.mark.alters_setup
def test_a_record_odoo_refuses_names_row_model_and_field(live, books, tmp_path, demo):
    client = live.client()
    options = client.call(
        "ir.model.fields.selection", "search_read",
        [["field_id.model", "=", "res.partner"], ["field_id.name", "=", "x_mops_company_size"]],
        fields=["field_id", "value"],
    )  # fmt: skip
    micro = next(o for o in options if o["value"] == "micro")
    # Deleting the option clears it on every partner of the shared database: note them, and
    # give them their value back afterwards.
    holders = client.call(
        "res.partner", "search", [["x_mops_company_size", "=", "micro"]],
        context={"active_test": False},
    )  # fmt: skip
    client.call(
        "ir.model.fields", "write", [micro["field_id"][0]], {"selection_ids": [[2, micro["id"]]]}
    )
    try:
        out = live.sync(books, tmp_path / "state.sqlite")
    finally:
        _restore_company_sizes(client, demo)
        if holders:
            client.call("res.partner", "write", holders, {"x_mops_company_size": "micro"})
    refused = [r for r in out.result.refusals if r.record_type == "customer"]
    expected = [r for r in books.rows["customers"] if r["company_size"] == "micro"]
    assert refused and len(refused) <= len(expected)
    for r in refused:
        assert (
            r.issue.field == "res.partner.x_mops_company_size" and r.issue.column == "company_size"
        )
        assert r.source.row >= 2 and "micro" in r.issue.message_en
    assert out.result.created["customer"] > 0


def _restore_company_sizes(client, demo) -> None:
    """Put the option back (mops odoo setup), in the enum's order, as the contract has them."""
    provision(client, demo.sheet_rows("roster"))
    order = COMPANY_SIZE.keys()
    rows = client.call(
        "ir.model.fields.selection", "search_read",
        [["field_id.model", "=", "res.partner"], ["field_id.name", "=", "x_mops_company_size"]],
        fields=["value", "sequence"],
    )  # fmt: skip
    for row in rows:
        if row["sequence"] != order.index(row["value"]):
            client.call(
                "ir.model.fields.selection",
                "write",
                [row["id"]],
                {"sequence": order.index(row["value"])},
            )


def test_a_saved_plan_is_refused_once_odoo_moved(live, books, tmp_path):
    state = tmp_path / "state.sqlite"
    first = live.sync(books, state)
    item = next(i for i in first.plan.items if i.action == "create" and i.record_type == "customer")
    books.row("customers", item.key.split(":")[1])["phone"] = "02-3333-3333"
    books.write()
    saved = tmp_path / "plan.json"
    live.sync(books, state, dry_run=True, save_plan=saved)
    rec = _read(live, "res.partner", item.key, ["id"])
    live.client().call("res.partner", "write", [rec["id"]], {"email": "moved@example.com.tw"})
    with pytest.raises(PlanOutdatedError, match=item.key):
        live.sync(books, state, plan_file=saved)
    assert _read(live, "res.partner", item.key, ["phone"])["phone"] != "02-3333-3333"


@pytest.mark.parametrize("die_at", [1, 3])
def test_a_crash_after_odoo_said_yes_then_a_rerun_converges(live, books, tmp_path, die_at):
    state = tmp_path / "state.sqlite"
    config = live.config()
    report, dataset = validate_dataset(books.paths, config)
    client = live.client()
    store = DyingStore(state, die_at)
    store.bind(live.settings.url, live.settings.database)
    plan = make_plan(
        client, report, dataset, store, load_mapping(), config,
        url=live.settings.url, database=live.settings.database,
    )  # fmt: skip
    with pytest.raises(Crash):
        apply_plan(client, plan, store, batch=10)
    store.close()
    rerun = live.sync(books, state, batch=10)
    assert sum(rerun.result.adopted.values()) >= 1
    mine = _mine(live, books)
    assert set(mine.values()) == {1}
    assert len(mine) == sum(1 for i in plan.items if i.action == "create")
    again = _counting(live)
    live.sync(books, state, client=again)
    assert "write" not in again.by_method and "create" not in again.by_method
    with StateStore(state) as store:
        assert "adopt" in {e.action for e in store.journal(limit=0)}


def test_a_wrong_password_is_an_auth_error(live):
    with language("en"), pytest.raises(OdooAuthError, match="refused the login"):
        Odoo(live.settings, "not-the-password").client()
