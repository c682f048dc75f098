"""Bad input files get one clear message naming the file and the problem, never a traceback.

The corpus in tests/data/bad/ is built by tests/data/make_bad_inputs.py. Every refused file must
raise a WorkbookError that names it, in zh-TW and in English, quickly, leaving it untouched.
"""

from __future__ import annotations

import importlib.util
import os
import random
import time
import zipfile
from pathlib import Path

import openpyxl
import openpyxl.xml
import openpyxl.xml.functions
import pytest
from defusedxml import DefusedXmlException

from mops.config import Limits, defaults
from mops.errors import WorkbookError
from mops.i18n import language
from mops.schemas.model import Owner
from mops.workbook import frames
from mops.workbook.frames import read_book
from mops.workbook.safety import bounded_read, check_workbook_file

from conftest import WORKBOOKS_DIR

DATA = Path(__file__).resolve().parent / "data"
BAD = DATA / "bad"
LIMITS = defaults()["limits"]

_spec = importlib.util.spec_from_file_location("make_bad_inputs", DATA / "make_bad_inputs.py")
make = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make)

# file → (which step refuses it, a stable part of the zh-TW message, of the English message)
REFUSED = {
    "empty.xlsx": ("check", "檔案是空的", "is empty"),
    "corrupt.xlsx": ("check", "已損毀", "damaged"),
    "claims.csv": ("check", "請在 Excel 另存為 .xlsx", "a CSV text file"),
    "claims-big5.csv": ("check", "CSV 文字檔", "a CSV text file"),
    "report-export.xls": ("check", "網頁（HTML）", "web page (HTML)"),
    "truncated.xlsx": ("check", "不完整", "incomplete"),
    "zip-of-text.xlsx": ("check", "不是 Excel 活頁簿（缺少", "not an Excel workbook (no"),
    "binary.xlsb": ("check", ".xlsb", ".xlsb"),
    "budget.numbers": ("check", "Numbers", "Numbers"),
    "old.xls": ("check", "Excel 97-2003", "Excel 97-2003"),
    "claims.ods": ("check", "OpenDocument 試算表", "OpenDocument spreadsheet"),
    "password.xlsx": ("check", "以密碼加密", "password-protected"),
    "zip-bomb.xlsx": ("check", "壓縮炸彈", "zip bomb"),
    "lying-size.xlsx": ("check", "壓縮炸彈", "zip bomb"),
    "billion-laughs.xlsx": ("check", "不安全的 XML", "unsafe XML"),
    "xxe.xlsx": ("check", "不安全的 XML", "unsafe XML"),
    "million-rows.xlsx": ("check", "有 1,000,000 列，超過上限 500,000 列", "1,000,000 rows"),
    "million-rows-no-dimension.xlsx": ("check", "有 1,000,000 列", "1,000,000 rows"),
    "renamed.xls": ("read", "副檔名", "rename it to .xlsx"),
    "empty-sheet.xlsx": ("read", "工作表是空的", "the sheet is empty"),
}
READABLE = ["missing-column.xlsx", "formula-no-value.xlsx"]


def test_corpus_is_complete_and_small():
    assert sorted(p.name for p in BAD.iterdir()) == sorted([*REFUSED, *READABLE])
    for path in BAD.iterdir():
        assert path.stat().st_size < 100_000, path.name


def _refusal(path: Path, step: str, **limits) -> WorkbookError:
    """The error ``step`` raises for ``path``; fails if it is slow or changes the file.

    ``limits`` override some of the shipped limits; without any, ``read_book`` uses its default.
    """
    merged = {**LIMITS, **limits}
    before = path.read_bytes()
    mtime = path.stat().st_mtime_ns
    start = time.perf_counter()
    with pytest.raises(WorkbookError) as info:
        if step == "check":
            check_workbook_file(path, **merged)
        else:
            read_book(path, Limits(**merged) if limits else None)
    assert time.perf_counter() - start < 1.0
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == mtime
    return info.value


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_with_a_clear_message_in_both_languages(name):
    step, zh, en = REFUSED[name]
    path = BAD / name
    if step == "read":
        check_workbook_file(path, **LIMITS)  # safe to parse: the reader says what is wrong
    error = _refusal(path, step)
    message = str(error)
    assert str(path) in message
    assert zh in message
    assert "\n" not in message
    with language("en"):
        message = str(_refusal(path, step))
    assert en in message
    assert str(path) in message


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_read_book_refuses_every_bad_file(name):
    _, zh, _ = REFUSED[name]
    error = _refusal(BAD / name, "read")
    assert error.path == BAD / name
    assert zh in str(error)


def test_too_many_rows_names_the_sheet():
    error = _refusal(BAD / "million-rows.xlsx", "check")
    assert error.sheet == "跟進紀錄"
    assert "工作表「跟進紀錄」有 1,000,000 列，超過上限 500,000 列" in str(error)
    assert "limits.max_rows" in str(error)


def test_row_count_without_dimension_is_exact():
    path = BAD / "million-rows-no-dimension.xlsx"
    check_workbook_file(path, max_uncompressed_mb=1024, max_rows=1_000_000)
    error = _refusal(path, "check", max_rows=999_999)
    assert "1,000,000" in str(error)


def test_rows_without_numbers_are_counted(tmp_path):
    rows = [f"<row><c t='inlineStr'><is><t>{i}</t></is></c></row>" for i in range(5)]
    path = make.zip_parts(
        tmp_path / "norows.xlsx", make.minimal_parts("S", make.sheet_xml(rows, None))
    )
    check_workbook_file(path, max_uncompressed_mb=1, max_rows=5)
    with pytest.raises(WorkbookError, match="5 列"):
        check_workbook_file(path, max_uncompressed_mb=1, max_rows=4)


def test_zip_bomb_over_the_size_limit():
    error = _refusal(BAD / "zip-bomb.xlsx", "check", max_uncompressed_mb=50)
    assert "解壓縮後共 60 MB，超過上限 50 MB" in str(error)
    with language("en"):
        error = _refusal(BAD / "zip-bomb.xlsx", "read", max_uncompressed_mb=50)
    assert "inflates to 60 MB, over the limit of 50 MB" in str(error)


def test_bounded_read_stops_at_the_limit():
    with zipfile.ZipFile(BAD / "zip-bomb.xlsx") as zf:
        with pytest.raises(WorkbookError, match="超過上限 50 MB"):
            bounded_read(zf, "xl/media/zeros.bin", 50 * 1024 * 1024)
        assert bounded_read(zf, "xl/workbook.xml", 1024 * 1024) == zf.read("xl/workbook.xml")


def test_bounded_read_does_not_trust_declared_sizes():
    with zipfile.ZipFile(BAD / "lying-size.xlsx") as zf:
        assert zf.getinfo("xl/media/zeros.bin").file_size == 1024
        with pytest.raises(WorkbookError, match="壓縮炸彈"):
            bounded_read(zf, "xl/media/zeros.bin", 50 * 1024 * 1024)


def test_a_plausible_lie_passes_the_cheap_check_but_not_bounded_read(tmp_path):
    # Declared as big as its compressed data: only inflating it shows the lie.
    path = tmp_path / "plausible.xlsx"
    parts = make.minimal_parts("S", make.sheet_xml([], "A1"))
    make.zip_parts(path, {**parts, "xl/media/zeros.bin": bytes(20 * 1024 * 1024)})
    with zipfile.ZipFile(path) as zf:
        declared = zf.getinfo("xl/media/zeros.bin").compress_size
    make.patch_declared_size(path, "xl/media/zeros.bin", declared)
    check_workbook_file(path, max_uncompressed_mb=1, max_rows=10)
    with zipfile.ZipFile(path) as zf, pytest.raises(WorkbookError, match="宣告不符"):
        bounded_read(zf, "xl/media/zeros.bin", 50 * 1024 * 1024)


def staff_columns_missing(frame) -> list[str]:
    """The missing columns staff fill: those Odoo owns may be missing (a workbook made before
    mops filled them, as these were)."""
    owners = {c.key: c.owner for c in frame.definition.columns}
    return [c for c in frame.missing_columns if owners[c] is not Owner.ODOO]


def test_missing_column_is_reported_not_refused():
    data = read_book(BAD / "missing-column.xlsx")
    assert staff_columns_missing(data.sheets["claims"]) == ["claimant"]
    assert staff_columns_missing(data.sheets["expense_budget"]) == []


def test_formula_without_cached_value_is_found():
    # Fast readers return a formula's cached value; with none, the cell looks blank, so the
    # reader also scans the sheet XML and records such cells for validation to report.
    claims = read_book(BAD / "formula-no-value.xlsx").sheets["claims"]
    assert staff_columns_missing(claims) == []
    ((number, values),) = claims.rows()
    assert values["claim_id"] == "EX0001"
    assert values["amount"] is None
    assert values["reason"] == "拜訪新竹客戶"
    assert claims.formula_cells == [claims.cell("amount", number)]


def test_missing_file_folder_and_device(tmp_path):
    with pytest.raises(WorkbookError, match="找不到檔案") as info:
        read_book(tmp_path / "nope.xlsx")
    assert "nope.xlsx" in str(info.value)
    with pytest.raises(WorkbookError, match="資料夾"):
        read_book(tmp_path)
    with language("en"), pytest.raises(WorkbookError, match="is a folder"):
        check_workbook_file(tmp_path, **LIMITS)
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    with pytest.raises(WorkbookError, match="不是一般檔案"):
        check_workbook_file(fifo, **LIMITS)


def test_unreadable_file(tmp_path, monkeypatch):
    path = tmp_path / "locked.xlsx"
    path.write_bytes((WORKBOOKS_DIR / "expenses.xlsx").read_bytes())

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    # Tests may run as root, who can read a mode-000 file: deny the open itself.
    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(WorkbookError, match="沒有讀取這個檔案的權限") as info:
        check_workbook_file(path, **LIMITS)
    assert str(path) in str(info.value)
    with language("en"), pytest.raises(WorkbookError, match="permission denied"):
        check_workbook_file(path, **LIMITS)


@pytest.mark.parametrize(
    ("prolog", "unsafe"),
    [
        (b"<?xml version='1.0'?>\n<!-- a comment -->\n<!DOCTYPE sst []>", True),
        (b"<?xml version='1.0'?><!-- <!DOCTYPE only in a comment -->", False),
        (b"<?xml version='1.0'?>" + b" " * 100_000, True),  # padding to hide a DOCTYPE
        ("<?xml version='1.0' encoding='UTF-16'?><!DOCTYPE x []>".encode("utf-16"), True),
        ("\ufeff<?xml version='1.0'?>".encode(), False),
    ],
    ids=["after-comment", "in-comment", "padded", "utf-16", "bom-no-dtd"],
)
def test_dtd_anywhere_in_the_prolog_is_found(tmp_path, prolog, unsafe):
    body = b"<sst xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'/>"
    if prolog[:2] == b"\xff\xfe":
        body = body.decode().encode("utf-16-le")
    parts = make.minimal_parts("S", make.sheet_xml([], "A1:A1"))
    path = make.zip_parts(tmp_path / "x.xlsx", {**parts, "xl/sharedStrings.xml": prolog + body})
    if unsafe:
        with pytest.raises(WorkbookError, match="不安全的 XML"):
            check_workbook_file(path, **LIMITS)
    else:
        check_workbook_file(path, **LIMITS)


def test_a_100_mb_workbook_is_checked_in_milliseconds(tmp_path):
    path = tmp_path / "big.xlsx"
    header = make.inline_row(1, ["申請編號", "申請人"])
    parts = make.minimal_parts("費用申請", make.sheet_xml([header], "A1:B400000"))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
        # An embedded picture or attachment: 100 MB that does not compress.
        zf.writestr("xl/media/image1.png", os.urandom(100 * 1024 * 1024), zipfile.ZIP_STORED)
    assert path.stat().st_size > 100 * 1024 * 1024
    start = time.perf_counter()
    check_workbook_file(path, **LIMITS)
    assert time.perf_counter() - start < 0.1


def test_every_committed_workbook_passes():
    for path in sorted(WORKBOOKS_DIR.rglob("*.xlsx")):
        check_workbook_file(path, **LIMITS)


def test_read_book_limits_default_to_the_configuration(monkeypatch, tmp_path):
    checked: list[dict] = []

    def check(path, **limits):
        checked.append(limits)
        check_workbook_file(path, **limits)

    monkeypatch.setattr(frames, "check_workbook_file", check)
    # Without limits, the shipped ones: not a variable's, nor those of a mops.toml nearby.
    monkeypatch.setenv("MOPS_LIMITS_MAX_ROWS", "7")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mops.toml").write_text("[limits]\nmax_uncompressed_mb = 1\n", encoding="utf-8")
    read_book(BAD / "missing-column.xlsx")
    assert checked.pop() == LIMITS
    # Given limits are those checked.
    given = {key: value + 1 for key, value in LIMITS.items()}
    read_book(BAD / "missing-column.xlsx", Limits(**given))
    assert checked.pop() == given


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True
    assert openpyxl.xml.functions.fromstring.__module__.startswith("defusedxml")
    # openpyxl wraps the parser's error; defusedxml's refusal is its cause.
    with pytest.raises(ValueError) as info:
        openpyxl.load_workbook(BAD / "billion-laughs.xlsx")
    assert isinstance(info.value.__cause__, DefusedXmlException)


def test_damaged_copies_of_real_files_never_raise_anything_else(tmp_path):
    # Random damage anywhere: the check refuses or passes, but never with a traceback.
    sources = [
        (WORKBOOKS_DIR / "expenses.xlsx").read_bytes(),
        (BAD / "old.xls").read_bytes(),
        (BAD / "password.xlsx").read_bytes(),
    ]
    rnd = random.Random(20260101)
    path = tmp_path / "damaged.xlsx"
    for i in range(300):
        data = bytearray(rnd.choice(sources))
        if i % 3 == 0:
            data = data[: rnd.randrange(1, len(data))]
        else:
            for _ in range(rnd.randrange(1, 20)):
                data[rnd.randrange(len(data))] = rnd.randrange(256)
        path.write_bytes(bytes(data))
        try:
            check_workbook_file(path, **LIMITS)
        except WorkbookError as error:
            assert str(path) in str(error)
