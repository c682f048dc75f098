"""pytest fixtures: a fresh test Odoo per test, an odoorpc client logged in to it, a target."""

from __future__ import annotations

import os
from dataclasses import dataclass

import odoorpc
import pytest

from .server import OdooTestServer

CLIENT_TIMEOUT = 5  # seconds; small so that a hung call fails a test quickly


@pytest.fixture
def odoo_server(request):
    """A started OdooTestServer with a freshly seeded database, closed after the test."""
    # Options come from indirect parametrization with a dict of OdooTestServer keywords:
    # @pytest.mark.parametrize("odoo_server", [{"refuse_login": True}], indirect=True)
    options = dict(getattr(request, "param", None) or {})
    with OdooTestServer(**options) as server:
        yield server


@pytest.fixture
def odoo_client(odoo_server):
    """A logged-in ``odoorpc.ODOO`` (admin); call counting and faults start after the login."""
    with odoo_server.paused():
        client = odoorpc.ODOO(
            "127.0.0.1", protocol="jsonrpc", port=odoo_server.port, timeout=CLIENT_TIMEOUT
        )
        client.login(odoo_server.database, "admin", "admin")
    odoo_server.reset_calls()
    yield client
    client.logout()


LIVE_ENV = ("ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_PASSWORD")


@dataclass(frozen=True)
class OdooTarget:
    """An Odoo to test against: the test server, or the real one named by ODOO_URL & co."""

    url: str
    database: str
    login: str
    password: str
    server: OdooTestServer | None = None  # None for a real server: no call log, no faults


@pytest.fixture(params=["test", pytest.param("live", marks=pytest.mark.odoo_live)])
def odoo_target(request):
    """The test server, then (marked odoo_live) the real Odoo given by ODOO_URL, ODOO_DB, …."""
    if request.param == "test":
        server = request.getfixturevalue("odoo_server")
        yield OdooTarget(server.url, server.database, "admin", "admin", server)
        return
    missing = [name for name in LIVE_ENV if not os.environ.get(name)]
    if missing:
        pytest.skip(f"a real Odoo needs {', '.join(missing)}")
    url, database, login, password = (os.environ[name] for name in LIVE_ENV)
    yield OdooTarget(url.rstrip("/"), database, login, password)
