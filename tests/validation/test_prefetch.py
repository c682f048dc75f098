"""Workbooks parsed in the background (``mops.workbook.prefetch``) validate exactly as files read
in the foreground: sheets are handed over one by one as they are parsed, files parsed already are
read first, and a file the background cannot parse is reported as if it had been read plainly.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from mops.config import load_config
from mops.schemas.registry import workbook
from mops.validation.engine import read_books, validate_dataset
from mops.workbook import prefetch
from mops.workbook.package import sheet_parts
from mops.workbook.writer import write_workbook

from conftest import REPO, run_mops

HANDFILLED = REPO / "tests" / "data" / "handfilled"


def _findings(paths: list[Path], *, background: bool) -> dict:
    config = load_config()
    if background:
        prefetch.start(prefetch.expand_paths(paths), config.limits)
    report, dataset = validate_dataset(paths, config, as_of=dt.date(2026, 11, 26))
    document = json.loads(report.to_json("en"))
    rows = {
        key: [(str(t.source.path), t.frame.to_dicts()) for t in dataset.parts(key)]
        for key in sorted(dataset.keys())
    }
    return {"report": document, "rows": rows}


def test_the_background_read_gives_the_findings_and_rows_of_a_plain_read(demo_folder):
    # Hand-filled books (a renamed tab under a title block, merged cells, totals, formulas
    # copied down) and the demo's (several books, rules across them).
    paths = sorted(HANDFILLED.glob("*.xlsx")) + sorted(demo_folder.glob("*.xlsx"))
    plain = _findings(paths, background=False)
    assert plain["report"]["findings"]
    assert _findings(paths, background=True) == plain


def _break_sheet(source: Path, target: Path, tab: str) -> None:
    """A copy of ``source`` whose sheet ``tab`` holds XML cut in the middle of a row."""
    with zipfile.ZipFile(source) as zin:
        part = sheet_parts(zin)[tab]
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                data = zin.read(item.filename)
                if item.filename == part:
                    data = data[: data.index(b"<row ") + 12]
                zout.writestr(item, data)


def test_a_sheet_the_background_cannot_parse_is_reported_with_its_file(tmp_path):
    wb = workbook("customers")
    source = write_workbook(wb, tmp_path / "source.xlsx")
    broken = tmp_path / "customers.xlsx"
    _break_sheet(source, broken, wb.sheet("opportunities").zh)

    config = load_config()
    prefetch.start([broken], config.limits)
    got = prefetch.take(broken)
    assert got is not None
    order = list(got.sheets)
    assert order[0] == "_mops"  # the stamp first: it says which workbook this is
    opportunities = order.index(wb.sheet("opportunities").zh)
    assert all(got.sheets[tab].exception() is None for tab in order[:opportunities])
    # The sheet that failed, and every one after it, carry the failure.
    assert all(got.sheets[tab].exception() is not None for tab in order[opportunities:])
    got.parsed.result()

    result = run_mops("validate", broken.name, "--as-of", "2026-11-26", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "customers.xlsx" in result.stdout and wb.sheet("opportunities").zh in result.stdout


def test_a_file_parsed_already_is_read_first_and_the_books_keep_their_order(tmp_path):
    staff = write_workbook(workbook("staff"), tmp_path / "staff.xlsx")
    wb = workbook("customers")
    row = {c.key: None for c in wb.sheet("followup_log").columns}
    row.update(log_id="L1", customer_id="CU0001", content="電話聯絡，客戶表示下週回覆。")
    big = write_workbook(
        wb, tmp_path / "customers.xlsx",
        rows={"followup_log": [dict(row, log_id=f"L{i:06d}") for i in range(30_000)]},
    )  # fmt: skip
    config = load_config()
    prefetch.start([big, staff], config.limits)
    deadline = time.monotonic() + 30
    while prefetch.parsed_first([big, staff]) != [staff, big]:
        if time.monotonic() > deadline:
            pytest.fail("the staff workbook never finished before the big one")
        time.sleep(0.001)
    seen: list[Path] = []
    books, problems = read_books([big, staff], config, on_sheet=lambda f: seen.append(f.path))
    assert not problems
    assert seen[0] == staff and seen[-1] == big
    assert [b.path for b in books] == [big, staff]


@pytest.mark.parametrize("background", [False, True], ids=["foreground", "background"])
def test_a_book_whose_later_sheet_cannot_be_read_gives_no_findings_of_its_own(tmp_path, background):
    wb = workbook("customers")
    contact = {c.key: None for c in wb.sheet("contacts").columns}
    contact.update(contact_id="P1", customer_id="CU1", name="陳先生", email="bad@")
    path = write_workbook(wb, tmp_path / "customers.xlsx", rows={"contacts": [contact]})
    book = openpyxl.load_workbook(path)
    later = book[wb.sheet("opportunities").zh]  # after the contacts, in the workbook's order
    later.delete_rows(1, later.max_row)
    later["A1"], later["B1"] = "這裡沒有表頭", "也沒有資料"
    book.save(path)

    report = _findings([path], background=background)["report"]
    assert report["exit_code"] == 2
    assert [p["file"] for p in report["input_problems"]] == [str(path)]
    # The contacts were read (and typed) before the sheet that failed: not reported either.
    assert report["findings"] == []
