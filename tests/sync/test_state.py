"""The state store: versioned, tied to one Odoo database, one run at a time, batch commits."""

from __future__ import annotations

import sqlite3

import pytest

from mops.errors import InputError
from mops.syncing.plan import Source, StateRecord
from mops.syncing.state import SCHEMA_VERSION, StateStore


def test_records_and_journal_are_written_together_per_batch(tmp_path):
    with StateStore(tmp_path / "s.sqlite") as store:
        run = store.begin_run()
        pending = store.pending()
        record = StateRecord("customer", "customer:CU0001", "res.partner", 7, {"phone": "02"})
        store.stage_record(pending, record)
        store.stage_journal(
            pending, run, record_type="customer", key="customer:CU0001", model="res.partner",
            odoo_id=7, action="update", field="phone", old="01", new="02",
            source=Source("customers.xlsx", "customers", "客戶", 2),
        )  # fmt: skip
        assert store.records() == {}  # nothing until the batch commits
        store.commit(pending)
        store.set_digest(run, "abc")
        store.finish_run(run, "ok")
        assert store.records()[("customer", "customer:CU0001")].odoo_id == 7
        (entry,) = store.journal(run_id=run)
        assert (entry.field, entry.old, entry.new, entry.row) == ("phone", "01", "02", 2)
        assert store.last_applied_run() == run
        assert store.runs()[0].status == "ok"


def test_a_run_left_running_by_a_crash_becomes_interrupted(tmp_path):
    with StateStore(tmp_path / "s.sqlite") as store:
        first = store.begin_run()
    with StateStore(tmp_path / "s.sqlite") as store:
        store.begin_run()
        assert {r.run_id: r.status for r in store.runs()}[first] == "interrupted"


def test_the_store_belongs_to_one_odoo_database(tmp_path):
    with StateStore(tmp_path / "s.sqlite") as store:
        store.bind("https://odoo.example.com.tw", "mops")
        store.bind("https://odoo.example.com.tw", "mops")
        with pytest.raises(InputError, match="--state"):
            store.bind("https://odoo.example.com.tw", "test")


def test_only_one_sync_at_a_time(tmp_path):
    with StateStore(tmp_path / "s.sqlite") as one, StateStore(tmp_path / "s.sqlite") as two:
        one.lock()
        with pytest.raises(InputError, match="another mops sync"):
            two.lock()
    with StateStore(tmp_path / "s.sqlite") as three:
        three.lock()  # released when the first closed


def test_a_newer_or_foreign_file_is_refused(tmp_path):
    path = tmp_path / "s.sqlite"
    StateStore(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    db.commit()
    db.close()
    with pytest.raises(InputError, match="newer mops"):
        StateStore(path)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(InputError, match="not a mops sync state"):
        StateStore(junk)
