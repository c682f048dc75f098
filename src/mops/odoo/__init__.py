"""Odoo 17: connection settings, the client interface, provisioning and the sync mapping."""
