"""Shared fixtures: paths of the repository and a runner for the real ``mops`` command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
WORKBOOKS_DIR = REPO / "workbooks"
# Retries of Odoo calls do not really wait in the commands the tests run (mops.odoo.client reads
# this variable; tests/odoo/test_backoff.py checks the production waits).
NO_BACKOFF = {"MOPS_ODOO_RETRY_BACKOFF_SECONDS": "0"}


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
