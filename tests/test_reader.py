"""Reading workbooks as people really leave them: other header languages, titles, extra columns."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from mops.errors import WorkbookError
from mops.schemas.registry import workbook
from mops.workbook.frames import read_book
from mops.workbook.writer import write_workbook


def _hand_made(path, tab, header, rows, title=None):
    """A workbook typed by a person in Excel: no mops stamp, optional title row."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = tab
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def test_english_generated_workbook_reads_back(tmp_path):
    wb_def = workbook("customers")
    path = write_workbook(wb_def, tmp_path / "c.xlsx", lang="en")
    data = read_book(path)
    assert data.definition is wb_def
    assert set(data.sheets) == {s.key for s in wb_def.sheets}
    for s in wb_def.sheets:
        assert data.sheets[s.key].missing_columns == []


def test_headers_in_keys_fullwidth_mixed_case_with_title_and_extra_columns(tmp_path):
    header = [
        "Ｌｏｇ ＩＤ",
        "date",
        " 客戶 編號 ",
        "METHOD",
        "Owner",
        "跟進內容",
        "結果",
        "我的備註",
    ]
    rows = [
        ["L1", dt.date(2026, 3, 1), "CU0001", "電話", "王小明", "初訪", "有進展", "x"],
        [None, None, None, None, None, None, None, None],  # a blank row between records
        ["L2", "115/03/05", "CU0002", "Visit", "陳怡君", "報價", "持平", None],
    ]
    path = _hand_made(tmp_path / "log.xlsx", "跟進紀錄", header, rows, title="2026 跟進紀錄")
    data = read_book(path)
    assert data.definition.key == "customers"
    assert data.stamp == {}
    log = data.sheets["followup_log"]
    assert log.header_row == 3
    assert log.extra_columns == ["我的備註"]
    assert set(log.columns) == {
        "log_id", "date", "customer_id", "method", "owner", "content", "outcome",
    }  # fmt: skip
    assert "next_date" in log.missing_columns
    rows = log.rows()
    assert [number for number, _ in rows] == [4, 6]
    number, values = rows[1]
    assert values["date"] == "115/03/05"
    assert log.cell("customer_id", number) == "C6"


def test_renamed_tab_is_recognised_by_its_headers(tmp_path):
    wb_def = workbook("expenses")
    claims = wb_def.sheet("claims")
    header = [c.en for c in claims.columns]
    path = _hand_made(tmp_path / "x.xlsx", "2026年3月", header, [["EX1", "王小明"]])
    # The workbook is recognised by its one declared sheet, found by header alone.
    book = openpyxl.load_workbook(path)
    book.create_sheet("費用預算").append([c.zh for c in wb_def.sheet("expense_budget").columns])
    book.save(path)
    data = read_book(path)
    assert data.sheets["claims"].tab == "2026年3月"
    _, values = data.sheets["claims"].rows()[0]
    assert values["claimant"] == "王小明"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("claims.csv", "申請編號,申請人\nEX1,王小明\n".encode()),
        ("broken.xlsx", b"this is not a zip file"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 legacy OLE2"),
    ],
)
def test_unreadable_files_raise_a_clear_error(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    before = path.read_bytes()
    with pytest.raises(WorkbookError) as info:
        read_book(path)
    assert str(path) in str(info.value)
    assert path.read_bytes() == before


def test_missing_file_and_unknown_workbook(tmp_path):
    with pytest.raises(WorkbookError, match=r"nope\.xlsx"):
        read_book(tmp_path / "nope.xlsx")
    path = _hand_made(tmp_path / "other.xlsx", "Sheet", ["a", "b"], [[1, 2]])
    with pytest.raises(WorkbookError, match=r"other\.xlsx"):
        read_book(path)
