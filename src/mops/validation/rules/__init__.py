"""Validation rules, one small module per policy area; importing this package registers them."""

from mops.validation.rules import (  # noqa: F401
    campaigns,
    customers,
    expenses,
    integrity,
    organisation,
    research,
    sales,
    service,
    staff,
)
