"""A faithful in-process Odoo 17 JSON-RPC server for tests, built from captured fields_get data."""

from .server import OdooTestServer

__all__ = ["OdooTestServer"]
