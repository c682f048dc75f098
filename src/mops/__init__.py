"""mops: marketing operations toolkit joining Excel workbooks, company policy and Odoo 17."""

__version__ = "0.1.0"
