"""Fixtures for the Odoo tests: the test Odoo 17 server and a logged-in odoorpc client."""

from odoo_server.fixture import odoo_client, odoo_server  # noqa: F401
