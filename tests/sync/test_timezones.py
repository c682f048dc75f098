"""The machine's time zone changes nothing: the workbooks' date-times are the firm's wall time."""

from __future__ import annotations

import json

import pytest

from .helpers import others_for

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")

ZONES = ("UTC", "Asia/Taipei", "America/New_York")


def _plan_items(path) -> list:
    plan = json.loads(path.read_text(encoding="utf-8"))
    return sorted(json.dumps(item, sort_keys=True) for item in plan["items"])


def test_validate_and_sync_give_the_same_results_in_every_time_zone(
    mops, odoo, make_books, tmp_path, demo
):
    books = make_books(40)
    books.others = others_for(demo, books.rows)
    books.write()
    (tmp_path / "mops.toml").write_text(
        f'[odoo]\nurl = "{odoo.settings.url}"\ndatabase = "mops"\nlogin = "admin"\n',
        encoding="utf-8",
    )
    findings, plans = {}, {}
    for zone in ZONES:
        env = {"TZ": zone, "MOPS_ODOO_PASSWORD": "admin"}
        checked = mops(
            "validate", str(books.folder), "--as-of", "2026-11-26", "--format", "json",
            cwd=tmp_path, env=env,
        )  # fmt: skip
        assert checked.returncode in (0, 1), checked.stderr
        findings[zone] = json.loads(checked.stdout)["findings"]
        plan = tmp_path / f"plan-{zone.replace('/', '-')}.json"
        synced = mops(
            "sync", str(books.folder), "--dry-run", "--as-of", "2026-11-26",
            "--save-plan", str(plan), "--state", str(tmp_path / f"{zone[:3]}.sqlite"),
            cwd=tmp_path, env=env,
        )  # fmt: skip
        assert synced.returncode in (0, 1), synced.stderr
        plans[zone] = _plan_items(plan)
    assert findings["UTC"] == findings["Asia/Taipei"] == findings["America/New_York"]
    assert plans["UTC"] == plans["Asia/Taipei"] == plans["America/New_York"]
    # The tickets' reply deadlines (date-times) are among what would be sent to Odoo.
    assert any("date_deadline" in item for item in plans["UTC"])
