"""pytest fixtures: a fresh test Odoo per test, and an odoorpc client logged in to it."""

from __future__ import annotations

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
