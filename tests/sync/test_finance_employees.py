"""The roster as hr.employee on the test server as Odoo 17 and 19: linked users, departments,
managers, leavers archived through Odoo's own action, and a re-sync that writes nothing."""

from __future__ import annotations

import pytest

from .conftest import Odoo

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")


def _m2o(value):
    return value[0] if isinstance(value, list) else value


def _employees(server):
    rows = server.search_read(
        "hr.employee", [["x_mops_key", "=like", "employee:%"]],
        ["x_mops_key", "name", "user_id", "department_id", "parent_id", "active",
         "departure_date"],
    )  # fmt: skip
    return {r["x_mops_key"]: r for r in rows}


def _xmlids(server):
    rows = server.search_read("ir.model.data", [["module", "=", "mops"]], ["name", "res_id"])
    return {f"mops.{r['name']}": r["res_id"] for r in rows}


def _writes(server):
    return [
        c
        for c in server.calls
        if c.method in ("create", "write", "unlink", "action_archive", "action_unarchive")
        and c.model != "ir.model.data"
    ]


def test_the_roster_becomes_employees_and_a_leaver_is_archived_not_deleted(
    odoo_v: Odoo, make_books, demo, tmp_path
):
    books = make_books(customers=3)
    state = tmp_path / "state.sqlite"
    first = odoo_v.sync(books, state)
    assert not first.result.refusals
    server = odoo_v.server
    employees = _employees(server)
    roster = demo.sheet_rows("roster")
    assert set(employees) == {f"employee:{p['employee_id']}" for p in roster}
    users = {u["login"]: u["id"] for u in server.search_read("res.users", [], ["login"])}
    xmlids = _xmlids(server)
    ids = {key: rec["id"] for key, rec in employees.items()}
    by_name = {p["name"]: p["employee_id"] for p in roster}
    for person in roster:
        rec = employees[f"employee:{person['employee_id']}"]
        assert rec["name"] == person["name"]
        assert _m2o(rec["user_id"]) == users[person["email"].lower()]
        assert _m2o(rec["department_id"]) == xmlids[f"mops.department_{person['group']}"]
        manager = person.get("manager")
        assert _m2o(rec["parent_id"]) == (ids[f"employee:{by_name[manager]}"] if manager else False)
        assert rec["active"] is bool(person["active"])
    leavers = [p for p in roster if not p["active"]]
    assert leavers, "the demo has a leaver"
    archived = server.calls_to(method="action_archive")
    assert len(archived) == 1 and not server.calls_to("hr.employee", "unlink")
    # The leaver's departure date came along.
    for person in leavers:
        rec = employees[f"employee:{person['employee_id']}"]
        assert rec["departure_date"] == person["leave_date"].isoformat()
    # A second sync plans no step and writes nothing.
    server.reset_calls()
    again = odoo_v.sync(books, state)
    assert not any(i.actions for i in again.plan.items)
    assert _writes(server) == []


def test_someone_leaving_later_is_archived_once_and_rehiring_unarchives(
    odoo_v: Odoo, make_books, tmp_path
):
    books = make_books(customers=2)
    state = tmp_path / "state.sqlite"
    odoo_v.sync(books, state)
    person = next(
        p for p in books.staff["roster"] if p["active"] and not any(
            q.get("manager") == p["name"] for q in books.staff["roster"]
        )
    )  # fmt: skip
    person["active"] = False
    books.write()
    server = odoo_v.server
    server.reset_calls()
    plan = odoo_v.sync(books, state, dry_run=True).plan
    item = next(i for i in plan.items if i.key == f"employee:{person['employee_id']}")
    assert item.actions == ["action_archive"] and item.writes
    assert not server.calls_to(method="action_archive")  # a dry run only plans it
    odoo_v.sync(books, state)
    rec = _employees(server)[f"employee:{person['employee_id']}"]
    assert rec["active"] is False
    assert len(server.calls_to(method="action_archive")) == 1
    server.reset_calls()
    odoo_v.sync(books, state)
    assert _writes(server) == []
    person["active"] = True
    books.write()
    odoo_v.sync(books, state)
    assert _employees(server)[f"employee:{person['employee_id']}"]["active"] is True
    assert len(server.calls_to(method="action_unarchive")) == 1
