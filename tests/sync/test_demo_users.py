"""mops odoo demo-users: the demo's people as Odoo users, so a newcomer sees the whole sync."""

from __future__ import annotations

import pytest

from mops.workbook.frames import read_book

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")


def _config(tmp_path, url: str) -> dict[str, str]:
    (tmp_path / "mops.toml").write_text(
        f'[odoo]\nurl = "{url}"\ndatabase = "mops"\nlogin = "admin"\ntimeout_seconds = 5\n',
        encoding="utf-8",
    )
    return {"MOPS_ODOO_PASSWORD": "admin"}


def _roster_emails(folder) -> set[str]:
    roster = read_book(folder / "staff.xlsx").sheets["roster"]
    return {v["email"] for _, v in roster.rows() if v.get("email") and not v.get("leave_date")}


def test_demo_users_make_the_demo_sync_match_its_salespeople(
    mops, odoo_server, tmp_path, demo_copy
):
    # A fresh Odoo: set up by mops, with none of the demo roster's users.
    env = _config(tmp_path, odoo_server.url)
    assert mops("odoo", "setup", cwd=tmp_path, env=env).returncode == 0
    demo_copy("demo")  # mops --lang en demo demo
    before = mops("--lang", "en", "sync", "demo", "--dry-run", cwd=tmp_path, env=env)
    assert "has no Odoo user" in before.stdout
    emails = _roster_emails(tmp_path / "demo")
    done = mops("--lang", "en", "odoo", "demo-users", "demo", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert f"Created {len(emails)} demo user(s)" in done.stdout
    logins = {u["login"] for u in odoo_server.search_read("res.users", [], ["login"])}
    assert emails <= logins
    # Idempotent: a second run creates nobody.
    again = mops("--lang", "en", "odoo", "demo-users", "demo", cwd=tmp_path, env=env)
    assert again.returncode == 0 and "Created 0 demo user(s)" in again.stdout
    # The demo sync now finds every salesperson: no row waits for a missing user.
    plan = mops("--lang", "en", "sync", "demo", "--dry-run", cwd=tmp_path, env=env)
    assert plan.returncode in (0, 1), plan.stderr
    assert "has no Odoo user" not in plan.stdout


def test_demo_users_are_refused_on_a_database_with_real_people(mops, odoo, tmp_path, demo_copy):
    env = _config(tmp_path, odoo.settings.url)
    client = odoo.client()
    client.call("res.users", "create", [{"name": "Real Person", "login": "real@firm.com.tw"}])
    demo_copy("demo")  # mops --lang en demo demo
    before = len(odoo.server.search_read("res.users", [], ["id"]))
    done = mops("--lang", "en", "odoo", "demo-users", "demo", cwd=tmp_path, env=env)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "real@firm.com.tw" in done.stderr
    assert len(odoo.server.search_read("res.users", [], ["id"])) == before


def test_demo_users_need_a_folder_written_by_mops_demo(mops, odoo, tmp_path):
    env = _config(tmp_path, odoo.settings.url)
    assert mops("workbooks", "new", "--out", "blank", cwd=tmp_path).returncode == 0
    done = mops("--lang", "en", "odoo", "demo-users", "blank", cwd=tmp_path, env=env)
    assert done.returncode == 2 and "mops demo" in done.stderr
