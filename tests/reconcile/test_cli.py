"""The real ``mops reconcile`` command, in a subprocess, with and without an Odoo."""

from __future__ import annotations

import json

import pytest

from .books import mirror
from .conftest import AS_OF
from .test_reconcile_odoo import _client

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")

NO_ODOO = {"MOPS_ODOO_URL": "", "MOPS_ODOO_DATABASE": "", "MOPS_ODOO_LOGIN": ""}


def test_without_odoo_it_says_so_in_one_line_and_exits_2(mops, books, tmp_path):
    result = mops("reconcile", "claims", str(books), cwd=tmp_path, env=NO_ODOO)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "odoo" in result.stderr.lower()


def test_offline_without_a_snapshot_finds_what_the_workbooks_show(mops, books, demo, tmp_path):
    result = mops(
        "reconcile", str(books), "--offline", "--as-of", AS_OF.isoformat(), "--format", "json",
        "--lang", "en", cwd=tmp_path, env=NO_ODOO,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    assert document["schema"] == "mops.reconcile/1" and document["kind"] == "all"
    assert document["odoo"] == {"offline": True, "snapshot": None}
    found = {(x["class"], x["sheet"], x["key"]) for x in document["lines"]}
    rows = {(x["sheet"], x["key"]): x["row"] for x in document["lines"]}
    for plant in demo.finance:
        if plant.odoo is None:
            assert (plant.cls, plant.sheet, plant.key) in found, plant
            assert rows[(plant.sheet, plant.key)] >= 2
    assert sum(document["totals"].values()) == len(document["lines"])
    assert document["unmatched"] == sum(1 for x in document["lines"] if not x["ok"])


@pytest.mark.slow
def test_against_the_test_odoo_then_offline_from_its_snapshot(mops, odoo_server, demo, books):
    with odoo_server.paused():
        mirror(_client(odoo_server), demo, odoo_server.version)
    env = {
        "MOPS_ODOO_URL": odoo_server.url, "MOPS_ODOO_DATABASE": odoo_server.database,
        "MOPS_ODOO_LOGIN": "admin", "MOPS_ODOO_PASSWORD": "admin",
        # Wide enough that no class name wraps in the table, however long the temporary path
        # (pytest-xdist's workers have longer ones).
        "COLUMNS": "240",
    }  # fmt: skip
    result = mops(
        "reconcile", "contracts", str(books), "--as-of", AS_OF.isoformat(), "--write-back",
        "--lang", "en", env=env,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "Invoiced but not in the schedule" in result.stdout
    assert "Overdue receivable" in result.stdout and "sales.xlsx" in result.stdout
    offline = mops(
        "reconcile", "contracts", str(books), "--as-of", AS_OF.isoformat(), "--offline",
        "--lang", "en", env=NO_ODOO,
    )  # fmt: skip
    assert offline.returncode == 1, offline.stderr
    assert "Offline: the snapshot read at" in offline.stdout


def test_help_has_examples(mops):
    result = mops("reconcile", "--help")
    assert result.returncode == 0
    assert "mops reconcile demo --as-of 2026-11-26" in result.stdout
    assert "[claims|contracts|budget|all] PATHS..." in result.stdout
