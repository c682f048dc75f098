"""The Open the report button's Python (mops.excel.open_report) on the demo year through a fake
of xlwings: the finance reports are written as ``mops report`` writes them and opened."""

from __future__ import annotations

import datetime as dt

import pytest

import mops.excel

from fake_xlwings import FakeBook

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")

AS_OF = dt.date(2026, 11, 26)


def test_the_button_writes_the_finance_reports_and_opens_them(finance_folder):
    book = FakeBook(finance_folder / "finance.xlsm")
    opened: list[str] = []
    run = mops.excel.open_report(book, as_of=AS_OF, opener=opened.append)

    assert [f.name for f in run.files] == ["contracts", "expenses"]
    assert opened == [f.path.resolve().as_uri() for f in run.files]
    for report in run.files:
        assert report.path.parent == finance_folder / "reports"
        html = report.path.read_text(encoding="utf-8")
        assert html.lstrip().lower().startswith("<!doctype html")
    assert ("save",) in book.log
    status = book.sheets["控制台"].cell("D17")
    assert all(f.path.name in status for f in run.files)
