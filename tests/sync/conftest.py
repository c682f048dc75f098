"""Fixtures of the sync tests: the test Odoo server, provisioned, and demo workbooks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from mops.demodata import DemoData, generate_demo
from mops.odoo.client import JsonRpcClient
from mops.odoo.json2 import Json2Client
from mops.odoo.settings import OdooSettings
from mops.syncing.run import SyncOutcome, sync_paths

from .helpers import Books, config_for, provision, settings_for, subset
from odoo_server.fixture import odoo19_server, odoo_client, odoo_server  # noqa: F401
from odoo_server.server import OdooTestServer


@pytest.fixture(scope="session")
def demo() -> DemoData:
    """The seeded demo year (generated once)."""
    return generate_demo()


@dataclass
class Odoo:
    """A provisioned Odoo to sync with: the test server (or a real one) and how to log in."""

    settings: OdooSettings
    password: str
    server: OdooTestServer | None = None

    def client(self, **kwargs: Any) -> JsonRpcClient | Json2Client:
        """A new logged-in client, JSON-2 on a test server speaking 19; retries do not sleep."""
        if self.server is not None and self.server.version.startswith("19"):
            return Json2Client(self.settings, self.password, sleep=lambda s: None, **kwargs)
        return JsonRpcClient(self.settings, self.password, sleep=lambda s: None, **kwargs)

    def config(self, **conflicts: str) -> dict[str, Any]:
        """mops.toml pointing at this Odoo."""
        return config_for(self.settings, **conflicts)

    def sync(
        self, books: Books, state: Path, *, client=None, conflicts=None, **kwargs
    ) -> SyncOutcome:
        """One sync of the books' workbooks."""
        return sync_paths(
            books.paths,
            self.config(**(conflicts or {})),
            client=client or self.client(),
            state_path=state,
            as_of=None,
            **kwargs,
        )


def provisioned_as(server: OdooTestServer) -> Odoo:
    """A test server described: the password on 17, the admin's API key on 19 (JSON-2)."""
    secret = server.api_key if server.version.startswith("19") else "admin"
    return Odoo(settings_for(server.url, server.database), secret, server)


def provisioned(server: OdooTestServer, demo: DemoData) -> Odoo:
    """Provision a test server (calls not counted) and describe it."""
    odoo = provisioned_as(server)
    with server.paused():
        provision(odoo.client(), demo.sheet_rows("roster"))
    server.reset_calls()
    return odoo


@pytest.fixture(params=["17.0", "19.0"])
def odoo_v(request, demo) -> Iterator[Odoo]:
    """A test server of its own as Odoo 17, then as 19, provisioned."""
    with OdooTestServer(version=request.param) as server:
        yield provisioned(server, demo)


@pytest.fixture
def odoo(odoo_server, demo) -> Odoo:  # noqa: F811
    """The test Odoo 17 server, provisioned as `mops odoo setup` leaves it, with staff users."""
    return provisioned(odoo_server, demo)


@pytest.fixture
def make_books(tmp_path, demo):
    """A factory of demo workbooks in a fresh folder (all customers, or the first N)."""
    counter = iter(range(1000))

    def make(customers: int | None = None) -> Books:
        books = Books(
            folder=tmp_path / f"books{next(counter)}",
            rows=subset(demo.rows["customers"], customers),
            staff={"roster": [dict(r) for r in demo.rows["staff"]["roster"]]},
            people=demo.people(),
        )
        books.write()
        return books

    return make
