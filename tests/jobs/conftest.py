"""Fixtures of the nightly job's tests: those of the sync tests (test Odoo, demo workbooks)."""

from __future__ import annotations

from sync.conftest import demo, make_books, odoo  # noqa: F401

from odoo_server.fixture import odoo_server  # noqa: F401
