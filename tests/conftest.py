"""Shared fixtures: paths of the repository and a runner for the real ``mops`` command."""

from __future__ import annotations

import compileall
import gc
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from live_lock import live_odoo

REPO = Path(__file__).resolve().parents[1]
WORKBOOKS_DIR = REPO / "workbooks"
# Retries of Odoo calls do not really wait in the commands the tests run (mops.odoo.client reads
# this variable; tests/odoo/test_backoff.py checks the production waits).
NO_BACKOFF = {"MOPS_ODOO_RETRY_BACKOFF_SECONDS": "0"}


# The files that took longest in a whole run (pytest --durations), heaviest first.
LONGEST = (
    "sync/test_crash.py", "sync/test_crash19.py", "test_cli_daily.py", "reports/test_browser.py",
    "test_print.py", "test_docs_api.py", "sync/test_sync.py", "excel/test_finance_workbook.py",
    "sync/test_demo_users.py",
)  # fmt: skip


def pytest_configure(config) -> None:
    """Compile mops's modules once, before the workers start. Where PYTHONDONTWRITEBYTECODE is
    set (as on the CI machine), Python never saves what it compiles, and every ``mops`` command a
    test runs compiled the whole package again (0.2 s of CPU each)."""
    if not hasattr(config, "workerinput"):  # the controller, not a pytest-xdist worker
        compileall.compile_dir(REPO / "src", quiet=1)
        _temporary_files_in_memory()
    # The tests build many objects that live long (test Odoo stores, their copies, the demo
    # year): Python's cycle collector, run every 700 allocations by default, went over them
    # again and again. Run less often, the crash tests take about 6 % less time.
    gc.set_threshold(100_000, 50, 100)


def _temporary_files_in_memory() -> None:
    """Temporary files (tmp_path, the workers' and the programs' they start) on the machine's
    memory file system when it has one and TMPDIR does not say otherwise.

    The tests write thousands of workbooks and state files, and SQLite syncs its journal to
    disk at every checkpoint: on this machine's disk the crash tests took a fifth longer. The
    workers, LibreOffice and Chromium inherit the variable; what is kept is what pytest keeps
    (the last runs, the failed tests' folders only: ``tmp_path_retention_policy``).
    """
    shm = Path("/dev/shm")
    if "TMPDIR" in os.environ or not shm.is_dir() or not os.access(shm, os.W_OK | os.X_OK):
        return
    os.environ["TMPDIR"] = str(shm)
    tempfile.tempdir = None  # computed again from TMPDIR


@pytest.hookimpl(tryfirst=True)  # before -m "not slow" deselects
def pytest_collection_modifyitems(config, items) -> None:
    """Every test that starts a real LibreOffice is slow too (seconds a start), so the quick
    loop leaves it out. The longest files first, then the other files holding slow tests, then
    the rest, each in its order: pytest-xdist hands out a file at a time in this order, so the
    long ones start early instead of ending the run on one worker while the other waits."""
    for item in items:
        if item.get_closest_marker("libreoffice") and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)
    here = Path(__file__).parent
    slow = {item.path for item in items if item.get_closest_marker("slow")}

    def rank(item) -> tuple[int, bool]:
        name = item.path.relative_to(here).as_posix() if item.path.is_relative_to(here) else ""
        first = LONGEST.index(name) if name in LONGEST else len(LONGEST)
        return first, item.path not in slow

    items.sort(key=rank)


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


@pytest.fixture(autouse=True)
def _live_odoo(request):
    """A live test holds the real Odoo servers shared, or alone when it takes apart what the
    setup made (marked ``alters_setup``)."""
    if request.node.get_closest_marker("odoo_live") is None:
        yield
        return
    with live_odoo(exclusive=request.node.get_closest_marker("alters_setup") is not None):
        yield


@pytest.fixture
def mops():
    """The real CLI, as a function returning the CompletedProcess."""
    return run_mops


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory) -> Path:
    """The demo workbooks as ``write_demo`` writes them, before any check or write-back
    (written once per test process: copy before changing)."""
    from mops.demodata import write_demo

    folder = tmp_path_factory.mktemp("demo")
    write_demo(folder)
    return folder


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """``mops --lang en demo books`` (the real command, once per test process): the folder
    it wrote, and what it printed."""
    root = tmp_path_factory.mktemp("mops-demo")
    done = run_mops("--lang", "en", "demo", "books", cwd=root)
    assert done.returncode == 0, done.stderr
    return root / "books", done


@pytest.fixture
def demo_copy(demo_run, tmp_path) -> Callable[[str], Path]:
    """``demo_copy(name)``: a copy of what ``mops demo`` wrote, as ``tmp_path / name`` (what a
    run of ``mops --lang en demo NAME`` in ``tmp_path`` leaves, without running it again)."""

    def copy(name: str) -> Path:
        shutil.copytree(demo_run[0], tmp_path / name)
        return tmp_path / name

    return copy
