"""The ``mops`` entry point ends the process without Python's teardown, and loses nothing by it:
the whole output, the command's exit code, and every other exit handler's work."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from mops.schemas.registry import workbook
from mops.workbook.writer import write_workbook

SCRIPT = textwrap.dedent(
    """
    import atexit, sys
    from pathlib import Path
    from mops.cli import entry

    sys.argv = ["mops", *sys.argv[1:]]
    code = entry.main()
    # Registered after the entry point's own: runs before it, as a library's would.
    atexit.register(lambda: Path("{marker}").write_text("ran"))
    sys.exit(code)
    """
)


def _run(tmp_path, *args: str) -> subprocess.CompletedProcess:
    script = tmp_path / "run.py"
    script.write_text(SCRIPT.format(marker=tmp_path / "marker"))
    # Output buffered as it is by default (this machine's PYTHONUNBUFFERED would hide a flush
    # left out).
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONUNBUFFERED", "MOPS_CONFIG")}
    return subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, timeout=120, env=env
    )


def test_the_output_the_exit_code_and_other_exit_handlers_survive_the_quick_end(tmp_path):
    wb = workbook("customers")
    row = {c.key: None for c in wb.sheet("contacts").columns}
    rows = [dict(row, contact_id=f"P{i}", customer_id="CU1", email="bad@") for i in range(300)]
    path = write_workbook(wb, tmp_path / "c.xlsx", rows={"contacts": rows})
    done = _run(tmp_path, "validate", str(path), "--format", "json", "--as-of", "2026-11-26")
    assert done.returncode == 1, done.stderr  # errors found
    document = json.loads(done.stdout)  # all of it, though larger than any buffer
    assert len(document["findings"]) >= 300
    assert (tmp_path / "marker").read_text() == "ran"


def test_a_command_that_fails_keeps_its_exit_code_and_the_other_exit_handlers(tmp_path):
    # Not a workbook at all, named .xlsx: a handled error, exit code 2, one line.
    (tmp_path / "x.xlsx").write_text("not a workbook")
    done = _run(tmp_path, "validate", str(tmp_path / "x.xlsx"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert (tmp_path / "marker").read_text() == "ran"
    # An unknown option: click's usage error and its exit code.
    (tmp_path / "marker").unlink()
    done = _run(tmp_path, "validate", "--no-such-option")
    assert done.returncode == 2 and "--no-such-option" in done.stderr
    assert (tmp_path / "marker").read_text() == "ran"
