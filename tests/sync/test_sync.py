"""Sync the demo workbooks with the test Odoo 17 server, over HTTP with the real client."""

from __future__ import annotations

from collections import Counter

import pytest

from mops.errors import InputError, OdooError
from mops.i18n import language
from mops.syncing.applier import PlanOutdatedError
from mops.syncing.run import pull_back_values
from mops.syncing.state import StateStore

from .conftest import Odoo, provisioned
from .helpers import (
    company_size_option,
    count_by_key,
    others_for,
    remove_option,
    settings_for,
)
from odoo_server.server import OdooTestServer

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")


def _m2o(value):
    return value[0] if isinstance(value, list) else value


def _partners(server, prefix):
    rows = server.search_read(
        "res.partner", [["x_mops_key", "=like", f"{prefix}:%"]],
        ["x_mops_key", "parent_id", "user_id", "category_id", "industry_id", "phone", "email",
         "x_mops_budget", "x_mops_company_size", "name"],
    )  # fmt: skip
    return {r["x_mops_key"]: r for r in rows}


def _leads(server):
    rows = server.search_read(
        "crm.lead", [["x_mops_key", "=like", "opportunity:%"]],
        ["x_mops_key", "partner_id", "user_id", "team_id", "stage_id", "active", "probability",
         "expected_revenue", "source_id"],
    )  # fmt: skip
    return {r["x_mops_key"]: r for r in rows}


def _xmlids(server):
    rows = server.search_read("ir.model.data", [["module", "=", "mops"]], ["name", "res_id"])
    return {f"mops.{r['name']}": r["res_id"] for r in rows}


def _writes(server):
    """The writes to records (the lease a writing sync holds, in ir.model.data, aside)."""
    return [
        c
        for c in server.calls
        if c.method in ("create", "write", "unlink") and c.model != "ir.model.data"
    ]


@pytest.mark.slow  # the whole demo year
def test_demo_pushes_everything_once_and_a_resync_writes_nothing(odoo, make_books, demo, tmp_path):
    books = make_books()
    books.others = others_for(
        demo, books.rows, campaigns=len(demo.rows["marketing_plan"]["campaigns"])
    )
    books.write()
    state = tmp_path / "state.sqlite"
    first = odoo.sync(books, state)
    plan, result = first.plan, first.result
    created = {name: c["create"] for name, c in plan.counts().items() if c["create"]}
    assert created["customer"] > 700 and created["contact"] > 900 and created["opportunity"] > 1400
    assert created["ticket"] > 500 and created["campaign"] > 30 and created["followup"] > 2500
    assert dict(result.created) == created and not result.refusals
    counts = count_by_key(odoo.client())
    assert set(counts.values()) == {1}
    assert Counter(k.split(":")[0] for k in counts) == {
        "next" if name == "next_step" else name: n for name, n in created.items()
    }
    # Rows with errors are skipped and say why; the demo plants some.
    skipped = [i for i in plan.items if i.action == "skipped"]
    assert skipped and all(i.issues and i.source for i in skipped)
    assert first.exit_code == 1
    # References point where the workbook says.
    server = odoo.server
    customers, contacts, leads = (
        _partners(server, "customer"),
        _partners(server, "contact"),
        _leads(server),
    )
    xmlids = _xmlids(server)
    users = {u["login"]: u["id"] for u in server.search_read("res.users", [], ["login"])}
    roster = {p["name"]: p["email"].lower() for p in demo.sheet_rows("roster")}
    for row in books.rows["customers"]:
        rec = customers.get(f"customer:{row['customer_id']}")
        if rec is None:
            continue
        assert _m2o(rec["user_id"]) == users[roster[row["account_manager"]]]
        assert xmlids[f"mops.tier_{row['tier']}"] in rec["category_id"]
        assert _m2o(rec["industry_id"]) == xmlids[f"mops.industry_{row['industry']}"]
    for row in books.rows["contacts"]:
        rec = contacts.get(f"contact:{row['contact_id']}")
        if rec is not None:
            assert _m2o(rec["parent_id"]) == customers[f"customer:{row['customer_id']}"]["id"]
    for row in books.rows["opportunities"]:
        rec = leads.get(f"opportunity:{row['opportunity_id']}")
        if rec is None:
            continue
        assert _m2o(rec["partner_id"]) == customers[f"customer:{row['customer_id']}"]["id"]
        assert _m2o(rec["user_id"]) == users[roster[row["salesperson"]]]
        assert _m2o(rec["team_id"]) == xmlids["mops.team_sales"]
        assert rec["active"] is (row["stage"] != "lost")
        if row["stage"] not in (None, "lost"):
            assert _m2o(rec["stage_id"]) == xmlids[f"mops.stage_{row['stage']}"]
    # Calls grow with batches, not rows.
    creates = server.calls_to(method="create")
    assert len(creates) <= sum((n + 499) // 500 for n in created.values())
    # The second run reads, and writes nothing at all.
    server.reset_calls()
    again = odoo.sync(books, state)
    assert {i.action for i in again.plan.items} == {"unchanged", "skipped"}
    assert _writes(server) == [] and not server.calls_to(method="message_post")
    # Logging in, then one read each for external ids, users, the ir.model ids of chatter
    # threads and lost reasons, then one per record type (the roster's people are matched with
    # users; their employees are read). No fields_get: every field of the mapping was there.
    assert {c.method for c in server.calls} <= {
        "version_info",
        "login",
        "context_get",
        "search_read",
    }
    reads = server.calls_to(method="search_read")
    assert again.plan_calls + again.result.calls == len(reads)
    assert [c.model for c in reads[4:]] == [
        "utm.campaign", "account.analytic.account", "res.partner", "hr.employee", "res.partner",
        "crm.lead", "project.task", "mail.message", "mail.activity",
    ]  # fmt: skip


@pytest.mark.slow  # the whole demo year
def test_one_percent_changed_writes_only_those_grouped_by_equal_values(odoo, make_books, tmp_path):
    books = make_books()
    state = tmp_path / "state.sqlite"
    first = odoo.sync(books, state)
    synced = {i.key for i in first.plan.items if i.action == "create"}
    customers = [r for r in books.rows["customers"] if f"customer:{r['customer_id']}" in synced]
    leads = [
        r for r in books.rows["opportunities"]
        if f"opportunity:{r['opportunity_id']}" in synced
        and r["stage"] in ("qualified", "proposal")
    ]  # fmt: skip
    retiered = [r for r in customers if r["tier"] != "A"][:8]
    for r in retiered:
        r["tier"] = "A"
    rephoned = customers[-8:]
    for i, r in enumerate(rephoned):
        r["phone"] = f"02-8888-{1000 + i}"
    reweighed = [r for r in leads if r["probability"] != 0.55][:15]
    for r in reweighed:
        r["probability"] = 0.55
    books.write()
    odoo.server.reset_calls()
    out = odoo.sync(books, state)
    changed = {i.key for i in out.plan.items if i.action == "update"}
    expected = {f"customer:{r['customer_id']}" for r in retiered + rephoned} | {
        f"opportunity:{r['opportunity_id']}" for r in reweighed
    }
    assert changed == expected
    writes = _writes(odoo.server)
    assert {c.method for c in writes} == {"write"}
    # One write for the 8 new tiers, one for the 15 probabilities, one per distinct phone.
    assert sorted(c.records for c in writes) == [1] * 8 + [8, 15]
    assert sum(out.result.updated.values()) == len(expected)
    customers_now = _partners(odoo.server, "customer")
    tier_a = _xmlids(odoo.server)["mops.tier_A"]
    assert all(
        tier_a in customers_now[f"customer:{r['customer_id']}"]["category_id"] for r in retiered
    )
    assert all(
        _leads(odoo.server)[f"opportunity:{r['opportunity_id']}"]["probability"] == 55.0
        for r in reweighed
    )
    with StateStore(state) as store:
        entries = store.journal(run_id=out.result.run_id, limit=0)
    assert {(e.key, e.field) for e in entries} >= {
        (f"customer:{r['customer_id']}", "phone") for r in rephoned
    }
    assert all(e.workbook and e.row for e in entries)


def _pushed(odoo, make_books, tmp_path, customers=10):
    books = make_books(customers)
    state = tmp_path / "state.sqlite"
    first = odoo.sync(books, state)
    key = next(i for i in first.plan.items if i.action == "create" and i.record_type == "customer")
    return books, state, key


def test_a_field_changed_on_both_sides_is_reported_with_both_values_and_not_overwritten(
    odoo, make_books, tmp_path
):
    books, state, item = _pushed(odoo, make_books, tmp_path)
    client = odoo.client()
    client.call("res.partner", "write", [odoo_id(odoo, item.key)], {"phone": "02-1111-1111"})
    books.row("customers", item.key.split(":")[1])["phone"] = "02-2222-2222"
    books.write()
    odoo.server.reset_calls()
    out = odoo.sync(books, state)
    conflict = next(i for i in out.plan.items if i.key == item.key)
    assert conflict.action == "conflict"
    (c,) = conflict.conflicts
    assert (c.column, c.workbook, c.odoo, c.policy) == (
        "phone",
        "02-2222-2222",
        "02-1111-1111",
        "report",
    )
    assert _writes(odoo.server) == []
    assert _partners(odoo.server, "customer")[item.key]["phone"] == "02-1111-1111"
    assert out.exit_code == 1
    # Reported again next time, until someone settles it; then the workbook may win.
    again = odoo.sync(books, state)
    assert next(i for i in again.plan.items if i.key == item.key).action == "conflict"
    settled = odoo.sync(books, state, conflicts={"customer.phone": "workbook"})
    assert next(i for i in settled.plan.items if i.key == item.key).action == "update"
    assert _partners(odoo.server, "customer")[item.key]["phone"] == "02-2222-2222"
    again = odoo.sync(books, state)
    assert next(i for i in again.plan.items if i.key == item.key).action == "unchanged"


def odoo_id(odoo, key):
    return _partners(odoo.server, key.split(":")[0])[key]["id"]


def test_an_edit_made_in_odoo_is_kept_and_offered_back_to_the_workbook(odoo, make_books, tmp_path):
    books, state, item = _pushed(odoo, make_books, tmp_path)
    odoo.client().call(
        "res.partner", "write", [odoo_id(odoo, item.key)], {"email": "+new@example.com.tw"}
    )
    for _ in range(2):
        odoo.server.reset_calls()
        out = odoo.sync(books, state)
        assert _writes(odoo.server) == []
        pulled = [c for c in out.result.pull if c.column == "email"]
        assert [(c.key, c.value, c.as_text) for c in pulled] == [
            (item.key.split(":")[1], "+new@example.com.tw", True)
        ]
    assert _partners(odoo.server, "customer")[item.key]["email"] == "+new@example.com.tw"


def test_a_record_odoo_refuses_is_a_finding_and_the_rest_still_applies(odoo, make_books, tmp_path):
    books = make_books(15)  # two of them "micro"
    client = odoo.client()
    # Someone removed the option "micro" from the selection in Odoo.
    remove_option(client, company_size_option(client))
    micro = [r for r in books.rows["customers"] if r["company_size"] == "micro"]
    assert micro
    out = odoo.sync(books, tmp_path / "state.sqlite")
    refused = {r.key: r for r in out.result.refusals if r.record_type == "customer"}
    planned = {
        i.key for i in out.plan.items if i.action == "create" and i.record_type == "customer"
    }
    micro_keys = {f"customer:{r['customer_id']}" for r in micro} & planned
    assert micro_keys and set(refused) == micro_keys
    for r in refused.values():
        assert (r.model, r.issue.field, r.issue.column) == (
            "res.partner",
            "res.partner.x_mops_company_size",
            "company_size",
        )
        assert r.source.row >= 2 and r.source.sheet == "customers"
        assert "micro" in r.issue.message_en
    assert out.result.created["customer"] == len(planned) - len(micro_keys)
    dependents = [r for r in out.result.refusals if r.record_type != "customer"]
    assert dependents and all(r.issue.code == "ref-failed" for r in dependents)
    assert out.exit_code == 1
    with StateStore(tmp_path / "state.sqlite") as store:
        refusals = [e for e in store.journal(limit=0) if e.action == "refused"]
    assert {e.key for e in refusals} >= micro_keys


def test_a_saved_plan_applies_as_planned_and_is_refused_once_odoo_moved(odoo, make_books, tmp_path):
    books, state, item = _pushed(odoo, make_books, tmp_path)
    cid = item.key.split(":")[1]
    books.row("customers", cid)["phone"] = "02-3333-3333"
    books.write()
    saved = tmp_path / "plan.json"
    dry = odoo.sync(books, state, dry_run=True, save_plan=saved)
    assert dry.result is None and saved.is_file()
    assert _partners(odoo.server, "customer")[item.key]["phone"] != "02-3333-3333"
    applied = odoo.sync(books, state, plan_file=saved)
    assert sum(applied.result.updated.values()) == 1
    assert _partners(odoo.server, "customer")[item.key]["phone"] == "02-3333-3333"
    # A second plan, then Odoo moves before it is applied.
    books.row("customers", cid)["phone"] = "02-4444-4444"
    books.write()
    odoo.sync(books, state, dry_run=True, save_plan=saved)
    # Within the same second: Odoo's write_date alone would not show it.
    odoo.client().call("res.partner", "write", [odoo_id(odoo, item.key)], {"email": "a@b.com.tw"})
    odoo.server.reset_calls()
    with language("en"), pytest.raises(PlanOutdatedError, match=item.key) as info:
        odoo.sync(books, state, plan_file=saved)
    assert isinstance(info.value, InputError) and "nothing was written" in str(info.value)
    assert _writes(odoo.server) == []
    assert _partners(odoo.server, "customer")[item.key]["phone"] == "02-3333-3333"


def test_an_odoo_without_mops_setup_is_a_clear_error(odoo_server, make_books, tmp_path):
    bare = Odoo(settings_for(odoo_server.url, odoo_server.database), "admin", odoo_server)
    with pytest.raises(OdooError, match="mops odoo setup"):
        bare.sync(make_books(3), tmp_path / "state.sqlite")
    assert not odoo_server.calls_to(method="create")


def test_pull_back_values_carry_the_ids_of_new_records(odoo, make_books, tmp_path):
    books = make_books(5)
    out = odoo.sync(books, tmp_path / "state.sqlite")
    cells = pull_back_values(out.result)
    ids = {
        (c.sheet, c.key): c.value for c in cells if c.column in ("odoo_partner_id", "odoo_lead_id")
    }
    customers = _partners(odoo.server, "customer")
    for key, rec in customers.items():
        assert ids[("customers", key.split(":")[1])] == rec["id"]
    assert all(c.file.endswith(("customers.xlsx", "staff.xlsx")) and c.row >= 2 for c in cells)
    # A dry run offers what it already knows; ids of records not yet created come later.
    dry = odoo.sync(books, tmp_path / "other.sqlite", dry_run=True)
    assert all(isinstance(c.value, int) for c in pull_back_values(dry.plan) if "odoo_" in c.column)


def test_the_reads_of_a_first_sync_do_not_grow_with_its_batches(demo, make_books, tmp_path):
    # Each type's keys are looked up in one read before its creates, however many batches (and
    # waves: employees wait for their managers) the creates take.
    books = make_books(6)
    reads, creates = {}, {}
    for batch in (2, 500):
        with OdooTestServer() as server:
            odoo = provisioned(server, demo)
            out = odoo.sync(books, tmp_path / f"state-{batch}.sqlite", batch=batch)
            assert not out.result.refusals
            creates[batch] = Counter(c.model for c in server.calls_to(method="create"))
            reads[batch] = Counter(c.model for c in server.calls_to(method="search_read"))
    assert creates[2]["crm.lead"] > creates[500]["crm.lead"] == 1
    assert creates[2]["hr.employee"] > creates[500]["hr.employee"] > 1  # waves
    assert reads[2] == reads[500]
