"""The night writes the reconciliation back, beside the findings, and no more than once."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import openpyxl
import pytest

import mops
from mops.config import load_config

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")

AS_OF = dt.date(2026, 11, 26)
FINANCE = ("sales.xlsx", "expenses.xlsx", "staff.xlsx")


@pytest.fixture
def finance(demo_folder, tmp_path) -> Path:
    folder = tmp_path / "finance"
    folder.mkdir()
    for name in FINANCE:
        shutil.copy(demo_folder / name, folder / name)
    return folder


def _digests(folder: Path) -> dict[str, str]:
    return {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in FINANCE}


def test_the_night_writes_the_reconciliation_beside_the_findings(finance, monkeypatch):
    monkeypatch.delenv("MOPS_ODOO_URL", raising=False)
    config = load_config().updated("odoo", url="")
    run = mops.nightly([finance], as_of=AS_OF, config=config)
    step = run.step("reconcile")
    assert step.status == "attention" and step.counts["written"] == 2
    assert not run.skipped
    for name in ("sales.xlsx", "expenses.xlsx"):
        book = openpyxl.load_workbook(finance / name)
        assert {"檢核結果", "對帳結果"} <= set(book.sheetnames), name
    claims = openpyxl.load_workbook(finance / "expenses.xlsx")["費用申請"]
    status = next(c.column for c in claims[1] if c.value == "對帳狀態")
    statuses = [r[status - 1].value for r in claims.iter_rows(min_row=2)]
    assert "重複申請" in statuses  # a planted duplicate, found without Odoo
    # The next night finds the same: nothing in the workbooks changes.
    before = _digests(finance)
    again = mops.nightly([finance], as_of=AS_OF, config=config)
    assert again.step("reconcile").status == "attention"
    assert _digests(finance) == before
    assert not (finance / "expenses.xlsx").with_name("~$expenses.xlsx").exists()


def test_a_workbook_opened_before_the_reconciliation_keeps_the_night_s_findings_only(
    finance, monkeypatch
):
    monkeypatch.delenv("MOPS_ODOO_URL", raising=False)
    config = load_config().updated("odoo", url="")
    lock = finance / "~$expenses.xlsx"
    real = mops.api.reconcile

    def reconcile_then_open(*args, **kwargs):
        # Someone opens the workbook in Excel between the reading and the writing.
        result = real(*args, **kwargs)
        lock.write_bytes(b"owner")
        return result

    monkeypatch.setattr(mops.api, "reconcile", reconcile_then_open)
    run = mops.nightly([finance], as_of=AS_OF, config=config)
    assert [Path(f).name for f, _ in run.skipped] == ["expenses.xlsx"]
    assert run.step("reconcile").counts["written"] == 1
    expenses = openpyxl.load_workbook(finance / "expenses.xlsx")
    assert "檢核結果" in expenses.sheetnames and "對帳結果" not in expenses.sheetnames
    assert "對帳結果" in openpyxl.load_workbook(finance / "sales.xlsx").sheetnames
    assert run.exit_code == 1
