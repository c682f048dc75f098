"""The sync over Odoo 19's JSON-2 API, against the test server speaking 19: the same guarantees
as over JSON-RPC, the version chosen from the server, and no deprecated call."""

from __future__ import annotations

import pytest

from mops.errors import OdooAuthError, OdooServerError
from mops.odoo.check import check_server
from mops.odoo.client import JsonRpcClient
from mops.odoo.connect import connect
from mops.odoo.json2 import Json2Client
from mops.odoo.provision import apply_setup, load_spec, plan_setup
from mops.syncing.run import sync_paths

from .helpers import config_for, count_by_key, others_for, provision, settings_for

pytestmark = pytest.mark.slow  # end to end: out of the quick loop (pytest -m "not slow")


@pytest.fixture
def odoo19(odoo19_server, demo):
    """The 19 test server, set up as mops odoo setup leaves it, with the roster's users."""
    settings = settings_for(odoo19_server.url, odoo19_server.database)
    with odoo19_server.paused():
        provision(Json2Client(settings, odoo19_server.api_key), demo.sheet_rows("roster"))
    odoo19_server.reset_calls()
    return odoo19_server, settings


def test_the_server_s_version_picks_the_protocol(odoo19_server, odoo_server):
    on19 = connect(settings_for(odoo19_server.url, odoo19_server.database), odoo19_server.api_key)
    on17 = connect(settings_for(odoo_server.url, odoo_server.database), "admin")
    assert isinstance(on19, Json2Client) and on19.protocol == "json2"
    assert isinstance(on17, JsonRpcClient) and on17.protocol == "jsonrpc"
    assert on19.has_group("base.group_user") and on17.has_group("base.group_user")


def test_a_password_on_19_falls_back_to_jsonrpc_and_says_so(odoo19_server):
    client = connect(settings_for(odoo19_server.url, odoo19_server.database), "admin")
    assert client.protocol == "jsonrpc" and client.warnings
    assert "API key" in client.warnings[0] or "API 金鑰" in client.warnings[0]
    report = check_server(client)
    assert report.protocol == "jsonrpc" and report.warnings


def test_a_wrong_key_is_a_refused_login_and_odoo_s_refusals_keep_their_kind(odoo19_server):
    settings = settings_for(odoo19_server.url, odoo19_server.database)
    with pytest.raises(OdooAuthError):
        Json2Client(settings, "not-a-key")
    client = Json2Client(settings, odoo19_server.api_key)
    with pytest.raises(OdooServerError) as refused:
        client.call("res.partner", "create", [{"mobile": "0912-345-678", "name": "x"}])
    assert refused.value.kind == "ValueError" and "mobile" in str(refused.value)


def test_setup_on_19_leaves_out_what_19_lacks_and_a_second_run_is_idle(odoo19_server):
    client = Json2Client(settings_for(odoo19_server.url, odoo19_server.database),
                         odoo19_server.api_key)  # fmt: skip
    plan = plan_setup(client, load_spec())
    assert ("mail.activity.type", "keep_done") in plan.unavailable
    apply_setup(client, plan)
    again = plan_setup(client, load_spec())
    assert again.empty
    assert check_server(client).ok
    assert not odoo19_server.deprecation_warnings


def test_a_sync_over_json2_creates_once_and_a_resync_writes_nothing(odoo19, make_books, demo,
                                                                   tmp_path):  # fmt: skip
    server, settings = odoo19
    books = make_books(20)
    books.others = others_for(demo, books.rows, campaigns=3)
    books.write()
    config = config_for(settings)
    state = tmp_path / "state.sqlite"
    first = sync_paths(books.paths, config, client=Json2Client(settings, server.api_key),
                       state_path=state)  # fmt: skip
    assert first.result is not None and not first.result.refusals
    assert sum(first.result.created.values()) > 20
    counts = count_by_key(Json2Client(settings, server.api_key))
    assert any(k.startswith("followup:") for k in counts) and set(counts.values()) == {1}
    server.reset_calls()
    again = sync_paths(books.paths, config, client=Json2Client(settings, server.api_key),
                       state_path=state)  # fmt: skip
    assert again.result is not None and not any(again.result.created.values())
    writes = [c for c in server.calls if c.method in ("create", "write", "message_post", "unlink")]
    assert writes == []
    assert {c.service for c in server.calls} <= {"json2", "web"}, {c.service for c in server.calls}
    assert not server.deprecation_warnings
