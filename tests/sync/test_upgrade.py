"""An Odoo upgraded between two syncs (17 → 19) is noticed; records are found by key, none twice."""

from __future__ import annotations

import sqlite3

from mops.i18n import language

from .helpers import count_by_key


def test_an_upgraded_server_is_noticed_and_nothing_is_created_twice(odoo, make_books, tmp_path):
    books = make_books(5)
    state = tmp_path / "state.sqlite"
    first = odoo.sync(books, state)
    assert first.result is not None and sum(first.result.created.values())
    assert not [n for n in first.plan.notes if n.code == "odoo_upgraded"]
    # The state store remembers the version it synced with; say it was an older Odoo.
    with sqlite3.connect(state) as db:
        (version,) = db.execute("SELECT value FROM meta WHERE key = 'odoo_version'").fetchone()
        db.execute("UPDATE meta SET value = '16.0' WHERE key = 'odoo_version'")
    assert version.startswith("17")
    with language("en"):
        again = odoo.sync(books, state)
    notes = [n for n in again.plan.notes if n.code == "odoo_upgraded"]
    assert notes and "from 16.0 to 17" in notes[0].message("en")
    assert again.result is not None and not any(again.result.created.values())
    assert set(count_by_key(odoo.client()).values()) == {1}
