"""Write-back into the user's workbook: only the patched parts change, and runs undo each other.

The fixtures (tests/data/preserve, built by tests/data/make_preservation_fixtures.py) hold what
openpyxl would lose on a load and save: a chart, a picture, a pivot table, x14 data validations,
mc:Ignorable prefixes, a VBA project and a form button, plus names, formulas, comments and
conditional formats. Every test works on a copy.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import warnings
import zipfile
from datetime import datetime
from pathlib import Path
from xml.etree.ElementTree import canonicalize

import openpyxl
import pytest
import python_calamine as pc

from mops.errors import WorkbookError
from mops.workbook import commit
from mops.workbook.annotate import CellNote, FindingLine, WriteBackResult, write_back
from mops.workbook.ooxml.zipio import ZipWriter

from conftest import REPO
from libreoffice import SOFFICE, convert

PRESERVE = REPO / "tests" / "data" / "preserve"

HEADER = ("位置", "嚴重度", "說明")
NOW = datetime(2026, 3, 4, 5, 6, 7)
RED, YELLOW, BLUE = "FFFFC7CE", "FFFFEB9C", "FFDDEBF7"
FILL = {"error": RED, "warning": YELLOW, "info": BLUE}

# Per fixture: the sheet part of each annotated tab, and two different sets of notes.
# Set A covers existing styled cells, blank cells in existing rows, a missing row, a formula
# cell and (features) the cell with the user's comment; set B overlaps A in part.
CASES: dict[str, dict] = {
    "features.xlsx": {
        "parts": {"客戶": "xl/worksheets/sheet1.xml"},
        "a": [
            ("客戶", "A2", "error", "統一編號有誤"),
            ("客戶", "D3", "warning", "金額偏低"),
            ("客戶", "B3", "error", "必填：電話"),
            ("客戶", "C5", "info", "產業未填"),
            ("客戶", "B7", "error", "整列空白"),
            ("客戶", "E2", "warning", "公式結果異常"),
            ("客戶", "H4", "info", "欄外備註"),  # beyond the row's spans="1:6"
        ],
        "b": [
            ("客戶", "A2", "warning", "名稱重複"),
            ("客戶", "D4", "error", "金額 < 10,000 & 無核准"),
            ("客戶", "B9", "info", "新列"),
        ],
    },
    "pivot.xlsx": {
        "parts": {"Sales": "xl/worksheets/sheet1.xml", "Pivot": "xl/worksheets/sheet2.xml"},
        "a": [
            ("Sales", "C3", "error", "amount too high"),
            ("Sales", "D2", "warning", "missing note"),
            ("Sales", "A9", "info", "empty row"),
            ("Pivot", "B4", "info", "check the total"),
        ],
        "b": [("Sales", "C4", "error", "negative"), ("Pivot", "B4", "warning", "stale")],
    },
    "macro.xlsm": {
        "parts": {"Data": "xl/worksheets/sheet1.xml"},
        "a": [
            ("Data", "B3", "error", "not an e-mail address"),
            ("Data", "C3", "warning", "share above 100%"),
            ("Data", "D2", "info", "blank"),
        ],
        "b": [("Data", "A3", "error", "unknown person")],
    },
}
FIXTURES = sorted(CASES)


# -- helpers ----------------------------------------------------------------------------------


def notes_of(case: str, which: str) -> list[CellNote]:
    return [CellNote(*n) for n in CASES[case][which]]


def lines_of(notes: list[CellNote]) -> list[FindingLine]:
    return [
        FindingLine((f"{n.sheet}!{n.cell}", n.severity, n.text), n.sheet, n.cell, n.severity)
        for n in notes
    ]


def annotate(path: Path, notes: list[CellNote], **kw) -> WriteBackResult:
    kw.setdefault("now", NOW)
    return write_back(path, notes, lines_of(notes), header=HEADER, **kw)


@pytest.fixture(params=FIXTURES)
def case(request, tmp_path) -> tuple[str, Path]:
    """A fixture name and a fresh copy of it in its own folder."""
    target = tmp_path / request.param
    shutil.copyfile(PRESERVE / request.param, target)
    return request.param, target


def copy_of(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copyfile(PRESERVE / name, target)
    return target


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def raw_entries(path: Path) -> dict[str, tuple[bytes, int, int]]:
    """Each entry's compressed bytes, CRC and method, read from its local header."""
    out = {}
    with zipfile.ZipFile(path) as z, open(path, "rb") as f:
        for info in z.infolist():
            f.seek(info.header_offset)
            head = f.read(30)
            name_len, extra_len = struct.unpack("<HH", head[26:30])
            f.seek(name_len + extra_len, 1)
            out[info.filename] = (f.read(info.compress_size), info.CRC, info.compress_type)
    return out


def patched_set(case: str, before: dict[str, bytes]) -> set[str]:
    """The parts a write-back may rewrite: package-level ones and each annotated sheet's."""
    allowed = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"}
    allowed.add("xl/styles.xml")
    for part in CASES[case]["parts"].values():
        rels = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
        allowed |= {part, rels}
        if rels in before:
            for target in re.findall(rb'Target="([^"]+)"', before[rels]):
                name = os.path.normpath(os.path.join("xl/worksheets", target.decode()))
                if "comments" in name or name.endswith(".vml"):
                    allowed.add(name)
    return allowed


def load(path: Path) -> openpyxl.Workbook:
    with warnings.catch_warnings():
        # openpyxl warns that it cannot read the x14 validation extension; mops keeps it.
        warnings.simplefilter("ignore", UserWarning)
        return openpyxl.load_workbook(path)


def grid(path: Path, sheet: str) -> list[list]:
    """A sheet's values as python-calamine reads them, trailing blanks trimmed."""
    book = pc.CalamineWorkbook.from_path(str(path))
    rows = [list(r) for r in book.get_sheet_by_name(sheet).to_python()]
    for r in rows:
        while r and r[-1] == "":
            r.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


def comments_in(path: Path) -> dict[tuple[str, str], str]:
    book = load(path)
    return {
        (ws.title, c.coordinate): c.comment.text
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.comment
    }


def cell_tag(package: dict[str, bytes], part: str, ref: str) -> str | None:
    """The start tag of a cell in a sheet part (its r, s and t attributes), if present."""
    m = re.search(rf'<c r="{ref}"[^>]*?/?>'.encode(), package[part])
    return m.group(0).decode() if m else None


def same_xml(a: bytes, b: bytes) -> bool:
    return canonicalize(a.decode("utf-8")) == canonicalize(b.decode("utf-8"))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".~mops-"))


# -- what changes and what does not ---------------------------------------------------------


def test_untouched_parts_are_copied_byte_for_byte(case):
    name, path = case
    before = parts(path)
    raw_before = raw_entries(path)
    result = annotate(path, notes_of(name, "a"))
    after = parts(path)
    raw_after = raw_entries(path)
    allowed = patched_set(name, before)
    for part, data in before.items():
        assert part in after, f"{part} was dropped"
        if part in allowed:
            continue
        assert after[part] == data, f"{part} changed"
        assert raw_after[part] == raw_before[part], f"{part} was recompressed"
    new = set(after) - set(before)
    assert set(result.changed_parts) <= allowed | new
    assert all(
        re.fullmatch(
            r"xl/(comments\d+\.xml|drawings/vmlDrawing\d+\.vml|worksheets/sheet\d+\.xml)", n
        )
        or n.startswith("customXml/")
        or n.startswith("xl/worksheets/_rels/")
        for n in new
    ), new
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None


def test_result_opens_in_openpyxl_with_fills_comments_and_findings(case):
    name, path = case
    original = load(path)
    notes = notes_of(name, "a")
    user_comments = comments_in(path)
    result = annotate(path, notes)
    book = load(path)
    for n in notes:
        cell = book[n.sheet][n.cell]
        assert cell.fill.fill_type == "solid"
        assert cell.fill.fgColor.rgb == FILL[n.severity], n
        row, col = openpyxl.utils.cell.coordinate_to_tuple(n.cell)
        if (row, col) in original[n.sheet]._cells:
            # The copied format keeps everything but the fill. (A new cell gets the row's or
            # column's format, which openpyxl does not report for absent cells.)
            was = original[n.sheet][n.cell]
            assert cell.number_format == was.number_format, n
            assert repr(cell.font) == repr(was.font), n
            assert repr(cell.border) == repr(was.border), n
            assert cell.value == was.value, n
        else:
            assert cell.value is None
        text = cell.comment.text
        assert text.endswith("mops:\n" + n.text), text
        if (n.sheet, n.cell) in user_comments:
            assert text.startswith(user_comments[(n.sheet, n.cell)]), text
    # Other comments are left as they were.
    after = comments_in(path)
    for key, text in user_comments.items():
        if key not in {(n.sheet, n.cell) for n in notes}:
            assert after[key] == text
    assert result.findings_sheet == "檢核結果"
    assert book.sheetnames[-1] == "檢核結果"
    ws = book["檢核結果"]
    assert [c.value for c in ws[1]] == list(HEADER)
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:C{len(notes) + 1}"
    for r, n in enumerate(notes, start=2):
        assert [c.value for c in ws[r]] == [f"{n.sheet}!{n.cell}", n.severity, n.text]
        assert ws.cell(r, 1).hyperlink.location == f"'{n.sheet}'!{n.cell}"
        assert ws.cell(r, 1).fill.fgColor.rgb == FILL[n.severity]
    assert all(ws.column_dimensions[c].width >= 8 for c in "ABC")


def test_blank_cells_are_inserted_with_the_column_format(tmp_path):
    path = copy_of(tmp_path, "features.xlsx")
    annotate(path, notes_of("features.xlsx", "a"))
    ws = load(path)["客戶"]
    # Column B is text-formatted: a blank required cell keeps "@" so a phone keeps its 0.
    assert ws["B3"].number_format == "@"
    assert ws["B7"].number_format == "@"
    xml = parts(path)["xl/worksheets/sheet1.xml"].decode()
    rows = [int(r) for r in re.findall(r'<row\b[^>]*\br="(\d+)"', xml)]
    assert rows == sorted(rows) and 7 in rows
    row3 = re.search(r'<row\b[^>]*\br="3".*?</row>', xml).group(0)
    assert re.findall(r'<c r="([A-Z]+)3"', row3) == ["A", "B", "C", "D", "E", "F"]
    # The optional spans hint of row 4 now covers the new H4 (Excel repairs a wrong one).
    assert re.search(r'<row [^>]*r="4" spans="1:8"', xml)
    write_back(path, [], [], header=HEADER)
    assert re.search(
        r'<row [^>]*r="4" spans="1:6"', parts(path)["xl/worksheets/sheet1.xml"].decode()
    )


def test_data_reads_back_unchanged_with_calamine(case):
    name, path = case
    sheets = pc.CalamineWorkbook.from_path(str(path)).sheet_names
    before = {s: grid(path, s) for s in sheets}
    annotate(path, notes_of(name, "a"))
    book = pc.CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == [*sheets, "檢核結果"]
    for s in sheets:
        assert grid(path, s) == before[s], s


def test_extensions_prefixes_and_names_survive(tmp_path):
    path = copy_of(tmp_path, "features.xlsx")
    before = parts(path)
    annotate(path, notes_of("features.xlsx", "a"))
    after = parts(path)
    sheet = after["xl/worksheets/sheet1.xml"]
    head = before["xl/worksheets/sheet1.xml"].split(b"<sheetData>")[0]
    # The sheet is no longer the selected tab (the findings sheet is); all else is as it was.
    assert b' tabSelected="1"' in head
    head = head.replace(b' tabSelected="1"', b"")
    assert sheet.startswith(head)  # root tag with mc:Ignorable="x14ac xr", views, cols
    assert re.search(rb"<extLst>.*x14:dataValidation.*</extLst></worksheet>$", sheet)
    assert sheet.count(b"x14ac:dyDescent") == before["xl/worksheets/sheet1.xml"].count(
        b"x14ac:dyDescent"
    )
    workbook = after["xl/workbook.xml"]
    assert b'mc:Ignorable="x15"' in workbook
    book = load(path)
    assert book.sheetnames == ["客戶", "清單", "_lists", "檢核結果"]
    assert book["_lists"].sheet_state == "hidden"
    assert book["客戶"].print_area == "'客戶'!$A$1:$F$9"
    assert "本頁合計" in book["客戶"].defined_names
    assert "產業清單" in book["清單"].defined_names
    assert "稅率" in book.defined_names
    assert book["客戶"]["E2"].value == "=D2*2"
    assert b"<f>D2*2</f><v>240000</v>" in sheet  # the cached value stays
    assert book["客戶"].conditional_formatting


def test_macro_workbook_keeps_vba_and_button(tmp_path):
    path = copy_of(tmp_path, "macro.xlsm")
    before = parts(path)
    annotate(path, notes_of("macro.xlsm", "a"))
    after = parts(path)
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    types = after["[Content_Types].xml"].decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
    assert "application/vnd.ms-office.vbaProject" in types
    vml = after["xl/drawings/vmlDrawing1.vml"]
    assert vml.startswith(before["xl/drawings/vmlDrawing1.vml"][: -len(b"</xml>")])
    assert vml.count(b'ObjectType="Button"') == 1
    assert vml.count(b'ObjectType="Note"') == 3
    ids = re.findall(rb'id="(_x0000_s\d+)"', vml)
    assert len(ids) == len(set(ids)) == 4
    assert vml.count(b'id="_x0000_t202"') == 1
    assert load(path)["Data"]["B3"].comment.text.endswith("not an e-mail address")


def test_pivot_parts_are_untouched(tmp_path):
    path = copy_of(tmp_path, "pivot.xlsx")
    before = parts(path)
    annotate(path, notes_of("pivot.xlsx", "a"))
    after = parts(path)
    for part in before:
        if "pivot" in part:
            assert after[part] == before[part]
    rels = after["xl/worksheets/_rels/sheet2.xml.rels"].decode()
    assert "pivotTable1.xml" in rels and "comments" in rels and "vmlDrawing" in rels
    assert load(path)["Pivot"]._pivots  # openpyxl still finds the pivot table


# -- runs replace each other ---------------------------------------------------------------


def test_second_run_replaces_the_first(case):
    name, path = case
    original = load(path)
    user_comments = comments_in(path)
    before = parts(path)
    a, b = notes_of(name, "a"), notes_of(name, "b")
    annotate(path, a)
    result = annotate(path, b)
    after = parts(path)
    assert result.cells_restored == len(a)
    book = load(path)
    assert [s for s in book.sheetnames if s.startswith("檢核結果")] == ["檢核結果"]
    b_cells = {(n.sheet, n.cell) for n in b}
    for n in a:
        if (n.sheet, n.cell) in b_cells:
            continue
        cell, was = book[n.sheet][n.cell], original[n.sheet][n.cell]
        assert repr(cell.fill) == repr(was.fill), n
        part = CASES[name]["parts"][n.sheet]
        assert cell_tag(after, part, n.cell) == cell_tag(before, part, n.cell), n
    for n in b:
        assert book[n.sheet][n.cell].fill.fgColor.rgb == FILL[n.severity]
    expected = dict(user_comments)
    for n in b:
        mine = "mops:\n" + n.text
        key = (n.sheet, n.cell)
        expected[key] = expected[key] + "\n" + mine if key in expected else mine
    assert comments_in(path) == expected
    ws = book["檢核結果"]
    assert ws.max_row == len(b) + 1
    # A cell mops inserted for set A and not needed for B is gone again.
    for n in a:
        if (n.sheet, n.cell) not in b_cells and original[n.sheet][n.cell].value is None:
            part = CASES[name]["parts"][n.sheet]
            assert f'r="{n.cell}"'.encode() not in parts(path)[part], n


def test_no_findings_gives_back_the_original(case):
    name, path = case
    before = parts(path)
    original_bytes = path.read_bytes()
    annotate(path, notes_of(name, "a"))
    annotate(path, notes_of(name, "b"))
    result = write_back(path, [], [], header=HEADER, now=NOW)
    assert result.cells_marked == 0 and result.findings_sheet is None
    after = parts(path)
    assert list(after) == list(before)
    patched = patched_set(name, before)
    for part, data in before.items():
        if part in patched and part.endswith((".xml", ".rels")):
            assert same_xml(after[part], data), part
        else:
            assert after[part] == data, part
    # With these fixtures the package even comes back byte for byte.
    assert path.read_bytes() == original_bytes


def test_nothing_to_do_writes_nothing(tmp_path):
    path = copy_of(tmp_path, "features.xlsx")
    stat = path.stat()
    result = write_back(path, [], [], header=HEADER, now=NOW)
    assert result.backup is None and result.changed_parts == ()
    assert path.stat().st_mtime_ns == stat.st_mtime_ns
    assert sorted(p.name for p in tmp_path.iterdir()) == ["features.xlsx"]


def test_old_findings_sheet_removal_fixes_sheet_indexes(tmp_path):
    """A sheet the user added after the findings sheet keeps its local names and tab."""
    path = copy_of(tmp_path, "features.xlsx")
    annotate(path, notes_of("features.xlsx", "a"))
    add_sheet_after_findings(path)
    book = load(path)
    assert book.sheetnames == ["客戶", "清單", "_lists", "檢核結果", "備註"]
    annotate(path, notes_of("features.xlsx", "b"))
    book = load(path)
    assert book.sheetnames == ["客戶", "清單", "_lists", "備註", "檢核結果"]
    assert book["備註"].print_area == "'備註'!$A$1:$B$2"
    assert "本頁合計" in book["客戶"].defined_names
    assert "產業清單" in book["清單"].defined_names
    assert book.active.title == "檢核結果"  # the workbook opens on the findings again
    xml = parts(path)["xl/workbook.xml"].decode()
    assert "localSheetId=\"3\">'備註'" in xml
    assert re.search(r'_FilterDatabase" localSheetId="4"', xml)
    # And with no findings, only the user's sheet is left after theirs, and open as it was.
    write_back(path, [], [], header=HEADER, now=NOW)
    book = load(path)
    assert book.sheetnames == ["客戶", "清單", "_lists", "備註"]
    assert book.active.title == "備註"
    assert "_FilterDatabase" not in parts(path)["xl/workbook.xml"].decode()


def add_sheet_after_findings(path: Path) -> None:
    """Do what a user does in Excel: add a sheet at the end, with a print area, and open it."""
    data = parts(path)
    data["xl/worksheets/sheet9.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>note</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    data["xl/_rels/workbook.xml.rels"] = data["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/worksheet" Target="worksheets/sheet9.xml"/></Relationships>',
    )
    data["[Content_Types].xml"] = data["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/worksheets/sheet9.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    )
    wb = data["xl/workbook.xml"]
    wb = wb.replace(b"</sheets>", '<sheet name="備註" sheetId="9" r:id="rId99"/></sheets>'.encode())
    wb = wb.replace(
        b"</definedNames>",
        '<definedName name="_xlnm.Print_Area" localSheetId="4">\'備註\'!$A$1:$B$2'
        "</definedName></definedNames>".encode(),
    )
    wb = re.sub(rb' activeTab="\d+"', b"", wb).replace(
        b"<workbookView ", b'<workbookView activeTab="4" '
    )
    data["xl/workbook.xml"] = wb
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in data.items():
            z.writestr(name, blob)


def test_user_renamed_findings_sheet_is_kept(tmp_path):
    path = copy_of(tmp_path, "macro.xlsm")
    annotate(path, notes_of("macro.xlsm", "a"))
    data = parts(path)
    data["xl/workbook.xml"] = data["xl/workbook.xml"].replace(
        "檢核結果".encode(), "三月檢核".encode()
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in data.items():
            z.writestr(name, blob)
    annotate(path, notes_of("macro.xlsm", "b"))
    assert load(path).sheetnames == ["Data", "三月檢核", "檢核結果"]


def test_name_taken_by_a_user_sheet_gets_a_suffix(tmp_path):
    path = copy_of(tmp_path, "pivot.xlsx")
    notes = notes_of("pivot.xlsx", "a")
    result = write_back(path, notes, lines_of(notes), header=HEADER, findings_sheet="Pivot")
    assert result.findings_sheet == "Pivot (2)"
    result = write_back(path, notes, lines_of(notes), header=HEADER, findings_sheet="Pivot")
    assert load(path).sheetnames == ["Sales", "Pivot", "Pivot (2)"]
    write_back(path, [], [], header=HEADER)
    assert load(path).sheetnames == ["Sales", "Pivot"]


def test_english_findings_sheet_and_text_is_never_a_formula(tmp_path):
    path = copy_of(tmp_path, "features.xlsx")
    nasty = '=HYPERLINK("http://x")\x0b & <b> _x0041_'
    notes = [CellNote("客戶", "A3", "error", nasty)]
    lines = [FindingLine(("=1+1", 3, 2.5, None, True), "客戶", "A3", "error")]
    write_back(path, notes, lines, header=["Where", "n"], findings_sheet="Findings")
    book = load(path)
    ws = book["Findings"]
    assert [c.value for c in ws[2]] == ["=1+1", 3, 2.5, None, True]
    assert ws["A2"].data_type == "s"
    sheet = parts(path)["xl/worksheets/sheet4.xml"]
    assert b"<f>" not in sheet
    # Stored the way Excel escapes what XML cannot hold (openpyxl shows the escapes as is).
    stored = '=HYPERLINK("http://x")_x000B_ & <b> _x005F_x0041_'
    assert book["客戶"]["A3"].comment.text == "mops:\n" + stored
    write_back(path, [], [], header=[])
    assert parts(path) == parts(PRESERVE / "features.xlsx")


def test_duplicate_notes_on_one_cell_are_merged(tmp_path):
    path = copy_of(tmp_path, "macro.xlsm")
    notes = [CellNote("Data", "B2", "info", "one"), CellNote("Data", "B2", "error", "two")]
    result = write_back(path, notes, [], header=HEADER)
    assert result.cells_marked == 1 and result.findings_sheet is None
    cell = load(path)["Data"]["B2"]
    assert cell.fill.fgColor.rgb == RED
    assert cell.comment.text == "mops:\none\ntwo"


def test_sheet_names_match_without_case(tmp_path):
    path = copy_of(tmp_path, "macro.xlsm")
    notes = [CellNote("data", "B2", "info", "one"), CellNote("DATA", "B2", "warning", "two")]
    result = write_back(path, notes, [], header=HEADER)
    assert result.cells_marked == 1
    assert load(path)["Data"]["B2"].comment.text == "mops:\none\ntwo"


MINIMAL = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<x:sheets><x:sheet name="Sheet 1" sheetId="1" rel:id="rId1"/></x:sheets></x:workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/></Relationships>'
    ),
    # Prefixed elements, pretty-printed, cells and a row without their (optional) r.
    "xl/worksheets/sheet1.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\n'
        "  <x:sheetData>\n"
        '    <x:row r="1">\n'
        '      <x:c t="inlineStr"><x:is><x:t>name</x:t></x:is></x:c>\n'
        '      <x:c t="inlineStr"><x:is><x:t>phone</x:t></x:is></x:c>\n'
        '      <x:c t="inlineStr"><x:is><x:t>city</x:t></x:is></x:c>\n'
        "    </x:row>\n"
        "    <x:row>\n"
        '      <x:c r="A2" t="inlineStr"><x:is><x:t>Lin</x:t></x:is></x:c>\n'
        '      <x:c r="C2" t="inlineStr"><x:is><x:t>Taipei</x:t></x:is></x:c>\n'
        "    </x:row>\n"
        '    <x:row r="4"><x:c><x:v>1</x:v></x:c><x:c><x:v>2</x:v></x:c></x:row>\n'
        "  </x:sheetData>\n"
        "</x:worksheet>\n"
    ),
}


def test_minimal_prefixed_package_without_styles(tmp_path):
    """A bare package as other tools write it: no styles part, x: prefixes, implicit refs."""
    path = tmp_path / "minimal.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in MINIMAL.items():
            z.writestr(name, text)
    before = parts(path)
    values = grid(path, "Sheet 1")
    assert values == [["name", "phone", "city"], ["Lin", "", "Taipei"], [], [1.0, 2.0]]
    notes = [
        CellNote("Sheet 1", "B2", "error", "phone missing"),  # between explicit cells
        CellNote("Sheet 1", "A3", "warning", "row missing"),  # a row that is not there
        CellNote("Sheet 1", "A4", "info", "implicit A4"),  # a cell without r
        CellNote("Sheet 1", "C4", "error", "after implicit cells"),
    ]
    annotate(path, notes)
    assert grid(path, "Sheet 1") == values
    book = load(path)
    ws = book["Sheet 1"]
    assert [ws["A4"].value, ws["B4"].value] == [1, 2]
    for n in notes:
        assert ws[n.cell].fill.fgColor.rgb == FILL[n.severity], n
        assert ws[n.cell].comment.text == "mops:\n" + n.text
    assert book.sheetnames == ["Sheet 1", "檢核結果"]
    xml = parts(path)["xl/worksheets/sheet1.xml"].decode()
    assert "<x:legacyDrawing " in xml and '<x:row r="3">' in xml
    write_back(path, [], [], header=HEADER)
    assert parts(path) == before  # the styles part mops had to add is gone again, too


# -- refusing and failing safely --------------------------------------------------------------


@pytest.mark.parametrize("lock", ["~$features.xlsx", "~$atures.xlsx"])
def test_open_in_excel_writes_nothing(tmp_path, lock):
    path = copy_of(tmp_path, "features.xlsx")
    (tmp_path / lock).write_bytes(b"\x0cuser")
    before = path.read_bytes()
    with pytest.raises(WorkbookError, match="Excel"):
        annotate(path, notes_of("features.xlsx", "a"))
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["features.xlsx", lock])


def test_crash_before_replace_leaves_the_original(tmp_path, monkeypatch):
    path = copy_of(tmp_path, "features.xlsx")
    before = path.read_bytes()

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(commit.os, "replace", boom)
    with pytest.raises(WorkbookError):
        annotate(path, notes_of("features.xlsx", "a"))
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["features.xlsx"]


def test_crash_while_writing_leaves_the_original(tmp_path, monkeypatch):
    path = copy_of(tmp_path, "pivot.xlsx")
    annotate(path, notes_of("pivot.xlsx", "a"))
    before = path.read_bytes()

    def boom(self, *args, **kwargs):
        raise RuntimeError("killed half-way")

    monkeypatch.setattr(ZipWriter, "close", boom)
    with pytest.raises(RuntimeError):
        annotate(path, notes_of("pivot.xlsx", "b"))
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []
    # Only the first run's backup: the failed run removed the one it had made.
    assert len(list((tmp_path / ".mops-backups").glob("*.bak.xlsx"))) == 1


def test_backups_are_kept(tmp_path):
    path = copy_of(tmp_path, "macro.xlsm")
    original = path.read_bytes()
    first = annotate(path, notes_of("macro.xlsm", "a"))
    backups = tmp_path / ".mops-backups"  # hidden beside the workbook by default
    assert first.backup == backups / "macro.20260304-050607.bak.xlsm"
    assert first.backup.read_bytes() == original
    annotated = path.read_bytes()
    second = annotate(path, notes_of("macro.xlsm", "b"))
    assert second.backup == backups / "macro.20260304-050607-2.bak.xlsm"
    assert second.backup.read_bytes() == annotated
    elsewhere = tmp_path / "backups"
    third = annotate(path, notes_of("macro.xlsm", "a"), backup_dir=elsewhere)
    assert third.backup is not None and third.backup.parent == elsewhere
    assert leftovers(tmp_path) == []


def test_old_backups_are_pruned(tmp_path, monkeypatch):
    monkeypatch.setattr(commit, "KEEP_BACKUPS", 3)
    path = copy_of(tmp_path, "macro.xlsm")
    made = [annotate(path, notes_of("macro.xlsm", "ab"[i % 2])).backup for i in range(5)]
    kept = sorted((tmp_path / ".mops-backups").iterdir())
    assert kept == sorted(made[-3:])  # the three newest, the one just made among them


def test_unknown_sheet_and_bad_arguments(tmp_path):
    path = copy_of(tmp_path, "features.xlsx")
    before = path.read_bytes()
    with pytest.raises(WorkbookError, match="Nope"):
        annotate(path, [CellNote("Nope", "A1", "error", "x")])
    with pytest.raises(ValueError):
        annotate(path, [CellNote("客戶", "A1", "fatal", "x")])
    with pytest.raises(ValueError):
        annotate(path, [CellNote("客戶", "1A", "error", "x")])
    assert path.read_bytes() == before
    with pytest.raises(WorkbookError):
        annotate(tmp_path / "missing.xlsx", [])
    text = tmp_path / "notes.xlsx"
    text.write_text("not a zip")
    with pytest.raises(WorkbookError):
        annotate(text, [])


def test_hostile_xml_is_refused(tmp_path):
    path = copy_of(tmp_path, "macro.xlsm")
    data = parts(path)
    laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    )
    data["xl/worksheets/sheet1.xml"] = laughs + data["xl/worksheets/sheet1.xml"].split(b"?>", 1)[1]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in data.items():
            z.writestr(name, blob)
    before = path.read_bytes()
    with pytest.raises(WorkbookError):
        annotate(path, notes_of("macro.xlsm", "a"))
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


# -- LibreOffice ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """Every fixture annotated (set A, and A then B), converted by LibreOffice once."""
    root = tmp_path_factory.mktemp("lo")
    files = []
    for name in FIXTURES:
        for label, runs in (("a", ["a"]), ("ab", ["a", "b"])):
            folder = root / "in" / label
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            shutil.copyfile(PRESERVE / name, path)
            for which in runs:
                annotate(path, notes_of(name, which), backup_dir=root / "backups")
            files.append(path)
    # One LibreOffice run a format: each file under a name of its own, put back in its folder.
    flat = root / "flat"
    flat.mkdir()
    for path in files:
        shutil.copyfile(path, flat / f"{path.parent.name}--{path.name}")
    out = {}
    for fmt in ("pdf", "xlsx"):
        convert(sorted(flat.iterdir()), fmt, root / fmt)
        for path in files:
            label = path.parent.name
            (root / fmt / label).mkdir(exist_ok=True)
            name = f"{path.stem}.{fmt}"
            (root / fmt / f"{label}--{name}").rename(root / fmt / label / name)
            out[(fmt, label)] = root / fmt / label
    return out


@pytest.mark.parametrize("label", ["a", "ab"])
@pytest.mark.parametrize("name", FIXTURES)
@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_renders_annotated_workbook(converted, name, label):
    pdf = converted[("pdf", label)] / (Path(name).stem + ".pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert pdf.stat().st_size > 10000


@pytest.mark.parametrize("label", ["a", "ab"])
@pytest.mark.parametrize("name", FIXTURES)
@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_reads_comments_links_and_pivot(converted, name, label):
    resaved = converted[("xlsx", label)] / (Path(name).stem + ".xlsx")
    notes = notes_of(name, label[-1])
    found = comments_in(resaved)
    for n in notes:
        assert found[(n.sheet, n.cell)].endswith("mops:\n" + n.text), n
    book = load(resaved)
    ws = book["檢核結果"]
    assert ws.max_row == len(notes) + 1
    assert ws["A2"].hyperlink.location == f"'{notes[0].sheet}'!{notes[0].cell}"
    if name == "pivot.xlsx":
        assert book["Pivot"]._pivots
        totals = {r[0]: r[1] for r in grid(resaved, "Pivot") if len(r) > 1}
        assert (totals["North"], totals["South"]) == (45, 75)


@pytest.mark.parametrize("name", FIXTURES)
@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_rerun_after_libreoffice_saved_the_workbook(converted, tmp_path, name):
    """After LibreOffice rewrote styles, comments and links, a run still replaces the last."""
    path = tmp_path / (Path(name).stem + ".xlsx")
    shutil.copyfile(converted[("xlsx", "a")] / path.name, path)
    a, b = notes_of(name, "a"), notes_of(name, "b")
    annotate(path, b)
    book = load(path)
    assert [s for s in book.sheetnames if s.startswith("檢核結果")] == ["檢核結果"]
    mine = {(n.sheet, n.cell) for n in b}
    for n in a:
        if (n.sheet, n.cell) not in mine:
            assert book[n.sheet][n.cell].fill.fgColor.rgb not in FILL.values(), n
    for n in b:
        assert book[n.sheet][n.cell].fill.fgColor.rgb == FILL[n.severity], n
    for key, text in comments_in(path).items():
        assert text.count("mops:") == (1 if key in mine else 0), (key, text)
    write_back(path, [], [], header=HEADER)
    book = load(path)
    assert "檢核結果" not in book.sheetnames
    assert not any("mops:" in t for t in comments_in(path).values())
    for ws in book.worksheets:
        for row in ws.iter_rows():
            assert not any(c.fill.fgColor.rgb in FILL.values() for c in row), ws.title
