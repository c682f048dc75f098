"""The real ``mops`` command, run in a subprocess as a user would."""

from __future__ import annotations

import openpyxl
import pytest

from mops.schemas.registry import WORKBOOKS

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")


def test_workbooks_new_writes_the_suite(mops, tmp_path):
    result = mops("workbooks", "new", "--out", str(tmp_path / "wb"))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "wb").iterdir())
    assert names == sorted(wb.filename for wb in WORKBOOKS)
    assert "已寫入 6 本活頁簿" in result.stdout


def test_workbooks_new_in_english(mops, tmp_path):
    result = mops("--lang", "en", "workbooks", "new", "--lang", "en", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Wrote 6 workbooks" in result.stdout
    book = openpyxl.load_workbook(tmp_path / "customers.xlsx")
    assert book.sheetnames[:2] == ["Guide", "Customers"]


def test_workbooks_new_never_overwrites_work_without_force(mops, tmp_path):
    target = tmp_path / "customers.xlsx"
    target.write_bytes(b"a filled workbook")
    result = mops("workbooks", "new", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "customers.xlsx" in result.stderr and "--force" in result.stderr
    assert target.read_bytes() == b"a filled workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["customers.xlsx"]
    forced = mops("workbooks", "new", "--out", str(tmp_path), "--force")
    assert forced.returncode == 0, forced.stderr
    assert target.read_bytes()[:2] == b"PK"


def test_unknown_setting_in_config_is_a_clear_error(mops, tmp_path):
    (tmp_path / "mops.toml").write_text("[expenses]\noverspend_warm = 0.8\n", encoding="utf-8")
    result = mops("workbooks", "list", cwd=tmp_path)
    assert result.returncode == 2
    assert "expenses.overspend_warm" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_shows_examples(mops):
    for args in (["--help"], ["workbooks", "new", "--help"], ["demo", "--help"]):
        result = mops(*args)
        assert result.returncode == 0, result.stderr
        assert "mops " in result.stdout and "Example" in result.stdout
