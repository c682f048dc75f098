"""The policy's reports: view models built in Python from the validated workbooks, rendered by
Jinja templates (``mops/templates/``) into self-contained HTML (and PDF through Chromium).

Layers: ``model``, ``fmt``, ``charts``, ``common`` and one module a report are the pure core
(no file, no server); ``render`` and ``run`` are the IO edge that writes files.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

# The reports by name, in the numbering: (number, module that builds it).
REPORTS: dict[str, tuple[int, str]] = {
    "sales": (1, "mops.reports.sales"),
    "customers": (2, "mops.reports.customers"),
    "campaigns": (3, "mops.reports.campaigns"),
    "research": (4, "mops.reports.research"),
    "contracts": (5, "mops.reports.contracts"),
    "service": (6, "mops.reports.service"),
    "expenses": (7, "mops.reports.expenses"),
    "staff": (8, "mops.reports.staff"),
    "summary": (9, "mops.reports.summary"),
}


def builder(name: str) -> Callable:
    """The ``build(Inputs) -> ReportView`` function of report ``name``."""
    return import_module(REPORTS[name][1]).build
