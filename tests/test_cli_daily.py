"""The command line as a person meets it every day, through the real `mops` command."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import openpyxl
import pytest

from mops.config import load_config
from mops.demodata import write_demo

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")


def test_the_command_the_demo_suggests_gives_the_demo_s_counts(mops, tmp_path, demo_run, demo_copy):
    demo = demo_run[1]  # mops --lang en demo books
    demo_copy("books")
    totals = re.search(r"(\d+) errors, (\d+) warnings, (\d+) info", demo.stdout)
    assert totals
    # The demo runs the nightly job: its Odoo steps skipped in one line, the findings written.
    assert demo.stdout.count("Sync with Odoo skipped") == 1
    assert "Findings" in openpyxl.load_workbook(tmp_path / "books" / "staff.xlsx").sheetnames
    suggested = re.search(r"the full list: (mops validate [^;]+);", demo.stdout)
    assert suggested and "--as-of 2026-11-26" in suggested.group(1)
    argv = shlex.split(suggested.group(1))[1:]
    checked = mops("--lang", "en", *argv, cwd=tmp_path)
    found = re.search(r"Errors: (\d+), warnings: (\d+), info: (\d+)", checked.stdout)
    assert found and found.groups() == totals.groups()


def test_write_back_says_what_it_wrote_and_a_rerun_that_nothing_changed(mops, tmp_path):
    write_demo(tmp_path / "books")  # mops demo would have written the findings already
    args = ("--lang", "en", "validate", "books/staff.xlsx", "--as-of", "2026-11-26")
    first = mops(*args, "--write-back", cwd=tmp_path)
    line = next(x for x in first.stdout.splitlines() if x.startswith("Written into"))
    assert "staff.xlsx" in line and "cells marked" in line and ".mops-backups" in line
    backup = line.rsplit("backed up as ", 1)[1].rstrip(".")
    assert Path(backup).is_file()
    again = mops(*args, "--write-back", cwd=tmp_path)
    assert "the same findings as last time; the file is unchanged" in again.stdout
    # With JSON on stdout, the write-back lines go to stderr: stdout stays one document.
    as_json = mops(*args, "--write-back", "--format", "json", cwd=tmp_path)
    assert as_json.stdout.lstrip().startswith("{") and "unchanged" in as_json.stderr


def test_the_demo_never_overwrites_workbooks_changed_since_without_force(mops, tmp_path, demo_copy):
    demo_copy("books")  # mops --lang en demo books
    assert mops("demo", "books", cwd=tmp_path).returncode == 0  # untouched: rewritten freely
    staff = tmp_path / "books" / "staff.xlsx"
    wb = openpyxl.load_workbook(staff)
    wb.worksheets[1]["B2"] = "someone's edit"
    wb.save(staff)
    refused = mops("--lang", "en", "demo", "books", cwd=tmp_path)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "staff.xlsx" in refused.stderr and "--force" in refused.stderr
    assert openpyxl.load_workbook(staff).worksheets[1]["B2"].value == "someone's edit"
    assert mops("demo", "books", "--force", cwd=tmp_path).returncode == 0


def test_lang_is_one_rule_on_every_subcommand(mops, tmp_path):
    made = mops("workbooks", "new", "--lang", "en", "--out", "wb", cwd=tmp_path)
    assert made.returncode == 0 and "Wrote 6 workbooks" in made.stdout
    assert "Customers" in openpyxl.load_workbook(tmp_path / "wb" / "customers.xlsx").sheetnames
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for argv in (("config", "show", "--lang", "en"), ("validate", "wb", "--lang", "en")):
        done = mops(*argv, cwd=tmp_path)
        assert not cjk.search(done.stdout + done.stderr), (argv, done.stdout[:300])
    listed = mops("workbooks", "list", "--lang", "en", cwd=tmp_path)
    assert "Workbook" in listed.stdout and "活頁簿" not in listed.stdout


def test_odoo_check_without_settings_is_exit_2_and_says_how_to_start(mops, tmp_path):
    done = mops("--lang", "en", "odoo", "check", cwd=tmp_path, env={"MOPS_ODOO_URL": ""})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "mops init" in done.stderr and "MOPS_ODOO_PASSWORD" in done.stderr
    helped = mops("odoo", "check", "--help", cwd=tmp_path)
    assert "2 when the Odoo settings are missing" in " ".join(helped.stdout.split())


def test_mops_init_writes_a_mops_toml_that_loads_and_is_not_overwritten(mops, tmp_path):
    done = mops("--lang", "en", "init", cwd=tmp_path)
    assert done.returncode == 0 and "MOPS_ODOO_PASSWORD" in done.stdout
    written = (tmp_path / "mops.toml").read_text(encoding="utf-8")
    assert "[odoo]" in written and "password" not in written.split("[odoo]")[1].split("\n")[1]
    config = load_config(tmp_path / "mops.toml", environ={})
    assert config.general.language == "en" and config.odoo.url == ""
    (tmp_path / "mops.toml").write_text(written + "\n# mine\n", encoding="utf-8")
    again = mops("init", cwd=tmp_path)
    assert again.returncode == 2 and "# mine" in (tmp_path / "mops.toml").read_text("utf-8")


def test_sync_help_lists_the_options_of_the_sync_itself(mops, tmp_path):
    helped = mops("sync", "--help", cwd=tmp_path).stdout
    for option in ("--dry-run", "--save-plan", "--plan", "--as-of", "--no-pull-back"):
        assert option in helped


def test_the_findings_table_has_a_severity_header_and_counts_read_well(mops, tmp_path, demo_copy):
    demo_copy("books")  # mops --lang en demo books
    done = mops(
        "--lang", "en", "validate", "books/staff.xlsx", "--as-of", "2026-11-26", cwd=tmp_path
    )
    assert "Severity" in done.stdout
    assert "Checked 1 file," in done.stdout and "1 files" not in done.stdout
