"""Errors about the Odoo connection and the sync speak zh-TW by default and English on request."""

# The fixture is imported by name and then named again as a test parameter, as pytest wants.
# ruff: noqa: F811

from __future__ import annotations

import re
from string import Formatter

import pytest

from mops.errors import ConfigError, InputError, OdooAuthError, OdooServerError
from mops.i18n import catalogue, language
from mops.odoo.client import JsonRpcClient
from mops.odoo.settings import OdooSettings, secret
from mops.syncing.plan import Plan

from odoo_server.fixture import odoo_server  # noqa: F401

# The keys of the Odoo connection and sync errors (mops.odoo.*, mops.syncing.*).
ODOO_KEYS = (
    "odoo_url_invalid",
    "odoo_url_has_path",
    "odoo_url_hint",
    "odoo_setting_missing",
    "odoo_setting_missing_hint",
    "odoo_no_password",
    "odoo_no_password_hint",
    "odoo_no_answer",
    "odoo_no_answer_hint",
    "odoo_bad_answer",
    "odoo_bad_answer_hint",
    "odoo_login_refused",
    "odoo_session_refused",
    "odoo_session_refused_hint",
    "odoo_server_refused",
    "odoo_features_off",
    "odoo_features_off_hint",
    "sync_nothing_sent",
    "sync_no_workbook",
    "sync_no_workbook_hint",
    "plan_file_unreadable",
    "plan_file_unreadable_hint",
    "plan_unreadable",
    "plan_unreadable_hint",
    "plan_other_server",
    "plan_other_server_hint",
    "plan_outdated_run",
    "plan_outdated_odoo",
    "plan_outdated_hint",
    "odoo_not_provisioned",
    "odoo_not_provisioned_hint",
    "odoo_lacks_field",
    "odoo_run_setup_hint",
)
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
PASSWORD = "Pw-not-shown-4Kd"
# Wide enough that rich never wraps the one line of an error.
WIDE = {"COLUMNS": "500"}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name is not None}


@pytest.mark.parametrize("key", ODOO_KEYS)
def test_every_key_has_both_languages_with_the_same_placeholders(key):
    zh, en = catalogue()[key]
    assert zh.strip() and en.strip()
    assert CJK.search(zh), zh
    assert not CJK.search(en), en
    assert _fields(zh) == _fields(en)


def _assert_language(message: str, lang: str) -> None:
    if lang == "zh-TW":
        assert CJK.search(message), message
    else:
        assert not CJK.search(message), message


def _write_config(tmp_path, url: str, database: str = "mops", login: str = "admin"):
    path = tmp_path / "mops.toml"
    path.write_text(
        f'[odoo]\nurl = "{url}"\ndatabase = "{database}"\nlogin = "{login}"\ntimeout_seconds = 5\n',
        encoding="utf-8",
    )
    return path


def _lang_args(lang: str) -> list[str]:
    return ["--lang", lang]


def _one_clear_line(result) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
@pytest.mark.parametrize("odoo_server", [{"refuse_login": True}], indirect=True)
def test_cli_refused_login_in_each_language(odoo_server, mops, tmp_path, lang):
    config = _write_config(tmp_path, odoo_server.url, odoo_server.database)
    env = {"MOPS_ODOO_PASSWORD": PASSWORD, **WIDE}
    result = mops("--config", str(config), *_lang_args(lang), "odoo", "check", env=env)
    assert result.returncode == 3, result.stdout + result.stderr
    line = _one_clear_line(result)
    _assert_language(line, lang)
    for named in (odoo_server.url, odoo_server.database, "admin", "MOPS_ODOO_PASSWORD"):
        assert named in line
    assert PASSWORD not in result.stdout + result.stderr
    assert ("拒絕" in line) is (lang == "zh-TW")
    assert ("refused the login of 'admin'" in line) is (lang == "en")


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_cli_missing_password_names_the_variable(mops, tmp_path, lang):
    config = _write_config(tmp_path, "http://127.0.0.1:9")
    env = {"MOPS_ODOO_PASSWORD": "", **WIDE}
    result = mops("--config", str(config), *_lang_args(lang), "odoo", "check", env=env)
    assert result.returncode == 2, result.stdout + result.stderr
    line = _one_clear_line(result)
    _assert_language(line, lang)
    assert "MOPS_ODOO_PASSWORD" in line and "mops-odoo" in line and "admin@http" in line


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
@pytest.mark.parametrize(
    "url", ["ftp://odoo.example.com.tw", "https://odoo.example.com.tw/odoo/web"]
)
def test_cli_bad_url_names_the_setting_and_the_value(mops, tmp_path, lang, url):
    config = _write_config(tmp_path, url)
    env = {"MOPS_ODOO_PASSWORD": PASSWORD, **WIDE}
    result = mops("--config", str(config), *_lang_args(lang), "odoo", "check", env=env)
    assert result.returncode == 2, result.stdout + result.stderr
    line = _one_clear_line(result)
    _assert_language(line, lang)
    assert "odoo.url" in line and url in line and "mops.toml" in line


@pytest.mark.parametrize("odoo_server", [{"refuse_login": True}], indirect=True)
def test_library_refused_login_follows_the_language(odoo_server):
    settings = OdooSettings(url=odoo_server.url, database=odoo_server.database, login="admin")
    for lang in ("zh-TW", "en"):
        with language(lang), pytest.raises(OdooAuthError) as info:
            JsonRpcClient(settings, PASSWORD, sleep=lambda s: None)
        message = str(info.value)
        _assert_language(message, lang)
        assert odoo_server.url in message and "MOPS_ODOO_PASSWORD" in message
        assert PASSWORD not in message


def test_odoo_refusals_translate_the_frame_and_keep_odoos_words(odoo_server):
    settings = OdooSettings(
        url=odoo_server.url, database=odoo_server.database, login="admin", timeout_seconds=5
    )
    client = JsonRpcClient(settings, "admin", sleep=lambda s: None)
    seen = {}
    for lang in ("zh-TW", "en"):
        with language(lang), pytest.raises(OdooServerError) as info:
            client.call("crm.lead", "create", {"type": "opportunity"})  # name is required
        error = info.value
        assert (error.kind, error.model, error.method) == ("ValidationError", "crm.lead", "create")
        assert error.server_message in error.message
        seen[lang] = error.message.replace(error.server_message, "")
    assert seen["zh-TW"].startswith("Odoo 拒絕了 crm.lead.create（ValidationError）")
    assert seen["en"].startswith("Odoo ValidationError on crm.lead.create: ")


def test_missing_password_library_call_in_each_language(monkeypatch):
    monkeypatch.delenv("MOPS_ODOO_PASSWORD", raising=False)
    settings = OdooSettings(url="https://odoo.example.com.tw", database="mops", login="bot")
    for lang in ("zh-TW", "en"):
        with language(lang), pytest.raises(ConfigError) as info:
            secret(settings)
        _assert_language(str(info.value), lang)
        assert "MOPS_ODOO_PASSWORD" in str(info.value)


def test_an_unreadable_saved_plan_in_each_language():
    for lang in ("zh-TW", "en"):
        with language(lang), pytest.raises(InputError) as info:
            Plan.from_json('{"format": "something else"}')
        _assert_language(str(info.value), lang)
        assert "mops sync --dry-run --save-plan" in info.value.hint
