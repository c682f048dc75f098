"""The reconciliation written into the workbooks: statuses, the books' actuals, the sheet."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import mops
from mops.config import load_config
from mops.reconciling.model import LineClass
from mops.reconciling.run import reconcile_paths
from mops.reconciling.writeback import write_result

from .books import mirror
from .conftest import AS_OF
from .test_reconcile_odoo import _client

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")

VBA = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"mops test: not a real VBA project\0" * 16


def to_xlsm(src: Path, dst: Path) -> None:
    """The workbook as a macro-enabled one: the same parts plus a VBA project."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                ).replace(
                    b"<Default ",
                    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                    b"<Default ",
                    1,
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/'
                    b'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>',
                )
            zout.writestr(info, data)
        zout.writestr("xl/vbaProject.bin", VBA)


def _sheet(path: Path, title: str):
    book = openpyxl.load_workbook(path)
    return book, book[title]


def _column(ws, header: str) -> int:
    for cell in ws[1]:
        if cell.value == header:
            return cell.column
    raise KeyError(header)


@pytest.mark.slow
def test_statuses_actuals_and_the_sheet_then_overspend_judged_on_the_books(
    odoo_server, demo, books
):
    client = _client(odoo_server)
    with odoo_server.paused():
        mirror(client, demo, odoo_server.version)
    to_xlsm(books / "expenses.xlsx", books / "expenses.xlsm")
    (books / "expenses.xlsx").unlink()
    config = load_config()
    result = reconcile_paths("all", [books], config, as_of=AS_OF, client=client)
    written = {w.path.name: w for w in write_result(result, "zh-TW")}
    assert written["expenses.xlsm"].statuses > 2000 and written["expenses.xlsm"].refused == 0
    assert written["expenses.xlsm"].actuals == len(demo.sheet_rows("expense_budget"))
    with zipfile.ZipFile(books / "expenses.xlsm") as z:
        assert z.read("xl/vbaProject.bin") == VBA  # the macros survive, byte for byte
    book, claims = _sheet(books / "expenses.xlsm", "費用申請")
    status = _column(claims, "對帳狀態")
    by_key = {row[0].value: row for row in claims.iter_rows(min_row=2)}
    for plant in demo.finance:
        if plant.sheet == "claims" and plant.cls != "odoo_only":
            label = LineClass(plant.cls).label("zh-TW")
            assert label in by_key[plant.key][status - 1].value, plant
    assert by_key["EX2026-0001"][status - 1].value == "相符"
    sheet = book["對帳結果"]
    assert sheet["A1"].value == "expenses.xlsm 對帳結果"
    assert sheet["B2"].value == AS_OF.isoformat()
    assert book.sheetnames.index("對帳結果") == book.sheetnames.index("說明") + 1
    # The budget's actuals are the books': the claims of each line and month, as mirrored.
    budget = book["費用預算"]
    actual = _column(budget, "帳上實際")
    spend = {}
    for r in demo.sheet_rows("claims"):
        day = r["expense_date"]
        if r["approval"] != "rejected" and isinstance(day, dt.date):
            k = (r["category"], r["item"], day.month)
            spend[k] = spend.get(k, 0) + r["amount"]
    lines = {r["budget_id"]: r for r in demo.sheet_rows("expense_budget")}
    for row in budget.iter_rows(min_row=2, values_only=True):
        b = lines[row[0]]
        assert Decimal(str(row[actual - 1])) == spend.get((b["category"], b["item"], b["month"]), 0)

    # The books now hold far more for one quiet month: validation judges that month on them.
    quiet = next(
        line for line in result.lines
        if line.cls is LineClass.WITHIN_BUDGET and line.odoo_amount
        and line.detail["period"] < "2026-10"
    )  # fmt: skip
    category, period = line_category(quiet), quiet.detail["period"]
    before = mops.validate(books, as_of=AS_OF, config=config)
    assert not _over(before, quiet.ref.row)
    product = client.call(
        "ir.model.data",
        "search_read",
        [["name", "=like", f"expense_{category}_%"]],
        fields=["res_id"],
    )[0]["res_id"]
    day = f"{period}-15"
    entry = client.call("account.move", "create", [{
        "move_type": "entry", "date": day, "line_ids": [[0, 0, {
            "name": "追加", "product_id": product, "display_type": "product", "quantity": 1,
            "price_unit": float(quiet.workbook_amount), "price_total": float(quiet.workbook_amount),
            "parent_state": "posted", "date": day}]]}])  # fmt: skip
    client.call("account.move", "action_post", entry)
    again = reconcile_paths("budget", [books], config, as_of=AS_OF, client=client)
    assert {(x.cls, x.key) for x in again.lines} >= {(LineClass.OVERSPEND, quiet.key)}
    write_result(again, "zh-TW")
    after = mops.validate(books, as_of=AS_OF, config=config)
    assert _over(after, quiet.ref.row)


def line_category(line) -> str:
    return line.detail["category"]


def _over(report, row: int) -> bool:
    return any(
        f.rule_id == "P8.3-overspend" and f.sheet == "expense_budget" and f.row == row
        and f.severity == "error"
        for f in report.findings
    )  # fmt: skip


def test_a_rerun_with_the_same_result_leaves_the_workbook_alone(books):
    first = mops.reconcile("all", books, as_of=AS_OF, offline=True, write_back=True)
    assert any(w.backups for w in first.written)
    stamp = {p.name: p.stat().st_mtime_ns for p in books.glob("*.xlsx")}
    again = mops.reconcile("all", books, as_of=AS_OF, offline=True, write_back=True)
    assert not any(w.backups for w in again.written)
    assert {p.name: p.stat().st_mtime_ns for p in books.glob("*.xlsx")} == stamp
    # Each line to look at is on the Reconciliation sheet, linked to its cell.
    book = openpyxl.load_workbook(books / "expenses.xlsx")
    sheet = book["對帳結果"]
    links = [c.hyperlink.location for row in sheet.iter_rows() for c in row if c.hyperlink]
    todo = [
        x for x in first.lines if not x.cls.ok and x.ref and x.ref.file.endswith("expenses.xlsx")
    ]
    assert len(links) >= len(todo) > 0
    assert all(re.match(r"^'?[^!]+'?!\$?[A-Z]+\$?\d+$", link) for link in links)


def test_the_copy_keeps_other_sheets(books, demo_folder):
    before = openpyxl.load_workbook(demo_folder / "sales.xlsx").sheetnames
    mops.reconcile("contracts", books / "sales.xlsx", as_of=AS_OF, offline=True, write_back=True)
    after = openpyxl.load_workbook(books / "sales.xlsx").sheetnames
    assert [s for s in after if s != "對帳結果"] == before
    shutil.rmtree(books / ".mops-backups")
