"""Shared fixtures: paths of the repository and a runner for the real ``mops`` command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
WORKBOOKS_DIR = REPO / "workbooks"
# Retries of Odoo calls do not really wait in the commands the tests run (mops.odoo.client reads
# this variable; tests/odoo/test_backoff.py checks the production waits).
NO_BACKOFF = {"MOPS_ODOO_RETRY_BACKOFF_SECONDS": "0"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Tests that run LibreOffice go to one pytest-xdist worker (``--dist loadgroup``), where
    they share one profile and the session's printed workbooks (``printed``)."""
    from libreoffice import GROUP

    for item in items:
        if item.get_closest_marker("libreoffice"):
            item.add_marker(pytest.mark.xdist_group(GROUP))


def run_mops(*args: str, cwd: Path | None = None, env: dict | None = None):
    """Run the installed ``mops`` command as a user would, in a subprocess."""
    # A developer's own MOPS_CONFIG must not change what the tests see.
    full_env = {k: v for k, v in os.environ.items() if k != "MOPS_CONFIG"}
    full_env.update(NO_BACKOFF)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "mops", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def mops():
    """The real CLI, as a function returning the CompletedProcess."""
    return run_mops


@pytest.fixture(scope="session")
def printed(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """The committed workbooks of both languages, and the demo's follow-up log (3,000 rows),
    printed to PDF by one LibreOffice run: name (``zh-TW-customers``, ``en-staff``,
    ``demo-customers``) → (the .xlsx printed, its PDF). Shared by the print and rendering tests.

    The demo's log is written alone into the customers workbook (its other sheets blank): the
    tests read its pages only, and printing the other 3,300 demo rows would triple the cost.
    """
    from mops.demodata import generate_demo
    from mops.schemas.registry import WORKBOOKS, workbook
    from mops.workbook.writer import write_workbook

    from libreoffice import convert

    root = tmp_path_factory.mktemp("printed")
    inputs = root / "in"
    inputs.mkdir()
    for wb in WORKBOOKS:
        shutil.copyfile(WORKBOOKS_DIR / wb.filename, inputs / f"zh-TW-{wb.key}.xlsx")
        shutil.copyfile(WORKBOOKS_DIR / "en" / wb.filename, inputs / f"en-{wb.key}.xlsx")
    demo = generate_demo()
    write_workbook(
        workbook("customers"),
        inputs / "demo-customers.xlsx",
        rows={"followup_log": demo.rows["customers"]["followup_log"]},
        people=demo.people(),
    )
    convert(sorted(inputs.iterdir()), "pdf", root / "pdf")
    return {p.stem: (p, root / "pdf" / f"{p.stem}.pdf") for p in sorted(inputs.iterdir())}
