"""docs/api.md and the README say what is true: their examples run, in order, as written."""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import mops

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 26)


def _blocks(path: Path, language: str) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.S | re.M)


def test_every_python_example_of_docs_api_runs(tmp_path, monkeypatch, capsys):
    blocks = _blocks(ROOT / "docs" / "api.md", "python")
    assert len(blocks) >= 6
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MOPS_CONFIG", raising=False)
    namespace: dict[str, object] = {}
    for number, code in enumerate(blocks, 1):
        try:
            exec(compile(code, f"docs/api.md example {number}", "exec"), namespace)
        except Exception as exc:  # the report names the example that failed
            pytest.fail(f"docs/api.md example {number} failed: {exc!r}\n{code}")
    assert (tmp_path / "demo" / "customers.xlsx").is_file()
    assert "planted mistakes found" in capsys.readouterr().out


def test_the_api_lists_every_public_name():
    documented = set(re.findall(r"`mops\.(\w+)`", (ROOT / "docs" / "api.md").read_text("utf-8")))
    functions = {n for n in mops.__all__ if n[0].islower() and not n.startswith("_")}
    assert functions <= documented, functions - documented


def _readme_commands() -> list[str]:
    """The mops commands of the README's shell examples that need no Odoo."""
    commands = []
    for block in _blocks(ROOT / "README.md", "sh"):
        for line in block.splitlines():
            line = line.split(" #")[0].strip()
            for part in line.split("&&"):
                part = part.strip()
                if part.startswith("mops ") and not re.search(r"\b(sync|odoo)\b", part):
                    commands.append(part)
    return commands


def test_the_readme_commands_run(tmp_path):
    commands = _readme_commands()
    assert "mops demo" in commands
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOPS_")}
    for command in commands:
        argv = shlex.split(command)
        done = subprocess.run(
            [sys.executable, "-m", "mops", *argv[1:]],
            capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300,
        )  # fmt: skip
        assert "Traceback" not in done.stderr, (command, done.stderr)
        assert done.returncode in (0, 1), (command, done.returncode, done.stderr)


def test_a_workbook_in_memory_gets_the_findings_of_the_same_file(demo_copy):
    # What an open Excel book hands over (values, as openpyxl reads them) is validated exactly
    # like the saved file: the same rules, rows and cells. The files: what mops demo wrote.
    folder = demo_copy("demo")
    names = ("customers.xlsx", "staff.xlsx", "expenses.xlsx")
    files = [folder / name for name in names]
    from_files = mops.validate(files, as_of=AS_OF)
    books = []
    for path in files:
        wb = openpyxl.load_workbook(path, data_only=True)
        sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}
        books.append(mops.read_workbook_values(str(path), sheets))
    from_memory = mops.validate_frames(books, as_of=AS_OF)

    def places(report):
        return sorted(
            (f.rule_id, f.file, f.tab, f.cell, f.row, str(f.value)) for f in report.findings
        )

    assert len(from_files.findings) > 20
    assert places(from_memory) == places(from_files)
