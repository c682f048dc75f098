"""Generated workbooks, reopened with openpyxl and python-calamine as Excel users would see them."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from mops import __version__
from mops.i18n import text
from mops.schemas.clauses import RULE_CLAUSES, clause
from mops.schemas.model import ColType, Owner, fingerprint
from mops.schemas.registry import SCHEMA_VERSION, WORKBOOKS, all_sheets, sheet, workbook
from mops.validation.registry import load_rules
from mops.workbook import meta
from mops.workbook.frames import read_book
from mops.workbook.page import column_width
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


def _validations(ws) -> dict[int, object]:
    """The data validation of each column (1-based), read back with openpyxl."""
    by_column = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            assert (rng.min_row, rng.max_row) == (2, 1048576), "a validation covers every row"
            by_column[rng.min_col] = dv
    return by_column


def _each_column(generated, key):
    """(book, sheet, column, its data validation or None) for every column of a workbook."""
    lang, files = generated
    book = openpyxl.load_workbook(files[key])
    for s in workbook(key).sheets:
        by_column = _validations(book[s.name(lang)])
        for i, c in enumerate(s.columns, start=1):
            yield book, s, c, by_column.get(i)


@pytest.mark.parametrize("key", WB_IDS)
def test_every_enum_column_has_a_dropdown_from_the_hidden_list(generated, key):
    lang, _ = generated
    for book, s, c, dv in _each_column(generated, key):
        if c.owner is Owner.ODOO:
            # mops fills the grey columns: no drop-down invites typing, a tip says so.
            assert dv is not None and dv.type is None and dv.prompt, (s.key, c.key)
            assert text("guide.odoo_owned", lang) in dv.prompt
        elif c.type is ColType.ENUM:
            assert dv.type == "list" and dv.errorStyle in (None, "stop")
            assert dv.formula1 == f"list_{c.enum.key}"
            # The defined name points at the labels, in declared order, on the hidden sheet.
            dest = next(iter(book.defined_names[f"list_{c.enum.key}"].destinations))
            assert dest[0] == meta.LISTS_SHEET
            lists = book[meta.LISTS_SHEET]
            values = [cell.value for row in lists[dest[1].replace("$", "")] for cell in row]
            assert values == c.enum.labels(lang)
        elif c.type is ColType.BOOLEAN:
            assert dv.type == "list"
        elif c.type in (ColType.DATE, ColType.DATETIME):
            # The Guide invites 115/11/26, which Excel takes for text: the cell informs,
            # and keeps it, rather than refusing it.
            assert dv.type == "date" and dv.errorStyle == "information", (s.key, c.key)
            assert "115/11/26" in dv.error
        elif c.type is ColType.INTEGER:
            assert dv.type == "whole" and dv.errorStyle == "warning"


def _bounds(c) -> list[str]:
    """The bounds of a number column as people read them: 0%–100%, 1,000, 12."""

    def shown(b):
        if c.type is ColType.PERCENT:
            return f"{b * 100}%"  # the declared bounds are whole numbers: 0 → 0%, 1 → 100%
        return f"{b:,}" if c.type is ColType.MONEY else str(b)

    return [shown(b) for b in (c.minimum, c.maximum) if b is not None]


@pytest.mark.parametrize("key", WB_IDS)
def test_error_messages_state_the_allowed_range_and_tips_explain(generated, key):
    lang, _ = generated
    for _, s, c, dv in _each_column(generated, key):
        if c.owner is Owner.ODOO:
            continue
        if c.type in (ColType.INTEGER, ColType.NUMBER, ColType.MONEY, ColType.PERCENT):
            for bound in _bounds(c):
                assert bound in dv.error, (s.key, c.key, bound, dv.error)
                assert bound in dv.prompt, (s.key, c.key, bound, dv.prompt)
        if c.type is ColType.TEXT and c.max_length:
            assert dv.type == "textLength" and str(c.max_length) in dv.error
        if c.help(lang):
            assert dv is not None and c.help(lang) in dv.prompt, (s.key, c.key)
        for message in (dv.prompt, dv.error) if dv is not None else ():
            assert message is None or len(message) <= 255
        if dv is not None and dv.promptTitle:
            assert dv.promptTitle == c.label(lang)[:32]


@pytest.mark.parametrize("key", WB_IDS)
def test_id_columns_list_the_ids_of_their_own_sheet_in_the_same_workbook(generated, key):
    lang, _ = generated
    for book, s, c, dv in _each_column(generated, key):
        if c.type is not ColType.REF:
            continue
        target = sheet(c.ref.partition(".")[0])
        if target.workbook != key:
            # Another file: no list to offer, the tip names the file and the sheet.
            assert dv.type is None
            assert workbook(target.workbook).filename in dv.prompt
            assert target.name(lang) in dv.prompt
            continue
        assert dv.type == "list" and dv.errorStyle == "warning", (s.key, c.key)
        assert dv.formula1 == f"ids_{target.key}"
        formula = book.defined_names[f"ids_{target.key}"].attr_text
        key_col = get_column_letter([x.key for x in target.columns].index(target.primary_key) + 1)
        # Grows with the sheet: from the first record down as far as the column is filled.
        assert formula.startswith(f"OFFSET('{target.name(lang)}'!${key_col}$2,")
        assert f"COUNTA('{target.name(lang)}'!${key_col}:${key_col})" in formula


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
            assert dim.width >= column_width(c, lang)
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
                    sep = "、" if lang == "zh-TW" else ", "
                    assert sep.join(c.enum.labels(lang)) in text


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


def _everything_shown(path) -> str:
    """Every text a person meets in a workbook: the Guide, header comments, tips, warnings."""
    book = openpyxl.load_workbook(path)
    parts = []
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue
        parts += [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
        parts += [c.comment.text for c in ws[1] if c.comment is not None]
        for dv in ws.data_validations.dataValidation:
            parts += [x for x in (dv.promptTitle, dv.prompt, dv.errorTitle, dv.error) if x]
    props = book.properties
    parts += [props.title, props.subject, props.description]
    return "\n".join(parts)


RULE_ID = re.compile(r"\bP\d+(?:\.\d+)?-[a-z]")
NESTED = re.compile(r"[（(][^）)]*[（(]")  # a bracket opened inside another


@pytest.mark.parametrize("key", WB_IDS)
def test_words_are_those_staff_use(generated, key):
    lang, files = generated
    shown = _everything_shown(files[key])
    dotted = {f"{s.key}.{c.key}" for s in all_sheets() for c in s.columns}
    assert not [d for d in dotted if d in shown], "a raw sheet.column reference is shown"
    assert not RULE_ID.findall(shown), "a rule id is shown where people read a policy clause"
    assert not NESTED.findall(shown), "brackets nest"
    assert "宣告版本" not in shown and "declaration version" not in shown
    assert text("guide.stamp", lang, version=SCHEMA_VERSION, mops=__version__) in shown
    for s in workbook(key).sheets:
        for c in s.columns:
            if c.type is ColType.REF:
                target = sheet(c.ref.partition(".")[0])
                assert target.name(lang) in shown  # 「客戶」工作表的客戶編號
            for rule_id in c.policy:
                assert text("guide.policy", lang) + clause(rule_id) in shown


@pytest.mark.parametrize("key", WB_IDS)
def test_a_header_comment_says_each_thing_once(generated, key):
    lang, files = generated
    book = openpyxl.load_workbook(files[key])
    for s in workbook(key).sheets:
        for cell in book[s.name(lang)][1]:
            lines = cell.comment.text.split("\n")
            assert len(lines) == len(set(lines)), lines
            assert "".join(lines).count("Odoo") <= 2, lines  # the label and "filled from Odoo"


def test_the_clauses_shown_are_those_of_the_rules():
    rules = load_rules()
    named = {r for s in all_sheets() for c in s.columns for r in c.policy}
    assert named <= set(RULE_CLAUSES), "a column names a rule whose clause is not declared"
    for rule_id in named:
        assert rules[rule_id].policy == clause(rule_id), rule_id


@pytest.mark.parametrize("key", WB_IDS)
def test_document_properties_are_in_the_workbook_language(generated, key):
    lang, files = generated
    props = openpyxl.load_workbook(files[key]).properties
    assert props.title == workbook(key).title(lang)
    for value in (props.title, props.subject, props.description):
        has_cjk = any(ord(ch) > 0x2E80 for ch in value)
        assert has_cjk == (lang == "zh-TW"), value


def _person_lists(path, wb_def, lang) -> dict[str, str | None]:
    book = openpyxl.load_workbook(path)
    found = {}
    for s in wb_def.sheets:
        by_column = _validations(book[s.name(lang)])
        for i, c in enumerate(s.columns, start=1):
            if c.type is ColType.PERSON:
                dv = by_column.get(i)
                found[f"{s.key}.{c.key}"] = dv.formula1 if dv is not None else None
    return found


def test_person_columns_offer_the_roster_names(generated, tmp_path):
    lang, files = generated
    # In staff.xlsx the list is the roster sheet's name column itself, growing with it.
    staff = workbook("staff")
    book = openpyxl.load_workbook(files["staff"])
    assert set(_person_lists(files["staff"], staff, lang).values()) == {"list_people"}
    roster = staff.sheet("roster")
    formula = book.defined_names["list_people"].attr_text
    assert formula.startswith(f"OFFSET('{roster.name(lang)}'!$B$2,")
    assert f"COUNTA('{roster.name(lang)}'!$B:$B)" in formula
    # Elsewhere: the names given when the workbook is written, on the hidden list.
    people = ["王小明", "李美華"]
    for key in ("customers", "marketing_plan", "expenses"):
        path = write_workbook(workbook(key), tmp_path / f"{key}.xlsx", lang=lang, people=people)
        assert set(_person_lists(path, workbook(key), lang).values()) == {"list_people"}
        book = openpyxl.load_workbook(path)
        dest = next(iter(book.defined_names["list_people"].destinations))
        lists = book[meta.LISTS_SHEET]
        assert [c.value for row in lists[dest[1].replace("$", "")] for c in row] == people
    # A blank workbook has no names to offer, and its Guide says where they come from.
    assert set(_person_lists(files["customers"], workbook("customers"), lang).values()) == {None}
    assert staff.filename in _everything_shown(files["customers"])


def test_a_data_sheet_is_laid_out_for_what_its_columns_hold(generated, tmp_path):
    lang, _ = generated
    log = workbook("customers").sheet("followup_log")
    widths = {c.key: column_width(c, lang) for c in log.columns}
    assert widths["log_id"] <= 14  # short IDs stay narrow
    assert widths["content"] >= 30  # paragraphs get room, and wrap
    assert column_width(workbook("staff").sheet("roster").column("email"), lang) >= 26
    row = {"log_id": "FL1", "content": "客戶希望下週再安排一次會議，討論導入時程與預算。" * 3}
    path = write_workbook(workbook("customers"), tmp_path / "c.xlsx", lang=lang,
                          rows={"followup_log": [row]})  # fmt: skip
    ws = openpyxl.load_workbook(path)[log.name(lang)]
    keys = [c.key for c in log.columns]
    assert ws.cell(2, keys.index("content") + 1).alignment.wrap_text
    assert not ws.cell(2, keys.index("log_id") + 1).alignment.wrap_text
    # Three lines of text: the row is as high as they need, for applications that do not
    # grow a row to its wrapped text when they open the file.
    assert ws.row_dimensions[2].height >= 3 * 15
