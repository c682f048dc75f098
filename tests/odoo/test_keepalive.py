"""Both clients keep one connection per thread alive, and never send a call twice for it."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from mops.errors import OdooTransientError
from mops.odoo.client import JsonRpcClient
from mops.odoo.json2 import Json2Client
from mops.odoo.settings import OdooSettings

from odoo_server.server import OdooTestServer


@pytest.fixture(params=["17.0", "19.0"], ids=["jsonrpc", "json2"])
def served(request):
    """A test Odoo and a logged-in client over its version's protocol."""
    with OdooTestServer(version=request.param) as server:
        settings = OdooSettings(
            url=server.url, database=server.database, login="admin", timeout_seconds=5
        )
        if request.param == "19.0":
            client = Json2Client(settings, server.api_key, sleep=lambda s: None)
        else:
            client = JsonRpcClient(settings, "admin", sleep=lambda s: None)
        yield server, client


def _read(client) -> list:
    return client.call("res.partner", "search_read", [], fields=["name"], limit=1)


def _named(client, name: str) -> int:
    return client.call("res.partner", "search_count", [["name", "=", name]])


def test_the_calls_of_a_thread_share_one_connection(served):
    server, client = served
    for _ in range(20):
        _read(client)
    assert server.connections == 1  # the login or the version's question opened it
    server.reset_calls()
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: _read(client), range(40)))
    assert 1 <= server.connections <= 4  # one for each thread of the pool, at most
    assert server.call_count == 40


def test_a_connection_the_server_closed_while_idle_is_replaced_before_a_create(served):
    server, client = served
    _read(client)
    server.hang_up()
    deadline = time.monotonic() + 5
    while server.open_connections and time.monotonic() < deadline:
        time.sleep(0.01)
    server.reset_calls()
    # A create is never retried: sent on the dead connection it would fail the sync.
    client.call("res.partner", "create", [{"name": "保持連線股份有限公司"}])
    assert server.connections == 1 and server.call_count == 1
    assert _named(client, "保持連線股份有限公司") == 1


def test_a_create_whose_connection_breaks_is_not_sent_again(served):
    server, client = served
    _read(client)
    server.reset_calls()
    server.drop_connection_on_call = 1
    with pytest.raises(OdooTransientError):
        client.call("res.partner", "create", [{"name": "斷線股份有限公司"}])
    server.drop_connection_on_call = None
    assert server.call_count == 1  # one try, nothing sent again on a new connection
    assert _named(client, "斷線股份有限公司") == 0
    assert server.connections == 1  # the broken one is not used again: the next call opened one
