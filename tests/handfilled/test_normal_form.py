"""One normal form for ids, references and names: the same in Python and vectorised, and the cell
pass reads key cells in it, saying what it assumed."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import polars as pl
import pytest

import mops
from mops.parsing import parse_cell
from mops.parsing.keys import (
    MAY_NEED_NORMAL,
    normal_key,
    normal_key_expr,
    normal_text,
    normal_text_expr,
)
from mops.schemas.model import ColType, col
from mops.schemas.registry import workbook
from mops.validation.cells import _fast
from mops.workbook.writer import write_workbook

AS_OF = dt.date(2026, 11, 26)
SAMPLES = [
    "CU0009", "ＣＵ０００９", "cu 0009", " CU0009\u200b", "\ufeffCU0009", "MC2026-007",
    "ＭＣ２０２６－００７", "MC2026–007", "MC2026—007", "MC2026−007", "王小明", "王小明\u200b",
    "王 小明", "王\u3000小明", "Amy Chen", "Amy\u00a0Chen", "amy  chen", "AMY CHEN\u2060",
    "⼈事部", "ß", "a\u00adb", "㈱台灣", "x\ty", "", " ", "\u200b",
]  # fmt: skip


def _random_texts(n: int, seed: int = 9) -> list[str]:
    odd = ["\u200b", "\u00a0", "\u3000", "Ａ", "０", "－", "–", "\ufeff"]  # fmt: skip
    pieces = [*"AaZz09-_ .王陳", *odd]
    rnd = random.Random(seed)
    return ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 8))) for _ in range(n)]


def test_python_and_polars_give_the_same_normal_form():
    values = SAMPLES + _random_texts(500)
    frame = pl.DataFrame({"v": values})
    texts = frame.select(normal_text_expr(pl.col("v"))).to_series().to_list()
    keys = frame.select(normal_key_expr(pl.col("v"))).to_series().to_list()
    assert texts == [normal_text(v) for v in values]
    assert keys == [normal_key(v) for v in values]
    # the rules' cheap key of values already in normal form is the same key
    cheap = (
        pl.DataFrame({"v": texts})
        .select(normal_key_expr(pl.col("v"), normalised=True))
        .to_series()
        .to_list()
    )
    assert cheap == keys


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("ＣＵ０００９", "CU0009"),
        ("cu 0009", "CU0009"),
        ("ＭＣ２０２６－００７", "MC2026-007"),
        ("MC2026–007", "MC2026-007"),
        ("王小明\u200b", "王小明"),
        ("Amy\u00a0Chen", "AMYCHEN"),
        ("⼈事部", "人事部"),
    ],
)
def test_what_looks_the_same_has_the_same_key(typed, key):
    assert normal_key(typed) == key


def test_a_value_the_fast_path_leaves_alone_is_its_own_normal_form():
    values = SAMPLES + _random_texts(2000, seed=3)
    flagged = pl.DataFrame({"v": values}).select(pl.col("v").str.contains(MAY_NEED_NORMAL))
    for value, needs in zip(values, flagged.to_series().to_list(), strict=True):
        if not needs:
            assert normal_text(value) == value, repr(value)


@pytest.mark.parametrize(
    ("column_type", "values", "bounds"),
    [
        ("percent", ["0.3", "1", "0", "-0.5", "30", "1.5", "150", "-2", "0.0000000001"], (0, 1)),
        ("percent", ["0.3", "1.5", "30", "12"], (None, None)),
        ("ref", ["CU0001", "ＣＵ０００１", "CU 0001", "CU0001\u200b", "王小明", "a  b"], None),
        ("person", ["王小明", "王小明\u200b", "Amy\u00a0Chen", "Amy Chen", "⼈"], None),
    ],
)
def test_the_fast_path_accepts_only_what_the_parser_reads_as_is(column_type, values, bounds):
    extra = {}
    if column_type == "percent":
        extra = {"minimum": bounds[0], "maximum": bounds[1]}
    if column_type == "ref":
        extra = {"ref": "customers.customer_id"}
    column = col("x", "x", "x", ColType(column_type), **extra)
    value, ok = _fast(column, pl.col("x"))
    fast = pl.DataFrame({"x": values}).select(value.alias("v"), ok.alias("ok")).rows()
    for raw, (typed, accepted) in zip(values, fast, strict=True):
        if accepted:
            # a number cell reaches the parser as a number, text as text
            parsed = parse_cell(column, float(raw) if column_type == "percent" else raw)
            # the same value, nothing assumed (a bound the range check reports on either path)
            assert parsed.assumed is None, raw
            assert parsed.problem is None or parsed.problem.code.endswith("_minimum"), raw
            expected = Decimal(str(parsed.value)) if column_type == "percent" else parsed.value
            assert typed == expected, raw


def _customers_with_log(tmp_path, rows, log, roster):
    staff = workbook("staff")
    write_workbook(staff, tmp_path / "staff.xlsx", rows={"roster": roster})
    wb = workbook("customers")
    return write_workbook(
        wb, tmp_path / "customers.xlsx", rows={"customers": rows, "followup_log": log}
    )


def _person(eid: str, name: str) -> dict:
    return {
        "employee_id": eid, "name": name, "group": "sales", "role": "sales_rep",
        "email": f"{abs(hash(name)) % 10000}@x.com.tw", "hire_date": dt.date(2020, 1, 6),
        "active": True,
    }  # fmt: skip


def test_full_width_references_and_invisible_spaces_are_found_and_told(tmp_path):
    customer = {
        "customer_id": "CU0009", "name": "全球資訊", "contact_name": "李先生",
        "phone": "02-2345-6789", "email": "lee@global.com.tw", "industry": "it",
        "company_size": "small", "business_needs": "雲端", "budget": Decimal(900000),
        "channel": "seo", "tier": "D", "status": "active", "account_manager": "王佩珊",
    }  # fmt: skip
    log = {
        "log_id": "FL1", "date": dt.date(2026, 11, 20), "customer_id": "ＣＵ０００９",
        "method": "phone", "owner": "王佩珊", "content": "追蹤", "outcome": "neutral",
    }  # fmt: skip
    roster = [_person("E006", "王佩珊\u200b"), _person("E007", "吳建宏")]
    _customers_with_log(tmp_path, [customer], [log], roster)
    report = mops.validate(tmp_path, as_of=AS_OF)
    assert not [f for f in report.findings if f.severity != "info"]
    assumed = {(f.sheet, f.column): f for f in report.findings if f.rule_id == "assumed"}
    reference = assumed[("followup_log", "customer_id")]
    assert reference.value == "ＣＵ０００９"
    assert "CU0009" in reference.message_zh and "CU0009" in reference.message_en
    name = assumed[("roster", "name")]
    assert "U+200B" in name.message_en and "王佩珊" in name.message_zh


def test_a_cell_of_invisible_characters_only_is_blank(tmp_path):
    roster = [_person("E001", "王小明"), _person("\u200b", "陳志明")]
    staff = workbook("staff")
    write_workbook(staff, tmp_path / "staff.xlsx", rows={"roster": roster})
    report = mops.validate(tmp_path, as_of=AS_OF)
    required = [(f.row, f.column, f.rule_id) for f in report.findings if f.severity == "error"]
    assert required == [(3, "employee_id", "required")]


def test_the_same_person_with_an_invisible_space_approving_their_own_claim_is_found(tmp_path):
    claim = {
        "claim_id": "EX1", "claimant": "李家豪", "expense_date": dt.date(2026, 11, 3),
        "claim_date": dt.date(2026, 11, 4), "category": "sales", "item": "travel",
        "amount": Decimal(6000), "reason": "高鐵", "attachment_ref": "A1",
        "approver": "李家豪\u200b", "approval": "approved", "approval_date": dt.date(2026, 11, 5),
        "audit": "pending", "reimbursed": False,
    }  # fmt: skip
    write_workbook(workbook("expenses"), tmp_path / "expenses.xlsx", rows={"claims": [claim]})
    report = mops.validate(tmp_path, as_of=AS_OF)
    assert [(f.row, f.rule_id) for f in report.findings if f.rule_id == "P8.2-approver"] == [
        (2, "P8.2-approver")
    ]
