"""mops sync through the real command, against the test Odoo server."""

from __future__ import annotations

import socket

import pytest

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")


def _config(tmp_path, url: str) -> dict[str, str]:
    (tmp_path / "mops.toml").write_text(
        f'[odoo]\nurl = "{url}"\ndatabase = "mops"\nlogin = "admin"\ntimeout_seconds = 5\n',
        encoding="utf-8",
    )
    return {"MOPS_ODOO_PASSWORD": "admin", "COLUMNS": "200"}


@pytest.mark.slow  # several commands, each a new process
def test_dry_run_apply_and_log(mops, odoo, make_books, tmp_path):
    books = make_books(10)
    env = _config(tmp_path, odoo.settings.url)
    folder = str(books.folder)
    dry = mops(
        "--lang",
        "en",
        "sync",
        folder,
        "--dry-run",
        "--save-plan",
        "plan.json",
        cwd=tmp_path,
        env=env,
    )
    assert dry.returncode in (0, 1), dry.stderr
    assert "Sync plan (dry run" in dry.stdout and "Create" in dry.stdout
    assert "Traceback" not in dry.stderr
    assert not odoo.server.calls_to(method="create")
    applied = mops(
        "sync",
        "--plan",
        "plan.json",
        "--state",
        f"{folder}/.mops-sync.sqlite",
        cwd=tmp_path,
        env=env,
    )
    assert applied.returncode in (0, 1), applied.stderr
    assert "同步結果" in applied.stdout
    assert odoo.server.calls_to(method="create")
    again = mops("--lang", "en", "sync", "run", folder, cwd=tmp_path, env=env)
    assert "Unchanged" in again.stdout
    log = mops("--lang", "en", "sync", "log", folder, "--limit", "5", cwd=tmp_path, env=env)
    assert log.returncode == 0, log.stderr
    assert "Latest syncs" in log.stdout and "create" in log.stdout
    # Applying the same saved plan again is refused: another sync ran since it was made.
    stale = mops(
        "--lang",
        "en",
        "sync",
        "--plan",
        "plan.json",
        "--state",
        f"{folder}/.mops-sync.sqlite",
        cwd=tmp_path,
        env=env,
    )
    assert stale.returncode == 2 and "nothing was written" in stale.stderr


def test_help_has_examples(mops):
    for args in (["sync", "--help"], ["sync", "run", "--help"], ["sync", "log", "--help"]):
        result = mops(*args)
        assert result.returncode == 0, result.stderr
        assert "mops sync" in result.stdout and "Example" in result.stdout


@pytest.mark.parametrize("odoo_server", [{"refuse_login": True}], indirect=True)
def test_a_refused_login_stops_with_exit_3_and_one_clear_line(
    mops, odoo_server, make_books, tmp_path
):
    books = make_books(5)
    env = _config(tmp_path, odoo_server.url)
    result = mops("--lang", "en", "sync", str(books.folder), cwd=tmp_path, env=env)
    assert result.returncode == 3
    assert "refused the login of 'admin'" in result.stderr and "MOPS_ODOO_PASSWORD" in result.stderr
    assert "Traceback" not in result.stderr and "admin'" not in result.stderr.split("login of")[0]
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unreachable_odoo_is_exit_3(mops, make_books, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    books = make_books(5)
    env = _config(tmp_path, f"http://127.0.0.1:{port}")
    result = mops("sync", str(books.folder), "--dry-run", cwd=tmp_path, env=env)
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert f"127.0.0.1:{port}" in result.stderr
    # Retried (without waiting: run_mops sets NO_BACKOFF) until the retries ran out.
    assert "已嘗試 5 次" in result.stderr


def test_no_password_is_a_configuration_error(mops, make_books, tmp_path):
    books = make_books(5)
    _config(tmp_path, "http://127.0.0.1:9")
    result = mops("sync", str(books.folder), cwd=tmp_path, env={"MOPS_ODOO_PASSWORD": ""})
    assert result.returncode == 2 and "MOPS_ODOO_PASSWORD" in result.stderr


def test_an_unreadable_workbook_is_exit_2_before_odoo_is_asked(mops, odoo, tmp_path):
    env = _config(tmp_path, odoo.settings.url)
    (tmp_path / "customers.xlsx").write_text("not a workbook", encoding="utf-8")
    result = mops("--lang", "en", "sync", "customers.xlsx", cwd=tmp_path, env=env)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "customers.xlsx" in result.stderr
    assert not odoo.server.calls


@pytest.mark.slow  # several commands, each a new process
def test_sync_writes_what_odoo_owns_into_the_workbook_once(mops, odoo, make_books, tmp_path):
    from mops.config import load_config
    from mops.validation.engine import validate_dataset

    books = make_books(8)
    env = _config(tmp_path, odoo.settings.url)
    folder = str(books.folder)
    before = (books.folder / "customers.xlsx").read_bytes()
    first = mops("--lang", "en", "sync", folder, cwd=tmp_path, env=env)
    assert first.returncode in (0, 1), first.stderr
    assert "from Odoo into" in first.stdout and "customers.xlsx" in first.stdout
    assert (books.folder / "customers.xlsx").read_bytes() != before
    assert list((books.folder / ".mops-backups").glob("customers*.xlsx"))
    # The Odoo ids are in the workbook now, each on the row of its own record.
    _report, dataset = validate_dataset([books.folder / "customers.xlsx"], load_config())
    ids = dict(dataset.frame("customers").select("customer_id", "odoo_partner_id").rows())
    odoo_ids = {
        r["x_mops_key"]: r["id"]
        for r in odoo.server.search_read(
            "res.partner", [["x_mops_key", "=like", "customer:%"]], ["x_mops_key"]
        )
    }
    synced = {k: v for k, v in ids.items() if f"customer:{k}" in odoo_ids}
    assert synced and all(v == odoo_ids[f"customer:{k}"] for k, v in synced.items())
    # A second sync finds the workbook in step: nothing to write on either side.
    written = (books.folder / "customers.xlsx").read_bytes()
    again = mops("--lang", "en", "sync", folder, cwd=tmp_path, env=env)
    assert "from Odoo into" not in again.stdout
    assert (books.folder / "customers.xlsx").read_bytes() == written
    # --no-pull-back leaves the workbooks alone.
    books.write()
    untouched = (books.folder / "customers.xlsx").read_bytes()
    mops("sync", folder, "--no-pull-back", cwd=tmp_path, env=env)
    assert (books.folder / "customers.xlsx").read_bytes() == untouched


def test_a_workbook_open_in_excel_is_reported_and_odoo_still_synced(
    mops, odoo, make_books, tmp_path
):
    books = make_books(5)
    env = _config(tmp_path, odoo.settings.url)
    lock = books.folder / "~$customers.xlsx"
    lock.write_bytes(b"\x00" * 165)
    before = (books.folder / "customers.xlsx").read_bytes()
    result = mops("--lang", "en", "sync", str(books.folder), cwd=tmp_path, env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert odoo.server.calls_to(method="create")
    assert "next sync writes them" in result.stdout
    assert (books.folder / "customers.xlsx").read_bytes() == before
