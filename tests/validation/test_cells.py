"""The cell pass: typed columns, field findings at the right cells, fast and slow paths agreeing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest

from mops.config import load_config
from mops.schemas.registry import workbook
from mops.validation.engine import validate_paths
from mops.workbook.writer import write_workbook

AS_OF = dt.date(2026, 11, 26)


def _blank(sheet_def) -> dict:
    return {c.key: None for c in sheet_def.columns}


def _tuples(report, rule_ids=None):
    return {
        (f.sheet, f.row, f.column, f.rule_id)
        for f in report.findings
        if rule_ids is None or f.rule_id in rule_ids
    }


@pytest.fixture
def customers_file(tmp_path):
    wb = workbook("customers")
    sheet = wb.sheet("customers")
    good = _blank(sheet) | dict(
        customer_id="CU0001", name="宏達精密工業股份有限公司", contact_name="陳志明",
        phone="02-2345-6789", email="chen@hongda.com.tw", industry="manufacturing",
        company_size="medium", business_needs="導入 ERP", budget=Decimal("1200000"),
        channel="seo", tier="A", status="active", account_manager="王小明",
        first_contact_date=dt.date(2026, 1, 5),
    )  # fmt: skip
    rows = [
        good,
        good | dict(customer_id="CU0002", phone="0912345678", budget="NT$ 1,200,000"),
        good | dict(customer_id="CU0003", email="not-an-email", tier="Z"),
        good | dict(customer_id="CU0004", first_contact_date="115/03/05", budget=-5),
        good | dict(customer_id="cu0001", phone=None),
    ]
    return write_workbook(wb, tmp_path / "customers.xlsx", rows={"customers": rows})


def test_field_findings_land_on_their_cells(customers_file):
    report = validate_paths([customers_file], load_config(), as_of=AS_OF)
    found = _tuples(report)
    assert ("customers", 4, "email", "email-format") in found
    assert ("customers", 4, "tier", "enum") in found
    assert ("customers", 5, "budget", "range") in found
    assert ("customers", 6, "customer_id", "duplicate") in found
    # A blank phone is a §5.2 completeness finding (the policy rule owns that check).
    assert ("customers", 6, "phone", "P5.2-complete") in found
    # Lenient reads are info findings that say what was assumed.
    assert ("customers", 3, "budget", "assumed") in found
    assert ("customers", 5, "first_contact_date", "assumed") in found
    cells = {(f.row, f.column): f.cell for f in report.findings}
    assert cells[(4, "email")] == "F4"
    assert report.exit_code == 1


def test_typed_values_fast_and_slow_paths_agree(customers_file):
    from mops.validation.cells import type_sheet
    from mops.validation.registry import RULES, load_rules
    from mops.workbook.frames import read_frames

    load_rules()
    frame = read_frames(customers_file).sheets["customers"]
    typed = type_sheet(frame, lambda r: True, lambda r: RULES[r].severity, lambda f: None).frame
    assert typed.schema["budget"] == pl.Decimal(38, 10)
    assert typed.schema["first_contact_date"] == pl.Date
    budgets = typed.get_column("budget").to_list()
    assert budgets[0] == budgets[1] == Decimal("1200000")  # a number cell, and NT$ text
    dates = typed.get_column("first_contact_date").to_list()
    assert dates[0] == dt.date(2026, 1, 5)
    assert dates[3] == dt.date(2026, 3, 5)  # 民國 115/03/05
    assert typed.get_column("tier").to_list()[:2] == ["A", "A"]  # enum label → option key
    assert typed.get_column("tier").to_list()[2] is None  # "Z" is not an option


def test_messages_in_both_languages(customers_file):
    report = validate_paths([customers_file], load_config(), as_of=AS_OF)
    email = next(f for f in report.findings if f.rule_id == "email-format")
    assert "not-an-email" in email.message("zh-TW")
    assert "not-an-email" in email.message("en")
    assert email.message("zh-TW") != email.message("en")


def test_rules_switch_off_and_change_severity(customers_file):
    config = load_config(
        overrides={"rules": {"email-format": {"enabled": False}, "enum": {"severity": "warning"}}}
    )
    report = validate_paths([customers_file], config, as_of=AS_OF)
    assert not any(f.rule_id == "email-format" for f in report.findings)
    assert {str(f.severity) for f in report.findings if f.rule_id == "enum"} == {"warning"}


def test_formula_without_value_is_reported_not_blank(tmp_path):
    from conftest import REPO

    path = REPO / "tests" / "data" / "bad" / "formula-no-value.xlsx"
    report = validate_paths([path], load_config(), as_of=AS_OF)
    amount = [f for f in report.findings if f.column == "amount"]
    assert [f.rule_id for f in amount] == ["formula"]


def test_blank_rows_and_title_rows_keep_row_numbers(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "費用申請"
    ws["A1"] = "2026 年 3 月費用申請"
    ws.append([])
    ws.append([c.zh for c in workbook("expenses").sheet("claims").columns])
    ws.append(["EX1", "王小明", dt.date(2026, 3, 1), dt.date(2026, 3, 2)])
    ws.append([])
    ws.append(["EX2", "王小明", dt.date(2026, 3, 1), "下週"])
    path = tmp_path / "claims.xlsx"
    book.save(path)
    report = validate_paths([path], load_config(), as_of=AS_OF)
    claim_date = [f for f in report.findings if f.column == "claim_date"]
    assert [(f.row, f.cell, f.rule_id) for f in claim_date] == [(6, "D6", "type")]


TRICKY_EMAILS = [
    "chen@hongda.com.tw", "a.b+c@x-y.com", "x@y.com,tw", "a..b@x.com", "a@-x.com", "a@x-.com",
    "a@x.c", "a@x", "a b@x.com", "@x.com", "a@@x.com", "a@x..com", ".a@x.com", "a.@x.com",
    "王@x.com", "a@x.com.", "A_B%C@SUB.EXAMPLE.ORG",
]  # fmt: skip
TRICKY_PHONES = [
    "02-2345-6789", "02-2345-678", "03-123-4567", "03-1234-5678", "049-234-5678",
    "049-2345-6789", "0912-345-678", "0912-345-6789", "0912345678", "0223456789",
    "070-1234-5678", "089-123-456", "08-123-4567", "02-123-4567", "0223456789#12",
]  # fmt: skip


@pytest.mark.parametrize(
    ("column_type", "values"), [("email", TRICKY_EMAILS), ("phone", TRICKY_PHONES)]
)
def test_fast_path_accepts_only_what_the_parser_accepts(column_type, values):
    from mops.parsing import parse_cell
    from mops.schemas.model import ColType, col
    from mops.validation.cells import _fast

    column = col("x", "x", "x", ColType(column_type))
    _value, ok = _fast(column, pl.col("x"))
    fast_ok = pl.DataFrame({"x": values}).select(ok).to_series().to_list()
    for raw, accepted in zip(values, fast_ok, strict=True):
        if accepted:
            parsed = parse_cell(column, raw)
            assert parsed.problem is None, (raw, parsed.problem)
            assert parsed.assumed is None, (raw, parsed.assumed)


def test_progress_counts_every_step_to_its_total(customers_file):
    steps: list[tuple[int, int]] = []
    said: list[str] = []
    validate_paths(
        [customers_file], load_config(), as_of=AS_OF, progress=said.append,
        advance=lambda done, total: steps.append((done, total)),
    )  # fmt: skip
    assert [d for d, _ in steps] == list(range(1, len(steps) + 1))
    assert steps[-1][0] == steps[-1][1]  # the bar ends full
    assert str(customers_file) in said and "P5.3-cadence" in said
