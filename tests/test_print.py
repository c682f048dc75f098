"""Generated workbooks print the way people need them: page setup, and real pages from LibreOffice.

The first tests read the page setup back with openpyxl, for every sheet of every workbook in
both languages. The others render workbooks through a real LibreOffice (headless) to PDF and
count the pages of each sheet, told apart by the footer every page carries (file, sheet, page).
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from mops.i18n import text
from mops.schemas.registry import WORKBOOKS, workbook
from mops.workbook.page import column_width, is_long_text, pages_wide

from conftest import WORKBOOKS_DIR
from libreoffice import SOFFICE, convert

COMMITTED = [(wb, "zh-TW", WORKBOOKS_DIR / wb.filename) for wb in WORKBOOKS] + [
    (wb, "en", WORKBOOKS_DIR / "en" / wb.filename) for wb in WORKBOOKS
]
IDS = [f"{lang}-{wb.key}" for wb, lang, _ in COMMITTED]

MISSING = (
    "LibreOffice (soffice) is not installed"
    if SOFFICE is None
    else "pdftotext (poppler-utils) is not installed"
    if shutil.which("pdftotext") is None
    else None
)


def needs_libreoffice(test):
    """Mark a test that prints through LibreOffice: slow, and skipped without it (not in CI)."""
    if MISSING and os.environ.get("CI"):
        pytest.fail(f"{MISSING}; CI needs it", pytrace=False)
    for mark in (
        pytest.mark.libreoffice,
        pytest.mark.slow,
        pytest.mark.skipif(MISSING is not None, reason=MISSING or ""),
    ):
        test = mark(test)
    return test


# --- page setup, as stored -------------------------------------------------------------------


@pytest.mark.parametrize(("wb", "lang", "path"), COMMITTED, ids=IDS)
def test_every_data_sheet_prints_landscape_fitted_with_its_header_and_footer(wb, lang, path):
    book = openpyxl.load_workbook(path)
    for sheet in wb.sheets:
        ws = book[sheet.name(lang)]
        setup = ws.page_setup
        assert setup.orientation == "landscape", sheet.key
        assert setup.paperSize == 9, sheet.key  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, sheet.key
        assert setup.fitToHeight == 0, sheet.key  # as many pages down as the rows need
        widths = [column_width(c, lang) for c in sheet.columns]
        assert (setup.fitToWidth or 1) == pages_wide(widths), sheet.key
        assert ws.print_title_rows == "$1:$1", sheet.key  # the header row on every page
        if pages_wide(widths) > 1:
            assert ws.print_title_cols == "$A:$A", sheet.key  # the key on every page across
            assert setup.pageOrder == "overThenDown", sheet.key
        footer = ws.oddFooter
        assert (footer.left.text, footer.center.text) == ("&F", "&A"), sheet.key
        assert footer.right.text == text("guide.footer_page", lang)
        assert "&P" in footer.right.text and "&N" in footer.right.text
        # Columns of paragraphs wrap, on screen and on paper.
        dims = {i: d for d in ws.column_dimensions.values() for i in range(d.min, d.max + 1)}
        for i, column in enumerate(sheet.columns, start=1):
            alignment = book._alignments[book._cell_styles[dims[i].style_id].alignmentId]
            assert bool(alignment.wrapText) == is_long_text(column), (sheet.key, column.key)


@pytest.mark.parametrize(("wb", "lang", "path"), COMMITTED, ids=IDS)
def test_the_guide_prints_one_page_wide(wb, lang, path):
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert ws.title == text("guide.guide_sheet", lang)
    assert ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.oddFooter.center.text == "&A"
    # Long lines sit in cells merged across the page, as high as their wrapped text needs.
    merged = {r.min_row for r in ws.merged_cells.ranges if r.max_col == 5}
    first = ws.cell(2, 1).value
    assert first == (wb.help_zh if lang == "zh-TW" else wb.help_en)
    assert 2 in merged
    for row in merged:
        assert ws.row_dimensions[row].height, row


# --- pages, as LibreOffice prints them -------------------------------------------------------

# Points of an A4 page (8.27 × 11.69 in) left for rows, less the margins and footer set in
# mops.workbook.page (0.5 in top, 0.6 in bottom).
LANDSCAPE_ROWS_PT = (8.27 - 1.1) * 72  # 516 pt
PORTRAIT_ROWS_PT = (11.69 - 1.2) * 72  # 755 pt
DEMO_LOG_ROWS = 1000  # of the demo's follow-up log, printed


def page_bound(ws, *, page_points: float, repeated_points: float, pages_across: int) -> int:
    """The most pages a sheet can take: its rows' heights over what one page holds at 100 %.

    Fitting to the page width only ever shrinks a sheet (scale ≤ 100 %), so a page holds at
    least ``page_points`` of rows, less the repeated header row and less one row's height
    that may not fit at the bottom. Rows without a stored height are Excel's default 15 pt.
    """
    heights = [
        (ws.row_dimensions[r].height or 15) if r in ws.row_dimensions else 15
        for r in range(1, ws.max_row + 1)
    ]
    body = heights[1:] if repeated_points else heights
    per_page = page_points - repeated_points - max(body)
    return pages_across * math.ceil(sum(body) / per_page)


def _pdf_pages_by_sheet(pdf: Path) -> tuple[Counter, list[str]]:
    """Pages of each sheet, told by the footer (file · sheet · page); and each page's text."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    counts: Counter = Counter()
    for page in pages:
        footer = [line for line in page.splitlines() if line.strip()][-1]
        parts = [p for p in footer.strip().split("  ") if p.strip()]
        assert len(parts) == 3, f"footer should name file, sheet and page: {footer!r}"
        counts[parts[1].strip()] += 1
    return counts, pages


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """The committed workbooks of both languages, and the first 1,000 rows of the demo's
    follow-up log, printed to PDF by one LibreOffice run: name (``zh-TW-customers``,
    ``en-staff``, ``demo-customers``) → (the .xlsx printed, its PDF).

    The log is written alone into the customers workbook (its other sheets blank): the tests
    read its pages only. Its rows are the demo's own, short and long follow-ups alike; every
    page is laid out alike, so a thousand rows (43 pages) show what the year's 3,000 (113
    pages, 8 s more of LibreOffice) would.
    """
    from mops.demodata import generate_demo
    from mops.workbook.writer import write_workbook

    root = tmp_path_factory.mktemp("print")
    inputs = root / "in"
    inputs.mkdir()
    for wb, lang, path in COMMITTED:
        shutil.copyfile(path, inputs / f"{lang}-{wb.key}.xlsx")
    demo = generate_demo()
    write_workbook(
        workbook("customers"),
        inputs / "demo-customers.xlsx",
        rows={"followup_log": demo.rows["customers"]["followup_log"][:DEMO_LOG_ROWS]},
        people=demo.people(),
    )
    convert(sorted(inputs.iterdir()), "pdf", root / "pdf")
    return {p.stem: (p, root / "pdf" / f"{p.stem}.pdf") for p in sorted(inputs.iterdir())}


@pytest.fixture(scope="module")
def rendered(printed):
    """The committed blank workbooks, and the demo's follow-up log, as printed: name →
    (workbook, lang, xlsx, pages per sheet, pages)."""
    cases = {f"{lang}-{wb.key}": (wb, lang) for wb, lang, _ in COMMITTED}
    cases["demo-customers"] = (workbook("customers"), "zh-TW")
    result = {}
    for name, (wb, lang) in cases.items():
        xlsx, pdf = printed[name]
        counts, pages = _pdf_pages_by_sheet(pdf)
        result[name] = (wb, lang, xlsx, counts, pages)
    return result


@needs_libreoffice
@pytest.mark.parametrize("name", IDS)
def test_libreoffice_renders_every_workbook_to_pdf(printed, name):
    # Proves LibreOffice opens and renders every sheet of every committed workbook.
    _, pdf = printed[name]
    assert pdf.exists(), f"LibreOffice did not convert {name}"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert pdf.stat().st_size > 5000


@needs_libreoffice
@pytest.mark.parametrize("name", IDS)
def test_a_blank_data_sheet_prints_on_one_page_down(rendered, name):
    # A blank sheet is its header and one empty table row: one page down, as many across as
    # page setup asks (one, or a few for the widest sheets such as the campaigns' 34 columns).
    wb, lang, _, counts, pages = rendered[name]
    for sheet in wb.sheets:
        wide = pages_wide([column_width(c, lang) for c in sheet.columns])
        assert 1 <= counts[sheet.name(lang)] <= wide, (sheet.key, counts)
    # Every page says which file, sheet and page it is, in the workbook's language.
    template = text("guide.footer_page", lang)  # 第 &P 頁，共 &N 頁
    page_of = re.compile(r"\d+".join(re.escape(x) for x in re.split("&[PN]", template)))
    for page in pages:
        assert f"{name}.xlsx" in page and page_of.search(page), page[-200:]


@needs_libreoffice
@pytest.mark.parametrize("name", ["zh-TW-customers", "en-customers"])
def test_the_customers_sheet_and_guide_print_in_few_pages(rendered, name):
    wb, lang, path, counts, _ = rendered[name]
    assert counts[wb.sheet("customers").name(lang)] <= 2  # 19 columns: two pages across
    # The Guide: 9 steps, the legend and 61 columns described, one a row, on portrait pages.
    guide = openpyxl.load_workbook(path).worksheets[0]
    bound = page_bound(guide, page_points=PORTRAIT_ROWS_PT, repeated_points=0, pages_across=1)
    assert counts[text("guide.guide_sheet", lang)] <= bound
    assert bound <= 5, "the Guide of the largest workbook should stay a short read"


@needs_libreoffice
def test_the_demo_follow_up_log_prints_every_row_readably(rendered):
    wb, lang, path, counts, pages = rendered["demo-customers"]
    log = wb.sheet("followup_log")
    ws = openpyxl.load_workbook(path)[log.name(lang)]
    assert ws.max_row == DEMO_LOG_ROWS + 1
    # The bound: at 11 pt a one-line row is 15 pt and a wrapped follow-up (two or three lines
    # of content at 36 characters a line) 33–48 pt. A4 landscape leaves 516 pt for rows, 483
    # under the repeated 33 pt header; fitting 14 columns to the page width only shrinks the
    # sheet (scale ≤ 100 %), so a page holds at least 483 pt of rows: ≥ 10 three-line rows,
    # ≥ 14 two-line ones. The whole year's 3,000 rows come to about 230 pages at most; Excel,
    # fitting the sheet at about 72 %, prints about 165 of them, and LibreOffice without
    # Calibri measures columns in a wider font, shrinks the sheet further, and prints 113.
    bound = page_bound(ws, page_points=LANDSCAPE_ROWS_PT, repeated_points=33, pages_across=1)
    assert bound < DEMO_LOG_ROWS / 10
    assert counts[log.name(lang)] <= bound, (counts, bound)
    # Nothing is cut at the right edge: every page of the log repeats the whole header row,
    # down to its last column.
    last_header = log.columns[-1].label(lang)
    log_pages = [p for p in pages if f"  {log.name(lang)}  " in p]
    assert len(log_pages) == counts[log.name(lang)]
    assert all(last_header in p for p in log_pages)
    # …and the last follow-up is printed.
    assert ws.cell(DEMO_LOG_ROWS + 1, 1).value in log_pages[-1]
