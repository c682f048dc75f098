"""Fixtures of the reconciliation tests: the demo year, its workbooks, the test Odoo servers."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from mops.demodata import DemoData, generate_demo

from odoo_server.fixture import odoo19_server, odoo_any_server, odoo_server  # noqa: F401

AS_OF = dt.date(2026, 11, 26)


@pytest.fixture(scope="session")
def demo() -> DemoData:
    """The seeded demo year (generated once)."""
    return generate_demo()


@pytest.fixture
def books(demo_folder, tmp_path) -> Path:
    """A fresh copy of the demo's sales and expenses workbooks, to reconcile and write into."""
    folder = tmp_path / "books"
    folder.mkdir()
    for name in ("sales.xlsx", "expenses.xlsx", "planted-finance.json"):
        shutil.copy(demo_folder / name, folder / name)
    return folder
