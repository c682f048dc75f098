"""Build the corpus of bad input files in tests/data/bad/, which tests/test_bad_inputs.py reads.

Run it from the repository root: ``python tests/data/make_bad_inputs.py``. The files are
committed, so the tests need none of what this script needs: LibreOffice (``soffice``) for the
real .xls and .ods, and ``pip install msoffcrypto-tool`` for the password-protected workbook.
Every file is kept small: the million-row sheet is hand-written XML with a dimension and a
sparse last row, and the zip bomb inflates to 60 MB (tested against a 50 MB limit).
"""

from __future__ import annotations

import random
import re
import shutil
import struct
import sys
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from mops.schemas.registry import workbook
from mops.workbook.writer import write_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests folder, for libreoffice
from libreoffice import SOFFICE, convert

HERE = Path(__file__).resolve().parent
BAD = HERE / "bad"
FIXED_TIME = (2026, 1, 1, 0, 0, 0)  # zip entry times, so rebuilt zips are identical
ZEROS_MB = 60  # the zip bomb's part: over a 50 MB test limit, ~60 KB compressed

CONTENT_TYPES = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Default Extension="bin" ContentType="application/octet-stream"/>\
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
</Types>"""
ROOT_RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
Target="xl/workbook.xml"/></Relationships>"""
WORKBOOK_RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
Target="worksheets/sheet1.xml"/></Relationships>"""


def workbook_xml(tab: str) -> bytes:
    """A workbook part with one sheet, ``tab``."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{tab}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ).encode()


def inline_row(number: int, values: list[str]) -> str:
    """One ``<row>`` of inline strings, from column A."""
    cells = "".join(
        f'<c r="{xl_rowcol_to_cell(number - 1, i)}" t="inlineStr"><is><t>{v}</t></is></c>'
        for i, v in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def sheet_xml(rows: list[str], dimension: str | None) -> bytes:
    """A worksheet part holding ``rows``, with a ``<dimension>`` unless it is None."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dim}<sheetData>{''.join(rows)}</sheetData></worksheet>"
    ).encode()


def zip_parts(path: Path, parts: dict[str, bytes]) -> Path:
    """Write ``parts`` as a deflated zip with fixed times."""
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return path


def minimal_parts(tab: str, sheet: bytes) -> dict[str, bytes]:
    """The parts of the smallest workbook python-calamine and Excel open: one sheet."""
    return {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": workbook_xml(tab),
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet,
    }


def patch_declared_size(path: Path, part: str, declared: int) -> Path:
    """Make the zip declare ``declared`` bytes as the inflated size of ``part``: a lie."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        local = zf.getinfo(part).header_offset
    struct.pack_into("<I", data, local + 22, declared)  # local header: uncompressed size
    cd_offset = struct.unpack_from("<I", data, len(data) - 22 + 16)[0]  # from the EOCD
    pos = cd_offset
    while data[pos : pos + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, pos + 28)
        if data[pos + 46 : pos + 46 + name_len].decode() == part:
            struct.pack_into("<I", data, pos + 24, declared)  # central directory entry
        pos += 46 + name_len + extra_len + comment_len
    path.write_bytes(bytes(data))
    return path


def rewrite_parts(source: Path, target: Path, edit) -> Path:
    """Copy a zip, passing each part through ``edit(name, data) -> data``."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            new.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(new, edit(info.filename, src.read(info)))
    return target


def soffice_convert(source: Path, fmt: str, outdir: Path) -> Path:
    """Convert with a real LibreOffice, in a throw-away profile."""
    if SOFFICE is None:
        sys.exit("LibreOffice (soffice) is needed to build the .xls and .ods files")
    convert([source], fmt, outdir, outdir / "lo-profile", timeout=300)
    return outdir / f"{source.stem}.{fmt.split(':', 1)[0]}"


def small_claims(path: Path) -> Path:
    """A small hand-typed expense-claims workbook, in zh-TW: the source of the .xls and .ods."""
    claims = workbook("expenses").sheet("claims")
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = claims.zh
    ws.append([c.zh for c in claims.columns[:4]])
    ws.append(["EX0001", "王小明", "2026-03-02", "2026-03-05"])
    ws.append(["EX0002", "陳怡君", "2026-03-03", "2026-03-06"])
    book.save(path)
    return path


def build(tmp: Path) -> None:
    """Write every file of the corpus into BAD."""
    BAD.mkdir(exist_ok=True)
    for old in BAD.iterdir():
        old.unlink()
    expenses = workbook("expenses")
    template = write_workbook(expenses, tmp / "expenses.xlsx")

    # Not a workbook at all.
    (BAD / "empty.xlsx").write_bytes(b"")
    noise = bytearray(random.Random(20260101).randbytes(4096))
    noise[:4] = b"\x00\x01\x02\x03"  # never a signature mops knows
    (BAD / "corrupt.xlsx").write_bytes(bytes(noise))
    (BAD / "claims.csv").write_text(
        "申請編號,申請人,費用發生日,金額,事由\n"
        "EX0001,王小明,2026/3/2,1200,拜訪新竹客戶計程車資\n"
        "EX0002,陳怡君,2026/3/3,860,客戶會議餐費\n",
        encoding="utf-8",
    )
    (BAD / "claims-big5.csv").write_bytes(
        "申請編號,申請人,金額\nEX0001,王小明,1200\n".encode("cp950")
    )
    (BAD / "report-export.xls").write_text(
        "<html><head><meta charset='utf-8'></head><body><table>"
        "<tr><td>申請編號</td><td>申請人</td></tr><tr><td>EX0001</td><td>王小明</td></tr>"
        "</table></body></html>\n",
        encoding="utf-8",
    )

    # Damaged or foreign zips.
    whole = template.read_bytes()
    (BAD / "truncated.xlsx").write_bytes(whole[: len(whole) // 2])
    zip_parts(BAD / "zip-of-text.xlsx", {"說明.txt": "這不是活頁簿。\n".encode()})
    zip_parts(
        BAD / "binary.xlsb",
        {"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.bin": b"\x83\x01\x00"},
    )
    zip_parts(
        BAD / "budget.numbers",
        {"Index/Document.iwa": b"\x00" * 64, "Metadata/Properties.plist": b"bplist00"},
    )
    shutil.copy(template, BAD / "renamed.xls")  # a real .xlsx under an .xls name

    # Real files from other applications.
    source = small_claims(tmp / "claims.xlsx")
    shutil.copy(soffice_convert(source, "xls", tmp), BAD / "old.xls")
    shutil.copy(soffice_convert(source, "ods", tmp), BAD / "claims.ods")
    from msoffcrypto.format.ooxml import OOXMLFile  # dev-only: pip install msoffcrypto-tool

    with template.open("rb") as plain, (BAD / "password.xlsx").open("wb") as locked:
        OOXMLFile(plain).encrypt("secret", locked)

    # Zip bombs: declared too big, and declared small but inflating big.
    zeros = bytes(ZEROS_MB * 1024 * 1024)
    bomb = minimal_parts("費用申請", sheet_xml([inline_row(1, ["申請編號", "申請人"])], "A1:B1"))
    zip_parts(BAD / "zip-bomb.xlsx", {**bomb, "xl/media/zeros.bin": zeros})
    zip_parts(BAD / "lying-size.xlsx", {**bomb, "xl/media/zeros.bin": zeros})
    patch_declared_size(BAD / "lying-size.xlsx", "xl/media/zeros.bin", 1024)

    # Unsafe XML: entity expansion (billion laughs) and an external entity (XXE).
    laughs = "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' if i else '<!ENTITY lol0 "lol">'
        for i in range(10)
    )

    def billion_laughs(name: str, data: bytes) -> bytes:
        if name != "xl/sharedStrings.xml":
            return data
        doctype = f"<!DOCTYPE sst [{laughs}]>".encode()
        data = data.replace(b"?>\n", b"?>\n" + doctype, 1)
        return re.sub(rb"<t>[^<]*</t>", b"<t>&lol9;</t>", data, count=1)

    def xxe(name: str, data: bytes) -> bytes:
        if name != "xl/workbook.xml":
            return data
        doctype = b'<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        data = data.replace(b"?>\n", b"?>\n" + doctype, 1)
        return re.sub(rb"(<definedName [^>]*>)[^<]*", rb"\1&xxe;", data, count=1)

    rewrite_parts(template, BAD / "billion-laughs.xlsx", billion_laughs)
    rewrite_parts(template, BAD / "xxe.xlsx", xxe)

    # A sheet of 1,000,000 rows in a few KB: its header and its last row only.
    log = workbook("customers").sheet("followup_log")
    header = inline_row(1, [c.zh for c in log.columns])
    last = inline_row(1_000_000, ["L999999", "2026-03-01", "CU0001"])
    zip_parts(
        BAD / "million-rows.xlsx",
        minimal_parts(log.zh, sheet_xml([header, last], "A1:N1000000")),
    )
    zip_parts(
        BAD / "million-rows-no-dimension.xlsx",
        minimal_parts(log.zh, sheet_xml([header, last], None)),
    )

    # Readable files with problems for the next layer: an empty sheet, a missing column,
    # a formula without a cached value.
    book = openpyxl.load_workbook(template)
    ws = book[expenses.sheet("expense_budget").zh]
    ws.delete_rows(1, ws.max_row)
    for name in list(ws.tables):
        del ws.tables[name]  # a table over deleted header cells would make Excel repair it
    book.save(BAD / "empty-sheet.xlsx")

    book = openpyxl.load_workbook(template)
    claims = expenses.sheet("claims")
    ws = book[claims.zh]
    column = [c.key for c in claims.columns].index("claimant") + 1
    ws.cell(1, column).value = None
    for name in list(ws.tables):
        del ws.tables[name]
    book.save(BAD / "missing-column.xlsx")

    formula = tmp / "formula.xlsx"
    out = xlsxwriter.Workbook(formula)
    sheet = out.add_worksheet(claims.zh)
    sheet.write_row(0, 0, [c.zh for c in claims.columns])
    sheet.write_row(1, 0, ["EX0001", "王小明", "2026-03-02", "2026-03-05", "差旅", "計程車"])
    amount = [c.key for c in claims.columns].index("amount")
    sheet.write_formula(1, amount, "=1200+300")  # xlsxwriter stores 0 as its cached value
    sheet.write_string(1, amount + 1, "拜訪新竹客戶")
    out.close()

    def drop_cached_value(name: str, data: bytes) -> bytes:
        if not name.startswith("xl/worksheets/"):
            return data
        return re.sub(rb"(<f>[^<]*</f>)<v>[^<]*</v>", rb"\1", data)

    rewrite_parts(formula, BAD / "formula-no-value.xlsx", drop_cached_value)


def main() -> None:
    """Build the corpus and list it."""
    with tempfile.TemporaryDirectory() as tmp:
        build(Path(tmp))
    for path in sorted(BAD.iterdir()):
        print(f"{path.stat().st_size:>8,}  {path.relative_to(HERE)}")


if __name__ == "__main__":
    main()
