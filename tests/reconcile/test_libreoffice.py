"""A workbook after a reconciliation write-back opens and converts in a real LibreOffice."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

import mops

from .conftest import AS_OF
from .test_writeback import VBA, to_xlsm
from libreoffice import SOFFICE, convert

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed"),
]


def test_a_reconciled_xlsm_keeps_its_macros_and_converts(books, tmp_path):
    to_xlsm(books / "expenses.xlsx", books / "expenses.xlsm")
    (books / "expenses.xlsx").unlink()
    result = mops.reconcile("all", books, as_of=AS_OF, offline=True, write_back=True)
    assert any(w.path.name == "expenses.xlsm" and w.backups for w in result.written)
    with zipfile.ZipFile(books / "expenses.xlsm") as z:
        assert z.read("xl/vbaProject.bin") == VBA
    out = tmp_path / "out"
    convert([books / "expenses.xlsm"], "xlsx", out, tmp_path / "profile")
    converted = openpyxl.load_workbook(out / "expenses.xlsx")
    assert "對帳結果" in converted.sheetnames
    sheet = converted["對帳結果"]
    assert sheet["A1"].value == "expenses.xlsm 對帳結果"
    rows = [r for r in sheet.iter_rows(values_only=True) if r[0] == "重複申請"]
    assert len(rows) == 4  # the planted duplicates, as written


def test_findings_and_reconciliation_side_by_side_convert(books, tmp_path):
    to_xlsm(books / "expenses.xlsx", books / "expenses.xlsm")
    (books / "expenses.xlsx").unlink()
    mops.write_back(mops.validate(books, as_of=AS_OF))
    mops.reconcile("all", books, as_of=AS_OF, offline=True, write_back=True)
    mops.write_back(mops.validate(books, as_of=AS_OF))
    with zipfile.ZipFile(books / "expenses.xlsm") as z:
        assert z.read("xl/vbaProject.bin") == VBA
    out = tmp_path / "out"
    convert([books / "expenses.xlsm"], "xlsx", out, tmp_path / "profile")
    converted = openpyxl.load_workbook(out / "expenses.xlsx")
    assert {"檢核結果", "對帳結果"} <= set(converted.sheetnames)
    assert converted["檢核結果"]["A1"].value == "expenses.xlsm 檢核結果"
    assert converted["對帳結果"]["A1"].value == "expenses.xlsm 對帳結果"
