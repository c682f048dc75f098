"""A folder as finance keeps it: finance.xlsm filled with the demo year, beside the workbooks it
refers to (customers, roster, marketing plan, customer service)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mops.demodata.generate import generate_demo
from mops.schemas.finance import FINANCE
from mops.schemas.registry import WORKBOOKS, workbook
from mops.workbook.writer import write_workbook
from mops.workbook.xlsm import write_finance_workbook


@pytest.fixture(scope="session")
def finance_folder_master(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("finance-master")
    data = generate_demo()
    people = data.people()
    for wb in WORKBOOKS:
        # The finance sheets live in finance.xlsm; the other workbooks give what they refer to.
        if not any(FINANCE.holds(s) for s in wb.sheets):
            write_workbook(wb, folder / wb.filename, rows=data.rows[wb.key], people=people)
    rows = {s.key: data.rows[s.workbook][s.key] for s in FINANCE.sheets}
    write_finance_workbook(folder / FINANCE.filename, rows=rows, people=people)
    # sales.xlsx with the demo's targets *and* its copy of the contracts, kept aside: a folder
    # may hold both, and the open finance workbook must win for the sheets it holds.
    aside = folder / "aside"
    aside.mkdir()
    write_workbook(workbook("sales"), aside / "sales.xlsx", rows=data.rows["sales"], people=people)
    return folder


@pytest.fixture
def finance_folder(finance_folder_master, tmp_path) -> Path:
    """A fresh copy for one test (the tests change the workbooks)."""
    folder = tmp_path / "finance"
    shutil.copytree(finance_folder_master, folder, ignore=shutil.ignore_patterns("aside"))
    return folder


@pytest.fixture
def sales_with_contracts(finance_folder_master) -> Path:
    return finance_folder_master / "aside" / "sales.xlsx"
