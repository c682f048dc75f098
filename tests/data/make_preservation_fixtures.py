"""Build the workbooks that test_writeback annotates, under tests/data/preserve/.

Each holds features that a load-and-save through openpyxl loses or that a careless patch would
break, so the tests can show that mops's write-back leaves them alone:

* ``features.xlsx``: styled cells, a formula with its cached value, defined names (global,
  sheet-scoped, a print area), a user comment (comments part + VML), conditional formatting,
  a chart and a picture (one drawing part), an Excel 2010 data validation in the sheet's
  ``extLst`` (a list on another sheet, ``x14:dataValidation``), ``mc:Ignorable`` prefixes on
  the sheet and the workbook, and a hidden sheet at the end.
* ``pivot.xlsx``: a pivot table on its own sheet over a data sheet, its cache definition and
  records assembled by hand as Excel writes them (xlsxwriter cannot write pivot tables).
* ``macro.xlsm``: a VBA project (placeholder bytes, the macro-enabled content types) and a
  form button, so the sheet has a VML part but no comments.

The output is deterministic: running the script again gives the same bytes. With LibreOffice
installed, ``--check`` converts each file to PDF and pivot.xlsx to .xlsx, and reads the pivot
table back from LibreOffice's own output.

    python tests/data/make_preservation_fixtures.py [--check]
"""

from __future__ import annotations

import datetime as dt
import struct
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests folder, for libreoffice
from libreoffice import SOFFICE, convert

HERE = Path(__file__).resolve().parent
OUT = HERE / "preserve"
CREATED = dt.datetime(2026, 1, 1)
OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}

NS_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
NS_X14AC = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"
NS_XR = "http://schemas.microsoft.com/office/spreadsheetml/2014/revision"
NS_X15 = "http://schemas.microsoft.com/office/spreadsheetml/2010/11/main"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml."


def png(width: int = 24, height: int = 16) -> bytes:
    """A small RGB PNG (a colour gradient), written without any imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + b"".join(bytes((10 * x % 256, 12 * y % 256, 180)) for x in range(width))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def patch_zip(
    path: Path,
    edits: dict[str, Callable[[bytes], bytes]],
    added: dict[str, bytes] | None = None,
) -> None:
    """Rewrite a package with some parts edited and some added, keeping it deterministic."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        stamp = zin.infolist()[0].date_time
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename in edits:
                data = edits[info.filename](data)
            zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        for name, data in (added or {}).items():
            zout.writestr(zipfile.ZipInfo(name, stamp), data, compress_type=zipfile.ZIP_DEFLATED)
    tmp.replace(path)


def replace_once(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        assert data.count(old) == 1, (old, data.count(old))
        return data.replace(old, new)

    return edit


def chain(*edits: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        for e in edits:
            data = e(data)
        return data

    return edit


# ---------------------------------------------------------------------------------------------


X14_VALIDATION = (
    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:dataValidations count="1" '
    'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1">'
    "<x14:formula1><xm:f>清單!$A$2:$A$4</xm:f></x14:formula1>"
    "<xm:sqref>C2:C20</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>"
).encode()


def make_features(path: Path) -> None:
    book = xlsxwriter.Workbook(str(path), OPTIONS)
    book.set_properties({"created": CREATED, "author": "fixture"})
    head = book.add_format({"bold": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF"})
    money = book.add_format({"num_format": "#,##0", "border": 1})
    date = book.add_format({"num_format": "yyyy-mm-dd", "italic": True})
    text = book.add_format({"num_format": "@"})
    ws = book.add_worksheet("客戶")
    lists = book.add_worksheet("清單")
    hidden = book.add_worksheet("_lists")
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 14, text)  # blank cells of column B carry the text format
    ws.set_column(2, 4, 12)
    ws.write_row(0, 0, ["客戶名稱", "電話", "產業", "金額", "兩倍"], head)
    rows = [
        ("台灣電子股份有限公司", "02-2345-6789", "製造", 120000, dt.date(2026, 1, 5)),
        ("北方顧問", None, "服務", 45000, dt.date(2026, 1, 9)),
        ("South Trading", "07-123-4567", "貿易", 9800, dt.date(2026, 2, 1)),
        ("東海物流", "04-2222-3333", None, 0, dt.date(2026, 2, 14)),
        ("Δelta & <Co>", "0912-345-678", "服務", 5500, dt.date(2026, 3, 3)),
    ]
    for r, (name, phone, industry, amount, when) in enumerate(rows, start=1):
        ws.write_string(r, 0, name)
        if phone is not None:
            ws.write_string(r, 1, phone, text)
        if industry is not None:
            ws.write_string(r, 2, industry)
        ws.write_number(r, 3, amount, money)
        # A formula with its cached value, as Excel stores it.
        ws.write_formula(r, 4, f"=D{r + 1}*2", money, amount * 2)
        ws.write_datetime(r, 5, dt.datetime.combine(when, dt.time()), date)
    # Row 7 (1-based) is left out entirely: a blank required cell there needs a new <row>.
    ws.write_string(7, 0, "最後一筆")
    ws.write_comment(1, 0, "請確認統一編號。— 王小明", {"author": "王小明"})
    ws.conditional_format(
        "D2:D9", {"type": "cell", "criteria": ">", "value": 100000, "format": head}
    )
    chart = book.add_chart({"type": "column"})
    chart.add_series({"name": "金額", "categories": "=客戶!$A$2:$A$6", "values": "=客戶!$D$2:$D$6"})
    ws.insert_chart("H2", chart)
    ws.insert_image("H18", "logo.png", {"image_data": _png_stream()})
    book.define_name("稅率", "=0.05")
    book.define_name("客戶!本頁合計", "=SUM(客戶!$D$2:$D$9)")
    book.define_name("清單!產業清單", "=清單!$A$2:$A$4")
    ws.print_area("A1:F9")
    lists.write_column(0, 0, ["產業", "製造", "服務", "貿易"])
    hidden.write_string(0, 0, "hidden")
    hidden.hide()
    ws.activate()
    book.close()
    root = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    )
    patch_zip(
        path,
        {
            "xl/worksheets/sheet1.xml": chain(
                replace_once(
                    root,
                    root[:-1]
                    + (
                        f' xmlns:mc="{NS_MC}" mc:Ignorable="x14ac xr" xmlns:x14ac="{NS_X14AC}"'
                        f' xmlns:xr="{NS_XR}" xr:uid="{{8C1D2E3F-0000-4A5B-9C6D-7E8F90A1B2C3}}">'
                    ).encode(),
                ),
                lambda d: d.replace(b'<row r="', b'<row x14ac:dyDescent="0.25" r="'),
                replace_once(b"</worksheet>", X14_VALIDATION + b"</worksheet>"),
            ),
            "xl/workbook.xml": replace_once(
                b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">',
                b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
                + f' xmlns:mc="{NS_MC}" mc:Ignorable="x15" xmlns:x15="{NS_X15}">'.encode(),
            ),
        },
    )


def _png_stream():
    from io import BytesIO

    return BytesIO(png())


# ---------------------------------------------------------------------------------------------

PIVOT_DATA = [
    ("North", "A", 10),
    ("North", "B", 20),
    ("South", "A", 30),
    ("South", "B", 40),
    ("North", "A", 15),
    ("South", "B", 5),
]

PIVOT_TABLE = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<pivotTableDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
name="PivotTable1" cacheId="1" applyNumberFormats="0" applyBorderFormats="0" \
applyFontFormats="0" applyPatternFormats="0" applyAlignmentFormats="0" \
applyWidthHeightFormats="1" dataCaption="Values" updatedVersion="6" minRefreshableVersion="3" \
useAutoFormatting="1" itemPrintTitles="1" createdVersion="6" indent="0" outline="1" \
outlineData="1" multipleFieldFilters="0"><location ref="A3:B6" firstHeaderRow="1" \
firstDataRow="1" firstDataCol="1"/><pivotFields count="3"><pivotField axis="axisRow" \
showAll="0"><items count="3"><item x="0"/><item x="1"/><item t="default"/></items></pivotField>\
<pivotField showAll="0"/><pivotField dataField="1" showAll="0"/></pivotFields><rowFields \
count="1"><field x="0"/></rowFields><rowItems count="3"><i><x/></i><i><x v="1"/></i><i \
t="grand"><x/></i></rowItems><colItems count="1"><i/></colItems><dataFields count="1">\
<dataField name="Sum of Amount" fld="2" baseField="0" baseItem="0"/></dataFields>\
<pivotTableStyleInfo name="PivotStyleLight16" showRowHeaders="1" showColHeaders="1" \
showRowStripes="0" showColStripes="0" showLastColumn="1"/></pivotTableDefinition>"""

PIVOT_CACHE = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<pivotCacheDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1" \
refreshedBy="fixture" refreshedDate="46023.5" createdVersion="6" refreshedVersion="6" \
minRefreshableVersion="3" recordCount="6"><cacheSource type="worksheet"><worksheetSource \
ref="A1:C7" sheet="Sales"/></cacheSource><cacheFields count="3"><cacheField name="Region" \
numFmtId="0"><sharedItems count="2"><s v="North"/><s v="South"/></sharedItems></cacheField>\
<cacheField name="Product" numFmtId="0"><sharedItems count="2"><s v="A"/><s v="B"/>\
</sharedItems></cacheField><cacheField name="Amount" numFmtId="0"><sharedItems \
containsSemiMixedTypes="0" containsString="0" containsNumber="1" containsInteger="1" \
minValue="5" maxValue="40"/></cacheField></cacheFields></pivotCacheDefinition>"""


def _pivot_records() -> bytes:
    regions = {"North": 0, "South": 1}
    products = {"A": 0, "B": 1}
    body = "".join(
        f'<r><x v="{regions[r]}"/><x v="{products[p]}"/><n v="{n}"/></r>' for r, p, n in PIVOT_DATA
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<pivotCacheRecords xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        f'count="{len(PIVOT_DATA)}">{body}</pivotCacheRecords>'
    ).encode()


def _rels(*rels: tuple[str, str, str]) -> bytes:
    body = "".join(f'<Relationship Id="{i}" Type="{RT}{t}" Target="{g}"/>' for i, t, g in rels)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{body}</Relationships>"
    ).encode()


def make_pivot(path: Path) -> None:
    book = xlsxwriter.Workbook(str(path), OPTIONS)
    book.set_properties({"created": CREATED, "author": "fixture"})
    bold = book.add_format({"bold": True})
    amount = book.add_format({"num_format": "#,##0"})
    data = book.add_worksheet("Sales")
    pivot = book.add_worksheet("Pivot")
    data.write_row(0, 0, ["Region", "Product", "Amount"], bold)
    for r, (region, product, n) in enumerate(PIVOT_DATA, start=1):
        data.write_string(r, 0, region)
        data.write_string(r, 1, product)
        data.write_number(r, 2, n, amount)
    # The pivot's rendered cells, as Excel stores them next to the definition.
    pivot.write_string(0, 0, "Pivot of Sales", bold)
    pivot.write_row(2, 0, ["Row Labels", "Sum of Amount"], bold)
    totals = {"North": 0, "South": 0}
    for region, _, n in PIVOT_DATA:
        totals[region] += n
    for r, (region, total) in enumerate(totals.items(), start=3):
        pivot.write_string(r, 0, region)
        pivot.write_number(r, 1, total)
    pivot.write_string(5, 0, "Grand Total", bold)
    pivot.write_number(5, 1, sum(totals.values()), bold)
    book.close()
    patch_zip(
        path,
        {
            "[Content_Types].xml": replace_once(
                b"</Types>",
                (
                    f'<Override PartName="/xl/pivotTables/pivotTable1.xml" '
                    f'ContentType="{CT}pivotTable+xml"/>'
                    f'<Override PartName="/xl/pivotCache/pivotCacheDefinition1.xml" '
                    f'ContentType="{CT}pivotCacheDefinition+xml"/>'
                    f'<Override PartName="/xl/pivotCache/pivotCacheRecords1.xml" '
                    f'ContentType="{CT}pivotCacheRecords+xml"/></Types>'
                ).encode(),
            ),
            "xl/_rels/workbook.xml.rels": replace_once(
                b"</Relationships>",
                f'<Relationship Id="rId9" Type="{RT}pivotCacheDefinition" '
                f'Target="pivotCache/pivotCacheDefinition1.xml"/></Relationships>'.encode(),
            ),
            "xl/workbook.xml": replace_once(
                b"</workbook>",
                b'<pivotCaches><pivotCache cacheId="1" r:id="rId9"/></pivotCaches></workbook>',
            ),
        },
        {
            "xl/worksheets/_rels/sheet2.xml.rels": _rels(
                ("rId1", "pivotTable", "../pivotTables/pivotTable1.xml")
            ),
            "xl/pivotTables/pivotTable1.xml": PIVOT_TABLE,
            "xl/pivotTables/_rels/pivotTable1.xml.rels": _rels(
                ("rId1", "pivotCacheDefinition", "../pivotCache/pivotCacheDefinition1.xml")
            ),
            "xl/pivotCache/pivotCacheDefinition1.xml": PIVOT_CACHE,
            "xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels": _rels(
                ("rId1", "pivotCacheRecords", "pivotCacheRecords1.xml")
            ),
            "xl/pivotCache/pivotCacheRecords1.xml": _pivot_records(),
        },
    )


# ---------------------------------------------------------------------------------------------


def vba_bytes() -> bytes:
    """Placeholder bytes for xl/vbaProject.bin: an OLE signature and a recognisable body."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"mops fixture: not a real VBA project\0" * 16


def make_macro(path: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        vba = Path(tmp) / "vbaProject.bin"
        vba.write_bytes(vba_bytes())
        book = xlsxwriter.Workbook(str(path), OPTIONS)
        book.set_properties({"created": CREATED, "author": "fixture"})
        book.set_vba_name("ThisWorkbook")
        book.add_vba_project(str(vba))
        ws = book.add_worksheet("Data")
        ws.set_vba_name("Sheet1")
        bold = book.add_format({"bold": True, "border": 2})
        pct = book.add_format({"num_format": "0%"})
        ws.write_row(0, 0, ["Name", "Email", "Share"], bold)
        ws.write_row(1, 0, ["Lin", "lin@example.com"])
        ws.write_number(1, 2, 0.3, pct)
        ws.write_row(2, 0, ["Chen", "chen(at)example"])
        ws.write_number(2, 2, 1.4, pct)
        ws.insert_button("E2", {"macro": "say_hello", "caption": "Run", "width": 80})
        book.close()


# ---------------------------------------------------------------------------------------------


def build(out: Path = OUT) -> list[Path]:
    """Write every fixture into ``out``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for name, maker in (
        ("features.xlsx", make_features),
        ("pivot.xlsx", make_pivot),
        ("macro.xlsm", make_macro),
    ):
        path = out / name
        maker(path)
        made.append(path)
    return made


def check(paths: list[Path]) -> None:
    """Open every fixture in LibreOffice and read the pivot back from its own output."""
    import python_calamine as pc

    if SOFFICE is None:
        print("LibreOffice not installed: not checked")
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for fmt in ("pdf", "xlsx"):
            convert(paths, fmt, root / fmt, root / "profile", timeout=300)
        for p in paths:
            pdf = root / "pdf" / (p.stem + ".pdf")
            print(f"{p.name}: PDF {pdf.stat().st_size} bytes")
        resaved = root / "xlsx" / "pivot.xlsx"
        with zipfile.ZipFile(resaved) as z:
            tables = [n for n in z.namelist() if n.startswith("xl/pivotTables/")]
        book = pc.CalamineWorkbook.from_path(str(resaved))
        grid = book.get_sheet_by_name("Pivot").to_python()
        print("LibreOffice pivot parts:", tables)
        print("LibreOffice pivot cells:", [r for r in grid if any(v != "" for v in r)])
        assert any(n.endswith("pivotTable1.xml") for n in tables), "pivot table lost"


if __name__ == "__main__":
    made = build()
    for p in made:
        print(p.relative_to(HERE.parent.parent), p.stat().st_size)
    if "--check" in sys.argv:
        check(made)
