"""mops odoo check: server, user, modules, access rights and setup, read over real HTTP.

The parametrised tests also run, marked odoo_live, against the real Odoo 17 named by ODOO_URL,
ODOO_DB, ODOO_USER and ODOO_PASSWORD (skipped when they are not set).
"""

# The fixtures are imported by name and then named again as test parameters, as pytest wants.
# ruff: noqa: F811

from __future__ import annotations

import os
import uuid

import pytest

from mops.errors import OdooServerError
from mops.odoo.check import REQUIRED_MODULES, check_server
from mops.odoo.provision import apply_setup, load_spec, plan_setup
from odoo.test_provision import CHANGES, connect, write_config

from odoo_server.fixture import LIVE_ENV, OdooTarget, odoo_target  # noqa: F401

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")

WITHOUT_PROJECT = (
    "base", "crm", "sale_management", "account", "hr_expense", "survey", "utm", "mail", "contacts",
    "l10n_tw",
)  # fmt: skip


def test_check_reports_server_user_modules_rights_and_setup(odoo_target):
    client = connect(odoo_target)
    if odoo_target.server is not None:
        # A fresh database: nothing of mops is there yet.
        report = check_server(client)
        assert report.provisioned is False and not report.ok
        assert report.plan.changes > 0
    apply_setup(client, plan_setup(client, load_spec()))
    client.sent.clear()

    report = check_server(client)

    assert report.server_version.startswith("17.0")
    assert (report.url, report.database) == (odoo_target.url, odoo_target.database)
    assert report.user_login == odoo_target.login and report.user_name
    assert list(report.modules) == [*REQUIRED_MODULES, "l10n_tw"]
    assert report.missing_modules == [] and report.missing_models == []
    assert report.missing_access == []
    assert report.provisioned is True and report.ok
    assert client.changes_sent() == []  # checking only reads


@pytest.mark.parametrize("odoo_server", [{"installed_modules": WITHOUT_PROJECT}], indirect=True)
def test_check_reports_a_missing_module_and_exits_non_zero(odoo_server, tmp_path, mops):
    target = OdooTarget(odoo_server.url, odoo_server.database, "admin", "admin")
    report = check_server(connect(target))

    assert report.missing_modules == ["project"]
    assert report.modules["project"] == "uninstalled" and report.modules["crm"] == "installed"
    assert report.missing_models == ["project.project", "project.task"]
    missing = {(c.kind, c.model) for c in report.plan.conflicts}
    assert {("model_missing", "project.task"), ("model_missing", "project.project")} <= missing
    assert not report.ok

    config = write_config(tmp_path / "mops.toml", target)
    env = {"MOPS_ODOO_PASSWORD": "admin"}
    run = mops("--config", str(config), "--lang", "en", "odoo", "check", env=env)
    assert run.returncode == 1, run.stderr
    assert "project" in run.stdout and "not installed" in run.stdout
    assert "Check failed" in run.stdout
    zh = mops("--config", str(config), "odoo", "check", env=env)
    assert zh.returncode == 1 and "未安裝" in zh.stdout and "檢查未通過" in zh.stdout


def test_cli_check_passes_after_cli_setup(odoo_target, tmp_path, mops):
    config = write_config(tmp_path / "mops.toml", odoo_target)
    env = {"MOPS_ODOO_PASSWORD": odoo_target.password}
    if odoo_target.server is not None:
        before = mops("--config", str(config), "--lang", "en", "odoo", "check", env=env)
        assert before.returncode == 1 and "run mops odoo setup" in before.stdout
    assert mops("--config", str(config), "odoo", "setup", env=env).returncode == 0
    if odoo_target.server is not None:
        odoo_target.server.reset_calls()

    run = mops("--config", str(config), "--lang", "en", "odoo", "check", env=env)

    assert run.returncode == 0, run.stdout + run.stderr
    assert "Check passed" in run.stdout and "mops setup: complete." in run.stdout
    assert f"{odoo_target.database}" in run.stdout and "17.0" in run.stdout
    if odoo_target.server is not None:
        assert [c for c in odoo_target.server.calls if c.method in CHANGES] == []
    zh = mops("--config", str(config), "odoo", "check", env=env)
    assert zh.returncode == 0 and "檢查通過" in zh.stdout


def test_cli_odoo_without_a_password_says_where_to_put_it(odoo_server, tmp_path, mops):
    target = OdooTarget(odoo_server.url, odoo_server.database, "admin", "admin")
    config = write_config(tmp_path / "mops.toml", target)
    run = mops("--config", str(config), "odoo", "check", env={"MOPS_ODOO_PASSWORD": ""})
    assert run.returncode == 2
    assert "MOPS_ODOO_PASSWORD" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.odoo_live
def test_live_check_names_the_rights_a_plain_user_lacks():
    missing = [name for name in LIVE_ENV if not os.environ.get(name)]
    if missing:
        pytest.skip(f"a real Odoo needs {', '.join(missing)}")
    url, database, login, password = (os.environ[name] for name in LIVE_ENV)
    admin = connect(OdooTarget(url.rstrip("/"), database, login, password))
    internal = admin.call("ir.model.data", "check_object_reference", "base", "group_user")[1]
    plain_login, plain_password = f"mops-check-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    user = admin.call(
        "res.users",
        "create",
        {
            "name": "mops check (plain user)",
            "login": plain_login,
            "password": plain_password,
            "groups_id": [[6, 0, [internal]]],
        },
    )
    try:
        report = check_server(connect(OdooTarget(url, database, plain_login, plain_password)))
        assert ("crm.lead", "read") in report.missing_access
        assert ("ir.model.fields", "create") in report.missing_access
        assert report.plan is None and report.provisioned is None and not report.ok
    finally:
        try:
            admin.call("res.users", "unlink", [user])
        except OdooServerError:
            # A user Odoo already linked to other records cannot be deleted; archive it instead.
            admin.call("res.users", "write", [user], {"active": False})
