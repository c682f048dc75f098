"""The Pull from Odoo button's Python (mops.excel.pull_from_odoo) against the test Odoo: Odoo's
values reach the open workbook through xlwings (a fake of it), nothing is written to Odoo or
to a file, and a row that no longer holds its record is left alone."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import mops.excel

from .conftest import provisioned
from fake_xlwings import FakeBook

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")


@pytest.fixture(params=["17", "19"])
def any_odoo(request, demo):
    """The test Odoo as 17 (JSON-RPC, a password) and as 19 (JSON-2, an API key)."""
    server = request.getfixturevalue("odoo_server" if request.param == "17" else "odoo19_server")
    return provisioned(server, demo)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_pull_writes_odoo_ids_into_the_open_workbook_only(any_odoo, make_books, monkeypatch):
    odoo = any_odoo
    books = make_books(customers=4)
    state = books.folder / ".mops-sync.sqlite"
    first = odoo.sync(books, state)
    assert first.result is not None and first.result.created
    monkeypatch.setenv("MOPS_ODOO_PASSWORD", odoo.password)
    config = odoo.config()

    path = books.folder / "customers.xlsx"
    before = {p.name: _digest(p) for p in books.paths}
    book = FakeBook(path)
    sheet = book.sheets["客戶"]
    header = {v: c for (r, c), v in sheet.cells.items() if r == 1}
    id_col, key_col = header["Odoo 客戶 ID"], header["客戶編號"]
    assert not [v for (r, c), v in sheet.cells.items() if c == id_col and r > 1]
    # Someone sorted the sheet in Excel after the sync read it: row 3 now holds another key.
    sheet.cells[(3, key_col)] = "CU9999"
    odoo.server.reset_calls()

    pulled = mops.excel.pull_from_odoo(book, config=config)

    assert pulled is not None
    assert ("save",) in book.log
    client = odoo.client()
    partners = client.search_read(
        "res.partner", [["x_mops_key", "like", "customer:"]], ["x_mops_key"]
    )
    ids = {p["x_mops_key"].split(":", 1)[1]: p["id"] for p in partners}
    for row in (2, 4, 5):
        key = sheet.cells[(row, key_col)]
        assert sheet.cells.get((row, id_col)) == ids[key], row
    assert (3, id_col) not in sheet.cells  # not the record the value was meant for
    assert {p.name: _digest(p) for p in books.paths} == before  # no file written
    assert pulled.outcome.dry_run and pulled.outcome.result is None
    writes = {"create", "write", "unlink", "message_post", "action_archive"}
    assert not [c for c in odoo.server.calls_to() if c.method in writes]  # Odoo only read
