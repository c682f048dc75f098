"""Two writers, one Odoo: the lease in Odoo makes the second wait, so no key is created twice."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from mops.syncing.lease import Lease, LeaseBusy

from .helpers import count_by_key, others_for
from conftest import NO_BACKOFF

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")


def _config(folder, url: str) -> dict[str, str]:
    (folder / "mops.toml").write_text(
        f'[odoo]\nurl = "{url}"\ndatabase = "mops"\nlogin = "admin"\ntimeout_seconds = 30\n',
        encoding="utf-8",
    )
    return {"MOPS_ODOO_PASSWORD": "admin", **NO_BACKOFF}


def _start(folder, books, env: dict[str, str], *options: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "mops", "sync", str(books), "--no-pull-back", *options],
        cwd=folder, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def test_two_syncs_of_two_copies_at_once_leave_every_key_once(odoo, make_books, tmp_path, demo):
    books = make_books(30)
    books.others = others_for(demo, books.rows, campaigns=3)
    books.write()
    # Two people, each with their own copy of the folder (and so their own state file).
    one, two = tmp_path / "alice", tmp_path / "bob"
    for desk in (one, two):
        shutil.copytree(books.folder, desk / "books")
    env = _config(one, odoo.settings.url)
    _config(two, odoo.settings.url)
    odoo.server.latency = 0.005  # each call a little slower, so the two runs overlap
    runs = [_start(desk, desk / "books", env) for desk in (one, two)]
    done = [(run.wait(timeout=600), run.stderr.read()) for run in runs]
    odoo.server.latency = 0.0
    for code, err in done:
        assert code in (0, 1) and "Traceback" not in err, err
    counts = count_by_key(odoo.client())
    assert counts and set(counts.values()) == {1}, {k: n for k, n in counts.items() if n > 1}
    # The same records as one sync makes: a third look at either copy finds nothing to create.
    for desk in (one, two):
        plan = desk / "plan.json"
        again = _start(desk, desk / "books", env, "--dry-run", "--save-plan", str(plan))
        assert again.wait(timeout=300) in (0, 1), again.stderr.read()
        items = json.loads(plan.read_text(encoding="utf-8"))["items"]
        assert items and not [i for i in items if i["action"] == "create"]
    # The lease is given back.
    leases = odoo.server.search_read("ir.model.data", [["module", "=", "mops_lease"]], ["id"])
    assert leases == []


def test_a_lease_held_too_long_stops_the_sync_before_any_write(mops, odoo, make_books, tmp_path):
    books = make_books(5)
    env = _config(tmp_path, odoo.settings.url)
    client = odoo.client()
    client.call(
        "ir.model.data", "create",
        [{"module": "mops_lease", "name": "sync", "model": "res.users", "res_id": client.uid}],
    )  # fmt: skip
    odoo.server.reset_calls()
    env["MOPS_SYNC_LEASE_WAIT_SECONDS"] = "0"
    busy = mops("--lang", "en", "sync", str(books.folder), cwd=tmp_path, env=env)
    assert busy.returncode == 3 and "another sync" in busy.stderr and "Traceback" not in busy.stderr
    written = [c for c in odoo.server.calls_to() if c.method in ("create", "write", "message_post")]
    assert [c.model for c in written] == ["ir.model.data"]  # only the refused lease
    # A lease nobody renewed is stale: the next sync takes it over and syncs.
    env["MOPS_SYNC_LEASE_TTL_SECONDS"] = "0"
    synced = mops("--lang", "en", "sync", str(books.folder), cwd=tmp_path, env=env)
    assert synced.returncode in (0, 1), synced.stderr
    assert count_by_key(odoo.client())


def test_a_lease_whose_create_reply_was_lost_is_still_this_run_s(odoo):
    client = odoo.client()
    lease = Lease(client, ttl_seconds=900, wait_seconds=0)
    # Odoo commits the lease's create, then the reply is lost: the lease is ours all the same.
    odoo.server.lose_reply_on_call = odoo.server.call_count + 1
    lease.acquire()
    odoo.server.lose_reply_on_call = None
    (held,) = odoo.server.search_read(
        "ir.model.data", [["module", "=", "mops_lease"]], ["id", "res_id"]
    )
    assert (held["id"], held["res_id"]) == (lease.record_id, lease.token)
    # Another run meanwhile waits, and gives up without touching it.
    other = Lease(odoo.client(), ttl_seconds=900, wait_seconds=0)
    with pytest.raises(LeaseBusy):
        other.acquire()
    assert lease.release()
    assert odoo.server.search_read("ir.model.data", [["module", "=", "mops_lease"]], ["id"]) == []


def test_a_rerun_takes_back_the_lease_its_crashed_run_left(odoo):
    crashed = Lease(odoo.client(), ttl_seconds=900, wait_seconds=0)
    crashed.acquire()  # ... and the process died: the state store kept crashed.token
    rerun = Lease(odoo.client(), ttl_seconds=900, wait_seconds=0, own=crashed.token)
    rerun.acquire()
    assert rerun.record_id != crashed.record_id and rerun.release()


class _Killed(BaseException):
    """The process ended at that point (SIGTERM), with nothing after it run."""


def test_a_sync_killed_just_after_taking_the_lease_lets_the_rerun_take_it_back(
    odoo, make_books, tmp_path, monkeypatch
):
    from mops.syncing import run as sync_run
    from mops.syncing.run import sync_paths

    books = make_books(2)
    state = tmp_path / "state.sqlite"
    real = Lease.acquire

    def acquire_then_killed(self, say=lambda message: None):
        real(self, say)
        raise _Killed  # right after Odoo made the lease: before anything else this run does

    monkeypatch.setattr(sync_run.Lease, "acquire", acquire_then_killed)
    with pytest.raises(_Killed):
        sync_paths(books.paths, odoo.config(), client=odoo.client(), state_path=state)
    monkeypatch.setattr(sync_run.Lease, "acquire", real)
    assert odoo.server.search_read("ir.model.data", [["module", "=", "mops_lease"]], ["id"])
    # The rerun from the same folder does not wait for the lease to lapse: it knows it as its own.
    config = odoo.config().updated("sync", lease_wait_seconds=0)
    again = sync_paths(books.paths, config, client=odoo.client(), state_path=state)
    assert again.result is not None and sum(again.result.created.values()) > 0
    assert set(count_by_key(odoo.client()).values()) == {1}
    assert odoo.server.search_read("ir.model.data", [["module", "=", "mops_lease"]], ["id"]) == []
