"""pytest fixtures: a fresh test Odoo per test (17 by default; ``odoo19_server`` for 19, and
``odoo_any_server`` for each version in turn), an odoorpc client logged in to it, a target.

A server's ``url``, ``database`` and ``api_key`` (the admin's API key) are what a client needs;
``version`` says which Odoo it is. Options come from indirect parametrization with a dict of
OdooTestServer keywords, for every server fixture:
``@pytest.mark.parametrize("odoo19_server", [{"latency": 0.2}], indirect=True)``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import odoorpc
import pytest

from .schema import VERSIONS
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
def odoo19_server(request):
    """A started Odoo 19 test server: JSON-2 with ``server.api_key``, and JSON-RPC."""
    options = {**(getattr(request, "param", None) or {}), "version": "19.0"}
    with OdooTestServer(**options) as server:
        yield server


@pytest.fixture(params=VERSIONS, ids=[f"odoo{v.split('.')[0]}" for v in VERSIONS])
def odoo_any_server(request):
    """A started test server of each version in turn (17.0, then 19.0)."""
    with OdooTestServer(version=request.param) as server:
        yield server


@contextmanager
def _logged_in(server: OdooTestServer) -> Iterator[odoorpc.ODOO]:
    with server.paused():
        client = odoorpc.ODOO(
            "127.0.0.1", protocol="jsonrpc", port=server.port, timeout=CLIENT_TIMEOUT
        )
        client.login(server.database, "admin", "admin")
    server.reset_calls()
    yield client
    client.logout()


@pytest.fixture
def odoo_client(odoo_server):
    """A logged-in ``odoorpc.ODOO`` (admin); call counting and faults start after the login."""
    with _logged_in(odoo_server) as client:
        yield client


@pytest.fixture
def odoo19_client(odoo19_server):
    """A logged-in ``odoorpc.ODOO`` (admin) on the Odoo 19 server, over the deprecated /jsonrpc;
    call counting, faults and deprecation warnings start after the login."""
    with _logged_in(odoo19_server) as client:
        yield client


LIVE_ENV = ("ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_PASSWORD")
LIVE19_ENV = ("ODOO19_URL", "ODOO19_DB", "ODOO19_USER", "ODOO19_API_KEY")


@dataclass(frozen=True)
class OdooTarget:
    """An Odoo to test against: the test server, or the real one named by ODOO_URL & co."""

    url: str
    database: str
    login: str
    password: str  # the password, or the API key when only a key is given
    server: OdooTestServer | None = None  # None for a real server: no call log, no faults
    api_key: str | None = None
    version: str = "17.0"


@pytest.fixture(params=["test", pytest.param("live", marks=pytest.mark.odoo_live)])
def odoo_target(request):
    """The test server, then (marked odoo_live) the real Odoo given by ODOO_URL, ODOO_DB, …."""
    if request.param == "test":
        server = request.getfixturevalue("odoo_server")
        yield OdooTarget(server.url, server.database, "admin", "admin", server, server.api_key)
        return
    missing = [name for name in LIVE_ENV if not os.environ.get(name)]
    if missing:
        pytest.skip(f"a real Odoo needs {', '.join(missing)}")
    url, database, login, password = (os.environ[name] for name in LIVE_ENV)
    yield OdooTarget(url.rstrip("/"), database, login, password)


@pytest.fixture(params=["test", pytest.param("live", marks=pytest.mark.odoo_live)])
def odoo19_target(request):
    """The Odoo 19 test server, then (marked odoo_live) the real Odoo 19 given by ODOO19_URL,
    ODOO19_DB, ODOO19_USER and ODOO19_API_KEY."""
    if request.param == "test":
        server = request.getfixturevalue("odoo19_server")
        yield OdooTarget(
            server.url, server.database, "admin", "admin", server, server.api_key, "19.0"
        )
        return
    missing = [name for name in LIVE19_ENV if not os.environ.get(name)]
    if missing:
        pytest.skip(f"a real Odoo 19 needs {', '.join(missing)}")
    url, database, login, key = (os.environ[name] for name in LIVE19_ENV)
    yield OdooTarget(url.rstrip("/"), database, login, key, api_key=key, version="19.0")
