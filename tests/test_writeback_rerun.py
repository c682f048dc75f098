"""Writing the same findings again changes nothing; a workbook changed since gets them back."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest

import mops
from mops.workbook.commit import BACKUP_FOLDER

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")

AS_OF = dt.date(2026, 11, 26)


def test_the_same_findings_twice_leave_the_file_alone(tmp_path, demo_folder):
    path = tmp_path / "customers.xlsx"
    shutil.copy(demo_folder / "customers.xlsx", path)  # before any write-back
    report = mops.validate(path, as_of=AS_OF)
    first = mops.write_back(report)[0]
    assert first.backup is not None and first.cells_marked > 0
    written = path.read_bytes()
    backups = sorted((tmp_path / BACKUP_FOLDER).iterdir())
    again = mops.write_back(mops.validate(path, as_of=AS_OF))[0]
    assert again.backup is None and again.changed_parts == ()
    assert again.cells_marked == first.cells_marked
    assert path.read_bytes() == written
    assert sorted((tmp_path / BACKUP_FOLDER).iterdir()) == backups


def test_a_findings_sheet_deleted_by_hand_comes_back(tmp_path, demo_folder):
    path = tmp_path / "customers.xlsx"
    shutil.copy(demo_folder / "customers.xlsx", path)  # before any write-back
    mops.write_back(mops.validate(path, as_of=AS_OF), lang="en")
    wb = openpyxl.load_workbook(path)
    del wb["Findings"]
    wb.save(path)
    again = mops.write_back(mops.validate(path, as_of=AS_OF), lang="en")[0]
    assert again.backup is not None
    assert "Findings" in openpyxl.load_workbook(path).sheetnames
