"""After ``mops validate --write-back`` the workbook opens on a Findings sheet people act on.

A customers workbook with one mistake of each kind that matters here is written back through
the real command: an error on a customer (owned by its account manager), an error on a contact
(owned through its customer), a follow-up cadence warning (on the date of the last follow-up,
owned by the account manager whoever made that contact) and a date read with an assumption (an
info, listed but not painted unless ``[validation] paint_info`` says so).
"""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest

import mops
from mops.i18n import text
from mops.records import Severity
from mops.validation.annotate import COLUMNS, annotate_files, clause_words, rule_title
from mops.validation.registry import RULES
from mops.validation.results import Report
from mops.workbook.ooxml.styles import FILL_RGB, HEADER_RGB
from validation.rowkit import AS_OF, date, row, write, xrow

from conftest import run_mops
from libreoffice import SOFFICE, convert

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")

FINDINGS = text("findings_sheet.name", "zh-TW")
GUIDE = text("guide.guide_sheet", "zh-TW")
MANAGER, OTHER_MANAGER, LOGGED_BY = "李業務", "陳主任", "吳客服"


def _workbook(folder: Path) -> Path:
    customers = [
        row("customers", customer_id="CU0001", tier="A", account_manager=MANAGER),
        row(
            "customers",
            customer_id="CU0002",
            name="鼎新科技股份有限公司",
            tax_id="87654321",
            email="info@dingxin.com.tw",
            company_size="中小企業",  # not one of the sizes: an error
            account_manager=OTHER_MANAGER,
        ),
    ]
    contacts = [
        row("contacts", contact_id="P001", customer_id="CU0002", name="林經理", email="bad@")
    ]
    log = [
        row("followup_log", log_id="FL00001", customer_id="CU0001", date=date(2026, 5, 1)),
        # CU0001's last contact, made by someone else: 26 days ago, 7 allowed for tier A.
        row("followup_log", log_id="FL00002", customer_id="CU0001", date=date(2026, 5, 20))
        | {"owner": LOGGED_BY},
        # A Minguo date typed as text: read as 2026-06-10, an assumption (info).
        row("followup_log", log_id="FL00003", customer_id="CU0002", date="115/06/10"),
    ]
    return write(folder, "customers", customers=customers, contacts=contacts, followup_log=log)


def _load(path: Path) -> openpyxl.Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return openpyxl.load_workbook(path)


def _table(ws) -> tuple[int, list[dict]]:
    """The header row of the findings table (where its filter starts) and its rows as dicts."""
    top = int(ws.auto_filter.ref.split(":")[0][1:])
    header = [c.value for c in ws[top]]
    rows = [
        dict(zip(header, values, strict=False))
        for values in ws.iter_rows(min_row=top + 1, values_only=True)
    ]
    return top, rows


def _summary(ws, top: int) -> dict[str, str]:
    """The summary above the table: label → text."""
    return {
        ws.cell(r, 1).value: ws.cell(r, 2).value
        for r in range(1, top)
        if ws.cell(r, 1).value and ws.cell(r, 2).value
    }


def _col(key: str) -> str:
    return text(key, "zh-TW")


def _write_back(path: Path, *args: str, env: dict | None = None) -> None:
    """``mops validate PATH --as-of … --write-back`` as a user runs it."""
    command = ("validate", str(path), "--as-of", AS_OF.isoformat(), "--write-back", *args)
    result = run_mops(*command, cwd=path.parent, env=env)
    assert result.returncode == 1, result.stderr  # the workbook has errors


def _validate(path: Path) -> Report:
    return mops.validate(path, as_of=AS_OF, config=mops.load_config(environ={}))


@pytest.fixture
def written(tmp_path):
    """The workbook after the real --write-back, its report, and its bytes before."""
    path = _workbook(tmp_path)
    original = path.read_bytes()
    report = _validate(path)
    _write_back(path)
    return path, report, original


def _line(rows: list[dict], rule_id: str, tab: str) -> dict:
    rule, sheet = _col("findings.col.rule_id"), _col("findings_sheet.sheet")
    (found,) = [r for r in rows if r[rule] == rule_id and r[sheet] == tab]
    return found


def test_the_workbook_opens_on_the_findings_sheet_next_to_the_guide(written):
    path, _, _ = written
    book = _load(path)
    assert book.active.title == FINDINGS
    names = book.sheetnames
    assert names.index(FINDINGS) == names.index(GUIDE) + 1
    # The only selected tab: no two sheets are grouped when the workbook opens.
    assert [ws.title for ws in book.worksheets if ws.sheet_view.tabSelected] == [FINDINGS]


def test_the_summary_holds_the_as_of_date_and_the_counts(written):
    path, report, _ = written
    ws = _load(path)[FINDINGS]
    top, rows = _table(ws)
    summary = _summary(ws, top)
    assert path.name in ws["A1"].value
    assert AS_OF.isoformat() in summary[text("findings.as_of_label", "zh-TW")]
    t = report.totals
    assert t["error"] and t["warning"] and t["info"]
    assert summary[text("findings.counts_label", "zh-TW")] == text(
        "findings.counts", "zh-TW", e=t["error"], w=t["warning"], i=t["info"],
        n=len(report.findings),
    )  # fmt: skip
    assert len(rows) == len(report.findings)
    by_rule = summary[text("findings.by_rule_label", "zh-TW")]
    for (rule_id, _), n in report.counts().items():
        item = text("findings.count_item", "zh-TW", name=rule_title(rule_id, "zh-TW"), n=n)
        assert item in by_rule, (rule_id, by_rule)
        assert rule_id not in by_rule  # words, not ids
    by_owner = summary[text("findings.by_owner_label", "zh-TW")]
    owners = [f.owner for f in report.findings]
    assert text("findings.count_item", "zh-TW", name=MANAGER, n=owners.count(MANAGER)) in by_owner


def test_the_header_is_styled_frozen_and_filtered(written):
    path, report, _ = written
    ws = _load(path)[FINDINGS]
    top, _ = _table(ws)
    header = ws[top]
    assert [c.value for c in header] == [_col(c) for c in COLUMNS]
    assert all(c.font.b and c.fill.fill_type == "solid" for c in header)
    assert {c.fill.fgColor.rgb for c in header} == {HEADER_RGB}
    assert ws.freeze_panes == f"A{top + 1}"
    assert ws.auto_filter.ref == f"A{top}:J{top + len(report.findings)}"
    assert ws.print_title_rows == f"${top}:${top}"
    # The messages wrap, and every cell of the table is aligned to the top.
    message = COLUMNS.index("findings_sheet.message") + 1
    assert all(ws.cell(r, message).alignment.wrap_text for r in range(top + 1, ws.max_row + 1))


def test_each_finding_names_its_owner_its_rule_in_words_and_its_clause(written):
    path, _, _ = written
    _, rows = _table(_load(path)[FINDINGS])
    owner, rule, clause = (
        _col(k) for k in ("findings.col.owner", "findings_sheet.rule", "findings.col.clause")
    )
    enum = _line(rows, "enum", "客戶")
    assert enum[owner] == OTHER_MANAGER  # the customer's account manager
    assert enum[rule] == RULES["enum"].title_zh == "不在選項清單中"
    assert enum[clause] == clause_words("enum", "zh-TW")
    # A contact answers to its customer's account manager.
    assert _line(rows, "email-format", "聯絡人")[owner] == OTHER_MANAGER
    cadence = _line(rows, "P5.3-cadence", "跟進紀錄")
    assert cadence[owner] == MANAGER  # not the colleague who made that last contact
    assert cadence[rule] == RULES["P5.3-cadence"].title_zh
    assert cadence[clause] == text("clause.§5.3", "zh-TW")
    assert cadence[clause].startswith("§5.3 ") and len(cadence[clause]) > len("§5.3 ")


def test_the_cadence_warning_sits_on_the_last_follow_up_date(written):
    path, report, _ = written
    book = _load(path)
    (finding,) = [f for f in report.findings if f.rule_id == "P5.3-cadence"]
    assert (finding.sheet, finding.row, finding.column) == ("followup_log", xrow(1), "date")
    cell = book[finding.tab][finding.cell]
    assert cell.value.date() == date(2026, 5, 20)
    assert cell.fill.fgColor.rgb == FILL_RGB["warning"]
    assert "2026-05-27" in cell.comment.text  # when the next contact was due: 5-20 + 7 days
    assert RULES["P5.3-cadence"].title_zh in cell.comment.text
    # The tier is right, and left alone.
    customers = book["客戶"]
    tier = next(c for c in customers[1] if c.value == "客戶分級")
    assert customers.cell(xrow(0), tier.column).fill.fill_type is None
    assert customers.cell(xrow(0), tier.column).comment is None


def _assumed_cell(report: Report):
    (finding,) = [f for f in report.findings if f.rule_id == "assumed"]
    assert finding.severity is Severity.INFO
    return finding


def test_an_assumed_value_is_listed_but_not_painted(written):
    path, report, _ = written
    finding = _assumed_cell(report)
    book = _load(path)
    cell = book[finding.tab][finding.cell]
    assert cell.fill.fill_type is None and cell.comment is None
    _, rows = _table(book[FINDINGS])
    assert _line(rows, "assumed", finding.tab)["位置"] == f"{finding.tab}!{finding.cell}"


def test_the_setting_paints_infos_too(tmp_path):
    path = _workbook(tmp_path)
    _write_back(path, env={"MOPS_VALIDATION_PAINT_INFO": "true"})
    finding = _assumed_cell(_validate(path))
    book = _load(path)
    cell = book[finding.tab][finding.cell]
    assert cell.fill.fgColor.rgb == FILL_RGB["info"]
    assert finding.message_zh in cell.comment.text


def test_writing_the_same_findings_again_leaves_the_file_alone(written):
    path, _, _ = written
    before = path.read_bytes()
    _write_back(path)
    assert path.read_bytes() == before


def test_with_no_findings_left_the_workbook_is_as_it_was(written):
    """The Findings sheet goes, the Guide is the open tab again: byte for byte, every part."""
    path, _, original = written
    (result,) = annotate_files(Report(findings=[], files=[str(path)]), "zh-TW")
    assert result.findings_sheet is None
    with zipfile.ZipFile(path) as now, zipfile.ZipFile(_original(path, original)) as then:
        assert now.namelist() == then.namelist()
        for name in then.namelist():
            assert now.read(name) == then.read(name), name


def _original(path: Path, data: bytes) -> Path:
    copy = path.with_name("original.xlsx")
    copy.write_bytes(data)
    return copy


def test_in_english(tmp_path):
    path = _workbook(tmp_path)
    _write_back(path, "--lang", "en")
    book = _load(path)
    assert book.active.title == "Findings"
    ws = book["Findings"]
    top, rows = _table(ws)
    assert [c.value for c in ws[top]] == [text(c, "en") for c in COLUMNS]
    assert AS_OF.isoformat() in _summary(ws, top)["As of"]
    enum = next(r for r in rows if r["Rule ID"] == "enum")
    assert enum["Rule"] == RULES["enum"].title_en and enum["Owner"] == OTHER_MANAGER


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_findings_sheet(written, tmp_path):
    path, report, _ = written
    out = tmp_path / "lo"
    for fmt in ("pdf", "xlsx"):
        convert([path], fmt, out / fmt)
    pdf = out / "pdf" / (path.stem + ".pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    resaved = _load(out / "xlsx" / path.name)
    assert resaved.active.title == FINDINGS
    ws = resaved[FINDINGS]
    top, rows = _table(ws)
    assert len(rows) == len(report.findings)
    assert AS_OF.isoformat() in _summary(ws, top)[text("findings.as_of_label", "zh-TW")]
    # (Headless, LibreOffice keeps no window state, so frozen panes are not saved back.)


def test_a_workbook_without_a_guide_gets_it_last(tmp_path):
    """A workbook mops did not make has no Guide: the Findings sheet is the last tab."""
    path = _workbook(tmp_path)
    book = _load(path)
    del book[GUIDE]
    book.save(path)
    annotate_files(_validate(path), "zh-TW")
    book = _load(path)
    assert book.sheetnames[-1] == FINDINGS and book.active.title == FINDINGS
