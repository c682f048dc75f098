"""mops nightly: the pipeline, its journal, the run lock, and faults on the night."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import openpyxl
import pytest

import mops
from mops.config import load_config
from mops.jobs.journal import nightly_runs
from mops.jobs.nightly import NightlyBusy

from conftest import REPO

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")

AS_OF = "2026-11-26"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _no_odoo_env(monkeypatch) -> None:
    for name in ("MOPS_ODOO_URL", "MOPS_ODOO_DATABASE", "MOPS_ODOO_LOGIN", "MOPS_CONFIG"):
        monkeypatch.delenv(name, raising=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _plant_error(books) -> str:
    """Give the first customer a tax id that is not 8 digits; that customer's id."""
    row = books.rows["customers"][0]
    row["tax_id"] = "1234-5678"
    books.write()
    return row["customer_id"]


def test_without_odoo_the_sync_is_skipped_in_one_line_and_the_rest_runs(mops, make_books, tmp_path):
    books = make_books(4)
    _plant_error(books)
    env = {"COLUMNS": "200", "MOPS_ODOO_URL": ""}
    done = mops("--lang", "en", "nightly", str(books.folder), "--as-of", AS_OF, cwd=tmp_path,
                env=env)  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr  # the planted error
    assert "Traceback" not in done.stderr
    skipped = [line for line in done.stdout.splitlines() if "Sync with Odoo skipped" in line]
    assert len(skipped) == 1 and "odoo.url" in skipped[0]
    summary = next(books.folder.glob("reports/09-summary-*.html"))
    assert "Sync with Odoo" in summary.read_text(encoding="utf-8")
    # The findings were written back into the workbook that has them.
    customers = openpyxl.load_workbook(books.paths[0], read_only=True)
    assert "Findings" in customers.sheetnames
    history = nightly_runs(books.folder)
    (run,) = history.runs
    assert [s.step for s in run.steps] == ["validate", "sync", "reconcile", "reports", "mail"]
    assert [s.status for s in run.steps] == ["attention", "skipped", "ok", "ok", "skipped"]
    assert run.steps[0].counts["errors"] >= 1
    assert run.exit_code == done.returncode and run.finished
    listed = mops("--lang", "en", "runs", str(books.folder), cwd=tmp_path, env=env)
    assert listed.returncode == 0, listed.stderr
    assert "Run 1 (nightly)" in listed.stdout and "Write the reports: done" in listed.stdout


def test_a_workbook_open_in_excel_or_unreadable_is_left_out_and_named(
    make_books, tmp_path, monkeypatch
):
    _no_odoo_env(monkeypatch)
    books = make_books(3)
    _plant_error(books)
    customers, staff = books.paths
    (books.folder / f"~${staff.name}").write_bytes(b"owner")
    broken = books.folder / "marketing-plan.xlsx"
    broken.write_bytes(b"this is not a workbook")
    before = {p: _digest(p) for p in (staff, broken)}
    run = mops.nightly([books.folder], as_of=None, config=load_config().updated("odoo", url=""))
    named = dict(run.skipped)
    assert set(named) == {str(staff), str(broken)}
    assert "Excel" in named[str(staff)] or "Excel" in str(named)
    assert run.files == [customers]
    assert {p: _digest(p) for p in (staff, broken)} == before  # left as they were
    assert "檢核結果" in openpyxl.load_workbook(customers, read_only=True).sheetnames
    assert run.exit_code == 1  # done, with workbooks left out
    (journaled,) = nightly_runs(books.folder).runs
    assert {f for f, _ in journaled.skipped} == {str(staff), str(broken)}


def test_nothing_found_is_exit_2(mops, tmp_path):
    (tmp_path / "empty").mkdir()
    done = mops("--lang", "en", "nightly", str(tmp_path / "empty"), cwd=tmp_path)
    assert done.returncode == 2 and "No workbook found" in done.stderr
    assert "Traceback" not in done.stderr


HOLDER = textwrap.dedent(
    """
    import sys, time
    from mops.syncing import runlock
    with runlock.hold(sys.argv[1]):
        print("held", flush=True)
        time.sleep(60)
    """
)


def _hold_in_another_process(state: Path) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(state)],
        stdout=subprocess.PIPE,
        text=True,
        env={"PYTHONPATH": str(REPO / "src")},
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_second_run_while_one_holds_the_folder_says_so_and_does_nothing(make_books, monkeypatch):
    _no_odoo_env(monkeypatch)
    books = make_books(2)
    before = {p: _digest(p) for p in books.paths}
    holder = _hold_in_another_process(books.folder / ".mops-sync.sqlite")
    try:
        with pytest.raises(NightlyBusy) as caught:
            mops.nightly([books.folder], config=load_config().updated("odoo", url=""))
        assert caught.value.exit_code == 4
    finally:
        holder.kill()
        holder.wait()
    assert {p: _digest(p) for p in books.paths} == before
    # The holder died without letting go: the system released its lock, the next run works.
    run = mops.nightly([books.folder], config=load_config().updated("odoo", url=""))
    assert run.step("reports").status == "ok"


def test_two_nightly_commands_started_together_one_runs_the_other_exits_4(make_books, tmp_path):
    books = make_books(2)
    env = {"PYTHONPATH": str(REPO / "src"), "MOPS_ODOO_URL": "", "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-m", "mops", "--lang", "en", "nightly", str(books.folder)]
    procs = [
        subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]  # fmt: skip
    results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    codes = sorted(code for code, _, _ in results)
    assert codes[1] == 4 and codes[0] in (0, 1), results
    busy = next(err for code, _, err in results if code == 4)
    assert "Another run" in busy and "Traceback" not in busy
    assert len(nightly_runs(books.folder).runs) == 1


def test_a_manual_sync_is_refused_while_the_night_holds_the_folder(odoo, make_books, monkeypatch):
    books = make_books(2)
    monkeypatch.setenv("MOPS_ODOO_PASSWORD", odoo.password)
    holder = _hold_in_another_process(books.folder / ".mops-sync.sqlite")
    try:
        with pytest.raises(mops.MopsError, match="another mops sync is running"):
            mops.sync(books.paths, config=odoo.config())
    finally:
        holder.kill()
        holder.wait()
    assert not odoo.server.calls_to(method="create")


def test_with_odoo_the_night_syncs_and_the_next_night_writes_nothing(odoo, make_books, monkeypatch):
    books = make_books(5)
    _plant_error(books)
    monkeypatch.setenv("MOPS_ODOO_PASSWORD", odoo.password)
    first = mops.nightly([books.folder], config=odoo.config())
    sync = first.step("sync")
    assert sync.status == "attention", sync.message
    assert sync.counts["created"] > 0 and sync.counts["skipped_rows"] >= 1
    assert first.step("reconcile").message == ""  # read from Odoo, not offline
    creates = len(odoo.server.calls_to(method="create"))
    second = mops.nightly([books.folder], config=odoo.config())
    assert second.step("sync").counts.get("created", 0) == 0
    assert second.step("sync").counts.get("updated", 0) == 0
    assert len(odoo.server.calls_to(method="create")) == creates
    assert [r.run_id for r in nightly_runs(books.folder).runs] == [2, 1]


def test_a_night_with_nothing_changed_leaves_every_workbook_byte_for_byte(
    odoo, demo, make_books, monkeypatch
):
    from sync.helpers import claims_for, others_for, sales_for

    books = make_books(3)
    _plant_error(books)
    books.others = {
        **others_for(demo, books.rows, campaigns=2),
        "sales": sales_for(demo, books.rows),
    }
    books.others["expenses"] = claims_for(demo, books.others["marketing_plan"]["campaigns"])
    budget = demo.rows["expenses"]["expense_budget"][:4]
    books.others["expenses"]["expense_budget"] = [dict(r) for r in budget]
    books.write()
    monkeypatch.setenv("MOPS_ODOO_PASSWORD", odoo.password)
    day = dt.date.fromisoformat(AS_OF)
    first = mops.nightly([books.folder], as_of=day, config=odoo.config())
    recon = first.step("reconcile")
    assert recon.message == "" and recon.counts["written"] >= 2  # read from Odoo, written
    sheets = openpyxl.load_workbook(books.folder / "sales.xlsx", read_only=True).sheetnames
    assert {"檢核結果", "對帳結果"} <= set(sheets)  # both owners' sheets, the summary's Odoo line
    before = {p.name: _digest(p) for p in books.folder.glob("*.xlsx")}
    backups = set((books.folder / ".mops-backups").iterdir())
    second = mops.nightly([books.folder], as_of=day, config=odoo.config())
    assert [s.status for s in second.steps] == [s.status for s in first.steps]
    assert {p.name: _digest(p) for p in books.folder.glob("*.xlsx")} == before
    assert set((books.folder / ".mops-backups").iterdir()) == backups  # nothing written


def test_odoo_down_fails_the_sync_step_the_rest_runs_and_the_next_night_completes(
    odoo, make_books, monkeypatch
):
    books = make_books(3)
    monkeypatch.setenv("MOPS_ODOO_PASSWORD", odoo.password)
    down = odoo.config().updated(
        "odoo", url=f"http://127.0.0.1:{_free_port()}", retry_backoff_seconds=0.0
    )
    before = {p: _digest(p) for p in books.paths}
    night = mops.nightly([books.folder], config=down)
    assert night.exit_code == 11
    assert {p: _digest(p) for p in books.paths} == before  # untouched until a run completes
    assert night.step("sync").status == "failed" and night.step("sync").message
    assert night.step("reconcile").status != "failed"  # from the workbooks alone
    assert night.step("reports").status == "ok"
    assert not odoo.server.calls_to(method="create")
    started = time.perf_counter()
    again = mops.nightly([books.folder], config=odoo.config())
    assert again.exit_code in (0, 1), [(s.step, s.status, s.message) for s in again.steps]
    assert again.step("sync").counts.get("created", 0) > 0
    assert time.perf_counter() - started < 120


def test_sigterm_in_the_middle_of_a_sync_then_the_next_run_completes_without_duplicates(
    odoo, make_books, tmp_path, monkeypatch
):
    from sync.helpers import count_by_key

    monkeypatch.setenv("MOPS_ODOO_PASSWORD", odoo.password)
    books = make_books(6)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("MOPS_")},
        "PYTHONPATH": str(REPO / "src"),
        "MOPS_ODOO_URL": odoo.settings.url,
        "MOPS_ODOO_DATABASE": odoo.settings.database,
        "MOPS_ODOO_LOGIN": odoo.settings.login,
        "MOPS_ODOO_PASSWORD": odoo.password,
    }
    odoo.server.latency = 0.1  # a sync slow enough to be stopped in its middle
    night = subprocess.Popen(
        [sys.executable, "-m", "mops", "nightly", str(books.folder)],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 300  # a loaded machine is slow to start the process
    while not odoo.server.calls_to(method="create"):
        assert night.poll() is None, night.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    night.send_signal(signal.SIGTERM)
    night.wait(timeout=60)
    odoo.server.latency = 0.0
    assert night.returncode != 0
    (killed,) = nightly_runs(books.folder).runs
    assert killed.finished is None  # the journal shows a run that did not end
    again = mops.nightly([books.folder], config=odoo.config())
    assert again.step("sync").status in ("ok", "attention"), again.step("sync").message
    assert set(count_by_key(odoo.client()).values()) == {1}  # nothing created twice
    third = mops.nightly([books.folder], config=odoo.config())
    assert not third.step("sync").counts.get("created") and not third.step("sync").counts.get(
        "updated"
    )
