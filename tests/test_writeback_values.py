"""Writing cell values into the user's workbook (the sync's pull-back) with write_values.

The workbooks are real files: generated with mops's own writer (as staff get them), made with
openpyxl for the odd cases (formulas, a 1904 date system, numeric keys), or hand-built packages.
Values are read back the way people and mops read them: openpyxl, python-calamine, mops's own
reader, and LibreOffice.
"""

from __future__ import annotations

import re
import shutil
import struct
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import python_calamine as pc
from openpyxl.worksheet.formula import ArrayFormula

from mops.errors import WorkbookError
from mops.schemas.registry import workbook
from mops.workbook import commit
from mops.workbook.annotate import CellNote, FindingLine, WriteBackResult, write_back
from mops.workbook.cell_values import CellWrite, write_values
from mops.workbook.frames import read_frames
from mops.workbook.writer import write_workbook

from libreoffice import SOFFICE, convert

NOW = datetime(2026, 3, 4, 5, 6, 7)
HEADER = ("位置", "嚴重度", "說明")
MOPS_FILLS = {"FFFFC7CE", "FFFFEB9C", "FFDDEBF7"}
CUSTOMERS_TAB = "客戶"

ROWS = {
    "customers": [
        {
            "customer_id": "CU0001",
            "name": "祥福連鎖股份有限公司",
            "tax_id": "89488509",
            "contact_name": "李靜宜",
            "budget": Decimal("8130000"),
            "status": "prospect",
            "first_contact_date": date(2026, 3, 2),
        },
        {
            "customer_id": "CU0002",
            "name": "嘉安建設股份有限公司",
            "tax_id": "13428042",
            "contact_name": "黃佳穎",
            "budget": Decimal("1020000"),
            "status": "active",
            "notes": "老客戶",
        },
        {"customer_id": "CU0003", "name": "正邦人力資源", "contact_name": "陳書豪"},
    ],
}


# -- helpers ----------------------------------------------------------------------------------


@pytest.fixture
def book(tmp_path) -> Path:
    """A customers workbook as mops generates it, with three customers."""
    return write_workbook(workbook("customers"), tmp_path / "customers.xlsx", rows=ROWS)


def at(path: Path, column: str, row: int, sheet: str = "customers") -> str:
    """The A1 address of a declared column in an Excel row, as mops's reader finds it."""
    return read_frames(path).sheets[sheet].cell(column, row)


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def raw_entries(path: Path) -> dict[str, bytes]:
    """Each entry's compressed bytes as stored (so a recompressed part shows up too)."""
    out = {}
    with zipfile.ZipFile(path) as z, open(path, "rb") as f:
        for info in z.infolist():
            f.seek(info.header_offset)
            head = f.read(30)
            name_len, extra_len = struct.unpack("<HH", head[26:30])
            f.seek(name_len + extra_len, 1)
            out[info.filename] = f.read(info.compress_size)
    return out


def sheet_part(path: Path, tab: str) -> str:
    from mops.workbook.package import sheet_parts

    with zipfile.ZipFile(path) as z:
        return sheet_parts(z)[tab]


def cell_xml(path: Path, tab: str, ref: str) -> str | None:
    xml = parts(path)[sheet_part(path, tab)].decode()
    m = re.search(rf'<c r="{ref}"(?:[^>]*/>|[^>]*>.*?</c>)', xml)
    return m.group(0) if m else None


def calamine(path: Path, tab: str, ref: str):
    """A cell as python-calamine reads it ('' when blank)."""
    row, col = openpyxl.utils.cell.coordinate_to_tuple(ref)
    sheet = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(tab)
    rows = sheet.to_python(skip_empty_area=False)
    if row > len(rows) or col > len(rows[row - 1]):
        return ""
    return rows[row - 1][col - 1]


def backups(folder: Path) -> list[Path]:
    found = folder / ".mops-backups"
    return sorted(found.iterdir()) if found.exists() else []


def openpyxl_book(path: Path, build) -> Path:
    wb = openpyxl.Workbook()
    build(wb)
    wb.save(path)
    return path


# -- values of each type ----------------------------------------------------------------------


def test_values_of_each_type_read_back_in_every_reader(book):
    refs = {
        "id": at(book, "odoo_partner_id", 2),  # blank cell: inserted with the column format
        "money": at(book, "budget", 3),
        "date": at(book, "first_contact_date", 3),
        "text": at(book, "notes", 2),
        "bool": at(book, "notes", 3),
        "float": at(book, "odoo_partner_id", 3),
        "when": at(book, "first_contact_date", 4),
    }
    writes = [
        CellWrite(CUSTOMERS_TAB, refs["id"], 1001),
        CellWrite(CUSTOMERS_TAB, refs["money"], Decimal("1234567.125")),
        CellWrite(CUSTOMERS_TAB, refs["date"], date(2026, 5, 6)),
        CellWrite(CUSTOMERS_TAB, refs["text"], "重要 <客戶> & 夥伴"),
        CellWrite(CUSTOMERS_TAB, refs["bool"], True),
        CellWrite(CUSTOMERS_TAB, refs["float"], 2.5),
        CellWrite(CUSTOMERS_TAB, refs["when"], datetime(2026, 5, 6, 13, 45, 10)),
    ]
    result = write_values(book, writes, now=NOW)
    assert (result.written, result.unchanged, result.refused) == (7, 0, ())
    assert result.backup is not None and result.backup.exists()

    ws = openpyxl.load_workbook(book)[CUSTOMERS_TAB]
    assert ws[refs["id"]].value == 1001 and ws[refs["id"]].number_format == "0"
    assert ws[refs["money"]].value == 1234567.125 and ws[refs["money"]].number_format == "#,##0"
    assert ws[refs["date"]].value == datetime(2026, 5, 6)
    assert ws[refs["date"]].number_format == "yyyy-mm-dd"
    assert ws[refs["text"]].value == "重要 <客戶> & 夥伴" and ws[refs["text"]].data_type == "s"
    assert ws[refs["bool"]].value is True
    assert ws[refs["float"]].value == 2.5
    assert ws[refs["when"]].value == datetime(2026, 5, 6, 13, 45, 10)
    assert ws[refs["when"]].is_date

    assert calamine(book, CUSTOMERS_TAB, refs["id"]) == 1001
    assert calamine(book, CUSTOMERS_TAB, refs["money"]) == 1234567.125
    assert calamine(book, CUSTOMERS_TAB, refs["date"]) == date(2026, 5, 6)
    assert calamine(book, CUSTOMERS_TAB, refs["text"]) == "重要 <客戶> & 夥伴"
    assert calamine(book, CUSTOMERS_TAB, refs["bool"]) is True
    assert calamine(book, CUSTOMERS_TAB, refs["when"]) == datetime(2026, 5, 6, 13, 45, 10)

    rows = read_frames(book).sheets["customers"].frame.to_dicts()
    first, second, third = rows
    assert first["odoo_partner_id"] == "1001"
    assert first["notes"] == "重要 <客戶> & 夥伴"
    assert second["budget"] == "1234567.125"
    assert second["first_contact_date"].startswith("2026-05-06")
    assert third["first_contact_date"] == "2026-05-06 13:45:10"


def test_decimal_is_written_with_its_own_digits(book):
    ref = at(book, "budget", 2)
    for value, stored in [
        (Decimal("0.1"), "0.1"),
        (Decimal("1234567.125"), "1234567.125"),
        (Decimal("1E+3"), "1000"),
        (Decimal("-0.000001"), "-0.000001"),
    ]:
        write_values(book, [CellWrite(CUSTOMERS_TAB, ref, value)])
        assert f"<v>{stored}</v>" in cell_xml(book, CUSTOMERS_TAB, ref), value
        assert Decimal(str(calamine(book, CUSTOMERS_TAB, ref))) == value


@pytest.mark.parametrize("text", ["=1+1", "+886-2-1234", "-5", "@home", '=HYPERLINK("x")'])
def test_text_that_looks_like_a_formula_stays_text(book, text):
    ref = at(book, "notes", 2)
    result = write_values(book, [CellWrite(CUSTOMERS_TAB, ref, text, as_text=True)])
    assert result.written == 1
    xml = cell_xml(book, CUSTOMERS_TAB, ref)
    assert 't="inlineStr"' in xml and "<f>" not in xml
    cell = openpyxl.load_workbook(book)[CUSTOMERS_TAB][ref]
    assert cell.value == text and cell.data_type == "s"
    # Excel's quote prefix: a person who edits the cell keeps text, not a live formula.
    assert cell.quotePrefix is True
    assert calamine(book, CUSTOMERS_TAB, ref) == text
    assert read_frames(book).sheets["customers"].frame["notes"][0] == text


def test_plain_text_gets_no_quote_prefix(book):
    ref = at(book, "notes", 4)
    write_values(book, [CellWrite(CUSTOMERS_TAB, ref, "an ordinary note")])
    assert openpyxl.load_workbook(book)[CUSTOMERS_TAB][ref].quotePrefix is False


def test_text_without_as_text_is_never_a_formula_either(book):
    ref = at(book, "notes", 3)
    write_values(book, [CellWrite(CUSTOMERS_TAB, ref, "=SUM(A1:A9)")])
    assert "<f>" not in cell_xml(book, CUSTOMERS_TAB, ref)
    assert calamine(book, CUSTOMERS_TAB, ref) == "=SUM(A1:A9)"


def test_awkward_text_survives(book):
    texts = ["  spaces kept  ", "line 1\r\nline 2", "tab\there", "vertical\x0btab", "𠀀 astral"]
    refs = [at(book, "notes", 2), at(book, "notes", 3), at(book, "notes", 4)]
    refs += [at(book, "address", 2), at(book, "address", 3)]
    write_values(book, [CellWrite(CUSTOMERS_TAB, r, t) for r, t in zip(refs, texts, strict=True)])
    for ref, text in zip(refs, texts, strict=True):
        assert calamine(book, CUSTOMERS_TAB, ref) == text
    again = write_values(
        book, [CellWrite(CUSTOMERS_TAB, r, t) for r, t in zip(refs, texts, strict=True)]
    )
    assert (again.written, again.unchanged) == (0, 5)


def test_text_over_excels_limit_is_refused(book):
    before = book.read_bytes()
    ref = at(book, "notes", 2)
    long = CellWrite(CUSTOMERS_TAB, ref, "字" * 32768)
    result = write_values(book, [long])
    assert result.refused == ((long, "too_long"),)
    assert book.read_bytes() == before
    result = write_values(book, [CellWrite(CUSTOMERS_TAB, ref, "字" * 32767)])
    assert result.written == 1
    assert len(calamine(book, CUSTOMERS_TAB, ref)) == 32767


def test_values_no_cell_can_hold_are_refused(book):
    before = book.read_bytes()
    ref = at(book, "notes", 2)
    from datetime import UTC

    bad = [
        CellWrite(CUSTOMERS_TAB, ref, float("nan")),
        CellWrite(CUSTOMERS_TAB, ref, Decimal("Infinity")),
        CellWrite(CUSTOMERS_TAB, ref, date(1899, 12, 1)),
        CellWrite(CUSTOMERS_TAB, ref, datetime(2026, 1, 1, tzinfo=UTC)),
    ]
    result = write_values(book, bad)
    assert [reason for _, reason in result.refused] == ["bad_value"] * 4
    assert result.backup is None and book.read_bytes() == before
    with pytest.raises(TypeError):
        write_values(book, [CellWrite(CUSTOMERS_TAB, ref, ["a", "list"])])  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        write_values(book, [CellWrite(CUSTOMERS_TAB, "12H", 1)])
    assert book.read_bytes() == before


# -- dates ------------------------------------------------------------------------------------


def test_date_in_a_date_column_keeps_the_column_format(book):
    before = parts(book)
    ref = at(book, "first_contact_date", 3)  # blank: the column's yyyy-mm-dd format applies
    result = write_values(book, [CellWrite(CUSTOMERS_TAB, ref, date(2026, 7, 8))])
    assert result.changed_parts == (sheet_part(book, CUSTOMERS_TAB),)
    assert parts(book)["xl/styles.xml"] == before["xl/styles.xml"]
    cell = openpyxl.load_workbook(book)[CUSTOMERS_TAB][ref]
    assert cell.is_date and cell.number_format == "yyyy-mm-dd"


def test_date_in_a_text_column_gets_a_date_format(book):
    ref, ref2 = at(book, "notes", 2), at(book, "notes", 3)
    result = write_values(
        book,
        [
            CellWrite(CUSTOMERS_TAB, ref, date(2026, 7, 8)),
            CellWrite(CUSTOMERS_TAB, ref2, datetime(2026, 7, 8, 9, 30)),
        ],
    )
    assert "xl/styles.xml" in result.changed_parts
    ws = openpyxl.load_workbook(book)[CUSTOMERS_TAB]
    assert ws[ref].is_date and ws[ref].number_format == "yyyy-mm-dd"
    assert ws[ref2].is_date and ws[ref2].number_format == "yyyy-mm-dd hh:mm"
    assert ws[ref2].value == datetime(2026, 7, 8, 9, 30)
    # The copied format keeps the cell's font; a second date reuses the format just added.
    assert ws[ref].font.name == "Microsoft JhengHei"
    styles = parts(book)["xl/styles.xml"]
    numfmts = re.search(rb'<numFmts count="(\d+)">(.*?)</numFmts>', styles)
    assert int(numfmts.group(1)) == numfmts.group(2).count(b"<numFmt ")
    assert styles.count(b'formatCode="yyyy-mm-dd"') == 1  # the workbook's own, reused
    again = write_values(book, [CellWrite(CUSTOMERS_TAB, at(book, "notes", 4), date(2026, 1, 2))])
    assert again.changed_parts == (sheet_part(book, CUSTOMERS_TAB),)
    assert parts(book)["xl/styles.xml"] == styles


def test_dates_in_a_1904_workbook(tmp_path):
    def build(wb):
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
        ws = wb.active
        ws.title = "Data"
        ws.append(["key", "when"])
        ws.append(["K1", None])

    path = openpyxl_book(tmp_path / "mac.xlsx", build)
    assert b'date1904="1"' in parts(path)["xl/workbook.xml"]
    write_values(path, [CellWrite("Data", "B2", date(2026, 5, 6))])
    serial = (date(2026, 5, 6) - date(1904, 1, 1)).days
    assert f"<v>{serial}</v>" in cell_xml(path, "Data", "B2")
    assert openpyxl.load_workbook(path)["Data"]["B2"].value == datetime(2026, 5, 6)
    assert calamine(path, "Data", "B2") == date(2026, 5, 6)


def test_early_1900_dates_count_excels_phantom_leap_day(tmp_path):
    def build(wb):
        wb.active.title = "Data"

    path = openpyxl_book(tmp_path / "old.xlsx", build)
    write_values(
        path,
        [CellWrite("Data", "A1", date(1900, 1, 1)), CellWrite("Data", "A2", date(1900, 3, 1))],
    )
    assert "<v>1</v>" in cell_xml(path, "Data", "A1")
    assert "<v>61</v>" in cell_xml(path, "Data", "A2")


# -- guards -----------------------------------------------------------------------------------


def test_key_moved_is_refused_and_the_file_is_untouched(book):
    before = book.read_bytes()
    ref = at(book, "odoo_partner_id", 2)
    key = at(book, "customer_id", 2)
    moved = CellWrite(CUSTOMERS_TAB, ref, 1001, check_cell=key, check_value="CU0002")
    result = write_values(book, [moved], now=NOW)
    assert result.refused == ((moved, "key_moved"),)
    assert (result.written, result.backup, result.changed_parts) == (0, None, ())
    assert book.read_bytes() == before
    assert backups(book.parent) == []
    # The key as it is: written (the key is a shared string; spaces around it do not count).
    ok = CellWrite(CUSTOMERS_TAB, ref, 1001, check_cell=key, check_value=" CU0001 ")
    assert write_values(book, [ok]).written == 1


def test_key_check_reads_numbers_and_inline_strings(tmp_path):
    def build(wb):
        ws = wb.active
        ws.title = "Data"
        ws.append(["id", "odoo"])
        ws.append([1001, None])
        ws.append([1002.0, None])

    path = openpyxl_book(tmp_path / "numbers.xlsx", build)
    result = write_values(
        path,
        [
            CellWrite("Data", "B2", 7, check_cell="A2", check_value="1001"),
            CellWrite("Data", "B3", 8, check_cell="A3", check_value="1002"),
            CellWrite("Data", "B3", 9, check_cell="A3", check_value="1003"),
            CellWrite("Data", "B4", 9, check_cell="A4", check_value="1004"),  # no such row
        ],
    )
    assert result.written == 2
    assert [r for _, r in result.refused] == ["key_moved", "key_moved"]
    write_values(path, [CellWrite("Data", "A5", "X-9")])  # an inline string
    check = CellWrite("Data", "B5", 1, check_cell="A5", check_value="X-9")
    assert write_values(path, [check]).written == 1


def test_formula_cells_are_never_overwritten(tmp_path):
    def build(wb):
        ws = wb.active
        ws.title = "Data"
        ws.append(["a", "b", "sum"])
        ws.append([1, 2, "=A2+B2"])
        ws["D2"] = ArrayFormula("D2:D3", "=A2:A3*2")

    path = openpyxl_book(tmp_path / "formulas.xlsx", build)
    before = path.read_bytes()
    writes = [
        CellWrite("Data", "C2", 5),
        CellWrite("Data", "C2", None),
        CellWrite("Data", "D2", 5),
        CellWrite("Data", "D3", 5),  # inside the array formula, held by D2
    ]
    result = write_values(path, writes)
    assert [r for _, r in result.refused] == ["formula"] * 4
    assert result.backup is None and path.read_bytes() == before
    write_values(path, [CellWrite("Data", "E2", 5)])
    ws = openpyxl.load_workbook(path)["Data"]
    assert ws["C2"].value == "=A2+B2" and ws["E2"].value == 5


def test_none_clears_the_value_and_keeps_the_format(book):
    ref = at(book, "name", 2)
    before = cell_xml(book, CUSTOMERS_TAB, ref)
    style = re.search(r's="(\d+)"', before).group(1)
    result = write_values(book, [CellWrite(CUSTOMERS_TAB, ref, None)])
    assert result.written == 1
    assert cell_xml(book, CUSTOMERS_TAB, ref) == f'<c r="{ref}" s="{style}"/>'
    assert openpyxl.load_workbook(book)[CUSTOMERS_TAB][ref].value is None
    assert calamine(book, CUSTOMERS_TAB, ref) == ""
    # Clearing a blank cell, or one not there at all, changes nothing.
    again = write_values(
        book, [CellWrite(CUSTOMERS_TAB, ref, None), CellWrite(CUSTOMERS_TAB, "Z99", None)]
    )
    assert (again.written, again.unchanged, again.backup) == (0, 2, None)


def test_second_identical_call_writes_nothing(book):
    writes = [
        CellWrite(CUSTOMERS_TAB, at(book, "odoo_partner_id", 2), 1001),
        CellWrite(CUSTOMERS_TAB, at(book, "notes", 2), "=1+1"),
        CellWrite(CUSTOMERS_TAB, at(book, "first_contact_date", 3), date(2026, 1, 2)),
        CellWrite(CUSTOMERS_TAB, at(book, "notes", 3), datetime(2026, 1, 2, 3, 4, 5)),
        CellWrite(CUSTOMERS_TAB, at(book, "budget", 2), Decimal("8130000.00")),  # as it was
        CellWrite(CUSTOMERS_TAB, at(book, "name", 4), "正邦人力資源"),  # a shared string
        CellWrite(CUSTOMERS_TAB, at(book, "tax_id", 4), True),
    ]
    first = write_values(book, writes, now=NOW)
    assert (first.written, first.unchanged) == (5, 2)
    after = book.read_bytes()
    stat = book.stat()
    second = write_values(book, writes, now=NOW)
    assert (second.written, second.unchanged, second.backup) == (0, 7, None)
    assert second.changed_parts == ()
    assert book.read_bytes() == after and book.stat().st_mtime_ns == stat.st_mtime_ns
    assert len(backups(book.parent)) == 1


def test_only_the_touched_sheet_changes(book):
    before = parts(book)
    raw_before = raw_entries(book)
    result = write_values(
        book,
        [
            CellWrite(CUSTOMERS_TAB, at(book, "odoo_partner_id", 2), 1001),
            CellWrite(CUSTOMERS_TAB, at(book, "notes", 3), "x"),
        ],
    )
    part = sheet_part(book, CUSTOMERS_TAB)
    assert result.changed_parts == (part,)
    after = parts(book)
    raw_after = raw_entries(book)
    assert list(after) == list(before)
    for name in before:
        if name != part:
            assert raw_after[name] == raw_before[name], name
    with zipfile.ZipFile(book) as z:
        assert z.testzip() is None


def test_cells_and_rows_are_inserted_in_order(tmp_path):
    def build(wb):
        ws = wb.active
        ws.title = "Data"
        ws["A1"], ws["D1"] = "a", "d"
        ws["A3"] = "a3"

    path = openpyxl_book(tmp_path / "gaps.xlsx", build)
    write_values(
        path,
        [
            CellWrite("Data", "C1", "c"),
            CellWrite("Data", "B1", "b"),
            CellWrite("Data", "B2", "new row"),
            CellWrite("Data", "B5", "after the last row"),
        ],
    )
    xml = parts(path)[sheet_part(path, "Data")].decode()
    assert re.findall(r'<c r="([A-Z]+\d+)"', xml) == ["A1", "B1", "C1", "D1", "B2", "A3", "B5"]
    assert re.findall(r'<row r="(\d+)"', xml) == ["1", "2", "3", "5"]
    assert re.search(r'<dimension ref="A1:D5"\s*/>', xml)  # widened from A1:D3
    ws = openpyxl.load_workbook(path)["Data"]
    assert [[c.value for c in r] for r in ws.iter_rows()] == [
        ["a", "b", "c", "d"],
        [None, "new row", None, None],
        ["a3", None, None, None],
        [None, None, None, None],
        [None, "after the last row", None, None],
    ]


def test_unknown_sheet_is_refused(book):
    before = book.read_bytes()
    write = CellWrite("Nope", "A1", 1)
    hidden = CellWrite("_mops", "C1", 1)  # a worksheet like any other (hidden): allowed
    result = write_values(book, [write, hidden])
    assert result.refused == ((write, "no_sheet"),)
    assert result.written == 1
    assert book.read_bytes() != before


def test_prefixed_package_without_styles(tmp_path):
    from test_writeback import MINIMAL

    path = tmp_path / "minimal.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in MINIMAL.items():
            z.writestr(name, text)
    result = write_values(
        path,
        [
            CellWrite("Sheet 1", "B2", "0912-345-678", check_cell="A2", check_value="Lin"),
            CellWrite("Sheet 1", "A4", 10),  # a cell without r
            CellWrite("Sheet 1", "C3", date(2026, 1, 2)),  # needs a styles part
        ],
    )
    assert result.written == 3
    xml = parts(path)["xl/worksheets/sheet1.xml"].decode()
    assert '<x:c r="B2" t="inlineStr"><x:is><x:t xml:space="preserve">0912-345-678' in xml
    ws = openpyxl.load_workbook(path)["Sheet 1"]
    assert [ws["B2"].value, ws["A4"].value, ws["B4"].value] == ["0912-345-678", 10, 2]
    assert ws["C3"].value == datetime(2026, 1, 2) and ws["C3"].is_date


# -- safety -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lock", ["~$customers.xlsx", "~$stomers.xlsx", ".~lock.customers.xlsx#"])
def test_open_workbook_is_refused(book, lock):
    (book.parent / lock).write_bytes(b"\x0cuser")
    before = book.read_bytes()
    with pytest.raises(WorkbookError, match=r"Excel|LibreOffice") as err:
        write_values(book, [CellWrite(CUSTOMERS_TAB, at(book, "notes", 2), "x")])
    assert "findings" not in str(err.value) and "檢核" not in str(err.value)
    assert book.read_bytes() == before
    assert sorted(p.name for p in book.parent.iterdir()) == sorted([book.name, lock])


def test_damaged_sheet_names_the_sheet_and_cell(book):
    part = sheet_part(book, CUSTOMERS_TAB)
    ref = at(book, "odoo_partner_id", 3)
    data = parts(book)
    data[part] = data[part].replace(b'<c r="A3"', b'<c r="A3" x="1 <', 1)  # not XML
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in data.items():
            z.writestr(name, blob)
    before = book.read_bytes()
    with pytest.raises(WorkbookError) as err:
        write_values(book, [CellWrite(CUSTOMERS_TAB, ref, 5)])
    message = str(err.value)
    assert str(book) in message and CUSTOMERS_TAB in message and part in message
    assert err.value.sheet == CUSTOMERS_TAB and err.value.cell == ref
    assert book.read_bytes() == before
    assert backups(book.parent) == []


def test_crash_before_replace_leaves_the_original(book, monkeypatch):
    before = book.read_bytes()

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(commit.os, "replace", boom)
    with pytest.raises(WorkbookError):
        write_values(book, [CellWrite(CUSTOMERS_TAB, at(book, "notes", 2), "x")])
    assert book.read_bytes() == before
    assert sorted(p.name for p in book.parent.iterdir()) == [book.name]


def test_calc_chain_stays_valid(tmp_path):
    """A workbook with a calculation chain: values around the formulas, the chain untouched."""

    def build(wb):
        ws = wb.active
        ws.title = "Data"
        ws.append(["a", "b", "sum"])
        ws.append([1, 2, "=A2+B2"])

    path = openpyxl_book(tmp_path / "chain.xlsx", build)
    data = parts(path)
    data["xl/calcChain.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<c r="C2" i="1"/></calcChain>'
    )
    data["xl/_rels/workbook.xml.rels"] = data["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>',
    )
    data["[Content_Types].xml"] = data["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.calcChain+xml"/></Types>',
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in data.items():
            z.writestr(name, blob)
    result = write_values(
        path, [CellWrite("Data", "A2", 10), CellWrite("Data", "C2", 0), CellWrite("Data", "D2", 1)]
    )
    assert [r for _, r in result.refused] == ["formula"]
    assert parts(path)["xl/calcChain.xml"] == data["xl/calcChain.xml"]
    ws = openpyxl.load_workbook(path)["Data"]
    assert (ws["A2"].value, ws["C2"].value, ws["D2"].value) == (10, "=A2+B2", 1)


# -- annotations and values together ---------------------------------------------------------


def annotate(path: Path, notes: list[CellNote]) -> WriteBackResult:
    lines = [
        FindingLine((f"{n.sheet}!{n.cell}", n.severity, n.text), n.sheet, n.cell, n.severity)
        for n in notes
    ]
    return write_back(path, notes, lines, header=HEADER, now=NOW)


def fill_of(path: Path, ref: str) -> str | None:
    return openpyxl.load_workbook(path)[CUSTOMERS_TAB][ref].fill.fgColor.rgb


def test_value_in_a_cell_the_annotator_created_survives_its_undo(book):
    blank = at(book, "odoo_partner_id", 2)
    assert cell_xml(book, CUSTOMERS_TAB, blank) is None  # no cell yet
    annotate(book, [CellNote(CUSTOMERS_TAB, blank, "error", "尚未同步")])
    assert fill_of(book, blank) in MOPS_FILLS
    result = write_values(book, [CellWrite(CUSTOMERS_TAB, blank, 1001)])
    assert result.written == 1
    assert fill_of(book, blank) in MOPS_FILLS  # the mark stays until the next run
    undo = write_back(book, [], [], header=HEADER, now=NOW)
    assert undo.cells_restored == 1
    ws = openpyxl.load_workbook(book)[CUSTOMERS_TAB]
    assert ws[blank].value == 1001
    assert ws[blank].fill.fgColor.rgb not in MOPS_FILLS
    assert ws[blank].number_format == "0"  # the column's format, as a typed id would get
    assert "檢核結果" not in openpyxl.load_workbook(book).sheetnames
    assert calamine(book, CUSTOMERS_TAB, blank) == 1001


def test_value_in_a_marked_cell_keeps_the_mark_undoable(book):
    name = at(book, "name", 3)
    date_cell = at(book, "first_contact_date", 2)
    before = cell_xml(book, CUSTOMERS_TAB, name)
    annotate(
        book,
        [
            CellNote(CUSTOMERS_TAB, name, "warning", "名稱重複"),
            CellNote(CUSTOMERS_TAB, date_cell, "info", "日期待確認"),
        ],
    )
    write_values(
        book,
        [
            CellWrite(CUSTOMERS_TAB, name, "嘉安建設"),
            CellWrite(CUSTOMERS_TAB, date_cell, date(2026, 4, 1)),
        ],
    )
    ws = openpyxl.load_workbook(book)[CUSTOMERS_TAB]
    assert ws[name].value == "嘉安建設" and ws[name].fill.fgColor.rgb in MOPS_FILLS
    assert ws[date_cell].is_date and ws[date_cell].fill.fgColor.rgb in MOPS_FILLS
    # The next run (here with new findings elsewhere) undoes the marks and keeps the values.
    other = at(book, "tax_id", 4)
    annotate(book, [CellNote(CUSTOMERS_TAB, other, "error", "統一編號必填")])
    ws = openpyxl.load_workbook(book)[CUSTOMERS_TAB]
    assert ws[name].value == "嘉安建設" and ws[name].fill.fgColor.rgb not in MOPS_FILLS
    assert ws[date_cell].value == datetime(2026, 4, 1) and ws[date_cell].is_date
    assert ws[date_cell].fill.fgColor.rgb not in MOPS_FILLS
    assert ws[other].fill.fgColor.rgb in MOPS_FILLS
    write_back(book, [], [], header=HEADER, now=NOW)
    assert re.search(r's="(\d+)"', cell_xml(book, CUSTOMERS_TAB, name)).group(0) == re.search(
        r's="(\d+)"', before
    ).group(0)
    assert not (book.parent / "x").exists()
    ws = openpyxl.load_workbook(book)[CUSTOMERS_TAB]
    assert all(c.fill.fgColor.rgb not in MOPS_FILLS for row in ws.iter_rows() for c in row)
    assert not any(c.comment for row in ws.iter_rows() for c in row if c.row > 1)


def test_date_needing_a_new_format_in_a_marked_cell(book):
    """A date style appended after an annotation run: the next run still undoes its marks."""
    notes_cell = at(book, "notes", 2)  # a text column: the date needs a format of its own
    annotate(book, [CellNote(CUSTOMERS_TAB, notes_cell, "error", "備註有誤")])
    result = write_values(book, [CellWrite(CUSTOMERS_TAB, notes_cell, date(2026, 4, 1))])
    assert "xl/styles.xml" in result.changed_parts
    ws = openpyxl.load_workbook(book)[CUSTOMERS_TAB]
    assert ws[notes_cell].is_date and ws[notes_cell].fill.fgColor.rgb in MOPS_FILLS
    write_back(book, [], [], header=HEADER, now=NOW)
    ws = openpyxl.load_workbook(book)[CUSTOMERS_TAB]
    assert ws[notes_cell].value == datetime(2026, 4, 1) and ws[notes_cell].is_date
    assert ws[notes_cell].fill.fgColor.rgb not in MOPS_FILLS


# -- LibreOffice ------------------------------------------------------------------------------


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_reads_the_values(book, tmp_path):
    refs = {
        "id": at(book, "odoo_partner_id", 2),
        "formula_text": at(book, "notes", 2),
        "date": at(book, "first_contact_date", 3),
        "when": at(book, "notes", 3),
        "money": at(book, "budget", 2),
        "cleared": at(book, "name", 4),
    }
    write_values(
        book,
        [
            CellWrite(CUSTOMERS_TAB, refs["id"], 1001),
            CellWrite(CUSTOMERS_TAB, refs["formula_text"], "=1+1", as_text=True),
            CellWrite(CUSTOMERS_TAB, refs["date"], date(2026, 7, 8)),
            CellWrite(CUSTOMERS_TAB, refs["when"], datetime(2026, 7, 8, 9, 30)),
            CellWrite(CUSTOMERS_TAB, refs["money"], Decimal("1234567.125")),
            CellWrite(CUSTOMERS_TAB, refs["cleared"], None),
        ],
        backup_dir=tmp_path / "backups",
    )
    outdir = tmp_path / "lo"
    convert([book], "xlsx", outdir)
    resaved = outdir / book.name
    ws = openpyxl.load_workbook(resaved)[CUSTOMERS_TAB]
    assert ws[refs["id"]].value == 1001
    assert ws[refs["formula_text"]].value == "=1+1"
    assert ws[refs["formula_text"]].data_type == "s"  # text, not a formula LibreOffice ran
    assert ws[refs["date"]].value == datetime(2026, 7, 8) and ws[refs["date"]].is_date
    assert ws[refs["when"]].value == datetime(2026, 7, 8, 9, 30) and ws[refs["when"]].is_date
    assert ws[refs["money"]].value == 1234567.125
    assert ws[refs["cleared"]].value is None
    sheet = parts(resaved)[sheet_part(resaved, CUSTOMERS_TAB)]
    assert b"<f>" not in sheet and b"<f " not in sheet
    # The file LibreOffice saved reads the same in mops's own reader.
    frame = read_frames(resaved).sheets["customers"].frame
    assert frame["notes"][0] == "=1+1"
    assert frame["odoo_partner_id"][0] == "1001"


def test_backup_dir_and_copy(tmp_path, book):
    target = tmp_path / "elsewhere"
    result = write_values(
        book, [CellWrite(CUSTOMERS_TAB, at(book, "notes", 2), "x")], backup_dir=target, now=NOW
    )
    assert result.backup == target / "customers.20260304-050607.bak.xlsx"
    shutil.copyfile(result.backup, tmp_path / "restored.xlsx")
    assert calamine(tmp_path / "restored.xlsx", CUSTOMERS_TAB, at(book, "notes", 2)) == ""
