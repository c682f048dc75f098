"""Generated workbooks, reopened with openpyxl and python-calamine as Excel users would see them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from mops.schemas.model import ColType, Owner, fingerprint
from mops.schemas.registry import SCHEMA_VERSION, WORKBOOKS, workbook
from mops.workbook import meta
from mops.workbook.frames import read_book
from mops.workbook.writer import NUM_FORMATS, write_workbook

WB_IDS = [wb.key for wb in WORKBOOKS]


@pytest.fixture(scope="module", params=["zh-TW", "en"])
def generated(request, tmp_path_factory):
    """Every workbook generated blank in one language, with its openpyxl view."""
    lang = request.param
    out = tmp_path_factory.mktemp(f"blank-{lang}")
    files = {wb.key: write_workbook(wb, out / wb.filename, lang=lang) for wb in WORKBOOKS}
    return lang, files


@pytest.mark.parametrize("key", WB_IDS)
def test_sheets_headers_and_hidden_helpers(generated, key):
    lang, files = generated
    wb_def = workbook(key)
    book = openpyxl.load_workbook(files[key])
    guide = "說明" if lang == "zh-TW" else "Guide"
    expected = [guide, *(s.name(lang) for s in wb_def.sheets), meta.LISTS_SHEET, meta.META_SHEET]
    assert book.sheetnames == expected
    assert book[meta.LISTS_SHEET].sheet_state == "hidden"
    assert book[meta.META_SHEET].sheet_state == "hidden"
    for s in wb_def.sheets:
        ws = book[s.name(lang)]
        headers = [ws.cell(1, i + 1).value for i in range(len(s.columns))]
        assert headers == [c.label(lang) for c in s.columns]
        assert ws.freeze_panes == "B2"


@pytest.mark.parametrize("key", WB_IDS)
def test_every_enum_column_has_a_dropdown_from_the_hidden_list(generated, key):
    lang, files = generated
    wb_def = workbook(key)
    book = openpyxl.load_workbook(files[key])
    lists = book[meta.LISTS_SHEET]
    for s in wb_def.sheets:
        ws = book[s.name(lang)]
        by_column = {}
        for dv in ws.data_validations.dataValidation:
            for rng in dv.sqref.ranges:
                by_column[rng.min_col] = (dv, rng)
        for i, c in enumerate(s.columns, start=1):
            if c.type is ColType.ENUM:
                dv, rng = by_column[i]
                assert dv.type == "list"
                assert dv.formula1 == f"list_{c.enum.key}"
                assert (rng.min_row, rng.max_row) == (2, 1048576)
                # The defined name points at the labels, in declared order, on the hidden sheet.
                dest = next(iter(book.defined_names[f"list_{c.enum.key}"].destinations))
                assert dest[0] == meta.LISTS_SHEET
                values = [cell.value for row in lists[dest[1].replace("$", "")] for cell in row]
                assert values == c.enum.labels(lang)
            elif c.type is ColType.BOOLEAN:
                assert by_column[i][0].type == "list"
            elif c.type in (ColType.DATE, ColType.DATETIME):
                assert by_column[i][0].type == "date"
            elif c.type is ColType.INTEGER:
                assert by_column[i][0].type == "whole"


@pytest.mark.parametrize("key", WB_IDS)
def test_tables_formats_widths_and_header_comments(generated, key):
    lang, files = generated
    wb_def = workbook(key)
    book = openpyxl.load_workbook(files[key])
    for s in wb_def.sheets:
        ws = book[s.name(lang)]
        table = ws.tables[s.table_name]
        last = get_column_letter(len(s.columns))
        assert table.ref == f"A1:{last}2"
        assert table.autoFilter is not None  # filter and sort work
        assert [tc.name for tc in table.tableColumns] == [c.label(lang) for c in s.columns]
        # Adjacent columns of equal width and format share one <col min max> element.
        dims = {i: d for d in ws.column_dimensions.values() for i in range(d.min, d.max + 1)}
        for i, c in enumerate(s.columns, start=1):
            dim = dims[i]
            assert dim.width >= c.col_width
            # New rows typed by staff inherit the column's number format.
            assert book._cell_styles[dim.style_id].numFmtId is not None
            comment = ws.cell(1, i).comment
            assert comment is not None and c.label(lang) in comment.text
            if c.help(lang):
                assert c.help(lang) in comment.text
            fill = ws.cell(1, i).fill.fgColor.rgb
            assert fill.endswith("7F7F7F") == (c.owner is Owner.ODOO)


def test_typed_values_get_their_formats(tmp_path):
    wb_def = workbook("expenses")
    claims = wb_def.sheet("claims")
    row = {c.key: None for c in claims.columns}
    row.update(
        claim_id="EX1", claimant="王小明", expense_date=dt.date(2026, 3, 5),
        claim_date=dt.date(2026, 3, 9), category="promotion", item="events",
        amount=Decimal("12345"), reason="=HYPERLINK(\"x\")", attachment_ref="0012",
        approval="approved", audit="passed", reimbursed=True,
    )  # fmt: skip
    path = write_workbook(wb_def, tmp_path / "e.xlsx", rows={"claims": [row]})
    ws = openpyxl.load_workbook(path)["費用申請"]
    cells = {c.key: ws.cell(2, i) for i, c in enumerate(claims.columns, start=1)}
    assert cells["expense_date"].value == dt.datetime(2026, 3, 5)
    assert cells["expense_date"].number_format == NUM_FORMATS[ColType.DATE]
    assert cells["amount"].value == 12345
    assert cells["amount"].number_format == NUM_FORMATS[ColType.MONEY]
    assert cells["category"].value == "推廣費用"  # the label, not the key
    assert cells["reimbursed"].value == "是"
    assert cells["attachment_ref"].value == "0012"  # text keeps its leading zero
    # Text that looks like a formula stays text: never executed when the file is opened.
    assert cells["reason"].data_type == "s"
    assert cells["reason"].value == '=HYPERLINK("x")'


def test_wrong_typed_values_are_kept_verbatim(tmp_path):
    wb_def = workbook("customers")
    log = wb_def.sheet("followup_log")
    row = {c.key: None for c in log.columns}
    row.update(log_id="L1", date="115/03/05", method="傳真", next_date="下週")
    path = write_workbook(wb_def, tmp_path / "c.xlsx", rows={"followup_log": [row]})
    data = read_book(path).sheets["followup_log"]
    _, values = data.rows()[0]
    assert values["date"] == "115/03/05"
    assert values["method"] == "傳真"
    assert values["next_date"] == "下週"


@pytest.mark.parametrize("key", WB_IDS)
def test_version_stamp_in_properties_and_hidden_sheet(generated, key):
    lang, files = generated
    wb_def = workbook(key)
    book = openpyxl.load_workbook(files[key])
    props = {p.name: p.value for p in book.custom_doc_props.props}
    assert props["mops_workbook"] == key
    assert props["mops_schema_version"] == str(SCHEMA_VERSION)
    assert props["mops_fingerprint"] == fingerprint(wb_def)
    assert props["mops_lang"] == lang
    data = read_book(files[key])
    assert data.stamp["mops_fingerprint"] == fingerprint(wb_def)
    assert data.definition is wb_def


def test_guide_sheet_explains_every_column(generated):
    lang, files = generated
    for wb_def in WORKBOOKS:
        book = openpyxl.load_workbook(files[wb_def.key])
        guide = book.worksheets[0]
        text = "\n".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
        assert wb_def.title(lang) in text
        for s in wb_def.sheets:
            assert s.name(lang) in text
            for c in s.columns:
                assert c.label(lang) in text
                if c.enum is not None:
                    assert "、".join(c.enum.labels(lang)) in text


def test_output_is_deterministic_and_atomic(tmp_path):
    wb_def = workbook("sales")
    a = write_workbook(wb_def, tmp_path / "a.xlsx")
    b = write_workbook(wb_def, tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx", "b.xlsx"]  # no temp left


def test_failed_write_leaves_the_old_file_untouched(tmp_path):
    wb_def = workbook("sales")
    target = tmp_path / "sales.xlsx"
    target.write_bytes(b"someone's work")
    with pytest.raises(ValueError):
        write_workbook(wb_def, target, rows={"no_such_sheet": []})
    assert target.read_bytes() == b"someone's work"
    assert [p.name for p in tmp_path.iterdir()] == ["sales.xlsx"]
