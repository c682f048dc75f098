"""A faithful in-process Odoo server for tests, as Odoo 17 (JSON-RPC) or 19 (JSON-2 and JSON-RPC),
built from each version's captured fields_get data."""

from .server import OdooTestServer

__all__ = ["OdooTestServer"]
