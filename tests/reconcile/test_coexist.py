"""Findings and Reconciliation side by side: each write-back replaces only its own results."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

import mops
from mops.reconciling.writeback import write_result
from mops.workbook.ooxml.styles import FILL_RGB

from .conftest import AS_OF
from .test_writeback import VBA, to_xlsm

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")

FINDINGS, RECONCILIATION = "檢核結果", "對帳結果"
MARKS = set(FILL_RGB.values())


def _validate(books: Path) -> int:
    """Validate with write-back; the findings of expenses.xlsm."""
    report = mops.validate(books, as_of=AS_OF)
    mops.write_back(report)
    return sum(1 for f in report.findings if f.file.endswith("expenses.xlsm"))


def _reconcile(books: Path) -> int:
    """Reconcile offline with write-back; the lines of expenses.xlsm's sheet."""
    result = mops.reconcile("all", books, as_of=AS_OF, offline=True, write_back=True)
    return next(w.lines for w in result.written if w.path.name == "expenses.xlsm")


def _state(path: Path) -> dict:
    book = openpyxl.load_workbook(path)
    claims = book["費用申請"]
    status = next(c.column for c in claims[1] if c.value == "對帳狀態")
    return {
        "sheets": book.sheetnames,
        "findings": _rows(book, FINDINGS),
        "reconciliation": _rows(book, RECONCILIATION),
        "marked": {
            (ws.title, c.coordinate)
            for ws in book.worksheets
            if ws.title not in (FINDINGS, RECONCILIATION)
            for row in ws.iter_rows()
            for c in row
            if c.fill is not None and c.fill.fgColor is not None and c.fill.fgColor.rgb in MARKS
        },
        "statuses": [r[status - 1].value for r in claims.iter_rows(min_row=2)],
    }


def _rows(book, title: str) -> list[tuple] | None:
    if title not in book.sheetnames:
        return None
    return [r for r in book[title].iter_rows(values_only=True)]


def _listed(rows: list[tuple], header: str) -> int:
    """How many rows the results sheet lists below its header row."""
    start = next(i for i, r in enumerate(rows) if r[0] == header)
    return sum(1 for r in rows[start + 1 :] if any(v is not None for v in r))


def _xfs(path: Path) -> int:
    with zipfile.ZipFile(path) as z:
        styles = z.read("xl/styles.xml")
    found = re.search(rb"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S)
    assert found is not None
    return len(re.findall(rb"<xf\b", found.group(1)))


def test_validate_reconcile_validate_keeps_both_results(books):
    to_xlsm(books / "expenses.xlsx", books / "expenses.xlsm")
    (books / "expenses.xlsx").unlink()
    book = books / "expenses.xlsm"

    findings = _validate(books)
    validated = _state(book)
    assert _listed(validated["findings"], "位置") == findings > 0
    assert validated["reconciliation"] is None and validated["marked"]

    lines = _reconcile(books)
    reconciled = _state(book)
    # The reconciliation added its sheet and statuses; the findings and their marks stayed.
    assert reconciled["findings"] == validated["findings"]
    assert reconciled["marked"] == validated["marked"]
    assert _listed(reconciled["reconciliation"], "結果") == lines > 0
    assert not any(validated["statuses"]) and any(reconciled["statuses"])
    tabs = reconciled["sheets"]
    assert tabs.index(FINDINGS) == tabs.index("說明") + 1
    assert tabs.index(RECONCILIATION) == tabs.index(FINDINGS) + 1

    # Validating again replaces the findings (read with the statuses now there), not the rest.
    findings_again = _validate(books)
    again = _state(book)
    assert _listed(again["findings"], "位置") == findings_again
    assert again["reconciliation"] == reconciled["reconciliation"]
    assert again["statuses"] == reconciled["statuses"]
    assert again["sheets"].count(FINDINGS) == 1 and again["sheets"].count(RECONCILIATION) == 1

    # Night after night the two keep their formats, without adding new ones each time.
    xfs = _xfs(book)
    _reconcile(books)
    _validate(books)
    assert _xfs(book) == xfs
    assert _state(book)["findings"] == again["findings"]
    with zipfile.ZipFile(book) as z:
        assert z.read("xl/vbaProject.bin") == VBA  # the macros survive every write, byte for byte


def test_a_workbook_gets_both_writes_or_neither(books):
    # A damaged record of an earlier write-back: the statuses could be written, the sheet not.
    path = books / "expenses.xlsx"
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("customXml/item7.xml", b'<mopsWriteback xmlns="urn:mops:writeback:1"><styles')
    before = path.read_bytes()
    result = mops.reconcile("all", books, as_of=AS_OF, offline=True)
    failed: list = []
    written = write_result(result, "zh-TW", failed=failed)
    assert [Path(f).name for f, _ in failed] == ["expenses.xlsx"]
    assert path.read_bytes() == before  # the statuses written first were taken back
    assert [w.path.name for w in written if w.lines] == ["sales.xlsx"]
