"""``mops validate`` as a user runs it: exit codes, JSON, bad input, no tracebacks."""

from __future__ import annotations

import json

import pytest

from mops.schemas.registry import workbook
from mops.workbook.writer import write_workbook

from conftest import REPO

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")

BAD = REPO / "tests" / "data" / "bad"
UNREADABLE = [
    "empty.xlsx", "corrupt.xlsx", "claims.csv", "truncated.xlsx", "zip-of-text.xlsx",
    "old.xls", "claims.ods", "password.xlsx", "zip-bomb.xlsx", "lying-size.xlsx",
    "billion-laughs.xlsx", "xxe.xlsx", "million-rows.xlsx", "empty-sheet.xlsx",
]  # fmt: skip


def test_clean_blank_workbook_exits_zero(mops, tmp_path):
    path = write_workbook(workbook("sales"), tmp_path / "sales.xlsx")
    result = mops("validate", str(path), "--as-of", "2026-11-26")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "沒有發現問題" in result.stdout


@pytest.mark.parametrize("name", UNREADABLE)
def test_unreadable_input_exits_two_with_one_clear_line(mops, name):
    path = BAD / name
    before = path.read_bytes()
    result = mops("validate", str(path), "--as-of", "2026-11-26")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert name in result.stdout
    assert path.read_bytes() == before


def test_missing_column_exits_two(mops):
    result = mops("validate", str(BAD / "missing-column.xlsx"), "--format", "json")
    assert result.returncode == 2
    document = json.loads(result.stdout)
    assert any(
        f["rule_id"] == "missing-column" and f["column"] == "claimant" for f in document["findings"]
    )


def test_json_output_follows_the_documented_schema(mops, tmp_path):
    wb = workbook("customers")
    row = {c.key: None for c in wb.sheet("contacts").columns}
    row.update(contact_id="P1", customer_id="CU1", name="陳先生", email="bad@")
    path = write_workbook(wb, tmp_path / "c.xlsx", rows={"contacts": [row]})
    result = mops(
        "validate", str(path), "--format", "json", "--lang", "en", "--as-of", "2026-11-26"
    )
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["schema"] == "mops.findings/1"
    assert document["language"] == "en"
    assert document["as_of"] == "2026-11-26"
    assert document["exit_code"] == 1
    (finding,) = [f for f in document["findings"] if f["rule_id"] == "email-format"]
    assert set(finding) == {
        "rule_id", "severity", "file", "sheet", "tab", "row", "column", "cell", "label",
        "value", "message", "owner",
    }  # fmt: skip
    assert finding["cell"] == "F2" and finding["tab"] == "聯絡人"
    # Its customer CU1, whose account manager would answer for it, is not in the workbook.
    assert finding["owner"] is None
    assert document["summary"]["by_rule"]["email-format"] == {"error": 1}


def test_folder_skips_lock_files_and_backups(mops, tmp_path):
    write_workbook(workbook("sales"), tmp_path / "sales.xlsx")
    (tmp_path / "~$sales.xlsx").write_bytes(b"lock")
    (tmp_path / "sales.20261126-101500.bak.xlsx").write_bytes(b"old")
    (tmp_path / ".mops-backups").mkdir()
    write_workbook(workbook("sales"), tmp_path / ".mops-backups" / "sales.xlsx")
    result = mops("validate", str(tmp_path), "--format", "json")
    assert result.returncode == 0, result.stdout
    assert [p.rsplit("/", 1)[-1] for p in json.loads(result.stdout)["files"]] == ["sales.xlsx"]
