"""What Excel, LibreOffice and people put around the records is read as they mean it: Total Rows
and totalling rows are not records, formulas saved with an empty result are blank cells, rows of
formulas copied down in advance are blank rows, merged cells hold their value in every row."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
from openpyxl.worksheet.table import TableColumn

import mops
from data.make_handfilled import save_excel_style
from mops.schemas.registry import workbook
from mops.workbook.frames import read_book
from mops.workbook.package import formulas_without_value, scan_sheet
from mops.workbook.writer import write_workbook

AS_OF = dt.date(2026, 11, 26)
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def _sheet(cells: str, tail: str = "") -> bytes:
    body = f"<sheetData>{cells}</sheetData>{tail}"
    return f'<?xml version="1.0"?><worksheet {NS}>{body}</worksheet>'.encode()


def test_an_empty_text_result_is_a_result_and_no_result_is_not(tmp_path):
    cells = (
        '<row r="2"><c r="A2" t="str"><f>IF(B2="","",B2)</f><v></v></c>'  # Excel, LibreOffice
        '<c r="B2" t="str"><f>IF(C2="","",C2)</f><v/></c>'  # the same, self-closed
        '<c r="C2"><f>D2*2</f><v/></c>'  # openpyxl: never computed
        '<c r="D2"><f>1+1</f></c>'  # no <v> at all
        '<c r="E2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
        '<c r="F2" t="inlineStr"><f>"x"</f><is><t>x</t></is></c></row>'
    )
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", _sheet(cells))
    found = formulas_without_value(str(path), ["xl/worksheets/sheet1.xml"])
    assert found == {"xl/worksheets/sheet1.xml": ["C2", "D2"]}


def test_the_scan_finds_totalling_rows_shared_formulas_merges_and_total_rows(tmp_path):
    cells = (
        '<row r="2"><c r="A2"><v>1</v></c><c r="B2"><f>SUM($B$2:B2)</f><v>1</v></c></row>'
        '<row r="3"><c r="A3"><v>2</v></c><c r="C3"><f>SUM(C1:D1)</f><v>0</v></c></row>'
        '<row r="9"><c r="A9" t="s"><v>0</v></c>'
        '<c r="B9"><f t="shared" ref="B9:C9" si="0">SUBTOTAL(109,B2:B8)</f><v>3</v></c>'
        '<c r="C9"><f t="shared" si="0"/><v>0</v></c></row>'
        '<row r="10"><c r="B10"><f>SUM(tbl_claims[金額])</f><v>3</v></c></row>'
        '<row r="11"><c r="B11"><f>SUM(B2:B5)</f><v>3</v></c></row>'
        '<row r="12"><c r="C12"><f t="shared" ref="C12:C13" si="1">IF(A12="","",A12)</f>'
        '<v></v></c></row><row r="13"><c r="C13" t="str"><f t="shared" si="1"/><v></v></c></row>'
    )
    merges = '<mergeCells count="2"><mergeCell ref="A1:H1"/><mergeCell ref="B5:B7"/></mergeCells>'
    rels = (
        f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE_REL}"><Relationship Id="rId1" '
        f'Type="{REL}/table" Target="../tables/table1.xml"/></Relationships>'
    )
    table = f'<table {NS} id="1" name="t" displayName="t" ref="A1:C9" totalsRowCount="1"/>'
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", _sheet(cells, merges))
        zf.writestr("xl/worksheets/_rels/sheet1.xml.rels", rels)
        zf.writestr("xl/tables/table1.xml", table)
    with zipfile.ZipFile(path) as zf:
        scan = scan_sheet(zf, "xl/worksheets/sheet1.xml")
    # a running total (SUM($B$2:B2)) and a sum across one row total no column; SUBTOTAL, a
    # table column and a range down a column do
    assert scan.aggregate_rows == {9, 10, 11}
    assert scan.totals_rows == {9}
    assert scan.merged == [(1, 0, 1, 7), (5, 1, 7, 1)]
    assert scan.formula_rows == {1: [2, 9, 10, 11], 2: [3, 9, 12, 13]}
    assert scan.no_value == ["C12"]  # the shared formula's first cell lacks t="str"


def _claim(cid: str, **more) -> dict:
    values = {
        "claim_id": cid, "claimant": "王小明", "expense_date": dt.date(2026, 11, 2),
        "claim_date": dt.date(2026, 11, 3), "category": "推廣費用", "item": "廣告",
        "amount": 1000, "reason": "廣告", "attachment_ref": "A1", "approval": "待核",
        "audit": "待審", "reimbursed": "否",
    }  # fmt: skip
    values.update(more)
    return values


def _blank(tmp_path, workbook_key: str, sheet_key: str):
    """A blank template opened in openpyxl: the book, the sheet, its declaration."""
    wb = workbook(workbook_key)
    book = openpyxl.load_workbook(write_workbook(wb, tmp_path / "blank.xlsx"))
    sheet = wb.sheet(sheet_key)
    return book, book[sheet.zh], sheet


def _filled_claims(tmp_path, rows: list[dict], *, total_row: bool, merge: str | None = None):
    """A claims workbook filled as in Excel: rows of values and (formula, cached result) pairs."""
    book, ws, sheet = _blank(tmp_path, "expenses", "claims")
    keys = [c.key for c in sheet.columns]
    cached = {}
    for r, values in enumerate(rows, start=2):
        for key, value in values.items():
            cell = ws.cell(r, keys.index(key) + 1)
            if isinstance(value, tuple):
                cell.value, cached[cell.coordinate] = value
            else:
                cell.value = value
    last = len(rows) + 1
    table = ws.tables["tbl_claims"]
    if total_row:
        last += 1
        ws.cell(last, 1, "Total")
        ws.cell(last, keys.index("amount") + 1, "=SUBTOTAL(109,tbl_claims[金額])")
        cached[ws.cell(last, keys.index("amount") + 1).coordinate] = 3000
        table.totalsRowCount = 1
        names = [c.zh for c in sheet.columns]
        table.tableColumns = [TableColumn(id=i, name=n) for i, n in enumerate(names, start=1)]
        table.tableColumns[0].totalsRowLabel = "Total"
    table.ref = f"A1:S{last}"
    if merge:
        ws.merge_cells(merge)
    path = tmp_path / "expenses.xlsx"
    save_excel_style(book, path, {"費用申請": cached})
    return path


def test_total_rows_and_formula_rows_are_not_records(tmp_path):
    amount_if = ('=IF(A{r}="","",1000)', "")
    rows = [
        _claim("EX1"),
        _claim("EX2"),
        # copied down in advance: formulas whose saved result is "" or 否, and no key
        {"amount": ('=IF(A4="","",1000)', ""), "reimbursed": ('=IF(A4="","否","是")', "否")},
        {"amount": (amount_if[0].format(r=5), ""), "reimbursed": ('=IF(A5="","否","是")', "否")},
        # a total a person typed: a label in the key cell, a number
        {"claim_id": "合計：", "amount": 2000},
        # a column total with no key
        {"amount": ("=SUM(H2:H3)", 2000), "reason": "小計"},
    ]
    path = _filled_claims(tmp_path, rows, total_row=True)
    claims = read_book(path).sheets["claims"]
    assert claims.frame.get_column("_row").to_list() == [2, 3]
    assert claims.formula_cells == []  # "" is a saved result
    report = mops.validate(path, as_of=AS_OF)
    assert report.rows["claims"] == 2
    assert not [f for f in report.findings if f.row and f.row > 3]


def test_a_record_whose_value_is_a_sum_of_others_is_a_record(tmp_path):
    # A year target typed as =SUM() of its quarters below: a real row, with its own key.
    book, ws, sheet = _blank(tmp_path, "sales", "targets")
    keys = [c.key for c in sheet.columns]
    cached = {}
    rows = [["TG-Y", "王小明", 2026, "年度", None, None, "=SUM(G3:G6)", 400, 8]]
    rows += [[f"TG-Q{q}", "王小明", 2026, "季度", q, None, 100, 100, 2] for q in range(1, 5)]
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            ws.cell(r, c, value)
    cached["G2"] = 400
    ws.tables["tbl_targets"].ref = "A1:J6"
    path = tmp_path / "sales.xlsx"
    save_excel_style(book, path, {"銷售目標": cached})
    targets = read_book(path).sheets["targets"]
    assert targets.frame.get_column("_row").to_list() == [2, 3, 4, 5, 6]
    assert keys.index("revenue") == 6
    report = mops.validate(path, as_of=AS_OF)
    assert not [f for f in report.findings if f.rule_id == "P6.1-targets-add-up"]


def test_a_cell_merged_down_holds_its_value_in_every_row(tmp_path):
    rows = [_claim("EX1"), _claim("EX2", claimant=None), _claim("EX3", claimant=None)]
    path = _filled_claims(tmp_path, rows, total_row=False, merge="B2:B4")
    report = mops.validate(path, as_of=AS_OF)
    assert not [f for f in report.findings if f.rule_id == "required"]
    merged = [(f.cell, f.value) for f in report.findings if f.rule_id == "assumed"]
    assert merged == [("B3", "王小明"), ("B4", "王小明")]
    found = next(f for f in report.findings if f.cell == "B3")
    assert "B2:B4" in found.message_zh and "B2:B4" in found.message_en


def test_totals_repeated_headers_and_notes_are_not_records_in_memory_too():
    # An open workbook handed over by Excel (values only): the labels alone tell these rows.
    sheet = workbook("expenses").sheet("claims")
    header = [c.zh for c in sheet.columns]
    record = [
        "EX1", "王小明", dt.datetime(2026, 11, 2), dt.datetime(2026, 11, 3), "推廣費用", "廣告",
        None, 1000, "廣告", "A1", None, "待核", None, None, "待審", None, "否",
    ]  # fmt: skip
    rows = [
        ["2026 年 11 月費用申請"],
        header,
        record,
        header,  # the header typed again further down
        ["EX2", *record[1:]],
        ["Total", None, None, None, None, None, None, 2000],
        ["※ 金額含稅，單位：新台幣元"],  # a note, alone on its row
    ]
    book = mops.read_workbook_values("expenses.xlsx", {"費用申請": rows})
    claims = book.sheets["claims"]
    assert claims.frame.get_column("_row").to_list() == [3, 5]
    report = mops.validate_frames([book], as_of=AS_OF)
    assert not [f for f in report.findings if f.sheet == "claims" and f.row not in (3, 5)]
