"""The sync's pull-back written into real workbooks: mapped by headers, guarded by row keys."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from mops.config import load_config
from mops.errors import WorkbookError
from mops.parsing import parse_cell
from mops.schemas.model import Lang
from mops.schemas.registry import workbook
from mops.syncing.plan import CellValue, Source, cell_value
from mops.syncing.pullback import PullBackResult, write_pull_back
from mops.workbook.frames import read_book
from mops.workbook.writer import write_workbook

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")

NOW = datetime(2026, 3, 4, 5, 6, 7)

ROWS = {
    "customers": [
        {"customer_id": "CU0001", "name": "祥福連鎖", "budget": Decimal("8130000")},
        {"customer_id": "CU0002", "name": "嘉安建設", "budget": Decimal("1020000")},
        {"customer_id": "CU0003", "name": "正邦人力"},
    ],
    "opportunities": [
        {"opportunity_id": "OP00001", "customer_id": "CU0001", "name": "官網改版", "stage": "new"},
        {"opportunity_id": "OP00002", "customer_id": "CU0002", "name": "教育訓練"},
    ],
    "followup_log": [
        {"log_id": "FL00001", "date": date(2026, 3, 1), "customer_id": "CU0001", "content": "拜訪"}
    ],
}


def pull_back(cells, **options):
    """write_pull_back with the shipped limits."""
    return write_pull_back(cells, limits=load_config().limits, **options)


def make(folder: Path, rows=ROWS, *, lang: Lang = Lang.ZH_TW, name="customers.xlsx") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_workbook(workbook("customers"), folder / name, rows=rows, lang=lang)


def pulls(path: Path) -> list[CellValue]:
    """What a sync pulls back after creating the records and reading Odoo's changes."""
    f = str(path)
    return [
        CellValue(f, "customers", 2, "odoo_partner_id", 501, "CU0001"),
        CellValue(f, "customers", 3, "odoo_partner_id", 502, "CU0002"),
        CellValue(f, "customers", 3, "budget", Decimal("1500000"), "CU0002"),
        CellValue(f, "opportunities", 2, "stage", "won", "OP00001"),
        CellValue(f, "opportunities", 2, "expected_close", date(2026, 9, 30), "OP00001"),
        CellValue(f, "opportunities", 3, "odoo_lead_id", 77, "OP00002"),
        CellValue(f, "followup_log", 2, "next_activity_done", True, "FL00001"),
    ]


def typed(path: Path, sheet: str, key: str, column: str):
    """A cell as the next sync reads it: mops's reader, then the column's typing."""
    data = read_book(path).sheets[sheet]
    pk = data.definition.primary_key
    row = next(values for _, values in data.rows() if values[pk] == key)
    return parse_cell(data.definition.column(column), row[column]).value


def only(results: list[PullBackResult]) -> PullBackResult:
    assert len(results) == 1
    return results[0]


def test_values_are_written_where_the_headers_say(tmp_path):
    path = make(tmp_path)
    result = only(pull_back(pulls(path), now=NOW))
    assert result.problems == []
    assert (result.written, result.unchanged) == (7, 0)
    assert result.backup is not None and result.backup.exists()
    book = openpyxl.load_workbook(path)
    assert book["客戶"]["S2"].value == 501 and book["客戶"]["S3"].value == 502
    assert book["商機"]["L2"].value == "成交"  # the stage's label, as the drop-down shows it
    assert book["商機"]["H2"].is_date
    assert book["跟進紀錄"]["N2"].value == "是"
    # The next sync reads back exactly what Odoo gave: nothing left to pull.
    for cell in pulls(path):
        assert typed(path, cell.sheet, cell.key, cell.column) == cell.value, cell


def test_second_pull_back_writes_nothing(tmp_path):
    path = make(tmp_path)
    pull_back(pulls(path), now=NOW)
    after = path.read_bytes()
    again = only(pull_back(pulls(path), now=NOW))
    assert (again.written, again.unchanged, again.backup, again.problems) == (0, 7, None, [])
    assert path.read_bytes() == after


def test_english_workbook_gets_english_labels(tmp_path):
    path = make(tmp_path, lang=Lang.EN)
    result = only(pull_back(pulls(path), now=NOW))
    assert result.problems == [] and result.written == 7
    book = openpyxl.load_workbook(path)
    assert book["Opportunities"]["L2"].value == "Won"
    assert book["Follow-up log"]["N2"].value == "Yes"
    assert book["Customers"]["S2"].value == 501


def test_rows_sorted_since_the_sync_read_them_are_not_written(tmp_path):
    path = make(tmp_path)
    cells = pulls(path)
    # Someone sorts the customers the other way round before the pull-back is written.
    flipped = dict(ROWS, customers=list(reversed(ROWS["customers"])))
    make(tmp_path, flipped)
    result = only(pull_back(cells, now=NOW))
    moved = [p for p in result.problems if p.code == "key_moved"]
    # CU0001 was read in row 2 and is in row 4 now; CU0002 stayed in row 3.
    assert [(p.sheet, p.cell) for p in moved] == [("客戶", "S2")]
    problem = moved[0]
    assert problem.message_zh == (
        "customers.xlsx 的「客戶」工作表 S2：這一列的編號已不是 CU0001（排序或刪除過？），"
        "Odoo 的值沒有寫入；請再執行一次 mops sync。"
    )
    assert "customers.xlsx" in problem.message_en and "'客戶'" in problem.message_en
    assert "S2" in problem.message_en and "CU0001" in problem.message_en
    assert problem.message(Lang.EN) == problem.message_en
    assert problem.message("zh-TW") == problem.message_zh
    book = openpyxl.load_workbook(path)
    assert book["客戶"]["A2"].value == "CU0003" and book["客戶"]["S2"].value is None
    assert book["客戶"]["S3"].value == 502  # its key still matched


def test_nothing_written_when_every_key_moved(tmp_path):
    path = make(tmp_path)
    f = str(path)
    before = path.read_bytes()
    cells = [CellValue(f, "customers", 2, "odoo_partner_id", 501, "CU0002")]
    result = only(pull_back(cells, now=NOW))
    assert [p.code for p in result.problems] == ["key_moved"]
    assert (result.written, result.backup) == (0, None)
    assert path.read_bytes() == before
    assert not (tmp_path / ".mops-backups").exists()


def edit(path: Path, change) -> None:
    """Change a workbook the way a person would in Excel (here: openpyxl load, edit, save)."""
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)


def test_missing_sheet_column_and_formula_are_reported(tmp_path):
    path = make(tmp_path)

    def change(book):
        del book["跟進紀錄"]
        book["商機"].delete_cols(14)  # the Odoo lead id column
        book["客戶"]["S3"] = "=1000+2"

    edit(path, change)
    result = only(pull_back(pulls(path), now=NOW))
    by_code = {p.code: p for p in result.problems}
    assert sorted(by_code) == ["formula", "no_column", "no_sheet"]
    assert by_code["no_sheet"].sheet == "跟進紀錄" and by_code["no_sheet"].cell is None
    assert "跟進紀錄" in by_code["no_sheet"].message_zh
    assert by_code["no_column"].message_zh == (
        "customers.xlsx 的「商機」工作表沒有「Odoo 商機 ID」欄，Odoo 的值沒有寫入（1 格）；"
        "請把這一欄加回標題列後再執行一次 mops sync。"
    )
    assert "'Odoo 商機 ID'" in by_code["no_column"].message_en
    assert (by_code["formula"].sheet, by_code["formula"].cell) == ("客戶", "S3")
    assert "1000+2" not in by_code["formula"].message_en and "502" in by_code["formula"].message_en
    assert result.written == 4  # S2, the budget, the stage and the date
    book = openpyxl.load_workbook(path)
    assert book["客戶"]["S3"].value == "=1000+2"
    assert book["客戶"]["J3"].value == 1500000


def test_headers_and_tabs_in_key_form_are_found(tmp_path):
    path = make(tmp_path)

    def change(book):
        ws = book["客戶"]
        ws.title = "customers"
        for cell in ws[1]:
            cell.value = {"客戶編號": "customer_id", "Odoo 客戶 ID": "odoo_partner_id"}.get(
                cell.value, cell.value
            )

    edit(path, change)
    f = str(path)
    result = only(pull_back([CellValue(f, "customers", 2, "odoo_partner_id", 9, "CU0001")]))
    assert result.problems == [] and result.written == 1
    assert openpyxl.load_workbook(path)["customers"]["S2"].value == 9


def test_formula_looking_text_is_written_as_text(tmp_path):
    path = make(tmp_path)
    source = Source(str(path), "customers", "客戶", 2)
    cell = cell_value(source, "notes", '=HYPERLINK("http://x")', "CU0001")
    assert cell.as_text
    result = only(pull_back([cell]))
    assert result.written == 1
    ws = openpyxl.load_workbook(path)["客戶"]
    assert ws["R2"].value == '=HYPERLINK("http://x")' and ws["R2"].data_type == "s"
    # mops's reader sees the text (its typing then takes "=…" text for a formula: see mops.parsing).
    _, row = read_book(path).sheets["customers"].rows()[0]
    assert row["notes"] == '=HYPERLINK("http://x")'


def test_files_are_written_one_by_one(tmp_path):
    first = make(tmp_path / "a")
    second = make(tmp_path / "b")
    cells = [
        CellValue(str(first), "customers", 2, "odoo_partner_id", 1, "CU0001"),
        CellValue(str(second), "customers", 2, "odoo_partner_id", 2, "CU0001"),
        CellValue(str(first), "customers", 3, "odoo_partner_id", 3, "CU0002"),
        # A dry run's reference to a record not created yet: nothing to write.
        CellValue(str(second), "customers", 3, "odoo_partner_id", {"$ref": "customer:CU0002"}, "x"),
    ]
    results = pull_back(cells, now=NOW)
    assert [(r.file, r.written) for r in results] == [(str(first), 2), (str(second), 1)]
    assert [p.code for p in results[1].problems] == ["not_created"]
    assert "customer:CU0002" in results[1].problems[0].message_en
    assert openpyxl.load_workbook(first)["客戶"]["S3"].value == 3
    assert openpyxl.load_workbook(second)["客戶"]["S2"].value == 2


def test_open_workbook_raises(tmp_path):
    path = make(tmp_path)
    (tmp_path / "~$customers.xlsx").write_bytes(b"\x0cuser")
    before = path.read_bytes()
    with pytest.raises(WorkbookError, match="Excel"):
        pull_back(pulls(path), now=NOW)
    assert path.read_bytes() == before


def test_damaged_file_raises(tmp_path):
    path = tmp_path / "customers.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(WorkbookError):
        pull_back([CellValue(str(path), "customers", 2, "odoo_partner_id", 1, "CU0001")])
    with zipfile.ZipFile(tmp_path / "empty.xlsx", "w"):
        pass
    with pytest.raises(WorkbookError):
        pull_back(
            [CellValue(str(tmp_path / "empty.xlsx"), "customers", 2, "odoo_partner_id", 1, "x")]
        )
