"""The deployment files: the wrapper scripts really run the job; the unit, timer, cron line
and Task Scheduler definition call them at 02:00 Taipei time."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
from defusedxml import ElementTree

from mops.jobs.journal import nightly_runs

from conftest import REPO

SCHEDULER = REPO / "integrations" / "scheduler"
SCRIPTS = REPO / "scripts"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOPS_")}
    return {**env, "PYTHONPATH": str(REPO / "src"), "MOPS_ODOO_URL": "", **extra}


def test_the_nightly_script_runs_the_job_and_journals_it(make_books):
    books = make_books(2)
    done = subprocess.run(
        [str(SCRIPTS / "mops-nightly.sh")],
        env=_env(MOPS_WORKBOOKS=str(books.folder), MOPS_BIN=f"{sys.executable} -m mops"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode in (0, 1), done.stderr
    (run,) = nightly_runs(books.folder).runs
    assert run.exit_code == done.returncode
    assert [s.status for s in run.steps if s.step == "reports"] == ["ok"]


def test_the_scripts_refuse_to_run_without_the_folder():
    done = subprocess.run(
        [str(SCRIPTS / "mops-nightly.sh")], env=_env(), capture_output=True, text=True
    )
    assert done.returncode != 0 and "MOPS_WORKBOOKS" in done.stderr


def _unit(name: str) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for line in (SCHEDULER / name).read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            values.setdefault(key, []).append(value)
    return values


def test_the_systemd_units_call_the_scripts_and_the_timer_fires_at_2am_taipei():
    for unit, script in (("mops-schedule.service", "mops-schedule.sh"),
                         ("mops-nightly.service", "mops-nightly.sh")):  # fmt: skip
        assert _unit(unit)["ExecStart"][0].endswith(f"/scripts/{script}")
        assert (SCRIPTS / script).stat().st_mode & 0o111
    timer = _unit("mops-nightly.timer")
    assert timer["Persistent"] == ["true"]  # a night missed while off is run at boot
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    shown = subprocess.run(
        [analyze, "calendar", timer["OnCalendar"][0]], capture_output=True, text=True
    )
    assert shown.returncode == 0, shown.stderr
    assert re.search(r"\d\d:00:00 ", shown.stdout)
    assert "Asia/Taipei" in shown.stdout or "CST" in shown.stdout


def test_the_cron_line_runs_the_script_at_2am_in_the_firms_zone():
    lines = [
        line
        for line in (SCHEDULER / "mops-nightly.cron").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert "CRON_TZ=Asia/Taipei" in lines
    (job,) = [line for line in lines if "=" not in line.split()[0]]
    minute, hour, *_rest = job.split()
    assert (minute, hour) == ("0", "2") and "/scripts/mops-nightly.sh" in job


def test_the_task_scheduler_definition_runs_the_cmd_daily_at_2am():
    ns = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}
    root = ElementTree.parse(SCHEDULER / "mops-nightly.xml").getroot()
    assert root.find(".//t:StartBoundary", ns).text.endswith("T02:00:00")
    assert root.find(".//t:DaysInterval", ns).text == "1"
    assert root.find(".//t:MultipleInstancesPolicy", ns).text == "IgnoreNew"
    assert root.find(".//t:StartWhenAvailable", ns).text == "true"  # a night missed is run
    command = root.find(".//t:Command", ns).text
    assert command.endswith("mops-nightly.cmd") and (SCRIPTS / "mops-nightly.cmd").is_file()
