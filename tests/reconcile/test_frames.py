"""A workbook held in memory (as an Excel macro hands it over) reconciled without any file."""

from __future__ import annotations

import openpyxl
import pytest

import mops
from mops.config import load_config
from mops.reconciling.run import reconcile_paths

from .books import mirror
from .conftest import AS_OF
from .test_reconcile_odoo import _client

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")


def _in_memory(books) -> list:
    """The finance sheets of the demo as open Excel books hold them: values, from A1."""
    out = []
    for name, tabs in (
        ("sales.xlsx", ("合同", "付款期程")),
        ("expenses.xlsx", ("費用預算", "費用申請")),
    ):
        book = openpyxl.load_workbook(books / name, data_only=True)
        sheets = {
            ws.title: [list(row) for row in ws.iter_rows(values_only=True)]
            for ws in book.worksheets
            if ws.title in tabs
        }
        out.append(mops.read_workbook_values(name, sheets))
    return out


def test_offline_from_memory_finds_what_the_workbooks_show(books, demo, tmp_path):
    empty = tmp_path / "state"
    empty.mkdir()
    result = mops.reconcile_frames(
        _in_memory(books), state=empty / "none.sqlite", as_of=AS_OF, offline=True
    )
    found = {(x.cls.value, x.ref.sheet if x.ref else None, x.key) for x in result.lines}
    for plant in demo.finance:
        if plant.odoo is None:
            assert (plant.cls, plant.sheet, plant.key) in found, plant
    assert {x.ref.file for x in result.lines if x.ref} == {"sales.xlsx", "expenses.xlsx"}
    assert not list(empty.iterdir())  # nothing written


@pytest.mark.slow
def test_from_memory_against_the_snapshot_of_the_books(odoo_server, books, demo, tmp_path):
    client = _client(odoo_server)
    with odoo_server.paused():
        mirror(client, demo, odoo_server.version)
    state = tmp_path / ".mops-sync.sqlite"
    reconcile_paths("all", [books], load_config(), as_of=AS_OF, client=client, state=state)
    result = mops.reconcile_frames(_in_memory(books), state=state, as_of=AS_OF, offline=True)
    found = {(x.cls.value, x.ref.sheet if x.ref else None, x.key) for x in result.lines}
    for plant in demo.finance:
        if plant.sheet == "campaign_budget":
            continue  # the campaign budget is in the marketing plan, not among these sheets
        sheet = None if plant.cls == "odoo_only" else plant.sheet
        assert (plant.cls, sheet, plant.key) in found, plant
    status = [s for x in result.lines for s in x.status]
    assert status and all(s.file in ("sales.xlsx", "expenses.xlsx") and s.key_cell for s in status)
