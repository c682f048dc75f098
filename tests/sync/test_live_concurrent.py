"""Two `mops sync` processes on two copies, at once, against each real Odoo in the environment:
no key twice (ODOO_URL … for Odoo 17; ODOO19_URL … ODOO19_API_KEY for Odoo 19)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys

import pytest

from mops.odoo.connect import connect

from .helpers import Books, count_by_key, others_for, provision, rename, settings_for, subset

pytestmark = pytest.mark.odoo_live
SERVERS = {
    "17": ("ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_PASSWORD"),
    "19": ("ODOO19_URL", "ODOO19_DB", "ODOO19_USER", "ODOO19_API_KEY"),
}


def _run(folder, env, *options):
    return subprocess.Popen(
        [sys.executable, "-m", "mops", "sync", "books", "--no-pull-back", *options],
        cwd=folder, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


@pytest.mark.parametrize("version", sorted(SERVERS))
def test_two_syncs_at_once_on_a_real_odoo_leave_every_key_once(version, demo, tmp_path):
    names = SERVERS[version]
    if not all(os.environ.get(v) for v in names):
        pytest.skip(f"set {', '.join(names)} for a real Odoo {version}")
    url, database, login, secret = (os.environ[v] for v in names)
    settings = settings_for(url.rstrip("/"), database, login)
    provision(connect(settings, secret), demo.sheet_rows("roster"))
    tag = secrets.token_hex(3).upper()
    books = Books(
        folder=tmp_path / "made",
        rows=rename(subset(demo.rows["customers"], 20), tag),
        staff={"roster": [dict(r) for r in demo.rows["staff"]["roster"]]},
        people=demo.people(),
    )
    books.others = others_for(demo, books.rows, campaigns=2)
    books.write()
    env = {
        "MOPS_ODOO_URL": settings.url,
        "MOPS_ODOO_DATABASE": database,
        "MOPS_ODOO_LOGIN": login,
        "MOPS_ODOO_PASSWORD": secret,
    }
    desks = [tmp_path / "alice", tmp_path / "bob"]
    for desk in desks:
        shutil.copytree(books.folder, desk / "books")
    runs = [_run(desk, env) for desk in desks]
    for run in runs:
        assert run.wait(timeout=900) in (0, 1), run.stderr.read()
    # Every record of these books (customers, contacts, leads, notes, next steps …: their ids
    # all carry the tag) is in Odoo exactly once.
    counts = count_by_key(connect(settings, secret))
    found = {k: n for k, n in counts.items() if f"L{tag}" in k}
    assert any(k.startswith("followup:") for k in found)
    assert found and set(found.values()) == {1}, {k: n for k, n in found.items() if n > 1}
    for desk in desks:
        again = _run(desk, env, "--dry-run", "--save-plan", "plan.json")
        assert again.wait(timeout=300) in (0, 1), again.stderr.read()
        items = json.loads((desk / "plan.json").read_text(encoding="utf-8"))["items"]
        assert not [i for i in items if i["action"] == "create"]
