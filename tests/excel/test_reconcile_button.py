"""The Reconcile button's Python (mops.excel.reconcile_book) on the demo year through a fake of
xlwings: it classifies what ``mops reconcile`` classifies, writes each row's status and the
Reconciliation sheet into the open workbook only, and leaves the validation's results alone."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter

import pytest

import mops
import mops.excel

from fake_xlwings import FakeBook

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")

AS_OF = dt.date(2026, 11, 26)
PLANTED = {"duplicate_claim", "reimbursed_before_approval", "approved_by_claimant"}


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _status_column(sheet) -> int:
    return next(c for (r, c), v in sheet.cells.items() if r == 1 and v == "對帳狀態")


def _plain(value) -> str:
    return str(value or "").lstrip("'")  # the apostrophe Excel hides keeps a text a text


def test_the_button_reconciles_like_mops_reconcile_into_the_open_workbook(finance_folder):
    path = finance_folder / "finance.xlsm"
    before = _digest(path)
    book = FakeBook(path)
    result = mops.excel.reconcile_book(book, as_of=AS_OF, offline=True)

    cli = mops.reconcile("all", finance_folder, as_of=AS_OF, offline=True)
    # The campaign budget is in the marketing plan, which the button does not reconcile.
    assert result.totals == Counter(x.cls.value for x in cli.lines if "campaign" not in x.detail)
    assert not any("campaign" in x.detail for x in result.lines)
    assert set(result.totals) >= PLANTED  # the demo's planted finance mistakes, each found
    assert _digest(path) == before  # read and written through Excel only, never the file

    # Every line about a claim row says its class in that row's status cell.
    claims = book.sheets["費用申請"]
    status = _status_column(claims)
    flagged = [x for x in result.lines if x.kind == "claims" and not x.cls.ok and x.ref]
    assert flagged
    for line in flagged:
        assert line.cls.label("zh-TW") in _plain(claims.cells[(line.ref.row, status)])
    assert not claims.fills  # the cells' fills are the validation's

    names = [s.name for s in book.sheets]
    assert names[names.index("說明") + 1] == "對帳結果" and book.active == "對帳結果"
    sheet = book.sheets["對帳結果"]
    assert sheet.cell("A1") == "finance.xlsm 對帳結果"
    summary = _plain(book.sheets["控制台"].cell("D13"))
    assert f"需處理 {result.unmatched} 筆" in summary


def test_validation_and_reconciliation_sit_side_by_side_and_each_replaces_its_own(
    finance_folder,
):
    book = FakeBook(finance_folder / "finance.xlsm")
    mops.excel.validate_book(book, as_of=AS_OF)
    painted = {(s.name, rc): rgb for s in book.sheets for rc, rgb in s.fills.items()}
    assert painted
    findings = book.sheets["檢核結果"].cells.copy()

    mops.excel.reconcile_book(book, as_of=AS_OF, offline=True)
    mops.excel.reconcile_book(book, as_of=AS_OF, offline=True)
    names = [s.name for s in book.sheets]
    assert names.count("對帳結果") == 1 and names.count("檢核結果") == 1
    assert names.index("對帳結果") == names.index("檢核結果") + 1
    assert book.sheets["檢核結果"].cells == findings
    assert {(s.name, rc): rgb for s in book.sheets for rc, rgb in s.fills.items()} == painted

    reconciled = book.sheets["對帳結果"].cells.copy()
    mops.excel.validate_book(book, as_of=AS_OF)
    names = [s.name for s in book.sheets]
    assert names.count("對帳結果") == 1 and names.count("檢核結果") == 1
    assert book.sheets["對帳結果"].cells == reconciled
