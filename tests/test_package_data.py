"""The data mops ships (the Odoo mapping and provisioning spec) as importlib.resources finds it."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from importlib import resources

import pytest

from mops.odoo.provision import SPEC_PATH, load_spec
from mops.syncing.mapping import MAPPING_FILE, load_mapping

from conftest import REPO

ODOO_DATA = ("mapping.toml", "provisioning.toml")


def test_no_file_in_the_repository_is_a_symlink():
    # A link is a text file on a Windows checkout, and a linked folder inside src/mops was an
    # importable namespace; package data is real files under src/mops/data/.
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run(
        ["git", "ls-files", "-s"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    links = [line.split("\t", 1)[1] for line in listed.splitlines() if line.startswith("120000 ")]
    assert links == []


@pytest.mark.parametrize("name", ODOO_DATA)
def test_the_odoo_data_is_package_data(name):
    data = resources.files("mops") / "data" / "odoo" / name
    assert data.is_file()
    assert data.read_text(encoding="utf-8").startswith("# ")


def test_the_loaders_read_the_package_data():
    odoo = resources.files("mops") / "data" / "odoo"
    assert (odoo / "mapping.toml", odoo / "provisioning.toml") == (MAPPING_FILE, SPEC_PATH)
    assert {t.name for t in load_mapping().types} >= {"customer", "contact", "opportunity"}
    assert load_spec().fields and load_spec().records


def test_no_data_folder_is_an_importable_package():
    assert importlib.util.find_spec("mops.integrations") is None
    assert not (resources.files("mops") / "data" / "__init__.py").is_file()
