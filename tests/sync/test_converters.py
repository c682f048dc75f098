"""The converters stay pure: importing them reads no file and loads no Odoo or workbook code."""

from __future__ import annotations

import subprocess
import sys

from mops.syncing.converters import PARAMETRIC, SIMPLE, converter

IMPURE = ("fastexcel", "odoorpc", "mops.workbook", "mops.odoo")  # files, Odoo, the network


def test_importing_the_converters_loads_nothing_that_touches_files_or_odoo():
    probe = (
        "import sys, mops.syncing.converters; "
        f"print(sorted(m for m in sys.modules if m.startswith({IMPURE!r})))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    assert loaded == "[]"


def test_every_registered_name_builds_its_converter():
    for name in SIMPLE:
        assert converter(name).name == name
    for name in PARAMETRIC:
        built = converter(f"{name}:a=customer" if name.startswith("thread") else f"{name}:x")
        assert built.name in (name, "thread")
