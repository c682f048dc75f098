"""The layers hold: the pure core imports no IO, the API is lazy, import-linter agrees."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("fastexcel", "xlsxwriter", "openpyxl", "odoorpc", "sqlite3", "click", "rich")


def _loaded_after(statement: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``statement``."""
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


@pytest.mark.parametrize(
    "module",
    ["mops.syncing.planner", "mops.syncing.policy", "mops.validation.rules", "mops.parsing"],
)
def test_the_core_loads_no_reader_writer_or_client(module):
    loaded = _loaded_after(f"import {module}")
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}
    assert not {m for m in loaded if m.startswith(("mops.workbook", "mops.odoo", "mops.cli"))}


def test_import_mops_is_light_and_the_api_resolves_on_use():
    loaded = _loaded_after("import mops")
    assert {m for m in loaded if m.startswith("mops")} == {"mops"}
    assert "polars" not in loaded
    loaded = _loaded_after("import mops; mops.validate; mops.sync; mops.Report")
    assert "mops.api" in loaded
    assert "fastexcel" not in loaded  # resolved lazily: nothing is read until called


def test_every_public_name_resolves():
    import mops

    for name in mops.__all__:
        assert getattr(mops, name) is not None, name
    with pytest.raises(AttributeError):
        mops.no_such_thing  # noqa: B018


def _lint_imports() -> str:
    """import-linter's command: beside the running Python (a venv not activated), else on PATH."""
    beside = Path(sys.executable).with_name("lint-imports")
    lint = str(beside) if beside.exists() else shutil.which("lint-imports")
    assert lint, "import-linter is a dev dependency"
    return lint


def test_the_import_contracts_hold():
    done = subprocess.run([_lint_imports()], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "0 broken" in done.stdout


def test_the_contracts_catch_a_rule_that_reads_files(tmp_path):
    # A copy of the package in which one rule module imports the reader: the contract breaks.
    root = Path(__file__).resolve().parents[1]
    shutil.copytree(root / "src" / "mops", tmp_path / "src" / "mops", symlinks=True)
    shutil.copy(root / "pyproject.toml", tmp_path / "pyproject.toml")
    common = tmp_path / "src" / "mops" / "validation" / "rules" / "common.py"
    common.write_text(
        common.read_text(encoding="utf-8") + "\nfrom mops.workbook import frames  # noqa\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src")}
    done = subprocess.run(
        [_lint_imports(), "--config", str(tmp_path / "pyproject.toml")],
        capture_output=True, text=True, cwd=tmp_path, env=env,
    )  # fmt: skip
    assert done.returncode != 0
    assert "mops.validation.rules.common -> mops.workbook.frames" in done.stdout


def test_api_functions_are_not_shadowed_by_subpackages():
    # Importing a subpackage binds its name on the parent: none may share a public API name.
    loaded = _loaded_after(
        "import mops, mops.syncing.run, mops.demodata.render, mops.validation.engine; "
        "assert callable(mops.sync) and callable(mops.demo) and callable(mops.validate)"
    )
    assert "mops.syncing.run" in loaded


def test_json_output_and_help_load_no_terminal_renderer(tmp_path):
    # rich costs a tenth of a second to import: a tool reading JSON, or a quick --help, need
    # not pay it (the bar on stderr is drawn on a terminal only).
    import mops

    paths = mops.new_workbooks(tmp_path, lang="zh-TW")
    code = (
        "import sys; from mops.cli.main import main; "
        f"main(['validate', {str(paths[0])!r}, '--format', 'json']); "
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.lstrip().startswith("{")  # the findings document was written
    loaded = set(done.stderr.split())
    assert "mops.validation.engine" in loaded
    assert not {m for m in loaded if m.split(".")[0] == "rich"}
    loaded = _loaded_after("from mops.cli.main import main; main(['--help'])")
    assert not {m for m in loaded if m.split(".")[0] == "rich"}
