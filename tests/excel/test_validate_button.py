"""The Validate button's Python (mops.excel.validate_book) on the demo year, through a fake of
the xlwings objects it uses: it finds what ``mops validate`` finds, writes its results into the
open workbook only through those objects, and never touches the file."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil

import pytest

import mops
import mops.excel
from mops.excel.book import FILL_COLOURS
from mops.records import Severity

from fake_xlwings import FakeBook

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")

AS_OF = dt.date(2026, 11, 26)


def _key(f):
    return (f.rule_id, str(f.severity), f.tab, f.cell or "", f.row or 0, f.message("en"))


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _findings_rows(book):
    sheet = book.sheets["檢核結果"]
    values = sheet.used_range.options(ndim=2).value
    start = next(i for i, row in enumerate(values) if row[0] == "位置")
    return values[start + 1 :]


def test_the_button_finds_what_mops_validate_finds_and_leaves_the_file_alone(finance_folder):
    path = finance_folder / "finance.xlsm"
    before = _digest(path)
    book = FakeBook(path)
    report = mops.excel.validate_book(book, as_of=AS_OF)

    cli = mops.validate(finance_folder, as_of=AS_OF)
    expected = sorted(_key(f) for f in cli.findings if f.file == str(path))
    found = sorted(_key(f) for f in report.findings if f.file == str(path))
    assert found == expected
    # The demo plants finance mistakes; some are errors, and they are found here too.
    assert any(f[1] == "error" for f in found)
    assert _digest(path) == before  # only Excel's copy, through xlwings, was written

    # Every error and warning cell is painted and noted; infos are listed only.
    painted = {
        (f.tab, f.cell)
        for f in report.findings
        if f.file == str(path) and f.cell and f.severity is not Severity.INFO
    }
    colours = {
        (sheet.name, f"{mops_letter(c)}{r}"): rgb
        for sheet in book.sheets
        for (r, c), rgb in sheet.fills.items()
    }
    assert set(colours) == painted
    assert set(colours.values()) <= {FILL_COLOURS["error"], FILL_COLOURS["warning"]}
    for tab, cell in painted:
        assert book.sheets[tab].range(cell).note.text.startswith("mops：")

    # The Findings sheet follows the Guide, lists every finding, and is where the book opens.
    names = [s.name for s in book.sheets]
    assert names[names.index("說明") + 1] == "檢核結果"
    assert book.active == "檢核結果"
    assert len(_findings_rows(book)) == len(found)

    status = book.sheets["控制台"].cell("D5")
    errors = sum(1 for f in found if f[1] == "error")
    assert f"錯誤 {errors}" in status and "2026-11-26" in status


def mops_letter(col: int) -> str:
    from fake_xlwings import get_column_letter

    return get_column_letter(col)


def test_unsaved_edits_are_validated_and_a_rerun_gives_each_cell_its_own_fill_back(
    finance_folder,
):
    path = finance_folder / "finance.xlsm"
    book = FakeBook(path)
    claims = book.sheets["費用申請"]
    # A person types a claim amount as words in Excel and colours a cell, without saving.
    book.set("費用申請", "A2", claims.cell("A2"))
    amount_col = next(c for (r, c), v in claims.cells.items() if r == 1 and v == "金額")
    cell = f"{mops_letter(amount_col)}2"
    claims.range(cell).color = (0, 176, 80)
    book.set("費用申請", cell, "三千元")
    mops.excel.validate_book(book, as_of=AS_OF)
    assert claims.range(cell).color == FILL_COLOURS["error"]
    assert "mops：" in claims.range(cell).note.text
    rows = _findings_rows(book)
    mine = [r for r in rows if r[0] == f"費用申請!{cell}"]
    # The cell mops marked and the person's own fill, kept to give back.
    assert mine and mine[0][-2:] == [f"費用申請!{cell}", "#00B050"]

    # Fixed, and run again: the cell gets the person's green back and loses mops's note.
    book.set("費用申請", cell, 3000)
    mops.excel.validate_book(book, as_of=AS_OF)
    assert claims.range(cell).color == (0, 176, 80)
    assert claims.range(cell).note is None
    assert [s.name for s in book.sheets].count("檢核結果") == 1
    assert not [r for r in _findings_rows(book) if r[0] == f"費用申請!{cell}"]


def test_the_open_workbook_wins_over_another_file_holding_the_same_sheets(
    finance_folder, sales_with_contracts
):
    path = finance_folder / "finance.xlsm"
    alone = mops.excel.validate_book(FakeBook(path), as_of=AS_OF)
    shutil.copy(sales_with_contracts, finance_folder / "sales.xlsx")
    beside = mops.excel.validate_book(FakeBook(path), as_of=AS_OF)
    mine = sorted(_key(f) for f in alone.findings if f.file == str(path))
    assert sorted(_key(f) for f in beside.findings if f.file == str(path)) == mine
    # sales.xlsx's contracts were not read: no contract is a duplicate, no sheet is missing.
    sales = [f for f in beside.findings if f.file.endswith("sales.xlsx")]
    assert not [f for f in sales if f.tab in ("合同", "付款期程")]
    assert not [f for f in sales if f.rule_id == "missing-sheet"]
    # … while mops validate on the folder reads both copies and says so.
    both = mops.validate(finance_folder, as_of=AS_OF)
    assert len(both.findings) > len(beside.findings)


def test_a_workbook_mops_does_not_know_is_said_on_the_control_sheet(finance_folder):
    book = FakeBook(finance_folder / "finance.xlsm")
    for sheet in list(book.sheets):
        if sheet.name not in ("控制台",):
            sheet.delete()
    assert mops.excel.validate_book(book, as_of=AS_OF) is None
    assert "未完成" in book.sheets["控制台"].cell("D5")


def test_the_mops_toml_beside_the_workbook_is_the_one_in_force(finance_folder, monkeypatch):
    # Excel starts Python in another folder: the firm's mops.toml beside the workbook counts.
    monkeypatch.delenv("MOPS_CONFIG", raising=False)
    monkeypatch.chdir(finance_folder.parent)
    first = mops.excel.validate_book(FakeBook(finance_folder / "finance.xlsm"), as_of=AS_OF)
    rule = next(f.rule_id for f in first.findings if f.file.endswith("finance.xlsm"))
    (finance_folder / "mops.toml").write_text(
        f'[rules."{rule}"]\nenabled = false\n', encoding="utf-8"
    )
    again = mops.excel.validate_book(FakeBook(finance_folder / "finance.xlsm"), as_of=AS_OF)
    assert rule not in {f.rule_id for f in again.findings}
    assert len(again.findings) < len(first.findings)
