"""The Odoo client over the real odoorpc and HTTP: settings, secrets, errors, retries."""

from __future__ import annotations

import pytest

from mops.config import load_config
from mops.errors import ConfigError, OdooAuthError, OdooServerError, OdooTransientError
from mops.i18n import language
from mops.odoo.client import JsonRpcClient
from mops.odoo.settings import OdooSettings, secret, settings_from_config


def _settings(server) -> OdooSettings:
    return OdooSettings(url=server.url, database=server.database, login="admin", timeout_seconds=5)


def _client(server, **kwargs) -> JsonRpcClient:
    return JsonRpcClient(_settings(server), "admin", sleep=lambda s: None, **kwargs)


def test_connects_and_reads_with_explicit_fields(odoo_server):
    client = _client(odoo_server)
    assert client.server_version.startswith("17.0")
    assert client.uid == 2
    ids = client.call(
        "res.partner", "create", [{"name": f"客戶 {i}", "is_company": True} for i in range(5)]
    )
    assert len(ids) == 5
    rows = client.search_read("res.partner", [["is_company", "=", True]], ["name"], page=2)
    assert [r["name"] for r in rows if r["id"] in ids] == [f"客戶 {i}" for i in range(5)]
    reads = [c for c in odoo_server.calls_to("res.partner", "search_read")]
    assert len(reads) >= 3  # keyset paging in pages of 2


def test_odoo_refusals_name_model_method_and_message(odoo_server):
    client = _client(odoo_server)
    with pytest.raises(OdooServerError) as info:
        client.call("crm.lead", "create", {"type": "opportunity"})  # name is required
    assert info.value.kind == "ValidationError"
    assert (info.value.model, info.value.method) == ("crm.lead", "create")
    with pytest.raises(OdooServerError) as info:
        client.call("res.partner", "write", [999999], {"name": "x"})
    assert info.value.kind == "MissingError"


@pytest.mark.parametrize("odoo_server", [{"refuse_login": True}], indirect=True)
def test_refused_login_stops_with_a_clear_message(odoo_server):
    with pytest.raises(OdooAuthError) as info:
        _client(odoo_server)
    text = str(info.value)
    assert "admin" in text and "MOPS_ODOO_PASSWORD" in text
    assert "'admin'" not in text.split("login of", 1)[0]  # the password is never shown


def test_wrong_password_is_an_auth_error(odoo_server):
    with pytest.raises(OdooAuthError):
        JsonRpcClient(_settings(odoo_server), "wrong", sleep=lambda s: None)


def test_reads_are_retried_after_a_dropped_connection_and_a_502(odoo_server):
    client = _client(odoo_server)
    odoo_server.drop_connection_on_call = odoo_server.call_count + 1
    assert client.call("res.partner", "search_count", []) >= 1
    odoo_server.http_502_on_call = odoo_server.call_count + 1
    assert client.call("res.partner", "search_count", []) >= 1


def test_creates_are_never_retried_blindly(odoo_server):
    client = _client(odoo_server)
    before = client.call("res.partner", "search_count", [])
    odoo_server.lose_reply_on_call = odoo_server.call_count + 1
    with pytest.raises(OdooTransientError):
        client.call("res.partner", "create", {"name": "只建一次"})
    # The server did commit it; a blind retry would have made a duplicate.
    assert client.call("res.partner", "search_count", []) == before + 1


def test_retries_are_bounded(odoo_server):
    client = _client(odoo_server, retries=2)
    start = odoo_server.call_count
    odoo_server.http_502_on_call = {start + 1, start + 2, start + 3}
    with language("en"), pytest.raises(OdooTransientError, match="3 attempt"):
        client.call("res.partner", "search_count", [])


def test_settings_come_from_config_and_secret_from_environment(monkeypatch, tmp_path):
    config = load_config()
    with pytest.raises(ConfigError, match=r"odoo\.url"):
        settings_from_config(config)
    config = config.updated(
        "odoo", url="https://odoo.example.com.tw/", database="mops", login="bot"
    )
    settings = settings_from_config(config)
    assert (settings.host, settings.port, settings.https) == ("odoo.example.com.tw", 443, True)
    monkeypatch.delenv("MOPS_ODOO_PASSWORD", raising=False)
    with pytest.raises(ConfigError, match="MOPS_ODOO_PASSWORD"):
        secret(settings)
    monkeypatch.setenv("MOPS_ODOO_PASSWORD", "s3cret")
    assert secret(settings) == "s3cret"
    assert "s3cret" not in repr(settings)
